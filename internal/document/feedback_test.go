package document_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/survey"
)

// TestFeedbackReportComparesWithEarlierMeetings: the report ends with the
// comparison table; with four meetings the names keep their words whole,
// every row has its averages in the meetings' order, and a table that
// runs onto a new page repeats its head there.
func TestFeedbackReportComparesWithEarlierMeetings(t *testing.T) {
	names := []string{"14. Lernnetzwerktreffen", "Frühjahrsakademie 2017", "15. Lernnetzwerktreffen", "17. Lernnetzwerktreffen"}
	firsts := []string{"2016-05-10", "2016-09-20", "2016-11-15", "2017-09-13"}
	var meetings []survey.Surveyed
	for i, name := range names {
		var results []survey.Result
		for q := range 40 {
			results = append(results, survey.Result{Question: survey.Question{Kind: survey.Rating,
				Label: fmt.Sprintf("Frage %d: Wie zufrieden sind Sie mit dem Austausch zwischen den Kommunen im Themenfeld %d?", q+1, q+1)},
				Average: float64(1+i) + float64(q%3)*0.5, Answered: 4})
		}
		meetings = append(meetings, survey.Surveyed{Meeting: name, FirstDay: day.MustParse(firsts[i]), Summary: survey.Summary{Results: results}})
	}
	cmp := survey.Compare(meetings)
	now := meetings[len(meetings)-1].Summary
	now.Counts = survey.Counts{Invited: 10, Answered: 4}
	var buf bytes.Buffer
	if err := document.FeedbackReport(&buf, meeting(), now, cmp, 3, generatedAt); err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, buf.Bytes())
	pages := pdfPages(t, path)
	var tablePages int
	for n := 1; n <= pages; n++ {
		text := poppler(t, "pdftotext", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-layout", "-enc", "UTF-8", path, "-")
		if !strings.Contains(text, "Vergleich mit früheren Treffen") && tablePages == 0 {
			continue
		}
		tablePages++
		for _, want := range []string{"Frage ", "Lernnetzwerktreffen", "Frühjahrsakademie", "10.05.2016", "13.09.2017"} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d of the comparison lacks %q in its head:\n%s", n, want, text)
			}
		}
	}
	if tablePages < 2 {
		t.Fatalf("the comparison of 40 questions spans %d pages, want at least 2", tablePages)
	}
	all := poppler(t, "pdftotext", "-layout", "-enc", "UTF-8", path, "-")
	// Question 2: 1,5 at the first meeting, then 2,5, 3,5, 4,5, beside
	// the question's first line.
	row := regexp.MustCompile(`Frage 2: Wie zufrieden sind Sie mit[^\n]*?\s+1,5\s+2,5\s+3,5\s+4,5\n`)
	if !row.MatchString(all) {
		t.Errorf("no row for question 2 with 1,5 2,5 3,5 4,5:\n%s", all)
	}
	if strings.Contains(all, "Lernnetzwerktref\n") || strings.Contains(all, "Frühjahrsakade\n") {
		t.Errorf("a meeting's name is cut inside a word:\n%s", all)
	}
}
