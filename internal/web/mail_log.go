package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
)

// mailLogPage is how many mails a page of the log shows.
const mailLogPage = 50

// mailRow is a mail in the log with the meeting it belongs to, if any.
type mailRow struct {
	outbox.Message
	Meeting *event.Event
	Show    string // link to the mail's detail view, keeping the filter
}

// mailLogQuery is the log's filter and position as the URL carries them.
type mailLogQuery struct {
	outbox.Filter
	At outbox.Cursor
}

func readMailLogQuery(c *gin.Context) mailLogQuery {
	id := func(key string) int64 {
		n, _ := strconv.ParseInt(c.Query(key), 10, 64)
		return max(n, 0)
	}
	return mailLogQuery{
		Filter: outbox.Filter{EventID: id("event"), Status: outbox.Status(c.Query("status")), Kind: outbox.Kind(c.Query("kind"))},
		At:     outbox.Cursor{Before: id("before"), After: id("after")},
	}
}

// link is the log's address with the filter, at the cursor, with the
// mail `show` open (0: none).
func (q mailLogQuery) link(at outbox.Cursor, show int64) string {
	v := url.Values{}
	if q.EventID != 0 {
		v.Set("event", strconv.FormatInt(q.EventID, 10))
	}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	if q.Kind != "" {
		v.Set("kind", string(q.Kind))
	}
	if at.Before != 0 {
		v.Set("before", strconv.FormatInt(at.Before, 10))
	}
	if at.After != 0 {
		v.Set("after", strconv.FormatInt(at.After, 10))
	}
	if show != 0 {
		v.Set("show", strconv.FormatInt(show, 10))
	}
	if len(v) == 0 {
		return "/admin/mails"
	}
	return "/admin/mails?" + v.Encode()
}

// kindOption is a purpose in the log's filter.
type kindOption struct {
	Kind  outbox.Kind
	Label string
}

// mailDetail is the mail opened in the log.
type mailDetail struct {
	outbox.Message
	Meeting *event.Event
	// BodyNote says why no text is shown: not rendered yet, or deleted.
	BodyNote string
}

func (s *Server) adminMails(c *gin.Context) error {
	ctx := c.Request.Context()
	q := readMailLogQuery(c)
	page, err := s.Outbox.Page(ctx, q.Filter, q.At, mailLogPage)
	if err != nil {
		return err
	}
	counts, err := s.Outbox.CountByStatus(ctx, q.EventID)
	if err != nil {
		return err
	}
	kinds, err := s.Outbox.Kinds(ctx)
	if err != nil {
		return err
	}
	options := make([]kindOption, len(kinds))
	for i, k := range kinds {
		options[i] = kindOption{k, k.Label()}
	}
	slices.SortFunc(options, func(a, b kindOption) int { return cmp.Compare(a.Label, b.Label) })
	// Each mail names its meeting; account mails belong to none.
	all, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return err
	}
	meetings := make(map[int64]*event.Event, len(all))
	for i := range all {
		meetings[all[i].ID] = &all[i]
	}
	meetingOf := func(m outbox.Message) *event.Event {
		if m.EventID == nil {
			return nil
		}
		return meetings[*m.EventID]
	}
	rows := make([]mailRow, len(page.Messages))
	for i, m := range page.Messages {
		rows[i] = mailRow{Message: m, Meeting: meetingOf(m), Show: q.link(q.At, m.ID) + "#mail-open"}
	}
	var open *mailDetail
	if mid, err := strconv.ParseInt(c.Query("show"), 10, 64); err == nil {
		if m, err := s.Outbox.Get(ctx, mid); err == nil {
			open = &mailDetail{Message: m, Meeting: meetingOf(m), BodyNote: s.mailBodyNote(m)}
		}
	}
	var older, newer string
	if page.Older != 0 {
		older = q.link(outbox.Cursor{Before: page.Older}, 0)
	}
	if page.Newer != 0 {
		newer = q.link(outbox.Cursor{After: page.Newer}, 0)
	}
	return s.html(c, http.StatusOK, "admin_mails.html", "E-Mails", gin.H{
		"Mails": rows, "Counts": counts, "Meeting": meetings[q.EventID], "Meetings": all, "Open": open,
		"Statuses": []outbox.Status{outbox.Pending, outbox.Sending, outbox.Sent, outbox.Failed},
		"Kinds":    options, "Filter": q.Filter, "Older": older, "Newer": newer, "First": q.At == (outbox.Cursor{}),
		"NoMailServer": s.cfg.SMTPURL == "", "Close": q.link(q.At, 0),
	})
}

// mailBodyNote says why a mail's text cannot be shown; "" when it can.
func (s *Server) mailBodyNote(m outbox.Message) string {
	switch {
	case m.Status != outbox.Sent:
		// Account mails carry their one-time link before they are sent;
		// the log shows what went out, not what waits.
		return "Der Inhalt wird beim Versand erzeugt und danach hier angezeigt."
	case m.TextBody != "" || m.HTMLBody != "":
		return ""
	case m.Recipient == "":
		return "Inhalt bei der Anonymisierung der Person gelöscht."
	case s.cfg.MailKeepBodies > 0:
		return fmt.Sprintf("Inhalt nach %d Tagen gelöscht (Aufbewahrung der Mailtexte: mail_keep_bodies); Empfänger, Betreff, Zeitpunkt und Message-ID bleiben als Nachweis.",
			int(s.cfg.MailKeepBodies/(24*time.Hour)))
	}
	return "Inhalt gelöscht."
}

// mailHTMLPolicy lets the stored HTML of a mail show its own inline
// styles and embedded images, in a sandbox (no script, no form, an
// origin of its own), framed by this site's pages only.
const mailHTMLPolicy = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

var mailHTMLNote = template.Must(template.New("note").Parse(`<!DOCTYPE html><html lang="de"><meta charset="utf-8"><title>HTML-Fassung</title>` +
	`<p style="font-family:sans-serif;color:#555">{{.}}</p></html>`))

// adminMailHTML serves the HTML part of a sent mail for the frame of the
// log's detail view. It is the mail as sent, so it is never rendered in
// the site's own origin.
func (s *Server) adminMailHTML(c *gin.Context) error {
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	m, err := s.Outbox.Get(c.Request.Context(), mid)
	if err != nil {
		return err
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", mailHTMLPolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if note := s.mailBodyNote(m); note != "" || m.HTMLBody == "" {
		if note == "" {
			note = "Diese E-Mail hatte keine HTML-Fassung."
		}
		c.Status(http.StatusOK)
		h.Set("Content-Type", "text/html; charset=utf-8")
		return mailHTMLNote.Execute(c.Writer, note)
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(m.HTMLBody))
	return nil
}

func (s *Server) adminMailRetry(c *gin.Context) error {
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	if err := s.Outbox.Requeue(c.Request.Context(), mid); err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, "Die E-Mail wird erneut versendet.")
	c.Redirect(http.StatusSeeOther, "/admin/mails")
	return nil
}
