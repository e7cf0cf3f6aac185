package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/event"
	netmail "github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/smtptest"
	"github.com/isa-nrw/treffen/templates"
)

// received is a delivered mail taken apart: subject, decoded text and
// the names of its attachments.
type received struct {
	To, Subject, Text string
	Attachments       []string
}

func readDelivery(t *testing.T, d smtptest.Delivery) received {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(d.Raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	out := received{To: d.To, Subject: subject}
	var walk func(contentType, encoding, disposition string, body io.Reader)
	walk = func(contentType, encoding, disposition string, body io.Reader) {
		mediaType, params, err := mime.ParseMediaType(contentType)
		if err != nil {
			t.Fatalf("content type %q: %v", contentType, err)
		}
		if strings.HasPrefix(mediaType, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				part, err := mr.NextRawPart()
				if err == io.EOF {
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part)
			}
		}
		switch strings.ToLower(encoding) {
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		data, _ := io.ReadAll(body)
		if _, dparams, err := mime.ParseMediaType(disposition); err == nil && dparams["filename"] != "" {
			out.Attachments = append(out.Attachments, dparams["filename"])
		} else if mediaType == "text/plain" {
			out.Text = strings.ReplaceAll(string(data), "\r\n", "\n")
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body)
	return out
}

// deliverTo sends the env's outbox to the in-process SMTP server box
// and returns what it received since skip deliveries.
func (e *env) deliverTo(t *testing.T, box *smtptest.Mailbox, skip int) []received {
	t.Helper()
	composer, err := netmail.NewComposer(templates.FS, "http://treffen.test", "anmeldung@isa.example", "Institut für Soziale Arbeit e.V.")
	if err != nil {
		t.Fatal(err)
	}
	sender, err := netmail.NewSMTPSender("smtp://"+box.Addr+"?starttls=never&timeout=5s", "anmeldung@isa.example")
	if err != nil {
		t.Fatal(err)
	}
	w := netmail.NewWorker(e.outbox, envLoader{e}, composer, sender, "smtp", nil,
		netmail.WorkerOptions{PollInterval: 20 * time.Millisecond, Lease: time.Minute, Connections: 1})
	if _, err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var out []received
	for _, d := range box.All()[skip:] {
		out = append(out, readDelivery(t, d))
	}
	return out
}

func registerForm(first, last, email string, muni int64) url.Values {
	return url.Values{"salutation": {"Frau"}, "first_name": {first}, "last_name": {last}, "email": {email},
		"municipality_id": {fmt.Sprint(muni)}, "function": {"Jugendamt"}, "privacy_consent": {"1"}}
}

func TestApprovalFlowWithMails(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	box := smtptest.Start(t)
	ev := e.event(2, 0, 1)
	if _, err := e.events.Update(ctx, ev.ID, event.Input{RequiresApproval: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	anon := e.client()
	form := e.get(anon, fmt.Sprintf("/events/%d/register", ev.ID))
	mustContain(t, form.Body, "Anmeldungen werden vom Veranstalter geprüft.")

	people := []struct{ first, last, email string }{
		{"Jürgen", "Weiß", "j.weiss@ahlen.example"}, {"Erika", "Bäcker", "e.baecker@ahlen.example"},
		{"Ömer", "Öztürk", "oe.oeztuerk@ahlen.example"}, {"Gerd", "Ablehn", "g.ablehn@ahlen.example"},
	}
	for _, p := range people {
		r := e.postForm(anon, fmt.Sprintf("/events/%d/register", ev.ID), registerForm(p.first, p.last, p.email, e.ahlen.ID))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("register %s: %d %.300s", p.email, r.StatusCode, r.Body)
		}
		if p.first == "Jürgen" {
			manage := e.get(anon, r.Header.Get("Location"))
			mustContain(t, manage.Body, "In Prüfung", "Ihre Anmeldung ist in Prüfung")
		}
	}
	mails := e.deliverTo(t, box, 0)
	if len(mails) != 4 {
		t.Fatalf("%d mails after registering, want 4 review notices", len(mails))
	}
	for _, m := range mails {
		if !strings.HasPrefix(m.Subject, "Anmeldung in Prüfung: 17. Lernnetzwerktreffen") || !strings.Contains(m.Text, "vom Veranstalter geprüft") ||
			!strings.Contains(m.Text, "Status:        In Prüfung") || len(m.Attachments) != 0 {
			t.Errorf("review notice to %s: %q, attachments %v\n%s", m.To, m.Subject, m.Attachments, m.Text)
		}
	}

	org := e.loggedIn()
	page := fmt.Sprintf("/admin/events/%d/registrations", ev.ID)
	r := e.get(org, page)
	mustContain(t, r.Body, "<strong>4</strong> in Prüfung", "<strong>0</strong> bestätigt", "4 Anmeldungen warten auf Ihre Entscheidung", ">Annehmen</button>", ">Ablehnen</button>")
	regs, err := e.regs.List(ctx, ev.ID, registration.Filter{Status: registration.Pending})
	if err != nil || len(regs) != 4 {
		t.Fatalf("pending: %d, %v", len(regs), err)
	}
	idOf := map[string]string{}
	for _, reg := range regs {
		idOf[reg.Email] = fmt.Sprint(reg.ID)
	}

	// Nothing chosen: the page says so and nothing changes.
	if r := e.postForm(org, page+"/decide", url.Values{"decision": {"approve"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Bitte wählen Sie mindestens eine Anmeldung aus.") {
		t.Fatalf("decide without a choice: %d", r.StatusCode)
	}
	// Three approved at once for two places: the third waits.
	r = e.postForm(org, page+"/decide", url.Values{"decision": {"approve"},
		"rid": {idOf["j.weiss@ahlen.example"], idOf["e.baecker@ahlen.example"], idOf["oe.oeztuerk@ahlen.example"]}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("approve: %d %.300s", r.StatusCode, r.Body)
	}
	mustContain(t, r.Body, "Jürgen Weiß: <span class=\"badge confirmed\">Bestätigt</span>", "Erika Bäcker: <span class=\"badge confirmed\">Bestätigt</span>",
		"Ömer Öztürk: <span class=\"badge waitlisted\">Warteliste</span> – kein Platz mehr frei, auf die Warteliste gesetzt")
	r = e.postForm(org, page+"/decide", url.Values{"decision": {"decline"}, "reason": {"Die Veranstaltung richtet sich an Fachkräfte der Jugendämter."},
		"rid": {idOf["g.ablehn@ahlen.example"], idOf["j.weiss@ahlen.example"]}})
	mustContain(t, r.Body, "Gerd Ablehn: <span class=\"badge declined\">Abgelehnt</span>",
		"Jürgen Weiß: <span class=\"field-error\">nicht geändert – Diese Anmeldung ist nicht in Prüfung, sondern „Bestätigt“.</span>",
		"<strong>0</strong> in Prüfung", "<strong>2</strong> bestätigt", "<strong>1</strong> abgelehnt")
	if strings.Contains(r.Body, "Anmeldungen warten auf Ihre Entscheidung") {
		t.Errorf("the review section stays with nothing pending")
	}
	// The filter finds declined registrations, told apart from cancelled ones.
	filtered := e.get(org, page+"?status=declined")
	mustContain(t, filtered.Body, "Ablehn, Gerd", "Fachkräfte der Jugendämter")

	mails = e.deliverTo(t, box, 4)
	byTo := map[string]received{}
	for _, m := range mails {
		byTo[m.To] = m
	}
	if len(mails) != 4 {
		t.Fatalf("%d mails after the decisions, want 4: %v", len(mails), byTo)
	}
	for _, to := range []string{"j.weiss@ahlen.example", "e.baecker@ahlen.example"} {
		if m := byTo[to]; !strings.HasPrefix(m.Subject, "Anmeldebestätigung") || len(m.Attachments) != 1 || m.Attachments[0] != "einladung.ics" {
			t.Errorf("confirmation to %s: %q, attachments %v", to, m.Subject, m.Attachments)
		}
	}
	if m := byTo["oe.oeztuerk@ahlen.example"]; !strings.HasPrefix(m.Subject, "Warteliste:") || !strings.Contains(m.Text, "Platz 1") {
		t.Errorf("waiting-list mail: %q\n%s", m.Subject, m.Text)
	}
	declined := byTo["g.ablehn@ahlen.example"]
	if !strings.HasPrefix(declined.Subject, "Anmeldung abgelehnt: 17. Lernnetzwerktreffen") ||
		!strings.Contains(declined.Text, "Begründung:\nDie Veranstaltung richtet sich an Fachkräfte der Jugendämter.") ||
		!strings.Contains(declined.Text, "Status:        Abgelehnt") || len(declined.Attachments) != 0 {
		t.Errorf("declined mail: %q %v\n%s", declined.Subject, declined.Attachments, declined.Text)
	}

	// The API: status pending in the registration, approve and decline.
	token := e.token()
	api := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "",
		map[string]any{"first_name": "Ana", "last_name": "Api", "email": "ana@ahlen.example", "municipality_id": e.ahlen.ID, "privacy_consent": true})
	var body struct {
		ID            int64  `json:"id"`
		Status        string `json:"status"`
		DeclineReason string `json:"decline_reason"`
	}
	if err := json.Unmarshal([]byte(api.Body), &body); err != nil || api.StatusCode != http.StatusCreated || body.Status != "pending" {
		t.Fatalf("API registration: %d %s", api.StatusCode, api.Body)
	}
	decide := fmt.Sprintf("/api/v1/events/%d/registrations/%d/", ev.ID, body.ID)
	if r := e.api(http.MethodPost, decide+"decline", "", map[string]string{"reason": "x"}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("decline without a token: %d", r.StatusCode)
	}
	r = e.api(http.MethodPost, decide+"decline", token, map[string]string{"reason": "Kein Platz für Gäste."})
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil || r.StatusCode != http.StatusOK || body.Status != "declined" || body.DeclineReason != "Kein Platz für Gäste." {
		t.Fatalf("API decline: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodPost, decide+"approve", token, nil)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, `"code":"conflict"`) {
		t.Fatalf("API approve of a declined registration: %d %s", r.StatusCode, r.Body)
	}
	if r := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/registrations?status=declined", ev.ID), token, nil); !strings.Contains(r.Body, `"decline_reason":"Kein Platz für Gäste."`) {
		t.Errorf("declined registrations in the API: %s", r.Body)
	}
}

func TestWaitlistSettingsInFormAndAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	org := e.loggedIn()
	ev := e.event(1, 0, 1)

	// The editor saves the settings.
	edit := formFromValues(ev)
	edit.Set("registration_rules_shown", "1")
	edit.Set("waitlist_limit", "")
	if r := e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), edit); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save without waiting list: %d %.300s", r.StatusCode, r.Body)
	}
	if got, _ := e.events.Get(ctx, ev.ID); got.WaitlistEnabled || got.RequiresApproval || got.WaitlistLimit != nil {
		t.Fatalf("saved settings: waiting list %v, approval %v, limit %v", got.WaitlistEnabled, got.RequiresApproval, got.WaitlistLimit)
	}
	edit.Set("waitlist_limit", "-3")
	if r := e.postForm(org, fmt.Sprintf("/admin/events/%d", ev.ID), edit); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Die Länge der Warteliste muss zwischen 1 und 10.000 liegen") {
		t.Fatalf("negative limit: %d", r.StatusCode)
	}

	anon := e.client()
	registerPath := fmt.Sprintf("/events/%d/register", ev.ID)
	if r := e.postForm(anon, registerPath, registerForm("Erika", "Erste", "erste@ahlen.example", e.ahlen.ID)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first registration: %d", r.StatusCode)
	}
	// Full without a waiting list: said before anyone types, no form.
	time.Sleep(1100 * time.Millisecond) // the public pages are kept for a second
	form := e.get(anon, registerPath)
	mustContain(t, form.Body, "Ausgebucht – keine Warteliste:", "eine Warteliste gibt es für diese Veranstaltung nicht")
	if strings.Contains(form.Body, `action="`+registerPath+`"`) {
		t.Errorf("the form is offered although nobody can register")
	}
	mustContain(t, e.get(anon, fmt.Sprintf("/events/%d", ev.ID)).Body, "ausgebucht – keine Warteliste")
	// Sent anyway (the page was older): refused, what was typed is kept.
	r := e.postForm(anon, registerPath, registerForm("Jürgen", "Zweiter", "zweiter@ahlen.example", e.ahlen.ID))
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("registration without place and waiting list: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Veranstaltung ist ausgebucht; eine Warteliste gibt es nicht.", `value="Jürgen"`, `value="zweiter@ahlen.example"`)
	api := e.api(http.MethodPost, "/api/v1/events/"+fmt.Sprint(ev.ID)+"/registrations", "",
		map[string]any{"first_name": "Ana", "last_name": "Api", "email": "ana@ahlen.example", "municipality_id": e.ahlen.ID, "privacy_consent": true})
	if api.StatusCode != http.StatusConflict || !strings.Contains(api.Body, `"code":"no_waitlist"`) {
		t.Fatalf("API without waiting list: %d %s", api.StatusCode, api.Body)
	}

	// A waiting list of one: the second waits, the third is refused.
	if _, err := e.events.Update(ctx, ev.ID, event.Input{WaitlistEnabled: ptr(true), WaitlistLimit: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	if r := e.postForm(anon, registerPath, registerForm("Jürgen", "Zweiter", "zweiter@ahlen.example", e.ahlen.ID)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("onto the waiting list: %d", r.StatusCode)
	}
	time.Sleep(1100 * time.Millisecond)
	mustContain(t, e.get(anon, registerPath).Body, "Warteliste voll:", "die Warteliste ist voll")
	api = e.api(http.MethodPost, "/api/v1/events/"+fmt.Sprint(ev.ID)+"/registrations", "",
		map[string]any{"first_name": "Ana", "last_name": "Api", "email": "ana@ahlen.example", "municipality_id": e.ahlen.ID, "privacy_consent": true})
	if api.StatusCode != http.StatusConflict || !strings.Contains(api.Body, `"code":"waitlist_full"`) {
		t.Fatalf("API with a full waiting list: %d %s", api.StatusCode, api.Body)
	}
	r = e.postForm(anon, registerPath, registerForm("Dritte", "Person", "dritte@ahlen.example", e.ahlen.ID))
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("registration with a full waiting list: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Veranstaltung ist ausgebucht und die Warteliste ist voll.", `value="Dritte"`)
}
