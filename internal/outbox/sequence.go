package outbox

import (
	"context"
	"fmt"
)

// CalendarSequence returns the SEQUENCE for the calendar entry of m: how
// many mails with a calendar entry were queued for the registration
// before m. Every invitation or cancellation is then newer than those
// queued before it, in the order the changes happened, whenever each is
// sent: a registration cancelled and taken back (and cancelled again)
// ends in the calendar as it ends in the service.
func (s *Store) CalendarSequence(ctx context.Context, m Message) (int, error) {
	if m.RegistrationID == nil || !m.Kind.CarriesCalendar() {
		return 0, nil
	}
	kinds := []Kind{Confirmation, Promotion, Cancellation, Reinstated, ChangeNotice, EventCancelled, RegistrationChanged} // those CarriesCalendar names
	var n int64
	err := s.db.WithContext(ctx).Model(&Message{}).
		Where("registration_id = ? AND id < ? AND copy_of IS NULL AND kind IN ?", *m.RegistrationID, m.ID, kinds).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("calendar sequence of mail %d: %w", m.ID, err)
	}
	return int(n), nil
}
