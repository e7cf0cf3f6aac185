package mail

import (
	"context"
	"sync"
	"time"
)

// pacer spaces sends evenly at a rate shared by all of a worker's
// goroutines, so a municipal mail server sees a steady trickle instead
// of a burst it throttles or takes for spam. Each caller reserves the
// next free slot and sleeps until it.
type pacer struct {
	interval time.Duration // 0: no limit

	mu   sync.Mutex
	next time.Time // the earliest free slot
}

// newPacer returns a pacer for perSecond sends a second; 0 or less is
// no limit.
func newPacer(perSecond float64) *pacer {
	if perSecond <= 0 {
		return &pacer{}
	}
	return &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
}

// Wait blocks until the caller may send, or ctx ends (then it returns
// ctx's error and the slot is given up).
func (p *pacer) Wait(ctx context.Context) error {
	if p.interval <= 0 {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	p.mu.Unlock()
	wait := slot.Sub(now)
	if wait <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
