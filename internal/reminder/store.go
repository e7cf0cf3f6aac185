package reminder

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Store reads the meetings and registrations reminders go to and queues
// them.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Meetings returns the announced meetings with reminders on; the
// caller keeps those not yet begun (the days live in a text column).
func (s *Store) Meetings(ctx context.Context) ([]event.Event, error) {
	var out []event.Event
	err := s.db.WithContext(ctx).Where("status IN ? AND reminders_off = ?", []event.Status{event.Published, event.RegistrationClosed}, false).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("meetings with reminders: %w", err)
	}
	return out, nil
}

// Enqueue queues the reminder of n days before ev's first day for its
// confirmed registrations made before that day, each at most once ever,
// and returns how many it queued now.
func (s *Store) Enqueue(ctx context.Context, ev event.Event, n int, now time.Time) (int, error) {
	queued := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var regs []registration.Registration
		if err := tx.Select("id", "email", "created_at").Where("event_id = ? AND status = ?", ev.ID, registration.Confirmed).
			Order("id").Find(&regs).Error; err != nil {
			return err
		}
		first := ev.Days.First()
		for _, r := range regs {
			if !Eligible(r.CreatedAt, first, n) {
				continue
			}
			ok, err := outbox.EnqueueOnce(tx, outbox.Message{Kind: outbox.Reminder, EventID: &ev.ID, RegistrationID: &r.ID,
				ReminderDays: &n, Recipient: r.Email}, now)
			if err != nil {
				return err
			}
			if ok {
				queued++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue %d-day reminders of event %d: %w", n, ev.ID, err)
	}
	return queued, nil
}
