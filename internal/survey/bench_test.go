package survey_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/survey"
)

// BenchmarkRemindDue measures the scheduler's round for feedback
// reminders when nothing is due, with the surveys of 300 past meetings
// (ended, with an automatic reminder that never went because everyone
// had answered) and one running survey, next to the one query such a
// round cannot do without, in plain database/sql, in the same loop.
func BenchmarkRemindDue(b *testing.B) {
	f := newFixture(b, 2)
	ctx := context.Background()
	f.readyReminding(b, 3)
	running := f.ev.Days.Last()
	sent := running.AddDays(-400).At(10, 0).UTC()
	for i := range 300 {
		days := day.List{running.AddDays(7 + i)}
		ev, err := f.events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(100 + i), Days: &days,
			Capacity: ptr(50), Status: ptr(event.Published), VenueCity: ptr("Hamm")})
		if err != nil {
			b.Fatal(err)
		}
		// Past surveys are written as they stand, not scheduled: the
		// store schedules only after a meeting, and these are history.
		closes := running.AddDays(-30 - i)
		if err := f.db.Gorm.Create(&survey.Survey{EventID: ev.ID, OpensOn: closes.AddDays(-14), ClosesOn: closes, RemindDaysBefore: 3,
			SentAt: &sent, CreatedAt: sent, UpdatedAt: sent}).Error; err != nil {
			b.Fatal(err)
		}
	}
	now := running.AddDays(3).At(9, 0) // the running survey's reminder is due on day 11
	query := "SELECT id, event_id, opens_on, closes_on, remind_days_before, sent_at, reminded_at FROM feedback_surveys " +
		"WHERE remind_days_before > 0 AND sent_at IS NOT NULL AND reminded_at IS NULL AND closes_on >= ? ORDER BY event_id"
	if f.db.IsPostgres() {
		query = "SELECT id, event_id, opens_on, closes_on, remind_days_before, sent_at, reminded_at FROM feedback_surveys " +
			"WHERE remind_days_before > 0 AND sent_at IS NOT NULL AND reminded_at IS NULL AND closes_on >= $1 ORDER BY event_id"
	}
	raw := func() int {
		rows, err := f.db.SQL.QueryContext(ctx, query, day.Today(now).String())
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id, eventID int64
			var opens, closes string
			var remind int
			var sentAt, remindedAt *time.Time
			if err := rows.Scan(&id, &eventID, &opens, &closes, &remind, &sentAt, &remindedAt); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		return n
	}
	if n := raw(); n != 1 {
		b.Fatalf("the query finds %d candidates, want the running survey alone", n)
	}
	var job, ref time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if n, err := f.surveys.RemindDue(ctx, now); err != nil || n != 0 {
			b.Fatalf("RemindDue: %d, %v", n, err)
		}
		t1 := time.Now()
		raw()
		job, ref = job+t1.Sub(t0), ref+time.Since(t1)
	}
	b.StopTimer()
	ratio := float64(job) / float64(ref)
	b.ReportMetric(ratio, "ratio")
	b.Logf("%s, %d rounds: RemindDue %s, the query alone %s, ratio %.2f", storetest.Describe(), b.N,
		fmt.Sprint(job/time.Duration(b.N)), fmt.Sprint(ref/time.Duration(b.N)), ratio)
}
