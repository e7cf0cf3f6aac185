package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/demo"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/reminder"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/survey"
	"github.com/isa-nrw/treffen/internal/web"
	"github.com/isa-nrw/treffen/internal/workinggroup"
	"github.com/isa-nrw/treffen/templates"
)

// app is the wired service: database, stores and configuration.
type app struct {
	cfg            config.Config
	log            *slog.Logger
	db             *store.DB
	events         *event.Store
	municipalities *municipality.Store
	registrations  *registration.Store
	accounts       *account.Store
	outbox         *outbox.Store
	contacts       *contact.Store
	archive        *archive.Store
	kick           func()
}

// openApp connects, migrates and creates the first organiser if asked.
func openApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*app, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db, kick: func() {}}
	a.events = event.NewStore(db.Gorm)
	a.municipalities = municipality.NewStore(db.Gorm)
	// The worker is created later; the closure reads a.kick at call time.
	a.registrations = registration.NewStore(db.Gorm, func() { a.kick() })
	a.accounts = account.NewStore(db.Gorm)
	a.outbox = outbox.NewStore(db.Gorm)
	a.contacts = contact.NewStore(db.Gorm)
	files, err := archive.NewFileStore(cfg.UploadDir, int64(cfg.UploadMaxMB)<<20)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	a.archive = archive.NewStore(db.Gorm, files, log)
	if err := a.bootstrapAdmin(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) close() { _ = a.db.Close() }

func (a *app) bootstrapAdmin(ctx context.Context) error {
	if a.cfg.AdminEmail == "" {
		return nil
	}
	n, err := a.accounts.Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	u, err := a.accounts.Create(ctx, account.NewUser{Email: a.cfg.AdminEmail, Name: "Organisation", Password: a.cfg.AdminPassword, Role: account.Organiser})
	if err != nil {
		// Another instance starting at the same moment may have created
		// the organiser first.
		if n, cerr := a.accounts.Count(ctx); cerr == nil && n > 0 {
			return nil
		}
		return fmt.Errorf("create first organiser from TREFFEN_ADMIN_EMAIL: %w", err)
	}
	a.log.Info("first organiser created", "email", u.Email)
	return nil
}

func (a *app) loadDemo(ctx context.Context) (demo.Summary, error) {
	sum, err := demo.Load(ctx, demo.Stores{Municipalities: a.municipalities, Events: a.events, Registrations: a.registrations,
		WorkingGroups: workinggroup.NewStore(a.db.Gorm), Agenda: agenda.NewStore(a.db.Gorm), Archive: a.archive,
		Media: media.NewStore(a.db.Gorm)}, time.Now())
	if err != nil || sum.Skipped {
		return sum, err
	}
	// Past meetings with participants get a survey with answers.
	if _, err := demo.Feedback(ctx, survey.NewStore(a.db.Gorm), a.events, a.registrations, time.Now()); err != nil {
		return sum, err
	}
	return sum, a.demoAccounts(ctx)
}

// demoAccounts adds a coordinator (Stadt Köln) and a host of the next
// meeting, so a demo shows every role. They share the first organiser's
// password; without one no demo accounts are made.
func (a *app) demoAccounts(ctx context.Context) error {
	if a.cfg.AdminPassword == "" {
		return nil
	}
	munis, err := a.municipalities.List(ctx)
	if err != nil {
		return err
	}
	var koeln *int64
	for _, m := range munis {
		if m.Name == "Stadt Köln" {
			koeln = &m.ID
		}
	}
	upcoming, err := a.events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: time.Now()})
	if err != nil {
		return err
	}
	for _, nu := range []account.NewUser{
		{Email: "koordination@stadt-koeln.example", Name: "Kommunale Koordination Köln", Role: account.Coordinator, MunicipalityID: koeln},
		{Email: "gastgeber@guerzenich.example", Name: "Gastgeber Gürzenich", Role: account.Host},
	} {
		nu.Password = a.cfg.AdminPassword
		u, err := a.accounts.Create(ctx, nu)
		if err != nil {
			return fmt.Errorf("demo account %s: %w", nu.Email, err)
		}
		if u.Role == account.Host && len(upcoming) > 0 {
			if err := a.accounts.SetHost(ctx, u.ID, upcoming[0].ID, true, audit.System); err != nil {
				return err
			}
		}
		a.log.Info("demo account", "email", u.Email, "role", u.Role, "password", "as TREFFEN_ADMIN_PASSWORD")
	}
	return nil
}

// mailLoader gives the mail worker what it renders a message from.
type mailLoader struct{ a *app }

func (l mailLoader) Contact(ctx context.Context, id int64) (contact.Contact, error) {
	return l.a.contacts.Get(ctx, id)
}

func (l mailLoader) UnsubscribeLink(ctx context.Context, contactID int64) (string, error) {
	return l.a.contacts.IssueLink(ctx, contactID)
}

func (l mailLoader) EventMessage(ctx context.Context, id int64) (message.Message, error) {
	return message.NewStore(l.a.db.Gorm).ByID(ctx, id)
}

func (l mailLoader) DocumentationSummary(ctx context.Context, eventID int64) (archive.Summary, error) {
	return l.a.archive.Summary(ctx, eventID)
}

// FeedbackLink issues a person's link to a meeting's feedback survey.
func (l mailLoader) FeedbackLink(ctx context.Context, eventID, registrationID int64) (string, day.Date, error) {
	return survey.NewStore(l.a.db.Gorm).Link(ctx, eventID, registrationID)
}

func (l mailLoader) Registration(ctx context.Context, id int64) (registration.Registration, error) {
	return l.a.registrations.Get(ctx, id)
}

func (l mailLoader) Event(ctx context.Context, id int64) (event.Event, error) {
	return l.a.events.Get(ctx, id)
}

func (l mailLoader) Municipality(ctx context.Context, id int64) (municipality.Municipality, error) {
	return l.a.municipalities.Get(ctx, id)
}

func (l mailLoader) WaitlistPosition(ctx context.Context, r registration.Registration) (int, error) {
	return l.a.registrations.WaitlistPosition(ctx, r)
}

func (l mailLoader) Coordinators(ctx context.Context, municipalityID int64) ([]account.User, error) {
	return l.a.accounts.Coordinators(ctx, municipalityID)
}

// AssignedGroups reads the meeting's working groups and assignment and
// keeps those of the registration.
func (l mailLoader) AssignedGroups(ctx context.Context, registrationID, eventID int64) ([]mail.AssignedGroup, error) {
	groups := workinggroup.NewStore(l.a.db.Gorm)
	slots, err := groups.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	all, err := groups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	assignments, err := groups.Assignments(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return mail.AssignedGroupsOf(registrationID, slots, all, assignments), nil
}

// ManageLink issues a new manage link for a registration's mail.
func (l mailLoader) ManageLink(ctx context.Context, registrationID int64) (string, error) {
	return l.a.registrations.IssueManageLink(ctx, registrationID)
}

// Attended reads the days a registration was checked in at a meeting.
func (l mailLoader) Attended(ctx context.Context, eventID, registrationID int64) (day.List, error) {
	attended, err := checkin.NewStore(l.a.db.Gorm).CheckedIn(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return attended[registrationID], nil
}

// ProgrammeHours reads the span of each day of a meeting's programme.
func (l mailLoader) ProgrammeHours(ctx context.Context, eventID int64) (map[day.Date]event.Hours, error) {
	return agenda.NewStore(l.a.db.Gorm).Spans(ctx, eventID)
}

// ProgrammePDF renders a meeting's programme for attaching to mails.
func (l mailLoader) ProgrammePDF(ctx context.Context, eventID int64) ([]byte, error) {
	return document.ProgrammePDF(ctx, document.ProgrammeStores{Events: l.a.events, Agenda: agenda.NewStore(l.a.db.Gorm),
		WorkingGroups: workinggroup.NewStore(l.a.db.Gorm), Municipalities: l.a.municipalities}, eventID, time.Now())
}

// EventChange reads a recorded change of a meeting.
func (l mailLoader) EventChange(ctx context.Context, eventID, changeID int64) (event.Change, error) {
	return l.a.events.Change(ctx, eventID, changeID)
}

func (a *app) mailWorker(composer *mail.Composer) (*mail.Worker, error) {
	var (
		sender    mail.Sender = mail.NewLogSender(a.log)
		transport             = "log"
	)
	if a.cfg.SMTPURL != "" {
		s, err := mail.NewSMTPSender(a.cfg.SMTPURL, a.cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		sender, transport = s, "smtp"
	} else {
		a.log.Warn("no SMTP server configured (TREFFEN_SMTP_URL): mails are logged and kept in the app, not delivered")
	}
	return mail.NewWorker(a.outbox, mailLoader{a}, composer, sender, transport, a.log, mail.WorkerOptions{PollInterval: a.cfg.MailPoll, Lease: a.cfg.MailLease, Connections: a.cfg.MailConnections, Rate: a.cfg.MailRate}), nil
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	log.Info("configuration", cfg.Describe()...)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if cfg.Demo {
		sum, err := a.loadDemo(ctx)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		log.Info(sum.String())
	}
	composer, err := mail.NewComposer(templates.FS, cfg.BaseURL, cfg.MailFrom, cfg.OrganiserName)
	if err != nil {
		return err
	}
	worker, err := a.mailWorker(composer)
	if err != nil {
		return err
	}
	a.kick = worker.Kick
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	handler, err := web.New(web.Deps{
		Config: cfg, Log: log, DB: a.db, Templates: templates.FS, Events: a.events, Municipalities: a.municipalities,
		Registrations: a.registrations, Accounts: a.accounts, Outbox: a.outbox, WorkingGroups: workinggroup.NewStore(a.db.Gorm), Agenda: agenda.NewStore(a.db.Gorm), Audit: audit.NewStore(a.db.Gorm), CheckIns: checkin.NewStore(a.db.Gorm), Archive: a.archive, Mail: composer, Metrics: metrics, KickMail: worker.Kick,
		Privacy: a.privacyStore(), Contacts: a.contacts,
	})
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	if _, err := startDebug(workerCtx, cfg.DebugAddr, log); err != nil {
		stopWorker()
		_ = ln.Close()
		return err
	}
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		if err := worker.Run(workerCtx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("mail worker stopped", "error", err)
		}
	}()
	go func() {
		// Files left by a crash between disk and database; a day's grace
		// keeps uploads in progress safe.
		if n, err := a.archive.SweepOrphans(workerCtx, 24*time.Hour, time.Now()); err != nil {
			log.Warn("sweep uploads", "error", err)
		} else if n > 0 {
			log.Info("removed orphaned upload files", "count", n)
		}
	}()
	reminders := reminder.NewScheduler(reminder.NewStore(a.db.Gorm), cfg.ReminderEvery, log, worker.Kick)
	reminders.Also("feedback survey", survey.NewStore(a.db.Gorm).RemindDue)
	remindersDone := make(chan struct{})
	go func() {
		defer close(remindersDone)
		reminders.Run(workerCtx)
	}()
	go a.retention(workerCtx)
	go a.pruneMailBodies(workerCtx)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("treffen is listening", "url", "http://"+ln.Addr().String(), "public_url", cfg.BaseURL)

	select {
	case err := <-serveErr:
		stopWorker()
		<-workerDone
		<-remindersDone
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests and mails in progress", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("http shutdown", "error", err)
	}
	stopWorker()
	if err := waitOrTimeout(workerDone, cfg.ShutdownTimeout); err != nil {
		log.Error("mail worker did not stop in time; unsent mails stay queued")
	}
	if err := waitOrTimeout(remindersDone, cfg.ShutdownTimeout); err != nil {
		log.Error("reminder scheduler did not stop in time")
	}
	log.Info("stopped")
	return nil
}

// userArgs are the flags of `treffen users add`.
type userArgs struct {
	email, name, role string
	municipalityID    int64
}

func (u *userArgs) register(fs *flag.FlagSet) {
	fs.StringVar(&u.email, "email", "", "email address")
	fs.StringVar(&u.name, "name", "", "display name")
	fs.StringVar(&u.role, "role", "organiser", "organiser, host or coordinator")
	fs.Int64Var(&u.municipalityID, "municipality-id", 0, "municipality of a coordinator")
}

func (a *app) users(ctx context.Context, sub string, u userArgs, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	switch sub {
	case "list":
		list, err := a.accounts.List(ctx)
		if err != nil {
			return err
		}
		for _, x := range list {
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\n", x.ID, x.Email, x.Role, x.Name)
		}
		return nil
	case "add":
		role, ok := account.ParseRole(u.role)
		if !ok {
			return fmt.Errorf("unknown role %q: use organiser, host or coordinator", u.role)
		}
		password := getenv("TREFFEN_NEW_PASSWORD")
		if password == "" {
			fmt.Fprint(stdout, "Passwort: ")
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			password = strings.TrimRight(line, "\r\n")
		}
		nu := account.NewUser{Email: u.email, Name: u.name, Password: password, Role: role}
		if u.municipalityID > 0 {
			nu.MunicipalityID = &u.municipalityID
		}
		created, err := a.accounts.Create(ctx, nu)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Konto %s (%s) angelegt.\n", created.Email, created.Role.Label())
		return nil
	}
	return fmt.Errorf("users: use `users add` or `users list`")
}
