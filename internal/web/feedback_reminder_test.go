package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/survey"
)

// TestFeedbackAutomaticReminder: the period form proposes a reminder
// three days before the end; a reminder that would fall before the
// survey runs, or one not offered, is refused with the form as typed;
// the saved choice is shown with its day, and on that day the scheduler's
// job mails the reminder over SMTP to those who have not answered, once.
func TestFeedbackAutomaticReminder(t *testing.T) {
	e := newEnv(t)
	mb := startMailbox(t)
	ev, people := e.surveyedMeeting(2)
	org := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/feedback", ev.ID)
	page := e.get(org, base)
	mustContain(t, page.Body, `<option value="3" selected>3 Tage vor dem Ende</option>`, "mit einer Erinnerung drei Tage vor dem Ende")

	if r := e.postForm(org, base+"/defaults", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("defaults: %d %s", r.StatusCode, r.Body)
	}
	opens, closes := day.Today(time.Now().AddDate(0, 0, -2)), day.Today(time.Now().AddDate(0, 0, 1))
	period := url.Values{"opens_on": {opens.String()}, "closes_on": {closes.String()}, "remind_days_before": {"5"}}
	r := e.postForm(org, base+"/schedule", period)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("reminder before the start: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Die Erinnerung fiele auf den "+closes.AddDays(-5).German()+", nicht nach dem Beginn",
		`value="`+opens.String()+`"`, `value="`+closes.String()+`"`, `<option value="5" selected>`, `aria-invalid="true" aria-describedby="e-remind_days_before"`)
	period.Set("remind_days_before", "vier")
	r = e.postForm(org, base+"/schedule", period)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a reminder not offered: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte wählen Sie eine der angebotenen Erinnerungen.", `value="`+closes.String()+`"`)

	period.Set("remind_days_before", "1")
	if r := e.postForm(org, base+"/schedule", period); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %s", r.StatusCode, r.Body)
	}
	if r := e.postForm(org, base+"/send", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d %s", r.StatusCode, r.Body)
	}
	remindOn := closes.AddDays(-1) // today
	page = e.get(org, base)
	mustContain(t, page.Body, `<option value="1" selected>1 Tag vor dem Ende</option>`,
		"<dt>Automatische Erinnerung</dt><dd>am "+remindOn.GermanLong()+" an alle, die bis dahin nicht geantwortet haben")

	var token string
	for _, m := range e.deliveries(mb) {
		if found := feedbackLink.FindStringSubmatch(m.Text); m.To == mailTo(people[0]) && strings.HasPrefix(m.Subject, "Ihre Meinung") && found != nil {
			token = found[1]
		}
	}
	if token == "" {
		t.Fatal("no survey mail with a link")
	}
	// The survey went out two days ago, as time would have it: a reminder
	// on the day of the invitation is not sent.
	if err := e.db.Gorm.Model(&survey.Survey{}).Where("event_id = ?", ev.ID).Update("sent_at", time.Now().AddDate(0, 0, -2).UTC()).Error; err != nil {
		t.Fatal(err)
	}
	surveys := survey.NewStore(e.db.Gorm)
	qs, err := surveys.Questions(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.postForm(e.client(), "/feedback/"+token, url.Values{qs[0].Field(): {"4"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", r.StatusCode, r.Body)
	}
	if n, err := surveys.RemindDue(context.Background(), remindOn.AddDays(-1).At(22, 0)); err != nil || n != 0 {
		t.Fatalf("the day before: %d, %v", n, err)
	}
	if n, err := surveys.RemindDue(context.Background(), time.Now()); err != nil || n != 1 {
		t.Fatalf("on the day: %d, %v; want 1", n, err)
	}
	var reminded []string
	for _, m := range e.deliveries(mb) {
		if strings.HasPrefix(m.Subject, "Erinnerung: Ihre Meinung") {
			reminded = append(reminded, m.To)
		}
	}
	if len(reminded) != 1 || reminded[0] != mailTo(people[1]) {
		t.Errorf("reminded %v, want only %s", reminded, mailTo(people[1]))
	}
	if n, err := surveys.RemindDue(context.Background(), time.Now()); err != nil || n != 0 {
		t.Errorf("a second round: %d, %v", n, err)
	}
	page = e.get(org, base)
	mustContain(t, page.Body, "<dt>Automatische Erinnerung</dt><dd>keine weitere, die Erinnerung ist verschickt")
}
