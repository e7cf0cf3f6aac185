package message_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

func ptr[T any](v T) *T { return &v }

// meeting is a two-day meeting with registrations that differ in every
// way a filter looks at:
//
//	Anna    Ahlen     confirmed  both days  group Steuerung  checked in day 1
//	Bernd   Ahlen     confirmed  day 2      group Kinderarmut
//	Clara   Coesfeld  confirmed  both days  group Steuerung
//	Dieter  Ahlen     cancelled (from the waiting list)
//	Emil    Ahlen     waitlisted day 1
type meeting struct {
	db            *store.DB
	ev            event.Event
	ahlen         int64
	steuerung     int64
	kinderarmut   int64
	day1, day2    day.Date
	regs          map[string]registration.Registration
	otherEvGroup  int64
	otherEventID  int64
	otherEventReg registration.Registration
}

func newMeeting(t *testing.T) *meeting {
	ctx := context.Background()
	db := storetest.Open(t)
	m := &meeting{db: db, regs: map[string]registration.Registration{}}
	munis := municipality.NewStore(db.Gorm)
	ahlen, err := munis.Create(ctx, municipality.Input{Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	coesfeld, err := munis.Create(ctx, municipality.Input{Name: "Kreis Coesfeld"})
	if err != nil {
		t.Fatal(err)
	}
	m.ahlen = ahlen.ID
	m.day1 = day.Of(time.Now().AddDate(0, 1, 0))
	m.day2 = day.Of(m.day1.In(time.UTC).AddDate(0, 0, 1))
	days := day.List{m.day1, m.day2}
	events := event.NewStore(db.Gorm)
	if m.ev, err = events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(30), Days: &days,
		Capacity: ptr(3), MunicipalityQuota: ptr(0), Status: ptr(event.Published), VenueName: ptr("Rathaus"), VenueCity: ptr("Köln")}); err != nil {
		t.Fatal(err)
	}
	wgs := workinggroup.NewStore(db.Gorm)
	group := func(ev event.Event, title string) int64 {
		g, err := wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr(title), Capacity: ptr(10), Day: &m.day1,
			StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	m.steuerung, m.kinderarmut = group(m.ev, "Kommunale Steuerung"), group(m.ev, "Kinderarmut")
	regs := registration.NewStore(db.Gorm, nil)
	add := func(eventID int64, first string, muni int64, days day.List) registration.Registration {
		r, err := regs.Register(ctx, eventID, registration.Input{FirstName: first, LastName: "Muster", Email: strings.ToLower(first) + "@example.org",
			MunicipalityID: &muni, Days: days, PrivacyConsent: true}, registration.Options{})
		if err != nil {
			if pe, ok := problem.As(err); ok {
				t.Fatalf("%v %v", err, pe.Fields)
			}
			t.Fatal(err)
		}
		return r
	}
	m.regs["Anna"] = add(m.ev.ID, "Anna", ahlen.ID, nil)
	m.regs["Bernd"] = add(m.ev.ID, "Bernd", ahlen.ID, day.List{m.day2})
	m.regs["Clara"] = add(m.ev.ID, "Clara", coesfeld.ID, day.List{m.day1, m.day2})
	m.regs["Dieter"] = add(m.ev.ID, "Dieter", ahlen.ID, nil)
	m.regs["Emil"] = add(m.ev.ID, "Emil", ahlen.ID, day.List{m.day1})
	if _, err := regs.Cancel(ctx, m.regs["Dieter"].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]int64{"Anna": m.steuerung, "Bernd": m.kinderarmut, "Clara": m.steuerung} {
		if _, err := wgs.Move(ctx, m.ev, m.regs[name].ID, g, false, audit.System); err != nil {
			t.Fatal(name, err)
		}
	}
	if _, err := checkin.NewStore(db.Gorm).Record(ctx, m.ev, m.regs["Anna"], m.day1, nil); err != nil {
		t.Fatal(err)
	}
	// Another meeting, whose people and groups no filter of this one reaches.
	other, err := events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(31), Days: &days,
		Capacity: ptr(10), Status: ptr(event.Published), VenueName: ptr("Rathaus"), VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	m.otherEventID, m.otherEvGroup = other.ID, group(other, "Fremde Gruppe")
	m.otherEventReg = add(other.ID, "Otto", ahlen.ID, nil)
	return m
}

func names(regs []registration.Registration) string {
	var out []string
	for _, r := range regs {
		out = append(out, r.FirstName)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func TestAudienceFilters(t *testing.T) {
	m := newMeeting(t)
	ctx := context.Background()
	s := message.NewStore(m.db.Gorm)
	for _, c := range []struct {
		name string
		f    message.Filter
		want string
	}{
		{"everybody not cancelled", message.Filter{}, "Anna,Bernd,Clara,Emil"},
		{"confirmed", message.Filter{Status: registration.Confirmed}, "Anna,Bernd,Clara"},
		{"waiting list", message.Filter{Status: registration.Waitlisted}, "Emil"},
		{"municipality", message.Filter{MunicipalityID: &m.ahlen}, "Anna,Bernd,Emil"},
		{"working group", message.Filter{WorkingGroupID: &m.steuerung}, "Anna,Clara"},
		{"first day (no days = all days)", message.Filter{Day: m.day1}, "Anna,Clara,Emil"},
		{"second day", message.Filter{Day: m.day2}, "Anna,Bernd,Clara"},
		{"checked in on any day", message.Filter{CheckedIn: ptr(true)}, "Anna"},
		{"not checked in", message.Filter{CheckedIn: ptr(false)}, "Bernd,Clara,Emil"},
		{"checked in on the second day", message.Filter{Day: m.day2, CheckedIn: ptr(true)}, ""},
		{"not checked in on the first day", message.Filter{Day: m.day1, CheckedIn: ptr(false)}, "Clara,Emil"},
		{"confirmed, Ahlen, Steuerung", message.Filter{Status: registration.Confirmed, MunicipalityID: &m.ahlen, WorkingGroupID: &m.steuerung}, "Anna"},
		{"a group of another meeting", message.Filter{WorkingGroupID: &m.otherEvGroup}, ""},
	} {
		got, err := s.Audience(ctx, m.ev.ID, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if names(got) != c.want {
			t.Errorf("%s: got %q, want %q", c.name, names(got), c.want)
		}
	}
	if _, err := s.Names(ctx, m.ev.ID, message.Filter{WorkingGroupID: &m.otherEvGroup}); !problem.Is(err, problem.Invalid) {
		t.Errorf("group of another meeting accepted: %v", err)
	}
	n, err := s.Names(ctx, m.ev.ID, message.Filter{WorkingGroupID: &m.steuerung, MunicipalityID: &m.ahlen})
	if err != nil {
		t.Fatal(err)
	}
	got := message.Filter{Status: registration.Confirmed, WorkingGroupID: &m.steuerung, MunicipalityID: &m.ahlen, Day: m.day1, CheckedIn: ptr(false)}.Describe(n)
	want := "Bestätigte Anmeldungen · Kommune: Stadt Ahlen · Arbeitsgruppe: Kommunale Steuerung · Tag: " + m.day1.German() + " · nicht eingecheckt an diesem Tag"
	if got != want {
		t.Errorf("audience in words:\n got %s\nwant %s", got, want)
	}
}

var pdf = []byte("%PDF-1.4\n% test\n")

func outboxRows(t *testing.T, db *store.DB, messageID int64) []outbox.Message {
	t.Helper()
	var rows []outbox.Message
	if err := db.Gorm.Where("event_message_id = ?", messageID).Order("registration_id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSendQueuesOneMailPerRecipientOnce(t *testing.T) {
	m := newMeeting(t)
	ctx := context.Background()
	s := message.NewStore(m.db.Gorm)
	in := message.Input{Subject: "Raumänderung", Text: "Die Arbeitsgruppe tagt in **Raum 2**.",
		Filter: message.Filter{Status: registration.Confirmed, WorkingGroupID: &m.steuerung}, IncludeProgramme: true}

	// Preview with two files, one taken off again: the draft keeps one.
	up1, err := message.NewUpload("C:\\Users\\orga\\Lageplan.pdf", pdf, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	up2, _ := message.NewUpload("agenda", pdf, 1<<20)
	if up2.Filename != "agenda.pdf" || up1.Filename != "Lageplan.pdf" {
		t.Fatalf("file names %q %q", up1.Filename, up2.Filename)
	}
	draft, err := s.SaveDraft(ctx, message.Compose{EventID: m.ev.ID, Input: in, Uploads: []message.Upload{up1, up2}})
	if err != nil {
		t.Fatal(err)
	}
	if draft.Status != message.Draft || len(draft.Attachments) != 2 || draft.FormKey == "" {
		t.Fatalf("draft %+v", draft)
	}
	key := draft.FormKey
	list, _ := s.List(ctx, m.ev.ID)
	if len(list) != 0 {
		t.Fatalf("a draft is listed as sent: %+v", list)
	}
	// More than three files are refused, and the draft keeps its two.
	if _, err := s.SaveDraft(ctx, message.Compose{EventID: m.ev.ID, FormKey: key, Input: in, Uploads: []message.Upload{up1, up1}}); err != message.ErrTooManyFiles {
		t.Fatalf("four files: %v", err)
	}
	sent, err := s.Send(ctx, message.Compose{EventID: m.ev.ID, FormKey: key, Input: in, Remove: []int64{draft.Attachments[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != draft.ID || sent.Status != message.Sent || sent.Recipients != 2 || len(sent.Attachments) != 1 || sent.Attachments[0].Filename != "Lageplan.pdf" {
		t.Fatalf("sent %+v", sent)
	}
	if sent.Audience != "Bestätigte Anmeldungen · Arbeitsgruppe: Kommunale Steuerung" {
		t.Errorf("audience %q", sent.Audience)
	}
	rows := outboxRows(t, m.db, sent.ID)
	if len(rows) != 2 || *rows[0].RegistrationID != m.regs["Anna"].ID || *rows[1].RegistrationID != m.regs["Clara"].ID ||
		rows[0].Kind != outbox.OrganiserMessage || rows[0].Recipient != "anna@example.org" || rows[0].Status != outbox.Pending {
		t.Fatalf("outbox %+v", rows)
	}

	// The same form again (double click, retry): nothing more is queued.
	if _, err := s.Send(ctx, message.Compose{EventID: m.ev.ID, FormKey: key, Input: in}); err != message.ErrAlreadySent {
		t.Fatalf("second send: %v", err)
	}
	if _, err := s.SaveDraft(ctx, message.Compose{EventID: m.ev.ID, FormKey: key, Input: in}); err != message.ErrAlreadySent {
		t.Fatalf("preview after send: %v", err)
	}
	if n := len(outboxRows(t, m.db, sent.ID)); n != 2 {
		t.Fatalf("%d mails after the second send", n)
	}
	// The database refuses a second mail of the message to one person.
	dup := outbox.Message{Kind: outbox.OrganiserMessage, EventID: &m.ev.ID, RegistrationID: rows[0].RegistrationID, EventMessageID: &sent.ID,
		Recipient: "anna@example.org", Status: outbox.Pending, NextAttemptAt: time.Now()}
	if err := m.db.Gorm.Create(&dup).Error; err == nil {
		t.Fatal("a second mail of one message to one registration was stored")
	}

	// A filter that chooses nobody sends nothing and says so.
	empty := in
	empty.Filter = message.Filter{Status: registration.Waitlisted, WorkingGroupID: &m.steuerung}
	if _, err := s.Send(ctx, message.Compose{EventID: m.ev.ID, Input: empty}); err != message.ErrNoRecipients {
		t.Fatalf("nobody: %v", err)
	}
	if list, _ := s.List(ctx, m.ev.ID); len(list) != 1 {
		t.Fatalf("%d messages listed, want 1", len(list))
	}
	// Nor does a group of another meeting.
	stray := in
	stray.Filter = message.Filter{WorkingGroupID: &m.otherEvGroup}
	if _, err := s.Send(ctx, message.Compose{EventID: m.ev.ID, Input: stray}); !problem.Is(err, problem.Invalid) {
		t.Fatalf("group of another meeting: %v", err)
	}

	// Delivery counts follow the outbox; participants see what they got.
	if err := outbox.NewStore(m.db.Gorm).MarkFailed(ctx, rows[1].ID, "550 unbekannt"); err != nil {
		t.Fatal(err)
	}
	d, err := s.Deliveries(ctx, sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := d[sent.ID]; got != (message.Delivery{Pending: 1, Failed: 1}) {
		t.Fatalf("delivery %+v", got)
	}
	for name, want := range map[string]int{"Anna": 1, "Clara": 1, "Bernd": 0, "Emil": 0} {
		got, err := s.ForRegistration(ctx, m.regs[name].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want {
			t.Errorf("%s sees %d messages, want %d", name, len(got), want)
		}
	}
	full, err := s.ByID(ctx, sent.ID)
	if err != nil || len(full.Attachments) != 1 || string(full.Attachments[0].Data) != string(pdf) || !full.IncludeProgramme {
		t.Fatalf("message with files: %+v %v", full, err)
	}
	if _, err := s.Get(ctx, m.otherEventID, sent.ID, false); !problem.Is(err, problem.NotFound) {
		t.Fatalf("message through another meeting: %v", err)
	}
}

func TestInputAndUploadChecks(t *testing.T) {
	if err := (message.Input{Subject: " ", Text: "x"}).Validate(); err == nil {
		t.Error("empty subject accepted")
	}
	if err := (message.Input{Subject: "a\nb", Text: "x"}).Validate(); err == nil {
		t.Error("two-line subject accepted")
	}
	if err := (message.Input{Subject: "Hallo", Text: "x", Filter: message.Filter{Status: registration.Cancelled}}).Validate(); err == nil {
		t.Error("cancelled audience accepted")
	}
	if _, err := message.NewUpload("bild.pdf", []byte("\x89PNG\r\n"), 1<<20); !problem.Is(err, problem.UnsupportedType) {
		t.Errorf("PNG named .pdf: %v", err)
	}
	if _, err := message.NewUpload("gross.pdf", append(pdf, make([]byte, 100)...), 50); !problem.Is(err, problem.TooLarge) {
		t.Errorf("too large: %v", err)
	}
}
