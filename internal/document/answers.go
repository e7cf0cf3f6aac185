package document

import "github.com/isa-nrw/treffen/internal/registration"

// AnswerColumn is a column of the participant list with the answers to
// one of the meeting's questions.
type AnswerColumn struct {
	Title   string
	Answers map[int64]string // by registration
}

// Widths of answer columns in millimetres: each takes answerColW from
// the Funktion column while that keeps minFunctionW, then they share
// what is left.
const (
	answerColW   = 28.0
	minFunctionW = 30.0
)

// withAnswers inserts the answer columns after the e-mail column (before
// the working groups, when there are any) and narrows the Funktion
// column (cols[2]) to make room.
func withAnswers(cols []column, answers []AnswerColumn) []column {
	if len(answers) == 0 {
		return cols
	}
	free := cols[2].w - minFunctionW
	w := answerColW
	if n := float64(len(answers)); w*n > free {
		w = max(free/n, 12)
	}
	var extra []column
	for _, a := range answers {
		extra = append(extra, column{title: a.Title, w: w, align: "L", cell: func(r *registration.Registration) string { return a.Answers[r.ID] }})
	}
	cols[2].w -= w * float64(len(answers))
	at := len(cols)
	if cols[at-1].labels != nil {
		at-- // the working groups stay last
	}
	out := append(append(append([]column{}, cols[:at]...), extra...), cols[at:]...)
	return out
}
