package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/registration"
)

// declineBody is the optional body of a refusal.
type declineBody struct {
	Reason string `json:"reason"`
}

func (s *Server) apiRegistrationApprove(c *gin.Context) error {
	return s.apiDecide(c, func(ctx context.Context, rid int64) (registration.Registration, error) {
		return s.Registrations.Approve(ctx, rid, actorOf(c))
	})
}

func (s *Server) apiRegistrationDecline(c *gin.Context) error {
	var body declineBody
	if c.Request.ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	return s.apiDecide(c, func(ctx context.Context, rid int64) (registration.Registration, error) {
		return s.Registrations.Decline(ctx, rid, body.Reason, actorOf(c))
	})
}

// apiDecide approves or declines the pending registration named by the
// path and answers with it as it is now.
func (s *Server) apiDecide(c *gin.Context, decide func(ctx context.Context, rid int64) (registration.Registration, error)) error {
	ctx := c.Request.Context()
	ev, rid, err := s.eventAndID(c, "rid")
	if err != nil {
		return err
	}
	reg, err := s.Registrations.Get(ctx, rid)
	if err != nil || reg.EventID != ev.ID {
		return registration.ErrNotFound
	}
	if reg, err = decide(ctx, rid); err != nil {
		return err
	}
	body := s.registrationBody(reg)
	if body.WaitlistPosition, err = s.Registrations.WaitlistPosition(ctx, reg); err != nil {
		return err
	}
	c.JSON(http.StatusOK, body)
	return nil
}
