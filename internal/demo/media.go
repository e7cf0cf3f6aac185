package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/media"
)

// The Mediathek of the demo is the programme's "Videos" page: its
// sections become series in the page's order, its entries items with the
// titles and texts as the page writes them (obvious typos fixed). The
// page gives no durations: those are chosen for the demo, short for the
// Learning Nuggets, half an hour and more for talks. Dates are the page's
// where it gives one; the first day where it names the days of an event
// (the congress of 25–28 October 2021, the academy of 13 and 22 April
// 2021); else the date of the demo meeting the item belongs to; else none.
// The addresses are placeholders on the reserved domain video.example
// (RFC 2606).

// mediaSpeaker speaks in an item; municipality names a demo municipality
// the speaker speaks for ("" for none).
type mediaSpeaker struct {
	name, role, municipality string
}

// mediaItem is one entry of the page.
type mediaItem struct {
	kind         media.Kind // "" is a video
	title        string
	text         string // the page's description
	date         string // YYYY-MM-DD, "" when unknown
	length       string // duration, "mm:ss" or "h:mm:ss"
	meeting      string // Name() of the demo meeting it was recorded at
	agenda       string // title of the meeting's programme item
	speakers     []mediaSpeaker
	topics       []string
	path         string // address below https://video.example/
	credits      string
	participants bool // only for the participants of its meeting
	transcribed  bool // gets a transcript and captions made from its text
}

// mediaSeries is a section of the page.
type mediaSeries struct {
	title, text string
	items       []mediaItem
}

// Speakers who appear in several items.
var (
	spStolz    = mediaSpeaker{"Dr. Heinz-Jürgen Stolz", "Leiter der Servicestelle Prävention", ""}
	spStolzLKS = mediaSpeaker{"Dr. Heinz-Jürgen Stolz", "Leiter der Landeskoordinierungsstelle „Kommunale Präventionsketten NRW“", ""}
	spBothe    = mediaSpeaker{"Andreas Bothe", "Staatssekretär im Ministerium für Kinder, Familie, Flüchtlinge und Integration", ""}
	spWalhorn  = mediaSpeaker{"Manfred Walhorn", "Abteilungsleiter Kinder und Jugend im Familienministerium NRW", ""}
	spZimmer   = mediaSpeaker{"Undine Zimmer", "Schriftstellerin", ""}
)

func researcher(name, role string) mediaSpeaker { return mediaSpeaker{name, role, ""} }

func mitarbeiterin(name string) mediaSpeaker {
	return mediaSpeaker{name, "Wissenschaftliche Mitarbeiterin der Servicestelle Prävention", ""}
}

// lernnetzwerk is the text the page repeats under the talks of the
// 17th and 18th meeting.
const lernnetzwerk = `Im Lernnetzwerk findet der Austausch der Kommunen über ihre Erfolge bei der Installation kommunaler Präventionsketten statt. Gut funktionierende Mechanismen und Best Practice Beispiele werden vorgestellt und auf ihre Übertragbarkeit in andere Kommunen überprüft. Mindestens ebenso wichtig ist aber der Austausch von Misserfolgen, Hürden und Stolpersteinen. Dazu braucht es eine vertrauensvolle Atmosphäre im Lernnetzwerk der Kommunen, die eines der Erfolgsgeheimnisse des Projektes "Kommunale Präventionsketten" ist.`

// toGo opens every episode of "Lernnetzwerk to go".
const toGo = `"Lernnetzwerk to go - Kommunen teilen Wissen" ist ein Interviewformat, das einen Austausch von Erfahrungen beim Ausbau der Präventionskette zwischen den Kommunen ermöglichen soll.`

const toGoVoices = ` Koordinierende aus unterschiedlichen Kommunen und unterschiedlichen kommunalen Strukturen geben Einblicke in ihre Prozesse, teilen Tipps und offenbaren Stolpersteine.`

// familyCongress is the digital congress of the family centres in 2021.
const familyCongress = "„NRW-Familienzentren – Mehr Chancen im neuen Jahrzehnt“"

// Names of the demo meetings the page's items were recorded at.
const (
	lnt17  = "17. Lernnetzwerktreffen"
	lnt18  = "18. Lernnetzwerktreffen"
	lnt19  = "19. Lernnetzwerktreffen"
	lnt20  = "20. Lernnetzwerktreffen"
	lnt21  = "21. Lernnetzwerktreffen"
	lnt22  = "22. Lernnetzwerktreffen"
	lnt24  = "24. Lernnetzwerktreffen"
	fa2018 = "Frühjahrsakademie 2018"
	neuss  = "Lernnetzwerktreffen in Neuss"
)

var mediathek = []mediaSeries{
	{
		title: "Lernnetzwerk to go – Kommunen teilen Wissen",
		text:  toGo + toGoVoices,
		items: []mediaItem{
			{title: "Lernnetzwerk to go: Plötzlich kommunale Koordination - Und jetzt?", length: "12:30",
				text:   toGo + ` Dabei soll insbesondere das Video „Plötzlich kommunale Koordination - Und jetzt?“ neuen kommunalen Koordinierenden das Hineinfinden in diese Rolle erleichtern. Hierfür wurden die einzelnen Interviewsequenzen zusätzlich um Inputs aus der Servicestelle Prävention ergänzt.`,
				topics: []string{"Kommunale Koordination", "Präventionskette", "Interkommunaler Austausch"},
				path:   "lernnetzwerk-to-go/ploetzlich-kommunale-koordination"},
			{title: "Lernnetzwerk to go: Zielentwicklung", length: "9:45",
				text:   toGo + toGoVoices + ` In dieser Folge geht es um die Ziele der Präventionsstrategie, die entwickelt, gesetzt und vermittelt werden müssen.`,
				topics: []string{"Zielentwicklung", "Präventionskette", "Interkommunaler Austausch"},
				path:   "lernnetzwerk-to-go/zielentwicklung"},
			{title: "Lernnetzwerk to go: Das Leitbild", length: "8:20",
				text:   toGo + toGoVoices + ` In dieser Folge geht es um die Entwicklung eines Leitbildes.`,
				topics: []string{"Leitbild", "Präventionskette", "Interkommunaler Austausch"},
				path:   "lernnetzwerk-to-go/leitbild"},
			{title: "Lernnetzwerk to go: Netzwerkstrukturen", length: "10:15",
				text:   toGo + toGoVoices + ` In dieser Folge geht es um Netzwerkstrukturen zum Aufbau einer Gesamtstrategie gelingenden Aufwachsens.`,
				topics: []string{"Netzwerkarbeit", "Präventionskette", "Interkommunaler Austausch"},
				path:   "lernnetzwerk-to-go/netzwerkstrukturen"},
		},
	},
	{
		title: "Learning Nuggets",
		text:  "Lernvideos der Servicestelle Prävention: kurze Einführungen in Grundlagen und Methoden beim Aufbau kommunaler Präventionsketten.",
		items: []mediaItem{
			{title: "Learning Nugget: Sinnausrichtung", length: "4:35",
				text:     `Dr. Heinz-Jürgen Stolz, Leiter der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen" spricht über die Bedeutung der Sinnausrichtung bei dem Aufbau kommunaler Präventionsketten.`,
				speakers: []mediaSpeaker{spStolz}, topics: []string{"Sinnausrichtung", "Präventionskette"},
				path: "learning-nuggets/sinnausrichtung"},
			{title: "Learning Nugget: Präventionsverständnis", length: "5:10",
				text:     `Dr. Heinz-Jürgen Stolz, Leiter der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen", spricht über das Präventionsverständnis im Rahmen der kommunalen Präventionsketten.`,
				speakers: []mediaSpeaker{spStolz}, topics: []string{"Präventionsverständnis", "Präventionskette"},
				path: "learning-nuggets/praeventionsverstaendnis"},
			{title: "Learning Nugget: Der Qualitätsrahmen", length: "6:20",
				text:     `Dr. Heinz-Jürgen Stolz, Leiter der Servicestelle Prävention, erläutert den Qualitätsrahmen, der bei der erfolgreichen Arbeit an einer passgenauen kommunalen Präventionskette zu berücksichtigen ist und in der Modellphase des Projekts im Lernnetzwerk mit den Kommunen und der Servicestelle Prävention entwickelt wurde.`,
				speakers: []mediaSpeaker{spStolz}, topics: []string{"Qualitätsentwicklung", "Präventionskette", "Lernnetzwerk"},
				path: "learning-nuggets/qualitaetsrahmen"},
			{title: "Learning Nugget: Sinnfokussierung in der Netzwerkarbeit", length: "5:45",
				text:     `Christin M. Jasper, stellvertretende Leiterin der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen", spricht über die Bedeutung der Sinnfokussierung in der Netzwerkarbeit. Als Methode, um an der Sinnfokussierung zu arbeiten, stellt sie das Purpose-Tournier vor.`,
				speakers: []mediaSpeaker{{"Christin M. Jasper", "Stellvertretende Leiterin der Servicestelle Prävention", ""}},
				topics:   []string{"Sinnausrichtung", "Netzwerkarbeit", "Methoden"},
				path:     "learning-nuggets/sinnfokussierung"},
			{title: "Learning Nugget: Beziehungs-Raum - das Stakeholder Interview", length: "4:50",
				text:     `Vera Deffte, Wissenschaftliche Mitarbeiterin der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen" erklärt die Methode des Stakeholder-Interviews und die Möglichkeiten der Anwendung beim Aufbau kommunaler Präventionsketten.`,
				speakers: []mediaSpeaker{mitarbeiterin("Vera Deffte")}, topics: []string{"Methoden", "Netzwerkarbeit", "Präventionskette"},
				path: "learning-nuggets/stakeholder-interview"},
			{title: "Learning Nugget: Die Big-Wall Methode - Operative Zusammenarbeit", length: "3:55",
				text:     `Vera Deffte, Wissenschaftliche Mitarbeiterin der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen", stellt die Big-Wall Methode vor. Diese soll die Planung und Organisation im Netzwerk erleichtern.`,
				speakers: []mediaSpeaker{mitarbeiterin("Vera Deffte")}, topics: []string{"Methoden", "Netzwerkarbeit"},
				path: "learning-nuggets/big-wall-methode"},
			{title: "Learning Nugget: Das Bubble-Tool - Klarheit und Verbindlichkeit im Netzwerk schaffen", length: "7:10",
				text:     `Eva-Maria Frühling, Wissenschaftliche Mitarbeiterin der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen", stellt das Bubble-Tool vor. Ansatz dieses Instrumentes ist es, alle Aufträge und Aktivitäten innerhalb des Netzwerks für gelingendes Aufwachsen sichtbar zu machen: Klärung der Aufträge der Gremien, Aufgabenverteilung sowie Rollenzuschnitt der kommunalen Koordination. Mithilfe der Methoden des Bubble-Tools können Motivation und Verantwortungsgefühl innerhalb des Netzwerks gestärkt werden.`,
				speakers: []mediaSpeaker{mitarbeiterin("Eva-Maria Frühling")}, topics: []string{"Methoden", "Netzwerkarbeit", "Kommunale Koordination"},
				path: "learning-nuggets/bubble-tool"},
			{title: "Learning Nugget: Die Persona Methode", length: "5:30",
				text:     `Mona Schmidt, Wissenschaftliche Mitarbeiterin der Servicestelle Prävention des Landesprogramms "kinderstark - NRW schafft Chancen", stellt die Persona Methode vor. Die Methode soll helfen adressatenorientierte Angebote zu gestalten, auch wenn die Adressat:innen in diesem Moment nicht beteiligt werden können.`,
				speakers: []mediaSpeaker{mitarbeiterin("Mona Schmidt")}, topics: []string{"Methoden", "Adressatenorientierung"},
				path: "learning-nuggets/persona-methode", transcribed: true},
		},
	},
	{
		title: "Podcast: kinderstark – im Gespräch",
		text:  "Gespräche mit Menschen aus Kommunen und Land über das Landesprogramm „kinderstark – NRW schafft Chancen“.",
		items: []mediaItem{
			{kind: media.Audio, title: "kinderstark - im Gespräch ... mit Ingo Nürnberger", length: "32:00",
				text:     `Coronapandemie-Folgen in Kommunen abfedern: Ingo Nürnberger, der Sozialdezernent der Stadt Bielefeld, berichtet von den Herausforderungen, Hürden und Erfolgen auf dem Weg zu dem Aktionsprogramm "Bielefeld hält zusammen"`,
				speakers: []mediaSpeaker{{"Ingo Nürnberger", "Sozialdezernent der Stadt Bielefeld", "Stadt Bielefeld"}},
				topics:   []string{"Corona-Pandemie", "Sozialpolitik"},
				path:     "podcast/kinderstark-im-gespraech-nuernberger.mp3"},
		},
	},
	{
		title: "Vortragsvideos",
		text:  "Keynotes, Fachimpulse und Vorträge auf Lernnetzwerktreffen, Frühjahrsakademien und Fachkongressen.",
		items: []mediaItem{
			{title: "»Traineransprache« (Keynote) Lothar Linz", date: "2022-11-15", length: "42:30", meeting: neuss,
				text:     "»Das Team als Dream – Motivation, Herausforderungen und Coaching erfolgreicher Mannschaften«, Lothar Linz • Dipl. Sportpsychologe, Dozent, Coach und Betreuer im deutschen Spitzensport\n\nKeynote auf dem Lernnetzwerktreffen in Neuss am 15.11.2022",
				speakers: []mediaSpeaker{{"Lothar Linz", "Dipl. Sportpsychologe, Dozent, Coach und Betreuer im deutschen Spitzensport", ""}},
				topics:   []string{"Netzwerkarbeit", "Teamarbeit", "Motivation"},
				path:     "vortraege/neuss-2022-linz-traineransprache", transcribed: true},
			{title: "Heinz-Jürgen Stolz: Netzwerken als Luxusaufgabe?!", date: "2022-11-15", length: "28:40", meeting: neuss,
				text:     "Fachimpuls durch Dr. Heinz-Jürgen Stolz, Leiter der Servicestelle Prävention, auf dem Lernnetzwerktreffen in Neuss am 15.11.2022",
				speakers: []mediaSpeaker{spStolz}, topics: []string{"Netzwerkarbeit", "Präventionskette"},
				path: "vortraege/neuss-2022-stolz-netzwerken"},
			{title: `Prof. Dr. Aladin El-Mafaalani (Universität Osnabrück): "Kindheiten und Armut"`, date: "2021-10-25", length: "38:15",
				text:     "In der Zeit vom 25.10.-28.10.2021 fand der digitale Fachkongress " + familyCongress + " statt. Auf Grund der pandemischen Situation muss der als Präsenzveranstaltung geplante Kongress digital stattfinden.\n\nDie Weiterentwicklung der Familienzentren in NRW war ein zentrales Thema der Veranstaltung. Neben der durchgeführten Revision des Gütesiegels wurden weitere relevante Themen wie Integration, Kinderschutz oder Digitalisierung sowie die Auswirkungen der Corona-Pandemie aufgegriffen.",
				speakers: []mediaSpeaker{researcher("Prof. Dr. Aladin El-Mafaalani", "Universität Osnabrück")},
				topics:   []string{"Kinderarmut", "Familienzentren"},
				path:     "vortraege/fachkongress-familienzentren-2021-el-mafaalani"},
			{title: "Stefan Schmidt: Kommunale Präventionsketten wirkungsvoll planen und steuern", date: "2021-04-13", length: "35:20",
				text:     `Auf der Frühjahrsakademie spricht Stefan Schmidt von schmidt evaluation über "Kommunale Präventionsketten" und wie sie wirkungsvoll geplant und gesteuert werden können.` + "\n\n" + `Die Frühjahrsakademie 2021 war eine Veranstaltung von LVR, LWL und der Servicestelle Prävention. Sie fanden zu dem Thema "Erfahrungen gemeinsam nutzen - Präventionsketten (weiter-)entwickeln" zwei Veranstaltungen statt, am 13. und 22.04.2021.`,
				speakers: []mediaSpeaker{researcher("Stefan Schmidt", "schmidt evaluation")},
				topics:   []string{"Präventionskette", "Kommunale Steuerung", "Wirkungsorientierung"},
				path:     "vortraege/fruehjahrsakademie-2021-schmidt"},
			{title: `Johannes Schütte: Armut wird "sozial vererbt"`, length: "31:05",
				text:     `Prof. Dr. Johannes Schütte von der Technischen Hochschule Köln spricht beim Fachkongress "Kindheit und Jugend 2019 – zwischen Armut, Bildung und Gerechtigkeit?" über Kinderperspektiven auf Armut und Wohlbefinden.`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Johannes Schütte", "Technische Hochschule Köln")},
				topics:   []string{"Kinderarmut", "Wohlbefinden"},
				path:     "vortraege/fachkongress-2019-schuette"},
			{title: "Klaus Peter Strohmeier über Vertrauen, Solidarität und Wohlbefinden", date: "2019-10-30", length: "41:10", meeting: lnt24,
				text:     `Auf dem 24. Lernnetzwerktreffen der "Kommunalen Präventionsketten NRW" am 30. Oktober 2019 sprach Prof. Dr. Strohmeier von der Ruhr-Universität Bochum zu dem Thema: Vertrauen, Solidarität und Wohlbefinden - Welche Möglichkeiten präventiven Handelns zur Förderung unseres Zusammenlebens gibt es?`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Klaus Peter Strohmeier", "Ruhr-Universität Bochum")},
				topics:   []string{"Wohlbefinden", "Solidarität", "Zusammenleben"},
				path:     "vortraege/lnt24-strohmeier"},
			{title: "Martin Kronauer über Teilhabe und Ausgrenzung", date: "2019-05-22", length: "44:00", meeting: lnt22,
				text:     `Das 22. Lernnetzwerktreffen am 22. Mai 2019 in Gelsenkirchen beschäftigt sich mit Sozialen Ausschlüssen. Diese zu verstehen und zu überwinden ist das thematische Ziel des Austausches. Prof. Dr. Martin Kronauer von der Hochschule für Wirtschaft und Recht Berlin spricht über Segregation und ihre Ursachen.`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Martin Kronauer", "Hochschule für Wirtschaft und Recht Berlin")},
				topics:   []string{"Soziale Ausgrenzung", "Segregation"},
				path:     "vortraege/lnt22-kronauer"},
			{title: "Eleonora Weistroffer über „Sinngetriebene Netzwerke – Neue Impulse und Gestaltungsansätze für die kommunale Praxis“", date: "2019-05-22", length: "36:30", meeting: lnt22,
				text:     `Auf dem 22. Lernnetzwerktreffen am 22. Mai 2019 in Gelsenkirchen arbeitete Eleonora Weistroffer von der Ibo Beratung und Training GmbH mit den Teilnehmern an der Architektur ihrer Arbeitsstruktur. "Impulse in vier Entwicklungsräumen erleben: (Zusammen-) Arbeit neu energetisieren" war das Ziel ihres Inputs und der darauf aufbauenden Gruppenarbeiten.`,
				speakers: []mediaSpeaker{researcher("Eleonora Weistroffer", "Ibo Beratung und Training GmbH")},
				topics:   []string{"Netzwerkarbeit", "Sinnausrichtung"},
				path:     "vortraege/lnt22-weistroffer"},
			// The page dates this talk and Esther Münch's appearance
			// 29.11.2019; the 21st meeting was on 29–30 November 2018.
			{title: "Eva Neuland über alte und neue Sprachbarrieren", date: "2018-11-29", length: "33:45", meeting: lnt21,
				text:     `Beim 21. Lernnetzwerktreffen der "Kommunalen Präventionsketten NRW" am 29.11.2018 in Wuppertal spricht Prof. Dr. Eva Neuland über alte und neue Sprachbarrieren aus heutiger Sicht: "Sprechen benachteiligte Kinder und Jugendliche eine verarmte Sprache?"` + "\n\nProf. Dr. Eva Neuland lehrt Germanistik und Didaktik der deutschen Sprache und Literatur an der Bergischen Universität Wuppertal.",
				speakers: []mediaSpeaker{researcher("Prof. Dr. Eva Neuland", "Germanistik und Didaktik der deutschen Sprache und Literatur, Bergische Universität Wuppertal")},
				topics:   []string{"Sprache", "Benachteiligung"},
				path:     "vortraege/lnt21-neuland"},
			{title: "Heinz-Jürgen Stolz zieht Bilanz aus Sicht der Landeskoordinierungsstelle", date: "2018-11-29", length: "27:50", meeting: lnt21,
				text:     `Beim 21. Lernnetzwerktreffen des Projekts "Kommunale Präventionsketten NRW" am 29.11.2018 in Wuppertal spricht Dr. Heinz-Jürgen Stolz über die Erkenntnisse und Ergebnisse aus den bisherigen Phasen der gemeinsamen Präventionsarbeit.` + "\n\nSeit 2012 arbeiten inzwischen 40 Kommunen an dem Auf- und Ausbau passgenauer Präventionsketten und stellen so die Weichen für gelingendes Aufwachsen von Kindern und Jugendlichen. Die Landeskoordinierungsstelle berät die Kommunen in ihrer Präventionsarbeit und macht die wissenschaftlichen Erkenntnisse aus der Zusammenarbeit für alle Kommunen in NRW nutzbar.\n\nStolz zieht Bilanz aus Sicht der Landeskoordinierungsstelle.",
				speakers: []mediaSpeaker{spStolzLKS}, topics: []string{"Präventionskette", "Lernnetzwerk", "Evaluation"},
				path: "vortraege/lnt21-stolz-bilanz"},
			{title: "Kathrin Nachtsheim stellt den Abschlussbericht der Evaluation vor", date: "2018-11-29", length: "24:15", meeting: lnt21,
				text:     `Das Landesprojekt "Kommunale Präventionsketten NRW" wurde fast ein Jahr überprüft und evaluiert. Die unabhängige Consulting-Firma Ramboll legte nach einer Vielzahl von Interviews und Dokumentanalysen im Herbst 2018 ihren Abschlussbericht vor.` + "\n\n" + `Beim 21. Lernnetzwerktreffen in Wuppertal stellte Kathrin Nachtsheim (Ramboll Management Consulting GmbH) die sehr ermutigenden Ergebnisse vor. Es wurde eine Haltungsveränderung in Gang gesetzt, die mit ein Grund für die verbesserte Abstimmung der Präventionsangebote gewesen sei. "Die Präventionsketten sind länger geworden", stellte Nachtsheim fest.`,
				speakers: []mediaSpeaker{researcher("Kathrin Nachtsheim", "Ramboll Management Consulting GmbH")},
				topics:   []string{"Evaluation", "Präventionskette"},
				path:     "vortraege/lnt21-nachtsheim-evaluation"},
			{title: "Stephan Grohs beim 20. Lernnetzwerktreffen in Essen", date: "2018-09-04", length: "39:40", meeting: lnt20,
				text:     `Prof. Dr. Stephan Grohs vom Lehrstuhl für Politikwissenschaft der Deutschen Universität für Verwaltungswissenschaften Speyer spricht auf dem Lernnetzwerktreffen der "kommunalen Präventionsketten NRW" am 04.09.2018 in Essen über “Rechtskreisübergreifende Kooperation im kommunalen Handlungsrahmen”.`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Stephan Grohs", "Lehrstuhl für Politikwissenschaft, Deutsche Universität für Verwaltungswissenschaften Speyer")},
				topics:   []string{"Rechtskreisübergreifende Zusammenarbeit", "Arbeits- und Sozialverwaltung"},
				path:     "vortraege/lnt20-grohs"},
			{title: "Kai Marquardsen beim 20. Lernnetzwerktreffen in Essen", date: "2018-09-04", length: "34:10", meeting: lnt20,
				text:     `Beim 20. Lernnetzwerktreffen der "kommunalen Präventionsketten" am 4. September 2018 in Essen spricht Prof. Dr. Kai Marquardsen über "Das Bildungs- und Teilhabepaket in der Präventionskette".` + "\n\n" + `Marquardsen lehrt an der Fachhochschule Kiel über "Armut und soziale Ungleichheit im Kontext der Sozialen Arbeit".`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Kai Marquardsen", "Fachhochschule Kiel")},
				topics:   []string{"Bildung und Teilhabe", "Kinderarmut", "Arbeits- und Sozialverwaltung"},
				path:     "vortraege/lnt20-marquardsen"},
			{title: "Matthias Knuth beim 20. Lernnetzwerktreffen in Essen", date: "2018-09-04", length: "37:25", meeting: lnt20,
				text:     `Prof. Dr. Matthias Knuth vom Institut Arbeit und Qualifikation IAQ der Universität Duisburg Essen spricht auf dem Lernnetzwerktreffen der "kommunalen Präventionsketten NRW" am 04.09.2018 in Essen über “Aktivieren oder befähigen? Normen und Strukturen in Jobcentern und Arbeitsagenturen”.`,
				speakers: []mediaSpeaker{researcher("Prof. Dr. Matthias Knuth", "Institut Arbeit und Qualifikation (IAQ), Universität Duisburg-Essen")},
				topics:   []string{"Jobcenter", "Arbeits- und Sozialverwaltung"},
				path:     "vortraege/lnt20-knuth"},
			{title: "Andreas Bethmann beim Lernnetzwerktreffen am 07.03.2018 in Düsseldorf", date: "2018-03-07", length: "30:20", meeting: lnt19,
				text:     `"Einen guten partizipativen Prozess erkennen Sie daran, dass es Ärger gibt."` + "\n\nAndreas Bethmann von der Katholischen Hochschule für Sozialwesen Berlin erläuterte, dass Partizipation dazu führe, dass Adressaten beginnen, ihre eigenen Interessen verstärkt wahrzunehmen und zu äußern - durchaus nicht immer im Konsens.",
				speakers: []mediaSpeaker{researcher("Andreas Bethmann", "Katholische Hochschule für Sozialwesen Berlin")},
				topics:   []string{"Partizipation", "Adressatenorientierung"},
				path:     "vortraege/lnt19-bethmann"},
			{title: "Lernnetzwerktreffen 18, Dr. Heinz-Jürgen Stolz", date: "2017-11-29", length: "31:30", meeting: lnt18,
				text:     `Auf dem 18. Lernnetzwerktreffen am 29.11.2017 in Herne spricht Dr. Heinz-Jürgen Stolz, Leiter der Landeskoordinierungsstelle "Kommunale Präventionsketten NRW", über das Bundespräventionsgesetz im Kontext einer kommunalen Gesamtstrategie "Prävention".` + "\n\n" + lernnetzwerk,
				speakers: []mediaSpeaker{spStolzLKS}, topics: []string{"Präventionsgesetz", "Präventionskette", "Lernnetzwerk"},
				path: "vortraege/lnt18-stolz"},
			{title: "Lernnetzwerktreffen 17, Markus Schön", date: "2017-09-13", length: "26:40", meeting: lnt17,
				agenda:   "Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen",
				text:     "Markus Schön, Fachbereichsleiter Jugendhilfe und Beschäftigungsförderung der Stadt Krefeld, spricht beim Lernnetzwerktreffen am 13.09.2017 in Köln über das Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen.\n\n" + lernnetzwerk,
				speakers: []mediaSpeaker{{"Markus Schön", "Fachbereichsleiter Jugendhilfe und Beschäftigungsförderung der Stadt Krefeld", "Stadt Krefeld"}},
				topics:   []string{"Bürgerschaftliches Engagement", "Präventionskette", "Lernnetzwerk"},
				path:     "lnt17/input-schoen"},
			{title: "Lernnetzwerktreffen 17, Marina Bänke", date: "2017-09-13", length: "18:20", meeting: lnt17,
				agenda:   "Einblick in die Koordinationsarbeit: Ahlen",
				text:     "Marina Bänke, Koordinatorin der Präventionsketten in der Stadt Ahlen, spricht beim Lernnetzwerktreffen am 13.09.2017 in Köln über die Bedeutung präventiver Arbeit in den Kommunen.\n\n" + lernnetzwerk,
				speakers: []mediaSpeaker{{"Marina Bänke", "Koordinatorin der Präventionsketten in der Stadt Ahlen", "Stadt Ahlen"}},
				topics:   []string{"Kommunale Koordination", "Präventionskette", "Lernnetzwerk"},
				path:     "lnt17/input-baenke", participants: true},
			{title: "Lernnetzwerktreffen 17, Holger Mrosek", date: "2017-09-13", length: "19:10", meeting: lnt17,
				agenda: "Einblick in die Koordinationsarbeit: Dinslaken",
				text:   "Auf dem 17. Lernnetzwerktreffen am 13.09.2017 in Köln spricht Holger Mrosek aus der Stadt Dinslaken über die Bedeutung präventiver Arbeit in Kommunen.\n\n" + lernnetzwerk,
				// The page names no role; the documentation of the meeting does.
				speakers: []mediaSpeaker{{"Holger Mrosek", "Koordinator für Präventionsketten der Stadt Dinslaken", "Stadt Dinslaken"}},
				topics:   []string{"Kommunale Koordination", "Präventionskette", "Lernnetzwerk"},
				path:     "lnt17/input-mrosek"},
		},
	},
	{
		title: "Kongressfilme",
		text:  "Filme, die auf Fachkongressen und Lernnetzwerktreffen gezeigt wurden, und Audio-Slideshows.",
		items: []mediaItem{
			{title: "15 Jahre Familienzentrum NRW", date: "2021-10-25", length: "6:45",
				text:   "In Nordrhein-Westfalen wurden seit 2006 Familienzentren flächendeckend installiert und aufgebaut. Ein zentrales Ziel ist es, Kitas in NRW zu Knotenpunkten eines sozialraumbezogenen, familienunterstützenden Netzwerkes zu entwickeln.\n\nIn der Zeit vom 25. bis 28. Oktober 2021 fand der digitale Fachkongress " + familyCongress + " statt, zu dessen Anlass auf die Entwicklung der Familienzentren in NRW geblickt wird.",
				topics: []string{"Familienzentren", "Netzwerkarbeit"},
				path:   "kongressfilme/15-jahre-familienzentrum-nrw"},
			{title: "Familienzentren und Corona", date: "2021-10-25", length: "5:50",
				text:   "Die Maßnahmen zur Eindämmung der Coronapandemie seit März 2020 hatten vielfältige Auswirkungen auf weite Teile des sozialen und gesellschaftlichen Lebens in Deutschland. So auch auf die Arbeit der Familienzentren. Dieser Film zur Anregung der Diskussion beim Fachkongress " + familyCongress + " beleuchtet die Schwierigkeiten und Herausforderungen, mit denen sich die Familienzentren in der Coronazeit konfrontiert sahen.",
				topics: []string{"Familienzentren", "Corona-Pandemie"},
				path:   "kongressfilme/familienzentren-und-corona"},
			{title: "Aufwachsen mit Aussicht? Teil 1", length: "7:30",
				text:   `"Kindheit und Jugend 2019 - zwischen Armut, Bildung und Gerechtigkeit?" war der Titel eines Fachkongresses anlässlich des 40-jährigen Jubiläums des Instituts für soziale Arbeit e.V.. Den Einstieg in dieses Thema macht der Film "Aufwachsen mit Aussicht?". Drei Familien geben einen Einblick in ihre Lebenswirklichkeit, in ihre Herausforderungen des Alltags und formulieren ihre Wünsche an das Fachpublikum aus Politik, Kommunen und Wissenschaft.`,
				topics: []string{"Kinderarmut", "Bildungsgerechtigkeit", "Familien"},
				path:   "kongressfilme/aufwachsen-mit-aussicht-1"},
			{title: "Aufwachsen mit Aussicht? Teil 2", length: "8:15",
				text:   `"Aufwachsen mit Aussicht" ist der Wunsch dreier Familien, die in Teil 1 dieser Mini-Filmreihe zu Wort kommen und ihre Wünsche an die Fachleute richten. Nun in Teil 2 erhalten sie eine Antwort aus dem Teilnehmerkreis eines Fachkongresses zum Thema "Kindheit und Jugend 2019 - zwischen Armut, Bildung und Gerechtigkeit?". Akteure aus Politik, Kommunen und Wissenschaft reagieren auf die Darstellungen der Familien und suchen nach Lösungsmöglichkeiten.`,
				topics: []string{"Kinderarmut", "Bildungsgerechtigkeit", "Familien"},
				path:   "kongressfilme/aufwachsen-mit-aussicht-2"},
			{title: "Fachkongress Familienzentren 2016", length: "4:40",
				text:     "Bei dem Fachkongress des Ministeriums für Kinder, Jugend, Kultur und Sport des Landes Nordrhein-Westfalen in Essen feierten die Familienzentren ein Jubiläum. Sie blicken auf zehn Jahre Präventionsarbeit zurück. Zeit um eine Zwischenbilanz zu ziehen. Aber auch die Gelegenheit gesellschaftliche Veränderungen zu beleuchten und neue Herausforderungen auszumachen. Auch Familienministerin Christina Kampmann beteiligte sich an der Diskussion und besuchte die Messestände.",
				speakers: []mediaSpeaker{{"Christina Kampmann", "Familienministerin", ""}},
				topics:   []string{"Familienzentren", "Gesellschaftlicher Wandel"},
				credits:  "Kamera: Clemens Boecker, Schnitt: Gabriel Stoukalov, Sprecherin: Lena Gilhaus, Autorin: Ursula Kansy",
				path:     "kongressfilme/fachkongress-familienzentren-2016"},
			{kind: media.Slides, title: "Audio Slide Show: Auf sechs Stationen zum chancengerechten Aufwachsen!", length: "3:50",
				text:    "Beim 14. Lernnetzwerktreffen zogen die Teilnehmenden Bilanz und schritten die bisher sechs Stationen eines Qualitätskreislaufs ab, der die bisherigen Erkenntnisse für erfolgreiche kommunale Präventionsarbeit enthält. An Diskussionstischen bewerteten sie die einzelnen Stationen, resümierten, was ihnen die Teilnahme am Modellvorhaben gebracht hat und schauten in die Zukunft – zum großen Roll Out, bei dem sie als erfahrene Kommunen, die neuen NRW-Kommunen unterstützen wollen.",
				topics:  []string{"Qualitätsentwicklung", "Lernnetzwerk"},
				credits: "Bild: ISA/Norbert Smuda und Ursula Kansy; Redaktion, Text, Schnitt, Vertonung: Lena Gilhaus",
				path:    "kongressfilme/sechs-stationen"},
			{kind: media.Slides, title: "Audio Slide Show Frühjahrsakademie 2015", length: "4:20",
				text:    "Allen Kindern ein gelingendes Aufwachsen ermöglichen, daran arbeiten seit einigen Jahren die Modellkommunen von „Kein Kind zurücklassen!“ und des LVR Programms „Kommunale Netzwerke gegen Kinderarmut“. Wie weit die Kommunen mit dem Auf- und Ausbau sogenannter Präventionsketten gekommen sind, war Thema auf der Frühjahrsakademie 2015.",
				topics:  []string{"Präventionskette", "Kinderarmut"},
				credits: "Autorin, Schnitt, Sprecherin: Lena Gilhaus; Fotos: ISA/Henning Severin, David Sievers, Fabian Stürtz; Stadt Dortmund/W. D. Blank",
				path:    "kongressfilme/fruehjahrsakademie-2015"},
		},
	},
	{
		title: "Interviews",
		text:  "Kurze Interviews mit Verantwortlichen aus dem Familienministerium.",
		items: []mediaItem{
			{title: "4 Fragen an Manfred Walhorn", length: "5:15",
				text:     "zu Armutsprävention und den daraus resultierenden sozialpolitischen Herausforderungen.\n\nNeben den kommunalen Präventionsketten, welche Handlungsansätze verfolgt die Landesregierung?\n\nManfred Walhorn, Abteilungsleiter Kinder und Jugend im Familienministerium NRW, gibt Antworten.",
				speakers: []mediaSpeaker{spWalhorn}, topics: []string{"Kinderarmut", "Sozialpolitik", "Landespolitik"},
				path: "interviews/vier-fragen-walhorn"},
			{title: "4 Fragen an Staatssekretär Andreas Bothe", date: "2017-11-09", length: "6:05",
				text:     `Am 09.11.2017 hat das Ministerium für Kinder, Familie, Flüchtlinge und Integration des Landes Nordrhein-Westfalen die 40 Projektkommunen zum Austausch eingeladen.` + "\n\n" + `Am Rande der Veranstaltung beantwortete Familienstaatssekretär Bothe im Interview die Fragen, die für die Weiterentwicklung der Landesinitiative "Kommunale Präventionsketten" wichtig sind.`,
				speakers: []mediaSpeaker{spBothe}, topics: []string{"Landespolitik", "Präventionskette"},
				credits: "Kamera: Clemens Boecker, Schnitt: Gabriel Stoukalov, Autorin: Dr. Ursula Kansy",
				path:    "interviews/vier-fragen-bothe"},
		},
	},
	{
		title: "Podiumsdiskussion",
		text:  "Gespräche mit Entscheidungsträgerinnen und Entscheidungsträgern auf dem Podium.",
		items: []mediaItem{
			{title: "Salongespräch - Diskussion mit Entscheidungsträgern", date: "2018-05-17", length: "1:05:00", meeting: fa2018,
				text: "Bei der Frühjahrsakademie 2018 diskutierten über die sozialpolitischen Herausforderungen, Kinderarmut zu begegnen:\n\n" +
					"- Manfred Walhorn, Abteilungsleiter im Ministerium für Kinder, Familie, Flüchtlinge und Integration NRW\n" +
					"- Dr. Matthias Menzel, Hauptreferent beim Städte- und Gemeindebund NRW\n" +
					"- Ursula Holtmann-Schnieder, Vorsitzende des Jugendhilfeausschusses der Stadt Düsseldorf\n" +
					"- Michaela Hofmann, Referentin beim Diözesan-Caritasverband für das Erzbistum Köln e.V.\n" +
					"- Undine Zimmer, Schriftstellerin\n\nModeration Christoph Gilles",
				speakers: []mediaSpeaker{
					{"Manfred Walhorn", "Abteilungsleiter im Ministerium für Kinder, Familie, Flüchtlinge und Integration NRW", ""},
					{"Dr. Matthias Menzel", "Hauptreferent beim Städte- und Gemeindebund NRW", ""},
					{"Ursula Holtmann-Schnieder", "Vorsitzende des Jugendhilfeausschusses der Stadt Düsseldorf", "Stadt Düsseldorf"},
					{"Michaela Hofmann", "Referentin beim Diözesan-Caritasverband für das Erzbistum Köln e.V.", ""},
					spZimmer,
					{"Christoph Gilles", "Moderation", ""},
				},
				topics: []string{"Kinderarmut", "Sozialpolitik"},
				path:   "podium/fruehjahrsakademie-2018-salongespraech"},
		},
	},
	{
		title: "Positionen aus dem Familienministerium",
		text:  "Grußworte und Beiträge der Landesregierung zur Präventionsarbeit in den Kommunen.",
		items: []mediaItem{
			{title: "Nach nordrhein-westfälischem Vorbild: Bundesland Oberösterreich will gelingendes Aufwachsen befördern", length: "3:40",
				text: "Michael Lindner, Landesrat für Kinder und Jugend, besuchte mit Expertinnen und Experten Präventionsangebote des Programms „kinderstark – NRW schafft Chancen“.\n\nFamilienstaatssekretär Lorenz Bahr begrüßte die Delegation aus Oberösterreich.",
				speakers: []mediaSpeaker{{"Michael Lindner", "Landesrat für Kinder und Jugend (Oberösterreich)", ""},
					{"Lorenz Bahr", "Familienstaatssekretär", ""}},
				topics: []string{"Landespolitik", "Internationaler Austausch"},
				path:   "ministerium/oberoesterreich"},
			{title: "Grußwort von Josefine Paul, Familienministerin in Nordrhein-Westfalen, beim Lernnetzwerktreffen in Neuss", date: "2022-11-15", length: "9:30", meeting: neuss,
				text:     `Das Lernnetzwerktreffen am 15.11.2022 in Neuss stand unter dem Motto "Netzwerken ist kein Luxus". Und Netzwerken stand bei diesem Treffen tatsächlich im Mittelpunkt, da es nach langem mal wieder in Präsenz stattfinden konnte.`,
				speakers: []mediaSpeaker{{"Josefine Paul", "Familienministerin in Nordrhein-Westfalen", ""}},
				topics:   []string{"Landespolitik", "Netzwerkarbeit"},
				path:     "ministerium/neuss-2022-grusswort-paul"},
			{title: "Grußwort des Familienstaatssekretärs Andreas Bothe anlässlich der Verleihung des Deutschen Kita-Preis für Monheim am Rhein", length: "2:45",
				text:     `Zweitplatzierte in der Kategorie "Lokales Bündnis für Frühkindliche Bildung des Jahres 2021"` + "\n\nDas sagt die Jury:\n\nDas Monheimer Bündnis kann sich aus Sicht der Jury zurecht Hauptstadt für Kinder nennen! Es ist eine beispielhafte Initiative, die sowohl in der Region als auch bundesweit als Leuchtturm mit Signalwirkung andere zur Nachahmung inspiriert.",
				speakers: []mediaSpeaker{{"Andreas Bothe", "Familienstaatssekretär", ""}},
				topics:   []string{"Frühkindliche Bildung", "Lokale Bündnisse"},
				path:     "ministerium/kita-preis-monheim"},
			{title: "Vorstellung des Programms „kinderstark – NRW schafft Chancen“", date: "2020-08-06", length: "4:55",
				text: "Minister Stamp: Wir wollen Kinder stärken, die in einem schwierigen familiären oder sozialen Umfeld aufwachsen\n\nPressekonferenz am 06.08.2020 bei einem Ortstermin im Kinderhaus Ossendorfpark mit der Kölner Oberbürgermeisterin Reker\n\nEin zentrales Ziel der Landesregierung ist es, Kindern, Jugendlichen und ihren Familien beste Zukunftschancen zu ermöglichen, unabhängig von ihrer Herkunft. Mit dem neuen Förderprogramm „kinderstark – NRW schafft Chancen“ unterstützt die Landesregierung die Kommunen dabei, Kinder und Jugendliche besser vor Armut zu schützen und ihre Chancen auf einen Aufstieg durch Bildung weiter zu erhöhen. Vor allem sozial benachteiligte Familien sollen in ihren Bildungs- und Teilhabechancen gestärkt werden.",
				// The page says "Minister Stamp": Joachim Stamp, then the
				// minister for children and families.
				speakers: []mediaSpeaker{{"Joachim Stamp", "Minister für Kinder, Familie, Flüchtlinge und Integration", ""}},
				topics:   []string{"Landespolitik", "Kinderarmut", "Bildung und Teilhabe"},
				path:     "ministerium/vorstellung-kinderstark"},
			{title: "Staatssekretär Andreas Bothe beim Austausch mit den Kommunen", date: "2018-11-26", length: "12:20",
				text:     `Am 26.11.2018 traf sich Staatssekretär Andreas Bothe mit Vertretern der Kommunen des Projekts "Kommunale Präventionsketten NRW" im Familienministerium, um über die Präventionsarbeit ab 2019 zu sprechen. Auf Basis der Evaluationsergebnisse des Projekts, die beim gleichen Termin vorgestellt wurden, tauschten sich die Projektkommunen mit dem Familienstaatssekretär über benötigte Unterstützung bei der Fortsetzung ihrer Arbeit aus.` + "\n\nStaatssekretär Bothe würdigte in seinem Input die Arbeit der Kommunen und thematisierte die Ausweitung der nachhaltigen Präventionsarbeit auf ganz Nordrhein-Westfalen. Die von der Evaluation bescheinigten Erfolge, vielmehr noch der Weg dorthin, sollen weiteren Kommunen für den Aufbau einer lückenlosen Präventionskette als Vorbild dienen können.",
				speakers: []mediaSpeaker{spBothe}, topics: []string{"Landespolitik", "Evaluation", "Präventionskette"},
				path: "ministerium/bothe-austausch-2018"},
			{title: "Grußwort des Staatssekretärs Andreas Bothe beim Lernnetzwerktreffen im März 2018 in Düsseldorf", date: "2018-03-07", length: "8:10", meeting: lnt19,
				text:     `Andreas Bothe, Staatssekretär im Ministerium für Kinder, Familie, Flüchtlinge und Integration, begrüßt beim Lernnetzwerktreffen des Projekts "Kommunale Präventionsketten" am 07.03.2018 in Düsseldorf die Vertreterinnen und Vertreter der 40 teilnehmenden Projektkommunen.`,
				speakers: []mediaSpeaker{spBothe}, topics: []string{"Landespolitik", "Lernnetzwerk"},
				path: "ministerium/lnt19-grusswort-bothe"},
			{title: "Grußwort des Staatssekretärs Andreas Bothe beim Lernnetzwerktreffen im September 2017 in Köln", date: "2017-09-13", length: "6:30", meeting: lnt17,
				agenda:   "Grußwort (Videobotschaft)",
				text:     `Andreas Bothe, Staatssekretär im Ministerium für Kinder, Familie, Flüchtlinge und Integration, spricht beim Lernnetzwerktreffen des Projekts "Kommunale Präventionsketten" am 13.09.2017 in Köln sein Grußwort per Videobotschaft.` + "\n\nDabei hebt er die Bedeutung der Präventionsarbeit, die in den Kommunen geleistet wird, hervor.",
				speakers: []mediaSpeaker{spBothe}, topics: []string{"Landespolitik", "Präventionskette"},
				path: "lnt17/grusswort-bothe"},
		},
	},
	{
		title: "Beispiele aus den Kommunen",
		text:  "Wie Kommunen in Nordrhein-Westfalen Präventionsketten knüpfen: Beispiele aus der Praxis.",
		items: []mediaItem{
			{title: "Frühe Hilfen in Dortmund", length: "4:30",
				text:   "Professionelle Kooperation, bürgerschaftliches Engagement und die Stärkung sozialer Netzwerke von Familien bilden die Basis der Frühen Hilfen. Zentral für die praktische Umsetzung der Frühen Hilfen ist eine enge Vernetzung und Kooperation von Institutionen und Angeboten aus den Bereichen der Schwangerenberatung, des Gesundheitswesens, der interdisziplinären Frühförderung, der Kinder- und Jugendhilfe, der Eltern- und Familienbildung, der Schule und weiterer sozialer Dienste.\n\nZiel ist es von Anfang an gute Startchancen, ein gesundes Aufwachsen, starke Eltern und eine vertrauensvolle Zukunft für jedes Dortmunder Kind zu gewährleisten.",
				topics: []string{"Frühe Hilfen", "Netzwerkarbeit"},
				path:   "kommunen/dortmund-fruehe-hilfen"},
			{title: "Familienzentrum Gelsenkirchen", length: "3:25",
				text:   "Das Familienbüro in Gelsenkirchen ist eigentlich gar kein Büro. Und genau das ist das Erfolgsrezept: Nichts erweckt den Eindruck, dass es sich hier um eine Behörde handeln könnte. Vielmehr macht eine große runde Infotheke einen einladenden Eindruck und den Servicegedanken deutlich. Das Angebot für die Kinder ist von außen sichtbar. Durch große Schaufenster erkennt man eine Spiel- und Bewegungslandschaft. Es gibt einen großen Holzbogen zum Klettern und Balancieren und unzählige Materialien zum Anfassen, Erfahren und Experimentieren. Die Zielrichtung dieses Ortes ist ohne Worte kommuniziert: Hier wird in liebevoll gestalteter Umgebung gespielt, gefördert und beraten.",
				topics: []string{"Familienzentren", "Niedrigschwellige Angebote"},
				path:   "kommunen/gelsenkirchen-familienbuero"},
			{kind: media.Slides, title: "Familienpatenschaften", length: "3:50",
				text:    "Früher lebten die Großeltern, deren Kinder und die Enkelkinder oft noch zusammen unter einem Dach und sorgten füreinander. Sicherlich ein Klischee und doch sehnen sich immer mehr Menschen nach solchen Familienstrukturen zurück. Insbesondere in den Städten, geraten manche Eltern beim Spagat zwischen Beruf und Kinderversorgung an ihre Grenzen – wenn die Großeltern woanders wohnen, es kein soziales Fangnetz im Umfeld gibt. Insbesondere Familien, die neu in Deutschland sind und noch keine Kontakte haben, betrifft dieses Problem. Um Eltern unterstützend zu begleiten, vermittelt der Sozialdienst katholischer Frauen (SkF) im Auftrag des Fachdienstes Frühe Hilfen der Stadt ehrenamtliche Familienpatinnen und -paten. 139 Patenschaften kamen bisher zustande. So auch für Corinna Wacker und ihre Söhne Emil und Jakob, die jetzt eine neue Oma haben.",
				topics:  []string{"Frühe Hilfen", "Ehrenamt"},
				credits: "Fotos: Martin Scherag; Text, Schnitt, Vertonung: Lena Gilhaus",
				path:    "kommunen/familienpatenschaften"},
			{title: "HOME, Mönchengladbach", length: "5:05",
				text:   "In Kitas, Familienzentren und Schulen bietet HOME Beratungen für Familien an, um gemeinsam passgenaue Unterstützungsmöglichkeiten zu finden.\n\nHOME steht für Hilfe und Orientierung für Mönchengladbacher Eltern und wird seit 2010 als Pilotprojekt in mehreren Stadtteilen mit Erfolg durchgeführt. In Kitas, Schulen oder anderen Einrichtungen bieten HOME-Partnerinnen ihre Beratungskompetenz an, kommen mit Familien ins Gespräch und suchen mit ihnen nach passgenauen Unterstützungsangeboten. Diese sollen sozial benachteiligte Familien unterstützen und ihre Teilhabe an Bildung verbessern sowie ihre Kompetenzen fördern.",
				topics: []string{"Elternberatung", "Familienzentren", "Bildung und Teilhabe"},
				path:   "kommunen/moenchengladbach-home"},
			{title: "Preis Soziale Stadt 2016 - Dortmunder Kinderstuben", length: "3:15",
				text:   "Die Dortmunder Kinderstuben haben in der Kategorie Bildung, Kultur, Gesundheit den Preis Soziale Stadt 2016 erhalten. Die Kinderstuben dienen der vorschulischen Förderung von Kindern mit Zuwanderungsgeschichte in Dortmund-Nordstadt.",
				topics: []string{"Frühkindliche Bildung", "Zuwanderung"},
				path:   "kommunen/dortmunder-kinderstuben"},
			{kind: media.Slides, title: `Audio Slide Show "Meine Schatzkiste"`, length: "3:30",
				text:    "An 12 Wittener Grundschulen wurde „Meine Schatzkiste“ eingeführt, um den Kindern der vierten Klasse am Übergang in die neue Schulform zu helfen. Die Portfolioarbeit soll die Kinder anregen, ihre Stärken und Talente zu reflektieren und der neuen Schule ihre Interessen zu zeigen – für einen gelingenden Start in der neuen Institution. Die Kinder der vierten Klasse der Vormholzer Grundschule haben sich beim Kistenpacken über die Schulter schauen lassen.",
				topics:  []string{"Übergang Grundschule", "Schule"},
				credits: "Bild: ISA/Martin Scherag; FarbFilmFreunde; Redaktion, Text, Schnitt, Sprecherin: Lena Gilhaus",
				path:    "kommunen/witten-schatzkiste"},
			{title: "Ein großer Schritt - Der Übergang zur weiterführenden Schule", length: "20:00",
				text:   "Witten hat sich im Rahmen des Modellvorhabens „Kein Kind zurücklassen!“ auf den Weg begeben, den Übergang von der Grund- zur weiterführenden Schule fokussiert zu betrachten. Ein Filmteam hat die Schülerinnen und Schüler einer vierten Klasse ein Jahr begleitet. Entstanden ist eine 20-minütige Dokumentation, die Antworten auf folgende Fragen gibt: Wie gestaltet sich der anstehende Wechsel zur weiterführenden Schule aus Sicht des Kindes? Welche Gedanken und Erwartungen begleiten Kinder in ihrem letzten Jahr auf der Grundschule?",
				topics: []string{"Übergang Grundschule", "Schule"},
				path:   "kommunen/witten-ein-grosser-schritt"},
		},
	},
	{
		title: "Und darüber hinaus …",
		text:  "Lesungen, Kabarett und Filme rund um das gelingende Aufwachsen.",
		items: []mediaItem{
			{title: `"KEINE AUFSTIEGSGESCHICHTE" - Warum Armut psychisch krank macht`, date: "2023-12-11", length: "18:40",
				text:     `Lesung auf der Jahrestagung "kinderstark - NRW schafft Chancen" der Landesjugendämter LVR und LWL - Armutsprävention in kommunalen Präventionsketten am 11.12.2023 in Köln` + "\n\nOlivier David liest einen Auszug aus seinem Buch. Er erzählt aus seiner Kindheit und davon, wie sich Armut und psychische Erkrankung aufeinander auswirken - mit welchen Hindernissen sein Leben begonnen hat.",
				speakers: []mediaSpeaker{{"Olivier David", "Autor", ""}},
				topics:   []string{"Kinderarmut", "Psychische Gesundheit"},
				path:     "lesungen/olivier-david-keine-aufstiegsgeschichte"},
			{title: `"Nicht von schlechten Eltern - Meine Hartz-IV-Familie" Lesung`, date: "2018-05-17", length: "22:15", meeting: fa2018,
				text:     `Auf der Frühjahrsakademie 2018 liest Undine Zimmer aus ihrem autobiographischen Werk "Nicht von schlechten Eltern" und gibt sehr ehrliche Einblicke in ihre Kindheit mit zwei langzeitarbeitslosen Eltern. Was bedeutet Armut in Deutschland? Wie hat sie es erlebt?`,
				speakers: []mediaSpeaker{spZimmer}, topics: []string{"Kinderarmut", "Langzeitarbeitslosigkeit"},
				path: "lesungen/undine-zimmer-nicht-von-schlechten-eltern"},
			{title: "Kabarettistin Esther Münch in ihrer Rolle als Waltraud Ehlert", date: "2018-11-29", length: "14:30", meeting: lnt21,
				text:     `Die Künstlerin Esther Münch tritt am 29.11.2018 beim 21. Lernnetzwerktreffen der "Kommunalen Präventionsketten NRW" in Wuppertal auf und zeigt ein Programm, das thematisch eigens auf das Lernnetzwerktreffen angepasst ist. Mit spitzer Zunge kommentiert sie die Stolpersteine der Präventionsarbeit und legt ihren Finger in gesellschaftspolitisch offene Wunden.`,
				speakers: []mediaSpeaker{{"Esther Münch", "Kabarettistin", ""}},
				topics:   []string{"Kabarett", "Präventionskette"},
				path:     "kabarett/lnt21-esther-muench"},
			{title: "Präventionsketten: von der Schwangerschaft bis in den Beruf", length: "5:20",
				text:   "18 Kommunen in Nordrhein-Westfalen sind Teil des Modellvorhabens „Kein Kind zurücklassen! Kommunen in NRW beugen vor“. Das gemeinsame Ziel ist eine bessere Vernetzung aller Akteure. Prävention ist eine Querschnittsaufgabe und betrifft alle Lebensphasen von Kindern und Jugendlichen. Hebamme, Lehrer und Fußballtrainer – es braucht viele Menschen, um eine Präventionskette zu knüpfen.",
				topics: []string{"Präventionskette", "Netzwerkarbeit"},
				path:   "filme/praeventionsketten-schwangerschaft-bis-beruf"},
		},
	},
}

// mediaHost is the placeholder host of every demo medium.
const mediaHost = "https://video.example/"

// mediathekDemo fills the Mediathek; without its store nothing happens.
// Items of a meeting are tied to its programme item where the demo
// programme has one (the agenda store and the documentation created it).
func (l *loader) mediathekDemo(ctx context.Context) error {
	if l.s.Media == nil {
		return nil
	}
	meetings := map[string]int64{}
	for _, e := range l.held {
		meetings[e.Name()] = e.ID
	}
	programmes := map[int64]map[string]int64{}
	agendaItem := func(eventID int64, title string) (*int64, error) {
		if l.s.Agenda == nil || title == "" {
			return nil, nil
		}
		items, ok := programmes[eventID]
		if !ok {
			list, err := l.s.Agenda.Items(ctx, eventID)
			if err != nil {
				return nil, fmt.Errorf("demo: %w", err)
			}
			items = map[string]int64{}
			for _, it := range list {
				items[it.Title] = it.ID
			}
			programmes[eventID] = items
		}
		if id, ok := items[title]; ok {
			return &id, nil
		}
		return nil, nil
	}
	for i, s := range mediathek {
		series, err := l.s.Media.CreateSeries(ctx, media.SeriesInput{Title: ptr(s.title), Description: ptr(s.text), Position: ptr(i)})
		if err != nil {
			return fmt.Errorf("demo: media series %q: %w", s.title, err)
		}
		for _, m := range s.items {
			in, err := l.mediaInput(m, series.ID, meetings)
			if err != nil {
				return err
			}
			if in.EventID != nil {
				if in.AgendaItemID, err = agendaItem(*in.EventID, m.agenda); err != nil {
					return err
				}
			}
			if _, err := l.s.Media.CreateItem(ctx, in); err != nil {
				return fmt.Errorf("demo: media item %q: %w", m.title, err)
			}
			l.sum.Media++
		}
	}
	return nil
}

// mediaInput turns an entry of the page into the store's input.
func (l *loader) mediaInput(m mediaItem, seriesID int64, meetings map[string]int64) (media.Input, error) {
	kind := m.kind
	if kind == "" {
		kind = media.Video
	}
	visibility := media.Public
	if m.participants {
		visibility = media.Participants
	}
	speakers := make([]media.SpeakerInput, len(m.speakers))
	for i, sp := range m.speakers {
		speakers[i] = media.SpeakerInput{Name: sp.name, Role: sp.role}
		if sp.municipality != "" {
			if _, ok := l.ids[sp.municipality]; !ok {
				return media.Input{}, fmt.Errorf("demo: media item %q: municipality %q is not in the demo list", m.title, sp.municipality)
			}
			speakers[i].MunicipalityID = l.id(sp.municipality)
		}
	}
	topics := m.topics
	in := media.Input{
		SeriesID:    &seriesID,
		Kind:        &kind,
		Title:       ptr(m.title),
		Description: ptr(m.text),
		RecordedOn:  ptr(m.date),
		Duration:    ptr(m.length),
		URL:         ptr(mediaHost + m.path),
		Credits:     ptr(m.credits),
		Visibility:  &visibility,
		Speakers:    &speakers,
		Topics:      &topics,
	}
	if m.meeting != "" {
		id, ok := meetings[m.meeting]
		if !ok {
			return in, fmt.Errorf("demo: media item %q: no demo meeting %q", m.title, m.meeting)
		}
		in.EventID = &id
	}
	if m.transcribed {
		sec, err := media.ParseDuration(m.length)
		if err != nil {
			return in, fmt.Errorf("demo: media item %q: %w", m.title, err)
		}
		in.Transcript = ptr(transcriptNote + "\n\n" + m.text)
		in.Captions = ptr(captionsFrom(m.text, time.Duration(sec)*time.Second))
	}
	return in, nil
}

// The demo has no recordings, so no words spoken in them: its
// transcripts and captions repeat the page's description of the item and
// say so, rather than put words in a real person's mouth.
const (
	transcriptNote = "[Demodaten: Dieses Transkript gibt die Beschreibung des Mediums wieder, nicht den gesprochenen Wortlaut.]"
	captionsNote   = "[Demodaten: Untertitel aus der Beschreibung, nicht der gesprochene Wortlaut]"
)

// captionLength bounds the text of one cue, about two short lines.
const captionLength = 70

// cueText escapes what WebVTT reads as markup.
var cueText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// captionsFrom writes text as WebVTT cues spread evenly over the
// duration, after a first cue with the note that they are demo data.
func captionsFrom(text string, duration time.Duration) string {
	chunks := captionChunks(text)
	var b strings.Builder
	b.WriteString("WEBVTT\n\nNOTE Demodaten: die Beschreibung des Mediums als Untertitel, kein Wortlaut der Aufnahme.\n")
	cue := func(n int, from, to time.Duration, s string) {
		fmt.Fprintf(&b, "\n%d\n%s --> %s\n%s\n", n, vttTime(from), vttTime(to), s)
	}
	const first = 4 * time.Second
	cue(1, 0, first, captionsNote)
	step := (duration - first) / time.Duration(len(chunks))
	for i, c := range chunks {
		from := first + time.Duration(i)*step
		show := min(step, 2*time.Second+time.Duration(len([]rune(c)))*70*time.Millisecond) // reading time
		cue(i+2, from, from+show, cueText.Replace(c))
	}
	return b.String()
}

// captionChunks splits text into pieces of at most captionLength
// characters at word boundaries, ending a piece after a sentence where
// it has a third of that length.
func captionChunks(text string) []string {
	var out []string
	var cur []string
	n := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur, n = nil, 0
		}
	}
	for _, w := range strings.Fields(text) {
		l := len([]rune(w))
		if n > 0 && n+1+l > captionLength {
			flush()
		}
		cur = append(cur, w)
		n += l + 1
		if strings.ContainsAny(w[len(w)-1:], ".?!") && n >= captionLength/3 {
			flush()
		}
	}
	flush()
	return out
}

// vttTime writes a WebVTT timestamp, 01:02:03.450.
func vttTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}
