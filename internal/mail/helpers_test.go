package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/survey"
	"github.com/isa-nrw/treffen/internal/workinggroup"
	"github.com/isa-nrw/treffen/templates"
)

const (
	testBaseURL = "https://treffen.example.org"
	testFrom    = "anmeldung@isa.example.org"
	testUser    = "treffen"
	testPass    = "geh:eim@1"
)

// fixture is a fresh database with the real stores and a composer on the
// embedded templates.
type fixture struct {
	db       *store.DB
	events   *event.Store
	munis    *municipality.Store
	regs     *registration.Store
	outbox   *outbox.Store
	accounts *account.Store
	groups   *workinggroup.Store
	checkins *checkin.Store
	agenda   *agenda.Store
	loader   storeLoader
	composer *mail.Composer
	days     day.List // the meeting's two days, six weeks ahead
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{db: storetest.Open(t)}
	f.events = event.NewStore(f.db.Gorm)
	f.munis = municipality.NewStore(f.db.Gorm)
	f.regs = registration.NewStore(f.db.Gorm, nil)
	f.outbox = outbox.NewStore(f.db.Gorm)
	f.accounts = account.NewStore(f.db.Gorm)
	f.groups = workinggroup.NewStore(f.db.Gorm)
	f.checkins = checkin.NewStore(f.db.Gorm)
	f.agenda = agenda.NewStore(f.db.Gorm)
	f.loader = storeLoader{regs: f.regs, events: f.events, munis: f.munis, accounts: f.accounts, groups: f.groups, checkins: f.checkins, agenda: f.agenda, contacts: contact.NewStore(f.db.Gorm), db: f.db}
	c, err := mail.NewComposer(templates.FS, testBaseURL, testFrom, "Servicestelle Prävention")
	if err != nil {
		t.Fatalf("composer: %v", err)
	}
	f.composer = c
	first := day.Today(time.Now()).In(time.UTC).AddDate(0, 0, 42)
	f.days = day.List{day.Of(first), day.Of(first.AddDate(0, 0, 1))}
	return f
}

// storeLoader is the Loader the wiring builds from the stores.
type storeLoader struct {
	regs     *registration.Store
	events   *event.Store
	munis    *municipality.Store
	accounts *account.Store
	groups   *workinggroup.Store
	checkins *checkin.Store
	agenda   *agenda.Store
	contacts *contact.Store
	db       *store.DB
}

func (l storeLoader) EventMessage(ctx context.Context, id int64) (message.Message, error) {
	return message.NewStore(l.db.Gorm).ByID(ctx, id)
}

func (l storeLoader) DocumentationSummary(ctx context.Context, eventID int64) (archive.Summary, error) {
	return archive.NewStore(l.db.Gorm, nil, nil).Summary(ctx, eventID)
}

func (l storeLoader) FeedbackLink(ctx context.Context, eventID, registrationID int64) (string, day.Date, error) {
	return survey.NewStore(l.db.Gorm).Link(ctx, eventID, registrationID)
}

func (l storeLoader) Registration(ctx context.Context, id int64) (registration.Registration, error) {
	return l.regs.Get(ctx, id)
}

func (l storeLoader) Event(ctx context.Context, id int64) (event.Event, error) {
	return l.events.Get(ctx, id)
}

func (l storeLoader) Municipality(ctx context.Context, id int64) (municipality.Municipality, error) {
	return l.munis.Get(ctx, id)
}

func (l storeLoader) WaitlistPosition(ctx context.Context, r registration.Registration) (int, error) {
	return l.regs.WaitlistPosition(ctx, r)
}

func (l storeLoader) Coordinators(ctx context.Context, municipalityID int64) ([]account.User, error) {
	return l.accounts.Coordinators(ctx, municipalityID)
}

func (l storeLoader) AssignedGroups(ctx context.Context, registrationID, eventID int64) ([]mail.AssignedGroup, error) {
	slots, err := l.groups.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	groups, err := l.groups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	assignments, err := l.groups.Assignments(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return mail.AssignedGroupsOf(registrationID, slots, groups, assignments), nil
}

func (l storeLoader) Attended(ctx context.Context, eventID, registrationID int64) (day.List, error) {
	attended, err := l.checkins.CheckedIn(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return attended[registrationID], nil
}

func (l storeLoader) ProgrammeHours(ctx context.Context, eventID int64) (map[day.Date]event.Hours, error) {
	return l.agenda.Spans(ctx, eventID)
}

func (l storeLoader) Contact(ctx context.Context, id int64) (contact.Contact, error) {
	return l.contacts.Get(ctx, id)
}

func (l storeLoader) UnsubscribeLink(ctx context.Context, contactID int64) (string, error) {
	return l.contacts.IssueLink(ctx, contactID)
}

func ptr[T any](v T) *T { return &v }

// enqueue queues a registration mail as the registration code does.
func (f *fixture) enqueue(t testing.TB, kind outbox.Kind, reg registration.Registration) {
	t.Helper()
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return outbox.Enqueue(tx, kind, reg.EventID, reg.ID, reg.Email, time.Now())
	})
	if err != nil {
		t.Fatalf("enqueue %s: %v", kind, err)
	}
}

// mustUser writes a user row directly, independent of how accounts are
// created (password, invitation).
func (f *fixture) mustUser(t testing.TB, email, name string, role account.Role, muni *int64) account.User {
	t.Helper()
	u := account.User{Email: email, Name: name, Role: role, MunicipalityID: muni, PasswordHash: "x"}
	if err := f.db.Gorm.Create(&u).Error; err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

func (f *fixture) mustEvent(t testing.TB, capacity int) event.Event {
	t.Helper()
	ev, err := f.events.Create(context.Background(), event.Input{
		Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Days: &f.days,
		Motto: ptr("Kinderschutz – gemeinsam stärken"), StartTime: ptr("10:00"), EndTime: ptr("16:30"),
		VenueName: ptr("Jugendherberge Köln-Deutz"), VenueAddress: ptr("Siegesstraße 5"), VenueCity: ptr("Köln"),
		Capacity: ptr(capacity), Status: ptr(event.Published),
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
		t.Fatalf("create municipality: %v", err)
	}
	return m
}

func (f *fixture) mustRegister(t testing.TB, eventID int64, in registration.Input) registration.Registration {
	t.Helper()
	in.PrivacyConsent = true
	r, err := f.regs.Register(context.Background(), eventID, in, registration.Options{})
	if err != nil {
		t.Fatalf("register %s: %v", in.Email, err)
	}
	return r
}

func person(i int, muni *int64, days day.List) registration.Input {
	return registration.Input{
		Salutation: "Frau", AcademicTitle: "Dr.", FirstName: "Erika", LastName: fmt.Sprintf("Müller%d", i),
		Email: fmt.Sprintf("erika.mueller%d@kommune.example", i), MunicipalityID: muni, Days: days,
	}
}

// guest is a person without a municipality.
func guest(i int, organisation string, days day.List) registration.Input {
	in := person(i, nil, days)
	in.Organisation = organisation
	return in
}

// onlyMessage returns the single outbox row of a registration.
func (f *fixture) onlyMessage(t testing.TB, regID int64) outbox.Message {
	t.Helper()
	list, err := f.outbox.List(context.Background(), outbox.Filter{RegistrationID: regID})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("registration %d has %d messages, want 1", regID, len(list))
	}
	return list[0]
}

func (f *fixture) worker(t testing.TB, sender mail.Sender, transport string, opts mail.WorkerOptions) *mail.Worker {
	t.Helper()
	return mail.NewWorker(f.outbox, f.loader, f.composer, sender, transport, nil, opts)
}

func fastOptions() mail.WorkerOptions {
	return mail.WorkerOptions{PollInterval: 20 * time.Millisecond, Lease: time.Minute, BaseBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}
}

func smtpSender(t testing.TB, s *smtpServer, query string) *mail.SMTPSender {
	t.Helper()
	u := fmt.Sprintf("smtp://%s:%s@%s?timeout=5s", testUser, strings.ReplaceAll(strings.ReplaceAll(testPass, ":", "%3A"), "@", "%40"), s.addr)
	if query != "" {
		u += "&" + query
	}
	sender, err := mail.NewSMTPSender(u, testFrom)
	if err != nil {
		t.Fatalf("smtp sender: %v", err)
	}
	return sender
}

// smtpServer is an in-process SMTP server that requires PLAIN auth and
// records what it accepts.
type smtpServer struct {
	addr string
	srv  *smtp.Server

	mu    sync.Mutex
	msgs  []received
	conns int // connections accepted

	// hold, when set, makes DATA wait until it is closed; entered gets a
	// value when a DATA command starts waiting.
	hold    chan struct{}
	entered chan struct{}

	// refuse lists recipients the server answers 550 at RCPT TO.
	refuse map[string]bool
}

type received struct {
	From string
	To   []string
	Data []byte
}

func startSMTP(t testing.TB, addr string) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	s := &smtpServer{addr: l.Addr().String(), entered: make(chan struct{}, 10)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		return &session{srv: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

func (s *smtpServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type session struct {
	srv  *smtpServer
	auth bool
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != testUser || pass != testPass {
			return errors.New("invalid credentials")
		}
		s.auth = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	refused := s.srv.refuse[strings.ToLower(to)]
	s.srv.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	hold := s.srv.hold
	s.srv.mu.Unlock()
	if hold != nil {
		s.srv.entered <- struct{}{}
		<-hold
	}
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, received{From: s.from, To: s.to, Data: b})
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// freeAddr returns a local address nothing listens on (yet).
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// parsedMail is a received message taken apart the way a mail client
// does: headers decoded, parts decoded, attachments separated.
type parsedMail struct {
	Header      netmail.Header
	Subject     string
	To          *netmail.Address
	Text, HTML  string
	TextCharset string
	Attachments []parsedPart
}

type parsedPart struct {
	ContentType string
	Params      map[string]string
	Filename    string
	Data        []byte
}

func parseMail(t testing.TB, raw []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	var dec mime.WordDecoder
	p := parsedMail{Header: msg.Header}
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To header %q: %v", msg.Header.Get("To"), err)
	}
	p.To = to[0]
	walkPart(t, &p, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body)
	return p
}

func walkPart(t testing.TB, p *parsedMail, contentType, encoding, disposition string, body io.Reader) {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("next part of %s: %v", mediaType, err)
			}
			walkPart(t, p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
		}
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s part: %v", mediaType, err)
	}
	disp, dparams, _ := mime.ParseMediaType(disposition)
	switch {
	case disp == "attachment":
		p.Attachments = append(p.Attachments, parsedPart{ContentType: mediaType, Params: params, Filename: dparams["filename"], Data: data})
	case mediaType == "text/plain":
		p.Text, p.TextCharset = string(data), params["charset"]
	case mediaType == "text/html":
		p.HTML = string(data)
	default:
		t.Fatalf("unexpected inline part %s", mediaType)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkCRLF fails unless every line of b ends with CRLF.
func checkCRLF(t testing.TB, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("calendar does not end with CRLF")
	}
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d of the calendar", i)
		}
	}
}

// calendarProperty returns the value of a VCALENDAR property.
func calendarProperty(cal *ics.Calendar, p ics.Property) string {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (l storeLoader) ProgrammePDF(ctx context.Context, eventID int64) ([]byte, error) {
	return document.ProgrammePDF(ctx, document.ProgrammeStores{Events: l.events, Agenda: l.agenda, WorkingGroups: l.groups, Municipalities: l.munis}, eventID, time.Now())
}

func (l storeLoader) EventChange(ctx context.Context, eventID, changeID int64) (event.Change, error) {
	return l.events.Change(ctx, eventID, changeID)
}

func (l storeLoader) ManageLink(ctx context.Context, registrationID int64) (string, error) {
	return l.regs.IssueManageLink(ctx, registrationID)
}

var manageLinkPattern = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/manage/([A-Za-z0-9_-]{40,})`)

// manageLinkIn returns the manage link in a mail's text and checks that
// it opens reg.
func (f *fixture) manageLinkIn(t testing.TB, text string, reg registration.Registration) string {
	t.Helper()
	m := manageLinkPattern.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no manage link in:\n%s", text)
	}
	got, err := f.regs.ByToken(context.Background(), m[1])
	if err != nil || got.ID != reg.ID {
		t.Fatalf("manage link %s opens registration %d (%v), want %d", m[0], got.ID, err, reg.ID)
	}
	return m[0]
}
