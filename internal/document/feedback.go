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
	fbCmpW   = 40.0 // a meeting's column in the comparison, at most
	fbCmpQW  = 70.0 // the questions' column, at least
	fbCmpLnH = 4.5  // a line in the comparison
)

// FeedbackReport writes the results of ev's feedback survey as an A4 PDF
// to w: the response rate, then per question its bars (drawn as
// rectangles, the count and share beside each) and the average rating,
// or the free texts when at least minTexts exist; last the comparison
// with earlier meetings of its kind. Answers carry no names; the report
// has none either.
func FeedbackReport(w io.Writer, ev *event.Event, sum survey.Summary, cmp survey.Comparison, minTexts int, generatedAt time.Time) error {
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
	r.comparison(cmp)
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

// room starts a new page unless h millimetres fit above the footer,
// and reports whether it did.
func (r *feedbackReport) room(h float64) bool {
	if r.f.GetY()+h > fbFootY-4 {
		r.f.AddPage()
		return true
	}
	return false
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
		line += ", Durchschnitt " + survey.AverageText(res.Average) + " von 5"
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

// comparison draws the average ratings at this and the earlier meetings
// of its kind as a table, its head repeated on a new page.
func (r *feedbackReport) comparison(cmp survey.Comparison) {
	f, g := r.f, r.g
	r.room(40)
	f.Ln(4)
	setFont(f, "B", 12, colText)
	f.MultiCell(contentW, 6, g.clean("Vergleich mit früheren Treffen"), "", "L", false)
	setFont(f, "", 9, colMuted)
	if len(cmp.Meetings) == 0 {
		f.MultiCell(contentW, 5, g.clean("Es gibt noch keine früheren Treffen dieser Art mit Befragung."), "", "L", false)
		return
	}
	f.MultiCell(contentW, 5, g.clean("Durchschnittliche Bewertung (1–5) bei den letzten Treffen dieser Art mit Befragung, Fragen gleichen Wortlauts."), "", "L", false)
	f.Ln(2)
	// The meetings' names keep their words whole ("Lernnetzwerktreffen"):
	// the heads' type shrinks from 8 to 7 pt, then the columns widen at
	// the questions' cost.
	colW := min(fbCmpW, (contentW-fbCmpQW)/float64(len(cmp.Meetings)))
	setFont(f, "B", 8, colText)
	widest := 0.0
	for _, m := range cmp.Meetings {
		for _, w := range strings.Fields(g.clean(m.Meeting)) {
			widest = max(widest, f.GetStringWidth(w))
		}
	}
	// SplitText keeps a cell margin on either side of the 2 mm gap.
	room := 2 + 2*f.GetCellMargin()
	headSize := min(8, max(7, 8*(colW-room)/widest))
	colW = min(fbCmpW, max(colW, widest*headSize/8+room))
	questionW := contentW - float64(len(cmp.Meetings))*colW
	setFont(f, "B", headSize, colText)
	var heads [][]string
	headLines := 1
	for _, m := range cmp.Meetings {
		lines := append(f.SplitText(g.clean(m.Meeting), colW-2), m.FirstDay.German())
		heads = append(heads, lines)
		headLines = max(headLines, len(lines))
	}
	headH := float64(headLines)*fbCmpLnH + 2
	head := func() {
		y := f.GetY()
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.Rect(marginX, y, contentW, headH, "F")
		setFont(f, "B", headSize, colText)
		f.SetXY(marginX+1, y+1)
		f.CellFormat(questionW-2, fbCmpLnH, "Frage", "", 0, "LM", false, 0, "")
		for i, lines := range heads {
			for j, l := range lines {
				f.SetXY(marginX+questionW+float64(i)*colW, y+1+float64(j)*fbCmpLnH)
				f.CellFormat(colW-1, fbCmpLnH, l, "", 0, "RM", false, 0, "")
			}
		}
		f.SetY(y + headH)
	}
	r.room(headH + 2*fbCmpLnH)
	head()
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	for _, row := range cmp.Rows {
		setFont(f, "", 9, colText)
		lines := f.SplitText(g.clean(row.Question), questionW-2)
		h := float64(len(lines))*fbCmpLnH + 2
		if r.room(h) {
			head()
			setFont(f, "", 9, colText)
		}
		y := f.GetY()
		for j, l := range lines {
			f.SetXY(marginX+1, y+1+float64(j)*fbCmpLnH)
			f.CellFormat(questionW-2, fbCmpLnH, l, "", 0, "LM", false, 0, "")
		}
		for i, a := range row.Averages {
			f.SetXY(marginX+questionW+float64(i)*colW, y+1)
			f.CellFormat(colW-1, fbCmpLnH, g.clean(a.Text()), "", 0, "RM", false, 0, "")
		}
		f.Line(marginX, y+h, marginX+contentW, y+h)
		f.SetY(y + h)
	}
}

func pdfPercent(share float64) string { return strconv.Itoa(int(share*100+0.5)) + " %" }
