package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func TestLoadtestRefusesARemoteTarget(t *testing.T) {
	getenv := func(string) string { return "" }
	err := run(context.Background(), []string{"loadtest", "--url", "http://192.0.2.10:8080", "--email", "orga@isa.example"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("loadtest against a remote address: %v", err)
	}
	err = run(context.Background(), []string{"loadtest", "--url", "http://127.0.0.1:8080,http://192.0.2.10:8080", "--email", "orga@isa.example"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("loadtest with a remote second instance: %v", err)
	}
	err = run(context.Background(), []string{"loadtest", "--url", "http://127.0.0.1:1"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "needs an organiser") {
		t.Fatalf("loadtest without credentials: %v", err)
	}
}

// TestLoadtestReportsTheLimitRatio runs serve in-process on a test
// database, then `treffen loadtest --database-url` against it: the
// output has the burst, the limit of the same database and the ratio,
// and the checks pass.
func TestLoadtestReportsTheLimitRatio(t *testing.T) {
	addr := freeAddr(t)
	dbURL := storetest.URL(t)
	vars := map[string]string{
		"TREFFEN_ADDR":                addr,
		"TREFFEN_DATABASE_URL":        dbURL,
		"TREFFEN_UPLOAD_DIR":          filepath.Join(t.TempDir(), "uploads"),
		"TREFFEN_ADMIN_EMAIL":         "orga@isa.example",
		"TREFFEN_ADMIN_PASSWORD":      "ein-langes-passwort",
		"TREFFEN_RATE_LIMIT_REGISTER": "0",
		"TREFFEN_MAIL_RATE":           "0",
	}
	getenv := func(k string) string { return vars[k] }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, getenv, io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"loadtest", "--database-url", dbURL, "--municipalities", "8", "--per-municipality", "5",
		"--capacity", "30", "--quota", "4", "--concurrency", "8", "--duration", "0"}, getenv, &out, io.Discard)
	t.Log(out.String())
	if err != nil {
		t.Fatalf("loadtest: %v", err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`burst: 40 registrations in \S+ = [0-9.]+/s`),
		regexp.MustCompile(`limit: the three statements of a registration straight on the database, 8 clients for \S+: [1-9][0-9]* transactions = [0-9.]+/s; p50 \S+, p99 \S+(; begun after \S+ waiting for the service.s mails)?\n`),
		regexp.MustCompile(`ratio to the limit: burst [0-9.]+ registrations/s over [0-9.]+ transactions/s = [0-9]+\.[0-9]{3}\n`),
		regexp.MustCompile(`verified: 40 registrations \(30 confirmed of capacity 30, quota 4; 10 waiting\).*no problems`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("output does not match %s", want)
		}
	}
}
