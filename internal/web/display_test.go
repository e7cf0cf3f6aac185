package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// A deadline typed as a date closes registration at the next midnight;
// the pages name that day, not "00:00 Uhr" of the day after.
func TestDeadlineReadsAsTheLastDay(t *testing.T) {
	e := newEnv(t)
	ev := e.event(70, 0, 1)
	last := day.Of(ev.Days.First().In(time.UTC).AddDate(0, 0, -7))
	ev, err := e.events.Update(context.Background(), ev.ID, event.Input{RegistrationClosesAt: ptr(last.String())})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	for _, path := range []string{"/", fmt.Sprintf("/events/%d", ev.ID)} {
		body := e.get(c, path).Body
		mustContain(t, body, "<dt>Anmeldeschluss</dt><dd>"+last.German()+"</dd>")
		if strings.Contains(body, "00:00 Uhr") {
			t.Errorf("%s shows the deadline as midnight", path)
		}
	}
}
