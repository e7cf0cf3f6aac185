package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer collects the server's log from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeOnEmbeddedDefault runs the command as a user would: no
// database server, demo data on, then SIGTERM (context cancel).
func TestServeOnEmbeddedDefault(t *testing.T) {
	addr := freeAddr(t)
	vars := map[string]string{
		"TREFFEN_ADDR":           addr,
		"TREFFEN_DATABASE_URL":   "sqlite:" + filepath.Join(t.TempDir(), "treffen.db"),
		"TREFFEN_UPLOAD_DIR":     filepath.Join(t.TempDir(), "uploads"),
		"TREFFEN_ADMIN_EMAIL":    "orga@isa.example",
		"TREFFEN_ADMIN_PASSWORD": "ein-langes-passwort",
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo"}, func(k string) string { return vars[k] }, io.Discard, logs)
	}()

	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for path, want := range map[string]string{
		"/healthz":       `"ok"`,
		"/":              "25. Lernnetzwerktreffen",
		"/archiv":        "Wir wollen die Prävention stärken!",
		"/metrics":       "treffen_http_requests_total",
		"/api/v1/events": `"total"`,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, want body with %q", path, resp.StatusCode, want)
		}
	}
	if err := run(context.Background(), []string{"health"}, func(k string) string { return vars[k] }, io.Discard, io.Discard); err != nil {
		t.Errorf("health: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	out := logs.String()
	for _, want := range []string{"first organiser created", "Demodaten geladen", "admin_password=***", "stopped",
		`demo account" email=koordination@stadt-koeln.example role=coordinator`, `demo account" email=gastgeber@guerzenich.example role=host`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if strings.Contains(out, "ein-langes-passwort") {
		t.Error("admin password printed in the log")
	}
}

func TestUnknownCommand(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "treffen serve") {
		t.Fatalf("err %v, usage %q", err, stderr.String())
	}
}

func TestUsersAddAndList(t *testing.T) {
	vars := map[string]string{
		"TREFFEN_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "treffen.db"),
		"TREFFEN_UPLOAD_DIR":   filepath.Join(t.TempDir(), "uploads"),
		"TREFFEN_NEW_PASSWORD": "koordination-2027",
	}
	getenv := func(k string) string { return vars[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"users", "add", "--email", "host@herne.example", "--role", "host", "--name", "Gastgeber Herne"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"users", "add", "--email", "host@herne.example", "--role", "host"}, getenv, &out, io.Discard); err == nil {
		t.Fatal("second account with the same email accepted")
	}
	if err := run(context.Background(), []string{"users", "add", "--email", "x@y.example", "--role", "chef"}, getenv, &out, io.Discard); err == nil {
		t.Fatal("unknown role accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"users", "list"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "host@herne.example\thost\tGastgeber Herne") {
		t.Fatalf("list: %q", out.String())
	}
}

func TestPrivacyAnonymiseCommand(t *testing.T) {
	vars := map[string]string{"TREFFEN_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "treffen.db")}
	getenv := func(k string) string { return vars[k] }
	ctx := context.Background()
	if err := run(ctx, []string{"demo"}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var dry bytes.Buffer
	if err := run(ctx, []string{"privacy", "anonymise", "--dry-run"}, getenv, &dry, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dry.String(), "Probelauf") {
		t.Fatalf("dry run reports nothing due: %s", dry.String())
	}
	var done bytes.Buffer
	if err := run(ctx, []string{"privacy", "anonymise"}, getenv, &done, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Count(done.String(), "anonymisiert\n") != strings.Count(dry.String(), "Probelauf") {
		t.Errorf("the run did other meetings than the dry run:\n%s\n%s", dry.String(), done.String())
	}
	var again bytes.Buffer
	if err := run(ctx, []string{"privacy", "anonymise"}, getenv, &again, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(again.String(), "keine Veranstaltung fällig") {
		t.Errorf("second run: %s", again.String())
	}
	if err := run(ctx, []string{"privacy", "vergessen"}, getenv, io.Discard, io.Discard); err == nil {
		t.Error("unknown privacy subcommand accepted")
	}
}

// TestProfilesOnlyOnTheDebugAddress runs serve with TREFFEN_DEBUG_ADDR:
// the profiles answer there and not on the public address; without the
// setting the listener does not exist.
func TestProfilesOnlyOnTheDebugAddress(t *testing.T) {
	addr, debug := freeAddr(t), freeAddr(t)
	vars := map[string]string{
		"TREFFEN_ADDR":         addr,
		"TREFFEN_DEBUG_ADDR":   debug,
		"TREFFEN_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "treffen.db"),
		"TREFFEN_UPLOAD_DIR":   filepath.Join(t.TempDir(), "uploads"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, io.Discard, io.Discard)
	}()
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := get("http://" + addr + "/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("not ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, body := get("http://" + debug + "/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("debug address: %d %.200s", code, body)
	}
	if code, body := get("http://" + addr + "/debug/pprof/"); code == http.StatusOK || strings.Contains(body, "goroutine?debug") {
		t.Errorf("public address serves profiles: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if code, _ := get("http://" + debug + "/debug/pprof/"); code != 0 {
		t.Errorf("profiles still served after shutdown: %d", code)
	}

	// Off by default: nothing listens.
	if got, err := startDebug(context.Background(), "", nil); got != "" || err != nil {
		t.Errorf("startDebug without an address: %q, %v", got, err)
	}
}
