package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/config"
)

// TestBrowserDocumentationNoticeOnPhone: on a phone, the organiser
// publishes the documentation, sees whom the notice would reach, ticks
// the contacts and sends it; the flash says what was queued and the
// progress follows the delivery.
func TestBrowserDocumentationNoticeOnPhone(t *testing.T) {
	mb := startMailbox(t)
	e := newEnv(t, func(c *config.Config) { c.SMTPURL = "smtp://" + mb.addr })
	ev, _ := e.noticeMeeting()
	b := newBrowser(t, e)
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	page := fmt.Sprintf("/admin/events/%d/documentation", ev.ID)
	b.open(page)
	b.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("submit login", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.text("#benachrichtigen + p"); !strings.HasPrefix(got, "Sobald die Dokumentation veröffentlicht ist") {
		t.Errorf("unpublished section %q", got)
	}

	b.do("publish", chromedp.SendKeys(chromedp.ID("f-teaser"), "Die Vertreterinnen und Vertreter der Programmkommunen kamen in Köln zusammen."),
		chromedp.Click(chromedp.ID("f-published")))
	b.load("save", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/documentation"] button.primary`)))
	counts := strings.Join(strings.Fields(b.text(`section[aria-labelledby="benachrichtigen"] ul.stats`)), " ")
	if !strings.Contains(counts, "2 von 2 bestätigten Anmeldungen erhalten sie") || !strings.Contains(counts, "1 Kontakte des Netzwerks erhalten sie") || !strings.Contains(counts, "1 abgemeldet") {
		t.Errorf("counts %q", counts)
	}
	if got := b.text(`section[aria-labelledby="benachrichtigen"] .notice`); !strings.Contains(got, "1 von 2 bestätigten Anmeldungen") {
		t.Errorf("check-in note %q", got)
	}
	b.do("tick contacts", chromedp.Click(chromedp.ID("f-contacts")))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("the editor scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	scrollTo(b, "#benachrichtigen")
	b.viewShot("doku-benachrichtigen.png")
	b.load("send", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/documentation/notice"] button.primary`)))
	if got := b.text(".flash"); !strings.HasPrefix(got, "Die Benachrichtigung „Dokumentation online“ wird versandt an 2 Teilnehmende und 1 Kontakt des Netzwerks.") {
		t.Errorf("flash %q", got)
	}
	if got := b.text("#progress-dokumentation-counts"); !strings.HasPrefix(got, "0 versendet · 3 wartend · 0 fehlgeschlagen · von 3") {
		t.Errorf("progress while waiting %q", got)
	}
	if _, err := e.mailWorker(mb).Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.do("progress follows", chromedp.WaitVisible(`section.progress-box:not([data-pending])`))
	if got := b.text("#progress-dokumentation-counts"); !strings.HasPrefix(got, "3 versendet · 0 wartend · 0 fehlgeschlagen · von 3") {
		t.Errorf("progress after delivery %q", got)
	}
	// The pictures after sending are for looking at, not for the README.
	b.shots = t.TempDir()
	scrollTo(b, "#progress-dokumentation")
	b.viewShot("doku-benachrichtigen-versandt.png")

	b.do("emulate desktop", chromedp.EmulateViewport(1280, 900))
	b.open("/admin/events")
	b.open(page)
	scrollTo(b, "#benachrichtigen")
	b.viewShot("doku-benachrichtigen-desktop.png")
}

// scrollTo puts the element at the top of the screen.
func scrollTo(b *browser, sel string) {
	b.t.Helper()
	run(b, "scroll to "+sel, chromedp.Evaluate[bool](`(document.querySelector(`+"`"+sel+"`"+`).scrollIntoView({block: "start"}), true)`))
}
