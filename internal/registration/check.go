package registration

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/event"
)

// Check tells whether Register would take in for the meeting, without
// registering: the same checks of the input and the wishes, and whether
// the address is registered already. A coordinator's batch is checked
// row by row first, so one mistake registers nobody and every row stays
// as typed. What Register decides under the meeting's lock (the place,
// the registration window) is not checked; a concurrent registration of
// the address may still be refused there.
func (s *Store) Check(ctx context.Context, eventID int64, in Input) error {
	db := s.db.WithContext(ctx)
	var ev event.Event
	if err := db.First(&ev, eventID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return event.ErrNotFound
		}
		return fmt.Errorf("check registration for event %d: %w", eventID, err)
	}
	var r Registration
	// The answers to the meeting's questions too (whether an option is
	// still free is decided when the person is registered).
	if _, _, err := checkAnswers(db, &ev, in.Answers, in.validate(&ev, &r, true)); err != nil {
		return err
	}
	if len(in.WorkingGroupPreferences) > 0 {
		slotOf, err := groupSlots(db, eventID)
		if err != nil {
			return err
		}
		if _, err := rankPreferences(slotOf, 0, in.WorkingGroupPreferences, ev.PreferenceRanks); err != nil {
			return err
		}
	}
	var active int64
	if err := db.Model(&Registration{}).Where("event_id = ? AND email = ? AND status <> ?", eventID, r.Email, Cancelled).
		Count(&active).Error; err != nil {
		return fmt.Errorf("check registration for event %d: %w", eventID, err)
	}
	if active > 0 {
		return ErrDuplicate
	}
	return checkMunicipality(db, r.MunicipalityID)
}
