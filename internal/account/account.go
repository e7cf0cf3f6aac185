// Package account holds the people who log in (organisers, hosts,
// coordinators), their passwords, browser sessions and API tokens.
package account

import (
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Role says what a user may do.
type Role string

// Roles.
const (
	Organiser   Role = "organiser"   // ISA staff: everything
	Host        Role = "host"        // venue staff of a meeting
	Coordinator Role = "coordinator" // municipal coordinator
)

// Roles lists all roles.
var Roles = []Role{Organiser, Host, Coordinator}

// Label is the German name.
func (r Role) Label() string {
	switch r {
	case Organiser:
		return "Organisation (ISA)"
	case Host:
		return "Gastgeber"
	case Coordinator:
		return "Kommunale Koordination"
	}
	return string(r)
}

// ParseRole accepts a role code.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == strings.ToLower(strings.TrimSpace(s)) {
			return r, true
		}
	}
	return "", false
}

// User is a person with a login.
type User struct {
	ID             int64     `json:"id"`
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	PasswordHash   string    `json:"-"`
	Role           Role      `json:"role"`
	MunicipalityID *int64    `json:"municipality_id,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Invited reports whether the user has not set a password yet.
func (u User) Invited() bool { return u.PasswordHash == "" }

// Session is a browser login, stored so that several app instances share it.
type Session struct {
	ID        string // SHA-256 of the cookie value, so a database leak reveals no live cookie
	UserID    int64
	ExpiresAt time.Time
	CreatedAt time.Time
}

// APIToken is a bearer token for /api/v1, stored hashed.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// TableName sets the table of APIToken.
func (APIToken) TableName() string { return "api_tokens" }

// MinPasswordLength is the shortest accepted password.
const MinPasswordLength = 10

// normalizeEmail returns the normalized address, or what is wrong with
// it in German.
func normalizeEmail(s string) (string, string) {
	s = emailaddress.Normalize(s)
	return s, emailaddress.Problem(s)
}

// newSecret returns a new token and the hash it is stored as.
func newSecret() (plain, hash string, err error) {
	plain, err = secret.Token()
	return plain, secret.Hash(plain), err
}
