package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/loadtest"
	"github.com/isa-nrw/treffen/internal/store"
)

// loadtestArgs are the flags of `treffen loadtest`.
type loadtestArgs struct {
	url, email          string
	databaseURL         string
	eventID             int64
	municipalities, per int
	capacity, quota     int
	concurrency         int
	rate                float64
	duration            time.Duration
}

func (l *loadtestArgs) register(fs *flag.FlagSet) {
	fs.StringVar(&l.url, "url", "", "service to load, loopback only (default: http://ADDR); several instances on one database comma-separated: registrations go to them in turn")
	fs.StringVar(&l.databaseURL, "database-url", "", "the service's database: also measure its limit there (the three statements of a registration, as long as the burst) and print the ratio")
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
	targets := strings.Split(l.url, ",")
	for _, u := range targets {
		if err := loadtest.CheckLoopback(ctx, u); err != nil {
			return err
		}
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
	r, err := loadtest.New(ctx, loadtest.Options{BaseURL: targets[0], Spread: targets[1:], Email: l.email, Password: password, EventID: l.eventID,
		Municipalities: l.municipalities, PerMunicipality: l.per, Capacity: l.capacity, Quota: l.quota,
		Concurrency: l.concurrency, Rate: l.rate, Duration: l.duration})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Lasttest gegen %s, Veranstaltung %d\n", l.url, r.EventID())
	if l.databaseURL == "" {
		fmt.Fprintln(stdout, r.Burst(ctx))
	} else if err := burstAgainstLimit(ctx, r, l.databaseURL, stdout); err != nil {
		return err
	}
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

// burstAgainstLimit runs the burst and then, once the service has sent
// the burst's mails, the limit of its database for as long, and prints
// both and the ratio.
func burstAgainstLimit(ctx context.Context, r *loadtest.Runner, databaseURL string, stdout io.Writer) error {
	db, err := store.Open(ctx, databaseURL)
	if err != nil {
		return fmt.Errorf("loadtest --database-url: %w", err)
	}
	defer db.Close()
	limit, err := loadtest.NewLimit(ctx, db.SQL, db.IsPostgres())
	if err != nil {
		return err
	}
	c := r.BurstAgainst(ctx, limit, time.Minute)
	fmt.Fprintln(stdout, c.Burst)
	fmt.Fprintln(stdout, c)
	return limit.Close(context.WithoutCancel(ctx))
}
