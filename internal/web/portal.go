package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// portalCard is a meeting as a coordinator sees it: the own
// municipality's places next to the meeting's.
type portalCard struct {
	eventCard
	OwnConfirmed  int
	OwnWaitlisted int
}

func (s *Server) coordinatorMunicipality(ctx context.Context, u account.User) (municipality.Municipality, error) {
	if u.MunicipalityID == nil {
		return municipality.Municipality{}, problem.New(problem.Forbidden, "Ihrem Konto ist keine Kommune zugeordnet. Bitte wenden Sie sich an das ISA.")
	}
	return s.Municipalities.Get(ctx, *u.MunicipalityID)
}

func (s *Server) portalCard(ctx context.Context, ev event.Event, municipalityID int64) (portalCard, error) {
	card, err := s.card(ctx, ev)
	if err != nil {
		return portalCard{}, err
	}
	pc := portalCard{eventCard: card}
	counts, err := s.Registrations.Count(ctx, ev.ID)
	if err != nil {
		return pc, err
	}
	for _, mc := range counts.ByMunicipality {
		if mc.MunicipalityID != nil && *mc.MunicipalityID == municipalityID {
			pc.OwnConfirmed, pc.OwnWaitlisted = mc.Confirmed, mc.Waitlisted
		}
	}
	return pc, nil
}

func (s *Server) portal(c *gin.Context) error {
	ctx := c.Request.Context()
	u, _ := currentUser(c)
	muni, err := s.coordinatorMunicipality(ctx, u)
	if err != nil {
		return err
	}
	list, err := s.Events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: s.Now()})
	if err != nil {
		return err
	}
	cards := make([]portalCard, 0, len(list))
	for _, ev := range list {
		pc, err := s.portalCard(ctx, ev, muni.ID)
		if err != nil {
			return err
		}
		cards = append(cards, pc)
	}
	return s.html(c, http.StatusOK, "portal.html", "Kommunale Koordination", gin.H{"Municipality": muni, "Events": cards})
}

// colleagueRow is one line of the form for registering several people.
type colleagueRow struct {
	Values registration.Input
	Fields map[string]string
	Index  int           // the row's number in the form that was posted, from 0
	Answer questionsView // the meeting's questions for this row
}

const defaultRows = 3

func (s *Server) portalEvent(c *gin.Context) error {
	rows, _ := strconv.Atoi(c.Query("zeilen"))
	rows = min(max(rows, defaultRows), 20)
	return s.renderPortalEvent(c, http.StatusOK, make([]colleagueRow, rows), "", nil)
}

func (s *Server) renderPortalEvent(c *gin.Context, status int, rows []colleagueRow, message string, done []registration.Registration) error {
	ctx := c.Request.Context()
	u, _ := currentUser(c)
	muni, err := s.coordinatorMunicipality(ctx, u)
	if err != nil {
		return err
	}
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	pc, err := s.portalCard(ctx, ev, muni.ID)
	if err != nil {
		return err
	}
	regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{MunicipalityID: &muni.ID})
	if err != nil {
		return err
	}
	waiting, err := s.Registrations.Waitlist(ctx, ev.ID)
	if err != nil {
		return err
	}
	positions := map[int64]int{}
	for i, w := range waiting {
		positions[w.ID] = i + 1
	}
	qs, err := s.formQuestions(ctx, ev)
	if err != nil {
		return err
	}
	for i := range rows {
		if rows[i].Values.Days == nil {
			rows[i].Values.Days = ev.Days
		}
		rows[i].Answer = rowQuestions(qs, i, rows[i])
	}
	return s.html(c, status, "portal_event.html", ev.Name()+" – "+muni.Name, gin.H{
		"Event": pc, "Municipality": muni, "Registrations": regs, "Positions": positions, "Rows": rows,
		"Message": message, "Done": done, "Salutations": registration.Salutations, "MoreRows": len(rows) + 3,
		"Consent": c.PostForm("consent") == "1", "RowProblems": c.GetStringSlice(rowProblemsKey),
	})
}

// portalRegister registers the filled rows one by one. Rows that fail keep
// their input and messages; the others are reported as done.
func (s *Server) portalRegister(c *gin.Context) error {
	ctx := c.Request.Context()
	u, _ := currentUser(c)
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	rows := colleagueRows(c)
	qs, err := s.formQuestions(ctx, ev)
	if err != nil {
		return err
	}
	var pending []colleagueRow
	for _, row := range rows {
		if !row.filled() {
			continue
		}
		row.Values.Answers = answersForm(c, qs, rowPrefix(row.Index))
		pending = append(pending, row)
	}
	if len(pending) == 0 {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, make([]colleagueRow, defaultRows), "Bitte tragen Sie mindestens eine Person ein.", nil)
	}
	if c.PostForm("consent") != "1" {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, pending,
			"Bitte bestätigen Sie, dass die angemeldeten Personen über die Datenverarbeitung informiert sind und eingewilligt haben.", nil)
	}
	var (
		failed []colleagueRow
		done   []registration.Registration
	)
	for _, row := range pending {
		in := row.Values
		in.MunicipalityID = u.MunicipalityID // a coordinator registers for the own municipality only
		in.PrivacyConsent = true
		reg, err := s.Registrations.Register(ctx, ev.ID, in, registration.Options{Actor: actorOf(c)})
		if err != nil {
			pe := classify(err)
			if pe.Code == problem.Internal || pe.Code == problem.Unavailable || pe.Code == problem.NotFound {
				return err
			}
			row.Fields = pe.Fields
			if len(row.Fields) == 0 {
				row.Fields = map[string]string{"last_name": pe.Message}
			}
			failed = append(failed, row)
			continue
		}
		done = append(done, reg)
	}
	if len(failed) > 0 {
		c.Set(rowProblemsKey, rowProblems(failed))
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, failed,
			fmt.Sprintf("%d von %d Personen konnten nicht angemeldet werden. Bitte prüfen Sie die markierten Angaben.", len(failed), len(pending)), done)
	}
	confirmed := 0
	for _, r := range done {
		if r.Status == registration.Confirmed {
			confirmed++
		}
	}
	noun := "Personen"
	if len(done) == 1 {
		noun = "Person"
	}
	msg := fmt.Sprintf("%d %s angemeldet: %d bestätigt", len(done), noun, confirmed)
	if w := len(done) - confirmed; w > 0 {
		msg += fmt.Sprintf(", %d auf der Warteliste", w)
	}
	s.flash(c, msg+". Die Bestätigungen gehen per E-Mail an die Personen, eine Kopie an Sie.")
	// The form posts to #anmelden; a fragment here puts the message in view.
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/portal/events/%d#inhalt", ev.ID))
	return nil
}

func (r colleagueRow) filled() bool {
	v := r.Values
	return strings.TrimSpace(v.FirstName+v.LastName+v.Email+v.Function+v.AcademicTitle) != ""
}

// colleagueRows reads the fields first_name.0, last_name.0, … of the form.
func colleagueRows(c *gin.Context) []colleagueRow {
	var rows []colleagueRow
	for i := 0; i < 20; i++ {
		k := func(name string) string { return c.PostForm(name + "." + strconv.Itoa(i)) }
		if _, ok := c.GetPostForm("last_name." + strconv.Itoa(i)); !ok {
			continue
		}
		in := registration.Input{Salutation: k("salutation"), AcademicTitle: k("academic_title"), FirstName: k("first_name"),
			LastName: k("last_name"), Email: k("email"), Function: k("function"), Phone: k("phone")}
		row := colleagueRow{Values: in, Index: i}
		if days, err := day.ParseEach(c.PostFormArray("days." + strconv.Itoa(i))); err == nil {
			row.Values.Days = days
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) portalRegistration(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	return s.renderPortalRegistration(c, http.StatusOK, reg, registrationForm{})
}

func (s *Server) renderPortalRegistration(c *gin.Context, status int, reg registration.Registration, form registrationForm) error {
	ev, err := s.Events.Get(c.Request.Context(), reg.EventID)
	if err != nil {
		return err
	}
	card, err := s.card(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	if !form.Typed {
		form.Values = inputOf(reg)
	}
	questions, err := s.registrationQuestions(c.Request.Context(), ev, reg.ID, &form)
	if err != nil {
		return err
	}
	return s.html(c, status, "portal_registration.html", reg.FullName(), gin.H{"Registration": reg, "Event": card, "Form": form,
		"Salutations": registration.Salutations, "Questions": questions})
}

func (s *Server) portalRegistrationUpdate(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	in, fields := registrationInput(c)
	ev, err := s.Events.Get(c.Request.Context(), reg.EventID)
	if err != nil {
		return err
	}
	if in.Answers, err = s.postedAnswers(c, ev); err != nil {
		return err
	}
	form := registrationForm{Values: in, Typed: true, Fields: fields}
	if len(fields) == 0 {
		_, err := s.Registrations.Update(c.Request.Context(), reg.ID, in, actorOf(c))
		if err == nil {
			s.flash(c, "Die Angaben von "+in.FirstName+" "+in.LastName+" sind gespeichert.")
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/portal/events/%d", reg.EventID))
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
	return s.renderPortalRegistration(c, http.StatusUnprocessableEntity, reg, form)
}

func (s *Server) portalRegistrationCancel(c *gin.Context) error {
	reg := c.MustGet(registrationKey).(registration.Registration)
	if _, err := s.Registrations.Cancel(c.Request.Context(), reg.ID, actorOf(c)); err != nil {
		return err
	}
	s.flash(c, "Die Anmeldung von "+reg.FullName()+" ist storniert.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/portal/events/%d", reg.EventID))
	return nil
}

// inputOf turns a stored registration back into form values.
func inputOf(r registration.Registration) registration.Input {
	return registration.Input{Salutation: r.Salutation, AcademicTitle: r.AcademicTitle, FirstName: r.FirstName,
		LastName: r.LastName, Email: r.Email, Phone: r.Phone, Function: r.Function, Organisation: r.Organisation, Days: r.Days,
		DietaryNeeds: r.DietaryNeeds, AccessibilityNeeds: r.AccessibilityNeeds, PhotoConsent: r.PhotoConsent, MunicipalityID: r.MunicipalityID}
}
