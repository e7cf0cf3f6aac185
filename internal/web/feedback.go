package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/survey"
)

// feedbackQuestionForm is the survey question editor's state.
type feedbackQuestionForm struct {
	ID        int64
	Kind      string
	Label     string
	Required  bool
	LowLabel  string
	HighLabel string
	Options   string // one a line
	Fields    map[string]string
	Message   string
}

func newFeedbackQuestionForm() feedbackQuestionForm {
	return feedbackQuestionForm{Kind: string(survey.Rating), LowLabel: "gar nicht zufrieden", HighLabel: "sehr zufrieden"}
}

func feedbackFormOf(q survey.Question) feedbackQuestionForm {
	return feedbackQuestionForm{ID: q.ID, Kind: string(q.Kind), Label: q.Label, Required: q.Required,
		LowLabel: q.LowLabel, HighLabel: q.HighLabel, Options: q.OptionText}
}

func (f feedbackQuestionForm) input() survey.Input {
	return survey.Input{Kind: survey.Kind(f.Kind), Label: f.Label, Required: f.Required, LowLabel: f.LowLabel,
		HighLabel: f.HighLabel, Options: strings.Split(strings.ReplaceAll(f.Options, "\r", ""), "\n")}
}

// feedbackURL is the organisers' page of a meeting's survey.
func feedbackURL(eventID int64) string { return fmt.Sprintf("/admin/events/%d/feedback", eventID) }

// scheduleForm is the survey's period as typed.
type scheduleForm struct {
	OpensOn, ClosesOn string
	RemindDaysBefore  string
	Fields            map[string]string
	Message           string
}

// proposedRemindDays is the automatic reminder a new survey proposes.
const proposedRemindDays = 3

func (s *Server) adminFeedback(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderFeedback(c, http.StatusOK, ev, newFeedbackQuestionForm(), scheduleForm{})
}

// renderFeedback shows the questionnaire, the period, the sending and
// the counts; a schedule form without values shows the stored period or
// a proposal (the day after the meeting, for two weeks).
func (s *Server) renderFeedback(c *gin.Context, status int, ev event.Event, form feedbackQuestionForm, period scheduleForm) error {
	ctx := c.Request.Context()
	qs, err := s.Surveys.Questions(ctx, ev.ID)
	if err != nil {
		return err
	}
	sv, err := s.Surveys.Get(ctx, ev.ID)
	found := err == nil
	if err != nil && !problem.Is(err, problem.NotFound) {
		return err
	}
	if period.OpensOn == "" && period.ClosesOn == "" {
		opens, closes, remind := sv.OpensOn, sv.ClosesOn, sv.RemindDaysBefore
		if !found {
			last := ev.Days.Last()
			opens, closes, remind = last.AddDays(1), last.AddDays(14), proposedRemindDays
		}
		period.OpensOn, period.ClosesOn, period.RemindDaysBefore = opens.String(), closes.String(), strconv.Itoa(remind)
	}
	counts, err := s.Surveys.Counts(ctx, ev.ID)
	if err != nil {
		return err
	}
	all, err := s.Events.List(ctx, event.Filter{})
	if err != nil {
		return err
	}
	have, err := s.Surveys.QuestionCounts(ctx)
	if err != nil {
		return err
	}
	type source struct {
		Event event.Event
		Count int
	}
	var sources []source
	for _, e := range all {
		if e.ID != ev.ID && have[e.ID] > 0 {
			sources = append(sources, source{e, have[e.ID]})
		}
	}
	return s.html(c, status, "admin_feedback.html", "Befragung: "+ev.Name(), gin.H{"Event": ev, "Questions": qs, "Form": form,
		"Kinds": survey.Kinds, "Sources": sources, "Survey": sv, "Scheduled": found, "Period": period, "Counts": counts,
		"Ended": found && sv.Ended(s.Now()), "RemindChoices": survey.RemindChoices})
}

func (s *Server) adminFeedbackQuestionEdit(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "fqid")
	if err != nil {
		return err
	}
	q, err := s.Surveys.Question(c.Request.Context(), ev.ID, qid)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "admin_feedback_question.html", "Frage bearbeiten", gin.H{"Event": ev, "Form": feedbackFormOf(q), "Kinds": survey.Kinds})
}

// adminFeedbackQuestionSave creates a question, or updates :qid.
func (s *Server) adminFeedbackQuestionSave(c *gin.Context) error {
	ev, qid, err := s.eventAndOptionalID(c, "fqid")
	if err != nil {
		return err
	}
	form := feedbackQuestionForm{ID: qid, Kind: c.PostForm("kind"), Label: c.PostForm("label"), Required: c.PostForm("required") == "1",
		LowLabel: c.PostForm("low_label"), HighLabel: c.PostForm("high_label"), Options: c.PostForm("options")}
	q, err := s.Surveys.Save(c.Request.Context(), ev.ID, qid, form.input())
	if err != nil {
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		form.Fields, form.Message = pe.Fields, pe.Message
		if qid == 0 {
			return s.renderFeedback(c, http.StatusUnprocessableEntity, ev, form, scheduleForm{})
		}
		return s.html(c, http.StatusUnprocessableEntity, "admin_feedback_question.html", "Frage bearbeiten", gin.H{"Event": ev, "Form": form, "Kinds": survey.Kinds})
	}
	s.flash(c, "Die Frage „"+q.Label+"“ ist gespeichert.")
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

func (s *Server) adminFeedbackQuestionDelete(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "fqid")
	if err != nil {
		return err
	}
	if err := s.Surveys.Delete(c.Request.Context(), ev.ID, qid); err != nil {
		return err
	}
	s.flash(c, "Die Frage ist gelöscht.")
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

func (s *Server) adminFeedbackQuestionMove(c *gin.Context) error {
	ev, qid, err := s.eventAndID(c, "fqid")
	if err != nil {
		return err
	}
	if err := s.Surveys.Move(c.Request.Context(), ev.ID, qid, c.PostForm("direction") == "up"); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s#frage-%d", feedbackURL(ev.ID), qid))
	return nil
}

func (s *Server) adminFeedbackDefaults(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.Surveys.AddDefaults(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("%d Standardfragen für Lernnetzwerktreffen eingefügt.", n))
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

func (s *Server) adminFeedbackCopy(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	from, err := strconv.ParseInt(c.PostForm("from"), 10, 64)
	if err != nil {
		return problem.New(problem.BadRequest, "Bitte wählen Sie die Veranstaltung, aus der der Fragebogen übernommen werden soll.")
	}
	src, err := s.Events.Get(ctx, from)
	if err != nil {
		return err
	}
	n, err := s.Surveys.Copy(ctx, ev.ID, src.ID)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("%d %s aus „%s“ übernommen.", n, map[bool]string{true: "Frage", false: "Fragen"}[n == 1], src.Name()))
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

func (s *Server) adminFeedbackSchedule(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	period := scheduleForm{OpensOn: c.PostForm("opens_on"), ClosesOn: c.PostForm("closes_on"),
		RemindDaysBefore: c.PostForm("remind_days_before"), Fields: map[string]string{}}
	opens, err1 := day.Parse(strings.TrimSpace(period.OpensOn))
	closes, err2 := day.Parse(strings.TrimSpace(period.ClosesOn))
	if err1 != nil && period.OpensOn != "" {
		period.Fields["opens_on"] = "Bitte geben Sie ein Datum an."
	}
	if err2 != nil && period.ClosesOn != "" {
		period.Fields["closes_on"] = "Bitte geben Sie ein Datum an."
	}
	remind := 0 // a form without the choice: no automatic reminder
	if r := strings.TrimSpace(period.RemindDaysBefore); r != "" {
		var err error
		if remind, err = strconv.Atoi(r); err != nil {
			period.Fields["remind_days_before"] = "Bitte wählen Sie eine der angebotenen Erinnerungen."
		}
	}
	if len(period.Fields) == 0 {
		p := survey.Period{OpensOn: opens, ClosesOn: closes, RemindDaysBefore: remind}
		if _, err = s.Surveys.Schedule(c.Request.Context(), ev.ID, ev.Days.Last(), p); err == nil {
			s.flash(c, "Der Zeitraum der Befragung ist gespeichert.")
			c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
			return nil
		}
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		period.Fields = pe.Fields
	}
	period.Message = "Bitte prüfen Sie den Zeitraum."
	return s.renderFeedback(c, http.StatusUnprocessableEntity, ev, newFeedbackQuestionForm(), period)
}

func (s *Server) adminFeedbackSend(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.Surveys.Send(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, fmt.Sprintf("Die Befragung geht an %d %s.", n, map[bool]string{true: "Person", false: "Personen"}[n == 1]))
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

func (s *Server) adminFeedbackRemind(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.Surveys.Remind(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, fmt.Sprintf("Die Erinnerung geht an %d %s, die noch nicht geantwortet %s.", n,
		map[bool]string{true: "Person", false: "Personen"}[n == 1], map[bool]string{true: "hat", false: "haben"}[n == 1]))
	c.Redirect(http.StatusSeeOther, feedbackURL(ev.ID))
	return nil
}

// The participants' side: /feedback/{token}. Nothing here writes to the
// audit log or logs the link: the answers must not lead to a person.

// feedbackView is the survey form's state.
type feedbackView struct {
	Event     event.Event
	Survey    survey.Survey
	Questions []survey.Question
	Values    survey.Answers
	Fields    map[string]string
	Message   string
	Token     string
	Scale     []int
}

// FieldError is the message at a question.
func (v feedbackView) FieldError(q survey.Question) string { return v.Fields[q.Field()] }

func (s *Server) feedbackPage(c *gin.Context) error {
	form, err := s.Surveys.Open(c.Request.Context(), c.Param("token"))
	if err != nil {
		return s.feedbackClosed(c, err)
	}
	return s.renderFeedbackForm(c, http.StatusOK, form, feedbackView{Values: survey.Answers{}})
}

func (s *Server) renderFeedbackForm(c *gin.Context, status int, form survey.Form, v feedbackView) error {
	ev, err := s.Events.Get(c.Request.Context(), form.Survey.EventID)
	if err != nil {
		return err
	}
	v.Event, v.Survey, v.Questions, v.Token, v.Scale = ev, form.Survey, form.Questions, c.Param("token"), survey.RatingScale
	c.Header("Referrer-Policy", "no-referrer")
	return s.html(c, status, "feedback.html", "Ihre Rückmeldung: "+ev.Name(), gin.H{"View": v})
}

// feedbackClosed shows why a link takes no answers: unknown, used, or
// the survey is over or not open yet.
func (s *Server) feedbackClosed(c *gin.Context, err error) error {
	pe := classify(err)
	if statusOf(pe.Code) >= 500 {
		return err
	}
	return s.html(c, statusOf(pe.Code), "feedback_done.html", "Befragung", gin.H{"Message": pe.Message})
}

func (s *Server) feedbackSubmit(c *gin.Context) error {
	ctx := c.Request.Context()
	token := c.Param("token")
	form, err := s.Surveys.Open(ctx, token)
	if err != nil {
		return s.feedbackClosed(c, err)
	}
	given := survey.Answers{}
	for _, q := range form.Questions {
		given[q.ID] = c.PostFormArray(q.Field())
	}
	if err := s.Surveys.Submit(ctx, token, given); err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return s.renderFeedbackForm(c, http.StatusUnprocessableEntity, form, feedbackView{Values: given, Fields: pe.Fields, Message: "Bitte prüfen Sie die markierten Antworten."})
		}
		return s.feedbackClosed(c, err)
	}
	c.Redirect(http.StatusSeeOther, "/feedback/danke")
	return nil
}

func (s *Server) feedbackThanks(c *gin.Context) error {
	return s.html(c, http.StatusOK, "feedback_done.html", "Vielen Dank", gin.H{"Thanks": true})
}
