package loadtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// TestBurstAgainstTheLimit runs a small burst and then the limit on the
// same database for as long, checks the report and that the limit's
// meeting is gone afterwards with everything it wrote.
func TestBurstAgainstTheLimit(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: serve(t, db), Email: organiser, Password: password,
		Municipalities: 10, PerMunicipality: 5, Capacity: 40, Quota: 4, Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	limit, err := loadtest.NewLimit(ctx, db.SQL, db.IsPostgres())
	if err != nil {
		t.Fatal(err)
	}
	c := r.BurstAgainst(ctx, limit, 100*time.Millisecond) // serve has no mail worker
	t.Logf("%s\n%s", c.Burst, c)
	if c.Burst.Created != 50 || c.Limit.Transactions == 0 || c.Limit.Failed != 0 {
		t.Errorf("burst created %d of 50; limit ran %d transactions, %d failed (%s)", c.Burst.Created, c.Limit.Transactions, c.Limit.Failed, c.Limit.FirstError)
	}
	if c.Ratio() <= 0 || c.Limit.Elapsed < c.Burst.Elapsed {
		t.Errorf("ratio %.3f; the limit ran %s for a burst of %s", c.Ratio(), c.Limit.Elapsed, c.Burst.Elapsed)
	}
	report := c.String()
	for _, want := range []string{"limit: the three statements of a registration straight on the database, 8 clients", "transactions", "ratio to the limit: burst"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if err := limit.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var left int64
	if err := db.Gorm.Raw(`SELECT (SELECT count(*) FROM events WHERE title LIKE 'Grenzmessung %')
		+ (SELECT count(*) FROM registrations WHERE email LIKE 'grenze-%')
		+ (SELECT count(*) FROM mail_outbox WHERE recipient LIKE 'grenze-%')`).Row().Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d rows of the limit left after Close", left)
	}
	v, err := r.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Error(v.Problems)
	}
}
