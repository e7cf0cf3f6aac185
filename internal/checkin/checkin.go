// Package checkin records who came: hosts scan the QR code on a badge or
// search by name, once per person and day.
package checkin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// CheckIn is one person present on one day.
type CheckIn struct {
	RegistrationID int64     `json:"registration_id"`
	Day            day.Date  `json:"day" gorm:"type:text"`
	CheckedInAt    time.Time `json:"checked_in_at"`
	ByUserID       *int64    `json:"by_user_id"`
}

// TableName sets the table.
func (CheckIn) TableName() string { return "check_ins" }

// Result tells the host what happened.
type Result struct {
	Registration registration.Registration `json:"registration"`
	Day          day.Date                  `json:"day"`
	CheckedInAt  time.Time                 `json:"checked_in_at"`
	Already      bool                      `json:"already"` // this person was checked in today before; nothing changed
}

// Errors of check-in.
var (
	ErrUnknownCode = problem.New(problem.NotFound, "Diesen Code kennen wir bei dieser Veranstaltung nicht. Bitte suchen Sie die Person über den Namen.")
	ErrNotToday    = problem.New(problem.Conflict, "Heute ist kein Tag dieser Veranstaltung.")
)

// Store records check-ins.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Registration finds a registration of the meeting by its check-in code
// (as printed, any case, spaces ignored) or, when code is empty, by id.
func (s *Store) Registration(ctx context.Context, eventID int64, code string, id int64) (registration.Registration, error) {
	var r registration.Registration
	q := s.db.WithContext(ctx).Where("event_id = ?", eventID)
	if code = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), " ", "")); code != "" {
		q = q.Where("checkin_code = ?", code)
	} else {
		q = q.Where("id = ?", id)
	}
	err := q.First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, ErrUnknownCode
	}
	if err != nil {
		return r, fmt.Errorf("find registration for check-in: %w", err)
	}
	return r, nil
}

// Record checks a person in for day d. A second check-in the same day
// changes nothing and says so. Only confirmed registrations are let in:
// a waiting or cancelled one is refused with the reason.
func (s *Store) Record(ctx context.Context, ev event.Event, r registration.Registration, d day.Date, byUserID *int64) (Result, error) {
	res := Result{Registration: r, Day: d}
	if !ev.Days.Contains(d) {
		return res, ErrNotToday
	}
	switch r.Status {
	case registration.Waitlisted:
		return res, problem.New(problem.Conflict, r.FullName()+" steht auf der Warteliste und hat keinen bestätigten Platz.")
	case registration.Cancelled:
		return res, problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" ist storniert.")
	case registration.Pending:
		return res, problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" ist noch in Prüfung und hat keinen bestätigten Platz.")
	case registration.Declined:
		return res, problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" wurde abgelehnt.")
	}
	// Microseconds, as the databases keep them: the first answer and a
	// repeated one show the same time.
	c := CheckIn{RegistrationID: r.ID, Day: d, CheckedInAt: time.Now().UTC().Truncate(time.Microsecond), ByUserID: byUserID}
	tx := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
	if tx.Error != nil {
		return res, fmt.Errorf("check in registration %d: %w", r.ID, tx.Error)
	}
	res.Already = tx.RowsAffected == 0
	if res.Already {
		var prev CheckIn
		if err := s.db.WithContext(ctx).Where("registration_id = ? AND day = ?", r.ID, d).First(&prev).Error; err != nil {
			return res, fmt.Errorf("read check-in: %w", err)
		}
		c = prev
	}
	res.CheckedInAt = c.CheckedInAt
	return res, nil
}

// Counts are the figures a host watches at the door.
type Counts struct {
	Day       day.Date `json:"day"`
	CheckedIn int      `json:"checked_in"`
	Expected  int      `json:"expected"` // confirmed registrations attending that day
}

// CountsFor returns checked in and expected people of a meeting's day.
func (s *Store) CountsFor(ctx context.Context, eventID int64, d day.Date) (Counts, error) {
	c := Counts{Day: d}
	var regs []registration.Registration
	if err := s.db.WithContext(ctx).Where("event_id = ? AND status = ?", eventID, registration.Confirmed).Find(&regs).Error; err != nil {
		return c, fmt.Errorf("count expected: %w", err)
	}
	for _, r := range regs {
		if len(r.Days) == 0 || r.Days.Contains(d) {
			c.Expected++
		}
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&CheckIn{}).Joins("JOIN registrations r ON r.id = check_ins.registration_id").
		Where("r.event_id = ? AND check_ins.day = ?", eventID, d).Count(&n).Error
	if err != nil {
		return c, fmt.Errorf("count checked in: %w", err)
	}
	c.CheckedIn = int(n)
	return c, nil
}

// CheckedIn returns, per registration of the meeting, the days checked in.
func (s *Store) CheckedIn(ctx context.Context, eventID int64) (map[int64]day.List, error) {
	var rows []CheckIn
	err := s.db.WithContext(ctx).Joins("JOIN registrations r ON r.id = check_ins.registration_id").
		Where("r.event_id = ?", eventID).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("check-ins of event %d: %w", eventID, err)
	}
	out := map[int64]day.List{}
	for _, c := range rows {
		out[c.RegistrationID] = append(out[c.RegistrationID], c.Day).Normalize()
	}
	return out, nil
}

// Times returns, per registration of the meeting, when it was checked in
// on day d.
func (s *Store) Times(ctx context.Context, eventID int64, d day.Date) (map[int64]time.Time, error) {
	var rows []CheckIn
	err := s.db.WithContext(ctx).Joins("JOIN registrations r ON r.id = check_ins.registration_id").
		Where("r.event_id = ? AND check_ins.day = ?", eventID, d).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("check-in times of event %d: %w", eventID, err)
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.RegistrationID] = r.CheckedInAt
	}
	return out, nil
}
