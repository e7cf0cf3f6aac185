package loadtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
)

// Limit measures the database itself: the three statements a
// registration cannot do without – update the meeting's row, insert the
// registration, insert its mail – in one transaction, plain
// database/sql, no rules and no HTTP. A service's rate over the limit's
// says how close the service comes to its database on the same machine,
// which an absolute rate on a shared machine cannot.
//
// It writes to a meeting of its own, a draft nobody sees, whose mails
// fall due only in a hundred years, so a running service's worker never
// sends them; Close removes the meeting with everything written.
type Limit struct {
	db                    *sql.DB
	eventID               int64
	runID                 string
	seq                   atomic.Int64
	update, insert, queue string
	remove, waiting       string
}

// NewLimit makes the measurement's meeting in db.
func NewLimit(ctx context.Context, db *sql.DB, postgres bool) (*Limit, error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	l := &Limit{db: db, runID: hex.EncodeToString(b)}
	p := func(s string) string { return s }
	if postgres {
		p = dollars
	}
	l.update = p("UPDATE events SET updated_at = ? WHERE id = ?")
	l.insert = p(`INSERT INTO registrations (event_id, first_name, last_name, email, privacy_consent_at, status, checkin_code, created_at, updated_at)
VALUES (?, 'Grenze', 'Messung', ?, ?, 'confirmed', ?, ?, ?) RETURNING id`)
	l.remove = p("DELETE FROM events WHERE id = ?")
	l.waiting = p("SELECT count(*) FROM mail_outbox WHERE event_id = ? AND status IN ('pending', 'sending')")
	l.queue = p(`INSERT INTO mail_outbox (kind, event_id, registration_id, recipient, status, next_attempt_at, created_at)
VALUES ('confirmation', ?, ?, ?, 'pending', ?, ?)`)
	now := time.Now().UTC()
	days := day.List{day.Of(now.AddDate(0, 2, 0))}
	err := db.QueryRowContext(ctx, p(`INSERT INTO events (kind, title, days, capacity, status, created_at, updated_at)
VALUES ('other', ?, ?, 0, 'draft', ?, ?) RETURNING id`), "Grenzmessung "+l.runID, days, now, now).Scan(&l.eventID)
	if err != nil {
		return nil, fmt.Errorf("limit: create the measurement's meeting: %w", err)
	}
	return l, nil
}

// dollars numbers the ? of a statement as PostgreSQL's $1, $2, ….
func dollars(s string) string {
	out, n := make([]byte, 0, len(s)+16), 0
	for i := 0; i < len(s); i++ {
		if s[i] != '?' {
			out = append(out, s[i])
			continue
		}
		n++
		out = append(out, '$')
		out = strconv.AppendInt(out, int64(n), 10)
	}
	return string(out)
}

// Transaction runs the three statements once.
func (l *Limit) Transaction(ctx context.Context) error {
	i := l.seq.Add(1)
	now := time.Now().UTC()
	email := fmt.Sprintf("grenze-%s-%d@messung.example", l.runID, i)
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, l.update, now, l.eventID); err != nil {
		return err
	}
	var id int64
	code := fmt.Sprintf("G%s%07d", l.runID, i)
	if err := tx.QueryRowContext(ctx, l.insert, l.eventID, email, now, code, now, now).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, l.queue, l.eventID, id, email, now.AddDate(100, 0, 0), now); err != nil {
		return err
	}
	return tx.Commit()
}

// LimitRun is what Run measured.
type LimitRun struct {
	Clients      int
	Transactions int
	Failed       int
	FirstError   string
	Elapsed      time.Duration
	Waited       time.Duration // for the service's mails before the run (BurstAgainst)
	MailPending  int           // the service's mails still waiting when the run began
	latencies    []time.Duration
}

// Rate is transactions per second.
func (r LimitRun) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Transactions) / r.Elapsed.Seconds()
}

// Percentile returns the latency of one transaction below which the
// share q of all lies.
func (r LimitRun) Percentile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func (r LimitRun) String() string {
	s := fmt.Sprintf("limit: the three statements of a registration straight on the database, %d clients for %s: %d transactions = %.1f/s; p50 %s, p99 %s",
		r.Clients, r.Elapsed.Round(time.Millisecond), r.Transactions, r.Rate(),
		r.Percentile(0.50).Round(100*time.Microsecond), r.Percentile(0.99).Round(100*time.Microsecond))
	if r.Failed > 0 {
		s += fmt.Sprintf("; %d failed, first: %s", r.Failed, r.FirstError)
	}
	if r.Waited > 0 {
		s += fmt.Sprintf("; begun after %s waiting for the service's mails", r.Waited.Round(time.Millisecond))
	}
	if r.MailPending > 0 {
		s += fmt.Sprintf(" (%d of them still waiting)", r.MailPending)
	}
	return s
}

// Run runs transactions from clients goroutines for d.
func (l *Limit) Run(ctx context.Context, clients int, d time.Duration) LimitRun {
	run := LimitRun{Clients: clients}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for time.Since(start) < d && ctx.Err() == nil {
				t0 := time.Now()
				err := l.Transaction(ctx)
				took := time.Since(t0)
				mu.Lock()
				if err != nil {
					run.Failed++
					if run.FirstError == "" {
						run.FirstError = err.Error()
					}
				} else {
					run.Transactions++
					run.latencies = append(run.latencies, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	run.Elapsed = time.Since(start)
	return run
}

// Close removes the measurement's meeting; its registrations and mails
// go with it (ON DELETE CASCADE).
func (l *Limit) Close(ctx context.Context) error {
	if _, err := l.db.ExecContext(ctx, l.remove, l.eventID); err != nil {
		return fmt.Errorf("limit: remove the measurement's meeting %d: %w", l.eventID, err)
	}
	return nil
}

// Comparison is a service's burst next to the limit of its database.
type Comparison struct {
	Burst Phase
	Limit LimitRun
}

// Ratio is the burst's registrations per second over the limit's
// transactions per second.
func (c Comparison) Ratio() float64 {
	if c.Limit.Rate() == 0 {
		return 0
	}
	return c.Burst.Throughput() / c.Limit.Rate()
}

func (c Comparison) String() string {
	return fmt.Sprintf("%s\nratio to the limit: burst %.1f registrations/s over %.1f transactions/s = %.3f",
		c.Limit, c.Burst.Throughput(), c.Limit.Rate(), c.Ratio())
}

// BurstAgainst runs the burst and then the limit on the service's
// database for as long as the burst took, from as many clients. The
// limit waits (up to maxWait) until the service's worker has sent the
// burst's mails: the limit is the database's alone, while the service's
// rate includes the mail work that ran alongside its burst.
func (r *Runner) BurstAgainst(ctx context.Context, l *Limit, maxWait time.Duration) Comparison {
	c := Comparison{Burst: r.Burst(ctx)}
	start := time.Now()
	pending, err := l.waitForMail(ctx, r.eventID, maxWait)
	waited := time.Since(start)
	c.Limit = l.Run(ctx, r.opts.Concurrency, c.Burst.Elapsed)
	c.Limit.Waited, c.Limit.MailPending = waited, pending
	if err != nil && c.Limit.FirstError == "" {
		c.Limit.FirstError = err.Error()
	}
	return c
}

// waitForMail waits until no mail of the meeting is waiting to be sent,
// or maxWait has passed, and returns how many still wait.
func (l *Limit) waitForMail(ctx context.Context, eventID int64, maxWait time.Duration) (int, error) {
	deadline := time.Now().Add(maxWait)
	for {
		var n int
		if err := l.db.QueryRowContext(ctx, l.waiting, eventID).Scan(&n); err != nil {
			return 0, fmt.Errorf("limit: count the service's waiting mails: %w", err)
		}
		if n == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return n, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}
