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
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// composerPost sends the message composer's form with files under "files".
func (e *env) composerPost(c *http.Client, path string, fields [][2]string, files map[string][]byte) response {
	e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		_ = w.WriteField(f[0], f[1])
	}
	for name, data := range files {
		part, _ := w.CreateFormFile("files", name)
		_, _ = part.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return e.do(c, req)
}

var formKeyField = regexp.MustCompile(`name="form_key" value="([^"]+)"`)

// receivedMail is one mail the SMTP server accepted, taken apart.
type receivedMail struct {
	to          string
	messageID   string
	subject     string
	text        string
	attachments map[string][]byte
}

// parseMail reads a raw MIME mail: the recipient, subject, text part and
// attachments by file name.
func parseMail(t testing.TB, raw []byte) receivedMail {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	d := receivedMail{attachments: map[string][]byte{}}
	to, _ := netmail.ParseAddress(m.Header.Get("To"))
	d.to = to.Address
	d.messageID = m.Header.Get("Message-Id")
	d.subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	var walk func(h map[string][]string, body io.Reader)
	walk = func(h map[string][]string, body io.Reader) {
		header := netmail.Header(h)
		mt, params, _ := mime.ParseMediaType(header.Get("Content-Type"))
		if strings.HasPrefix(mt, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextPart()
				if err != nil {
					return
				}
				walk(p.Header, p) // multipart decodes quoted-printable itself
			}
		}
		data, _ := io.ReadAll(body)
		if strings.EqualFold(header.Get("Content-Transfer-Encoding"), "base64") {
			data, _ = io.ReadAll(base64Reader(data))
		}
		_, dp, _ := mime.ParseMediaType(header.Get("Content-Disposition"))
		switch {
		case dp["filename"] != "":
			d.attachments[dp["filename"]] = data
		case mt == "text/plain":
			d.text = string(data)
		}
	}
	walk(m.Header, m.Body)
	return d
}

func TestMessageReachesExactlyTheFilteredAudience(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(3, 0, 1)
	e.programmeItem(ev)
	group, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr("Kommunale Steuerung"), Capacity: ptr(10),
		Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
	if err != nil {
		t.Fatal(err)
	}
	register := func(first string, muni int64) registration.Registration {
		r, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: first, LastName: "Muster", Email: strings.ToLower(first) + "@example.org",
			MunicipalityID: &muni, PrivacyConsent: true}, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Only Anna is confirmed, from Ahlen and in the group.
	anna := register("Anna", e.ahlen.ID)
	bernd := register("Bernd", e.ahlen.ID)    // no group
	clara := register("Clara", e.coesfeld.ID) // other municipality
	dora := register("Dora", e.ahlen.ID)      // waiting list
	if dora.Status != registration.Waitlisted {
		t.Fatalf("Dora: %s", dora.Status)
	}
	for _, r := range []registration.Registration{anna, clara} {
		if _, err := e.wgs.Move(ctx, ev, r.ID, group.ID, false, audit.System); err != nil {
			t.Fatal(err)
		}
	}
	// The registrations queued confirmations; those are not this test's.
	if err := e.db.Gorm.Where("kind <> ?", outbox.OrganiserMessage).Delete(&outbox.Message{}).Error; err != nil {
		t.Fatal(err)
	}

	c := e.loggedIn()
	page := e.get(c, fmt.Sprintf("/admin/events/%d/messages/new", ev.ID))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("composer: %d", page.StatusCode)
	}
	key := formKeyField.FindStringSubmatch(page.Body)[1]
	path := fmt.Sprintf("/admin/events/%d/messages/new", ev.ID)
	fields := [][2]string{{"form_key", key}, {"status", "confirmed"}, {"municipality_id", fmt.Sprint(e.ahlen.ID)},
		{"working_group_id", fmt.Sprint(group.ID)}, {"subject", "Raum für die Arbeitsgruppe"},
		{"text", "Die Arbeitsgruppe tagt in **Raum 2**.\n\n- Lageplan im Anhang"}, {"include_programme", "1"}}

	// A file that is no PDF is refused; what was typed stays.
	r := e.composerPost(c, path, append(fields, [2]string{"action", "preview"}), map[string][]byte{"lageplan.pdf": []byte("GIF89a")})
	if r.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("GIF as PDF: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "ist keine PDF-Datei", "Raum für die Arbeitsgruppe", "tagt in **Raum 2**")

	// The preview counts, names and shows; the file waits in the draft.
	r = e.composerPost(c, path, append(fields, [2]string{"action", "preview"}), map[string][]byte{"lageplan.pdf": []byte(tinyPDF)})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d %s", r.StatusCode, r.Body)
	}
	mustContain(t, r.Body, "Die Nachricht geht an <strong>1 Person</strong>", "Anna Muster", "lageplan.pdf", "programm.pdf",
		"Guten Tag", "srcdoc=")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src-attr 'unsafe-inline'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("preview CSP %q", csp)
	}
	for _, other := range []string{"Bernd Muster", "Clara Muster", "Dora Muster"} {
		if strings.Contains(r.Body, other) {
			t.Errorf("preview names %s", other)
		}
	}
	if n := len(outboxRowsOf(t, e, outbox.OrganiserMessage)); n != 0 {
		t.Fatalf("the preview queued %d mails", n)
	}

	// Sending (without the file again: the draft has it), twice.
	for i := range 2 {
		r = e.composerPost(c, path, append(fields, [2]string{"action", "send"}), nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/admin/events/%d/messages", ev.ID) {
			t.Fatalf("send %d: %d %s", i, r.StatusCode, r.Body)
		}
	}
	rows := outboxRowsOf(t, e, outbox.OrganiserMessage)
	if len(rows) != 1 || *rows[0].RegistrationID != anna.ID {
		t.Fatalf("queued %+v", rows)
	}
	list := e.get(c, fmt.Sprintf("/admin/events/%d/messages", ev.ID))
	mustContain(t, list.Body, "Diese Nachricht wurde bereits gesendet.", "Raum für die Arbeitsgruppe",
		"Bestätigte Anmeldungen · Kommune: Stadt Ahlen · Arbeitsgruppe: Kommunale Steuerung", "1 wartend", `http-equiv="refresh"`)

	// Over real SMTP: Anna alone, with the programme and the plan.
	mb := startMailbox(t)
	if _, err := e.mailWorker(mb).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := mb.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails receivedMail, want 1", len(msgs))
	}
	got := parseMail(t, msgs[0])
	if got.to != "anna@example.org" || got.subject != "Raum für die Arbeitsgruppe" {
		t.Fatalf("mail to %s: %q", got.to, got.subject)
	}
	mustContain(t, got.text, "Guten Tag", "Anna Muster", "Die Arbeitsgruppe tagt in **Raum 2**.", "http://treffen.test/manage/")
	for _, name := range []string{"programm.pdf", "lageplan.pdf"} {
		if !bytes.HasPrefix(got.attachments[name], []byte("%PDF-")) {
			t.Errorf("attachment %s: %q", name, got.attachments[name][:min(8, len(got.attachments[name]))])
		}
	}
	list = e.get(c, fmt.Sprintf("/admin/events/%d/messages", ev.ID))
	mustContain(t, list.Body, "1 versendet")
	if strings.Contains(list.Body, `http-equiv="refresh"`) {
		t.Error("the list still reloads after everything is sent")
	}

	// Anna sees the message on her page and opens its file; Bernd does not.
	token, err := e.regs.IssueManageLink(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	mine := e.get(e.client(), "/manage/"+token)
	mustContain(t, mine.Body, "Nachrichten zu diesem Treffen", "Raum für die Arbeitsgruppe", "<strong>Raum 2</strong>")
	link := regexp.MustCompile(`/manage/[^"]+/messages/\d+/\d+`).FindString(mine.Body)
	if f := e.get(e.client(), link); f.StatusCode != http.StatusOK || !strings.HasPrefix(f.Body, "%PDF-") {
		t.Fatalf("file %s: %d", link, f.StatusCode)
	}
	if f := e.get(e.client(), "/manage/"+token+"/messages/"+fmt.Sprint(*rows[0].EventMessageID)+"/programm.pdf"); !strings.HasPrefix(f.Body, "%PDF-") {
		t.Fatalf("programme: %d", f.StatusCode)
	}
	berndToken, _ := e.regs.IssueManageLink(ctx, bernd.ID)
	if theirs := e.get(e.client(), "/manage/"+berndToken); strings.Contains(theirs.Body, "Raum für die Arbeitsgruppe") {
		t.Error("Bernd sees a message he did not get")
	}
	if f := e.get(e.client(), strings.Replace(link, token, berndToken, 1)); f.StatusCode != http.StatusNotFound {
		t.Errorf("Bernd opens Anna's file: %d", f.StatusCode)
	}

	// The API: list, one message, preview, and nobody to send to.
	doc, tok := e.openAPI(), e.token()
	l := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/messages", ev.ID), tok, nil)
	e.conform(doc, "GET /api/v1/events/{id}/messages", l)
	one := e.api(http.MethodGet, fmt.Sprintf("/api/v1/events/%d/messages/%d", ev.ID, *rows[0].EventMessageID), tok, nil)
	e.conform(doc, "GET /api/v1/events/{id}/messages/{mid}", one)
	var m struct {
		Recipients int
		Delivery   struct{ Sent, Pending, Failed int }
	}
	if err := json.Unmarshal([]byte(one.Body), &m); err != nil || m.Recipients != 1 || m.Delivery.Sent != 1 {
		t.Fatalf("message %s", one.Body)
	}
	in := map[string]any{"subject": "Parken", "text": "Bitte nutzen Sie das Parkhaus.", "filter": map[string]any{"status": "confirmed", "checked_in": false}}
	p := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/messages/preview", ev.ID), tok, in)
	e.conform(doc, "POST /api/v1/events/{id}/messages/preview", p)
	if !strings.Contains(p.Body, `"recipients":3`) || !strings.Contains(p.Body, "Bitte nutzen Sie das Parkhaus.") {
		t.Errorf("preview %s", p.Body)
	}
	none := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/messages", ev.ID), tok,
		map[string]any{"subject": "Niemand", "text": "x", "filter": map[string]any{"status": "waitlisted", "working_group_id": group.ID}})
	if none.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("nobody: %d %s", none.StatusCode, none.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/messages", none)
	sent := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/messages", ev.ID), tok, in)
	if sent.StatusCode != http.StatusCreated || !strings.Contains(sent.Body, `"recipients":3`) {
		t.Fatalf("API send: %d %s", sent.StatusCode, sent.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/messages", sent)
	if n := len(outboxRowsOf(t, e, outbox.OrganiserMessage)); n != 4 {
		t.Fatalf("%d message mails, want 4", n)
	}
}

func outboxRowsOf(t *testing.T, e *env, kind outbox.Kind) []outbox.Message {
	t.Helper()
	var rows []outbox.Message
	if err := e.db.Gorm.Where("kind = ?", kind).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func base64Reader(b []byte) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, bytes.NewReader(b))
}

// The programme can only be attached when the meeting has one: the mail
// would otherwise name a file it does not carry.
func TestMessageWithProgrammeNeedsAProgramme(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	if _, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Anna", LastName: "Muster", Email: "anna@example.org",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
		t.Fatal(err)
	}
	token := e.token()
	body := map[string]any{"subject": "Programm", "text": "Anbei das Programm.", "include_programme": true}
	wantError(t, e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/messages", ev.ID), token, body), http.StatusUnprocessableEntity, "invalid", "include_programme")
	c := e.loggedIn()
	r := e.postForm(c, fmt.Sprintf("/admin/events/%d/messages/new", ev.ID), url.Values{"subject": {"Programm"}, "text": {"Anbei das Programm."},
		"include_programme": {"1"}, "action": {"send"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("form send without programme: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Veranstaltung hat noch kein Programm", `value="Programm"`)
	e.programmeItem(ev)
	if r := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/messages", ev.ID), token, body); r.StatusCode != http.StatusCreated {
		t.Fatalf("with a programme: %d %s", r.StatusCode, r.Body)
	}
}
