package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
)

// questionSet is a meeting's questions as the tests create them: a
// required short text, a dinner with one place, workshops to choose
// several of, a yes/no shown in the participant list and a number.
type questionSet struct {
	unit, dinner, workshops, overnight, guests question.Question
}

func (e *env) questions(eventID int64) questionSet {
	e.t.Helper()
	qs := question.NewStore(e.db.Gorm)
	ctx := context.Background()
	one := 1
	mk := func(in question.Input) question.Question {
		q, err := qs.Create(ctx, eventID, in)
		if err != nil {
			e.t.Fatal(err)
		}
		return q
	}
	return questionSet{
		unit: mk(question.Input{Kind: question.ShortText, Label: "Dienststelle", Required: true, Help: "z. B. Jugendamt"}),
		dinner: mk(question.Input{Kind: question.Single, Label: "Abendessen am 20.05.", Options: []question.OptionInput{
			{Label: "Abendessen", Capacity: &one}, {Label: "Kein Abendessen"}}}),
		workshops: mk(question.Input{Kind: question.Multiple, Label: "Workshops", Options: []question.OptionInput{{Label: "Kita"}, {Label: "Schule"}, {Label: "Jugend"}}}),
		overnight: mk(question.Input{Kind: question.YesNo, Label: "Übernachtung", InParticipantList: true}),
		guests:    mk(question.Input{Kind: question.Number, Label: "Begleitpersonen"}),
	}
}

func id(n int64) string { return fmt.Sprint(n) }

func TestPublicFormWithQuestions(t *testing.T) {
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	qs := e.questions(ev.ID)
	c := e.client()
	path := fmt.Sprintf("/events/%d/register", ev.ID)

	page := e.get(c, path)
	for _, want := range []string{"Dienststelle", `aria-describedby="h-q_` + id(qs.unit.ID) + `"`, "Abendessen am 20.05.", "Workshops", "Übernachtung", "Begleitpersonen",
		`type="checkbox" id="f-q_` + id(qs.workshops.ID) + `-`, `name="q_` + id(qs.dinner.ID) + `" value="` + id(qs.dinner.Options[0].ID) + `"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("form lacks %q", want)
		}
	}

	form := url.Values{"first_name": {"Erika"}, "last_name": {"Muster"}, "email": {"erika@ahlen.example"}, "municipality_id": {id(e.ahlen.ID)},
		"privacy_consent": {"1"}, "q_" + id(qs.guests.ID): {"zwei"}, "q_" + id(qs.workshops.ID): {id(qs.workshops.Options[0].ID), id(qs.workshops.Options[2].ID)},
		"q_" + id(qs.dinner.ID): {id(qs.dinner.Options[0].ID)}}
	bad := e.postForm(c, path, form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("missing answer: %d", bad.StatusCode)
	}
	for _, want := range []string{"Bitte beantworten Sie die Frage „Dienststelle“.", "Bitte geben Sie eine ganze Zahl an, z. B. 2.", `value="zwei"`,
		`id="f-q_` + id(qs.workshops.ID) + `-` + id(qs.workshops.Options[2].ID) + `" name="q_` + id(qs.workshops.ID) + `" value="` + id(qs.workshops.Options[2].ID) + `" checked`,
		`href="#f-q_` + id(qs.unit.ID) + `"`} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("form sent back lacks %q", want)
		}
	}

	// Someone else takes the one dinner place meanwhile: the form comes
	// back with the message at the question and everything typed.
	if _, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Max", LastName: "Schnell", Email: "max@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true, Answers: question.Submitted{qs.unit.ID: {"Schulamt"}, qs.dinner.ID: {id(qs.dinner.Options[0].ID)}}},
		registration.Options{}); err != nil {
		t.Fatal(err)
	}
	form.Set("q_"+id(qs.unit.ID), "Jugendamt")
	form.Set("q_"+id(qs.guests.ID), "2")
	lost := e.postForm(c, path, form)
	if lost.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(lost.Body, "„Abendessen“ ist ausgebucht. Bitte wählen Sie etwas anderes.") ||
		!strings.Contains(lost.Body, `value="Jugendamt"`) || !strings.Contains(lost.Body, `value="2"`) {
		t.Fatalf("race loser: %d %s", lost.StatusCode, lost.Body)
	}
	if !strings.Contains(lost.Body, "Abendessen – ausgebucht") || !regexp.MustCompile(`value="`+id(qs.dinner.Options[0].ID)+`" disabled`).MatchString(lost.Body) {
		t.Error("the full option is not shown ausgebucht and disabled")
	}

	form.Set("q_"+id(qs.dinner.ID), id(qs.dinner.Options[1].ID))
	form.Set("q_"+id(qs.overnight.ID), "Ja")
	ok := e.postForm(c, path, form)
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d %s", ok.StatusCode, ok.Body)
	}
	manage := e.get(c, ok.Header.Get("Location"))
	for _, want := range []string{`value="Jugendamt"`, `value="Ja" checked`, `value="` + id(qs.dinner.Options[1].ID) + `" checked`} {
		if !strings.Contains(manage.Body, want) {
			t.Errorf("manage page lacks %q", want)
		}
	}

	// The manage page changes the answers: another workshop, no overnight stay.
	token := strings.TrimSuffix(strings.TrimPrefix(ok.Header.Get("Location"), "/manage/"), "?neu=1")
	change := url.Values{"first_name": {"Erika"}, "last_name": {"Muster"}, "q_" + id(qs.unit.ID): {"Jugendamt Ahlen"},
		"q_" + id(qs.workshops.ID): {id(qs.workshops.Options[1].ID)}, "q_" + id(qs.overnight.ID): {"Nein"}, "q_" + id(qs.dinner.ID): {id(qs.dinner.Options[1].ID)}, "q_" + id(qs.guests.ID): {"3"}}
	if r := e.postForm(c, "/manage/"+token, change); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("manage change: %d %s", r.StatusCode, r.Body)
	}
	// The dinner is full, so choosing it on the manage page is refused.
	change.Set("q_"+id(qs.dinner.ID), id(qs.dinner.Options[0].ID))
	if r := e.postForm(c, "/manage/"+token, change); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "ist ausgebucht") {
		t.Fatalf("manage choosing the full dinner: %d", r.StatusCode)
	}
	sheet, err := question.NewStore(e.db.Gorm).Sheet(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	regs, _ := e.regs.List(context.Background(), ev.ID, registration.Filter{Query: "erika"})
	if len(regs) != 1 || sheet.Text(regs[0].ID, qs.workshops.ID) != "Schule" || sheet.Text(regs[0].ID, qs.overnight.ID) != "Nein" ||
		sheet.Text(regs[0].ID, qs.unit.ID) != "Jugendamt Ahlen" || sheet.Text(regs[0].ID, qs.guests.ID) != "3" {
		t.Fatalf("stored answers after the change: %+v", sheet.Show(regs[0].ID))
	}
}

func TestOrganiserEditsQuestions(t *testing.T) {
	e := newEnv(t)
	ev, other := e.event(20, 0, 1), e.event(20, 0, 1)
	c := e.loggedIn()
	base := fmt.Sprintf("/admin/events/%d/questions", ev.ID)
	r := e.postForm(c, base, url.Values{"label": {"Abendessen am 20.05."}, "kind": {"single_choice"}, "required": {"1"},
		"option_label": {"Abendessen", "Kein Abendessen", ""}, "option_capacity": {"40", "", ""}, "option_id": {"", "", ""}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	bad := e.postForm(c, base, url.Values{"label": {"Workshops"}, "kind": {"multiple_choice"}, "option_label": {"", ""}, "option_capacity": {"", ""}, "option_id": {"", ""}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Bitte geben Sie mindestens eine Möglichkeit an.") || !strings.Contains(bad.Body, `value="Workshops"`) {
		t.Fatalf("no options: %d", bad.StatusCode)
	}
	if r := e.postForm(c, base, url.Values{"label": {"Dienststelle"}, "kind": {"short_text"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create text: %d", r.StatusCode)
	}
	qs, err := question.NewStore(e.db.Gorm).List(context.Background(), ev.ID)
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions %v %v", qs, err)
	}
	page := e.get(c, base)
	if !strings.Contains(page.Body, "Abendessen: 0 / 40") || !strings.Contains(page.Body, "Kein Abendessen: 0") {
		t.Errorf("list lacks the options with places")
	}
	if r := e.postForm(c, fmt.Sprintf("%s/%d/move", base, qs[1].ID), url.Values{"direction": {"up"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", r.StatusCode)
	}
	edit := e.get(c, fmt.Sprintf("%s/%d", base, qs[0].ID))
	if !strings.Contains(edit.Body, `value="Kein Abendessen"`) || !strings.Contains(edit.Body, `name="option_id" value="`+id(qs[0].Options[0].ID)+`"`) {
		t.Errorf("edit page lacks the options")
	}
	// Copy to another meeting, in the new order.
	if r := e.postForm(c, fmt.Sprintf("/admin/events/%d/questions/copy", other.ID), url.Values{"from": {id(ev.ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy: %d", r.StatusCode)
	}
	copied, _ := question.NewStore(e.db.Gorm).List(context.Background(), other.ID)
	if len(copied) != 2 || copied[0].Label != "Dienststelle" || copied[1].Label != "Abendessen am 20.05." {
		t.Fatalf("copied %+v", copied)
	}
	if p := e.get(c, fmt.Sprintf("/admin/events/%d/questions", other.ID)); strings.Contains(p.Body, "aus einer früheren Veranstaltung") != true {
		t.Errorf("copy form missing although the first meeting has questions")
	}
	if r := e.postForm(c, fmt.Sprintf("%s/%d/delete", base, qs[1].ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	left, _ := question.NewStore(e.db.Gorm).List(context.Background(), ev.ID)
	if len(left) != 1 || left[0].ID != qs[0].ID {
		t.Fatalf("after delete %+v", left)
	}
}

func TestPortalRowsWithAnswersReachTheExports(t *testing.T) {
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	qs := e.questions(ev.ID)
	c := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	path := fmt.Sprintf("/portal/events/%d/registrations", ev.ID)
	page := e.get(c, fmt.Sprintf("/portal/events/%d", ev.ID))
	if !strings.Contains(page.Body, `name="p1_q_`+id(qs.unit.ID)+`"`) {
		t.Fatal("portal rows lack the questions")
	}
	dinner := id(qs.dinner.Options[0].ID)
	form := url.Values{"consent": {"1"},
		"first_name.0": {"Jürgen"}, "last_name.0": {"Weiß"}, "email.0": {"j.weiss@ahlen.example"}, "p0_q_" + id(qs.unit.ID): {"Jugendamt"},
		"p0_q_" + id(qs.dinner.ID): {dinner}, "p0_q_" + id(qs.workshops.ID): {id(qs.workshops.Options[0].ID), id(qs.workshops.Options[1].ID)},
		"p0_q_" + id(qs.overnight.ID): {"Ja"},
		"first_name.1":                {"Şükrü"}, "last_name.1": {"Öztürk"}, "email.1": {"s.oeztuerk@ahlen.example"}, "p1_q_" + id(qs.unit.ID): {"Schulamt"},
		"p1_q_" + id(qs.dinner.ID): {dinner},
		"first_name.2":             {"Anna"}, "last_name.2": {"Ohne"}, "email.2": {"a.ohne@ahlen.example"}}
	r := e.postForm(c, path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("portal: %d", r.StatusCode)
	}
	// A missing answer is found before anyone is registered.
	for _, want := range []string{"Eine von 3 Zeilen enthält einen Fehler; es wurde noch niemand angemeldet.",
		"Zeile 3 (Anna Ohne): Bitte beantworten Sie die Frage „Dienststelle“."} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("portal answer lacks %q", want)
		}
	}
	form.Set("p2_q_"+id(qs.unit.ID), "Kita")
	r = e.postForm(c, path, form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("portal, second try: %d", r.StatusCode)
	}
	// An option full when the person is registered fails that row alone.
	for _, want := range []string{"1 von 3 Personen konnten nicht angemeldet werden",
		"Zeile 2 (Şükrü Öztürk): „Abendessen“ ist ausgebucht. Bitte wählen Sie etwas anderes.", `name="p0_q_` + id(qs.unit.ID) + `" type="text" value="Schulamt"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("portal answer lacks %q", want)
		}
	}
	admin := e.loggedIn()
	csv := e.get(admin, fmt.Sprintf("/admin/events/%d/registrations.csv?columns=last_name", ev.ID))
	lines := strings.Split(strings.TrimPrefix(csv.Body, "\uFEFF"), "\r\n")
	if lines[0] != "Nachname;Dienststelle;Abendessen am 20.05.;Workshops;Übernachtung;Begleitpersonen" ||
		lines[1] != "Ohne;Kita;;;;" || lines[2] != "Weiß;Jugendamt;Abendessen;Kita, Schule;Ja;" {
		t.Fatalf("CSV:\n%s", csv.Body)
	}
	x := e.get(admin, fmt.Sprintf("/admin/events/%d/registrations.xlsx?columns=last_name", ev.ID))
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], "|") + "\n" + strings.Join(rows[2], "|"); got != "Nachname|Dienststelle|Abendessen am 20.05.|Workshops|Übernachtung|Begleitpersonen\nWeiß|Jugendamt|Abendessen|Kita, Schule|Ja" {
		t.Fatalf("XLSX:\n%s", got)
	}
	counts := e.get(admin, fmt.Sprintf("/admin/events/%d/registrations", ev.ID))
	if !regexp.MustCompile(`<td>Abendessen</td><td class="num">1 <span class="badge waitlisted">ausgebucht</span>`).MatchString(counts.Body) {
		t.Error("registrations page lacks the option counts")
	}
	// Deleting a question keeps its answers in the export.
	if err := question.NewStore(e.db.Gorm).Delete(context.Background(), ev.ID, qs.unit.ID); err != nil {
		t.Fatal(err)
	}
	csv = e.get(admin, fmt.Sprintf("/admin/events/%d/registrations.csv?columns=last_name", ev.ID))
	if !strings.HasPrefix(strings.TrimPrefix(csv.Body, "\uFEFF"), "Nachname;Dienststelle (gelöscht);") || !strings.Contains(csv.Body, "Weiß;Jugendamt;") {
		t.Fatalf("CSV after delete:\n%s", csv.Body)
	}
	host := e.get(admin, fmt.Sprintf("/host/events/%d", ev.ID))
	if !strings.Contains(host.Body, "Workshops:</span> Kita, Schule") || !strings.Contains(host.Body, "Dienststelle (gelöscht):</span> Jugendamt") {
		t.Error("host page lacks the answers")
	}
}

func TestAPIAnswersRoundTrip(t *testing.T) {
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	token := e.token()
	base := fmt.Sprintf("/api/v1/events/%d", ev.ID)
	r := e.api(http.MethodPost, base+"/questions", token, map[string]any{"kind": "multiple_choice", "label": "Workshops", "required": true,
		"options": []map[string]any{{"label": "Kita", "capacity": 1}, {"label": "Schule"}}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	var q question.Question
	if err := json.Unmarshal([]byte(r.Body), &q); err != nil {
		t.Fatal(err)
	}
	num := e.api(http.MethodPost, base+"/questions", token, map[string]any{"kind": "number", "label": "Begleitpersonen"})
	var n question.Question
	_ = json.Unmarshal([]byte(num.Body), &n)
	if r := e.api(http.MethodPost, base+"/questions", "", map[string]any{"kind": "number", "label": "x"}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("without token: %d", r.StatusCode)
	}
	list := e.api(http.MethodGet, base+"/questions", "", nil)
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `"label":"Kita","capacity":1,"taken":0`) {
		t.Fatalf("list: %d %s", list.StatusCode, list.Body)
	}
	person := func(email string, answers any) response {
		return e.api(http.MethodPost, base+"/registrations", "", map[string]any{"first_name": "Jürgen", "last_name": "Weiß", "email": email,
			"municipality_id": e.ahlen.ID, "privacy_consent": true, "answers": answers})
	}
	answers := map[string]any{id(q.ID): []int64{q.Options[0].ID, q.Options[1].ID}, id(n.ID): 2}
	created := person("j.weiss@ahlen.example", answers)
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", created.StatusCode, created.Body)
	}
	want := fmt.Sprintf(`"answers":{"%d":[%d,%d],"%d":2}`, q.ID, q.Options[0].ID, q.Options[1].ID, n.ID)
	if !strings.Contains(created.Body, want) {
		t.Fatalf("created lacks %s: %s", want, created.Body)
	}
	got := e.api(http.MethodGet, created.Header.Get("Location"), token, nil)
	if !strings.Contains(got.Body, want) {
		t.Fatalf("read back lacks %s: %s", want, got.Body)
	}
	if all := e.api(http.MethodGet, base+"/registrations", token, nil); !strings.Contains(all.Body, want) {
		t.Fatalf("list lacks %s", want)
	}
	full := person("b@ahlen.example", map[string]any{id(q.ID): []int64{q.Options[0].ID}})
	if full.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(full.Body, `"q_`+id(q.ID)+`":"„Kita“ ist ausgebucht.`) {
		t.Fatalf("full option: %d %s", full.StatusCode, full.Body)
	}
	missing := person("c@ahlen.example", map[string]any{"999999": "x"})
	if missing.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(missing.Body, "Die Frage 999999 gibt es bei dieser Veranstaltung nicht.") ||
		!strings.Contains(missing.Body, "Bitte beantworten Sie die Frage „Workshops“.") {
		t.Fatalf("unknown question: %d %s", missing.StatusCode, missing.Body)
	}
	if r := person("d@ahlen.example", map[string]any{id(q.ID): map[string]int{"a": 1}}); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("object as answer: %d %s", r.StatusCode, r.Body)
	}
	upd := e.api(http.MethodPut, fmt.Sprintf("%s/questions/%d", base, q.ID), token, map[string]any{"kind": "multiple_choice", "label": "Workshops am Nachmittag",
		"options": []map[string]any{{"id": q.Options[0].ID, "label": "Kita", "capacity": 2}}})
	if upd.StatusCode != http.StatusOK || !strings.Contains(upd.Body, `"capacity":2,"taken":1`) {
		t.Fatalf("update: %d %s", upd.StatusCode, upd.Body)
	}
	if r := e.api(http.MethodDelete, fmt.Sprintf("%s/questions/%d", base, n.ID), token, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if got := e.api(http.MethodGet, created.Header.Get("Location"), token, nil); !strings.Contains(got.Body, fmt.Sprintf(`"%d":2`, n.ID)) {
		t.Fatalf("answer to the deleted question gone: %s", got.Body)
	}
}

func TestParticipantListShowsTickedQuestions(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	qs := e.questions(ev.ID)
	if _, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Erika", LastName: "Muster", Email: "erika@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true, Answers: question.Submitted{qs.unit.ID: {"Geheimamt"}, qs.overnight.ID: {"ja"}}},
		registration.Options{}); err != nil {
		t.Fatal(err)
	}
	r := e.get(e.loggedIn(), fmt.Sprintf("/admin/events/%d/participants.pdf", ev.ID))
	isPDF(t, "participant list", r)
	file := filepath.Join(t.TempDir(), "list.pdf")
	if err := os.WriteFile(file, []byte(r.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	text := string(out)
	if !strings.Contains(text, "Übernachtung") || !regexp.MustCompile(`Muster, Erika.*erika@ahlen\.example\s+Ja`).MatchString(text) {
		t.Errorf("participant list lacks the ticked question's column:\n%s", text)
	}
	if strings.Contains(text, "Geheimamt") || strings.Contains(text, "Begleitpersonen") {
		t.Errorf("participant list shows a question not ticked:\n%s", text)
	}
}
