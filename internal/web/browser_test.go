package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/registration"
)

// browserTimeout bounds one browser test, start of chromium included.
const browserTimeout = 120 * time.Second

// browser is a headless chromium tab pointed at the test server.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // folder for screenshots
}

// newBrowser starts chromium for the test, or skips the test when chromium is
// not installed. TREFFEN_CHROMIUM overrides the path of the binary; flags
// are added to chromium's command line.
func newBrowser(t *testing.T, e *env, flags ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	path := os.Getenv("TREFFEN_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	bin, err := exec.LookPath(path)
	if err != nil {
		fmt.Printf("SKIP %s: chromium not installed: %v; the README test command installs it\n", t.Name(), err)
		t.Skipf("chromium not installed: %v; the README test command installs it", err)
	}
	profile := t.TempDir() // created first, so it is removed after chromium has exited
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		// German date and time inputs (14:00, not 02:00 PM) need Debian's
		// chromium-l10n and the language set by environment.
		chromedp.Env("LANGUAGE=de", "LANG=de_DE.UTF-8"),
	)
	opts = append(opts, flags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits until chromium has exited
		cancelTimeout()
	})
	b := &browser{t: t, ctx: tabCtx, base: e.srv.URL, shots: t.TempDir()}
	if os.Getenv("TREFFEN_SCREENSHOTS") == "1" {
		b.shots = filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(b.shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The first Run starts the browser; fail here with a clear message. The
	// emulated viewport makes screenshots the same size on every machine.
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start chromium %s: %v", bin, err)
	}
	return b
}

// do runs the actions and fails the test with the step's name on error.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// load runs the actions, waits for the page they cause to load and checks
// its HTTP status.
func (b *browser) load(step string, want int, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no page loaded", step)
	}
	if int(resp.Status) != want {
		b.t.Fatalf("%s: status %d, want %d (%s)", step, resp.Status, want, resp.URL)
	}
}

// open loads a path of the test server and expects 200.
func (b *browser) open(path string) {
	b.t.Helper()
	b.load("open "+path, http.StatusOK, chromedp.Navigate(b.base+path))
}

// run runs an action that returns a value.
func run[T any](b *browser, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	return run(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

func (b *browser) path() string {
	b.t.Helper()
	return strings.TrimPrefix(run(b, "location", chromedp.Location()), b.base)
}

// screenshot saves a full-page PNG; into docs/screenshots with
// TREFFEN_SCREENSHOTS=1, into a temporary folder otherwise.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	png := run(b, "screenshot "+name, chromedp.FullScreenshot(100))
	file := filepath.Join(b.shots, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d KB)", file, len(png)/1024)
}

// viewShot saves what the screen shows (not the whole page), as a phone
// user sees it; see screenshot for where.
func (b *browser) viewShot(name string) {
	b.t.Helper()
	png := run(b, "screenshot "+name, chromedp.CaptureScreenshot())
	file := filepath.Join(b.shots, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d KB)", file, len(png)/1024)
}

// overflow lists the elements that stick out to the right of the viewport,
// empty when the page has no horizontal scrollbar.
const overflowJS = `(() => {
	const w = window.innerWidth, d = document.documentElement;
	const out = [];
	if (d.scrollWidth > w) out.push("document " + d.scrollWidth + "px > " + w + "px");
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 1 && !el.closest(".table-scroll") && !el.closest(".visually-hidden") && !el.classList.contains("skip")) {
			out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " right=" + Math.round(r.right));
		}
	}
	return out;
})()`

func TestBrowserRegistration(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 4, 2)
	b := newBrowser(t, e)
	const email = "zdzislaw.sciegienny@ahlen.example"

	b.open("/")
	if got := b.text(".card h2"); !strings.Contains(got, "17. Lernnetzwerktreffen") {
		t.Errorf("card title %q", got)
	}
	b.screenshot("startseite.png")

	b.load("click Jetzt anmelden", http.StatusOK, chromedp.Click(chromedp.CSS(".card a.button")))
	if got, want := b.path(), fmt.Sprintf("/events/%d/register", ev.ID); got != want {
		t.Fatalf("after click: %s, want %s", got, want)
	}
	if got := b.text("h1"); !strings.HasPrefix(got, "Anmeldung: 17. Lernnetzwerktreffen") {
		t.Errorf("form heading %q", got)
	}

	// First attempt without last name, e-mail and consent.
	b.do("type first name", chromedp.SendKeys(chromedp.ID("f-first_name"), "Zdzisław"))
	b.load("submit incomplete form", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	summary := b.text(`[role="alert"]`)
	for _, want := range []string{"Bitte geben Sie Ihren Nachnamen an.", "Bitte geben Sie Ihre E-Mail-Adresse an.",
		"Bitte wählen Sie Ihre Kommune oder geben Sie Ihre Organisation an.", "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary lacks %q:\n%s", want, summary)
		}
	}
	if got := b.value("#f-first_name"); got != "Zdzisław" {
		t.Errorf("first name after error: %q", got)
	}
	if got := run(b, "aria-invalid", chromedp.Evaluate[string](`document.getElementById("f-last_name").getAttribute("aria-invalid") || ""`)); got != "true" {
		t.Errorf("last name aria-invalid=%q", got)
	}
	if dead := run(b, "error links", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[role="alert"] a')].filter(a => !document.getElementById(a.hash.slice(1))).map(a => a.hash)`)); len(dead) > 0 {
		t.Errorf("error summary links to missing fields: %q", dead)
	}
	b.screenshot("anmeldung-fehler.png")

	// Second attempt, complete.
	b.do("fill form",
		chromedp.SendKeys(chromedp.ID("f-last_name"), "Ściegienny"),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SetValue(chromedp.ID("f-municipality_id"), fmt.Sprint(e.ahlen.ID)),
		chromedp.Click(chromedp.ID("f-privacy_consent")),
	)
	if got := run(b, "chosen municipality", chromedp.Evaluate[string](`(s => s.options[s.selectedIndex].text)(document.getElementById("f-municipality_id"))`)); got != "Stadt Ahlen" {
		t.Fatalf("municipality select shows %q", got)
	}
	if !run(b, "consent ticked", chromedp.Evaluate[bool](`document.getElementById("f-privacy_consent").checked`)) {
		t.Fatal("click on the consent checkbox did not tick it")
	}
	b.load("submit complete form", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if !strings.HasPrefix(b.path(), "/manage/") {
		t.Errorf("after registration at %s, want /manage/…", b.path())
	}
	b.do("wait for confirmation", chromedp.WaitVisible(chromedp.CSS(".success")))
	if got := b.text(".success"); !strings.Contains(got, "Ihre Anmeldung ist bestätigt") || !strings.Contains(got, email) {
		t.Errorf("confirmation text %q", got)
	}
	if got := b.text("dl.facts"); !strings.Contains(got, "Stadt Ahlen") || !strings.Contains(got, "Zdzisław Ściegienny") {
		t.Errorf("confirmation facts %q", got)
	}
	b.screenshot("bestaetigung.png")

	all, err := e.regs.List(context.Background(), ev.ID, registration.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("%d registrations in the database, want 1", len(all))
	}
	r := all[0]
	if r.Email != email || r.Status != registration.Confirmed || r.MunicipalityID == nil || *r.MunicipalityID != e.ahlen.ID ||
		r.FirstName != "Zdzisław" || r.LastName != "Ściegienny" || r.PrivacyConsentAt.IsZero() || len(r.Days) != 2 {
		t.Errorf("stored registration: %+v", r)
	}

	b.open(fmt.Sprintf("/events/%d", ev.ID))
	if got := b.text("dl.facts"); !strings.Contains(got, "69 von 70 Plätzen frei") || !strings.Contains(got, "Rathaus") {
		t.Errorf("meeting facts %q", got)
	}
	b.screenshot("veranstaltung.png")
}

func TestBrowserRegistrationFormOnPhone(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 4, 2)
	b := newBrowser(t, e)
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	register := fmt.Sprintf("/events/%d/register", ev.ID)
	check := func(what string) {
		t.Helper()
		if w := run(b, "viewport width", chromedp.Evaluate[int](`window.innerWidth`)); w != 390 {
			t.Errorf("%s: viewport %dpx wide, want 390", what, w)
		}
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", what, strings.Join(out, "\n"))
		}
	}
	for _, p := range []string{"/", fmt.Sprintf("/events/%d", ev.ID), "/login"} {
		b.open(p)
		check(p)
	}
	b.open(register)
	check("registration form")
	b.screenshot("anmeldung-mobil.png")
	b.load("submit empty form", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	check("registration form with errors")
}

func TestBrowserOrganiserRegistrationsTable(t *testing.T) {
	e := newEnv(t)
	ev := e.event(2, 0, 1)
	ctx := context.Background()
	people := []registration.Input{
		{FirstName: "Çağla", LastName: "Yıldız", Email: "c.yildiz@ahlen.example", MunicipalityID: &e.ahlen.ID, Function: "Jugendamt", PrivacyConsent: true},
		{FirstName: "Jörg", LastName: "Müller-Lüdenscheidt", Email: "j.mueller@coesfeld.example", MunicipalityID: &e.coesfeld.ID, DietaryNeeds: "vegetarisch", PrivacyConsent: true},
		{FirstName: "Anna", LastName: "Becker", Email: "a.becker@lvr.example", Organisation: "LVR-Landesjugendamt", PrivacyConsent: true},
	}
	for i, in := range people {
		r, err := e.regs.Register(ctx, ev.ID, in, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := registration.Confirmed
		if i == 2 {
			want = registration.Waitlisted
		}
		if r.Status != want {
			t.Fatalf("person %d: %s, want %s", i, r.Status, want)
		}
	}
	b := newBrowser(t, e)
	page := fmt.Sprintf("/admin/events/%d/registrations", ev.ID)

	// The organiser follows a link to the page, logs in, and lands on it.
	b.open(page)
	if got := b.path(); !strings.HasPrefix(got, "/login") {
		t.Fatalf("anonymous visit ended at %s, want the login form", got)
	}
	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != page {
		t.Fatalf("after login at %s, want %s", got, page)
	}
	if got := b.text("header.site"); !strings.Contains(got, "Logout ("+organiserEmail+")") {
		t.Errorf("header after login: %q", got)
	}

	stats := run(b, "stats", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".stats li")].map(li => li.innerText.replace(/\s+/g, " ").trim())`))
	want := []string{"2 bestätigt", "0 Plätze frei (von 2)", "1 auf der Warteliste", "0 storniert"}
	if strings.Join(stats, "|") != strings.Join(want, "|") {
		t.Errorf("counts shown: %q, want %q", stats, want)
	}
	waitlist := run(b, "waiting list", chromedp.Evaluate[[]string](`(() => {
		const h = [...document.querySelectorAll("h2")].find(h => h.textContent.trim() === "Warteliste");
		if (!h || h.nextElementSibling.tagName !== "OL") return null;
		return [...h.nextElementSibling.querySelectorAll("li")].map(li => li.innerText.trim());
	})()`))
	if len(waitlist) != 1 || !strings.Contains(waitlist[0], "Becker") || !strings.Contains(waitlist[0], "LVR-Landesjugendamt") {
		t.Errorf("waiting list section: %q", waitlist)
	}
	rows := run(b, "table rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#liste ~ .table-scroll tbody tr")].map(tr => tr.innerText.replace(/\s+/g, " ").trim())`))
	if len(rows) != 3 {
		t.Fatalf("registrations table has %d rows, want 3: %q", len(rows), rows)
	}
	table := strings.Join(rows, "\n")
	for _, w := range []string{"Yıldız", "Müller-Lüdenscheidt", "Becker", "Stadt Ahlen", "Kreis Coesfeld", "vegetarisch", "Warteliste"} {
		if !strings.Contains(table, w) {
			t.Errorf("registrations table lacks %q:\n%s", w, table)
		}
	}
	b.screenshot("verwaltung-anmeldungen.png")
}
