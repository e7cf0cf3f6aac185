package account_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func newStore(t *testing.T) *account.Store {
	s, _ := newStoreDB(t)
	return s
}

func newStoreDB(t *testing.T) (*account.Store, *gorm.DB) {
	db := storetest.Open(t).Gorm
	return account.NewStore(db).WithBcryptCost(bcrypt.MinCost), db
}

func TestPasswordsSessionsAndTokens(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	u, err := s.Create(ctx, account.NewUser{Email: " Orga@ISA.example ", Password: "lang-genug-123", Role: account.Organiser})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "orga@isa.example" || u.PasswordHash == "lang-genug-123" {
		t.Fatalf("stored %+v", u)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "orga@isa.example", Password: "falsch"}); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "niemand@isa.example", Password: "lang-genug-123"}); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("unknown user: %v", err)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "ORGA@isa.example", Password: "lang-genug-123"}); err != nil {
		t.Fatalf("right password: %v", err)
	}

	cookie, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionUser(ctx, cookie); err != nil || got.ID != u.ID {
		t.Fatalf("session: %v %v", got, err)
	}
	if err := s.DeleteSession(ctx, cookie); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, cookie); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("after logout: %v", err)
	}
	expired, _ := s.CreateSession(ctx, u.ID, -time.Minute)
	if _, err := s.SessionUser(ctx, expired); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("expired session accepted: %v", err)
	}

	plain, tok, err := s.CreateToken(ctx, u.ID, "Auswertung")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.TokenUser(ctx, plain); err != nil || got.ID != u.ID {
		t.Fatalf("token: %v %v", got, err)
	}
	if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, plain); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("revoked token accepted: %v", err)
	}
}

func TestCreateValidates(t *testing.T) {
	s := newStore(t)
	_, err := s.Create(context.Background(), account.NewUser{Email: "kaputt", Password: "kurz", Role: account.Coordinator})
	pe, ok := problem.As(err)
	if !ok || pe.Fields["email"] == "" || pe.Fields["password"] == "" || pe.Fields["municipality_id"] == "" {
		t.Fatalf("got %v", err)
	}
}
