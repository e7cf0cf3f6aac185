package report

import (
	"fmt"
	"html"
	"strings"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value int
}

// ParticipationBars are the participants per meeting, in date order.
func (r Report) ParticipationBars() []Bar {
	bars := make([]Bar, len(r.Meetings))
	for i, m := range r.Meetings {
		bars[i] = Bar{Label: m.Name + " (" + m.Days.First().German() + ")", Value: m.Participants()}
	}
	return bars
}

// ReachBars are the municipalities reached and not reached.
func (r Report) ReachBars() []Bar {
	return []Bar{{"Erreicht", len(r.Municipalities)}, {"Nicht erreicht", len(r.NotReached)}}
}

// Chart geometry of the SVG, in its own units (the SVG scales to the
// page's width).
const (
	chartW      = 640
	chartLabelW = 300
	chartBarH   = 22
	chartGap    = 8
	chartValueW = 44
)

// BarWidth is the length of a bar of value v when max fills the room.
func BarWidth(v, max int, room float64) float64 {
	if max <= 0 {
		return 0
	}
	return room * float64(v) / float64(max)
}

// SVG draws horizontal bars, one a row with its label and value, as an
// image with title and description for screen readers; the page puts a
// table with the same figures beside it. The text is escaped here.
func SVG(title, desc string, bars []Bar) string {
	max := 0
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	h := len(bars)*(chartBarH+chartGap) + chartGap
	room := float64(chartW - chartLabelW - chartValueW)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc">`,
		chartW, h, idOf(title), idOf(title))
	fmt.Fprintf(&s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, idOf(title), html.EscapeString(title), idOf(title), html.EscapeString(desc))
	for i, b := range bars {
		y := chartGap + i*(chartBarH+chartGap)
		w := BarWidth(b.Value, max, room)
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end" class="chart-label">%s</text>`, chartLabelW-8, y+15, html.EscapeString(shorten(b.Label, 46)))
		fmt.Fprintf(&s, `<rect class="bar" x="%d" y="%d" width="%.1f" height="%d"><title>%s: %d</title></rect>`, chartLabelW, y, w, chartBarH, html.EscapeString(b.Label), b.Value)
		fmt.Fprintf(&s, `<text x="%.1f" y="%d" class="chart-value">%d</text>`, float64(chartLabelW)+w+6, y+15, b.Value)
	}
	s.WriteString(`</svg>`)
	return s.String()
}

func idOf(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return "chart-" + b.String()
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
