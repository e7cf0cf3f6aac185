package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// syncAnswer is the answer of POST /host/events/:id/checkin/sync.
type syncAnswer struct {
	Rehearsal bool `json:"rehearsal"`
	Results   []struct {
		Ref            string            `json:"ref"`
		Status         string            `json:"status"`
		RegistrationID int64             `json:"registration_id"`
		CheckedInAt    *time.Time        `json:"checked_in_at"`
		Message        string            `json:"message"`
		Fields         map[string]string `json:"fields"`
	} `json:"results"`
	Counts struct {
		CheckedIn int `json:"checked_in"`
		Expected  int `json:"expected"`
	} `json:"counts"`
}

// sendJSON posts body as the check-in app does (session cookie, JSON)
// and returns the status and the body; safe to call from goroutines.
func sendJSON(c *http.Client, method, url string, body any) (int, []byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(method, url, strings.NewReader(string(data)))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

func (e *env) syncOps(c *http.Client, ev event.Event, rehearsal bool, ops ...map[string]any) syncAnswer {
	e.t.Helper()
	status, body, err := sendJSON(c, http.MethodPost, fmt.Sprintf("%s/host/events/%d/checkin/sync", e.srv.URL, ev.ID),
		map[string]any{"rehearsal": rehearsal, "ops": ops})
	if err != nil || status != http.StatusOK {
		e.t.Fatalf("sync: %d %v %s", status, err, body)
	}
	var out syncAnswer
	if err := json.Unmarshal(body, &out); err != nil {
		e.t.Fatal(err)
	}
	if len(out.Results) != len(ops) {
		e.t.Fatalf("%d results for %d ops: %s", len(out.Results), len(ops), body)
	}
	return out
}

func checkInOp(ref string, id int64, d day.Date, at time.Time) map[string]any {
	return map[string]any{"ref": ref, "kind": "check_in", "registration_id": id, "day": d, "at": at.UTC().Format(time.RFC3339Nano)}
}

func walkInOp(ref, email string, d day.Date, at time.Time, municipalityID int64) map[string]any {
	return map[string]any{"ref": ref, "kind": "walk_in", "day": d, "at": at.UTC().Format(time.RFC3339Nano),
		"first_name": "Vera", "last_name": "Neumann", "email": email, "municipality_id": municipalityID, "privacy_consent": true}
}

// TestCheckinSyncFromConcurrentDevices: four phones send their queues at
// the same moment, each with the same ten people (at different times)
// and the same walk-in. The server ends with one check-in per person, at
// the earliest time any phone saw them, and one walk-in registration.
func TestCheckinSyncFromConcurrentDevices(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(100)
	today := day.Today(time.Now())
	var regs []registration.Registration
	for i := range 10 {
		regs = append(regs, e.person(ev.ID, "Person", fmt.Sprintf("Nr%02d", i), fmt.Sprintf("p%d@kommune.example", i), &e.ahlen.ID))
	}
	const devices = 4
	base := time.Now().Add(-time.Hour)
	if day.Today(base) != today {
		base = time.Now().Add(-time.Second * 40)
	}
	// Device d saw person i at base + ((i+d) mod 4) seconds: each person's
	// earliest time is on another device.
	at := func(dev, i int) time.Time { return base.Add(time.Duration((i+dev)%devices) * time.Second) }
	clients := make([]*http.Client, devices)
	for d := range clients {
		clients[d], _ = e.host(fmt.Sprintf("einlass%d@ahlen.example", d), ev.ID)
	}
	var wg sync.WaitGroup
	answers := make([]syncAnswer, devices)
	errs := make(chan error, devices)
	for d := range devices {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ops []map[string]any
			for i, r := range regs {
				ops = append(ops, checkInOp(fmt.Sprintf("dev%d-%d", d, i), r.ID, today, at(d, i)))
			}
			email := "vera.neumann@hamm.example"
			if d%2 == 1 {
				email = "Vera.Neumann@HAMM.example"
			}
			ops = append(ops, walkInOp(fmt.Sprintf("dev%d-walk", d), email, today, base.Add(time.Duration(d)*time.Second), e.coesfeld.ID))
			status, body, err := sendJSON(clients[d], http.MethodPost, fmt.Sprintf("%s/host/events/%d/checkin/sync", e.srv.URL, ev.ID),
				map[string]any{"ops": ops})
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("device %d: %d %s", d, status, body)
			}
			if err == nil {
				err = json.Unmarshal(body, &answers[d])
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for d, a := range answers {
		for _, r := range a.Results {
			if r.Status != "checked_in" && r.Status != "already" {
				t.Errorf("device %d, %s: %s %s", d, r.Ref, r.Status, r.Message)
			}
			if r.Status == "already" && !strings.Contains(r.Message, "bereits eingecheckt um") {
				t.Errorf("device %d, %s: %q", d, r.Ref, r.Message)
			}
		}
	}
	times := e.checkInsOf(ev)
	if len(times) != len(regs)+1 {
		t.Fatalf("%d check-ins, want %d", len(times), len(regs)+1)
	}
	for i, r := range regs {
		want := base
		if got := times[r.ID]; !got.Truncate(time.Millisecond).Equal(want.Truncate(time.Millisecond)) {
			t.Errorf("person %d checked in at %s, want the earliest %s", i, got, want)
		}
	}
	walkIns, err := e.regs.List(context.Background(), ev.ID, registration.Filter{Query: "vera.neumann"})
	if err != nil || len(walkIns) != 1 || !walkIns[0].WalkIn {
		t.Fatalf("walk-in registrations: %+v %v", walkIns, err)
	}
	if got := times[walkIns[0].ID]; !got.Truncate(time.Millisecond).Equal(base.Truncate(time.Millisecond)) {
		t.Errorf("walk-in checked in at %s, want %s", got, base)
	}
}

// TestCheckinSyncAnswers: what the server answers a device, op by op.
func TestCheckinSyncAnswers(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(1)
	today := day.Today(time.Now())
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	waiting := e.person(ev.ID, "Wanda", "Warte", "w@ahlen.example", &e.ahlen.ID)
	if waiting.Status != registration.Waitlisted {
		t.Fatalf("second person: %s", waiting.Status)
	}
	c, _ := e.host("einlass@ahlen.example", ev.ID)
	now := time.Now()

	// A rehearsal answers as the day would, and stores nothing.
	a := e.syncOps(c, ev, true, checkInOp("r-1", jw.ID, today, now), checkInOp("r-2", jw.ID, today, now),
		walkInOp("r-3", "vera.neumann@hamm.example", today, now, e.coesfeld.ID))
	if !a.Rehearsal || a.Results[0].Status != "checked_in" || a.Results[1].Status != "already" || a.Results[2].Status != "checked_in" ||
		!strings.Contains(a.Results[2].Message, "Probelauf") {
		t.Errorf("rehearsal: %+v", a.Results)
	}
	if times := e.checkInsOf(ev); len(times) != 0 {
		t.Fatalf("rehearsal stored check-ins: %v", times)
	}
	if regs, _ := e.regs.List(context.Background(), ev.ID, registration.Filter{}); len(regs) != 2 {
		t.Fatalf("rehearsal stored a walk-in: %d registrations", len(regs))
	}

	// The real thing; sent twice (the answer got lost): the device is
	// told its own check-in, not "already".
	batch := []map[string]any{
		checkInOp("d1-1", jw.ID, today, now.Add(-time.Minute)),
		{"ref": "d1-2", "kind": "check_in", "code": "0000 0000 0000 0000", "day": today},
		checkInOp("d1-3", waiting.ID, today, now),
		{"ref": "d1-4", "kind": "dance", "day": today},
		checkInOp("d1-5", jw.ID, day.Of(today.In(time.UTC).AddDate(0, 0, 1)), now),
		walkInOp("d1-6", "kein-at-zeichen", today, now, e.coesfeld.ID),
	}
	for range 2 {
		a = e.syncOps(c, ev, false, batch...)
		want := []string{"checked_in", "refused", "refused", "refused", "refused", "refused"}
		for i, r := range a.Results {
			if r.Status != want[i] {
				t.Errorf("%s: %s (%s), want %s", r.Ref, r.Status, r.Message, want[i])
			}
		}
		for i, msg := range map[int]string{
			1: "Diesen Code kennen wir bei dieser Veranstaltung nicht.",
			2: "Wanda Warte steht auf der Warteliste",
			3: "Unbekannte Art: dance",
			4: "Dieser Veranstaltungstag hat noch nicht begonnen",
		} {
			if !strings.Contains(a.Results[i].Message, msg) {
				t.Errorf("%s: %q, want %q", a.Results[i].Ref, a.Results[i].Message, msg)
			}
		}
		if a.Results[5].Fields["email"] == "" {
			t.Errorf("walk-in with a bad address: %+v", a.Results[5])
		}
	}
	// Another device, later: "already", with the first time.
	a = e.syncOps(c, ev, false, checkInOp("d2-1", jw.ID, today, now))
	if r := a.Results[0]; r.Status != "already" || !strings.Contains(r.Message, "bereits eingecheckt um") ||
		r.CheckedInAt == nil || !r.CheckedInAt.Truncate(time.Millisecond).Equal(now.Add(-time.Minute).Truncate(time.Millisecond)) {
		t.Errorf("second device: %+v", r)
	}
	// A time that is not on the day the device names.
	a = e.syncOps(c, ev, false, checkInOp("d2-2", jw.ID, today, now.AddDate(0, 0, -2)))
	if r := a.Results[0]; r.Status != "refused" || !strings.Contains(r.Message, "Uhrzeit") {
		t.Errorf("wrong time: %+v", r)
	}
	if a.Counts.CheckedIn != 1 || a.Counts.Expected != 1 {
		t.Errorf("counts: %+v", a.Counts)
	}

	// Errors of the request itself are JSON with a code, for the app.
	url := fmt.Sprintf("%s/host/events/%d/checkin/sync", e.srv.URL, ev.ID)
	for _, tc := range []struct {
		name   string
		client *http.Client
		body   any
		status int
		code   string
	}{
		{"not an object", c, []int{1}, http.StatusBadRequest, "bad_request"},
		{"unknown field", c, map[string]any{"opps": []int{}}, http.StatusBadRequest, "bad_request"},
		{"too many", c, map[string]any{"ops": make([]map[string]any, 501)}, http.StatusUnprocessableEntity, "invalid"},
		{"logged out", e.client(), map[string]any{"ops": []map[string]any{}}, http.StatusUnauthorized, "unauthorized"},
	} {
		status, body, err := sendJSON(tc.client, http.MethodPost, url, tc.body)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if status != tc.status || json.Unmarshal(body, &answer) != nil || answer.Error.Code != tc.code || answer.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d with code %s", tc.name, status, body, tc.status, tc.code)
		}
	}
}

// TestCheckinListForDevices: what a device keeps, and for how long.
func TestCheckinListForDevices(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(40)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	gone := e.person(ev.ID, "Gerd", "Gegangen", "g@ahlen.example", &e.ahlen.ID)
	if _, err := e.regs.Cancel(ctx, gone.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := e.checkins.Record(ctx, ev, jw, day.Today(time.Now()), nil); err != nil {
		t.Fatal(err)
	}
	c, _ := e.host("einlass@ahlen.example", ev.ID)
	type list struct {
		Day          day.Date   `json:"day"`
		Today        bool       `json:"today"`
		Rehearsal    bool       `json:"rehearsal"`
		OfflineUntil *time.Time `json:"offline_until"`
		Counts       struct {
			CheckedIn int `json:"checked_in"`
			Expected  int `json:"expected"`
		} `json:"counts"`
		People []struct {
			ID           int64      `json:"id"`
			Name         string     `json:"name"`
			Municipality string     `json:"municipality"`
			Code         string     `json:"code"`
			CheckedInAt  *time.Time `json:"checked_in_at"`
		} `json:"people"`
	}
	get := func(query string) (int, list, string) {
		t.Helper()
		status, body, err := sendJSON(c, http.MethodGet, fmt.Sprintf("%s/host/events/%d/checkin/list.json%s", e.srv.URL, ev.ID, query), nil)
		if err != nil {
			t.Fatal(err)
		}
		var l list
		_ = json.Unmarshal(body, &l)
		return status, l, string(body)
	}
	status, l, body := get("")
	if status != http.StatusOK || !l.Today || l.Rehearsal || len(l.People) != 1 || l.People[0].Code != jw.CheckinCode ||
		l.People[0].Municipality != "Stadt Ahlen" || l.People[0].CheckedInAt == nil || l.Counts.CheckedIn != 1 || l.Counts.Expected != 1 {
		t.Fatalf("list of today: %d %s", status, body)
	}
	// Kept on the device to the end of the meeting's last day, in Berlin.
	end := day.Of(ev.Days.Last().In(time.UTC).AddDate(0, 0, 1)).In(day.Location())
	if l.OfflineUntil == nil || !l.OfflineUntil.Equal(end) {
		t.Errorf("offline_until %v, want %v", l.OfflineUntil, end)
	}
	if strings.Contains(body, "j.weiss@ahlen.example") {
		t.Error("the list on the device carries e-mail addresses")
	}
	// A rehearsal's list: nobody checked in, kept until the end of today.
	status, l, body = get("?rehearsal=1")
	if status != http.StatusOK || !l.Rehearsal || l.Counts.CheckedIn != 0 || l.People[0].CheckedInAt != nil {
		t.Errorf("rehearsal list: %d %s", status, body)
	}
	// A meeting a month ahead: the list is shown, but not kept.
	later := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	if _, err := e.events.Update(ctx, ev.ID, event.Input{Days: &later}); err != nil {
		t.Fatal(err)
	}
	if status, l, body = get(""); status != http.StatusOK || l.Today || l.OfflineUntil != nil || l.Day != later[0] {
		t.Errorf("list a month ahead: %d %s", status, body)
	}
	// The day before: kept.
	tomorrow := day.List{day.Of(time.Now().In(day.Location()).AddDate(0, 0, 1))}
	if _, err := e.events.Update(ctx, ev.ID, event.Input{Days: &tomorrow}); err != nil {
		t.Fatal(err)
	}
	if status, l, body = get(""); status != http.StatusOK || l.OfflineUntil == nil {
		t.Errorf("list the day before: %d %s", status, body)
	}
	// Over: 410, so devices drop their copy.
	past := day.List{day.Of(time.Now().In(day.Location()).AddDate(0, 0, -1))}
	if _, err := e.events.Update(ctx, ev.ID, event.Input{Days: &past}); err != nil {
		t.Fatal(err)
	}
	if status, _, body = get(""); status != http.StatusGone || !strings.Contains(body, `"code":"gone"`) {
		t.Errorf("list after the meeting: %d %s", status, body)
	}
}

// BenchmarkCheckinList: every phone at the door asks for the day's list
// every five seconds. It is measured against the raw SQL that reads the
// same people and check-ins, in the same run; the ratio is the figure.
func BenchmarkCheckinList(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	ev := e.meetingToday(200)
	today := day.Today(time.Now())
	for i := range 120 {
		muni := &e.ahlen.ID
		if i%3 == 0 {
			muni = &e.coesfeld.ID
		}
		r := e.person(ev.ID, "Person", fmt.Sprintf("Nr%03d", i), fmt.Sprintf("p%d@kommune.example", i), muni)
		if i%2 == 0 {
			if _, err := e.checkins.Record(ctx, ev, r, today, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	c, _ := e.host("einlass@ahlen.example", ev.ID)
	u, _ := neturl.Parse(e.srv.URL)
	var cookie string
	for _, k := range c.Jar.Cookies(u) {
		cookie += k.Name + "=" + k.Value + "; "
	}
	path := fmt.Sprintf("/host/events/%d/checkin/list.json", ev.ID)
	b.Run("raw-sql", func(b *testing.B) {
		for b.Loop() {
			rows, err := e.db.SQL.QueryContext(ctx, `SELECT r.id, r.first_name, r.last_name, r.checkin_code, r.status, r.days, r.municipality_id, c.checked_in_at
				FROM registrations r LEFT JOIN check_ins c ON c.registration_id = r.id AND c.day = $1
				WHERE r.event_id = $2 AND r.status IN ('confirmed', 'waitlisted', 'pending')`, today.String(), ev.ID)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var (
					id                              int64
					first, last, code, status, days string
					muni                            *int64
					at                              *time.Time
				)
				if err := rows.Scan(&id, &first, &last, &code, &status, &days, &muni, &at); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n != 120 {
				b.Fatalf("%d rows", n)
			}
		}
	})
	b.Run("list.json", func(b *testing.B) {
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("Cookie", cookie)
			req.Header.Set("Accept", "application/json")
			w := httptest.NewRecorder()
			e.handler.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
