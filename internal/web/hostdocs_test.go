package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
)

// pdfPages counts the pages of a PDF with pdfinfo; -1 when pdfinfo is
// not installed.
func pdfPages(t *testing.T, body string) int {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		return -1
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, file).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo without page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func isPDF(t *testing.T, what string, r response) {
	t.Helper()
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("%s: %d %s %.80q", what, r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
}

func TestPrintedDocuments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(3)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	so := e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@coesfeld.example", &e.coesfeld.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@gast.example", nil)
	waiting := e.person(ev.ID, "Wilma", "Warteliste", "w.w@ahlen.example", &e.ahlen.ID)
	hostClient, hostToken := e.host("einlass@ahlen.example", ev.ID)
	token := e.token()
	api := fmt.Sprintf("/api/v1/events/%d", ev.ID)
	doc := e.openAPI()

	badges := e.api(http.MethodGet, api+"/badges.pdf?layout=8&sort=municipality", hostToken, nil)
	isPDF(t, "badges 8 per page", badges)
	if n := pdfPages(t, badges.Body); n != -1 && n != 1 {
		t.Errorf("8 badges per page for 3 people: %d pages", n)
	}
	if n := pdfPages(t, e.api(http.MethodGet, api+"/badges.pdf", hostToken, nil).Body); n != -1 && n != 3 {
		t.Errorf("A6 badges for 3 people: %d pages, want 3", n)
	}
	late := e.api(http.MethodGet, api+fmt.Sprintf("/badges.pdf?layout=a6&ids=%d", so.ID), token, nil)
	isPDF(t, "badge of one late registration", late)
	if n := pdfPages(t, late.Body); n != -1 && n != 1 {
		t.Errorf("badges for ids=%d: %d pages, want 1", so.ID, n)
	}
	isPDF(t, "badges from the host page", e.get(hostClient, fmt.Sprintf("/host/events/%d/badges.pdf?layout=4", ev.ID)))
	for _, tc := range []struct {
		query  string
		status int
	}{{"layout=9", http.StatusBadRequest}, {"sort=alter", http.StatusBadRequest}, {"ids=x", http.StatusBadRequest},
		{fmt.Sprintf("ids=%d", waiting.ID), http.StatusConflict}} {
		r := e.api(http.MethodGet, api+"/badges.pdf?"+tc.query, token, nil)
		if r.StatusCode != tc.status {
			t.Errorf("badges.pdf?%s: %d %s, want %d", tc.query, r.StatusCode, r.Body, tc.status)
		}
		e.mustDocumentStatus(doc, "GET /api/v1/events/{id}/badges.pdf", r.StatusCode)
	}

	isPDF(t, "signature list of today", e.api(http.MethodGet, api+"/signatures.pdf?day="+ev.Days[0].String(), hostToken, nil))
	isPDF(t, "signature list of all days", e.get(hostClient, fmt.Sprintf("/host/events/%d/signatures.pdf", ev.ID)))
	if r := e.api(http.MethodGet, api+"/signatures.pdf?day=2001-01-01", hostToken, nil); r.StatusCode != http.StatusBadRequest {
		t.Errorf("signature list of another day: %d", r.StatusCode)
	}

	// Certificates only for people who were checked in.
	if r := e.api(http.MethodGet, api+"/certificates.pdf", hostToken, nil); r.StatusCode != http.StatusConflict {
		t.Errorf("certificates before anybody came: %d", r.StatusCode)
	}
	for _, r := range []int64{jw.ID, so.ID} {
		if resp := e.api(http.MethodPost, api+"/check-ins", hostToken, map[string]any{"registration_id": r}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("check-in: %d %s", resp.StatusCode, resp.Body)
		}
	}
	certs := e.api(http.MethodGet, api+"/certificates.pdf", hostToken, nil)
	isPDF(t, "certificates", certs)
	if n := pdfPages(t, certs.Body); n != -1 && n != 2 {
		t.Errorf("certificates for 2 checked-in of 3 confirmed: %d pages", n)
	}

	// A participant downloads the own certificate once checked in.
	if r := e.get(e.client(), "/manage/"+jw.ManageToken); !strings.Contains(r.Body, "/manage/"+jw.ManageToken+"/certificate.pdf") {
		t.Errorf("manage page of a checked-in person lacks the certificate link")
	}
	own := e.get(e.client(), "/manage/"+jw.ManageToken+"/certificate.pdf")
	isPDF(t, "own certificate", own)
	if n := pdfPages(t, own.Body); n != -1 && n != 1 {
		t.Errorf("own certificate: %d pages", n)
	}
	if r := e.get(e.client(), "/manage/"+waiting.ManageToken+"/certificate.pdf"); r.StatusCode != http.StatusNotFound {
		t.Errorf("certificate without check-in: %d", r.StatusCode)
	}
	if r := e.get(e.client(), "/manage/"+waiting.ManageToken); strings.Contains(r.Body, "certificate.pdf") {
		t.Errorf("manage page offers a certificate without check-in")
	}

	// Every export is in the audit log.
	entries, err := audit.NewStore(e.db.Gorm).List(ctx, audit.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, en := range entries {
		if en.Action == audit.Export {
			exports = append(exports, en.Details)
		}
	}
	joined := strings.Join(exports, "\n")
	for _, want := range []string{"Namensschilder (PDF, 8 je A4-Seite, 3 Personen)", "Namensschilder (PDF, A6, eines je Seite, 1 Person)",
		"Unterschriftenliste (PDF, " + ev.Days[0].German() + ")", "Unterschriftenliste (PDF, alle Tage)", "Teilnahmebescheinigungen (PDF, 2 Personen)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("audit log lacks %q:\n%s", want, joined)
		}
	}
}

func TestRegistrationExports(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(2)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@coesfeld.example", &e.coesfeld.ID)
	e.person(ev.ID, "Änne", "Übel", "ae.ue@ahlen.example", &e.ahlen.ID) // waiting
	_, hostToken := e.host("einlass@ahlen.example", ev.ID)
	token := e.token()
	api := fmt.Sprintf("/api/v1/events/%d", ev.ID)
	if r := e.api(http.MethodPost, api+"/check-ins", token, map[string]any{"code": jw.CheckinCode}); r.StatusCode != http.StatusCreated {
		t.Fatalf("check-in: %d", r.StatusCode)
	}

	csv := e.api(http.MethodGet, api+"/registrations.csv?columns=last_name,first_name,municipality,status,checked_in", token, nil)
	if csv.StatusCode != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", csv.StatusCode, csv.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(csv.Body, "\uFEFF") {
		t.Errorf("CSV lacks the byte order mark: %.20q", csv.Body)
	}
	lines := strings.Split(strings.TrimRight(strings.TrimPrefix(csv.Body, "\uFEFF"), "\r\n"), "\r\n")
	if lines[0] != "Nachname;Vorname;Kommune;Status;Anwesend (Check-in)" {
		t.Errorf("CSV header %q", lines[0])
	}
	if len(lines) != 4 || !strings.Contains(csv.Body, "Weiß;Jürgen;Stadt Ahlen") || strings.Contains(csv.Body, "@") {
		t.Errorf("CSV rows:\n%s", csv.Body)
	}
	if cd := csv.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="anmeldungen-%d.csv"`, ev.ID) {
		t.Errorf("CSV Content-Disposition %q", cd)
	}
	// The column chooser sends columns=a&columns=b.
	chosen := e.get(e.loggedIn(), fmt.Sprintf("/admin/events/%d/registrations.csv?columns=email&columns=last_name&status=confirmed", ev.ID))
	if first := strings.SplitN(strings.TrimPrefix(chosen.Body, "\uFEFF"), "\r\n", 2)[0]; chosen.StatusCode != http.StatusOK || first != "E-Mail;Nachname" || strings.Contains(chosen.Body, "Übel") {
		t.Errorf("CSV from the column chooser: %d\n%s", chosen.StatusCode, chosen.Body)
	}
	if r := e.api(http.MethodGet, api+"/registrations.csv?columns=passwort", token, nil); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "passwort") {
		t.Errorf("unknown column: %d %s", r.StatusCode, r.Body)
	}
	if r := e.api(http.MethodGet, api+"/registrations.csv", hostToken, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("CSV for a host: %d, want 403 (personal data)", r.StatusCode)
	}

	x := e.api(http.MethodGet, api+"/registrations.xlsx?columns=last_name,first_name,municipality", token, nil)
	if x.StatusCode != http.StatusOK || x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("XLSX: %d %s", x.StatusCode, x.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.Body)))
	if err != nil {
		t.Fatalf("XLSX does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, row := range rows {
		cells = append(cells, strings.Join(row, "|"))
	}
	all := strings.Join(cells, "\n")
	for _, want := range []string{"Nachname|Vorname|Kommune", "Weiß|Jürgen|Stadt Ahlen", "Öztürk|Şükrü|Kreis Coesfeld", "Übel|Änne|Stadt Ahlen"} {
		if !strings.Contains(all, want) {
			t.Errorf("XLSX lacks %q:\n%s", want, all)
		}
	}

	entries, err := audit.NewStore(e.db.Gorm).List(context.Background(), audit.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, en := range entries {
		if en.Action == audit.Export && strings.HasPrefix(en.Details, "Anmeldungen (") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d exports in the audit log, want 3 (two CSV, one XLSX)", n)
	}
}

func TestStatisticsAndExportLinks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	earlier := e.event(10, 0, 1)
	// Move the earlier meeting into the past.
	past := day.List{day.Of(time.Now().AddDate(0, -3, 0))}
	if err := e.db.Gorm.WithContext(ctx).Table("events").Where("id = ?", earlier.ID).Update("days", past).Error; err != nil {
		t.Fatal(err)
	}
	e.person(earlier.ID, "Alt", "Gedient", "a.g@ahlen.example", &e.ahlen.ID)
	ev := e.meetingToday(2)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@coesfeld.example", &e.coesfeld.ID) // waiting
	if _, err := e.checkins.Record(ctx, ev, jw, ev.Days[0], nil); err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn()
	r := e.get(c, fmt.Sprintf("/admin/events/%d/statistics", ev.ID))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("statistics: %d", r.StatusCode)
	}
	text := pageText(r.Body)
	// Stadt Ahlen: 2 registered, 2 confirmed, 0 waiting, 0 cancelled, 1 attended, 1 no-show.
	mustContain(t, text, "Kreis Coesfeld 1 0 1 0 0 0", "Stadt Ahlen 2 2 0 0 1 1", "Summe 3 2 1 0 1 1",
		"Treffen im Verlauf", "17. Lernnetzwerktreffen "+past.German()+" 1 –", "21. Lernnetzwerktreffen "+ev.Days.German()+" 2 1")

	admin := e.get(c, fmt.Sprintf("/admin/events/%d/registrations", ev.ID))
	mustContain(t, admin.Body, "Drucken und Exporte", fmt.Sprintf(`href="/admin/events/%d/badges.pdf?layout=8"`, ev.ID),
		fmt.Sprintf(`href="/admin/events/%d/signatures.pdf?day=%s"`, ev.ID, ev.Days[1]), fmt.Sprintf(`action="/admin/events/%d/registrations.csv"`, ev.ID),
		fmt.Sprintf(`formaction="/admin/events/%d/registrations.xlsx"`, ev.ID), `name="columns" value="checkin_code"`,
		fmt.Sprintf(`href="/host/events/%d/checkin"`, ev.ID), fmt.Sprintf(`href="/admin/events/%d/statistics"`, ev.ID))
	hostClient, _ := e.host("einlass@ahlen.example", ev.ID)
	host := e.get(hostClient, fmt.Sprintf("/host/events/%d", ev.ID))
	mustContain(t, host.Body, "Drucken und Exporte", fmt.Sprintf(`href="/host/events/%d/certificates.pdf"`, ev.ID), fmt.Sprintf(`href="/host/events/%d/checkin"`, ev.ID))
	if strings.Contains(host.Body, "registrations.csv") {
		t.Error("host page offers the CSV export, which is for organisers only")
	}
}

// TestStatisticsKnowTheDate calls confirmed people without a check-in
// "noch offen" before and during a meeting and "Nicht erschienen" only
// once its last day is over, on the page and in the workbook.
func TestStatisticsKnowTheDate(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	future := e.event(10, 0, 1)
	today := e.meetingToday(10)
	past := e.event(10, 0, 2)
	for _, ev := range []int64{future.ID, today.ID, past.ID} {
		e.person(ev, "Jürgen", "Weiß", fmt.Sprintf("j.weiss.%d@ahlen.example", ev), &e.ahlen.ID)
	}
	came := e.person(today.ID, "Erika", "Mustermann", "e.m@ahlen.example", &e.ahlen.ID)
	if _, err := e.checkins.Record(ctx, today, came, today.Days[0], nil); err != nil {
		t.Fatal(err)
	}
	// The past meeting ended yesterday.
	yesterday := day.Today(time.Now()).In(time.UTC).AddDate(0, 0, -1)
	over := day.List{day.Of(yesterday.AddDate(0, 0, -1)), day.Of(yesterday)}
	if err := e.db.Gorm.WithContext(ctx).Table("events").Where("id = ?", past.ID).Update("days", over).Error; err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn()
	for _, tc := range []struct {
		name      string
		id        int64
		want, not string
		ahlen     string // Angemeldet … Teilgenommen, not checked in
	}{
		{"future", future.ID, "noch offen", "Nicht erschienen", "Stadt Ahlen 1 1 0 0 0 1"},
		{"today", today.ID, "noch offen", "Nicht erschienen", "Stadt Ahlen 2 2 0 0 1 1"},
		{"past", past.ID, "Nicht erschienen", "noch offen", "Stadt Ahlen 1 1 0 0 0 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.get(c, fmt.Sprintf("/admin/events/%d/statistics", tc.id))
			if r.StatusCode != http.StatusOK {
				t.Fatalf("statistics: %d", r.StatusCode)
			}
			text := pageText(r.Body)
			mustContain(t, text, "Storniert Teilgenommen "+tc.want+" "+tc.ahlen, "„"+tc.want+"“: bestätigt")
			if strings.Contains(text, tc.not) {
				t.Errorf("statistics of the %s meeting say %q:\n%s", tc.name, tc.not, text)
			}
			x := e.get(c, fmt.Sprintf("/admin/events/%d/registrations.xlsx", tc.id))
			f, err := excelize.OpenReader(strings.NewReader(x.Body))
			if err != nil {
				t.Fatalf("XLSX: %d %v", x.StatusCode, err)
			}
			defer f.Close()
			header, err := f.GetCellValue("Kommunen", "G1")
			if err != nil || header != tc.want {
				t.Errorf("XLSX Kommunen G1 = %q, %v; want %q", header, err, tc.want)
			}
		})
	}
}

// pdfToText extracts the text of a PDF answer with pdftotext -layout.
func pdfToText(t *testing.T, body string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		fmt.Printf("SKIP %s: pdftotext (poppler-utils) is not installed\n", t.Name())
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// TestHostPageOffersWhatAHostNeeds: the host of a meeting sees the
// waiting list in its order – names, municipality, position, nobody
// cancelled and no addresses – and downloads the participant list as
// CSV and, once there is one, the programme.
func TestHostPageOffersWhatAHostNeeds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(2)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Erika", "Mustermann", "e.m@gast.example", nil)
	e.person(ev.ID, "Wilma", "Warteliste", "w.w@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Şükrü", "Öztürk", "s.oe@coesfeld.example", &e.coesfeld.ID)
	gone := e.person(ev.ID, "Carla", "Storniert", "c.s@ahlen.example", &e.ahlen.ID)
	e.person(ev.ID, "Anna", "Abel", "a.abel@gast.example", nil)
	if _, err := e.regs.Cancel(ctx, gone.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	hostClient, _ := e.host("einlass@ahlen.example", ev.ID)
	base := fmt.Sprintf("/host/events/%d", ev.ID)

	page := e.get(hostClient, base)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("host page: %d", page.StatusCode)
	}
	mustContain(t, pageText(page.Body), "2 bestätigte Teilnehmende",
		"Warteliste", "3 Personen warten auf einen Platz Platz Name Kommune 1 Warteliste, Wilma Stadt Ahlen 2 Öztürk, Şükrü Kreis Coesfeld 3 Abel, Anna Gast e.V.")
	for _, hidden := range []string{"Storniert", "w.w@ahlen.example", "s.oe@coesfeld.example", "a.abel@gast.example", "c.s@ahlen.example"} {
		if strings.Contains(page.Body, hidden) {
			t.Errorf("host page shows %q", hidden)
		}
	}
	mustContain(t, page.Body, `href="`+base+`/participants.csv"`, `href="`+base+`/participants.pdf"`, `href="`+base+`/badges.pdf?layout=a6"`,
		`href="`+base+`/signatures.pdf"`, `href="`+base+`/certificates.pdf"`)

	// The programme: offered once there is one.
	if strings.Contains(page.Body, base+"/programme.pdf") {
		t.Error("host page offers a programme the meeting does not have")
	}
	if r := e.get(hostClient, base+"/programme.pdf"); r.StatusCode != http.StatusNotFound {
		t.Errorf("programme of a meeting without one: %d", r.StatusCode)
	}
	e.programmeItem(ev)
	mustContain(t, e.get(hostClient, base).Body, `href="`+base+`/programme.pdf"`)
	prog := e.get(hostClient, base+"/programme.pdf")
	isPDF(t, "programme", prog)
	mustContain(t, pdfToText(t, prog.Body), "21. Lernnetzwerktreffen", "Begrüßung")

	// The participant list as CSV: the confirmed people only.
	r := e.get(hostClient, base+"/participants.csv")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cd := r.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="teilnehmerliste-%d.csv"`, ev.ID) {
		t.Errorf("CSV Content-Disposition %q", cd)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\uFEFF")))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, r.Body)
	}
	both := ev.Days[0].German() + ", " + ev.Days[1].German()
	want := [][]string{
		{"Titel", "Vorname", "Nachname", "Kommune", "Organisation", "Funktion", "Angemeldete Tage", "E-Mail", "Arbeitsgruppen", "Verpflegung", "Barrierefreiheit"},
		{"", "Erika", "Mustermann", "", "Gast e.V.", "", both, "e.m@gast.example", "", "", ""},
		{"", "Jürgen", "Weiß", "Stadt Ahlen", "", "", both, "j.weiss@ahlen.example", "", "", ""},
	}
	if fmt.Sprint(records) != fmt.Sprint(want) {
		t.Errorf("CSV:\n got %q\nwant %q", records, want)
	}
	if strings.Contains(r.Body, jw.CheckinCode) {
		t.Error("CSV holds a check-in code")
	}
	if o := e.get(e.loggedIn(), base+"/participants.csv"); o.StatusCode != http.StatusOK || o.Body != r.Body {
		t.Errorf("CSV for the organiser: %d", o.StatusCode)
	}
	entries, err := audit.NewStore(e.db.Gorm).List(ctx, audit.Filter{EventID: ev.ID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range entries {
		found = found || en.Action == audit.Export && en.Details == "Teilnehmerliste (CSV, 2 Personen)"
	}
	if !found {
		t.Error("the CSV export is not in the audit log")
	}
}

// TestCertificatePreview: before anybody is checked in, the host and the
// organiser open the certificate of attendance for a sample person,
// from links on their pages.
func TestCertificatePreview(t *testing.T) {
	e := newEnv(t)
	ev := e.meetingToday(3)
	e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	hostClient, _ := e.host("einlass@ahlen.example", ev.ID)
	organiser := e.loggedIn()
	for _, tc := range []struct {
		client *http.Client
		base   string
		page   string
	}{
		{hostClient, fmt.Sprintf("/host/events/%d", ev.ID), fmt.Sprintf("/host/events/%d", ev.ID)},
		{organiser, fmt.Sprintf("/admin/events/%d", ev.ID), fmt.Sprintf("/admin/events/%d/registrations", ev.ID)},
	} {
		link := tc.base + "/certificates/preview.pdf"
		mustContain(t, e.get(tc.client, tc.page).Body, `href="`+link+`">Teilnahmebescheinigung – Vorschau</a>`)
		if r := e.get(tc.client, tc.base+"/certificates.pdf"); r.StatusCode != http.StatusConflict {
			t.Errorf("%s: certificates before anybody came: %d", tc.base, r.StatusCode)
		}
		r := e.get(tc.client, link)
		isPDF(t, link, r)
		if cd := r.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`inline; filename="teilnahmebescheinigung-vorschau-%d.pdf"`, ev.ID) {
			t.Errorf("%s: Content-Disposition %q", link, cd)
		}
		// Without the letters of "MUSTER", written across the page.
		var words []string
		for _, w := range strings.Fields(pdfToText(t, r.Body)) {
			if len(w) != 1 || !strings.Contains("MUSTER", w) {
				words = append(words, w)
			}
		}
		text := strings.Join(words, " ")
		mustContain(t, text, "Vorschau – keine gültige Bescheinigung", "Teilnahmebescheinigung", "Frau Erika Musterfrau", "Musterstadt",
			"am "+ev.Days[0].GermanLong()+" und am "+ev.Days[1].GermanLong(), "„21. Lernnetzwerktreffen“", "Stadthalle, Ahlen")
		if strings.Contains(text, "Weiß") {
			t.Errorf("%s names a real participant", link)
		}
	}
	if r := e.get(e.client(), fmt.Sprintf("/host/events/%d/certificates/preview.pdf", ev.ID)); r.StatusCode == http.StatusOK {
		t.Error("the preview opens without login")
	}
}
