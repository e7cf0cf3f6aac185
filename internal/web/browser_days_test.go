package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/day"
)

// TestBrowserEventDaysOneByOne picks a meeting's days in the editor with
// "Weiteren Tag hinzufügen" and "Tag entfernen" and saves them.
func TestBrowserEventDaysOneByOne(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 2)
	b := newBrowser(t, e)
	b.open("/login")
	b.do("fill login form",
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	b.open(fmt.Sprintf("/admin/events/%d/edit", ev.ID))

	ids := func() []string {
		return run(b, "day inputs", chromedp.Evaluate[[]string](`[...document.querySelectorAll('.day-list input')].map(i => i.id + "=" + i.value)`))
	}
	first, second := ev.Days[0].String(), ev.Days[1].String()
	if got := ids(); strings.Join(got, " ") != "f-days="+first+" f-days-2="+second {
		t.Fatalf("two days shown as %q", got)
	}
	b.do("add a day", chromedp.Click(chromedp.CSS(".add-day")))
	if got := run(b, "focus", chromedp.Evaluate[string](`document.activeElement.id`)); got != "f-days-3" {
		t.Errorf("focus after adding on %q, want the new input", got)
	}
	third := day.Of(ev.Days[1].In(time.UTC).AddDate(0, 0, 1)).String()
	b.do("pick the third day", chromedp.SetValue(chromedp.ID("f-days-3"), third))
	b.do("remove the first day", chromedp.Click(chromedp.CSS(`button[aria-label="1. Tag entfernen"]`)))
	if got := ids(); strings.Join(got, " ") != "f-days="+second+" f-days-2="+third {
		t.Fatalf("after removing the first day: %q", got)
	}
	if got := run(b, "labels", chromedp.Evaluate[string](`[...document.querySelectorAll('.day-list label')].map(l => l.textContent + ">" + l.htmlFor).join(" ")`)); got != "1. Tag>f-days 2. Tag>f-days-2" {
		t.Errorf("labels %q", got)
	}
	b.screenshotTo("tage.png", ".day-picker")
	b.load("save", http.StatusOK, chromedp.Click(chromedp.CSS(`#event-form button.primary`)))
	saved, err := e.events.Get(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Days.String() != second+","+third {
		t.Fatalf("saved days %s, want %s,%s", saved.Days, second, third)
	}
}
