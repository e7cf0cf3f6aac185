package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/survey"
)

// answerAll lets each person answer through a link of their own: the
// overall rating and, where given, a free text.
func (e *env) answerAll(ev event.Event, people []registration.Registration, ratings []int, texts []string) []survey.Question {
	e.t.Helper()
	ctx := context.Background()
	st := survey.NewStore(e.db.Gorm)
	qs, err := st.Questions(ctx, ev.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for i, p := range people[:len(ratings)] {
		token, err := st.IssueLink(ctx, ev.ID, p.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		// The other ratings follow the overall one, a little lower for
		// the working groups.
		a := survey.Answers{qs[0].ID: {strconv.Itoa(ratings[i])}, qs[1].ID: {strconv.Itoa(ratings[i])},
			qs[2].ID: {strconv.Itoa(max(1, ratings[i]-1))}, qs[3].ID: {strconv.Itoa(min(5, ratings[i]+1))}}
		if i < len(texts) && texts[i] != "" {
			a[qs[4].ID] = []string{texts[i]}
		}
		if err := st.Submit(ctx, token, a); err != nil {
			e.t.Fatal(err)
		}
	}
	return qs
}

// svgChart is the part of a bar chart the test reads.
type svgChart struct {
	Role  string `xml:"role,attr"`
	Title string `xml:"title"`
	Rects []struct {
		Class string  `xml:"class,attr"`
		Width float64 `xml:"width,attr"`
		Count int     `xml:"data-count,attr"`
	} `xml:"rect"`
}

func firstChart(t *testing.T, page string) svgChart {
	t.Helper()
	i, j := strings.Index(page, "<svg"), strings.Index(page, "</svg>")
	if i < 0 || j < i {
		t.Fatal("no chart on the page")
	}
	var ch svgChart
	if err := xml.Unmarshal([]byte(page[i:j+len("</svg>")]), &ch); err != nil {
		t.Fatalf("chart is no well-formed SVG: %v", err)
	}
	return ch
}

// TestFeedbackResults: four of five asked answered (ratings 5, 4, 4, 2):
// the page states the response rate; the overall rating's chart is an
// SVG image with a text alternative and five bars whose lengths follow
// the counts, with a table of the same numbers; two free texts stay
// hidden, a third shows them; the comparison lists the earlier meeting
// of the same kind; the CSV has one row per answer set without ids;
// the PDF report names the questions, counts and percentages, and has
// the comparison too.
func TestFeedbackResults(t *testing.T) {
	e := newEnv(t)
	org := e.loggedIn()
	earlier, before := e.surveyedMeetingAgo(2, 120)
	e.openSurveyFrom(org, earlier, -119)
	e.answerAll(earlier, before, []int{3, 2}, nil)

	ev, people := e.surveyedMeeting(5)
	e.openSurvey(org, ev)
	qs := e.answerAll(ev, people, []int{5, 4, 4, 2}, []string{"Gute Beispiele aus Herne", "Kontakte"})
	results := fmt.Sprintf("/admin/events/%d/feedback/results", ev.ID)
	page := e.get(org, results)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("results: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "<strong>4 von 5</strong>", "(80 %)", "Durchschnitt 3,8 von 5",
		"Zu wenige Antworten, um Freitexte anzuzeigen")
	if strings.Contains(page.Body, "Gute Beispiele aus Herne") {
		t.Error("two free texts are shown")
	}
	ch := firstChart(t, page.Body)
	if ch.Role != "img" || !strings.Contains(ch.Title, "5 sehr zufrieden: 1") {
		t.Errorf("chart role %q, text alternative %q", ch.Role, ch.Title)
	}
	want := []int{0, 1, 0, 2, 1} // ratings 1 … 5
	if len(ch.Rects) != len(want) {
		t.Fatalf("%d bars, want %d", len(ch.Rects), len(want))
	}
	perAnswer := 0.0
	for i, r := range ch.Rects {
		if r.Count != want[i] {
			t.Errorf("bar %d counts %d, want %d", i+1, r.Count, want[i])
		}
		if want[i] == 0 {
			if r.Width != 0 {
				t.Errorf("bar %d without answers is %.2f long", i+1, r.Width)
			}
			continue
		}
		if perAnswer == 0 {
			perAnswer = r.Width / float64(want[i])
		}
		if math.Abs(r.Width-perAnswer*float64(want[i])) > 0.05 {
			t.Errorf("bar %d is %.2f long for %d answers; %.2f per answer", i+1, r.Width, want[i], perAnswer)
		}
	}
	mustContain(t, page.Body, `<th scope="row">4</th><td class="num">2</td><td class="num">50 %</td>`)
	mustContain(t, page.Body, "Vergleich mit früheren Treffen", "2,5", "3,8")

	e.answerAll(ev, people[4:], []int{3}, []string{"Mut zur Beteiligung"})
	page = e.get(org, results)
	mustContain(t, page.Body, "Gute Beispiele aus Herne", "Kontakte", "Mut zur Beteiligung")

	raw := e.get(org, results+".csv")
	reader := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw.Body, "\ufeff")))
	reader.Comma = ';'
	rows, err := reader.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(rows) != 6 || rows[0][0] != qs[0].Label || len(rows[0]) != len(qs) {
		t.Fatalf("CSV rows: %q", rows)
	}
	ratings := map[string]int{}
	for _, r := range rows[1:] {
		ratings[r[0]]++
	}
	if ratings["5"] != 1 || ratings["4"] != 2 || ratings["3"] != 1 || ratings["2"] != 1 {
		t.Errorf("CSV ratings %v", ratings)
	}

	pdf := e.get(org, results+".pdf")
	if pdf.StatusCode != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Fatalf("PDF: %d", pdf.StatusCode)
	}
	text := pdfText(t, []byte(pdf.Body))
	mustContain(t, text, "Ergebnisse der Befragung", "Rücklauf: 5 von 5", "(100 %)", qs[0].Label, qs[3].Label,
		"2 (40 %)", "Durchschnitt 3,6 von 5", "Mut zur Beteiligung", "Vergleich mit früheren Treffen", earlier.Days.First().German())
	if !regexp.MustCompile(regexp.QuoteMeta(qs[0].Label) + `\s+2,5\s+3,6\s`).MatchString(text) {
		t.Errorf("the report's comparison has no row %q with 2,5 then 3,6:\n%s", qs[0].Label, text)
	}
}

// pdfText is the text of a PDF by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		fmt.Printf("SKIP %s: pdftotext not installed (poppler-utils)\n", t.Name())
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(bytes.Join(bytes.Fields(out), []byte(" ")))
}
