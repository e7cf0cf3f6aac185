package web

import (
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/survey"
)

// The feedback survey in the API: its state, its period, sending and
// reminding, and the results with the comparison, as the organisers'
// pages have them. The questionnaire itself is edited on the pages.

type apiFeedbackCounts struct {
	Invited      int     `json:"invited"`
	Answered     int     `json:"answered"`
	Reminded     int     `json:"reminded"`
	ResponseRate float64 `json:"response_rate"`
}

func feedbackCountsJSON(c survey.Counts) apiFeedbackCounts {
	return apiFeedbackCounts{Invited: c.Invited, Answered: c.Answered, Reminded: c.Reminded, ResponseRate: round2(c.Rate())}
}

type apiFeedbackQuestion struct {
	ID        int64       `json:"id"`
	Kind      survey.Kind `json:"kind"`
	Label     string      `json:"label"`
	Required  bool        `json:"required"`
	LowLabel  string      `json:"low_label,omitempty"`
	HighLabel string      `json:"high_label,omitempty"`
	Options   []string    `json:"options,omitempty"`
}

func feedbackQuestionJSON(q survey.Question) apiFeedbackQuestion {
	return apiFeedbackQuestion{ID: q.ID, Kind: q.Kind, Label: q.Label, Required: q.Required,
		LowLabel: q.LowLabel, HighLabel: q.HighLabel, Options: q.Options()}
}

type apiFeedbackSurvey struct {
	EventID          int64                 `json:"event_id"`
	OpensOn          *day.Date             `json:"opens_on"`
	ClosesOn         *day.Date             `json:"closes_on"`
	RemindDaysBefore int                   `json:"remind_days_before"`
	AutoRemindOn     *day.Date             `json:"auto_remind_on"`
	SentAt           *time.Time            `json:"sent_at"`
	RemindedAt       *time.Time            `json:"reminded_at"`
	Ended            bool                  `json:"ended"`
	Counts           apiFeedbackCounts     `json:"counts"`
	Questions        []apiFeedbackQuestion `json:"questions"`
}

// feedbackSurveyJSON reads a meeting's survey for the API; before its
// period is set, the survey is its questionnaire alone.
func (s *Server) feedbackSurveyJSON(c *gin.Context, eventID int64) (apiFeedbackSurvey, error) {
	ctx := c.Request.Context()
	sv, err := s.Surveys.Get(ctx, eventID)
	scheduled := err == nil
	if err != nil && !errors.Is(err, survey.ErrNoSurvey) {
		return apiFeedbackSurvey{}, err
	}
	qs, err := s.Surveys.Questions(ctx, eventID)
	if err != nil {
		return apiFeedbackSurvey{}, err
	}
	counts, err := s.Surveys.Counts(ctx, eventID)
	if err != nil {
		return apiFeedbackSurvey{}, err
	}
	out := apiFeedbackSurvey{EventID: eventID, RemindDaysBefore: sv.RemindDaysBefore, SentAt: sv.SentAt, RemindedAt: sv.RemindedAt,
		Ended: scheduled && sv.Ended(s.Now()), Counts: feedbackCountsJSON(counts), Questions: []apiFeedbackQuestion{}}
	if scheduled {
		out.OpensOn, out.ClosesOn = &sv.OpensOn, &sv.ClosesOn
	}
	if on := sv.AutoRemindOn(); !on.IsZero() && sv.RemindedAt == nil && !out.Ended {
		out.AutoRemindOn = &on
	}
	for _, q := range qs {
		out.Questions = append(out.Questions, feedbackQuestionJSON(q))
	}
	return out, nil
}

func (s *Server) apiFeedback(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.answerFeedbackSurvey(c, ev.ID)
}

// answerFeedbackSurvey answers with the meeting's survey as it is now.
func (s *Server) answerFeedbackSurvey(c *gin.Context, eventID int64) error {
	out, err := s.feedbackSurveyJSON(c, eventID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// feedbackPeriodInput is the body of PUT …/feedback/period. Dates come
// as text, so that a wrong one is named at its field.
type feedbackPeriodInput struct {
	OpensOn          string `json:"opens_on"`
	ClosesOn         string `json:"closes_on"`
	RemindDaysBefore int    `json:"remind_days_before"`
}

func (s *Server) apiFeedbackPeriod(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var body feedbackPeriodInput
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	var v problem.Validation
	period := survey.Period{RemindDaysBefore: body.RemindDaysBefore}
	for _, f := range []struct {
		name, text string
		to         *day.Date
	}{{"opens_on", body.OpensOn, &period.OpensOn}, {"closes_on", body.ClosesOn, &period.ClosesOn}} {
		if strings.TrimSpace(f.text) == "" {
			continue // the survey names what is missing
		}
		d, err := day.Parse(strings.TrimSpace(f.text))
		if err != nil {
			v.Add(f.name, "„"+f.text+"“ ist kein gültiges Datum (JJJJ-MM-TT).")
			continue
		}
		*f.to = d
	}
	if err := v.Err(); err != nil {
		return err
	}
	if _, err := s.Surveys.Schedule(c.Request.Context(), ev.ID, ev.Days.Last(), period); err != nil {
		return err
	}
	return s.answerFeedbackSurvey(c, ev.ID)
}

// apiFeedbackMail sends the survey (remind false) or the reminder, and
// answers how many mails were queued.
func (s *Server) apiFeedbackMail(remind bool) handler {
	return func(c *gin.Context) error {
		ev, err := s.eventParam(c)
		if err != nil {
			return err
		}
		send := s.Surveys.Send
		if remind {
			send = s.Surveys.Remind
		}
		n, err := send(c.Request.Context(), ev.ID)
		if err != nil {
			return err
		}
		s.kickMail()
		c.JSON(http.StatusOK, gin.H{"queued": n})
		return nil
	}
}

type apiFeedbackBar struct {
	Value string  `json:"value"`
	Label string  `json:"label"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

type apiFeedbackResult struct {
	Question      apiFeedbackQuestion `json:"question"`
	Answered      int                 `json:"answered"`
	Average       *float64            `json:"average"`
	Bars          []apiFeedbackBar    `json:"bars"`
	Texts         []string            `json:"texts"`
	TextsWithheld bool                `json:"texts_withheld"`
}

type apiComparedMeeting struct {
	Name     string   `json:"name"`
	FirstDay day.Date `json:"first_day"`
}

type apiComparisonRow struct {
	Question string     `json:"question"`
	Averages []*float64 `json:"averages"`
}

type apiFeedbackComparison struct {
	Meetings []apiComparedMeeting `json:"meetings"`
	Rows     []apiComparisonRow   `json:"rows"`
}

type apiFeedbackResults struct {
	EventID      int64                 `json:"event_id"`
	Counts       apiFeedbackCounts     `json:"counts"`
	MinFreeTexts int                   `json:"min_free_texts"`
	Results      []apiFeedbackResult   `json:"results"`
	Comparison   apiFeedbackComparison `json:"comparison"`
}

func (s *Server) apiFeedbackResults(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	sum, cmp, err := s.feedbackResults(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, feedbackResultsJSON(ev, sum, cmp, s.cfg.FeedbackMinFreeTexts))
	return nil
}

func feedbackResultsJSON(ev event.Event, sum survey.Summary, cmp survey.Comparison, minTexts int) apiFeedbackResults {
	out := apiFeedbackResults{EventID: ev.ID, Counts: feedbackCountsJSON(sum.Counts), MinFreeTexts: minTexts,
		Results: []apiFeedbackResult{}, Comparison: apiFeedbackComparison{Meetings: []apiComparedMeeting{}, Rows: []apiComparisonRow{}}}
	for _, r := range sum.Results {
		res := apiFeedbackResult{Question: feedbackQuestionJSON(r.Question), Answered: r.Answered, Bars: []apiFeedbackBar{},
			Texts: []string{}, TextsWithheld: r.TooFew}
		if r.Question.Kind == survey.Rating && r.Answered > 0 {
			avg := round2(r.Average)
			res.Average = &avg
		}
		for _, b := range r.Bars {
			res.Bars = append(res.Bars, apiFeedbackBar{Value: b.Label, Label: r.BarLabel(b), Count: b.Count, Share: round2(b.Share)})
		}
		if !r.TooFew {
			res.Texts = append(res.Texts, r.Texts...)
		}
		out.Results = append(out.Results, res)
	}
	for _, m := range cmp.Meetings {
		out.Comparison.Meetings = append(out.Comparison.Meetings, apiComparedMeeting{Name: m.Meeting, FirstDay: m.FirstDay})
	}
	for _, row := range cmp.Rows {
		r := apiComparisonRow{Question: row.Question}
		for _, a := range row.Averages {
			var v *float64
			if a.Answered > 0 {
				avg := round2(a.Value)
				v = &avg
			}
			r.Averages = append(r.Averages, v)
		}
		out.Comparison.Rows = append(out.Comparison.Rows, r)
	}
	return out
}

// round2 keeps two decimals: enough for a share or an average, without
// the noise of binary fractions.
func round2(f float64) float64 { return math.Round(f*100) / 100 }
