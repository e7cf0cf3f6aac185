package registration

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

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
	token, err := newToken()
	if err != nil {
		return "", err
	}
	if err := saveManageLink(tx, token, registrationID, now); err != nil {
		return "", err
	}
	return token, nil
}

func saveManageLink(tx *gorm.DB, token string, registrationID int64, now time.Time) error {
	return tx.Create(&manageLink{TokenHash: hashToken(token), RegistrationID: registrationID, CreatedAt: now}).Error
}

// newToken returns 256 random bits, URL-safe: a manage link that cannot
// be guessed or enumerated.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
