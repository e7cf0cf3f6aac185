package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// BenchmarkRegistrationAPI measures the public registration path end to
// end (HTTP, JSON, rules, row lock, outbox) with 8 and 32 concurrent
// clients on one meeting. Against PostgreSQL when
// TREFFEN_TEST_DATABASE_URL is set. Reports throughput and latency
// percentiles.
func BenchmarkRegistrationAPI(b *testing.B) {
	for _, clients := range []int{8, 32} {
		b.Run(fmt.Sprintf("db=%s/clients=%d", storetest.Dialect(), clients), func(b *testing.B) {
			e := newEnv(b, func(c *config.Config) { c.RegisterLimit = 0 })
			ev := e.event(10000, 0, 1)
			munis := []int64{e.ahlen.ID, e.coesfeld.ID}
			url := fmt.Sprintf("%s/api/v1/events/%d/registrations", e.srv.URL, ev.ID)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
			var (
				next      atomic.Int64
				mu        sync.Mutex
				latencies = make([]time.Duration, 0, b.N)
				failures  atomic.Int64
				wg        sync.WaitGroup
			)
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < clients; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					local := make([]time.Duration, 0, b.N/clients+1)
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							break
						}
						body, _ := json.Marshal(map[string]any{"first_name": "Jürgen", "last_name": fmt.Sprintf("Weiß-%d", i),
							"email": fmt.Sprintf("bench-%d@kommune.example", i), "municipality_id": munis[i%2], "privacy_consent": true})
						t0 := time.Now()
						resp, err := client.Post(url, "application/json", bytes.NewReader(body))
						if err != nil || resp.StatusCode != http.StatusCreated {
							failures.Add(1)
						}
						if resp != nil {
							resp.Body.Close()
						}
						local = append(local, time.Since(t0))
					}
					mu.Lock()
					latencies = append(latencies, local...)
					mu.Unlock()
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failures.Load(); n > 0 {
				b.Fatalf("%d of %d registrations failed", n, b.N)
			}
			sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
			pct := func(p float64) float64 {
				return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "regs/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		})
	}
}
