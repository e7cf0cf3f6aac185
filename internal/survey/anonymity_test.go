package survey_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// columnsAndIndexes reads a table's columns, indexes and foreign keys
// from the database's own catalogue.
func (f *fixture) columnsAndIndexes(t *testing.T, table string) (cols, idx, refs []string) {
	t.Helper()
	db := f.db.Gorm
	if storetest.Dialect() == "postgres" {
		must(t, db.Raw("SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY column_name", table).Scan(&cols).Error)
		must(t, db.Raw("SELECT indexdef FROM pg_indexes WHERE tablename = ?", table).Scan(&idx).Error)
		must(t, db.Raw(`SELECT ccu.table_name FROM information_schema.table_constraints tc
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
			WHERE tc.table_name = ? AND tc.constraint_type = 'FOREIGN KEY'`, table).Scan(&refs).Error)
		return cols, idx, refs
	}
	var info []struct{ Name string }
	must(t, db.Raw("SELECT name FROM pragma_table_info(?) ORDER BY name", table).Scan(&info).Error)
	for _, c := range info {
		cols = append(cols, c.Name)
	}
	var list []struct{ Name string }
	must(t, db.Raw("SELECT name FROM pragma_index_list(?)", table).Scan(&list).Error)
	for _, l := range list {
		var on []string
		must(t, db.Raw("SELECT name FROM pragma_index_info(?)", l.Name).Scan(&on).Error)
		idx = append(idx, l.Name+" ("+strings.Join(on, ", ")+")")
	}
	must(t, db.Raw(`SELECT "table" FROM pragma_foreign_key_list(?)`, table).Scan(&refs).Error)
	return cols, idx, refs
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAnswersTableLeadsToNobody reads the schema of the answers: its
// columns are the random id, the meeting and the answers; its only
// index is the primary key on the random id; its only reference is the
// meeting. No column or index names a registration, a link, a token or
// a time, and SQLite keeps no hidden rowid that would number the rows.
func TestAnswersTableLeadsToNobody(t *testing.T) {
	f := newFixture(t, 0)
	cols, idx, refs := f.columnsAndIndexes(t, "feedback_responses")
	if !slices.Equal(cols, []string{"answers", "event_id", "id"}) {
		t.Errorf("columns = %v, want answers, event_id, id", cols)
	}
	if len(idx) != 1 || !strings.Contains(idx[0], "(id)") {
		t.Errorf("indexes = %v, want only the primary key on id", idx)
	}
	if !slices.Equal(refs, []string{"events"}) {
		t.Errorf("foreign keys to %v, want only events", refs)
	}
	forbidden := regexp.MustCompile(`registration|token|link|invitation|created|updated|_at\b|time|date|seq|serial|email|name`)
	for _, s := range append(append(cols, idx...), refs...) {
		if forbidden.MatchString(strings.ToLower(s)) {
			t.Errorf("%q could lead from answers to a person or a moment", s)
		}
	}
	if storetest.Dialect() == "sqlite" {
		if err := f.db.Gorm.Exec("SELECT rowid FROM feedback_responses").Error; err == nil {
			t.Error("feedback_responses has a rowid: SQLite numbers its rows in the order they came")
		}
	}
	// The invitations say who answered, not when.
	cols, _, _ = f.columnsAndIndexes(t, "feedback_invitations")
	if !slices.Equal(cols, []string{"event_id", "id", "registration_id", "reminded", "used"}) {
		t.Errorf("invitation columns = %v", cols)
	}
}

// TestAnswersCannotBeJoinedToPeople lets eight people answer one after
// the other, each with a text that marks the order, and then tries what
// someone with the database could: the rows as the database returns
// them come in the order of their random ids, not the order of the
// answers; the ids are random hex; on PostgreSQL every answer row
// carries the same transaction stamp (xmin), so it does not match the
// one invitation each submission marked.
func TestAnswersCannotBeJoinedToPeople(t *testing.T) {
	const n = 8
	f := newFixture(t, n)
	ctx := context.Background()
	qs := f.ready(t)
	for i, p := range f.people {
		if err := f.surveys.Submit(ctx, f.link(t, p), answers(qs, i%5+1, fmt.Sprint("Antwort ", i))); err != nil {
			t.Fatal(err)
		}
	}
	var rows []struct{ ID, Answers string }
	must(t, f.db.Gorm.Raw("SELECT id, answers FROM feedback_responses").Scan(&rows).Error)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	hex := regexp.MustCompile(`^[0-9a-f]{32}$`)
	var ids []string
	var order []int
	for _, r := range rows {
		if !hex.MatchString(r.ID) {
			t.Errorf("id %q is not 16 random bytes in hex", r.ID)
		}
		ids = append(ids, r.ID)
		var i int
		if _, err := fmt.Sscanf(r.Answers[strings.Index(r.Answers, "Antwort "):], "Antwort %d", &i); err != nil {
			t.Fatal(err)
		}
		order = append(order, i)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("rows come in the order %v, not sorted by their random ids", ids)
	}
	// The chance that eight random ids sort in the order of answering
	// is 1 in 40320.
	if slices.IsSorted(order) {
		t.Errorf("the rows come in the order the people answered: %v", order)
	}
	if storetest.Dialect() == "postgres" {
		var stamps []string
		must(t, f.db.Gorm.Raw("SELECT DISTINCT xmin::text FROM feedback_responses").Scan(&stamps).Error)
		if len(stamps) != 1 {
			t.Fatalf("answer rows carry %d transaction stamps, want 1: %v", len(stamps), stamps)
		}
		var matching int
		must(t, f.db.Gorm.Raw("SELECT count(*) FROM feedback_invitations WHERE xmin::text = ?", stamps[0]).Scan(&matching).Error)
		if matching > 1 {
			t.Errorf("%d invitations share the answers' transaction stamp", matching)
		}
	}
	t.Logf("submitted in order 0…%d, stored as %v", n-1, order)
}
