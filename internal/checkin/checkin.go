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
	ClientRef      string    `json:"-"` // the device's id of the check-in; "" when made on the server
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

// Record checks a person in for day d, now. A second check-in the same
// day changes nothing and says so. Only confirmed registrations are let
// in: a waiting or cancelled one is refused with the reason.
func (s *Store) Record(ctx context.Context, ev event.Event, r registration.Registration, d day.Date, byUserID *int64) (Result, error) {
	return s.RecordFromDevice(ctx, ev, r, d, DeviceCheckIn{}, byUserID)
}

// DeviceCheckIn is a check-in made on a host's phone, possibly offline
// and sent later, possibly more than once.
type DeviceCheckIn struct {
	Ref string    // the device's id of this check-in, unique per device
	At  time.Time // when it was made, by the device's clock
}

// Errors of check-ins sent by devices.
var (
	ErrFutureDay = problem.New(problem.Conflict, "Dieser Veranstaltungstag hat noch nicht begonnen; einchecken lässt sich erst am Tag selbst.")
	ErrWrongTime = problem.New(problem.Invalid, "Die Uhrzeit des Check-ins liegt nicht an diesem Veranstaltungstag. Bitte prüfen Sie Datum und Uhrzeit des Geräts.")
)

// RecordFromDevice checks a person in for day d as a device did at
// dc.At. Devices that were offline send late and in any order, so the
// earliest check-in of a person and day is kept: a later one changes
// nothing and is told when the person came. A check-in the device sends
// again (same Ref) is its own and answered as such.
func (s *Store) RecordFromDevice(ctx context.Context, ev event.Event, r registration.Registration, d day.Date, dc DeviceCheckIn, byUserID *int64) (Result, error) {
	res := Result{Registration: r, Day: d}
	if !ev.Days.Contains(d) {
		return res, ErrNotToday
	}
	if err := admissible(r); err != nil {
		return res, err
	}
	now := time.Now().UTC()
	at := now
	if dc != (DeviceCheckIn{}) {
		// A device's check-in: on a meeting day that has begun, at a
		// time of that day.
		today := day.Today(now)
		if today.Before(d) {
			return res, ErrFutureDay
		}
		switch at = dc.At.UTC(); {
		case at.IsZero() || at.After(now):
			// No time, or a device clock ahead of the server's.
			if today != d {
				return res, ErrWrongTime
			}
			at = now
		case day.Today(at) != d:
			return res, ErrWrongTime
		}
	}
	// Microseconds, as the databases keep them: the first answer and a
	// repeated one show the same time.
	c := CheckIn{RegistrationID: r.ID, Day: d, CheckedInAt: at.Truncate(time.Microsecond), ByUserID: byUserID, ClientRef: dc.Ref}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
		if ins.Error != nil || ins.RowsAffected == 1 {
			return ins.Error
		}
		var prev CheckIn
		if err := tx.Where("registration_id = ? AND day = ?", r.ID, d).First(&prev).Error; err != nil {
			return err
		}
		if dc.Ref != "" && prev.ClientRef == dc.Ref {
			c = prev // sent again: its own check-in
			return nil
		}
		// A check-in made here, now, comes after the one stored; only
		// a device that was offline can have seen the person earlier.
		if dc == (DeviceCheckIn{}) || !c.CheckedInAt.Before(prev.CheckedInAt) {
			res.Already, c = true, prev
			return nil
		}
		// This device saw the person first. The condition keeps the
		// earliest also when two devices send at once.
		upd := tx.Model(&CheckIn{}).Where("registration_id = ? AND day = ? AND checked_in_at > ?", r.ID, d, c.CheckedInAt).
			Updates(map[string]any{"checked_in_at": c.CheckedInAt, "by_user_id": byUserID, "client_ref": dc.Ref})
		if upd.Error != nil || upd.RowsAffected == 1 {
			return upd.Error
		}
		res.Already = true
		return tx.Where("registration_id = ? AND day = ?", r.ID, d).First(&c).Error
	})
	if err != nil {
		return res, fmt.Errorf("check in registration %d: %w", r.ID, err)
	}
	res.CheckedInAt = c.CheckedInAt
	return res, nil
}

// admissible refuses registrations without a confirmed place, with the
// reason.
func admissible(r registration.Registration) error {
	switch r.Status {
	case registration.Waitlisted:
		return problem.New(problem.Conflict, r.FullName()+" steht auf der Warteliste und hat keinen bestätigten Platz.")
	case registration.Cancelled:
		return problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" ist storniert.")
	case registration.Pending:
		return problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" ist noch in Prüfung und hat keinen bestätigten Platz.")
	case registration.Declined:
		return problem.New(problem.Conflict, "Die Anmeldung von "+r.FullName()+" wurde abgelehnt.")
	}
	return nil
}

// Admissible tells, without recording anything, whether r could be
// checked in on day d, and whether and when it already was: the
// rehearsal ("Probelauf") answers with it.
func (s *Store) Admissible(ctx context.Context, ev event.Event, r registration.Registration, d day.Date) (Result, error) {
	res := Result{Registration: r, Day: d}
	if !ev.Days.Contains(d) {
		return res, ErrNotToday
	}
	if err := admissible(r); err != nil {
		return res, err
	}
	var prev CheckIn
	err := s.db.WithContext(ctx).Where("registration_id = ? AND day = ?", r.ID, d).Limit(1).Find(&prev).Error
	if err != nil {
		return res, fmt.Errorf("read check-in: %w", err)
	}
	if prev.RegistrationID != 0 {
		res.Already, res.CheckedInAt = true, prev.CheckedInAt
	}
	return res, nil
}

// People returns the registrations of a meeting a device at the door
// keeps (confirmed, waiting or in review), with only the columns it needs:
// every phone asks for them every few seconds.
func (s *Store) People(ctx context.Context, eventID int64) ([]registration.Registration, error) {
	var regs []registration.Registration
	err := s.db.WithContext(ctx).Select("id", "academic_title", "first_name", "last_name", "municipality_id", "organisation",
		"days", "status", "checkin_code", "walk_in").
		Where("event_id = ? AND status IN ?", eventID, []registration.Status{registration.Confirmed, registration.Waitlisted, registration.Pending}).
		Find(&regs).Error
	if err != nil {
		return nil, fmt.Errorf("people of event %d for check-in: %w", eventID, err)
	}
	return regs, nil
}

// ActiveByEmail finds the registration of the meeting that holds the
// address (not cancelled or declined): a walk-in registered on two
// devices is one person.
func (s *Store) ActiveByEmail(ctx context.Context, eventID int64, email string) (registration.Registration, bool, error) {
	var r registration.Registration
	err := s.db.WithContext(ctx).Where("event_id = ? AND email = ? AND status NOT IN ?", eventID,
		registration.NormalizeEmail(email), []registration.Status{registration.Cancelled, registration.Declined}).Limit(1).Find(&r).Error
	if err != nil {
		return r, false, fmt.Errorf("find registration by e-mail: %w", err)
	}
	return r, r.ID != 0, nil
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
