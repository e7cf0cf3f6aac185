package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestBrowserOrganiserAnnouncesAChange: the organiser moves a meeting by
// a week and its start by an hour in the editor, is asked whether to
// notify the registrants, sees old and new and the count, and notifies
// them; screenshots of the question on a desktop and a phone.
func TestBrowserOrganiserAnnouncesAChange(t *testing.T) {
	e := newEnv(t)
	ev := e.event(2, 0, 2)
	ctx := context.Background()
	for i, name := range []string{"Sabine Weiß", "Jürgen Öztürk", "Çağla Yıldız"} {
		parts := strings.Fields(name)
		if _, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: parts[0], LastName: parts[1], Email: fmt.Sprintf("p%d@ahlen.example", i),
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, e)
	edit := fmt.Sprintf("/admin/events/%d/edit", ev.ID)
	b.open(edit)
	b.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("submit login", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	var moved day.List
	for _, d := range ev.Days {
		moved = append(moved, day.Of(d.In(day.Location()).AddDate(0, 0, 7)))
	}
	for i, d := range moved {
		id := "f-days"
		if i > 0 {
			id = fmt.Sprintf("f-days-%d", i+1)
		}
		b.do("new day", chromedp.SetValue(chromedp.ID(id), d.String()))
	}
	b.do("new start",
		chromedp.SetValue(chromedp.ID("f-start_time"), "09:00"),
		chromedp.SetValue(chromedp.ID("f-venue_name"), "Bürgerhaus Süd"))
	b.load("save", http.StatusOK, chromedp.Click(chromedp.CSS("#event-form button.primary")))
	if got := b.text("h1"); got != "Teilnehmende über die Änderung benachrichtigen?" {
		t.Fatalf("after saving at %s: %q", b.path(), got)
	}
	body := b.text("main")
	for _, want := range []string{"Datum: " + ev.Days.German() + " → " + moved.German(), "Uhrzeit: 10:00–16:00 Uhr → 09:00–16:00 Uhr",
		"Ort: Rathaus, Köln → Bürgerhaus Süd, Köln", "3 Personen", "2 bestätigt, 1 auf der Warteliste"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	b.screenshot("aenderung.png")
	page := b.path()
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open(page)
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("%s scrolls sideways on a phone:\n%s", page, strings.Join(out, "\n"))
	}
	b.shots = t.TempDir() // the phone's picture is for looking at, not the README
	b.screenshot("aenderung-mobil.png")
	b.load("notify", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="notify"][value="1"]`)))
	if got := b.text(".flash"); got != "Die Änderung ist gespeichert. 3 Teilnehmende werden per E-Mail benachrichtigt." {
		t.Errorf("flash %q", got)
	}
	list, err := e.outbox.List(ctx, outbox.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range list {
		if m.Kind == outbox.ChangeNotice {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d change notices, want 3", n)
	}
}
