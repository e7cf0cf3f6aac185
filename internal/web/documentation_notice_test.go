package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// documentationLink finds a participant's own link to the documentation
// in a mail.
var documentationLink = regexp.MustCompile(`http://treffen\.test(/manage/([A-Za-z0-9_-]{20,})/dokumentation)`)

// noticeMeeting is a held meeting with a documentation (unpublished), a
// public and a participant-only material, two confirmed participants
// (one checked in), a cancelled and a waiting one, and two contacts of
// Kreis Coesfeld, one of them unsubscribed.
func (e *env) noticeMeeting() (event.Event, map[string]registration.Registration) {
	e.t.Helper()
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	if _, err := e.archive.SaveDocumentation(ctx, ev.ID, archive.Input{Published: ptr(false)}, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	e.material(ev.ID, archive.Presentation, "Präsentation Stolz", tinyPDF, archive.Public)
	e.material(ev.ID, archive.Presentation, "Präsentation Wörmann", tinyPDF, archive.Participants)
	people := map[string]registration.Registration{}
	register := func(first, email string) {
		r, err := e.regs.Register(ctx, ev.ID, registration.Input{Salutation: "Frau", FirstName: first, LastName: "Bänke", Email: email,
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
		if err != nil {
			e.t.Fatal(err)
		}
		people[first] = r
	}
	register("Anna", "anna@ahlen.example")
	register("Berta", "berta@ahlen.example")
	register("Clara", "clara@ahlen.example")
	if _, err := e.regs.Cancel(ctx, people["Clara"].ID, audit.System); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.events.Update(ctx, ev.ID, event.Input{Capacity: ptr(2)}); err != nil {
		e.t.Fatal(err)
	}
	register("Dora", "dora@ahlen.example")
	if people["Dora"].Status != registration.Waitlisted {
		e.t.Fatalf("Dora: %s", people["Dora"].Status)
	}
	if _, err := e.checkins.Record(ctx, ev, people["Anna"], ev.Days[0], nil); err != nil {
		e.t.Fatal(err)
	}
	contacts := contact.NewStore(e.db.Gorm)
	for _, in := range []contact.Input{
		{MunicipalityID: e.coesfeld.ID, Name: "Erika Kontakt", Email: "koordination@coesfeld.example", Function: "Koordination"},
		{MunicipalityID: e.coesfeld.ID, Name: "Fritz Abgemeldet", Email: "jugendamt@coesfeld.example", Function: "Jugendamt"},
	} {
		c, err := contacts.Create(ctx, in)
		if err != nil {
			e.t.Fatal(err)
		}
		if c.Name == "Fritz Abgemeldet" {
			token, _ := contacts.IssueLink(ctx, c.ID)
			if _, err := contacts.Unsubscribe(ctx, token); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	return ev, people
}

// An organiser publishes the documentation and sends the notice from the
// editor: each confirmed participant gets a mail with the public page,
// the teaser and their own link to the participant-only material; the
// contact that is subscribed gets the public page and an unsubscribe
// link. Cancelled, waiting and unsubscribed people get nothing; sending
// again sends nothing and says so; an unpublished documentation is
// refused, in the editor and in the API.
func TestDocumentationNoticeReachesEachOnce(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ctx := context.Background()
	ev, people := e.noticeMeeting()
	org := e.loggedIn()
	token := e.token()
	doc := e.openAPI()
	editor := fmt.Sprintf("/admin/events/%d/documentation", ev.ID)
	apiPath := fmt.Sprintf("/api/v1/events/%d/documentation/notice", ev.ID)

	// Unpublished: the section says what to do first; sending is refused.
	mustContain(t, e.get(org, editor).Body, "Sobald die Dokumentation veröffentlicht ist")
	r := e.api(http.MethodPost, apiPath, token, map[string]bool{"contacts": true})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "noch nicht veröffentlicht") {
		t.Fatalf("unpublished, API: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/documentation/notice", r)
	if r := e.postForm(org, editor+"/notice", url.Values{"contacts": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("unpublished, form: %d", r.StatusCode)
	}
	mustContain(t, e.get(org, editor).Body, "Die Dokumentation ist noch nicht veröffentlicht.")
	if n := e.kinds(ev.ID)[outbox.DocumentationNotice]; n != 0 {
		t.Fatalf("%d notices queued for an unpublished documentation", n)
	}

	// Published through the editor, the section counts who would get it.
	teaser := "Die Vertreterinnen und Vertreter der 40 Programmkommunen kamen in Köln zusammen."
	if r := e.postForm(org, editor, url.Values{"teaser": {teaser}, "report": {"## Begrüßung\n\nText."}, "published": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.StatusCode, r.Body)
	}
	page := e.get(org, editor)
	mustContain(t, page.Body, `<h2 id="benachrichtigen">Teilnehmende benachrichtigen</h2>`,
		"„Die Dokumentation des 17. Lernnetzwerktreffens ist online“",
		"<strong>2</strong> von 2 bestätigten Anmeldungen erhalten sie", "<strong>1</strong> Kontakte des Netzwerks erhalten sie, wenn angekreuzt", "1 abgemeldet",
		"Beim Treffen wurde eingecheckt: 1 von 2 bestätigten Anmeldungen. Die Benachrichtigung geht trotzdem an alle bestätigten Anmeldungen",
		`name="contacts" value="1"`, "Benachrichtigung senden")
	reach := e.api(http.MethodGet, apiPath, token, nil)
	if !strings.Contains(reach.Body, `"confirmed":2,"checked_in":1,"participants":2,"skipped_participants":0,"contacts":1,"skipped_contacts":0,"unsubscribed":1`) {
		t.Errorf("reach: %s", reach.Body)
	}
	e.conform(doc, "GET /api/v1/events/{id}/documentation/notice", reach)

	// Sent with the contacts ticked.
	if r := e.postForm(org, editor+"/notice", url.Values{"contacts": {"1"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != editor+"#benachrichtigen" {
		t.Fatalf("send: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page = e.get(org, editor)
	mustContain(t, page.Body, "Die Benachrichtigung „Dokumentation online“ wird versandt an 2 Teilnehmende und 1 Kontakt des Netzwerks. 1 Kontakt hat sich abgemeldet und erhält nichts.",
		`<progress max="3" value="0"`, `<strong data-count="pending">3</strong> wartend`)
	deliveries := e.deliveries(mb)
	progress := e.get(org, editor+"/notice/progress.json")
	if progress.Body != `{"sent":3,"logged":0,"pending":0,"failed":0,"total":3}` {
		t.Errorf("progress: %s", progress.Body)
	}
	var notices []deliveredMail
	for _, d := range deliveries {
		if strings.Contains(d.Subject, "Dokumentation") {
			notices = append(notices, d)
		}
	}
	var to []string
	for _, d := range notices {
		to = append(to, d.To)
		if d.Subject != "Die Dokumentation des 17. Lernnetzwerktreffens ist online" {
			t.Errorf("subject to %s: %q", d.To, d.Subject)
		}
		mustContain(t, d.Text, "die Online-Dokumentation des 17. Lernnetzwerktreffens ist veröffentlicht.", teaser,
			fmt.Sprintf("http://treffen.test/events/%d#h-doku", ev.ID))
	}
	sort.Strings(to)
	if strings.Join(to, " ") != "anna@ahlen.example berta@ahlen.example koordination@coesfeld.example" {
		t.Fatalf("notices went to %v", to)
	}

	// Each participant's mail opens their own documentation page with the
	// participant-only material.
	tokens := map[string]bool{}
	for _, first := range []string{"Anna", "Berta"} {
		m := e.mailsTo(notices, people[first].Email)[0]
		mustContain(t, m.Text, "Sehr geehrte Frau Bänke", "Ein Material ist nur für Teilnehmende bestimmt", "Status:        Bestätigt")
		link := documentationLink.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no documentation link in the mail to %s:\n%s", first, m.Text)
		}
		tokens[link[2]] = true
		own := e.get(e.client(), link[1])
		if own.StatusCode != http.StatusOK {
			t.Fatalf("%s's link: %d", first, own.StatusCode)
		}
		mustContain(t, own.Body, "("+first+" Bänke)", "Präsentation Wörmann")
	}
	if len(tokens) != 2 {
		t.Error("the participants' mails carry the same link")
	}

	// The contact's mail: the public page and a working unsubscribe link,
	// no manage link.
	raw := mb.messages()
	var unsubscribe string
	for _, d := range readMails(t, raw) {
		if d.To == "koordination@coesfeld.example" {
			unsubscribe = d.Unsubscribe
		}
	}
	contactMail := e.mailsTo(notices, "koordination@coesfeld.example")[0]
	mustContain(t, contactMail.Text, "Guten Tag Erika Kontakt", "Kreis Coesfeld (Koordination)", "Keine Einladungen und Nachrichten des",
		"http://treffen.test"+unsubscribe)
	if strings.Contains(contactMail.Text, "/manage") || !strings.HasPrefix(unsubscribe, "/abmelden/") {
		t.Fatalf("contact's mail (List-Unsubscribe %q):\n%s", unsubscribe, contactMail.Text)
	}

	// The stored mails keep no secret link; the log names their purpose.
	var stored []outbox.Message
	if err := e.db.Gorm.Where("kind = ?", outbox.DocumentationNotice).Find(&stored).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range stored {
		for tok := range tokens {
			if strings.Contains(m.TextBody, tok) || strings.Contains(m.HTMLBody, tok) {
				t.Errorf("stored mail to %s keeps the manage link", m.Recipient)
			}
		}
		if m.RegistrationID != nil && !strings.Contains(m.TextBody, "/manage/[Link entfernt]/dokumentation") {
			t.Errorf("stored mail to %s:\n%s", m.Recipient, m.TextBody)
		}
	}
	mustContain(t, e.get(org, fmt.Sprintf("/admin/mails?event=%d", ev.ID)).Body, "Dokumentation online")

	// Again: nothing new, and the organiser is told why.
	if r := e.postForm(org, editor+"/notice", url.Values{"contacts": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second send: %d", r.StatusCode)
	}
	mustContain(t, e.get(org, editor).Body, "Keine neuen Benachrichtigungen: Alle wurden bereits benachrichtigt. Übersprungen, weil schon benachrichtigt: 2 Teilnehmende und 1 Kontakt.")
	r = e.api(http.MethodPost, apiPath, token, map[string]bool{"contacts": true})
	if r.StatusCode != http.StatusAccepted || !strings.Contains(r.Body, `"queued":0,"skipped":3`) {
		t.Fatalf("API send again: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/documentation/notice", r)
	if again := e.deliveries(mb); len(again) != len(deliveries) {
		t.Fatalf("sending again delivered %d more mails", len(again)-len(deliveries))
	}

	// The contact's unsubscribe link works.
	if r := e.postForm(e.client(), unsubscribe, url.Values{"List-Unsubscribe": {"One-Click"}}); r.StatusCode >= 400 {
		t.Fatalf("unsubscribe: %d", r.StatusCode)
	}
	if c, _ := contact.NewStore(e.db.Gorm).List(ctx, e.coesfeld.ID); c[0].Subscribed() || c[1].Subscribed() {
		t.Error("the contact is still subscribed")
	}
}

// The worker looks again when a notice is due: a registration cancelled
// or a contact unsubscribed since it was queued gets nothing, and a
// documentation withdrawn meanwhile is announced to nobody.
func TestDocumentationNoticeLooksAgainWhenSent(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ctx := context.Background()
	ev, people := e.noticeMeeting()
	e.deliveries(mb) // the registration mails
	before := len(mb.messages())
	if _, err := e.archive.SaveDocumentation(ctx, ev.ID, archive.Input{Published: ptr(true)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n, err := e.archive.SendNotice(ctx, ev.ID, true, time.Now()); err != nil || n.Queued() != 3 {
		t.Fatalf("send: %+v, %v", n, err)
	}
	if _, err := e.regs.Cancel(ctx, people["Anna"].ID, audit.System); err != nil {
		t.Fatal(err)
	}
	contacts := contact.NewStore(e.db.Gorm)
	list, _ := contacts.List(ctx, e.coesfeld.ID)
	for _, c := range list {
		if c.Subscribed() {
			token, _ := contacts.IssueLink(ctx, c.ID)
			if _, err := contacts.Unsubscribe(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := e.deliveries(mb)[before:]
	var to []string
	for _, d := range got {
		if strings.Contains(d.Subject, "Dokumentation") {
			to = append(to, d.To)
		}
	}
	if strings.Join(to, " ") != "berta@ahlen.example" {
		t.Fatalf("notices went to %v, want Berta only", to)
	}
	reasons := map[string]string{}
	var stored []outbox.Message
	if err := e.db.Gorm.Where("kind = ?", outbox.DocumentationNotice).Find(&stored).Error; err != nil {
		t.Fatal(err)
	}
	for _, m := range stored {
		reasons[m.Recipient] = string(m.Status) + ": " + m.LastError
	}
	if !strings.Contains(reasons["anna@ahlen.example"], "nicht mehr bestätigt") || !strings.Contains(reasons["koordination@coesfeld.example"], "abgemeldet") {
		t.Errorf("reasons: %v", reasons)
	}

	// Withdrawn before it is due: nobody is told.
	other := e.pastMeeting(18, "2017-11-29")
	r, err := e.regs.Register(ctx, other.ID, registration.Input{FirstName: "Gerd", LastName: "Muster", Email: "gerd@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	e.deliveries(mb)
	if _, err := e.archive.SendNotice(ctx, other.ID, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.archive.SaveDocumentation(ctx, other.ID, archive.Input{Published: ptr(false)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, d := range e.mailsTo(e.deliveries(mb), r.Email) {
		if strings.Contains(d.Subject, "Dokumentation") {
			t.Fatalf("notice about a withdrawn documentation sent: %q", d.Subject)
		}
	}
	var m outbox.Message
	if err := e.db.Gorm.Where("kind = ? AND registration_id = ?", outbox.DocumentationNotice, r.ID).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	if m.Status != outbox.Failed || !strings.Contains(m.LastError, "nicht mehr veröffentlicht") {
		t.Errorf("withdrawn: %s %q", m.Status, m.LastError)
	}
}
