package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

func (s *Server) hostHome(c *gin.Context) error {
	ctx := c.Request.Context()
	u, _ := currentUser(c)
	ids, err := s.Accounts.HostedEvents(ctx, u.ID)
	if err != nil {
		return err
	}
	var cards []eventCard
	for _, id := range ids {
		ev, err := s.Events.Get(ctx, id)
		if err != nil {
			return err
		}
		card, err := s.card(ctx, ev)
		if err != nil {
			return err
		}
		cards = append(cards, card)
	}
	return s.html(c, http.StatusOK, "host.html", "Gastgeber", gin.H{"Events": cards})
}

// hostEvent shows a meeting's confirmed participants and its waiting
// list, read-only, with what a host prints and exports.
func (s *Server) hostEvent(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	id := ev.ID
	card, err := s.card(ctx, ev)
	if err != nil {
		return err
	}
	regs, err := s.Registrations.List(ctx, id, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		return err
	}
	// In the order places are given: the position is the index + 1.
	waiting, err := s.Registrations.Waitlist(ctx, id)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	answers, err := s.Questions.Sheet(ctx, id)
	if err != nil {
		return err
	}
	items, err := s.Agenda.Items(ctx, id)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "host_event.html", "Teilnehmende: "+ev.Name(), gin.H{"Event": card, "Registrations": regs, "Waiting": waiting,
		"MunicipalityNames": munis, "Answers": answers, "HasProgramme": len(items) > 0})
}

// errNoProgramme answers for a meeting whose programme is still empty.
var errNoProgramme = problem.New(problem.NotFound, "Für diese Veranstaltung gibt es noch kein Programm.")

// hostProgrammePDF prints the programme for the host, also of a meeting
// not yet public.
func (s *Server) hostProgrammePDF(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	pdf, err := s.programmeFile(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	if pdf == nil {
		return errNoProgramme
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="programm-%d.pdf"`, ev.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
	return nil
}
