package survey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Errors of the survey.
var (
	ErrNotFound     = problem.New(problem.NotFound, "Diese Frage gibt es nicht.")
	ErrNoSurvey     = problem.New(problem.NotFound, "Für diese Veranstaltung gibt es noch keine Befragung.")
	ErrUnknownLink  = problem.New(problem.NotFound, "Diesen Link zur Befragung kennen wir nicht. Bitte prüfen Sie, ob er vollständig aus der E-Mail übernommen wurde.")
	ErrAnswered     = problem.New(problem.Conflict, "Mit diesem Link wurde der Fragebogen bereits ausgefüllt. Jeder Link gilt für eine Antwort; vielen Dank für Ihre Rückmeldung!")
	ErrEnded        = problem.New(problem.Gone, "Die Befragung ist beendet.")
	errNotSent      = problem.New(problem.Conflict, "Die Befragung ist noch nicht versendet.")
	errNotScheduled = problem.New(problem.Conflict, "Bitte legen Sie zuerst fest, von wann bis wann die Befragung läuft.")
	ErrLocked       = problem.New(problem.Conflict, "Die Befragung ist schon versendet; der Fragebogen lässt sich nicht mehr ändern, damit alle Antworten dieselben Fragen beantworten.")
)

// Store keeps questionnaires, invitations and anonymous answers.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// WithClock returns the store reading the time from now.
func (s *Store) WithClock(now func() time.Time) *Store { return &Store{db: s.db, now: now} }

// invitation is one person asked; Used says that they answered.
type invitation struct {
	ID             int64
	EventID        int64
	RegistrationID int64
	Used           bool
	Reminded       bool
}

func (invitation) TableName() string { return "feedback_invitations" }

type link struct {
	TokenHash    string `gorm:"primaryKey"`
	InvitationID int64
}

func (link) TableName() string { return "feedback_links" }

// responseRow is a stored submission: a random id, the meeting, the
// answers as JSON. Nothing else, on purpose.
type responseRow struct {
	ID      string `gorm:"primaryKey"`
	EventID int64
	Answers string
}

func (responseRow) TableName() string { return "feedback_responses" }

// Get returns the meeting's survey.
func (s *Store) Get(ctx context.Context, eventID int64) (Survey, error) {
	var sv Survey
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sv, ErrNoSurvey
	}
	if err != nil {
		return sv, fmt.Errorf("feedback survey of event %d: %w", eventID, err)
	}
	return sv, nil
}
