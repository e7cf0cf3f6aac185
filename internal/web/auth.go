package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
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

// safeNext allows only local paths as a post-login target; "/admin"
// stands for the user's own start page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/admin"
	}
	return next
}

func (s *Server) loginForm(c *gin.Context) {
	if u, ok := currentUser(c); ok {
		c.Redirect(http.StatusSeeOther, homeOf(u))
		return
	}
	s.html(c, http.StatusOK, "login.html", "Benutzeranmeldung", gin.H{"Next": safeNext(c.Query("next"))})
}

func (s *Server) login(c *gin.Context) {
	email, password, next := c.PostForm("email"), c.PostForm("password"), safeNext(c.PostForm("next"))
	u, err := s.Accounts.Authenticate(c.Request.Context(), email, password)
	if err != nil {
		pe := classify(err)
		switch pe.Code {
		case problem.Unauthorized:
			s.html(c, http.StatusUnauthorized, "login.html", "Benutzeranmeldung", gin.H{"Next": next, "Email": email, "Error": pe.Message})
		case problem.TooMany:
			var th account.ErrThrottled
			if errors.As(err, &th) {
				c.Header("Retry-After", strconv.Itoa(int(th.Wait.Seconds())+1))
			}
			s.html(c, http.StatusTooManyRequests, "login.html", "Benutzeranmeldung", gin.H{"Next": next, "Email": email, "Error": pe.Message})
		default:
			s.fail(c, err)
		}
		return
	}
	if next == "/admin" {
		next = homeOf(u)
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
