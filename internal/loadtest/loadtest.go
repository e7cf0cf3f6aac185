// Package loadtest drives a running treffen service on this machine with
// registration bursts and a sustained rate through the public JSON API,
// measures throughput and latency, and then checks through the
// organisers' API that nothing was lost, duplicated or overbooked. It
// refuses any target that is not a loopback address.
package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options shape a run; zero values take the defaults.
type Options struct {
	BaseURL         string        // e.g. http://127.0.0.1:8080; must be loopback
	Spread          []string      // further instances of the service on one database: registrations go to BaseURL and these in turn
	Email, Password string        // an organiser: creates the meeting, reads the registrations back
	EventID         int64         // 0: create a meeting with Municipalities municipalities
	Municipalities  int           // default 40
	PerMunicipality int           // people per municipality in the burst; default 10
	Capacity        int           // of a created meeting; default 300
	Quota           int           // places per municipality of a created meeting; default 8, -1 for none
	Concurrency     int           // clients at once; default 16
	Rate            float64       // sustained run: registrations per second; default 20
	Duration        time.Duration // sustained run; default 30s
	MaxWait         time.Duration // one registration keeps retrying outages this long; default 60s
	Client          *http.Client  // default: a client with Concurrency idle connections and a 30s timeout
}

func (o Options) withDefaults() Options {
	if o.Municipalities <= 0 {
		o.Municipalities = 40
	}
	if o.PerMunicipality <= 0 {
		o.PerMunicipality = 10
	}
	if o.Capacity <= 0 {
		o.Capacity = 300
	}
	if o.Quota < 0 {
		o.Quota = 0
	} else if o.Quota == 0 {
		o.Quota = 8
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Rate <= 0 {
		o.Rate = 20
	}
	if o.Duration <= 0 {
		o.Duration = 30 * time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 60 * time.Second
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: o.Concurrency}}
	}
	return o
}

// CheckLoopback refuses a base URL whose host is not, or does not
// resolve only to, loopback addresses: a load test never leaves the
// machine.
func CheckLoopback(ctx context.Context, base string) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("load test target %q: not an http(s) URL", base)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("load test target %s is not a loopback address; refusing", host)
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return fmt.Errorf("load test target %s: %w", host, err)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return fmt.Errorf("load test target %s resolves to %s, not loopback; refusing", host, a.IP)
		}
	}
	if len(addrs) == 0 {
		return fmt.Errorf("load test target %s resolves to nothing", host)
	}
	return nil
}

// outcome is what the client learned about one person's registration.
type outcome struct {
	email        string
	municipality int64
	id           int64  // from the 201; 0 when known only from a 409 after a retry
	status       string // confirmed or waitlisted, from the 201
	ok           bool   // 201, or 409 "already registered" after a retry
}

// Runner holds a run's meeting and everything the clients learned.
type Runner struct {
	opts    Options
	token   string
	eventID int64
	munis   []int64
	runID   string
	targets []string // BaseURL and Spread: where registrations go, in turn

	mu       sync.Mutex
	outcomes []outcome
	seq      int
}

// New checks the target, logs in as the organiser and creates the meeting
// (or reads the given one and its municipalities).
func New(ctx context.Context, opts Options) (*Runner, error) {
	opts = opts.withDefaults()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	r := &Runner{opts: opts, runID: hex.EncodeToString(b)}
	for _, base := range append([]string{opts.BaseURL}, opts.Spread...) {
		if err := CheckLoopback(ctx, base); err != nil {
			return nil, err
		}
		r.targets = append(r.targets, strings.TrimRight(base, "/"))
	}
	r.opts.BaseURL = r.targets[0]
	var tok struct{ Token string }
	if err := r.call(ctx, http.MethodPost, "/api/v1/tokens", map[string]string{"email": opts.Email, "password": opts.Password}, http.StatusCreated, &tok); err != nil {
		return nil, fmt.Errorf("log in as %s: %w", opts.Email, err)
	}
	r.token = tok.Token
	if opts.EventID != 0 {
		return r, r.useEvent(ctx)
	}
	return r, r.createEvent(ctx)
}

// EventID is the meeting the run registers for.
func (r *Runner) EventID() int64 { return r.eventID }

func (r *Runner) useEvent(ctx context.Context) error {
	r.eventID = r.opts.EventID
	var ms struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := r.call(ctx, http.MethodGet, "/api/v1/municipalities", nil, http.StatusOK, &ms); err != nil {
		return err
	}
	for _, m := range ms.Items {
		if len(r.munis) == r.opts.Municipalities {
			break
		}
		r.munis = append(r.munis, m.ID)
	}
	if len(r.munis) == 0 {
		return errors.New("the service knows no municipalities")
	}
	return nil
}

func (r *Runner) createEvent(ctx context.Context) error {
	for i := range r.opts.Municipalities {
		var m struct {
			ID int64 `json:"id"`
		}
		name := fmt.Sprintf("Lasttest %s Kommune %02d", r.runID, i+1)
		if err := r.call(ctx, http.MethodPost, "/api/v1/municipalities", map[string]string{"name": name}, http.StatusCreated, &m); err != nil {
			return fmt.Errorf("create municipality: %w", err)
		}
		r.munis = append(r.munis, m.ID)
	}
	first := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	in := map[string]any{"kind": "lernnetzwerktreffen", "title": "Lasttest " + r.runID, "days": []string{first},
		"start_time": "10:00", "end_time": "16:00", "venue_name": "Lasttest", "venue_city": "Köln",
		"capacity": r.opts.Capacity, "municipality_quota": r.opts.Quota, "status": "published"}
	var ev struct {
		ID int64 `json:"id"`
	}
	if err := r.call(ctx, http.MethodPost, "/api/v1/events", in, http.StatusCreated, &ev); err != nil {
		return fmt.Errorf("create meeting: %w", err)
	}
	r.eventID = ev.ID
	return nil
}

// call sends an organiser request and decodes the answer.
func (r *Runner) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.opts.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(raw[:min(len(raw), 300)]))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// person is one registration to make.
type person struct {
	seq          int
	email        string
	municipality int64
}

func (r *Runner) nextPerson(municipality int64) person {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return person{seq: r.seq, municipality: municipality,
		email: fmt.Sprintf("last-%s-%05d@kommune-%d.example", r.runID, r.seq, municipality)}
}

// Phase is the figures of a burst or a sustained run.
type Phase struct {
	Name              string
	Attempted         int // people who tried to register
	Created           int // answered 201
	Confirmed         int // of those, confirmed at once
	Waitlisted        int // of those, on the waiting list
	AlreadyRegistered int // 409 "already registered" after a retry: the earlier attempt had committed
	Failed            int // gave up: an error other than an outage, or MaxWait ran out
	Retries           int // repeated requests after an outage
	Outages           map[string]int
	Errors            map[string]int // the final error of a failed registration, by kind
	Elapsed           time.Duration
	latencies         []time.Duration
}

// Throughput is successful registrations per second.
func (p Phase) Throughput() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Created+p.AlreadyRegistered) / p.Elapsed.Seconds()
}

// Percentile returns the latency of one registration, retries
// included, below which the share q of all lies.
func (p Phase) Percentile(q float64) time.Duration {
	if len(p.latencies) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), p.latencies...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func (p Phase) String() string {
	return fmt.Sprintf("%s: %d registrations in %s = %.1f/s; p50 %s, p95 %s, p99 %s; 201: %d (%d confirmed, %d waiting list), 409 after retry: %d, retries: %d %v, failed: %d %v",
		p.Name, p.Attempted, p.Elapsed.Round(time.Millisecond), p.Throughput(),
		p.Percentile(0.50).Round(100*time.Microsecond), p.Percentile(0.95).Round(100*time.Microsecond), p.Percentile(0.99).Round(100*time.Microsecond),
		p.Created, p.Confirmed, p.Waitlisted, p.AlreadyRegistered, p.Retries, p.Outages, p.Failed, p.Errors)
}

// tally collects the results of one phase's clients.
type tally struct {
	mu sync.Mutex
	p  Phase
}

func (t *tally) add(o outcome, res result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.p.Attempted++
	t.p.Retries += res.retries
	for k, v := range res.outages {
		t.p.Outages[k] += v
	}
	t.p.latencies = append(t.p.latencies, res.latency)
	switch {
	case res.err != "":
		t.p.Failed++
		t.p.Errors[res.err]++
	case o.id != 0:
		t.p.Created++
		if o.status == "confirmed" {
			t.p.Confirmed++
		} else {
			t.p.Waitlisted++
		}
	default:
		t.p.AlreadyRegistered++
	}
}

// Burst registers PerMunicipality people of every municipality, as fast
// as Concurrency clients allow, the municipalities interleaved as in a
// real opening of registration.
func (r *Runner) Burst(ctx context.Context) Phase {
	var people []person
	for i := 0; i < r.opts.PerMunicipality; i++ {
		for _, m := range r.munis {
			people = append(people, r.nextPerson(m))
		}
	}
	work := make(chan person)
	t := &tally{p: Phase{Name: "burst", Outages: map[string]int{}, Errors: map[string]int{}}}
	var wg sync.WaitGroup
	start := time.Now()
	for range r.opts.Concurrency {
		wg.Go(func() {
			for p := range work {
				o, res := r.register(ctx, p)
				r.record(o)
				t.add(o, res)
			}
		})
	}
	for _, p := range people {
		if ctx.Err() != nil {
			break
		}
		work <- p
	}
	close(work)
	wg.Wait()
	t.p.Elapsed = time.Since(start)
	return t.p
}

// Sustained starts Rate registrations per second for Duration, each on
// a client of its own but at most Concurrency at once; when all are
// busy the next start waits, so the achieved rate shows in the figures.
func (r *Runner) Sustained(ctx context.Context) Phase {
	t := &tally{p: Phase{Name: fmt.Sprintf("sustained %.0f/s for %s", r.opts.Rate, r.opts.Duration), Outages: map[string]int{}, Errors: map[string]int{}}}
	slots := make(chan struct{}, r.opts.Concurrency)
	interval := time.Duration(float64(time.Second) / r.opts.Rate)
	var wg sync.WaitGroup
	start := time.Now()
	next := start
	for i := 0; time.Since(start) < r.opts.Duration && ctx.Err() == nil; i++ {
		time.Sleep(time.Until(next))
		next = next.Add(interval)
		slots <- struct{}{}
		p := r.nextPerson(r.munis[i%len(r.munis)])
		wg.Go(func() {
			defer func() { <-slots }()
			o, res := r.register(ctx, p)
			r.record(o)
			t.add(o, res)
		})
	}
	wg.Wait()
	t.p.Elapsed = time.Since(start)
	return t.p
}

func (r *Runner) record(o outcome) {
	r.mu.Lock()
	r.outcomes = append(r.outcomes, o)
	r.mu.Unlock()
}

// result is how one registration went.
type result struct {
	latency time.Duration
	retries int
	outages map[string]int // 503, 502, "connection" …
	err     string
}

// register makes one person's registration, retrying outages (503 and
// lost connections) with a backoff that honours Retry-After, until
// MaxWait. A 409 "already registered" after a retry means an earlier
// attempt had committed and its answer was lost: that is the success.
func (r *Runner) register(ctx context.Context, p person) (o outcome, res result) {
	o = outcome{email: p.email, municipality: p.municipality}
	body, _ := json.Marshal(map[string]any{"first_name": "Lasttest", "last_name": fmt.Sprintf("Person %d", p.seq),
		"email": p.email, "municipality_id": p.municipality, "privacy_consent": true})
	res = result{outages: map[string]int{}}
	start := time.Now()
	defer func() { res.latency = time.Since(start) }()
	// One person's retries go to the same instance, as a browser's would.
	base := r.targets[p.seq%len(r.targets)]
	path := fmt.Sprintf("%s/api/v1/events/%d/registrations", base, r.eventID)
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			res.retries++
		}
		wait, done := r.try(ctx, path, body, attempt > 0, &o, &res)
		if done {
			return o, res
		}
		wait = max(wait, backoff)
		backoff = min(2*backoff, 5*time.Second)
		if time.Since(start)+wait > r.opts.MaxWait {
			res.err = "gave up after outages"
			return o, res
		}
		select {
		case <-ctx.Done():
			res.err = "cancelled"
			return o, res
		case <-time.After(wait):
		}
	}
}

// try sends one request; done reports a final outcome, else wait is the
// server's Retry-After (0 when none).
func (r *Runner) try(ctx context.Context, path string, body []byte, retried bool, o *outcome, res *result) (wait time.Duration, done bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, path, bytes.NewReader(body))
	if err != nil {
		res.err = err.Error()
		return 0, true
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.opts.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			res.err = "cancelled"
			return 0, true
		}
		// The server went away (killed, restarting): the request may or
		// may not have committed; the retry tells.
		res.outages["connection"]++
		return 0, false
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch resp.StatusCode {
	case http.StatusCreated:
		var reg struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(raw, &reg); err != nil || reg.ID == 0 {
			res.err = "201 without a registration"
			return 0, true
		}
		o.id, o.status, o.ok = reg.ID, reg.Status, true
		return 0, true
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		res.outages[strconv.Itoa(resp.StatusCode)]++
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return time.Duration(secs) * time.Second, false
	case http.StatusConflict:
		var e struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		_ = json.Unmarshal(raw, &e)
		if retried && e.Error.Code == "conflict" && e.Error.Fields["email"] != "" {
			o.ok = true
			return 0, true
		}
		res.err = "409 " + e.Error.Code
		return 0, true
	case http.StatusTooManyRequests:
		res.err = "429: the service limits registrations per IP (start it with TREFFEN_RATE_LIMIT_REGISTER=0)"
		return 0, true
	}
	res.err = resp.Status
	return 0, true
}
