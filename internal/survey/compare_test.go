package survey_test

import (
	"slices"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/survey"
)

func rated(label string, avg float64, answered int) survey.Result {
	return survey.Result{Question: survey.Question{Kind: survey.Rating, Label: label}, Average: avg, Answered: answered}
}

func TestCompareMatchesRatingsByText(t *testing.T) {
	overall, inputs := "Wie zufrieden sind Sie insgesamt?", "Wie zufrieden sind Sie mit den Inputs?"
	text := survey.Result{Question: survey.Question{Kind: survey.Text, Label: "Was nehmen Sie mit?"}, Answered: 3}
	earlier := survey.Surveyed{Meeting: "16. Lernnetzwerktreffen", FirstDay: day.MustParse("2025-05-13"),
		Summary: survey.Summary{Results: []survey.Result{rated(overall, 3.25, 4), text}}}
	unanswered := survey.Surveyed{Meeting: "17. Lernnetzwerktreffen", FirstDay: day.MustParse("2025-11-20"),
		Summary: survey.Summary{Results: []survey.Result{rated(overall, 0, 0), rated(inputs, 4, 2)}}}
	now := survey.Surveyed{Meeting: "18. Lernnetzwerktreffen", FirstDay: day.MustParse("2026-05-12"),
		Summary: survey.Summary{Results: []survey.Result{rated(overall, 3.75, 8), text, rated(inputs, 4.5, 6)}}}

	cmp := survey.Compare([]survey.Surveyed{earlier, unanswered, now})
	if len(cmp.Meetings) != 3 || len(cmp.Rows) != 2 {
		t.Fatalf("%d meetings, %d rows; want 3 and 2 (ratings only)", len(cmp.Meetings), len(cmp.Rows))
	}
	got := map[string][]string{}
	for _, r := range cmp.Rows {
		for _, a := range r.Averages {
			got[r.Question] = append(got[r.Question], a.Text())
		}
	}
	if want := []string{"3,3", "–", "3,8"}; !slices.Equal(got[overall], want) {
		t.Errorf("overall %q, want %q", got[overall], want)
	}
	if want := []string{"–", "4,0", "4,5"}; !slices.Equal(got[inputs], want) {
		t.Errorf("inputs %q, want %q", got[inputs], want)
	}
	if alone := survey.Compare([]survey.Surveyed{now}); len(alone.Meetings) != 0 || len(alone.Rows) != 0 {
		t.Errorf("a meeting alone compares with nothing: %+v", alone)
	}
}
