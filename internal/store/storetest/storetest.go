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
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/store"
)

// EnvURL names the variable that selects PostgreSQL for tests.
const EnvURL = "TREFFEN_TEST_DATABASE_URL"

// Open returns a fresh migrated database for t. Migrating for every
// test took most of a test's time, so each is a copy of one database
// migrated per schema (migrations.Fingerprint): an SQLite file copied, or
// a PostgreSQL database created from a template database, or emptied
// after an earlier test of the process (pool.go).
func Open(t testing.TB) *store.DB {
	t.Helper()
	var url string
	if dsn := os.Getenv(EnvURL); dsn != "" {
		url = pooledPostgres(t, dsn)
		if _, bench := t.(*testing.B); !bench {
			// A test's database need not survive a crash of the server:
			// commits do not wait for the disk. Benchmarks keep the
			// server's setting, their figures are a production's.
			url = withParam(url, "synchronous_commit", "off")
		}
	} else {
		url = sqliteCopy(t)
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// URL returns the address of a fresh, empty database for t, for tests
// that hand it to a process of their own: an SQLite file in t's temp
// directory or a new database on the PostgreSQL server, dropped after t.
func URL(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvURL); dsn != "" {
		return freshPostgres(t, dsn)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// Dialect returns "postgres" when tests run against PostgreSQL, else "sqlite".
func Dialect() string {
	if os.Getenv(EnvURL) != "" {
		return "postgres"
	}
	return "sqlite"
}

// freshPostgres creates an empty database on the server and drops it
// after t.
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
	return databaseURL(serverURL, name)
}

// Describe names the database for test logs.
func Describe() string {
	if d := os.Getenv(EnvURL); d != "" {
		return fmt.Sprintf("postgres (%s)", strings.SplitN(d, "@", 2)[len(strings.SplitN(d, "@", 2))-1])
	}
	return "sqlite"
}
