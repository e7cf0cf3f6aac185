package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// TestBrowserProgrammePage shows the public programme with its parallel
// working groups side by side, and takes the README's picture of it.
func TestBrowserProgrammePage(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 1)
	ctx := context.Background()
	d := ev.Days[0]
	for _, title := range []string{"Kommunale Steuerung in der Präventionskette", "Zugänge erleichtern – Lotsenmodelle",
		"(Bildungs-)Übergänge fließend gestalten"} {
		if _, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr(title), Capacity: ptr(20), Room: ptr("Raum 2"),
			Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"),
			Inputs: &[]workinggroup.InputSpec{{Title: "Stadt Ahlen – Steuerungsstruktur", Speaker: "Sabine Weiß"}}}); err != nil {
			t.Fatal(err)
		}
	}
	slots, _ := e.wgs.Slots(ctx, ev.ID)
	items := []agenda.Input{
		{Day: &d, StartsAt: ptr("10:00"), EndsAt: ptr("10:15"), Kind: ptr(agenda.Welcome), Title: ptr("Begrüßung"),
			Speakers: &[]agenda.Speaker{{Name: "Dr. Petra Lohmann", Organisation: "Institut für Soziale Arbeit e.V."}}},
		{Day: &d, StartsAt: ptr("10:15"), EndsAt: ptr("11:00"), Kind: ptr(agenda.Keynote), Title: ptr("Die Präventionsketten sind länger geworden"),
			Speakers: &[]agenda.Speaker{{Name: "Jürgen Weißenborn", Title: "Prof. Dr.", Organisation: "Hochschule Düsseldorf"}}},
		{Day: &d, StartsAt: ptr("11:00"), EndsAt: ptr("12:30"), Kind: ptr(agenda.Practice), Title: ptr("Praxisbeispiele aus den Kommunen")},
		{Day: &d, StartsAt: ptr("12:30"), EndsAt: ptr("14:00"), Kind: ptr(agenda.Lunch), Title: ptr("Mittagessen")},
		{Day: &d, StartsAt: ptr("14:00"), EndsAt: ptr("15:30"), Kind: ptr(agenda.WorkingGroups), WorkingGroupSlotID: &slots[0].ID},
		{Day: &d, StartsAt: ptr("15:30"), EndsAt: ptr("16:00"), Kind: ptr(agenda.Closing), Title: ptr("Abschluss und Ausblick")},
	}
	for _, in := range items {
		if _, err := e.agenda.Create(ctx, ev, in); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, e)
	b.load("open the meeting page", http.StatusOK, chromedp.Navigate(fmt.Sprintf("%s/events/%d", e.srv.URL, ev.ID)))
	if got := b.text("#programm"); got != "Programm" {
		t.Fatalf("programme heading %q", got)
	}
	titles := run(b, "programme titles", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".programme-item")].map(li => li.innerText)`))
	if len(titles) != 6 {
		t.Fatalf("%d programme items shown: %q", len(titles), titles)
	}
	// The three groups of the slot stand side by side: same top, growing left.
	boxes := run(b, "group boxes", chromedp.Evaluate[[][2]float64](`[...document.querySelectorAll(".parallel-groups > .group-card")].map(el => { const r = el.getBoundingClientRect(); return [r.top, r.left]; })`))
	if len(boxes) != 3 || boxes[0][0] != boxes[1][0] || !(boxes[0][1] < boxes[1][1]) {
		t.Fatalf("parallel groups not side by side: %v", boxes)
	}
	b.screenshot("programm.png")
}
