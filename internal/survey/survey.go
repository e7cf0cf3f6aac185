// Package survey is the feedback survey after a meeting: the organisers'
// questionnaire, the personal one-time links mailed to the participants
// and the answers, which are stored without anything that leads back to
// the person who gave them.
package survey

import (
	"slices"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Kind is the sort of answer a question takes.
type Kind string

// Kinds of questions.
const (
	Rating   Kind = "rating" // 1 to 5, the ends named
	Single   Kind = "single_choice"
	Multiple Kind = "multiple_choice"
	Text     Kind = "text"
)

// Kinds lists all kinds in the order the editor offers them.
var Kinds = []Kind{Rating, Single, Multiple, Text}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Rating:
		return "Bewertung 1–5"
	case Single:
		return "Einfachauswahl"
	case Multiple:
		return "Mehrfachauswahl"
	case Text:
		return "Freitext"
	}
	return string(k)
}

// HasOptions reports whether answers are chosen from options.
func (k Kind) HasOptions() bool { return k == Single || k == Multiple }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// RatingScale are the values of a rating, lowest first.
var RatingScale = []int{1, 2, 3, 4, 5}

// Question is one question of a meeting's questionnaire.
type Question struct {
	ID       int64  `json:"id"`
	EventID  int64  `json:"event_id"`
	Kind     Kind   `json:"kind"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	// LowLabel and HighLabel name the ends of a rating: 1 and 5.
	LowLabel  string `json:"low_label"`
	HighLabel string `json:"high_label"`
	// OptionText holds the options of a choice, one a line.
	OptionText string    `json:"-" gorm:"column:options"`
	Position   int       `json:"position"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TableName is the question's table.
func (Question) TableName() string { return "feedback_questions" }

// Options are the choices of a single or multiple choice question.
func (q Question) Options() []string {
	if q.OptionText == "" {
		return nil
	}
	return strings.Split(q.OptionText, "\n")
}

// Field is the name of the question's form field.
func (q Question) Field() string { return FieldName(q.ID) }

// Survey is when a meeting's survey runs and whether it went out.
type Survey struct {
	ID      int64    `json:"-"`
	EventID int64    `json:"event_id"`
	OpensOn day.Date `json:"opens_on" gorm:"type:text"`
	// ClosesOn is the last day answers are taken.
	ClosesOn day.Date `json:"closes_on" gorm:"type:text"`
	// RemindDaysBefore is how many days before ClosesOn those who have
	// not answered are reminded by themselves; 0 leaves it to the button.
	RemindDaysBefore int        `json:"remind_days_before"`
	SentAt           *time.Time `json:"sent_at"`
	RemindedAt       *time.Time `json:"reminded_at"`
	CreatedAt        time.Time  `json:"-"`
	UpdatedAt        time.Time  `json:"-"`
}

// TableName is the survey's table.
func (Survey) TableName() string { return "feedback_surveys" }

// Sent reports whether the survey was mailed; its questions stay as
// they are from then on, so all answers answer the same questions.
func (s Survey) Sent() bool { return s.SentAt != nil }

// OpenOn reports whether answers are taken on day d.
func (s Survey) OpenOn(d day.Date) bool { return !d.Before(s.OpensOn) && !d.After(s.ClosesOn) }

// Ended reports whether the closing day is over at now.
func (s Survey) Ended(now time.Time) bool { return day.Today(now).After(s.ClosesOn) }

// AutoRemindOn is the day of the automatic reminder; zero when there is
// none.
func (s Survey) AutoRemindOn() day.Date {
	if s.RemindDaysBefore <= 0 || s.ClosesOn.IsZero() {
		return day.Date{}
	}
	return s.ClosesOn.AddDays(-s.RemindDaysBefore)
}

// AutoReminderDue reports whether the automatic reminder goes out at
// now: its day has come, the survey is still running, nobody reminded
// yet by hand, and it was not sent only today (a reminder on the day of
// the invitation would only annoy).
func (s Survey) AutoReminderDue(now time.Time) bool {
	on := s.AutoRemindOn()
	if on.IsZero() || !s.Sent() || s.RemindedAt != nil || s.Ended(now) {
		return false
	}
	today := day.Today(now)
	return !today.Before(on) && today.After(day.Today(*s.SentAt))
}

// Period is when a survey runs and when it reminds by itself.
type Period struct {
	OpensOn, ClosesOn day.Date
	RemindDaysBefore  int
}

// RemindChoices are the automatic reminders the editor offers, in days
// before the last day; 0 is none.
var RemindChoices = []int{0, 1, 2, 3, 5, 7}

// Answers are one submission: the values given per question id. A
// rating is "1" … "5", a choice the option's text, a free text as typed.
type Answers map[int64][]string

// Response is one stored submission. ID is random: it says nothing about
// who answered or when.
type Response struct {
	ID      string  `json:"-"`
	Answers Answers `json:"answers"`
}

// Counts are how many were asked and how many answered.
type Counts struct {
	Invited  int
	Answered int
	Reminded int
}

// Rate is the share of those invited who answered, 0 to 1.
func (c Counts) Rate() float64 {
	if c.Invited == 0 {
		return 0
	}
	return float64(c.Answered) / float64(c.Invited)
}

// Defaults is the questionnaire offered for a Lernnetzwerktreffen.
func Defaults() []Input {
	rating := func(label string) Input {
		return Input{Kind: Rating, Label: label, Required: false, LowLabel: "gar nicht zufrieden", HighLabel: "sehr zufrieden"}
	}
	overall := rating("Wie zufrieden sind Sie insgesamt mit dem Treffen?")
	overall.Required = true
	return []Input{
		overall,
		rating("Wie zufrieden sind Sie mit den Inhalten/Inputs?"),
		rating("Wie zufrieden sind Sie mit den Arbeitsgruppen?"),
		rating("Wie zufrieden sind Sie mit Organisation und Ablauf?"),
		{Kind: Text, Label: "Was nehmen Sie mit?"},
	}
}

// First is the first value given to question id; "" when none.
func (a Answers) First(id int64) string {
	if len(a[id]) == 0 {
		return ""
	}
	return a[id][0]
}

// Has reports whether value was given to question id.
func (a Answers) Has(id int64, value string) bool { return slices.Contains(a[id], value) }
