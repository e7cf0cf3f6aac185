// Package storetest gives each test a fresh, migrated database: an SQLite
// file in the test's temp directory, or, when TREFFEN_TEST_DATABASE_URL
// names a PostgreSQL server, a new database on it that is dropped after
// the test.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/store"
)

// EnvURL names the variable that selects PostgreSQL for tests.
const EnvURL = "TREFFEN_TEST_DATABASE_URL"

// Open returns a fresh migrated database for t.
func Open(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := URL(t)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// URL returns the address of a fresh, empty database for t (an SQLite
// file in its temp directory or a new PostgreSQL database dropped after
// the test), for tests that open it themselves.
func URL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvURL)
	if dsn == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	return freshPostgres(t, dsn)
}

// Dialect returns "postgres" when tests run against PostgreSQL, else "sqlite".
func Dialect() string {
	if os.Getenv(EnvURL) != "" {
		return "postgres"
	}
	return "sqlite"
}

func freshPostgres(t testing.TB, serverURL string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := store.Open(ctx, serverURL)
	if err != nil {
		t.Fatalf("connect to PostgreSQL for tests: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "treffen_test_" + hex.EncodeToString(b)
	if err := admin.Gorm.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := store.Open(context.Background(), serverURL)
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if err := admin.Gorm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Describe names the database for test logs.
func Describe() string {
	if d := os.Getenv(EnvURL); d != "" {
		return fmt.Sprintf("postgres (%s)", strings.SplitN(d, "@", 2)[len(strings.SplitN(d, "@", 2))-1])
	}
	return "sqlite"
}
