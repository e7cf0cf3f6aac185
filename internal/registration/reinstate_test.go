package registration_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// guest is person i without a municipality.
func guest(i int, _ *int64) registration.Input {
	in := person(i, nil)
	in.Organisation = "Jugendamt"
	return in
}

// mailKinds returns the kinds of the mails queued for a registration, in
// the order they were queued.
func (f *fixture) mailKinds(t *testing.T, registrationID int64) []string {
	t.Helper()
	var kinds []string
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("registration_id = ? AND copy_of IS NULL", registrationID).
		Order("id").Pluck("kind", &kinds).Error; err != nil {
		t.Fatal(err)
	}
	return kinds
}

func (f *fixture) lastAudit(t *testing.T, registrationID int64) (string, string) {
	t.Helper()
	var row struct{ Action, Details string }
	if err := f.db.Gorm.Table("audit_log").Select("action, details").Where("object_type = 'registration' AND object_id = ?", registrationID).
		Order("id DESC").Limit(1).Scan(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.Action, row.Details
}

func TestCancelWithoutMailQueuesNoneButThePromotion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 1, 0)
	first, err := f.regs.Register(ctx, ev.ID, guest(1, nil), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.regs.Register(ctx, ev.ID, guest(2, nil), registration.Options{})
	if err != nil || second.Status != registration.Waitlisted {
		t.Fatalf("second: %v %v", second.Status, err)
	}
	if _, err := f.regs.CancelWith(ctx, first.ID, registration.StatusChange{Actor: audit.System, Notify: false}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.mailKinds(t, first.ID), ","); got != "confirmation" {
		t.Errorf("mails of the cancelled person: %s, want only the confirmation", got)
	}
	if got := strings.Join(f.mailKinds(t, second.ID), ","); got != "waitlisted,promotion" {
		t.Errorf("mails of the one moving up: %s", got)
	}
	if action, details := f.lastAudit(t, first.ID); action != string(audit.RegistrationCancelled) || !strings.Contains(details, "ohne E-Mail") {
		t.Errorf("audit %s %q, want a cancellation that says no mail went out", action, details)
	}
}

func TestReinstateRestoresThePlaceOrTheWaitingList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 2, 0)
	var regs []registration.Registration
	for i := range 4 {
		r, err := f.regs.Register(ctx, ev.ID, guest(i, nil), registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	// regs[0], regs[1] confirmed; regs[2], regs[3] waiting.
	change := registration.StatusChange{Actor: audit.System, Notify: true}

	// A waiting person cancelled and taken back is waiting again at the
	// original position, before the one who registered later.
	if _, err := f.regs.Cancel(ctx, regs[2].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	back, err := f.regs.Reinstate(ctx, regs[2].ID, change)
	if err != nil || back.Status != registration.Waitlisted || back.CancelledAt != nil {
		t.Fatalf("reinstate waiting: %+v %v", back, err)
	}
	if pos, _ := f.regs.WaitlistPosition(ctx, back); pos != 1 {
		t.Errorf("waiting-list position %d after the undo, want 1 (the original)", pos)
	}

	// A confirmed person cancelled: the first waiting moves up. The undo
	// finds no place and puts the person on the waiting list.
	if _, err := f.regs.Cancel(ctx, regs[0].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.regs.Get(ctx, regs[2].ID); r.Status != registration.Confirmed {
		t.Fatalf("first waiting did not move up: %s", r.Status)
	}
	back, err = f.regs.Reinstate(ctx, regs[0].ID, change)
	if err != nil || back.Status != registration.Waitlisted {
		t.Fatalf("reinstate without a place: %v %v", back.Status, err)
	}
	if got := strings.Join(f.mailKinds(t, regs[0].ID), ","); got != "confirmation,cancellation,reinstated_waitlisted" {
		t.Errorf("mails: %s", got)
	}

	// A place frees up: the reinstated person, ahead by registration
	// time of regs[3], moves up.
	if _, err := f.regs.Cancel(ctx, regs[1].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.regs.Get(ctx, regs[0].ID); r.Status != registration.Confirmed {
		t.Fatalf("the reinstated person did not move up: %s", r.Status)
	}
	// Confirmed: regs[0], regs[2]; waiting: regs[3]. An undo without a
	// mail queues none.
	back, err = f.regs.Reinstate(ctx, regs[1].ID, registration.StatusChange{Actor: audit.System, Notify: false})
	if err != nil || back.Status != registration.Waitlisted {
		t.Fatalf("reinstate regs[1]: %v %v", back.Status, err)
	}
	if got := strings.Join(f.mailKinds(t, regs[1].ID), ","); got != "confirmation,cancellation" {
		t.Errorf("mails after an undo without mail: %s", got)
	}
	if _, details := f.lastAudit(t, regs[1].ID); !strings.Contains(details, "ohne E-Mail") {
		t.Errorf("audit %q", details)
	}
	// With a place free, the undo confirms at once.
	if _, err := f.regs.Cancel(ctx, regs[3].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, regs[2].ID, audit.System); err != nil { // regs[1] moves up
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, regs[0].ID, audit.System); err != nil { // nobody waits
		t.Fatal(err)
	}
	back, err = f.regs.Reinstate(ctx, regs[0].ID, change)
	if err != nil || back.Status != registration.Confirmed {
		t.Fatalf("reinstate with a free place: %v, %v", back.Status, err)
	}
	c, err := f.regs.Count(ctx, ev.ID)
	if err != nil || c.Confirmed != 2 || c.Waitlisted != 0 {
		t.Fatalf("counts %+v (%v), want 2 confirmed", c, err)
	}
	kinds := f.mailKinds(t, regs[0].ID)
	if kinds[len(kinds)-1] != string(outbox.Reinstated) {
		t.Errorf("last mail %v, want reinstated", kinds)
	}
	if action, details := f.lastAudit(t, regs[0].ID); action != string(audit.RegistrationReinstated) || !strings.Contains(details, "Bestätigt") || !strings.Contains(details, "mit E-Mail") {
		t.Errorf("audit %s %q", action, details)
	}
}

func TestReinstateIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	change := registration.StatusChange{Actor: audit.System, Notify: true}
	ev := f.mustEvent(t, 5, 0)
	active, err := f.regs.Register(ctx, ev.ID, guest(1, nil), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Reinstate(ctx, active.ID, change); !errors.Is(err, registration.ErrNotCancelled) {
		t.Errorf("reinstating an active registration: %v", err)
	}

	// Registered again after the cancellation: two active registrations
	// of one address are not allowed.
	again, err := f.regs.Register(ctx, ev.ID, guest(2, nil), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, again.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Register(ctx, ev.ID, guest(2, nil), registration.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Reinstate(ctx, again.ID, change); !errors.Is(err, registration.ErrRegisteredAgain) {
		t.Errorf("reinstating beside a new registration: %v", err)
	}

	// Erased at the person's request.
	gone, err := f.regs.Register(ctx, ev.ID, guest(3, nil), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := privacy.NewStore(f.db.Gorm, f.regs).DeleteRegistration(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Reinstate(ctx, gone.ID, change); !errors.Is(err, registration.ErrAnonymised) {
		t.Errorf("reinstating an erased registration: %v", err)
	}

	// A meeting in the past.
	yesterday := day.Today(time.Now()).In(time.UTC).AddDate(0, 0, -1).Format(day.Layout)
	past := f.mustEvent(t, 5, 0, yesterday)
	old, err := f.regs.Register(ctx, past.ID, guest(4, nil), registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, old.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Reinstate(ctx, old.ID, change); !errors.Is(err, registration.ErrMeetingOver) {
		t.Errorf("reinstating for a past meeting: %v", err)
	}
	if r, _ := f.regs.Get(ctx, old.ID); r.Status != registration.Cancelled {
		t.Errorf("a refused undo changed the status to %s", r.Status)
	}
}

// TestReinstateAndRegistrationRaceForTheLastPlace lets an undo and new
// registrations race for one free place, many times: never more
// confirmed than the capacity, whatever wins.
func TestReinstateAndRegistrationRaceForTheLastPlace(t *testing.T) {
	raceForTheLastPlace(t, newFixture(t))
}

// TestReinstateRaceOnPostgres is the race on PostgreSQL, where the
// meeting's row lock (not a database-wide write lock) orders them.
func TestReinstateRaceOnPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvURL) == "" {
		t.Skipf("%s is not set: the race runs on SQLite only (set it to a PostgreSQL server to run it there)", storetest.EnvURL)
	}
	raceForTheLastPlace(t, newFixture(t))
}

func raceForTheLastPlace(t *testing.T, f *fixture) {
	ctx := context.Background()
	const rounds, capacity, racers = 8, 3, 4
	for round := range rounds {
		ev := f.mustEvent(t, capacity, 0)
		var confirmed []registration.Registration
		for i := range capacity {
			r, err := f.regs.Register(ctx, ev.ID, guest(round*100+i, nil), registration.Options{})
			if err != nil {
				t.Fatal(err)
			}
			confirmed = append(confirmed, r)
		}
		// One place is freed by cancelling; then the undo of that
		// cancellation races new registrations for the place.
		if _, err := f.regs.Cancel(ctx, confirmed[0].ID, audit.System); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		var undone registration.Registration
		var undoErr error
		wg.Go(func() {
			<-start
			undone, undoErr = f.regs.Reinstate(ctx, confirmed[0].ID, registration.StatusChange{Actor: audit.System, Notify: true})
		})
		for i := range racers {
			wg.Go(func() {
				<-start
				if _, err := f.regs.Register(ctx, ev.ID, guest(round*100+50+i, nil), registration.Options{}); err != nil {
					t.Errorf("register: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if undoErr != nil {
			t.Fatalf("reinstate: %v", undoErr)
		}
		c, err := f.regs.Count(ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Confirmed != capacity || c.Waitlisted != racers {
			t.Fatalf("%s, round %d: %d confirmed, %d waiting; want %d and %d (the undo %s)",
				storetest.Describe(), round, c.Confirmed, c.Waitlisted, capacity, racers, undone.Status)
		}
		var counted int
		if err := f.db.Gorm.Raw("SELECT confirmed FROM registration_places WHERE event_id = ? AND municipality_id = 0", ev.ID).Scan(&counted).Error; err != nil || counted != capacity {
			t.Fatalf("counted places %d (%v), want %d", counted, err, capacity)
		}
	}
}
