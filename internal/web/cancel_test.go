package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/registration"
)

// deliveredMail is one mail the mailbox accepted: subject, text and the
// calendar attachment, if any.
type deliveredMail struct {
	To, Subject, Text, Calendar string
	outbox                      int // the outbox row, from the Message-ID: the order they were queued in
}

// deliveries sends what is due and returns every mail the mailbox has.
func (e *env) deliveries(mb *mailbox) []deliveredMail {
	e.t.Helper()
	if _, err := e.mailWorker(mb).Drain(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	var out []deliveredMail
	for _, raw := range mb.messages() {
		m := parseMail(e.t, raw)
		d := deliveredMail{To: m.to, Subject: m.subject, Text: m.text}
		for name, data := range m.attachments {
			if strings.HasSuffix(name, ".ics") {
				d.Calendar = string(data)
			}
		}
		_, _ = fmt.Sscanf(m.messageID, "<outbox-%d.", &d.outbox)
		out = append(out, d)
	}
	// Several connections deliver at once; queued order is outbox order.
	sort.SliceStable(out, func(i, j int) bool { return out[i].outbox < out[j].outbox })
	return out
}

func (e *env) mailsTo(all []deliveredMail, addr string) []deliveredMail {
	var out []deliveredMail
	for _, d := range all {
		if strings.Contains(d.To, addr) {
			out = append(out, d)
		}
	}
	return out
}

func TestCancelAsksFirstAndHonoursTheMailChoice(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ctx := context.Background()
	ev := e.event(1, 0, 2)
	c := e.loggedIn()
	erika := e.person(ev.ID, "Erika", "Müller", "erika@ahlen.example", &e.ahlen.ID)
	moser := e.person(ev.ID, "Max", "Moser", "max@coesfeld.example", &e.coesfeld.ID)
	if moser.Status != registration.Waitlisted {
		t.Fatalf("max: %s", moser.Status)
	}
	e.deliveries(mb) // the confirmation and the waiting-list mail

	// The list links to the confirmation page, which names the person,
	// the status, the days and who waits, and mails by default.
	list := e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID))
	confirmPath := fmt.Sprintf("/admin/events/%d/registrations/%d/cancel", ev.ID, erika.ID)
	mustContain(t, list.Body, `href="`+confirmPath+`"`)
	page := e.get(c, confirmPath)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("confirmation page: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "Anmeldung von Erika Müller (Stadt Ahlen) stornieren?", "Bestätigt", ev.Days[1].GermanLong(),
		"1 Person wartet", "Erika Müller per E-Mail über die Stornierung informieren", `name="notify" value="1" checked`,
		"kommunale Koordination erhält wie gewohnt eine Kopie", ">Abbrechen</a>", `action="`+confirmPath+`"`)
	if after, _ := e.regs.Get(ctx, erika.ID); after.Status != registration.Confirmed {
		t.Fatal("showing the confirmation page cancelled")
	}

	// Without the box ticked: no mail to Erika; Max moves up and is told.
	r := e.postForm(c, confirmPath, url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", r.StatusCode, r.Body)
	}
	flash := e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID)).Body
	mustContain(t, flash, "Die Anmeldung von Erika Müller ist storniert. Eine E-Mail an Erika Müller geht nicht hinaus.",
		"Stornierung zurücknehmen")
	mails := e.deliveries(mb)
	if got := e.mailsTo(mails, "erika@ahlen.example"); len(got) != 1 {
		t.Errorf("%d mails to Erika, want only the confirmation: %+v", len(got), got)
	}
	if got := e.mailsTo(mails, "max@coesfeld.example"); len(got) != 2 || !strings.HasPrefix(got[1].Subject, "Platz frei") {
		t.Errorf("mails to Max: %+v", got)
	}
	entries, err := audit.NewStore(e.db.Gorm).List(ctx, audit.Filter{ObjectType: "registration", ObjectID: erika.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(entries[0].Details, "ohne E-Mail an die Person") {
		t.Errorf("audit entry %q does not say that no mail went out", entries[0].Details)
	}

	// Undo: Max has the only place, so Erika is back on the waiting list,
	// the organiser reads so, and Erika is told.
	r = e.postForm(c, fmt.Sprintf("/admin/events/%d/registrations/%d/reinstate", ev.ID, erika.ID), url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reinstate: %d %s", r.StatusCode, r.Body)
	}
	mustContain(t, e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID)).Body,
		"doch der Platz ist inzwischen vergeben: Erika Müller steht wieder auf der Warteliste (Platz 1).")
	mails = e.mailsTo(e.deliveries(mb), "erika@ahlen.example")
	if len(mails) != 2 || !strings.HasPrefix(mails[1].Subject, "Stornierung zurückgenommen – Warteliste") ||
		!strings.Contains(mails[1].Text, "Platz 1") || mails[1].Calendar != "" {
		t.Errorf("the undo's mail to Erika: %+v", mails)
	}

	// Max cancels through his link: Erika moves up. Cancelled again, this
	// time with a mail, and taken back: the place is hers again, with
	// a calendar invitation newer than the cancellation.
	if _, err := e.regs.Cancel(ctx, moser.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if r := e.postForm(c, confirmPath, url.Values{"notify": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel with mail: %d", r.StatusCode)
	}
	r = e.postForm(c, fmt.Sprintf("/admin/events/%d/registrations/%d/reinstate", ev.ID, erika.ID), url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reinstate: %d", r.StatusCode)
	}
	mustContain(t, e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID)).Body,
		"Die Stornierung von Erika Müller ist zurückgenommen, der Platz ist wieder bestätigt. Erika Müller erhält eine E-Mail darüber.")
	mails = e.mailsTo(e.deliveries(mb), "erika@ahlen.example")
	var subjects []string
	for _, m := range mails {
		subjects = append(subjects, strings.SplitN(m.Subject, ":", 2)[0])
	}
	want := "Anmeldebestätigung|Stornierung zurückgenommen – Warteliste|Platz frei – Teilnahme bestätigt|Stornierung|Stornierung zurückgenommen – Teilnahme bestätigt"
	if strings.Join(subjects, "|") != want {
		t.Fatalf("Erika's mails:\n%s\nwant\n%s", strings.Join(subjects, "|"), want)
	}
	// Each calendar update supersedes the one before: the promotion's
	// invitation, the cancellation, the undo's invitation.
	promotion, cancelMail, undoMail := mails[2], mails[3], mails[4]
	seq := func(cal string) int {
		m := regexp.MustCompile(`SEQUENCE:(\d+)`).FindStringSubmatch(cal)
		if m == nil {
			t.Fatalf("no SEQUENCE in\n%s", cal)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if !strings.Contains(cancelMail.Calendar, "METHOD:CANCEL") || seq(cancelMail.Calendar) <= seq(promotion.Calendar) {
		t.Errorf("the cancellation after one undo carries no newer SEQUENCE than the invitation before:\n%s", cancelMail.Calendar)
	}
	if !strings.Contains(undoMail.Calendar, "METHOD:REQUEST") || seq(undoMail.Calendar) <= seq(cancelMail.Calendar) ||
		!strings.Contains(undoMail.Text, "Ihre Teilnahme ist wieder bestätigt") {
		t.Errorf("the undo's invitation:\n%s\n%s", undoMail.Text, undoMail.Calendar)
	}
	if got, _ := e.regs.Get(ctx, erika.ID); got.Status != registration.Confirmed {
		t.Errorf("after the undo: %s", got.Status)
	}
}

func TestCancelAndUndoInThePortal(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ctx := context.Background()
	ev := e.event(5, 0, 1)
	coord := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	erika := e.person(ev.ID, "Erika", "Müller", "erika@ahlen.example", &e.ahlen.ID)
	other := e.person(ev.ID, "Max", "Moser", "max@coesfeld.example", &e.coesfeld.ID)
	e.deliveries(mb)
	page := fmt.Sprintf("/portal/events/%d", ev.ID)
	confirmPath := fmt.Sprintf("%s/registrations/%d/cancel", page, erika.ID)
	mustContain(t, e.get(coord, page).Body, `href="`+confirmPath+`"`)
	mustContain(t, e.get(coord, fmt.Sprintf("%s/registrations/%d", page, erika.ID)).Body, `href="`+confirmPath+`"`)
	confirm := e.get(coord, confirmPath)
	mustContain(t, confirm.Body, "Anmeldung von Erika Müller (Stadt Ahlen) stornieren?", "Niemand steht auf der Warteliste")
	if r := e.get(coord, fmt.Sprintf("%s/registrations/%d/cancel", page, other.ID)); r.StatusCode != http.StatusForbidden {
		t.Errorf("confirmation page of another municipality's registration: %d", r.StatusCode)
	}

	if r := e.postForm(coord, confirmPath, url.Values{"notify": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	list := e.get(coord, page).Body
	mustContain(t, list, "Erika Müller erhält eine E-Mail darüber.", fmt.Sprintf(`action="%s/registrations/%d/reinstate"`, page, erika.ID))
	if r := e.postForm(coord, fmt.Sprintf("%s/registrations/%d/reinstate", page, erika.ID), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reinstate: %d", r.StatusCode)
	}
	mustContain(t, e.get(coord, page).Body, "der Platz ist wieder bestätigt")
	mails := e.deliveries(mb)
	var toErika, copies []string
	for _, m := range mails {
		switch {
		case strings.Contains(m.To, "erika@"):
			toErika = append(toErika, m.Subject)
		case strings.Contains(m.To, "koordination@"):
			copies = append(copies, m.Subject)
		}
	}
	if len(toErika) != 3 || !strings.HasPrefix(toErika[2], "Stornierung zurückgenommen – Teilnahme bestätigt") {
		t.Errorf("mails to Erika: %q", toErika)
	}
	if len(copies) != 3 || !strings.Contains(strings.Join(copies, "|"), "Kopie: Stornierung zurückgenommen – Teilnahme bestätigt") {
		t.Errorf("copies to the coordination: %q", copies)
	}

	// Once the address has registered anew, the undo is refused with a
	// message where the button was.
	if r := e.postForm(coord, confirmPath, url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	e.person(ev.ID, "Erika", "Müller", "erika@ahlen.example", &e.ahlen.ID)
	if r := e.postForm(coord, fmt.Sprintf("%s/registrations/%d/reinstate", page, erika.ID), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("refused reinstate: %d", r.StatusCode)
	}
	mustContain(t, e.get(coord, page).Body, "inzwischen eine neue Anmeldung")
	if got, _ := e.regs.Get(ctx, erika.ID); got.Status != registration.Cancelled {
		t.Errorf("refused undo left %s", got.Status)
	}
}

func TestCancelAndReinstateThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	ctx := context.Background()
	ev := e.event(1, 0, 1)
	token := e.token()
	first := e.person(ev.ID, "Erika", "Müller", "erika@ahlen.example", &e.ahlen.ID)
	second := e.person(ev.ID, "Max", "Moser", "max@coesfeld.example", &e.coesfeld.ID)
	base := fmt.Sprintf("/api/v1/events/%d/registrations/%d", ev.ID, first.ID)

	r := e.api(http.MethodPost, base+"/cancel", token, map[string]any{"notify": false})
	e.conform(doc, "POST /api/v1/events/{id}/registrations/{rid}/cancel", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"cancelled"`) {
		t.Fatalf("cancel: %d %s", r.StatusCode, r.Body)
	}
	var kinds []string
	if err := e.db.Gorm.Table("mail_outbox").Where("registration_id = ? AND copy_of IS NULL", first.ID).Order("id").Pluck("kind", &kinds).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ",") != "confirmation" {
		t.Errorf("mails after a cancel without notify: %v", kinds)
	}
	r = e.api(http.MethodPost, base+"/cancel", token, nil)
	e.conform(doc, "POST /api/v1/events/{id}/registrations/{rid}/cancel", r)
	if r.StatusCode != http.StatusConflict {
		t.Errorf("second cancel: %d %s", r.StatusCode, r.Body)
	}
	r = e.api(http.MethodPost, base+"/reinstate", token, map[string]any{"notifiy": true})
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("misspelt option: %d", r.StatusCode)
	}
	r = e.api(http.MethodPost, base+"/reinstate", token, nil)
	e.conform(doc, "POST /api/v1/events/{id}/registrations/{rid}/reinstate", r)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"waitlisted"`) || !strings.Contains(r.Body, `"waitlist_position":1`) {
		t.Fatalf("reinstate: %d %s", r.StatusCode, r.Body)
	}
	if got, _ := e.regs.Get(ctx, second.ID); got.Status != registration.Confirmed {
		t.Errorf("the one who moved up lost the place: %s", got.Status)
	}
	r = e.api(http.MethodPost, base+"/reinstate", token, nil)
	e.conform(doc, "POST /api/v1/events/{id}/registrations/{rid}/reinstate", r)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "nicht storniert") {
		t.Errorf("reinstating an active registration: %d %s", r.StatusCode, r.Body)
	}
	if r := e.api(http.MethodPost, base+"/cancel", "", nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %d", r.StatusCode)
	}
}
