package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/registration"
)

// focused describes document.activeElement after a key press.
type focused struct {
	Tag          string  `json:"tag"`
	ID           string  `json:"id"`
	Class        string  `json:"class"`
	Text         string  `json:"text"`
	Href         string  `json:"href"`
	FocusVisible bool    `json:"focusVisible"`
	Outline      string  `json:"outline"`
	Left         float64 `json:"left"`
	Top          float64 `json:"top"`
	Width        float64 `json:"width"`
}

const focusedJS = `(() => {
	const a = document.activeElement;
	if (!a || a === document.body) return {tag: a ? "body" : ""};
	const s = getComputedStyle(a), r = a.getBoundingClientRect();
	return {tag: a.tagName.toLowerCase(), id: a.id, class: String(a.className), text: a.innerText.replace(/\s+/g, " ").trim().slice(0, 80),
		href: a.getAttribute("href") || "", focusVisible: a.matches(":focus-visible"),
		outline: s.outlineStyle + " " + s.outlineWidth, left: r.left, top: r.top, width: r.width};
})()`

// key presses a key and returns the element that has the focus then.
func (b *browser) key(k string) focused {
	b.t.Helper()
	b.do("press key", chromedp.KeyEvent(k))
	return run(b, "focused element", chromedp.Evaluate[focused](focusedJS))
}

func TestBrowserCoordinatorRegistersTwoColleagues(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(70, 3, 1)
	const (
		coordEmail    = "koordination@ahlen.example"
		coordPassword = "ahlen-koordiniert-2025"
	)
	coord, err := e.users.Create(ctx, account.NewUser{Email: coordEmail, Name: "Koordination Ahlen", Password: coordPassword,
		Role: account.Coordinator, MunicipalityID: &e.ahlen.ID})
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Çağla", LastName: "Yıldız", Email: "c.yildiz@ahlen.example",
		MunicipalityID: &e.ahlen.ID, Function: "Jugendamt", PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != registration.Confirmed {
		t.Fatalf("existing registration: %s, want confirmed", first.Status)
	}
	b := newBrowser(t, e)
	portalEvent := fmt.Sprintf("/portal/events/%d", ev.ID)

	// Keyboard: the first Tab on a fresh page reaches the skip link, which
	// then shows up with the focus outline.
	b.open("/login")
	f := b.key(kb.Tab)
	if f.Tag != "a" || f.Text != "Zum Inhalt springen" || f.Href != "#inhalt" {
		t.Errorf("first Tab focuses %+v, want the skip link", f)
	}
	if !f.FocusVisible || f.Outline != "solid 3px" {
		t.Errorf("skip link focus not visible: :focus-visible=%v outline %q", f.FocusVisible, f.Outline)
	}
	if f.Left < 0 || f.Top < 0 || f.Width == 0 {
		t.Errorf("focused skip link is off screen at left=%v top=%v width=%v", f.Left, f.Top, f.Width)
	}

	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), coordEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), coordPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != "/portal" {
		t.Fatalf("after login at %s, want /portal", got)
	}
	if got := b.text("h1"); got != "Kommunale Koordination: Stadt Ahlen" {
		t.Errorf("portal heading %q", got)
	}
	if got := b.text("header.site"); !strings.Contains(got, "Meine Kommune") || !strings.Contains(got, "Logout ("+coordEmail+")") {
		t.Errorf("header for a coordinator: %q", got)
	}
	row := run(b, "meeting row", chromedp.Evaluate[string](`(document.querySelector("main tbody tr") || {innerText: ""}).innerText.replace(/\s+/g, " ").trim()`))
	if !strings.Contains(row, "17. Lernnetzwerktreffen") || !strings.Contains(row, "1 von 3 genutzt") {
		t.Errorf("portal table row %q", row)
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("portal scrolls sideways:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("portal.png")

	// Keyboard: skip link, Enter puts the focus on <main>, the next Tab
	// reaches the meeting's link, Enter opens it.
	b.do("focus nothing", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	if f := b.key(kb.Tab); f.Text != "Zum Inhalt springen" {
		t.Errorf("first Tab on the portal focuses %+v, want the skip link", f)
	}
	if f := b.key(kb.Enter); f.Tag != "main" || f.ID != "inhalt" {
		t.Errorf("Enter on the skip link focuses %+v, want main#inhalt", f)
	}
	f = b.key(kb.Tab)
	if f.Href != portalEvent || !f.FocusVisible || f.Outline != "solid 3px" {
		t.Fatalf("Tab after the skip link focuses %+v, want the visibly focused link to %s", f, portalEvent)
	}
	b.load("open meeting with Enter", http.StatusOK, chromedp.KeyEvent(kb.Enter))
	if got := b.path(); got != portalEvent {
		t.Fatalf("after Enter on the meeting at %s, want %s", got, portalEvent)
	}
	if got := b.text(".stats li"); !strings.Contains(got, "1 / 3") || !strings.Contains(got, "Kontingent genutzt") {
		t.Errorf("quota before: %q", got)
	}
	if n := run(b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("form.stack fieldset").length`)); n != 3 {
		t.Errorf("form has %d person rows, want 3", n)
	}

	type person struct{ first, last, email, function string }
	people := []person{
		{"Jürgen", "Weiß", "j.weiss@ahlen.example", "Jugendamt, Jugendhilfeplanung"},
		{"Özlem", "Yılmaz", "o.yilmaz@ahlen.example", "Gesundheitsamt"},
	}
	for i, p := range people {
		b.do(fmt.Sprintf("fill Person %d", i+1),
			chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-first_name-%d", i)), p.first),
			chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-last_name-%d", i)), p.last),
			chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-email-%d", i)), p.email),
			chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-function-%d", i)), p.function))
	}
	for i, p := range people {
		if got := b.value(fmt.Sprintf("#f-last_name-%d", i)); got != p.last {
			t.Fatalf("Person %d last name typed as %q, want %q", i+1, got, p.last)
		}
	}
	b.do("tick consent", chromedp.Click(chromedp.ID("f-consent")))
	if !run(b, "consent ticked", chromedp.Evaluate[bool](`document.getElementById("f-consent").checked`)) {
		t.Fatal("click on the consent checkbox did not tick it")
	}
	b.load("submit colleagues", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != portalEvent+"#inhalt" {
		t.Errorf("after submitting at %s, want %s#inhalt (the message in view)", got, portalEvent)
	}
	if y := run(b, "scroll position", chromedp.Evaluate[float64](`document.querySelector(".flash").getBoundingClientRect().top`)); y < 0 {
		t.Errorf("the success message is scrolled out of view (top %.0f px)", y)
	}
	if got := b.text(".flash"); !strings.Contains(got, "2 Personen angemeldet: 2 bestätigt") {
		t.Errorf("flash %q", got)
	}
	if got := b.text(".stats li"); !strings.Contains(got, "3 / 3") || !strings.Contains(got, "Kontingent genutzt") {
		t.Errorf("quota after: %q", got)
	}
	rows := run(b, "table rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll("main table tbody tr")].map(tr => tr.innerText.replace(/\s+/g, " ").trim())`))
	if len(rows) != 3 {
		t.Errorf("table has %d rows, want 3: %q", len(rows), rows)
	}
	table := strings.Join(rows, "\n")
	for _, w := range []string{"Weiß, Jürgen", "Yılmaz, Özlem", "Yıldız, Çağla", "j.weiss@ahlen.example", "Gesundheitsamt"} {
		if !strings.Contains(table, w) {
			t.Errorf("table lacks %q:\n%s", w, table)
		}
	}
	if got := b.text("main table caption"); got != "3 Anmeldungen" {
		t.Errorf("table caption %q", got)
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("portal meeting page scrolls sideways:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("portal-angemeldet.png")

	all, err := e.regs.List(ctx, ev.ID, registration.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("%d registrations in the database, want 3", len(all))
	}
	byEmail := map[string]registration.Registration{}
	for _, r := range all {
		byEmail[r.Email] = r
	}
	for _, p := range people {
		r, ok := byEmail[p.email]
		if !ok {
			t.Errorf("no registration for %s", p.email)
			continue
		}
		if r.FirstName != p.first || r.LastName != p.last || r.Function != p.function {
			t.Errorf("%s stored as %q %q, %q", p.email, r.FirstName, r.LastName, r.Function)
		}
		if r.MunicipalityID == nil || *r.MunicipalityID != e.ahlen.ID {
			t.Errorf("%s: municipality %v, want Ahlen (%d)", p.email, r.MunicipalityID, e.ahlen.ID)
		}
		if r.Status != registration.Confirmed {
			t.Errorf("%s: status %s, want confirmed", p.email, r.Status)
		}
		if r.RegisteredByUserID == nil || *r.RegisteredByUserID != coord.ID {
			t.Errorf("%s: registered by %v, want the coordinator (%d)", p.email, r.RegisteredByUserID, coord.ID)
		}
		if r.PrivacyConsentAt.IsZero() || len(r.Days) != 1 {
			t.Errorf("%s: consent at %v, days %v", p.email, r.PrivacyConsentAt, r.Days)
		}
	}
	if r := byEmail["c.yildiz@ahlen.example"]; r.RegisteredByUserID != nil {
		t.Errorf("self registration marked as registered by user %d", *r.RegisteredByUserID)
	}
}
