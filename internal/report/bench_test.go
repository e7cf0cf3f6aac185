package report

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// benchNetwork is a network of 40 municipalities with six meetings a
// year over three years, 70 registrations each, most checked in.
func benchNetwork(b *testing.B) *store.DB {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b)
	munis := municipality.NewStore(db.Gorm)
	events := event.NewStore(db.Gorm)
	regs := registration.NewStore(db.Gorm, nil)
	ids := make([]int64, 40)
	for i := range ids {
		m, err := munis.Create(ctx, municipality.Input{Name: fmt.Sprintf("Kommune %02d", i), Kind: string(municipality.Stadt)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = m.ID
	}
	functions := []string{"Jugendamt, Jugendhilfeplanung", "Schulverwaltungsamt", "Gesundheitsamt", "Sozialamt", "Koordination Präventionskette", "Kita-Fachberatung", "Bürgermeisterbüro"}
	n := 0
	for year := 2023; year <= 2025; year++ {
		for k := 0; k < 6; k++ {
			days := day.List{{Year: year, Month: time.Month(1 + 2*k), Day: 10}}
			ev, err := events.Create(ctx, event.Input{Kind: ptrTo(event.Lernnetzwerktreffen), Number: ptrTo(n/70 + 1), Days: &days,
				Capacity: ptrTo(70), Status: ptrTo(event.Held)})
			if err != nil {
				b.Fatal(err)
			}
			past := make([]registration.PastRegistration, 70)
			for i := range past {
				n++
				st := registration.Confirmed
				if i%15 == 7 {
					st = registration.Cancelled
				}
				muni := ids[(i+5*k+year)%35] // five municipalities never come
				past[i] = registration.PastRegistration{Registration: registration.Registration{FirstName: "P", LastName: fmt.Sprint(n),
					Email: fmt.Sprintf("p%d@x.example", n), MunicipalityID: &muni, Function: functions[i%len(functions)], Status: st,
					Days: days, PrivacyConsentAt: time.Now(), CreatedAt: time.Now(), UpdatedAt: time.Now()}}
				if st == registration.Confirmed && i%8 != 3 {
					past[i].CheckedIn = days
				}
			}
			if err := regs.ImportPast(ctx, ev.ID, past); err != nil {
				b.Fatal(err)
			}
		}
	}
	if db.Gorm.Dialector.Name() == "postgres" {
		// Statistics as autovacuum keeps them in a running database.
		if err := db.Gorm.Exec("ANALYZE").Error; err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func ptrTo[T any](v T) *T { return &v }

// BenchmarkNetworkReport builds the report over 2025.
func BenchmarkNetworkReport(b *testing.B) {
	db := benchNetwork(b)
	s := NewStore(db.Gorm)
	today := day.MustParse("2026-03-01")
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		r, err := s.Network(ctx, YearPeriod(2025), today, Scope{})
		if err != nil || len(r.Meetings) != 6 || len(r.NotReached) != 5 {
			b.Fatalf("%d meetings, not reached %v, %v", len(r.Meetings), r.NotReached, err)
		}
	}
}

// BenchmarkNetworkReportRawSQL runs the same four queries on database/sql
// and only scans their rows: what the report cannot do faster.
func BenchmarkNetworkReportRawSQL(b *testing.B) {
	db := benchNetwork(b)
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	queries := []struct {
		sql  string
		args []any
		cols int
	}{
		{meetingsSQL, []any{"2025-01-01", "2025-12-31", "2026-03-01"}, 6},
		{fmt.Sprintf(figuresSQL, ""), []any{"2025-01-01", "2025-12-31", "2026-03-01"}, 6},
		{fmt.Sprintf(membersSQL, ""), nil, 2},
		{fmt.Sprintf(beforeSQL, ""), []any{"2025-01-01", "2026-03-01"}, 1},
	}
	if db.Gorm.Dialector.Name() == "postgres" {
		for i := range queries {
			queries[i].sql = dollars(queries[i].sql)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range queries {
			rows, err := sqlDB.QueryContext(ctx, q.sql, q.args...)
			if err != nil {
				b.Fatal(err)
			}
			vals := make([]any, q.cols)
			for i := range vals {
				vals[i] = new(any)
			}
			for rows.Next() {
				if err := rows.Scan(vals...); err != nil {
					b.Fatal(err)
				}
			}
			if err := rows.Close(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// dollars numbers the ? placeholders for PostgreSQL.
func dollars(q string) string {
	out, n := make([]byte, 0, len(q)+8), 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
