package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/day"
)

// TestBrowserCheckInBySearchOnAPhone: a host at the door finds a person
// by name on a phone, checks them in and sees the count go up – also
// when a colleague at the second entrance checks someone in.
func TestBrowserCheckInBySearchOnAPhone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(40)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	em := e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	e.person(ev.ID, "Jürgen", "Weißenborn", "j.weissenborn@gast.example", nil)
	const hostEmail, hostPassword = "einlass@ahlen.example", "einlass-ahlen-2026"
	e.hostOf(ev.ID, hostEmail, hostPassword)
	b := newBrowser(t, e)
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))

	b.logIn(hostEmail, hostPassword)
	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)
	b.open(page)
	b.waitJS("list loaded", `document.querySelector("main").classList.contains("app-ready") && document.querySelector('[data-count="expected"]').textContent === "3"`, 10*time.Second)
	if got := b.text("#checkin-count .figures"); got != "0 von 3 eingecheckt" {
		t.Errorf("count at load %q", got)
	}
	if got := b.text("#checkin-count .open-line"); got != "noch offen: 3" {
		t.Errorf("open at load %q", got)
	}

	// The list is searched on the phone as the name is typed.
	b.do("type name", chromedp.SendKeys(chromedp.ID("q"), "weiss"))
	people := b.text(".checkin-people")
	if !strings.Contains(people, "Weiß, Jürgen") || !strings.Contains(people, "Weißenborn, Jürgen") || strings.Contains(people, "Mustermann") {
		t.Errorf("search result:\n%s", people)
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("check-in page scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}

	b.do("press Einchecken", chromedp.Click(chromedp.CSS(fmt.Sprintf(`button[data-checkin="%d"]`, jw.ID))))
	if got := b.text("#checkin-result"); got != "Jürgen Weiß (Stadt Ahlen) ist eingecheckt." {
		t.Errorf("message %q", got)
	}
	if got := b.text("#checkin-count .figures"); got != "1 von 3 eingecheckt" {
		t.Errorf("count after check-in %q", got)
	}
	// The result list is drawn again whenever the list comes from the
	// server; wait for the drawing that shows the check-in.
	b.waitJS("state of the person checked in", fmt.Sprintf(`((document.querySelector('.checkin-person[data-id="%d"] .state') || {}).textContent || "").trim().startsWith("eingecheckt ")`, jw.ID), 5*time.Second)
	b.waitJS("sent to the server", `document.getElementById("queue-state").dataset.pending === "0"`, 10*time.Second)
	if times := e.checkInsOf(ev); len(times) != 1 || times[jw.ID].IsZero() {
		t.Errorf("check-ins on the server: %v", times)
	}
	b.viewShot("checkin.png")

	// A colleague checks someone in at the other door: the count follows
	// within seconds without reloading.
	if _, err := e.checkins.Record(ctx, ev, em, day.Today(time.Now()), nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(12 * time.Second)
	for {
		got := b.text("#checkin-count .figures")
		if got == "2 von 3 eingecheckt" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("count not updated by polling: %q", got)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
