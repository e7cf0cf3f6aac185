package demo_test

import (
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// TestHistoryGivesThePastMeetingsParticipants loads the demo and checks
// that the archive's meetings have registrations in every final status,
// check-ins and no-shows, that the municipalities of the sources come
// with different regularity and that only the two meant to stay
// unreached never came.
func TestHistoryGivesThePastMeetingsParticipants(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)
	f.load(t, now)
	db := f.db.Gorm
	today := day.Today(now)
	var past []event.Event
	for _, ev := range f.events(t, now) {
		if ev.Days.Last().Before(today) {
			past = append(past, ev)
		}
	}
	if len(past) != 14 {
		t.Fatalf("%d past meetings, want the archive's 14", len(past))
	}
	statuses := map[string]int{}
	for _, ev := range past {
		var regs, confirmed, checkedIn, noShows int64
		must(t, db.Table("registrations").Where("event_id = ?", ev.ID).Count(&regs).Error)
		must(t, db.Table("registrations").Where("event_id = ? AND status = 'confirmed'", ev.ID).Count(&confirmed).Error)
		must(t, db.Raw(`SELECT count(DISTINCT c.registration_id) FROM check_ins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = ?`, ev.ID).Scan(&checkedIn).Error)
		must(t, db.Raw(`SELECT count(*) FROM registrations r WHERE r.event_id = ? AND r.status = 'confirmed'
			AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id)`, ev.ID).Scan(&noShows).Error)
		var places int64
		must(t, db.Raw(`SELECT confirmed FROM registration_places WHERE event_id = ? AND municipality_id = 0`, ev.ID).Scan(&places).Error)
		t.Logf("%s: %d registrations, %d confirmed, %d checked in, %d no-shows", ev.Name(), regs, confirmed, checkedIn, noShows)
		if regs < 15 || checkedIn == 0 || checkedIn >= regs || places != confirmed {
			t.Errorf("%s: %d registrations, %d checked in, %d counted places for %d confirmed", ev.Name(), regs, checkedIn, places, confirmed)
		}
		var wrong int64
		must(t, db.Raw(`SELECT count(*) FROM check_ins c JOIN registrations r ON r.id = c.registration_id WHERE r.event_id = ? AND r.status <> 'confirmed'`, ev.ID).Scan(&wrong).Error)
		if wrong > 0 {
			t.Errorf("%s: %d check-ins of registrations that are not confirmed", ev.Name(), wrong)
		}
		var rows []struct {
			Status string
			N      int
		}
		must(t, db.Raw(`SELECT status, count(*) AS n FROM registrations WHERE event_id = ? GROUP BY status`, ev.ID).Scan(&rows).Error)
		for _, r := range rows {
			statuses[r.Status] += r.N
		}
	}
	var promoted, noShows int64
	must(t, db.Raw(`SELECT count(*) FROM registrations WHERE promoted_at IS NOT NULL AND status = 'confirmed'`).Scan(&promoted).Error)
	must(t, db.Raw(`SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.status = 'held' AND r.status = 'confirmed'
		AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id)`).Scan(&noShows).Error)
	if statuses["cancelled"] == 0 || statuses["waitlisted"] == 0 || promoted == 0 || noShows == 0 {
		t.Errorf("the history lacks variety: statuses %v, %d moved up from the waiting list, %d no-shows", statuses, promoted, noShows)
	}

	// Meetings attended per municipality of the sources.
	var attended []struct {
		Name string
		N    int
	}
	must(t, db.Raw(`SELECT m.name, count(DISTINCT r.event_id) AS n FROM municipalities m
		LEFT JOIN registrations r ON r.municipality_id = m.id AND r.status = 'confirmed'
			AND r.event_id IN (SELECT id FROM events WHERE status = 'held')
		WHERE m.kind <> 'organisation' GROUP BY m.name ORDER BY m.name`).Scan(&attended).Error)
	if len(attended) != 31 {
		t.Fatalf("%d municipalities, want the 31 of the sources", len(attended))
	}
	unreached := map[string]bool{"Stadt Gladbeck": true, "Stadt Monheim am Rhein": true}
	var once, often int
	for _, a := range attended {
		switch {
		case unreached[a.Name] && a.N != 0:
			t.Errorf("%s came to %d meetings; it is meant to stay unreached", a.Name, a.N)
		case !unreached[a.Name] && a.N == 0:
			t.Errorf("%s never came", a.Name)
		case a.N == 1:
			once++
		case a.N >= 10:
			often++
		}
	}
	if once < 3 || often < 5 {
		t.Errorf("%d municipalities came once and %d to ten meetings or more, want some of each: %v", once, often, attended)
	}
	// The second wave joined in 2017 and came to nothing before.
	var early int64
	must(t, db.Raw(`SELECT count(*) FROM registrations r JOIN municipalities m ON m.id = r.municipality_id JOIN events e ON e.id = r.event_id
		WHERE m.name = 'Stadt Köln' AND e.days < '2017'`).Scan(&early).Error)
	if early != 0 {
		t.Errorf("Stadt Köln has %d registrations before it joined in 2017", early)
	}
	// No mail for the history: only the upcoming meetings' registrations queued some.
	var historyMails int64
	must(t, db.Raw(`SELECT count(*) FROM mail_outbox o JOIN events e ON e.id = o.event_id WHERE e.status = 'held'`).Scan(&historyMails).Error)
	if historyMails != 0 {
		t.Errorf("%d mails queued for past meetings", historyMails)
	}
}

// TestHistoryIsTheSameEveryTime loads the demo twice into fresh databases
// and compares who came to which meeting.
func TestHistoryIsTheSameEveryTime(t *testing.T) {
	now := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)
	fingerprint := func() string {
		f := newFixture(t)
		f.load(t, now)
		var s string
		must(t, f.db.Gorm.Raw(`SELECT string_agg(x, ',') FROM (SELECT e.days || ':' || r.email || ':' || r.status || ':' ||
			(SELECT count(*) FROM check_ins c WHERE c.registration_id = r.id) AS x
			FROM registrations r JOIN events e ON e.id = r.event_id ORDER BY e.days, r.email) q`).Scan(&s).Error)
		return s
	}
	if a, b := fingerprint(), fingerprint(); a != b || a == "" {
		t.Errorf("two loads differ (%d and %d characters)", len(a), len(b))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
