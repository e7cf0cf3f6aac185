package mail_test

import (
	"context"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/outbox"
)

// recorder is a Sender that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	sent []*mail.Envelope
}

func (r *recorder) Send(_ context.Context, m *mail.Envelope) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// only returns the one envelope sent.
func (r *recorder) only(t *testing.T) *mail.Envelope {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sent) != 1 {
		t.Fatalf("%d mails sent, want 1", len(r.sent))
	}
	return r.sent[0]
}

// confirmationOf registers a guest at ev and returns the confirmation.
func (f *fixture) confirmationOf(t *testing.T, ev event.Event) *mail.Envelope {
	t.Helper()
	f.mustRegister(t, ev.ID, guest(1, "Landesjugendamt", f.days))
	rec := &recorder{}
	if n, err := f.worker(t, rec, "log", fastOptions()).Drain(context.Background()); err != nil || n != 1 {
		t.Fatalf("drain: %d, %v", n, err)
	}
	return rec.only(t)
}

// calendarText is the text of the envelope's calendar attachment.
func calendarText(t *testing.T, env *mail.Envelope) string {
	t.Helper()
	for _, a := range env.Attachments {
		if strings.HasPrefix(a.ContentType, "text/calendar") {
			return strings.ReplaceAll(string(a.Data), "\r\n ", "")
		}
	}
	t.Fatal("no calendar attachment")
	return ""
}

// An address that ends in postcode and city does not get the city again.
func TestMailAddressNamesTheCityOnce(t *testing.T) {
	f := newFixture(t)
	ev := f.mustEvent(t, 10)
	ev, err := f.events.Update(context.Background(), ev.ID, event.Input{VenueName: ptr("Gürzenich Köln"),
		VenueAddress: ptr("Martinstraße 29–37, 50667 Köln")})
	if err != nil {
		t.Fatal(err)
	}
	env := f.confirmationOf(t, ev)
	if !strings.Contains(env.TextBody, "Ort:           Gürzenich Köln\n               Martinstraße 29–37, 50667 Köln\n") ||
		strings.Contains(env.TextBody, "50667 Köln\n               Köln") {
		t.Errorf("text part's address:\n%s", env.TextBody)
	}
	if !strings.Contains(env.HTMLBody, "Gürzenich Köln<br>Martinstraße 29–37, 50667 Köln</td>") {
		t.Errorf("HTML part's address:\n%s", env.HTMLBody)
	}
	if cal := calendarText(t, env); !strings.Contains(cal, `LOCATION:Gürzenich Köln\, Martinstraße 29–37\, 50667 Köln`+"\r\n") {
		t.Errorf("calendar location:\n%s", cal)
	}
}

// A two-day meeting whose programme ends earlier on the second day
// shows each day's hours, and the invitation ends day 2 at 14:00.
func TestMailShowsHoursPerDayWhereTheyDiffer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10) // 10:00–16:30 on both days
	d1, d2 := f.days[0], f.days[1]
	for _, it := range []struct {
		d          day.Date
		start, end string
	}{{d1, "10:00", "12:00"}, {d1, "13:00", "16:30"}, {d2, "09:00", "12:00"}, {d2, "12:30", "14:00"}} {
		if _, err := f.agenda.Create(ctx, ev, agenda.Input{Day: &it.d, StartsAt: ptr(it.start), EndsAt: ptr(it.end), Kind: ptr(agenda.Talk)}); err != nil {
			t.Fatal(err)
		}
	}
	env := f.confirmationOf(t, ev)
	want := "Termine:       " + d1.GermanLong() + ", 10:00–16:30 Uhr\n               " + d2.GermanLong() + ", 09:00–14:00 Uhr\n"
	if !strings.Contains(env.TextBody, want) || strings.Contains(env.TextBody, "jeweils") {
		t.Errorf("text part lacks\n%s\n%s", want, env.TextBody)
	}
	if !strings.Contains(env.HTMLBody, d1.GermanLong()+", 10:00–16:30 Uhr<br>"+d2.GermanLong()+", 09:00–14:00 Uhr</td>") {
		t.Errorf("HTML part's dates:\n%s", env.HTMLBody)
	}
	cal := calendarText(t, env)
	for _, line := range []string{
		"DTSTART;TZID=Europe/Berlin:" + d1.At(10, 0).Format("20060102T150405"),
		"DTEND;TZID=Europe/Berlin:" + d1.At(16, 30).Format("20060102T150405"),
		"DTSTART;TZID=Europe/Berlin:" + d2.At(9, 0).Format("20060102T150405"),
		"DTEND;TZID=Europe/Berlin:" + d2.At(14, 0).Format("20060102T150405"),
	} {
		if !strings.Contains(cal, line+"\r\n") {
			t.Errorf("invitation lacks %s:\n%s", line, cal)
		}
	}
}

// The invitation names the login as the pages do, not "anmelden", which
// is what participants do for a meeting.
func TestInvitationNamesTheLogin(t *testing.T) {
	f := newFixture(t)
	_, text, html, err := f.composer.ComposeAccount(outbox.Invitation, netmail.Address{Name: "Kora Koordinatorin", Address: "kora@ahlen.example"},
		testBaseURL+"/password/set/abc", "Kommunale Koordination", time.Now().Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "beim Login für das Team ein: "+testBaseURL+"/login") || strings.Contains(text, " an.\n") {
		t.Errorf("text part:\n%s", text)
	}
	if !strings.Contains(html, `<a href="`+testBaseURL+`/login" style="color:#005a9c;">Login für das Team</a>`) {
		t.Errorf("HTML part:\n%s", html)
	}
}
