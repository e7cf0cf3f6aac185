package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// teaser publishes a past meeting's documentation with the teaser of the
// programme's archive page; meetings without one get none.
func (l *loader) teaser(ctx context.Context, e event.Event, teaser string) error {
	if l.s.Archive == nil || teaser == "" {
		return nil
	}
	if _, err := l.s.Archive.SaveDocumentation(ctx, e.ID, archive.Input{Teaser: &teaser, Published: ptr(true)}, l.now); err != nil {
		return fmt.Errorf("demo: documentation of %s: %w", e.Name(), err)
	}
	l.sum.Documentations++
	return nil
}

// report17 is the online documentation of the 17. Lernnetzwerktreffen as
// published by the Landeskoordinierungsstelle; presentations and photos
// are its materials. Its videos are in the Mediathek (media.go), tied to
// the meeting and its programme items: one entry, not a copy in each.
const report17 = `Am Mittwoch, den 13.09. kamen an einem recht stürmischen Tag die Vertreterinnen und Vertreter der 40 Programmkommunen sowie weitere Akteure der kommunalen Präventionsketten zum nunmehr 17. „Lernnetzwerktreffen“ zusammen. Im übertragenen Sinne „stürmisch“ war auch der Frühsommer, da nach den Landtagswahlen einige Unsicherheiten darüber bestanden, wie es mit der Landesinitiative weitergehen würde. Ilona Heuchel, geschäftsführender Vorstand des Instituts für Soziale Arbeit (ISA), betonte in ihrer Begrüßung jedoch: „Der Stellenwert präventiver Arbeit ist unbestritten hoch. Viele Kinder und Jugendliche benötigen weiterhin unsere gemeinsamen Anstrengungen, frühzeitig die Weichen für nötige Unterstützung zu stellen.“ Dementsprechend positiv nahmen Mitte Juli alle Beteiligten die Nachricht auf, dass die Landesinitiative nun evaluiert und zunächst bis Ende 2018 fortgeführt werden soll.

## Grußworte aus Köln und dem Ministerium

Dr. Ralf Heinen, Bürgermeister der Stadt Köln, begrüßte die Anwesenden herzlich in der Stadt „der tausend Gesichter“. Er stellte heraus, dass die Arbeit an der Präventionskette in Köln ein wichtiger Baustein des gesamtstädtischen „Reformvorhabens“ sei, bei dem unter anderem „eine Neuorientierung und Neustrukturierung der Hilfesysteme im Ganzen“ auf der Agenda stehe.

> Wir brauchen ein koordiniertes Zusammenspiel von Jugend, Bildung, Gesundheit und Stadtentwicklung.

Bei dem Aufbau einer Präventionskette „handle es sich nicht um eine einmalige Aktion“, sondern um einen mittelfristigen Prozess, der „einen partei- und trägerübergreifenden Konsens erfordere“. Daher begrüße die Stadt Köln besonders die „Weiterführung der beratenden und fachbegleitenden Tätigkeiten des Landes zum Aufbau kommunaler Präventionsketten durch das Institut für soziale Arbeit“. Eine Präventionskette sei eben so facettenreich wie die Gesellschaft, in der sie Wirkung zeigen soll.

Staatssekretär Andreas Bothe, der seine Teilnahme aufgrund einer Sondersitzung zur ersten Regierungserklärung der neuen Landesregierung leider kurzfristig absagen musste, ließ es sich jedoch nicht nehmen, den Teilnehmenden des Lernnetzwerks eine Videobotschaft zukommen zu lassen. Hierin betonte er, dass „beste Zukunftschancen für alle Kinder – unabhängig von der sozialen Herkunft“ selbstverständlich auch das Ziel dieser Landesregierung seien.

> Wir wollen die Prävention stärken, hin zu einer flächendeckenden Verbesserung der Zukunftschancen von Kindern.

Der Staatssekretär bestätigte den vorzeitigen Maßnahmenbeginn und die Fortführung des Programms bis zunächst Ende 2018.

Als weitere Vertreterin des Ministeriums für Kinder, Familie, Flüchtlinge und Integration (MKFFI) des Landes Nordrhein-Westfalen war u. a. die Leiterin des Referats 324, Gudrun Schmidt, anwesend, die seit Mai 2017 neben den Familienzentren auch für den Bereich „Kommunale Präventionsketten“ im MKFFI zuständig ist. Prävention sei eine der berufsbiografischen Konstanten in ihrem bisherigen Werdegang, resümierte Schmidt. Unter anderem die Familienzentren, einer ihrer langjährigen Arbeitsschwerpunkte, seien ein guter Anknüpfungspunkt für Präventionsangebote vor Ort:

> Familienzentren sind ein kleines Netzwerk im großen Netzwerk der kommunalen Präventionskette.

Die Programmevaluation / Bilanzierung der kommunalen Präventionsketten sieht Frau Schmidt als Gelegenheit, „das Erreichte in den Kommunen zu verdeutlichen und sichtbar zu machen“. Die Evaluation biete zugleich eine Chance für Kommunen und Landesregierung, zukünftige Präventionspolitik auf einer sachlichen Basis zu gestalten.

## Einblicke aus Dinslaken und Ahlen

Im Anschluss gaben zwei Kommunen (Dinslaken & Ahlen) Einblick in ihre bisherige Koordinationsarbeit der Präventionsketten vor Ort. Sie lieferten praxisnahe Beispiele und gaben ein ebenso authentisches wie anschauliches Bild ihrer Situation in der jeweiligen Kommune. So unterschiedlich die Ausgangsbedingungen auch seien, es ließen sich dennoch übertragbare Praxisbeispiele und Handlungsstrategien ausmachen. Unabhängig von veränderbaren Titeln gibt es eine gemeinsame Zielrichtung:

> Wie das Kind heißt, ist egal. Hauptsache, wir lassen es nicht zurück!

so Holger Mrosek, Koordinator für Präventionsketten der Stadt Dinslaken. Marina Bänke, seit diesem Jahr Koordinatorin „Kommunale Präventionsketten“ in Ahlen, ergänzte, dass sie „als Vertreterin einer neuen Kommune bereits enorm von den Erfahrungen der Modellkommunen und der Beratung durch die Landeskoordinierungsstelle profitieren konnte“.

## Engagement von Unternehmen und Bürgerschaft

Markus Schön, Fachbereichsleiter Jugendhilfe und Beschäftigungsförderung der Stadt Krefeld, hielt einen Input zum Thema „Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen“, in dem er unter anderem auf seine vielfältigen Erfahrungen als stellvertretender Jugendamtsleiter der Stadt München zurückgreifen konnte. Er zeigte Möglichkeiten und Grenzen des bürgerschaftlichen bzw. unternehmerischen Engagements auf und wie sie sich sinnvoll in die Präventionsarbeit einbinden lassen. Dazu bedürfe es vor allem personeller Ressourcen innerhalb der Verwaltung, um zum Beispiel Sach- und Geldspenden angemessen zu koordinieren und einem sinnvollen Zweck zuzuführen.

## Kleinräumiges Monitoring

Am Nachmittag erläuterten Norbert Wörmann, Leiter der Fachstelle für sozialraumorientierte Armutsbekämpfung (FSA), und Dr. Heinz-Jürgen Stolz von der Landeskoordinierungsstelle „Kommunale Präventionsketten“ ihren kooperativen Ansatz zur Umsetzung eines „kleinräumigen Monitorings als Grundlage wissensbasierten Planens und Handelns“, welches nun schrittweise in den Kommunen umgesetzt werden soll.

## Arbeitsgruppen

Im Anschluss fanden vier Arbeitsgruppen zum interkommunalen Austausch statt, die sich jeweils einem der folgenden Themen widmeten. Hierzu gab es jeweils Inputs aus den Kommunen sowie Raum für Anregungen und Rückfragen.

- Kommunale Steuerung in der Präventionskette
- Zugänge erleichtern – Ankerpunkte im Sozialraum nutzen
- Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette
- (Bildungs-)Übergänge fließend gestalten`

// meeting17 names the meeting on the placeholder presentations.
const meeting17 = "17. Lernnetzwerktreffen „Wir wollen die Prävention stärken!“ – Köln, 13.09.2017"

// Speakers of the 17th meeting as the documentation names them.
var (
	heuchel  = agenda.Speaker{Name: "Ilona Heuchel", Function: "Geschäftsführender Vorstand", Organisation: "Institut für Soziale Arbeit e.V. (ISA)"}
	heinen   = agenda.Speaker{Name: "Ralf Heinen", Title: "Dr.", Function: "Bürgermeister", Organisation: "Stadt Köln"}
	bothe    = agenda.Speaker{Name: "Andreas Bothe", Function: "Staatssekretär", Organisation: orgMKFFI}
	schmidt  = agenda.Speaker{Name: "Gudrun Schmidt", Function: "Leiterin des Referats 324", Organisation: orgMKFFI}
	mrosek   = agenda.Speaker{Name: "Holger Mrosek", Function: "Koordinator für Präventionsketten", Organisation: "Stadt Dinslaken"}
	baenke   = agenda.Speaker{Name: "Marina Bänke", Function: "Koordinatorin „Kommunale Präventionsketten“", Organisation: "Stadt Ahlen"}
	schoen   = agenda.Speaker{Name: "Markus Schön", Function: "Fachbereichsleiter Jugendhilfe und Beschäftigungsförderung", Organisation: "Stadt Krefeld"}
	woermann = agenda.Speaker{Name: "Norbert Wörmann", Function: "Leiter der Fachstelle für sozialraumorientierte Armutsbekämpfung (FSA)"}
	stolz    = agenda.Speaker{Name: "Heinz-Jürgen Stolz", Title: "Dr.", Organisation: "Landeskoordinierungsstelle „Kommunale Präventionsketten“"}
)

// programme17 is the programme of the 17th meeting in the order of the
// documentation. The documentation gives no times: these are chosen for
// the demo, within the meeting's default hours 10:00–16:00.
var programme17 = []programmeItem{
	{0, "10:00", "10:15", agenda.Welcome, "Begrüßung", "", "", []agenda.Speaker{heuchel}, false},
	{0, "10:15", "10:30", agenda.Address, "Grußwort der Stadt Köln", "", "", []agenda.Speaker{heinen}, false},
	{0, "10:30", "10:40", agenda.Address, "Grußwort (Videobotschaft)", "", "", []agenda.Speaker{bothe}, false},
	{0, "10:40", "11:00", agenda.Address, "Grußwort des Ministeriums", "", "", []agenda.Speaker{schmidt}, false},
	{0, "11:00", "11:15", agenda.Break, "Kaffeepause", "", "", nil, false},
	{0, "11:15", "11:45", agenda.Practice, "Einblick in die Koordinationsarbeit: Dinslaken", "", "", []agenda.Speaker{mrosek}, false},
	{0, "11:45", "12:15", agenda.Practice, "Einblick in die Koordinationsarbeit: Ahlen", "", "", []agenda.Speaker{baenke}, false},
	{0, "12:15", "13:00", agenda.Talk, "Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen", "", "", []agenda.Speaker{schoen}, false},
	{0, "13:00", "13:45", agenda.Lunch, "Mittagessen", "", "", nil, false},
	{0, "13:45", "14:30", agenda.Talk, "Kleinräumiges Monitoring als Grundlage wissensbasierten Planens und Handelns", "", "", []agenda.Speaker{woermann, stolz}, false},
	{0, "14:30", "16:00", agenda.WorkingGroups, "Arbeitsgruppen zum interkommunalen Austausch", "", "", nil, true},
}

// groups17 are the four working groups of the 17th meeting with the
// inputs from municipalities the documentation lists; the second group
// had none listed. Capacities are chosen for the demo.
var groups17 = []demoGroup{
	{"Kommunale Steuerung in der Präventionskette", "Steuerung", "", 20, [][2]string{
		{"Stadt Ahlen", "Steuerungsstruktur"}, {"Kreis Coesfeld", "Steuerungsstruktur"}, {"Stadt Neuss", "Steuerungsstruktur"}}},
	{"Zugänge erleichtern – Ankerpunkte im Sozialraum nutzen", "Zugänge", "", 20, nil},
	{"Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette", "Lotsenmodelle", "", 20, [][2]string{
		{"Kreis Düren", "Präventionsteam"}, {"Stadt Münster", "Stadtteilkoordinatoren – Lotsensystem"},
		{"Stadt Münster", "Stadtteilkoordinatoren – Frühe Hilfen"}}},
	{"(Bildungs-)Übergänge fließend gestalten", "Bildungsübergänge", "", 20, [][2]string{
		{"Stadt Herne", "Übergangsgestaltung (KiTa–GS / GS–SEK I)"},
		{"Kreis Warendorf", "Übergangsmanagement (Kinder mit besonderem Förderbedarf)"}}},
}

// material17 is a material of the 17th meeting, attached to the programme
// item with the given title or to the working-group input with the given
// title ("" for the meeting as a whole).
type material17 struct {
	kind         archive.Kind
	title        string
	file         string // download name of presentations and photos
	alt          string // photos
	variant      int    // photos: colours and crowd, see placeholderPhoto
	participants bool   // only for participants
	item, input  string
}

// Credit of the placeholder photos: the documentation credits its photo to
// ISA/Martin Scherag; the demo pictures are drawn, so they say so.
const photoCredit = "ISA/Martin Scherag (Platzhalter)"

// materials17 are the presentations the documentation links, and two
// photos; the PDFs and photos are generated.
var materials17 = []material17{
	{kind: archive.Presentation, title: "Präsentation von Holger Mrosek", file: "Praesentation-Mrosek.pdf",
		item: "Einblick in die Koordinationsarbeit: Dinslaken"},
	{kind: archive.Presentation, title: "Präsentation von Markus Schön", file: "Praesentation-Schoen.pdf",
		item: "Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen"},
	{kind: archive.Presentation, title: "Präsentation von H.J. Stolz", file: "Praesentation-Stolz.pdf",
		item: "Kleinräumiges Monitoring als Grundlage wissensbasierten Planens und Handelns"},
	{kind: archive.Presentation, title: "Präsentation von Norbert Wörmann", file: "Praesentation-Woermann.pdf",
		item: "Kleinräumiges Monitoring als Grundlage wissensbasierten Planens und Handelns", participants: true},
	{kind: archive.Presentation, title: "Präsentation Stadt Herne – Übergangsgestaltung (KiTa–GS / GS–SEK I)", file: "Herne-Uebergangsgestaltung.pdf",
		input: "Stadt Herne – Übergangsgestaltung (KiTa–GS / GS–SEK I)"},
	{kind: archive.Photo, title: "Die versammelten Teilnehmenden des 17. Lernnetzwerktreffens (Platzhalterbild)", file: "lnt17-teilnehmende.png",
		alt: "Platzhalterbild der Demodaten: gezeichnete Menschen in Sitzreihen, von hinten gesehen, vor einer Bühne mit einer Leinwand in einem Saal mit warm getönter Wand."},
	{kind: archive.Photo, title: "Im Saal (Platzhalterbild)", file: "lnt17-saal.png", variant: 1,
		alt: "Platzhalterbild der Demodaten: gezeichnete Menschen in Sitzreihen, von hinten gesehen, vor einer Bühne mit einer Leinwand in einem Saal mit hellblauer Wand."},
}

// documentation17 gives the 17. Lernnetzwerktreffen its full online
// documentation: report, programme, working groups with their inputs,
// and materials. The programme and groups need their stores; without the
// archive store nothing happens.
func (l *loader) documentation17(ctx context.Context) error {
	e, ok := l.past[17]
	if !ok || l.s.Archive == nil {
		return nil
	}
	if _, err := l.s.Archive.SaveDocumentation(ctx, e.ID, archive.Input{Report: ptr(report17)}, l.now); err != nil {
		return fmt.Errorf("demo: report of %s: %w", e.Name(), err)
	}
	inputs, err := l.groups17(ctx, e)
	if err != nil {
		return err
	}
	var slot *int64
	if len(inputs) > 0 {
		slot = l.afternoonSlot(ctx, e)
	}
	if err := l.programme(ctx, e, programme17, slot); err != nil {
		return err
	}
	items := map[string]int64{}
	if l.s.Agenda != nil {
		list, err := l.s.Agenda.Items(ctx, e.ID)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		for _, it := range list {
			items[it.Title] = it.ID
		}
	}
	for _, m := range materials17 {
		if err := l.material(ctx, e, m, items, inputs); err != nil {
			return err
		}
	}
	return nil
}

// groups17 creates the working groups of the 17th meeting and returns the
// ids of their inputs by title.
func (l *loader) groups17(ctx context.Context, e event.Event) (map[string]int64, error) {
	if l.s.WorkingGroups == nil {
		return nil, nil
	}
	ids := map[string]int64{}
	for _, g := range groups17 {
		var inputs []workinggroup.InputSpec
		for _, in := range g.inputs {
			if _, ok := l.ids[in[0]]; !ok {
				return nil, fmt.Errorf("demo: working group %q: municipality %q is not in the demo list", g.title, in[0])
			}
			inputs = append(inputs, workinggroup.InputSpec{MunicipalityID: l.id(in[0]), Title: in[0] + " – " + in[1]})
		}
		created, err := l.s.WorkingGroups.CreateGroup(ctx, e, workinggroup.GroupInput{
			Title: ptr(g.title), Theme: ptr(g.theme), Capacity: ptr(g.capacity),
			Day: ptr(e.Days.First()), StartsAt: ptr("14:30"), EndsAt: ptr("16:00"), SlotLabel: ptr("Arbeitsgruppen am Nachmittag"),
			Inputs: &inputs,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: working group %q of %s: %w", g.title, e.Name(), err)
		}
		for _, in := range created.Inputs {
			ids[in.Title] = in.ID
		}
	}
	return ids, nil
}

// material adds one material; one attached to a programme item or input
// that was not created (its store missing) belongs to the whole meeting.
func (l *loader) material(ctx context.Context, e event.Event, m material17, items, inputs map[string]int64) error {
	in := archive.MaterialInput{Kind: ptr(m.kind), Title: ptr(m.title), Visibility: ptr(archive.Public)}
	if m.participants {
		in.Visibility = ptr(archive.Participants)
	}
	if id, ok := items[m.item]; ok && m.item != "" {
		in.AgendaItemID = &id
	}
	if id, ok := inputs[m.input]; ok && m.input != "" {
		in.WorkingGroupInputID = &id
	}
	var data []byte
	var err error
	switch m.kind {
	case archive.Presentation:
		data, err = placeholderPDF(m.title, meeting17)
	case archive.Photo:
		in.AltText, in.Credit = ptr(m.alt), ptr(photoCredit)
		data, err = placeholderPhoto(m.variant)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	var up *archive.Upload
	if data != nil {
		up, err = l.s.Archive.Files().Receive(bytes.NewReader(data), m.file, m.kind)
		if err != nil {
			return fmt.Errorf("demo: file of %q: %w", m.title, err)
		}
	}
	if _, err := l.s.Archive.AddMaterial(ctx, e.ID, in, up, l.now); err != nil {
		return fmt.Errorf("demo: material %q: %w", m.title, err)
	}
	return nil
}
