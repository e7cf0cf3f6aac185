package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Loader reads what a message is about. Errors with the code
// problem.NotFound end the message (failed); others are retried.
type Loader interface {
	Registration(ctx context.Context, id int64) (registration.Registration, error)
	Event(ctx context.Context, id int64) (event.Event, error)
	Municipality(ctx context.Context, id int64) (municipality.Municipality, error)
	WaitlistPosition(ctx context.Context, r registration.Registration) (int, error)
	// Coordinators returns the users with the coordinator role for a
	// municipality; they get a blind copy of its registration mails.
	Coordinators(ctx context.Context, municipalityID int64) ([]account.User, error)
	// AssignedGroups returns the working groups a registration is
	// assigned to at a meeting, for assignment mails; none is no error.
	AssignedGroups(ctx context.Context, registrationID, eventID int64) ([]AssignedGroup, error)
	// Attended returns the days a registration was checked in at a
	// meeting, for certificate mails; none is no error.
	Attended(ctx context.Context, eventID, registrationID int64) (day.List, error)
	// ManageLink issues a new manage link for a registration and
	// returns its token.
	ManageLink(ctx context.Context, registrationID int64) (string, error)
	// ProgrammeHours returns the span of each day of a meeting's
	// programme (agenda.Spans); a meeting without programme has none.
	ProgrammeHours(ctx context.Context, eventID int64) (map[day.Date]event.Hours, error)
	// ProgrammePDF returns a meeting's programme as PDF; nil when the
	// meeting has no programme.
	ProgrammePDF(ctx context.Context, eventID int64) ([]byte, error)
	// EventChange returns a recorded change of a meeting, for change
	// notices and cancellations of the meeting.
	EventChange(ctx context.Context, eventID, changeID int64) (event.Change, error)
	// Contact returns a network contact, for invitations and follow-ups.
	Contact(ctx context.Context, id int64) (contact.Contact, error)
	// UnsubscribeLink issues a new unsubscribe link for a contact and
	// returns its token.
	UnsubscribeLink(ctx context.Context, contactID int64) (string, error)
	// EventMessage returns an organiser's message with its files'
	// contents.
	EventMessage(ctx context.Context, id int64) (message.Message, error)
	// DocumentationSummary returns a meeting's online documentation, for
	// the notice that it is online.
	DocumentationSummary(ctx context.Context, eventID int64) (archive.Summary, error)
	// FeedbackLink issues a new link to a meeting's feedback survey
	// for a person asked, with the survey's last day; a person who
	// answered gets none (an error with the code problem.Conflict).
	FeedbackLink(ctx context.Context, eventID, registrationID int64) (token string, closesOn day.Date, err error)
}

// secretLink matches the token of a manage or account link in a mail.
var secretLink = regexp.MustCompile(`(/manage|/password/set|/abmelden|/feedback)/[A-Za-z0-9_-]{20,}`)

// redactLinks removes the secret of every link from a mail's text before
// it is kept as the record of what was sent: the record, a backup or the
// mail log must not open anybody's registration or account.
func redactLinks(text string) string {
	return secretLink.ReplaceAllString(text, "$1/[Link entfernt]")
}

// WorkerOptions tune the worker; zero values take the defaults.
type WorkerOptions struct {
	PollInterval time.Duration // look for due messages at least this often; default 30s
	Lease        time.Duration // a claimed message is this worker's for so long; default 5m
	MaxAttempts  int           // then the message is failed; default 40
	BaseBackoff  time.Duration // wait after the first failed attempt, doubling; default 5s
	MaxBackoff   time.Duration // longest wait between attempts; default 10m
	Connections  int           // messages sent at once, each goroutine with a connection of its own; default 1
	// Rate is the most messages sent a second, shared by the
	// Connections; 0 (the zero value) is no limit.
	Rate float64
}

func (o WorkerOptions) withDefaults() WorkerOptions {
	if o.PollInterval <= 0 {
		o.PollInterval = 30 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 40
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 5 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 10 * time.Minute
	}
	if o.Connections <= 0 {
		o.Connections = 1
	}
	if o.MaxBackoff < o.BaseBackoff {
		o.MaxBackoff = o.BaseBackoff
	}
	return o
}

// Stats counts what a worker did since it started.
type Stats struct {
	Sent    int64 `json:"sent"`
	Retried int64 `json:"retried"` // failed attempts that will be retried
	Failed  int64 `json:"failed"`  // messages given up
}

// Worker sends the outbox's due messages, Connections at a time. Its work
// list is the database: several workers (app instances) may run on one
// database, and a restart loses nothing.
type Worker struct {
	store     *outbox.Store
	loader    Loader
	composer  *Composer
	sender    Sender
	transport string
	log       *slog.Logger
	opts      WorkerOptions
	kick      chan struct{}
	now       func() time.Time
	pace      *pacer

	sent, retried, failed atomic.Int64
}

// NewWorker returns a worker. transport names the sender in the outbox
// ("smtp" or "log"); log may be nil.
func NewWorker(store *outbox.Store, loader Loader, composer *Composer, sender Sender, transport string, log *slog.Logger, opts WorkerOptions) *Worker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{
		store:     store,
		loader:    loader,
		composer:  composer,
		sender:    sender,
		transport: transport,
		log:       log,
		opts:      opts.withDefaults(),
		kick:      make(chan struct{}, 1),
		now:       time.Now,
		pace:      newPacer(opts.Rate),
	}
}

// Kick wakes the worker at once, e.g. after a registration queued mail.
// It never blocks.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Stats returns the counts so far.
func (w *Worker) Stats() Stats {
	return Stats{Sent: w.sent.Load(), Retried: w.retried.Load(), Failed: w.failed.Load()}
}

// Run sends due messages until ctx is cancelled, sleeping until the next
// message is due, a Kick or the poll interval. A message in hand when ctx
// is cancelled is finished (sent and recorded, or put back) before Run
// returns nil.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("mail worker started", "transport", w.transport)
	for {
		if _, err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.log.Error("mail worker", "err", err)
		}
		wait := w.opts.PollInterval
		if next, ok, err := w.store.NextDue(ctx); err == nil && ok {
			wait = min(wait, max(time.Until(next), 10*time.Millisecond))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			w.log.Info("mail worker stopped")
			return nil
		case <-w.kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// Drain sends messages until none is due (messages waiting for a later
// retry are not due) or ctx is cancelled, and returns how many it
// handled, whatever the outcome. Its goroutines (Connections) each claim
// and send one message after another over a connection of their own,
// which they close when nothing is due any more.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	var (
		n    atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, w.opts.Connections)
	)
	for i := range w.opts.Connections {
		wg.Go(func() {
			sender := w.sender
			if o, ok := sender.(SessionOpener); ok {
				s := o.Session()
				defer s.Close()
				sender = s
			}
			errs[i] = w.drain(ctx, sender, &n)
		})
	}
	wg.Wait()
	return int(n.Load()), errors.Join(errs...)
}

// drain is one goroutine of Drain.
func (w *Worker) drain(ctx context.Context, sender Sender, n *atomic.Int64) error {
	for ctx.Err() == nil {
		// The turn is taken before the claim, so no message sits
		// claimed while its worker waits.
		if err := w.pace.Wait(ctx); err != nil {
			return nil
		}
		m, ok, err := w.store.Claim(ctx, w.now(), w.opts.Lease)
		if err != nil {
			return fmt.Errorf("drain mail outbox: %w", err)
		}
		if !ok {
			return nil
		}
		// Finish the claimed message even when ctx ends meanwhile.
		w.deliver(context.WithoutCancel(ctx), sender, m)
		n.Add(1)
	}
	return nil
}

// deliver renders, sends and records one claimed message.
func (w *Worker) deliver(ctx context.Context, sender Sender, m outbox.Message) {
	if m.Attempts > w.opts.MaxAttempts {
		// Claimed again and again without an outcome: the worker died
		// while handling it each time.
		w.giveUp(ctx, m, fmt.Sprintf("abgebrochen nach %d Versuchen ohne Ergebnis", m.Attempts-1))
		return
	}
	env, err := w.compose(ctx, m)
	if err != nil {
		if errors.Is(err, errPermanent) || problem.CodeOf(err) == problem.NotFound {
			w.giveUp(ctx, m, err.Error())
			return
		}
		w.retryLater(ctx, m, err)
		return
	}
	// Coordinators' copies are queued as messages of their own once this
	// one is out, so a refused copy never holds up the participant.
	copies := make([]string, len(env.Bcc))
	for i, a := range env.Bcc {
		copies[i] = a.Address
	}
	env.Bcc = nil
	// Half the lease: the message stays ours while the server talks.
	sendCtx, cancel := context.WithTimeout(ctx, w.opts.Lease/2)
	err = sender.Send(sendCtx, env)
	cancel()
	if err != nil {
		w.retryLater(ctx, m, err)
		return
	}
	record := outbox.Delivery{Subject: env.Subject, TextBody: env.TextBody, HTMLBody: env.HTMLBody,
		MessageID: env.MessageID, Transport: w.transport}
	if w.transport != outbox.TransportLog {
		// Logged mails stay readable: without a mail server the mail log
		// is their only delivery.
		record.TextBody, record.HTMLBody = redactLinks(record.TextBody), redactLinks(record.HTMLBody)
	}
	for _, a := range env.Attachments {
		record.AttachmentNames = append(record.AttachmentNames, a.Filename)
	}
	var markErr error
	for try := range 3 {
		if try > 0 {
			time.Sleep(time.Duration(try) * time.Second)
		}
		if markErr = w.store.MarkSent(ctx, m.ID, record, w.now(), copies...); markErr == nil {
			break
		}
	}
	if markErr != nil {
		// Sent but not recorded: after the lease it goes out again, with
		// the same Message-ID.
		w.log.Error("mail sent but not recorded", "id", m.ID, "err", markErr)
	}
	w.sent.Add(1)
	w.log.Info("mail sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "copies", len(copies), "transport", w.transport)
}

var errPermanent = errors.New("cannot be rendered")

func (w *Worker) compose(ctx context.Context, m outbox.Message) (*Envelope, error) {
	if m.Kind.Prerendered() {
		to, err := netmail.ParseAddress(m.Recipient)
		if err != nil {
			return nil, fmt.Errorf("%w: recipient %q: %w", errPermanent, m.Recipient, err)
		}
		return &Envelope{From: w.composer.From(), To: *to, Subject: m.Subject, TextBody: m.TextBody, HTMLBody: m.HTMLBody,
			MessageID: w.composer.MessageID(m.ID)}, nil
	}
	if m.Kind == outbox.DocumentationNotice {
		return w.composeDocumentationNotice(ctx, m)
	}
	if m.Kind.ToContact() {
		return w.composeContact(ctx, m)
	}
	if isFeedback(m.Kind) {
		return w.composeFeedback(ctx, m)
	}
	if isNotice(m.Kind) && m.CopyOf == nil {
		return w.composeNotice(ctx, m)
	}
	reg, ev, err := w.registrationAndEvent(ctx, m)
	if err != nil {
		return nil, err
	}
	hours, err := w.loader.ProgrammeHours(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	schedule := ev.Schedule(hours)
	if m.Kind == outbox.OrganiserMessage {
		return w.composeMessage(ctx, m, ev, schedule, reg)
	}
	var groups []AssignedGroup
	if m.Kind == outbox.Assignment {
		// Rendered when sent: what the person is assigned to now. Without
		// an assignment any more a mail would mislead; nothing goes out.
		if reg.Status != registration.Confirmed {
			return nil, nothingToSend(fmt.Sprintf("Nicht gesendet: Die Anmeldung ist nicht mehr bestätigt (%s), eine Zuteilung zu Arbeitsgruppen gibt es nicht.", reg.Status.Label()))
		}
		if groups, err = w.loader.AssignedGroups(ctx, reg.ID, ev.ID); err != nil {
			return nil, err
		}
		if len(groups) == 0 {
			return nil, nothingToSend("Nicht gesendet: Die Anmeldung ist zurzeit keiner Arbeitsgruppe zugeteilt.")
		}
	}
	var attended day.List
	if m.Kind == outbox.Certificate {
		// Rendered when sent, from the check-ins as they are now.
		if attended, err = w.loader.Attended(ctx, ev.ID, reg.ID); err != nil {
			return nil, err
		}
		if len(attended.Normalize()) == 0 {
			return nil, nothingToSend("Nicht gesendet: Die Person wurde bei der Veranstaltung nicht eingecheckt, eine Teilnahmebescheinigung gibt es nicht.")
		}
	}
	muni, err := w.municipalityOf(ctx, reg)
	if err != nil {
		return nil, err
	}
	var coordinators []account.User
	if reg.MunicipalityID != nil {
		if copiesCoordinators(m.Kind) {
			if coordinators, err = w.loader.Coordinators(ctx, *reg.MunicipalityID); err != nil {
				return nil, err
			}
		}
	}
	position := 0
	if m.Kind == outbox.Waitlisted || m.Kind == outbox.ReinstatedWaitlisted || (m.Kind == outbox.ManageLink && reg.Status == registration.Waitlisted) {
		if position, err = w.loader.WaitlistPosition(ctx, reg); err != nil {
			return nil, err
		}
	}
	if m.CopyOf == nil {
		// A link of its own for every mail: only its hash is stored, so
		// the link of an earlier mail cannot be sent again.
		if reg.ManageToken, err = w.loader.ManageLink(ctx, reg.ID); err != nil {
			return nil, err
		}
	}
	if m.CalendarSequence, err = w.store.CalendarSequence(ctx, m); err != nil {
		return nil, err
	}
	var env *Envelope
	if m.Kind == outbox.Certificate {
		env, err = w.composer.ComposeCertificate(m, ev, schedule, reg, muni, attended, w.now())
	} else {
		env, err = w.composer.Compose(m, ev, schedule, reg, muni, position, coordinators, groups)
	}
	if err != nil {
		// Templates and data do not change between attempts.
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}

// composeMessage renders an organiser's message to a registration, with
// the programme as it is when the mail goes out. A registration cancelled
// since the message was sent gets nothing.
func (w *Worker) composeMessage(ctx context.Context, m outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration) (*Envelope, error) {
	if m.EventMessageID == nil {
		return nil, fmt.Errorf("%w: message mail %d names no message", errPermanent, m.ID)
	}
	if reg.Status == registration.Cancelled {
		return nil, nothingToSend("Nicht gesendet: Die Anmeldung wurde inzwischen storniert.")
	}
	msg, err := w.loader.EventMessage(ctx, *m.EventMessageID)
	if err != nil {
		return nil, err
	}
	var programme []byte
	if msg.IncludeProgramme {
		if programme, err = w.loader.ProgrammePDF(ctx, ev.ID); err != nil {
			return nil, err
		}
	}
	muni, err := w.municipalityOf(ctx, reg)
	if err != nil {
		return nil, err
	}
	if reg.ManageToken, err = w.loader.ManageLink(ctx, reg.ID); err != nil {
		return nil, err
	}
	env, err := w.composer.ComposeMessage(m, ev, schedule, reg, muni, msg, programme)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}

// municipalityOf returns the municipality a registration belongs to; nil
// for guests without one.
func (w *Worker) municipalityOf(ctx context.Context, reg registration.Registration) (*municipality.Municipality, error) {
	if reg.MunicipalityID == nil {
		return nil, nil
	}
	m, err := w.loader.Municipality(ctx, *reg.MunicipalityID)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// composeContact renders an invitation or follow-up to a network
// contact, looking at the contact as it is now: one who unsubscribed
// after the mail was queued gets nothing.
func (w *Worker) composeContact(ctx context.Context, m outbox.Message) (*Envelope, error) {
	if m.ContactID == nil || m.EventID == nil {
		return nil, nothingToSend("Nicht gesendet: Der Kontakt wurde gelöscht.")
	}
	ct, err := w.loader.Contact(ctx, *m.ContactID)
	if err != nil {
		return nil, err
	}
	if !ct.Subscribed() {
		return nil, nothingToSend("Nicht gesendet: Der Kontakt hat sich von Einladungen abgemeldet.")
	}
	ev, err := w.loader.Event(ctx, *m.EventID)
	if err != nil {
		return nil, err
	}
	if ev.Status != event.Published {
		return nil, nothingToSend("Nicht gesendet: Die Veranstaltung ist nicht mehr zur Anmeldung veröffentlicht (" + ev.Status.Label() + ").")
	}
	if ev.IsPast(w.now()) {
		return nil, nothingToSend("Nicht gesendet: Die Veranstaltung hat bereits stattgefunden.")
	}
	muni, err := w.loader.Municipality(ctx, ct.MunicipalityID)
	if err != nil {
		return nil, err
	}
	hours, err := w.loader.ProgrammeHours(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	token, err := w.loader.UnsubscribeLink(ctx, ct.ID)
	if err != nil {
		return nil, err
	}
	// Sent to the contact's address as it is now (it may have been
	// corrected since the mail was queued).
	env, err := w.composer.ComposeContact(m, ev, ev.Schedule(hours), ct, muni, token)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}

// isNotice reports whether a kind is rendered by composeNotice.
func isNotice(k outbox.Kind) bool {
	switch k {
	case outbox.Reminder, outbox.ChangeNotice, outbox.EventCancelled, outbox.RegistrationChanged:
		return true
	}
	return false
}

// registrationAndEvent loads the registration and the meeting a mail
// to a participant is about, as they are now.
func (w *Worker) registrationAndEvent(ctx context.Context, m outbox.Message) (registration.Registration, event.Event, error) {
	if m.RegistrationID == nil || m.EventID == nil {
		return registration.Registration{}, event.Event{}, fmt.Errorf("%w: %s mail %d names no registration", errPermanent, m.Kind, m.ID)
	}
	reg, err := w.loader.Registration(ctx, *m.RegistrationID)
	if err != nil {
		return reg, event.Event{}, err
	}
	ev, err := w.loader.Event(ctx, *m.EventID)
	return reg, ev, err
}

// composeNotice renders a reminder, change notice, cancellation of the
// meeting or confirmation of a person's change, looking at the
// registration and meeting as they are now: what no longer applies is
// not sent.
func (w *Worker) composeNotice(ctx context.Context, m outbox.Message) (*Envelope, error) {
	reg, ev, err := w.registrationAndEvent(ctx, m)
	if err != nil {
		return nil, err
	}
	var n Notice
	switch m.Kind {
	case outbox.Reminder:
		switch {
		case reg.Status != registration.Confirmed:
			return nil, nothingToSend("Nicht gesendet: Die Anmeldung ist nicht mehr bestätigt (" + reg.Status.Label() + ").")
		case ev.Status != event.Published && ev.Status != event.RegistrationClosed:
			return nil, nothingToSend("Nicht gesendet: Die Veranstaltung ist " + ev.Status.Label() + ".")
		case ev.RemindersOff:
			return nil, nothingToSend("Nicht gesendet: Die Erinnerungen für diese Veranstaltung sind ausgeschaltet.")
		case !day.Today(w.now()).Before(ev.Days.First()):
			return nil, nothingToSend("Nicht gesendet: Die Veranstaltung hat bereits begonnen.")
		}
		if n.Groups, err = w.loader.AssignedGroups(ctx, reg.ID, ev.ID); err != nil {
			return nil, err
		}
		if n.Programme, err = w.loader.ProgrammePDF(ctx, ev.ID); err != nil {
			return nil, err
		}
	case outbox.ChangeNotice, outbox.EventCancelled:
		if m.ChangeID == nil {
			return nil, nothingToSend("Nicht gesendet: Die Änderung ist nicht mehr verzeichnet.")
		}
		change, err := w.loader.EventChange(ctx, ev.ID, *m.ChangeID)
		if err != nil {
			return nil, err
		}
		n.Change = &change
		if m.Kind == outbox.ChangeNotice {
			switch {
			case reg.Status == registration.Cancelled:
				return nil, nothingToSend("Nicht gesendet: Die Anmeldung ist inzwischen storniert.")
			case ev.Status == event.Cancelled:
				return nil, nothingToSend("Nicht gesendet: Die Veranstaltung ist inzwischen abgesagt.")
			}
		}
	case outbox.RegistrationChanged:
		if reg.Status == registration.Cancelled {
			return nil, nothingToSend("Nicht gesendet: Die Anmeldung ist inzwischen storniert; die Stornierung wurde bestätigt.")
		}
	}
	hours, err := w.loader.ProgrammeHours(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	schedule := ev.Schedule(hours)
	if m.Kind == outbox.Reminder {
		// The times of the person's own days.
		mine := attendedDays(&ev, &reg)
		var own event.Schedule
		for _, d := range schedule {
			if mine.Contains(d.Day) {
				own = append(own, d)
			}
		}
		schedule = own
	}
	muni, err := w.municipalityOf(ctx, reg)
	if err != nil {
		return nil, err
	}
	if reg.ManageToken, err = w.loader.ManageLink(ctx, reg.ID); err != nil {
		return nil, err
	}
	if m.CalendarSequence, err = w.store.CalendarSequence(ctx, m); err != nil {
		return nil, err
	}
	env, err := w.composer.ComposeNotice(m, ev, schedule, reg, muni, n)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	return env, nil
}

func (w *Worker) retryLater(ctx context.Context, m outbox.Message, cause error) {
	if m.Attempts >= w.opts.MaxAttempts {
		w.giveUp(ctx, m, cause.Error())
		return
	}
	next := w.now().Add(w.backoff(m.Attempts))
	if err := w.store.MarkRetry(ctx, m.ID, cause.Error(), next); err != nil {
		w.log.Error("mail retry not recorded", "id", m.ID, "err", err)
	}
	w.retried.Add(1)
	w.log.Warn("mail not sent, will retry", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "next", next, "err", cause)
}

func (w *Worker) giveUp(ctx context.Context, m outbox.Message, reason string) {
	if err := w.store.MarkFailed(ctx, m.ID, reason); err != nil {
		w.log.Error("mail failure not recorded", "id", m.ID, "err", err)
	}
	w.failed.Add(1)
	w.log.Error("mail failed", "id", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", reason)
}

// backoff is BaseBackoff·2^(attempts-1), at most MaxBackoff.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opts.BaseBackoff
	for i := 1; i < attempts && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.opts.MaxBackoff)
}
