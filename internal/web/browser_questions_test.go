package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestBrowserQuestions: the organiser adds a question in the editor, a
// person fills the public form with the meeting's questions (a full
// option shown "ausgebucht"), and the editor is photographed at desktop
// and phone width.
func TestBrowserQuestions(t *testing.T) {
	e := newEnv(t)
	ev := e.event(40, 0, 1)
	qs := e.questions(ev.ID)
	// The one dinner place is taken.
	if _, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Max", LastName: "Schnell", Email: "max@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true, Answers: question.Submitted{qs.unit.ID: {"Schulamt"}, qs.dinner.ID: {id(qs.dinner.Options[0].ID)}}},
		registration.Options{}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	editor := fmt.Sprintf("/admin/events/%d/questions", ev.ID)
	b.open(editor)
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail), chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.path(); got != editor {
		t.Fatalf("after login at %s, want %s", got, editor)
	}
	b.do("fill new question",
		chromedp.SendKeys(chromedp.ID("f-label"), "Welche Arbeitsform bevorzugen Sie?"),
		chromedp.SendKeys(chromedp.ID("f-help"), "Wir planen die Räume danach."),
		chromedp.SetValue(chromedp.ID("f-kind"), "single_choice"),
		chromedp.SendKeys(chromedp.ID("f-option-label-0"), "Vortrag"),
		chromedp.SendKeys(chromedp.ID("f-option-label-1"), "Werkstatt"),
		chromedp.SendKeys(chromedp.ID("f-option-capacity-1"), "12"),
	)
	b.load("save question", http.StatusOK, chromedp.Click(chromedp.CSS("#neu + form button.primary, form[action$='/questions'] button.primary")))
	rows := run(b, "question rows", chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.questions tbody tr")].map(tr => tr.innerText.replace(/\s+/g, " ").trim())`))
	if len(rows) != 6 || !strings.Contains(rows[5], "Welche Arbeitsform bevorzugen Sie?") || !strings.Contains(rows[5], "Werkstatt: 0 / 12") ||
		!strings.Contains(rows[1], "Abendessen: 1 / 1 ausgebucht") {
		t.Fatalf("question table: %q", rows)
	}
	b.screenshotTo("fragen.png", "table.questions")
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open(editor)
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("the editor scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.screenshot("fragen-mobil.png")
	b.do("desktop again", chromedp.EmulateViewport(1280, 900))

	// The public form, filled by a person.
	b.open(fmt.Sprintf("/events/%d/register", ev.ID))
	full := fmt.Sprintf("#f-q_%d-%d", qs.dinner.ID, qs.dinner.Options[0].ID)
	if !run(b, "dinner disabled", chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).disabled`, full))) {
		t.Error("the full dinner can be chosen")
	}
	if got := b.text(fmt.Sprintf("label[for=%q]", full[1:])); got != "Abendessen – ausgebucht" {
		t.Errorf("full option label %q", got)
	}
	b.do("fill form",
		chromedp.SendKeys(chromedp.ID("f-first_name"), "Zdzisław"),
		chromedp.SendKeys(chromedp.ID("f-last_name"), "Ściegienny"),
		chromedp.SendKeys(chromedp.ID("f-email"), "z.sciegienny@ahlen.example"),
		chromedp.SetValue(chromedp.ID("f-municipality_id"), fmt.Sprint(e.ahlen.ID)),
		chromedp.Click(chromedp.ID("f-privacy_consent")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("f-q_%d-%d", qs.dinner.ID, qs.dinner.Options[1].ID))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("f-q_%d-%d", qs.workshops.ID, qs.workshops.Options[0].ID))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("f-q_%d-%d", qs.workshops.ID, qs.workshops.Options[2].ID))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("f-q_%d-ja", qs.overnight.ID))),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-q_%d", qs.guests.ID)), "1"),
	)
	// The required question is left empty: the form comes back with the
	// message at it and the choices kept.
	b.load("submit without the required answer", http.StatusUnprocessableEntity, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.text(fmt.Sprintf("#e-q_%d", qs.unit.ID)); got != "Bitte beantworten Sie die Frage „Dienststelle“." {
		t.Errorf("message at the question: %q", got)
	}
	if !run(b, "workshop kept", chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById("f-q_%d-%d").checked`, qs.workshops.ID, qs.workshops.Options[2].ID))) {
		t.Error("a ticked workshop was lost")
	}
	if dead := run(b, "error links", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[role="alert"] a')].filter(a => !document.getElementById(a.hash.slice(1))).map(a => a.hash)`)); len(dead) > 0 {
		t.Errorf("error summary links to missing fields: %q", dead)
	}
	b.screenshot("anmeldung-fragen-fehler.png")
	// The consent stays ticked.
	b.do("answer the required question", chromedp.SendKeys(chromedp.ID(fmt.Sprintf("f-q_%d", qs.unit.ID)), "Jugendamt"))
	b.load("submit complete form", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if !strings.HasPrefix(b.path(), "/manage/") {
		t.Fatalf("after registration at %s", b.path())
	}
	sheet, err := question.NewStore(e.db.Gorm).Sheet(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	regs, _ := e.regs.List(context.Background(), ev.ID, registration.Filter{Query: "sciegienny"})
	if len(regs) != 1 {
		t.Fatalf("registrations %v", regs)
	}
	var got []string
	for _, s := range sheet.Show(regs[0].ID) {
		got = append(got, s.Question.Label+"="+s.Text)
	}
	if strings.Join(got, "; ") != "Dienststelle=Jugendamt; Abendessen am 20.05.=Kein Abendessen; Workshops=Kita, Jugend; Übernachtung=Ja; Begleitpersonen=1" {
		t.Errorf("stored answers: %q", got)
	}
}
