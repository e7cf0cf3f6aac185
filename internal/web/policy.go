package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// rule decides whether the request's user (nil: anonymous) may use a
// route; a nil error allows.
type rule func(s *Server, c *gin.Context, u *account.User) error

var (
	errLogin     = account.ErrNoSession
	errForbidden = problem.New(problem.Forbidden, "Für diese Seite fehlt Ihnen die Berechtigung.")
)

// anyone: public pages; participants act through their secret link,
// which the handler resolves.
func anyone(*Server, *gin.Context, *account.User) error { return nil }

func roles(allowed ...account.Role) rule {
	return func(_ *Server, _ *gin.Context, u *account.User) error {
		if u == nil {
			return errLogin
		}
		for _, r := range allowed {
			if u.Role == r {
				return nil
			}
		}
		return errForbidden
	}
}

var (
	organiser   = roles(account.Organiser)
	coordinator = roles(account.Coordinator)
	staff       = roles(account.Organiser, account.Host, account.Coordinator)
)

// hostOfEvent: organisers, and hosts assigned to the meeting in :id.
func hostOfEvent(s *Server, c *gin.Context, u *account.User) error {
	if err := roles(account.Organiser, account.Host)(s, c, u); err != nil {
		return err
	}
	if u.Role == account.Organiser {
		return nil
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errPageNotFound
	}
	ok, err := s.Accounts.IsHost(c.Request.Context(), u.ID, id)
	if err != nil {
		return err
	}
	if !ok {
		return errForbidden
	}
	return nil
}

// coordinatorOfRegistration: the coordinator of the municipality of the
// registration :rid, which must belong to meeting :id.
func coordinatorOfRegistration(s *Server, c *gin.Context, u *account.User) error {
	if err := coordinator(s, c, u); err != nil {
		return err
	}
	eventID, err1 := strconv.ParseInt(c.Param("id"), 10, 64)
	rid, err2 := strconv.ParseInt(c.Param("rid"), 10, 64)
	if err1 != nil || err2 != nil {
		return errPageNotFound
	}
	reg, err := s.Registrations.Get(c.Request.Context(), rid)
	if problem.Is(err, problem.NotFound) || (err == nil && reg.EventID != eventID) {
		return registration.ErrNotFound
	}
	if err != nil {
		return err
	}
	if reg.MunicipalityID == nil || u.MunicipalityID == nil || *reg.MunicipalityID != *u.MunicipalityID {
		return errForbidden
	}
	c.Set(registrationKey, reg)
	return nil
}

const registrationKey = "registration"

// authorize is the one place where access is decided: it authenticates
// (bearer token under /api/, else the session cookie) and applies the
// route's rule from the policy table. A route without a rule is refused,
// and a test fails for it.
func (s *Server) authorize(policy map[string]rule) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.FullPath()
		if route == "" { // unknown path: NoRoute answers 404
			c.Next()
			return
		}
		r, ok := policy[c.Request.Method+" "+route]
		if !ok {
			s.log.Error("route without access rule", "method", c.Request.Method, "route", route)
			s.fail(c, errForbidden)
			return
		}
		if err := s.authenticate(c); err != nil {
			s.fail(c, err)
			return
		}
		var u *account.User
		if cu, ok := currentUser(c); ok {
			u = &cu
		}
		if err := r(s, c, u); err != nil {
			if strings.HasPrefix(route, "/api/") && problem.Is(err, problem.Unauthorized) {
				c.Header("WWW-Authenticate", `Bearer realm="treffen"`)
			}
			s.fail(c, err)
			return
		}
		c.Next()
	}
}

// authenticate attaches the user of a bearer token (API) or session
// cookie (pages). A bad token is an error; a stale cookie is ignored.
func (s *Server) authenticate(c *gin.Context) error {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h := c.GetHeader("Authorization")
		if h == "" {
			return nil
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			c.Header("WWW-Authenticate", `Bearer realm="treffen", error="invalid_request"`)
			return problem.New(problem.Unauthorized, "Bitte senden Sie ein API-Token als „Authorization: Bearer …“.")
		}
		u, err := s.Accounts.TokenUser(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="treffen", error="invalid_token"`)
			return err
		}
		c.Set(userKey, u)
		return nil
	}
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie != "" {
		if u, err := s.Accounts.SessionUser(c.Request.Context(), cookie); err == nil {
			c.Set(userKey, u)
		} else if !problem.Is(err, problem.Unauthorized) {
			return err
		}
	}
	return nil
}

// homeOf is where a user lands after login.
func homeOf(u account.User) string {
	switch u.Role {
	case account.Host:
		return "/host"
	case account.Coordinator:
		return "/portal"
	}
	return "/admin/events"
}
