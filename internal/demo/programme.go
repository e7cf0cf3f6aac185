package demo

import (
	"context"
	"fmt"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/event"
)

// programmeItem is a demo programme entry on the n-th day of a meeting.
// Speakers are invented for the demo; roles follow the seeds (a
// Staatssekretär's Grußwort, inputs from research and municipalities).
type programmeItem struct {
	dayIndex      int
	start, end    string
	kind          agenda.Kind
	title, room   string
	moderation    string
	speakers      []agenda.Speaker
	workingGroups bool // stands for the afternoon working-group slot
}

var meetingProgramme = []programmeItem{
	{0, "10:00", "10:15", agenda.Welcome, "Begrüßung", "Großer Saal", "", []agenda.Speaker{
		{Name: "Dr. Petra Lohmann", Function: "Servicestelle Prävention", Organisation: "Institut für Soziale Arbeit e.V."}}, false},
	{0, "10:15", "10:30", agenda.Address, "Grußwort (Videobotschaft)", "Großer Saal", "", []agenda.Speaker{
		{Name: "Staatssekretärin", Organisation: "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW"}}, false},
	{0, "10:30", "11:15", agenda.Keynote, "Wir wollen die Prävention stärken! Bedingungen gelingenden Aufwachsens", "Großer Saal", "", []agenda.Speaker{
		{Name: "Jürgen Weißenborn", Title: "Prof. Dr.", Function: "Professur für Sozialpolitik", Organisation: "Hochschule Düsseldorf"}}, false},
	{0, "11:15", "11:30", agenda.Break, "Kaffeepause", "Foyer", "", nil, false},
	{0, "11:30", "12:30", agenda.Practice, "Praxisbeispiele aus den Kommunen", "Großer Saal", "Heike Dreßen, ISA", []agenda.Speaker{
		{Name: "Sabine Weiß", Function: "Kommunale Koordination", Organisation: "Stadt Ahlen"},
		{Name: "Łukasz Nowak", Function: "Jugendhilfeplanung", Organisation: "Kreis Coesfeld"}}, false},
	{0, "12:30", "14:00", agenda.Lunch, "Mittagessen", "Foyer", "", nil, false},
	{0, "14:00", "15:45", agenda.WorkingGroups, "Arbeitsgruppen", "", "", nil, true},
	{0, "15:45", "16:30", agenda.Closing, "Ergebnisse aus den Arbeitsgruppen und Ausblick", "Großer Saal", "", []agenda.Speaker{
		{Name: "Dr. Petra Lohmann", Organisation: "Institut für Soziale Arbeit e.V."}}, false},
}

var academyProgramme = []programmeItem{
	{0, "10:00", "10:30", agenda.Welcome, "Begrüßung und Einführung", "Gebläsehalle", "", []agenda.Speaker{
		{Name: "Dr. Petra Lohmann", Organisation: "Institut für Soziale Arbeit e.V."}, {Name: "Klaus Dörr", Organisation: "LVR-Landesjugendamt Rheinland"}}, false},
	{0, "10:30", "12:00", agenda.Impulse, "Wir brauchen Daten und Taten – Sozialberichterstattung für die Stadtentwicklung", "Gebläsehalle", "", []agenda.Speaker{
		{Name: "Özlem Yılmaz", Title: "Dr.", Function: "Sozialplanung", Organisation: "Stadt Gelsenkirchen"}}, false},
	{0, "12:00", "13:00", agenda.Lunch, "Mittagessen", "Foyer", "", nil, false},
	{0, "13:00", "15:30", agenda.Panel, "Salongespräch: Stadtentwicklung und Sozialpolitik zusammen denken", "Gebläsehalle", "Heike Dreßen, ISA", nil, false},
	{0, "15:30", "16:00", agenda.Closing, "Rückblick auf den ersten Tag", "Gebläsehalle", "", nil, false},
	{1, "10:00", "12:00", agenda.Practice, "Praxisbeispiele: Quartiersarbeit in Duisburg-Marxloh und Oberhausen", "Gebläsehalle", "", nil, false},
	{1, "12:00", "13:00", agenda.Lunch, "Mittagessen", "Foyer", "", nil, false},
	{1, "13:00", "15:30", agenda.Talk, "Kinderarmut begegnen: Was Kommunen tun können", "Gebläsehalle", "", []agenda.Speaker{
		{Name: "Zdzisław Ściegienny", Function: "Koordinationsstelle Kinderarmut", Organisation: "LVR-Landesjugendamt Rheinland"}}, false},
	{1, "15:30", "16:00", agenda.Closing, "Abschluss und Ausblick", "Gebläsehalle", "", nil, false},
}

// programme writes a demo programme for a meeting; slotID links the
// working-group item to the meeting's afternoon slot.
func (l *loader) programme(ctx context.Context, ev event.Event, items []programmeItem, slotID *int64) error {
	if l.s.Agenda == nil {
		return nil
	}
	for _, p := range items {
		d := ev.Days[p.dayIndex]
		speakers := p.speakers
		in := agenda.Input{Day: &d, StartsAt: ptr(p.start), EndsAt: ptr(p.end), Kind: ptr(p.kind), Title: ptr(p.title),
			Room: ptr(p.room), Moderation: ptr(p.moderation), Speakers: &speakers}
		if p.workingGroups {
			in.WorkingGroupSlotID = slotID
		}
		if _, err := l.s.Agenda.Create(ctx, ev, in); err != nil {
			return fmt.Errorf("demo: programme item %q: %w", p.title, err)
		}
	}
	return nil
}
