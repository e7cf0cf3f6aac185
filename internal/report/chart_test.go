package report_test

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/report"
)

type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Role    string   `xml:"role,attr"`
	Title   string   `xml:"title"`
	Desc    string   `xml:"desc"`
	Rects   []struct {
		Class string `xml:"class,attr"`
		Width string `xml:"width,attr"`
		Title string `xml:"title"`
	} `xml:"rect"`
}

// TestSVG parses the chart: one bar a value, lengths in proportion, and
// an image role with title and description.
func TestSVG(t *testing.T) {
	bars := []report.Bar{{"10. Lernnetzwerktreffen", 40}, {"Frühjahrsakademie <2018>", 20}, {"11. Lernnetzwerktreffen", 10}, {"leer", 0}}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(report.SVG("Teilnahme je Treffen", "Balken: Teilnehmende", bars)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Role != "img" || doc.Title != "Teilnahme je Treffen" || doc.Desc == "" {
		t.Errorf("role %q, title %q, desc %q", doc.Role, doc.Title, doc.Desc)
	}
	if len(doc.Rects) != len(bars) {
		t.Fatalf("%d bars, want %d", len(doc.Rects), len(bars))
	}
	w0, _ := strconv.ParseFloat(doc.Rects[0].Width, 64)
	if w0 <= 0 {
		t.Fatalf("largest bar has width %v", w0)
	}
	for i, r := range doc.Rects {
		w, err := strconv.ParseFloat(r.Width, 64)
		if err != nil {
			t.Fatal(err)
		}
		if want := w0 * float64(bars[i].Value) / 40; math.Abs(w-want) > 0.1 {
			t.Errorf("bar %d (%d): width %v, want %v", i, bars[i].Value, w, want)
		}
		if r.Class != "bar" || !strings.HasPrefix(r.Title, bars[i].Label) {
			t.Errorf("bar %d: class %q, title %q", i, r.Class, r.Title)
		}
	}
}
