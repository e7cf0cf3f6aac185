package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// groupTable is one table of assigned people as the assignment page shows it.
type groupTable struct {
	Caption string   `json:"caption"`
	Rows    []string `json:"rows"`
}

// groupTablesJS reads the tables below "Eingeteilte Personen": one per
// group, the placeholder row of an empty group left out.
const groupTablesJS = `(() => {
	const h = [...document.querySelectorAll("h2")].find(h => h.textContent.trim() === "Eingeteilte Personen");
	if (!h) return null;
	const out = [];
	for (let el = h.nextElementSibling; el; el = el.nextElementSibling) {
		const t = el.querySelector("table");
		if (!t) continue;
		out.push({caption: t.caption.innerText.replace(/\s+/g, " ").trim(),
			rows: [...t.tBodies[0].rows].filter(tr => !tr.querySelector("td[colspan]")).map(tr => tr.innerText.replace(/\s+/g, " ").trim())});
	}
	return out;
})()`

// tallyJS reads the statistics table with the given caption, one string a row.
const tallyJS = `(caption => {
	const t = [...document.querySelectorAll("table")].find(t => t.caption && t.caption.innerText.trim() === caption);
	return t ? [...t.tBodies[0].rows].map(tr => tr.innerText.replace(/\s+/g, " ").trim()) : null;
})`

// screenshotTo saves the page from its top to the end of the element sel,
// where a full page would be mostly what lies below.
func (b *browser) screenshotTo(name, sel string) {
	b.t.Helper()
	nodes := run(b, "nodes for "+name, chromedp.Nodes(chromedp.CSSAll("header.site, "+sel), chromedp.AtLeast(2)))
	png := run(b, "screenshot "+name, chromedp.ScreenshotNodes(nodes, 1))
	file := filepath.Join(b.shots, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d KB)", file, len(png)/1024)
}

func TestBrowserWorkingGroupsAssignment(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(40, 0, 1)
	muni := func(name string) int64 {
		m, err := e.munis.Create(ctx, municipality.Input{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	gelsenkirchen, dormagen, unna := muni("Stadt Gelsenkirchen"), muni("Stadt Dormagen"), muni("Kreis Unna")

	// Four groups in parallel in the afternoon, three places each; the
	// speaker of the first group's input is one of the participants.
	specs := []struct{ title, room, moderators string }{
		{"Kommunale Steuerung in der Präventionskette", "Ratssaal", "Dr. Jana Weiß"},
		{"Zugänge erleichtern – Ankerpunkte im Sozialraum nutzen", "Raum 1.12", "Heike Brandt"},
		{"Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette", "Raum 1.14", "Murat Kaya"},
		{"(Bildungs-)Übergänge fließend gestalten", "Raum 2.03", "Sabine Lorenz"},
	}
	const speaker = "Çağla Yıldız"
	var groups [4]workinggroup.Group
	for i, s := range specs {
		in := workinggroup.GroupInput{Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), SlotLabel: ptr("Arbeitsgruppen am Nachmittag"),
			Title: ptr(s.title), Room: ptr(s.room), Moderators: ptr(s.moderators), Capacity: ptr(3)}
		if i == 0 {
			in.Inputs = &[]workinggroup.InputSpec{{MunicipalityID: &e.ahlen.ID, Title: "Steuerungsstruktur", Speaker: speaker}}
		}
		g, err := e.wgs.CreateGroup(ctx, ev, in)
		if err != nil {
			t.Fatalf("create %q: %v", s.title, err)
		}
		groups[i] = g
	}
	g1, g2, g3, g4 := groups[0].ID, groups[1].ID, groups[2].ID, groups[3].ID
	if groups[0].SlotID != groups[3].SlotID {
		t.Fatalf("groups in different slots: %d and %d", groups[0].SlotID, groups[3].SlotID)
	}
	slot := groups[0].SlotID

	// A participant chooses his wishes in the public form. German
	// date and time fields in the screenshots, where chromium-l10n is there.
	t.Setenv("LANGUAGE", "de")
	b := newBrowser(t, e)
	b.open(fmt.Sprintf("/events/%d/register", ev.ID))
	wish := func(rank int) string { return fmt.Sprintf("f-wish-%d-%d", slot, rank) }
	if got := b.text("#f-working_group_preferences legend"); got != "Arbeitsgruppen: Ihre Wünsche" {
		t.Errorf("wish fieldset legend %q", got)
	}
	options := run(b, "wish options", chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.getElementById(%q).options].map(o => o.text)`, wish(1))))
	if len(options) != 5 || options[0] != "– keine Angabe –" || options[1] != specs[0].title+" (3 Plätze, bisher 0 Erstwünsche)" {
		t.Errorf("options of the 1st wish: %q", options)
	}
	if n := run(b, "wish selects", chromedp.Evaluate[int](`document.querySelectorAll('select[name^="wish."]').length`)); n != 3 {
		t.Errorf("%d wish selects, want 3", n)
	}
	const email = "z.sciegienny@coesfeld.example"
	b.do("fill form",
		chromedp.SendKeys(chromedp.ID("f-first_name"), "Zdzisław"),
		chromedp.SendKeys(chromedp.ID("f-last_name"), "Ściegienny"),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SetValue(chromedp.ID("f-municipality_id"), fmt.Sprint(e.coesfeld.ID)),
		chromedp.SetValue(chromedp.ID(wish(1)), fmt.Sprint(g1)),
		chromedp.SetValue(chromedp.ID(wish(2)), fmt.Sprint(g3)),
		chromedp.SetValue(chromedp.ID(wish(3)), fmt.Sprint(g2)),
		chromedp.Click(chromedp.ID("f-privacy_consent")),
	)
	chosen := run(b, "chosen wishes", chromedp.Evaluate[[]string](`[...document.querySelectorAll('select[name^="wish."]')].map(s => s.options[s.selectedIndex].text)`))
	wantChosen := []string{specs[0].title, specs[2].title, specs[1].title}
	for i, w := range wantChosen {
		if i >= len(chosen) || !strings.HasPrefix(chosen[i], w+" (") {
			t.Fatalf("wish selects show %q, want %q", chosen, wantChosen)
		}
	}
	b.screenshot("anmeldung-wuensche.png")
	b.load("submit", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if !strings.HasPrefix(b.path(), "/manage/") {
		t.Fatalf("after registration at %s, want /manage/…", b.path())
	}
	if got := b.text(".success"); !strings.Contains(got, "Ihre Anmeldung ist bestätigt") {
		t.Errorf("confirmation %q", got)
	}
	all, err := e.regs.List(ctx, ev.ID, registration.Filter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("registrations after the form: %d, %v", len(all), err)
	}
	prefs, err := e.wgs.Preferences(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := prefs[all[0].ID]; fmt.Sprint(got) != fmt.Sprint([]int64{g1, g3, g2}) {
		t.Errorf("stored wishes %v, want %v", got, []int64{g1, g3, g2})
	}

	// Nine more: six of ten want the first group most.
	others := []struct {
		first, last string
		muni        int64
		wishes      []int64
	}{
		{"Çağla", "Yıldız", e.ahlen.ID, []int64{g1, g2, g3}},
		{"Jürgen", "Weiß", e.ahlen.ID, []int64{g1, g2, g4}},
		{"Özlem", "Yılmaz", gelsenkirchen, []int64{g1, g3, g2}},
		{"Anna", "Becker", e.coesfeld.ID, []int64{g1, g2, g3}},
		{"Jörg", "Müller-Lüdenscheidt", dormagen, []int64{g1, g4, g2}},
		{"Małgorzata", "Nowak", unna, []int64{g2, g1, g3}},
		{"Thomas", "Schäfer", dormagen, []int64{g3, g1, g4}},
		{"Fatma", "Demir", gelsenkirchen, []int64{g4, g3, g1}},
		{"Lena", "Hoffmann", unna, []int64{g2, g3, g4}},
	}
	for i, p := range others {
		r, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: p.first, LastName: p.last,
			Email: fmt.Sprintf("person%d@kommune.example", i), MunicipalityID: &p.muni, PrivacyConsent: true,
			WorkingGroupPreferences: p.wishes}, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != registration.Confirmed {
			t.Fatalf("%s %s: %s", p.first, p.last, r.Status)
		}
	}

	// The organiser logs in and looks at the groups.
	b.open("/login")
	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.text("header.site"); !strings.Contains(got, "Logout (") {
		t.Fatalf("not logged in; header %q", got)
	}
	b.open(fmt.Sprintf("/admin/events/%d/working-groups", ev.ID))
	if got := b.text("main h2"); !strings.Contains(got, "14:00–15:30 Uhr") || !strings.Contains(got, "Arbeitsgruppen am Nachmittag") {
		t.Errorf("slot heading %q", got)
	}
	rows := run(b, "group rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll("main table tbody tr")].map(tr => [...tr.cells].map(c => c.innerText.replace(/\s+/g, " ").trim()).join(" | "))`))
	wantRows := []string{
		specs[0].title + " | Ratssaal | Dr. Jana Weiß | Stadt Ahlen – Steuerungsstruktur (Çağla Yıldız) | 3 | 6 / 2 / 1 | 0",
		specs[1].title + " | Raum 1.12 | Heike Brandt | – | 3 | 2 / 3 / 3 | 0",
		specs[2].title + " | Raum 1.14 | Murat Kaya | – | 3 | 1 / 4 / 3 | 0",
		specs[3].title + " | Raum 2.03 | Sabine Lorenz | – | 3 | 1 / 1 / 3 | 0",
	}
	if len(rows) != len(wantRows) {
		t.Fatalf("working-groups table has %d rows, want 4:\n%s", len(rows), strings.Join(rows, "\n"))
	}
	for i, w := range wantRows {
		if !strings.HasPrefix(rows[i], w) {
			t.Errorf("row %d:\n got %s\nwant %s …", i+1, rows[i], w)
		}
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("working-groups page scrolls sideways:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("arbeitsgruppen.png")

	// Assignment: compute a preview, look at it, save it.
	b.load("open assignment", http.StatusOK, chromedp.Click(chromedp.CSS(`main a.button[href$="/assignment"]`)))
	if got, want := b.path(), fmt.Sprintf("/admin/events/%d/assignment", ev.ID); got != want {
		t.Fatalf("assignment link led to %s, want %s", got, want)
	}
	if got := b.text("p.lead"); got != "10 bestätigte Teilnehmende, davon 0 in mindestens einer Arbeitsgruppe." {
		t.Errorf("lead before %q", got)
	}
	// A limit that binds nobody here, to see it kept after saving.
	b.do("limit per municipality", chromedp.SendKeys(chromedp.ID("f-max_per_municipality"), "9"))
	b.load("Zuteilung berechnen", http.StatusOK, chromedp.Click(chromedp.CSS(`form[action$="/assignment"] button.primary`)))
	if got := b.path(); !strings.Contains(got, "berechnen=1") {
		t.Errorf("preview at %s, want ?berechnen=1", got)
	}
	if got := b.text("#h-vorschau"); got != "Vorschau – noch nicht gespeichert" {
		t.Errorf("preview heading %q", got)
	}
	preview := run(b, "preview stats", chromedp.Evaluate[[]string](tallyJS+`("Ergebnis der Berechnung")`))
	if len(preview) != 1 || !strings.Contains(preview[0], "7 (70 %) 3 (30 %) 0 (0 %) 0 (0 %) 0 (0 %)") {
		t.Errorf("preview statistics %q, want 7 with 1st and 3 with 2nd choice", preview)
	}
	changes := run(b, "changes", chromedp.Evaluate[[]string](`[...document.querySelectorAll("#vorschau table")].filter(t => t.caption.innerText.includes("Änderungen")).flatMap(t => [...t.tBodies[0].rows].map(tr => tr.innerText.replace(/\s+/g, " ").trim()))`))
	if len(changes) != 10 {
		t.Errorf("%d changes in the preview, want 10:\n%s", len(changes), strings.Join(changes, "\n"))
	}
	if got := b.text("#vorschau"); !strings.Contains(got, "10 Änderungen gegenüber der gespeicherten Zuteilung") || !strings.Contains(got, "Ściegienny, Zdzisław") {
		t.Errorf("preview text:\n%s", got)
	}
	before := run(b, "tables before saving", chromedp.Evaluate[[]groupTable](groupTablesJS))
	if len(before) != 5 || !strings.HasPrefix(before[4].Caption, "Ohne Arbeitsgruppe in diesem Zeitfenster: 10") || len(before[4].Rows) != 10 {
		t.Errorf("before saving, want four empty groups and 10 without a group: %+v", before)
	}
	for _, tb := range before[:min(4, len(before))] {
		if len(tb.Rows) != 0 {
			t.Errorf("before saving, %q lists %q", tb.Caption, tb.Rows)
		}
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("preview scrolls sideways:\n%s", strings.Join(out, "\n"))
	}
	b.screenshotTo("zuteilung-vorschau.png", "#vorschau")

	b.load("Speichern", http.StatusOK, chromedp.Click(chromedp.CSS(`#vorschau form[action$="/assignment/apply"] button.primary`)))
	if got := b.text(".flash"); got != "Die Zuteilung ist gespeichert: 10 Plätze in Arbeitsgruppen, 10 Änderungen." {
		t.Errorf("flash %q", got)
	}
	if got := b.text("p.lead"); got != "10 bestätigte Teilnehmende, davon 10 in mindestens einer Arbeitsgruppe." {
		t.Errorf("lead after %q", got)
	}
	if got := b.value("#f-max_per_municipality"); got != "9" {
		t.Errorf("limit per municipality after saving %q, want 9", got)
	}
	if n := run(b, "preview gone", chromedp.Evaluate[int](`document.querySelectorAll("#vorschau").length`)); n != 0 {
		t.Error("the preview is still shown after saving")
	}
	saved := run(b, "saved stats", chromedp.Evaluate[[]string](tallyJS+`("Wie viele ihre 1., 2., 3. Wahl bekommen haben")`))
	if len(saved) != 1 || !strings.Contains(saved[0], "7 (70 %) 3 (30 %)") {
		t.Errorf("saved statistics %q, want 70 %% with 1st choice", saved)
	}
	tables := run(b, "group tables", chromedp.Evaluate[[]groupTable](groupTablesJS))
	if len(tables) != 4 {
		t.Fatalf("%d group tables, want 4: %+v", len(tables), tables)
	}
	listed := 0
	for i, tb := range tables {
		if !strings.HasPrefix(tb.Caption, specs[i].title+" · ") || !strings.Contains(tb.Caption, " · "+event.RoomLine(specs[i].room)+" · ") {
			t.Errorf("table %d caption %q", i+1, tb.Caption)
		}
		if !strings.HasSuffix(tb.Caption, fmt.Sprintf("%d von 3 Plätzen", len(tb.Rows))) {
			t.Errorf("caption %q does not match its %d rows", tb.Caption, len(tb.Rows))
		}
		if len(tb.Rows) > 3 {
			t.Errorf("%s: %d people, capacity 3", specs[i].title, len(tb.Rows))
		}
		listed += len(tb.Rows)
	}
	if listed != 10 {
		t.Errorf("%d people listed in the groups, want 10", listed)
	}
	first := strings.Join(tables[0].Rows, "\n")
	for _, w := range []string{"Yıldız, Çağla Stadt Ahlen Input gesperrt", "Ściegienny, Zdzisław"} {
		if !strings.Contains(first, w) {
			t.Errorf("first group lacks %q:\n%s", w, first)
		}
	}
	if strings.Contains(b.text("main"), "Ohne Arbeitsgruppe in diesem Zeitfenster") {
		t.Error("somebody is left without a group")
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("assignment page scrolls sideways:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("zuteilung.png")

	// The database agrees: one group for everyone, no group over capacity.
	regs, err := e.regs.List(ctx, ev.ID, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		t.Fatal(err)
	}
	if len(regs) != 10 {
		t.Fatalf("%d confirmed, want 10", len(regs))
	}
	as, err := e.wgs.Assignments(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	perPerson, perGroup := map[int64]int{}, map[int64]int{}
	var speakerGroup int64
	for _, a := range as {
		perPerson[a.RegistrationID]++
		perGroup[a.WorkingGroupID]++
		if a.Role == workinggroup.Speaker {
			speakerGroup = a.WorkingGroupID
		}
	}
	for _, r := range regs {
		if perPerson[r.ID] != 1 {
			t.Errorf("%s: %d groups, want 1", r.FullName(), perPerson[r.ID])
		}
	}
	for _, g := range groups {
		if perGroup[g.ID] > g.Capacity {
			t.Errorf("%s: %d people, capacity %d", g.Title, perGroup[g.ID], g.Capacity)
		}
	}
	if len(as) != len(regs) {
		t.Errorf("%d assignments for %d people", len(as), len(regs))
	}
	if speakerGroup != g1 {
		t.Errorf("the speaker is in group %d, want the first (%d)", speakerGroup, g1)
	}
}
