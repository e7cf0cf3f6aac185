package archive_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// The notice goes to confirmed registrations, checked in or not, and on
// request to subscribed contacts, each once; a second send queues
// nothing, and an unpublished documentation none at all.
func TestSendNoticeReachesEachOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	files, err := archive.NewFileStore(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	docs := archive.NewStore(db.Gorm, files, slog.New(slog.DiscardHandler))
	events, regs, contacts := event.NewStore(db.Gorm), registration.NewStore(db.Gorm, nil), contact.NewStore(db.Gorm)
	ahlen, err := municipality.NewStore(db.Gorm).Create(ctx, municipality.Input{Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	d := day.MustParse("2017-09-13")
	ev, err := events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Days: &day.List{d},
		Capacity: ptr(3), Status: ptr(event.Held), VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	var people []registration.Registration
	for i, name := range []string{"Anna", "Bernd", "Clara", "Dieter"} { // Dieter waits
		r, err := regs.Register(ctx, ev.ID, registration.Input{FirstName: name, LastName: "Muster", Email: fmt.Sprintf("p%d@ahlen.example", i),
			MunicipalityID: &ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, r)
	}
	if people[3].Status != registration.Waitlisted {
		t.Fatalf("Dieter: %s", people[3].Status)
	}
	if _, err := regs.Cancel(ctx, people[2].ID, audit.System); err != nil { // Clara cancels; Dieter moves up
		t.Fatal(err)
	}
	if _, err := checkin.NewStore(db.Gorm).Record(ctx, ev, people[0], d, nil); err != nil {
		t.Fatal(err)
	}
	for _, in := range []contact.Input{
		{MunicipalityID: ahlen.ID, Name: "Koordination Ahlen", Email: "koordination@ahlen.example"},
		{MunicipalityID: ahlen.ID, Name: "Jugendamt Ahlen", Email: "jugendamt@ahlen.example"},
		{MunicipalityID: ahlen.ID, Name: "Anna Muster", Email: "P0@ahlen.example"}, // registered: her own mail is enough
	} {
		if _, err := contacts.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := contacts.List(ctx, 0)
	for _, c := range all {
		if c.Email == "jugendamt@ahlen.example" {
			token, _ := contacts.IssueLink(ctx, c.ID)
			if _, err := contacts.Unsubscribe(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
	}

	if _, err := docs.SendNotice(ctx, ev.ID, true, time.Now()); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("without documentation: %v", err)
	}
	if _, err := docs.SaveDocumentation(ctx, ev.ID, archive.Input{Teaser: ptr("Köln"), Published: ptr(false)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.SendNotice(ctx, ev.ID, true, time.Now()); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("unpublished: %v", err)
	}
	if _, err := docs.SaveDocumentation(ctx, ev.ID, archive.Input{Published: ptr(true)}, time.Now()); err != nil {
		t.Fatal(err)
	}

	want := archive.Notice{Confirmed: 3, CheckedIn: 1, Participants: 3, Contacts: 1, SkippedContacts: 1, Unsubscribed: 1}
	if got, err := docs.NoticeReach(ctx, ev.ID); err != nil || got != want {
		t.Fatalf("reach = %+v, %v; want %+v", got, err, want)
	}
	// Participants first, contacts later: each only once.
	first, err := docs.SendNotice(ctx, ev.ID, false, time.Now())
	if want := (archive.Notice{Confirmed: 3, CheckedIn: 1, Participants: 3}); err != nil || first != want {
		t.Fatalf("first send = %+v, %v; want %+v", first, err, want)
	}
	second, err := docs.SendNotice(ctx, ev.ID, true, time.Now())
	if want := (archive.Notice{Confirmed: 3, CheckedIn: 1, SkippedParticipants: 3, Contacts: 1, SkippedContacts: 1, Unsubscribed: 1}); err != nil || second != want {
		t.Fatalf("second send = %+v, %v; want %+v", second, err, want)
	}
	third, err := docs.SendNotice(ctx, ev.ID, true, time.Now())
	if err != nil || third.Queued() != 0 || third.Skipped() != 5 {
		t.Fatalf("third send = %+v, %v", third, err)
	}

	var queued []outbox.Message
	if err := db.Gorm.Where("kind = ?", outbox.DocumentationNotice).Order("id").Find(&queued).Error; err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range queued {
		got[m.Recipient] = true
		if (m.RegistrationID == nil) == (m.ContactID == nil) || *m.EventID != ev.ID {
			t.Errorf("mail to %s: registration %v, contact %v", m.Recipient, m.RegistrationID, m.ContactID)
		}
	}
	if len(queued) != 4 || !got["p0@ahlen.example"] || !got["p1@ahlen.example"] || !got["p3@ahlen.example"] || !got["koordination@ahlen.example"] {
		t.Fatalf("queued to %v", got)
	}
}
