// Package reminder queues the reminders before a meeting. Every app
// instance runs a Scheduler; the outbox's unique key on registration and
// number of days makes each reminder go exactly once, whatever the
// number of instances, restarts or a clock that jumps.
//
// The rules: a meeting's reminder of N days is due from the day N days
// before its first day (Europe/Berlin) until the day before it begins.
// When several are due at once (the scheduler did not run, or the
// meeting was published late) only the closest is queued; the earlier
// ones are not sent, since a second mail a moment later says nothing
// new. A reminder goes to confirmed registrations made before its day
// began: who registered on that day or later has just had the
// confirmation. Waiting and cancelled people get none. The mail worker
// checks again when it sends (still confirmed, meeting not cancelled or
// begun, reminders still on).
package reminder

import (
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// Due returns the reminder due on today for a meeting beginning on
// first: the smallest number of days n of reminders with today on or
// after first−n; false when none is due or the meeting has begun.
func Due(reminders event.ReminderDays, first, today day.Date) (int, bool) {
	if first.IsZero() || !today.Before(first) {
		return 0, false
	}
	due, found := 0, false
	for _, n := range reminders {
		if !today.Before(first.AddDays(-n)) && (!found || n < due) {
			due, found = n, true
		}
	}
	return due, found
}

// Eligible reports whether a registration made at registered gets the
// reminder of n days before first: it was made before that day began.
func Eligible(registered time.Time, first day.Date, n int) bool {
	return day.Today(registered).Before(first.AddDays(-n))
}
