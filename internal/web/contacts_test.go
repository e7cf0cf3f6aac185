package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

var registerLink = regexp.MustCompile(`http://treffen\.test(/events/\d+/register\?kommune=(\d+))`)

// delivered is a received mail's recipient, List-Unsubscribe address
// (relative) and text, decoded.
type delivered struct {
	To, Unsubscribe, Subject, Text string
}

func readMails(t *testing.T, raw [][]byte) []delivered {
	t.Helper()
	var out []delivered
	for _, b := range raw {
		m, err := netmail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var dec mime.WordDecoder
		subject, _ := dec.DecodeHeader(m.Header.Get("Subject"))
		to, _ := m.Header.AddressList("To")
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(m.Body)
		// The quoted-printable text is enough to find links: undo soft breaks.
		text := strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(body.String())
		d := delivered{To: to[0].Address, Subject: subject, Text: text}
		if lu := m.Header.Get("List-Unsubscribe"); lu != "" {
			d.Unsubscribe = strings.TrimPrefix(strings.Trim(lu, "<>"), "http://treffen.test")
			if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("mail to %s without List-Unsubscribe-Post", d.To)
			}
		}
		out = append(out, d)
	}
	return out
}

// network creates n municipalities with 3 contacts each (besides the
// env's Ahlen and Coesfeld, which get none).
func (e *env) network(n int) map[string]int64 {
	e.t.Helper()
	ctx := context.Background()
	contacts := contact.NewStore(e.db.Gorm)
	muniOf := map[string]int64{}
	for i := range n {
		m, err := e.munis.Create(ctx, municipality.Input{Name: fmt.Sprintf("Kreis Beispiel %02d", i)})
		if err != nil {
			e.t.Fatal(err)
		}
		for j, fn := range []string{"Koordination", "Jugendamt", "Gesundheitsamt"} {
			c, err := contacts.Create(ctx, contact.Input{MunicipalityID: m.ID, Name: fmt.Sprintf("Person %d-%d", i, j),
				Email: fmt.Sprintf("p%d.%d@beispiel%02d.example", i, j, i), Function: fn})
			if err != nil {
				e.t.Fatal(err)
			}
			muniOf[c.Email] = m.ID
		}
	}
	return muniOf
}

// An organiser invites 40 municipalities × 3 contacts from the overview:
// 120 mails over SMTP, each linking the form with the contact's
// municipality chosen; sending again sends none and says so. A one-click
// unsubscribe from another site, without cookies, holds: no follow-up
// and no invitation to the next meeting for that contact. The follow-up
// goes only to municipalities without a registration.
func TestInvitationsUnsubscribeAndFollowUp(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	w := e.mailWorker(mb)
	ctx := context.Background()
	muniOf := e.network(40)
	ev := e.event(100, 0, 1)
	org := e.loggedIn()

	r := e.postForm(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID), url.Values{"scope": {"all"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d %s", r.StatusCode, r.Body)
	}
	page := e.get(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID))
	mustContain(t, page.Body, "120 Einladungen werden versandt.", `<progress max="120" value="0"`,
		`<strong data-count="pending">120</strong> wartend`, `src="/static/progress.js"`)
	progress := fmt.Sprintf("/admin/events/%d/invitations/progress.json", ev.ID)
	if r := e.get(org, progress); r.StatusCode != http.StatusOK || r.Body != `{"sent":0,"logged":0,"pending":120,"failed":0,"total":120}` {
		t.Errorf("progress before sending: %d %s", r.StatusCode, r.Body)
	}
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if r := e.get(org, progress); r.Body != `{"sent":120,"logged":0,"pending":0,"failed":0,"total":120}` {
		t.Errorf("progress after sending: %s", r.Body)
	}
	// Done: the counts stay, nothing polls any more.
	page = e.get(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID))
	mustContain(t, page.Body, `<progress max="120" value="120"`, `<strong data-count="sent">120</strong>`)
	if strings.Contains(page.Body, `src="/static/progress.js"`) || strings.Contains(page.Body, "data-pending") || strings.Contains(page.Body, "nicht zugestellt") {
		t.Error("the finished progress still polls, or calls mails sent over SMTP undelivered")
	}
	mails := readMails(t, mb.messages())
	if len(mails) != 120 {
		t.Fatalf("%d mails, want 120", len(mails))
	}
	anon := e.client()
	seen := map[string]bool{}
	for i, m := range mails {
		if seen[m.To] {
			t.Errorf("%s invited twice", m.To)
		}
		seen[m.To] = true
		link := registerLink.FindStringSubmatch(m.Text)
		if link == nil || link[2] != strconv.FormatInt(muniOf[m.To], 10) {
			t.Fatalf("mail to %s (municipality %d) links %v", m.To, muniOf[m.To], link)
		}
		if !strings.HasPrefix(m.Subject, "Einladung zum 17. Lernnetzwerktreffen am ") || m.Unsubscribe == "" {
			t.Errorf("mail to %s: %q, unsubscribe %q", m.To, m.Subject, m.Unsubscribe)
		}
		if i%10 == 0 { // the form opens with the municipality chosen
			form := e.get(anon, link[1])
			mustContain(t, form.Body, fmt.Sprintf(`<option value="%d" selected>`, muniOf[m.To]))
		}
	}

	// Sending again: none, and the page says how many were skipped.
	e.postForm(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID), url.Values{"scope": {"all"}})
	page = e.get(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID))
	mustContain(t, page.Body, "Keine neuen Einladungen: Alle 120 Kontakte wurden bereits eingeladen.")
	if n, _ := w.Drain(ctx); n != 0 {
		t.Fatalf("sending again delivered %d", n)
	}

	// A link scanner's GET unsubscribes nobody.
	victim := mails[0]
	r = e.get(anon, victim.Unsubscribe)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET unsubscribe page: %d", r.StatusCode)
	}
	// The page names everything a contact stops getting.
	mustContain(t, r.Body, "Keine Einladungen und Nachrichten mehr erhalten", "Einladungen zu den Treffen",
		"wenn sich aus Ihrer Kommune noch niemand angemeldet hat", "wenn die Dokumentation eines Treffens online ist")
	if list, _ := contact.NewStore(e.db.Gorm).List(ctx, muniOf[victim.To]); !allSubscribed(list) {
		t.Fatal("GET unsubscribed")
	}
	// The mail provider's one-click POST: another origin, no cookies.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+victim.Unsubscribe, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.provider.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := e.do(http.DefaultClient, req); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Sie sind abgemeldet") {
		t.Fatalf("one-click: %d %s", r.StatusCode, r.Body)
	}
	// Only that route is exempt from the cross-origin check.
	for _, path := range []string{victim.Unsubscribe + "/wieder", "/admin/contacts", "/manage"} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://mail.provider.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := e.do(http.DefaultClient, req); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "fremden Website") {
			t.Errorf("cross-site POST %s: %d", path, r.StatusCode)
		}
	}

	// Somebody of 10 municipalities (not the victim's) registers: the
	// follow-up goes to the other 30 municipalities' contacts, but not to
	// the victim.
	registered := map[int64]bool{}
	for _, m := range mails {
		id := muniOf[m.To]
		if len(registered) == 10 || registered[id] || id == muniOf[victim.To] {
			continue
		}
		registered[id] = true
		if _, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Rita", LastName: fmt.Sprint(id), Email: fmt.Sprintf("rita%d@example.org", id),
			MunicipalityID: &id, PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	overview := e.get(org, fmt.Sprintf("/admin/events/%d/invitations", ev.ID))
	mustContain(t, overview.Body, "Geht nur an die Kontakte der 32 Kommunen", "(89 Kontakte)", `class="nobody"`, "niemand angemeldet")
	before := len(mb.messages())
	e.postForm(org, fmt.Sprintf("/admin/events/%d/follow-up", ev.ID), url.Values{"scope": {"all"}})
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	followUps := 0
	for _, m := range readMails(t, mb.messages()[before:]) {
		if !strings.HasPrefix(m.Subject, "Erinnerung an die Anmeldung") {
			continue // the registrations' confirmations
		}
		followUps++
		if registered[muniOf[m.To]] || m.To == victim.To {
			t.Errorf("follow-up to %s, whose municipality has a registration", m.To)
		}
	}
	if followUps != 89 {
		t.Errorf("%d follow-ups, want 89", followUps)
	}

	// The next meeting's invitation skips the unsubscribed contact.
	next := e.event(100, 0, 1)
	before = len(mb.messages())
	e.postForm(org, fmt.Sprintf("/admin/events/%d/invitations", next.ID), url.Values{"scope": {"all"}})
	mustContain(t, e.get(org, fmt.Sprintf("/admin/events/%d/invitations", next.ID)).Body, "119 Einladungen werden versandt. 1 abgemeldete Kontakte erhalten nichts.")
	if _, err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range readMails(t, mb.messages()[before:]) {
		if m.To == victim.To {
			t.Fatal("the unsubscribed contact was invited again")
		}
	}
}

func allSubscribed(list []contact.Contact) bool {
	for _, c := range list {
		if !c.Subscribed() {
			return false
		}
	}
	return true
}

// coordinator logs in a coordinator of municipality m.
func (e *env) coordinator(email string, m int64) *http.Client {
	e.t.Helper()
	if _, err := e.users.Create(context.Background(), account.NewUser{Email: email, Password: organiserPassword, Role: account.Coordinator, MunicipalityID: &m}); err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	if r := e.postForm(c, "/login", url.Values{"email": {email}, "password": {organiserPassword}}); r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d", email, r.StatusCode)
	}
	return c
}

func TestCoordinatorKeepsOnlyOwnContacts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	contacts := contact.NewStore(e.db.Gorm)
	other, err := contacts.Create(ctx, contact.Input{MunicipalityID: e.coesfeld.ID, Name: "Carl Coesfeld", Email: "carl@coesfeld.example"})
	if err != nil {
		t.Fatal(err)
	}
	k := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	// A form that names another municipality still adds to the own one.
	r := e.postForm(k, "/portal/contacts", url.Values{"name": {"Anna Ahlen"}, "email": {"anna@ahlen.example"}, "function": {"Jugendamt"},
		"municipality_id": {strconv.FormatInt(e.coesfeld.ID, 10)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d %s", r.StatusCode, r.Body)
	}
	own, _ := contacts.List(ctx, e.ahlen.ID)
	if len(own) != 1 || own[0].Email != "anna@ahlen.example" {
		t.Fatalf("Ahlen's contacts: %+v", own)
	}
	page := e.get(k, "/portal/contacts")
	mustContain(t, page.Body, "anna@ahlen.example", "Kontakte für Einladungen: Stadt Ahlen")
	if strings.Contains(page.Body, "carl@coesfeld.example") {
		t.Error("the portal shows another municipality's contact")
	}
	cid := strconv.FormatInt(other.ID, 10)
	for _, r := range []response{
		e.get(k, "/portal/contacts/"+cid),
		e.postForm(k, "/portal/contacts/"+cid, url.Values{"name": {"Übernommen"}, "email": {"x@ahlen.example"}}),
		e.postForm(k, "/portal/contacts/"+cid+"/delete", nil),
		e.get(k, "/admin/contacts"),
		e.get(k, "/admin/contacts/"+cid),
	} {
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator reached another municipality's contact: %d", r.StatusCode)
		}
		if strings.Contains(r.Body, "carl@coesfeld.example") {
			t.Error("answer shows the other contact")
		}
	}
	if got, _ := contacts.Get(ctx, other.ID); got.Name != "Carl Coesfeld" {
		t.Fatalf("other contact changed: %+v", got)
	}
	// Own contact: edit with a mistake keeps the typed values.
	r = e.postForm(k, fmt.Sprintf("/portal/contacts/%d", own[0].ID), url.Values{"name": {"Anna Ahlen-Neu"}, "email": {"anna-at-ahlen"}, "function": {"Koordination"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: %d", r.StatusCode)
	}
	mustContain(t, r.Body, `value="Anna Ahlen-Neu"`, `value="anna-at-ahlen"`, `value="Koordination"`, "Bitte geben Sie eine gültige E-Mail-Adresse an")
}

func TestOrganiserContactsFormAndImport(t *testing.T) {
	e := newEnv(t)
	org := e.loggedIn()
	r := e.postForm(org, "/admin/contacts", url.Values{"municipality_id": {strconv.FormatInt(e.ahlen.ID, 10)}, "name": {"Anna Ahlen"}, "email": {"Anna@Ahlen.example"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", r.StatusCode)
	}
	// The same address again: refused with the values kept.
	r = e.postForm(org, "/admin/contacts", url.Values{"municipality_id": {strconv.FormatInt(e.ahlen.ID, 10)}, "name": {"Anna Zwei"}, "email": {"anna@ahlen.example"}, "function": {"Jugendamt"}})
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("duplicate: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "ist für diese Kommune bereits eingetragen", `value="Anna Zwei"`, `value="Jugendamt"`)
	r = e.postForm(org, "/admin/contacts", url.Values{"name": {""}, "email": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte wählen Sie die Kommune.", "Bitte geben Sie den Namen an", "Bitte geben Sie eine E-Mail-Adresse an.")

	csv := "\xef\xbb\xbfKommune;Name;E-Mail;Funktion\nStadt Ahlen;Bernd;bernd@ahlen.example;Jugendamt\nCoesfeld;Cora;cora@coesfeld;\nStadt Ahlen;;x@ahlen.example;\n"
	r = e.upload(org, "/admin/contacts/import", nil, "kontakte.csv", []byte(csv))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("import: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "1 neu eingetragen, 0 bereits vorhanden, 2 Fehler", "Zeile 3 (E-Mail): Bitte geben Sie eine gültige E-Mail-Adresse an", "Zeile 4 (Name): Bitte geben Sie den Namen an")
	page := e.get(org, fmt.Sprintf("/admin/contacts?kommune=%d", e.ahlen.ID))
	mustContain(t, page.Body, "anna@ahlen.example", "bernd@ahlen.example", "Stadt Ahlen: 2 Kontakte")
}

// An organiser may opt an unsubscribed contact in again only with a note
// of the person's request; the person can do it with their own link.
func TestResubscribeNeedsANote(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	contacts := contact.NewStore(e.db.Gorm)
	ct, _ := contacts.Create(ctx, contact.Input{MunicipalityID: e.ahlen.ID, Name: "Anna", Email: "anna@ahlen.example"})
	token, _ := contacts.IssueLink(ctx, ct.ID)
	anon := e.client()
	if r := e.postForm(anon, "/abmelden/"+token, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("unsubscribe: %d", r.StatusCode)
	}
	org := e.loggedIn()
	path := fmt.Sprintf("/admin/contacts/%d", ct.ID)
	mustContain(t, e.get(org, path).Body, "abgemeldet", "nur, wenn sie selbst darum gebeten hat")
	if r := e.postForm(org, path+"/resubscribe", url.Values{"note": {""}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without note: %d", r.StatusCode)
	}
	if got, _ := contacts.Get(ctx, ct.ID); got.Subscribed() {
		t.Fatal("resubscribed without a note")
	}
	if r := e.postForm(org, path+"/resubscribe", url.Values{"note": {"Am 12.03. per E-Mail gebeten"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("with note: %d", r.StatusCode)
	}
	if got, _ := contacts.Get(ctx, ct.ID); !got.Subscribed() || !strings.Contains(got.ResubscribeNote, "Am 12.03. per E-Mail gebeten") {
		t.Fatalf("after note: %+v", got)
	}
	// Unsubscribed again, the person opts in with their own link.
	e.postForm(anon, "/abmelden/"+token, nil)
	if r := e.postForm(anon, "/abmelden/"+token+"/wieder", nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Sie sind wieder angemeldet") {
		t.Fatalf("own link: %d", r.StatusCode)
	}
	if r := e.get(anon, "/abmelden/"+strings.Repeat("x", 43)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("made-up link: %d", r.StatusCode)
	}
}

func TestRegisterFormPreselectsMunicipality(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	c := e.client()
	r := e.get(c, fmt.Sprintf("/events/%d/register?kommune=%d", ev.ID, e.coesfeld.ID))
	mustContain(t, r.Body, fmt.Sprintf(`<option value="%d" selected>`, e.coesfeld.ID))
	if strings.Contains(r.Body, fmt.Sprintf(`<option value="%d" selected>`, e.ahlen.ID)) {
		t.Error("another municipality selected too")
	}
	for _, q := range []string{"999999", "abc", "", "-1"} {
		r := e.get(c, fmt.Sprintf("/events/%d/register?kommune=%s", ev.ID, q))
		if r.StatusCode != http.StatusOK || strings.Contains(r.Body, fmt.Sprintf(`<option value="%d" selected>`, e.ahlen.ID)) ||
			strings.Contains(r.Body, fmt.Sprintf(`<option value="%d" selected>`, e.coesfeld.ID)) {
			t.Errorf("kommune=%s: %d", q, r.StatusCode)
		}
	}
}

func TestContactsAPIConformsToOpenAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.event(10, 0, 1)
	id := strconv.FormatInt(ev.ID, 10)
	created := e.api(http.MethodPost, "/api/v1/contacts", token, map[string]any{"municipality_id": e.ahlen.ID, "name": "Anna Ahlen", "email": "anna@ahlen.example", "function": "Jugendamt"})
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", created.StatusCode, created.Body)
	}
	e.conform(doc, "POST /api/v1/contacts", created)
	e.conform(doc, "POST /api/v1/contacts", e.api(http.MethodPost, "/api/v1/contacts", token, map[string]any{"municipality_id": e.ahlen.ID, "name": "Anna", "email": "ANNA@ahlen.example"}))
	e.conform(doc, "POST /api/v1/contacts", e.api(http.MethodPost, "/api/v1/contacts", token, map[string]any{"municipality_id": e.ahlen.ID, "name": "", "email": "kaputt"}))
	e.conform(doc, "POST /api/v1/contacts", e.api(http.MethodPost, "/api/v1/contacts", token, `{"nam": 1}`))
	e.conform(doc, "GET /api/v1/contacts", e.api(http.MethodGet, "/api/v1/contacts", token, nil))
	e.conform(doc, "GET /api/v1/contacts", e.api(http.MethodGet, fmt.Sprintf("/api/v1/contacts?municipality_id=%d", e.ahlen.ID), token, nil))
	e.conform(doc, "GET /api/v1/contacts", e.api(http.MethodGet, "/api/v1/contacts?municipality_id=x", token, nil))
	var cid string
	if m := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(created.Body); m != nil {
		cid = m[1]
	}
	e.conform(doc, "GET /api/v1/contacts/{cid}", e.api(http.MethodGet, "/api/v1/contacts/"+cid, token, nil))
	e.conform(doc, "GET /api/v1/contacts/{cid}", e.api(http.MethodGet, "/api/v1/contacts/999999", token, nil))
	patched := e.api(http.MethodPatch, "/api/v1/contacts/"+cid, token, map[string]any{"function": "Koordination"})
	if !strings.Contains(patched.Body, `"function":"Koordination"`) || !strings.Contains(patched.Body, `"name":"Anna Ahlen"`) {
		t.Errorf("patch: %s", patched.Body)
	}
	e.conform(doc, "PATCH /api/v1/contacts/{cid}", patched)
	e.conform(doc, "PATCH /api/v1/contacts/{cid}", e.api(http.MethodPatch, "/api/v1/contacts/"+cid, token, map[string]any{"email": ""}))
	e.conform(doc, "POST /api/v1/contacts/{cid}/resubscribe", e.api(http.MethodPost, "/api/v1/contacts/"+cid+"/resubscribe", token, map[string]any{"note": ""}))
	e.conform(doc, "POST /api/v1/contacts/{cid}/resubscribe", e.api(http.MethodPost, "/api/v1/contacts/"+cid+"/resubscribe", token, map[string]any{"note": "Per Telefon am 3.5."}))

	sent := e.api(http.MethodPost, "/api/v1/events/"+id+"/invitations", token, nil)
	if !strings.Contains(sent.Body, `"queued":1`) {
		t.Errorf("invite: %s", sent.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/invitations", sent)
	e.conform(doc, "POST /api/v1/events/{id}/invitations", e.api(http.MethodPost, "/api/v1/events/"+id+"/invitations", token, map[string]any{"municipality_ids": []int64{e.ahlen.ID}}))
	e.conform(doc, "POST /api/v1/events/{id}/invitations", e.api(http.MethodPost, "/api/v1/events/"+id+"/invitations", token, map[string]any{"municipality_ids": []int64{}}))
	e.conform(doc, "POST /api/v1/events/{id}/follow-ups", e.api(http.MethodPost, "/api/v1/events/"+id+"/follow-ups", token, map[string]any{}))
	overview := e.api(http.MethodGet, "/api/v1/events/"+id+"/invitations", token, nil)
	if !strings.Contains(overview.Body, `"invited":1`) || !strings.Contains(overview.Body, `"followed_up":1`) {
		t.Errorf("overview: %s", overview.Body)
	}
	e.conform(doc, "GET /api/v1/events/{id}/invitations", overview)
	draft := e.api(http.MethodPatch, "/api/v1/events/"+id, token, map[string]any{"status": "draft"})
	if draft.StatusCode != http.StatusOK {
		t.Fatalf("draft: %s", draft.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/invitations", e.api(http.MethodPost, "/api/v1/events/"+id+"/invitations", token, nil))
	if r := e.api(http.MethodDelete, "/api/v1/contacts/"+cid, token, nil); r.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d", r.StatusCode)
	}
	e.conform(doc, "DELETE /api/v1/contacts/{cid}", e.api(http.MethodDelete, "/api/v1/contacts/"+cid, token, nil))
}
