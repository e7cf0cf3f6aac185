package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// remindersInput is the body of PUT /api/v1/events/{id}/reminders; both
// fields are required, so a PUT says the whole setting.
type remindersInput struct {
	Enabled *bool  `json:"enabled"`
	Days    *[]int `json:"days"`
}

func (s *Server) apiReminders(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ev.Reminders())
	return nil
}

func (s *Server) apiRemindersSave(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var body remindersInput
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	var v problem.Validation
	if body.Enabled == nil {
		v.Add("enabled", "Bitte angeben, ob Erinnerungen gesendet werden (true oder false).")
	}
	if body.Days == nil {
		v.Add("days", "Bitte die Tage vor Beginn angeben, z. B. [7, 1].")
	}
	if err := v.Err(); err != nil {
		return err
	}
	off, days := !*body.Enabled, event.ReminderDays(*body.Days)
	ev, err := s.Events.Update(c.Request.Context(), id, event.Input{RemindersOff: &off, ReminderDays: &days})
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid && pe.Fields["reminder_days"] != "" {
			// The API's field is "days".
			return &problem.Error{Code: problem.Invalid, Message: pe.Message, Fields: map[string]string{"days": pe.Fields["reminder_days"]}}
		}
		return err
	}
	c.JSON(http.StatusOK, ev.Reminders())
	return nil
}
