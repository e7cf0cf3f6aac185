package loadtest_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/smtptest"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// TestTwoInstancesOnOneDatabase builds the binary and starts two
// `treffen serve` processes at the same moment on one fresh PostgreSQL
// database, each with its own connection pool and its own mail worker
// delivering to an SMTP server of its own. Bursts for a full meeting
// (capacity and quota reached, a waiting list) go to one instance and,
// in interleaved rounds, spread over both. Whatever instance took a
// registration: no meeting is overbooked, no municipality exceeds its
// quota, every registration has exactly one mail in the outbox of the
// right kind and got exactly one delivered, and both workers delivered.
// The rates are reported, not asserted.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	if storetest.Dialect() != "postgres" {
		t.Skip("several instances share a PostgreSQL database; an SQLite file belongs to one machine (set " + storetest.EnvURL + " to run this test)")
	}
	if testing.Short() {
		t.Skip("-short: skipping the test that builds the binary and runs two instances")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "treffen")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/isa-nrw/treffen/cmd/treffen").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := storetest.URL(t)
	const admin, password = "orga@isa.example", "sehr-geheimes-passwort"
	var instances []*instance
	for i := range 2 {
		box := smtptest.Start(t)
		inst := &instance{t: t, name: fmt.Sprintf("instance %c", 'A'+i), box: box}
		inst.addr = freeAddr(t)
		logFile, err := os.Create(filepath.Join(dir, fmt.Sprintf("treffen-%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = logFile.Close() })
		inst.log = logFile
		inst.cmd = exec.Command(bin, "serve")
		inst.cmd.Env = append(os.Environ(), "TREFFEN_ADDR="+inst.addr, "TREFFEN_DATABASE_URL="+dbURL, "TREFFEN_SMTP_URL=smtp://"+box.Addr,
			"TREFFEN_ADMIN_EMAIL="+admin, "TREFFEN_ADMIN_PASSWORD="+password, "TREFFEN_RATE_LIMIT_REGISTER=0", "TREFFEN_MAIL_RATE=0",
			"TREFFEN_MAIL_POLL_INTERVAL=200ms", "TREFFEN_MAIL_CONNECTIONS=2", "TREFFEN_LOG_LEVEL=warn", "TREFFEN_CONFIG=",
			"TREFFEN_UPLOAD_DIR="+filepath.Join(dir, fmt.Sprintf("uploads-%d", i)))
		inst.cmd.Stdout, inst.cmd.Stderr = logFile, logFile
		instances = append(instances, inst)
	}
	// Both at once: one migrates and creates the organiser, the other
	// waits for the migration lock and finds the organiser there.
	for _, inst := range instances {
		if err := inst.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(inst.stop)
	}
	for _, inst := range instances {
		inst.waitReady()
	}

	ctx := context.Background()
	a, b := instances[0].base(), instances[1].base()
	const rounds = 2
	var runners []*loadtest.Runner
	var one, two []loadtest.Phase
	for round := range rounds {
		for _, spread := range [][]string{nil, {b}} {
			r, err := loadtest.New(ctx, loadtest.Options{BaseURL: a, Spread: spread, Email: admin, Password: password,
				Municipalities: 40, PerMunicipality: 6, Capacity: 180, Quota: 5, Concurrency: 16, MaxWait: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			p := r.Burst(ctx)
			t.Logf("round %d, %d instance(s): %s", round+1, len(spread)+1, p)
			if p.Failed != 0 {
				t.Errorf("failed registrations: %v", p.Errors)
			}
			if spread == nil {
				one = append(one, p)
			} else {
				two = append(two, p)
			}
			runners = append(runners, r)
		}
	}

	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mails := outbox.NewStore(db.Gorm)
	regs := registration.NewStore(db.Gorm, nil)
	deadline := time.Now().Add(2 * time.Minute)
	for _, r := range runners {
		for {
			counts, err := mails.CountByStatus(ctx, r.EventID())
			if err != nil {
				t.Fatal(err)
			}
			if counts[outbox.Pending] == 0 && counts[outbox.Sending] == 0 {
				if counts[outbox.Failed] != 0 {
					t.Errorf("meeting %d: failed mails: %v", r.EventID(), counts)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("outbox of meeting %d not drained after two minutes: %v", r.EventID(), counts)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	delivered := map[string]map[string]bool{} // recipient → Message-IDs
	deliveries := 0
	for _, inst := range instances {
		got := inst.box.All()
		t.Logf("%s's worker delivered %d mails", inst.name, len(got))
		if len(got) == 0 {
			t.Errorf("%s's worker delivered nothing", inst.name)
		}
		deliveries += len(got)
		for _, d := range got {
			if delivered[d.To] == nil {
				delivered[d.To] = map[string]bool{}
			}
			delivered[d.To][d.MessageID] = true
		}
	}
	total := 0
	for _, r := range runners {
		v, err := r.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !v.OK() {
			t.Errorf("meeting %d: %v", r.EventID(), v.Problems)
		}
		if v.Confirmed != 180 || v.Waitlisted != 60 {
			t.Errorf("meeting %d: %d confirmed, %d waiting; want 180 and 60", r.EventID(), v.Confirmed, v.Waitlisted)
		}
		list, err := regs.List(ctx, r.EventID(), registration.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		queued, err := mails.List(ctx, outbox.Filter{EventID: r.EventID()})
		if err != nil {
			t.Fatal(err)
		}
		byRegistration := map[int64][]outbox.Message{}
		for _, m := range queued {
			byRegistration[*m.RegistrationID] = append(byRegistration[*m.RegistrationID], m)
		}
		for _, reg := range list {
			total++
			want := outbox.Confirmation
			if reg.Status == registration.Waitlisted {
				want = outbox.Waitlisted
			}
			ms := byRegistration[reg.ID]
			if len(ms) != 1 || ms[0].Kind != want || ms[0].Status != outbox.Sent {
				t.Errorf("%s (%s): %d outbox rows %v, want one %s, sent", reg.Email, reg.Status, len(ms), ms, want)
				continue
			}
			if ids := delivered[strings.ToLower(reg.Email)]; len(ids) != 1 || !ids[ms[0].MessageID] {
				t.Errorf("%s received %d distinct mails %v, want exactly its %s", reg.Email, len(ids), ids, ms[0].MessageID)
			}
		}
	}
	if deliveries != total {
		t.Errorf("%d deliveries for %d registrations", deliveries, total)
	}
	rate := func(ps []loadtest.Phase) float64 {
		n, d := 0, time.Duration(0)
		for _, p := range ps {
			n += p.Created + p.AlreadyRegistered
			d += p.Elapsed
		}
		return float64(n) / d.Seconds()
	}
	t.Logf("%s, 16 clients, one full meeting per burst: one instance %.1f registrations/s, two instances %.1f/s, ratio %.2f (%d registrations, %d mails delivered)",
		storetest.Describe(), rate(one), rate(two), rate(two)/rate(one), total, deliveries)
}

// instance is one `treffen serve` process of the test.
type instance struct {
	t    *testing.T
	name string
	addr string
	cmd  *exec.Cmd
	log  *os.File
	box  *smtptest.Mailbox
}

func (i *instance) base() string { return "http://" + i.addr }

func (i *instance) waitReady() {
	i.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(i.base() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	out, _ := os.ReadFile(i.log.Name())
	i.t.Fatalf("%s did not become ready:\n%s", i.name, out)
}

func (i *instance) stop() {
	if i.cmd.Process == nil {
		return
	}
	_ = i.cmd.Process.Signal(syscall.SIGTERM)
	_ = i.cmd.Wait()
	if i.t.Failed() {
		out, _ := os.ReadFile(i.log.Name())
		i.t.Logf("log of %s:\n%s", i.name, out)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
