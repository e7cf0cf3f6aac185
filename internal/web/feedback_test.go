package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/survey"
)

// surveyedMeeting makes a meeting that took place three days ago with n
// confirmed people. Meetings are created ahead; the days are moved back
// in the database, as time would.
func (e *env) surveyedMeeting(n int) (event.Event, []registration.Registration) {
	e.t.Helper()
	return e.surveyedMeetingAgo(n, 3)
}

// surveyedMeetingAgo is surveyedMeeting for a meeting daysAgo days ago.
func (e *env) surveyedMeetingAgo(n, daysAgo int) (event.Event, []registration.Registration) {
	e.t.Helper()
	ctx := context.Background()
	ev := e.event(50, 0, 1)
	var people []registration.Registration
	for i := range n {
		r, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: fmt.Sprintf("Person%d", i), LastName: "Beispiel",
			Email: fmt.Sprintf("person.%d.%d@kommune.example", ev.ID, i), MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
		if err != nil {
			e.t.Fatal(err)
		}
		people = append(people, r)
	}
	past := day.List{day.Today(time.Now().AddDate(0, 0, -daysAgo))}
	if err := e.db.Gorm.Exec("UPDATE events SET days = ? WHERE id = ?", past, ev.ID).Error; err != nil {
		e.t.Fatal(err)
	}
	ev, err := e.events.Get(ctx, ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ev, people
}

// openSurvey lets the organiser insert the default questions, set the
// period (from two days ago for a week, reminding three days before its
// end) and send the survey.
func (e *env) openSurvey(c *http.Client, ev event.Event) {
	e.t.Helper()
	e.openSurveyFrom(c, ev, -2)
}

// openSurveyFrom is openSurvey with the survey opening opens days from
// today (negative: in the past).
func (e *env) openSurveyFrom(c *http.Client, ev event.Event, opens int) {
	e.t.Helper()
	base := fmt.Sprintf("/admin/events/%d/feedback", ev.ID)
	if r := e.postForm(c, base+"/defaults", nil); r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("defaults: %d %s", r.StatusCode, r.Body)
	}
	period := url.Values{"opens_on": {day.Today(time.Now().AddDate(0, 0, opens)).String()}, "closes_on": {day.Today(time.Now().AddDate(0, 0, 7)).String()},
		"remind_days_before": {"3"}}
	if r := e.postForm(c, base+"/schedule", period); r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("schedule: %d %s", r.StatusCode, r.Body)
	}
	if r := e.postForm(c, base+"/send", nil); r.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("send: %d %s", r.StatusCode, r.Body)
	}
}

var feedbackLink = regexp.MustCompile(`http://treffen\.test/feedback/([A-Za-z0-9_-]{40,})`)

// TestFeedbackSurveyByMail: the organiser builds and sends the survey;
// each confirmed person gets a mail over SMTP with a link of their own;
// the form keeps what was typed when a required answer is missing;
// after answering, the thank-you page; the link answers once; the
// reminder goes once, only to those who have not answered; after the
// closing day the link says the survey is over. The audit log learns
// nothing of who answered, and the kept record of the mail holds no
// working link.
func TestFeedbackSurveyByMail(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ev, people := e.surveyedMeeting(3)
	org := e.loggedIn()
	page := e.get(org, fmt.Sprintf("/admin/events/%d/feedback", ev.ID))
	mustContain(t, page.Body, "Standardfragen für Lernnetzwerktreffen einfügen", "Befragung versenden")
	e.openSurvey(org, ev)

	mails := e.deliveries(mb)
	tokens := map[string]string{}
	for _, m := range mails {
		if !strings.HasPrefix(m.Subject, "Ihre Meinung zum Treffen") {
			continue
		}
		found := feedbackLink.FindStringSubmatch(m.Text)
		if found == nil {
			t.Fatalf("mail to %s has no survey link:\n%s", m.To, m.Text)
		}
		mustContain(t, m.Text, "anonym")
		tokens[m.To] = found[1]
	}
	if len(tokens) != len(people) {
		t.Fatalf("%d survey mails, want %d: %v", len(tokens), len(people), tokens)
	}
	var kept []string
	if err := e.db.Gorm.Raw("SELECT text_body FROM mail_outbox WHERE kind = 'feedback_request'").Scan(&kept).Error; err != nil {
		t.Fatal(err)
	}
	for _, k := range kept {
		if feedbackLink.MatchString(k) || !strings.Contains(k, "/feedback/[Link entfernt]") {
			t.Errorf("the kept record of a survey mail holds a working link:\n%s", k)
		}
	}
	var auditBefore int64
	if err := e.db.Gorm.Raw("SELECT count(*) FROM audit_log").Scan(&auditBefore).Error; err != nil {
		t.Fatal(err)
	}

	token := tokens[mailTo(people[0])]
	anon := e.client()
	form := e.get(anon, "/feedback/"+token)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("survey form: %d", form.StatusCode)
	}
	mustContain(t, form.Body, "Wie zufrieden sind Sie insgesamt mit dem Treffen?", "gar nicht zufrieden", "Was nehmen Sie mit?")
	qs, err := survey.NewStore(e.db.Gorm).Questions(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	overall, takeaway := qs[0].Field(), qs[4].Field()
	missing := e.postForm(anon, "/feedback/"+token, url.Values{takeaway: {"Den Austausch mit Herne"}, qs[1].Field(): {"4"}})
	if missing.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without the required answer: %d", missing.StatusCode)
	}
	mustContain(t, missing.Body, "Bitte beantworten Sie diese Frage.", "Den Austausch mit Herne", `value="4" checked`)

	done := e.postForm(anon, "/feedback/"+token, url.Values{overall: {"5"}, takeaway: {"Den Austausch mit Herne"}})
	if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != "/feedback/danke" {
		t.Fatalf("submit: %d → %q", done.StatusCode, done.Header.Get("Location"))
	}
	mustContain(t, e.get(anon, "/feedback/danke").Body, "Vielen Dank für Ihre Rückmeldung!")
	again := e.postForm(anon, "/feedback/"+token, url.Values{overall: {"1"}})
	if again.StatusCode != http.StatusConflict {
		t.Fatalf("second submission: %d", again.StatusCode)
	}
	mustContain(t, again.Body, "bereits ausgefüllt")
	var auditAfter int64
	if err := e.db.Gorm.Raw("SELECT count(*) FROM audit_log").Scan(&auditAfter).Error; err != nil {
		t.Fatal(err)
	}
	if auditAfter != auditBefore {
		t.Errorf("answering wrote %d audit entries", auditAfter-auditBefore)
	}

	for range 2 {
		if r := e.postForm(org, fmt.Sprintf("/admin/events/%d/feedback/remind", ev.ID), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("remind: %d %s", r.StatusCode, r.Body)
		}
	}
	var reminded []string
	for _, m := range e.deliveries(mb) {
		if strings.HasPrefix(m.Subject, "Erinnerung: Ihre Meinung") {
			if !feedbackLink.MatchString(m.Text) {
				t.Errorf("reminder without link:\n%s", m.Text)
			}
			reminded = append(reminded, m.To)
		}
	}
	if len(reminded) != 2 || strings.Contains(strings.Join(reminded, " "), mailTo(people[0])) {
		t.Errorf("reminded %v, want the two who have not answered, once each", reminded)
	}
	page = e.get(org, fmt.Sprintf("/admin/events/%d/feedback", ev.ID))
	mustContain(t, page.Body, "<dt>Eingeladen</dt><dd>3</dd>", "<dt>Antworten</dt><dd>1 (33 %)</dd>")

	yesterday := day.Today(time.Now().AddDate(0, 0, -1))
	if err := e.db.Gorm.Exec("UPDATE feedback_surveys SET closes_on = ? WHERE event_id = ?", yesterday, ev.ID).Error; err != nil {
		t.Fatal(err)
	}
	late := e.get(anon, "/feedback/"+tokens[mailTo(people[1])])
	if late.StatusCode != http.StatusGone {
		t.Fatalf("after the closing day: %d", late.StatusCode)
	}
	mustContain(t, late.Body, "Die Befragung ist beendet.")
}

func mailTo(r registration.Registration) string { return r.Email }

// TestFeedbackQuestionnaireEditor: a choice with one option is sent back
// with the message and the text typed; a valid one is added, moved and
// deleted; a questionnaire is copied from an earlier meeting; once
// sent, the questionnaire stays as it is.
func TestFeedbackQuestionnaireEditor(t *testing.T) {
	e := newEnv(t)
	org := e.loggedIn()
	earlier, _ := e.surveyedMeetingAgo(0, 100)
	ev, _ := e.surveyedMeeting(1)
	base := fmt.Sprintf("/admin/events/%d/feedback", earlier.ID)
	bad := e.postForm(org, base, url.Values{"kind": {"single_choice"}, "label": {"Wie haben Sie vom Treffen erfahren?"}, "options": {"Einladung"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("one option: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, "Bitte geben Sie mindestens zwei Möglichkeiten an", "Wie haben Sie vom Treffen erfahren?")
	if r := e.postForm(org, base, url.Values{"kind": {"single_choice"}, "label": {"Wie haben Sie vom Treffen erfahren?"},
		"options": {"Einladung\r\nKollegin/Kollege\r\n\r\nWebseite"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, r.Body)
	}
	if r := e.postForm(org, base+"/defaults", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	st := survey.NewStore(e.db.Gorm)
	qs, err := st.Questions(context.Background(), earlier.ID)
	if err != nil || len(qs) != 6 || len(qs[0].Options()) != 3 {
		t.Fatalf("questions %+v, %v", qs, err)
	}
	if r := e.postForm(org, fmt.Sprintf("%s/%d/move", base, qs[0].ID), url.Values{"direction": {"down"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	if r := e.postForm(org, fmt.Sprintf("%s/%d/delete", base, qs[5].ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatal(r.StatusCode)
	}
	qs, _ = st.Questions(context.Background(), earlier.ID)
	if len(qs) != 5 || qs[1].Label != "Wie haben Sie vom Treffen erfahren?" {
		t.Fatalf("after move and delete: %+v", qs)
	}

	target := fmt.Sprintf("/admin/events/%d/feedback", ev.ID)
	mustContain(t, e.get(org, target).Body, "Fragebogen übernehmen", earlier.Name())
	if r := e.postForm(org, target+"/copy", url.Values{"from": {fmt.Sprint(earlier.ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy: %d", r.StatusCode)
	}
	copied, _ := st.Questions(context.Background(), ev.ID)
	if len(copied) != 5 || copied[1].OptionText != "Einladung\nKollegin/Kollege\nWebseite" {
		t.Fatalf("copied %+v", copied)
	}
	period := url.Values{"opens_on": {day.Today(time.Now().AddDate(0, 0, -2)).String()}, "closes_on": {day.Today(time.Now().AddDate(0, 0, 7)).String()}}
	e.postForm(org, target+"/schedule", period)
	if r := e.postForm(org, target+"/send", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d", r.StatusCode)
	}
	locked := e.postForm(org, target, url.Values{"kind": {"text"}, "label": {"Noch etwas?"}})
	if locked.StatusCode != http.StatusConflict {
		t.Fatalf("adding after sending: %d", locked.StatusCode)
	}
	mustContain(t, locked.Body, "lässt sich nicht mehr ändern")
}
