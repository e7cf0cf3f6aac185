package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// invitationRow is one municipality in the overview of a meeting's
// invitations.
type invitationRow struct {
	MunicipalityID int64  `json:"municipality_id"`
	Name           string `json:"name"`
	contact.Tally
	Registered int `json:"registered"` // confirmed or waiting
	Confirmed  int `json:"confirmed"`
	// NobodyRegistered marks a municipality without a registration.
	NobodyRegistered bool `json:"nobody_registered"`
}

// invitationOverview is the overview of a meeting's invitations.
type invitationOverview struct {
	Rows        []invitationRow
	Without     int    // municipalities without a registration
	FollowUpTo  int    // subscribed contacts of those, the follow-up's reach
	NotSendable string // why nothing can be sent now; "" when it can
}

// invitationOverview counts per municipality: contacts, invitations,
// registrations. Municipalities are listed when they are a Stadt, Kreis
// or Gemeinde, or have contacts or registrations.
func (s *Server) invitationOverview(ctx context.Context, ev event.Event) (invitationOverview, error) {
	var o invitationOverview
	munis, err := s.Municipalities.List(ctx)
	if err != nil {
		return o, err
	}
	tallies, err := s.Contacts.Tallies(ctx, ev.ID)
	if err != nil {
		return o, err
	}
	counts, err := s.Registrations.Count(ctx, ev.ID)
	if err != nil {
		return o, err
	}
	regs := map[int64][2]int{}
	for _, mc := range counts.ByMunicipality {
		if mc.MunicipalityID != nil {
			regs[*mc.MunicipalityID] = [2]int{mc.Confirmed + mc.Waitlisted, mc.Confirmed}
		}
	}
	for _, m := range munis {
		t, r := tallies[m.ID], regs[m.ID]
		if m.Kind == municipality.Organisation && t.Contacts == 0 && r[0] == 0 {
			continue
		}
		row := invitationRow{MunicipalityID: m.ID, Name: m.Name, Tally: t, Registered: r[0], Confirmed: r[1], NobodyRegistered: r[0] == 0}
		if row.NobodyRegistered {
			o.Without++
			o.FollowUpTo += t.Subscribed
		}
		o.Rows = append(o.Rows, row)
	}
	if err := contact.Sendable(ev, s.Now()); err != nil {
		o.NotSendable = classify(err).Message
	}
	return o, nil
}

func (s *Server) adminInvitations(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderInvitations(c, http.StatusOK, ev, "")
}

func (s *Server) renderInvitations(c *gin.Context, status int, ev event.Event, message string) error {
	ctx := c.Request.Context()
	o, err := s.invitationOverview(ctx, ev)
	if err != nil {
		return err
	}
	p, err := s.Outbox.Progress(ctx, invitationMails(ev))
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_invitations.html", "Einladungen: "+ev.Name(), gin.H{"Event": ev, "Overview": o, "Message": message,
		"Progress": s.progressView("einladungen", "Versand der Einladungen und Erinnerungen", fmt.Sprintf("/admin/events/%d/invitations/progress.json", ev.ID),
			fmt.Sprintf("/admin/mails?event=%d", ev.ID), p)})
}

// invitationMails are a meeting's mails to the network's contacts.
func invitationMails(ev event.Event) outbox.ProgressFilter {
	return outbox.ProgressFilter{EventID: ev.ID, Kinds: []outbox.Kind{outbox.EventInvitation, outbox.FollowUp}}
}

// adminInvitationProgress answers the progress of a meeting's
// invitations and follow-ups for the overview's live counts.
func (s *Server) adminInvitationProgress(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	p, err := s.Outbox.Progress(c.Request.Context(), invitationMails(ev))
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, p)
	return nil
}

// sendToContacts queues kind for the meeting to the municipalities
// (nil: all) and records who did it.
func (s *Server) sendToContacts(c *gin.Context, ev event.Event, kind outbox.Kind, municipalities []int64) (contact.SendResult, error) {
	res, err := s.Contacts.Send(c.Request.Context(), ev, kind, municipalities)
	if err != nil {
		return res, err
	}
	u, _ := currentUser(c)
	action := audit.InvitationsSent
	if kind == outbox.FollowUp {
		action = audit.FollowUpsSent
	}
	scope := "alle Kommunen"
	if municipalities != nil {
		scope = fmt.Sprintf("%d Kommunen", len(municipalities))
	}
	if err := s.Audit.Record(c.Request.Context(), audit.User(u.ID, u.Email), action, "event", ev.ID, &ev.ID,
		fmt.Sprintf("%s: %d neu, %d übersprungen, %d abgemeldet", scope, res.Queued, res.Skipped, res.Unsubscribed)); err != nil {
		return res, err
	}
	if res.Queued > 0 {
		s.kickMail()
	}
	return res, nil
}

// sentMessage says in German what a send did.
func sentMessage(kind outbox.Kind, res contact.SendResult) string {
	one, many, had := "Einladung", "Einladungen", "eingeladen"
	if kind == outbox.FollowUp {
		one, many, had = "Erinnerung", "Erinnerungen", "erinnert"
	}
	var msg string
	switch {
	case res.Queued == 1:
		msg = "1 " + one + " wird versandt."
	case res.Queued > 1:
		msg = fmt.Sprintf("%d %s werden versandt.", res.Queued, many)
	case res.Skipped > 0:
		msg = fmt.Sprintf("Keine neuen %s: %s wurden bereits %s.", many, allContacts(res.Skipped), had)
	case res.Unsubscribed > 0:
		msg = "Keine " + many + " versandt: Alle Kontakte der gewählten Kommunen haben sich von Einladungen abgemeldet."
	case res.Registered > 0:
		msg = "Keine " + many + " versandt: Aus allen gewählten Kommunen hat sich schon jemand angemeldet."
	default:
		msg = "Keine " + many + " versandt: Die gewählten Kommunen haben keine Kontakte."
	}
	if res.Queued > 0 && res.Skipped > 0 {
		msg += fmt.Sprintf(" %s hatten sie schon und wurden übersprungen.", contactsPhrase(res.Skipped))
	}
	if res.Unsubscribed > 0 && (res.Queued > 0 || res.Skipped > 0) {
		msg += fmt.Sprintf(" %d abgemeldete Kontakte erhalten nichts.", res.Unsubscribed)
	}
	if res.Registered > 0 {
		msg += fmt.Sprintf(" %d Kommunen mit Anmeldungen ausgelassen.", res.Registered)
	}
	return msg
}

func allContacts(n int) string {
	if n == 1 {
		return "Der eine Kontakt"
	}
	return fmt.Sprintf("Alle %d Kontakte", n)
}

func contactsPhrase(n int) string {
	if n == 1 {
		return "1 Kontakt"
	}
	return fmt.Sprintf("%d Kontakte", n)
}

// progressView is the progress of mails queued in the background, for
// the partial "progress".
type progressView struct {
	ID, Title   string
	URL, LogURL string // the counts as JSON; the mails in the log
	Logged      bool   // no mail server: the mails are only logged
	Rate        string // most mails a second, "" without limit
	outbox.Progress
}

func (s *Server) progressView(id, title, url, logURL string, p outbox.Progress) progressView {
	v := progressView{ID: id, Title: title, URL: url, LogURL: logURL, Progress: p}
	if s.cfg.MailRate > 0 {
		v.Rate = strings.ReplaceAll(strconv.FormatFloat(s.cfg.MailRate, 'f', -1, 64), ".", ",")
	}
	return v
}

// adminInvitationSend sends the invitation to all contacts (scope=all)
// or to the municipalities ticked in the overview.
func (s *Server) adminInvitationSend(c *gin.Context) error {
	return s.adminContactsSend(c, outbox.EventInvitation)
}

// adminFollowUpSend sends the follow-up to the contacts of municipalities
// without a registration.
func (s *Server) adminFollowUpSend(c *gin.Context) error {
	return s.adminContactsSend(c, outbox.FollowUp)
}

func (s *Server) adminContactsSend(c *gin.Context, kind outbox.Kind) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var ids []int64
	if c.PostForm("scope") != "all" {
		ids = []int64{}
		for _, raw := range c.PostFormArray("municipalities") {
			if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	res, err := s.sendToContacts(c, ev, kind, ids)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid || pe.Code == problem.Conflict {
			return s.renderInvitations(c, statusOf(pe.Code), ev, pe.Message)
		}
		return err
	}
	s.flash(c, sentMessage(kind, res))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/invitations", ev.ID))
	return nil
}
