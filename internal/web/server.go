// Package web is the HTTP face of the service: the gin router with every
// route, the server-rendered German pages, the JSON API and middleware.
package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/report"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/survey"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Deps are what the handlers work with.
type Deps struct {
	Config         config.Config
	Log            *slog.Logger
	DB             *store.DB
	Templates      fs.FS
	Events         *event.Store
	Municipalities *municipality.Store
	Registrations  *registration.Store
	Accounts       *account.Store
	Outbox         *outbox.Store
	WorkingGroups  *workinggroup.Store
	Agenda         *agenda.Store // the programme of each meeting
	Audit          *audit.Store
	CheckIns       *checkin.Store // who came, per day
	Archive        *archive.Store // online documentation of past meetings and its files
	Mail           *mail.Composer // renders account mails when they are queued
	Metrics        *prometheus.Registry
	Now            func() time.Time
	KickMail       func() // wakes the mail worker after a manual retry
	// Privacy exports and erases personal data; nil: a store on DB.
	Privacy *privacy.Store
	// Contacts are the network's contacts who receive invitations;
	// nil: a store on DB.
	Contacts *contact.Store
	// Messages are the organisers' messages to registrants; nil: a
	// store on DB.
	Messages *message.Store
	// Questions are the meetings' own questions on the registration
	// form; nil: a store on DB.
	Questions *question.Store
	// Pages, parsed from Templates; zero: New parses them.
	Pages Pages
	// Reports sum up the network's meetings over a period; nil: a store
	// on DB.
	Reports *report.Store
	// Surveys are the feedback surveys after meetings; nil: a store
	// on DB.
	Surveys *survey.Store
	// Media is the Mediathek; nil: a store on DB.
	Media *media.Store
}

// Server holds the parsed pages and the dependencies.
type Server struct {
	Deps
	cfg     config.Config
	log     *slog.Logger
	pages   pages
	metrics *httpMetrics
	limits  *rateLimits
	// pageCache keeps public pages for a second (pagecache.go).
	pageCache *pageCache
	notice    template.HTML // the configured privacy notice; empty: built-in
}

// New parses the pages (a broken template fails here, not in a request)
// and builds the router.
func New(d Deps) (http.Handler, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	p := d.Pages.p
	var err error
	if p == nil {
		if p, err = parsePages(d.Templates); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	d.Privacy = privacyStore(d)
	if d.Contacts == nil {
		d.Contacts = contact.NewStore(d.DB.Gorm)
	}
	if d.Messages == nil {
		d.Messages = message.NewStore(d.DB.Gorm)
	}
	if d.Questions == nil {
		d.Questions = question.NewStore(d.DB.Gorm)
	}
	if d.Reports == nil {
		d.Reports = report.NewStore(d.DB.Gorm)
	}
	if d.Media == nil {
		d.Media = media.NewStore(d.DB.Gorm)
	}
	if d.Surveys == nil {
		d.Surveys = survey.NewStore(d.DB.Gorm).WithClock(d.Now)
	}
	s := &Server{Deps: d, cfg: d.Config, log: d.Log, pages: p, limits: newRateLimits(), pageCache: newPageCache()}
	if s.notice, err = loadNotice(d.Config); err != nil {
		return nil, err
	}
	if s.metrics, err = newHTTPMetrics(d.Metrics); err != nil {
		return nil, err
	}
	return s.routes()
}
