package document

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/survey"
)

// Measures of the feedback report in millimetres.
const (
	fbLabelW = 52.0 // the bars' labels
	fbBarW   = 90.0 // a bar of every answer
	fbRowH   = 6.5
	fbFootY  = pageH - 12
)

// FeedbackReport writes the results of ev's feedback survey as an A4 PDF
// to w: the response rate, then per question its bars (drawn as
// rectangles, the count and share beside each) and the average rating,
// or the free texts when at least minTexts exist. Answers carry no
// names; the report has none either.
func FeedbackReport(w io.Writer, ev *event.Event, sum survey.Summary, minTexts int, generatedAt time.Time) error {
	g, err := newGlyphs()
	if err != nil {
		return err
	}
	f := newPDF("Ergebnisse der Befragung: "+ev.Name(), generatedAt)
	r := &feedbackReport{f: f, g: g}
	f.AddPage()
	setFont(f, "B", 16, colText)
	f.MultiCell(contentW, 7, g.clean("Ergebnisse der Befragung"), "", "L", false)
	setFont(f, "", 11, colMuted)
	f.MultiCell(contentW, 5.5, g.clean(ev.Name()+" – "+ev.Days.German()), "", "L", false)
	f.Ln(3)
	setFont(f, "B", 11, colText)
	c := sum.Counts
	f.MultiCell(contentW, 6, g.clean(fmt.Sprintf("Rücklauf: %d von %d Eingeladenen haben geantwortet (%s).", c.Answered, c.Invited, pdfPercent(c.Rate()))), "", "L", false)
	f.Ln(2)
	for i, res := range sum.Results {
		r.question(i+1, res, minTexts)
	}
	pages := f.PageCount()
	for n := 1; n <= pages; n++ {
		f.SetPage(n)
		setFont(f, "", 8, colMuted)
		f.SetXY(marginX, fbFootY)
		f.CellFormat(contentW/2, 5, "Erstellt am "+generatedAt.In(day.Location()).Format("02.01.2006, 15:04")+" Uhr", "", 0, "LM", false, 0, "")
		f.CellFormat(contentW/2, 5, fmt.Sprintf("Seite %d von %d", n, pages), "", 0, "RM", false, 0, "")
	}
	return f.Output(w)
}

type feedbackReport struct {
	f *fpdf.Fpdf
	g *glyphs
}

// room starts a new page unless h millimetres fit above the footer.
func (r *feedbackReport) room(h float64) {
	if r.f.GetY()+h > fbFootY-4 {
		r.f.AddPage()
	}
}

func (r *feedbackReport) question(n int, res survey.Result, minTexts int) {
	f, g := r.f, r.g
	r.room(14 + float64(len(res.Bars))*fbRowH)
	f.Ln(3)
	setFont(f, "B", 11, colText)
	f.MultiCell(contentW, 5.5, g.clean(fmt.Sprintf("%d. %s", n, res.Question.Label)), "", "L", false)
	setFont(f, "", 9, colMuted)
	line := fmt.Sprintf("%d Antworten", res.Answered)
	if res.Question.Kind == survey.Rating && res.Answered > 0 {
		line += ", Durchschnitt " + strings.Replace(strconv.FormatFloat(res.Average, 'f', 1, 64), ".", ",", 1) + " von 5"
	}
	f.MultiCell(contentW, 5, g.clean(line), "", "L", false)
	f.Ln(1)
	for _, b := range res.Bars {
		y := f.GetY()
		setFont(f, "", 9, colText)
		f.SetXY(marginX, y)
		f.CellFormat(fbLabelW, fbRowH, g.clean(res.BarLabel(b)), "", 0, "RM", false, 0, "")
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.Rect(marginX+fbLabelW+2, y+1, fbBarW, fbRowH-2, "F")
		if w := b.Share * fbBarW; w > 0 {
			f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
			f.Rect(marginX+fbLabelW+2, y+1, w, fbRowH-2, "F")
		}
		f.SetXY(marginX+fbLabelW+fbBarW+4, y)
		f.CellFormat(30, fbRowH, fmt.Sprintf("%d (%s)", b.Count, pdfPercent(b.Share)), "", 0, "LM", false, 0, "")
		f.SetY(y + fbRowH)
	}
	if res.Question.Kind != survey.Text {
		return
	}
	setFont(f, "", 10, colText)
	if res.TooFew {
		setFont(f, "I", 10, colMuted)
		f.MultiCell(contentW, 5, g.clean(fmt.Sprintf("Zu wenige Antworten, um Freitexte anzuzeigen (mindestens %d).", minTexts)), "", "L", false)
		return
	}
	for _, t := range res.Texts {
		lines := f.SplitText(g.clean(t), contentW-6)
		r.room(float64(len(lines))*5 + 2)
		f.SetX(marginX + 3)
		f.MultiCell(contentW-6, 5, "– "+g.clean(t), "", "L", false)
		f.Ln(1)
	}
}

func pdfPercent(share float64) string { return strconv.Itoa(int(share*100+0.5)) + " %" }
