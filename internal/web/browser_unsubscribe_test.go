package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/contact"
)

// TestBrowserUnsubscribe opens a contact's unsubscribe link in chromium:
// the page names what the contact stops getting, has no axe-core
// violations at desktop and phone width, and the button unsubscribes.
func TestBrowserUnsubscribe(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	ctx := context.Background()
	contacts := contact.NewStore(e.db.Gorm)
	ct, err := contacts.Create(ctx, contact.Input{MunicipalityID: e.ahlen.ID, Name: "Jugendamt Ahlen", Email: "jugendamt@ahlen.example", Function: "Koordination"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := contacts.IssueLink(ctx, ct.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	b.open("/abmelden/" + token)
	if h := b.text("h1"); h != "Einladungen und Nachrichten abbestellen" {
		t.Errorf("heading %q", h)
	}
	b.axeAt(t, "unsubscribe page", axe, axeRunJS, 1280, 390)
	b.screenshot("abmelden.png")
	b.do("phone", chromedp.EmulateViewport(390, 844))
	b.viewShot("abmelden-mobil.png")
	b.load("unsubscribe", http.StatusOK, chromedp.Click(chromedp.CSS("form button.primary")))
	if h := b.text("h1"); h != "Sie sind abgemeldet" {
		t.Errorf("after the click: %q", h)
	}
	b.axeAt(t, "unsubscribed page", axe, axeRunJS, 390, 1280)
	again, err := contacts.ByToken(ctx, token)
	if err != nil || again.Subscribed() {
		t.Errorf("still subscribed after the click: %+v, %v", again, err)
	}
}
