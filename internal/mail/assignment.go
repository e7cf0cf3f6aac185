package mail

import (
	"sort"
	"strings"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// AssignedGroup is a working group a person is assigned to, as the
// assignment mail shows it: one per time slot.
type AssignedGroup struct {
	Day        day.Date
	StartsAt   string // "14:00"
	EndsAt     string // "15:30"
	SlotLabel  string // "Arbeitsgruppen am Nachmittag"; may be empty
	Title      string
	Room       string
	Moderators string
	Inputs     []string          // "Stadt Ahlen – Steuerungsstruktur (Herr Meier)"
	Role       workinggroup.Role // speaker or moderator; "" for taking part
}

// AssignedGroupsOf picks the groups registration registrationID is
// assigned to from a meeting's slots, groups (with their inputs) and
// assignments, in time order. A person named as an input's speaker has
// the speaker role even when the assignment does not say so.
func AssignedGroupsOf(registrationID int64, slots []workinggroup.Slot, groups []workinggroup.Group, assignments []workinggroup.Assignment) []AssignedGroup {
	slotByID := make(map[int64]workinggroup.Slot, len(slots))
	for _, s := range slots {
		slotByID[s.ID] = s
	}
	groupByID := make(map[int64]workinggroup.Group, len(groups))
	for _, g := range groups {
		groupByID[g.ID] = g
	}
	var out []AssignedGroup
	for _, a := range assignments {
		if a.RegistrationID != registrationID {
			continue
		}
		g, ok := groupByID[a.WorkingGroupID]
		if !ok {
			continue
		}
		s, ok := slotByID[g.SlotID]
		if !ok {
			continue
		}
		ag := AssignedGroup{Day: s.Day, StartsAt: s.StartsAt, EndsAt: s.EndsAt, SlotLabel: s.Label,
			Title: g.Title, Room: g.Room, Moderators: g.Moderators, Role: a.Role}
		for _, in := range g.Inputs {
			ag.Inputs = append(ag.Inputs, inputLine(in))
			if ag.Role == workinggroup.Participant && in.RegistrationID != nil && *in.RegistrationID == registrationID {
				ag.Role = workinggroup.Speaker
			}
		}
		out = append(out, ag)
	}
	sortByTime(out)
	return out
}

// inputLine is "Title (Speaker)".
func inputLine(in workinggroup.Input) string {
	title, speaker := strings.TrimSpace(in.Title), strings.TrimSpace(in.Speaker)
	switch {
	case title == "":
		return speaker
	case speaker == "":
		return title
	}
	return title + " (" + speaker + ")"
}

// sortByTime orders groups by day and start time.
func sortByTime(groups []AssignedGroup) {
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Day != b.Day {
			return a.Day.Before(b.Day)
		}
		sa, _ := event.ParseClock(a.StartsAt)
		sb, _ := event.ParseClock(b.StartsAt)
		return sa < sb
	})
}

// slotTime is "14:00–15:30 Uhr".
func slotTime(starts, ends string) string {
	s, okStart := event.ParseClock(starts)
	e, okEnd := event.ParseClock(ends)
	switch {
	case okStart && okEnd && e > s:
		return starts + "–" + ends + " Uhr"
	case okStart:
		return "ab " + starts + " Uhr"
	}
	return ""
}

// groupData is one working group as the assignment templates see it.
type groupData struct {
	Day        string // "Samstag, 14. März 2026"
	Time       string // "14:00–15:30 Uhr"
	When       string // Day and Time: "Samstag, 14. März 2026, 14:00–15:30 Uhr"
	SlotLabel  string
	Title      string
	Room       string
	Moderators string
	Inputs     []string
	RoleNote   string // "Sie sind in dieser Arbeitsgruppe mit einem Input eingeplant."
}

// groupsData turns assigned groups into what the templates show, in
// time order.
func groupsData(groups []AssignedGroup) []groupData {
	sorted := append([]AssignedGroup(nil), groups...)
	sortByTime(sorted)
	out := make([]groupData, len(sorted))
	for i, g := range sorted {
		d := groupData{Day: g.Day.GermanLong(), Time: slotTime(g.StartsAt, g.EndsAt), SlotLabel: strings.TrimSpace(g.SlotLabel),
			Title: strings.TrimSpace(g.Title), Room: strings.TrimSpace(g.Room), Moderators: strings.TrimSpace(g.Moderators)}
		d.When = d.Day
		if d.Time != "" {
			d.When += ", " + d.Time
		}
		for _, in := range g.Inputs {
			if in = strings.TrimSpace(in); in != "" {
				d.Inputs = append(d.Inputs, in)
			}
		}
		switch g.Role {
		case workinggroup.Speaker:
			d.RoleNote = "Sie sind in dieser Arbeitsgruppe mit einem Input eingeplant."
		case workinggroup.Moderator:
			d.RoleNote = "Sie sind in dieser Arbeitsgruppe für die Moderation eingeplant."
		}
		out[i] = d
	}
	return out
}

// nothingToSend ends a message whose subject is gone by the time it is
// rendered: it is permanent (never retried) and its text, in German,
// is what organisers read in the outbox.
type nothingToSend string

func (e nothingToSend) Error() string { return string(e) }

func (e nothingToSend) Is(target error) bool { return target == errPermanent }
