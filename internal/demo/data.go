package demo

import (
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
)

// Organiser and co-organisers as they appear on the meetings.
const (
	organiserISA = "Institut für Soziale Arbeit e.V. (ISA)"
	coLVR        = "LVR-Landesjugendamt Rheinland (Koordinationsstelle Kinderarmut)"
	coLWL        = "LWL-Landesjugendamt Westfalen"
)

// Names of the organisations, also used for registrations.
const (
	orgMKFFI = "Ministerium für Kinder, Familie, Flüchtlinge und Integration NRW (MKFFI)"
	orgLVR   = "LVR-Landesjugendamt Rheinland"
	orgLWL   = "LWL-Landesjugendamt Westfalen"
)

type body struct {
	Name string
	Kind municipality.Kind
}

// bodies are the municipalities named in the sources (DOMAIN.md): the 18
// model municipalities of 2012, the 11 named among the 22 that joined in
// 2017, Essen and Monheim am Rhein; then three organisations.
var bodies = []body{
	// Modellkommunen 2012
	{"Stadt Arnsberg", municipality.Stadt},
	{"Stadt Bielefeld", municipality.Stadt},
	{"Stadt Dormagen", municipality.Stadt},
	{"Stadt Dortmund", municipality.Stadt},
	{"Stadt Duisburg", municipality.Stadt},
	{"Stadt Düsseldorf", municipality.Stadt},
	{"Stadt Gelsenkirchen", municipality.Stadt},
	{"Stadt Gladbeck", municipality.Stadt},
	{"Stadt Hamm", municipality.Stadt},
	{"Stadt Moers", municipality.Stadt},
	{"Stadt Mönchengladbach", municipality.Stadt},
	{"Stadt Münster", municipality.Stadt},
	{"Stadt Oberhausen", municipality.Stadt},
	{"Stadt Witten", municipality.Stadt},
	{"Stadt Wuppertal", municipality.Stadt},
	{"Kreis Düren", municipality.Kreis},
	{"Kreis Unna", municipality.Kreis},
	{"Kreis Warendorf", municipality.Kreis},
	// named among the Kommunen that joined in 2017
	{"Stadt Bochum", municipality.Stadt},
	{"Stadt Bottrop", municipality.Stadt},
	{"Stadt Herne", municipality.Stadt},
	{"Stadt Mülheim an der Ruhr", municipality.Stadt},
	{"Stadt Dinslaken", municipality.Stadt},
	{"Kreis Recklinghausen", municipality.Kreis},
	{"Stadt Ahlen", municipality.Stadt},
	{"Kreis Coesfeld", municipality.Kreis},
	{"Stadt Neuss", municipality.Stadt},
	{"Stadt Köln", municipality.Stadt},
	{"Stadt Krefeld", municipality.Stadt},
	// others named in the sources
	{"Stadt Essen", municipality.Stadt},
	{"Stadt Monheim am Rhein", municipality.Stadt},
	// organisations
	{orgMKFFI, municipality.Organisation},
	{orgLVR, municipality.Organisation},
	{orgLWL, municipality.Organisation},
}

// meeting is a past meeting of the archive. Fields the sources do not give
// stay empty. Every meeting needs a capacity and times to pass the event
// rules; the sources give neither except "ca. 70 Teilnehmende" for some, so
// all use 70 and the store's default times. Teaser shortens the report's
// opening on the programme's archive page; meetings without one there get
// no documentation.
type meeting struct {
	Kind         event.Kind
	Number       int
	Title        string
	Motto        string
	Days         []string
	VenueName    string
	VenueCity    string
	Host         string // municipality welcoming the meeting, where a source says so
	CoOrganisers string
	Announcement string
	Teaser       string
}

var pastMeetings = []meeting{
	{
		// The source says "am 4. Dezember" without a year; 2014 follows from
		// the order of the meetings (the 11th was on 3 March 2015).
		Kind: event.Lernnetzwerktreffen, Number: 10,
		Motto: "Die Übertragung Guter Praxis erleichtern",
		Days:  []string{"2014-12-04"}, VenueCity: "Dortmund",
		Announcement: "Wie lässt sich gute Praxis aus einer Kommune in eine andere übertragen? " +
			"Beim 10. Lernnetzwerktreffen in Dortmund stellt die Landeskoordinierungsstelle ein Online-Tool und erste Ansätze eines Kontextmodells vor. " +
			"Gemeinsam mit den 18 Modellkommunen prüfen wir, wie beides den gezielten Transfer von Praxiselementen unterstützen kann.",
		Teaser: "Beim 10. Lernnetzwerktreffen am 4. Dezember in Dortmund wurden ein Online-Tool und erste Ansätze eines Kontextmodells vorgestellt. " +
			"Die Instrumente sollen die 18 Modellkommunen von „Kein Kind zurücklassen!“ im Rahmen eines strukturierten Begleitprozesses bei der zielgerichteten Übertragung guter Praxiselemente unterstützen.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 11,
		Motto: "Wir wollen alle an einem Strang ziehen",
		Days:  []string{"2015-03-03"}, VenueCity: "Unna", Host: "Kreis Unna",
		Announcement: "Die Modellkommunen stellen Lücken in ihren Präventionsketten vor und holen sich fachlichen Rat aus den anderen Kommunen. " +
			"Es geht um Verantwortungsgemeinschaften zwischen Bildung und Kommune, um den Übergang von der Förderschule in den Beruf und um die Unterstützung Alleinerziehender. " +
			"Gastgeber ist der Kreis Unna.",
		Teaser: "Wie bilde ich Verantwortungsgemeinschaften zwischen Bildung und Kommune? Wo helfe ich am Übergang von der Förderschule in den Beruf? Wie unterstütze ich sinnvoll alleinerziehende Mütter? " +
			"Diese Fragen diskutierten die 18 Modellkommunen am 3. März 2015 in Unna: Sie stellten Lücken in ihrer Präventionskette vor und fragten andere Kommunen um fachlichen Rat. " +
			"Elke Middendorf, stellvertretende Landrätin des Kreises Unna, eröffnete das Treffen: „Die Kinder sind die schwächsten Glieder in der Kette und darum sollten wir uns kümmern!“",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 15,
		Motto: "Armutssensibilität, Gesundheit, Zugänge, Schule",
		Days:  []string{"2016-11-24"}, VenueCity: "Gelsenkirchen",
		Announcement: "Welche Rolle übernehmen die bisherigen Modellkommunen, wenn die Landesinitiative in ganz Nordrhein-Westfalen umgesetzt wird? " +
			"Das 15. Lernnetzwerktreffen fragt nach den zentralen Themen für die Weiterentwicklung der Präventionsketten in den nächsten Jahren. " +
			"Diskutiert werden Thesen zu Armutssensibilität, Gesundheit, Zugängen zu Leistungen und zur Einbindung der Schule.",
		Teaser: "Welche Rolle nehmen die bisherigen Modellkommunen während der landesweiten Umsetzung von „Kein Kind zurücklassen! Für ganz Nordrhein-Westfalen“ ein, und was sind die zentralen Themen für die Weiterentwicklung der Präventionskette? " +
			"Damit beschäftigte sich das Lernnetzwerktreffen am 24. November 2016 in Gelsenkirchen. " +
			"Die Teilnehmenden diskutierten Thesen und Fragestellungen aus den Bereichen Armutssensibilität, Gesundheit, Zugänge zu Leistungen und Einbezug der Schule in die Präventionskette.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 16,
		Motto: "Das Lernnetzwerk wächst (zusammen)",
		Days:  []string{"2017-04-03"}, VenueName: "Wissenschaftspark Gelsenkirchen", VenueCity: "Gelsenkirchen",
		Announcement: "Zum ersten Mal kommen die 18 bisherigen Modellkommunen und die 22 neuen Kommunen der Landesinitiative „Kein Kind zurücklassen! Für ganz Nordrhein-Westfalen“ im Lernnetzwerk zusammen. " +
			"Nach dem Grußwort aus dem Familienministerium geht es um ungleiche Kindheiten und die Frage, was eine gelungene Kindheit ausmacht. " +
			"Die Koordinationsstelle Kinderarmut des LVR berichtet über die Zusammenarbeit mit ihrem Programm gegen Kinderarmut.",
		Teaser: "Unter dem Motto „Das Lernnetzwerk wächst (zusammen)“ fand am 3. April 2017 im Wissenschaftspark Gelsenkirchen das erste gemeinsame Lernnetzwerktreffen der nun 40 neuen und alten Kommunen der Landesinitiative „Kein Kind zurücklassen! Für ganz Nordrhein-Westfalen“ statt. " +
			"Familienstaatssekretär Bernd Neuendorf begrüßte die 22 neuen Kommunen: „Sie haben sich entschlossen, Routinen zu verändern und über Ressortgrenzen hinauszudenken.“",
	},
	{
		Kind: event.Fruehjahrsakademie,
		Days: []string{"2017-05-11", "2017-05-12"}, VenueCity: "Duisburg", CoOrganisers: coLVR,
		Announcement: "Auch in diesem Jahr lädt die Landeskoordinierungsstelle gemeinsam mit der Koordinationsstelle Kinderarmut des LVR-Landesjugendamts Rheinland zur Frühjahrsakademie ein. " +
			"Zwei Tage lang tauschen sich die Kommunen beider Programme über den Auf- und Ausbau ihrer Präventionsketten aus. " +
			"Fachvorträge und Arbeitsgruppen wechseln sich ab.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 17,
		Motto: "Wir wollen die Prävention stärken!",
		Days:  []string{"2017-09-13"}, VenueCity: "Köln", Host: "Stadt Köln",
		Announcement: "Die Vertreterinnen und Vertreter der 40 Programmkommunen und weitere Akteure der kommunalen Präventionsketten treffen sich zum 17. Lernnetzwerktreffen in Köln. " +
			"Am Vormittag geben Kommunen Einblick in ihre Koordinationsarbeit, ein Input fragt nach dem Engagement von Unternehmen und Bürgerschaft für die Prävention. " +
			"Am Nachmittag arbeiten vier parallele Arbeitsgruppen zu Steuerung, Zugängen, Lotsenmodellen und Bildungsübergängen.",
		Teaser: "Am 13. September 2017 kamen an einem recht stürmischen Tag die Vertreterinnen und Vertreter der 40 Programmkommunen sowie weitere Akteure der kommunalen Präventionsketten zum 17. Lernnetzwerktreffen zusammen. " +
			"Nach den Landtagswahlen hatten Unsicherheiten bestanden, wie es mit der Landesinitiative weitergehen würde; Ilona Heuchel (ISA) betonte in ihrer Begrüßung: „Der Stellenwert präventiver Arbeit ist unbestritten hoch.“ " +
			"Mitte Juli kam die Nachricht, dass die Landesinitiative evaluiert und zunächst bis Ende 2018 fortgeführt wird.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 18,
		Motto: "Das Bundespräventionsgesetz als Chance",
		Days:  []string{"2017-11-29"}, VenueCity: "Herne", Host: "Stadt Herne",
		Announcement: "Die Koordinatorinnen und Koordinatoren der 40 Kommunen treffen sich auf Einladung der Landeskoordinierungsstelle in Herne. " +
			"Im Mittelpunkt steht das Bundespräventionsgesetz als Werkzeug beim Aufbau von Präventionsketten – im besten Fall getragen von einer Zusammenarbeit über die Grenzen der Sektoren hinweg.",
		Teaser: "Zum 18. Lernnetzwerktreffen trafen sich die Koordinatorinnen und Koordinatoren der 40 teilnehmenden Kommunen am 29. November 2017 in Herne. " +
			"Dr. Annette Frenzke-Kulbach, Fachbereichsleiterin Kinder-Jugend-Familie, stellte die verlässliche und vertrauensvolle Zusammenarbeit als Gelingensbedingung heraus. " +
			"Am Vormittag ging es um das Bundespräventionsgesetz als Gestaltungswerkzeug beim Aufbau von Präventionsketten im kommunalen Setting.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 19,
		Motto: "Sind Sie bereit partizipativ zu arbeiten?",
		Days:  []string{"2018-03-07"}, VenueCity: "Düsseldorf",
		Announcement: "Das 19. Lernnetzwerktreffen steht im Zeichen der Partizipation. " +
			"Prävention ist Chefsache – bei der Planung der Angebote braucht es aber auch das Wissen der Fachkräfte und die Sicht der Familien. " +
			"Wir fragen, wie sich strategische Steuerung und beteiligungsorientierte Angebotsplanung zusammenbringen lassen.",
		Teaser: "Das 19. Lernnetzwerktreffen am 7. März 2018 stand unter dem Motto „Partizipation“. " +
			"Ilona Heuchel (ISA) führte in den Tag ein: Eine der großen Herausforderungen sei es, die Top-Down-Strategien der kommunalen Verwaltung mit beteiligungsorientierter Angebotsplanung zusammenzubringen. " +
			"Prävention sei zunächst „Chef_innensache“; bei der Umsetzung gelte es aber, auch das Wissen der Fachkräfte und die Bedarfe der Adressaten einzubeziehen.",
	},
	{
		// The sources give the year, the city and "zweitägig", not the
		// dates: these two days in May are a plausible choice for the demo.
		Kind:  event.Fruehjahrsakademie,
		Motto: "Wir brauchen Daten und Taten",
		Days:  []string{"2018-05-17", "2018-05-18"}, VenueCity: "Oberhausen", Host: "Stadt Oberhausen", CoOrganisers: coLVR,
		Announcement: "Zum fünften Mal laden die Koordinationsstelle Kinderarmut des LVR-Landesjugendamts Rheinland und die Landeskoordinierungsstelle „Kommunale Präventionsketten NRW“ zur zweitägigen Frühjahrsakademie ein. " +
			"Diesmal steht die räumliche Dimension im Blick: Wie greifen Stadtentwicklung und Sozialpolitik in der Präventionskette ineinander? " +
			"Gastgeberin ist die Stadt Oberhausen.",
		Teaser: "„Wir brauchen Daten und Taten“ – so begrüßte Ralf Güldenzopf, Dezernent für Strategische Planung der Stadt Oberhausen, die etwa 70 Teilnehmenden der Frühjahrsakademie 2018 zum Thema „Stadtentwicklung und Sozialpolitik im Blick der Präventionskette“. " +
			"Zum fünften Mal luden die Koordinationsstelle Kinderarmut des LVR-Landesjugendamts Rheinland und die Landeskoordinierungsstelle „Kommunale Präventionsketten NRW“ zu der zweitägigen Tagung ein, die diesmal die räumliche Dimension in den Blick nahm.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 20,
		Motto: "Arbeits- und Sozialverwaltung als Teil der kommunalen Präventionskette",
		Days:  []string{"2018-09-04"}, VenueCity: "Essen",
		Announcement: "Das 20. Lernnetzwerktreffen nimmt die Arbeits- und Sozialverwaltung in den Blick, vor allem das Handeln der Fachkräfte im Kontakt mit Familien. " +
			"Welchen Handlungslogiken folgen Jobcenter und Sozialämter, und wie werden sie Teil einer kommunal koordinierten Präventionskette? " +
			"Vorträge aus der Wissenschaft eröffnen den Austausch über rechtskreisübergreifende Zusammenarbeit.",
		Teaser: "Beim 20. Lernnetzwerktreffen am 4. September 2018 stand die Integration von Arbeits- und Sozialverwaltung in die kommunal koordinierten Präventionsketten im Fokus, vor allem das Handeln der Fachkräfte im „Kundenkontakt“. " +
			"Ziel war, das Verständnis dafür zu stärken, welchen Handlungslogiken die zumeist eher als „Durchgriffsbehörden“ wahrgenommenen Arbeits- und Sozialverwaltungen folgen.",
	},
	{
		// One source page dates this meeting 2019; the report of the
		// meeting itself and the other pages say 29–30 November 2018.
		Kind: event.Lernnetzwerktreffen, Number: 21,
		Title: "Bedingungen gelingenden Aufwachsens",
		Motto: "Die Präventionsketten sind länger geworden",
		Days:  []string{"2018-11-29", "2018-11-30"}, VenueCity: "Wuppertal",
		Announcement: "Zwei Tage in Wuppertal: Die Vertreterinnen und Vertreter der 40 Projektkommunen ziehen Bilanz aus den bisherigen Förderphasen. " +
			"Die Ergebnisse der Evaluation zeigen, wo die Abstimmung der Präventionsangebote besser geworden ist und wo es noch hakt. " +
			"Dazu kommen Vorträge aus Wissenschaft und Praxis und viel Zeit für den Austausch.",
		Teaser: "„Bedingungen gelingenden Aufwachsens“ war der Titel des 21. Lernnetzwerktreffens des Landesprogramms „Kommunale Präventionsketten NRW“. " +
			"Am 29. und 30. November 2018 tauschten sich die Vertreterinnen und Vertreter der 40 Projektkommunen in Wuppertal über die Erfahrungen aus den bisherigen Förderphasen aus. " +
			"Ilona Heuchel, geschäftsführender Vorstand des ISA, begrüßte die rund 70 Teilnehmenden und führte durch die Veranstaltung.",
	},
	{
		Kind: event.Lernnetzwerktreffen, Number: 22,
		Motto: "Soziale Ausschlüsse",
		Days:  []string{"2019-05-22"}, VenueCity: "Gelsenkirchen",
		Announcement: "Soziale Ausschlüsse verstehen und überwinden – darum geht es beim 22. Lernnetzwerktreffen in Gelsenkirchen. " +
			"Ein Vortrag beleuchtet Segregation und ihre Ursachen. " +
			"In Gruppenarbeiten schauen die Kommunen anschließend auf die Architektur ihrer eigenen Arbeitsstrukturen.",
	},
	{
		// The sources name no place for the 24th meeting.
		Kind: event.Lernnetzwerktreffen, Number: 24,
		Motto: "Vertrauen, Solidarität und Wohlbefinden",
		Days:  []string{"2019-10-30"},
		Announcement: "Welche Möglichkeiten präventiven Handelns gibt es, um unser Zusammenleben zu fördern? " +
			"Das 24. Lernnetzwerktreffen widmet sich Vertrauen, Solidarität und Wohlbefinden als Grundlagen gelingenden Aufwachsens. " +
			"Ein wissenschaftlicher Vortrag eröffnet den Austausch der Kommunen.",
	},
	{
		// The sources give no number for this meeting.
		Kind:  event.Lernnetzwerktreffen,
		Title: "Lernnetzwerktreffen in Neuss",
		Motto: "Netzwerken ist kein Luxus",
		Days:  []string{"2022-11-15"}, VenueCity: "Neuss",
		Announcement: "Endlich wieder in Präsenz: Die Kommunen des Landesprogramms „kinderstark – NRW schafft Chancen“ treffen sich in Neuss. " +
			"Im Mittelpunkt steht das Netzwerken selbst – eine Keynote über Teams und Motivation und ein Fachimpuls der Servicestelle Prävention geben Anstöße. " +
			"Danach ist Zeit, alte Kontakte aufzufrischen und neue zu knüpfen.",
	},
}

// workingGroups are the four afternoon groups of the 17. Lernnetzwerktreffen,
// on which the upcoming meeting is modelled.
var workingGroups = []string{
	"Kommunale Steuerung in der Präventionskette",
	"Zugänge erleichtern – Ankerpunkte im Sozialraum nutzen",
	"Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette",
	"(Bildungs-)Übergänge fließend gestalten",
}

type person struct {
	Salutation, Title, First, Last string
}

// delegation is the people one municipality sends to the upcoming
// Lernnetzwerktreffen; the first is the municipality's coordinator.
type delegation struct {
	Municipality string
	People       []person
}

// functions by position in a delegation.
var functions = []string{
	"Kommunale Koordination Präventionskette",
	"Jugendamt – Jugendhilfeplanung",
	"Gesundheitsamt",
	"Schulverwaltungsamt",
	"Jobcenter",
}

// delegations send 46 people from 20 municipalities; the three that send
// five exceed the quota of four, so their fifth goes on the waiting list.
var delegations = []delegation{
	{"Stadt Köln", []person{
		{"Frau", "", "Sabine", "Weiß"}, {"Herr", "", "Jürgen", "Schäfer"}, {"Frau", "Dr.", "Katrin", "Großmann"},
		{"Herr", "", "Mehmet", "Demir"}, {"Frau", "", "Petra", "Lübke"},
	}},
	{"Stadt Dortmund", []person{
		{"Frau", "", "Özlem", "Yılmaz"}, {"Herr", "", "Thomas", "Müller"}, {"Frau", "", "Anja", "Köhler"},
		{"Herr", "", "Frank", "Hüsken"}, {"Frau", "", "Birgit", "Jäger"},
	}},
	{"Stadt Gelsenkirchen", []person{
		{"Herr", "", "Łukasz", "Nowak"}, {"Frau", "", "Martina", "Hoffmann"}, {"Herr", "", "Stefan", "Becker"},
		{"Frau", "", "Aylin", "Kaya"}, {"Herr", "", "Markus", "Fuß"},
	}},
	{"Stadt Bielefeld", []person{
		{"Frau", "", "Julia", "Krämer"}, {"Herr", "", "Michael", "Schröder"}, {"Frau", "", "Stefanie", "Wagner"},
	}},
	{"Kreis Unna", []person{
		{"Herr", "", "Andreas", "Wöstmann"}, {"Frau", "", "Claudia", "Peters"}, {"Herr", "", "Christian", "Böhm"},
	}},
	{"Stadt Münster", []person{
		{"Frau", "", "Nicole", "Schmitz"}, {"Herr", "", "Dirk", "Brüggemann"}, {"Frau", "", "Melanie", "Strauß"},
	}},
	{"Stadt Ahlen", []person{{"Frau", "", "Kerstin", "Görtz"}, {"Herr", "", "Daniel", "Hölscher"}}},
	{"Kreis Coesfeld", []person{{"Herr", "", "Ralf", "Overbeck"}, {"Frau", "", "Sandra", "Tönnies"}}},
	{"Stadt Neuss", []person{{"Frau", "Dr.", "Ines", "Böckmann"}, {"Herr", "", "Tobias", "Klein"}}},
	{"Kreis Düren", []person{{"Herr", "", "Uwe", "Lambertz"}, {"Frau", "", "Lena", "Schulte"}}},
	{"Stadt Herne", []person{{"Frau", "", "Agnieszka", "Wiśniewska"}, {"Herr", "", "Marco", "Rüther"}}},
	{"Kreis Warendorf", []person{{"Herr", "", "Hendrik", "Vogt"}, {"Frau", "", "Heike", "Dreßen"}}},
	{"Stadt Wuppertal", []person{{"Herr", "", "Yusuf", "Arslan"}, {"Frau", "", "Miriam", "Kühn"}}},
	{"Stadt Mülheim an der Ruhr", []person{{"Herr", "", "Georg", "Pütz"}, {"Frau", "", "Elif", "Şahin"}}},
	{"Stadt Dinslaken", []person{{"Herr", "", "Bernd", "Kötter"}}},
	{"Stadt Krefeld", []person{{"Frau", "", "Tanja", "Meißner"}}},
	{"Kreis Recklinghausen", []person{{"Herr", "", "Jan", "Wessels"}}},
	{"Stadt Essen", []person{{"Frau", "", "Susanne", "Bäcker"}}},
	{"Stadt Monheim am Rhein", []person{{"Herr", "", "Sebastian", "Möller"}}},
	{"Stadt Hamm", []person{{"Frau", "", "Ursula", "Heßling"}}},
}

// ministryGuest registers with an organisation instead of a municipality.
var ministryGuest = person{"Herr", "Dr.", "Matthias", "Engelhardt"}

// academyGuests come to the Frühjahrsakademie from the Landesjugendämter.
var academyGuests = []struct {
	Org      string
	Function string
	person
}{
	{orgLVR, "Koordinationsstelle Kinderarmut", person{"Frau", "Dr.", "Gabriele", "Rösler"}},
	{orgLVR, "Koordinationsstelle Kinderarmut", person{"Herr", "", "Klaus", "Dörr"}},
	{orgLWL, "Fachberatung Jugendhilfeplanung", person{"Frau", "", "Hannah", "Große-Wöstmann"}},
}

// pastDays parses the literal dates of the archive.
func pastDays(ss []string) day.List {
	l := make(day.List, len(ss))
	for i, s := range ss {
		l[i] = day.MustParse(s)
	}
	return l
}
