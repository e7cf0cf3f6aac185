package web

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// pages holds every page parsed once at start, each with the layout.
type pages map[string]*template.Template

// Pages are the parsed page templates; servers of one process may share
// them (tests start hundreds of servers).
type Pages struct{ p pages }

// ParsePages parses the page templates of fsys.
func ParsePages(fsys fs.FS) (Pages, error) {
	p, err := parsePages(fsys)
	return Pages{p}, err
}

func parsePages(fsys fs.FS) (pages, error) {
	funcs := template.FuncMap{
		"germanTime": func(v any) string {
			var t time.Time
			switch x := v.(type) {
			case time.Time:
				t = x
			case *time.Time:
				if x == nil {
					return "–"
				}
				t = *x
			}
			if t.IsZero() {
				return "–"
			}
			return t.In(day.Location()).Format("02.01.2006, 15:04 Uhr")
		},
		"dateTimeInput": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.In(day.Location()).Format("2006-01-02T15:04")
		},
		"deref": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"paragraphs": paragraphs,
		"roomLine":   event.RoomLine,
		// germanDay turns "2017-09-13" into "13.09.2017"; other text stays.
		"germanDay": func(s string) string {
			if d, err := day.Parse(s); err == nil {
				return d.German()
			}
			return s
		},
		"fieldOrder": fieldOrder,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key-value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"people": people,
		"add":    func(a, b int) int { return a + b },
		"sub":    func(a, b int) int { return a - b },
		"percent": func(part, whole int) int {
			if whole == 0 {
				return 0
			}
			return part * 100 / whole
		},
	}
	layout, err := template.New("layout").Funcs(funcs).ParseFS(fsys, "pages/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, name := range names {
		base := path.Base(name)
		t, err := template.Must(layout.Clone()).ParseFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		out[base] = t
	}
	return out, nil
}

// formOrder is the order fields appear in the forms, so the error
// summary lists problems top to bottom.
var formOrder = []string{"salutation", "academic_title", "first_name", "last_name", "email", "phone", "municipality_id",
	"organisation", "function", "days", "dietary_needs", "accessibility_needs", "photo_consent", "privacy_consent",
	"kind", "number", "title", "motto", "announcement", "status", "start_time", "end_time", "venue_name", "venue_address",
	"venue_city", "host_municipality_id", "organiser", "co_organisers", "capacity", "municipality_quota",
	"registration_opens_at", "registration_closes_at", "name", "confirm"}

// fieldOrder returns the messages as (field, message) pairs in form
// order; unknown fields follow alphabetically.
func fieldOrder(fields map[string]string) [][2]string {
	out := make([][2]string, 0, len(fields))
	seen := map[string]bool{}
	for _, k := range formOrder {
		if m, ok := fields[k]; ok {
			out = append(out, [2]string{k, m})
			seen[k] = true
		}
	}
	var rest []string
	for k := range fields {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, [2]string{k, fields[k]})
	}
	return out
}

// paragraphs turns plain text with blank lines into <p> elements, escaped.
func paragraphs(s string) template.HTML {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(template.HTMLEscapeString(p), "\n", "<br>"))
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String()) // #nosec: every piece was escaped above
}

// view is what every page gets besides its own data.
type view struct {
	Title     string
	User      *account.User
	Flash     string
	Path      string
	Organiser string
	Data      gin.H
}

func (s *Server) html(c *gin.Context, status int, page, title string, data gin.H) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page template %s", page)
	}
	v := view{Title: title, Path: c.Request.URL.Path, Organiser: s.cfg.OrganiserName, Data: data, Flash: s.takeFlash(c)}
	if u, ok := currentUser(c); ok {
		v.User = &u
	}
	// A page of its own shape (the check-in app) brings its layout.
	layout := "layout"
	if t.Lookup("app_layout") != nil {
		layout = "app_layout"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// wantsJSON tells a page's script (the check-in app) asking for JSON
// from a route outside the API: its errors are JSON too.
func wantsJSON(c *gin.Context) bool {
	accept := c.GetHeader("Accept")
	return strings.HasPrefix(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// statusOf maps a domain error code to the HTTP status.
func statusOf(code problem.Code) int {
	switch code {
	case problem.Invalid:
		return http.StatusUnprocessableEntity
	case problem.BadRequest:
		return http.StatusBadRequest
	case problem.NotFound:
		return http.StatusNotFound
	case problem.MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case problem.Conflict, problem.Closed, problem.Duplicate, problem.NoWaitlist, problem.WaitlistFull:
		return http.StatusConflict
	case problem.Unauthorized:
		return http.StatusUnauthorized
	case problem.Forbidden:
		return http.StatusForbidden
	case problem.TooMany:
		return http.StatusTooManyRequests
	case problem.TooLarge:
		return http.StatusRequestEntityTooLarge
	case problem.UnsupportedType:
		return http.StatusUnsupportedMediaType
	case problem.Gone:
		return http.StatusGone
	case problem.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// classify turns any error into a problem: domain errors keep theirs,
// lost database connections become 503 (clients may retry), the rest 500.
func classify(err error) *problem.Error {
	if pe, ok := problem.As(err); ok {
		return pe
	}
	if isUnavailable(err) {
		return &problem.Error{Code: problem.Unavailable, Message: unavailableMessage, Err: err}
	}
	return &problem.Error{Code: problem.Internal, Message: "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.", Err: err}
}

// unavailableMessage is what people and API clients read while the
// database cannot be reached.
const unavailableMessage = "Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal."

// isUnavailable reports whether err means the database could not be
// reached or went away: refused or reset connections, a server shutting
// down or starting up, a connection lost mid-query, a wait for a
// connection that timed out, or SQLite's lock wait running out. Clients
// may retry these; nothing else is retried.
func isUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-03: shutting down, crashed,
		// starting up; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300"
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err), errors.As(err, &netErr):
		return true
	}
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "bad connection", "conn closed",
		"unexpected EOF", "database is locked", "the database system is"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// apiError is the JSON error body.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    problem.Code      `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail is the one place errors become responses: JSON under /api/,
// an HTML page elsewhere. Only server-side failures are logged.
func (s *Server) fail(c *gin.Context, err error) {
	pe := classify(err)
	status := statusOf(pe.Code)
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed", "error", err, "path", c.Request.URL.Path, "request_id", requestID(c))
	}
	if c.Writer.Header().Get("Retry-After") == "" {
		switch status {
		case http.StatusServiceUnavailable:
			c.Header("Retry-After", "2") // a database restart takes seconds
		case http.StatusTooManyRequests:
			c.Header("Retry-After", "5")
		}
	}
	if strings.HasPrefix(c.Request.URL.Path, "/api/") || wantsJSON(c) {
		c.AbortWithStatusJSON(status, apiError{apiErrorBody{Code: pe.Code, Message: pe.Message, Fields: pe.Fields}})
		return
	}
	if status == http.StatusUnauthorized {
		c.Redirect(http.StatusSeeOther, "/login?next="+c.Request.URL.RequestURI())
		c.Abort()
		return
	}
	t, ok := s.pages["error.html"]
	if !ok {
		c.AbortWithStatus(status)
		return
	}
	var buf bytes.Buffer
	v := view{Title: http.StatusText(status), Path: c.Request.URL.Path, Organiser: s.cfg.OrganiserName,
		Data: gin.H{"Status": status, "Message": pe.Message, "RequestID": requestID(c), "Resend": resendable(c, status)}}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.AbortWithStatus(status)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// resendForm is a form post that failed while the database was out of
// reach, kept so the person can send it again without typing it anew.
type resendForm struct {
	Action string
	Fields [][2]string // name, value in the order sent
}

// resendable returns the posted form of a request that got 503, or nil.
// Only plain forms qualify (no uploads), and passwords are never echoed.
func resendable(c *gin.Context, status int) *resendForm {
	if status != http.StatusServiceUnavailable || c.Request.Method != http.MethodPost ||
		!strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		return nil
	}
	if err := c.Request.ParseForm(); err != nil || len(c.Request.PostForm) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c.Request.PostForm))
	for k := range c.Request.PostForm {
		if strings.Contains(strings.ToLower(k), "password") {
			return nil
		}
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return fieldRank(keys[i]) < fieldRank(keys[j]) || fieldRank(keys[i]) == fieldRank(keys[j]) && keys[i] < keys[j]
	})
	f := &resendForm{Action: c.Request.URL.RequestURI()}
	for _, k := range keys {
		for _, v := range c.Request.PostForm[k] {
			f.Fields = append(f.Fields, [2]string{k, v})
		}
	}
	return f
}

// fieldRank is a field's place in formOrder; others come last.
func fieldRank(name string) int {
	for i, k := range formOrder {
		if k == name {
			return i
		}
	}
	return len(formOrder)
}
