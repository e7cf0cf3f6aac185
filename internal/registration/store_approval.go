package registration

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// MaxDeclineReason bounds the reason an organiser gives for declining.
const MaxDeclineReason = 2000

// errNotPending refuses to approve or decline a registration that is no
// longer in review, e.g. approved in another tab a moment ago.
func errNotPending(st Status) error {
	return problem.Errorf(problem.Conflict, "Diese Anmeldung ist nicht in Prüfung, sondern „%s“.", st.Label())
}

// Approve accepts a pending registration under the meeting's lock, as
// Register decides a place: confirmed while the meeting and the
// municipality have one, else the waiting list. The person gets the
// confirmation (with the calendar invitation) or the waiting-list mail.
// Without a place and without room on the waiting list the registration
// stays pending and the error says why.
func (s *Store) Approve(ctx context.Context, id int64, actor audit.Actor) (Registration, error) {
	now := s.now().UTC()
	var r Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := s.lockPending(tx, id, &r)
		if err != nil {
			return err
		}
		if ev.Status == event.Cancelled {
			return problem.New(problem.Closed, "Diese Veranstaltung wurde abgesagt.")
		}
		st, err := placeFor(tx, &ev, r.MunicipalityID)
		if err != nil {
			pe, _ := problem.As(err)
			return problem.New(pe.Code, pe.Message+" Die Anmeldung bleibt in Prüfung.")
		}
		r.Status = st
		r.UpdatedAt = now
		if err := tx.Model(&r).Select("status", "updated_at").Updates(&r).Error; err != nil {
			return err
		}
		if st == Confirmed {
			if err := addPlace(tx, r.EventID, r.MunicipalityID, 1); err != nil {
				return err
			}
		}
		if err := audit.Record(tx, actor, audit.RegistrationApproved, "registration", r.ID, &r.EventID, createdDetails(&r, st)); err != nil {
			return err
		}
		return outbox.Enqueue(tx, registeredMail(st), r.EventID, r.ID, r.Email, now)
	})
	if err != nil {
		return r, fmt.Errorf("approve registration %d: %w", id, err)
	}
	s.onQueued()
	return r, nil
}

// Decline refuses a pending registration. The reason (may be empty) is
// kept with it and told to the person in the mail. A declined
// registration held no place, so nobody moves up.
func (s *Store) Decline(ctx context.Context, id int64, reason string, actor audit.Actor) (Registration, error) {
	now := s.now().UTC()
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxDeclineReason {
		return Registration{}, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"reason": fmt.Sprintf("Die Begründung darf höchstens %d Zeichen lang sein.", MaxDeclineReason)}}
	}
	var r Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.lockPending(tx, id, &r); err != nil {
			return err
		}
		r.Status, r.DeclinedAt, r.DeclineReason, r.UpdatedAt = Declined, &now, reason, now
		if err := tx.Model(&r).Select("status", "declined_at", "decline_reason", "updated_at").Updates(&r).Error; err != nil {
			return err
		}
		details := r.FullName()
		if reason != "" {
			details += ": " + reason
		}
		if err := audit.Record(tx, actor, audit.RegistrationDeclined, "registration", r.ID, &r.EventID, details); err != nil {
			return err
		}
		return outbox.Enqueue(tx, outbox.Declined, r.EventID, r.ID, r.Email, now)
	})
	if err != nil {
		return r, fmt.Errorf("decline registration %d: %w", id, err)
	}
	s.onQueued()
	return r, nil
}

// lockPending locks the meeting of registration id and reads the
// registration under the lock into r; it must be pending.
func (s *Store) lockPending(tx *gorm.DB, id int64, r *Registration) (event.Event, error) {
	ev, err := lockRegistration(tx, id, r)
	if err != nil {
		return ev, err
	}
	if r.Status != Pending {
		return ev, errNotPending(r.Status)
	}
	return ev, nil
}
