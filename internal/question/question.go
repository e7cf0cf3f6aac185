// Package question holds the questions an organiser adds to a meeting's
// registration form (short and long text, yes/no, single and multiple
// choice, number), their options with an optional number of places, and
// the answers people give.
package question

import (
	"strings"
	"time"
)

// Kind is the sort of answer a question takes.
type Kind string

// Kinds of questions.
const (
	ShortText Kind = "short_text"
	LongText  Kind = "long_text"
	YesNo     Kind = "yes_no"
	Single    Kind = "single_choice"
	Multiple  Kind = "multiple_choice"
	Number    Kind = "number"
)

// Kinds lists all kinds in the order the editor offers them.
var Kinds = []Kind{ShortText, LongText, YesNo, Single, Multiple, Number}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case ShortText:
		return "Kurzer Text"
	case LongText:
		return "Langer Text"
	case YesNo:
		return "Ja/Nein"
	case Single:
		return "Einfachauswahl"
	case Multiple:
		return "Mehrfachauswahl"
	case Number:
		return "Zahl"
	}
	return string(k)
}

// HasOptions reports whether answers are chosen from options.
func (k Kind) HasOptions() bool { return k == Single || k == Multiple }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Yes and No are the stored and shown values of a yes/no answer.
const (
	Yes = "Ja"
	No  = "Nein"
)

// Question is one question of a meeting's form.
type Question struct {
	ID      int64  `json:"id"`
	EventID int64  `json:"event_id"`
	Kind    Kind   `json:"kind"`
	Label   string `json:"label"`
	Help    string `json:"help"`
	// Required questions must be answered to register.
	Required bool `json:"required"`
	// InParticipantList shows the answers as a column of the
	// participant list PDF.
	InParticipantList bool       `json:"in_participant_list"`
	Position          int        `json:"position"`
	Options           []Option   `json:"options" gorm:"foreignKey:QuestionID"`
	DeletedAt         *time.Time `json:"deleted_at,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Live reports whether the question is still on the form.
func (q Question) Live() bool { return q.DeletedAt == nil }

// Field is the name of the question's form field and the key of its
// error message.
func (q Question) Field() string { return FieldName(q.ID) }

// LiveOptions are the options still offered, in order.
func (q Question) LiveOptions() []Option {
	var out []Option
	for _, o := range q.Options {
		if o.DeletedAt == nil {
			out = append(out, o)
		}
	}
	return out
}

// Option is one choice of a single or multiple choice question.
type Option struct {
	ID         int64  `json:"id"`
	QuestionID int64  `json:"question_id"`
	Label      string `json:"label"`
	// Capacity is how many may choose the option; nil: no limit.
	Capacity *int `json:"capacity"`
	// Taken counts the registrations not cancelled that chose it.
	Taken     int        `json:"taken"`
	Position  int        `json:"position"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// TableName is the option's table.
func (Option) TableName() string { return "question_options" }

// Full reports whether every place of the option is taken.
func (o Option) Full() bool { return o.Capacity != nil && o.Taken >= *o.Capacity }

// Free is the number of places left; -1 without a limit.
func (o Option) Free() int {
	if o.Capacity == nil {
		return -1
	}
	return max(0, *o.Capacity-o.Taken)
}

// Answer is one stored answer: the text of a text, number or yes/no
// answer, or one chosen option with its label as it was chosen.
type Answer struct {
	ID             int64  `json:"-"`
	RegistrationID int64  `json:"-"`
	QuestionID     int64  `json:"question_id"`
	OptionID       *int64 `json:"option_id,omitempty"`
	Value          string `json:"value"`
}

// Sheet is a meeting's questions and the answers of its registrations,
// for lists, exports and documents.
type Sheet struct {
	// Questions are the live questions and the deleted ones that have
	// answers, in form order.
	Questions []Question
	answers   map[int64]map[int64][]Answer // registration, question
}

// Text is the answer of a registration to a question as shown in lists
// and exports: choices joined with ", ", "" when not answered.
func (s Sheet) Text(registrationID, questionID int64) string {
	return Join(s.answers[registrationID][questionID])
}

// Of returns a registration's answers by question.
func (s Sheet) Of(registrationID int64) map[int64][]Answer { return s.answers[registrationID] }

// Heading is a question's column heading; deleted questions say so.
func Heading(q Question) string {
	if q.Live() {
		return q.Label
	}
	return q.Label + " (gelöscht)"
}

// Join is the text of a question's answers: the values joined with ", ".
func Join(as []Answer) string {
	vals := make([]string, len(as))
	for i, a := range as {
		vals[i] = a.Value
	}
	return strings.Join(vals, ", ")
}

// Shown is one question with a registration's answer, for pages.
type Shown struct {
	Question Question
	Text     string
}

// Show lists the answered questions of a registration in form order.
func (s Sheet) Show(registrationID int64) []Shown {
	var out []Shown
	for _, q := range s.Questions {
		if t := s.Text(registrationID, q.ID); t != "" {
			out = append(out, Shown{Question: q, Text: t})
		}
	}
	return out
}

// APIValues is a registration's answers in the API's form (see the
// function APIValues); nil without answers.
func (s Sheet) APIValues(registrationID int64) map[string]any {
	var as []Answer
	for _, q := range s.Questions {
		as = append(as, s.answers[registrationID][q.ID]...)
	}
	if len(as) == 0 {
		return nil
	}
	return APIValues(s.Questions, as)
}

// Answered lists the registrations with answers.
func (s Sheet) Answered() []int64 {
	out := make([]int64, 0, len(s.answers))
	for id := range s.answers {
		out = append(out, id)
	}
	return out
}
