package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// When the survey runs, and the mails that ask and remind.

// Schedule sets when the survey runs: it opens after the meeting's last
// day (lastDay) and closes on or after the day it opens; an automatic
// reminder falls after the opening day.
func (s *Store) Schedule(ctx context.Context, eventID int64, lastDay day.Date, p Period) (Survey, error) {
	var v problem.Validation
	switch {
	case p.OpensOn.IsZero():
		v.Add("opens_on", "Bitte geben Sie an, ab wann die Befragung läuft.")
	case !p.OpensOn.After(lastDay):
		v.Add("opens_on", "Die Befragung beginnt frühestens am Tag nach der Veranstaltung ("+lastDay.German()+").")
	}
	switch {
	case p.ClosesOn.IsZero():
		v.Add("closes_on", "Bitte geben Sie an, bis wann die Befragung läuft.")
	case !p.OpensOn.IsZero() && p.ClosesOn.Before(p.OpensOn):
		v.Add("closes_on", "Das Ende liegt vor dem Beginn.")
	}
	switch {
	case !slices.Contains(RemindChoices, p.RemindDaysBefore):
		v.Add("remind_days_before", "Bitte wählen Sie eine der angebotenen Erinnerungen.")
	case p.RemindDaysBefore > 0 && !p.OpensOn.IsZero() && !p.ClosesOn.IsZero() && !p.ClosesOn.AddDays(-p.RemindDaysBefore).After(p.OpensOn):
		v.Add("remind_days_before", fmt.Sprintf("Die Erinnerung fiele auf den %s, nicht nach dem Beginn; bitte wählen Sie weniger Tage oder einen längeren Zeitraum.",
			p.ClosesOn.AddDays(-p.RemindDaysBefore).German()))
	}
	if err := v.Err(); err != nil {
		return Survey{}, err
	}
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sv Survey
		err := tx.Where("event_id = ?", eventID).First(&sv).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return tx.Create(&Survey{EventID: eventID, OpensOn: p.OpensOn, ClosesOn: p.ClosesOn, RemindDaysBefore: p.RemindDaysBefore,
				CreatedAt: now, UpdatedAt: now}).Error
		}
		if err != nil {
			return err
		}
		return tx.Model(&sv).Updates(map[string]any{"opens_on": p.OpensOn, "closes_on": p.ClosesOn,
			"remind_days_before": p.RemindDaysBefore, "updated_at": now}).Error
	})
	if err != nil {
		return Survey{}, fmt.Errorf("schedule feedback survey of event %d: %w", eventID, err)
	}
	return s.Get(ctx, eventID)
}

// surveyIn reads the meeting's survey inside tx; missing is the answer
// when there is none.
func surveyIn(tx *gorm.DB, eventID int64, missing error) (Survey, error) {
	var sv Survey
	err := tx.Where("event_id = ?", eventID).First(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sv, missing
	}
	return sv, err
}

// recipient is a person to ask.
type recipient struct {
	ID    int64
	Email string
}

// recipients are those who were at the meeting: the people checked in
// when check-in was used, otherwise the confirmed registrations.
func recipients(tx *gorm.DB, eventID int64) ([]recipient, error) {
	var out []recipient
	err := tx.Raw(`SELECT DISTINCT r.id, r.email FROM registrations r JOIN check_ins c ON c.registration_id = r.id
		WHERE r.event_id = ? ORDER BY r.id`, eventID).Scan(&out).Error
	if err != nil || len(out) > 0 {
		return out, err
	}
	err = tx.Raw(`SELECT id, email FROM registrations WHERE event_id = ? AND status = 'confirmed' ORDER BY id`, eventID).Scan(&out).Error
	return out, err
}

// Send mails the survey to everyone who was at the meeting and was not
// asked yet, and returns how many it asks now. Answers are taken from
// the opening day on.
func (s *Store) Send(ctx context.Context, eventID int64) (int, error) {
	now := s.now().UTC()
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sv, err := surveyIn(tx, eventID, errNotScheduled)
		if err != nil {
			return err
		}
		if sv.Ended(now) {
			return problem.New(problem.Conflict, "Die Befragung ist beendet; bitte verschieben Sie zuerst das Ende.")
		}
		qs, err := questions(tx, eventID)
		if err != nil {
			return err
		}
		if len(qs) == 0 {
			return problem.New(problem.Conflict, "Der Fragebogen hat noch keine Fragen.")
		}
		people, err := recipients(tx, eventID)
		if err != nil {
			return err
		}
		for _, p := range people {
			inv := invitation{EventID: eventID, RegistrationID: p.ID}
			res := tx.Where("event_id = ? AND registration_id = ?", eventID, p.ID).FirstOrCreate(&inv)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue // asked before
			}
			if err := outbox.Enqueue(tx, outbox.FeedbackRequest, eventID, p.ID, p.Email, now); err != nil {
				return err
			}
			n++
		}
		if sv.SentAt == nil {
			return tx.Model(&sv).Update("sent_at", now).Error
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("send feedback survey of event %d: %w", eventID, err)
	}
	return n, nil
}

// Remind mails the reminder to everyone asked who has not answered and
// was not reminded before, and returns how many.
func (s *Store) Remind(ctx context.Context, eventID int64) (int, error) {
	return s.remind(ctx, eventID, s.now().UTC(), false)
}

// RemindDue sends the automatic reminders due at now, for every survey
// that has one, and returns how many mails it queued. One survey's
// failure does not hold up the others; a reminder sent by hand before
// stands in for the automatic one.
func (s *Store) RemindDue(ctx context.Context, now time.Time) (int, error) {
	// Surveys that ended are no candidates: the years of past ones cost
	// the round nothing. Dates are stored as YYYY-MM-DD, so text order is
	// date order.
	var candidates []Survey
	err := s.db.WithContext(ctx).Where("remind_days_before > 0 AND sent_at IS NOT NULL AND reminded_at IS NULL AND closes_on >= ?",
		day.Today(now).String()).Order("event_id").Find(&candidates).Error
	if err != nil {
		return 0, fmt.Errorf("list feedback surveys to remind: %w", err)
	}
	total := 0
	var errs []error
	for _, sv := range candidates {
		if !sv.AutoReminderDue(now) {
			continue
		}
		n, err := s.remind(ctx, sv.EventID, now.UTC(), true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		total += n
	}
	return total, errors.Join(errs...)
}

// remind queues the reminders; auto checks again, inside the
// transaction, that the automatic reminder is still due.
func (s *Store) remind(ctx context.Context, eventID int64, now time.Time, auto bool) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sv, err := surveyIn(tx, eventID, errNotSent)
		if err != nil {
			return err
		}
		switch {
		case auto && !sv.AutoReminderDue(now):
			return nil
		case !sv.Sent():
			return errNotSent
		case sv.Ended(now):
			return ErrEnded
		}
		var due []recipient
		err = tx.Raw(`SELECT r.id, r.email FROM feedback_invitations i JOIN registrations r ON r.id = i.registration_id
			WHERE i.event_id = ? AND NOT i.used AND NOT i.reminded ORDER BY r.id`, eventID).Scan(&due).Error
		if err != nil {
			return err
		}
		for _, p := range due {
			res := tx.Model(&invitation{}).Where("event_id = ? AND registration_id = ? AND NOT used AND NOT reminded", eventID, p.ID).
				Update("reminded", true)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			if err := outbox.Enqueue(tx, outbox.FeedbackReminder, eventID, p.ID, p.Email, now); err != nil {
				return err
			}
			n++
		}
		return tx.Model(&sv).Update("reminded_at", now).Error
	})
	if err != nil {
		return 0, fmt.Errorf("remind of feedback survey of event %d: %w", eventID, err)
	}
	return n, nil
}
