package registration_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// benchClients is the number of concurrent registrations.
const benchClients = 8

// BenchmarkRegistrationLimit measures Store.Register for one hot
// meeting from 8 goroutines next to the limit of the same database
// (loadtest.Limit: the three statements a registration cannot do
// without – update the meeting's row, insert the registration, insert
// its mail – in one transaction), from as many goroutines. It prints both rates, the ratio
// and the 99th percentile of one call's latency. Only the ratio means
// something on a shared machine; run with e.g. -benchtime=2000x.
func BenchmarkRegistrationLimit(b *testing.B) {
	f := newFixture(b)
	munis := benchMunicipalities(b, f, 40)
	hot := f.mustEvent(b, 10_000, 10_000)
	ctx := context.Background()
	raw, err := loadtest.NewLimit(ctx, f.db.SQL, f.db.IsPostgres())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = raw.Close(ctx) })
	var path, limit timing
	b.ResetTimer()
	// Interleaved rounds, so a noisy neighbour hits both alike.
	const rounds = 4
	for round := range rounds {
		n := b.N / rounds
		if round == rounds-1 {
			n = b.N - n*(rounds-1)
		}
		path.add(parallel(b, n, func(i int) error {
			in := person(round*b.N+i, &munis[i%len(munis)].ID)
			_, err := f.regs.Register(ctx, hot.ID, in, registration.Options{})
			return err
		}))
		limit.add(parallel(b, n, func(int) error { return raw.Transaction(ctx) }))
	}
	b.StopTimer()
	perPath, perLimit := float64(b.N)/path.wall.Seconds(), float64(b.N)/limit.wall.Seconds()
	b.ReportMetric(perPath, "reg/s")
	b.ReportMetric(perPath/perLimit, "ratio")
	b.ReportMetric(float64(path.p99().Microseconds())/1000, "p99-ms")
	b.Logf("%s, %d clients: Register %.0f/s (p99 %.1f ms), the three statements %.0f tx/s (p99 %.1f ms), ratio %.3f",
		storetest.Describe(), benchClients, perPath, ms(path.p99()), perLimit, ms(limit.p99()), perPath/perLimit)
}

// BenchmarkRegistrationMeetingSize compares registering for a meeting
// that already has 5,000 confirmed registrations with a fresh one, in
// interleaved rounds; the ratio should stay close to 1.
func BenchmarkRegistrationMeetingSize(b *testing.B) {
	f := newFixture(b)
	munis := benchMunicipalities(b, f, 40)
	fresh := f.mustEvent(b, 10_000, 10_000)
	big := f.mustEvent(b, 10_000, 10_000)
	ctx := context.Background()
	parallel(b, 5000, func(i int) error {
		_, err := f.regs.Register(ctx, big.ID, person(-1-i, &munis[i%len(munis)].ID), registration.Options{})
		return err
	})
	var onFresh, onBig time.Duration
	next := atomic.Int64{}
	register := func(eventID int64) func(int) error {
		return func(i int) error {
			k := int(next.Add(1))
			_, err := f.regs.Register(ctx, eventID, person(k, &munis[k%len(munis)].ID), registration.Options{})
			return err
		}
	}
	b.ResetTimer()
	const rounds = 6
	for r := range rounds {
		n := b.N / rounds
		if r == rounds-1 {
			n = b.N - n*(rounds-1)
		}
		onFresh += parallel(b, n, register(fresh.ID)).wall
		onBig += parallel(b, n, register(big.ID)).wall
	}
	b.StopTimer()
	ratio := onFresh.Seconds() / onBig.Seconds()
	b.ReportMetric(ratio, "ratio")
	b.Logf("%s: fresh meeting %.0f reg/s, meeting with 5,000 registrations %.0f reg/s, ratio %.3f",
		storetest.Describe(), float64(b.N)/onFresh.Seconds(), float64(b.N)/onBig.Seconds(), ratio)
}

func benchMunicipalities(b *testing.B, f *fixture, n int) []municipality.Municipality {
	b.Helper()
	out := make([]municipality.Municipality, n)
	for i := range out {
		out[i] = f.mustMunicipality(b, fmt.Sprintf("Kommune %d", i))
	}
	return out
}

// timing is what parallel measured: the wall time and each call's
// latency.
type timing struct {
	wall time.Duration
	lat  []time.Duration
}

func (t *timing) add(o timing) {
	t.wall += o.wall
	t.lat = append(t.lat, o.lat...)
}

// p99 is the latency 99 % of the calls stayed within.
func (t *timing) p99() time.Duration {
	if len(t.lat) == 0 {
		return 0
	}
	slices.Sort(t.lat)
	return t.lat[(len(t.lat)*99+99)/100-1]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// parallel runs fn for 0..n-1 from benchClients goroutines and returns
// the time it took and each call's latency.
func parallel(b *testing.B, n int, fn func(i int) error) timing {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	lat := make([]time.Duration, n)
	start := time.Now()
	for range benchClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if err := fn(i); err != nil {
					b.Errorf("%d: %v", i, err)
					return
				}
				lat[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	return timing{wall: time.Since(start), lat: lat}
}
