package migrations

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
)

// step is Go code that runs after the SQL of its version, in the same
// transaction, for what one SQL text cannot do on both dialects.
type step func(ctx context.Context, tx *sql.Tx, d Dialect) error

// steps maps a version to its Go step.
var steps = map[int64]step{
	9:  hashManageTokens,
	11: outboxDueIndex,
	20: feedbackResponses,
}

// outboxDueIndex indexes the mails a worker may claim, in the order they
// fall due. SQLite keeps timestamps as text with a varying number of
// fractional digits, which does not sort as time, so its index is on
// julianday(); the claim query names the same expression and the same
// condition, or SQLite would not use the index.
func outboxDueIndex(ctx context.Context, tx *sql.Tx, d Dialect) error {
	key := "next_attempt_at, id"
	if d == SQLite {
		key = "julianday(next_attempt_at), id"
	}
	_, err := tx.ExecContext(ctx, "CREATE INDEX mail_outbox_due_idx ON mail_outbox ("+key+") WHERE status IN ('pending', 'sending')")
	return err
}

// hashManageTokens moves each registration's plain manage token into
// manage_links as a SHA-256 (SQLite has no hash function in SQL) and
// drops the plain column.
func hashManageTokens(ctx context.Context, tx *sql.Tx, d Dialect) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, manage_token FROM registrations")
	if err != nil {
		return err
	}
	type link struct {
		id    int64
		token string
	}
	var links []link
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.id, &l.token); err != nil {
			rows.Close()
			return err
		}
		links = append(links, l)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	insert := "INSERT INTO manage_links (token_hash, registration_id, created_at) VALUES (?, ?, ?)"
	if d == Postgres {
		insert = "INSERT INTO manage_links (token_hash, registration_id, created_at) VALUES ($1, $2, $3)"
	}
	now := time.Now().UTC()
	for _, l := range links {
		sum := sha256.Sum256([]byte(l.token))
		if _, err := tx.ExecContext(ctx, insert, hex.EncodeToString(sum[:]), l.id, now); err != nil {
			return fmt.Errorf("hash manage link of registration %d: %w", l.id, err)
		}
	}
	for _, stmt := range []string{
		"DROP INDEX registrations_manage_token_key",
		"ALTER TABLE registrations DROP COLUMN manage_token",
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// feedbackResponses creates the table of anonymous survey answers: one
// row per submission, its answers as JSON under a random id. It has no
// reference to a person or link and no time, and its rows must not
// keep the order they came in: SQLite would number them in a rowid,
// hence WITHOUT ROWID (rows are kept in the order of the random id).
// PostgreSQL's heap order and xmin are handled by the store, which
// rewrites a meeting's rows in id order with every submission.
func feedbackResponses(ctx context.Context, tx *sql.Tx, d Dialect) error {
	suffix := ""
	if d == SQLite {
		suffix = " WITHOUT ROWID"
	}
	_, err := tx.ExecContext(ctx, `CREATE TABLE feedback_responses (
    id TEXT NOT NULL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    answers TEXT NOT NULL
)`+suffix)
	return err
}
