package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/privacy"
	"github.com/isa-nrw/treffen/internal/registration"
)

func TestPrivacyNoticeBuiltInAndConfigured(t *testing.T) {
	e := newEnv(t, func(c *config.Config) {
		c.PrivacyContact, c.PrivacyEmail, c.RetentionMonths = "Dr. Daten Schutz", "dsb@isa.example", 18
	})
	page := e.get(e.client(), "/datenschutz")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("notice: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "Verantwortlich", "Dr. Daten Schutz", "mailto:dsb@isa.example", "18 Monate", `href="/manage"`)
	mustContain(t, e.get(e.client(), "/").Body, `href="/datenschutz"`)

	file := filepath.Join(t.TempDir(), "notice.md")
	if err := os.WriteFile(file, []byte("# Hinweise der Stadt\n\nText mit **Gewicht** und [Link](https://example.org/ds).\n\n- erstens\n- zweitens <script>alert(1)</script>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newEnv(t, func(c *config.Config) {
		c.PrivacyNoticeFile = file
		c.ConsentText = "Ich bin mit der Verarbeitung nach den Hinweisen einverstanden."
	})
	page = f.get(f.client(), "/datenschutz")
	mustContain(t, page.Body, "<h2>Hinweise der Stadt</h2>", "<strong>Gewicht</strong>", `<a href="https://example.org/ds">Link</a>`,
		"<li>erstens</li>", "&lt;script&gt;")
	if strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "Verantwortlich") {
		t.Error("configured notice not escaped or the built-in notice shown too")
	}
	ev := f.event(10, 0, 1)
	form := f.get(f.client(), fmt.Sprintf("/events/%d/register", ev.ID)).Body
	mustContain(t, form, "Ich bin mit der Verarbeitung nach den Hinweisen einverstanden.", `href="/datenschutz"`,
		"Anrede <span class=\"hint\">(optional)</span>", "Telefon (optional)", "Funktion / Dienststelle (optional)",
		"Hinweise zur Verpflegung (optional)", "Unterstützungsbedarf (optional)", "Fotos (optional)", "Organisation (optional")

}

func TestRegistrationWithOnlyRequiredFields(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RegisterLimit = 0 })
	ev := e.event(10, 0, 2) // two days: the days are optional too
	resp := e.postForm(e.client(), fmt.Sprintf("/events/%d/register", ev.ID), url.Values{
		"first_name": {"Mia"}, "last_name": {"Minimal"}, "email": {"mia@ahlen.example"},
		"municipality_id": {fmt.Sprint(e.ahlen.ID)}, "privacy_consent": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form with required fields only: %d %s", resp.StatusCode, resp.Body)
	}
	api := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "", map[string]any{
		"first_name": "Max", "last_name": "Minimal", "email": "max@coesfeld.example", "municipality_id": e.coesfeld.ID, "privacy_consent": true})
	if api.StatusCode != http.StatusCreated {
		t.Fatalf("API with required fields only: %d %s", api.StatusCode, api.Body)
	}
	regs, err := e.regs.List(context.Background(), ev.ID, registration.Filter{})
	if err != nil || len(regs) != 2 {
		t.Fatalf("registrations: %v %v", regs, err)
	}
	for _, r := range regs {
		if len(r.Days) != 2 || r.PrivacyConsentAt.IsZero() || r.Status != registration.Confirmed {
			t.Errorf("%s: days %v consent %v status %s", r.Email, r.Days, r.PrivacyConsentAt, r.Status)
		}
	}
	// Without consent there is no registration, by form or API.
	resp = e.postForm(e.client(), fmt.Sprintf("/events/%d/register", ev.ID), url.Values{
		"first_name": {"Nina"}, "last_name": {"Ohne"}, "email": {"nina@ahlen.example"}, "municipality_id": {fmt.Sprint(e.ahlen.ID)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "Bitte stimmen Sie") {
		t.Errorf("without consent: %d", resp.StatusCode)
	}
	// The form's days, all unchecked, are still a mistake.
	resp = e.postForm(e.client(), fmt.Sprintf("/events/%d/register", ev.ID), url.Values{
		"first_name": {"Nina"}, "last_name": {"Keintag"}, "email": {"nina@ahlen.example"}, "municipality_id": {fmt.Sprint(e.ahlen.ID)},
		"privacy_consent": {"1"}, "days_shown": {"1"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("all days unchecked: %d", resp.StatusCode)
	}
}

func TestManageLinkDataDownloadAndDeletion(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RegisterLimit = 0 })
	ctx := context.Background()
	ev := e.event(1, 0, 1)
	me, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Leonore", LastName: "Löschwunsch", Email: "leonore@ahlen.example",
		MunicipalityID: &e.ahlen.ID, Phone: "02382 99", DietaryNeeds: "glutenfrei", PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	next, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Wilma", LastName: "Wartend", Email: "wilma@coesfeld.example",
		MunicipalityID: &e.coesfeld.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil || next.Status != registration.Waitlisted {
		t.Fatalf("setup: %v %s", err, next.Status)
	}
	c := e.client()
	page := e.get(c, "/manage/"+me.ManageToken)
	mustContain(t, page.Body, "Ihre Daten", "/manage/"+me.ManageToken+"/data.json", "/manage/"+me.ManageToken+"/delete")

	data := e.get(c, "/manage/"+me.ManageToken+"/data.json")
	if data.StatusCode != http.StatusOK || !strings.HasPrefix(data.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("data.json: %d %q", data.StatusCode, data.Header.Get("Content-Disposition"))
	}
	var exp privacy.Export
	if err := json.Unmarshal([]byte(data.Body), &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.Registrations) != 1 || exp.Registrations[0].Registration.Email != me.Email || exp.Registrations[0].Municipality != "Stadt Ahlen" ||
		len(exp.Registrations[0].Mails) != 1 || exp.Registrations[0].Meeting.ID != ev.ID {
		t.Errorf("export: %s", data.Body)
	}
	mustContain(t, data.Body, "glutenfrei", "02382 99", "privacy_consent_at")
	for _, not := range []string{"Wilma", next.Email, me.ManageToken} {
		if strings.Contains(data.Body, not) {
			t.Errorf("data.json holds %q", not)
		}
	}

	confirm := e.get(c, "/manage/"+me.ManageToken+"/delete")
	mustContain(t, confirm.Body, "Daten endgültig löschen", "Warteliste")
	if r := e.postForm(c, "/manage/"+me.ManageToken+"/delete", url.Values{}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("delete without confirmation: %d", r.StatusCode)
	}
	done := e.postForm(c, "/manage/"+me.ManageToken+"/delete", url.Values{"confirm": {"1"}})
	if done.StatusCode != http.StatusOK {
		t.Fatalf("delete: %d %s", done.StatusCode, done.Body)
	}
	mustContain(t, done.Body, "Ihre Daten sind gelöscht", "storniert und anonymisiert", "Was bleibt", "Kommune, Status")
	if r := e.get(c, "/manage/"+me.ManageToken); r.StatusCode != http.StatusNotFound {
		t.Errorf("the old link still opens: %d", r.StatusCode)
	}
	got, _ := e.regs.Get(ctx, me.ID)
	if got.FirstName != privacy.AnonymousFirstName || got.Phone != "" || got.Status != registration.Cancelled || *got.MunicipalityID != e.ahlen.ID {
		t.Errorf("after deletion: %+v", got)
	}
	if promoted, _ := e.regs.Get(ctx, next.ID); promoted.Status != registration.Confirmed {
		t.Errorf("the waiting list did not move up: %s", promoted.Status)
	}
	audit := e.get(e.loggedIn(), "/admin/audit").Body
	mustContain(t, audit, "Löschung durch Teilnehmende")
	if strings.Contains(audit, "Leonore") || strings.Contains(audit, "leonore@") {
		t.Error("the audit log still names the person")
	}
}

func TestOrganiserExportAndEraseAcrossMeetings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	one, two := e.event(10, 0, 1), e.event(10, 0, 1)
	const email = "edeltraut@ahlen.example"
	var ids []int64
	for _, ev := range []int64{one.ID, two.ID} {
		r, err := e.regs.Register(ctx, ev, registration.Input{FirstName: "Edeltraut", LastName: "Erase", Email: email,
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	bystander, err := e.regs.Register(ctx, one.ID, registration.Input{FirstName: "Berta", LastName: "Bleibt", Email: "berta@coesfeld.example",
		MunicipalityID: &e.coesfeld.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	org := e.loggedIn()
	search := e.get(org, "/admin/privacy?email=EDELTRAUT@ahlen.example")
	mustContain(t, search.Body, "2 Anmeldung(en)", "Edeltraut Erase", "Export (JSON)", "Alle Daten löschen")
	if strings.Contains(search.Body, "Berta") {
		t.Error("search shows another person")
	}
	exp := e.get(org, "/admin/privacy/export.json?email="+email)
	if exp.StatusCode != http.StatusOK || !strings.Contains(exp.Header.Get("Content-Disposition"), "datenauskunft.json") || strings.Contains(exp.Body, "Berta") {
		t.Fatalf("export: %d %s", exp.StatusCode, exp.Body)
	}
	confirm := e.get(org, "/admin/privacy/erase?email="+email)
	mustContain(t, confirm.Body, "Endgültig löschen", fmt.Sprintf("Anmeldung %d", ids[0]), fmt.Sprintf("Anmeldung %d", ids[1]))
	if r := e.postForm(org, "/admin/privacy/erase", url.Values{"email": {email}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("erase without confirmation: %d", r.StatusCode)
	}
	r := e.postForm(org, "/admin/privacy/erase", url.Values{"email": {email}, "confirm": {"1"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("erase: %d %s", r.StatusCode, r.Body)
	}
	mustContain(t, e.get(org, "/admin/privacy").Body, "2 Anmeldung(en) anonymisiert")
	for _, id := range ids {
		if got, _ := e.regs.Get(ctx, id); got.Email != privacy.AnonymousEmail(id) {
			t.Errorf("registration %d not erased: %+v", id, got)
		}
	}
	if got, _ := e.regs.Get(ctx, bystander.ID); got.Email != bystander.Email {
		t.Error("another person was erased")
	}
	if r := e.get(org, "/admin/privacy?email="+email); !strings.Contains(r.Body, "keine Daten gespeichert") {
		t.Error("the address still finds data")
	}
	audit := e.get(org, "/admin/audit").Body
	mustContain(t, audit, "Datenauskunft exportiert", "Personendaten gelöscht", fmt.Sprintf("IDs %d, %d", ids[0], ids[1]))
	if strings.Contains(audit, "Edeltraut") || strings.Contains(audit, email) {
		t.Error("the audit log names the erased person")
	}

	// The same through the API, checked against the OpenAPI document.
	doc := e.openAPI()
	token := e.token()
	e.conform(doc, "GET /api/v1/people/export", e.api(http.MethodGet, "/api/v1/people/export?email="+bystander.Email, token, nil))
	e.conform(doc, "GET /api/v1/people/export", e.api(http.MethodGet, "/api/v1/people/export?email="+email, token, nil))
	e.conform(doc, "GET /api/v1/people/export", e.api(http.MethodGet, "/api/v1/people/export", token, nil))
	e.conform(doc, "POST /api/v1/people/erase", e.api(http.MethodPost, "/api/v1/people/erase", token, `{"mail": "x"}`))
	erased := e.api(http.MethodPost, "/api/v1/people/erase", token, map[string]string{"email": bystander.Email})
	e.conform(doc, "POST /api/v1/people/erase", erased)
	var er privacy.Erasure
	if err := json.Unmarshal([]byte(erased.Body), &er); err != nil || len(er.Registrations) != 1 || er.Registrations[0] != bystander.ID || !er.AttendanceKept {
		t.Errorf("API erase: %s %v", erased.Body, err)
	}
	e.conform(doc, "POST /api/v1/people/erase", e.api(http.MethodPost, "/api/v1/people/erase", token, map[string]string{"email": bystander.Email}))
	e.conform(doc, "POST /api/v1/people/erase", e.api(http.MethodPost, "/api/v1/people/erase", "", map[string]string{"email": bystander.Email}))
}
