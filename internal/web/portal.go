package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
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
	Number int // as the coordinator saw it, from 1; kept when rows are shown again
	Values registration.Input
	Fields map[string]string
	Wishes []wishSlot    // the working-group choices of this row
	Answer questionsView // the meeting's questions for this row
}

// rowProblem is a row's mistake in the form's summary, linked to the row.
type rowProblem struct {
	Text   string
	Anchor string
}

const defaultRows = 3

func (s *Server) portalEvent(c *gin.Context) error {
	n, _ := strconv.Atoi(c.Query("zeilen"))
	return s.renderPortalEvent(c, http.StatusOK, emptyRows(min(max(n, defaultRows), maxRows)), "", nil)
}

// maxRows is the most people one batch registers.
const maxRows = 20

func emptyRows(n int) []colleagueRow {
	rows := make([]colleagueRow, n)
	for i := range rows {
		rows[i].Number = i + 1
	}
	return rows
}

func (s *Server) renderPortalEvent(c *gin.Context, status int, rows []colleagueRow, message string, done []registration.Registration, problems ...rowProblem) error {
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
		if rows[i].Wishes, err = s.wishSlots(ctx, ev, rows[i].Values.WorkingGroupPreferences); err != nil {
			return err
		}
		rows[i].Answer = rowQuestions(qs, i, rows[i])
	}
	var groups []wishSlot // the working groups, described once above the rows
	if len(rows) > 0 {
		groups = rows[0].Wishes
	}
	return s.html(c, status, "portal_event.html", ev.Name()+" – "+muni.Name, gin.H{
		"Event": pc, "Municipality": muni, "Registrations": regs, "Positions": positions, "Rows": rows,
		"Message": message, "Problems": problems, "Done": done, "Salutations": registration.Salutations,
		"MoreRows": min(len(rows)+3, maxRows), "Consent": c.PostForm("consent") == "1", "Groups": groups,
		"Past": ev.IsPast(s.Now()),
	})
}

// portalRegister registers the filled rows. Every row is checked first:
// with a mistake in any, nobody is registered and all rows are shown
// again as typed, each mistake named by the row's number and name. What
// only the registration itself can refuse (a registration of the same
// address at the same moment, the deadline passing) leaves the rows
// registered before it registered; the rest are shown again.
func (s *Server) portalRegister(c *gin.Context) error {
	ctx := c.Request.Context()
	u, _ := currentUser(c)
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	qs, err := s.formQuestions(ctx, ev)
	if err != nil {
		return err
	}
	var pending []colleagueRow
	for _, row := range colleagueRows(c) {
		if row.filled() {
			row.Values.MunicipalityID = u.MunicipalityID // a coordinator registers for the own municipality only
			row.Values.PrivacyConsent = true
			row.Values.Answers = answersForm(c, qs, rowPrefix(row.Number-1))
			pending = append(pending, row)
		}
	}
	if len(pending) == 0 {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, emptyRows(defaultRows), "Bitte tragen Sie mindestens eine Person ein.", nil)
	}
	if c.PostForm("consent") != "1" {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, pending,
			"Bitte bestätigen Sie, dass die angemeldeten Personen über die Datenverarbeitung informiert sind und eingewilligt haben.", nil)
	}
	var problems []rowProblem
	seen := map[string]int{} // address → row number
	for i := range pending {
		row := &pending[i]
		err := s.Registrations.Check(ctx, ev.ID, row.Values)
		if err == nil {
			email := registration.NormalizeEmail(row.Values.Email)
			if first, ok := seen[email]; ok {
				err = &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
					Fields: map[string]string{"email": fmt.Sprintf("Diese Adresse steht schon in Zeile %d.", first)}}
			}
			seen[email] = row.Number
		}
		if err != nil {
			p, err := rowFailed(row, i, err)
			if err != nil {
				return err
			}
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, pending, rowsMessage(len(problems), len(pending), false), nil, problems...)
	}
	var (
		failed []colleagueRow
		done   []registration.Registration
	)
	for _, row := range pending {
		reg, err := s.Registrations.Register(ctx, ev.ID, row.Values, registration.Options{Actor: actorOf(c)})
		if err != nil {
			p, err := rowFailed(&row, len(failed), err)
			if err != nil {
				return err
			}
			problems = append(problems, p)
			failed = append(failed, row)
			continue
		}
		done = append(done, reg)
	}
	if len(failed) > 0 {
		return s.renderPortalEvent(c, http.StatusUnprocessableEntity, failed, rowsMessage(len(failed), len(pending), true), done, problems...)
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

// rowFailed marks the row's fields with err's messages and returns the
// line for the summary: "Zeile 3 (Erika Müller): …". at is the row's
// place in the form as shown again, for the link to its first field.
// Errors that are no mistake of the row are returned.
func rowFailed(row *colleagueRow, at int, err error) (rowProblem, error) {
	pe := classify(err)
	if pe.Code == problem.Internal || pe.Code == problem.Unavailable || pe.Code == problem.NotFound {
		return rowProblem{}, err
	}
	row.Fields = pe.Fields
	if len(row.Fields) == 0 {
		row.Fields = map[string]string{"last_name": pe.Message}
	}
	var texts []string
	field := ""
	for _, name := range rowFieldOrder {
		if msg, ok := row.Fields[name]; ok {
			texts = append(texts, msg)
			if field == "" {
				field = name
			}
		}
	}
	for name, msg := range row.Fields { // a field the form does not know
		if !slices.Contains(rowFieldOrder, name) {
			texts = append(texts, msg)
		}
	}
	if field == "" {
		field = "last_name"
	}
	anchor := fmt.Sprintf("f-%s-%d", field, at)
	name := strings.TrimSpace(row.Values.FirstName + " " + row.Values.LastName)
	if name == "" {
		name = "ohne Namen"
	}
	return rowProblem{Text: fmt.Sprintf("Zeile %d (%s): %s", row.Number, name, strings.Join(texts, " ")), Anchor: anchor}, nil
}

// rowFieldOrder is the order of a row's fields in the form.
var rowFieldOrder = []string{"salutation", "academic_title", "first_name", "last_name", "email", "function", "phone",
	"days", "working_group_preferences", "dietary_needs", "accessibility_needs", "municipality_id", "organisation"}

func rowsMessage(failed, of int, someRegistered bool) string {
	if !someRegistered {
		if failed == 1 {
			return fmt.Sprintf("Eine von %d Zeilen enthält einen Fehler; es wurde noch niemand angemeldet. Bitte korrigieren Sie die Angaben und senden Sie das Formular erneut.", of)
		}
		return fmt.Sprintf("%d von %d Zeilen enthalten Fehler; es wurde noch niemand angemeldet. Bitte korrigieren Sie die Angaben und senden Sie das Formular erneut.", failed, of)
	}
	return fmt.Sprintf("%d von %d Personen konnten nicht angemeldet werden. Bitte prüfen Sie die markierten Angaben.", failed, of)
}

func (r colleagueRow) filled() bool {
	v := r.Values
	return strings.TrimSpace(v.FirstName+v.LastName+v.Email+v.Function+v.AcademicTitle) != ""
}

// colleagueRows reads the fields first_name.0, last_name.0, … of the form.
func colleagueRows(c *gin.Context) []colleagueRow {
	var rows []colleagueRow
	for i := range maxRows {
		k := func(name string) string { return c.PostForm(name + "." + strconv.Itoa(i)) }
		if _, ok := c.GetPostForm("last_name." + strconv.Itoa(i)); !ok {
			continue
		}
		in := registration.Input{Salutation: k("salutation"), AcademicTitle: k("academic_title"), FirstName: k("first_name"),
			LastName: k("last_name"), Email: k("email"), Function: k("function"), Phone: k("phone"),
			DietaryNeeds: k("dietary_needs"), AccessibilityNeeds: k("accessibility_needs"),
			WorkingGroupPreferences: parseWishesOf(c, "."+strconv.Itoa(i))}
		row := colleagueRow{Number: i + 1, Values: in}
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
		prefs, err := s.WorkingGroups.Preferences(c.Request.Context(), reg.EventID)
		if err != nil {
			return err
		}
		form.Values.WorkingGroupPreferences = prefs[reg.ID]
	}
	wishes, err := s.wishSlots(c.Request.Context(), ev, form.Values.WorkingGroupPreferences)
	if err != nil {
		return err
	}
	questions, err := s.registrationQuestions(c.Request.Context(), ev, reg.ID, &form)
	if err != nil {
		return err
	}
	return s.html(c, status, "portal_registration.html", reg.FullName(), gin.H{"Registration": reg, "Event": card, "Form": form,
		"Salutations": registration.Salutations, "Wishes": wishes, "Questions": questions})
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

// inputOf turns a stored registration back into form values.
func inputOf(r registration.Registration) registration.Input {
	return registration.Input{Salutation: r.Salutation, AcademicTitle: r.AcademicTitle, FirstName: r.FirstName,
		LastName: r.LastName, Email: r.Email, Phone: r.Phone, Function: r.Function, Organisation: r.Organisation, Days: r.Days,
		DietaryNeeds: r.DietaryNeeds, AccessibilityNeeds: r.AccessibilityNeeds, PhotoConsent: r.PhotoConsent, MunicipalityID: r.MunicipalityID}
}
