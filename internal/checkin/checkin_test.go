package checkin_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func TestCheckInIsIdempotentAndCounts(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	today := day.Today(time.Now())
	days := day.List{today, day.Of(today.In(time.UTC).AddDate(0, 0, 1))}
	ev, err := event.NewStore(db.Gorm).Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(21), Days: &days,
		Capacity: ptr(1), Status: ptr(event.Published)})
	if err != nil {
		t.Fatal(err)
	}
	regs := registration.NewStore(db.Gorm, nil)
	in := registration.Input{FirstName: "Jürgen", LastName: "Weiß", Email: "j@x.example", Organisation: "Gast", PrivacyConsent: true}
	r, err := regs.Register(ctx, ev.ID, in, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.CheckinCode) != 16 {
		t.Fatalf("check-in code %q", r.CheckinCode)
	}
	in.Email = "w@x.example"
	waiting, _ := regs.Register(ctx, ev.ID, in, registration.Options{})
	in.Email = "walk@x.example"
	walkIn, err := regs.Register(ctx, ev.ID, in, registration.Options{WalkIn: true})
	if err != nil || walkIn.Status != registration.Confirmed || !walkIn.WalkIn {
		t.Fatalf("walk-in beyond capacity: %+v %v", walkIn, err)
	}
	s := checkin.NewStore(db.Gorm)
	found, err := s.Registration(ctx, ev.ID, " "+r.CheckinCode[:8]+" "+r.CheckinCode[8:], 0)
	if err != nil || found.ID != r.ID {
		t.Fatalf("by code: %v %v", found.ID, err)
	}
	if _, err := s.Registration(ctx, ev.ID, "0000000000000000", 0); !problem.Is(err, problem.NotFound) {
		t.Fatalf("unknown code: %v", err)
	}
	// Eight scanners at once: one records, the others see "already".
	var wg sync.WaitGroup
	results := make(chan checkin.Result, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.Record(ctx, ev, found, today, nil)
			if err != nil {
				t.Error(err)
			}
			results <- res
		}()
	}
	wg.Wait()
	close(results)
	fresh := 0
	for res := range results {
		if !res.Already {
			fresh++
		}
	}
	if fresh != 1 {
		t.Fatalf("%d fresh check-ins, want 1", fresh)
	}
	if _, err := s.Record(ctx, ev, waiting, today, nil); !problem.Is(err, problem.Conflict) {
		t.Fatalf("waitlisted person checked in: %v", err)
	}
	if _, err := s.Record(ctx, ev, found, day.Of(today.In(time.UTC).AddDate(0, 0, 5)), nil); !problem.Is(err, problem.Conflict) {
		t.Fatalf("check-in on another day: %v", err)
	}
	c, err := s.CountsFor(ctx, ev.ID, today)
	if err != nil || c.CheckedIn != 1 || c.Expected != 2 {
		t.Fatalf("counts %+v %v", c, err)
	}
	if m, _ := s.CheckedIn(ctx, ev.ID); len(m[r.ID]) != 1 {
		t.Fatalf("checked in %v", m)
	}
}
