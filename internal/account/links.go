package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Purpose says what a one-time link is for.
type Purpose string

// Purposes of account links.
const (
	PurposeInvite Purpose = "invite" // set the first password
	PurposeReset  Purpose = "reset"  // set a new password
)

// How long links stay valid.
const (
	InviteTTL = 7 * 24 * time.Hour
	ResetTTL  = time.Hour
)

// Link is a single-use, expiring link to set a password; only its hash
// is stored.
type Link struct {
	ID        int64
	UserID    int64
	Purpose   Purpose
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// TableName sets the table.
func (Link) TableName() string { return "account_links" }

// ErrLinkInvalid covers unknown, used and expired links alike, so a
// probe learns nothing about which it was.
var ErrLinkInvalid = problem.New(problem.NotFound, "Dieser Link ist ungültig, abgelaufen oder wurde bereits verwendet. Bitte fordern Sie einen neuen an.")

// MailFunc renders the mail that carries a new link; it runs inside the
// transaction that creates the link, so link and mail exist together.
type MailFunc func(u User, plainToken string, expires time.Time) (outbox.Rendered, error)

// Invitation describes a new host or coordinator.
type Invitation struct {
	Email          string
	Name           string
	Role           Role
	MunicipalityID *int64
	EventIDs       []int64 // meetings a host looks after
}

// Invite creates an account without password and queues the invitation
// mail with a link to set one.
func (s *Store) Invite(ctx context.Context, in Invitation, by audit.Actor, mail MailFunc) (User, error) {
	var v problem.Validation
	email, msg := normalizeEmail(in.Email)
	if msg != "" {
		v.Add("email", msg)
	}
	if _, ok := ParseRole(string(in.Role)); !ok {
		v.Add("role", "Bitte wählen Sie eine Rolle.")
	}
	if in.Role == Coordinator && in.MunicipalityID == nil {
		v.Add("municipality_id", "Eine kommunale Koordination gehört zu einer Kommune.")
	}
	if in.Role != Coordinator {
		in.MunicipalityID = nil
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	u := User{Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role, MunicipalityID: in.MunicipalityID}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &problem.Error{Code: problem.Conflict, Message: "Für diese E-Mail-Adresse gibt es schon ein Konto.",
					Fields: map[string]string{"email": "Für diese E-Mail-Adresse gibt es schon ein Konto."}}
			}
			return err
		}
		if in.Role == Host {
			for _, eventID := range in.EventIDs {
				if err := tx.Exec("INSERT INTO event_hosts (event_id, user_id) VALUES (?, ?)", eventID, u.ID).Error; err != nil {
					return fmt.Errorf("assign host to event %d: %w", eventID, err)
				}
			}
		}
		if err := audit.Record(tx, by, audit.UserInvited, "user", u.ID, nil, u.Email+" als "+u.Role.Label()); err != nil {
			return err
		}
		return s.issueLink(tx, u, PurposeInvite, InviteTTL, mail)
	})
	if err != nil {
		return u, fmt.Errorf("invite %s: %w", email, err)
	}
	return u, nil
}

// RequestReset queues a reset mail when the address has an account and
// does nothing otherwise; the caller answers the same either way.
func (s *Store) RequestReset(ctx context.Context, email string, mail MailFunc) error {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.issueLink(tx, u, PurposeReset, ResetTTL, mail)
	})
}

func (s *Store) issueLink(tx *gorm.DB, u User, purpose Purpose, ttl time.Duration, mail MailFunc) error {
	plain, hash, err := newSecret()
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	l := Link{UserID: u.ID, Purpose: purpose, TokenHash: hash, ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := tx.Create(&l).Error; err != nil {
		return fmt.Errorf("create %s link: %w", purpose, err)
	}
	r, err := mail(u, plain, l.ExpiresAt)
	if err != nil {
		return fmt.Errorf("render %s mail: %w", purpose, err)
	}
	return outbox.EnqueueRendered(tx, r, now)
}

// LinkUser returns the user of a valid, unused link (to show the form).
func (s *Store) LinkUser(ctx context.Context, plain string) (User, Purpose, error) {
	var l Link
	err := s.db.WithContext(ctx).Where("token_hash = ? AND used_at IS NULL", secret.Hash(plain)).First(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !time.Now().Before(l.ExpiresAt)) {
		return User{}, "", ErrLinkInvalid
	}
	if err != nil {
		return User{}, "", fmt.Errorf("read account link: %w", err)
	}
	u, err := s.Get(ctx, l.UserID)
	return u, l.Purpose, err
}

// UseLink sets a new password through a link, once. Other sessions of
// the user end, and other open links of the user become void.
func (s *Store) UseLink(ctx context.Context, plain, password string) (User, error) {
	if err := checkPassword(password); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.bcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	var u User
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		// The conditional update is the single-use guarantee: of two
		// concurrent uses only one changes a row.
		res := tx.Model(&Link{}).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", secret.Hash(plain), now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrLinkInvalid
		}
		var l Link
		if err := tx.Where("token_hash = ?", secret.Hash(plain)).First(&l).Error; err != nil {
			return err
		}
		if err := tx.First(&u, l.UserID).Error; err != nil {
			return err
		}
		if err := tx.Model(&u).Select("password_hash").Updates(&User{PasswordHash: string(hash)}).Error; err != nil {
			return err
		}
		// Whoever holds the link controls the mailbox: guesses made at
		// the address no longer hold its owner back.
		if err := tx.Where("throttle_key = ?", addressKey(u.Email)).Delete(&throttle{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Link{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, audit.User(u.ID, u.Email), audit.UserPasswordSet, "user", u.ID, nil, string(l.Purpose))
	})
	if err != nil {
		return u, fmt.Errorf("use account link: %w", err)
	}
	return u, nil
}

func checkPassword(password string) error {
	var v problem.Validation
	if len([]rune(password)) < MinPasswordLength {
		v.Add("password", fmt.Sprintf("Das Passwort muss mindestens %d Zeichen lang sein.", MinPasswordLength))
	}
	if len(password) > 72 {
		v.Add("password", "Das Passwort darf höchstens 72 Byte lang sein.")
	}
	return v.Err()
}
