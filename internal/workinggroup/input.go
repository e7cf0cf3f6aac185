package workinggroup

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// GroupInput creates or changes a group; nil fields keep their value. The
// slot is named by SlotID, or by Day/StartsAt/EndsAt (found or created).
type GroupInput struct {
	SlotID      *int64       `json:"slot_id"`
	Day         *day.Date    `json:"day"`
	StartsAt    *string      `json:"starts_at"`
	EndsAt      *string      `json:"ends_at"`
	SlotLabel   *string      `json:"slot_label"`
	Position    *int         `json:"position"`
	Title       *string      `json:"title"`
	Theme       *string      `json:"theme"`
	Description *string      `json:"description"`
	Room        *string      `json:"room"`
	Capacity    *int         `json:"capacity"`
	Moderators  *string      `json:"moderators"`
	Inputs      *[]InputSpec `json:"inputs"`
}

// InputSpec is an input as given in a form or the API.
type InputSpec struct {
	MunicipalityID *int64 `json:"municipality_id"`
	Title          string `json:"title"`
	Speaker        string `json:"speaker"`
	RegistrationID *int64 `json:"registration_id"`
}

// apply writes the given fields onto g and validates them.
func (in GroupInput) apply(g *Group) error {
	var v problem.Validation
	set := func(p *string, dst *string, field string, max int) {
		if p == nil {
			return
		}
		*dst = strings.TrimSpace(*p)
		if utf8.RuneCountInString(*dst) > max {
			v.Add(field, "Bitte höchstens "+strconv.Itoa(max)+" Zeichen.")
		}
	}
	set(in.Title, &g.Title, "title", 200)
	set(in.Theme, &g.Theme, "theme", 200)
	set(in.Description, &g.Description, "description", 4000)
	set(in.Room, &g.Room, "room", 100)
	set(in.Moderators, &g.Moderators, "moderators", 300)
	if in.Capacity != nil {
		g.Capacity = *in.Capacity
	}
	if in.Position != nil {
		g.Position = *in.Position
	}
	if g.Title == "" {
		v.Add("title", "Bitte geben Sie den Titel der Arbeitsgruppe an.")
	}
	if g.Capacity < 1 || g.Capacity > 1000 {
		v.Add("capacity", "Die Zahl der Plätze muss zwischen 1 und 1.000 liegen.")
	}
	if in.Inputs != nil {
		g.Inputs = g.Inputs[:0]
		for i, spec := range *in.Inputs {
			title := strings.TrimSpace(spec.Title)
			if title == "" && strings.TrimSpace(spec.Speaker) == "" && spec.MunicipalityID == nil {
				continue
			}
			if title == "" {
				v.Add("inputs", "Jeder Input braucht einen Titel.")
			}
			g.Inputs = append(g.Inputs, Input{Position: i, MunicipalityID: spec.MunicipalityID, Title: title,
				Speaker: strings.TrimSpace(spec.Speaker), RegistrationID: spec.RegistrationID})
		}
	}
	return v.Err()
}

// slotFields validates a slot named by day and times for the meeting and
// returns the times as stored ("9:30" becomes "09:30").
func slotFields(ev *event.Event, d day.Date, starts, ends string) (string, string, error) {
	var v problem.Validation
	if !ev.Days.Contains(d) {
		v.Add("day", "Der Tag muss einer der Veranstaltungstage sein ("+ev.Days.German()+").")
	}
	s, ok1 := event.ParseClock(starts)
	e, ok2 := event.ParseClock(ends)
	if !ok1 {
		v.Add("starts_at", "Bitte eine Uhrzeit angeben, z. B. 10:00 oder 9:30.")
	}
	if !ok2 {
		v.Add("ends_at", "Bitte eine Uhrzeit angeben, z. B. 10:00 oder 9:30.")
	}
	if ok1 && ok2 && e <= s {
		v.Add("ends_at", "Das Ende muss nach dem Beginn liegen.")
	}
	if err := v.Err(); err != nil {
		return starts, ends, err
	}
	return event.Clock(s), event.Clock(e), nil
}
