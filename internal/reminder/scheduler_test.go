package reminder_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/reminder"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// setup is a meeting six weeks ahead with its registrations, on a fresh
// database.
type setup struct {
	url   string
	db    *store.DB
	ev    event.Event
	regs  *registration.Store
	first day.Date
}

func newSetup(t *testing.T, capacity int) *setup {
	t.Helper()
	url := storetest.URL(t)
	db := openDB(t, url)
	if _, err := db.Migrate(context.Background(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	first := day.Of(day.Today(time.Now()).In(time.UTC).AddDate(0, 0, 42))
	days := day.List{first}
	kind, number, status := event.Lernnetzwerktreffen, 17, event.Published
	start, end, venue := "10:00", "16:00", "Gürzenich"
	ev, err := event.NewStore(db.Gorm).Create(context.Background(), event.Input{Kind: &kind, Number: &number, Days: &days,
		StartTime: &start, EndTime: &end, VenueName: &venue, Capacity: &capacity, Status: &status})
	if err != nil {
		t.Fatal(err)
	}
	return &setup{url: url, db: db, ev: ev, regs: registration.NewStore(db.Gorm, nil), first: first}
}

// openDB opens a connection pool of its own, as an app instance does.
func openDB(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// register adds a guest registered at the given time (Berlin).
func (s *setup) register(t *testing.T, i int, registered time.Time) registration.Registration {
	t.Helper()
	r, err := s.regs.Register(context.Background(), s.ev.ID, registration.Input{FirstName: "Erika", LastName: fmt.Sprintf("Muster%d", i),
		Email: fmt.Sprintf("erika%d@kommune.example", i), Organisation: "Jugendamt", PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Gorm.Exec("UPDATE registrations SET created_at = ? WHERE id = ?", registered.UTC(), r.ID).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// daysBefore is noon in Berlin n days before the first day.
func (s *setup) daysBefore(n int) time.Time { return s.first.At(12, 0).AddDate(0, 0, -n) }

// reminders returns the queued reminders: registration id → days.
func (s *setup) reminders(t *testing.T) map[int64][]int {
	t.Helper()
	var rows []outbox.Message
	if err := s.db.Gorm.Where("kind = ?", outbox.Reminder).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[int64][]int{}
	for _, m := range rows {
		out[*m.RegistrationID] = append(out[*m.RegistrationID], *m.ReminderDays)
	}
	return out
}

func (s *setup) scheduler(at *time.Time) *reminder.Scheduler {
	sch := reminder.NewScheduler(reminder.NewStore(s.db.Gorm), time.Minute, nil, nil)
	sch.SetClock(func() time.Time { return *at })
	return sch
}

func run(t *testing.T, sch *reminder.Scheduler, want int) {
	t.Helper()
	n, err := sch.RunOnce(context.Background())
	if err != nil || n != want {
		t.Fatalf("RunOnce queued %d, %v; want %d", n, err, want)
	}
}

func TestRemindersGoOnceAcrossRestartsAndClockJumps(t *testing.T) {
	s := newSetup(t, 3)
	early := s.register(t, 1, s.daysBefore(30))
	late := s.register(t, 2, s.daysBefore(3))    // after the week's reminder day
	lastDay := s.register(t, 3, s.daysBefore(1)) // on the day's reminder day
	waiting := s.register(t, 4, s.daysBefore(20))
	if waiting.Status != registration.Waitlisted {
		t.Fatalf("fourth registration %s, want waitlisted", waiting.Status)
	}
	now := s.daysBefore(8)
	sch := s.scheduler(&now)
	run(t, sch, 0) // nothing due 8 days before

	now = s.daysBefore(7)
	run(t, sch, 1) // the week's reminder: only who had registered by then
	run(t, sch, 0) // again: nothing new
	restarted := s.scheduler(&now)
	run(t, restarted, 0) // a restart: nothing new

	now = s.daysBefore(10) // the clock jumps back
	run(t, restarted, 0)

	now = s.daysBefore(1)
	run(t, restarted, 2)   // the day's reminder: early and late, not who registered that day
	now = s.daysBefore(-1) // the clock jumps past the start
	run(t, restarted, 0)

	got := s.reminders(t)
	if fmt.Sprint(got[early.ID]) != "[7 1]" || fmt.Sprint(got[late.ID]) != "[1]" || len(got[lastDay.ID]) != 0 || len(got[waiting.ID]) != 0 {
		t.Errorf("reminders %v; want early [7 1], late [1], none for who registered on the day or waits", got)
	}
}

func TestOnlyTheClosestDueReminderIsQueued(t *testing.T) {
	s := newSetup(t, 5)
	r := s.register(t, 1, s.daysBefore(30))
	// The scheduler did not run for a week: the week's reminder was
	// missed, the day's is due; one mail, not two.
	now := s.daysBefore(1)
	run(t, s.scheduler(&now), 1)
	if got := s.reminders(t); fmt.Sprint(got[r.ID]) != "[1]" {
		t.Errorf("reminders %v, want only the day's", got)
	}
}

func TestNoRemindersWhenSwitchedOffOrCancelled(t *testing.T) {
	s := newSetup(t, 5)
	s.register(t, 1, s.daysBefore(30))
	off := true
	events := event.NewStore(s.db.Gorm)
	if _, err := events.Update(context.Background(), s.ev.ID, event.Input{RemindersOff: &off}); err != nil {
		t.Fatal(err)
	}
	now := s.daysBefore(7)
	run(t, s.scheduler(&now), 0)

	on, cancelled := false, event.Cancelled
	if _, err := events.Update(context.Background(), s.ev.ID, event.Input{RemindersOff: &on, Status: &cancelled}); err != nil {
		t.Fatal(err)
	}
	run(t, s.scheduler(&now), 0)
}

// Two instances' schedulers, each with several goroutines, run at the
// same moment on one PostgreSQL database: every reminder is queued once.
func TestTwoInstancesQueueEachReminderOnce(t *testing.T) {
	if storetest.Dialect() != "postgres" {
		t.Skip("needs PostgreSQL for concurrent instances: set " + storetest.EnvURL)
	}
	s := newSetup(t, 40)
	for i := range 30 {
		s.register(t, i, s.daysBefore(30))
	}
	// A second instance: its own connection pool on the same database.
	other := openDB(t, s.url)
	now := s.daysBefore(7)
	second := reminder.NewScheduler(reminder.NewStore(other.Gorm), time.Minute, nil, nil)
	second.SetClock(func() time.Time { return now })
	first := s.scheduler(&now)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	start := make(chan struct{})
	for i := range 8 {
		sch := first
		if i%2 == 1 {
			sch = second
		}
		wg.Go(func() {
			<-start
			n, err := sch.RunOnce(context.Background())
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	got := s.reminders(t)
	if total != 30 || len(got) != 30 {
		t.Fatalf("queued %d (reported %d) reminders for 30 registrations", len(got), total)
	}
	for id, days := range got {
		if fmt.Sprint(days) != "[7]" {
			t.Errorf("registration %d: reminders %v, want one of 7 days", id, days)
		}
	}
}

// Other kinds of reminders run on the scheduler's round with its clock;
// one failing holds up neither the meetings' reminders nor the others,
// and what they queue wakes the mail worker.
func TestOtherJobsRunOnTheRound(t *testing.T) {
	s := newSetup(t, 5)
	s.register(t, 1, s.daysBefore(30))
	now := s.daysBefore(7)
	kicks := 0
	sch := reminder.NewScheduler(reminder.NewStore(s.db.Gorm), time.Minute, nil, func() { kicks++ })
	sch.SetClock(func() time.Time { return now })
	sch.Also("broken", func(context.Context, time.Time) (int, error) { return 1, errors.New("database gone") })
	var seen time.Time
	sch.Also("surveys", func(_ context.Context, at time.Time) (int, error) { seen = at; return 2, nil })
	n, err := sch.RunOnce(context.Background())
	if n != 4 || err == nil || err.Error() != "broken: database gone" {
		t.Errorf("RunOnce = %d, %v; want 4 mails (1 meeting, 1 broken, 2 surveys) and the broken job's error", n, err)
	}
	if !seen.Equal(now) || kicks != 1 {
		t.Errorf("job saw %v (want %v), worker kicked %d times (want 1)", seen, now, kicks)
	}
}
