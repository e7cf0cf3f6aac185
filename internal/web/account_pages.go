package web

import (
	"net/http"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// accountMail renders an invitation or reset mail with its one-time link.
func (s *Server) accountMail(kind outbox.Kind) account.MailFunc {
	return func(u account.User, token string, expires time.Time) (outbox.Rendered, error) {
		link := s.cfg.BaseURL + "/password/set/" + token
		subject, text, html, err := s.Mail.ComposeAccount(kind, netmail.Address{Name: u.Name, Address: u.Email}, link, u.Role.Label(), expires)
		if err != nil {
			return outbox.Rendered{}, err
		}
		return outbox.Rendered{Kind: kind, UserID: u.ID, Recipient: u.Email, Subject: subject, TextBody: text, HTMLBody: html}, nil
	}
}

// limitEmail slows repeated requests for one address, wherever they come
// from: it returns a 429 error like the per-IP limit. Requests without an
// address are left to the form's validation.
func (s *Server) limitEmail(c *gin.Context, name, email string, perHour int) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if perHour == 0 || !strings.Contains(email, "@") {
		return nil
	}
	ok, wait := s.limits.allow(name+"|"+email, perHour, float64(perHour)/60, s.Now())
	if ok {
		return nil
	}
	c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	return problem.New(problem.TooMany, "Für diese E-Mail-Adresse gab es gerade zu viele Anfragen. Bitte warten Sie etwas und versuchen Sie es dann erneut; sehen Sie auch in Ihr Postfach.")
}

func (s *Server) forgotForm(c *gin.Context) error {
	return s.html(c, http.StatusOK, "password_forgot.html", "Passwort vergessen", gin.H{})
}

// forgot answers the same whether or not the address has an account.
func (s *Server) forgot(c *gin.Context) error {
	email := strings.TrimSpace(c.PostForm("email"))
	if msg := emailaddress.Problem(emailaddress.Normalize(email)); msg != "" {
		return s.html(c, http.StatusUnprocessableEntity, "password_forgot.html", "Passwort vergessen",
			gin.H{"Email": email, "Error": msg})
	}
	if err := s.limitEmail(c, "reset", email, 3); err != nil {
		return err
	}
	if err := s.Accounts.RequestReset(c.Request.Context(), email, s.accountMail(outbox.PasswordReset)); err != nil {
		return err
	}
	s.kickMail()
	return s.html(c, http.StatusOK, "password_forgot.html", "Passwort vergessen", gin.H{"Sent": true, "Email": email})
}

func (s *Server) setPasswordForm(c *gin.Context) error {
	u, purpose, err := s.Accounts.LinkUser(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "password_set.html", "Passwort festlegen", gin.H{"User": u, "Invite": purpose == account.PurposeInvite,
		"Token": c.Param("token"), "Fields": map[string]string{}})
}

func (s *Server) setPassword(c *gin.Context) error {
	token := c.Param("token")
	password := c.PostForm("password")
	if password != c.PostForm("password_repeat") {
		u, purpose, err := s.Accounts.LinkUser(c.Request.Context(), token)
		if err != nil {
			return err
		}
		return s.html(c, http.StatusUnprocessableEntity, "password_set.html", "Passwort festlegen", gin.H{"User": u, "Invite": purpose == account.PurposeInvite,
			"Token": token, "Fields": map[string]string{"password_repeat": "Die beiden Passwörter stimmen nicht überein."}})
	}
	u, err := s.Accounts.UseLink(c.Request.Context(), token, password)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			lu, purpose, lerr := s.Accounts.LinkUser(c.Request.Context(), token)
			if lerr != nil {
				return lerr
			}
			return s.html(c, http.StatusUnprocessableEntity, "password_set.html", "Passwort festlegen", gin.H{"User": lu, "Invite": purpose == account.PurposeInvite,
				"Token": token, "Fields": pe.Fields})
		}
		return err
	}
	s.flash(c, "Ihr Passwort ist gespeichert. Bitte melden Sie sich an.")
	c.Redirect(http.StatusSeeOther, "/login?next="+homeOf(u))
	return nil
}

func (s *Server) tokensPage(c *gin.Context) error {
	return s.renderTokens(c, http.StatusOK, "")
}

func (s *Server) renderTokens(c *gin.Context, status int, created string) error {
	u, _ := currentUser(c)
	tokens, err := s.Accounts.Tokens(c.Request.Context(), u.ID)
	if err != nil {
		return err
	}
	return s.html(c, status, "account_tokens.html", "API-Tokens", gin.H{"Tokens": tokens, "Created": created})
}

func (s *Server) tokenCreate(c *gin.Context) error {
	u, _ := currentUser(c)
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		name = "Token vom " + s.Now().In(time.Local).Format("02.01.2006")
	}
	plain, tok, err := s.Accounts.CreateToken(c.Request.Context(), u.ID, name)
	if err != nil {
		return err
	}
	if err := s.Audit.Record(c.Request.Context(), actorOf(c), audit.TokenCreated, "token", tok.ID, nil, tok.Name); err != nil {
		return err
	}
	// The plain token is shown once, in this answer only.
	return s.renderTokens(c, http.StatusCreated, plain)
}

func (s *Server) tokenRevoke(c *gin.Context) error {
	u, _ := currentUser(c)
	tid, err := paramID(c, "tid")
	if err != nil {
		return err
	}
	if err := s.revokeToken(c, u, tid); err != nil {
		return err
	}
	s.flash(c, "Das Token ist widerrufen.")
	c.Redirect(http.StatusSeeOther, "/account/tokens")
	return nil
}

func (s *Server) revokeToken(c *gin.Context, u account.User, tid int64) error {
	if err := s.Accounts.RevokeToken(c.Request.Context(), u.ID, tid); err != nil {
		return err
	}
	return s.Audit.Record(c.Request.Context(), actorOf(c), audit.TokenRevoked, "token", tid, nil, "")
}

func (s *Server) apiTokens(c *gin.Context) error {
	u, _ := currentUser(c)
	tokens, err := s.Accounts.Tokens(c.Request.Context(), u.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(tokens))
	return nil
}

func (s *Server) apiTokenRevoke(c *gin.Context) error {
	u, _ := currentUser(c)
	tid, err := paramID(c, "tid")
	if err != nil {
		return err
	}
	if err := s.revokeToken(c, u, tid); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) kickMail() {
	if s.KickMail != nil {
		s.KickMail()
	}
}
