package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// TestBrowserOrganiserSendsMessage: the organiser writes a message to the
// confirmed people of one working group, looks at the preview (count,
// recipients, the mail) and sends it; the list shows it. Screenshots of
// the composer with preview on a desktop and a phone.
func TestBrowserOrganiserSendsMessage(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(20, 0, 1)
	e.programmeItem(ev)
	group, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr("Kinderarmut und Teilhabe"), Capacity: ptr(10), Room: ptr("Raum 2"),
		Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Sabine Weiß", "Jürgen Öztürk", "Anna Becker", "Çağla Yıldız", "Thomas Schulte"} {
		first, last, _ := strings.Cut(name, " ")
		muni := e.ahlen.ID
		if i%2 == 1 {
			muni = e.coesfeld.ID
		}
		r, err := e.regs.Register(ctx, ev.ID, registration.Input{Salutation: "Frau", FirstName: first, LastName: last,
			Email: fmt.Sprintf("person%d@example.org", i), MunicipalityID: &muni, PrivacyConsent: true}, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			if _, err := e.wgs.Move(ctx, ev, r.ID, group.ID, false, audit.System); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := newBrowser(t, e)
	page := fmt.Sprintf("/admin/events/%d/messages/new", ev.ID)
	b.open(page)
	b.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("submit login", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != page {
		t.Fatalf("after login at %s, want %s", got, page)
	}
	b.do("write",
		chromedp.SetValue(chromedp.ID("f-working_group_id"), fmt.Sprint(group.ID)),
		chromedp.SendKeys(chromedp.ID("f-subject"), "Ihre Arbeitsgruppe: Raum 2"),
		chromedp.SendKeys(chromedp.ID("f-text"), "Ihre Arbeitsgruppe „Kinderarmut und Teilhabe“ tagt in **Raum 2** im ersten Stock.\n\nBitte bringen Sie Ihre Praxisbeispiele mit."),
		chromedp.Click(chromedp.ID("f-include_programme")))
	b.load("preview", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="action"][value="preview"]`)))
	if got := b.text("#empfaenger-zahl"); got != "Die Nachricht geht an 3 Personen." {
		t.Errorf("count %q", got)
	}
	// The form kept what was typed and chosen.
	if got := b.value("#f-subject"); got != "Ihre Arbeitsgruppe: Raum 2" {
		t.Errorf("subject after preview %q", got)
	}
	if got := b.value("#f-working_group_id"); got != fmt.Sprint(group.ID) {
		t.Errorf("group after preview %q", got)
	}
	recipients := run(b, "recipients", chromedp.Evaluate[[]string](`[...document.querySelectorAll("ul.recipients li")].map(li => li.textContent.trim())`))
	if strings.Join(recipients, "|") != "Anna Becker (Bestätigt)|Jürgen Öztürk (Bestätigt)|Sabine Weiß (Bestätigt)" {
		t.Errorf("recipients %q", recipients)
	}
	// The mail in the frame, as Anna Becker (first by name) gets it.
	frame := run(b, "mail in frame", chromedp.Evaluate[string](`document.querySelector("iframe.mail-frame").srcdoc`))
	for _, want := range []string{"Sehr geehrte Frau Becker", "<strong>Raum 2</strong>", "programm.pdf", "Meine Anmeldung"} {
		if !strings.Contains(frame, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	b.screenshot("nachricht.png")

	b.load("send", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="action"][value="send"]`)))
	if got := b.path(); got != fmt.Sprintf("/admin/events/%d/messages", ev.ID) {
		t.Fatalf("after sending at %s", got)
	}
	if got := b.text(".flash"); !strings.Contains(got, "geht an 3 Personen") {
		t.Errorf("flash %q", got)
	}
	row := b.text("table.messages tbody tr")
	for _, want := range []string{"Ihre Arbeitsgruppe: Raum 2", "Bestätigte Anmeldungen · Arbeitsgruppe: Kinderarmut und Teilhabe", "3 wartend"} {
		if !strings.Contains(row, want) {
			t.Errorf("list row %q lacks %q", row, want)
		}
	}

	// On a phone: nothing scrolls sideways, composer with preview too.
	b.shots = t.TempDir()
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open(fmt.Sprintf("/admin/events/%d/messages", ev.ID))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("message list scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("nachrichten-mobil.png")
	b.open(page)
	b.do("write again",
		chromedp.SendKeys(chromedp.ID("f-subject"), "Parken"),
		chromedp.SendKeys(chromedp.ID("f-text"), "Bitte nutzen Sie das Parkhaus am Rathaus."))
	b.load("preview on phone", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="action"][value="preview"]`)))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("composer scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("nachricht-mobil.png")
}
