package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
)

// SQLitePath returns the file of a sqlite: database URL ("" is the
// default file) and false for any other URL.
func SQLitePath(databaseURL string) (string, bool) {
	if databaseURL != "" && !strings.HasPrefix(databaseURL, "sqlite:") {
		return "", false
	}
	p := strings.TrimPrefix(databaseURL, "sqlite:")
	if p == "" {
		p = DefaultSQLitePath
	}
	return p, true
}

// rawConn is what the ncruces driver's connections offer beyond database/sql.
type rawConn interface{ Raw() *sqlite3.Conn }

// withRaw runs fn on one connection of pool with the SQLite handle.
func withRaw(ctx context.Context, pool *sql.DB, fn func(*sqlite3.Conn) error) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		rc, ok := dc.(rawConn)
		if !ok {
			return fmt.Errorf("SQLite driver connection %T gives no access to the backup API", dc)
		}
		return fn(rc.Raw())
	})
}

// fileURI is the URI SQLite opens path with; query adds parameters.
func fileURI(path, query string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: query}
	return u.String()
}

// BackupSQLite writes a consistent copy of the open SQLite database to dst
// with SQLite's online backup API while the service may keep writing.
// The copy is made in one step: a read transaction on the source (WAL
// readers never block writers) that sees one committed state. A step-wise
// copy would start over whenever another connection writes and could
// never finish under steady traffic. The copy is written to a temporary
// file next to dst, checked with integrity_check and then renamed, so dst
// is either the complete copy or untouched. An existing dst is refused
// unless overwrite is set.
func (db *DB) BackupSQLite(ctx context.Context, dst string, overwrite bool) error {
	if db.IsPostgres() {
		return errors.New("backup: the database is PostgreSQL; use pg_dump")
	}
	if _, err := os.Stat(dst); err == nil && !overwrite {
		return fmt.Errorf("backup: %s exists already", dst)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := fmt.Sprintf("%s.tmp-%d", dst, time.Now().UnixNano())
	defer func() { _ = os.Remove(tmp) }()
	if err := withRaw(ctx, db.SQL, func(c *sqlite3.Conn) error {
		return c.Backup("main", fileURI(tmp, ""))
	}); err != nil {
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	if _, err := VerifySQLite(ctx, tmp); err != nil {
		return fmt.Errorf("backup to %s: the copy is damaged: %w", dst, err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// VerifySQLite opens the SQLite file at path read-only, runs
// integrity_check and returns the schema version recorded in it (0 when
// it holds no migration table).
func VerifySQLite(ctx context.Context, path string) (int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	pool, err := driver.Open(fileURI(path, "mode=ro"))
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer pool.Close()
	rows, err := pool.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return 0, fmt.Errorf("%s is no SQLite database: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			_ = rows.Close()
			return 0, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("integrity_check of %s: %w", path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return 0, fmt.Errorf("integrity_check of %s: %s", path, strings.Join(problems, "; "))
	}
	var version sql.NullInt64
	err = pool.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&version)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return 0, fmt.Errorf("read schema version of %s: %w", path, err)
	}
	return version.Int64, nil
}

// RestoreSQLite replaces the content of the SQLite database at dst with
// the verified copy src. It writes through SQLite's backup API into the
// database rather than over the file, so the WAL and shared-memory files
// next to dst stay consistent with it. An existing dst is first saved as
// dst.before-restore-TIMESTAMP (returned) and replaced only when
// overwrite is set.
func RestoreSQLite(ctx context.Context, src, dst string, overwrite bool) (saved string, err error) {
	version, err := VerifySQLite(ctx, src)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if version == 0 {
		return "", fmt.Errorf("restore: %s holds no treffen schema", src)
	}
	if _, err := os.Stat(dst); err == nil {
		if !overwrite {
			return "", fmt.Errorf("restore: %s exists; it would be replaced", dst)
		}
		cur, err := Open(ctx, "sqlite:"+dst)
		if err != nil {
			return "", fmt.Errorf("restore: open current database: %w", err)
		}
		saved = dst + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		err = cur.BackupSQLite(ctx, saved, false)
		if err == nil {
			err = withRaw(ctx, cur.SQL, func(c *sqlite3.Conn) error {
				return c.Restore("main", fileURI(src, "mode=ro"))
			})
		}
		if cerr := cur.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return saved, fmt.Errorf("restore into %s: %w", dst, err)
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		db, err := Open(ctx, "sqlite:"+dst)
		if err != nil {
			return "", fmt.Errorf("restore: create %s: %w", dst, err)
		}
		err = withRaw(ctx, db.SQL, func(c *sqlite3.Conn) error {
			return c.Restore("main", fileURI(src, "mode=ro"))
		})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", fmt.Errorf("restore into %s: %w", dst, err)
		}
	} else {
		return "", fmt.Errorf("restore: %w", err)
	}
	if _, err := VerifySQLite(ctx, dst); err != nil {
		return saved, fmt.Errorf("restore: the restored database: %w", err)
	}
	return saved, nil
}
