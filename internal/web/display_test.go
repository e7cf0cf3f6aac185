package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// A deadline typed as a date closes registration at the next midnight;
// the pages name that day, not "00:00 Uhr" of the day after.
func TestDeadlineReadsAsTheLastDay(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 1)
	last := day.Of(ev.Days.First().In(time.UTC).AddDate(0, 0, -7))
	ev, err := e.events.Update(context.Background(), ev.ID, event.Input{RegistrationClosesAt: ptr(last.String())})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	for _, path := range []string{"/", fmt.Sprintf("/events/%d", ev.ID)} {
		body := e.get(c, path).Body
		mustContain(t, body, "<dt>Anmeldeschluss</dt><dd>"+last.German()+"</dd>")
		if strings.Contains(body, "00:00 Uhr") {
			t.Errorf("%s shows the deadline as midnight", path)
		}
	}
}

// Municipalities to choose from are ordered by place: "Kreis Coesfeld"
// among the C, "Stadt Köln" among the K, each under its full name.
func TestMunicipalityChoicesSortByPlace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, n := range []string{"Stadt Köln", "Kreis Unna", "Stadt Bochum"} {
		if _, err := e.munis.Create(ctx, municipality.Input{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	ev := e.event(70, 0, 1)
	want := []string{"Stadt Ahlen", "Stadt Bochum", "Kreis Coesfeld", "Stadt Köln", "Kreis Unna"}
	inOrder := func(where, body string) {
		t.Helper()
		at := -1
		for _, name := range want {
			i := strings.Index(body, ">"+name+"<")
			if i < 0 || i < at {
				t.Errorf("%s: %q missing or out of place (want %v)", where, name, want)
				return
			}
			at = i
		}
	}
	inOrder("registration form", e.get(e.client(), fmt.Sprintf("/events/%d/register", ev.ID)).Body)
	org := e.loggedIn()
	inOrder("registration filter", e.get(org, fmt.Sprintf("/admin/events/%d/registrations", ev.ID)).Body)
	inOrder("accounts", e.get(org, "/admin/users").Body)

	var list struct{ Items []municipality.Municipality }
	resp := e.api(http.MethodGet, "/api/v1/municipalities", "", nil)
	if err := json.Unmarshal([]byte(resp.Body), &list); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list.Items {
		got = append(got, m.Name)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("API order %v, want %v", got, want)
	}
}

// An input whose title already names its municipality shows it once, on
// the programme and in the documentation.
func TestInputsNameTheirMunicipalityOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	d := ev.Days[0]
	g, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr("Kommunale Steuerung"), Capacity: ptr(20),
		Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), Inputs: &[]workinggroup.InputSpec{
			{MunicipalityID: &e.ahlen.ID, Title: "Stadt Ahlen – Steuerungsstruktur der Präventionskette", Speaker: "Frau Görtz"},
			{MunicipalityID: &e.coesfeld.ID, Title: "Steuerungsstruktur"}}})
	if err != nil {
		t.Fatal(err)
	}
	slots, err := e.wgs.Slots(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	wg := agenda.WorkingGroups
	if _, err := e.agenda.Create(ctx, ev, agenda.Input{Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), Kind: &wg,
		WorkingGroupSlotID: &slots[0].ID}); err != nil {
		t.Fatal(err)
	}
	m := e.material(ev.ID, archive.Link, "Präsentation Ahlen", "https://example.org/ahlen", archive.Public)
	if _, err := e.archive.UpdateMaterial(ctx, m.ID, archive.MaterialInput{WorkingGroupInputID: &g.Inputs[0].ID}); err != nil {
		t.Fatal(err)
	}
	page := e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID)).Body
	mustContain(t, page, "<li>Stadt Ahlen – Steuerungsstruktur der Präventionskette (Frau Görtz)</li>",
		"<li>Kreis Coesfeld – Steuerungsstruktur</li>")
	if strings.Contains(page, "Stadt Ahlen – Stadt Ahlen") {
		t.Error("the municipality is named twice")
	}
	if !strings.Contains(page, "Stadt Ahlen – Steuerungsstruktur der Präventionskette</") {
		t.Error("the documentation does not head the material with the input")
	}
}

// Rooms show as typed: "Raum 2" and "Raum Ruhr" keep their name, other
// rooms are labelled.
func TestRoomsKeepTheirName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(70, 0, 1)
	d := ev.Days[0]
	if _, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr("Kommunale Steuerung"), Capacity: ptr(20), Room: ptr("Raum 2"),
		Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30")}); err != nil {
		t.Fatal(err)
	}
	slots, err := e.wgs.Slots(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []agenda.Input{
		{Day: &d, StartsAt: ptr("10:00"), EndsAt: ptr("11:00"), Kind: ptr(agenda.Keynote), Title: ptr("Was wirkt?"), Room: ptr("Raum Ruhr")},
		{Day: &d, StartsAt: ptr("11:00"), EndsAt: ptr("12:00"), Kind: ptr(agenda.Panel), Room: ptr("Großer Saal")},
		{Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), Kind: ptr(agenda.WorkingGroups), WorkingGroupSlotID: &slots[0].ID},
	} {
		if _, err := e.agenda.Create(ctx, ev, in); err != nil {
			t.Fatal(err)
		}
	}
	page := e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID)).Body
	mustContain(t, page, `<p class="programme-meta">Raum Ruhr</p>`, `<p class="programme-meta">Raum: Großer Saal</p>`,
		`<p class="programme-meta">Raum 2</p>`)
	for _, wrong := range []string{"Raum: Ruhr", "Raum: 2", "Raum: Raum"} {
		if strings.Contains(page, wrong) {
			t.Errorf("page shows %q", wrong)
		}
	}
	wishes := e.get(e.client(), fmt.Sprintf("/events/%d/register", ev.ID)).Body
	mustContain(t, wishes, "<strong>Kommunale Steuerung</strong> · Raum 2")
}

// The meeting page's address block names the city once.
func TestAddressNamesTheCityOnce(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 1)
	ev, err := e.events.Update(context.Background(), ev.ID, event.Input{VenueName: ptr("Gürzenich Köln"),
		VenueAddress: ptr("Martinstraße 29–37, 50667 Köln")})
	if err != nil {
		t.Fatal(err)
	}
	page := e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID)).Body
	mustContain(t, page, "<dt>Ort</dt><dd>Gürzenich Köln<br>Martinstraße 29–37, 50667 Köln</dd>")
	// Lists show venue and city, the city once.
	home := e.get(e.client(), "/").Body
	mustContain(t, home, "<dt>Ort</dt><dd>Gürzenich Köln</dd>")
	if strings.Contains(home, "Gürzenich Köln, Köln") {
		t.Error("the home page names the city twice")
	}
}

// A two-day meeting whose second day ends at 14:00 by its programme
// shows each day's hours, on the meeting page and the manage page.
func TestHoursPerDayWhereTheyDiffer(t *testing.T) {
	// The programme changes between two looks at the public page.
	e := newEnv(t, func(c *config.Config) { c.PageCacheTTL = 0 })
	ctx := context.Background()
	ev := e.event(70, 0, 2) // 10:00–16:00 on both days
	d1, d2 := ev.Days[0], ev.Days[1]
	e.addItem(ev, d1, "10:00", "16:00", agenda.Talk, "Erster Tag")
	page := e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID)).Body
	mustContain(t, page, "<dt>Datum</dt><dd>"+d1.GermanLong()+"<br>"+d2.GermanLong()+"</dd>", "<dt>Uhrzeit</dt><dd>10:00–16:00 Uhr</dd>")

	e.addItem(ev, d2, "09:00", "14:00", agenda.Talk, "Zweiter Tag")
	page = e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID)).Body
	both := d1.GermanLong() + ", 10:00–16:00 Uhr<br>" + d2.GermanLong() + ", 09:00–14:00 Uhr</dd>"
	mustContain(t, page, "<dt>Datum</dt><dd>"+both)
	if strings.Contains(page, "<dt>Uhrzeit</dt>") {
		t.Error("one span shown for days that differ")
	}
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Kerstin", LastName: "Görtz", Email: "k.goertz@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, e.get(e.client(), "/manage/"+reg.ManageToken).Body, "<dt>Datum</dt><dd>"+both)
}

// Hidden link text takes the article of the meeting's name.
func TestLinkTextTakesTheArticleOfTheName(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 1)
	academy, err := e.events.Create(context.Background(), event.Input{Kind: ptr(event.Fruehjahrsakademie), Days: &ev.Days,
		Capacity: ptr(70), Status: ptr(event.Published)})
	if err != nil {
		t.Fatal(err)
	}
	home := e.get(e.client(), "/").Body
	mustContain(t, home, `Jetzt anmelden<span class="visually-hidden"> zum 17. Lernnetzwerktreffen</span>`,
		`Details<span class="visually-hidden"> zur `+academy.Name()+`</span>`)
	if strings.Contains(home, "zum Frühjahrsakademie") {
		t.Error("“zum” before a feminine name")
	}
}

// Registering for a meeting is "anmelden"; the team's login has a name of
// its own in the menu, on the login page and in its links.
func TestLoginIsNotCalledAnmelden(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	home := e.get(c, "/").Body
	mustContain(t, home, `<a href="/login">Login für das Team</a>`)
	login := e.get(c, "/login").Body
	mustContain(t, login, "<title>Login für das Team – ", "<h1>Login für das Team</h1>", `<button type="submit" class="primary">Einloggen</button>`)
	mustContain(t, e.get(c, "/password/forgot").Body, `<a href="/login">Zum Login für das Team</a>`)
	for path, body := range map[string]string{"/": home, "/login": login} {
		if strings.Contains(body, ">Anmelden<") || strings.Contains(body, "Benutzeranmeldung") {
			t.Errorf("%s calls the login “Anmelden”", path)
		}
	}
	org := e.loggedIn()
	mustContain(t, e.get(org, "/admin/events").Body, "Logout ("+organiserEmail+")")
}

// The archive search reads ae, oe, ue as ä, ö, ü and ss as ß.
func TestArchiveSearchReadsSpeltOutUmlauts(t *testing.T) {
	e := newEnv(t)
	ev := e.pastMeeting(22, "2019-05-22")
	if _, err := e.events.Update(context.Background(), ev.ID, event.Input{VenueCity: ptr("Münster"), Motto: ptr("Kinder auf der Straße")}); err != nil {
		t.Fatal(err)
	}
	other := e.pastMeeting(23, "2019-09-04")
	c := e.client()
	for _, q := range []string{"Muenster", "münster", "Munster", "MUENSTER", "Strasse", "Straße", "muenster strasse"} {
		body := e.get(c, "/archiv?q="+url.QueryEscape(q)).Body
		mustContain(t, body, fmt.Sprintf(`href="/events/%d"`, ev.ID), "1 Treffen gefunden")
		if strings.Contains(body, fmt.Sprintf(`href="/events/%d"`, other.ID)) {
			t.Errorf("%q finds the meeting in Köln", q)
		}
	}
}

// The archive shows 20 meetings a page; the links to older and newer
// ones keep the search and the filters.
func TestArchiveIsPaged(t *testing.T) {
	e := newEnv(t)
	start := time.Date(2015, 3, 4, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 23; i++ {
		e.pastMeeting(i+1, start.AddDate(0, 3*i, 0).Format("2006-01-02"))
	}
	c := e.client()
	entries := func(body string) int { return strings.Count(body, `<li class="archive-entry">`) }

	first := e.get(c, "/archiv").Body
	mustContain(t, first, "23 Treffen im Archiv. Seite 1 von 2.", `<a class="older" href="/archiv?seite=2" rel="next">`, "23. Lernnetzwerktreffen")
	if n := entries(first); n != 20 || strings.Contains(first, `rel="prev"`) || strings.Contains(first, ">3. Lernnetzwerktreffen") {
		t.Errorf("first page: %d entries, or a link back, or an old meeting", n)
	}
	second := e.get(c, "/archiv?seite=2").Body
	mustContain(t, second, "Seite 2 von 2", `<a class="newer" href="/archiv" rel="prev">`, ">1. Lernnetzwerktreffen")
	if n := entries(second); n != 3 || strings.Contains(second, `rel="next"`) {
		t.Errorf("second page: %d entries, want 3 and no link further", n)
	}
	if n := entries(e.get(c, "/archiv?seite=99").Body); n != 3 {
		t.Errorf("a page past the end shows %d entries, want the last page's 3", n)
	}

	searched := e.get(c, "/archiv?q=Lernnetzwerktreffen&art=lernnetzwerktreffen").Body
	mustContain(t, searched, "23 Treffen gefunden. Seite 1 von 2.",
		`<a class="older" href="/archiv?art=lernnetzwerktreffen&amp;q=Lernnetzwerktreffen&amp;seite=2" rel="next">`)
	back := e.get(c, "/archiv?art=lernnetzwerktreffen&q=Lernnetzwerktreffen&seite=2").Body
	mustContain(t, back, `<a class="newer" href="/archiv?art=lernnetzwerktreffen&amp;q=Lernnetzwerktreffen" rel="prev">`)
	year := e.get(c, "/archiv?jahr=2016").Body
	if n := entries(year); n != 4 || strings.Contains(year, `class="pager"`) {
		t.Errorf("one year: %d entries, want 4 on one page", n)
	}
}

// Browsers ask for /favicon.ico; it answers with the icon the pages link.
func TestFavicon(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	mustContain(t, e.get(c, "/").Body, `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">`)
	for _, path := range []string{"/favicon.ico", "/static/favicon.svg"} {
		r := e.get(c, path)
		if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg+xml") || !strings.HasPrefix(r.Body, "<svg") {
			t.Errorf("%s: %d %s %.40q", path, r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
	}
}

// Beside the JSON download, the manage link shows the same data as a
// page with plain German labels.
func TestManageDataReadable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(70, 0, 1)
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{Salutation: "Frau", FirstName: "Kerstin", LastName: "Görtz",
		Email: "k.goertz@ahlen.example", MunicipalityID: &e.ahlen.ID, Function: "Jugendamt", DietaryNeeds: "vegetarisch",
		PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	link := "/manage/" + reg.ManageToken
	mustContain(t, e.get(c, link).Body, `href="`+link+`/daten">Gespeicherte Daten ansehen</a>`, `href="`+link+`/data.json">Als Datei herunterladen (JSON)</a>`)
	page := e.get(c, link+"/daten")
	if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("data page: %d, Cache-Control %q", page.StatusCode, page.Header.Get("Cache-Control"))
	}
	mustContain(t, page.Body, "<h1>Ihre gespeicherten Daten</h1>", "<dt>Vorname</dt><dd>Kerstin</dd>", "<dt>Nachname</dt><dd>Görtz</dd>",
		"<dt>E-Mail-Adresse</dt><dd>k.goertz@ahlen.example</dd>", "<dt>Kommune bzw. Organisation</dt><dd>Stadt Ahlen</dd>",
		"<dt>Hinweise zur Verpflegung</dt><dd>vegetarisch</dd>", "<dt>Status</dt><dd>Bestätigt</dd>", "17. Lernnetzwerktreffen",
		"<h2>E-Mails an Sie</h2>", "<td>Anmeldebestätigung</td>", "Sie haben keine Wünsche angegeben.", "data-print hidden")
	for _, jargon := range []string{"first_name", "privacy_consent_at", "null", "true", "false"} {
		if strings.Contains(page.Body, ">"+jargon) {
			t.Errorf("page shows %q", jargon)
		}
	}
	if r := e.get(c, "/manage/"+strings.Repeat("A", 43)+"/daten"); r.StatusCode != http.StatusNotFound {
		t.Errorf("guessed link: %d", r.StatusCode)
	}
}
