package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

type feedbackSurveyJSON struct {
	OpensOn          *string `json:"opens_on"`
	ClosesOn         *string `json:"closes_on"`
	RemindDaysBefore int     `json:"remind_days_before"`
	AutoRemindOn     *string `json:"auto_remind_on"`
	SentAt           *string `json:"sent_at"`
	Counts           struct {
		Invited, Answered, Reminded int
		ResponseRate                float64 `json:"response_rate"`
	} `json:"counts"`
	Questions []struct {
		Kind  string `json:"kind"`
		Label string `json:"label"`
	} `json:"questions"`
}

type feedbackResultsJSON struct {
	Results []struct {
		Question struct {
			Label string `json:"label"`
		} `json:"question"`
		Answered int      `json:"answered"`
		Average  *float64 `json:"average"`
		Bars     []struct {
			Value, Label string
			Count        int
		}
		Texts         []string `json:"texts"`
		TextsWithheld bool     `json:"texts_withheld"`
	} `json:"results"`
	Comparison struct {
		Meetings []struct {
			Name     string `json:"name"`
			FirstDay string `json:"first_day"`
		} `json:"meetings"`
		Rows []struct {
			Question string     `json:"question"`
			Averages []*float64 `json:"averages"`
		} `json:"rows"`
	} `json:"comparison"`
}

// TestFeedbackAPI drives a survey through the API: its state before a
// period, refused periods with the field named, the period with its
// automatic reminder, reminding before sending, sending once, and the
// results with the comparison; every answer as openapi.json describes it.
func TestFeedbackAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	org := e.loggedIn()
	check := func(key, method, path string, body any, status int) response {
		t.Helper()
		r := e.api(method, path, token, body)
		if r.StatusCode != status {
			t.Fatalf("%s: %d, want %d: %s", key, r.StatusCode, status, r.Body)
		}
		e.conform(doc, key, r)
		return r
	}
	earlier, before := e.surveyedMeetingAgo(2, 120)
	e.openSurveyFrom(org, earlier, -119)
	e.answerAll(earlier, before, []int{3, 2}, nil)
	ev, people := e.surveyedMeeting(4)
	base := fmt.Sprintf("/api/v1/events/%d/feedback", ev.ID)

	r := check("GET /api/v1/events/{id}/feedback", http.MethodGet, base, nil, http.StatusOK)
	if sv := decodeBody[feedbackSurveyJSON](t, r); sv.OpensOn != nil || sv.SentAt != nil || len(sv.Questions) != 0 {
		t.Errorf("before anything: %s", r.Body)
	}
	if r := e.postForm(org, fmt.Sprintf("/admin/events/%d/feedback/defaults", ev.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("defaults: %d", r.StatusCode)
	}

	period := base + "/period"
	opens, closes := day.Today(time.Now().AddDate(0, 0, -2)), day.Today(time.Now().AddDate(0, 0, 7))
	r = check("PUT /api/v1/events/{id}/feedback/period", http.MethodPut, period,
		map[string]any{"opens_on": "31.02.2026", "closes_on": closes.String()}, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, `"code":"invalid"`, `"opens_on":"„31.02.2026“ ist kein gültiges Datum (JJJJ-MM-TT)."`)
	r = check("PUT /api/v1/events/{id}/feedback/period", http.MethodPut, period,
		map[string]any{"opens_on": opens.String(), "closes_on": closes.String(), "remind_days_before": 4}, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, `"remind_days_before":"Bitte wählen Sie eine der angebotenen Erinnerungen."`)
	r = check("PUT /api/v1/events/{id}/feedback/period", http.MethodPut, period,
		map[string]any{"opens_on": opens.String(), "closes_on": closes.String(), "reminder": 3}, http.StatusBadRequest)
	mustContain(t, r.Body, `"code":"bad_request"`, "reminder")
	r = check("PUT /api/v1/events/{id}/feedback/period", http.MethodPut, period,
		map[string]any{"opens_on": opens.String(), "closes_on": closes.String(), "remind_days_before": 3}, http.StatusOK)
	sv := decodeBody[feedbackSurveyJSON](t, r)
	if sv.OpensOn == nil || *sv.OpensOn != opens.String() || sv.AutoRemindOn == nil || *sv.AutoRemindOn != closes.AddDays(-3).String() || len(sv.Questions) != 5 {
		t.Errorf("after the period: %s", r.Body)
	}

	r = check("POST /api/v1/events/{id}/feedback/remind", http.MethodPost, base+"/remind", nil, http.StatusConflict)
	mustContain(t, r.Body, "noch nicht versendet")
	r = check("POST /api/v1/events/{id}/feedback/send", http.MethodPost, base+"/send", nil, http.StatusOK)
	mustContain(t, r.Body, `{"queued":4}`)
	r = check("POST /api/v1/events/{id}/feedback/send", http.MethodPost, base+"/send", nil, http.StatusOK)
	mustContain(t, r.Body, `{"queued":0}`)

	e.answerAll(ev, people, []int{5, 4, 4}, []string{"Gute Beispiele aus Herne"})
	r = check("POST /api/v1/events/{id}/feedback/remind", http.MethodPost, base+"/remind", nil, http.StatusOK)
	mustContain(t, r.Body, `{"queued":1}`)
	r = check("GET /api/v1/events/{id}/feedback", http.MethodGet, base, nil, http.StatusOK)
	sv = decodeBody[feedbackSurveyJSON](t, r)
	if sv.Counts.Invited != 4 || sv.Counts.Answered != 3 || sv.Counts.Reminded != 1 || sv.Counts.ResponseRate != 0.75 || sv.AutoRemindOn != nil {
		t.Errorf("counts after reminding by hand (no automatic reminder left): %s", r.Body)
	}

	r = check("GET /api/v1/events/{id}/feedback/results", http.MethodGet, base+"/results", nil, http.StatusOK)
	res := decodeBody[feedbackResultsJSON](t, r)
	overall := res.Results[0]
	if overall.Answered != 3 || overall.Average == nil || *overall.Average != 4.33 || len(overall.Bars) != 5 || overall.Bars[4].Count != 1 || overall.Bars[4].Label != "5 sehr zufrieden" {
		t.Errorf("overall rating: %+v", overall)
	}
	if takeaway := res.Results[4]; !takeaway.TextsWithheld || len(takeaway.Texts) != 0 || takeaway.Average != nil {
		t.Errorf("a single free text must be withheld: %+v", takeaway)
	}
	cmp := res.Comparison
	if len(cmp.Meetings) != 2 || cmp.Meetings[0].FirstDay != earlier.Days.First().String() || len(cmp.Rows) != 4 ||
		cmp.Rows[0].Averages[0] == nil || *cmp.Rows[0].Averages[0] != 2.5 || *cmp.Rows[0].Averages[1] != 4.33 {
		t.Errorf("comparison: %s", r.Body)
	}
	check("GET /api/v1/events/{id}/feedback/results", http.MethodGet, "/api/v1/events/99999/feedback/results", nil, http.StatusNotFound)
	if r := e.api(http.MethodGet, base+"/results", "", nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("results without a token: %d", r.StatusCode)
	}
}
