package demo

import (
	"context"
	"fmt"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// demoGroup is one of the four afternoon groups of the 17th meeting
// (Köln, 13.09.2017), with the inputs the seeds name.
type demoGroup struct {
	title, theme, room string
	capacity           int
	inputs             [][2]string // municipality, title
}

var afternoonGroups = []demoGroup{
	{"Kommunale Steuerung in der Präventionskette", "Steuerung", "Saal 1", 20, [][2]string{
		{"Stadt Ahlen", "Steuerungsstruktur der Präventionskette"}, {"Kreis Coesfeld", "Steuerung im Kreis"}, {"Stadt Neuss", "Steuerungsstruktur"}}},
	{"Zugänge erleichtern – Ankerpunkte im Sozialraum nutzen", "Zugänge", "Raum 2", 18, nil},
	{"Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette", "Zugänge und Lotsenmodelle", "Raum 3", 18, [][2]string{
		{"Kreis Düren", "Das Präventionsteam"}, {"Stadt Münster", "Stadtteilkoordinatoren – Lotsensystem"}, {"Stadt Münster", "Frühe Hilfen"}}},
	{"(Bildungs-)Übergänge fließend gestalten", "Bildungsübergänge", "Raum 4", 18, [][2]string{
		{"Stadt Herne", "Übergangsgestaltung KiTa–GS / GS–SEK I"}, {"Kreis Warendorf", "Übergangsmanagement"}}},
}

// workingGroups sets up the afternoon groups of the upcoming meeting and
// returns their ids in order, for the registrations' wishes.
func (l *loader) workingGroups(ctx context.Context, ev event.Event) ([]int64, error) {
	if l.s.WorkingGroups == nil {
		return nil, nil
	}
	var ids []int64
	for _, g := range afternoonGroups {
		var inputs []workinggroup.InputSpec
		for _, in := range g.inputs {
			inputs = append(inputs, workinggroup.InputSpec{MunicipalityID: l.id(in[0]), Title: in[0] + " – " + in[1]})
		}
		created, err := l.s.WorkingGroups.CreateGroup(ctx, ev, workinggroup.GroupInput{
			Title: ptr(g.title), Theme: ptr(g.theme), Room: ptr(g.room), Capacity: ptr(g.capacity),
			Day: ptr(ev.Days.First()), StartsAt: ptr("14:00"), EndsAt: ptr("15:45"), SlotLabel: ptr("Arbeitsgruppen am Nachmittag"),
			Inputs: &inputs,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: working group %q: %w", g.title, err)
		}
		ids = append(ids, created.ID)
	}
	return ids, nil
}

// wishes gives the n-th person three ranked wishes, skewed so that the
// steering group is popular – the solver has something to balance.
func wishes(groups []int64, n int) []int64 {
	if len(groups) < 3 {
		return nil
	}
	orders := [][]int{{0, 2, 3}, {0, 1, 2}, {2, 0, 3}, {3, 0, 1}, {1, 2, 0}, {0, 3, 2}, {2, 3, 1}}
	o := orders[n%len(orders)]
	return []int64{groups[o[0]], groups[o[1]], groups[o[2]]}
}

// afternoonSlot is the slot of the meeting's working groups, if any.
func (l *loader) afternoonSlot(ctx context.Context, ev event.Event) *int64 {
	if l.s.WorkingGroups == nil {
		return nil
	}
	slots, err := l.s.WorkingGroups.Slots(ctx, ev.ID)
	if err != nil || len(slots) == 0 {
		return nil
	}
	return &slots[0].ID
}
