package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// smallNetwork adds municipalities of the learning network with contacts
// and registers somebody from a few of them.
func (e *env) smallNetwork(ev int64) {
	e.t.Helper()
	ctx := context.Background()
	contacts := contact.NewStore(e.db.Gorm)
	people := map[string][]string{
		"Stadt Ahlen":         {"Koordination", "Jugendamt"},
		"Kreis Coesfeld":      {"Koordination", "Gesundheitsamt", "Jugendamt"},
		"Stadt Bielefeld":     {"Koordination"},
		"Stadt Dortmund":      {"Koordination", "Sozialplanung"},
		"Kreis Düren":         {"Präventionsteam"},
		"Stadt Gelsenkirchen": {"Koordination", "Jugendamt"},
		"Stadt Herne":         {"Koordination"},
		"Stadt Köln":          {"Koordination", "Jugendamt", "Schulamt"},
		"Stadt Münster":       {"Koordination"},
		"Kreis Unna":          {"Koordination", "Jobcenter"},
		"Kreis Warendorf":     {"Koordination"},
		"Stadt Wuppertal":     {},
	}
	names := []string{"Sabine Weiß", "Jürgen Öztürk", "Anna Becker", "Çağla Yıldız", "Thomas Schulte", "Maria Kowalski", "Petra Lohmann", "Frank Hoffmann"}
	all, _ := e.munis.List(ctx)
	byName := map[string]int64{}
	for _, m := range all {
		byName[m.Name] = m.ID
	}
	order := make([]string, 0, len(people))
	for name := range people {
		order = append(order, name)
	}
	sort.Strings(order)
	i := 0
	for _, name := range order {
		functions := people[name]
		id, ok := byName[name]
		if !ok {
			m, err := e.munis.Create(ctx, municipality.Input{Name: name})
			if err != nil {
				e.t.Fatal(err)
			}
			id = m.ID
		}
		for _, fn := range functions {
			person := names[i%len(names)]
			i++
			ascii := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "ç", "c", "ğ", "g", "ı", "i", "Ç", "C", "Ö", "Oe")
			email := ascii.Replace(fmt.Sprintf("%s.%s@%s.example", strings.ToLower(string([]rune(strings.Fields(person)[0])[:1])), strings.ToLower(strings.Fields(person)[1]),
				strings.ToLower(municipality.PlaceName(name))))
			if _, err := contacts.Create(ctx, contact.Input{MunicipalityID: id, Name: person, Email: email, Function: fn}); err != nil {
				e.t.Fatal(err)
			}
		}
		if name == "Kreis Coesfeld" || name == "Stadt Köln" || name == "Stadt Münster" {
			if _, err := e.regs.Register(ctx, ev, registration.Input{FirstName: "Erika", LastName: "Muster", Email: "erika@" + strings.ToLower(municipality.PlaceName(name)) + ".example",
				MunicipalityID: &id, PrivacyConsent: true}, registration.Options{}); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// TestBrowserOrganiserSendsInvitation: the organiser opens the overview of
// a meeting's invitations, sends the invitation to all contacts, and sees
// the counts change; screenshots of the overview and the contacts page
// on a desktop and a phone.
func TestBrowserOrganiserSendsInvitation(t *testing.T) {
	mb := startMailbox(t)
	e := newEnv(t, func(c *config.Config) { c.SMTPURL = "smtp://" + mb.addr })
	ev := e.event(70, 0, 1)
	e.smallNetwork(ev.ID)
	b := newBrowser(t, e)
	page := fmt.Sprintf("/admin/events/%d/invitations", ev.ID)
	b.open(page)
	b.do("log in",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("submit login", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != page {
		t.Fatalf("after login at %s, want %s", got, page)
	}
	nobody := run(b, "highlighted rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll("tr.nobody th")].map(th => th.innerText.trim())`))
	if len(nobody) != 9 || !strings.Contains(strings.Join(nobody, "|"), "Stadt Wuppertal niemand angemeldet") {
		t.Errorf("municipalities without registration: %q", nobody)
	}
	b.load("send to all", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="scope"][value="all"]`)))
	if got := b.text(".flash"); got != "19 Einladungen werden versandt." {
		t.Errorf("flash %q", got)
	}
	invited := run(b, "invited column", chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll("table.invitations tbody tr")].map(tr => [tr.querySelector("label").innerText, tr.children[3].innerText.trim()]))`))
	if invited["Kreis Coesfeld"] != "3" || invited["Stadt Köln"] != "3" || invited["Stadt Wuppertal"] != "0" {
		t.Errorf("invited per municipality: %v", invited)
	}
	queued, err := e.outbox.List(context.Background(), outbox.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range queued {
		if m.Kind == outbox.EventInvitation {
			n++
		}
	}
	if n != 19 {
		t.Errorf("%d invitations queued, want 19", n)
	}
	if got := b.text("#progress-einladungen-counts"); !strings.HasPrefix(got, "0 versendet · 19 wartend · 0 fehlgeschlagen · von 19") {
		t.Errorf("progress while waiting %q", got)
	}
	// The worker delivers them; the page's script follows the progress.
	w := e.mailWorker(mb)
	if n, err := w.Drain(context.Background()); err != nil || n < 19 { // and the confirmations of the registrations
		t.Fatalf("deliver: %d, %v", n, err)
	}
	b.do("progress follows", chromedp.WaitVisible(`section.progress-box:not([data-pending])`))
	if got := b.text("#progress-einladungen-counts"); !strings.HasPrefix(got, "19 versendet · 0 wartend · 0 fehlgeschlagen · von 19") {
		t.Errorf("progress after delivery %q", got)
	}
	// Ticking one municipality and sending again: all its contacts had it.
	b.do("tick Ahlen", chromedp.Click(chromedp.CSS(fmt.Sprintf("#m-%d", e.ahlen.ID))))
	b.load("send to chosen", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="scope"][value="chosen"]`)))
	if got := b.text(".flash"); got != "Keine neuen Einladungen: Alle 2 Kontakte wurden bereits eingeladen." {
		t.Errorf("flash after second send %q", got)
	}
	b.open(page)
	b.screenshot("einladungen.png")

	// The mail log: one invitation opened, its HTML part in a frame.
	sent, err := e.outbox.List(context.Background(), outbox.Filter{EventID: ev.ID, Kind: outbox.EventInvitation, Limit: 1})
	if err != nil || len(sent) != 1 {
		t.Fatalf("an invitation: %v, %v", sent, err)
	}
	b.open(fmt.Sprintf("/admin/mails?event=%d&show=%d", ev.ID, sent[0].ID))
	b.do("HTML part loads", chromedp.WaitVisible(`iframe.mail-html`))
	if got := b.text(".mail-detail .facts"); !strings.Contains(got, "Einladung zum Treffen") || !strings.Contains(got, "17. Lernnetzwerktreffen") {
		t.Errorf("mail detail facts %q", got)
	}
	// The frame shows the mail as sent, in a sandbox of its own.
	if got := b.frameText(fmt.Sprintf("/admin/mails/%d/html", sent[0].ID)); !strings.Contains(got, "wir laden Sie und Ihre Kolleginnen und Kollegen") {
		t.Errorf("framed HTML part reads %q", got)
	}
	b.viewportScreenshot("emails.png")
	// Only the overview and the mail log are pictures of the README; the
	// others are for looking at.
	b.shots = t.TempDir()
	b.open("/admin/contacts")
	b.screenshot("kontakte.png")

	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	mailDetail := fmt.Sprintf("/admin/mails?event=%d&show=%d", ev.ID, sent[0].ID)
	for _, p := range []string{page, "/admin/contacts", mailDetail} {
		b.open(p)
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", p, strings.Join(out, "\n"))
		}
	}
	b.open(page)
	b.screenshot("einladungen-mobil.png")
	b.open("/admin/contacts")
	b.screenshot("kontakte-mobil.png")
	b.open(mailDetail)
	b.viewportScreenshot("emails-mobil.png")
}

// frameText returns the text of the frame loaded from path. A sandboxed
// frame has an origin of its own, so the page's script cannot read it;
// the browser's view of the frame can.
func (b *browser) frameText(path string) string {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		targets, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, tg := range targets {
			if tg.Type == "iframe" && strings.HasSuffix(tg.URL, path) {
				// Ending this context would close the frame's target and
				// with it the page's session; it ends with the browser.
				ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(tg.TargetID))
				b.t.Cleanup(cancel)
				text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
				if err != nil {
					b.t.Fatalf("text of frame %s: %v", path, err)
				}
				return text
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("no frame loaded %s", path)
	return ""
}

// viewportScreenshot saves the whole page like screenshot, but through a
// viewport as tall as the page: a full-page capture leaves frames of
// another origin (the sandboxed HTML part) blank.
func (b *browser) viewportScreenshot(name string) {
	b.t.Helper()
	size := run(b, "page size", chromedp.Evaluate[[2]int64](`[window.innerWidth, document.documentElement.scrollHeight]`))
	mobile := size[0] < 600
	height := run(b, "window height", chromedp.Evaluate[int64](`window.innerHeight`))
	resize := func(h int64) chromedp.Action[chromedp.Void] {
		if mobile {
			return chromedp.EmulateViewport(size[0], h, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
		}
		return chromedp.EmulateViewport(size[0], h)
	}
	b.do("tall viewport", resize(size[1]), chromedp.Sleep(300*time.Millisecond))
	png := run(b, "screenshot "+name, chromedp.CaptureScreenshot())
	b.do("viewport back", resize(height))
	file := filepath.Join(b.shots, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d KB)", file, len(png)/1024)
}
