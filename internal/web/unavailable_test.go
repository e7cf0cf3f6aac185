package web

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/templates"
)

func TestDatabaseOutagesAreClassifiedUnavailable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("register x@y for event 1: %w", err) }
	unavailable := map[string]error{
		"admin shutdown":         wrap(&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}),
		"starting up":            wrap(&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}),
		"connection failure":     wrap(&pgconn.PgError{Code: "08006"}),
		"too many connections":   wrap(&pgconn.PgError{Code: "53300"}),
		"bad connection":         wrap(driver.ErrBadConn),
		"connection closed":      wrap(pgconn.ErrConnClosed),
		"unexpected EOF":         wrap(io.ErrUnexpectedEOF),
		"connection reset":       wrap(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}),
		"broken pipe":            wrap(syscall.EPIPE),
		"pool wait timed out":    wrap(context.DeadlineExceeded),
		"sqlite lock wait ended": wrap(errors.New("sqlite3: database is locked")),
	}
	for name, err := range unavailable {
		if got := classify(err); got.Code != problem.Unavailable {
			t.Errorf("%s: classified %s, want unavailable", name, got.Code)
		}
	}
	others := map[string]struct {
		err  error
		want problem.Code
	}{
		"duplicate":        {wrap(registration.ErrDuplicate), problem.Conflict},
		"unique violation": {wrap(&pgconn.PgError{Code: "23505"}), problem.Internal},
		"query cancelled":  {wrap(&pgconn.PgError{Code: "57014"}), problem.Internal},
		"not found":        {wrap(gorm.ErrRecordNotFound), problem.Internal},
		"client went away": {wrap(context.Canceled), problem.Internal},
		"plain bug":        {errors.New("nil map"), problem.Internal},
	}
	for name, c := range others {
		if got := classify(c.err); got.Code != c.want {
			t.Errorf("%s: classified %s, want %s", name, got.Code, c.want)
		}
	}
}

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestRefusedDatabaseConnectionIsUnavailable(t *testing.T) {
	_, err := store.Open(context.Background(), "postgres://postgres@"+closedPort(t)+"/treffen?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("opening a database on a closed port succeeded")
	}
	if got := classify(err); got.Code != problem.Unavailable {
		t.Fatalf("%v classified %s, want unavailable", err, got.Code)
	}
}

// outageServer is a server whose handlers all fail with err.
func outageServer(t *testing.T, err error) *httptest.Server {
	t.Helper()
	p, perr := parsePages(templates.FS)
	if perr != nil {
		t.Fatal(perr)
	}
	s := &Server{cfg: config.Default(), log: slog.New(slog.DiscardHandler), pages: p}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(func(c *gin.Context) { s.fail(c, err) })
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func TestOutageAnswers503WithRetryAfter(t *testing.T) {
	_, cause := store.Open(context.Background(), "postgres://postgres@"+closedPort(t)+"/treffen?sslmode=disable&connect_timeout=2")
	srv := outageServer(t, fmt.Errorf("load event 1: %w", cause))

	resp, err := http.Post(srv.URL+"/api/v1/events/1/registrations", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	var body apiError
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("API: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if body.Error.Code != problem.Unavailable || !strings.Contains(body.Error.Message, "vorübergehend nicht erreichbar") {
		t.Errorf("API body %+v", body)
	}
	if strings.Contains(body.Error.Message, "127.0.0.1") {
		t.Errorf("API body shows the cause: %q", body.Error.Message)
	}

	resp, err = http.Get(srv.URL + "/events/1")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("page: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for _, want := range []string{"Vorübergehend nicht erreichbar", "gleich noch einmal"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(string(page), "Noch einmal senden") {
		t.Error("a GET offers to send a form again")
	}
}

func TestFailedFormPostKeepsTheTypedValues(t *testing.T) {
	srv := outageServer(t, fmt.Errorf("register: %w", driver.ErrBadConn))
	form := url.Values{"first_name": {"Jürgen"}, "last_name": {`Weiß "der Ältere"`}, "email": {"jw@ahlen.example"},
		"days": {"2026-12-01", "2026-12-02"}, "privacy_consent": {"1"}}
	resp, err := http.PostForm(srv.URL+"/events/7/register", form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d", resp.StatusCode)
	}
	body := string(page)
	for _, want := range []string{`action="/events/7/register"`, `name="first_name" value="Jürgen"`,
		`name="last_name" value="Weiß &#34;der Ältere&#34;"`, `name="days" value="2026-12-01"`, `name="days" value="2026-12-02"`,
		`name="privacy_consent" value="1"`, "Noch einmal senden"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Index(body, `name="first_name"`) > strings.Index(body, `name="email"`) {
		t.Error("fields are not in form order")
	}

	resp, err = http.PostForm(srv.URL+"/login", url.Values{"email": {"a@b.example"}, "password": {"geheim"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(page), "geheim") || strings.Contains(string(page), "Noch einmal senden") {
		t.Error("a password was put back into the page")
	}
}
