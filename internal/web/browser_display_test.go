package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// wishSelectJS describes the wish selects: the chosen text, how high the
// select's text box is (without padding and border) and how high one
// line of its text.
const wishSelectJS = `[...document.querySelectorAll("select.wish-choice")].map(s => {
	const st = getComputedStyle(s), px = v => parseFloat(v) || 0;
	return {text: s.options[s.selectedIndex].text,
		height: s.getBoundingClientRect().height - px(st.paddingTop) - px(st.paddingBottom) - px(st.borderTopWidth) - px(st.borderBottomWidth),
		line: px(st.lineHeight) || px(st.fontSize) * 1.2, right: s.getBoundingClientRect().right};
})`

type wishSelect struct {
	Text   string  `json:"text"`
	Height float64 `json:"height"`
	Line   float64 `json:"line"`
	Right  float64 `json:"right"`
}

// On a phone the manage page shows the whole of a long working-group
// title in its wish select, on several lines, not cut off.
func TestBrowserWishSelectsShowLongTitlesOnPhone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(70, 0, 1)
	var ids []int64
	for _, title := range []string{"Kommunale Steuerung in der Präventionskette", "Zugänge erleichtern – Lotsenmodelle in der kommunalen Präventionskette"} {
		g, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr(title), Capacity: ptr(20),
			Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Kerstin", LastName: "Görtz", Email: "k.goertz@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true, WorkingGroupPreferences: []int64{ids[1], ids[0]}}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, e)
	b.do("emulate phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	b.open("/manage/" + reg.ManageToken)
	selects := run(b, "wish selects", chromedp.Evaluate[[]wishSelect](wishSelectJS))
	if len(selects) != 2 {
		t.Fatalf("%d wish selects, want 2", len(selects))
	}
	for i, s := range selects {
		if !strings.Contains(s.Text, "Präventionskette (20 Plätze") {
			t.Errorf("wish %d shows %q", i+1, s.Text)
		}
		if s.Height < 2*s.Line {
			t.Errorf("wish %d (%q) is %.0fpx high for %.0fpx lines: the title is cut off", i+1, s.Text, s.Height, s.Line)
		}
		if s.Right > 390 {
			t.Errorf("wish %d sticks out of the screen (right edge %.0fpx)", i+1, s.Right)
		}
	}
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("manage page scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
}
