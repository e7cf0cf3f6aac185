package web

import (
	"bytes"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/registration"
)

// workingGroupsPDF prints one page per working group with its people.
func (s *Server) workingGroupsPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	id := ev.ID
	slots, err := s.WorkingGroups.Slots(ctx, id)
	if err != nil {
		return err
	}
	groups, err := s.WorkingGroups.Groups(ctx, id)
	if err != nil {
		return err
	}
	assignments, err := s.WorkingGroups.Assignments(ctx, id)
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
	var buf bytes.Buffer
	if err := document.WorkingGroupLists(&buf, &ev, slots, groups, assignments, regs, munis, s.Now()); err != nil {
		return err
	}
	return s.sendPDF(c, ev, "Arbeitsgruppen-Listen (PDF)", "arbeitsgruppen", &buf)
}
