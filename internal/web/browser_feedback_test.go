package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/survey"
)

// axeClean runs axe-core on the page and fails with every violation.
func (b *browser) axeClean(axe, what string) {
	b.t.Helper()
	run(b, "inject axe-core", chromedp.Evaluate[bool](axe+"\n;typeof axe === 'object'"))
	for _, v := range run(b, "run axe-core", chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise)) {
		b.t.Errorf("%s: %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
	}
}

// TestBrowserFeedbackForm answers the survey on a phone with scripts
// off: the form, its error state (the text typed stays) and the
// thank-you page have no axe-core violations and do not scroll sideways;
// the organisers' survey page is checked at desktop and phone width.
func TestBrowserFeedbackForm(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	ev, people := e.surveyedMeeting(3)
	e.openSurvey(e.loggedIn(), ev)
	token, err := survey.NewStore(e.db.Gorm).IssueLink(context.Background(), ev.ID, people[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.scripts(false)
	check := func(what string) {
		t.Helper()
		b.scripts(true) // for axe-core
		b.axeClean(axe, what)
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", what, strings.Join(out, "\n"))
		}
		b.scripts(false)
	}
	b.open("/feedback/" + token)
	check("survey form")
	b.screenshot("feedback-formular.png")

	qs, err := survey.NewStore(e.db.Gorm).Questions(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	takeaway := "#f-" + qs[4].Field()
	b.do("type the free text", chromedp.SendKeys(chromedp.CSS(takeaway), "Ideen für unsere Lotsen"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="f-%s-4"]`, qs[2].Field()))))
	b.load("submit without the required rating", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS("form.feedback button.primary")))
	if got := b.value(takeaway); got != "Ideen für unsere Lotsen" {
		t.Errorf("free text after the error: %q", got)
	}
	if checked := run(b, "rating kept", chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById("f-%s-4").checked`, qs[2].Field()))); !checked {
		t.Error("the rating given was lost on the error")
	}
	if msg := b.text("#e-" + qs[0].Field()); msg != "Bitte beantworten Sie diese Frage." {
		t.Errorf("message at the required question: %q", msg)
	}
	check("survey form with errors")
	b.do("rate", chromedp.Click(chromedp.CSS(fmt.Sprintf(`label[for="f-%s-5"]`, qs[0].Field()))))
	b.load("submit", http.StatusOK, chromedp.Click(chromedp.CSS("form.feedback button.primary")))
	if p := b.path(); p != "/feedback/danke" {
		t.Fatalf("after submitting: %s", p)
	}
	check("thank-you page")
	rs, err := survey.NewStore(e.db.Gorm).Responses(context.Background(), ev.ID)
	if err != nil || len(rs) != 1 || rs[0].Answers.First(qs[4].ID) != "Ideen für unsere Lotsen" || rs[0].Answers.First(qs[0].ID) != "5" {
		t.Fatalf("stored: %+v, %v", rs, err)
	}

	b.scripts(true)
	b.do("desktop", chromedp.EmulateViewport(1280, 900))
	b.open("/login")
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail), chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	b.open(fmt.Sprintf("/admin/events/%d/feedback", ev.ID))
	b.axeAt(t, "organisers' survey page", axe, axeRunJS, 1280, 390)
	b.screenshot("feedback-verwaltung.png")
	b.do("phone", chromedp.EmulateViewport(390, 844))
	b.screenshot("feedback-verwaltung-mobil.png")
}

// TestBrowserFeedbackResults checks the results page with axe-core at
// desktop width and at a phone's width for sideways scrolling.
func TestBrowserFeedbackResults(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	org := e.loggedIn()
	earlier, before := e.surveyedMeetingAgo(3, 120)
	e.openSurveyFrom(org, earlier, -119)
	e.answerAll(earlier, before, []int{3, 4, 3}, nil)
	ev, people := e.surveyedMeeting(8)
	e.openSurvey(org, ev)
	e.answerAll(ev, people, []int{5, 4, 4, 5, 3, 4, 2}, []string{"Gute Beispiele aus Herne und Münster", "Kontakte zu anderen Kommunen",
		"Mut, die Eltern früher zu beteiligen", "", "Die Idee mit den Lotsen im Sozialraum"})
	b := newBrowser(t, e)
	b.open("/login")
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail), chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	b.open(fmt.Sprintf("/admin/events/%d/feedback/results", ev.ID))
	b.axeClean(axe, "results page")
	b.screenshot("feedback-ergebnisse.png")
	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("results page scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
}
