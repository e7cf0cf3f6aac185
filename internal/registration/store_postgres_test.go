package registration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// TestOneStatementWritesWhatTheStepsWrite registers the same people for
// two equal meetings, once through registerSQL and once step by step,
// and compares every row written: statuses, places, manage links,
// wishes, audit entries and mails. Only PostgreSQL has the statement.
func TestOneStatementWritesWhatTheStepsWrite(t *testing.T) {
	db := storetest.Open(t)
	if !db.IsPostgres() {
		t.Skip("registerSQL runs on PostgreSQL only; SQLite always writes step by step")
	}
	ctx := context.Background()
	oneStatement := NewStore(db.Gorm, nil)
	steps := NewStore(db.Gorm, nil)
	steps.registerStmt = nil
	ahlen, err := municipality.NewStore(db.Gorm).Create(ctx, municipality.Input{Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	herne, err := municipality.NewStore(db.Gorm).Create(ctx, municipality.Input{Name: "Stadt Herne"})
	if err != nil {
		t.Fatal(err)
	}
	organiser := int64(0)
	if err := db.Gorm.Raw(`INSERT INTO users (email, password_hash, role, created_at, updated_at)
		VALUES ('orga@isa.example', 'x', 'organiser', now(), now()) RETURNING id`).Row().Scan(&organiser); err != nil {
		t.Fatal(err)
	}
	days := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	var rows [2]string
	for i, s := range []*Store{oneStatement, steps} {
		ev, err := event.NewStore(db.Gorm).Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), VenueCity: ptr("Köln"), Days: &days,
			Capacity: ptr(3), MunicipalityQuota: ptr(1), PreferenceRanks: ptr(2), Status: ptr(event.Published)})
		if err != nil {
			t.Fatal(err)
		}
		groups := mustGroups(t, db.Gorm, ev.ID, 3)
		people := []struct {
			in  Input
			opt Options
		}{
			{Input{Salutation: "Frau", AcademicTitle: "Dr.", FirstName: "Erika", LastName: "Mustermann", Email: "E.Mustermann@Ahlen.example",
				Phone: "02382 59-0", MunicipalityID: &ahlen.ID, Function: "Jugendamt", DietaryNeeds: "vegetarisch",
				AccessibilityNeeds: "Rampe", PhotoConsent: true, PrivacyConsent: true, WorkingGroupPreferences: []int64{groups[2], groups[0]}}, Options{}},
			{Input{FirstName: "Max", LastName: "Muster", Email: "max@ahlen.example", MunicipalityID: &ahlen.ID, PrivacyConsent: true,
				WorkingGroupPreferences: []int64{}}, Options{}}, // quota reached: waiting list
			{Input{FirstName: "Jörg", LastName: "Weiß", Email: "j.weiss@herne.example", MunicipalityID: &herne.ID, PrivacyConsent: true},
				Options{Actor: audit.User(organiser, "orga@isa.example")}},
			{Input{FirstName: "Gast", LastName: "Eins", Email: "gast1@land.example", Organisation: "Land NRW", PrivacyConsent: true}, Options{}},
			{Input{FirstName: "Gast", LastName: "Zwei", Email: "gast2@land.example", Organisation: "Land NRW", PrivacyConsent: true}, Options{}}, // full
			{Input{FirstName: "Tür", LastName: "Steher", Email: "tuer@herne.example", MunicipalityID: &herne.ID, PrivacyConsent: true},
				Options{WalkIn: true, Actor: audit.User(organiser, "orga@isa.example")}}, // at the door: in whatever the counts
		}
		var b strings.Builder
		for _, p := range people {
			r, err := s.Register(ctx, ev.ID, p.in, p.opt)
			if err != nil {
				t.Fatalf("register %s: %v", p.in.Email, err)
			}
			var hash string
			if err := db.Gorm.Raw("SELECT token_hash FROM manage_links WHERE registration_id = ?", r.ID).Row().Scan(&hash); err != nil || hash != secret.Hash(r.ManageToken) {
				t.Fatalf("manage link of %s: %v, hash %q", r.Email, err, hash)
			}
			stored, err := s.Get(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Status != r.Status || stored.CheckinCode != r.CheckinCode || !stored.CreatedAt.Equal(r.CreatedAt) ||
				!stored.PrivacyConsentAt.Equal(r.PrivacyConsentAt.Truncate(time.Microsecond)) {
				t.Errorf("%s: returned %s %s %v %v, stored %s %s %v %v", r.Email, r.Status, r.CheckinCode, r.CreatedAt, r.PrivacyConsentAt,
					stored.Status, stored.CheckinCode, stored.CreatedAt, stored.PrivacyConsentAt)
			}
		}
		for _, q := range []string{
			`SELECT salutation, academic_title, first_name, last_name, email, phone, municipality_id, organisation, function, days,
				dietary_needs, accessibility_needs, photo_consent, status, walk_in, registered_by_user_id, promoted_at, cancelled_at,
				anonymised_at, length(checkin_code) FROM registrations WHERE event_id = @event ORDER BY id`,
			`SELECT municipality_id, confirmed FROM registration_places WHERE event_id = @event ORDER BY 1`,
			`SELECT r.email, g.position, p.rank FROM working_group_preferences p JOIN registrations r ON r.id = p.registration_id
				JOIN working_groups g ON g.id = p.working_group_id WHERE r.event_id = @event ORDER BY 1, 2`,
			`SELECT r.email, a.actor_user_id, a.actor, a.action, a.object_type, a.details
				FROM audit_log a JOIN registrations r ON r.id = a.object_id WHERE a.event_id = @event ORDER BY a.id`,
			`SELECT r.email, m.kind, m.recipient, m.status, m.attempts, m.user_id, m.copy_of, m.locked_until, m.last_error, m.subject,
				m.text_body, m.html_body, m.message_id, m.transport, m.sent_at, m.next_attempt_at <= now()
				FROM mail_outbox m JOIN registrations r ON r.id = m.registration_id WHERE m.event_id = @event ORDER BY m.id`,
		} {
			b.WriteString(dump(t, db.Gorm.Raw(q, map[string]any{"event": ev.ID})))
		}
		rows[i] = b.String()
	}
	if rows[0] != rows[1] {
		t.Fatalf("one statement wrote\n%s\nsteps wrote\n%s", rows[0], rows[1])
	}
	if !strings.Contains(rows[0], " waitlisted ") || !strings.Contains(rows[0], " confirmed ") {
		t.Fatalf("the people should be confirmed and waiting:\n%s", rows[0])
	}
}

// TestUnknownMunicipalityIsAFieldError checks that a municipality that
// does not exist is reported next to its field, on both databases.
func TestUnknownMunicipalityIsAFieldError(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	days := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	ev, err := event.NewStore(db.Gorm).Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), VenueCity: ptr("Köln"), Days: &days,
		Capacity: ptr(3), Status: ptr(event.Published)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewStore(db.Gorm, nil).Register(ctx, ev.ID, Input{FirstName: "Anna", LastName: "Bäcker", Email: "a@b.example",
		MunicipalityID: ptr(int64(999999)), PrivacyConsent: true}, Options{})
	if pe, ok := problem.As(err); !ok || pe.Code != problem.Invalid || pe.Fields["municipality_id"] == "" {
		t.Fatalf("got %v, want invalid municipality_id", err)
	}
}

func ptr[T any](v T) *T { return &v }

// mustGroups adds a time slot with n working groups to the meeting and
// returns their ids in order.
func mustGroups(t *testing.T, db *gorm.DB, eventID int64, n int) []int64 {
	t.Helper()
	var slot int64
	if err := db.Raw(`INSERT INTO working_group_slots (event_id, day, starts_at, ends_at, created_at, updated_at)
		VALUES (?, '2099-01-01', '10:00', '12:00', now(), now()) RETURNING id`, eventID).Row().Scan(&slot); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range ids {
		if err := db.Raw(`INSERT INTO working_groups (event_id, slot_id, position, title, capacity, created_at, updated_at)
			VALUES (?, ?, ?, ?, 20, now(), now()) RETURNING id`, eventID, slot, i, fmt.Sprintf("AG %d", i)).Row().Scan(&ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// dump renders the rows of a query as text, one line each.
func dump(t *testing.T, q *gorm.DB) string {
	t.Helper()
	rows, err := q.Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String() + "--\n"
}

// TestOneStatementDecidesApprovalAndWaitlistLikeTheSteps registers the
// same people for meetings with approval, a limited waiting list and
// none, once through registerSQL and once step by step, and compares
// what each decided and wrote, refusals included.
func TestOneStatementDecidesApprovalAndWaitlistLikeTheSteps(t *testing.T) {
	db := storetest.Open(t)
	if !db.IsPostgres() {
		t.Skip("registerSQL runs on PostgreSQL only; SQLite always writes step by step")
	}
	ctx := context.Background()
	oneStatement := NewStore(db.Gorm, nil)
	steps := NewStore(db.Gorm, nil)
	steps.registerStmt = nil
	ahlen, err := municipality.NewStore(db.Gorm).Create(ctx, municipality.Input{Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	days := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	for _, settings := range []struct {
		name  string
		input event.Input
	}{
		{"approval", event.Input{RequiresApproval: ptr(true)}},
		{"approval without waiting list", event.Input{RequiresApproval: ptr(true), WaitlistEnabled: ptr(false)}},
		{"waiting list of one", event.Input{WaitlistLimit: ptr(1)}},
		{"no waiting list", event.Input{WaitlistEnabled: ptr(false)}},
	} {
		var got [2]string
		for i, s := range []*Store{oneStatement, steps} {
			in := settings.input
			in.Kind, in.Number, in.VenueCity, in.Days = ptr(event.Lernnetzwerktreffen), ptr(17), ptr("Köln"), &days
			in.Capacity, in.MunicipalityQuota, in.Status = ptr(2), ptr(1), ptr(event.Published)
			ev, err := event.NewStore(db.Gorm).Create(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for p := range 5 {
				person := Input{FirstName: "Erika", LastName: fmt.Sprintf("Muster%d", p), Email: fmt.Sprintf("e%d@ahlen.example", p),
					MunicipalityID: &ahlen.ID, PrivacyConsent: true}
				if p >= 3 { // guests: no quota
					person.MunicipalityID, person.Organisation = nil, "Land NRW"
				}
				r, err := s.Register(ctx, ev.ID, person, Options{})
				if err == nil && r.Status == Pending {
					// Approved at once, so the next one finds the place taken.
					r, err = s.Approve(ctx, r.ID, audit.System)
				}
				if err != nil {
					fmt.Fprintf(&b, "%s refused: %s\n", person.Email, problem.CodeOf(err))
				} else {
					fmt.Fprintf(&b, "%s %s\n", person.Email, r.Status)
				}
			}
			for _, q := range []string{
				`SELECT email, status FROM registrations WHERE event_id = @event ORDER BY id`,
				`SELECT municipality_id, confirmed FROM registration_places WHERE event_id = @event ORDER BY 1`,
				`SELECT a.action, a.details FROM audit_log a WHERE a.event_id = @event ORDER BY a.id`,
				`SELECT m.kind, m.recipient, m.status FROM mail_outbox m WHERE m.event_id = @event ORDER BY m.id`,
			} {
				b.WriteString(dump(t, db.Gorm.Raw(q, map[string]any{"event": ev.ID})))
			}
			got[i] = b.String()
		}
		if got[0] != got[1] {
			t.Errorf("%s: one statement\n%s\nsteps\n%s", settings.name, got[0], got[1])
		}
		if limited := settings.input.WaitlistEnabled != nil || settings.input.WaitlistLimit != nil; limited && !strings.Contains(got[0], "refused") {
			t.Errorf("%s: nobody refused, the meeting is too large for the test:\n%s", settings.name, got[0])
		}
	}
}
