package event

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// ErrChangeNotFound is returned for an unknown change.
var ErrChangeNotFound = problem.New(problem.NotFound, "Diese Änderung gibt es nicht.")

// Change returns one recorded change of a meeting.
func (s *Store) Change(ctx context.Context, eventID, id int64) (Change, error) {
	var c Change
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, ErrChangeNotFound
	}
	if err != nil {
		return c, fmt.Errorf("get change %d of event %d: %w", id, eventID, err)
	}
	return c, nil
}

// NotifyChange queues the mail about a change to everyone registered
// (confirmed and waiting) and returns how many were queued: a change
// notice, or for a cancellation the cancellation. Nobody gets the same
// change twice, however often it is asked.
func (s *Store) NotifyChange(ctx context.Context, eventID, id int64) (int, error) {
	now := time.Now().UTC()
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Change
		err := tx.Where("event_id = ?", eventID).First(&c, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrChangeNotFound
		}
		if err != nil {
			return err
		}
		n, err = notify(tx, &c, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("notify change %d of event %d: %w", id, eventID, err)
	}
	return n, nil
}

// DismissChange records that the organiser chose not to notify anyone
// of a change.
func (s *Store) DismissChange(ctx context.Context, eventID, id int64) error {
	res := s.db.WithContext(ctx).Model(&Change{}).Where("id = ? AND event_id = ? AND notified_at IS NULL", id, eventID).
		Update("dismissed_at", time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("dismiss change %d of event %d: %w", id, eventID, res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.Change(ctx, eventID, id); err != nil {
			return err
		}
	}
	return nil
}

// notify queues c's mail for every active registration of its meeting
// inside tx and marks c notified. The registrations are read from their
// table by status ("confirmed", "waitlisted": package registration's
// statuses, which imports this package).
func notify(tx *gorm.DB, c *Change, now time.Time) (int, error) {
	var regs []struct {
		ID    int64
		Email string
	}
	if err := tx.Table("registrations").Select("id, email").
		Where("event_id = ? AND status IN ?", c.EventID, []string{"confirmed", "waitlisted"}).Order("id").Scan(&regs).Error; err != nil {
		return 0, fmt.Errorf("registrations to notify: %w", err)
	}
	kind := outbox.ChangeNotice
	if c.Cancelled {
		kind = outbox.EventCancelled
	}
	n := 0
	for _, r := range regs {
		queued, err := outbox.EnqueueOnce(tx, outbox.Message{Kind: kind, EventID: &c.EventID, RegistrationID: &r.ID,
			ChangeID: &c.ID, Recipient: r.Email}, now)
		if err != nil {
			return n, err
		}
		if queued {
			n++
		}
	}
	c.NotifiedAt, c.DismissedAt = &now, nil
	if err := tx.Model(c).Select("notified_at", "dismissed_at").Updates(c).Error; err != nil {
		return n, fmt.Errorf("mark change %d notified: %w", c.ID, err)
	}
	return n, nil
}
