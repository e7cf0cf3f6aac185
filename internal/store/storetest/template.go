package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/migrations"
)

// templates are built once per test process; the migrated SQLite file and
// the PostgreSQL template are also kept between processes and runs, under
// the schema's fingerprint.
var templates struct {
	sqliteOnce sync.Once
	sqlite     []byte
	sqliteErr  error

	postgresMu sync.Mutex
	postgres   map[string]string // server URL → template database
}

// sqliteCopy writes a copy of the migrated SQLite file into t's temp
// directory and returns its URL.
func sqliteCopy(t testing.TB) string {
	t.Helper()
	templates.sqliteOnce.Do(func() {
		templates.sqlite, templates.sqliteErr = sqliteTemplate()
	})
	if templates.sqliteErr != nil {
		t.Fatalf("migrated SQLite template: %v", templates.sqliteErr)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, templates.sqlite, 0o600); err != nil {
		t.Fatalf("copy SQLite template: %v", err)
	}
	return "sqlite:" + path
}

// sqliteTemplate returns the bytes of a migrated SQLite file, built in
// the system's temp directory when no process has built it yet. The file
// is written under a name of its own and renamed into place, so a process
// never reads a half-built one.
func sqliteTemplate() ([]byte, error) {
	final := filepath.Join(os.TempDir(), "treffen-test-schema-"+migrations.Fingerprint()+".db")
	if data, err := os.ReadFile(final); err == nil {
		return data, nil
	}
	dir, err := os.MkdirTemp("", "treffen-test-schema-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	building := filepath.Join(dir, "schema.db")
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+building)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		_ = db.Close()
		return nil, err
	}
	// One file, no write-ahead log beside it; each copy opens in WAL
	// mode again.
	if err := db.Gorm.Exec("PRAGMA journal_mode=DELETE").Error; err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(building)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(building, final); err != nil {
		return nil, err
	}
	return data, nil
}

// templatePrefix names the template databases on a PostgreSQL server:
// the schema's fingerprint and the day it was built, so templates of
// schemas no longer tested can be dropped after a while.
const templatePrefix = "treffen_template_"

// postgresTemplate returns the name of a migrated template database on
// the server, building it under an advisory lock when no test process
// has built it for this schema.
func postgresTemplate(t testing.TB, serverURL string) string {
	t.Helper()
	templates.postgresMu.Lock()
	defer templates.postgresMu.Unlock()
	if name, ok := templates.postgres[serverURL]; ok {
		return name
	}
	name, err := buildPostgresTemplate(serverURL)
	if err != nil {
		t.Fatalf("migrated PostgreSQL template: %v", err)
	}
	if templates.postgres == nil {
		templates.postgres = map[string]string{}
	}
	templates.postgres[serverURL] = name
	return name
}

func buildPostgresTemplate(serverURL string) (string, error) {
	ctx := context.Background()
	admin, err := store.Open(ctx, serverURL)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.SQL.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Test processes of several packages start at once.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext('treffen test template'))"); err != nil {
		return "", err
	}
	defer func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(hashtext('treffen test template'))")
	}()
	prefix := templatePrefix + migrations.Fingerprint() + "_"
	var existing string
	row := conn.QueryRowContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname DESC LIMIT 1", prefix+"%")
	if err := row.Scan(&existing); err == nil {
		return existing, nil
	}
	dropStaleTemplates(ctx, conn, prefix)

	b := make([]byte, 6)
	_, _ = rand.Read(b)
	building := "treffen_building_" + hex.EncodeToString(b)
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	if err := migrateDatabase(ctx, serverURL, building); err != nil {
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
		return "", err
	}
	name := prefix + time.Now().UTC().Format("20060102")
	// No connections: a database is copied only while nobody is in it.
	for _, stmt := range []string{
		"ALTER DATABASE " + building + " RENAME TO " + name,
		"ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false",
	} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return "", fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return name, nil
}

func migrateDatabase(ctx context.Context, serverURL, name string) error {
	u, err := url.Parse(serverURL)
	if err != nil {
		return err
	}
	u.Path = "/" + name
	db, err := store.Open(ctx, u.String())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx, slog.New(slog.DiscardHandler))
	return err
}

// dropStaleTemplates drops templates of other schemas built before
// yesterday (a test run of another revision may still use a newer one)
// and databases left half-built by a killed test process; the caller
// holds the lock under which templates are built.
func dropStaleTemplates(ctx context.Context, conn *sql.Conn, keep string) {
	names := databaseNames(ctx, conn, "treffen_template_%", "treffen_building_%")
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format("20060102")
	for _, name := range names {
		built := name[strings.LastIndex(name, "_")+1:]
		stale := strings.HasPrefix(name, "treffen_building_") ||
			(!strings.HasPrefix(name, keep) && built < yesterday)
		if stale {
			_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	}
}

// databaseNames lists the databases whose names are LIKE one of the
// patterns; none when the server cannot be asked.
func databaseNames(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, patterns ...string) []string {
	var names []string
	for _, pattern := range patterns {
		rows, err := q.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", pattern)
		if err != nil {
			return names
		}
		for rows.Next() {
			var name string
			if rows.Scan(&name) == nil {
				names = append(names, name)
			}
		}
		_ = rows.Close()
	}
	return names
}
