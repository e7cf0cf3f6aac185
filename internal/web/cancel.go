package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Cancelling a registration from the organiser's list or the portal asks
// first, on a page that names the person and offers not to mail them;
// a cancellation can be taken back ("Stornierung zurücknehmen"). Both
// ends share the pages and messages below; the routes differ in who may
// act and where they come back to.

// cancelPaths are the addresses around one registration's cancellation.
type cancelPaths struct {
	Action string // the confirmation page and its POST
	Back   string // where "Abbrechen" and the result go
}

func adminCancelPaths(eventID, rid int64) cancelPaths {
	return cancelPaths{
		Action: fmt.Sprintf("/admin/events/%d/registrations/%d/cancel", eventID, rid),
		Back:   fmt.Sprintf("/admin/events/%d/registrations#liste", eventID),
	}
}

func portalCancelPaths(eventID, rid int64) cancelPaths {
	return cancelPaths{
		Action: fmt.Sprintf("/portal/events/%d/registrations/%d/cancel", eventID, rid),
		Back:   fmt.Sprintf("/portal/events/%d#anmeldungen", eventID),
	}
}

// renderCancelConfirm shows what cancelling reg does and asks whether
// the person is to be told. staff sees the waiting list's length; a
// coordinator sees only that somebody moves up, the list holds people
// of other municipalities.
func (s *Server) renderCancelConfirm(c *gin.Context, reg registration.Registration, paths cancelPaths) error {
	ctx := c.Request.Context()
	if reg.Status == registration.Cancelled {
		s.flash(c, "Die Anmeldung von "+reg.FullName()+" ist bereits storniert.")
		c.Redirect(http.StatusSeeOther, paths.Back)
		return nil
	}
	ev, err := s.Events.Get(ctx, reg.EventID)
	if err != nil {
		return err
	}
	waiting, err := s.Registrations.Waitlist(ctx, ev.ID)
	if err != nil {
		return err
	}
	position := 0
	for i, w := range waiting {
		if w.ID == reg.ID {
			position = i + 1
		}
	}
	from := reg.Organisation
	if reg.MunicipalityID != nil {
		m, err := s.Municipalities.Get(ctx, *reg.MunicipalityID)
		if err != nil {
			return err
		}
		from = m.Name
	}
	return s.html(c, http.StatusOK, "cancel_confirm.html", "Anmeldung von "+reg.FullName()+" stornieren", gin.H{
		"Registration": reg, "Event": ev, "From": from, "Position": position,
		"Waiting": len(waiting), "Paths": paths,
	})
}

// cancelFromForm cancels reg as the confirmation page asked: with a mail
// to the person only when the box was ticked.
func (s *Server) cancelFromForm(c *gin.Context, reg registration.Registration, paths cancelPaths) error {
	notify := c.PostForm("notify") == "1"
	if _, err := s.Registrations.CancelWith(c.Request.Context(), reg.ID, registration.StatusChange{Actor: actorOf(c), Notify: notify}); err != nil {
		if problem.Is(err, problem.Conflict) {
			s.flash(c, classify(err).Message)
			c.Redirect(http.StatusSeeOther, paths.Back)
			return nil
		}
		return err
	}
	msg := "Die Anmeldung von " + reg.FullName() + " ist storniert. "
	if notify {
		msg += reg.FullName() + " erhält eine E-Mail darüber."
	} else {
		msg += "Eine E-Mail an " + reg.FullName() + " geht nicht hinaus."
	}
	s.flash(c, msg+" Mit „Stornierung zurücknehmen“ lässt sie sich rückgängig machen.")
	c.Redirect(http.StatusSeeOther, paths.Back)
	return nil
}

// reinstateFromForm takes the cancellation of reg back and tells the
// person; a refusal (meeting over, data erased, registered again) is
// shown where the button was.
func (s *Server) reinstateFromForm(c *gin.Context, reg registration.Registration, paths cancelPaths) error {
	ctx := c.Request.Context()
	back, err := s.Registrations.Reinstate(ctx, reg.ID, registration.StatusChange{Actor: actorOf(c), Notify: true})
	if err != nil {
		if problem.Is(err, problem.Conflict) {
			s.flash(c, classify(err).Message)
			c.Redirect(http.StatusSeeOther, paths.Back)
			return nil
		}
		return err
	}
	msg, err := s.reinstatedMessage(c, back)
	if err != nil {
		return err
	}
	s.flash(c, msg+" "+back.FullName()+" erhält eine E-Mail darüber.")
	c.Redirect(http.StatusSeeOther, paths.Back)
	return nil
}

// reinstatedMessage says where an undo put the registration.
func (s *Server) reinstatedMessage(c *gin.Context, r registration.Registration) (string, error) {
	if r.Status == registration.Confirmed {
		return "Die Stornierung von " + r.FullName() + " ist zurückgenommen, der Platz ist wieder bestätigt.", nil
	}
	position, err := s.Registrations.WaitlistPosition(c.Request.Context(), r)
	if err != nil {
		return "", err
	}
	return "Die Stornierung von " + r.FullName() + " ist zurückgenommen, doch der Platz ist inzwischen vergeben: " +
		r.FullName() + " steht wieder auf der Warteliste (Platz " + strconv.Itoa(position) + ").", nil
}

// adminRegistration loads the registration :rid of meeting :id.
func (s *Server) adminRegistration(c *gin.Context) (registration.Registration, error) {
	eventID, err := paramID(c, "id")
	if err != nil {
		return registration.Registration{}, err
	}
	rid, err := paramID(c, "rid")
	if err != nil {
		return registration.Registration{}, err
	}
	reg, err := s.Registrations.Get(c.Request.Context(), rid)
	if err != nil || reg.EventID != eventID {
		return reg, registration.ErrNotFound
	}
	return reg, nil
}

func (s *Server) adminRegistrationCancelForm(c *gin.Context) error {
	reg, err := s.adminRegistration(c)
	if err != nil {
		return err
	}
	return s.renderCancelConfirm(c, reg, adminCancelPaths(reg.EventID, reg.ID))
}

func (s *Server) adminRegistrationCancel(c *gin.Context) error {
	reg, err := s.adminRegistration(c)
	if err != nil {
		return err
	}
	return s.cancelFromForm(c, reg, adminCancelPaths(reg.EventID, reg.ID))
}

func (s *Server) adminRegistrationReinstate(c *gin.Context) error {
	reg, err := s.adminRegistration(c)
	if err != nil {
		return err
	}
	return s.reinstateFromForm(c, reg, adminCancelPaths(reg.EventID, reg.ID))
}

func (s *Server) portalRegistrationCancelForm(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	return s.renderCancelConfirm(c, reg, portalCancelPaths(reg.EventID, reg.ID))
}

func (s *Server) portalRegistrationCancel(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	return s.cancelFromForm(c, reg, portalCancelPaths(reg.EventID, reg.ID))
}

func (s *Server) portalRegistrationReinstate(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	return s.reinstateFromForm(c, reg, portalCancelPaths(reg.EventID, reg.ID))
}

// statusChangeBody is the optional body of the API's cancel and
// reinstate: notify is true unless set to false.
type statusChangeBody struct {
	Notify *bool `json:"notify"`
}

// apiStatusChange reads the optional body.
func apiStatusChange(c *gin.Context) (registration.StatusChange, error) {
	ch := registration.StatusChange{Actor: actorOf(c), Notify: true}
	if c.Request.ContentLength == 0 {
		return ch, nil
	}
	var in statusChangeBody
	if err := decodeJSON(c, &in); err != nil {
		return ch, err
	}
	if in.Notify != nil {
		ch.Notify = *in.Notify
	}
	return ch, nil
}

func (s *Server) apiRegistrationCancel(c *gin.Context) error {
	return s.apiChangeStatus(c, s.Registrations.CancelWith)
}

func (s *Server) apiRegistrationReinstate(c *gin.Context) error {
	return s.apiChangeStatus(c, s.Registrations.Reinstate)
}

// apiChangeStatus applies change to the registration :rid of meeting :id
// and answers with the registration as it is now.
func (s *Server) apiChangeStatus(c *gin.Context, change func(ctx context.Context, id int64, ch registration.StatusChange) (registration.Registration, error)) error {
	reg, err := s.adminRegistration(c)
	if err != nil {
		return err
	}
	ch, err := apiStatusChange(c)
	if err != nil {
		return err
	}
	reg, err = change(c.Request.Context(), reg.ID, ch)
	if err != nil {
		return err
	}
	body := s.registrationBody(reg)
	if body.WaitlistPosition, err = s.Registrations.WaitlistPosition(c.Request.Context(), reg); err != nil {
		return err
	}
	c.JSON(http.StatusOK, body)
	return nil
}
