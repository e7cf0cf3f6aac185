package registration

import (
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
)

// checkAnswers checks the answers to the meeting's questions under its
// lock, together with the rest of the input (invalid: what validate
// said), so a person sees every message at once. A meeting without
// questions, with no answers sent, costs nothing: the count comes with
// the meeting's row.
func checkAnswers(tx *gorm.DB, ev *event.Event, given question.Submitted, invalid error) ([]question.Question, []question.Answer, error) {
	if ev.QuestionCount == 0 && len(given) == 0 {
		return nil, nil, invalid
	}
	qs, err := question.Live(tx, ev.ID)
	if err != nil {
		return nil, nil, err
	}
	var v problem.Validation
	answers := question.Check(qs, given, &v)
	qerr, _ := problem.As(v.Err())
	if qerr == nil {
		return qs, answers, invalid
	}
	if pe, ok := problem.As(invalid); ok && pe.Fields != nil {
		for field, msg := range qerr.Fields {
			if _, taken := pe.Fields[field]; !taken {
				pe.Fields[field] = msg
			}
		}
		return nil, nil, invalid
	}
	if invalid != nil {
		return nil, nil, invalid
	}
	return nil, nil, qerr
}

// changeAnswers replaces a registration's answers with those given (nil:
// keeps them) and moves its option places along, or returns invalid with
// the answers' messages added. It reports whether an answer changed.
func changeAnswers(tx *gorm.DB, ev *event.Event, registrationID int64, given question.Submitted, invalid error) (bool, error) {
	if given == nil {
		return false, invalid
	}
	qs, answers, err := checkAnswers(tx, ev, given, invalid)
	if err != nil || qs == nil {
		return false, err
	}
	held, err := question.Held(tx, registrationID)
	if err != nil {
		return false, err
	}
	if err := question.Take(tx, qs, held, answers); err != nil {
		return false, err
	}
	return !sameAnswers(qs, held, answers), question.Replace(tx, registrationID, qs, answers)
}

// sameAnswers reports whether the answers to qs stay as they were.
func sameAnswers(qs []question.Question, held, next []question.Answer) bool {
	live := map[int64]bool{}
	for _, q := range qs {
		live[q.ID] = true
	}
	var before []question.Answer
	for _, a := range held {
		if live[a.QuestionID] {
			before = append(before, a)
		}
	}
	if len(before) != len(next) {
		return false
	}
	for i := range before {
		a, b := before[i], next[i]
		if a.QuestionID != b.QuestionID || a.Value != b.Value || (a.OptionID == nil) != (b.OptionID == nil) ||
			(a.OptionID != nil && *a.OptionID != *b.OptionID) {
			return false
		}
	}
	return true
}

// releaseOptions gives back the option places of a registration being
// cancelled: only a registration that is not cancelled holds them.
func releaseOptions(tx *gorm.DB, ev *event.Event, registrationID int64) error {
	if ev.QuestionCount == 0 {
		return nil
	}
	return question.Release(tx, registrationID)
}
