package web_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

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
			email := ascii.Replace(fmt.Sprintf("%s.%s@%s.example", strings.ToLower(strings.Fields(person)[0][:1]), strings.ToLower(strings.Fields(person)[1]),
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
	e := newEnv(t)
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
	// Ticking one municipality and sending again: all its contacts had it.
	b.do("tick Ahlen", chromedp.Click(chromedp.CSS(fmt.Sprintf("#m-%d", e.ahlen.ID))))
	b.load("send to chosen", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="scope"][value="chosen"]`)))
	if got := b.text(".flash"); got != "0 Einladungen werden versandt. 2 Kontakte hatten sie schon und wurden übersprungen." {
		t.Errorf("flash after second send %q", got)
	}
	b.screenshot("einladungen.png")
	// Only the overview is a picture of the README; the others are for
	// looking at.
	b.shots = t.TempDir()
	b.open("/admin/contacts")
	b.screenshot("kontakte.png")

	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	for _, p := range []string{page, "/admin/contacts"} {
		b.open(p)
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", p, strings.Join(out, "\n"))
		}
	}
	b.open(page)
	b.screenshot("einladungen-mobil.png")
	b.open("/admin/contacts")
	b.screenshot("kontakte-mobil.png")
}
