package reminder

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Scheduler queues due reminders now and then.
type Scheduler struct {
	store    *Store
	jobs     []job
	interval time.Duration
	log      *slog.Logger
	onQueued func() // wakes the mail worker
	now      func() time.Time
}

// Job queues the reminders of another kind that are due at now and
// returns how many mails it queued.
type Job func(ctx context.Context, now time.Time) (int, error)

type job struct {
	name string
	run  Job
}

// NewScheduler returns a scheduler that looks every interval; log and
// onQueued may be nil.
func NewScheduler(store *Store, interval time.Duration, log *slog.Logger, onQueued func()) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if onQueued == nil {
		onQueued = func() {}
	}
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	return &Scheduler{store: store, interval: interval, log: log, onQueued: onQueued, now: time.Now}
}

// Also runs j on every round after the meetings' reminders, with the
// scheduler's clock; name is for the log.
func (s *Scheduler) Also(name string, j Job) { s.jobs = append(s.jobs, job{name, j}) }

// SetClock replaces the clock, for tests.
func (s *Scheduler) SetClock(now func() time.Time) { s.now = now }

// RunOnce queues every reminder due now and returns how many mails it
// queued. One meeting's or job's failure does not hold up the others.
func (s *Scheduler) RunOnce(ctx context.Context) (int, error) {
	now := s.now()
	meetings, err := s.store.Meetings(ctx)
	if err != nil {
		return 0, err
	}
	today := day.Today(now)
	total := 0
	var errs []error
	for _, ev := range meetings {
		n, ok := Due(ev.ReminderDays, ev.Days.First(), today)
		if !ok {
			continue
		}
		q, err := s.store.Enqueue(ctx, ev, n, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if q > 0 {
			s.log.Info("reminders queued", "event", ev.ID, "days_before", n, "mails", q)
		}
		total += q
	}
	for _, j := range s.jobs {
		q, err := j.run(ctx, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.name, err))
		}
		if q > 0 {
			s.log.Info("reminders queued", "kind", j.name, "mails", q)
		}
		total += q
	}
	if total > 0 {
		s.onQueued()
	}
	return total, errors.Join(errs...)
}

// Run queues due reminders at once and then every interval until ctx
// ends.
func (s *Scheduler) Run(ctx context.Context) {
	s.log.Info("reminder scheduler started", "interval", s.interval)
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("reminder scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			s.log.Info("reminder scheduler stopped")
			return
		case <-t.C:
		}
	}
}
