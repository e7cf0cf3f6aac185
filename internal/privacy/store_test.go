package privacy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

type fixture struct {
	t        testing.TB
	db       *store.DB
	events   *event.Store
	regs     *registration.Store
	privacy  *privacy.Store
	checkins *checkin.Store
	audit    *audit.Store
	ahlen    int64
	coesfeld int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t)
	regs := registration.NewStore(db.Gorm, nil)
	f := &fixture{t: t, db: db, events: event.NewStore(db.Gorm), regs: regs, privacy: privacy.NewStore(db.Gorm, regs),
		checkins: checkin.NewStore(db.Gorm), audit: audit.NewStore(db.Gorm)}
	munis := municipality.NewStore(db.Gorm)
	for name, id := range map[string]*int64{"Stadt Ahlen": &f.ahlen, "Kreis Coesfeld": &f.coesfeld} {
		m, err := munis.Create(context.Background(), municipality.Input{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		*id = m.ID
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// meeting creates a meeting whose only day is monthsAgo months before
// today (negative: in the future).
func (f *fixture) meeting(monthsAgo int, capacity int) event.Event {
	f.t.Helper()
	d := day.Of(day.Today(time.Now()).In(time.UTC).AddDate(0, -monthsAgo, -1))
	list := day.List{d}
	ev, err := f.events.Create(context.Background(), event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(20),
		Days: &list, Capacity: ptr(capacity), Status: ptr(event.Published), VenueCity: ptr("Essen")})
	if err != nil {
		f.t.Fatal(err)
	}
	return ev
}

func (f *fixture) register(ev event.Event, first, email string, muni int64) registration.Registration {
	f.t.Helper()
	r, err := f.regs.Register(context.Background(), ev.ID, registration.Input{Salutation: "Frau", AcademicTitle: "Dr.",
		FirstName: first, LastName: "Zyxwort", Email: email, Phone: "0251 123456", MunicipalityID: &muni,
		Function: "Jugendamt", DietaryNeeds: "vegan", AccessibilityNeeds: "Rollstuhl", PhotoConsent: true, PrivacyConsent: true},
		registration.Options{IgnoreWindow: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// markSent pretends the worker delivered the registration's mails.
func (f *fixture) markSent(regID int64, body string) {
	f.t.Helper()
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("registration_id = ?", regID).
		UpdateColumns(map[string]any{"status": outbox.Sent, "subject": "Anmeldebestätigung", "text_body": body, "html_body": body, "sent_at": time.Now().UTC()}).Error; err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) mails(regID int64) []outbox.Message {
	f.t.Helper()
	var out []outbox.Message
	if err := f.db.Gorm.Where("registration_id = ?", regID).Order("id").Find(&out).Error; err != nil {
		f.t.Fatal(err)
	}
	return out
}

// dump is every text column of the tables that may hold personal data.
func (f *fixture) dump() string {
	f.t.Helper()
	var b strings.Builder
	for _, table := range []string{"registrations", "mail_outbox", "audit_log", "users"} {
		var rows []map[string]any
		if err := f.db.Gorm.Table(table).Find(&rows).Error; err != nil {
			f.t.Fatal(err)
		}
		raw, _ := json.Marshal(rows)
		b.Write(raw)
	}
	return b.String()
}

func TestRetentionAnonymisesPastMeetingsOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := f.meeting(13, 2)
	recent := f.meeting(11, 10)
	upcoming := f.meeting(-1, 10)

	a1 := f.register(old, "Alwine", "alwine@ahlen.example", f.ahlen)
	a2 := f.register(old, "Agathe", "agathe@ahlen.example", f.ahlen)
	c1 := f.register(old, "Cordula", "cordula@coesfeld.example", f.coesfeld) // waiting list: capacity 2
	gone := f.register(old, "Gisela", "gisela@coesfeld.example", f.coesfeld)
	if _, err := f.regs.Cancel(ctx, gone.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if _, err := f.checkins.Record(ctx, old, a1, old.Days[0], nil); err != nil {
		t.Fatal(err)
	}
	f.markSent(a1.ID, "Guten Tag Alwine Zyxwort")
	keep := f.register(recent, "Rosalind", "rosalind@ahlen.example", f.ahlen)
	future := f.register(upcoming, "Ulrike", "ulrike@ahlen.example", f.ahlen)

	before, err := f.regs.Count(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkedBefore, _ := f.checkins.CheckedIn(ctx, old.ID)

	dry, err := f.privacy.Anonymise(ctx, 12, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Meetings) != 1 || dry.Meetings[0].EventID != old.ID || dry.Meetings[0].Registrations != 4 {
		t.Fatalf("dry run: %+v", dry)
	}
	if got, _ := f.regs.Get(ctx, a1.ID); got.FirstName != "Alwine" {
		t.Fatal("the dry run changed data")
	}

	run, err := f.privacy.Anonymise(ctx, 12, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Meetings) != 1 || run.Meetings[0].EventID != old.ID {
		t.Fatalf("run: %+v", run)
	}
	after, err := f.regs.Count(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	bj, _ := json.Marshal(before)
	aj, _ := json.Marshal(after)
	if string(bj) != string(aj) {
		t.Errorf("attendance numbers changed:\nbefore %s\nafter  %s", bj, aj)
	}
	checkedAfter, _ := f.checkins.CheckedIn(ctx, old.ID)
	if len(checkedAfter) != len(checkedBefore) || len(checkedAfter[a1.ID]) != 1 {
		t.Errorf("check-ins changed: %v → %v", checkedBefore, checkedAfter)
	}
	for _, r := range []registration.Registration{a1, a2, c1, gone} {
		got, err := f.regs.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstName != privacy.AnonymousFirstName || got.Email != privacy.AnonymousEmail(r.ID) || got.Phone != "" ||
			got.Function != "" || got.DietaryNeeds != "" || got.AccessibilityNeeds != "" || got.AcademicTitle != "" ||
			got.ManageToken == r.ManageToken || got.CheckinCode == r.CheckinCode || got.PhotoConsent {
			t.Errorf("registration %d not anonymised: %+v", r.ID, got)
		}
		if got.Status != r.Status && r.ID != gone.ID || got.MunicipalityID == nil || *got.MunicipalityID != *r.MunicipalityID {
			t.Errorf("registration %d lost status or municipality: %+v", r.ID, got)
		}
		if _, err := f.regs.ByToken(ctx, r.ManageToken); err == nil {
			t.Errorf("the old manage link of %d still opens it", r.ID)
		}
	}
	for _, m := range f.mails(a1.ID) {
		if m.Status != outbox.Sent || m.Recipient != "" || m.TextBody != "" || m.HTMLBody != "" || m.Subject == "" {
			t.Errorf("sent mail not blanked or gone: %+v", m)
		}
	}
	if ms := f.mails(a2.ID); len(ms) != 0 {
		t.Errorf("unsent mails of an anonymised registration stay: %d", len(ms))
	}
	dump := f.dump()
	for _, name := range []string{"Alwine", "Agathe", "Cordula", "Gisela", "alwine@", "gisela@"} {
		if strings.Contains(dump, name) {
			t.Errorf("%q is still stored after the anonymisation", name)
		}
	}
	for _, name := range []string{"Rosalind", "Ulrike"} {
		if !strings.Contains(dump, name) {
			t.Errorf("%s (meeting within the period) was anonymised too", name)
		}
	}
	if got, _ := f.regs.Get(ctx, keep.ID); got.Email != keep.Email {
		t.Error("a meeting within the retention period was anonymised")
	}
	if got, _ := f.regs.Get(ctx, future.ID); got.Email != future.Email {
		t.Error("an upcoming meeting was anonymised")
	}
	if at, err := f.privacy.AnonymisedAt(ctx, old.ID); err != nil || at == nil {
		t.Errorf("meeting not marked: %v %v", at, err)
	}
	entries, err := f.audit.List(ctx, audit.Filter{EventID: old.ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || e.Action == audit.PrivacyAnonymised && strings.Contains(e.Details, "4 Anmeldung")
	}
	if !found {
		t.Errorf("no audit entry for the retention run: %+v", entries)
	}

	again, err := f.privacy.Anonymise(ctx, 12, false)
	if err != nil || len(again.Meetings) != 0 {
		t.Errorf("second run: %+v %v", again, err)
	}
	if off, err := f.privacy.Anonymise(ctx, 0, false); err != nil || len(off.Meetings) != 0 {
		t.Errorf("retention 0 must do nothing: %+v %v", off, err)
	}
	// A shorter period catches the recent meeting too.
	if short, err := f.privacy.Anonymise(ctx, 6, false); err != nil || len(short.Meetings) != 1 || short.Meetings[0].EventID != recent.ID {
		t.Errorf("6 months: %+v %v", short, err)
	}
}

func TestDeleteRegistrationPassesThePlaceOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.meeting(-1, 1)
	me := f.register(ev, "Mechthild", "mechthild@ahlen.example", f.ahlen)
	next := f.register(ev, "Notburga", "notburga@coesfeld.example", f.coesfeld)
	if next.Status != registration.Waitlisted {
		t.Fatalf("setup: %s", next.Status)
	}
	f.markSent(me.ID, "Guten Tag Mechthild")
	// A queued mail not yet sent must not go out any more.
	if err := f.regs.RequestCertificate(ctx, me.ID); err != nil {
		t.Fatal(err)
	}
	er, err := f.privacy.DeleteRegistration(ctx, me.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(er.Cancelled) != 1 || er.MailsDropped != 1 {
		t.Errorf("erasure: %+v", er)
	}
	got, _ := f.regs.Get(ctx, me.ID)
	if got.Status != registration.Cancelled || got.FirstName != privacy.AnonymousFirstName || *got.MunicipalityID != f.ahlen {
		t.Errorf("after delete: %+v", got)
	}
	promoted, _ := f.regs.Get(ctx, next.ID)
	if promoted.Status != registration.Confirmed {
		t.Errorf("waiting list not promoted: %s", promoted.Status)
	}
	var promotion int64
	f.db.Gorm.Model(&outbox.Message{}).Where("registration_id = ? AND kind = ?", next.ID, outbox.Promotion).Count(&promotion)
	if promotion != 1 {
		t.Errorf("promotion mails: %d", promotion)
	}
	for _, m := range f.mails(me.ID) {
		if m.Status != outbox.Sent || m.Recipient != "" {
			t.Errorf("mail left: %+v", m)
		}
	}
	if strings.Contains(f.dump(), "Mechthild") || strings.Contains(f.dump(), "mechthild@") {
		t.Error("the person's name or address is still stored")
	}
	entries, _ := f.audit.List(ctx, audit.Filter{ObjectType: "registration", ObjectID: me.ID})
	var actions []string
	for _, e := range entries {
		actions = append(actions, string(e.Action))
	}
	if !strings.Contains(strings.Join(actions, " "), string(audit.PrivacyDeleted)) {
		t.Errorf("audit: %v", actions)
	}
}

func TestErasePersonAcrossMeetings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	one, two := f.meeting(-1, 10), f.meeting(3, 10)
	const email = "klothilde@ahlen.example"
	r1 := f.register(one, "Klothilde", email, f.ahlen)
	r2 := f.register(two, "Klothilde", email, f.ahlen)
	other := f.register(one, "Otto", "otto@coesfeld.example", f.coesfeld)
	users := account.NewStore(f.db.Gorm).WithBcryptCost(bcrypt.MinCost)
	u, err := users.Create(ctx, account.NewUser{Email: email, Name: "Klothilde Zyxwort", Password: "ein-langes-passwort",
		Role: account.Coordinator, MunicipalityID: &f.ahlen})
	if err != nil {
		t.Fatal(err)
	}
	orga, err := users.Create(ctx, account.NewUser{Email: "orga@isa.example", Password: "ein-langes-passwort", Role: account.Organiser})
	if err != nil {
		t.Fatal(err)
	}
	actor := audit.User(orga.ID, orga.Email)

	person, err := f.privacy.ExportPerson(ctx, " Klothilde@Ahlen.example ", actor)
	if err != nil {
		t.Fatal(err)
	}
	if len(person.Registrations) != 2 || person.Account == nil || person.Account.ID != u.ID || person.Account.Municipality != "Stadt Ahlen" {
		t.Fatalf("export: %+v", person)
	}
	raw, _ := json.Marshal(person)
	if strings.Contains(string(raw), "Otto") || strings.Contains(string(raw), other.Email) || strings.Contains(string(raw), r1.ManageToken) {
		t.Error("the export holds another person's data or the manage link")
	}

	er, err := f.privacy.ErasePerson(ctx, email, actor)
	if err != nil {
		t.Fatal(err)
	}
	if len(er.Registrations) != 2 || len(er.Cancelled) != 2 || er.AccountErased == nil || *er.AccountErased != u.ID {
		t.Errorf("erasure: %+v", er)
	}
	for _, id := range []int64{r1.ID, r2.ID} {
		got, _ := f.regs.Get(ctx, id)
		if got.Email != privacy.AnonymousEmail(id) || got.Status != registration.Cancelled {
			t.Errorf("registration %d: %+v", id, got)
		}
	}
	if got, _ := f.regs.Get(ctx, other.ID); got.FirstName != "Otto" || got.Status != registration.Confirmed {
		t.Errorf("another person was touched: %+v", got)
	}
	if _, err := users.Get(ctx, u.ID); err == nil {
		t.Error("the coordinator account is still there")
	}
	dump := f.dump()
	if strings.Contains(dump, "Klothilde") || strings.Contains(strings.ToLower(dump), email) {
		t.Error("name or address still stored after erasure")
	}
	if _, err := f.privacy.Person(ctx, email); err == nil {
		t.Error("the address still finds data")
	}
	entries, _ := f.audit.List(ctx, audit.Filter{})
	var exported, erased bool
	for _, e := range entries {
		exported = exported || e.Action == audit.PrivacyExported && e.ActorUserID != nil && *e.ActorUserID == orga.ID
		erased = erased || e.Action == audit.PrivacyErased && e.ObjectType == "person" && strings.Contains(e.Details, "2 Anmeldung")
	}
	if !exported || !erased {
		t.Errorf("audit: exported %v erased %v", exported, erased)
	}

	// Organiser accounts stay.
	er, err = f.privacy.ErasePerson(ctx, "orga@isa.example", actor)
	if err != nil || er.AccountErased != nil || er.AccountKept == "" {
		t.Errorf("organiser erasure: %+v %v", er, err)
	}
}

func TestRegistrationExportHoldsOnlyThePerson(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.meeting(-1, 10)
	me := f.register(ev, "Hedwig", "hedwig@ahlen.example", f.ahlen)
	f.register(ev, "Irmgard", "irmgard@coesfeld.example", f.coesfeld)
	f.markSent(me.ID, "Hallo")
	exp, err := f.privacy.Registration(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(exp)
	s := string(raw)
	for _, want := range []string{"Hedwig", "hedwig@ahlen.example", "Stadt Ahlen", "Anmeldebestätigung", "vegan", "Essen"} {
		if !strings.Contains(s, want) {
			t.Errorf("export lacks %q: %s", want, s)
		}
	}
	for _, not := range []string{"Irmgard", "irmgard@", me.ManageToken} {
		if strings.Contains(s, not) {
			t.Errorf("export holds %q", not)
		}
	}
}

// BenchmarkAnonymiseMeeting measures one retention run over a meeting of
// 500 registrations, each with a sent mail and a check-in.
func BenchmarkAnonymiseMeeting(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixture(b)
		ev := f.meeting(13, 1000)
		for j := 0; j < 500; j++ {
			r := f.register(ev, fmt.Sprintf("Person%d", j), fmt.Sprintf("p%d@ahlen.example", j), f.ahlen)
			if _, err := f.checkins.Record(ctx, ev, r, ev.Days[0], nil); err != nil {
				b.Fatal(err)
			}
		}
		f.db.Gorm.Model(&outbox.Message{}).Where("1 = 1").UpdateColumns(map[string]any{"status": outbox.Sent, "text_body": "Hallo"})
		b.StartTimer()
		run, err := f.privacy.Anonymise(ctx, 12, false)
		if err != nil || len(run.Meetings) != 1 || run.Meetings[0].Registrations != 500 {
			b.Fatalf("%+v %v", run, err)
		}
	}
}

// A network contact is part of the person's data: exported, and deleted
// on erasure with the unsent invitations; a contact alone is a person.
func TestExportAndEraseNetworkContacts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	contacts := contact.NewStore(f.db.Gorm)
	c, err := contacts.Create(ctx, contact.Input{MunicipalityID: f.ahlen, Name: "Karla Kontakt", Email: "karla@ahlen.example", Function: "Jugendamt"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.events.Create(ctx, event.Input{Kind: ptrTo(event.Lernnetzwerktreffen), Number: ptrTo(30), Capacity: ptrTo(10),
		Days: &day.List{day.Of(time.Now().AddDate(0, 1, 0))}, Status: ptrTo(event.Published)})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := contacts.Send(ctx, ev, outbox.EventInvitation, nil); err != nil || res.Queued != 1 {
		t.Fatalf("invite: %+v %v", res, err)
	}
	out, err := f.privacy.Person(ctx, "Karla@Ahlen.example")
	if err != nil || len(out.Contacts) != 1 || out.Contacts[0].Municipality != "Stadt Ahlen" || len(out.Contacts[0].Mails) != 1 {
		t.Fatalf("export: %+v %v", out, err)
	}
	erased, err := f.privacy.ErasePerson(ctx, "karla@ahlen.example", audit.System)
	if err != nil || len(erased.ContactsErased) != 1 || erased.ContactsErased[0] != c.ID || erased.MailsDropped != 1 {
		t.Fatalf("erase: %+v %v", erased, err)
	}
	if _, err := contacts.Get(ctx, c.ID); err == nil {
		t.Fatal("contact still there")
	}
	if left, _ := outbox.NewStore(f.db.Gorm).List(ctx, outbox.Filter{EventID: ev.ID}); len(left) != 0 {
		t.Fatalf("unsent invitation kept: %+v", left)
	}
}

func ptrTo[T any](v T) *T { return &v }
