package registration_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestPlacesMatchARecount runs a random mix of everything that changes a
// registration's status, from several goroutines on two meetings, and
// then holds the counted places (registration_places) to a count of the
// registrations themselves.
func TestPlacesMatchARecount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	erase := privacy.NewStore(f.db.Gorm, f.regs)
	var munis []*int64
	for i := range 4 {
		m := f.mustMunicipality(t, fmt.Sprintf("Kommune %d", i))
		munis = append(munis, &m.ID)
	}
	munis = append(munis, nil) // guests without a municipality
	events := []event.Event{f.mustEvent(t, 12, 4), f.mustEvent(t, 8, 0)}

	var (
		mu   sync.Mutex
		regs []registration.Registration
	)
	pick := func(rng *rand.Rand) (registration.Registration, bool) {
		mu.Lock()
		defer mu.Unlock()
		if len(regs) == 0 {
			return registration.Registration{}, false
		}
		return regs[rng.IntN(len(regs))], true
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 14))
			for i := range 60 {
				ev := events[rng.IntN(len(events))]
				var err error
				switch op := rng.IntN(10); {
				case op < 5: // register, now and then an address twice
					in := person(g*1000+rng.IntN(40), munis[rng.IntN(len(munis))])
					if in.MunicipalityID == nil {
						in.Organisation = "Jugendamt"
					}
					var r registration.Registration
					r, err = f.regs.Register(ctx, ev.ID, in, registration.Options{WalkIn: op == 0})
					if err == nil {
						mu.Lock()
						regs = append(regs, r)
						mu.Unlock()
					}
				case op < 6:
					if r, ok := pick(rng); ok {
						_, err = f.regs.Cancel(ctx, r.ID, audit.System)
					}
				case op < 7: // a cancellation taken back
					if r, ok := pick(rng); ok {
						_, err = f.regs.Reinstate(ctx, r.ID, registration.StatusChange{Actor: audit.System, Notify: rng.IntN(2) == 0})
					}
				case op < 8:
					if r, ok := pick(rng); ok {
						_, err = erase.DeleteRegistration(ctx, r.ID)
					}
				case op < 9:
					if r, ok := pick(rng); ok {
						_, err = f.regs.Withdraw(ctx, r.ID, audit.System, func(*gorm.DB, registration.Registration) error { return nil })
					}
				default: // more places, then the waiting list moves up
					c := 8 + rng.IntN(20)
					if _, err = f.events.Update(ctx, ev.ID, event.Input{Capacity: &c}); err == nil {
						_, err = f.regs.FillFromWaitlist(ctx, ev.ID)
					}
				}
				if err != nil && !expected(err) {
					t.Errorf("goroutine %d, step %d: %v", g, i, err)
				}
			}
		})
	}
	wg.Wait()

	type row struct {
		EventID        int64
		MunicipalityID int64
		Confirmed      int
	}
	var counted, recounted []row
	if err := f.db.Gorm.Raw("SELECT event_id, municipality_id, confirmed FROM registration_places WHERE confirmed <> 0 ORDER BY event_id, municipality_id").Scan(&counted).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Gorm.Raw(`SELECT event_id, 0 AS municipality_id, count(*) AS confirmed FROM registrations WHERE status = 'confirmed' GROUP BY event_id
UNION ALL SELECT event_id, municipality_id, count(*) FROM registrations WHERE status = 'confirmed' AND municipality_id IS NOT NULL GROUP BY event_id, municipality_id
ORDER BY 1, 2`).Scan(&recounted).Error; err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(counted) != fmt.Sprint(recounted) {
		t.Errorf("counted places %v, recount %v", counted, recounted)
	}
	if len(recounted) < 4 {
		t.Errorf("the mix confirmed too little to prove anything: %v", recounted)
	}
	var negative int64
	if err := f.db.Gorm.Raw("SELECT count(*) FROM registration_places WHERE confirmed < 0").Scan(&negative).Error; err != nil || negative > 0 {
		t.Errorf("%d negative counts (%v)", negative, err)
	}
}

// expected says whether err is a refusal the random mix runs into:
// a duplicate, a registration cancelled twice, a capacity below the
// confirmed count.
func expected(err error) bool {
	return errors.Is(err, registration.ErrDuplicate) || errors.Is(err, registration.ErrAlreadyCancelled) ||
		problem.CodeOf(err) == problem.Invalid || problem.CodeOf(err) == problem.Conflict
}
