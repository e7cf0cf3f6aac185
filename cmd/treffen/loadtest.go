package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/loadtest"
)

// loadtestArgs are the flags of `treffen loadtest`.
type loadtestArgs struct {
	url, email          string
	eventID             int64
	municipalities, per int
	capacity, quota     int
	concurrency         int
	rate                float64
	duration            time.Duration
}

func (l *loadtestArgs) register(fs *flag.FlagSet) {
	fs.StringVar(&l.url, "url", "", "service to load, loopback only (default: http://ADDR)")
	fs.StringVar(&l.email, "email", "", "organiser account (default: admin_email); password from TREFFEN_LOADTEST_PASSWORD or admin_password")
	fs.Int64Var(&l.eventID, "event", 0, "meeting to register for (default: create one)")
	fs.IntVar(&l.municipalities, "municipalities", 40, "municipalities in the burst")
	fs.IntVar(&l.per, "per-municipality", 10, "people per municipality in the burst")
	fs.IntVar(&l.capacity, "capacity", 300, "capacity of a created meeting")
	fs.IntVar(&l.quota, "quota", 8, "places per municipality of a created meeting (-1: none)")
	fs.IntVar(&l.concurrency, "concurrency", 16, "clients at once")
	fs.Float64Var(&l.rate, "rate", 20, "sustained run: registrations per second")
	fs.DurationVar(&l.duration, "duration", time.Minute, "sustained run: how long (0: no sustained run)")
}

// runLoadtest fires the burst and the sustained run at a running service
// and checks the result; it fails when any check fails.
func runLoadtest(ctx context.Context, cfg config.Config, l loadtestArgs, getenv func(string) string, stdout io.Writer) error {
	if l.url == "" {
		l.url = "http://" + cfg.Addr
	}
	if err := loadtest.CheckLoopback(ctx, l.url); err != nil {
		return err
	}
	if l.email == "" {
		l.email = cfg.AdminEmail
	}
	password := getenv("TREFFEN_LOADTEST_PASSWORD")
	if password == "" {
		password = cfg.AdminPassword
	}
	if l.email == "" || password == "" {
		return errors.New("loadtest needs an organiser: --email (or admin_email) and TREFFEN_LOADTEST_PASSWORD (or admin_password)")
	}
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: l.url, Email: l.email, Password: password, EventID: l.eventID,
		Municipalities: l.municipalities, PerMunicipality: l.per, Capacity: l.capacity, Quota: l.quota,
		Concurrency: l.concurrency, Rate: l.rate, Duration: l.duration})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Lasttest gegen %s, Veranstaltung %d\n", l.url, r.EventID())
	fmt.Fprintln(stdout, r.Burst(ctx))
	if l.duration > 0 {
		fmt.Fprintln(stdout, r.Sustained(ctx))
	}
	v, err := r.Verify(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, v)
	if !v.OK() {
		return fmt.Errorf("loadtest: %d problems found", len(v.Problems))
	}
	return nil
}
