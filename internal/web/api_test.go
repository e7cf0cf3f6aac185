package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// apiError is the error body of the JSON API.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

type apiEvent struct {
	ID                 int64     `json:"id"`
	Kind               string    `json:"kind"`
	Number             int       `json:"number"`
	Name               string    `json:"name"`
	Motto              string    `json:"motto"`
	Days               []string  `json:"days"`
	StartTime          string    `json:"start_time"`
	EndTime            string    `json:"end_time"`
	VenueName          string    `json:"venue_name"`
	VenueCity          string    `json:"venue_city"`
	HostMunicipalityID *int64    `json:"host_municipality_id"`
	Capacity           int       `json:"capacity"`
	MunicipalityQuota  int       `json:"municipality_quota"`
	Status             string    `json:"status"`
	Confirmed          int       `json:"confirmed"`
	Waitlisted         int       `json:"waitlisted"`
	FreePlaces         int       `json:"free_places"`
	RegistrationOpen   bool      `json:"registration_open"`
	URL                string    `json:"url"`
	UpdatedAt          time.Time `json:"updated_at"`
}

type apiRegistration struct {
	ID               int64      `json:"id"`
	EventID          int64      `json:"event_id"`
	Salutation       string     `json:"salutation"`
	FirstName        string     `json:"first_name"`
	LastName         string     `json:"last_name"`
	Email            string     `json:"email"`
	MunicipalityID   *int64     `json:"municipality_id"`
	Organisation     string     `json:"organisation"`
	Function         string     `json:"function"`
	Days             []string   `json:"days"`
	Status           string     `json:"status"`
	ManageURL        string     `json:"manage_url"`
	WaitlistPosition int        `json:"waitlist_position"`
	PromotedAt       *time.Time `json:"promoted_at"`
}

type apiList[T any] struct {
	Items []T  `json:"items"`
	Total *int `json:"total"`
}

// decode reads a JSON body into a value of type T, failing the test when
// the body does not fit.
func decodeBody[T any](t testing.TB, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("decode %T from %d %s: %v", v, r.StatusCode, r.Body, err)
	}
	return v
}

// list decodes {"items","total"} and checks that total counts the items.
func apiItems[T any](t testing.TB, r response) []T {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", r.StatusCode, r.Body)
	}
	l := decodeBody[apiList[T]](t, r)
	if l.Items == nil || l.Total == nil {
		t.Fatalf("list lacks items or total: %s", r.Body)
	}
	if *l.Total != len(l.Items) {
		t.Errorf("total %d, but %d items", *l.Total, len(l.Items))
	}
	return l.Items
}

// wantError checks status, code and that each named field has a message.
func wantError(t testing.TB, r response, status int, code string, fields ...string) apiError {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("status %d, want %d: %s", r.StatusCode, status, r.Body)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("error Content-Type %q", r.Header.Get("Content-Type"))
	}
	body := decodeBody[apiError](t, r)
	if body.Error.Code != code {
		t.Errorf("error code %q, want %q: %s", body.Error.Code, code, r.Body)
	}
	if body.Error.Message == "" {
		t.Errorf("error without message: %s", r.Body)
	}
	for _, f := range fields {
		if body.Error.Fields[f] == "" {
			t.Errorf("error.fields lacks %q: %s", f, r.Body)
		}
	}
	return body
}

func (e *env) postRegistration(eventID int64, body map[string]any) response {
	e.t.Helper()
	return e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", eventID), "", body)
}

// person is a valid registration body for someone from municipality m.
func apiPerson(first, last, email string, m int64) map[string]any {
	return map[string]any{"first_name": first, "last_name": last, "email": email, "municipality_id": m, "privacy_consent": true}
}

func (e *env) listRegistrations(eventID int64, token, query string) []apiRegistration {
	e.t.Helper()
	return apiItems[apiRegistration](e.t, e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/registrations%s", eventID, query), token, nil))
}

func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	r := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": "  ORGA@isa.example ", "password": organiserPassword, "name": "Statistik-Export"})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("right credentials: %d %s", r.StatusCode, r.Body)
	}
	tok := decodeBody[struct {
		Token string
		ID    int64
		Name  string
		Role  string
	}](t, r)
	if len(tok.Token) < 40 || tok.ID == 0 || tok.Name != "Statistik-Export" || tok.Role != "organiser" {
		t.Errorf("token body: %s", r.Body)
	}
	if got := e.api(http.MethodPost, "/api/v1/municipalities", tok.Token, map[string]string{"name": "Stadt Hamm"}); got.StatusCode != http.StatusCreated {
		t.Errorf("new token does not work: %d %s", got.StatusCode, got.Body)
	}
	unnamed := decodeBody[struct{ Name string }](t, e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": organiserPassword}))
	if !strings.HasPrefix(unnamed.Name, "API 2") {
		t.Errorf("default token name %q", unnamed.Name)
	}

	wrong := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": "falsch-falsch"})
	wantError(t, wrong, http.StatusUnauthorized, "unauthorized")
	if strings.Contains(wrong.Body, `"token"`) {
		t.Errorf("wrong password answered with a token: %s", wrong.Body)
	}
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": "niemand@isa.example", "password": organiserPassword}),
		http.StatusUnauthorized, "unauthorized")
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", `{"email": "orga@isa.example", "password": `), http.StatusBadRequest, "bad_request")
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", `{"email": "orga@isa.example", "passwort": "x"}`), http.StatusBadRequest, "bad_request", "passwort")
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", `{"email": "orga@isa.example", "password": 12345}`), http.StatusBadRequest, "bad_request", "password")
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", `{"email": "orga@isa.example", "password": "x"} {}`), http.StatusBadRequest, "bad_request")
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", nil), http.StatusBadRequest, "bad_request")
}

func TestAPIOrganiserEndpointsNeedToken(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	token := e.token()
	ctx := t.Context()

	revokedResp := e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": organiserPassword, "name": "alt"})
	revoked := decodeBody[struct {
		Token string
		ID    int64
	}](t, revokedResp)
	if r := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), revoked.Token, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("token before revocation: %d", r.StatusCode)
	}
	users, err := e.users.List(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("users: %v %v", users, err)
	}
	if err := e.users.RevokeToken(ctx, users[0].ID, revoked.ID); err != nil {
		t.Fatal(err)
	}
	coord, err := e.users.Create(ctx, account.NewUser{Email: "koordination@ahlen.example", Password: organiserPassword, Role: account.Coordinator, MunicipalityID: &e.ahlen.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Only organisers get tokens from the API; a coordinator's token can
	// still exist from before a role change, and must not open anything.
	wantError(t, e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": "koordination@ahlen.example", "password": organiserPassword}), http.StatusForbidden, "forbidden")
	coordinator, _, err := e.users.CreateToken(ctx, coord.ID, "vor dem Rollenwechsel")
	if err != nil {
		t.Fatal(err)
	}

	id := fmt.Sprint(ev.ID)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{http.MethodPost, "/api/v1/municipalities", map[string]string{"name": "Stadt Hamm"}},
		{http.MethodPost, "/api/v1/events", map[string]any{"number": 27, "days": []string{"2027-09-15"}, "capacity": 60}},
		{http.MethodPatch, "/api/v1/events/" + id, map[string]any{"capacity": 1}},
		{http.MethodGet, "/api/v1/events/" + id + "/registrations", nil},
		{http.MethodGet, "/api/v1/events/" + id + "/participants.pdf", nil},
	} {
		name := c.method + " " + c.path
		none := e.api(c.method, c.path, "", c.body)
		wantError(t, none, http.StatusUnauthorized, "unauthorized")
		if h := none.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer ") {
			t.Errorf("%s without token: WWW-Authenticate %q", name, h)
		}
		for label, tok := range map[string]string{"random": "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6", "revoked": revoked.Token} {
			r := e.api(c.method, c.path, tok, c.body)
			wantError(t, r, http.StatusUnauthorized, "unauthorized")
			if h := r.Header.Get("WWW-Authenticate"); !strings.Contains(h, `error="invalid_token"`) {
				t.Errorf("%s with %s token: WWW-Authenticate %q", name, label, h)
			}
		}
		req, _ := http.NewRequest(c.method, e.srv.URL+c.path, nil)
		req.SetBasicAuth(organiserEmail, organiserPassword)
		if r := e.do(http.DefaultClient, req); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with basic auth: %d", name, r.StatusCode)
		}
		wantError(t, e.api(c.method, c.path, coordinator, c.body), http.StatusForbidden, "forbidden")
	}

	// Nothing was changed by the rejected requests.
	if got := apiItems[json.RawMessage](t, e.api(http.MethodGet, "/api/v1/municipalities", "", nil)); len(got) != 2 {
		t.Errorf("municipalities after rejected posts: %d", len(got))
	}
	if got := apiItems[apiEvent](t, e.api(http.MethodGet, "/api/v1/events", token, nil)); len(got) != 1 || got[0].Capacity != 10 {
		t.Errorf("events after rejected writes: %+v", got)
	}
	// A token sent to a public list must be valid too.
	wantError(t, e.api(http.MethodGet, "/api/v1/events", revoked.Token, nil), http.StatusUnauthorized, "unauthorized")
}

func TestAPIMunicipalities(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	r := e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "  Stadt   Mülheim an der Ruhr "})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	created := decodeBody[struct {
		ID   int64
		Name string
		Kind string
	}](t, r)
	if created.ID == 0 || created.Name != "Stadt Mülheim an der Ruhr" || created.Kind != "stadt" {
		t.Errorf("created: %s", r.Body)
	}
	if r := e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration NRW", "kind": "Organisation"}); r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"kind":"organisation"`) {
		t.Errorf("create with German kind: %d %s", r.StatusCode, r.Body)
	}
	wantError(t, e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "Stadt Ahlen"}), http.StatusConflict, "conflict", "name")
	wantError(t, e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "  "}), http.StatusUnprocessableEntity, "invalid", "name")
	wantError(t, e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"name": "Dorf Irgendwo", "kind": "dorf"}), http.StatusUnprocessableEntity, "invalid", "kind")
	wantError(t, e.api(http.MethodPost, "/api/v1/municipalities", token, map[string]string{"nam": "Stadt Hamm"}), http.StatusBadRequest, "bad_request", "nam")

	all := apiItems[struct {
		ID   int64
		Name string
		Kind string
	}](t, e.api(http.MethodGet, "/api/v1/municipalities", "", nil))
	names := map[string]string{}
	for _, m := range all {
		names[m.Name] = m.Kind
	}
	if len(all) != 4 || names["Stadt Ahlen"] != "stadt" || names["Kreis Coesfeld"] != "kreis" || names["Stadt Mülheim an der Ruhr"] != "stadt" {
		t.Errorf("list: %+v", all)
	}
}

func TestAPIEventCreate(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	valid := func() map[string]any {
		return map[string]any{"kind": "lernnetzwerktreffen", "number": 26, "motto": "Netzwerken ist kein Luxus",
			"days": []string{"2027-03-04", "2027-03-03"}, "start_time": "10:00", "end_time": "16:00", "capacity": 70,
			"municipality_quota": 4, "venue_name": "Zeughaus", "venue_city": "Neuss", "host_municipality_id": e.ahlen.ID}
	}
	r := e.api(http.MethodPost, "/api/v1/events", token, valid())
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	ev := decodeBody[apiEvent](t, r)
	if ev.ID == 0 || ev.Name != "26. Lernnetzwerktreffen" || ev.Number != 26 || ev.Kind != "lernnetzwerktreffen" || ev.Motto != "Netzwerken ist kein Luxus" {
		t.Errorf("created: %s", r.Body)
	}
	if !strings.Contains(r.Body, `"days":["2027-03-03","2027-03-04"]`) {
		t.Errorf("days not as sorted date strings: %s", r.Body)
	}
	if ev.Status != "draft" || ev.RegistrationOpen || ev.Capacity != 70 || ev.FreePlaces != 70 || ev.Confirmed != 0 ||
		ev.HostMunicipalityID == nil || *ev.HostMunicipalityID != e.ahlen.ID || !strings.HasSuffix(ev.URL, fmt.Sprintf("/events/%d", ev.ID)) {
		t.Errorf("created: %+v", ev)
	}
	stored, err := e.events.Get(t.Context(), ev.ID)
	if err != nil || stored.Days.String() != "2027-03-03,2027-03-04" || stored.VenueCity != "Neuss" {
		t.Errorf("stored: %+v %v", stored, err)
	}

	bad := valid()
	bad["capacity"], bad["start_time"], bad["end_time"] = 0, "16:00", "09:00"
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "capacity", "end_time")
	bad = valid()
	bad["days"], bad["kind"], bad["municipality_quota"] = []string{}, "stammtisch", -1
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "days", "kind", "municipality_quota")
	bad = valid()
	bad["host_municipality_id"], bad["registration_closes_at"] = 999999, "irgendwann"
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "registration_closes_at")
	bad = valid()
	bad["host_municipality_id"] = 999999
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "host_municipality_id")
	bad = valid()
	bad["registration_opens_at"], bad["registration_closes_at"] = "2027-02-01", "2027-01-15"
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "registration_closes_at")
	// A date that is not one is a malformed body; the decoder names no field.
	bad = valid()
	bad["days"] = []string{"2027-02-30"}
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusUnprocessableEntity, "invalid", "days")
	bad = valid()
	bad["number"] = "26"
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusBadRequest, "bad_request", "number")
	bad = valid()
	bad["ort"] = "Neuss"
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, bad), http.StatusBadRequest, "bad_request", "ort")

	if got := apiItems[apiEvent](t, e.api(http.MethodGet, "/api/v1/events", token, nil)); len(got) != 1 {
		t.Errorf("events after rejected creates: %d", len(got))
	}
}

func TestAPIEventPatch(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(1, 0, 2)
	path := fmt.Sprintf("/api/v1/events/%d", ev.ID)
	before := decodeBody[map[string]any](t, e.api(http.MethodGet, path, "", nil))

	r := e.api(http.MethodPatch, path, token, map[string]any{"motto": "Gemeinsam für ein gesundes Aufwachsen"})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("patch motto: %d %s", r.StatusCode, r.Body)
	}
	after := decodeBody[map[string]any](t, r)
	stored := decodeBody[map[string]any](t, e.api(http.MethodGet, path, "", nil))
	for _, got := range []map[string]any{after, stored} {
		if got["motto"] != "Gemeinsam für ein gesundes Aufwachsen" {
			t.Errorf("motto not changed: %v", got["motto"])
		}
		for k, v := range before {
			if k != "motto" && k != "updated_at" && !reflect.DeepEqual(got[k], v) {
				t.Errorf("patch of the motto changed %s: %v → %v", k, v, got[k])
			}
		}
	}

	wantError(t, e.api(http.MethodPatch, path, token, map[string]any{"capacity": 0}), http.StatusUnprocessableEntity, "invalid", "capacity")
	wantError(t, e.api(http.MethodPatch, path, token, map[string]any{"days": []string{ev.Days[0].String()}, "end_time": "08:00"}), http.StatusUnprocessableEntity, "invalid", "end_time")
	wantError(t, e.api(http.MethodPatch, path, token, map[string]any{"mottto": "x"}), http.StatusBadRequest, "bad_request", "mottto")
	if got := decodeBody[apiEvent](t, e.api(http.MethodGet, path, "", nil)); got.Capacity != 1 || len(got.Days) != 2 || got.EndTime != "16:00" {
		t.Errorf("rejected patch changed the meeting: %+v", got)
	}
	wantError(t, e.api(http.MethodPatch, "/api/v1/events/999999", token, map[string]any{"motto": "x"}), http.StatusNotFound, "not_found")
	wantError(t, e.api(http.MethodPatch, "/api/v1/events/abc", token, map[string]any{"motto": "x"}), http.StatusNotFound, "not_found")
}

func TestAPIEventPatchCapacityPromotesWaitingList(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(1, 0, 1)
	for i, p := range []map[string]any{
		apiPerson("Jürgen", "Weiß", "j.weiss@ahlen.example", e.ahlen.ID),
		apiPerson("Çağla", "Yıldız", "c.yildiz@coesfeld.example", e.coesfeld.ID),
		apiPerson("Anna", "Bäcker", "a.baecker@ahlen.example", e.ahlen.ID),
	} {
		if r := e.postRegistration(ev.ID, p); r.StatusCode != http.StatusCreated {
			t.Fatalf("register %d: %d %s", i, r.StatusCode, r.Body)
		}
	}
	if w := e.listRegistrations(ev.ID, token, "?status=waitlisted"); len(w) != 2 {
		t.Fatalf("waiting before: %d", len(w))
	}
	r := e.api(http.MethodPatch, fmt.Sprintf("/api/v1/events/%d", ev.ID), token, map[string]any{"capacity": 2})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("raise capacity: %d %s", r.StatusCode, r.Body)
	}
	if got := decodeBody[apiEvent](t, r); got.Capacity != 2 || got.Confirmed != 2 || got.Waitlisted != 1 || got.FreePlaces != 0 {
		t.Errorf("after raising capacity: %+v", got)
	}
	confirmed := e.listRegistrations(ev.ID, token, "?status=confirmed")
	waiting := e.listRegistrations(ev.ID, token, "?status=waitlisted")
	if len(confirmed) != 2 || len(waiting) != 1 || waiting[0].LastName != "Bäcker" {
		t.Fatalf("confirmed %+v, waiting %+v", confirmed, waiting)
	}
	for _, c := range confirmed {
		if c.LastName == "Yıldız" && c.PromotedAt == nil {
			t.Error("promoted registration has no promoted_at")
		}
	}
}

func TestAPIEventVisibility(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ctx := t.Context()
	published := e.event(70, 0, 1)
	draft, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Other), Title: ptr("Geheimer Entwurf"), Days: &published.Days, Capacity: ptr(10)})
	if err != nil {
		t.Fatal(err)
	}
	lastYear := day.List{day.Of(published.Days[0].In(time.UTC).AddDate(-2, 0, 0))}
	past, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Fruehjahrsakademie), Days: &lastYear, Capacity: ptr(100), Status: ptr(event.Held)})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(r response) []int64 {
		t.Helper()
		var out []int64
		for _, ev := range apiItems[apiEvent](t, r) {
			out = append(out, ev.ID)
		}
		return out
	}
	for _, c := range []struct {
		query, token string
		want         []int64
	}{
		{"", "", []int64{published.ID, past.ID}},
		{"?when=all", "", []int64{published.ID, past.ID}},
		{"?when=upcoming", "", []int64{published.ID}},
		{"?when=past", "", []int64{past.ID}},
		{"", token, []int64{published.ID, draft.ID, past.ID}},
		{"?when=upcoming", token, []int64{published.ID, draft.ID}},
	} {
		got := ids(e.api(http.MethodGet, "/api/v1/events"+c.query, c.token, nil))
		if slices.Sort(got); !slices.Equal(got, slices.Sorted(slices.Values(c.want))) {
			t.Errorf("GET /api/v1/events%s (token %v): %v, want %v", c.query, c.token != "", got, c.want)
		}
	}
	wantError(t, e.api(http.MethodGet, "/api/v1/events?when=bogus", "", nil), http.StatusBadRequest, "bad_request", "when")

	wantError(t, e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d", draft.ID), "", nil), http.StatusNotFound, "not_found")
	if r := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d", draft.ID), token, nil); r.StatusCode != http.StatusOK || decodeBody[apiEvent](t, r).Status != "draft" {
		t.Errorf("draft with token: %d %s", r.StatusCode, r.Body)
	}
	wantError(t, e.postRegistration(draft.ID, apiPerson("Jürgen", "Weiß", "j.weiss@ahlen.example", e.ahlen.ID)), http.StatusNotFound, "not_found")
	r := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d", published.ID), "", nil)
	if got := decodeBody[apiEvent](t, r); r.StatusCode != http.StatusOK || got.Name != "17. Lernnetzwerktreffen" || got.VenueCity != "Köln" ||
		!got.RegistrationOpen || got.FreePlaces != 70 || got.Status != "published" {
		t.Errorf("published: %d %s", r.StatusCode, r.Body)
	}
	if got := decodeBody[apiEvent](t, e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d", past.ID), "", nil)); got.RegistrationOpen || !strings.HasPrefix(got.Name, "Frühjahrsakademie ") {
		t.Errorf("past: %+v", got)
	}
	wantError(t, e.api(http.MethodGet, "/api/v1/events/999999", "", nil), http.StatusNotFound, "not_found")
	wantError(t, e.api(http.MethodGet, "/api/v1/events/0", "", nil), http.StatusNotFound, "not_found")
	wantError(t, e.api(http.MethodGet, "/api/v1/gibt-es-nicht", "", nil), http.StatusNotFound, "not_found")
}

func TestAPIRegister(t *testing.T) {
	const base = "https://treffen.isa-muenster.example"
	e := newEnv(t, func(c *config.Config) { c.BaseURL = base })
	token := e.token()
	ev := e.event(2, 0, 2)

	jw := apiPerson("Jürgen", "Weiß", "J.Weiss@Ahlen.example", e.ahlen.ID)
	jw["salutation"], jw["function"], jw["days"] = "Herr", "Jugendamt – Jugendhilfeplanung", []string{ev.Days[1].String()}
	r := e.postRegistration(ev.ID, jw)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", r.StatusCode, r.Body)
	}
	reg := decodeBody[apiRegistration](t, r)
	if reg.ID == 0 || reg.EventID != ev.ID || reg.Status != "confirmed" || reg.MunicipalityID == nil || *reg.MunicipalityID != e.ahlen.ID ||
		reg.FirstName != "Jürgen" || reg.LastName != "Weiß" || reg.Email != "j.weiss@ahlen.example" || reg.Salutation != "Herr" ||
		reg.Function != "Jugendamt – Jugendhilfeplanung" || fmt.Sprint(reg.Days) != fmt.Sprint([]string{ev.Days[1].String()}) {
		t.Errorf("registration: %s", r.Body)
	}
	if strings.Contains(r.Body, "waitlist_position") || strings.Contains(r.Body, "manage_token") {
		t.Errorf("confirmed registration shows waitlist_position or the raw token: %s", r.Body)
	}
	if want := fmt.Sprintf("/api/v1/events/%d/registrations/%d", ev.ID, reg.ID); r.Header.Get("Location") != want {
		t.Errorf("Location %q, want %q", r.Header.Get("Location"), want)
	}
	if !strings.HasPrefix(reg.ManageURL, base+"/manage/") || len(reg.ManageURL) < len(base)+len("/manage/")+40 {
		t.Fatalf("manage_url %q, want %q + token", reg.ManageURL, base+"/manage/")
	}
	if page := e.get(e.client(), strings.TrimPrefix(reg.ManageURL, base)); page.StatusCode != http.StatusOK {
		t.Errorf("manage link: %d", page.StatusCode)
	} else {
		mustContain(t, page.Body, "Weiß", "Stadt Ahlen")
	}

	dup := apiPerson("Jürgen", "Weiß", " j.weiss@AHLEN.example ", e.ahlen.ID)
	wantError(t, e.postRegistration(ev.ID, dup), http.StatusConflict, "conflict", "email")

	bad := apiPerson("Jürgen", "", "kein-at-zeichen", e.ahlen.ID)
	delete(bad, "privacy_consent")
	body := wantError(t, e.postRegistration(ev.ID, bad), http.StatusUnprocessableEntity, "invalid", "privacy_consent", "email", "last_name")
	if body.Error.Fields["first_name"] != "" {
		t.Errorf("first_name flagged although given: %v", body.Error.Fields)
	}
	noPlace := apiPerson("Anna", "Bäcker", "a.baecker@example.org", 0)
	delete(noPlace, "municipality_id")
	wantError(t, e.postRegistration(ev.ID, noPlace), http.StatusUnprocessableEntity, "invalid", "municipality_id")
	wantError(t, e.postRegistration(ev.ID, apiPerson("Anna", "Bäcker", "a.baecker@example.org", 999999)), http.StatusUnprocessableEntity, "invalid", "municipality_id")
	wrongDay := apiPerson("Anna", "Bäcker", "a.baecker@example.org", e.coesfeld.ID)
	wrongDay["days"] = []string{"2020-01-01"}
	wantError(t, e.postRegistration(ev.ID, wrongDay), http.StatusUnprocessableEntity, "invalid", "days")
	typo := apiPerson("Anna", "Bäcker", "a.baecker@example.org", e.coesfeld.ID)
	typo["datenschutz"] = true
	wantError(t, e.postRegistration(ev.ID, typo), http.StatusBadRequest, "bad_request", "datenschutz")

	guest := apiPerson("Anna", "Bäcker", "a.baecker@example.org", 0)
	guest["municipality_id"], guest["organisation"] = nil, "Landesstelle Jugendschutz NRW"
	if r := e.postRegistration(ev.ID, guest); r.StatusCode != http.StatusCreated || decodeBody[apiRegistration](t, r).Status != "confirmed" {
		t.Fatalf("guest: %d %s", r.StatusCode, r.Body)
	}
	for i, email := range []string{"s.oeztuerk@coesfeld.example", "m.schroeder@coesfeld.example"} {
		r := e.postRegistration(ev.ID, apiPerson("Şükrü", "Öztürk", email, e.coesfeld.ID))
		got := decodeBody[apiRegistration](t, r)
		if r.StatusCode != http.StatusCreated || got.Status != "waitlisted" || got.WaitlistPosition != i+1 {
			t.Errorf("beyond capacity %d: %d %s", i, r.StatusCode, r.Body)
		}
	}
	wantError(t, e.postRegistration(999999, apiPerson("Anna", "Bäcker", "a.b@example.org", e.ahlen.ID)), http.StatusNotFound, "not_found")
	wantError(t, e.api(http.MethodPost, "/api/v1/events/abc/registrations", "", apiPerson("Anna", "Bäcker", "a.b@example.org", e.ahlen.ID)), http.StatusNotFound, "not_found")

	all := e.listRegistrations(ev.ID, token, "")
	if len(all) != 4 {
		t.Fatalf("registrations: %d", len(all))
	}
	// Ordered by last name the German way: Bäcker, Öztürk, Öztürk, Weiß.
	if all[0].LastName != "Bäcker" || all[3].LastName != "Weiß" || all[3].FirstName != "Jürgen" {
		t.Errorf("order: %v %v %v %v", all[0].LastName, all[1].LastName, all[2].LastName, all[3].LastName)
	}
}

func TestAPIRegisterRespectsQuota(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(10, 2, 1)
	want := []string{"confirmed", "confirmed", "waitlisted"}
	for i, email := range []string{"a@ahlen.example", "b@ahlen.example", "c@ahlen.example"} {
		r := e.postRegistration(ev.ID, apiPerson("Jürgen", fmt.Sprintf("Weiß %d", i), email, e.ahlen.ID))
		if got := decodeBody[apiRegistration](t, r); r.StatusCode != http.StatusCreated || got.Status != want[i] {
			t.Errorf("Ahlen %d: %d %s, want %s", i, r.StatusCode, got.Status, want[i])
		}
	}
	if r := e.postRegistration(ev.ID, apiPerson("Çağla", "Yıldız", "c.yildiz@coesfeld.example", e.coesfeld.ID)); decodeBody[apiRegistration](t, r).Status != "confirmed" {
		t.Errorf("Coesfeld within its quota: %s", r.Body)
	}

	ahlen := e.listRegistrations(ev.ID, token, fmt.Sprintf("?municipality_id=%d", e.ahlen.ID))
	if len(ahlen) != 3 {
		t.Errorf("Ahlen's registrations: %d", len(ahlen))
	}
	for _, r := range ahlen {
		if *r.MunicipalityID != e.ahlen.ID {
			t.Errorf("filter leaked %+v", r)
		}
	}
	waiting := e.listRegistrations(ev.ID, token, fmt.Sprintf("?status=waitlisted&municipality_id=%d", e.ahlen.ID))
	if len(waiting) != 1 || waiting[0].Email != "c@ahlen.example" {
		t.Errorf("waiting from Ahlen: %+v", waiting)
	}
	if got := e.listRegistrations(ev.ID, token, fmt.Sprintf("?status=waitlisted&municipality_id=%d", e.coesfeld.ID)); len(got) != 0 {
		t.Errorf("waiting from Coesfeld: %+v", got)
	}
	if got := e.listRegistrations(ev.ID, token, "?q=wei%C3%9F"); len(got) != 3 {
		t.Errorf("search weiß: %d", len(got))
	}

	// A larger quota gives the waiting person from Ahlen the place.
	r := e.api(http.MethodPatch, fmt.Sprintf("/api/v1/events/%d", ev.ID), token, map[string]any{"municipality_quota": 3})
	if got := decodeBody[apiEvent](t, r); r.StatusCode != http.StatusOK || got.Confirmed != 4 || got.Waitlisted != 0 {
		t.Errorf("raise quota: %d %s", r.StatusCode, r.Body)
	}
}

func TestAPIRegisterAfterDeadline(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(10, 0, 1)
	r := e.api(http.MethodPatch, fmt.Sprintf("/api/v1/events/%d", ev.ID), token,
		map[string]any{"registration_closes_at": time.Now().Add(-time.Hour).Format(time.RFC3339)})
	if got := decodeBody[apiEvent](t, r); r.StatusCode != http.StatusOK || got.RegistrationOpen {
		t.Fatalf("close registration: %d %s", r.StatusCode, r.Body)
	}
	body := wantError(t, e.postRegistration(ev.ID, apiPerson("Jürgen", "Weiß", "j.weiss@ahlen.example", e.ahlen.ID)), http.StatusConflict, "closed")
	if !strings.Contains(body.Error.Message, "Anmeldeschluss") {
		t.Errorf("message %q does not name the deadline", body.Error.Message)
	}
	if got := e.listRegistrations(ev.ID, token, ""); len(got) != 0 {
		t.Errorf("registered after the deadline: %+v", got)
	}
}

func TestAPIRegistrationListRejectsBadFilters(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(10, 0, 1)
	path := fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID)
	if got := e.listRegistrations(ev.ID, token, ""); len(got) != 0 {
		t.Errorf("empty meeting lists %d", len(got))
	}
	wantError(t, e.api(http.MethodGet, path+"?status=bogus", token, nil), http.StatusBadRequest, "bad_request", "status")
	wantError(t, e.api(http.MethodGet, path+"?municipality_id=ahlen", token, nil), http.StatusBadRequest, "bad_request", "municipality_id")
	wantError(t, e.api(http.MethodGet, "/api/v1/events/999999/registrations", token, nil), http.StatusNotFound, "not_found")
}

func TestAPIParticipantsPDF(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	ev := e.event(10, 0, 1)
	if r := e.postRegistration(ev.ID, apiPerson("Jürgen", "Weiß", "j.weiss@ahlen.example", e.ahlen.ID)); r.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", r.StatusCode, r.Body)
	}
	r := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/participants.pdf", ev.ID), token, nil)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Fatalf("participants.pdf: %d %q %.8q", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("teilnehmerliste-%d.pdf", ev.ID)) {
		t.Errorf("Content-Disposition %q", cd)
	}
	wantError(t, e.api(http.MethodGet, "/api/v1/events/999999/participants.pdf", token, nil), http.StatusNotFound, "not_found")
}

func TestAPIRateLimits(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RegisterLimit = 2 })
	ev := e.event(10, 0, 1)
	for i := range 3 {
		r := e.postRegistration(ev.ID, apiPerson("Jürgen", "Weiß", fmt.Sprintf("j.weiss%d@ahlen.example", i), e.ahlen.ID))
		if i < 2 && r.StatusCode != http.StatusCreated {
			t.Fatalf("registration %d: %d %s", i, r.StatusCode, r.Body)
		}
		if i == 2 {
			wantError(t, r, http.StatusTooManyRequests, "rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	// Reading is never limited.
	if got := apiItems[apiEvent](t, e.api(http.MethodGet, "/api/v1/events", "", nil)); len(got) != 1 || got[0].Confirmed != 2 {
		t.Errorf("events: %+v", got)
	}

	var last response
	for range 12 {
		last = e.api(http.MethodPost, "/api/v1/tokens", "", map[string]string{"email": organiserEmail, "password": "falsch-falsch"})
		if last.StatusCode != http.StatusUnauthorized {
			break
		}
	}
	wantError(t, last, http.StatusTooManyRequests, "rate_limited")
	if last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestAPILocationWaitingPositionAndMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	ev := e.event(1, 0, 1)
	token := e.token()
	first := e.postRegistration(ev.ID, apiPerson("Jürgen", "Weiß", "j.weiss@ahlen.example", e.ahlen.ID))
	second := e.postRegistration(ev.ID, apiPerson("Özlem", "Öztürk", "o.oeztuerk@coesfeld.example", e.coesfeld.ID))
	if first.StatusCode != http.StatusCreated || second.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %d", first.StatusCode, second.StatusCode)
	}
	loc := second.Header.Get("Location")
	got := e.api(http.MethodGet, loc, token, nil)
	if got.StatusCode != http.StatusOK {
		t.Fatalf("GET Location %s: %d %s", loc, got.StatusCode, got.Body)
	}
	reg := decodeBody[apiRegistration](t, got)
	if reg.LastName != "Öztürk" || reg.Status != "waitlisted" || reg.WaitlistPosition != 1 {
		t.Fatalf("Location body: %+v", reg)
	}
	other := e.event(5, 0, 1)
	wantError(t, e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/registrations/%d", other.ID, reg.ID), token, nil), http.StatusNotFound, "not_found")

	positions := map[string]int{}
	for _, r := range e.listRegistrations(ev.ID, token, "") {
		positions[r.Status] = r.WaitlistPosition
	}
	if positions["waitlisted"] != 1 || positions["confirmed"] != 0 {
		t.Fatalf("positions in list: %v", positions)
	}
	wantError(t, e.api(http.MethodDelete, "/api/v1/events", token, nil), http.StatusMethodNotAllowed, "method_not_allowed")
}

// A meeting like an existing one is refused with 409 "duplicate" until
// the client confirms it; a PATCH asks only when it makes a look-alike.
func TestAPIEventCreateLookalikeNeedsConfirmation(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	body := map[string]any{"kind": "fruehjahrsakademie", "title": "Daten und Taten", "days": []string{"2027-05-11", "2027-05-12"}, "capacity": 70}
	first := e.api(http.MethodPost, "/api/v1/events", token, body)
	e.conform(doc, "POST /api/v1/events", first)
	if first.StatusCode != http.StatusCreated {
		t.Fatalf("first: %d %s", first.StatusCode, first.Body)
	}
	r := e.api(http.MethodPost, "/api/v1/events", token, body)
	e.conform(doc, "POST /api/v1/events", r)
	got := wantError(t, r, http.StatusConflict, "duplicate", "confirm_duplicate")
	if got.Error.Message != "Es gibt bereits „Daten und Taten“ am 11.–12.05.2027 (Entwurf)." {
		t.Errorf("message %q", got.Error.Message)
	}
	body["confirm_duplicate"] = false
	wantError(t, e.api(http.MethodPost, "/api/v1/events", token, body), http.StatusConflict, "duplicate")
	body["confirm_duplicate"] = true
	r = e.api(http.MethodPost, "/api/v1/events", token, body)
	e.conform(doc, "POST /api/v1/events", r)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("confirmed: %d %s", r.StatusCode, r.Body)
	}
	twin := decodeBody[apiEvent](t, r)

	// Changing other fields of the twin does not ask again.
	path := fmt.Sprintf("/api/v1/events/%d", twin.ID)
	if r := e.api(http.MethodPatch, path, token, map[string]any{"capacity": 50}); r.StatusCode != http.StatusOK {
		t.Fatalf("patch capacity: %d %s", r.StatusCode, r.Body)
	}
	other := e.api(http.MethodPost, "/api/v1/events", token, map[string]any{"kind": "fruehjahrsakademie", "title": "Wachsen",
		"days": []string{"2027-05-11", "2027-05-12"}, "capacity": 70})
	if other.StatusCode != http.StatusCreated {
		t.Fatalf("other: %d", other.StatusCode)
	}
	path = fmt.Sprintf("/api/v1/events/%d", decodeBody[apiEvent](t, other).ID)
	r = e.api(http.MethodPatch, path, token, map[string]any{"title": "Daten und Taten"})
	e.conform(doc, "PATCH /api/v1/events/{id}", r)
	wantError(t, r, http.StatusConflict, "duplicate", "confirm_duplicate")
	if r := e.api(http.MethodPatch, path, token, map[string]any{"title": "Daten und Taten", "confirm_duplicate": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("confirmed patch: %d %s", r.StatusCode, r.Body)
	}
}
