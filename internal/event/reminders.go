package event

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Limits of the reminder settings.
const (
	MaxReminders      = 3
	MaxReminderDaysIn = 60
)

// DefaultReminderDays are the reminders a new meeting starts with: a
// week and a day before its first day.
var DefaultReminderDays = ReminderDays{7, 1}

// ReminderDays are the numbers of days before a meeting's first day on
// which participants are reminded, largest first. Stored as "7,1".
type ReminderDays []int

// ParseReminderDays reads "7, 1" (commas, semicolons or spaces between
// the numbers). Each must be a whole number of days from 1 to 60, at
// most three; duplicates are dropped and the result is largest first.
func ParseReminderDays(s string) (ReminderDays, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	var out ReminderDays
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("„%s“ ist keine ganze Zahl von Tagen", f)
		}
		out = append(out, n)
	}
	out = out.Normalize()
	return out, out.check()
}

// Normalize sorts the days largest first and drops duplicates.
func (r ReminderDays) Normalize() ReminderDays {
	out := slices.Clone(r)
	slices.Sort(out)
	out = slices.Compact(out)
	slices.Reverse(out)
	return out
}

func (r ReminderDays) check() error {
	for _, n := range r {
		if n < 1 || n > MaxReminderDaysIn {
			return fmt.Errorf("erinnert wird 1 bis %d Tage vor Beginn, nicht %d", MaxReminderDaysIn, n)
		}
	}
	if len(r) > MaxReminders {
		return fmt.Errorf("höchstens %d Erinnerungen", MaxReminders)
	}
	return nil
}

// String is "7,1".
func (r ReminderDays) String() string {
	parts := make([]string, len(r))
	for i, n := range r {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// German is "7 Tage und 1 Tag".
func (r ReminderDays) German() string {
	parts := make([]string, len(r))
	for i, n := range r {
		parts[i] = DaysBefore(n)
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " und " + parts[len(parts)-1]
}

// DaysBefore is "1 Tag" or "7 Tage".
func DaysBefore(n int) string {
	if n == 1 {
		return "1 Tag"
	}
	return strconv.Itoa(n) + " Tage"
}

// Value implements driver.Valuer.
func (r ReminderDays) Value() (driver.Value, error) { return r.Normalize().String(), nil }

// Scan implements sql.Scanner.
func (r *ReminderDays) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan reminder days from %T", src)
	}
	parsed, err := ParseReminderDays(s)
	if err != nil {
		return fmt.Errorf("scan reminder days %q: %w", s, err)
	}
	*r = parsed
	return nil
}

// Reminders are a meeting's reminder settings, as the API shows them.
type Reminders struct {
	Enabled bool  `json:"enabled"`
	Days    []int `json:"days"` // largest first
}

// Reminders returns the meeting's settings.
func (e Event) Reminders() Reminders {
	days := []int(e.ReminderDays.Normalize())
	if days == nil {
		days = []int{}
	}
	return Reminders{Enabled: !e.RemindersOff, Days: days}
}

// validateReminders checks the settings; days given while reminders
// are on must name at least one day.
func validateReminders(e *Event, given bool, v *problem.Validation) {
	e.ReminderDays = e.ReminderDays.Normalize()
	if err := e.ReminderDays.check(); err != nil {
		v.Add("reminder_days", "Bitte prüfen: "+err.Error()+".")
		return
	}
	if given && !e.RemindersOff && len(e.ReminderDays) == 0 {
		v.Add("reminder_days", "Bitte mindestens einen Tag angeben oder die Erinnerungen ausschalten.")
	}
}
