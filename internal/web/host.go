package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

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

// hostEvent shows a meeting's confirmed participants, read-only.
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
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	answers, err := s.Questions.Sheet(ctx, id)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "host_event.html", "Teilnehmende: "+ev.Name(), gin.H{"Event": card, "Registrations": regs, "MunicipalityNames": munis,
		"Answers": answers})
}
