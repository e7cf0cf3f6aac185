package agenda

import (
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Input creates or changes an item; nil fields keep their value.
type Input struct {
	Day                *day.Date  `json:"day"`
	StartsAt           *string    `json:"starts_at"`
	EndsAt             *string    `json:"ends_at"`
	Kind               *Kind      `json:"kind"`
	Title              *string    `json:"title"`
	Description        *string    `json:"description"`
	Room               *string    `json:"room"`
	Moderation         *string    `json:"moderation"`
	WorkingGroupSlotID *int64     `json:"working_group_slot_id"` // 0 unlinks
	Speakers           *[]Speaker `json:"speakers"`
}

// apply writes the given fields onto it and validates the item against
// the meeting: a known kind, a day of the meeting, times that end after
// they start.
func (in Input) apply(it *Item, ev *event.Event) error {
	var v problem.Validation
	text := func(p *string, dst *string, field string, max int) {
		if p == nil {
			return
		}
		*dst = strings.TrimSpace(*p)
		if utf8.RuneCountInString(*dst) > max {
			v.Add(field, "Dieser Text ist zu lang.")
		}
	}
	if in.Day != nil {
		it.Day = *in.Day
	}
	text(in.StartsAt, &it.StartsAt, "starts_at", 5)
	text(in.EndsAt, &it.EndsAt, "ends_at", 5)
	if in.Kind != nil {
		it.Kind = *in.Kind
	}
	text(in.Title, &it.Title, "title", 300)
	text(in.Description, &it.Description, "description", 5000)
	text(in.Room, &it.Room, "room", 100)
	text(in.Moderation, &it.Moderation, "moderation", 300)
	if in.WorkingGroupSlotID != nil {
		it.WorkingGroupSlotID = in.WorkingGroupSlotID
		if *in.WorkingGroupSlotID == 0 {
			it.WorkingGroupSlotID = nil
		}
	}
	if in.Speakers != nil {
		it.Speakers = it.Speakers[:0]
		for i, sp := range *in.Speakers {
			sp.Name = strings.TrimSpace(sp.Name)
			if sp.Name == "" {
				continue
			}
			sp.ID, sp.Position = 0, i
			sp.Title, sp.Function, sp.Organisation = strings.TrimSpace(sp.Title), strings.TrimSpace(sp.Function), strings.TrimSpace(sp.Organisation)
			it.Speakers = append(it.Speakers, sp)
		}
	}
	valid := false
	for _, k := range Kinds {
		valid = valid || k == it.Kind
	}
	if !valid {
		v.Add("kind", "Bitte wählen Sie die Art des Programmpunkts.")
	}
	switch {
	case it.Day.IsZero():
		v.Add("day", "Bitte wählen Sie den Tag.")
	case !ev.Days.Contains(it.Day):
		v.Add("day", "Der "+it.Day.German()+" ist kein Tag dieser Veranstaltung ("+ev.Days.German()+").")
	}
	start, okStart := event.ParseClock(it.StartsAt)
	end, okEnd := event.ParseClock(it.EndsAt)
	if !okStart {
		v.Add("starts_at", "Bitte den Beginn als Uhrzeit angeben, z. B. 10:00 oder 9:30.")
	}
	if !okEnd {
		v.Add("ends_at", "Bitte das Ende als Uhrzeit angeben, z. B. 10:30.")
	}
	if okStart && okEnd && end <= start {
		v.Add("ends_at", "Das Ende muss nach dem Beginn liegen.")
	}
	// Two-digit hours ("9:30" → "09:30"): items are ordered by these strings.
	if okStart {
		it.StartsAt = event.Clock(start)
	}
	if okEnd {
		it.EndsAt = event.Clock(end)
	}
	if it.Kind == WorkingGroups && it.Title == "" && it.WorkingGroupSlotID == nil {
		v.Add("working_group_slot_id", "Bitte verknüpfen Sie das Zeitfenster der Arbeitsgruppen oder geben Sie einen Titel an.")
	}
	return v.Err()
}
