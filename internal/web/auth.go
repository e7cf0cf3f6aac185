package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/emailaddress"
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
// stands for the user's own start page. It decides the way a browser
// will read the Location: browsers drop tab, CR and LF anywhere in a URL
// and take a backslash for a slash, so "/\t/evil.example" and
// "/\\evil.example" lead off the site like "//evil.example" does.
// Backslashes are refused anywhere: cleaning "/a/../\\evil.example"
// would bring one to the front.
func safeNext(next string) string {
	const home = "/admin"
	next = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, next)
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return home
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return home
	}
	return next
}

// deviceCookie names the cookie holding the device token for one
// account: a browser used for several accounts keeps one for each.
func deviceCookie(email string) string {
	sum := sha256.Sum256([]byte(emailaddress.Normalize(email)))
	return "treffen_device_" + hex.EncodeToString(sum[:8])
}

// checkLogin checks a login for the page and the API. A client without
// a device token of the account is first held to the per-address rate;
// one with it is slowed only by its own failures.
func (s *Server) checkLogin(c *gin.Context, a account.Attempt) (account.Login, error) {
	ctx := c.Request.Context()
	known, err := s.Accounts.KnownDevice(ctx, a.Email, a.Device)
	if err != nil {
		return account.Login{}, err
	}
	if !known {
		if err := s.allowClient(c, "login", s.cfg.LoginLimit); err != nil {
			return account.Login{}, err
		}
	}
	login, err := s.Accounts.Authenticate(ctx, a)
	var th account.ErrThrottled
	if errors.As(err, &th) {
		c.Header("Retry-After", strconv.Itoa(int(th.Wait.Seconds())+1))
	}
	return login, err
}

func (s *Server) loginForm(c *gin.Context) error {
	if u, ok := currentUser(c); ok {
		c.Redirect(http.StatusSeeOther, homeOf(u))
		return nil
	}
	return s.html(c, http.StatusOK, "login.html", "Login für das Team", gin.H{"Next": safeNext(c.Query("next"))})
}

func (s *Server) login(c *gin.Context) error {
	email, next := c.PostForm("email"), safeNext(c.PostForm("next"))
	device, _ := c.Cookie(deviceCookie(email))
	login, err := s.checkLogin(c, account.Attempt{Email: email, Password: c.PostForm("password"), Device: device})
	if err != nil {
		pe := classify(err)
		switch pe.Code {
		case problem.Unauthorized, problem.TooMany:
			status := http.StatusUnauthorized
			if pe.Code == problem.TooMany {
				status = http.StatusTooManyRequests
			}
			if err := s.html(c, status, "login.html", "Login für das Team", gin.H{"Next": next, "Email": email, "Error": pe.Message}); err != nil {
				return err
			}
		default:
			return err
		}
		return nil
	}
	u := login.User
	if next == "/admin" {
		next = homeOf(u)
	}
	// A fresh session id on every login: no fixation of a planted cookie.
	if old, err := c.Cookie(sessionCookie); err == nil && old != "" {
		_ = s.Accounts.DeleteSession(c.Request.Context(), old)
	}
	cookie, err := s.Accounts.CreateSession(c.Request.Context(), u.ID, s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, cookie, int(s.cfg.SessionTTL.Seconds()))
	s.setCookie(c, deviceCookie(u.Email), login.Device, int(account.DeviceTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (s *Server) logout(c *gin.Context) error {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if err := s.Accounts.DeleteSession(c.Request.Context(), cookie); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	s.flash(c, "Sie sind ausgeloggt.")
	c.Redirect(http.StatusSeeOther, "/")
	return nil
}
