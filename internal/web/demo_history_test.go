package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/demo"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
)

// loadDemo fills the test server's database with the demo data.
func (e *env) loadDemo(now time.Time) {
	e.t.Helper()
	if _, err := demo.Load(context.Background(), demo.Stores{Municipalities: e.munis, Events: e.events,
		Registrations: e.regs, WorkingGroups: e.wgs, Agenda: e.agenda, Archive: e.archive, Media: media.NewStore(e.db.Gorm)}, now); err != nil {
		e.t.Fatal(err)
	}
}

// TestDemoHistoryStatistics opens the statistics of a past demo meeting:
// the figures per municipality and the meetings over time are not zero.
func TestDemoHistoryStatistics(t *testing.T) {
	e := newEnv(t)
	e.loadDemo(time.Now())
	list, err := e.events.List(context.Background(), event.Filter{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var neuss event.Event
	for _, ev := range list {
		if ev.VenueCity == "Neuss" && ev.Status == event.Held {
			neuss = ev
		}
	}
	if neuss.ID == 0 {
		t.Fatal("no past meeting in Neuss in the demo")
	}
	resp := e.get(e.loggedIn(), "/admin/events/"+strconv.FormatInt(neuss.ID, 10)+"/statistics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("statistics: %d", resp.StatusCode)
	}
	// The total row: registered, confirmed, waiting, cancelled, attended, no-shows.
	total := regexp.MustCompile(`<tfoot><tr><th scope="row">Summe</th>((?:<td class="num">\d+</td>){6})`).FindStringSubmatch(resp.Body)
	if total == nil {
		t.Fatalf("no total row in:\n%s", resp.Body)
	}
	nums := regexp.MustCompile(`\d+`).FindAllString(total[1], -1)
	for i, what := range []string{"registered", "confirmed", "", "", "attended", "not checked in"} {
		if what != "" && nums[i] == "0" {
			t.Errorf("%s is 0 in the total row %v", what, nums)
		}
	}
	// Every meeting of the archive up to Neuss shows confirmed and attended people.
	rows := regexp.MustCompile(`<td class="num">(\d+)</td><td class="num">([\d–]+)</td></tr>`).FindAllStringSubmatch(resp.Body[strings.Index(resp.Body, "Treffen im Verlauf"):], -1)
	if len(rows) < 14 {
		t.Fatalf("%d meetings in the history, want the 14 of the archive", len(rows))
	}
	for _, r := range rows {
		if r[1] == "0" || r[2] == "–" || r[2] == "0" {
			t.Errorf("meeting line with %s confirmed and %s attended", r[1], r[2])
		}
	}
}
