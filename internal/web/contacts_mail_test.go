package web_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/survey"
	"github.com/isa-nrw/treffen/templates"
)

// mailbox is an in-process SMTP server that keeps what it accepts.
type mailbox struct {
	addr string
	mu   sync.Mutex
	msgs [][]byte
}

func startMailbox(t testing.TB) *mailbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{addr: l.Addr().String()}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return mb
}

func (mb *mailbox) messages() [][]byte {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([][]byte(nil), mb.msgs...)
}

type mailboxSession struct{ mb *mailbox }

func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailboxSession) Reset()                               {}
func (s *mailboxSession) Logout() error                        { return nil }
func (s *mailboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, b)
	s.mb.mu.Unlock()
	return nil
}

// envLoader is the mail worker's Loader on the env's stores, as the
// wiring builds it.
type envLoader struct{ e *env }

func (l envLoader) Registration(ctx context.Context, id int64) (registration.Registration, error) {
	return l.e.regs.Get(ctx, id)
}
func (l envLoader) Event(ctx context.Context, id int64) (event.Event, error) {
	return l.e.events.Get(ctx, id)
}
func (l envLoader) Municipality(ctx context.Context, id int64) (municipality.Municipality, error) {
	return l.e.munis.Get(ctx, id)
}
func (l envLoader) WaitlistPosition(ctx context.Context, r registration.Registration) (int, error) {
	return l.e.regs.WaitlistPosition(ctx, r)
}
func (l envLoader) Coordinators(ctx context.Context, municipalityID int64) ([]account.User, error) {
	return l.e.users.Coordinators(ctx, municipalityID)
}
func (l envLoader) AssignedGroups(ctx context.Context, registrationID, eventID int64) ([]mail.AssignedGroup, error) {
	slots, err := l.e.wgs.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	groups, err := l.e.wgs.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	assignments, err := l.e.wgs.Assignments(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return mail.AssignedGroupsOf(registrationID, slots, groups, assignments), nil
}
func (l envLoader) Attended(ctx context.Context, eventID, registrationID int64) (day.List, error) {
	attended, err := l.e.checkins.CheckedIn(ctx, eventID)
	return attended[registrationID], err
}
func (l envLoader) ProgrammePDF(ctx context.Context, eventID int64) ([]byte, error) {
	return document.ProgrammePDF(ctx, document.ProgrammeStores{Events: l.e.events, Agenda: l.e.agenda, WorkingGroups: l.e.wgs, Municipalities: l.e.munis}, eventID, time.Now())
}
func (l envLoader) EventChange(ctx context.Context, eventID, changeID int64) (event.Change, error) {
	return l.e.events.Change(ctx, eventID, changeID)
}
func (l envLoader) ManageLink(ctx context.Context, registrationID int64) (string, error) {
	return l.e.regs.IssueManageLink(ctx, registrationID)
}
func (l envLoader) ProgrammeHours(ctx context.Context, eventID int64) (map[day.Date]event.Hours, error) {
	return l.e.agenda.Spans(ctx, eventID)
}
func (l envLoader) Contact(ctx context.Context, id int64) (contact.Contact, error) {
	return contact.NewStore(l.e.db.Gorm).Get(ctx, id)
}
func (l envLoader) UnsubscribeLink(ctx context.Context, contactID int64) (string, error) {
	return contact.NewStore(l.e.db.Gorm).IssueLink(ctx, contactID)
}

func (l envLoader) EventMessage(ctx context.Context, id int64) (message.Message, error) {
	return message.NewStore(l.e.db.Gorm).ByID(ctx, id)
}

func (l envLoader) DocumentationSummary(ctx context.Context, eventID int64) (archive.Summary, error) {
	return l.e.archive.Summary(ctx, eventID)
}

func (l envLoader) FeedbackLink(ctx context.Context, eventID, registrationID int64) (string, day.Date, error) {
	return survey.NewStore(l.e.db.Gorm).Link(ctx, eventID, registrationID)
}

// mailWorker returns a worker that delivers the env's outbox over SMTP to
// mb, as the service does with a mail server configured.
func (e *env) mailWorker(mb *mailbox) *mail.Worker {
	e.t.Helper()
	composer, err := mail.NewComposer(templates.FS, "http://treffen.test", "anmeldung@isa.example", "Institut für Soziale Arbeit e.V.")
	if err != nil {
		e.t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender("smtp://"+mb.addr+"?starttls=never&timeout=5s", "anmeldung@isa.example")
	if err != nil {
		e.t.Fatal(err)
	}
	return mail.NewWorker(e.outbox, envLoader{e}, composer, sender, "smtp", nil,
		mail.WorkerOptions{PollInterval: 20 * time.Millisecond, Lease: time.Minute, Connections: 4})
}
