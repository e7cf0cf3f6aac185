package reminder_test

import (
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/reminder"
)

func TestDueIsTheClosestReminderReached(t *testing.T) {
	first := day.MustParse("2027-09-13")
	week := event.ReminderDays{7, 1}
	for _, tc := range []struct {
		today string
		days  event.ReminderDays
		want  int // 0: none
	}{
		{"2027-09-05", week, 0},                  // 8 days before: nothing yet
		{"2027-09-06", week, 7},                  // a week before
		{"2027-09-10", week, 7},                  // still the week's, the day's is not reached
		{"2027-09-12", week, 1},                  // the day before: both reached, the closest only
		{"2027-09-13", week, 0},                  // begun
		{"2027-10-01", week, 0},                  // long past
		{"2027-09-12", event.ReminderDays{3}, 3}, // one reminder, reached long ago and not begun
		{"2027-09-12", nil, 0},                   // no reminders
	} {
		got, ok := reminder.Due(tc.days, first, day.MustParse(tc.today))
		if (tc.want == 0) == ok || (ok && got != tc.want) {
			t.Errorf("Due(%v, %s, %s) = %d, %v; want %d", tc.days, first, tc.today, got, ok, tc.want)
		}
	}
}

func TestEligibleOnlyBeforeTheReminderDay(t *testing.T) {
	first := day.MustParse("2027-09-13")
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, day.Location())
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct {
		registered string
		n          int
		want       bool
	}{
		{"2027-08-01 10:00", 7, true},
		{"2027-09-05 23:59", 7, true},  // the evening before the week's reminder day
		{"2027-09-06 00:00", 7, false}, // on the reminder's day: the confirmation just went
		{"2027-09-06 00:00", 1, true},
		{"2027-09-12 08:00", 1, false},
	} {
		if got := reminder.Eligible(at(tc.registered), first, tc.n); got != tc.want {
			t.Errorf("Eligible(%s, %d days) = %v, want %v", tc.registered, tc.n, got, tc.want)
		}
	}
	// Berlin's date counts, not UTC's: 23:30 UTC on the 5th is the 6th in Berlin.
	if reminder.Eligible(time.Date(2027, 9, 5, 23, 30, 0, 0, time.UTC), first, 7) {
		t.Error("a registration after midnight in Berlin counts as the day before")
	}
}
