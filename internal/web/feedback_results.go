package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/survey"
)

// comparedMeetings is how many earlier meetings the results compare with.
const comparedMeetings = 3

// feedbackSummary reads a meeting's survey and summarises its answers.
func (s *Server) feedbackSummary(ctx context.Context, eventID int64) ([]survey.Question, []survey.Response, survey.Summary, error) {
	qs, err := s.Surveys.Questions(ctx, eventID)
	if err != nil {
		return nil, nil, survey.Summary{}, err
	}
	rs, err := s.Surveys.Responses(ctx, eventID)
	if err != nil {
		return nil, nil, survey.Summary{}, err
	}
	counts, err := s.Surveys.Counts(ctx, eventID)
	if err != nil {
		return nil, nil, survey.Summary{}, err
	}
	return qs, rs, survey.Summarize(qs, rs, counts, s.cfg.FeedbackMinFreeTexts), nil
}

// feedbackResults is a meeting's survey summarised and compared with the
// earlier meetings of its kind: what the results page, its PDF and the
// API show.
func (s *Server) feedbackResults(ctx context.Context, ev event.Event) (survey.Summary, survey.Comparison, error) {
	_, _, sum, err := s.feedbackSummary(ctx, ev.ID)
	if err != nil {
		return survey.Summary{}, survey.Comparison{}, err
	}
	cmp, err := s.compare(ctx, ev, sum)
	return sum, cmp, err
}

// compare finds the last comparedMeetings meetings of ev's kind before it
// whose survey went out, and lines up their averages with ev's (sum).
func (s *Server) compare(ctx context.Context, ev event.Event, sum survey.Summary) (survey.Comparison, error) {
	all, err := s.Events.List(ctx, event.Filter{})
	if err != nil {
		return survey.Comparison{}, err
	}
	slices.SortFunc(all, func(a, b event.Event) int { return strings.Compare(b.Days.First().String(), a.Days.First().String()) })
	var earlier []survey.Surveyed // newest first
	for _, e := range all {
		if len(earlier) == comparedMeetings {
			break
		}
		if e.ID == ev.ID || e.Kind != ev.Kind || !e.Days.First().Before(ev.Days.First()) {
			continue
		}
		sv, err := s.Surveys.Get(ctx, e.ID)
		if err != nil || !sv.Sent() {
			continue
		}
		_, _, their, err := s.feedbackSummary(ctx, e.ID)
		if err != nil {
			return survey.Comparison{}, err
		}
		earlier = append(earlier, survey.Surveyed{Meeting: e.Name(), FirstDay: e.Days.First(), Summary: their})
	}
	slices.Reverse(earlier)
	return survey.Compare(append(earlier, survey.Surveyed{Meeting: ev.Name(), FirstDay: ev.Days.First(), Summary: sum})), nil
}

func germanPercent(share float64) string { return strconv.Itoa(int(share*100+0.5)) + " %" }

// Chart geometry of the server-drawn bar charts, in SVG units.
const (
	chartLabelWidth = 200
	chartBarWidth   = 260
	chartRow        = 28
)

// barChart draws a result's bars as SVG: one rect.bar per value, its
// width the value's share of the answers. It is an image with a text
// alternative; the table beside it carries the same numbers.
func barChart(id string, r survey.Result) template.HTML {
	var alt []string
	for _, b := range r.Bars {
		alt = append(alt, fmt.Sprintf("%s: %d", r.BarLabel(b), b.Count))
	}
	height := len(r.Bars)*chartRow + 4
	width := chartLabelWidth + chartBarWidth + 70
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-labelledby="%s-t" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`, id, width, height, width, height)
	fmt.Fprintf(&sb, `<title id="%s-t">%s</title>`, id, template.HTMLEscapeString("Balkendiagramm, Antworten je Wert: "+strings.Join(alt, "; ")))
	for i, b := range r.Bars {
		y := i*chartRow + 2
		w := b.Share * chartBarWidth
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" class="label">%s</text>`, chartLabelWidth-8, y+18, template.HTMLEscapeString(r.BarLabel(b)))
		fmt.Fprintf(&sb, `<rect class="bar" x="%d" y="%d" width="%.2f" height="%d" data-count="%d"></rect>`, chartLabelWidth, y+3, w, chartRow-8, b.Count)
		fmt.Fprintf(&sb, `<text x="%.2f" y="%d" class="count">%d (%s)</text>`, float64(chartLabelWidth)+w+6, y+18, b.Count, germanPercent(b.Share))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// chartedResult is a result with its chart, for the page.
type chartedResult struct {
	survey.Result
	ID    string
	Chart template.HTML
}

// Percent is a bar's share for the page.
func (chartedResult) Percent(b survey.Bar) string { return germanPercent(b.Share) }

// AverageText is the average rating in German.
func (c chartedResult) AverageText() string { return survey.AverageText(c.Average) }

func (s *Server) adminFeedbackResults(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	sum, cmp, err := s.feedbackResults(ctx, ev)
	if err != nil {
		return err
	}
	var results []chartedResult
	for i, r := range sum.Results {
		cr := chartedResult{Result: r, ID: fmt.Sprintf("diagramm-%d", i+1)}
		if len(r.Bars) > 0 {
			cr.Chart = barChart(cr.ID, r)
		}
		results = append(results, cr)
	}
	return s.html(c, http.StatusOK, "admin_feedback_results.html", "Ergebnisse der Befragung: "+ev.Name(), gin.H{"Event": ev,
		"Counts": sum.Counts, "Rate": germanPercent(sum.Counts.Rate()), "Results": results, "Comparison": cmp,
		"MinTexts": s.cfg.FeedbackMinFreeTexts})
}

// adminFeedbackCSV is the raw anonymous answers: one row per answer set.
func (s *Server) adminFeedbackCSV(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	qs, rs, _, err := s.feedbackSummary(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // spreadsheets read UTF-8 with the mark
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.WriteAll(survey.CSV(qs, rs)); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="befragung-%d.csv"`, ev.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

// adminFeedbackPDF is the results as a PDF report.
func (s *Server) adminFeedbackPDF(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	sum, cmp, err := s.feedbackResults(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.FeedbackReport(&buf, &ev, sum, cmp, s.cfg.FeedbackMinFreeTexts, s.Now()); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="befragung-%d.pdf"`, ev.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}
