// Package agenda holds the programme of a meeting: timed items over its
// days (welcome, addresses, talks, working groups, breaks …) with their
// speakers, and the checks an editor needs (overlaps, gaps, days).
package agenda

import (
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Kind is the sort of a programme item.
type Kind string

// Kinds of items, as the API names them.
const (
	Welcome       Kind = "welcome"
	Address       Kind = "address"
	Talk          Kind = "talk"
	Keynote       Kind = "keynote"
	Impulse       Kind = "impulse"
	Practice      Kind = "practice"
	WorkingGroups Kind = "working_groups"
	Panel         Kind = "panel"
	Reading       Kind = "reading"
	Break         Kind = "break"
	Lunch         Kind = "lunch"
	Closing       Kind = "closing"
	Other         Kind = "other"
)

// Kinds lists all kinds in the order editors offer them.
var Kinds = []Kind{Welcome, Address, Talk, Keynote, Impulse, Practice, WorkingGroups, Panel, Reading, Break, Lunch, Closing, Other}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Welcome:
		return "Begrüßung"
	case Address:
		return "Grußwort"
	case Talk:
		return "Input / Vortrag"
	case Keynote:
		return "Keynote"
	case Impulse:
		return "Fachimpuls"
	case Practice:
		return "Praxisbeispiele aus den Kommunen"
	case WorkingGroups:
		return "Arbeitsgruppen"
	case Panel:
		return "Podiumsdiskussion"
	case Reading:
		return "Lesung"
	case Break:
		return "Pause"
	case Lunch:
		return "Mittagessen"
	case Closing:
		return "Abschluss und Ausblick"
	case Other:
		return "Programmpunkt"
	}
	return string(k)
}

// IsPause reports whether the item is a break in the programme.
func (k Kind) IsPause() bool { return k == Break || k == Lunch }

// Item is one entry of the programme.
type Item struct {
	ID                 int64     `json:"id"`
	EventID            int64     `json:"event_id"`
	Day                day.Date  `json:"day" gorm:"type:text"`
	StartsAt           string    `json:"starts_at"`
	EndsAt             string    `json:"ends_at"`
	Kind               Kind      `json:"kind"`
	Title              string    `json:"title"`
	Description        string    `json:"description"`
	Room               string    `json:"room"`
	Moderation         string    `json:"moderation"`
	WorkingGroupSlotID *int64    `json:"working_group_slot_id"`
	Speakers           []Speaker `json:"speakers" gorm:"foreignKey:AgendaItemID"`
	CreatedAt          time.Time `json:"-"`
	UpdatedAt          time.Time `json:"-"`
}

// TableName sets the table.
func (Item) TableName() string { return "agenda_items" }

// DisplayTitle is the title, or the kind's name when there is none.
func (it Item) DisplayTitle() string {
	if it.Title != "" {
		return it.Title
	}
	return it.Kind.Label()
}

// Speaker is a person who speaks in an item.
type Speaker struct {
	ID           int64  `json:"-"`
	AgendaItemID int64  `json:"-"`
	Position     int    `json:"-"`
	Name         string `json:"name"`
	Title        string `json:"title"`        // academic title: "Dr."
	Function     string `json:"function"`     // "Staatssekretär"
	Organisation string `json:"organisation"` // "MKFFI NRW"
}

// TableName sets the table.
func (Speaker) TableName() string { return "agenda_speakers" }

// Line is "Dr. Maria Muster, Staatssekretärin, MKFFI NRW".
func (s Speaker) Line() string {
	out := s.Name
	if s.Title != "" {
		out = s.Title + " " + out
	}
	for _, part := range []string{s.Function, s.Organisation} {
		if part != "" {
			out += ", " + part
		}
	}
	return out
}

// minutes turns "HH:MM" into minutes after midnight (validated before).
func minutes(clock string) int {
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return 0
	}
	return t.Hour()*60 + t.Minute()
}
