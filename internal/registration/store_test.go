package registration_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

type fixture struct {
	db      *store.DB
	events  *event.Store
	munis   *municipality.Store
	regs    *registration.Store
	queued  int
	queueMu sync.Mutex
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{db: storetest.Open(t)}
	f.events = event.NewStore(f.db.Gorm)
	f.munis = municipality.NewStore(f.db.Gorm)
	f.regs = registration.NewStore(f.db.Gorm, func() { f.queueMu.Lock(); f.queued++; f.queueMu.Unlock() })
	return f
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) mustEvent(t testing.TB, capacity, quota int, days ...string) event.Event {
	t.Helper()
	if len(days) == 0 {
		days = []string{day.Today(time.Now()).In(time.UTC).AddDate(0, 1, 0).Format(day.Layout)}
	}
	var list day.List
	for _, d := range days {
		list = append(list, day.MustParse(d))
	}
	ev, err := f.events.Create(context.Background(), event.Input{
		Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Days: &list,
		Capacity: ptr(capacity), MunicipalityQuota: ptr(quota), Status: ptr(event.Published),
		VenueCity: ptr("Köln"),
	})
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return ev
}

func (f *fixture) mustMunicipality(t testing.TB, name string) municipality.Municipality {
	t.Helper()
	m, err := f.munis.Create(context.Background(), municipality.Input{Name: name})
	if err != nil {
		t.Fatalf("create municipality %s: %v", name, err)
	}
	return m
}

func person(i int, muni *int64) registration.Input {
	return registration.Input{
		Salutation: "Frau", FirstName: fmt.Sprintf("Erika%d", i), LastName: "Müller",
		Email: fmt.Sprintf("erika.%d@kommune.example", i), MunicipalityID: muni, PrivacyConsent: true,
	}
}

func TestConcurrentRegistrationsNeverOverbook(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const capacity, quota, people, municipalities = 60, 3, 200, 40
	ev := f.mustEvent(t, capacity, quota)
	ids := make([]int64, municipalities)
	for i := range ids {
		ids[i] = f.mustMunicipality(t, fmt.Sprintf("Stadt Test %02d", i)).ID
	}
	var wg sync.WaitGroup
	errs := make(chan error, people)
	start := make(chan struct{})
	for i := 0; i < people; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			if _, err := f.regs.Register(ctx, ev.ID, person(i, &ids[i%municipalities]), registration.Options{}); err != nil {
				errs <- err
			}
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("register: %v", err)
	}
	c, err := f.regs.Count(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirmed != capacity || c.Waitlisted != people-capacity {
		t.Fatalf("%s: confirmed %d waitlisted %d, want %d and %d", storetest.Describe(), c.Confirmed, c.Waitlisted, capacity, people-capacity)
	}
	for _, m := range c.ByMunicipality {
		if m.Confirmed > quota {
			t.Errorf("municipality %v has %d confirmed, quota %d", *m.MunicipalityID, m.Confirmed, quota)
		}
	}
	var rows []struct {
		RegistrationID int64
		N              int
	}
	if err := f.db.Gorm.Model(&outbox.Message{}).Select("registration_id, count(*) AS n").Group("registration_id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != people {
		t.Fatalf("outbox has mail for %d registrations, want %d", len(rows), people)
	}
	for _, r := range rows {
		if r.N != 1 {
			t.Errorf("registration %d has %d outbox rows", r.RegistrationID, r.N)
		}
	}
}

func TestQuotaSendsToWaitlistAndCancelPromotesFirstThatFits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 3, 2)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen").ID
	coesfeld := f.mustMunicipality(t, "Kreis Coesfeld").ID
	want := []struct {
		muni   int64
		status registration.Status
	}{
		{ahlen, registration.Confirmed},
		{ahlen, registration.Confirmed},
		{ahlen, registration.Waitlisted},   // quota of 2 reached
		{coesfeld, registration.Confirmed}, // capacity 3 reached
		{coesfeld, registration.Waitlisted},
	}
	var regs []registration.Registration
	for i, w := range want {
		r, err := f.regs.Register(ctx, ev.ID, person(i, &w.muni), registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != w.status {
			t.Fatalf("registration %d: status %s, want %s", i, r.Status, w.status)
		}
		regs = append(regs, r)
	}
	if pos, _ := f.regs.WaitlistPosition(ctx, regs[4]); pos != 2 {
		t.Errorf("waiting list position %d, want 2", pos)
	}
	// Coesfeld's confirmed person cancels: the first waiting (Ahlen) would
	// exceed Ahlen's quota, so the Coesfeld colleague behind moves up.
	if _, err := f.regs.Cancel(ctx, regs[3].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	got, _ := f.regs.Get(ctx, regs[4].ID)
	if got.Status != registration.Confirmed || got.PromotedAt == nil {
		t.Fatalf("Coesfeld colleague: %s, want promoted", got.Status)
	}
	still, _ := f.regs.Get(ctx, regs[2].ID)
	if still.Status != registration.Waitlisted {
		t.Fatalf("Ahlen third: %s, want still waiting", still.Status)
	}
	var kinds []outbox.Kind
	f.db.Gorm.Model(&outbox.Message{}).Where("registration_id IN ?", []int64{regs[3].ID, regs[4].ID}).Order("id").Pluck("kind", &kinds)
	wantKinds := []outbox.Kind{outbox.Confirmation, outbox.Waitlisted, outbox.Cancellation, outbox.Promotion}
	if fmt.Sprint(kinds) != fmt.Sprint(wantKinds) {
		t.Fatalf("mails %v, want %v", kinds, wantKinds)
	}
	if _, err := f.regs.Cancel(ctx, regs[3].ID, audit.System); !problem.Is(err, problem.Conflict) {
		t.Fatalf("second cancel: %v, want conflict", err)
	}
	// Raising the quota lets the Ahlen colleague in once a place frees up.
	if _, err := f.events.Update(ctx, ev.ID, event.Input{Capacity: ptr(4), MunicipalityQuota: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.regs.FillFromWaitlist(ctx, ev.ID); err != nil || n != 1 {
		t.Fatalf("fill from waitlist: %d, %v; want 1 promoted", n, err)
	}
}

func TestDuplicateEmailIsRefusedAndRenewableAfterCancel(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10, 0)
	in := registration.Input{FirstName: "Jörg", LastName: "Weiß", Email: "J.Weiss@Herne.de", Organisation: "Gast", PrivacyConsent: true}
	first, err := f.regs.Register(ctx, ev.ID, in, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Email != "j.weiss@herne.de" {
		t.Errorf("email stored as %q", first.Email)
	}
	in.Email = " j.weiss@herne.DE "
	_, err = f.regs.Register(ctx, ev.ID, in, registration.Options{})
	if pe, ok := problem.As(err); !ok || pe.Code != problem.Conflict || pe.Fields["email"] == "" {
		t.Fatalf("duplicate: %v, want conflict on email", err)
	}
	if _, err := f.regs.Cancel(ctx, first.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Register(ctx, ev.ID, in, registration.Options{}); err != nil {
		t.Fatalf("register again after cancel: %v", err)
	}
}

func TestValidationAndWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10, 0, "2099-05-11", "2099-05-12")
	_, err := f.regs.Register(ctx, ev.ID, registration.Input{Email: "kein-at", Days: day.List{day.MustParse("2099-05-13")}}, registration.Options{})
	pe, ok := problem.As(err)
	if !ok || pe.Code != problem.Invalid {
		t.Fatalf("got %v, want invalid", err)
	}
	for _, field := range []string{"first_name", "last_name", "email", "municipality_id", "days", "privacy_consent"} {
		if field == "days" && pe.Fields[field] != "Der 13.05.2099 ist kein Tag dieser Veranstaltung." {
			t.Errorf("days message %q", pe.Fields[field])
		}
		if pe.Fields[field] == "" {
			t.Errorf("no message for %s (have %v)", field, pe.Fields)
		}
	}
	closed := time.Now().Add(-time.Hour).Format(time.RFC3339)
	if _, err := f.events.Update(ctx, ev.ID, event.Input{RegistrationClosesAt: &closed}); err != nil {
		t.Fatal(err)
	}
	in := person(1, nil)
	in.Organisation = "MKFFI"
	in.Days = day.List{day.MustParse("2099-05-11")}
	if _, err := f.regs.Register(ctx, ev.ID, in, registration.Options{}); !problem.Is(err, problem.Closed) {
		t.Fatalf("after deadline: %v, want closed", err)
	}
	if r, err := f.regs.Register(ctx, ev.ID, in, registration.Options{IgnoreWindow: true}); err != nil || r.Status != registration.Confirmed {
		t.Fatalf("organiser after deadline: %v %v", r.Status, err)
	}
}

func TestChangesAreAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 1, 0)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen").ID
	coordinator := audit.User(0, "koordination@ahlen.example")
	coordinator.UserID = nil // no account row needed for the label
	first, err := f.regs.Register(ctx, ev.ID, person(1, &ahlen), registration.Options{Actor: coordinator})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.regs.Register(ctx, ev.ID, person(2, &ahlen), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := person(1, &ahlen)
	in.Function = "Gesundheitsamt"
	if _, err := f.regs.Update(ctx, first.ID, in, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, first.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	entries, err := audit.NewStore(f.db.Gorm).List(ctx, audit.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		got = append(got, fmt.Sprintf("%s %s %d", e.Actor, e.Action, e.ObjectID))
	}
	want := []string{
		fmt.Sprintf("koordination@ahlen.example registration.created %d", first.ID),
		fmt.Sprintf("erika.2@kommune.example registration.created %d", second.ID),
		fmt.Sprintf("Teilnehmerlink registration.updated %d", first.ID),
		fmt.Sprintf("Teilnehmerlink registration.cancelled %d", first.ID),
		fmt.Sprintf("System registration.promoted %d", second.ID),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("audit log\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(entries[2].Details, "Funktion: „“ → „Gesundheitsamt“") {
		t.Errorf("update details %q", entries[2].Details)
	}
}

func TestSearchFindsNamesWithUmlautsInAnyCase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10, 0)
	for i, name := range [][2]string{{"Özlem", "Öztürk"}, {"Zdzisław", "Ściegienny"}, {"Jürgen", "Weiß"}} {
		in := registration.Input{FirstName: name[0], LastName: name[1], Email: fmt.Sprintf("p%d@x.example", i), Organisation: "Gast", PrivacyConsent: true}
		if _, err := f.regs.Register(ctx, ev.ID, in, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	for query, want := range map[string]string{"öztürk": "Öztürk", "OZTU": "Öztürk", "ściegienny": "Ściegienny", "weiss": "Weiß", "p2@x": "Weiß"} {
		got, err := f.regs.List(ctx, ev.ID, registration.Filter{Query: query})
		if err != nil || len(got) != 1 || got[0].LastName != want {
			t.Errorf("search %q: %v %v", query, got, err)
		}
	}
}
