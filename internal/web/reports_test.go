package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/report"
)

// TestNetworkReportOfTheDemoYear opens the report over 2018 of the demo
// as an organiser: page, PDF and workbook carry the same figures as the
// report store computes.
func TestNetworkReportOfTheDemoYear(t *testing.T) {
	e := newEnv(t)
	e.loadDemo(time.Now())
	want, err := report.NewStore(e.db.Gorm).Network(context.Background(), report.YearPeriod(2018), day.Today(time.Now()), report.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Meetings) != 4 || want.Participants() == 0 || len(want.NotReached) == 0 {
		t.Fatalf("demo 2018: %d meetings, %d participants, not reached %v", len(want.Meetings), want.Participants(), want.NotReached)
	}
	c := e.loggedIn()
	page := e.get(c, "/admin/reports/network?jahr=2018")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: %d\n%s", page.StatusCode, page.Body)
	}
	mustContain(t, page.Body, "Netzwerkbericht 2018", `role="img"`, "Stadt Gladbeck", "Nicht erreicht ("+fmt.Sprint(len(want.NotReached)),
		`<a href="/admin/reports/network">Netzwerkbericht</a>`, `href="/admin/reports/network.pdf?jahr=2018"`)
	for _, m := range want.Meetings {
		mustContain(t, page.Body, fmt.Sprintf(`<th scope="row">%s</th><td>%s</td><td class="num">%d</td><td class="num">%d</td><td class="num">%d</td>`,
			m.Name, m.Days.German(), m.Registrations, m.Participants(), m.NoShows()))
	}
	if n := strings.Count(page.Body, `<rect class="bar"`); n != len(want.Meetings)+2 {
		t.Errorf("%d bars on the page, want one per meeting and two for the municipalities", n)
	}

	pdf := e.get(c, "/admin/reports/network.pdf?von=01.01.2018&bis=2018-12-31")
	if pdf.StatusCode != http.StatusOK || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	text := pdfToText(t, pdf.Body)
	mustContain(t, text, "Bericht Lernnetzwerk Kommunale Präventionsketten NRW, 2018", "Stadt Gladbeck")
	for _, m := range want.Meetings {
		if !regexp.MustCompile(regexp.QuoteMeta(m.Name) + `\s+` + regexp.QuoteMeta(m.Days.German()) + fmt.Sprintf(`\s+%d\s+%d\s+%d`, m.Registrations, m.Participants(), m.NoShows())).MatchString(text) {
			t.Errorf("PDF lacks the row of %s (%d, %d, %d):\n%s", m.Name, m.Registrations, m.Participants(), m.NoShows(), text)
		}
	}
	for _, mu := range want.Municipalities {
		if !regexp.MustCompile(regexp.QuoteMeta(mu.Name) + fmt.Sprintf(`\s+%d\s+%d\s+%s`, mu.Meetings, mu.People, mu.Status())).MatchString(text) {
			t.Errorf("PDF lacks the row of %s", mu.Name)
		}
	}

	xlsx := e.get(c, "/admin/reports/network.xlsx?jahr=2018")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx.Body)))
	if err != nil {
		t.Fatalf("xlsx (%d): %v", xlsx.StatusCode, err)
	}
	defer f.Close()
	rows, err := f.GetRows("Nicht erreicht")
	if err != nil || len(rows) != len(want.NotReached)+1 {
		t.Errorf("sheet Nicht erreicht: %d rows (%v), want %d", len(rows), err, len(want.NotReached)+1)
	}
	if got, _ := f.GetCellValue("Treffen", fmt.Sprintf("D%d", len(want.Meetings)+2)); got != fmt.Sprint(want.Participants()) {
		t.Errorf("total participants in the workbook %q, want %d", got, want.Participants())
	}

	if r := e.get(c, "/admin/reports/network?von=31.12.2018&bis=01.01.2018"); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reversed period: %d", r.StatusCode)
	} else {
		mustContain(t, r.Body, "Anfangs- und Enddatum")
	}
}

// TestCoordinatorReportShowsOnlyOwnMunicipality: the coordinator of
// Ahlen sees Ahlen's figures and no other municipality's name in page,
// PDF or workbook.
func TestCoordinatorReportShowsOnlyOwnMunicipality(t *testing.T) {
	e := newEnv(t)
	e.loadDemo(time.Now())
	c := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	var others []string
	if err := e.db.Gorm.Table("municipalities").Where("id <> ?", e.ahlen.ID).Pluck("name", &others).Error; err != nil {
		t.Fatal(err)
	}
	own, err := report.NewStore(e.db.Gorm).Network(context.Background(), report.YearPeriod(2018), day.Today(time.Now()), report.Scope{MunicipalityID: e.ahlen.ID, Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	if own.Participants() == 0 {
		t.Fatal("Ahlen has no participants in 2018 in the demo")
	}
	page := e.get(c, "/portal/report?jahr=2018")
	pdf := e.get(c, "/portal/report.pdf?jahr=2018")
	xlsx := e.get(c, "/portal/report.xlsx?jahr=2018")
	for _, r := range []response{page, pdf, xlsx} {
		if r.StatusCode != http.StatusOK {
			t.Fatalf("status %d", r.StatusCode)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cells strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, row := range rows {
			cells.WriteString(strings.Join(row, "|") + "\n")
		}
	}
	if contains(f.GetSheetList(), "Nicht erreicht") {
		t.Error("the coordinator's workbook has the sheet of municipalities not reached")
	}
	text := pdfToText(t, pdf.Body)
	for name, body := range map[string]string{"page": page.Body, "PDF": text, "XLSX": cells.String()} {
		mustContain(t, body, "Stadt Ahlen")
		for _, o := range others {
			if strings.Contains(body, o) {
				t.Errorf("%s names %s", name, o)
			}
		}
	}
	mustContain(t, page.Body, fmt.Sprintf(`<tfoot><tr><th scope="row">Summe</th><td></td><td class="num">%d</td><td class="num">%d</td>`, own.Registrations(), own.Participants()))
	if got, _ := f.GetCellValue("Treffen", fmt.Sprintf("D%d", len(own.Meetings)+2)); got != fmt.Sprint(own.Participants()) {
		t.Errorf("workbook total %q, want Ahlen's %d participants", got, own.Participants())
	}
	if !strings.Contains(text, "Bericht Lernnetzwerk Kommunale Präventionsketten NRW, 2018") {
		t.Errorf("PDF title missing:\n%s", text)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
