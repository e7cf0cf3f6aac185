package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// eventFormValues are the meeting's form as the editor posts it.
func eventFormValues(ev event.Event) url.Values {
	return url.Values{
		"kind": {string(ev.Kind)}, "number": {fmt.Sprint(ev.Number)}, "days": {ev.Days.String()},
		"start_time": {ev.StartTime}, "end_time": {ev.EndTime}, "venue_name": {ev.VenueName}, "venue_city": {ev.VenueCity},
		"capacity": {fmt.Sprint(ev.Capacity)}, "municipality_quota": {"0"}, "status": {string(ev.Status)},
		"preference_ranks": {fmt.Sprint(ev.PreferenceRanks)}, "organiser": {ev.Organiser},
		"settings_form": {"1"}, "reminders_on": {"1"}, "reminder_days": {"7, 1"}, "notify_cancellation": {"1"},
	}
}

func (e *env) kinds(eventID int64) map[outbox.Kind]int {
	e.t.Helper()
	list, err := e.outbox.List(context.Background(), outbox.Filter{EventID: eventID})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[outbox.Kind]int{}
	for _, m := range list {
		out[m.Kind]++
	}
	return out
}

func TestChangedDateAsksWhetherToNotify(t *testing.T) {
	e := newEnv(t)
	ev := e.event(1, 0, 1)
	ctx := context.Background()
	for i, email := range []string{"anna@ahlen.example", "bernd@ahlen.example"} { // confirmed, waiting
		if _, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Anna", LastName: fmt.Sprint("Muster", i), Email: email,
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	org := e.loggedIn()
	form := eventFormValues(ev)
	moved := day.Of(ev.Days[0].In(day.Location()).AddDate(0, 0, 7))
	form.Set("days", moved.String())
	r := e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), fmt.Sprintf("/admin/events/%d/changes/", ev.ID)) {
		t.Fatalf("saving a new date: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := e.get(org, r.Header.Get("Location"))
	mustContain(t, page.Body, "Teilnehmende über die Änderung benachrichtigen?", "Datum: "+ev.Days.German()+" → "+moved.German(),
		"2 Personen", "1 bestätigt, 1 auf der Warteliste", "Benachrichtigen", "Nicht benachrichtigen")
	if n := e.kinds(ev.ID)[outbox.ChangeNotice]; n != 0 {
		t.Fatalf("%d change notices queued before the organiser decided", n)
	}
	r = e.postForm(org, r.Header.Get("Location"), url.Values{"notify": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("notify: %d", r.StatusCode)
	}
	if n := e.kinds(ev.ID)[outbox.ChangeNotice]; n != 2 {
		t.Fatalf("%d change notices, want one per registration (2)", n)
	}

	// A change of the venue the organiser does not announce.
	form.Set("venue_name", "Bürgerhaus")
	r = e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form)
	if !strings.Contains(r.Header.Get("Location"), "/changes/") {
		t.Fatalf("saving a new venue: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustContain(t, e.get(org, r.Header.Get("Location")).Body, "Ort: Rathaus, Köln → Bürgerhaus, Köln")
	e.postForm(org, r.Header.Get("Location"), url.Values{"notify": {"0"}})
	if n := e.kinds(ev.ID)[outbox.ChangeNotice]; n != 2 {
		t.Fatalf("%d change notices after declining, want still 2", n)
	}

	// Saving without a change of date, times or venue asks nothing.
	form.Set("motto", "Neues Motto")
	if r = e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form); r.Header.Get("Location") != "/admin/events" {
		t.Fatalf("saving the motto: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	// Cancelling mails everyone at once.
	form.Set("status", string(event.Cancelled))
	if r = e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form); r.Header.Get("Location") != "/admin/events" {
		t.Fatalf("cancelling: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	mustContain(t, e.get(org, "/admin/events").Body, "Alle Angemeldeten erhalten eine Absage per E-Mail.")
	if n := e.kinds(ev.ID)[outbox.EventCancelled]; n != 2 {
		t.Fatalf("%d cancellations of the meeting, want 2", n)
	}
}

func TestReminderSettingsOnTheFormAndThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	org := e.loggedIn()
	mustContain(t, e.get(org, fmt.Sprintf("/admin/events/%d/edit", ev.ID)).Body, "Erinnerungen", `value="7, 1"`)

	form := eventFormValues(ev)
	form.Set("reminder_days", "14, 0")
	r := e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("0 days: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "erinnert wird 1 bis 60 Tage vor Beginn, nicht 0", `value="14, 0"`)
	form.Set("reminder_days", "14 3")
	form.Del("reminders_on")
	if r = e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", r.StatusCode)
	}

	token := e.token()
	path := fmt.Sprintf("/api/v1/events/%d/reminders", ev.ID)
	r = e.api(http.MethodGet, path, token, nil)
	if r.StatusCode != http.StatusOK || strings.TrimSpace(r.Body) != `{"enabled":false,"days":[14,3]}` {
		t.Fatalf("GET: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodPut, path, token, map[string]any{"enabled": true, "days": []int{1, 7, 7}})
	if r.StatusCode != http.StatusOK || strings.TrimSpace(r.Body) != `{"enabled":true,"days":[7,1]}` {
		t.Fatalf("PUT: %d %s", r.StatusCode, r.Body)
	}
	for _, bad := range []map[string]any{
		{"enabled": true, "days": []int{}},
		{"enabled": true, "days": []int{1, 2, 3, 4}},
		{"enabled": true, "days": []int{61}},
		{"enabled": true},
	} {
		r = e.api(http.MethodPut, path, token, bad)
		var body struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		if r.StatusCode != http.StatusUnprocessableEntity || body.Error.Fields["days"] == "" {
			t.Errorf("PUT %v: %d %s", bad, r.StatusCode, r.Body)
		}
	}
	if r = e.api(http.MethodGet, path, "", nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET without token: %d", r.StatusCode)
	}
}

func TestOwnChangeOnTheManagePageIsConfirmedWithCalendar(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	w := e.mailWorker(mb)
	ev := e.event(10, 0, 2)
	ctx := context.Background()
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Anna", LastName: "Ahlen", Email: "anna@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	r := e.postForm(e.client(), "/manage/"+reg.ManageToken, url.Values{"first_name": {"Anna"}, "last_name": {"Ahlen"},
		"municipality_id": {fmt.Sprint(e.ahlen.ID)}, "days": {ev.Days[1].String()}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change days: %d %s", r.StatusCode, r.Body)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	mails := readMails(t, mb.messages())
	if len(mails) != 2 {
		t.Fatalf("%d mails, want the confirmation and the change's", len(mails))
	}
	m := mails[1]
	if !strings.HasPrefix(m.Subject, "Ihre Änderung ist gespeichert") {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"text/calendar; method=REQUEST", "einladung.ics", "text/calendar; method=CANCEL", "absage.ics"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the change's mail lacks %q", want)
		}
	}
}
