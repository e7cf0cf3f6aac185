package event

import (
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Change is a change of a published meeting that its registrants may be
// told of: date, times or venue, or the cancellation.
type Change struct {
	ID          int64      `json:"id"`
	EventID     int64      `json:"event_id"`
	Summary     string     `json:"summary"`                   // German, one line per change: "Datum: 13.09.2027 → 14.09.2027"
	OldDays     day.List   `json:"old_days" gorm:"type:text"` // the days before the change
	Cancelled   bool       `json:"cancelled"`                 // the meeting was cancelled
	NotifiedAt  *time.Time `json:"notified_at,omitempty"`     // the registrants' mails were queued
	DismissedAt *time.Time `json:"dismissed_at,omitempty"`    // the organiser chose not to tell them
	CreatedAt   time.Time  `json:"created_at"`
}

// TableName keeps the table name explicit.
func (Change) TableName() string { return "event_changes" }

// Lines are the summary's lines.
func (c Change) Lines() []string { return textLines(c.Summary) }

// Decided reports whether the organiser has chosen to notify or not.
func (c Change) Decided() bool { return c.NotifiedAt != nil || c.DismissedAt != nil }

// announced reports whether registrants may have the meeting in their
// calendar: it was open for registration or registration was closed.
func announced(s Status) bool { return s == Published || s == RegistrationClosed }

// changeOf returns the change from old to next that registrants should
// hear of, or nil: a cancellation of an announced meeting, or a change
// of its days, its times or its venue.
func changeOf(old, next Event, now time.Time) *Change {
	if !announced(old.Status) {
		return nil
	}
	c := &Change{EventID: old.ID, OldDays: old.Days, CreatedAt: now}
	if next.Status == Cancelled {
		c.Cancelled = true
		c.Summary = "Die Veranstaltung „" + old.Name() + "“ am " + old.Days.German() + " wurde abgesagt."
		return c
	}
	var lines []string
	add := func(label, a, b string) {
		if a != b {
			lines = append(lines, label+": "+orNone(a)+" → "+orNone(b))
		}
	}
	add("Datum", old.Days.German(), next.Days.German())
	add("Uhrzeit", Hours{old.StartTime, old.EndTime}.Text(), Hours{next.StartTime, next.EndTime}.Text())
	add("Ort", strings.Join(old.VenueLines(), ", "), strings.Join(next.VenueLines(), ", "))
	if len(lines) == 0 {
		return nil
	}
	c.Summary = strings.Join(lines, "\n")
	return c
}

func orNone(s string) string {
	if s == "" {
		return "(keine Angabe)"
	}
	return s
}
