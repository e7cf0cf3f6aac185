package mail

import (
	"context"
	"testing"
	"time"
)

// TestPacerSharesOneRate: without a rate Wait never waits; at 20 a
// second, 8 goroutines waiting 3 times each take at least 23 intervals
// (~1.15 s) together, far longer than 1,000 unlimited waits.
func TestPacerSharesOneRate(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	free := newPacer(0)
	for range 1000 {
		if err := free.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	unlimited := time.Since(start)

	paced := newPacer(20)
	done := make(chan error)
	start = time.Now()
	for range 8 {
		go func() {
			for range 3 {
				if err := paced.Wait(ctx); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	if took < 23*50*time.Millisecond-20*time.Millisecond {
		t.Errorf("24 turns at 20 a second took %s, want at least 1.15 s", took)
	}
	if unlimited*10 > took {
		t.Errorf("1,000 unlimited turns took %s, 24 paced ones %s: want the unlimited ones far faster", unlimited, took)
	}

	// A turn far ahead is given up when ctx ends.
	slow := newPacer(0.5)
	_ = slow.Wait(ctx) // the first turn is now
	cut, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start = time.Now()
	if err := slow.Wait(cut); err == nil || time.Since(start) > time.Second {
		t.Errorf("cancelled wait: %v after %s", err, time.Since(start))
	}
}
