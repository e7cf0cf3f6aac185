package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

func (s *Server) managePage(c *gin.Context) error {
	return s.renderManage(c, http.StatusOK, nil, registrationForm{})
}

// renderManage shows a registration through its secret link; form carries
// a failed change so the typed values stay.
func (s *Server) renderManage(c *gin.Context, status int, reg *registration.Registration, form registrationForm) error {
	ctx := c.Request.Context()
	if reg == nil {
		r, err := s.Registrations.ByToken(ctx, c.Param("token"))
		if err != nil {
			return err
		}
		reg = &r
	}
	ev, err := s.Events.Get(ctx, reg.EventID)
	if err != nil {
		return err
	}
	card, err := s.card(ctx, ev)
	if err != nil {
		return err
	}
	position, err := s.Registrations.WaitlistPosition(ctx, *reg)
	if err != nil {
		return err
	}
	municipalityName := reg.Organisation
	if reg.MunicipalityID != nil {
		if m, err := s.Municipalities.Get(ctx, *reg.MunicipalityID); err == nil {
			municipalityName = m.Name
		}
	}
	if !form.Typed {
		form.Values = inputOf(*reg)
		prefs, err := s.WorkingGroups.Preferences(ctx, reg.EventID)
		if err != nil {
			return err
		}
		form.Values.WorkingGroupPreferences = prefs[reg.ID]
	}
	wishes, err := s.wishSlots(ctx, ev, form.Values.WorkingGroupPreferences)
	if err != nil {
		return err
	}
	questions, err := s.registrationQuestions(ctx, ev, reg.ID, &form)
	if err != nil {
		return err
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return err
	}
	attended, err := s.CheckIns.CheckedIn(ctx, reg.EventID)
	if err != nil {
		return err
	}
	documented := false
	if reg.Status == registration.Confirmed {
		doc, err := s.Archive.Documentation(ctx, reg.EventID)
		if err != nil {
			return err
		}
		documented = doc.Published()
	}
	messages, err := s.Messages.ForRegistration(ctx, reg.ID)
	if err != nil {
		return err
	}
	return s.html(c, status, "manage.html", "Ihre Anmeldung", gin.H{
		"Documented":   documented,
		"Messages":     messages,
		"Attended":     len(attended[reg.ID]) > 0,
		"Registration": reg, "Event": card, "Position": position, "Municipality": municipalityName,
		"Form": form, "New": c.Query("neu") == "1", "Salutations": registration.Salutations, "Token": c.Param("token"),
		"Wishes": wishes, "Schedule": schedule, "Questions": questions,
	})
}

func (s *Server) manageUpdate(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	in, fieldErrs := registrationInput(c)
	ev, err := s.Events.Get(ctx, reg.EventID)
	if err != nil {
		return err
	}
	if len(in.Days) == 0 && fieldErrs["days"] == "" && len(ev.Days) > 1 {
		fieldErrs["days"] = "Bitte wählen Sie mindestens einen Tag, an dem Sie teilnehmen."
	}
	if in.Answers, err = s.postedAnswers(c, ev); err != nil {
		return err
	}
	form := registrationForm{Values: in, Typed: true, Fields: fieldErrs}
	if len(fieldErrs) == 0 {
		if _, err = s.Registrations.Update(ctx, reg.ID, in, audit.Participant); err == nil {
			s.flash(c, "Ihre Änderungen sind gespeichert. Sie erhalten eine Bestätigung per E-Mail.")
			c.Redirect(http.StatusSeeOther, "/manage/"+url.PathEscape(c.Param("token")))
			return nil
		}
		pe := classify(err)
		if pe.Code != problem.Invalid && pe.Code != problem.Conflict {
			return err
		}
		form.Fields, form.Message = pe.Fields, pe.Message
	}
	if form.Message == "" {
		form.Message = "Bitte prüfen Sie die markierten Angaben."
	}
	return s.renderManage(c, http.StatusUnprocessableEntity, &reg, form)
}

func (s *Server) manageCancel(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	if c.PostForm("confirm") != "1" {
		return s.renderManage(c, http.StatusUnprocessableEntity, &reg, registrationForm{
			Message: "Bitte bestätigen Sie die Stornierung mit dem Häkchen.",
			Fields:  map[string]string{"confirm": "Bitte bestätigen Sie die Stornierung."}})
	}
	if _, err := s.Registrations.Cancel(ctx, reg.ID, audit.Participant); err != nil {
		return err
	}
	s.flash(c, "Ihre Anmeldung ist storniert. Sie erhalten eine Bestätigung per E-Mail.")
	c.Redirect(http.StatusSeeOther, "/manage/"+url.PathEscape(c.Param("token")))
	return nil
}

func (s *Server) resendForm(c *gin.Context) error {
	return s.html(c, http.StatusOK, "manage_resend.html", "Link zur Anmeldung anfordern", gin.H{})
}

// resend mails the manage links of an address again. The answer is the
// same whether or not the address is registered.
func (s *Server) resend(c *gin.Context) error {
	email := strings.TrimSpace(c.PostForm("email"))
	if msg := emailaddress.Problem(emailaddress.Normalize(email)); msg != "" {
		if msg == emailaddress.MsgMissing || msg == emailaddress.MsgInvalid {
			msg = "Bitte geben Sie die E-Mail-Adresse an, mit der Sie sich angemeldet haben."
		}
		return s.html(c, http.StatusUnprocessableEntity, "manage_resend.html", "Link zur Anmeldung anfordern",
			gin.H{"Email": email, "Error": msg})
	}
	if err := s.limitEmail(c, "resend", email, 3); err != nil {
		return err
	}
	if _, err := s.Registrations.ResendLinks(c.Request.Context(), email); err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "manage_resend.html", "Link zur Anmeldung anfordern", gin.H{"Sent": true, "Email": email})
}

// linkedRegistration resolves the manage link in :token to its
// registration and meeting.
func (s *Server) linkedRegistration(c *gin.Context) (registration.Registration, event.Event, error) {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return reg, event.Event{}, err
	}
	ev, err := s.Events.Get(ctx, reg.EventID)
	return reg, ev, err
}

func (s *Server) manageConfirmationPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, ev, err := s.linkedRegistration(c)
	if err != nil {
		return err
	}
	position, err := s.Registrations.WaitlistPosition(ctx, reg)
	if err != nil {
		return err
	}
	name := reg.Organisation
	if reg.MunicipalityID != nil {
		if m, err := s.Municipalities.Get(ctx, *reg.MunicipalityID); err == nil {
			name = m.Name
		}
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	// The document is meant to be passed on (e.g. to an employer), so it
	// leaves out the secret link that can change or cancel the registration.
	if err := document.Confirmation(&buf, &ev, schedule, &reg, name, position, s.cfg.OrganiserName, "", s.Now()); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="anmeldebestaetigung-%d.pdf"`, reg.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// manageCertificateMail queues the person's certificate of attendance to
// their address, once they were checked in.
func (s *Server) manageCertificateMail(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, days, err := s.linkAttendance(c)
	if err != nil {
		return err
	}
	if len(days) == 0 {
		return problem.New(problem.Conflict, "Eine Teilnahmebescheinigung gibt es, sobald Sie bei der Veranstaltung eingecheckt wurden.")
	}
	if err := s.limitEmail(c, "certificate", reg.Email, 3); err != nil {
		return err
	}
	if err := s.Registrations.RequestCertificate(ctx, reg.ID); err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, "Die Teilnahmebescheinigung ist unterwegs an "+reg.Email+".")
	c.Redirect(http.StatusSeeOther, "/manage/"+url.PathEscape(c.Param("token")))
	return nil
}

// linkAttendance resolves the manage link and the days the person was
// checked in (none: no certificate yet).
func (s *Server) linkAttendance(c *gin.Context) (registration.Registration, day.List, error) {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return reg, nil, err
	}
	attended, err := s.CheckIns.CheckedIn(ctx, reg.EventID)
	if err != nil {
		return reg, nil, err
	}
	return reg, attended[reg.ID], nil
}
