package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

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
	o, err := s.invitationOverview(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_invitations.html", "Einladungen: "+ev.Name(), gin.H{"Event": ev, "Overview": o, "Message": message})
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
	one, many := "Einladung", "Einladungen"
	if kind == outbox.FollowUp {
		one, many = "Erinnerung", "Erinnerungen"
	}
	msg := fmt.Sprintf("%d %s werden versandt.", res.Queued, many)
	if res.Queued == 1 {
		msg = "1 " + one + " wird versandt."
	}
	if res.Skipped > 0 {
		msg += fmt.Sprintf(" %d Kontakte hatten sie schon und wurden übersprungen.", res.Skipped)
	}
	if res.Unsubscribed > 0 {
		msg += fmt.Sprintf(" %d abgemeldete Kontakte erhalten nichts.", res.Unsubscribed)
	}
	if res.Registered > 0 {
		msg += fmt.Sprintf(" %d Kommunen mit Anmeldungen ausgelassen.", res.Registered)
	}
	return msg
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
