package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/message"
)

// apiMessages lists a meeting's sent messages with their delivery.
func (s *Server) apiMessages(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	msgs, err := s.Messages.List(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	list, err := s.messagesWithDelivery(c.Request.Context(), msgs)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(list))
	return nil
}

// apiMessage returns one sent message with its delivery.
func (s *Server) apiMessage(c *gin.Context) error {
	ev, id, err := s.eventAndID(c, "mid")
	if err != nil {
		return err
	}
	m, err := s.Messages.Get(c.Request.Context(), ev.ID, id, false)
	if err != nil {
		return err
	}
	if m.Status != message.Sent {
		return message.ErrNotFound // drafts are the composer's
	}
	list, err := s.messagesWithDelivery(c.Request.Context(), []message.Message{m})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, list[0])
	return nil
}

// apiMessageSend sends a message (without uploaded files) to the
// registrations the filter chooses now.
func (s *Server) apiMessageSend(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in message.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.programmeToAttach(c.Request.Context(), ev, in); err != nil {
		return err
	}
	u, _ := currentUser(c)
	m, err := s.Messages.Send(c.Request.Context(), message.Compose{EventID: ev.ID, Input: in, UserID: &u.ID})
	if err != nil {
		return err
	}
	s.kickMail()
	list, err := s.messagesWithDelivery(c.Request.Context(), []message.Message{m})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, list[0])
	return nil
}

// messagePreviewJSON is the API's preview: how many get the message, and
// the mail of the first of them.
type messagePreviewJSON struct {
	Recipients int      `json:"recipients"`
	Subject    string   `json:"subject"`
	Text       string   `json:"text"`
	HTML       string   `json:"html"`
	Files      []string `json:"files"`
}

// apiMessagePreview renders a message for the first recipient without
// sending it.
func (s *Server) apiMessagePreview(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in message.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	m := message.Message{EventID: ev.ID, Subject: in.Subject, Body: in.Text, IncludeProgramme: in.IncludeProgramme, Filter: in.Filter}
	p, err := s.previewMessage(c.Request.Context(), ev, m)
	if errors.Is(err, message.ErrNoRecipients) {
		c.JSON(http.StatusOK, messagePreviewJSON{Files: m.Files()})
		return nil
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, messagePreviewJSON{Recipients: len(p.Recipients), Subject: p.Subject, Text: p.Text, HTML: p.HTML, Files: p.Files})
	return nil
}
