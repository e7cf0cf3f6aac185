package web

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
)

// paramID reads a positive id from the path parameter name; anything
// else is a page that does not exist.
func paramID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errPageNotFound
	}
	return id, nil
}

// eventParam loads the meeting named by :id.
func (s *Server) eventParam(c *gin.Context) (event.Event, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return event.Event{}, err
	}
	return s.Events.Get(c.Request.Context(), id)
}

// schedule returns the hours of each of the meeting's days, from its
// programme where that makes the days differ.
func (s *Server) schedule(ctx context.Context, ev event.Event) (event.Schedule, error) {
	hours, err := s.Agenda.Spans(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	return ev.Schedule(hours), nil
}

// eventAndOptionalID is eventAndID for routes that create (no parameter
// name: id 0) and update (the parameter names the part).
func (s *Server) eventAndOptionalID(c *gin.Context, name string) (event.Event, int64, error) {
	if c.Param(name) == "" {
		ev, err := s.eventParam(c)
		return ev, 0, err
	}
	return s.eventAndID(c, name)
}

// eventAndID loads the meeting named by :id and reads the id of one of
// its parts (working group, registration, item) from the parameter name.
func (s *Server) eventAndID(c *gin.Context, name string) (event.Event, int64, error) {
	ev, err := s.eventParam(c)
	if err != nil {
		return ev, 0, err
	}
	id, err := paramID(c, name)
	return ev, id, err
}
