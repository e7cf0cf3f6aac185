package loadtest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/store"
)

// cluster is a private PostgreSQL server for one test, so restarting it
// disturbs no other test on the machine's shared server.
type cluster struct {
	t    *testing.T
	bin  string // directory of initdb and pg_ctl
	dir  string
	port int
	as   string // run the binaries as this user ("" = as ourselves)
}

// newCluster initialises and starts a cluster in a temporary directory
// on a free loopback port, or skips the test saying why it cannot.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: cannot start a private cluster to restart")
	}
	sort.Slice(bins, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(bins[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(bins[j]))))
		return vi < vj
	})
	c := &cluster{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "treffen-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root without a postgres user: cannot start a private PostgreSQL cluster")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.as = "postgres"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
	c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(dir, "log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", c.port, dir), "start")
	t.Cleanup(func() { c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop") })
	return c
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// URL is the cluster's postgres database.
func (c *cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", c.port)
}

func (c *cluster) run(name string, args ...string) {
	c.t.Helper()
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.as != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.as, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		c.t.Fatalf("%s %v: %v\n%s\nserver log:\n%s", name, args, err, out, log)
	}
}

// TestPostgresRestartDuringRegistrations restarts the database under a
// steady stream of registrations: clients get 503 (never 500) while it
// is down, their retries succeed, every acknowledged registration is
// stored exactly once, and the server recovers without a restart.
func TestPostgresRestartDuringRegistrations(t *testing.T) {
	pg := newCluster(t)
	ctx := context.Background()
	db, err := store.Open(ctx, pg.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	base := serve(t, db)
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: base, Email: organiser, Password: password,
		Municipalities: 40, PerMunicipality: 2, Concurrency: 8, Rate: 40, Duration: 6 * time.Second, MaxWait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	// /readyz is watched throughout; the restart comes 1.5 s into the run.
	var (
		mu        sync.Mutex
		readiness []int
		stop      = make(chan struct{})
		watched   = make(chan struct{})
	)
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			resp, err := http.Get(base + "/readyz")
			if err != nil {
				continue
			}
			resp.Body.Close()
			mu.Lock()
			if len(readiness) == 0 || readiness[len(readiness)-1] != resp.StatusCode {
				readiness = append(readiness, resp.StatusCode)
			}
			mu.Unlock()
		}
	}()
	restarted := make(chan time.Duration, 1)
	var formStatus int
	var formPage string
	go func() {
		time.Sleep(1500 * time.Millisecond)
		t0 := time.Now()
		pg.run("pg_ctl", "-D", pg.data(), "-m", "fast", "-w", "stop")
		// A person sends the registration form while the database is down.
		form := url.Values{"first_name": {"Jürgen"}, "last_name": {"Weiß"}, "email": {"jw@ahlen.example"}, "privacy_consent": {"1"}}
		if resp, err := http.PostForm(fmt.Sprintf("%s/events/%d/register", base, r.EventID()), form); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			formStatus, formPage = resp.StatusCode, string(b)
		}
		time.Sleep(time.Second) // down long enough for clients to notice
		pg.run("pg_ctl", "-D", pg.data(), "-l", filepath.Join(pg.dir, "log"), "-w", "-o",
			fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", pg.port, pg.dir), "start")
		restarted <- time.Since(t0)
	}()
	run := r.Sustained(ctx)
	downtime := <-restarted
	after := r.Burst(ctx) // 80 more, after the restart, without the server restarted
	close(stop)
	<-watched
	t.Logf("PostgreSQL down and up again in %s", downtime.Round(time.Millisecond))
	t.Logf("during the restart: %s", run)
	t.Logf("after the restart: %s", after)

	if formStatus != http.StatusServiceUnavailable {
		t.Errorf("form sent during the outage: status %d", formStatus)
	}
	for _, want := range []string{"vorübergehend nicht erreichbar", `name="first_name" value="Jürgen"`, `name="last_name" value="Weiß"`, "Noch einmal senden"} {
		if !strings.Contains(formPage, want) {
			t.Errorf("page for the form sent during the outage lacks %s", want)
		}
	}
	if run.Outages["503"] == 0 {
		t.Errorf("no client saw a 503 during the restart: %v", run.Outages)
	}
	if run.Failed != 0 || after.Failed != 0 {
		t.Errorf("failed registrations (a 500 counts here): %v, %v", run.Errors, after.Errors)
	}
	if after.Created != after.Attempted || after.Retries != 0 {
		t.Errorf("after the restart: %d of %d created, %d retries; the server did not recover", after.Created, after.Attempted, after.Retries)
	}
	mu.Lock()
	t.Logf("/readyz answered in turn: %v", readiness)
	sawDown := false
	for _, s := range readiness {
		sawDown = sawDown || s == http.StatusServiceUnavailable
	}
	if !sawDown || readiness[len(readiness)-1] != http.StatusOK {
		t.Errorf("/readyz answered %v; want 503 during the outage and 200 at the end", readiness)
	}
	mu.Unlock()
	v, err := r.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(v)
	if !v.OK() {
		t.Error(v.Problems)
	}
	if v.Acknowledged != run.Attempted+after.Attempted || v.Registrations != v.Acknowledged {
		t.Errorf("%d attempted, %d acknowledged, %d stored", run.Attempted+after.Attempted, v.Acknowledged, v.Registrations)
	}
}
