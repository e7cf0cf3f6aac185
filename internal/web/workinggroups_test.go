package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
)

func noRateLimits(c *config.Config) { c.RegisterLimit, c.LoginLimit = 0, 0 }

// groupForm is a filled-in form of the working-group editor.
func groupForm(ev event.Event, title, capacity string, inputs ...[3]string) url.Values {
	f := url.Values{"title": {title}, "theme": {"Übergänge gestalten"}, "description": {"Wie gelingen Übergänge?"},
		"room": {"Raum Größe 2"}, "capacity": {capacity}, "moderators": {"Dr. Jana Weiß"},
		"day": {ev.Days[0].String()}, "starts_at": {"14:00"}, "ends_at": {"15:30"}}
	for i := 0; i < 4; i++ {
		var in [3]string
		if i < len(inputs) {
			in = inputs[i]
		}
		f.Add("input_municipality_id", in[0])
		f.Add("input_title", in[1])
		f.Add("input_speaker", in[2])
		f.Add("input_registration_id", "")
	}
	return f
}

func TestWorkingGroupPagesKeepInputAndSave(t *testing.T) {
	e := newEnv(t)
	ev := e.event(50, 0, 2)
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/working-groups", ev.ID)

	page := e.get(c, base)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "noch keine Arbeitsgruppen", "Arbeitsgruppe hinzufügen", ev.Days[1].German())

	// Errors keep every value and stand next to their fields.
	bad := groupForm(ev, "", "viele", [3]string{fmt.Sprint(e.ahlen.ID), "Steuerungsstruktur", "Frau Özdemir"})
	r := e.postForm(c, base, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid group: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte die Zahl der Plätze angeben.", `value="viele"`, `value="Raum Größe 2"`, "Wie gelingen Übergänge?",
		`value="Steuerungsstruktur"`, `value="Frau Özdemir"`, fmt.Sprintf(`<option value="%d" selected>Stadt Ahlen`, e.ahlen.ID))
	bad.Set("capacity", "20")
	r = e.postForm(c, base, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("group without title: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte geben Sie den Titel der Arbeitsgruppe an.", `id="e-title"`, `value="Frau Özdemir"`)
	bad.Set("title", "Zugänge erleichtern – Lotsenmodelle")
	bad.Set("ends_at", "13:00")
	r = e.postForm(c, base, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("group ending before it starts: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Das Ende muss nach dem Beginn liegen.", `value="Zugänge erleichtern – Lotsenmodelle"`)

	bad.Set("ends_at", "15:30")
	if r := e.postForm(c, base, bad); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid group: %d %s", r.StatusCode, r.Body)
	}
	page = e.get(c, base)
	mustContain(t, page.Body, "Die Arbeitsgruppe „Zugänge erleichtern – Lotsenmodelle“ ist gespeichert.",
		"Stadt Ahlen – Steuerungsstruktur (Frau Özdemir)", "Größe 2", "Dr. Jana Weiß", "14:00–15:30 Uhr")
	groups, err := e.wgs.Groups(t.Context(), ev.ID)
	if err != nil || len(groups) != 1 {
		t.Fatalf("groups %v %v", groups, err)
	}
	g := groups[0]

	// The editor shows the group; a mistake keeps the values there too.
	edit := fmt.Sprintf("%s/%d", base, g.ID)
	r = e.get(c, edit)
	mustContain(t, r.Body, `value="Zugänge erleichtern – Lotsenmodelle"`, `value="Frau Özdemir"`, `value="20"`)
	upd := groupForm(ev, "Lotsenmodelle in Köln", "0", [3]string{"", "Kita-Einstieg", "Herr Öztürk"})
	r = e.postForm(c, edit, upd)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("capacity 0: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Zahl der Plätze muss zwischen 1 und 1.000 liegen.", `value="Lotsenmodelle in Köln"`, `value="Herr Öztürk"`)
	upd.Set("capacity", "25")
	upd.Set("day", ev.Days[1].String())
	if r := e.postForm(c, edit, upd); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", r.StatusCode)
	}
	got, err := e.wgs.Group(t.Context(), ev.ID, g.ID)
	if err != nil || got.Title != "Lotsenmodelle in Köln" || got.Capacity != 25 || len(got.Inputs) != 1 || got.Inputs[0].Speaker != "Herr Öztürk" {
		t.Fatalf("updated group %+v %v", got, err)
	}
	mustContain(t, e.get(c, base).Body, ev.Days[1].GermanLong()+", 14:00–15:30 Uhr", "Kita-Einstieg (Herr Öztürk)")

	if r := e.postForm(c, edit+"/delete", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	mustContain(t, e.get(c, base).Body, "ist gelöscht", "noch keine Arbeitsgruppen")
	if r := e.get(c, edit); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted group's editor: %d", r.StatusCode)
	}
}

func TestWorkingGroupAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.event(50, 0, 1)
	base := fmt.Sprintf("/api/v1/events/%d/working-groups", ev.ID)

	r := e.api(http.MethodPost, base, token, map[string]any{"title": "Übergänge in die Grundschule", "theme": "Bildung",
		"capacity": 15, "room": "Saal Köln", "moderators": "Jürgen Weiß", "day": ev.Days[0].String(), "starts_at": "10:00", "ends_at": "11:30",
		"inputs": []map[string]any{{"municipality_id": e.coesfeld.ID, "title": "Familienbüros", "speaker": "Frau Schäfer"}}})
	if r.StatusCode != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), base+"/") {
		t.Fatalf("create: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/working-groups", r)
	var g struct {
		ID     int64
		SlotID int64 `json:"slot_id"`
		Title  string
		Inputs []struct{ Speaker string }
		Slot   struct {
			StartsAt string `json:"starts_at"`
		}
	}
	if err := json.Unmarshal([]byte(r.Body), &g); err != nil || g.Title != "Übergänge in die Grundschule" || len(g.Inputs) != 1 ||
		g.Inputs[0].Speaker != "Frau Schäfer" || g.Slot.StartsAt != "10:00" {
		t.Fatalf("created %+v %v", g, err)
	}
	// The same times name the same slot.
	r = e.api(http.MethodPost, base, token, map[string]any{"title": "Kommunale Steuerung", "capacity": 15, "slot_id": g.SlotID})
	e.conform(doc, "POST /api/v1/events/{id}/working-groups", r)
	if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, fmt.Sprintf(`"slot_id":%d`, g.SlotID)) {
		t.Fatalf("second group: %d %s", r.StatusCode, r.Body)
	}

	r = e.api(http.MethodPost, base, token, map[string]any{"title": "", "capacity": 0, "starts_at": "11:00", "ends_at": "10:00"})
	e.conform(doc, "POST /api/v1/events/{id}/working-groups", r)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"title"`) || !strings.Contains(r.Body, `"capacity"`) {
		t.Fatalf("invalid group: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/working-groups", e.api(http.MethodPost, base, token, map[string]any{"titel": "x"}))
	e.conform(doc, "POST /api/v1/events/{id}/working-groups", e.api(http.MethodPost, base, "", map[string]any{"title": "x"}))

	r = e.api(http.MethodGet, base, token, nil)
	e.conform(doc, "GET /api/v1/events/{id}/working-groups", r)
	if !strings.Contains(r.Body, `"total":2`) {
		t.Fatalf("list: %s", r.Body)
	}
	one := fmt.Sprintf("%s/%d", base, g.ID)
	r = e.api(http.MethodPatch, one, token, map[string]any{"capacity": 30, "inputs": []map[string]any{}})
	e.conform(doc, "PATCH /api/v1/events/{id}/working-groups/{gid}", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"capacity":30`) || !strings.Contains(r.Body, `"inputs":[]`) ||
		!strings.Contains(r.Body, `"title":"Übergänge in die Grundschule"`) {
		t.Fatalf("patch: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "PATCH /api/v1/events/{id}/working-groups/{gid}", e.api(http.MethodPatch, one, token, map[string]any{"capacity": 5000}))
	e.conform(doc, "PATCH /api/v1/events/{id}/working-groups/{gid}", e.api(http.MethodPatch, base+"/999999", token, map[string]any{"capacity": 5}))

	if r := e.api(http.MethodDelete, one, token, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodDelete, one, token, nil)
	e.conform(doc, "DELETE /api/v1/events/{id}/working-groups/{gid}", r)
	if r.StatusCode != http.StatusNotFound {
		t.Fatalf("delete again: %d", r.StatusCode)
	}
}

// assignmentFixture is a meeting with three groups of two places in one
// slot and five people who all wish Steuerung, then Lotsen, then
// Übergänge: two get their 1st choice, two their 2nd, one the 3rd.
type assignmentFixture struct {
	*env
	ev                           event.Event
	token                        string
	steuerung, lotsen, uebergang int64
	people                       []int64
}

func newAssignmentFixture(t *testing.T) *assignmentFixture {
	e := newEnv(t, noRateLimits)
	f := &assignmentFixture{env: e, ev: e.event(50, 0, 1), token: e.token()}
	for _, g := range []struct {
		title string
		id    *int64
	}{{"Kommunale Steuerung", &f.steuerung}, {"Zugänge erleichtern – Lotsenmodelle", &f.lotsen}, {"(Bildungs-)Übergänge", &f.uebergang}} {
		r := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/working-groups", f.ev.ID), f.token, map[string]any{"title": g.title,
			"capacity": 2, "day": f.ev.Days[0].String(), "starts_at": "14:00", "ends_at": "15:30"})
		var body struct{ ID int64 }
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil || r.StatusCode != http.StatusCreated {
			t.Fatalf("group %s: %d %s", g.title, r.StatusCode, r.Body)
		}
		*g.id = body.ID
	}
	names := []string{"Jürgen Weiß", "Ayşe Öztürk", "Björn Müller", "Zoë Schäfer", "Łukasz Kowalski"}
	for i, name := range names {
		f.people = append(f.people, f.register(t, name, fmt.Sprintf("p%d@ahlen.example", i), f.steuerung, f.lotsen, f.uebergang))
	}
	return f
}

// register signs up through the public API with wishes.
func (f *assignmentFixture) register(t *testing.T, name, email string, wishes ...int64) int64 {
	t.Helper()
	first, last, _ := strings.Cut(name, " ")
	muni := f.ahlen.ID
	if strings.Contains(email, "coesfeld") {
		muni = f.coesfeld.ID
	}
	r := f.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", f.ev.ID), "", map[string]any{"first_name": first,
		"last_name": last, "email": email, "municipality_id": muni, "privacy_consent": true, "working_group_preferences": wishes})
	var body struct{ ID int64 }
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil || r.StatusCode != http.StatusCreated {
		t.Fatalf("register %s: %d %s", name, r.StatusCode, r.Body)
	}
	return body.ID
}

type assignmentBody struct {
	Saved       bool
	Fingerprint string
	Items       []struct {
		RegistrationID int64 `json:"registration_id"`
		WorkingGroupID int64 `json:"working_group_id"`
		Slot           int64
		Locked         bool
	}
	Changes []struct{ From, To int64 }
	Stats   struct {
		Overall struct {
			ByRank   []int `json:"by_rank"`
			Unranked int
			Unplaced int
		}
		PerSlot []struct{ Slot int64 } `json:"per_slot"`
	}
}

func decodeAssignment(t *testing.T, r response) assignmentBody {
	t.Helper()
	var b assignmentBody
	if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
		t.Fatalf("assignment body %d %s: %v", r.StatusCode, r.Body, err)
	}
	return b
}

func (b assignmentBody) groupOf(regID int64) (int64, bool) {
	for _, it := range b.Items {
		if it.RegistrationID == regID {
			return it.WorkingGroupID, it.Locked
		}
	}
	return 0, false
}

func TestAssignmentAPI(t *testing.T) {
	f := newAssignmentFixture(t)
	doc := f.openAPI()
	path := fmt.Sprintf("/api/v1/events/%d/assignment", f.ev.ID)

	// A dry run computes but saves nothing.
	r := f.api(http.MethodPost, path, f.token, map[string]any{"dry_run": true})
	f.conform(doc, "POST /api/v1/events/{id}/assignment", r)
	plan := decodeAssignment(t, r)
	if r.StatusCode != http.StatusOK || plan.Saved || len(plan.Items) != 5 || len(plan.Changes) != 5 || plan.Fingerprint == "" {
		t.Fatalf("dry run: %d %s", r.StatusCode, r.Body)
	}
	r = f.api(http.MethodGet, path, f.token, nil)
	f.conform(doc, "GET /api/v1/events/{id}/assignment", r)
	if saved := decodeAssignment(t, r); len(saved.Items) != 0 || saved.Stats.Overall.Unplaced != 5 {
		t.Fatalf("a dry run saved something: %s", r.Body)
	}

	// Saving the dry run's plan; the same fingerprint is accepted once.
	r = f.api(http.MethodPost, path, f.token, map[string]any{"fingerprint": plan.Fingerprint})
	f.conform(doc, "POST /api/v1/events/{id}/assignment", r)
	if r.StatusCode != http.StatusOK || !decodeAssignment(t, r).Saved {
		t.Fatalf("run: %d %s", r.StatusCode, r.Body)
	}
	r = f.api(http.MethodPost, path, f.token, map[string]any{"fingerprint": plan.Fingerprint})
	f.conform(doc, "POST /api/v1/events/{id}/assignment", r)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "Seit der Vorschau hat sich etwas geändert") {
		t.Fatalf("stale fingerprint: %d %s", r.StatusCode, r.Body)
	}
	f.conform(doc, "POST /api/v1/events/{id}/assignment", f.api(http.MethodPost, path, f.token, map[string]any{"max_per_municipality": -1}))
	f.conform(doc, "POST /api/v1/events/{id}/assignment", f.api(http.MethodPost, path, f.token, map[string]any{"trocken": true}))

	r = f.api(http.MethodGet, path, f.token, nil)
	f.conform(doc, "GET /api/v1/events/{id}/assignment", r)
	saved := decodeAssignment(t, r)
	o := saved.Stats.Overall
	if len(saved.Items) != 5 || len(saved.Stats.PerSlot) != 1 || fmt.Sprint(o.ByRank) != "[2 2 1]" || o.Unranked != 0 || o.Unplaced != 0 {
		t.Fatalf("saved assignment: %s", r.Body)
	}
	if share := float64(o.ByRank[0]) / 5; share != 0.4 {
		t.Errorf("first-choice share %.2f, want 0.40", share)
	}
	slot := saved.Items[0].Slot

	// Moving into a full group is refused; with room it works and locks.
	target := f.people[4]
	current, _ := saved.groupOf(target)
	full := f.steuerung
	if current == full {
		full = f.lotsen
	}
	move := fmt.Sprintf("%s/%d", path, target)
	r = f.api(http.MethodPut, move, f.token, map[string]any{"working_group_id": full, "locked": true})
	f.conform(doc, "PUT /api/v1/events/{id}/assignment/{rid}", r)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "Diese Arbeitsgruppe ist voll.") {
		t.Fatalf("move into a full group: %d %s", r.StatusCode, r.Body)
	}
	f.conform(doc, "PUT /api/v1/events/{id}/assignment/{rid}", f.api(http.MethodPut, move, f.token, map[string]any{"locked": true}))
	r = f.api(http.MethodPatch, fmt.Sprintf("/api/v1/events/%d/working-groups/%d", f.ev.ID, full), f.token, map[string]any{"capacity": 3})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("raise capacity: %d %s", r.StatusCode, r.Body)
	}
	r = f.api(http.MethodPut, move, f.token, map[string]any{"working_group_id": full, "locked": true})
	f.conform(doc, "PUT /api/v1/events/{id}/assignment/{rid}", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"locked":true`) {
		t.Fatalf("move: %d %s", r.StatusCode, r.Body)
	}
	// The next full run keeps the lock although it costs a better wish.
	r = f.api(http.MethodPost, path, f.token, map[string]any{})
	if got, locked := decodeAssignment(t, r).groupOf(target); got != full || !locked {
		t.Fatalf("after the run %d is in %d (locked %v), want %d locked", target, got, locked, full)
	}
	// Unlocking through the lock endpoint.
	lock := move + "/lock"
	r = f.api(http.MethodPost, lock, f.token, map[string]any{"slot": slot, "locked": false})
	f.conform(doc, "POST /api/v1/events/{id}/assignment/{rid}/lock", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"locked":false`) {
		t.Fatalf("unlock: %d %s", r.StatusCode, r.Body)
	}
	f.conform(doc, "POST /api/v1/events/{id}/assignment/{rid}/lock", f.api(http.MethodPost, lock, f.token, map[string]any{"slot": slot + 99, "locked": true}))

	// A host of the meeting may read the assignment but not run it.
	host, err := f.users.Create(t.Context(), account.NewUser{Email: "gastgeber@koeln.example", Password: organiserPassword, Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.users.SetHost(t.Context(), host.ID, f.ev.ID, true, audit.System); err != nil {
		t.Fatal(err)
	}
	hostToken, _, err := f.users.CreateToken(t.Context(), host.ID, "Gastgeber")
	if err != nil {
		t.Fatal(err)
	}
	r = f.api(http.MethodGet, path, hostToken, nil)
	f.conform(doc, "GET /api/v1/events/{id}/assignment", r)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("host reads: %d", r.StatusCode)
	}
	r = f.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/working-groups", f.ev.ID), hostToken, nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("host reads groups: %d", r.StatusCode)
	}
	for _, req := range []struct{ method, path string }{{http.MethodPost, path}, {http.MethodPut, move}, {http.MethodPost, lock},
		{http.MethodPost, fmt.Sprintf("/api/v1/events/%d/working-groups", f.ev.ID)}} {
		r = f.api(req.method, req.path, hostToken, map[string]any{"dry_run": true})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("host %s %s: %d", req.method, req.path, r.StatusCode)
		}
	}
	f.conform(doc, "POST /api/v1/events/{id}/assignment", f.api(http.MethodPost, path, hostToken, map[string]any{"dry_run": true}))
}

var fingerprintField = regexp.MustCompile(`name="fingerprint" value="([0-9a-f]+)"`)

func TestAssignmentPagePreviewApplyMoveAndMail(t *testing.T) {
	f := newAssignmentFixture(t)
	c := f.loggedIn()
	page := fmt.Sprintf("/admin/events/%d/assignment", f.ev.ID)

	r := f.get(c, page)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Zuteilung berechnen", "Noch nicht eingeteilt.", "Weiß, Jürgen", "Stadt Ahlen")

	// A bad limit keeps the value and says why.
	r = f.get(c, page+"?berechnen=1&max_per_municipality=zwei")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad limit: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte eine Zahl ab 0 angeben", `value="zwei"`)

	// The page saves only a previewed plan.
	r = f.postForm(c, page+"/apply", url.Values{"max_per_municipality": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("apply without preview: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte berechnen Sie zuerst eine Vorschau")

	// The preview shows the changes and the resulting numbers.
	r = f.get(c, page+"?berechnen=1&max_per_municipality=&keep_current=")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Vorschau – noch nicht gespeichert", "5 Änderungen", "Öztürk, Ayşe", "Kommunale Steuerung", "2 (40 %)", "1 (20 %)")
	m := fingerprintField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("preview without fingerprint")
	}
	if st, _ := f.wgs.Assignments(t.Context(), f.ev.ID); len(st) != 0 {
		t.Fatal("the preview saved the assignment")
	}

	// Someone registers meanwhile: the preview is stale.
	late := f.register(t, "Greta Nachzüglerin", "greta@coesfeld.example", f.uebergang)
	r = f.postForm(c, page+"/apply", url.Values{"fingerprint": {m[1]}, "max_per_municipality": {""}})
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("stale preview: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Seit der Vorschau hat sich etwas geändert", "Nachzüglerin, Greta", "6 Änderungen")
	fresh := fingerprintField.FindStringSubmatch(r.Body)
	if fresh == nil || fresh[1] == m[1] {
		t.Fatalf("no fresh preview after the conflict")
	}
	r = f.postForm(c, page+"/apply", url.Values{"fingerprint": {fresh[1]}, "max_per_municipality": {""}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", r.StatusCode, r.Body)
	}
	r = f.get(c, page)
	mustContain(t, r.Body, "Die Zuteilung ist gespeichert: 6 Plätze in Arbeitsgruppen, 6 Änderungen.", "2 von 2 Plätzen")

	// Every group is full now: a move is refused next to the person.
	all, _ := f.wgs.Assignments(t.Context(), f.ev.ID)
	var slot, from int64
	for _, a := range all {
		if a.RegistrationID == late {
			slot, from = a.SlotID, a.WorkingGroupID
		}
	}
	to := f.steuerung
	if from == to {
		to = f.lotsen
	}
	r = f.postForm(c, fmt.Sprintf("%s/%d/move", page, late), url.Values{"working_group_id": {fmt.Sprint(to)}, "slot": {fmt.Sprint(slot)}, "locked": {"1"}})
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("move into a full group: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Diese Arbeitsgruppe ist voll.", fmt.Sprintf(`id="e-move-%d-%d"`, late, slot))

	// Locking by button shows the badge.
	r = f.postForm(c, fmt.Sprintf("%s/%d/lock", page, late), url.Values{"slot": {fmt.Sprint(slot)}, "locked": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("lock: %d", r.StatusCode)
	}
	mustContain(t, f.get(c, page).Body, "Die nächste Berechnung behält sie bei.", "gesperrt")

	// A confirmed person without a group gets no mail.
	f.register(t, "Zacharias Spät", "spaet@ahlen.example", f.lotsen)
	r = f.postForm(c, page+"/mail", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mail: %d", r.StatusCode)
	}
	mustContain(t, f.get(c, page).Body, "6 E-Mails mit der Zuteilung werden versendet.")
	mails, err := f.outbox.List(t.Context(), outbox.Filter{EventID: f.ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int{}
	for _, m := range mails {
		if m.Kind == outbox.Assignment {
			got[*m.RegistrationID]++
		}
	}
	if len(got) != 6 {
		t.Fatalf("assignment mails for %d people, want 6: %v", len(got), got)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("registration %d: %d assignment mails", id, n)
		}
	}
	if got[late] != 1 {
		t.Errorf("no mail for %d", late)
	}
	if !strings.Contains(f.get(c, "/admin/audit").Body, strconv.Itoa(6)+" E-Mails mit der Zuteilung vorgemerkt") {
		t.Error("mail queueing not in the audit log")
	}
}

func TestEventEditorSetsPreferenceRanks(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	ev := e.event(50, 0, 1)
	edit := fmt.Sprintf("/admin/events/%d", ev.ID)
	mustContain(t, e.get(c, edit+"/edit").Body, `name="preference_ranks" type="number" value="3"`)
	form := url.Values{"kind": {"lernnetzwerktreffen"}, "number": {"17"}, "days": {ev.Days[0].String()}, "start_time": {"10:00"},
		"end_time": {"16:00"}, "capacity": {"50"}, "municipality_quota": {"0"}, "status": {"published"}, "preference_ranks": {"7"}}
	r := e.postForm(c, edit, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("7 wishes: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte 1 bis 5 Wünsche je Zeitfenster erlauben.", `value="7"`)
	form.Set("preference_ranks", "2")
	if r := e.postForm(c, edit, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("2 wishes: %d", r.StatusCode)
	}
	if got, err := e.events.Get(t.Context(), ev.ID); err != nil || got.PreferenceRanks != 2 {
		t.Fatalf("preference ranks %d %v", got.PreferenceRanks, err)
	}
}

// The limit per municipality is saved with the assignment: the page and
// the API show it again after saving and after a reload, and the next
// preview starts from it.
func TestAssignmentPageKeepsTheLimitPerMunicipality(t *testing.T) {
	f := newAssignmentFixture(t)
	c := f.loggedIn()
	page := fmt.Sprintf("/admin/events/%d/assignment", f.ev.ID)
	field := `name="max_per_municipality" type="number" value="%s"`
	mustContain(t, f.get(c, page).Body, fmt.Sprintf(field, ""))

	r := f.get(c, page+"?berechnen=1&max_per_municipality=2")
	m := fingerprintField.FindStringSubmatch(r.Body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("preview: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `name="max_per_municipality" value="2"`)
	r = f.postForm(c, page+"/apply", url.Values{"fingerprint": {m[1]}, "max_per_municipality": {"2"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", r.StatusCode, r.Body)
	}
	for i := 0; i < 2; i++ { // after the redirect, and on a reload
		r = f.get(c, page)
		mustContain(t, r.Body, fmt.Sprintf(field, "2"))
	}
	// An explicit value in the address wins over the saved one.
	mustContain(t, f.get(c, page+"?max_per_municipality=").Body, fmt.Sprintf(field, ""))

	r = f.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/assignment", f.ev.ID), f.token, nil)
	f.conform(f.openAPI(), "GET /api/v1/events/{id}/assignment", r)
	if !strings.Contains(r.Body, `"max_per_municipality":2`) {
		t.Errorf("API does not tell the saved limit: %s", r.Body)
	}

	// Saving without a limit clears it.
	r = f.get(c, page+"?berechnen=1&max_per_municipality=")
	m = fingerprintField.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("second preview: %d", r.StatusCode)
	}
	if r = f.postForm(c, page+"/apply", url.Values{"fingerprint": {m[1]}, "max_per_municipality": {""}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second apply: %d", r.StatusCode)
	}
	mustContain(t, f.get(c, page).Body, fmt.Sprintf(field, ""))
}

// The registrations export has a working-group column, chosen like the
// others; the mail list names the meeting of each mail.
func TestExportAndMailListShowWorkingGroupsAndMeeting(t *testing.T) {
	f := newAssignmentFixture(t)
	c := f.loggedIn()
	if r := f.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/assignment", f.ev.ID), f.token, map[string]any{}); r.StatusCode != http.StatusOK {
		t.Fatalf("assignment: %d %s", r.StatusCode, r.Body)
	}
	titles := map[int64]string{f.steuerung: "Kommunale Steuerung", f.lotsen: "Zugänge erleichtern – Lotsenmodelle", f.uebergang: "(Bildungs-)Übergänge"}
	weiss := decodeAssignment(t, f.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/assignment", f.ev.ID), f.token, nil))
	group, _ := weiss.groupOf(f.people[0])

	base := fmt.Sprintf("/admin/events/%d", f.ev.ID)
	mustContain(t, f.get(c, base+"/registrations").Body, `id="col-working_groups" name="columns" value="working_groups" checked`, ">Arbeitsgruppen</label>")
	r := f.get(c, base+"/registrations.csv?columns=last_name&columns=first_name&columns=working_groups")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("CSV: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Nachname;Vorname;Arbeitsgruppen\r\n", "Weiß;Jürgen;"+titles[group]+"\r\n")
	x := f.get(c, base+"/registrations.xlsx?columns=last_name,working_groups")
	book, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatalf("XLSX %d: %v", x.StatusCode, err)
	}
	defer book.Close()
	if rows, _ := book.GetRows("Anmeldungen"); len(rows) != 6 || rows[0][1] != "Arbeitsgruppen" || rows[len(rows)-1][1] == "" {
		t.Errorf("XLSX rows %q", rows)
	}

	// Assignment mails and an account mail: the list names the meeting
	// of the former, linked, and none for the latter.
	if r := f.postForm(c, base+"/assignment/mail", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mail: %d", r.StatusCode)
	}
	if r := f.postForm(f.client(), "/password/forgot", url.Values{"email": {organiserEmail}}); r.StatusCode >= 400 {
		t.Fatalf("forgot: %d", r.StatusCode)
	}
	list := f.get(c, "/admin/mails").Body
	link := fmt.Sprintf(`<a href="/admin/events/%d/registrations">17. Lernnetzwerktreffen</a>`, f.ev.ID)
	mustContain(t, list, `<th scope="col">Veranstaltung</th>`, link, f.ev.Days.German(), "<td>–</td>")
	filtered := f.get(c, fmt.Sprintf("/admin/mails?event=%d", f.ev.ID)).Body
	mustContain(t, filtered, "Nur E-Mails zu "+link, `<a href="/admin/mails">alle E-Mails</a>`)
	if strings.Contains(filtered, "<td>–</td>") {
		t.Error("the meeting's list shows a mail without meeting")
	}
}
