package survey

import (
	"math"
	"strconv"
	"strings"

	"github.com/isa-nrw/treffen/internal/day"
)

// Surveyed is one meeting's survey outcome, for comparing meetings.
type Surveyed struct {
	Meeting  string // its name
	FirstDay day.Date
	Summary  Summary
}

// Comparison is the average rating per question over several meetings,
// the questions matched by their text.
type Comparison struct {
	Meetings []Surveyed // oldest first, the meeting compared last
	Rows     []ComparisonRow
}

// ComparisonRow is one rating question of the meeting compared.
type ComparisonRow struct {
	Question string
	Averages []Average // per meeting, in the order of Meetings
}

// Average is the mean rating of one question at one meeting.
type Average struct {
	Value    float64
	Answered int // 0: the question was not asked or not answered there
}

// Text is the average with one decimal in German, "–" without answers.
func (a Average) Text() string {
	if a.Answered == 0 {
		return "–"
	}
	return AverageText(a.Value)
}

// AverageText writes an average rating with one decimal in German,
// rounded half up as people round (3,25 is 3,3), not half to even.
func AverageText(v float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64), ".", ",", 1)
}

// Compare lines up the rating questions of the last of meetings (the one
// compared) with the same questions at the others. Without earlier
// meetings there is nothing to compare and the result is empty.
func Compare(meetings []Surveyed) Comparison {
	if len(meetings) < 2 {
		return Comparison{}
	}
	cmp := Comparison{Meetings: meetings}
	for _, r := range meetings[len(meetings)-1].Summary.Results {
		if r.Question.Kind != Rating {
			continue
		}
		row := ComparisonRow{Question: r.Question.Label}
		for _, m := range meetings {
			var avg Average
			for _, o := range m.Summary.Results {
				if o.Question.Kind == Rating && o.Question.Label == r.Question.Label && o.Answered > 0 {
					avg = Average{Value: o.Average, Answered: o.Answered}
				}
			}
			row.Averages = append(row.Averages, avg)
		}
		cmp.Rows = append(cmp.Rows, row)
	}
	return cmp
}
