package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// documentationNotices are a meeting's "Dokumentation online" mails.
func documentationNotices(ev event.Event) outbox.ProgressFilter {
	return outbox.ProgressFilter{EventID: ev.ID, Kinds: []outbox.Kind{outbox.DocumentationNotice}}
}

// noticeView is the editor's section "Teilnehmende benachrichtigen":
// whom the notice would reach now and how far the mails sent have gone.
type noticeView struct {
	archive.Notice
	Progress progressView
}

func (s *Server) documentationNoticeView(c *gin.Context, ev event.Event) (noticeView, error) {
	ctx := c.Request.Context()
	reach, err := s.Archive.NoticeReach(ctx, ev.ID)
	if err != nil {
		return noticeView{}, err
	}
	p, err := s.Outbox.Progress(ctx, documentationNotices(ev))
	if err != nil {
		return noticeView{}, err
	}
	return noticeView{Notice: reach, Progress: s.progressView("dokumentation", "Versand der Benachrichtigung „Dokumentation online“",
		fmt.Sprintf("/admin/events/%d/documentation/notice/progress.json", ev.ID), fmt.Sprintf("/admin/mails?event=%d&kind=%s", ev.ID, outbox.DocumentationNotice), p)}, nil
}

// sendDocumentationNotice queues the notice and records who sent it.
func (s *Server) sendDocumentationNotice(c *gin.Context, ev event.Event, contacts bool) (archive.Notice, error) {
	n, err := s.Archive.SendNotice(c.Request.Context(), ev.ID, contacts, s.Now())
	if err != nil {
		return n, err
	}
	s.record(c, audit.DocumentationNoticeSent, "event", ev.ID, ev.ID, noticeMessage(n, contacts))
	if n.Queued() > 0 {
		s.kickMail()
	}
	return n, nil
}

// adminDocumentationNotice sends the notice from the editor's form.
func (s *Server) adminDocumentationNotice(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	contacts := c.PostForm("contacts") == "1"
	n, err := s.sendDocumentationNotice(c, ev, contacts)
	switch {
	case problem.CodeOf(err) == problem.Conflict:
		s.flash(c, classify(err).Message)
	case err != nil:
		return err
	default:
		s.flash(c, noticeMessage(n, contacts))
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation#benachrichtigen", ev.ID))
	return nil
}

// adminDocumentationNoticeProgress answers the delivery of the notice
// for the editor's live counts.
func (s *Server) adminDocumentationNoticeProgress(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	p, err := s.Outbox.Progress(c.Request.Context(), documentationNotices(ev))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, p)
	return nil
}

// noticeBody is the notice in the API: whom it reached (or would
// reach), the delivery so far and the same in German words.
type noticeBody struct {
	archive.Notice
	Queued   int             `json:"queued"`
	Skipped  int             `json:"skipped"`
	Delivery outbox.Progress `json:"delivery"`
	Message  string          `json:"message,omitempty"`
}

func (s *Server) noticeBodyOf(c *gin.Context, ev event.Event, n archive.Notice) (noticeBody, error) {
	p, err := s.Outbox.Progress(c.Request.Context(), documentationNotices(ev))
	return noticeBody{Notice: n, Queued: n.Queued(), Skipped: n.Skipped(), Delivery: p}, err
}

// apiDocumentationNoticeReach says whom the notice would reach now.
func (s *Server) apiDocumentationNoticeReach(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.Archive.NoticeReach(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	body, err := s.noticeBodyOf(c, ev, n)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, body)
	return nil
}

// apiDocumentationNotice sends the notice: {"contacts": true} also to
// the network's contacts.
func (s *Server) apiDocumentationNotice(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Contacts bool `json:"contacts"`
	}
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	n, err := s.sendDocumentationNotice(c, ev, in.Contacts)
	if err != nil {
		return err
	}
	body, err := s.noticeBodyOf(c, ev, n)
	if err != nil {
		return err
	}
	body.Message = noticeMessage(n, in.Contacts)
	c.JSON(http.StatusAccepted, body)
	return nil
}

// noticeMessage says in German what a send did.
func noticeMessage(n archive.Notice, contacts bool) string {
	var to []string
	if n.Participants > 0 {
		to = append(to, fmt.Sprintf("%d Teilnehmende", n.Participants))
	}
	if n.Contacts > 0 {
		to = append(to, contactsPhrase(n.Contacts)+" des Netzwerks")
	}
	var msg string
	switch {
	case len(to) > 0:
		msg = "Die Benachrichtigung „Dokumentation online“ wird versandt an " + strings.Join(to, " und ") + "."
	case n.Skipped() > 0:
		msg = "Keine neuen Benachrichtigungen: Alle wurden bereits benachrichtigt."
	case contacts:
		msg = "Keine Benachrichtigung versandt: Es gibt keine bestätigten Anmeldungen und keine Kontakte, die Nachrichten erhalten."
	default:
		msg = "Keine Benachrichtigung versandt: Es gibt keine bestätigten Anmeldungen."
	}
	var skipped []string
	if n.SkippedParticipants > 0 {
		skipped = append(skipped, fmt.Sprintf("%d Teilnehmende", n.SkippedParticipants))
	}
	if n.SkippedContacts > 0 {
		skipped = append(skipped, contactsPhrase(n.SkippedContacts))
	}
	if len(skipped) > 0 {
		msg += " Übersprungen, weil schon benachrichtigt: " + strings.Join(skipped, " und ") + "."
	}
	switch {
	case n.Unsubscribed == 1:
		msg += " 1 Kontakt hat sich abgemeldet und erhält nichts."
	case n.Unsubscribed > 1:
		msg += fmt.Sprintf(" %d Kontakte haben sich abgemeldet und erhalten nichts.", n.Unsubscribed)
	}
	return msg
}
