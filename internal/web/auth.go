package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/problem"
)

const (
	sessionCookie = "treffen_session"
	flashCookie   = "treffen_flash"
	userKey       = "user"
)

func currentUser(c *gin.Context) (account.User, bool) {
	u, ok := c.Get(userKey)
	if !ok {
		return account.User{}, false
	}
	return u.(account.User), true
}

// actorOf names the logged-in user for the audit log.
func actorOf(c *gin.Context) audit.Actor {
	if u, ok := currentUser(c); ok {
		return audit.User(u.ID, u.Email)
	}
	return audit.Actor{Label: "anonym"}
}

// loadSession attaches the logged-in user, if any, to the request.
func (s *Server) loadSession(c *gin.Context) {
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie != "" {
		if u, err := s.Accounts.SessionUser(c.Request.Context(), cookie); err == nil {
			c.Set(userKey, u)
		}
	}
	c.Next()
}

// requireRole lets only logged-in users with one of the roles through.
func (s *Server) requireRole(roles ...account.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, ok := currentUser(c)
		if !ok {
			s.fail(c, account.ErrNoSession)
			return
		}
		for _, r := range roles {
			if u.Role == r {
				c.Next()
				return
			}
		}
		s.fail(c, problem.New(problem.Forbidden, "Für diese Seite fehlt Ihnen die Berechtigung."))
	}
}

// requireToken authenticates the JSON API by bearer token.
func (s *Server) requireToken(roles ...account.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			c.Header("WWW-Authenticate", `Bearer realm="treffen"`)
			s.fail(c, problem.New(problem.Unauthorized, "Bitte senden Sie ein API-Token als „Authorization: Bearer …“."))
			return
		}
		u, err := s.Accounts.TokenUser(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			c.Header("WWW-Authenticate", `Bearer realm="treffen", error="invalid_token"`)
			s.fail(c, err)
			return
		}
		c.Set(userKey, u)
		for _, r := range roles {
			if u.Role == r {
				c.Next()
				return
			}
		}
		s.fail(c, problem.New(problem.Forbidden, "Dieses Token darf diese Aktion nicht ausführen."))
	}
}

func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) flash(c *gin.Context, msg string) {
	s.setCookie(c, flashCookie, url.QueryEscape(msg), 60)
}

func (s *Server) takeFlash(c *gin.Context) string {
	v, err := c.Cookie(flashCookie)
	if err != nil || v == "" {
		return ""
	}
	s.setCookie(c, flashCookie, "", -1)
	msg, _ := url.QueryUnescape(v)
	return msg
}

// safeNext allows only local paths as a post-login target.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/admin"
	}
	return next
}

func (s *Server) loginForm(c *gin.Context) {
	if _, ok := currentUser(c); ok {
		c.Redirect(http.StatusSeeOther, "/admin")
		return
	}
	s.html(c, http.StatusOK, "login.html", "Benutzeranmeldung", gin.H{"Next": safeNext(c.Query("next"))})
}

func (s *Server) login(c *gin.Context) {
	email, password, next := c.PostForm("email"), c.PostForm("password"), safeNext(c.PostForm("next"))
	u, err := s.Accounts.Authenticate(c.Request.Context(), email, password)
	if err != nil {
		if problem.Is(err, problem.Unauthorized) {
			s.html(c, http.StatusUnauthorized, "login.html", "Benutzeranmeldung", gin.H{"Next": next, "Email": email, "Error": problem.CodeOf(err) == problem.Unauthorized})
			return
		}
		s.fail(c, err)
		return
	}
	// A fresh session id on every login: no fixation of a planted cookie.
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		_ = s.Accounts.DeleteSession(c.Request.Context(), old)
	}
	cookie, err := s.Accounts.CreateSession(c.Request.Context(), u.ID, s.cfg.SessionTTL)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setCookie(c, sessionCookie, cookie, int(s.cfg.SessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c *gin.Context) {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if err := s.Accounts.DeleteSession(c.Request.Context(), cookie); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	s.flash(c, "Sie sind abgemeldet.")
	c.Redirect(http.StatusSeeOther, "/")
}
