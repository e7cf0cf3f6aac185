package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHostPage: a host opens the meeting's page on a desktop and
// on a phone and finds the documents of the day and the waiting list;
// nothing scrolls sideways on the phone.
func TestBrowserHostPage(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(3)
	e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	e.person(ev.ID, "Maria-Theresia", "Schulze-Westerhoff-Brinkmann", "m.t@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Wilma", "Warteliste", "w.w@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@coesfeld.example", &e.coesfeld.ID)
	e.programmeItem(ev)
	const hostEmail, hostPassword = "einlass@ahlen.example", "einlass-ahlen-2026"
	e.hostOf(ev.ID, hostEmail, hostPassword)
	b := newBrowser(t, e)
	b.logIn(hostEmail, hostPassword)
	page := fmt.Sprintf("/host/events/%d", ev.ID)
	b.open(page)
	buttons := b.text("main .button-row")
	for _, want := range []string{"Check-in", "Teilnehmerliste (PDF)", "Teilnehmerliste (CSV)", "Programm (PDF)"} {
		if !strings.Contains(buttons, want) {
			t.Errorf("buttons lack %q: %s", want, buttons)
		}
	}
	if got := b.text(`section[aria-labelledby="h-waiting"] tbody`); !strings.Contains(got, "1\tWarteliste, Wilma\tStadt Ahlen") || !strings.Contains(got, "2\tÖztürk, Şükrü\tKreis Coesfeld") {
		t.Errorf("waiting list:\n%q", got)
	}
	b.screenshot("gastgeber.png")

	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open(page)
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("the host page scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("gastgeber-mobil.png")

	// The programme opens from the button.
	b.load("Programm (PDF)", http.StatusOK, chromedp.Navigate(b.base+page+"/programme.pdf"))
}
