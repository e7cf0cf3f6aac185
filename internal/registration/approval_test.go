package registration_test

import (
	"context"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// settle changes a meeting's approval and waiting-list settings.
func (f *fixture) settle(t testing.TB, ev event.Event, in event.Input) event.Event {
	t.Helper()
	ev, err := f.events.Update(context.Background(), ev.ID, in)
	if err != nil {
		t.Fatalf("settings of event %d: %v", ev.ID, err)
	}
	return ev
}

// mails lists the kinds of mail queued for a registration, oldest first.
func (f *fixture) mails(t testing.TB, registrationID int64) []outbox.Kind {
	t.Helper()
	var kinds []outbox.Kind
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("registration_id = ?", registrationID).Order("id").Pluck("kind", &kinds).Error; err != nil {
		t.Fatal(err)
	}
	return kinds
}

func (f *fixture) places(t testing.TB, eventID int64) int {
	t.Helper()
	var n int
	if err := f.db.Gorm.Raw("SELECT coalesce(max(confirmed), 0) FROM registration_places WHERE event_id = ? AND municipality_id = 0", eventID).Row().Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func sameKinds(a []outbox.Kind, b ...outbox.Kind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestApprovalHoldsNoPlaceUntilApproved(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	orga := audit.Actor{Label: "orga@isa.example"}
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	ev := f.settle(t, f.mustEvent(t, 2, 0), event.Input{RequiresApproval: ptr(true)})

	var regs []registration.Registration
	for i := range 4 {
		r, err := f.regs.Register(ctx, ev.ID, person(i, &ahlen.ID), registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != registration.Pending {
			t.Fatalf("%s: %s, want pending", r.Email, r.Status)
		}
		if k := f.mails(t, r.ID); !sameKinds(k, outbox.UnderReview) {
			t.Fatalf("%s: mails %v, want the review notice", r.Email, k)
		}
		regs = append(regs, r)
	}
	if c, _ := f.regs.Count(ctx, ev.ID); c.Pending != 4 || c.Confirmed != 0 || c.Waitlisted != 0 || c.ByMunicipality[0].Pending != 4 {
		t.Fatalf("counts %+v, want 4 pending and nothing else", c)
	}
	if n := f.places(t, ev.ID); n != 0 {
		t.Fatalf("%d places counted for pending registrations, want 0", n)
	}

	// Two places: the first two approved are confirmed, the third waits.
	want := []registration.Status{registration.Confirmed, registration.Confirmed, registration.Waitlisted}
	wantMail := []outbox.Kind{outbox.Confirmation, outbox.Confirmation, outbox.Waitlisted}
	for i, w := range want {
		r, err := f.regs.Approve(ctx, regs[i].ID, orga)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != w {
			t.Fatalf("approved %s: %s, want %s", r.Email, r.Status, w)
		}
		if k := f.mails(t, r.ID); !sameKinds(k, outbox.UnderReview, wantMail[i]) {
			t.Fatalf("%s: mails %v", r.Email, k)
		}
	}
	if n := f.places(t, ev.ID); n != 2 {
		t.Fatalf("%d places counted, want 2", n)
	}
	if _, err := f.regs.Approve(ctx, regs[0].ID, orga); !problem.Is(err, problem.Conflict) {
		t.Fatalf("approving a confirmed registration again: %v, want a conflict", err)
	}

	declined, err := f.regs.Decline(ctx, regs[3].ID, "  Die Veranstaltung richtet sich an Jugendämter.  ", orga)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.regs.Get(ctx, declined.ID)
	if stored.Status != registration.Declined || stored.DeclineReason != "Die Veranstaltung richtet sich an Jugendämter." || stored.DeclinedAt == nil {
		t.Fatalf("declined registration stored as %s, %q, %v", stored.Status, stored.DeclineReason, stored.DeclinedAt)
	}
	if k := f.mails(t, declined.ID); !sameKinds(k, outbox.UnderReview, outbox.Declined) {
		t.Fatalf("declined: mails %v", k)
	}
	if _, err := f.regs.Cancel(ctx, declined.ID, orga); !problem.Is(err, problem.Conflict) {
		t.Fatalf("cancelling a declined registration: %v, want a conflict", err)
	}
	if _, err := f.regs.Decline(ctx, regs[1].ID, "", orga); !problem.Is(err, problem.Conflict) {
		t.Fatalf("declining a confirmed registration: %v, want a conflict", err)
	}
	c, _ := f.regs.Count(ctx, ev.ID)
	if c.Pending != 0 || c.Confirmed != 2 || c.Waitlisted != 1 || c.Declined != 1 || c.Cancelled != 0 {
		t.Fatalf("counts %+v", c)
	}

	// A declined address may register again, like a cancelled one.
	again, err := f.regs.Register(ctx, ev.ID, person(3, &ahlen.ID), registration.Options{})
	if err != nil || again.Status != registration.Pending {
		t.Fatalf("registering again after the refusal: %v, %s", err, again.Status)
	}
	// Cancelling a pending registration gives back no place.
	if _, err := f.regs.Cancel(ctx, again.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if n := f.places(t, ev.ID); n != 2 {
		t.Fatalf("%d places counted after cancelling a pending one, want 2", n)
	}

	var actions []audit.Action
	if err := f.db.Gorm.Table("audit_log").Where("event_id = ? AND action IN ?", ev.ID,
		[]audit.Action{audit.RegistrationApproved, audit.RegistrationDeclined}).Order("id").Pluck("action", &actions).Error; err != nil {
		t.Fatal(err)
	}
	if len(actions) != 4 || actions[3] != audit.RegistrationDeclined {
		t.Fatalf("audit %v, want three approvals and one refusal", actions)
	}
}

func TestWalkInNeedsNoApproval(t *testing.T) {
	f := newFixture(t)
	ev := f.settle(t, f.mustEvent(t, 5, 0), event.Input{RequiresApproval: ptr(true)})
	in := person(1, nil)
	in.Organisation = "Land NRW"
	r, err := f.regs.Register(context.Background(), ev.ID, in, registration.Options{WalkIn: true, Actor: audit.Actor{Label: "host"}})
	if err != nil || r.Status != registration.Confirmed {
		t.Fatalf("walk-in: %v, %s; want confirmed", err, r.Status)
	}
}

func TestFullMeetingWithoutWaitlistRefuses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ahlen, herne := f.mustMunicipality(t, "Stadt Ahlen"), f.mustMunicipality(t, "Stadt Herne")
	ev := f.settle(t, f.mustEvent(t, 2, 1), event.Input{WaitlistEnabled: ptr(false)})
	if _, err := f.regs.Register(ctx, ev.ID, person(1, &ahlen.ID), registration.Options{}); err != nil {
		t.Fatal(err)
	}
	// Ahlen's quota is used up: no waiting list, so no registration.
	_, err := f.regs.Register(ctx, ev.ID, person(2, &ahlen.ID), registration.Options{})
	if pe, ok := problem.As(err); !ok || pe.Code != problem.NoWaitlist || pe.Message != "Die Veranstaltung ist ausgebucht; eine Warteliste gibt es nicht." {
		t.Fatalf("quota full without waiting list: %v", err)
	}
	if _, err := f.regs.Register(ctx, ev.ID, person(3, &herne.ID), registration.Options{}); err != nil {
		t.Fatal(err)
	}
	guest := person(4, nil)
	guest.Organisation = "Land NRW"
	if _, err := f.regs.Register(ctx, ev.ID, guest, registration.Options{}); !problem.Is(err, problem.NoWaitlist) {
		t.Fatalf("meeting full without waiting list: %v", err)
	}
	var regs, mails int64
	f.db.Gorm.Model(&registration.Registration{}).Where("event_id = ?", ev.ID).Count(&regs)
	f.db.Gorm.Model(&outbox.Message{}).Where("event_id = ?", ev.ID).Count(&mails)
	if regs != 2 || mails != 2 {
		t.Fatalf("%d registrations and %d mails written, want 2 and 2: a refusal writes nothing", regs, mails)
	}

	// With approval the review cannot end in a place either: refused when sent.
	f.settle(t, ev, event.Input{RequiresApproval: ptr(true)})
	if _, err := f.regs.Register(ctx, ev.ID, person(5, &herne.ID), registration.Options{}); !problem.Is(err, problem.NoWaitlist) {
		t.Fatalf("full meeting with approval and without waiting list: %v", err)
	}
}

func TestApprovalWithoutPlaceOrWaitlistStaysPending(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.settle(t, f.mustEvent(t, 1, 0), event.Input{RequiresApproval: ptr(true), WaitlistEnabled: ptr(false)})
	var regs []registration.Registration
	for i := range 2 {
		in := person(i, nil)
		in.Organisation = "Land NRW"
		r, err := f.regs.Register(ctx, ev.ID, in, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	if _, err := f.regs.Approve(ctx, regs[0].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	_, err := f.regs.Approve(ctx, regs[1].ID, audit.System)
	if pe, ok := problem.As(err); !ok || pe.Code != problem.NoWaitlist || pe.Message != "Die Veranstaltung ist ausgebucht; eine Warteliste gibt es nicht. Die Anmeldung bleibt in Prüfung." {
		t.Fatalf("approving without a place: %v", err)
	}
	if r, _ := f.regs.Get(ctx, regs[1].ID); r.Status != registration.Pending {
		t.Fatalf("after the refused approval: %s, want pending", r.Status)
	}
	if k := f.mails(t, regs[1].ID); !sameKinds(k, outbox.UnderReview) {
		t.Fatalf("mails %v, want only the review notice", k)
	}
}

// TestWaitlistLimitHoldsUnderConcurrency: capacity 10, at most 5
// waiting, 40 at once: exactly 10 confirmed, 5 waiting, 25 refused.
func TestWaitlistLimitHoldsUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.settle(t, f.mustEvent(t, 10, 0), event.Input{WaitlistLimit: ptr(5)})
	const people = 40
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, people)
	for i := range people {
		wg.Go(func() {
			<-start
			in := person(i, nil)
			in.Organisation = "Jugendamt"
			if _, err := f.regs.Register(ctx, ev.ID, in, registration.Options{}); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	refused := 0
	for err := range errs {
		if pe, ok := problem.As(err); !ok || pe.Code != problem.WaitlistFull || pe.Message != "Die Veranstaltung ist ausgebucht und die Warteliste ist voll." {
			t.Errorf("register: %v", err)
			continue
		}
		refused++
	}
	c, err := f.regs.Count(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirmed != 10 || c.Waitlisted != 5 || refused != 25 {
		t.Fatalf("%s: %d confirmed, %d waiting, %d refused; want 10, 5, 25", storetest.Describe(), c.Confirmed, c.Waitlisted, refused)
	}
}
