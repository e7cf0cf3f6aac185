package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

type fixture struct {
	db     *store.DB
	regs   *registration.Store
	outbox *outbox.Store
	event  event.Event
}

func ptr[T any](v T) *T { return &v }

// newFixture returns a database with one meeting and n registrations,
// each of which queued one message.
func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: storetest.Open(t)}
	f.regs = registration.NewStore(f.db.Gorm, nil)
	f.outbox = outbox.NewStore(f.db.Gorm)
	list := day.List{day.Of(day.Today(time.Now()).In(time.UTC).AddDate(0, 1, 0))}
	ev, err := event.NewStore(f.db.Gorm).Create(ctx, event.Input{
		Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Days: &list,
		Capacity: ptr(n + 1), Status: ptr(event.Published), VenueCity: ptr("Köln"),
	})
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	f.event = ev
	for i := range n {
		_, err := f.regs.Register(ctx, ev.ID, registration.Input{
			FirstName: "Erika", LastName: fmt.Sprintf("Müller%d", i), Email: fmt.Sprintf("erika%d@kommune.example", i),
			Organisation: "Jugendamt", PrivacyConsent: true,
		}, registration.Options{})
		if err != nil {
			t.Fatalf("register: %v", err)
		}
	}
	return f
}

func (f *fixture) mustClaim(t *testing.T, now time.Time, lease time.Duration) outbox.Message {
	t.Helper()
	m, ok, err := f.outbox.Claim(context.Background(), now, lease)
	if err != nil || !ok {
		t.Fatalf("claim at %v: ok %v, %v; want a message", now, ok, err)
	}
	return m
}

func (f *fixture) mustNotClaim(t *testing.T, now time.Time) {
	t.Helper()
	m, ok, err := f.outbox.Claim(context.Background(), now, time.Minute)
	if err != nil || ok {
		t.Fatalf("claim at %v: got message %d (%v); want none", now, m.ID, err)
	}
}

func TestClaimLeasesOldestDueMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 2)
	now := time.Now()
	first := f.mustClaim(t, now, time.Minute)
	second := f.mustClaim(t, now, time.Minute)
	if first.ID >= second.ID {
		t.Errorf("claimed %d before %d; want the oldest first", first.ID, second.ID)
	}
	if first.Status != outbox.Sending || first.Attempts != 1 || first.LockedUntil == nil ||
		first.LockedUntil.Sub(now) < 59*time.Second || first.LockedUntil.Sub(now) > 61*time.Second {
		t.Errorf("claimed message: status %s attempts %d locked until %v", first.Status, first.Attempts, first.LockedUntil)
	}
	f.mustNotClaim(t, now)
	f.mustNotClaim(t, now.Add(30*time.Second)) // leases still running
	if next, ok, err := f.outbox.NextDue(context.Background()); err != nil || !ok || !next.Equal(first.LockedUntil.UTC()) {
		t.Errorf("next due %v %v %v, want the first lease's end %v", next, ok, err, first.LockedUntil)
	}
}

func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	ctx := context.Background()
	m := f.mustClaim(t, time.Now(), time.Minute)
	// A worker that died: its message is still "sending", its lease is over.
	past := time.Now().Add(-time.Second).UTC()
	if err := f.db.Gorm.WithContext(ctx).Exec("UPDATE mail_outbox SET locked_until = ? WHERE id = ?", past, m.ID).Error; err != nil {
		t.Fatal(err)
	}
	again := f.mustClaim(t, time.Now(), time.Minute)
	if again.ID != m.ID || again.Attempts != 2 || again.Status != outbox.Sending || !again.LockedUntil.After(time.Now()) {
		t.Errorf("reclaimed: id %d attempts %d status %s until %v", again.ID, again.Attempts, again.Status, again.LockedUntil)
	}
	f.mustNotClaim(t, time.Now())
}

func TestRetryIsDueAtItsTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	ctx := context.Background()
	m := f.mustClaim(t, time.Now(), time.Minute)
	// A whole second: stored without fraction, compared with instants
	// that have one (SQLite keeps RFC 3339 text of varying length).
	next := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := f.outbox.MarkRetry(ctx, m.ID, "421 try again later", next); err != nil {
		t.Fatal(err)
	}
	got, err := f.outbox.Get(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != outbox.Pending || got.LastError != "421 try again later" || got.LockedUntil != nil || !got.NextAttemptAt.Equal(next) {
		t.Errorf("after retry: %+v", got)
	}
	f.mustNotClaim(t, next.Add(-500*time.Millisecond))
	if due, ok, err := f.outbox.NextDue(ctx); err != nil || !ok || !due.Equal(next) {
		t.Errorf("next due %v %v %v, want %v", due, ok, err, next)
	}
	if again := f.mustClaim(t, next.Add(500*time.Millisecond), time.Minute); again.ID != m.ID || again.Attempts != 2 {
		t.Errorf("claimed %d with %d attempts", again.ID, again.Attempts)
	}
}

func TestSentMessagesStaySent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1)
	ctx := context.Background()
	m := f.mustClaim(t, time.Now(), time.Minute)
	at := time.Now()
	if err := f.outbox.MarkSent(ctx, m.ID, outbox.Delivery{Subject: "Anmeldebestätigung", TextBody: "Text", HTMLBody: "<p>Text</p>",
		MessageID: "<outbox-1.treffen@x>", Transport: "smtp", AttachmentNames: []string{"einladung.ics", "", "pro\ngramm.pdf"}}, at); err != nil {
		t.Fatal(err)
	}
	// A late verdict of a worker whose lease had expired changes nothing.
	if err := f.outbox.MarkRetry(ctx, m.ID, "timeout", at); err != nil {
		t.Fatal(err)
	}
	if err := f.outbox.MarkFailed(ctx, m.ID, "timeout"); err != nil {
		t.Fatal(err)
	}
	got, err := f.outbox.Get(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != outbox.Sent || got.Subject != "Anmeldebestätigung" || got.TextBody != "Text" || got.MessageID != "<outbox-1.treffen@x>" ||
		got.Transport != "smtp" || got.SentAt == nil || got.LastError != "" || got.LockedUntil != nil || got.HTMLBody != "<p>Text</p>" || got.Logged() {
		t.Errorf("sent message: %+v", got)
	}
	if names := got.Attachments(); !slices.Equal(names, []string{"einladung.ics", "pro gramm.pdf"}) {
		t.Errorf("attachment names %q", names)
	}
	f.mustNotClaim(t, time.Now().Add(time.Hour))
	if err := f.outbox.MarkSent(ctx, 999999, outbox.Delivery{Transport: "smtp"}, at); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("mark unknown message sent: %v", err)
	}
}

func TestConcurrentClaimsNeverShareAMessage(t *testing.T) {
	t.Parallel()
	const messages, workers = 50, 8
	f := newFixture(t, messages)
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
	)
	start := make(chan struct{})
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				m, ok, err := f.outbox.Claim(context.Background(), time.Now(), time.Minute)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				claimed[m.ID]++
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(claimed) != messages {
		t.Errorf("%s: %d messages claimed, want %d", storetest.Describe(), len(claimed), messages)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}

func TestListCountFailAndRequeue(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	all, err := f.outbox.List(ctx, outbox.Filter{EventID: f.event.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID < all[1].ID || all[1].ID < all[2].ID {
		t.Fatalf("list: %d messages, want 3 newest first", len(all))
	}
	if none, err := f.outbox.List(ctx, outbox.Filter{EventID: f.event.ID + 1}); err != nil || len(none) != 0 {
		t.Errorf("other meeting: %d messages, %v", len(none), err)
	}
	if limited, err := f.outbox.List(ctx, outbox.Filter{Limit: 2}); err != nil || len(limited) != 2 {
		t.Errorf("limit 2: %d messages, %v", len(limited), err)
	}
	m := f.mustClaim(t, time.Now(), time.Minute)
	if err := f.outbox.MarkFailed(ctx, m.ID, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	failed, err := f.outbox.List(ctx, outbox.Filter{Status: outbox.Failed})
	if err != nil || len(failed) != 1 || failed[0].ID != m.ID || failed[0].LastError != "550 mailbox unavailable" {
		t.Fatalf("failed list: %+v, %v", failed, err)
	}
	byReg, err := f.outbox.List(ctx, outbox.Filter{RegistrationID: *m.RegistrationID})
	if err != nil || len(byReg) != 1 || byReg[0].ID != m.ID {
		t.Errorf("by registration: %+v, %v", byReg, err)
	}
	counts, err := f.outbox.CountByStatus(ctx, f.event.ID)
	if err != nil || counts[outbox.Pending] != 2 || counts[outbox.Failed] != 1 || len(counts) != 2 {
		t.Errorf("counts %v, %v", counts, err)
	}
	if total, err := f.outbox.CountByStatus(ctx, 0); err != nil || total[outbox.Pending]+total[outbox.Failed] != 3 {
		t.Errorf("counts of all meetings %v, %v", total, err)
	}

	pending := all[0].ID
	if pending == m.ID {
		pending = all[1].ID
	}
	if err := f.outbox.Requeue(ctx, pending); !errors.Is(err, outbox.ErrNotFailed) {
		t.Errorf("requeue of a pending message: %v, want ErrNotFailed", err)
	}
	if err := f.outbox.Requeue(ctx, 999999); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("requeue of an unknown message: %v, want ErrNotFound", err)
	}
	if _, err := f.outbox.Get(ctx, 999999); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("get unknown: %v", err)
	}
	if err := f.outbox.Requeue(ctx, m.ID); err != nil {
		t.Fatalf("requeue: %v", err)
	}
	got, err := f.outbox.Get(ctx, m.ID)
	if err != nil || got.Status != outbox.Pending || got.Attempts != 0 || got.NextAttemptAt.After(time.Now()) {
		t.Errorf("requeued: %+v, %v", got, err)
	}
}

func TestPruneBodiesKeepsTheDeliveryRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3)
	ctx := context.Background()
	now := time.Now()
	old, recent, waiting := f.mustClaim(t, now, time.Minute), f.mustClaim(t, now, time.Minute), f.mustClaim(t, now, time.Minute)
	for _, x := range []struct {
		m  outbox.Message
		at time.Time
	}{{old, now.AddDate(0, 0, -91)}, {recent, now.AddDate(0, 0, -89)}} {
		if err := f.outbox.MarkSent(ctx, x.m.ID, outbox.Delivery{Subject: "Anmeldebestätigung", TextBody: "Text", HTMLBody: "<p>Text</p>",
			MessageID: fmt.Sprintf("<outbox-%d@x>", x.m.ID), Transport: "smtp"}, x.at); err != nil {
			t.Fatal(err)
		}
	}
	// A waiting account mail keeps its body: it is the only copy of its link.
	if err := f.db.Gorm.Exec("UPDATE mail_outbox SET text_body = 'Link', html_body = 'Link', status = 'pending' WHERE id = ?", waiting.ID).Error; err != nil {
		t.Fatal(err)
	}
	for run, want := range []int64{1, 0} { // the second run finds nothing left to do
		n, err := f.outbox.PruneBodies(ctx, now.AddDate(0, 0, -90))
		if err != nil || n != want {
			t.Errorf("run %d pruned %d messages (%v), want %d", run+1, n, err, want)
		}
	}
	got, err := f.outbox.Get(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TextBody != "" || got.HTMLBody != "" || got.Status != outbox.Sent || got.Subject != "Anmeldebestätigung" ||
		got.MessageID == "" || got.SentAt == nil || got.Recipient == "" || got.Kind != outbox.Confirmation {
		t.Errorf("pruned message: %+v", got)
	}
	for _, id := range []int64{recent.ID, waiting.ID} {
		if m, err := f.outbox.Get(ctx, id); err != nil || m.TextBody == "" {
			t.Errorf("message %d lost its body (%v)", id, err)
		}
	}
}

// TestPagesWalkTheLogBothWays pages through 7 mails 3 at a time, older
// and back newer, with a filter, and counts the progress of a group.
func TestPagesWalkTheLogBothWays(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 7)
	ctx := context.Background()
	all, err := f.outbox.List(ctx, outbox.Filter{})
	if err != nil || len(all) != 7 {
		t.Fatalf("list: %d, %v", len(all), err)
	}
	ids := func(p outbox.Page) []int64 {
		var out []int64
		for _, m := range p.Messages {
			out = append(out, m.ID)
		}
		return out
	}
	want := func(from, to int) []int64 { // ids of all[from:to], newest first
		var out []int64
		for _, m := range all[from:to] {
			out = append(out, m.ID)
		}
		return out
	}
	first, err := f.outbox.Page(ctx, outbox.Filter{}, outbox.Cursor{}, 3)
	if err != nil || !slices.Equal(ids(first), want(0, 3)) || first.Newer != 0 || first.Older != all[2].ID {
		t.Fatalf("newest page %v (newer %d, older %d), %v; want %v", ids(first), first.Newer, first.Older, err, want(0, 3))
	}
	second, _ := f.outbox.Page(ctx, outbox.Filter{}, outbox.Cursor{Before: first.Older}, 3)
	if !slices.Equal(ids(second), want(3, 6)) || second.Newer != all[3].ID || second.Older != all[5].ID {
		t.Errorf("second page %v (newer %d, older %d); want %v", ids(second), second.Newer, second.Older, want(3, 6))
	}
	last, _ := f.outbox.Page(ctx, outbox.Filter{}, outbox.Cursor{Before: second.Older}, 3)
	if !slices.Equal(ids(last), want(6, 7)) || last.Older != 0 || last.Newer != all[6].ID {
		t.Errorf("oldest page %v (newer %d, older %d); want %v", ids(last), last.Newer, last.Older, want(6, 7))
	}
	back, _ := f.outbox.Page(ctx, outbox.Filter{}, outbox.Cursor{After: last.Newer}, 3)
	if !slices.Equal(ids(back), want(3, 6)) || back.Newer != all[3].ID || back.Older != all[5].ID {
		t.Errorf("back to newer %v (newer %d, older %d); want %v", ids(back), back.Newer, back.Older, want(3, 6))
	}
	top, _ := f.outbox.Page(ctx, outbox.Filter{}, outbox.Cursor{After: back.Newer}, 3)
	if !slices.Equal(ids(top), want(0, 3)) || top.Newer != 0 || top.Older != all[2].ID {
		t.Errorf("back to the newest %v (newer %d, older %d); want %v", ids(top), top.Newer, top.Older, want(0, 3))
	}

	m := f.mustClaim(t, time.Now(), time.Minute)
	if err := f.outbox.MarkFailed(ctx, m.ID, "550"); err != nil {
		t.Fatal(err)
	}
	sent := f.mustClaim(t, time.Now(), time.Minute)
	if err := f.outbox.MarkSent(ctx, sent.ID, outbox.Delivery{Transport: outbox.TransportLog}, time.Now()); err != nil {
		t.Fatal(err)
	}
	failed, _ := f.outbox.Page(ctx, outbox.Filter{Status: outbox.Failed, Kind: outbox.Confirmation, EventID: f.event.ID}, outbox.Cursor{}, 3)
	if !slices.Equal(ids(failed), []int64{m.ID}) || failed.Older != 0 || failed.Newer != 0 {
		t.Errorf("failed only: %v", ids(failed))
	}
	if none, _ := f.outbox.Page(ctx, outbox.Filter{Kind: outbox.Cancellation}, outbox.Cursor{}, 3); len(none.Messages) != 0 {
		t.Errorf("cancellations: %v", ids(none))
	}
	if got, _ := f.outbox.Get(ctx, sent.ID); !got.Logged() {
		t.Errorf("mail sent to the log is not Logged: %+v", got)
	}
	p, err := f.outbox.Progress(ctx, outbox.ProgressFilter{EventID: f.event.ID, Kinds: []outbox.Kind{outbox.Confirmation}})
	if err != nil || p != (outbox.Progress{Sent: 1, Logged: 1, Failed: 1, Pending: 5, Total: 7}) || p.Done() != 28 {
		t.Errorf("progress %+v (%d%%), %v", p, p.Done(), err)
	}
	if p, _ := f.outbox.Progress(ctx, outbox.ProgressFilter{EventID: f.event.ID, Kinds: []outbox.Kind{outbox.EventInvitation}}); p.Total != 0 || p.Done() != 100 {
		t.Errorf("progress of no mails %+v", p)
	}
}
