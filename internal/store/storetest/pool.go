package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver gorm's postgres dialect uses
)

// pgPool hands out migrated PostgreSQL databases. Creating one from the
// template and dropping it took half a second on a busy server; emptying
// a used one takes a tenth of that, so a test's database is emptied
// after it and given to the next test of the same process. Databases of
// processes that are gone are dropped when the next process starts.
type pgPool struct {
	serverURL string
	admin     *sql.DB // the server's maintenance database
	template  string
	prefix    string // treffen_t_<machine>_<process>_

	mu    sync.Mutex
	free  []string
	reset string // the statements that empty a database, read from the first one
}

var pools struct {
	mu    sync.Mutex
	byURL map[string]*pgPool
}

// pooledPostgres returns the URL of an empty migrated database for t.
func pooledPostgres(t testing.TB, serverURL string) string {
	t.Helper()
	p := poolFor(t, serverURL)
	name, err := p.take()
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	t.Cleanup(func() { p.give(t, name) })
	return databaseURL(serverURL, name)
}

func poolFor(t testing.TB, serverURL string) *pgPool {
	t.Helper()
	pools.mu.Lock()
	defer pools.mu.Unlock()
	if p, ok := pools.byURL[serverURL]; ok {
		return p
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Fatalf("connect to PostgreSQL for tests: %v", err)
	}
	admin.SetMaxIdleConns(2)
	host, _ := os.Hostname()
	machine := sha256.Sum256([]byte(host))
	p := &pgPool{serverURL: serverURL, admin: admin, template: postgresTemplate(t, serverURL),
		prefix: fmt.Sprintf("treffen_t_%s_%d_", hex.EncodeToString(machine[:3]), os.Getpid())}
	p.dropOrphans()
	if pools.byURL == nil {
		pools.byURL = map[string]*pgPool{}
	}
	pools.byURL[serverURL] = p
	return p
}

func (p *pgPool) take() (string, error) {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		name := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return name, nil
	}
	p.mu.Unlock()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := p.prefix + hex.EncodeToString(b)
	if _, err := p.admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + p.template); err != nil {
		return "", fmt.Errorf("create %s: %w", name, err)
	}
	return name, nil
}

// give empties the database after its test and keeps it for the next;
// a database that cannot be emptied is dropped.
func (p *pgPool) give(t testing.TB, name string) {
	if err := p.empty(name); err != nil {
		t.Logf("test database %s dropped, not reused: %v", name, err)
		if _, err := p.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		return
	}
	p.mu.Lock()
	p.free = append(p.free, name)
	p.mu.Unlock()
}

// empty deletes every row but the migrations' and restarts every
// sequence, as in a database fresh from the template (which holds no
// rows but goose's).
func (p *pgPool) empty(name string) error {
	db, err := sql.Open("pgx", databaseURL(p.serverURL, name))
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p.mu.Lock()
	reset := p.reset
	p.mu.Unlock()
	if reset == "" {
		if reset, err = resetStatements(ctx, db); err != nil {
			return err
		}
		p.mu.Lock()
		p.reset = reset
		p.mu.Unlock()
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	// Foreign keys are not checked while rows of all tables go.
	if _, err := tx.ExecContext(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, reset); err != nil {
		return err
	}
	return tx.Commit()
}

func resetStatements(ctx context.Context, db *sql.DB) (string, error) {
	var reset string
	err := db.QueryRowContext(ctx, `SELECT
		coalesce((SELECT string_agg('DELETE FROM ' || quote_ident(tablename), '; ') FROM pg_tables
			WHERE schemaname = 'public' AND tablename <> 'goose_db_version'), '') || '; ' ||
		coalesce((SELECT string_agg('SELECT setval(' || quote_literal(quote_ident(sequencename)) || ', 1, false)', '; ') FROM pg_sequences
			WHERE schemaname = 'public' AND sequencename NOT LIKE 'goose%'), '')`).Scan(&reset)
	if err != nil {
		return "", fmt.Errorf("read the tables to empty: %w", err)
	}
	return reset, nil
}

// dropOrphans drops the databases that test processes of this machine
// left behind when they ended.
func (p *pgPool) dropOrphans() {
	machine := p.prefix[:len("treffen_t_")+7]
	for _, name := range databaseNames(context.Background(), p.admin, machine+"%") {
		parts := strings.Split(strings.TrimPrefix(name, machine), "_")
		pid, err := strconv.Atoi(parts[0])
		if err != nil || !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			continue // its process still runs
		}
		_, _ = p.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

func databaseURL(serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		return serverURL
	}
	u.Path = "/" + name
	return u.String()
}

// withParam adds a connection parameter to a database URL.
func withParam(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}
