package main

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// TestCheckBackupRestoreCommands runs check, backup and restore as an
// operator would on an SQLite installation.
func TestCheckBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"TREFFEN_ADDR":         freeAddr(t),
		"TREFFEN_DATABASE_URL": "sqlite:" + filepath.Join(dir, "data", "treffen.db"),
		"TREFFEN_BASE_URL":     "https://treffen.isa.example",
		"TREFFEN_UPLOAD_DIR":   filepath.Join(dir, "data", "uploads"),
	}
	getenv := func(k string) string { return vars[k] }
	ctx := context.Background()
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, getenv, &out, io.Discard)
		return out.String(), err
	}

	out, err := cmd("check")
	if err != nil {
		t.Fatalf("check before the first start: %v\n%s", err, out)
	}
	for _, want := range []string{"ok    Konfiguration", "ok    Öffentliche URL", "warn  Datenverzeichnis", "warn  Upload-Verzeichnis", "warn  Datenbank", "warn  Mailserver", "Alle Prüfungen bestanden (4 Warnung(en))"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if _, err := cmd("demo"); err != nil {
		t.Fatal(err)
	}
	out, err = cmd("check")
	if err != nil || !strings.Contains(out, "ok    Datenbank") || !strings.Contains(out, "Migrationen aktuell") || !strings.Contains(out, "ok    Upload-Verzeichnis") {
		t.Errorf("check after migration: %v\n%s", err, out)
	}

	backupFile := filepath.Join(dir, "sicherung.db")
	if out, err := cmd("backup", "--to", backupFile); err != nil || !strings.Contains(out, "integrity_check ok") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := cmd("backup", "--to", backupFile); err == nil {
		t.Error("backup overwrote a file without --force")
	}
	if _, err := cmd("restore", "--from", backupFile); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database without --force: %v", err)
	}
	out, err = cmd("restore", "--from", backupFile, "--force")
	if err != nil || !strings.Contains(out, "Bisheriger Stand gesichert als") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	// Into a fresh installation.
	vars["TREFFEN_DATABASE_URL"] = "sqlite:" + filepath.Join(dir, "neu", "treffen.db")
	if out, err := cmd("restore", "--from", backupFile); err != nil {
		t.Fatalf("restore into a new file: %v\n%s", err, out)
	}
	if out, err := cmd("check"); err != nil || !strings.Contains(out, "ok    Datenbank") {
		t.Errorf("check of the restored database: %v\n%s", err, out)
	}

	// Problems: every one reported, exit status 1.
	vars["TREFFEN_LOG_FORMAT"] = "xml"
	vars["TREFFEN_SMTP_URL"] = "smtp://127.0.0.1:1?timeout=1s"
	out, err = cmd("check")
	if err == nil || !strings.Contains(err.Error(), "2 von 6 Prüfungen fehlgeschlagen") {
		t.Errorf("failing check: %v\n%s", err, out)
	}
	if !strings.Contains(out, "FAIL  Konfiguration") || !strings.Contains(out, "log_format") || !strings.Contains(out, "FAIL  Mailserver") {
		t.Errorf("check output:\n%s", out)
	}
}

func TestPostgresBackupNamesTheCommand(t *testing.T) {
	vars := map[string]string{
		"TREFFEN_DATABASE_URL": "postgres://treffen:geheim@db.invalid:5432/treffen",
	}
	t.Setenv("PATH", t.TempDir()) // no pg_dump
	var out bytes.Buffer
	err := run(context.Background(), []string{"backup", "--to", filepath.Join(t.TempDir(), "t.dump")}, func(k string) string { return vars[k] }, &out, io.Discard)
	if err == nil {
		t.Fatal("backup without pg_dump succeeded")
	}
	if !strings.Contains(out.String(), "PGPASSWORD=*** pg_dump --format=custom") || strings.Contains(out.String(), "geheim") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestPostgresBackupAndRestoreCommands: backup with pg_dump, restore into
// another database with pg_restore, check finds it current.
func TestPostgresBackupAndRestoreCommands(t *testing.T) {
	if storetest.Dialect() != "postgres" {
		t.Skipf("PostgreSQL only: %s is not set", storetest.EnvURL)
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	vars := map[string]string{"TREFFEN_ADDR": freeAddr(t), "TREFFEN_DATABASE_URL": storetest.URL(t), "TREFFEN_UPLOAD_DIR": filepath.Join(t.TempDir(), "uploads")}
	getenv := func(k string) string { return vars[k] }
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, getenv, &out, io.Discard)
		return out.String(), err
	}
	if out, err := cmd("demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	dump := filepath.Join(t.TempDir(), "treffen.dump")
	if out, err := cmd("backup", "--to", dump); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	vars["TREFFEN_DATABASE_URL"] = storetest.URL(t)
	if _, err := cmd("restore", "--from", dump); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Errorf("restore without --force: %v", err)
	}
	if out, err := cmd("restore", "--from", dump, "--force"); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	out, err := cmd("check")
	if err != nil || !regexp.MustCompile(`ok +Datenbank +PostgreSQL erreichbar, Migrationen aktuell`).MatchString(out) {
		t.Errorf("check after restore: %v\n%s", err, out)
	}
}
