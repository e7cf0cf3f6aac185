package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/registration"
)

// TestBrowserCancelConfirmAndUndo: the organiser clicks "Stornieren" in
// the list, reads the confirmation page, cancels without a mail and
// takes the cancellation back from the list.
func TestBrowserCancelConfirmAndUndo(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(2, 0, 2)
	erika := e.person(ev.ID, "Erika", "Müller", "erika@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Jörg", "Brüggemann", "joerg@coesfeld.example", &e.coesfeld.ID)
	e.person(ev.ID, "Anna", "Becker", "anna@coesfeld.example", &e.coesfeld.ID) // waiting
	b := newBrowser(t, e)
	page := fmt.Sprintf("/admin/events/%d/registrations", ev.ID)
	b.open("/login")
	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	b.open(page)

	cancelLink := fmt.Sprintf(`a[href="/admin/events/%d/registrations/%d/cancel"]`, ev.ID, erika.ID)
	b.load("click Stornieren", http.StatusOK, chromedp.Click(chromedp.CSS(cancelLink)))
	if got := b.text("h1"); got != "Anmeldung von Erika Müller (Stadt Ahlen) stornieren?" {
		t.Errorf("confirmation heading %q", got)
	}
	if got := b.text("main"); !strings.Contains(got, "1 Person wartet") {
		t.Errorf("the page does not say who waits:\n%s", got)
	}
	if !run(b, "notify checked", chromedp.Evaluate[bool](`document.getElementById("f-notify").checked`)) {
		t.Error("the mail box is not ticked by default")
	}
	b.screenshot("stornieren.png")

	// "Abbrechen" goes back and changes nothing.
	b.load("Abbrechen", http.StatusOK, chromedp.Click(chromedp.CSS("a.button.secondary")))
	if got := b.path(); !strings.HasPrefix(got, page) {
		t.Errorf("Abbrechen led to %s", got)
	}
	if r, _ := e.regs.Get(ctx, erika.ID); r.Status != registration.Confirmed {
		t.Fatalf("Abbrechen cancelled: %s", r.Status)
	}

	// Cancel without a mail.
	b.load("click Stornieren again", http.StatusOK, chromedp.Click(chromedp.CSS(cancelLink)))
	b.do("untick the mail", chromedp.Click(chromedp.ID("f-notify")))
	b.load("Stornieren", http.StatusOK, chromedp.Click(chromedp.CSS("button.danger")))
	if got := b.text("main"); !strings.Contains(got, "Eine E-Mail an Erika Müller geht nicht hinaus.") {
		t.Errorf("after cancelling:\n%s", got)
	}
	if r, _ := e.regs.Get(ctx, erika.ID); r.Status != registration.Cancelled {
		t.Fatalf("not cancelled: %s", r.Status)
	}

	// Undo from the list: Anna has moved up, so Erika waits again.
	undo := fmt.Sprintf(`form[action="/admin/events/%d/registrations/%d/reinstate"] button`, ev.ID, erika.ID)
	b.load("Stornierung zurücknehmen", http.StatusOK, chromedp.Click(chromedp.CSS(undo)))
	if got := b.text("main"); !strings.Contains(got, "Erika Müller steht wieder auf der Warteliste (Platz 1)") {
		t.Errorf("after the undo:\n%s", got)
	}
	if r, _ := e.regs.Get(ctx, erika.ID); r.Status != registration.Waitlisted {
		t.Errorf("after the undo: %s", r.Status)
	}

	// The confirmation page on a phone: nothing sticks out.
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open(fmt.Sprintf("/admin/events/%d/registrations/%d/cancel", ev.ID, erika.ID))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("the confirmation page scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("stornieren-mobil.png")
}
