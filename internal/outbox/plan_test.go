package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// TestClaimReadsTheDueIndex checks that the claim finds its row through
// the partial index of waiting mails, not by walking the sent ones, even
// when the planner's statistics still see the history as a backlog.
func TestClaimReadsTheDueIndex(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	s := NewStore(db.Gorm)
	past := time.Now().UTC().Add(-time.Hour)
	batch := make([]Message, 5000)
	for i := range batch {
		batch[i] = Message{Kind: Confirmation, Recipient: fmt.Sprintf("p%d@example.org", i), Status: Pending, NextAttemptAt: past}
	}
	if err := db.Gorm.CreateInBatches(batch, 500).Error; err != nil {
		t.Fatal(err)
	}
	analyze := "ANALYZE"
	if db.IsPostgres() {
		analyze = "ANALYZE mail_outbox"
	}
	if err := db.Gorm.Exec(analyze).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("UPDATE mail_outbox SET status = 'sent', sent_at = ?", past).Error; err != nil {
		t.Fatal(err)
	}
	explain := "EXPLAIN "
	if !db.IsPostgres() {
		explain = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.Gorm.WithContext(ctx).Raw(explain+s.claimSQL(), sql.Named("now", time.Now().UTC()), sql.Named("until", time.Now().UTC())).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&plan, vals[len(vals)-1])
	}
	if !strings.Contains(plan.String(), "mail_outbox_due_idx") {
		t.Errorf("%s: the claim does not read mail_outbox_due_idx:\n%s", storetest.Describe(), plan.String())
	}
	t.Logf("%s plan:\n%s", storetest.Describe(), plan.String())
}
