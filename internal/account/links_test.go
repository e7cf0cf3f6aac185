package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// captured collects the links that would have gone out by mail.
type captured struct {
	mu    sync.Mutex
	links []string
}

func (c *captured) mail(kind outbox.Kind) account.MailFunc {
	return func(u account.User, token string, expires time.Time) (outbox.Rendered, error) {
		c.mu.Lock()
		c.links = append(c.links, token)
		c.mu.Unlock()
		return outbox.Rendered{Kind: kind, UserID: u.ID, Recipient: u.Email, Subject: "Link", TextBody: "https://treffen.example/link/" + token}, nil
	}
}

func (c *captured) last() string { c.mu.Lock(); defer c.mu.Unlock(); return c.links[len(c.links)-1] }

func TestInvitationSetsPasswordOnceAndQueuesMail(t *testing.T) {
	s, db := newStoreDB(t)
	ctx := context.Background()
	var c captured
	u, err := s.Invite(ctx, account.Invitation{Email: "host@herne.example", Role: account.Host}, audit.System, c.mail(outbox.Invitation))
	if err != nil {
		t.Fatal(err)
	}
	if !u.Invited() {
		t.Fatal("invited user has a password")
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "host@herne.example", Password: ""}); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("invited user logged in without password: %v", err)
	}
	link := c.last()
	if got, purpose, err := s.LinkUser(ctx, link); err != nil || got.ID != u.ID || purpose != account.PurposeInvite {
		t.Fatalf("link user: %v %v %v", got, purpose, err)
	}
	if _, err := s.UseLink(ctx, link, "kurz"); !problem.Is(err, problem.Invalid) {
		t.Fatalf("short password: %v", err)
	}
	if _, err := s.UseLink(ctx, link, "ein-gutes-passwort"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseLink(ctx, link, "noch-ein-passwort"); err != account.ErrLinkInvalid && !problem.Is(err, problem.NotFound) {
		t.Fatalf("reused link: %v", err)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "host@herne.example", Password: "ein-gutes-passwort"}); err != nil {
		t.Fatalf("login after invitation: %v", err)
	}
	var n int64
	if err := db.Model(&outbox.Message{}).Where("kind = ? AND recipient = ?", outbox.Invitation, "host@herne.example").Count(&n).Error; err != nil || n != 1 {
		t.Fatalf("invitation mails: %d %v", n, err)
	}
}

func TestResetLinksExpireAndAreSingleUseUnderConcurrency(t *testing.T) {
	s, db := newStoreDB(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, account.NewUser{Email: "orga@isa.example", Password: "altes-passwort", Role: account.Organiser}); err != nil {
		t.Fatal(err)
	}
	var c captured
	if err := s.RequestReset(ctx, "niemand@isa.example", c.mail(outbox.PasswordReset)); err != nil || len(c.links) != 0 {
		t.Fatalf("reset for unknown address: %v, %d links", err, len(c.links))
	}
	if err := s.RequestReset(ctx, "ORGA@isa.example", c.mail(outbox.PasswordReset)); err != nil {
		t.Fatal(err)
	}
	link := c.last()
	session, _ := s.CreateSession(ctx, 1, time.Hour)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, err := s.UseLink(ctx, link, "neues-passwort-123"); results <- err }()
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		if err == nil {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 8 concurrent uses succeeded, want exactly 1", ok)
	}
	if _, err := s.SessionUser(ctx, session); err == nil {
		t.Fatal("old session survived the password reset")
	}
	// An expired link is refused like an unknown one.
	if err := s.RequestReset(ctx, "orga@isa.example", c.mail(outbox.PasswordReset)); err != nil {
		t.Fatal(err)
	}
	expired := c.last()
	if err := db.Model(&account.Link{}).Where("used_at IS NULL").Update("expires_at", time.Now().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.LinkUser(ctx, expired); err != account.ErrLinkInvalid {
		t.Fatalf("expired link shown: %v", err)
	}
	if _, err := s.UseLink(ctx, expired, "drittes-passwort"); !problem.Is(err, problem.NotFound) {
		t.Fatalf("expired link used: %v", err)
	}
}

func TestFailedLoginsAreSlowedNotLocked(t *testing.T) {
	s, db := newStoreDB(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, account.NewUser{Email: "orga@isa.example", Password: "richtiges-passwort", Role: account.Organiser}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := s.Authenticate(ctx, account.Attempt{Email: "orga@isa.example", Password: "falsch"}); !problem.Is(err, problem.Unauthorized) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// Even the right password waits now: a guesser cannot tell.
	_, err := s.Authenticate(ctx, account.Attempt{Email: "orga@isa.example", Password: "richtiges-passwort"})
	var throttled account.ErrThrottled
	if !problem.Is(err, problem.TooMany) || !asThrottled(err, &throttled) || throttled.Wait <= 0 || throttled.Wait > 2*time.Second {
		t.Fatalf("after 5 failures: %v", err)
	}
	if err := db.Exec("UPDATE login_throttles SET last_failed_at = ?", time.Now().Add(-3*time.Second).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "orga@isa.example", Password: "richtiges-passwort"}); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	if _, err := s.Authenticate(ctx, account.Attempt{Email: "orga@isa.example", Password: "falsch"}); !problem.Is(err, problem.Unauthorized) {
		t.Fatalf("counter not reset by success: %v", err)
	}
	if got := account.Throttle(40); got != 15*time.Minute {
		t.Errorf("throttle cap: %s", got)
	}
}

func asThrottled(err error, target *account.ErrThrottled) bool {
	pe, ok := problem.As(err)
	if !ok {
		return false
	}
	t, ok := pe.Err.(account.ErrThrottled)
	*target = t
	return ok
}

func TestRolesHostsAndCoordinators(t *testing.T) {
	s, db := newStoreDB(t)
	ctx := context.Background()
	if err := db.Exec("INSERT INTO municipalities (name, kind, created_at, updated_at) VALUES ('Stadt Ahlen','stadt',?,?)", time.Now(), time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO events (kind, days, capacity, status, created_at, updated_at) VALUES ('other','2027-01-01',10,'published',?,?)", time.Now(), time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	ahlen := int64(1)
	coord, err := s.Create(ctx, account.NewUser{Email: "k@ahlen.example", Password: "passwort-lang", Role: account.Coordinator, MunicipalityID: &ahlen})
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Coordinators(ctx, ahlen); len(list) != 1 || list[0].ID != coord.ID {
		t.Fatalf("coordinators: %v", list)
	}
	if err := s.SetHost(ctx, coord.ID, 1, true, audit.System); !problem.Is(err, problem.Conflict) {
		t.Fatalf("coordinator made host: %v", err)
	}
	session, _ := s.CreateSession(ctx, coord.ID, time.Hour)
	host, err := s.SetRole(ctx, coord.ID, account.Host, nil, audit.System)
	if err != nil || host.MunicipalityID != nil {
		t.Fatalf("set role: %+v %v", host, err)
	}
	if _, err := s.SessionUser(ctx, session); err == nil {
		t.Fatal("session kept after role change")
	}
	if err := s.SetHost(ctx, host.ID, 1, true, audit.System); err != nil {
		t.Fatal(err)
	}
	if err := s.SetHost(ctx, host.ID, 1, true, audit.System); err != nil {
		t.Fatalf("assigning twice: %v", err)
	}
	if ok, _ := s.IsHost(ctx, host.ID, 1); !ok {
		t.Fatal("not host after assignment")
	}
	if ids, _ := s.HostedEvents(ctx, host.ID); len(ids) != 1 {
		t.Fatalf("hosted: %v", ids)
	}
	if err := s.SetHost(ctx, host.ID, 1, false, audit.System); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsHost(ctx, host.ID, 1); ok {
		t.Fatal("still host after removal")
	}
}
