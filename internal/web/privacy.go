package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// loadNotice reads the configured privacy notice (file first, then text)
// once at start; empty means the built-in notice.
func loadNotice(cfg config.Config) (template.HTML, error) {
	text := cfg.PrivacyNotice
	if cfg.PrivacyNoticeFile != "" {
		raw, err := os.ReadFile(cfg.PrivacyNoticeFile)
		if err != nil {
			return "", fmt.Errorf("privacy_notice_file: %w", err)
		}
		text = string(raw)
	}
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	return renderNotice(text), nil
}

var (
	noticeLink = regexp.MustCompile(`\[([^\]]+)\]\(((?:https?://|mailto:|/)[^)\s]+)\)`)
	noticeBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// renderNotice turns the little Markdown a privacy notice needs into
// HTML: headings (#, ##), lists (- or *), paragraphs, [links](url) and
// **bold**. Everything is escaped first; plain text comes out as
// paragraphs.
func renderNotice(text string) template.HTML {
	var b strings.Builder
	inline := func(s string) string {
		s = template.HTMLEscapeString(s)
		s = noticeLink.ReplaceAllString(s, `<a href="$2">$1</a>`)
		return noticeBold.ReplaceAllString(s, `<strong>$1</strong>`)
	}
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) == 1 && lines[0] == "" {
			continue
		}
		var para []string
		inList := false
		flush := func() {
			if len(para) > 0 {
				b.WriteString("<p>" + strings.Join(para, "<br>") + "</p>\n")
				para = nil
			}
		}
		for _, line := range lines {
			line = strings.TrimSpace(line)
			item, isItem := strings.CutPrefix(line, "- ")
			if !isItem {
				item, isItem = strings.CutPrefix(line, "* ")
			}
			if inList && !isItem {
				b.WriteString("</ul>\n")
				inList = false
			}
			switch {
			case strings.HasPrefix(line, "### "):
				flush()
				b.WriteString("<h4>" + inline(line[4:]) + "</h4>\n")
			case strings.HasPrefix(line, "## "):
				flush()
				b.WriteString("<h3>" + inline(line[3:]) + "</h3>\n")
			case strings.HasPrefix(line, "# "):
				flush()
				b.WriteString("<h2>" + inline(line[2:]) + "</h2>\n")
			case isItem:
				flush()
				if !inList {
					b.WriteString("<ul>\n")
					inList = true
				}
				b.WriteString("<li>" + inline(item) + "</li>\n")
			default:
				para = append(para, inline(line))
			}
		}
		flush()
		if inList {
			b.WriteString("</ul>\n")
		}
	}
	return template.HTML(b.String()) // #nosec: built from escaped text and fixed tags
}

// privacyNotice is the public page /datenschutz.
func (s *Server) privacyNotice(c *gin.Context) error {
	return s.html(c, http.StatusOK, "privacy_notice.html", "Datenschutz", gin.H{
		"Notice": s.notice, "Config": s.cfg, "RetentionMonths": s.cfg.RetentionMonths,
	})
}

// linkedExport collects what is stored about the registration of the
// manage link in :token.
func (s *Server) linkedExport(c *gin.Context) (registration.Registration, privacy.Export, error) {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return reg, privacy.Export{}, err
	}
	exp, err := s.Privacy.Registration(ctx, reg)
	exp.Controller = s.cfg.OrganiserName
	return reg, exp, err
}

// manageData is the person's data download through the manage link.
func (s *Server) manageData(c *gin.Context) error {
	reg, exp, err := s.linkedExport(c)
	if err != nil {
		return err
	}
	return s.jsonDownload(c, fmt.Sprintf("meine-daten-%d.json", reg.ID), exp)
}

// manageDataPage shows the same data as manageData as a page to read and
// print, with plain German labels.
func (s *Server) manageDataPage(c *gin.Context) error {
	_, exp, err := s.linkedExport(c)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	return s.html(c, http.StatusOK, "manage_data.html", "Ihre gespeicherten Daten", gin.H{
		"Export": exp, "Item": exp.Registrations[0], "Token": c.Param("token"),
	})
}

func (s *Server) jsonDownload(c *gin.Context, name string, v any) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

// manageDeleteForm asks the person to confirm the erasure.
func (s *Server) manageDeleteForm(c *gin.Context) error {
	return s.renderManageDelete(c, http.StatusOK, "")
}

func (s *Server) renderManageDelete(c *gin.Context, status int, message string) error {
	reg, ev, err := s.linkedRegistration(c)
	if err != nil {
		return err
	}
	return s.html(c, status, "manage_delete.html", "Löschung beantragen", gin.H{
		"Registration": reg, "Event": ev, "Token": c.Param("token"), "Message": message,
	})
}

// manageDelete erases the registration of the manage link: an active one
// is cancelled first (the place goes to the waiting list); the page then
// says what is gone and what stays.
func (s *Server) manageDelete(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	if c.PostForm("confirm") != "1" {
		return s.renderManageDelete(c, http.StatusUnprocessableEntity, "Bitte bestätigen Sie die Löschung mit dem Häkchen.")
	}
	ev, err := s.Events.Get(ctx, reg.EventID)
	if err != nil {
		return err
	}
	er, err := s.Privacy.DeleteRegistration(ctx, reg.ID)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "manage_deleted.html", "Ihre Daten sind gelöscht", gin.H{
		"Event": ev, "Erasure": er, "WasActive": len(er.Cancelled) > 0,
	})
}

// adminPrivacy finds a person by address across all meetings.
func (s *Server) adminPrivacy(c *gin.Context) error {
	email := strings.TrimSpace(c.Query("email"))
	data := gin.H{"Email": email}
	if email != "" {
		person, err := s.Privacy.Person(c.Request.Context(), email)
		switch {
		case problem.Is(err, problem.NotFound):
			data["NotFound"] = true
		case err != nil:
			return err
		default:
			data["Person"] = person
		}
	}
	return s.html(c, http.StatusOK, "admin_privacy.html", "Datenschutz: Auskunft und Löschung", data)
}

// adminPrivacyExport downloads everything stored under an address.
func (s *Server) adminPrivacyExport(c *gin.Context) error {
	exp, err := s.personExport(c)
	if err != nil {
		return err
	}
	return s.jsonDownload(c, "datenauskunft.json", exp)
}

// personExport collects (and records in the audit log) everything stored
// under the address in ?email.
func (s *Server) personExport(c *gin.Context) (privacy.Export, error) {
	email := registration.NormalizeEmail(c.Query("email"))
	if email == "" {
		return privacy.Export{}, errEmailMissing
	}
	exp, err := s.Privacy.ExportPerson(c.Request.Context(), email, actorOf(c))
	if err != nil {
		return privacy.Export{}, err
	}
	exp.Controller = s.cfg.OrganiserName
	return exp, nil
}

var errEmailMissing = &problem.Error{Code: problem.Invalid, Message: "Bitte geben Sie eine E-Mail-Adresse an.",
	Fields: map[string]string{"email": "Bitte geben Sie eine E-Mail-Adresse an."}}

// adminPrivacyEraseForm shows what an erasure would remove and asks to
// confirm it.
func (s *Server) adminPrivacyEraseForm(c *gin.Context) error {
	email := registration.NormalizeEmail(c.Query("email"))
	if _, err := s.Privacy.Person(c.Request.Context(), email); problem.Is(err, problem.NotFound) {
		// Nothing (more) to erase: the search says so.
		c.Redirect(http.StatusSeeOther, "/admin/privacy?email="+url.QueryEscape(email))
		return nil
	}
	return s.renderPrivacyErase(c, http.StatusOK, email, "")
}

func (s *Server) renderPrivacyErase(c *gin.Context, status int, email, message string) error {
	person, err := s.Privacy.Person(c.Request.Context(), email)
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_privacy_erase.html", "Alle Daten löschen", gin.H{"Person": person, "Message": message})
}

// adminPrivacyErase erases the person in every meeting.
func (s *Server) adminPrivacyErase(c *gin.Context) error {
	email := registration.NormalizeEmail(c.PostForm("email"))
	if email == "" {
		return errEmailMissing
	}
	if c.PostForm("confirm") != "1" {
		return s.renderPrivacyErase(c, http.StatusUnprocessableEntity, email, "Bitte bestätigen Sie die Löschung mit dem Häkchen.")
	}
	er, err := s.Privacy.ErasePerson(c.Request.Context(), email, actorOf(c))
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Gelöscht: %d Anmeldung(en) anonymisiert", len(er.Registrations))
	if len(er.Cancelled) > 0 {
		msg += fmt.Sprintf(", davon %d storniert (Plätze an die Warteliste)", len(er.Cancelled))
	}
	if er.AccountErased != nil {
		msg += ", Konto gelöscht"
	}
	if n := len(er.ContactsErased); n > 0 {
		msg += fmt.Sprintf(", %d Kontakt(e) für Einladungen gelöscht", n)
	}
	if er.AccountKept != "" {
		msg += ". " + er.AccountKept
	}
	s.flash(c, msg+".")
	c.Redirect(http.StatusSeeOther, "/admin/privacy")
	return nil
}

// apiPeopleExport: GET /api/v1/people/export?email=…
func (s *Server) apiPeopleExport(c *gin.Context) error {
	exp, err := s.personExport(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, exp)
	return nil
}

// apiPeopleErase: POST /api/v1/people/erase {"email": …}
func (s *Server) apiPeopleErase(c *gin.Context) error {
	var body struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	email := registration.NormalizeEmail(body.Email)
	if email == "" {
		return errEmailMissing
	}
	er, err := s.Privacy.ErasePerson(c.Request.Context(), email, actorOf(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, er)
	return nil
}

// privacyStore is the store the handlers use: the one given, or one on
// the server's database.
func privacyStore(d Deps) *privacy.Store {
	if d.Privacy != nil {
		return d.Privacy
	}
	return privacy.NewStore(d.DB.Gorm, d.Registrations)
}
