package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/web"
	"github.com/isa-nrw/treffen/internal/workinggroup"
	"github.com/isa-nrw/treffen/templates"
)

const (
	organiserEmail    = "orga@isa.example"
	organiserPassword = "sehr-geheimes-passwort"
)

// env is a running server on a fresh database with real stores.
type env struct {
	t        testing.TB
	srv      *httptest.Server
	db       *store.DB
	events   *event.Store
	munis    *municipality.Store
	regs     *registration.Store
	users    *account.Store
	outbox   *outbox.Store
	wgs      *workinggroup.Store
	agenda   *agenda.Store
	checkins *checkin.Store
	archive  *archive.Store
	ahlen    municipality.Municipality
	coesfeld municipality.Municipality
	// network is the test server's side of the network: switched off, it
	// drops every connection and counts what still tried to reach it.
	venueNet networkSwitch
	handler  http.Handler // the service, behind venueNet in srv
}

// networkSwitch stands for the venue's network in front of the server.
type networkSwitch struct {
	off     atomic.Bool
	reached atomic.Int64 // requests that came in while off
	mu      sync.Mutex
	paths   []string // what they asked for
}

// leaks names the requests that came in while the network was off.
func (n *networkSwitch) leaks() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return strings.Join(n.paths, "\n")
}

func (n *networkSwitch) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.off.Load() {
			n.reached.Add(1)
			n.mu.Lock()
			n.paths = append(n.paths, r.Method+" "+r.URL.String()+" "+r.Header.Get("Sec-Fetch-Dest")+" "+r.Header.Get("Service-Worker"))
			n.mu.Unlock()
			panic(http.ErrAbortHandler) // the connection drops, as with no network
		}
		h.ServeHTTP(w, r)
	})
}

// newEnv starts a server; adjust may change the configuration.
func newEnv(t testing.TB, adjust ...func(*config.Config)) *env {
	t.Helper()
	db := storetest.Open(t)
	e := &env{t: t, db: db, events: event.NewStore(db.Gorm), munis: municipality.NewStore(db.Gorm),
		regs: registration.NewStore(db.Gorm, nil), users: account.NewStore(db.Gorm).WithBcryptCost(bcrypt.MinCost),
		outbox: outbox.NewStore(db.Gorm), wgs: workinggroup.NewStore(db.Gorm), agenda: agenda.NewStore(db.Gorm),
		checkins: checkin.NewStore(db.Gorm)}
	cfg := config.Default()
	cfg.BaseURL = "http://treffen.test"
	cfg.UploadDir = t.TempDir()
	cfg.MailRate = 0 // tests send many mails; the pace is tested in package mail
	for _, a := range adjust {
		a(&cfg)
	}
	ctx := context.Background()
	files, err := archive.NewFileStore(cfg.UploadDir, int64(cfg.UploadMaxMB)<<20)
	if err != nil {
		t.Fatal(err)
	}
	e.archive = archive.NewStore(db.Gorm, files, nil)
	if e.ahlen, err = e.munis.Create(ctx, municipality.Input{Name: "Stadt Ahlen"}); err != nil {
		t.Fatal(err)
	}
	if e.coesfeld, err = e.munis.Create(ctx, municipality.Input{Name: "Kreis Coesfeld"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.users.Create(ctx, account.NewUser{Email: organiserEmail, Password: organiserPassword, Role: account.Organiser}); err != nil {
		t.Fatal(err)
	}
	composer, err := mail.NewComposer(templates.FS, cfg.BaseURL, cfg.MailFrom, cfg.OrganiserName)
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Deps{Config: cfg, Pages: sharedPages(t), Log: slog.New(slog.DiscardHandler), DB: db, Templates: templates.FS,
		Events: e.events, Municipalities: e.munis, Registrations: e.regs, Accounts: e.users, Outbox: e.outbox,
		Audit: audit.NewStore(db.Gorm), Mail: composer, WorkingGroups: e.wgs, Agenda: e.agenda,
		CheckIns: e.checkins, Archive: e.archive})
	if err != nil {
		t.Fatal(err)
	}
	e.handler = h
	e.srv = httptest.NewServer(e.venueNet.wrap(h))
	t.Cleanup(e.srv.Close)
	return e
}

func ptr[T any](v T) *T { return &v }

// parsedPages are parsed once for all test servers of the process.
var parsedPages struct {
	once  sync.Once
	pages web.Pages
	err   error
}

func sharedPages(t testing.TB) web.Pages {
	t.Helper()
	parsedPages.once.Do(func() { parsedPages.pages, parsedPages.err = web.ParsePages(templates.FS) })
	if parsedPages.err != nil {
		t.Fatal(parsedPages.err)
	}
	return parsedPages.pages
}

// event creates a published meeting a month ahead.
func (e *env) event(capacity, quota int, days int) event.Event {
	e.t.Helper()
	first := day.Of(time.Now().AddDate(0, 1, 0))
	var list day.List
	for i := 0; i < days; i++ {
		list = append(list, day.Of(first.In(time.UTC).AddDate(0, 0, i)))
	}
	ev, err := e.events.Create(context.Background(), event.Input{
		Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Motto: ptr("Wir wollen die Prävention stärken!"),
		Days: &list, Capacity: ptr(capacity), MunicipalityQuota: ptr(quota), Status: ptr(event.Published),
		VenueName: ptr("Rathaus"), VenueCity: ptr("Köln"),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

// client is a browser-like client that keeps cookies and does not follow
// redirects, so tests see each answer.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) loggedIn() *http.Client {
	e.t.Helper()
	c := e.client()
	resp := e.postForm(c, "/login", url.Values{"email": {organiserEmail}, "password": {organiserPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login: %d", resp.StatusCode)
	}
	return c
}

type response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

func (e *env) do(c *http.Client, req *http.Request) response {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (e *env) get(c *http.Client, path string) response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	return e.do(c, req)
}

func (e *env) postForm(c *http.Client, path string, form url.Values) response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(c, req)
}

func (e *env) api(method, path, token string, body any) response {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			r = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			r = strings.NewReader(string(b))
		}
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.do(http.DefaultClient, req)
}

func (e *env) token() string {
	e.t.Helper()
	resp := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": organiserPassword})
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("token: %d %s", resp.StatusCode, resp.Body)
	}
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil || out.Token == "" {
		e.t.Fatalf("token body %s: %v", resp.Body, err)
	}
	return out.Token
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("response lacks %q", w)
		}
	}
}

// programmeItem gives a meeting a programme of one item on its first day,
// for mails that attach the programme.
func (e *env) programmeItem(ev event.Event) {
	e.t.Helper()
	d := ev.Days[0]
	if _, err := e.agenda.Create(context.Background(), ev, agenda.Input{Day: &d, StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Welcome), Title: ptr("Begrüßung")}); err != nil {
		e.t.Fatal(err)
	}
}
