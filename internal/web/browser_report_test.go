package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNetworkReport shows the report over 2018 of the demo at
// desktop and phone width: charts and tables visible, nothing scrolls
// sideways on the phone outside the tables.
func TestBrowserNetworkReport(t *testing.T) {
	e := newEnv(t)
	e.loadDemo(time.Now())
	b := newBrowser(t, e)
	b.logIn(organiserEmail, organiserPassword)
	b.open("/admin/reports/network?jahr=2018")
	if got := b.text("h1"); got != "Netzwerkbericht 2018" {
		t.Errorf("heading %q", got)
	}
	if n := run(b, "bars", chromedp.Evaluate[int](`document.querySelectorAll("svg.chart rect.bar").length`)); n != 6 {
		t.Errorf("%d bars, want 4 meetings and 2 for the municipalities", n)
	}
	// The charts are drawn, not zero-sized.
	if w := run(b, "chart width", chromedp.Evaluate[float64](`document.querySelector("svg.chart").getBoundingClientRect().width`)); w < 300 {
		t.Errorf("chart %vpx wide", w)
	}
	b.screenshot("netzwerkbericht.png")
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open("/admin/reports/network?jahr=2018")
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("the report scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.viewShot("netzwerkbericht-mobil.png")
}
