package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

func TestPublicPagesShowPublishedMeetingsOnly(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 4, 1)
	draft, err := e.events.Create(context.Background(), event.Input{Kind: ptr(event.Other), Title: ptr("Geheimer Entwurf"),
		Days: &ev.Days, Capacity: ptr(10)})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	home := e.get(c, "/")
	if home.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", home.StatusCode)
	}
	mustContain(t, home.Body, "17. Lernnetzwerktreffen", "Wir wollen die Prävention stärken!", "Jetzt anmelden", "70 von 70 frei")
	if strings.Contains(home.Body, "Geheimer Entwurf") {
		t.Error("draft listed on the public home page")
	}
	if got := e.get(c, fmt.Sprintf("/events/%d", draft.ID)).StatusCode; got != http.StatusNotFound {
		t.Errorf("draft page: %d, want 404", got)
	}
	page := e.get(c, fmt.Sprintf("/events/%d", ev.ID))
	mustContain(t, page.Body, "Rathaus", "Köln", "bis zu 4 Personen je Kommune")
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if got := e.get(c, "/events/abc").StatusCode; got != http.StatusNotFound {
		t.Errorf("bad id: %d", got)
	}
}

func TestRegistrationFormKeepsInputAndConfirms(t *testing.T) {
	e := newEnv(t)
	ev := e.event(1, 0, 2)
	c := e.client()
	path := fmt.Sprintf("/events/%d/register", ev.ID)
	form := url.Values{"first_name": {"Zdzisław"}, "last_name": {""}, "email": {"kein-at-zeichen"},
		"municipality_id": {fmt.Sprint(e.ahlen.ID)}, "function": {"Jugendamt – Jugendhilfeplanung"}, "days": {ev.Days[1].String()}}
	bad := e.postForm(c, path, form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, `value="Zdzisław"`, `value="kein-at-zeichen"`, `value="Jugendamt – Jugendhilfeplanung"`,
		"Bitte geben Sie Ihren Nachnamen an.", "Bitte geben Sie eine gültige E-Mail-Adresse an",
		"Bitte stimmen Sie der Verarbeitung Ihrer Daten zu", `aria-invalid="true"`, `role="alert"`)
	summary := bad.Body[strings.Index(bad.Body, `class="error-summary"`):]
	if i, j := strings.Index(summary, "Nachnamen"), strings.Index(summary, "gültige E-Mail"); i < 0 || j < 0 || i > j {
		t.Error("error summary not in form order (last name before email)")
	}
	if !regexp.MustCompile(`<option value="` + fmt.Sprint(e.ahlen.ID) + `" selected>Stadt Ahlen`).MatchString(bad.Body) {
		t.Error("municipality choice lost")
	}
	if !strings.Contains(bad.Body, `value="`+ev.Days[1].String()+`" checked`) || strings.Contains(bad.Body, `value="`+ev.Days[0].String()+`" checked`) {
		t.Error("day choice lost")
	}

	form.Set("last_name", "Ściegienny")
	form.Set("email", "z.sciegienny@ahlen.example")
	form.Set("privacy_consent", "1")
	ok := e.postForm(c, path, form)
	if ok.StatusCode != http.StatusSeeOther || !strings.HasPrefix(ok.Header.Get("Location"), "/manage/") {
		t.Fatalf("register: %d %s", ok.StatusCode, ok.Header.Get("Location"))
	}
	confirmation := e.get(c, ok.Header.Get("Location"))
	mustContain(t, confirmation.Body, "Ihre Anmeldung ist bestätigt", "z.sciegienny@ahlen.example", "Stadt Ahlen")

	dup := e.postForm(c, path, form)
	if dup.StatusCode != http.StatusConflict {
		t.Fatalf("duplicate: %d", dup.StatusCode)
	}
	mustContain(t, dup.Body, "bereits eine Anmeldung", `value="Zdzisław"`)

	form.Set("email", "zweite@ahlen.example")
	second := e.postForm(c, path, form)
	waiting := e.get(c, second.Header.Get("Location"))
	mustContain(t, waiting.Body, "Sie stehen auf der Warteliste", "Platz <strong>1</strong>")
}

func TestManageLinkChangesAndCancelsAndPromotes(t *testing.T) {
	e := newEnv(t)
	ev := e.event(1, 0, 1)
	ctx := context.Background()
	first, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Çağla", LastName: "Yıldız", Email: "c.yildiz@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Şükrü", LastName: "Öztürk", Email: "s.oeztuerk@coesfeld.example",
		MunicipalityID: &e.coesfeld.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil || second.Status != registration.Waitlisted {
		t.Fatalf("second: %v %v", second.Status, err)
	}
	c := e.client()
	link := "/manage/" + first.ManageToken
	if got := e.get(c, "/manage/"+strings.Repeat("A", 43)).StatusCode; got != http.StatusNotFound {
		t.Errorf("guessed link: %d, want 404", got)
	}
	bad := e.postForm(c, link, url.Values{"first_name": {""}, "last_name": {"Yıldız"}, "function": {"Gesundheitsamt"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid change: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, "Bitte geben Sie Ihren Vornamen an.", `value="Gesundheitsamt"`)
	if r := e.postForm(c, link, url.Values{"first_name": {"Çağla"}, "last_name": {"Yıldız"}, "function": {"Gesundheitsamt"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", r.StatusCode)
	}
	if got, _ := e.regs.Get(ctx, first.ID); got.Function != "Gesundheitsamt" || got.Email != "c.yildiz@ahlen.example" {
		t.Fatalf("after change: %+v", got)
	}
	if r := e.postForm(c, link+"/cancel", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("cancel without confirmation: %d", r.StatusCode)
	}
	if r := e.postForm(c, link+"/cancel", url.Values{"confirm": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	mustContain(t, e.get(c, link).Body, "storniert")
	promoted, _ := e.regs.Get(ctx, second.ID)
	if promoted.Status != registration.Confirmed {
		t.Fatalf("waiting person not promoted: %s", promoted.Status)
	}
	mails, err := e.outbox.List(ctx, outbox.Filter{RegistrationID: second.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[outbox.Kind]bool{}
	for _, m := range mails {
		kinds[m.Kind] = true
	}
	if !kinds[outbox.Promotion] {
		t.Errorf("no promotion mail queued: %v", kinds)
	}
}

func TestOrganiserPagesNeedLogin(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	anon := e.client()
	r := e.get(anon, "/admin/events")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous admin: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.postForm(anon, "/login", url.Values{"email": {organiserEmail}, "password": {"falsch"}}); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.StatusCode)
	} else {
		mustContain(t, r.Body, "nicht korrekt", `value="`+organiserEmail+`"`)
	}
	c := e.loggedIn()
	for _, path := range []string{"/admin/events", "/admin/events/new", fmt.Sprintf("/admin/events/%d/edit", ev.ID),
		fmt.Sprintf("/admin/events/%d/registrations", ev.ID), "/admin/mails", "/admin/municipalities"} {
		if got := e.get(c, path); got.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, got.StatusCode)
		}
	}
	pdf := e.get(c, fmt.Sprintf("/admin/events/%d/participants.pdf", ev.ID))
	if pdf.StatusCode != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("participants.pdf: %d", pdf.StatusCode)
	}
	if r := e.postForm(c, "/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if got := e.get(c, "/admin/events").StatusCode; got != http.StatusSeeOther {
		t.Errorf("after logout: %d", got)
	}
}

func TestEventEditorKeepsInputAndSaves(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	form := url.Values{"kind": {"lernnetzwerktreffen"}, "number": {"26"}, "motto": {"Netzwerken ist kein Luxus"},
		"days": {"2027-03-03, 2027-03-04"}, "start_time": {"10:00"}, "end_time": {"09:00"}, "capacity": {"abc"},
		"municipality_quota": {"0"}, "status": {"published"}, "venue_city": {"Neuss"}}
	bad := e.postForm(c, "/admin/events", form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad editor post: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, `value="Netzwerken ist kein Luxus"`, "Bitte die Zahl der Plätze angeben.")
	form.Set("capacity", "70")
	bad = e.postForm(c, "/admin/events", form)
	mustContain(t, bad.Body, "Das Ende muss nach dem Beginn liegen.", `value="Neuss"`)
	form.Set("end_time", "16:00")
	if r := e.postForm(c, "/admin/events", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, r.Body)
	}
	mustContain(t, e.get(c, "/").Body, "26. Lernnetzwerktreffen", "03.–04.03.2027")
}

func TestCrossSiteFormPostIsRejected(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/events/%d/register", e.srv.URL, ev.ID),
		strings.NewReader(url.Values{"first_name": {"A"}, "last_name": {"B"}, "email": {"a@b.example"}, "organisation": {"X"}, "privacy_consent": {"1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	if r := e.do(e.client(), req); r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", r.StatusCode)
	}
	if c, _ := e.regs.Count(context.Background(), ev.ID); c.Confirmed != 0 {
		t.Fatal("cross-site post registered someone")
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	var last response
	for i := 0; i < 12; i++ {
		last = e.postForm(c, "/login", url.Values{"email": {organiserEmail}, "password": {"falsch"}})
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after many attempts: %d, Retry-After %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
}

func TestRegistrationsPageFiltersByMunicipalityAndStatus(t *testing.T) {
	e := newEnv(t)
	ev := e.event(2, 0, 1)
	ctx := context.Background()
	for i, p := range []struct {
		last string
		muni int64
	}{{"Bäcker", e.ahlen.ID}, {"Brüggemann", e.coesfeld.ID}, {"Zander", e.ahlen.ID}} {
		if _, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Kim", LastName: p.last,
			Email: fmt.Sprintf("p%d@x.example", i), MunicipalityID: &p.muni, PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/registrations", ev.ID)
	all := e.get(c, base).Body
	if i, j := strings.Index(all, "Bäcker, Kim"), strings.Index(all, "Brüggemann, Kim"); i < 0 || j < 0 || i > j {
		t.Error("not in German order: Bäcker before Brüggemann")
	}
	ahlen := e.get(c, fmt.Sprintf("%s?municipality_id=%d", base, e.ahlen.ID)).Body
	mustContain(t, ahlen, "2 Anmeldungen", "Bäcker, Kim", "Zander, Kim")
	waiting := e.get(c, base+"?status=waitlisted").Body
	mustContain(t, waiting, "1 Anmeldung<", "Zander, Kim")
	if got := e.get(c, base+"?status=bogus").StatusCode; got != http.StatusBadRequest {
		t.Errorf("bogus status: %d", got)
	}
}

// A meeting like an existing one (kind, name, days) is saved only after
// the organiser confirms; the question keeps every value and links the
// existing meeting. An edit asks only when it makes a meeting a look-alike.
func TestEventEditorAsksBeforeSavingALookalike(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	first := e.event(70, 0, 2)
	form := url.Values{"kind": {"lernnetzwerktreffen"}, "number": {"17"}, "motto": {"Zweiter Versuch"},
		"days": {first.Days.String()}, "start_time": {"10:00"}, "end_time": {"16:00"}, "capacity": {"60"},
		"municipality_quota": {"0"}, "status": {"draft"}, "venue_city": {"Dormagen"}}
	r := e.postForm(c, "/admin/events", form)
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("look-alike: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Es gibt bereits „17. Lernnetzwerktreffen“ am "+first.Days.German()+" (Veröffentlicht). Trotzdem anlegen?",
		fmt.Sprintf(`<a href="/admin/events/%d/edit">17. Lernnetzwerktreffen</a>`, first.ID), "Rathaus, Köln",
		`value="Zweiter Versuch"`, `value="Dormagen"`, `value="60"`,
		`<button type="submit" form="event-form" name="confirm_duplicate" value="1" class="primary">Trotzdem anlegen</button>`)
	if all, _ := e.events.List(t.Context(), event.Filter{}); len(all) != 1 {
		t.Fatalf("saved before confirming: %d meetings", len(all))
	}

	// Confirmed, it is saved; so is a meeting that differs.
	form.Set("confirm_duplicate", "1")
	if r := e.postForm(c, "/admin/events", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: %d %s", r.StatusCode, r.Body)
	}
	form.Del("confirm_duplicate")
	form.Set("number", "18")
	if r := e.postForm(c, "/admin/events", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("18th: %d", r.StatusCode)
	}
	all, _ := e.events.List(t.Context(), event.Filter{})
	if len(all) != 3 {
		t.Fatalf("%d meetings, want 3", len(all))
	}
	var twin, other event.Event
	for _, ev := range all {
		switch {
		case ev.Number == 17 && ev.ID != first.ID:
			twin = ev
		case ev.Number == 18:
			other = ev
		}
	}

	// Saving the confirmed twin again does not ask; turning the 18th into
	// another 17th does, with "Trotzdem speichern".
	edit := formFromValues(twin)
	if r := e.postForm(c, fmt.Sprintf("/admin/events/%d", twin.ID), edit); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the twin again: %d", r.StatusCode)
	}
	edit = formFromValues(other)
	edit.Set("number", "17")
	r = e.postForm(c, fmt.Sprintf("/admin/events/%d", other.ID), edit)
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("edit into a look-alike: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Trotzdem speichern?", fmt.Sprintf(`href="/admin/events/%d/edit"`, first.ID), fmt.Sprintf(`href="/admin/events/%d/edit"`, twin.ID))
	if got, _ := e.events.Get(t.Context(), other.ID); got.Number != 18 {
		t.Fatal("the edit was saved before confirming")
	}
	edit.Set("confirm_duplicate", "1")
	if r := e.postForm(c, fmt.Sprintf("/admin/events/%d", other.ID), edit); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed edit: %d", r.StatusCode)
	}
}

// formFromValues is the editor's form of a saved meeting.
func formFromValues(ev event.Event) url.Values {
	return url.Values{"kind": {string(ev.Kind)}, "number": {strconv.Itoa(ev.Number)}, "title": {ev.Title}, "motto": {ev.Motto},
		"days": {ev.Days.String()}, "start_time": {ev.StartTime}, "end_time": {ev.EndTime}, "capacity": {strconv.Itoa(ev.Capacity)},
		"municipality_quota": {strconv.Itoa(ev.MunicipalityQuota)}, "status": {string(ev.Status)}, "venue_city": {ev.VenueCity}}
}

// The form for a new meeting, sent as offered with days and a number,
// saves: it once offered 0 wishes per slot, which the meeting refuses.
func TestNewEventFormSavesAsOffered(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	page := e.get(c, "/admin/events/new").Body
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input id="f-[a-z_]+" name="([a-z_]+)" type="[a-z-]+" value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="f-[a-z_]+" name="([a-z_]+)">.*?</select>`).FindAllStringSubmatch(page, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[0]); sel != nil {
			form.Set(m[1], sel[1])
		}
	}
	if form.Get("preference_ranks") != "3" || form.Get("capacity") != "70" || form.Get("status") != "draft" {
		t.Fatalf("offered %v", form)
	}
	form.Set("number", "30")
	form.Set("days", "2028-03-01")
	if r := e.postForm(c, "/admin/events", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save as offered: %d %s", r.StatusCode, r.Body)
	}
}

// Meeting days are given one per input, typed the German way where the
// browser shows a text field; times as people write them. The editor
// keeps an unreadable day as typed and names it; the API answers ISO.
func TestEventEditorTakesDaysOneByOneAndGermanDates(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	form := url.Values{"kind": {"fruehjahrsakademie"}, "title": {"Übergänge gestalten"},
		"days": {"21.05.2027", "", "20.5.2027", "32.05.2027"}, "start_time": {"9.30"}, "end_time": {"16 Uhr"},
		"capacity": {"70"}, "municipality_quota": {"0"}, "status": {"draft"}, "preference_ranks": {"2"}}
	bad := e.postForm(c, "/admin/events", form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unreadable day: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, "„32.05.2027“ ist kein Datum.", `id="f-days" name="days" type="date" value="2027-05-21"`,
		`id="f-days-2" name="days" type="date" value="2027-05-20"`, `id="f-days-3" name="days" type="date" value="32.05.2027"`,
		`value="9.30"`, `href="#f-days"`)
	form["days"] = []string{"21.05.2027", "", "20.5.2027"}
	r := e.postForm(c, "/admin/events", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, r.Body)
	}
	list, err := e.events.List(context.Background(), event.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var ev *event.Event
	for i := range list {
		if list[i].Title == "Übergänge gestalten" {
			ev = &list[i]
		}
	}
	if ev == nil {
		t.Fatal("meeting not saved")
	}
	if ev.Days.String() != "2027-05-20,2027-05-21" || ev.StartTime != "09:30" || ev.EndTime != "16:00" {
		t.Fatalf("saved days %s, times %s–%s", ev.Days, ev.StartTime, ev.EndTime)
	}
	edit := e.get(c, fmt.Sprintf("/admin/events/%d/edit", ev.ID)).Body
	mustContain(t, edit, `id="f-days" name="days" type="date" value="2027-05-20"`, `id="f-days-2" name="days" type="date" value="2027-05-21"`,
		`id="f-days-3" name="days" type="date" value=""`, `value="09:30"`)
	token := e.token()
	got := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d", ev.ID), token, nil)
	mustContain(t, got.Body, `"days":["2027-05-20","2027-05-21"]`, `"start_time":"09:30"`)
}
