package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestBrowserApproval ticks pending registrations on the organiser's
// page and approves them at once; with two places the third waits.
func TestBrowserApproval(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(2, 0, 1)
	if _, err := e.events.Update(ctx, ev.ID, event.Input{RequiresApproval: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	people := []registration.Input{
		{FirstName: "Çağla", LastName: "Yıldız", Email: "c.yildiz@ahlen.example", MunicipalityID: &e.ahlen.ID, Function: "Jugendamt", PrivacyConsent: true},
		{FirstName: "Jörg", LastName: "Müller-Lüdenscheidt", Email: "j.mueller@coesfeld.example", MunicipalityID: &e.coesfeld.ID, Function: "Koordination", PrivacyConsent: true},
		{FirstName: "Anna", LastName: "Becker", Email: "a.becker@lvr.example", Organisation: "LVR-Landesjugendamt", Function: "Fachberatung", PrivacyConsent: true},
		{FirstName: "Peter", LastName: "Zimmermann", Email: "p.zimmermann@ahlen.example", MunicipalityID: &e.ahlen.ID, Function: "Schulamt", PrivacyConsent: true},
	}
	var ids []int64
	for _, in := range people {
		r, err := e.regs.Register(ctx, ev.ID, in, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	b := newBrowser(t, e)
	page := fmt.Sprintf("/admin/events/%d/registrations", ev.ID)
	b.open(page)
	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.text("#pruefung + form caption"); got != "4 Anmeldungen warten auf Ihre Entscheidung (in der Reihenfolge des Eingangs)" {
		t.Errorf("review caption: %q", got)
	}
	for _, id := range ids[:3] {
		b.do("tick", chromedp.Click(chromedp.ID(fmt.Sprintf("rid-%d", id))))
	}
	b.screenshot("pruefung.png")
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.screenshot("pruefung-mobil.png")
	b.do("desktop width", chromedp.EmulateViewport(1280, 900))
	b.load("approve", http.StatusOK, chromedp.Click(chromedp.CSS(`button[name="decision"][value="approve"]`)))
	results := b.text("section.decisions")
	for _, want := range []string{"Çağla Yıldız: Bestätigt", "Jörg Müller-Lüdenscheidt: Bestätigt", "Anna Becker: Warteliste – kein Platz mehr frei"} {
		if !strings.Contains(results, want) {
			t.Errorf("results lack %q:\n%s", want, results)
		}
	}
	if got := b.text("#pruefung + form caption"); !strings.HasPrefix(got, "1 Anmeldung wartet") {
		t.Errorf("review caption after approving three: %q", got)
	}
	if r, _ := e.regs.Get(ctx, ids[3]); r.Status != registration.Pending {
		t.Errorf("the unticked registration is %s", r.Status)
	}
}
