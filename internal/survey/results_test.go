package survey_test

import (
	"slices"
	"testing"

	"github.com/isa-nrw/treffen/internal/survey"
)

// TestFreeTextThreshold: with the minimum at 3, two free texts are
// withheld and three are shown.
func TestFreeTextThreshold(t *testing.T) {
	qs := []survey.Question{{ID: 1, Kind: survey.Rating}, {ID: 2, Kind: survey.Text, Label: "Was nehmen Sie mit?"}}
	rs := []survey.Response{
		{Answers: survey.Answers{1: {"5"}, 2: {"Kontakte"}}},
		{Answers: survey.Answers{1: {"3"}, 2: {"Ideen"}}},
		{Answers: survey.Answers{1: {"4"}}},
	}
	sum := survey.Summarize(qs, rs, survey.Counts{Invited: 4, Answered: 3}, 3)
	if r := sum.Results[1]; !r.TooFew || r.Texts != nil || r.Answered != 2 {
		t.Errorf("two texts: %+v, want withheld", r)
	}
	if r := sum.Results[0]; r.Average != 4 || r.Bars[4].Count != 1 || r.Bars[2].Share != 1.0/3 {
		t.Errorf("rating: %+v", r)
	}
	rs[2].Answers[2] = []string{"Mut"}
	sum = survey.Summarize(qs, rs, survey.Counts{Invited: 4, Answered: 3}, 3)
	if r := sum.Results[1]; r.TooFew || !slices.Equal(r.Texts, []string{"Kontakte", "Ideen", "Mut"}) {
		t.Errorf("three texts: %+v, want shown", r)
	}
	rows := survey.CSV(qs, rs)
	if len(rows) != 4 || rows[3][1] != "Mut" || rows[1][0] != "5" {
		t.Errorf("CSV %q", rows)
	}
}
