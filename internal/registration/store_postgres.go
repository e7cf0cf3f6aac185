package registration

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/secret"
)

// registerSQL decides a new registration's place and writes everything
// that hangs on it in one statement: the registration, its counted
// place, manage link, wishes, audit entry and mail, the same rows that
// insertStepByStep writes. Register runs it right after it has locked
// the meeting's row, so the meeting holds its lock for this one round
// trip and the commit instead of one per row.
//
// The counted places are read here and not with the lock: a statement
// sees what was committed when it began, and the lock may have been
// waited for; this statement begins after the lock is held, when every
// earlier holder has committed, and nobody changes the counts without
// the lock. The decision is placeFor, written in SQL: a place below the
// capacity and, with a quota and a municipality, below the quota
// (@quota is 0 for no quota or no municipality); else the waiting list
// if the meeting has one and (@waitlist_limit NULL: no limit) it is not
// full, else @refused: nothing is written and no row returned (which
// refusal it is follows from the meeting's settings). With @approval a registration that would
// get a place or wait becomes pending. The waiting list is counted only
// when the meeting is full: PostgreSQL runs a sub-select in CASE only
// when its branch is reached.
const registerSQL = `
WITH places AS (
	SELECT coalesce(max(confirmed) FILTER (WHERE municipality_id = 0), 0) AS total,
	       coalesce(max(confirmed) FILTER (WHERE municipality_id = @municipality), 0) AS own
	FROM registration_places
	WHERE event_id = @event AND municipality_id IN (0, @municipality)
), decided AS (
	SELECT CASE
		WHEN @walk_in THEN @confirmed
		WHEN total < @capacity AND (@quota = 0 OR own < @quota) THEN
			CASE WHEN @approval THEN @under_review ELSE @confirmed END
		WHEN NOT @waitlist_enabled THEN @refused
		WHEN CAST(@waitlist_limit AS bigint) IS NULL
			OR (SELECT count(*) FROM registrations WHERE event_id = @event AND status = @waitlisted) < CAST(@waitlist_limit AS bigint) THEN
			CASE WHEN @approval THEN @under_review ELSE @waitlisted END
		ELSE @refused END AS status
	FROM places
), reg AS (
	INSERT INTO registrations (event_id, salutation, academic_title, first_name, last_name, email, phone,
		municipality_id, organisation, function, days, dietary_needs, accessibility_needs, photo_consent,
		privacy_consent_at, status, checkin_code, walk_in, registered_by_user_id, created_at, updated_at)
	SELECT @event, @salutation, @academic_title, @first_name, @last_name, @email, @phone,
		@municipality, @organisation, @function, @days, @dietary_needs, @accessibility_needs, @photo_consent,
		@now, status, @checkin_code, @walk_in, @registered_by, @now, @now
	FROM decided
	WHERE status IN (@confirmed, @waitlisted, @under_review)
	RETURNING id, status
), counted AS (
	INSERT INTO registration_places (event_id, municipality_id, confirmed)
	SELECT @event, k.id, 1 FROM reg, (VALUES (0), (CAST(@municipality AS bigint))) AS k (id)
	WHERE reg.status = @confirmed AND k.id IS NOT NULL
	ON CONFLICT (event_id, municipality_id) DO UPDATE SET confirmed = registration_places.confirmed + 1
), link AS (
	INSERT INTO manage_links (token_hash, registration_id, created_at)
	SELECT @token_hash, id, @now FROM reg
), wishes AS (
	INSERT INTO working_group_preferences (registration_id, working_group_id, rank)
	SELECT reg.id, w.working_group_id, w.rank
	FROM reg, json_to_recordset(CAST(@wishes AS json)) AS w (working_group_id bigint, rank integer)
), logged AS (
	INSERT INTO audit_log (at, actor_user_id, actor, action, object_type, object_id, event_id, details)
	SELECT @now, @actor_user_id, @actor, @action, 'registration', id, @event,
		CASE status WHEN @confirmed THEN @details_confirmed WHEN @waitlisted THEN @details_waitlisted ELSE @details_under_review END
	FROM reg
), mailed AS (
	INSERT INTO mail_outbox (kind, event_id, registration_id, recipient, status, next_attempt_at, created_at)
	SELECT CASE status WHEN @confirmed THEN @mail_confirmed WHEN @waitlisted THEN @mail_waitlisted ELSE @mail_under_review END,
		@event, id, @email, @pending, @now, @now
	FROM reg
)
SELECT id, status FROM reg`

// insertInOneStatement writes a new registration with registerSQL and
// fills in its id, status and times.
func insertInOneStatement(tx *gorm.DB, stmt namedStatement, n newRegistration) error {
	r := n.r
	// PostgreSQL keeps microseconds; the registration returned says
	// what was stored.
	now := n.now.Truncate(time.Microsecond)
	quota := n.ev.MunicipalityQuota
	if r.MunicipalityID == nil {
		quota = 0
	}
	wishes, err := json.Marshal(append([]preference{}, n.wishes...)) // [] rather than null
	if err != nil {
		return err
	}
	days, err := r.Days.Value()
	if err != nil {
		return err
	}
	args, err := stmt.args(map[string]any{
		"event": r.EventID, "municipality": r.MunicipalityID, "walk_in": n.walkIn,
		"capacity": n.ev.Capacity, "quota": quota, "confirmed": string(Confirmed), "waitlisted": string(Waitlisted),
		"approval": n.ev.RequiresApproval, "under_review": string(Pending), "waitlist_enabled": n.ev.WaitlistEnabled,
		"waitlist_limit": n.ev.WaitlistLimit, "refused": "refused",
		"salutation": r.Salutation, "academic_title": r.AcademicTitle, "first_name": r.FirstName, "last_name": r.LastName,
		"email": r.Email, "phone": r.Phone, "organisation": r.Organisation, "function": r.Function, "days": days,
		"dietary_needs": r.DietaryNeeds, "accessibility_needs": r.AccessibilityNeeds, "photo_consent": r.PhotoConsent,
		"checkin_code": r.CheckinCode, "registered_by": r.RegisteredByUserID, "now": now,
		"token_hash": secret.Hash(r.ManageToken), "wishes": string(wishes),
		"actor_user_id": n.actor.UserID, "actor": n.actor.Label, "action": string(audit.RegistrationCreated),
		"details_confirmed": createdDetails(r, Confirmed), "details_waitlisted": createdDetails(r, Waitlisted),
		"details_under_review": createdDetails(r, Pending), "mail_under_review": string(registeredMail(Pending)),
		"mail_confirmed": string(registeredMail(Confirmed)), "mail_waitlisted": string(registeredMail(Waitlisted)),
		"pending": string(outbox.Pending),
	})
	if err != nil {
		return err
	}
	// Straight to the transaction's connection: gorm would parse the
	// statement's text again on every call, a sixth of a registration's
	// CPU in the service.
	var id int64
	var status string
	err = tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, stmt.sql, args...).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		// Refused: full, and no waiting list or no room on it.
		if !n.ev.WaitlistEnabled {
			return ErrNoWaitlist
		}
		return ErrWaitlistFull
	}
	if err != nil {
		// gorm does not see this error: the duplicate must still read as
		// gorm.ErrDuplicatedKey.
		if t, ok := tx.Dialector.(gorm.ErrorTranslator); ok {
			err = t.Translate(err)
		}
		return err
	}
	r.ID, r.Status = id, Status(status)
	r.PrivacyConsentAt, r.CreatedAt, r.UpdatedAt = now, now, now
	return nil
}

// namedStatement is a PostgreSQL statement written with @names and
// turned into $1, $2, … once, so running it parses nothing.
type namedStatement struct {
	sql   string
	names []string // the name of $1, $2, …
}

func compileNamed(text string) namedStatement {
	var st namedStatement
	var b strings.Builder
	number := map[string]int{}
	for i := 0; i < len(text); {
		if text[i] != '@' {
			b.WriteByte(text[i])
			i++
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '_' || 'a' <= text[j] && text[j] <= 'z') {
			j++
		}
		name := text[i+1 : j]
		n, ok := number[name]
		if !ok {
			st.names = append(st.names, name)
			n = len(st.names)
			number[name] = n
		}
		b.WriteString("$" + strconv.Itoa(n))
		i = j
	}
	st.sql = b.String()
	return st
}

// args orders values by the statement's parameters.
func (st namedStatement) args(values map[string]any) ([]any, error) {
	if len(values) != len(st.names) {
		return nil, fmt.Errorf("statement takes %d values, got %d", len(st.names), len(values))
	}
	out := make([]any, len(st.names))
	for i, name := range st.names {
		v, ok := values[name]
		if !ok {
			return nil, fmt.Errorf("statement: no value for @%s", name)
		}
		out[i] = v
	}
	return out, nil
}
