package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// agendaForm is a filled-in form of the programme editor.
func agendaForm(d day.Date, start, end string, kind agenda.Kind, title string, speakers ...[4]string) url.Values {
	f := url.Values{"day": {d.String()}, "starts_at": {start}, "ends_at": {end}, "kind": {string(kind)}, "title": {title},
		"description": {"Wie gelingt der Übergang von der Kita in die Grundschule?"}, "room": {"Großer Saal"},
		"moderation": {"Dr. Jana Weiß, ISA"}, "working_group_slot_id": {""}}
	for i := 0; i < 4; i++ {
		var sp [4]string
		if i < len(speakers) {
			sp = speakers[i]
		}
		f.Add("speaker_name", sp[0])
		f.Add("speaker_title", sp[1])
		f.Add("speaker_function", sp[2])
		f.Add("speaker_organisation", sp[3])
	}
	return f
}

// addItem creates an item through the store.
func (e *env) addItem(ev event.Event, d day.Date, start, end string, kind agenda.Kind, title string, speakers ...agenda.Speaker) agenda.Item {
	e.t.Helper()
	in := agenda.Input{Day: &d, StartsAt: &start, EndsAt: &end, Kind: &kind, Title: &title}
	if len(speakers) > 0 {
		in.Speakers = &speakers
	}
	it, err := e.agenda.Create(context.Background(), ev, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

func (e *env) items(ev event.Event) []agenda.Item {
	e.t.Helper()
	items, err := e.agenda.Items(context.Background(), ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return items
}

func TestProgrammeEditorKeepsInputAndSaves(t *testing.T) {
	e := newEnv(t)
	ev := e.event(50, 0, 2)
	d1, d2 := ev.Days[0], ev.Days[1]
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/programme", ev.ID)

	page := e.get(c, base)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("editor: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "noch kein Programm", "Programmpunkt hinzufügen", d2.GermanLong(), `<option value="impulse">Fachimpuls</option>`,
		`value="10:00"`, `value="10:30"`) // the proposal starts with the meeting

	// An item that ends before it starts comes back with every value.
	weiss := [4]string{"Jürgen Weiß", "", "Beigeordneter", "Stadt Wuppertal"}
	bad := agendaForm(d1, "11:00", "10:30", agenda.Keynote, "Präventionsketten – was wirkt?", weiss)
	r := e.postForm(c, base, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("end before start: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Das Ende muss nach dem Beginn liegen.", `id="e-ends_at"`, `href="#f-ends_at"`, `value="11:00"`, `value="10:30"`,
		`value="Präventionsketten – was wirkt?"`, `<option value="keynote" selected>Keynote</option>`, `value="Jürgen Weiß"`,
		`value="Stadt Wuppertal"`, "Wie gelingt der Übergang von der Kita in die Grundschule?", `value="Großer Saal"`)

	// A speaker row without a name is pointed out rather than dropped.
	bad.Set("ends_at", "11:45")
	bad["speaker_function"][1] = "Staatssekretärin"
	r = e.postForm(c, base, bad)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("speaker without name: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte geben Sie bei jeder mitwirkenden Person den Namen an.", `value="Staatssekretärin"`)
	bad["speaker_name"][1], bad["speaker_title"][1], bad["speaker_organisation"][1] = "Maria Muster", "Dr.", "MKJFGFI NRW"

	r = e.postForm(c, base, bad)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), base) {
		t.Fatalf("valid item: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.postForm(c, base, agendaForm(d1, "10:00", "11:15", agenda.Welcome, "")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("welcome: %d", r.StatusCode)
	}
	page = e.get(c, base)
	mustContain(t, page.Body, "ist gespeichert.", "Jürgen Weiß, Beigeordneter, Stadt Wuppertal", "Dr. Maria Muster, Staatssekretärin, MKJFGFI NRW",
		"Hinweise zum Ablauf", `role="status"`, "„Präventionsketten – was wirkt?“ (11:00–11:45) überschneidet sich mit „Begrüßung“ (10:00–11:15).",
		fmt.Sprintf("auf Tag %02d.%02d.", d2.Day, d2.Month))
	// Time order, whatever the order of entry.
	if strings.Index(page.Body, "<td>Begrüßung</td>") > strings.Index(page.Body, "<td>Keynote</td>") {
		t.Error("the editor does not list the items in time order")
	}

	items := e.items(ev)
	if len(items) != 2 {
		t.Fatalf("items: %+v", items)
	}
	welcome, keynote := items[0], items[1]
	if len(keynote.Speakers) != 2 || keynote.Speakers[1].Line() != "Dr. Maria Muster, Staatssekretärin, MKJFGFI NRW" {
		t.Fatalf("speakers: %+v", keynote.Speakers)
	}

	// Edit: errors keep the values; moving to another day is changing the day.
	edit := fmt.Sprintf("%s/%d", base, keynote.ID)
	page = e.get(c, edit)
	mustContain(t, page.Body, `value="Präventionsketten – was wirkt?"`, `value="Maria Muster"`, fmt.Sprintf(`<option value="%s" selected>`, d1))
	form := agendaForm(d2, "09:00", "08:00", agenda.Keynote, "Präventionsketten – was wirkt? (gekürzt)", weiss)
	if r := e.postForm(c, edit, form); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Das Ende muss nach dem Beginn liegen.") || !strings.Contains(r.Body, `value="Präventionsketten – was wirkt? (gekürzt)"`) {
		t.Fatalf("edit with end before start: %d", r.StatusCode)
	}
	form.Set("ends_at", "10:00")
	if r := e.postForm(c, edit, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", r.StatusCode, r.Body)
	}
	got, err := e.agenda.Item(t.Context(), keynote.ID)
	if err != nil || got.Day != d2 || got.StartsAt != "09:00" || len(got.Speakers) != 1 {
		t.Fatalf("edited item: %+v %v", got, err)
	}
	if page := e.get(c, base); strings.Contains(page.Body, "überschneidet") {
		t.Error("the overlap warning stays after the move")
	}

	// Duplicate to the other day opens the copy.
	r = e.postForm(c, fmt.Sprintf("%s/%d/duplicate", base, welcome.ID), url.Values{"day": {d2.String()}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), base+"/") {
		t.Fatalf("duplicate: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	page = e.get(c, r.Header.Get("Location"))
	mustContain(t, page.Body, "Kopie von „Begrüßung“ am "+d2.GermanLong(), fmt.Sprintf(`<option value="%s" selected>`, d2))
	if items := e.items(ev); len(items) != 3 || items[2].Day != d2 || items[2].Kind != agenda.Welcome {
		t.Fatalf("after duplicate: %+v", items)
	}

	// Delete; an item of another meeting is not found through this one.
	other := e.event(10, 0, 1)
	if r := e.get(c, fmt.Sprintf("/admin/events/%d/programme/%d", other.ID, welcome.ID)); r.StatusCode != http.StatusNotFound {
		t.Errorf("item through another meeting: %d", r.StatusCode)
	}
	if r := e.postForm(c, fmt.Sprintf("%s/%d/delete", base, welcome.ID), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	mustContain(t, e.get(c, base).Body, "„Begrüßung“ ("+d1.German()+", 10:00 Uhr) ist gelöscht.")
	if items := e.items(ev); len(items) != 2 {
		t.Fatalf("after delete: %+v", items)
	}
}

func TestProgrammeCopyFromEarlierMeeting(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	days := day.List{day.MustParse("2017-09-13"), day.MustParse("2017-09-14")}
	earlier, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(9), Days: &days,
		Capacity: ptr(70), Status: ptr(event.Held)})
	if err != nil {
		t.Fatal(err)
	}
	e.addItem(earlier, days[0], "10:00", "10:15", agenda.Welcome, "", agenda.Speaker{Name: "Jürgen Weiß", Function: "Beigeordneter"})
	e.addItem(earlier, days[0], "10:15", "11:00", agenda.Impulse, "Kinderarmut in NRW")
	e.addItem(earlier, days[0], "12:00", "13:00", agenda.Lunch, "")
	e.addItem(earlier, days[1], "09:00", "10:00", agenda.Practice, "Übergänge gestalten")
	ev := e.event(50, 0, 1)
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/programme", ev.ID)

	page := e.get(c, base)
	mustContain(t, page.Body, "Programm übernehmen von", fmt.Sprintf(`<option value="%d">9. Lernnetzwerktreffen (13.–14.09.2017, 4 Programmpunkte)</option>`, earlier.ID))
	if r := e.postForm(c, base+"/copy", url.Values{"from": {""}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Bitte wählen Sie eine frühere Veranstaltung aus der Liste.") {
		t.Fatalf("copy without a meeting: %d", r.StatusCode)
	}
	if r := e.postForm(c, base+"/copy", url.Values{"from": {strconv.FormatInt(ev.ID, 10)}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("copy from itself: %d", r.StatusCode)
	}
	r := e.postForm(c, base+"/copy", url.Values{"from": {strconv.FormatInt(earlier.ID, 10)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy: %d %s", r.StatusCode, r.Body)
	}
	page = e.get(c, base)
	mustContain(t, page.Body, "3 Programmpunkte übernommen, 1 ausgelassen (Tag fehlt).", "Kinderarmut in NRW", "Jürgen Weiß, Beigeordneter")
	items := e.items(ev)
	if len(items) != 3 || items[0].Day != ev.Days[0] || items[2].Kind != agenda.Lunch {
		t.Fatalf("copied: %+v", items)
	}
}

// programmeMeeting is a two-day meeting with a programme whose afternoon
// item stands for a slot of two parallel working groups.
func (e *env) programmeMeeting() (event.Event, []agenda.Item) {
	e.t.Helper()
	ctx := context.Background()
	ev := e.event(50, 0, 2)
	d1, d2 := ev.Days[0], ev.Days[1]
	for _, g := range []struct{ title, room, input, speaker string }{
		{"Zugänge erleichtern – Lotsenmodelle", "Raum 2.14", "Steuerungsstruktur", "Frau Özdemir"},
		{"Übergänge gestalten", "Raum Größe 3", "Kita und Grundschule", "Herr Köster"},
	} {
		if _, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr(g.title), Room: ptr(g.room), Capacity: ptr(20),
			Day: &d1, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"),
			Inputs: &[]workinggroup.InputSpec{{MunicipalityID: &e.ahlen.ID, Title: g.input, Speaker: g.speaker}}}); err != nil {
			e.t.Fatal(err)
		}
	}
	slots, err := e.wgs.Slots(ctx, ev.ID)
	if err != nil || len(slots) != 1 {
		e.t.Fatalf("slots %+v %v", slots, err)
	}
	items := []agenda.Item{
		e.addItem(ev, d1, "10:00", "10:15", agenda.Welcome, "", agenda.Speaker{Name: "Maria Muster", Title: "Dr.", Function: "Staatssekretärin", Organisation: "MKJFGFI NRW"}),
		e.addItem(ev, d1, "10:15", "11:00", agenda.Keynote, "Präventionsketten – was wirkt?, und für wen?"),
	}
	wg := agenda.WorkingGroups
	it, err := e.agenda.Create(ctx, ev, agenda.Input{Day: &d1, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), Kind: &wg,
		Title: ptr("Arbeitsgruppen am Nachmittag"), Room: ptr("Großer Saal"), WorkingGroupSlotID: &slots[0].ID})
	if err != nil {
		e.t.Fatal(err)
	}
	items = append(items, it, e.addItem(ev, d2, "15:00", "15:30", agenda.Closing, "", agenda.Speaker{Name: "Jürgen Weiß"}))
	return ev, items
}

func TestProgrammeOnTheMeetingPage(t *testing.T) {
	e := newEnv(t)
	ev, _ := e.programmeMeeting()
	d1, d2 := ev.Days[0], ev.Days[1]

	page := e.get(e.client(), fmt.Sprintf("/events/%d", ev.ID))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("meeting page: %d", page.StatusCode)
	}
	mustContain(t, page.Body, `<h2 id="programm">Programm</h2>`, "<h3 id=\"programm-"+d1.String()+"\">"+d1.GermanLong()+"</h3>",
		"<h3 id=\"programm-"+d2.String()+"\">"+d2.GermanLong()+"</h3>", `<ol class="programme-list">`,
		fmt.Sprintf(`<time datetime="%sT10:00">10:00</time>`, d1), "<h4>Begrüßung</h4>",
		"<li>Dr. Maria Muster, Staatssekretärin, MKJFGFI NRW</li>", "Präventionsketten – was wirkt?, und für wen?",
		`<ul class="parallel-groups" aria-label="Parallele Arbeitsgruppen">`, "<h5>Zugänge erleichtern – Lotsenmodelle</h5>",
		"<h5>Übergänge gestalten</h5>", "Raum Größe 3", "Stadt Ahlen – Kita und Grundschule (Herr Köster)",
		"Abschluss und Ausblick", "Raum: Großer Saal",
		fmt.Sprintf(`href="/events/%d/programme.pdf"`, ev.ID), "Programm als PDF",
		fmt.Sprintf(`href="/events/%d/programme.ics"`, ev.ID), "Programm im Kalender abonnieren")
	if strings.Index(page.Body, d1.GermanLong()+"</h3>") > strings.Index(page.Body, "<h4>Begrüßung</h4>") ||
		strings.Index(page.Body, "<h4>Begrüßung</h4>") > strings.Index(page.Body, d2.GermanLong()+"</h3>") ||
		strings.Index(page.Body, d2.GermanLong()+"</h3>") > strings.Index(page.Body, "Abschluss und Ausblick") {
		t.Error("the programme is not day by day in time order")
	}

	// A meeting without a programme shows no section.
	bare := e.event(10, 0, 1)
	if page := e.get(e.client(), fmt.Sprintf("/events/%d", bare.ID)); strings.Contains(page.Body, "Programm als PDF") {
		t.Error("a meeting without items shows a programme")
	}
	// The organiser pages link the editor.
	c := e.loggedIn()
	mustContain(t, e.get(c, "/admin/events").Body, fmt.Sprintf(`href="/admin/events/%d/programme"`, ev.ID))
	mustContain(t, e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID)).Body, fmt.Sprintf(`href="/admin/events/%d/programme"`, ev.ID))
}

func TestProgrammeCalendarFeed(t *testing.T) {
	e := newEnv(t)
	ev, items := e.programmeMeeting()
	r := e.get(e.client(), fmt.Sprintf("/events/%d/programme.ics", ev.ID))
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("feed: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if strings.Count(r.Body, "\n") != strings.Count(r.Body, "\r\n") || !strings.HasSuffix(r.Body, "\r\n") {
		t.Error("the feed has lines not ended by CRLF")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != len(items) {
		t.Fatalf("%d events, want %d", len(events), len(items))
	}
	if len(cal.Timezones()) != 1 {
		t.Errorf("%d VTIMEZONE, want 1", len(cal.Timezones()))
	}
	byUID := map[string]*ics.VEvent{}
	for _, ve := range events {
		byUID[ve.Id()] = ve
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtStart, ics.ComponentPropertyDtEnd} {
			prop := ve.GetProperty(p)
			if prop == nil || len(prop.ICalParameters["TZID"]) != 1 || prop.ICalParameters["TZID"][0] != "Europe/Berlin" {
				t.Errorf("%s %s without TZID=Europe/Berlin: %+v", ve.Id(), p, prop)
			}
		}
	}
	welcome := byUID[fmt.Sprintf("agenda-%d@treffen.test", items[0].ID)]
	if welcome == nil {
		t.Fatalf("no event with the UID of the welcome; have %v", byUID)
	}
	start, err := welcome.GetStartAt()
	if err != nil || !start.Equal(ev.Days[0].At(10, 0)) {
		t.Errorf("welcome starts %v (%v), want %v", start, err, ev.Days[0].At(10, 0))
	}
	if got := welcome.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(got, "Dr. Maria Muster, Staatssekretärin, MKJFGFI NRW") {
		t.Errorf("description %q", got)
	}
	keynote := byUID[fmt.Sprintf("agenda-%d@treffen.test", items[1].ID)]
	if got := keynote.GetProperty(ics.ComponentPropertySummary).Value; got != "Keynote: Präventionsketten – was wirkt?, und für wen?" {
		t.Errorf("summary %q", got)
	}
	groups := byUID[fmt.Sprintf("agenda-%d@treffen.test", items[2].ID)]
	if got := groups.GetProperty(ics.ComponentPropertyLocation).Value; got != "Großer Saal, Rathaus, Köln" {
		t.Errorf("location %q", got)
	}
	if got := groups.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(got, "Übergänge gestalten (Raum Größe 3)") {
		t.Errorf("working-group description %q", got)
	}

	pdf := e.get(e.client(), fmt.Sprintf("/events/%d/programme.pdf", ev.ID))
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Errorf("programme PDF: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
}

func TestAgendaAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.event(50, 0, 2)
	d1 := ev.Days[0]
	items := fmt.Sprintf("/api/v1/events/%d/agenda-items", ev.ID)

	r := e.api(http.MethodPost, items, token, map[string]any{"day": d1.String(), "starts_at": "10:00", "ends_at": "10:30", "kind": "welcome",
		"speakers": []map[string]string{{"name": "Jürgen Weiß", "function": "Beigeordneter", "organisation": "Stadt Wuppertal"}}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/agenda-items", r)
	var welcome agenda.Item
	if err := json.Unmarshal([]byte(r.Body), &welcome); err != nil || welcome.Kind != agenda.Welcome || len(welcome.Speakers) != 1 {
		t.Fatalf("created %s: %v", r.Body, err)
	}
	if r.Header.Get("Location") != fmt.Sprintf("/api/v1/agenda-items/%d", welcome.ID) {
		t.Errorf("Location %q", r.Header.Get("Location"))
	}
	plain := e.api(http.MethodPost, items, token, map[string]any{"day": d1.String(), "starts_at": "10:20", "ends_at": "11:00", "kind": "impulse", "title": "Kinderarmut in NRW"})
	e.conform(doc, "POST /api/v1/events/{id}/agenda-items", plain)
	if !strings.Contains(plain.Body, `"speakers":[]`) {
		t.Errorf("item without speakers: %s", plain.Body)
	}
	// "9:30" is stored as "09:30", so it sorts before "10:00".
	early := e.api(http.MethodPost, items, token, map[string]any{"day": d1.String(), "starts_at": "9:30", "ends_at": "9:45", "kind": "other", "title": "Anmeldung und Kaffee"})
	if early.StatusCode != http.StatusCreated || !strings.Contains(early.Body, `"starts_at":"09:30"`) {
		t.Fatalf("early item: %d %s", early.StatusCode, early.Body)
	}
	var earlyItem agenda.Item
	_ = json.Unmarshal([]byte(early.Body), &earlyItem)
	if r := e.api(http.MethodDelete, fmt.Sprintf("/api/v1/agenda-items/%d", earlyItem.ID), token, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete early item: %d", r.StatusCode)
	}

	for _, tc := range []struct {
		body  any
		field string
	}{
		{map[string]any{"day": d1.String(), "starts_at": "11:00", "ends_at": "10:30", "kind": "talk", "title": "Rückwärts"}, "ends_at"},
		{map[string]any{"day": "2001-01-01", "starts_at": "10:00", "ends_at": "10:30", "kind": "talk"}, "day"},
		{map[string]any{"day": "13.09.2017", "starts_at": "10:00", "ends_at": "10:30", "kind": "talk"}, "day"},
		{map[string]any{"day": d1.String(), "starts_at": "10:00", "ends_at": "10:30", "kind": "kabarett"}, "kind"},
		{map[string]any{"day": d1.String(), "starts_at": "zehn", "ends_at": "10:30", "kind": "talk"}, "starts_at"},
	} {
		r := e.api(http.MethodPost, items, token, tc.body)
		var body struct {
			Error struct{ Fields map[string]string }
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		if r.StatusCode != http.StatusUnprocessableEntity || body.Error.Fields[tc.field] == "" {
			t.Errorf("%v: %d %s, want 422 naming %s", tc.body, r.StatusCode, r.Body, tc.field)
		}
		e.conform(doc, "POST /api/v1/events/{id}/agenda-items", r)
	}
	if r := e.api(http.MethodPost, items, "", map[string]any{"day": d1.String()}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("create without token: %d", r.StatusCode)
	}

	// The list has the items in time order and the warnings.
	list := e.api(http.MethodGet, items, "", nil)
	e.conform(doc, "GET /api/v1/events/{id}/agenda-items", list)
	var got struct {
		Items    []agenda.Item
		Total    int
		Warnings []agenda.Warning
	}
	if err := json.Unmarshal([]byte(list.Body), &got); err != nil || got.Total != 2 || got.Items[0].ID != welcome.ID {
		t.Fatalf("list %s: %v", list.Body, err)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0].Message, "überschneidet sich mit „Begrüßung“") {
		t.Errorf("warnings %+v", got.Warnings)
	}

	// PATCH changes the given fields only.
	one := fmt.Sprintf("/api/v1/agenda-items/%d", welcome.ID)
	r = e.api(http.MethodPatch, one, token, map[string]any{"ends_at": "10:20", "room": "Ratssaal", "speakers": []map[string]string{{"name": "Maria Muster", "title": "Dr."}}})
	e.conform(doc, "PATCH /api/v1/agenda-items/{id}", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"room":"Ratssaal"`) || !strings.Contains(r.Body, `"kind":"welcome"`) || !strings.Contains(r.Body, "Maria Muster") || strings.Contains(r.Body, "Jürgen") {
		t.Errorf("patch: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodPatch, one, token, map[string]any{"starts_at": "10:30"})
	e.conform(doc, "PATCH /api/v1/agenda-items/{id}", r)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"ends_at"`) {
		t.Errorf("patch to start after the end: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "PATCH /api/v1/agenda-items/{id}", e.api(http.MethodPatch, one, token, map[string]any{"titel": "x"}))
	if r := e.api(http.MethodGet, items, "", nil); strings.Contains(r.Body, "überschneidet") {
		t.Errorf("warning after the fix: %s", r.Body)
	}

	if r := e.api(http.MethodDelete, one, token, nil); r.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodDelete, one, token, nil)
	e.conform(doc, "DELETE /api/v1/agenda-items/{id}", r)
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("second delete: %d", r.StatusCode)
	}
	e.conform(doc, "PATCH /api/v1/agenda-items/{id}", e.api(http.MethodPatch, one, token, map[string]any{"title": "weg"}))

	pdf := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/programme.pdf", ev.ID), "", nil)
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("programme PDF: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
}

func TestAgendaOfDraftMeetingIsHidden(t *testing.T) {
	e := newEnv(t)
	token := e.token()
	days := day.List{day.MustParse("2030-03-06")}
	draft, err := e.events.Create(t.Context(), event.Input{Kind: ptr(event.Fruehjahrsakademie), Days: &days, Capacity: ptr(40)})
	if err != nil || draft.IsPublic() {
		t.Fatalf("draft %+v %v", draft, err)
	}
	e.addItem(draft, days[0], "10:00", "10:30", agenda.Welcome, "Geheime Begrüßung")
	id := strconv.FormatInt(draft.ID, 10)
	for _, path := range []string{"/api/v1/events/" + id + "/agenda-items", "/api/v1/events/" + id + "/programme.pdf"} {
		if r := e.api(http.MethodGet, path, "", nil); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "Geheime") {
			t.Errorf("%s without token: %d", path, r.StatusCode)
		}
	}
	for _, path := range []string{"/events/" + id, "/events/" + id + "/programme.ics", "/events/" + id + "/programme.pdf"} {
		if r := e.get(e.client(), path); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "Geheime") {
			t.Errorf("%s anonymously: %d", path, r.StatusCode)
		}
	}
	r := e.api(http.MethodGet, "/api/v1/events/"+id+"/agenda-items", token, nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Geheime Begrüßung") {
		t.Errorf("with the organiser's token: %d %s", r.StatusCode, r.Body)
	}
	e.conform(e.openAPI(), "GET /api/v1/events/{id}/agenda-items", r)
	if r := e.get(e.loggedIn(), "/events/"+id+"/programme.ics"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Geheime Begrüßung") {
		t.Errorf("feed for the organiser: %d", r.StatusCode)
	}
}

// An item that stands for working groups but runs at another time than
// their slot is pointed out, and one button moves the slot to the item's
// time without losing wishes or assignments.
func TestProgrammeWarnsWhenWorkingGroupsRunAtAnotherTime(t *testing.T) {
	e := newEnv(t, noRateLimits)
	ev, items := e.programmeMeeting()
	d1 := ev.Days[0]
	wgItem := items[2]
	slotID := *wgItem.WorkingGroupSlotID
	groups, err := e.wgs.Groups(t.Context(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "", map[string]any{"first_name": "Ayşe",
		"last_name": "Öztürk", "email": "a.oeztuerk@ahlen.example", "municipality_id": e.ahlen.ID, "privacy_consent": true,
		"working_group_preferences": []int64{groups[1].ID, groups[0].ID}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", r.StatusCode, r.Body)
	}
	if _, err := e.wgs.Apply(t.Context(), ev, workinggroup.PlanOptions{}, "", audit.System); err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/programme", ev.ID)
	if strings.Contains(e.get(c, base).Body, "sind aber für") {
		t.Fatal("warning while item and slot agree")
	}

	// The organiser moves the item to 13:45 in the editor.
	form := agendaForm(d1, "13:45", "15:30", agenda.WorkingGroups, "Arbeitsgruppen am Nachmittag")
	form.Set("working_group_slot_id", strconv.FormatInt(slotID, 10))
	if r := e.postForm(c, fmt.Sprintf("%s/%d", base, wgItem.ID), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("move item: %d %s", r.StatusCode, r.Body)
	}
	align := fmt.Sprintf("%s/%d/align-slot", base, wgItem.ID)
	page := e.get(c, base)
	mustContain(t, page.Body, "„Arbeitsgruppen am Nachmittag“ steht im Programm um 13:45–15:30 Uhr, die Arbeitsgruppen sind aber für 14:00–15:30 Uhr angelegt.",
		fmt.Sprintf(`action="%s"`, align), `Arbeitsgruppen auf <span class="nowrap">`+d1.German()+", 13:45–15:30 Uhr</span> legen")
	list := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/agenda-items", ev.ID), "", nil)
	e.conform(e.openAPI(), "GET /api/v1/events/{id}/agenda-items", list)
	if !strings.Contains(list.Body, fmt.Sprintf(`"item_id":%d,"slot_id":%d`, wgItem.ID, slotID)) {
		t.Errorf("API warnings lack the slot: %s", list.Body)
	}

	// Another slot at that time: refused with the reason, nothing changes.
	extra, err := e.wgs.CreateGroup(t.Context(), ev, workinggroup.GroupInput{Title: ptr("Sondergruppe"), Capacity: ptr(5),
		Day: &d1, StartsAt: ptr("13:45"), EndsAt: ptr("15:30")})
	if err != nil {
		t.Fatal(err)
	}
	r = e.postForm(c, align, url.Values{})
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("align onto another slot: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Zeit der Arbeitsgruppen wurde nicht geändert.", "gibt es schon ein Zeitfenster 13:45–15:30 Uhr")
	if err := e.wgs.DeleteGroup(t.Context(), ev.ID, extra.ID); err != nil {
		t.Fatal(err)
	}

	before, _ := e.wgs.Assignments(t.Context(), ev.ID)
	if r := e.postForm(c, align, url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("align: %d %s", r.StatusCode, r.Body)
	}
	page = e.get(c, base)
	mustContain(t, page.Body, "Die Arbeitsgruppen laufen jetzt wie im Programm am "+d1.German()+", 13:45–15:30 Uhr.")
	if strings.Contains(page.Body, "sind aber für") {
		t.Error("warning stays after aligning")
	}
	slots, _ := e.wgs.Slots(t.Context(), ev.ID)
	if len(slots) != 1 || slots[0].ID != slotID || slots[0].StartsAt != "13:45" || slots[0].EndsAt != "15:30" {
		t.Fatalf("slots after aligning: %+v", slots)
	}
	after, _ := e.wgs.Assignments(t.Context(), ev.ID)
	prefs, _ := e.wgs.Preferences(t.Context(), ev.ID)
	if len(before) != 1 || len(after) != 1 || after[0].WorkingGroupID != before[0].WorkingGroupID || len(prefs) != 1 {
		t.Errorf("assignments %+v → %+v, wishes %v", before, after, prefs)
	}
}
