// Package store opens the database (PostgreSQL or an embedded SQLite
// file), applies the migrations and reports readiness.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3/gormlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/isa-nrw/treffen/migrations"
)

// DefaultSQLitePath is used when no database URL is configured.
const DefaultSQLitePath = "./data/treffen.db"

// DB is an open database with its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect migrations.Dialect
}

// Open connects to url: "postgres://…" or "postgresql://…" for PostgreSQL,
// "sqlite:PATH" or "" for an embedded SQLite file (created if missing).
func Open(ctx context.Context, url string) (*DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		TranslateError: true,
	}
	var (
		g       *gorm.DB
		err     error
		dialect migrations.Dialect
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		dialect = migrations.Postgres
		g, err = gorm.Open(postgres.Open(url), cfg)
	case url == "" || strings.HasPrefix(url, "sqlite:"):
		dialect = migrations.SQLite
		path := strings.TrimPrefix(url, "sqlite:")
		if path == "" {
			path = DefaultSQLitePath
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		g, err = gorm.Open(gormlite.Open(sqliteDSN(path)), cfg)
	default:
		return nil, fmt.Errorf("database URL %q: use postgres://… or sqlite:PATH", redact(url))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if dialect == migrations.SQLite {
		// One writer at a time is SQLite's nature; a small pool keeps
		// readers concurrent (WAL) without piling up busy writers.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(40)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return &DB{Gorm: g, SQL: sqlDB, Dialect: dialect}, nil
}

// sqliteDSN adds the pragmas the service relies on: foreign keys, WAL,
// a busy timeout, and immediate transactions so concurrent writers queue
// instead of failing with "database is locked" on lock upgrade.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(wal)&_pragma=busy_timeout(10000)&_pragma=synchronous(normal)&_txlock=immediate"
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.SQL.Close() }

func (db *DB) provider() (*goose.Provider, error) {
	ms, err := migrations.Goose(db.Dialect)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithGoMigrations(ms...), goose.WithDisableGlobalRegistry(true)}
	gooseDialect := goose.DialectSQLite3
	if db.IsPostgres() {
		gooseDialect = goose.DialectPostgres
		// Several instances may start at once on one database: an
		// advisory lock lets one migrate while the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gooseDialect, db.SQL, nil, opts...)
}

// Migrate applies all pending migrations and returns how many ran.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "duration", r.Duration)
	}
	return len(results), nil
}

// MigrateTo applies the pending migrations up to version: an upgrade test
// builds an old schema with it, fills it, then migrates the rest.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("apply migrations up to %d: %w", version, err)
	}
	return nil
}

// Ready returns nil when the database answers and no migration is pending.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	p, err := db.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("read migration state: %w", err)
	}
	if pending {
		return errors.New("migrations pending")
	}
	return nil
}

// IsPostgres reports the dialect.
func (db *DB) IsPostgres() bool { return db.Dialect == migrations.Postgres }

func redact(url string) string {
	if i := strings.Index(url, "@"); i > 0 {
		if j := strings.Index(url, "://"); j > 0 && j < i {
			return url[:j+3] + "***" + url[i:]
		}
	}
	return url
}

// MigrationState tells how far the schema is: the version the database is
// at, the newest version this program knows, and how many of its
// migrations are not applied yet.
type MigrationState struct {
	Current int64
	Latest  int64
	Pending int
}

// Migrations reads the migration state without changing anything.
func (db *DB) Migrations(ctx context.Context) (MigrationState, error) {
	var st MigrationState
	p, err := db.provider()
	if err != nil {
		return st, err
	}
	statuses, err := p.Status(ctx)
	if err != nil {
		return st, fmt.Errorf("read migration state: %w", err)
	}
	for _, s := range statuses {
		st.Latest = max(st.Latest, s.Source.Version)
		if s.State == goose.StatePending {
			st.Pending++
		}
	}
	if st.Current, err = p.GetDBVersion(ctx); err != nil {
		return st, fmt.Errorf("read schema version: %w", err)
	}
	return st, nil
}
