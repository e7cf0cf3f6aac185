package loadtest_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/web"
	"github.com/isa-nrw/treffen/internal/workinggroup"
	"github.com/isa-nrw/treffen/templates"
)

const (
	organiser = "orga@isa.example"
	password  = "sehr-geheimes-passwort"
)

// serve runs the service's handler on db at a loopback address, with
// the registration rate limit off as a load test needs, and an organiser.
func serve(t testing.TB, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	users := account.NewStore(db.Gorm).WithBcryptCost(bcrypt.MinCost)
	if _, err := users.Create(ctx, account.NewUser{Email: organiser, Password: password, Role: account.Organiser}); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.BaseURL = "http://treffen.test"
	cfg.RegisterLimit = 0
	cfg.MailRate = 0
	composer, err := mail.NewComposer(templates.FS, cfg.BaseURL, cfg.MailFrom, cfg.OrganiserName)
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(web.Deps{Config: cfg, Log: slog.New(slog.DiscardHandler), DB: db, Templates: templates.FS,
		Events: event.NewStore(db.Gorm), Municipalities: municipality.NewStore(db.Gorm), Registrations: registration.NewStore(db.Gorm, nil),
		Accounts: users, Outbox: outbox.NewStore(db.Gorm), Audit: audit.NewStore(db.Gorm), Mail: composer,
		WorkingGroups: workinggroup.NewStore(db.Gorm), Agenda: agenda.NewStore(db.Gorm), CheckIns: checkin.NewStore(db.Gorm)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestLoadTargetMustBeLoopback(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []string{"http://10.1.2.3:8080", "http://192.168.0.10", "https://[2001:db8::1]/", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if err := loadtest.CheckLoopback(ctx, bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	for _, good := range []string{"http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080/"} {
		if err := loadtest.CheckLoopback(ctx, good); err != nil {
			t.Errorf("%s refused: %v", good, err)
		}
	}
	if _, err := loadtest.New(ctx, loadtest.Options{BaseURL: "http://10.1.2.3:8080"}); err == nil {
		t.Error("New accepted a remote target")
	}
}

// TestBurstAndSustainedRun is the load test at a bounded size: the burst
// of 40 municipalities × 10 people (capacity 300, quota 8, so the
// waiting list fills) and a sustained run, then the consistency checks.
func TestBurstAndSustainedRun(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: serve(t, db), Email: organiser, Password: password,
		Concurrency: 16, Rate: 50, Duration: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	burst := r.Burst(ctx)
	t.Logf("%s, %s", storetest.Describe(), burst)
	if burst.Attempted != 400 || burst.Created != 400 || burst.Failed != 0 {
		t.Errorf("burst: %d attempted, %d created, %d failed %v", burst.Attempted, burst.Created, burst.Failed, burst.Errors)
	}
	if burst.Confirmed != 300 || burst.Waitlisted != 100 {
		t.Errorf("burst: %d confirmed, %d waiting; want the capacity of 300 and 100", burst.Confirmed, burst.Waitlisted)
	}
	sustained := r.Sustained(ctx)
	t.Logf("%s, %s", storetest.Describe(), sustained)
	if sustained.Failed != 0 || sustained.Attempted < 100 {
		t.Errorf("sustained: %d attempted, %d failed %v", sustained.Attempted, sustained.Failed, sustained.Errors)
	}
	v, err := r.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(v)
	if !v.OK() {
		t.Error(v.Problems)
	}
	if v.Registrations != burst.Attempted+sustained.Attempted || v.Acknowledged != v.Registrations {
		t.Errorf("%d registrations stored, %d acknowledged, %d attempted", v.Registrations, v.Acknowledged, burst.Attempted+sustained.Attempted)
	}
}
