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
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Errors of the account package.
var (
	ErrNotFound       = problem.New(problem.NotFound, "Dieses Konto gibt es nicht.")
	ErrBadCredentials = problem.New(problem.Unauthorized, "E-Mail-Adresse oder Passwort sind nicht korrekt.")
	ErrNoSession      = problem.New(problem.Unauthorized, "Bitte melden Sie sich an.")
)

// Store reads and writes users, sessions and tokens.
type Store struct {
	db         *gorm.DB
	bcryptCost int
	dummyState
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, bcryptCost: bcrypt.DefaultCost} }

// WithBcryptCost sets the hashing cost (tests use bcrypt.MinCost).
func (s *Store) WithBcryptCost(cost int) *Store { s.bcryptCost = cost; return s }

// NewUser describes a user to create.
type NewUser struct {
	Email          string
	Name           string
	Password       string
	Role           Role
	MunicipalityID *int64
}

// Create adds a user with a hashed password.
func (s *Store) Create(ctx context.Context, in NewUser) (User, error) {
	var v problem.Validation
	email, msg := normalizeEmail(in.Email)
	if msg != "" {
		v.Add("email", msg)
	}
	if pe, ok := problem.As(checkPassword(in.Password)); ok {
		v.Add("password", pe.Fields["password"])
	}
	if _, ok := ParseRole(string(in.Role)); !ok {
		v.Add("role", "Unbekannte Rolle.")
	}
	if in.Role == Coordinator && in.MunicipalityID == nil {
		v.Add("municipality_id", "Eine kommunale Koordination gehört zu einer Kommune.")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.bcryptCost)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	u := User{Email: email, Name: strings.TrimSpace(in.Name), PasswordHash: string(hash), Role: in.Role, MunicipalityID: in.MunicipalityID}
	if err := s.db.WithContext(ctx).Create(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return u, &problem.Error{Code: problem.Conflict, Message: "Für diese E-Mail-Adresse gibt es schon ein Konto.",
				Fields: map[string]string{"email": "Für diese E-Mail-Adresse gibt es schon ein Konto."}}
		}
		return u, fmt.Errorf("create user %s: %w", email, err)
	}
	return u, nil
}

// Count returns the number of users.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.WithContext(ctx).Model(&User{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// Get returns one user.
func (s *Store) Get(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.WithContext(ctx).First(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// List returns all users by email.
func (s *Store) List(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.db.WithContext(ctx).Order("email").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CreateSession starts a session and returns the cookie value.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	plain, hash, err := newSecret()
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	sess := Session{ID: hash, UserID: userID, ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&sess).Error; err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	// Expired sessions are swept here rather than by a separate job.
	if err := s.db.WithContext(ctx).Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
		return "", fmt.Errorf("sweep sessions: %w", err)
	}
	return plain, nil
}

// SessionUser returns the user of a live session.
func (s *Store) SessionUser(ctx context.Context, cookie string) (User, error) {
	var sess Session
	err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", secret.Hash(cookie), time.Now().UTC()).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, ErrNoSession
	}
	if err != nil {
		return User{}, fmt.Errorf("read session: %w", err)
	}
	return s.Get(ctx, sess.UserID)
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, cookie string) error {
	if err := s.db.WithContext(ctx).Where("id = ?", secret.Hash(cookie)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// CreateToken issues an API token; the plain value is shown once.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, APIToken, error) {
	plain, hash, err := newSecret()
	if err != nil {
		return "", APIToken{}, err
	}
	t := APIToken{UserID: userID, Name: strings.TrimSpace(name), TokenHash: hash}
	if err := s.db.WithContext(ctx).Create(&t).Error; err != nil {
		return "", t, fmt.Errorf("create API token: %w", err)
	}
	return plain, t, nil
}

// TokenUser returns the user of a live (not revoked) API token.
func (s *Store) TokenUser(ctx context.Context, plain string) (User, error) {
	var t APIToken
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", secret.Hash(plain)).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return User{}, problem.New(problem.Unauthorized, "Das API-Token ist ungültig oder widerrufen.")
	}
	if err != nil {
		return User{}, fmt.Errorf("read API token: %w", err)
	}
	now := time.Now().UTC()
	if err := s.db.WithContext(ctx).Model(&t).Update("last_used_at", now).Error; err != nil {
		return User{}, fmt.Errorf("touch API token: %w", err)
	}
	return s.Get(ctx, t.UserID)
}

// RevokeToken revokes one of the user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).
		Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("revoke API token %d: %w", tokenID, res.Error)
	}
	if res.RowsAffected == 0 {
		return problem.New(problem.NotFound, "Dieses Token gibt es nicht.")
	}
	return nil
}

// Coordinators returns the coordinators of a municipality.
func (s *Store) Coordinators(ctx context.Context, municipalityID int64) ([]User, error) {
	var out []User
	if err := s.db.WithContext(ctx).Where("role = ? AND municipality_id = ?", Coordinator, municipalityID).Order("email").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("coordinators of municipality %d: %w", municipalityID, err)
	}
	return out, nil
}

// IsHost reports whether the user looks after the meeting.
func (s *Store) IsHost(ctx context.Context, userID, eventID int64) (bool, error) {
	var n int64
	if err := s.db.WithContext(ctx).Table("event_hosts").Where("user_id = ? AND event_id = ?", userID, eventID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("host check: %w", err)
	}
	return n > 0, nil
}

// HostedEvents returns the ids of the meetings a host looks after.
func (s *Store) HostedEvents(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Table("event_hosts").Where("user_id = ?", userID).Order("event_id").Pluck("event_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("hosted events of user %d: %w", userID, err)
	}
	return ids, nil
}

// SetHost assigns (on) or removes (off) a host for a meeting.
func (s *Store) SetHost(ctx context.Context, userID, eventID int64, on bool, by audit.Actor) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.First(&u, userID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		if u.Role != Host {
			return problem.New(problem.Conflict, "Nur Konten mit der Rolle Gastgeber können Veranstaltungen zugeordnet werden.")
		}
		action := audit.HostAssigned
		if on {
			if err := tx.Exec("INSERT INTO event_hosts (event_id, user_id) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM event_hosts WHERE event_id = ? AND user_id = ?)",
				eventID, userID, eventID, userID).Error; err != nil {
				return fmt.Errorf("assign host: %w", err)
			}
		} else {
			action = audit.HostRemoved
			if err := tx.Exec("DELETE FROM event_hosts WHERE event_id = ? AND user_id = ?", eventID, userID).Error; err != nil {
				return fmt.Errorf("remove host: %w", err)
			}
		}
		return audit.Record(tx, by, action, "user", userID, &eventID, u.Email)
	})
}

// SetRole changes a user's role (and municipality for coordinators).
func (s *Store) SetRole(ctx context.Context, userID int64, role Role, municipalityID *int64, by audit.Actor) (User, error) {
	var u User
	if _, ok := ParseRole(string(role)); !ok {
		return u, &problem.Error{Code: problem.Invalid, Message: "Unbekannte Rolle.", Fields: map[string]string{"role": "Bitte wählen Sie eine Rolle."}}
	}
	if role == Coordinator && municipalityID == nil {
		return u, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"municipality_id": "Eine kommunale Koordination gehört zu einer Kommune."}}
	}
	if role != Coordinator {
		municipalityID = nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, userID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		old := u.Role
		u.Role, u.MunicipalityID = role, municipalityID
		if err := tx.Model(&u).Select("role", "municipality_id", "updated_at").Updates(&u).Error; err != nil {
			return err
		}
		if role != Host {
			if err := tx.Exec("DELETE FROM event_hosts WHERE user_id = ?", userID).Error; err != nil {
				return err
			}
		}
		// A changed role ends running sessions: new rights take effect at
		// the next login, not mid-session with stale pages.
		if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return audit.Record(tx, by, audit.UserRoleChanged, "user", userID, nil, fmt.Sprintf("%s: %s → %s", u.Email, old.Label(), role.Label()))
	})
	if err != nil {
		return u, fmt.Errorf("set role of user %d: %w", userID, err)
	}
	return u, nil
}

// Tokens lists a user's API tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	return out, nil
}
