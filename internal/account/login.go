package account

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// How logins are throttled (the OWASP "device cookie" scheme):
//
//   - A client that logged in to an account before carries a device
//     token for that account. With it, only its own failures slow it
//     down: guesses made elsewhere never keep the owner out.
//   - Every other try is counted against the address typed in, whether
//     an account exists for it or not, so the answer tells a guesser
//     nothing about which accounts exist.
//   - The per-address count holds against guessers spread over many
//     source addresses; the web layer adds a per-source-address rate.
//
// A try is counted before the password is compared, in a transaction
// that locks the count, so parallel guesses cannot all pass a count that
// has not caught up yet.

// DeviceTTL is how long a client stays a known device of an account
// without logging in to it.
const DeviceTTL = 365 * 24 * time.Hour

// throttleMemory is how long failures are remembered after the last one.
const throttleMemory = 24 * time.Hour

// Attempt is one try to log in.
type Attempt struct {
	Email    string
	Password string
	// Device is the device token the client got at an earlier login to
	// this account; "" for none.
	Device string
}

// Login is a successful Authenticate.
type Login struct {
	User User
	// Device is the client's new device token for this account; the one
	// it presented, if any, no longer works.
	Device string
}

// device is a client that logged in to an account before.
type device struct {
	TokenHash  string `gorm:"primaryKey"`
	UserID     int64  `gorm:"primaryKey"`
	CreatedAt  time.Time
	LastUsedAt time.Time
}

func (device) TableName() string { return "login_devices" }

// throttle counts recent failed tries of an address or a device.
type throttle struct {
	ThrottleKey  string `gorm:"primaryKey"`
	Failures     int
	LastFailedAt time.Time
}

func (throttle) TableName() string { return "login_throttles" }

func addressKey(email string) string { return "address:" + secret.Hash(emailaddress.Normalize(email)) }

func deviceKey(userID int64, token string) string {
	return fmt.Sprintf("device:%d:%s", userID, secret.Hash(token))
}

// Throttle returns how long to wait before the next try after failed
// failures: nothing for the first five, then doubling from 2 s up to
// 15 min.
func Throttle(failed int) time.Duration {
	if failed < 5 {
		return 0
	}
	d := 2 * time.Second << min(failed-5, 10)
	return min(d, 15*time.Minute)
}

// ErrThrottled carries the wait of a throttled login for Retry-After.
type ErrThrottled struct{ Wait time.Duration }

func (e ErrThrottled) Error() string { return fmt.Sprintf("login throttled for %s", e.Wait) }

// KnownDevice reports whether token is a live device token of the
// account with this address.
func (s *Store) KnownDevice(ctx context.Context, email, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&device{}).
		Joins("JOIN users ON users.id = login_devices.user_id").
		Where("users.email = ? AND login_devices.token_hash = ? AND login_devices.last_used_at > ?",
			emailaddress.Normalize(email), secret.Hash(token), time.Now().UTC().Add(-DeviceTTL)).
		Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("known device: %w", err)
	}
	return n > 0, nil
}

// Authenticate checks a login. Invited users without a password cannot
// log in. Wrong address and wrong password give the same error, in the
// same time; so does a throttled address, whether it has an account.
func (s *Store) Authenticate(ctx context.Context, a Attempt) (Login, error) {
	email := emailaddress.Normalize(a.Email)
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", email).First(&u).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return Login{}, fmt.Errorf("authenticate: %w", err)
	}
	key := addressKey(email)
	if found {
		known, err := s.KnownDevice(ctx, email, a.Device)
		if err != nil {
			return Login{}, err
		}
		if known {
			key = deviceKey(u.ID, a.Device)
		}
	}
	if err := s.countTry(ctx, key); err != nil {
		return Login{}, err
	}
	// Unknown addresses and invited accounts compare against a hash of
	// the same cost as a real one: equal time, whatever exists.
	hash := s.dummyHash()
	if found && !u.Invited() {
		hash = []byte(u.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(a.Password)) != nil || !found || u.Invited() {
		return Login{}, ErrBadCredentials
	}
	token, err := s.loggedIn(ctx, u.ID, key, a.Device)
	if err != nil {
		return Login{}, err
	}
	return Login{User: u, Device: token}, nil
}

// countTry counts a try against key, or refuses it while key waits.
func (s *Store) countTry(ctx context.Context, key string) error {
	now := time.Now().UTC()
	var wait time.Duration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&throttle{ThrottleKey: key, LastFailedAt: now}).Error; err != nil {
			return err
		}
		q := tx
		if tx.Dialector.Name() == "postgres" {
			// SQLite transactions here take the write lock at BEGIN.
			q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var t throttle
		if err := q.Where("throttle_key = ?", key).First(&t).Error; err != nil {
			return err
		}
		if now.Sub(t.LastFailedAt) > throttleMemory {
			t.Failures = 0
		}
		if wait = t.LastFailedAt.Add(Throttle(t.Failures)).Sub(now); wait > 0 {
			return nil
		}
		return tx.Model(&t).Where("throttle_key = ?", key).
			Updates(map[string]any{"failures": t.Failures + 1, "last_failed_at": now}).Error
	})
	if err != nil {
		return fmt.Errorf("count login try: %w", err)
	}
	if wait > 0 {
		return &problem.Error{Code: problem.TooMany, Err: ErrThrottled{Wait: wait},
			Message: fmt.Sprintf("Zu viele Fehlversuche für diese E-Mail-Adresse. Bitte warten Sie %d Sekunden.", int(wait.Seconds())+1)}
	}
	return nil
}

// loggedIn forgets the tries counted against key and makes the client a
// known device of the user with a fresh token, which replaces the one it
// presented. Tokens are always made here: a token planted in a victim's
// browser never becomes one of the victim's devices.
func (s *Store) loggedIn(ctx context.Context, userID int64, key, presented string) (string, error) {
	plain, hash, err := newSecret()
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("throttle_key = ? OR last_failed_at < ?", key, now.Add(-throttleMemory)).Delete(&throttle{}).Error; err != nil {
			return err
		}
		if presented != "" {
			if err := tx.Where("user_id = ? AND token_hash = ?", userID, secret.Hash(presented)).Delete(&device{}).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("user_id = ? AND last_used_at < ?", userID, now.Add(-DeviceTTL)).Delete(&device{}).Error; err != nil {
			return err
		}
		return tx.Create(&device{TokenHash: hash, UserID: userID, CreatedAt: now, LastUsedAt: now}).Error
	})
	if err != nil {
		return "", fmt.Errorf("record login of user %d: %w", userID, err)
	}
	return plain, nil
}

// dummyHash is compared against for addresses without an account.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("timing-equaliser"), s.bcryptCost)
	})
	return s.dummy
}

// dummyState is embedded in Store.
type dummyState struct {
	dummyOnce sync.Once
	dummy     []byte
}
