package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// axeFile is axe-core as installed by `make test-deps` (npm ci in
// testdata/axe, version pinned in its package-lock.json).
var axeFile = filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")

// axeSource reads axe-core, or skips the test with the reason.
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(axeFile)
	if err != nil {
		fmt.Printf("SKIP %s: axe-core fehlt: make test-deps (%v)\n", t.Name(), err)
		t.Skipf("axe-core fehlt: make test-deps (%v)", err)
	}
	return string(src)
}

// axeRunJS runs axe-core on the page with the rules of WCAG 2.0 and 2.1,
// levels A and AA, and axe's best practices, and returns the violations.
const axeRunJS = `axe.run(document, {
	runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
	resultTypes: ["violations"]
}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
	targets: v.nodes.map(n => n.target.join(" ") + (n.failureSummary ? " – " + n.failureSummary.replace(/\s+/g, " ") : ""))})))`

// axeViolation is one failed axe rule with the elements that fail it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// a11ySite is the data the pages of the accessibility test show: an
// upcoming meeting with programme and working groups, a past one, a
// meeting today for the check-in, a registration and accounts.
type a11ySite struct {
	vars        *strings.Replacer
	coordinator string
	host        string
}

const a11yPassword = "barrierefrei-2026"

func newA11ySite(t *testing.T, e *env) a11ySite {
	t.Helper()
	ctx := context.Background()
	upcoming, _ := e.programmeMeeting()
	past := day.Of(time.Now().AddDate(0, -2, 0))
	old, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Fruehjahrsakademie), Number: ptr(3), Motto: ptr("Gemeinsam wirksam"),
		Days: &day.List{past}, Capacity: ptr(60), Status: ptr(event.Published), VenueName: ptr("Zeche Zollverein"), VenueCity: ptr("Essen")})
	if err != nil {
		t.Fatal(err)
	}
	// The past meeting has an online documentation with every kind of
	// material, and a participant who sees the participant-only part.
	if _, err := e.archive.SaveDocumentation(ctx, old.ID, archive.Input{Teaser: ptr("Zwei Tage Austausch in Essen."),
		Report:    ptr("## Rückblick\n\nDie Kommunen berichteten über **ihre** Präventionsketten.\n\n> Gemeinsam wirksam.\n\n- [Landesprogramm](https://praeventionsketten.example/)"),
		Published: ptr(true)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	e.material(old.ID, archive.Presentation, "Präsentation zum Rückblick", tinyPDF, archive.Public)
	e.material(old.ID, archive.Video, "Video: Grußwort", "https://video.example/grusswort", archive.Public)
	e.material(old.ID, archive.Presentation, "Präsentation nur für Teilnehmende", tinyPDF, archive.Participants)
	if up, err := e.archive.Files().Receive(bytes.NewReader(hallPicture(t, 600, 400, 1)), "saal.png", archive.Photo); err != nil {
		t.Fatal(err)
	} else if _, err := e.archive.AddMaterial(ctx, old.ID, archive.MaterialInput{AltText: ptr("Teilnehmende im Saal"), Credit: ptr("ISA/Martin Scherag")}, up, time.Now()); err != nil {
		t.Fatal(err)
	}
	// The Mediathek has a series and a video of the past meeting in it.
	series, err := media.NewStore(e.db.Gorm).CreateSeries(ctx, media.SeriesInput{Title: ptr("Learning Nuggets")})
	if err != nil {
		t.Fatal(err)
	}
	clip, err := media.NewStore(e.db.Gorm).CreateItem(ctx, media.Input{Kind: ptr(media.Video), Title: ptr("Nugget 1: Was ist eine Präventionskette?"),
		URL: ptr("https://video.example/nugget-1"), SeriesID: &series.ID, EventID: &old.ID, RecordedOn: ptr(past.String()),
		Speakers: &[]media.SpeakerInput{{Name: "Vera Deffte", Role: "Wissenschaftliche Mitarbeiterin", MunicipalityID: &e.ahlen.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	attendee, err := e.regs.Register(ctx, old.ID, registration.Input{FirstName: "Marina", LastName: "Bänke", Email: "m.baenke@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	// The Mediathek: a video at a platform, tied to the past meeting, and
	// one on the own server with captions.
	talks := e.mediathekSeries("Vortragsvideos", 0)
	platformVideo := e.mediathekItem(media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("Keynote: Gemeinsam wirksam"),
		RecordedOn: ptr(past.String()), EventID: &old.ID, URL: ptr("https://www.youtube.com/watch?v=abcDEF12345"), Topics: &[]string{"Netzwerkarbeit"},
		Speakers: &[]media.SpeakerInput{{Name: "Dr. Heinz-Jürgen Stolz", Role: "Leiter der Servicestelle Prävention"}}})
	ownVideo := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Learning Nugget: Die Persona Methode"), URL: ptr("/medien/persona.webm"),
		Captions: ptr(captionsVTT), Transcript: ptr("Willkommen zur Persona-Methode.")})
	// Twenty older meetings, so the archive has a second page.
	for i := 1; i <= 20; i++ {
		d := day.Of(time.Date(2015, time.Month(i%12+1), i, 0, 0, 0, 0, time.UTC))
		if _, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(i), Days: &day.List{d},
			Capacity: ptr(60), Status: ptr(event.Held), VenueCity: ptr("Köln")}); err != nil {
			t.Fatal(err)
		}
	}
	today := e.meetingToday(40)
	e.person(today.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	reg, err := e.regs.Register(ctx, upcoming.ID, registration.Input{FirstName: "Çağla", LastName: "Yıldız", Email: "c.yildiz@ahlen.example",
		MunicipalityID: &e.ahlen.ID, Function: "Jugendamt", PrivacyConsent: true, Days: upcoming.Days}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := a11ySite{coordinator: "koordination@ahlen.example", host: "einlass@ahlen.example"}
	if _, err := e.users.Create(ctx, account.NewUser{Email: s.coordinator, Name: "Koordination Ahlen", Password: a11yPassword,
		Role: account.Coordinator, MunicipalityID: &e.ahlen.ID}); err != nil {
		t.Fatal(err)
	}
	host, err := e.users.Create(ctx, account.NewUser{Email: s.host, Password: a11yPassword, Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.users.SetHost(ctx, host.ID, today.ID, true, audit.System); err != nil {
		t.Fatal(err)
	}
	if r := e.postForm(e.client(), "/password/forgot", url.Values{"email": {s.host}}); r.StatusCode >= 400 {
		t.Fatalf("password reset: %d", r.StatusCode)
	}
	resets := secMails(t, e, outbox.PasswordReset)
	if len(resets) == 0 {
		t.Fatal("no password reset mail")
	}
	s.vars = strings.NewReplacer(
		"{upcoming}", fmt.Sprint(upcoming.ID), "{past}", fmt.Sprint(old.ID), "{today}", fmt.Sprint(today.ID),
		"{platformvideo}", fmt.Sprint(platformVideo.ID), "{ownvideo}", fmt.Sprint(ownVideo.ID),
		"{token}", reg.ManageToken, "{pasttoken}", attendee.ManageToken, "{rid}", fmt.Sprint(reg.ID), "{setlink}", secLinkOf(t, resets[0]),
		"{media}", fmt.Sprint(clip.ID))
	return s
}

// a11yPage is one page of the accessibility test. path may use the
// placeholders of a11ySite; as names the account to be logged in with
// ("" anonymous, "coordinator", "host", "organiser"). With submit, the
// test presses that button after running prepare (JavaScript) and checks
// the page that answers, e.g. a form re-rendered with its errors.
type a11yPage struct {
	name    string
	as      string
	path    string
	status  int
	prepare string
	submit  string
	answer  int
	// scriptless checks the page as served, without its script: the
	// check-in's forms answer from the server only then.
	scriptless bool
}

// a11yPages are the pages checked with axe-core and at narrow widths. One
// line per page; add pages here.
var a11yPages = []a11yPage{
	{name: "Startseite", path: "/", status: 200},
	{name: "Archiv", path: "/archiv", status: 200},
	{name: "Archiv, Suche", path: "/archiv?q=essen&art=fruehjahrsakademie", status: 200},
	{name: "Archiv, nichts gefunden", path: "/archiv?q=gibtesnicht", status: 200},
	{name: "Archiv, zweite Seite", path: "/archiv?seite=2", status: 200},
	{name: "Mediathek", path: "/mediathek", status: 200},
	{name: "Mediathek, Suche", path: "/mediathek?q=persona&thema=Netzwerkarbeit", status: 200},
	{name: "Mediathek: Video einer Plattform", path: "/mediathek/{platformvideo}", status: 200},
	{name: "Mediathek: Video mit Untertiteln", path: "/mediathek/{ownvideo}", status: 200},
	{name: "Veranstaltung mit Programm", path: "/events/{upcoming}", status: 200},
	{name: "vergangene Veranstaltung mit Dokumentation", path: "/events/{past}", status: 200},
	{name: "Dokumentation für Teilnehmende", path: "/manage/{pasttoken}/dokumentation", status: 200},
	{name: "Anmeldeformular", path: "/events/{upcoming}/register", status: 200},
	{name: "Anmeldeformular mit Fehlern", path: "/events/{upcoming}/register", status: 200, submit: "form.stack button.primary", answer: 422},
	{name: "Anmeldebestätigung", path: "/manage/{token}?neu=1", status: 200},
	{name: "Anmeldung verwalten", path: "/manage/{token}", status: 200},
	{name: "Anmeldung verwalten mit Fehlern", path: "/manage/{token}", status: 200,
		prepare: `document.getElementById("f-first_name").value = ""`, submit: `form.stack button.primary`, answer: 422},
	{name: "Datenschutzhinweise", path: "/datenschutz", status: 200},
	{name: "Löschung beantragen", path: "/manage/{token}/delete", status: 200},
	{name: "Gespeicherte Daten", path: "/manage/{pasttoken}/daten", status: 200},
	{name: "Link anfordern", path: "/manage", status: 200},
	{name: "Link anfordern mit Fehler", path: "/manage", status: 200, submit: "form.stack button.primary", answer: 422},
	{name: "Link angefordert", path: "/manage", status: 200,
		prepare: `document.getElementById("f-email").value = "c.yildiz@ahlen.example"`, submit: "form.stack button.primary", answer: 200},
	{name: "Login", path: "/login", status: 200},
	{name: "Login mit Fehler", path: "/login", status: 200, submit: "form.stack button.primary", answer: 401},
	{name: "Passwort vergessen", path: "/password/forgot", status: 200},
	{name: "Passwort setzen", path: "{setlink}", status: 200},
	{name: "Passwort setzen mit Fehler", path: "{setlink}", status: 200, submit: "form.stack button.primary", answer: 422},
	{name: "Seite nicht gefunden", path: "/gibt-es-nicht", status: 404},
	{name: "Koordination: Übersicht", as: "coordinator", path: "/portal", status: 200},
	{name: "Koordination: Veranstaltung", as: "coordinator", path: "/portal/events/{upcoming}", status: 200},
	{name: "Koordination: Anmeldung", as: "coordinator", path: "/portal/events/{upcoming}/registrations/{rid}", status: 200},
	{name: "Gastgeber: Übersicht", as: "host", path: "/host", status: 200},
	{name: "Gastgeber: Veranstaltung", as: "host", path: "/host/events/{today}", status: 200},
	{name: "Koordination: Veranstaltung mit Fehlern", as: "coordinator", path: "/portal/events/{upcoming}", status: 200,
		prepare: `document.getElementById("f-first_name-0").value = "Max"`, submit: "form.stack button.primary", answer: 422},
	{name: "Gastgeber: Check-in", as: "host", path: "/host/events/{today}/checkin", status: 200},
	{name: "Gastgeber: Check-in, Suche", as: "host", path: "/host/events/{today}/checkin?q=wei", status: 200, scriptless: true},
	{name: "Gastgeber: Check-in, eingecheckt", as: "host", path: "/host/events/{today}/checkin?q=wei", status: 200, scriptless: true,
		submit: ".checkin-person button.primary", answer: 200},
	{name: "Gastgeber: Check-in, falscher Code", as: "host", path: "/host/events/{today}/checkin", status: 200, scriptless: true,
		prepare: `document.getElementById("f-code").value = "FALSCH"`, submit: "#code-form button.primary", answer: 404},
	{name: "Gastgeber: Nachmeldung mit Fehlern", as: "host", path: "/host/events/{today}/checkin", status: 200, scriptless: true,
		prepare: `document.getElementById("walkin").open = true`, submit: `form[action$="/walk-in"] button.primary`, answer: 422},
	{name: "Verwaltung: Veranstaltungen", as: "organiser", path: "/admin/events", status: 200},
	{name: "Verwaltung: neue Veranstaltung", as: "organiser", path: "/admin/events/new", status: 200},
	{name: "Verwaltung: Veranstaltung bearbeiten", as: "organiser", path: "/admin/events/{upcoming}/edit", status: 200},
	{name: "Verwaltung: Anmeldungen", as: "organiser", path: "/admin/events/{upcoming}/registrations", status: 200},
	{name: "Verwaltung: Statistik", as: "organiser", path: "/admin/events/{upcoming}/statistics", status: 200},
	{name: "Verwaltung: Netzwerkbericht", as: "organiser", path: "/admin/reports/network?von=01.01.2000&bis=31.12.2099", status: 200},
	{name: "Koordination: Bericht der Kommune", as: "coordinator", path: "/portal/report?von=01.01.2000&bis=31.12.2099", status: 200},
	{name: "Verwaltung: Arbeitsgruppen", as: "organiser", path: "/admin/events/{upcoming}/working-groups", status: 200},
	{name: "Verwaltung: Zuteilung", as: "organiser", path: "/admin/events/{upcoming}/assignment", status: 200},
	{name: "Verwaltung: Programm", as: "organiser", path: "/admin/events/{upcoming}/programme", status: 200},
	{name: "Verwaltung: Dokumentation", as: "organiser", path: "/admin/events/{past}/documentation", status: 200},
	{name: "Verwaltung: Dokumentation, Upload ohne Datei", as: "organiser", path: "/admin/events/{past}/documentation", status: 200,
		submit: `form[enctype="multipart/form-data"] button.primary`, answer: 422},
	{name: "Verwaltung: Mediathek", as: "organiser", path: "/admin/mediathek", status: 200},
	{name: "Verwaltung: Mediathek, Eintrag bearbeiten", as: "organiser", path: "/admin/mediathek/{media}", status: 200},
	{name: "Verwaltung: Mediathek, neuer Eintrag mit Fehlern", as: "organiser", path: "/admin/mediathek/new", status: 200,
		submit: `form[enctype="multipart/form-data"] button.primary`, answer: 422},
	{name: "Verwaltung: E-Mails", as: "organiser", path: "/admin/mails", status: 200},
	{name: "Verwaltung: Kommunen", as: "organiser", path: "/admin/municipalities", status: 200},
	{name: "Verwaltung: Konten", as: "organiser", path: "/admin/users", status: 200},
	{name: "Verwaltung: Protokoll", as: "organiser", path: "/admin/audit", status: 200},
	{name: "Verwaltung: Datenschutz, Suche", as: "organiser", path: "/admin/privacy?email=c.yildiz@ahlen.example", status: 200},
	{name: "Verwaltung: Datenschutz, Löschen bestätigen", as: "organiser", path: "/admin/privacy/erase?email=c.yildiz@ahlen.example", status: 200},
	{name: "Verwaltung: API-Tokens", as: "organiser", path: "/account/tokens", status: 200},
}

// sidewaysJS names the elements that reach past the right edge of the
// viewport and are not clipped by a scrolling box, innermost first: those
// are what makes the page scroll sideways.
const sidewaysJS = `(() => {
	const w = document.documentElement.clientWidth;
	const clipped = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
		if (getComputedStyle(p).overflowX !== "visible") return true; } return false; };
	const wide = el => el.getBoundingClientRect().right > w + 1 && (getComputedStyle(el).position === "absolute" || !clipped(el));
	const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "");
	return [...document.body.querySelectorAll("*")].filter(el => wide(el) && ![...el.children].some(wide))
		.map(el => name(el) + " right=" + Math.round(el.getBoundingClientRect().right) + " in " + (el.parentElement ? name(el.parentElement) : ""));
})()`

// unfocusedJS focuses every element reachable by Tab and names those
// that show no focus outline of at least 2 px then. It runs after a Tab
// press, so the browser treats the focus as keyboard focus.
const unfocusedJS = `(() => {
	const out = [];
	const all = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])");
	for (const el of all) {
		if (el.disabled || el.closest("[hidden]") || el.getClientRects().length === 0) continue;
		el.focus();
		if (document.activeElement !== el) continue;
		const s = getComputedStyle(el);
		if (!el.matches(":focus-visible") || s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) {
			out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.innerText || el.name || "").trim().slice(0, 40) +
				" (:focus-visible " + el.matches(":focus-visible") + ", outline " + s.outlineStyle + " " + s.outlineWidth + ")");
		}
	}
	document.activeElement && document.activeElement.blur();
	return out;
})()`

// a11yWidths are the narrow viewports every page must fit without
// horizontal scrolling: 640 CSS px is a 1280 px window at 200 % zoom,
// 360 px a small phone.
var a11yWidths = []int64{640, 360}

// TestBrowserAccessibility loads every page of a11yPages in chromium, runs
// axe-core (WCAG 2.0/2.1 A and AA, best practices) and fails with every
// violation; checks that every element reachable by Tab shows a focus
// outline; then narrows the viewport to each of a11yWidths and checks that
// nothing scrolls sideways.
func TestBrowserAccessibility(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t, func(c *config.Config) { c.LoginLimit = 0; c.RegisterLimit = 0 })
	site := newA11ySite(t, e)
	b := newBrowser(t, e)
	logins := map[string]string{"coordinator": site.coordinator, "host": site.host, "organiser": organiserEmail}
	passwords := map[string]string{"coordinator": a11yPassword, "host": a11yPassword, "organiser": organiserPassword}
	current := ""
	for _, p := range a11yPages {
		t.Run(p.name, func(t *testing.T) {
			b.t = t
			if p.as != current {
				if current != "" {
					b.open("/")
					b.load("log out", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
				}
				if p.as != "" {
					b.open("/login")
					b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), logins[p.as]),
						chromedp.SendKeys(chromedp.ID("f-password"), passwords[p.as]))
					b.load("log in as "+p.as, http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
				}
				current = p.as
			}
			b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
			if p.scriptless {
				b.scripts(false)
			}
			path := site.vars.Replace(p.path)
			b.load("open "+path, p.status, chromedp.Navigate(b.base+path))
			if p.submit != "" {
				if p.prepare != "" {
					run(b, "prepare", chromedp.Evaluate[any](p.prepare+"; null"))
				}
				b.load("submit", p.answer, chromedp.Click(chromedp.CSS(p.submit)))
			}
			if p.scriptless {
				b.scripts(true) // for axe-core
			}
			run(b, "inject axe-core", chromedp.Evaluate[bool](axe+"\n;typeof axe === 'object'"))
			violations := run(b, "run axe-core", chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise))
			for _, v := range violations {
				t.Errorf("%s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
			}
			b.key(kb.Tab)
			if out := run(b, "focus outlines", chromedp.Evaluate[[]string](unfocusedJS)); len(out) > 0 {
				t.Errorf("keyboard focus not visible on:\n\t%s", strings.Join(out, "\n\t"))
			}
			for _, w := range a11yWidths {
				b.do(fmt.Sprint("viewport ", w), chromedp.EmulateViewport(w, 800))
				if got := run(b, "viewport width", chromedp.Evaluate[int64](`document.documentElement.clientWidth`)); got != w {
					t.Errorf("%d px: viewport is %d px wide", w, got)
				}
				if sw := run(b, "scroll width", chromedp.Evaluate[[2]int64](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)); sw[0] > sw[1] {
					out := run(b, "overflow", chromedp.Evaluate[[]string](sidewaysJS))
					t.Errorf("%d px: scrolls sideways (scrollWidth %d > clientWidth %d):\n%s", w, sw[0], sw[1], strings.Join(out, "\n"))
				}
			}
		})
	}
	b.t = t
}

// scripts switches the page's scripts on or off.
func (b *browser) scripts(on bool) {
	b.t.Helper()
	b.do(fmt.Sprintf("scripts on=%v", on), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// formControlsJS lists the ids of the registration form's controls in
// document order (the submit button as "submit").
const formControlsJS = `[...document.querySelectorAll("form.stack :is(input:not([type=hidden]), select, textarea, button)")].map(el => el.id || el.type)`

// focusOn waits up to three seconds for the element with the id to take
// the focus (autofocus and fragment links apply at the next rendering of
// the page) and returns what has the focus then.
func (b *browser) focusOn(id string) focused {
	b.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		f := run(b, "focused element", chromedp.Evaluate[focused](focusedJS))
		if f.ID == id || time.Now().After(deadline) {
			return f
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// press presses a key as a keyboard does: one keyDown that carries the
// text, then keyUp. (chromedp's KeyEvent sends the text as a separate char
// event, which reaches whatever has the focus after the keyDown's action,
// e.g. a field the focus was moved into.)
func (b *browser) press(key, text string, code int64) {
	b.t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key, Text: text, UnmodifiedText: text, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code}
	up := down
	up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
	for _, p := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(b.ctx, input.DispatchKeyEvent, p); err != nil {
			b.t.Fatalf("press %s: %v", key, err)
		}
	}
}

// TestBrowserRegistrationByKeyboard fills the registration form with the
// keyboard alone: Tab reaches every field and the submit button, each
// with a visible focus outline; Enter sends the form with the last name
// missing, and the focus then lands on the error summary, whose link
// leads to the field, while the typed values stay.
func TestBrowserRegistrationByKeyboard(t *testing.T) {
	e := newEnv(t)
	ev, _ := e.programmeMeeting() // two days and working-group wishes: checkboxes and selects in the form
	b := newBrowser(t, e)
	b.open(fmt.Sprintf("/events/%d/register", ev.ID))
	controls := run(b, "form controls", chromedp.Evaluate[[]string](formControlsJS))
	if len(controls) < 15 {
		t.Fatalf("form has only %d controls: %q", len(controls), controls)
	}

	typed := map[string]string{"f-first_name": "Zdzisław", "f-email": "z.sciegienny@ahlen.example", "f-function": "Jugendamt"}
	var seen []string
	reached := map[string]bool{}
	for i := 0; i < 3*len(controls)+20 && !reached["submit"]; i++ {
		f := b.key(kb.Tab)
		key := f.ID
		if f.Tag == "button" && strings.Contains(f.Class, "primary") {
			key = "submit"
		}
		seen = append(seen, key)
		if f.Tag == "body" || key == "" {
			continue // links and the header before the form
		}
		if !f.FocusVisible || f.Outline != "solid 3px" {
			t.Errorf("%s has the focus without a visible outline (:focus-visible=%v, outline %q)", key, f.FocusVisible, f.Outline)
		}
		reached[key] = true
		if text, ok := typed[key]; ok {
			b.do("type into "+key, chromedp.KeyEvent(text))
		}
	}
	for _, c := range controls {
		if !reached[c] {
			t.Errorf("Tab never reaches %s; focus went through %q", c, seen)
		}
	}
	if !reached["submit"] {
		t.Fatal("Tab never reaches the submit button")
	}

	t.Logf("Tab order: %q", seen)
	b.load("press Enter on the submit button", http.StatusUnprocessableEntity, chromedp.KeyEvent(kb.Enter))
	f := b.focusOn("fehler")
	if f.ID != "fehler" || !strings.Contains(f.Class, "error-summary") {
		t.Fatalf("after the failed submit the focus is on %+v, want the error summary", f)
	}
	if role := run(b, "summary role", chromedp.Evaluate[string](`document.getElementById("fehler").getAttribute("role")`)); role != "alert" {
		t.Errorf("error summary role %q, want alert", role)
	}
	if summary := b.text("#fehler"); !strings.Contains(summary, "Bitte geben Sie Ihren Nachnamen an.") {
		t.Errorf("error summary:\n%s", summary)
	}
	for id, want := range typed {
		if got := b.value("#" + id); got != want {
			t.Errorf("%s after the failed submit: %q, want %q", id, got, want)
		}
	}
	if got := run(b, "described by", chromedp.Evaluate[string](`(el => el.getAttribute("aria-invalid") + " " + document.getElementById(el.getAttribute("aria-describedby")).textContent)(document.getElementById("f-last_name"))`)); got != "true Bitte geben Sie Ihren Nachnamen an." {
		t.Errorf("last name field: aria-invalid and description %q", got)
	}

	// From the summary, Tab reaches the first error's link; Enter on it
	// puts the focus into that field.
	f = b.key(kb.Tab)
	if f.Tag != "a" || f.Href != "#f-last_name" {
		t.Fatalf("Tab from the error summary focuses %+v, want the link to the last name", f)
	}
	b.press("Enter", "\r", 13)
	if f := b.focusOn("f-last_name"); f.ID != "f-last_name" {
		t.Errorf("the summary's link leads the focus to %+v, want #f-last_name", f)
	}
}
