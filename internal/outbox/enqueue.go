package outbox

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Enqueue writes a pending message inside the caller's transaction tx, so
// the message exists exactly when the change it reports was committed.
func Enqueue(tx *gorm.DB, kind Kind, eventID, registrationID int64, recipient string, now time.Time) error {
	m := Message{
		Kind:           kind,
		EventID:        eventID,
		RegistrationID: registrationID,
		Recipient:      recipient,
		Status:         Pending,
		NextAttemptAt:  now.UTC(),
	}
	if err := tx.Create(&m).Error; err != nil {
		return fmt.Errorf("enqueue %s mail for registration %d: %w", kind, registrationID, err)
	}
	return nil
}
