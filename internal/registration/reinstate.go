package registration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Refusals of Reinstate.
var (
	ErrNotCancelled = problem.New(problem.Conflict, "Diese Anmeldung ist nicht storniert.")
	ErrMeetingOver  = problem.New(problem.Conflict,
		"Die Veranstaltung hat bereits stattgefunden; die Stornierung lässt sich nicht mehr zurücknehmen.")
	ErrMeetingCancelled = problem.New(problem.Conflict,
		"Die Veranstaltung ist abgesagt; die Stornierung lässt sich nicht zurücknehmen.")
	ErrAnonymised = problem.New(problem.Conflict,
		"Die Daten dieser Anmeldung sind gelöscht; die Stornierung lässt sich nicht mehr zurücknehmen.")
	ErrRegisteredAgain = problem.New(problem.Conflict,
		"Mit dieser E-Mail-Adresse gibt es inzwischen eine neue Anmeldung für die Veranstaltung; die stornierte lässt sich deshalb nicht zurücknehmen.")
)

// Reinstate takes a cancellation back under the same rules as a new
// registration: the registration is confirmed again when the meeting
// has a place for the person's municipality, otherwise it goes back on
// the waiting list. The waiting list is ordered by registration time, so
// a person who had been waiting is back at the original position, and a
// person whose place went to somebody else in the meantime waits ahead
// of those who registered later (an undo restores the registration, not
// a new one). The person gets a mail about it when ch.Notify is set.
//
// A meeting that is over or cancelled, and a registration whose data are
// erased, are refused, as is a registration whose address has registered
// again since.
func (s *Store) Reinstate(ctx context.Context, id int64, ch StatusChange) (Registration, error) {
	now := s.now().UTC()
	var r Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := lockRegistration(tx, id, &r)
		if err != nil {
			return err
		}
		if err := reinstatable(tx, &ev, &r, now); err != nil {
			return err
		}
		// The meeting's rules as for a new registration: a place, else
		// the waiting list if the meeting has one with room.
		if r.Status, err = placeFor(tx, &ev, r.MunicipalityID); err != nil {
			return err
		}
		r.CancelledAt = nil
		r.UpdatedAt = now
		// The unique index on the active registrations of an address
		// refuses the undo when the person has registered again.
		err = tx.Model(&r).Select("status", "cancelled_at", "updated_at").Updates(&r).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrRegisteredAgain
		}
		if err != nil {
			return err
		}
		if r.Status == Confirmed {
			if err := addPlace(tx, r.EventID, r.MunicipalityID, 1); err != nil {
				return err
			}
		}
		if ch.Notify {
			if err := outbox.Enqueue(tx, reinstatedMail(r.Status), r.EventID, r.ID, r.Email, now); err != nil {
				return err
			}
		}
		return audit.Record(tx, ch.Actor, audit.RegistrationReinstated, "registration", r.ID, &r.EventID,
			r.FullName()+" ("+r.Status.Label()+"), "+ch.mailNote())
	})
	if err != nil {
		return r, fmt.Errorf("reinstate registration %d: %w", id, err)
	}
	if ch.Notify {
		s.onQueued()
	}
	return r, nil
}

// reinstatable says why the cancellation of r cannot be taken back, if
// it cannot.
func reinstatable(tx *gorm.DB, ev *event.Event, r *Registration, now time.Time) error {
	switch {
	case r.Status != Cancelled:
		return ErrNotCancelled
	case ev.Status == event.Cancelled:
		return ErrMeetingCancelled
	case ev.IsPast(now):
		return ErrMeetingOver
	}
	var anonymised int64
	if err := tx.Model(&Registration{}).Where("id = ? AND anonymised_at IS NOT NULL", r.ID).Count(&anonymised).Error; err != nil {
		return fmt.Errorf("read anonymisation: %w", err)
	}
	if anonymised > 0 {
		return ErrAnonymised
	}
	return nil
}

// reinstatedMail is the mail a reinstated registration of status st gets.
func reinstatedMail(st Status) outbox.Kind {
	if st == Confirmed {
		return outbox.Reinstated
	}
	return outbox.ReinstatedWaitlisted
}
