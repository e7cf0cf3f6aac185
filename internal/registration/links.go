package registration

import (
	"context"
	"fmt"
	"time"

	"github.com/isa-nrw/treffen/internal/secret"
	"gorm.io/gorm"
)

// manageLink is a secret link to view, change or cancel a registration.
// Only the hash of its token is stored: a backup or a look at the
// database gives nobody a working link. Every mail carries a link of its
// own, so links already sent keep working when a new one is issued.
type manageLink struct {
	TokenHash      string `gorm:"primaryKey"`
	RegistrationID int64
	CreatedAt      time.Time
}

func (manageLink) TableName() string { return "manage_links" }

// IssueManageLink makes a new manage link for a registration and returns
// its token, to be sent to the person and kept nowhere else.
func (s *Store) IssueManageLink(ctx context.Context, registrationID int64) (string, error) {
	token, err := issueManageLink(s.db.WithContext(ctx), registrationID, s.now().UTC())
	if err != nil {
		return "", fmt.Errorf("issue manage link for registration %d: %w", registrationID, err)
	}
	return token, nil
}

func issueManageLink(tx *gorm.DB, registrationID int64, now time.Time) (string, error) {
	token, err := secret.Token()
	if err != nil {
		return "", err
	}
	if err := saveManageLink(tx, token, registrationID, now); err != nil {
		return "", err
	}
	return token, nil
}

func saveManageLink(tx *gorm.DB, token string, registrationID int64, now time.Time) error {
	return tx.Create(&manageLink{TokenHash: secret.Hash(token), RegistrationID: registrationID, CreatedAt: now}).Error
}
