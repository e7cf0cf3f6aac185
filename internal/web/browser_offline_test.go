package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// The check-in app on phones at a door without Wi-Fi.

// device opens a second phone in the same chromium: a browser context of
// its own, with its own cookies, storage and service worker.
func (b *browser) device() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	d := &browser{t: b.t, ctx: ctx, base: b.base, shots: b.shots}
	d.do("start second device", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	return d
}

// logIn logs in on the login form.
func (b *browser) logIn(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), email), chromedp.SendKeys(chromedp.ID("f-password"), password))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
}

// waitJS waits until the expression (a promise may be returned) is true.
func (b *browser) waitJS(step, expr string, within time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: not within %s (%v)", step, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// legacyConditions are the parameters of Network.emulateNetworkConditions,
// which the generated protocol package no longer lists.
type legacyConditions struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[legacyConditions, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

// setOnline switches the device's network: the page's requests, its
// service worker's and navigator.onLine (the app listens to "online").
func (b *browser) setOnline(on bool) {
	b.t.Helper()
	b.do(fmt.Sprintf("network online=%v", on), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulateNetworkConditions, legacyConditions{Offline: !on, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
			return fmt.Errorf("Network.emulateNetworkConditions: %w", err)
		}
		offlineWorker := !on
		rules := []*network.Conditions{}
		if !on {
			rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offlineWorker, MatchedNetworkConditions: rules}); err != nil {
			return fmt.Errorf("Network.emulateNetworkConditionsByRule: %w", err)
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: !on, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// openCheckinApp opens the check-in page until the service worker has
// taken it and keeps the page and the day's list on the device.
func (b *browser) openCheckinApp(page string, people int) {
	b.t.Helper()
	b.open(page)
	b.waitJS("service worker controls the page", `navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)`, 15*time.Second)
	b.open(page) // now through the worker, which keeps a copy
	b.waitJS("list on the device", `caches.open("checkin-lists").then(c => c.keys()).then(k => k.length > 0)`, 10*time.Second)
	b.waitJS("page on the device", `caches.open("checkin-pages").then(c => c.keys()).then(k => k.length > 0)`, 10*time.Second)
	b.waitJS("list shown", fmt.Sprintf(`document.querySelector('[data-count="expected"]').textContent === "%d"`, people), 5*time.Second)
}

// checkInByCode types a badge's code as a scanner would and waits for the answer.
func (b *browser) checkInByCode(code string) string {
	b.t.Helper()
	b.do("type code", chromedp.SendKeys(chromedp.ID("f-code"), code[:8]+" "+code[8:]+kb.Enter))
	return b.text("#checkin-result")
}

// checkInBySearch finds a person by name and presses Einchecken.
func (b *browser) checkInBySearch(name string, id int64) string {
	b.t.Helper()
	run(b, "clear search", chromedp.Evaluate[any](`document.getElementById("q").value = ""; null`))
	b.do("type name", chromedp.SendKeys(chromedp.ID("q"), name))
	b.do("press Einchecken", chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[data-checkin="%d"]`, id))))
	return b.text("#checkin-result")
}

// walkIn registers a person at the door in the app's form.
func (b *browser) walkIn(first, last, email string, municipalityID int64) string {
	b.t.Helper()
	run(b, "open walk-in form", chromedp.Evaluate[any](`document.getElementById("walkin").open = true; null`))
	b.do("fill walk-in form",
		chromedp.SendKeys(chromedp.ID("f-first_name"), first), chromedp.SendKeys(chromedp.ID("f-last_name"), last),
		chromedp.SendKeys(chromedp.ID("f-email"), email), chromedp.SetValue(chromedp.ID("f-municipality_id"), fmt.Sprint(municipalityID)),
		chromedp.Click(chromedp.ID("f-privacy_consent")), chromedp.Click(chromedp.CSS("#walkin-form button.primary")))
	return b.text("#checkin-result")
}

// queuedTimes reads the device's queue: when it checked in whom.
func (b *browser) queuedTimes(eventID int64) map[int64]time.Time {
	b.t.Helper()
	raw := run(b, "queue", chromedp.Evaluate[string](fmt.Sprintf(`localStorage.getItem("treffen-checkin:%d:echt")`, eventID)))
	var saved struct {
		Queue []struct {
			Kind           string    `json:"kind"`
			RegistrationID int64     `json:"registration_id"`
			At             time.Time `json:"at"`
		} `json:"queue"`
	}
	if err := json.Unmarshal([]byte(raw), &saved); err != nil {
		b.t.Fatalf("queue on the device: %v (%s)", err, raw)
	}
	out := map[int64]time.Time{}
	for _, op := range saved.Queue {
		if op.Kind == "check_in" {
			out[op.RegistrationID] = op.At
		}
	}
	return out
}

// hostOf creates a host account of the meeting.
func (e *env) hostOf(eventID int64, email, password string) {
	e.t.Helper()
	ctx := context.Background()
	host, err := e.users.Create(ctx, account.NewUser{Email: email, Password: password, Role: account.Host})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.users.SetHost(ctx, host.ID, eventID, true, audit.System); err != nil {
		e.t.Fatal(err)
	}
}

var doorPeople = [][2]string{
	{"Anna", "Becker"}, {"Bernd", "Schulte"}, {"Carla", "Hoffmann"}, {"Dirk", "Wagner"}, {"Elif", "Yıldız"},
	{"Frank", "Krüger"}, {"Gül", "Demir"}, {"Hanna", "Lehmann"}, {"Ingo", "Brandt"}, {"Jana", "Vogel"},
	{"Kai", "Albers"}, {"Lea", "Funke"}, {"Marek", "Nowak"}, {"Nina", "Otto"}, {"Olaf", "Peters"},
	{"Paula", "Quast"}, {"Rita", "Sommer"}, {"Sven", "Thiele"}, {"Tanja", "Ulrich"}, {"Uwe", "Zander"},
}

// TestBrowserCheckInOfflineOnTwoDevices: two hosts' phones lose the
// network, check in 20 people by code and by name (four of them on both)
// and register the same walk-in; back online, the server holds one
// check-in per person, the earliest, one walk-in registration, and both
// phones show the same count.
func TestBrowserCheckInOfflineOnTwoDevices(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(100)
	var regs []registration.Registration
	for i, n := range doorPeople {
		muni := &e.ahlen.ID
		if i%2 == 1 {
			muni = &e.coesfeld.ID
		}
		regs = append(regs, e.person(ev.ID, n[0], n[1], fmt.Sprintf("%s.%d@kommune.example", strings.ToLower(n[0]), i), muni))
	}
	e.hostOf(ev.ID, "einlass-nord@ahlen.example", "einlass-nord-2026")
	e.hostOf(ev.ID, "einlass-sued@ahlen.example", "einlass-sued-2026")
	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)

	north := newBrowser(t, e)
	north.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	south := north.device()
	north.logIn("einlass-nord@ahlen.example", "einlass-nord-2026")
	south.logIn("einlass-sued@ahlen.example", "einlass-sued-2026")
	north.openCheckinApp(page, len(regs))
	south.openCheckinApp(page, len(regs))

	// The venue's network goes down: for the phones (DevTools' network
	// emulation) and in front of the server.
	e.venueNet.off.Store(true)
	north.setOnline(false)
	south.setOnline(false)
	// A phone reopening the page finds it and the list on the device.
	north.load("reopen offline", http.StatusOK, chromedp.Navigate(north.base+page))
	north.waitJS("list from the device", fmt.Sprintf(`document.querySelector('[data-count="expected"]').textContent === "%d"`, len(regs)), 5*time.Second)
	if got := north.text("#net-label"); got != "Offline" {
		t.Errorf("network state shown: %q", got)
	}

	// North: people 0–11 by their badge's code; south: 8–19 by name.
	for _, r := range regs[:12] {
		if got, want := north.checkInByCode(r.CheckinCode), r.FullName(); !strings.Contains(got, want) || !strings.Contains(got, "ist eingecheckt") {
			t.Errorf("north, code of %s: %q", want, got)
		}
	}
	if got := north.checkInByCode(regs[3].CheckinCode); !strings.Contains(got, "bereits eingecheckt um") {
		t.Errorf("north, the same badge again: %q", got)
	}
	for _, r := range regs[8:] {
		if got := south.checkInBySearch(r.LastName, r.ID); !strings.Contains(got, r.FullName()+" (") || !strings.Contains(got, "ist eingecheckt") {
			t.Errorf("south, search %s: %q", r.LastName, got)
		}
	}
	// The same walk-in at both doors (the second door types the address
	// in capitals).
	if got := north.walkIn("Vera", "Neumann", "vera.neumann@hamm.example", e.coesfeld.ID); !strings.Contains(got, "Vera Neumann ist nachgemeldet und eingecheckt") {
		t.Errorf("north walk-in: %q", got)
	}
	if got := south.walkIn("Vera", "Neumann", "Vera.Neumann@HAMM.example", e.coesfeld.ID); !strings.Contains(got, "nachgemeldet und eingecheckt") {
		t.Errorf("south walk-in: %q", got)
	}
	for name, d := range map[string]*browser{"north": north, "south": south} {
		if got := d.text("#queue-label"); !strings.HasPrefix(got, "13 Check-ins warten auf Versand – kein Netz") {
			t.Errorf("%s queue: %q", name, got)
		}
		if got := d.text("#checkin-count .figures"); !strings.HasPrefix(got, "13 von 21 eingecheckt") {
			t.Errorf("%s count offline: %q", name, got)
		}
	}
	run(north, "scroll to the top", chromedp.Evaluate[any](`window.scrollTo(0, 0); null`))
	north.viewShot("checkin-offline.png")
	// The page's own requests were cut by the emulation: none of its
	// syncs (POST) came to the venue's network. The service workers'
	// requests run outside the page's emulation; the venue's network
	// dropped them, as a dead Wi-Fi would.
	if leaks := e.venueNet.leaks(); strings.Contains(leaks, "POST ") {
		t.Fatalf("the page sent while offline:\n%s", leaks)
	}
	t.Logf("%d requests of service workers and browsers dropped by the venue's network while offline", e.venueNet.reached.Load())
	if got := e.checkInsOf(ev); len(got) != 0 {
		t.Fatalf("check-ins on the server before the network is back: %d", len(got))
	}
	northAt, southAt := north.queuedTimes(ev.ID), south.queuedTimes(ev.ID)

	// Back online, north first: its check-ins of the four people both
	// doors saw are the earlier ones and win; south is told.
	e.venueNet.off.Store(false)
	north.setOnline(true)
	north.waitJS("north's queue sent", `document.getElementById("queue-state").dataset.pending === "0"`, 20*time.Second)
	south.setOnline(true)
	south.waitJS("south's queue sent", `document.getElementById("queue-state").dataset.pending === "0"`, 20*time.Second)
	for name, d := range map[string]*browser{"north": north, "south": south} {
		d.waitJS(name+" counts converge", `document.querySelector("#checkin-count .figures").textContent.startsWith("21 von 21 eingecheckt")`, 25*time.Second)
	}
	log := south.text("#sync-log-list")
	for _, r := range append(regs[8:12:12], registration.Registration{FirstName: "Vera", LastName: "Neumann"}) {
		if !strings.Contains(log, r.FullName()+" (") || !strings.Contains(log, "bereits eingecheckt um") {
			t.Errorf("south's log does not tell that %s was checked in at the other door:\n%s", r.FullName(), log)
		}
	}
	if n := strings.Count(log, "bereits eingecheckt um"); n != 5 {
		t.Errorf("south's log has %d already-notes, want 5:\n%s", n, log)
	}
	run(south, "scroll to the top", chromedp.Evaluate[any](`window.scrollTo(0, 0); null`))
	south.screenshot("checkin-online.png")

	// The server: one check-in per person and day, the earliest; one
	// registration for the walk-in.
	times := e.checkInsOf(ev)
	if len(times) != 21 {
		t.Errorf("%d check-ins on the server, want 21", len(times))
	}
	for _, r := range regs {
		got, ok := times[r.ID]
		if !ok {
			t.Errorf("%s not checked in", r.FullName())
			continue
		}
		want, okN := northAt[r.ID]
		if s, okS := southAt[r.ID]; okS && (!okN || s.Before(want)) {
			want = s
		}
		if !got.Truncate(time.Millisecond).Equal(want.Truncate(time.Millisecond)) {
			t.Errorf("%s checked in at %s on the server, want the earliest device time %s", r.FullName(), got, want)
		}
	}
	walkIns, err := e.regs.List(ctx, ev.ID, registration.Filter{Query: "vera.neumann@hamm.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(walkIns) != 1 || !walkIns[0].WalkIn || walkIns[0].Status != registration.Confirmed {
		t.Fatalf("walk-in registrations: %+v", walkIns)
	}
	if _, ok := times[walkIns[0].ID]; !ok {
		t.Error("the walk-in is not checked in")
	}
}

// checkInsOf returns the check-ins of today of the meeting.
func (e *env) checkInsOf(ev event.Event) map[int64]time.Time {
	e.t.Helper()
	times, err := e.checkins.Times(context.Background(), ev.ID, day.Today(time.Now()))
	if err != nil {
		e.t.Fatal(err)
	}
	return times
}

// TestBrowserCheckInServiceWorker: the worker serves the check-in page
// and the day's list without a network, drops the list when its time on
// the device is over, and drops everything of the meeting once the
// server says the meeting is over.
func TestBrowserCheckInServiceWorker(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(40)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	e.hostOf(ev.ID, "einlass@ahlen.example", "einlass-ahlen-2026")
	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)
	b := newBrowser(t, e)
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	b.logIn("einlass@ahlen.example", "einlass-ahlen-2026")
	b.openCheckinApp(page, 2)

	// Without a network the page and the list come from the device.
	e.venueNet.off.Store(true)
	b.setOnline(false)
	b.load("reopen offline", http.StatusOK, chromedp.Navigate(b.base+page))
	b.waitJS("list from the device", `document.querySelector('[data-count="expected"]').textContent === "2"`, 5*time.Second)
	if got := b.checkInBySearch("Weiß", jw.ID); got != "Jürgen Weiß (Stadt Ahlen) ist eingecheckt." {
		t.Errorf("offline check-in: %q", got)
	}

	// A list whose time on the device is over is not served: the device's
	// clock says so even without a network.
	listURL := b.base + fmt.Sprintf("/host/events/%d/checkin/list.json", ev.ID)
	expired := run(b, "list with an expired time on the device", chromedp.Evaluate[string](fmt.Sprintf(`
		caches.open("checkin-lists").then(async cache => {
			const cached = await cache.match(%q);
			const list = await cached.json();
			list.offline_until = new Date(Date.now() - 60000).toISOString();
			await cache.put(%q, new Response(JSON.stringify(list), {headers: {"Content-Type": "application/json"}}));
			const answer = await fetch(%q, {headers: {Accept: "application/json"}});
			const left = await cache.keys();
			return answer.status + " " + (await answer.json()).error.message + " | cached: " + left.length;
		})`, listURL, listURL, listURL), chromedp.EvalAwaitPromise))
	if expired != "503 Die Teilnehmerliste ist abgelaufen und wurde von diesem Gerät gelöscht. | cached: 0" {
		t.Errorf("expired list: %q", expired)
	}

	// Online again, after the meeting: the server says so, and the device
	// drops page and list.
	e.venueNet.off.Store(false)
	b.setOnline(true)
	b.waitJS("queue sent", `document.getElementById("queue-state").dataset.pending === "0"`, 15*time.Second)
	past := day.List{day.Of(time.Now().AddDate(0, 0, -3)), day.Of(time.Now().AddDate(0, 0, -2))}
	if _, err := e.events.Update(ctx, ev.ID, event.Input{Days: &past}); err != nil {
		t.Fatal(err)
	}
	b.open(page)
	b.waitJS("nothing of the meeting on the device", `Promise.all(["checkin-lists", "checkin-pages"].map(n => caches.open(n).then(c => c.keys()))).then(([l, p]) => l.length === 0 && p.length === 0)`, 10*time.Second)
	if got := b.text("#checkin-result"); got != "Die Veranstaltung ist vorbei. Die Teilnehmerliste wird nicht mehr auf Geräten gespeichert." {
		t.Errorf("after the meeting: %q", got)
	}
	e.venueNet.off.Store(true)
	b.setOnline(false)
	b.load("reopen offline after the meeting", http.StatusServiceUnavailable, chromedp.Navigate(b.base+page))
	if got := b.text("body"); !strings.Contains(got, "nicht auf dem Gerät gespeichert") {
		t.Errorf("offline page after the meeting: %q", got)
	}
}

// TestBrowserCheckInRehearsalAndAccessibility: before the meeting the
// host rehearses: the same screens, clearly marked, and nothing reaches
// the meeting's data; the app passes axe-core at phone width in its
// states.
func TestBrowserCheckInRehearsalAndAccessibility(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	ev := e.event(40, 4, 2) // a month ahead
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	e.hostOf(ev.ID, "einlass@ahlen.example", "einlass-ahlen-2026")
	b := newBrowser(t, e)
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	b.logIn("einlass@ahlen.example", "einlass-ahlen-2026")
	axeCheck := func(state string) {
		t.Helper()
		run(b, "inject axe-core", chromedp.Evaluate[bool](axe+"\n;typeof axe === 'object'"))
		for _, v := range run(b, "run axe-core", chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise)) {
			t.Errorf("%s: %s (%s): %s\n\t%s", state, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
		}
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", state, strings.Join(out, "\n"))
		}
	}

	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)
	b.open(page)
	b.waitJS("list loaded", `document.querySelector("main").classList.contains("app-ready") && document.querySelector('[data-count="expected"]').textContent === "2"`, 10*time.Second)
	if got := b.text("#not-today"); !strings.Contains(got, "Heute ist kein Tag dieser Veranstaltung") {
		t.Errorf("before the meeting: %q", got)
	}
	if got := b.checkInByCode(jw.CheckinCode); !strings.Contains(got, "Heute ist kein Tag dieser Veranstaltung") {
		t.Errorf("check-in before the meeting: %q", got)
	}
	axeCheck("before the meeting")

	b.load("start rehearsal", http.StatusOK, chromedp.Click(chromedp.CSS(`#not-today a[href*="probelauf=1"]`)))
	b.waitJS("rehearsal list", `document.querySelector("main").classList.contains("app-ready") && document.querySelector('[data-count="expected"]').textContent === "2"`, 10*time.Second)
	if got := b.text("#rehearsal-banner"); !strings.HasPrefix(got, "Probelauf – nichts wird gespeichert") {
		t.Errorf("banner %q", got)
	}
	if got := b.checkInByCode(jw.CheckinCode); got != "Probelauf: Jürgen Weiß (Stadt Ahlen) ist eingecheckt." {
		t.Errorf("rehearsal check-in: %q", got)
	}
	if got := b.checkInByCode(jw.CheckinCode); !strings.Contains(got, "bereits eingecheckt um") {
		t.Errorf("rehearsal check-in again: %q", got)
	}
	if got := b.walkIn("Vera", "Neumann", "vera.neumann@hamm.example", e.coesfeld.ID); got != "Probelauf: Vera Neumann ist nachgemeldet und eingecheckt." {
		t.Errorf("rehearsal walk-in: %q", got)
	}
	run(b, "scroll to the top", chromedp.Evaluate[any](`window.scrollTo(0, 0); null`))
	b.viewShot("checkin-probelauf.png")
	// The rehearsal's walk-in form checks what it can on the phone.
	run(b, "open walk-in form", chromedp.Evaluate[any](`document.getElementById("walkin").open = true; null`))
	b.do("submit empty walk-in", chromedp.Click(chromedp.CSS("#walkin-form button.primary")))
	if got := b.text("#e-first_name"); got != "Bitte geben Sie den Vornamen an." {
		t.Errorf("walk-in without name: %q", got)
	}
	b.waitJS("rehearsal sent", `document.getElementById("queue-state").dataset.pending === "0"`, 10*time.Second)
	if got := b.text("#checkin-count .figures"); got != "2 von 3 eingecheckt" {
		t.Errorf("rehearsal count: %q", got)
	}
	b.do("search", chromedp.SendKeys(chromedp.ID("q"), "muster"))
	axeCheck("rehearsal with search results and errors")

	// Nothing of the rehearsal reached the meeting's data.
	if times := e.checkInsOf(ev); len(times) != 0 {
		t.Errorf("rehearsal stored check-ins: %v", times)
	}
	for _, d := range ev.Days {
		times, err := e.checkins.Times(context.Background(), ev.ID, d)
		if err != nil || len(times) != 0 {
			t.Errorf("rehearsal stored check-ins on %s: %v %v", d, times, err)
		}
	}
	if regs, _ := e.regs.List(context.Background(), ev.ID, registration.Filter{}); len(regs) != 2 {
		t.Errorf("rehearsal registered someone: %d registrations", len(regs))
	}
}

// TestBrowserCheckInByCamera: the phone's camera sees a printed badge
// (chromium's fake camera plays the badge PDF's page, rendered by
// pdftoppm) and the app checks the person in from its QR code.
func TestBrowserCheckInByCamera(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(40)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	_, token := e.host("einlass@ahlen.example", ev.ID)
	badges := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/badges.pdf?layout=a6", ev.ID), token, nil)
	if badges.StatusCode != http.StatusOK {
		t.Fatalf("badges: %d", badges.StatusCode)
	}
	video := cameraFeed(t, []byte(badges.Body))

	b := newBrowser(t, e, chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-file-for-fake-video-capture", video))
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	b.logIn("einlass@ahlen.example", "gastgeber-passwort-2026")
	b.open(fmt.Sprintf("/host/events/%d/checkin", ev.ID))
	b.waitJS("list loaded", `document.querySelector("main").classList.contains("app-ready") && document.querySelector('[data-count="expected"]').textContent === "1"`, 10*time.Second)
	b.do("open the camera", chromedp.Click(chromedp.ID("scan-start")))
	b.waitJS("badge read", `(document.getElementById("checkin-result") || {}).textContent === "Jürgen Weiß (Stadt Ahlen) ist eingecheckt."`, 20*time.Second)
	t.Logf("QR reader: %s", run(b, "reader", chromedp.Evaluate[string](`document.querySelector("main").dataset.scanner`)))
	b.waitJS("sent", `document.getElementById("queue-state").dataset.pending === "0"`, 10*time.Second)
	if times := e.checkInsOf(ev); len(times) != 1 || times[jw.ID].IsZero() {
		t.Errorf("check-ins on the server: %v", times)
	}
	// The badge stays in view: it is not checked in again and again.
	time.Sleep(time.Second)
	if got := b.text("#checkin-result"); got != "Jürgen Weiß (Stadt Ahlen) ist eingecheckt." {
		t.Errorf("after a second in view: %q", got)
	}
	b.do("close the camera", chromedp.Click(chromedp.ID("scan-stop")))
}

// cameraFeed turns the first page of a PDF into a video file for
// chromium's fake camera: the page rendered at 120 dpi by pdftoppm, as
// YUV4MPEG2 frames.
func cameraFeed(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		fmt.Printf("SKIP %s: pdftoppm not installed; the README test command installs poppler-utils\n", t.Name())
		t.Skip("pdftoppm not installed; the README test command installs poppler-utils")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "badge.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-r", "120", "-f", "1", "-l", "1", "-singlefile", "-png", in, filepath.Join(dir, "badge")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "badge.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// 4:2:0 wants even sizes.
	w, h := page.Bounds().Dx()&^1, page.Bounds().Dy()&^1
	luma := make([]byte, w*h)
	cb := make([]byte, w*h/4)
	cr := make([]byte, w*h/4)
	for y := range h {
		for x := range w {
			r, g, b, _ := page.At(page.Bounds().Min.X+x, page.Bounds().Min.Y+y).RGBA()
			yy, u, v := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(b>>8))
			luma[y*w+x] = yy
			if x%2 == 0 && y%2 == 0 {
				cb[(y/2)*(w/2)+x/2], cr[(y/2)*(w/2)+x/2] = u, v
			}
		}
	}
	var feed bytes.Buffer
	fmt.Fprintf(&feed, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	for range 10 {
		feed.WriteString("FRAME\n")
		feed.Write(luma)
		feed.Write(cb)
		feed.Write(cr)
	}
	video := filepath.Join(dir, "camera.y4m")
	if err := os.WriteFile(video, feed.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return video
}
