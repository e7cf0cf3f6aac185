package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// meetingToday creates a published two-day meeting that starts today.
func (e *env) meetingToday(capacity int) event.Event {
	e.t.Helper()
	today := day.Today(time.Now())
	days := day.List{today, day.Of(today.In(time.UTC).AddDate(0, 0, 1))}
	ev, err := e.events.Create(context.Background(), event.Input{
		Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(21), Days: &days, Capacity: ptr(capacity), Status: ptr(event.Published),
		VenueName: ptr("Stadthalle"), VenueCity: ptr("Ahlen"), StartTime: ptr("10:00"), EndTime: ptr("16:00"),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ev
}

// person registers someone; municipality nil makes a guest of "Gast e.V.".
func (e *env) person(eventID int64, first, last, email string, municipalityID *int64) registration.Registration {
	e.t.Helper()
	in := registration.Input{FirstName: first, LastName: last, Email: email, MunicipalityID: municipalityID, PrivacyConsent: true}
	if municipalityID == nil {
		in.Organisation = "Gast e.V."
	}
	r, err := e.regs.Register(context.Background(), eventID, in, registration.Options{IgnoreWindow: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// host creates a host of the meeting and returns a logged-in client and
// an API token.
func (e *env) host(email string, eventID int64) (*http.Client, string) {
	e.t.Helper()
	ctx := context.Background()
	const password = "gastgeber-passwort-2026"
	u, err := e.users.Create(ctx, account.NewUser{Email: email, Password: password, Role: account.Host})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.users.SetHost(ctx, u.ID, eventID, true, audit.System); err != nil {
		e.t.Fatal(err)
	}
	token, _, err := e.users.CreateToken(ctx, u.ID, "Einlass")
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	if resp := e.postForm(c, "/login", url.Values{"email": {email}, "password": {password}}); resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("host login: %d", resp.StatusCode)
	}
	return c, token
}

var tags = regexp.MustCompile(`<[^>]*>`)

// pageText is the visible text of a page, tags removed, spaces collapsed.
func pageText(body string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(body, " "))), " ")
}

type checkInBody struct {
	RegistrationID int64     `json:"registration_id"`
	Name           string    `json:"name"`
	Municipality   string    `json:"municipality"`
	Day            string    `json:"day"`
	CheckedInAt    time.Time `json:"checked_in_at"`
	Already        bool      `json:"already"`
}

func TestCheckInAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	ev := e.meetingToday(2)
	other := e.event(10, 0, 1)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	waiting := e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@ahlen.example", &e.ahlen.ID)
	if waiting.Status != registration.Waitlisted {
		t.Fatalf("third registration %s, want waitlisted", waiting.Status)
	}
	_, token := e.host("einlass@ahlen.example", ev.ID)
	_, otherToken := e.host("einlass@herne.example", other.ID)
	path := fmt.Sprintf("/api/v1/events/%d/check-ins", ev.ID)
	const key = "POST /api/v1/events/{id}/check-ins"

	// As printed, in small letters with a space: still found.
	code := strings.ToLower(jw.CheckinCode[:8] + " " + jw.CheckinCode[8:])
	first := e.api(http.MethodPost, path, token, map[string]any{"code": code})
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("first check-in: %d %s", first.StatusCode, first.Body)
	}
	e.conform(doc, key, first)
	var a checkInBody
	if err := json.Unmarshal([]byte(first.Body), &a); err != nil {
		t.Fatal(err)
	}
	if a.RegistrationID != jw.ID || a.Name != "Jürgen Weiß" || a.Municipality != "Stadt Ahlen" || a.Already || a.Day != day.Today(time.Now()).String() {
		t.Errorf("first check-in body: %+v", a)
	}

	second := e.api(http.MethodPost, path, token, map[string]any{"registration_id": jw.ID})
	if second.StatusCode != http.StatusOK {
		t.Fatalf("second check-in: %d %s", second.StatusCode, second.Body)
	}
	e.conform(doc, key, second)
	var b checkInBody
	if err := json.Unmarshal([]byte(second.Body), &b); err != nil {
		t.Fatal(err)
	}
	if !b.Already || !b.CheckedInAt.Equal(a.CheckedInAt) {
		t.Errorf("second check-in changed something: %+v, first %+v", b, a)
	}
	counts, err := e.checkins.CountsFor(context.Background(), ev.ID, day.Today(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if counts.CheckedIn != 1 || counts.Expected != 2 {
		t.Errorf("counts after two check-ins of one person: %+v", counts)
	}

	for _, tc := range []struct {
		name   string
		token  string
		body   any
		status int
		want   string
	}{
		{"unknown code", token, map[string]any{"code": "0000 0000 0000 0000"}, http.StatusNotFound, "Diesen Code kennen wir"},
		{"waitlisted", token, map[string]any{"code": waiting.CheckinCode}, http.StatusConflict, "Warteliste"},
		{"not a meeting day", token, map[string]any{"registration_id": jw.ID, "day": other.Days[0].String()}, http.StatusConflict, "kein Tag dieser Veranstaltung"},
		{"nothing given", token, map[string]any{}, http.StatusUnprocessableEntity, "code oder registration_id"},
		{"host of another meeting", otherToken, map[string]any{"code": jw.CheckinCode}, http.StatusForbidden, ""},
		{"anonymous", "", map[string]any{"code": jw.CheckinCode}, http.StatusUnauthorized, ""},
	} {
		r := e.api(http.MethodPost, path, tc.token, tc.body)
		if r.StatusCode != tc.status || !strings.Contains(r.Body, tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, r.StatusCode, r.Body, tc.status, tc.want)
		}
		e.conform(doc, key, r)
	}

	// Cancelled after registering: refused with the reason.
	if _, err := e.regs.Cancel(context.Background(), waiting.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if r := e.api(http.MethodPost, path, e.token(), map[string]any{"registration_id": waiting.ID}); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "storniert") {
		t.Errorf("cancelled: %d %s", r.StatusCode, r.Body)
	}
}

func TestCheckInPageSearchPostAndCounts(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(2)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	waiting := e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@ahlen.example", &e.ahlen.ID)
	c, _ := e.host("einlass@ahlen.example", ev.ID)
	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)

	r := e.get(c, page)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("check-in page: %d", r.StatusCode)
	}
	text := pageText(r.Body)
	mustContain(t, text, "0 von 2 eingecheckt", "Code eingeben oder scannen", "Nach Namen suchen", "Nachmeldung vor Ort")
	mustContain(t, r.Body, `src="/static/checkin.js"`, `data-counts-url="/host/events/`)
	if strings.Contains(r.Body, "<script>") {
		t.Error("inline script on the check-in page")
	}

	r = e.get(c, page+"?q=wei%C3%9F")
	mustContain(t, pageText(r.Body), "Weiß, Jürgen", "Stadt Ahlen", "wartet")
	mustContain(t, r.Body, fmt.Sprintf(`name="registration_id" value="%d"`, jw.ID))

	r = e.postForm(c, page+"?q=wei%C3%9F", url.Values{"registration_id": {fmt.Sprint(jw.ID)}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("check in by search: %d %s", r.StatusCode, pageText(r.Body))
	}
	text = pageText(r.Body)
	mustContain(t, text, "Jürgen Weiß (Stadt Ahlen) ist eingecheckt.", "1 von 2 eingecheckt")
	if !regexp.MustCompile(`Weiß, Jürgen Stadt Ahlen eingecheckt \d\d:\d\d`).MatchString(text) {
		t.Errorf("search result does not show the check-in time: %s", text)
	}

	r = e.postForm(c, page, url.Values{"code": {jw.CheckinCode}})
	if r.StatusCode != http.StatusOK || !regexp.MustCompile(`Jürgen Weiß \(Stadt Ahlen\) war heute schon um \d\d:\d\d eingecheckt\.`).MatchString(pageText(r.Body)) {
		t.Errorf("second check-in: %d %s", r.StatusCode, pageText(r.Body))
	}
	mustContain(t, pageText(r.Body), "1 von 2 eingecheckt")

	r = e.postForm(c, page, url.Values{"code": {waiting.CheckinCode}})
	if r.StatusCode != http.StatusConflict {
		t.Errorf("waitlisted: %d", r.StatusCode)
	}
	mustContain(t, pageText(r.Body), "Şükrü Öztürk steht auf der Warteliste")
	r = e.postForm(c, page, url.Values{"code": {"ABCD"}})
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d", r.StatusCode)
	}
	mustContain(t, pageText(r.Body), "Diesen Code kennen wir bei dieser Veranstaltung nicht.")

	r = e.get(c, page+"/counts.json")
	var counts struct {
		CheckedIn int    `json:"checked_in"`
		Expected  int    `json:"expected"`
		Label     string `json:"label"`
	}
	if err := json.Unmarshal([]byte(r.Body), &counts); err != nil || counts.CheckedIn != 1 || counts.Expected != 2 || counts.Label != "1 von 2 eingecheckt" {
		t.Errorf("counts.json: %s (%v)", r.Body, err)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("counts.json Cache-Control %q", cc)
	}
}

func TestCheckInWalkInIsConfirmedEvenWhenFull(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(1)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@coesfeld.example", &e.coesfeld.ID)
	c, _ := e.host("einlass@ahlen.example", ev.ID)
	walkIn := fmt.Sprintf("/host/events/%d/checkin/walk-in", ev.ID)

	form := url.Values{"first_name": {"Zdzisław"}, "last_name": {"Ściegienny"}, "email": {"z.s@ahlen.example"},
		"municipality_id": {fmt.Sprint(e.ahlen.ID)}}
	r := e.postForm(c, walkIn, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("walk-in without consent: %d", r.StatusCode)
	}
	mustContain(t, pageText(r.Body), "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu")
	mustContain(t, r.Body, `value="Zdzisław"`, `value="z.s@ahlen.example"`)

	form.Set("privacy_consent", "1")
	r = e.postForm(c, walkIn, form)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("walk-in: %d %s", r.StatusCode, pageText(r.Body))
	}
	mustContain(t, pageText(r.Body), "Zdzisław Ściegienny (Stadt Ahlen) ist nachgemeldet und eingecheckt.", "1 von 2 eingecheckt")

	regs, err := e.regs.List(context.Background(), ev.ID, registration.Filter{Query: "z.s@ahlen.example"})
	if err != nil || len(regs) != 1 {
		t.Fatalf("walk-in registration: %v %v", regs, err)
	}
	if got := regs[0]; got.Status != registration.Confirmed || !got.WalkIn || got.RegisteredByUserID == nil {
		t.Errorf("walk-in: status %s, walk_in %v, registered by %v", got.Status, got.WalkIn, got.RegisteredByUserID)
	}
	attended, err := e.checkins.CheckedIn(context.Background(), ev.ID)
	if err != nil || !attended[regs[0].ID].Contains(day.Today(time.Now())) {
		t.Errorf("walk-in not checked in today: %v %v", attended, err)
	}

	// The same address again: the message says so, the values stay.
	r = e.postForm(c, walkIn, form)
	if r.StatusCode != http.StatusConflict {
		t.Errorf("second walk-in with the same address: %d", r.StatusCode)
	}
	mustContain(t, pageText(r.Body), "Mit dieser E-Mail-Adresse ist bereits")
}

func TestCheckInOutsideTheMeetingDays(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 2) // a month ahead
	r1 := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	c := e.loggedIn() // organisers use the page too
	page := fmt.Sprintf("/host/events/%d/checkin", ev.ID)

	r := e.get(c, page+"?tag="+ev.Days[1].String())
	if r.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", r.StatusCode)
	}
	text := pageText(r.Body)
	mustContain(t, text, "Heute ist kein Tag dieser Veranstaltung", ev.Days[1].GermanLong(), "0 von 1 eingecheckt")
	mustContain(t, r.Body, `<option value="`+ev.Days[1].String()+`" selected>`)

	r = e.postForm(c, page, url.Values{"registration_id": {fmt.Sprint(r1.ID)}})
	if r.StatusCode != http.StatusConflict {
		t.Errorf("check-in before the meeting: %d", r.StatusCode)
	}
	mustContain(t, pageText(r.Body), "Heute ist kein Tag dieser Veranstaltung.")
	r = e.postForm(c, page+"/walk-in", url.Values{"first_name": {"A"}, "last_name": {"B"}, "email": {"a.b@x.example"}, "organisation": {"Gast"}, "privacy_consent": {"1"}})
	if r.StatusCode != http.StatusConflict {
		t.Errorf("walk-in before the meeting: %d", r.StatusCode)
	}
	if regs, _ := e.regs.List(context.Background(), ev.ID, registration.Filter{}); len(regs) != 1 {
		t.Errorf("walk-in before the meeting registered someone: %d registrations", len(regs))
	}
}
