package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
)

// questionForm is the question editor's state: what was typed, the
// option rows and the messages.
type questionForm struct {
	ID                int64
	Kind              string
	Label             string
	Help              string
	Required          bool
	InParticipantList bool
	Options           []optionRow
	Fields            map[string]string
	Message           string
}

// optionRow is one option in the editor; Taken is shown, not posted.
type optionRow struct {
	ID       string
	Label    string
	Capacity string
	Taken    int
}

// blankOptionRows is how many empty option rows the editor offers.
const blankOptionRows = 3

func newQuestionForm() questionForm {
	return questionForm{Kind: string(question.ShortText), Options: make([]optionRow, blankOptionRows)}
}

func formFromQuestion(q question.Question) questionForm {
	f := questionForm{ID: q.ID, Kind: string(q.Kind), Label: q.Label, Help: q.Help, Required: q.Required, InParticipantList: q.InParticipantList}
	for _, o := range q.Options {
		row := optionRow{ID: strconv.FormatInt(o.ID, 10), Label: o.Label, Taken: o.Taken}
		if o.Capacity != nil {
			row.Capacity = strconv.Itoa(*o.Capacity)
		}
		f.Options = append(f.Options, row)
	}
	f.Options = append(f.Options, make([]optionRow, blankOptionRows)...)
	return f
}

// postedQuestionForm reads the editor; the options come as parallel lists.
func postedQuestionForm(c *gin.Context, id int64) questionForm {
	f := questionForm{ID: id, Kind: c.PostForm("kind"), Label: c.PostForm("label"), Help: c.PostForm("help"),
		Required: c.PostForm("required") == "1", InParticipantList: c.PostForm("in_participant_list") == "1"}
	ids, labels, caps := c.PostFormArray("option_id"), c.PostFormArray("option_label"), c.PostFormArray("option_capacity")
	at := func(l []string, i int) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	for i := range labels {
		f.Options = append(f.Options, optionRow{ID: at(ids, i), Label: labels[i], Capacity: at(caps, i)})
	}
	return f
}

// questionInput turns the editor's strings into a question.Input;
// unreadable numbers become messages.
func questionInput(f questionForm) (question.Input, map[string]string) {
	fields := map[string]string{}
	in := question.Input{Kind: question.Kind(f.Kind), Label: f.Label, Help: f.Help, Required: f.Required, InParticipantList: f.InParticipantList}
	for i, row := range f.Options {
		o := question.OptionInput{Label: row.Label}
		if row.ID != "" {
			id, err := strconv.ParseInt(row.ID, 10, 64)
			if err != nil {
				fields["options"] = "Die Möglichkeiten sind unvollständig übermittelt; bitte laden Sie die Seite neu."
				continue
			}
			o.ID = id
		}
		if raw := strings.TrimSpace(row.Capacity); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 {
				fields["options"] = "Möglichkeit " + strconv.Itoa(i+1) + ": Bitte geben Sie die Plätze als Zahl an oder lassen Sie das Feld leer (unbegrenzt)."
				continue
			}
			o.Capacity = &n
		}
		in.Options = append(in.Options, o)
	}
	return in, fields
}

func (s *Server) adminQuestions(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderQuestions(c, http.StatusOK, ev, newQuestionForm())
}

func (s *Server) renderQuestions(c *gin.Context, status int, ev event.Event, form questionForm) error {
	ctx := c.Request.Context()
	qs, err := s.Questions.List(ctx, ev.ID)
	if err != nil {
		return err
	}
	all, err := s.Events.List(ctx, event.Filter{})
	if err != nil {
		return err
	}
	var sources []event.Event
	for _, e := range all {
		if e.ID != ev.ID && e.QuestionCount > 0 {
			sources = append(sources, e)
		}
	}
	return s.html(c, status, "admin_questions.html", "Fragen: "+ev.Name(), gin.H{"Event": ev, "Questions": qs, "Form": form,
		"Kinds": question.Kinds, "Sources": sources})
}

func (s *Server) adminQuestionEdit(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "qid")
	if err != nil {
		return err
	}
	q, err := s.Questions.Get(c.Request.Context(), ev.ID, qid)
	if err != nil {
		return err
	}
	return s.renderQuestionEdit(c, http.StatusOK, ev, formFromQuestion(q))
}

func (s *Server) renderQuestionEdit(c *gin.Context, status int, ev event.Event, form questionForm) error {
	return s.html(c, status, "admin_question.html", "Frage bearbeiten", gin.H{"Event": ev, "Form": form, "Kinds": question.Kinds})
}

// adminQuestionSave creates a question, or updates the question :qid.
func (s *Server) adminQuestionSave(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, qid, err := s.eventAndOptionalID(c, "qid")
	if err != nil {
		return err
	}
	form := postedQuestionForm(c, qid)
	rerender := func(fields map[string]string, message string) error {
		form.Fields, form.Message = fields, message
		for len(form.Options) < blankOptionRows {
			form.Options = append(form.Options, optionRow{})
		}
		if qid == 0 {
			return s.renderQuestions(c, http.StatusUnprocessableEntity, ev, form)
		}
		return s.renderQuestionEdit(c, http.StatusUnprocessableEntity, ev, form)
	}
	in, fields := questionInput(form)
	if len(fields) > 0 {
		return rerender(fields, "Bitte prüfen Sie die markierten Angaben.")
	}
	var q question.Question
	if qid == 0 {
		q, err = s.Questions.Create(ctx, ev.ID, in)
	} else {
		q, err = s.Questions.Update(ctx, ev.ID, qid, in)
	}
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return rerender(pe.Fields, pe.Message)
		}
		return err
	}
	s.flash(c, "Die Frage „"+q.Label+"“ ist gespeichert.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/questions", ev.ID))
	return nil
}

func (s *Server) adminQuestionDelete(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, qid, err := s.eventAndID(c, "qid")
	if err != nil {
		return err
	}
	q, err := s.Questions.Get(ctx, ev.ID, qid)
	if err != nil {
		return err
	}
	if err := s.Questions.Delete(ctx, ev.ID, qid); err != nil {
		return err
	}
	s.flash(c, "Die Frage „"+q.Label+"“ steht nicht mehr im Formular. Antworten, die schon gegeben wurden, bleiben in Listen und Exporten lesbar.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/questions", ev.ID))
	return nil
}

func (s *Server) adminQuestionMove(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "qid")
	if err != nil {
		return err
	}
	if err := s.Questions.Move(c.Request.Context(), ev.ID, qid, c.PostForm("direction") == "up"); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/questions#frage-%d", ev.ID, qid))
	return nil
}

func (s *Server) adminQuestionCopy(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	from, err := strconv.ParseInt(c.PostForm("from"), 10, 64)
	if err != nil {
		s.flash(c, "Bitte wählen Sie die Veranstaltung, aus der die Fragen übernommen werden sollen.")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/questions", ev.ID))
		return nil
	}
	src, err := s.Events.Get(ctx, from)
	if err != nil {
		return err
	}
	n, err := s.Questions.Copy(ctx, ev.ID, src.ID)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("%d %s aus „%s“ übernommen.", n, map[bool]string{true: "Frage", false: "Fragen"}[n == 1], src.Name()))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/questions", ev.ID))
	return nil
}

// The JSON API: /api/v1/events/{id}/questions.

// apiQuestions lists a meeting's questions for anyone who may register:
// an API client needs them to send answers.
func (s *Server) apiQuestions(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	qs, err := s.Questions.List(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(qs))
	return nil
}

func (s *Server) apiQuestionCreate(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in question.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := s.Questions.Create(c.Request.Context(), ev.ID, in)
	if err != nil {
		return err
	}
	c.Header("Location", fmt.Sprintf("/api/v1/events/%d/questions/%d", ev.ID, q.ID))
	c.JSON(http.StatusCreated, q)
	return nil
}

func (s *Server) apiQuestion(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	qid, err := paramID(c, "qid")
	if err != nil {
		return err
	}
	q, err := s.Questions.Get(c.Request.Context(), ev.ID, qid)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, q)
	return nil
}

// apiQuestionUpdate replaces the question: fields left out are empty,
// options left out are removed.
func (s *Server) apiQuestionUpdate(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "qid")
	if err != nil {
		return err
	}
	var in question.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := s.Questions.Update(c.Request.Context(), ev.ID, qid, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, q)
	return nil
}

func (s *Server) apiQuestionDelete(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "qid")
	if err != nil {
		return err
	}
	if err := s.Questions.Delete(c.Request.Context(), ev.ID, qid); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// answersForm reads a form's answers to qs: the field of each question,
// with prefix for the rows of the portal ("r2_").
func answersForm(c *gin.Context, qs []question.Question, prefix string) question.Submitted {
	if len(qs) == 0 {
		return nil
	}
	out := question.Submitted{}
	for _, q := range qs {
		out[q.ID] = c.PostFormArray(prefix + q.Field())
	}
	return out
}

// questionsView is what the questions partial shows: the questions, the
// values typed or stored, the messages per question and the prefix of
// the field names.
type questionsView struct {
	Questions []question.Question
	Values    question.Submitted
	Fields    map[string]string
	Prefix    string
	// Held are the options the registration holds already: shown
	// choosable even when full.
	Held question.Submitted
}

// FieldError is the message at a question.
func (v questionsView) FieldError(q question.Question) string { return v.Fields[v.Prefix+q.Field()] }

// Name is a question's field name in this form.
func (v questionsView) Name(q question.Question) string { return v.Prefix + q.Field() }

// Disabled reports whether an option is full for this person.
func (v questionsView) Disabled(q question.Question, o question.Option) bool {
	return o.Full() && !v.Held.HasOption(q.ID, o.ID)
}

// formQuestions returns the meeting's live questions for a form, without
// a query when it has none.
func (s *Server) formQuestions(ctx context.Context, ev event.Event) ([]question.Question, error) {
	if ev.QuestionCount == 0 {
		return nil, nil
	}
	return s.Questions.List(ctx, ev.ID)
}

// registrationQuestions is the questions partial of a person's form: of
// a new registration (registrationID 0) or of an existing one, whose
// stored answers fill the form unless it comes back typed.
func (s *Server) registrationQuestions(ctx context.Context, ev event.Event, registrationID int64, form *registrationForm) (questionsView, error) {
	qs, err := s.formQuestions(ctx, ev)
	if err != nil || len(qs) == 0 {
		return questionsView{}, err
	}
	view := questionsView{Questions: qs, Fields: form.Fields}
	if registrationID != 0 {
		held, err := s.Questions.Answers(ctx, registrationID)
		if err != nil {
			return view, err
		}
		view.Held = question.FormValues(held)
		if !form.Typed {
			form.Values.Answers = view.Held
		}
	}
	view.Values = form.Values.Answers
	return view, nil
}

// postedAnswers reads the answers of a person's form.
func (s *Server) postedAnswers(c *gin.Context, ev event.Event) (question.Submitted, error) {
	qs, err := s.formQuestions(c.Request.Context(), ev)
	if err != nil {
		return nil, err
	}
	return answersForm(c, qs, ""), nil
}

// rowPrefix is the prefix of the question fields of row i of the
// portal's form: "p0_q_12".
func rowPrefix(i int) string { return "p" + strconv.Itoa(i) + "_" }

// rowQuestions is the questions partial of the portal's row i: the
// messages the store gave for the row's person, under the row's names.
func rowQuestions(qs []question.Question, i int, row colleagueRow) questionsView {
	if len(qs) == 0 {
		return questionsView{}
	}
	view := questionsView{Questions: qs, Values: row.Values.Answers, Prefix: rowPrefix(i), Fields: map[string]string{}}
	for _, q := range qs {
		if msg, ok := row.Fields[q.Field()]; ok {
			view.Fields[view.Prefix+q.Field()] = msg
		}
	}
	return view
}

// apiAnswers is a registration's answers in the API's form; nil
// without answers.
func (s *Server) apiAnswers(ctx context.Context, ev event.Event, registrationID int64) (map[string]any, error) {
	as, err := s.Questions.Answers(ctx, registrationID)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	sheet, err := s.Questions.Sheet(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	return sheet.APIValues(registrationID), nil
}

// participantListAnswers are the columns of answers the organiser ticked
// for the participant list.
func (s *Server) participantListAnswers(ctx context.Context, ev event.Event) ([]document.AnswerColumn, error) {
	sheet, err := s.Questions.Sheet(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	var out []document.AnswerColumn
	for _, q := range sheet.Questions {
		if !q.Live() || !q.InParticipantList {
			continue
		}
		col := document.AnswerColumn{Title: q.Label, Answers: map[int64]string{}}
		for _, id := range sheet.Answered() {
			if t := sheet.Text(id, q.ID); t != "" {
				col.Answers[id] = t
			}
		}
		out = append(out, col)
	}
	return out, nil
}
