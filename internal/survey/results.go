package survey

import (
	"strconv"
	"strings"
)

// Bar is one value of a rating or one option of a choice and how often
// it was given.
type Bar struct {
	Label string
	Count int
	// Share is Count over the answers to the question, 0 to 1.
	Share float64
}

// Result is what the answers say about one question.
type Result struct {
	Question Question
	// Answered counts the answer sets that answered the question.
	Answered int
	Bars     []Bar // ratings and choices
	Average  float64
	// Texts are the free texts, when at least the minimum exist;
	// TooFew says they are withheld.
	Texts  []string
	TooFew bool
}

// Summary is a survey's outcome.
type Summary struct {
	Counts  Counts
	Results []Result
}

// Summarize counts the answers to each question. Free texts are given
// only when at least minTexts exist: a single text among two could be
// recognised.
func Summarize(qs []Question, rs []Response, counts Counts, minTexts int) Summary {
	sum := Summary{Counts: counts}
	for _, q := range qs {
		r := Result{Question: q}
		tally := map[string]int{}
		total := 0
		for _, resp := range rs {
			vals := resp.Answers[q.ID]
			if len(vals) == 0 {
				continue
			}
			r.Answered++
			for _, v := range vals {
				tally[v]++
				if q.Kind == Rating {
					n, _ := strconv.Atoi(v)
					total += n
				}
				if q.Kind == Text {
					r.Texts = append(r.Texts, v)
				}
			}
		}
		var labels []string
		switch q.Kind {
		case Rating:
			for _, n := range RatingScale {
				labels = append(labels, strconv.Itoa(n))
			}
			if r.Answered > 0 {
				r.Average = float64(total) / float64(r.Answered)
			}
		case Single, Multiple:
			labels = q.Options()
		case Text:
			if len(r.Texts) < max(minTexts, 1) {
				r.Texts, r.TooFew = nil, true
			}
		}
		for _, l := range labels {
			b := Bar{Label: l, Count: tally[l]}
			if r.Answered > 0 {
				b.Share = float64(b.Count) / float64(r.Answered)
			}
			r.Bars = append(r.Bars, b)
		}
		sum.Results = append(sum.Results, r)
	}
	return sum
}

// BarLabel names a bar for people: a rating's ends with their labels.
func (r Result) BarLabel(b Bar) string {
	if r.Question.Kind != Rating {
		return b.Label
	}
	switch b.Label {
	case "1":
		return strings.TrimSpace("1 " + r.Question.LowLabel)
	case "5":
		return strings.TrimSpace("5 " + r.Question.HighLabel)
	}
	return b.Label
}

// CSV returns the answer sets as rows under a header of the questions:
// one row per answer set, choices joined with "; ", in the order given
// (that of the random ids), without any id.
func CSV(qs []Question, rs []Response) [][]string {
	head := make([]string, len(qs))
	for i, q := range qs {
		head[i] = q.Label
	}
	out := [][]string{head}
	for _, resp := range rs {
		row := make([]string, len(qs))
		for i, q := range qs {
			row[i] = strings.Join(resp.Answers[q.ID], "; ")
		}
		out = append(out, row)
	}
	return out
}
