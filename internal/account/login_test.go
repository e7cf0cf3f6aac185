package account_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

const (
	ownerEmail    = "orga@isa.example"
	ownerPassword = "richtiges-passwort"
)

func newOwner(t *testing.T, s *account.Store) account.User {
	t.Helper()
	u, err := s.Create(context.Background(), account.NewUser{Email: ownerEmail, Password: ownerPassword, Role: account.Organiser})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// An outsider's failures never keep the owner's known browser out, while
// unknown clients are still throttled per address.
func TestKnownDeviceIsNotHeldBackByOthersFailures(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	newOwner(t, s)
	first, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword})
	if err != nil || first.Device == "" {
		t.Fatalf("first login: %v, device %q", err, first.Device)
	}
	if known, err := s.KnownDevice(ctx, ownerEmail, first.Device); err != nil || !known {
		t.Fatalf("device after login: known %v, %v", known, err)
	}
	for i := range 12 {
		_, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: fmt.Sprintf("geraten-%d", i)})
		if !problem.Is(err, problem.Unauthorized) && !problem.Is(err, problem.TooMany) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword}); !problem.Is(err, problem.TooMany) {
		t.Fatalf("unknown client after 12 guesses: %v, want throttled", err)
	}
	again, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword, Device: first.Device})
	if err != nil {
		t.Fatalf("known device after an outsider's guesses: %v", err)
	}
	if again.Device == first.Device || again.Device == "" {
		t.Errorf("device token not renewed: %q", again.Device)
	}
	if known, _ := s.KnownDevice(ctx, ownerEmail, first.Device); known {
		t.Error("the replaced device token still counts")
	}
	// The outsider's count still holds for unknown clients.
	if _, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword}); !problem.Is(err, problem.TooMany) {
		t.Fatalf("unknown client after the owner's login: %v, want still throttled", err)
	}
	// A device token is bound to its account, and a made-up one is none.
	other, err := s.Create(ctx, account.NewUser{Email: "zweite@isa.example", Password: "zweites-passwort", Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	if known, _ := s.KnownDevice(ctx, other.Email, again.Device); known {
		t.Error("a device token counts for another account")
	}
	if known, _ := s.KnownDevice(ctx, ownerEmail, "ausgedacht-ausgedacht-ausgedacht-ausgedacht"); known {
		t.Error("a made-up device token counts")
	}
}

// A known device is slowed by its own failures only.
func TestKnownDeviceThrottledByItsOwnFailures(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	newOwner(t, s)
	login, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: "falsch", Device: login.Device}); !problem.Is(err, problem.Unauthorized) {
			t.Fatalf("failure %d on the known device: %v", i, err)
		}
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword, Device: login.Device}); !problem.Is(err, problem.TooMany) {
		t.Fatalf("known device after its own 5 failures: %v, want throttled", err)
	}
	// Those failures were the device's, not the address's.
	if _, err := s.Authenticate(ctx, account.Attempt{Email: ownerEmail, Password: ownerPassword}); err != nil {
		t.Fatalf("another client: %v", err)
	}
}

// Existing and unknown addresses answer alike, also when throttled.
func TestThrottleSameForUnknownAddress(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	newOwner(t, s)
	answers := func(email string) []string {
		var out []string
		for range 7 {
			_, err := s.Authenticate(ctx, account.Attempt{Email: email, Password: "falsch"})
			pe, _ := problem.As(err)
			msg := ""
			if pe != nil {
				msg = fmt.Sprintf("%s %.45s", pe.Code, pe.Message)
			}
			out = append(out, msg)
		}
		return out
	}
	known, unknown := answers(ownerEmail), answers("niemand@isa.example")
	if fmt.Sprint(known) != fmt.Sprint(unknown) {
		t.Errorf("existing address:\n %q\nunknown address:\n %q", known, unknown)
	}
	if got := known[6]; !strings.HasPrefix(got, string(problem.TooMany)) {
		t.Errorf("seventh try: %q, want throttled", got)
	}
}

// Parallel guesses cannot all slip through before the count catches up.
func TestThrottleHoldsUnderParallelGuesses(t *testing.T) {
	s := newStore(t)
	newOwner(t, s)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		checked int
	)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Authenticate(context.Background(), account.Attempt{Email: ownerEmail, Password: fmt.Sprintf("geraten-%d", i)})
			if problem.Is(err, problem.Unauthorized) {
				mu.Lock()
				checked++
				mu.Unlock()
			} else if !problem.Is(err, problem.TooMany) {
				t.Errorf("guess %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if checked > 6 {
		t.Errorf("%d of 30 parallel guesses were compared, want at most 6", checked)
	}
}

// An unknown address costs as long as a wrong password for a real one:
// the dummy hash has the cost of real hashes.
func TestLoginTimingSameForUnknownAddress(t *testing.T) {
	db := storetest.Open(t).Gorm
	s := account.NewStore(db).WithBcryptCost(bcrypt.DefaultCost)
	ctx := context.Background()
	newOwner(t, s)
	attempt := func(email string) time.Duration {
		start := time.Now()
		_, err := s.Authenticate(ctx, account.Attempt{Email: email, Password: "falsch"})
		if !problem.Is(err, problem.Unauthorized) {
			t.Fatalf("%s: %v", email, err)
		}
		return time.Since(start)
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	attempt("aufwaermen@isa.example") // the dummy hash is made on first use
	// The two kinds of attempt take turns (in changing order), so that
	// other work on a shared machine slows both alike.
	var known, unknownTimes []time.Duration
	for i := range 5 {
		if i%2 == 0 {
			known = append(known, attempt(ownerEmail))
			unknownTimes = append(unknownTimes, attempt("niemand@isa.example"))
		} else {
			unknownTimes = append(unknownTimes, attempt("niemand@isa.example"))
			known = append(known, attempt(ownerEmail))
		}
	}
	existing, unknown := median(known), median(unknownTimes)
	diff := existing - unknown
	if diff < 0 {
		diff = -diff
	}
	t.Logf("median wrong password %v, unknown address %v", existing, unknown)
	if diff*3 >= max(existing, unknown) {
		t.Errorf("medians differ by %v: wrong password %v, unknown address %v", diff, existing, unknown)
	}
}
