package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Errors of the outbox.
var (
	ErrNotFound  = problem.New(problem.NotFound, "Diese Nachricht gibt es nicht.")
	ErrNotFailed = problem.New(problem.Conflict, "Nur fehlgeschlagene Nachrichten können erneut gesendet werden.")
)

// maxErrorLen bounds the stored error text; SMTP servers can be chatty.
const maxErrorLen = 2000

// Store reads and updates queued messages. Messages are created by
// Enqueue inside the transaction of the change they report; the store
// serves the mail worker and the organisers' mail overview.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// claimSQL returns the statement that leases the first due message:
// pending and due, or sending with an expired lease (its worker died or
// hung). It reads the partial index mail_outbox_due_idx (migration 10),
// so its cost follows the mails waiting, not the history of sent ones:
// the status condition is written as in the index (literals, not
// parameters) and the order is the index's. A sending message's
// next_attempt_at lies before its claim, hence before its lease ended,
// so "next_attempt_at <= now" bounds the scan without losing expired
// leases.
//
// On PostgreSQL concurrent claimers skip rows another one is taking
// (SKIP LOCKED); an SQLite statement that writes holds the database's
// only write lock from its start, so its pick and update are one step.
func (s *Store) claimSQL() string {
	if s.db.Dialector.Name() == "postgres" {
		return `UPDATE mail_outbox SET status = 'sending', locked_until = @until, attempts = attempts + 1
WHERE id = (SELECT id FROM mail_outbox
	WHERE status IN ('pending', 'sending') AND next_attempt_at <= @now AND (status = 'pending' OR locked_until < @now)
	ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING *`
	}
	// SQLite keeps timestamps as text with a varying number of fractional
	// digits, which does not sort as time; julianday() compares instants.
	return `UPDATE mail_outbox SET status = 'sending', locked_until = @until, attempts = attempts + 1
WHERE id = (SELECT id FROM mail_outbox
	WHERE status IN ('pending', 'sending') AND julianday(next_attempt_at) <= julianday(@now) AND (status = 'pending' OR julianday(locked_until) < julianday(@now))
	ORDER BY julianday(next_attempt_at), id LIMIT 1)
RETURNING *`
}

// Claim leases the message due first at now to the caller until
// now+lease: its status becomes sending and its attempts count up. The
// claim is one statement, so of several workers (goroutines or app
// instances on one database) exactly one wins a message. It reports
// false when nothing is due.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration) (Message, bool, error) {
	if err := ctx.Err(); err != nil {
		return Message{}, false, fmt.Errorf("claim mail: %w", err)
	}
	now = dbTime(now)
	// Once a row is ours, finish recording it even if ctx ends: a claim
	// abandoned halfway would sit until its lease ran out.
	hold := s.db.WithContext(context.WithoutCancel(ctx))
	var claimed []Message
	if err := hold.Raw(s.claimSQL(), sql.Named("now", now), sql.Named("until", now.Add(lease))).Scan(&claimed).Error; err != nil {
		return Message{}, false, fmt.Errorf("claim mail: %w", err)
	}
	if len(claimed) == 0 {
		return Message{}, false, nil
	}
	return claimed[0], true, nil
}

// NextDue returns when the next pending message becomes due or the
// earliest lease of a message being sent runs out; false when there is
// neither. Workers sleep until then instead of polling blindly.
func (s *Store) NextDue(ctx context.Context) (time.Time, bool, error) {
	var rows []struct {
		NextAttemptAt time.Time
		LockedUntil   *time.Time
		Status        Status
	}
	// A handful of rows at most are pending or sending at a time, so
	// the earliest is found here, the same way on both dialects.
	if err := s.db.WithContext(ctx).Model(&Message{}).Select("next_attempt_at, locked_until, status").
		Where("status IN ?", []Status{Pending, Sending}).Scan(&rows).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("next due mail: %w", err)
	}
	var next time.Time
	for _, r := range rows {
		t := r.NextAttemptAt
		if r.Status == Sending {
			if r.LockedUntil == nil {
				continue
			}
			t = *r.LockedUntil
		}
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	return next, !next.IsZero(), nil
}

// Delivery is what went out, kept as the record organisers read.
type Delivery struct {
	Subject         string
	TextBody        string
	HTMLBody        string
	MessageID       string
	Transport       string   // TransportSMTP or TransportLog
	AttachmentNames []string // file names only
}

// MarkSent records that the message went out at `at`, with what was sent,
// so organisers can read it later.
func (s *Store) MarkSent(ctx context.Context, id int64, d Delivery, at time.Time, copies ...string) error {
	at = dbTime(at)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Message{}).Where("id = ?", id).UpdateColumns(map[string]any{
			"status":           Sent,
			"subject":          d.Subject,
			"text_body":        d.TextBody,
			"html_body":        d.HTMLBody,
			"message_id":       d.MessageID,
			"transport":        d.Transport,
			"attachment_names": joinNames(d.AttachmentNames),
			"sent_at":          at,
			"locked_until":     nil,
			"last_error":       "",
		})
		if err := rowsErr(res); err != nil {
			return err
		}
		if len(copies) == 0 {
			return nil
		}
		var orig Message
		if err := tx.First(&orig, id).Error; err != nil {
			return err
		}
		// Queued with the original's sent mark: both happen or neither.
		// A copy already queued (the original sent twice after a lost
		// lease) is not queued again.
		for _, to := range copies {
			c := Message{Kind: orig.Kind, EventID: orig.EventID, RegistrationID: orig.RegistrationID, CopyOf: &orig.ID,
				Recipient: to, Status: Pending, NextAttemptAt: at}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&c).Error; err != nil {
				return fmt.Errorf("queue copy for %s: %w", to, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkRetry puts a message the caller holds back to pending, due at next,
// and keeps the error for the organisers. A message meanwhile sent by
// another worker (after an expired lease) stays sent.
func (s *Store) MarkRetry(ctx context.Context, id int64, errText string, next time.Time) error {
	res := s.db.WithContext(ctx).Model(&Message{}).Where("id = ? AND status = ?", id, Sending).UpdateColumns(map[string]any{
		"status":          Pending,
		"next_attempt_at": dbTime(next),
		"locked_until":    nil,
		"last_error":      truncate(errText, maxErrorLen),
	})
	if err := s.checkUpdated(ctx, res, id); err != nil {
		return fmt.Errorf("mark mail %d for retry: %w", id, err)
	}
	return nil
}

// MarkFailed gives up on a message; an organiser may Requeue it. A sent
// message stays sent.
func (s *Store) MarkFailed(ctx context.Context, id int64, errText string) error {
	res := s.db.WithContext(ctx).Model(&Message{}).Where("id = ? AND status <> ?", id, Sent).UpdateColumns(map[string]any{
		"status":       Failed,
		"locked_until": nil,
		"last_error":   truncate(errText, maxErrorLen),
	})
	if err := s.checkUpdated(ctx, res, id); err != nil {
		return fmt.Errorf("mark mail %d failed: %w", id, err)
	}
	return nil
}

// Requeue makes a failed message pending again, due now, with a fresh
// count of attempts: an organiser's retry after fixing the cause (a
// typo in the address, the mail server's configuration). The last error
// stays visible until the next attempt. The caller should wake the
// worker (Worker.Kick).
func (s *Store) Requeue(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Model(&Message{}).Where("id = ? AND status = ?", id, Failed).UpdateColumns(map[string]any{
		"status":          Pending,
		"attempts":        0,
		"next_attempt_at": dbTime(s.now()),
		"locked_until":    nil,
	})
	if res.Error != nil {
		return fmt.Errorf("requeue mail %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.Get(ctx, id); err != nil {
			return fmt.Errorf("requeue mail: %w", err)
		}
		return fmt.Errorf("requeue mail %d: %w", id, ErrNotFailed)
	}
	return nil
}

// PruneBodies empties the text and HTML of messages sent before
// `before` and returns how many it emptied. The delivery record (kind,
// recipient, subject, time, Message-ID) stays; what a participant was
// told need not be kept for ever.
func (s *Store) PruneBodies(ctx context.Context, before time.Time) (int64, error) {
	cond := "sent_at < ?"
	if s.db.Dialector.Name() != "postgres" {
		cond = "julianday(sent_at) < julianday(?)" // text timestamps; see claimSQL
	}
	res := s.db.WithContext(ctx).Model(&Message{}).
		Where("status = ? AND (text_body <> '' OR html_body <> '')", Sent).Where(cond, dbTime(before)).
		UpdateColumns(map[string]any{"text_body": "", "html_body": ""})
	if res.Error != nil {
		return 0, fmt.Errorf("prune mail bodies sent before %s: %w", before.Format(time.DateOnly), res.Error)
	}
	return res.RowsAffected, nil
}

// Filter narrows a list of messages; zero values match all.
type Filter struct {
	EventID        int64
	RegistrationID int64
	Status         Status
	Kind           Kind
	Limit          int // 0: no limit
}

func (s *Store) query(ctx context.Context, f Filter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Message{})
	if f.EventID != 0 {
		q = q.Where("event_id = ?", f.EventID)
	}
	if f.RegistrationID != 0 {
		q = q.Where("registration_id = ?", f.RegistrationID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	return q
}

// List returns messages, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Message, error) {
	q := s.query(ctx, f)
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []Message
	if err := q.Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list mails: %w", err)
	}
	return out, nil
}

// Page is one page of the mail log, newest first.
type Page struct {
	Messages []Message
	Older    int64 // pass as Cursor.Before for the next older page; 0: this is the oldest
	Newer    int64 // pass as Cursor.After for the next newer page; 0: this is the newest
}

// Cursor says where a page starts: before an id (older mails) or after
// one (newer mails); zero is the newest page.
type Cursor struct {
	Before, After int64
}

// Page returns up to size messages of the filter at the cursor. The
// cursor is an id, not an offset, so a page costs the same at the
// 50,000th mail as at the first and no mail is shown twice while new
// ones arrive.
func (s *Store) Page(ctx context.Context, f Filter, at Cursor, size int) (Page, error) {
	var (
		rows []Message
		p    Page
	)
	f.Limit = 0
	q := s.query(ctx, f).Limit(size + 1)
	if at.After > 0 {
		q = q.Where("id > ?", at.After).Order("id ASC")
	} else {
		if at.Before > 0 {
			q = q.Where("id < ?", at.Before)
		}
		q = q.Order("id DESC")
	}
	if err := q.Find(&rows).Error; err != nil {
		return p, fmt.Errorf("page of mails: %w", err)
	}
	more := len(rows) > size
	if more {
		rows = rows[:size]
	}
	if at.After > 0 {
		slices.Reverse(rows)
	}
	p.Messages = rows
	if len(rows) == 0 {
		return p, nil
	}
	newest, oldest := rows[0].ID, rows[len(rows)-1].ID
	older, newer := more && at.After == 0, more && at.After > 0
	var err error
	// The far side of the page the cursor came from: one indexed row
	// tells whether there is more.
	if at.After > 0 {
		older, err = s.exists(ctx, f, "id < ?", oldest)
	} else if at.Before > 0 {
		newer, err = s.exists(ctx, f, "id > ?", newest)
	}
	if err != nil {
		return p, err
	}
	if older {
		p.Older = oldest
	}
	if newer {
		p.Newer = newest
	}
	return p, nil
}

func (s *Store) exists(ctx context.Context, f Filter, cond string, id int64) (bool, error) {
	var ids []int64
	if err := s.query(ctx, f).Where(cond, id).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, fmt.Errorf("page of mails: %w", err)
	}
	return len(ids) > 0, nil
}

// Progress counts the delivery of a group of messages, e.g. a meeting's
// invitations while they go out.
type Progress struct {
	Sent    int `json:"sent"`
	Logged  int `json:"logged"`  // of Sent, only logged: no mail server was configured
	Pending int `json:"pending"` // waiting or being sent
	Failed  int `json:"failed"`
	Total   int `json:"total"`
}

// Finished counts the messages sent or given up.
func (p Progress) Finished() int { return p.Sent + p.Failed }

// Done is the share sent or given up, 0 to 100.
func (p Progress) Done() int {
	if p.Total == 0 {
		return 100
	}
	return p.Finished() * 100 / p.Total
}

// ProgressFilter selects the messages a progress counts: of one meeting
// (0: all) and of the kinds given (none: all).
type ProgressFilter struct {
	EventID int64
	Kinds   []Kind
}

// Progress counts the messages of the filter by delivery state.
func (s *Store) Progress(ctx context.Context, f ProgressFilter) (Progress, error) {
	var rows []struct {
		Status    Status
		Transport string
		N         int
	}
	q := s.db.WithContext(ctx).Model(&Message{}).Select("status, transport, count(*) AS n")
	if f.EventID != 0 {
		q = q.Where("event_id = ?", f.EventID)
	}
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	var p Progress
	if err := q.Group("status, transport").Scan(&rows).Error; err != nil {
		return p, fmt.Errorf("progress of mails: %w", err)
	}
	for _, r := range rows {
		switch r.Status {
		case Sent:
			p.Sent += r.N
			if r.Transport == TransportLog {
				p.Logged += r.N
			}
		case Failed:
			p.Failed += r.N
		default:
			p.Pending += r.N
		}
		p.Total += r.N
	}
	return p, nil
}

// Kinds returns the kinds of message in the log, for its filter; new
// kinds show up without a list to keep.
func (s *Store) Kinds(ctx context.Context) ([]Kind, error) {
	var out []Kind
	if err := s.db.WithContext(ctx).Model(&Message{}).Distinct("kind").Order("kind").Pluck("kind", &out).Error; err != nil {
		return nil, fmt.Errorf("kinds of mails: %w", err)
	}
	return out, nil
}

// Get returns one message.
func (s *Store) Get(ctx context.Context, id int64) (Message, error) {
	var m Message
	err := s.db.WithContext(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("get mail %d: %w", id, err)
	}
	return m, nil
}

// CountByStatus returns the number of messages per status, of one
// meeting or, with eventID 0, of all.
func (s *Store) CountByStatus(ctx context.Context, eventID int64) (map[Status]int, error) {
	var rows []struct {
		Status Status
		N      int
	}
	q := s.db.WithContext(ctx).Model(&Message{}).Select("status, count(*) AS n")
	if eventID != 0 {
		q = q.Where("event_id = ?", eventID)
	}
	if err := q.Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count mails of event %d: %w", eventID, err)
	}
	out := make(map[Status]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// checkUpdated turns "no row changed" into ErrNotFound when the message
// does not exist; a message in another state is left alone silently.
func (s *Store) checkUpdated(ctx context.Context, res *gorm.DB, id int64) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected > 0 {
		return nil
	}
	_, err := s.Get(ctx, id)
	return err
}

func rowsErr(res *gorm.DB) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// joinNames keeps file names one a line; a line break inside a name
// (never in ours) would split it, so it becomes a space.
func joinNames(names []string) string {
	clean := make([]string, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(n)); n != "" {
			clean = append(clean, n)
		}
	}
	return strings.Join(clean, "\n")
}

// dbTime is t in UTC at the precision both databases keep.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + " …"
}
