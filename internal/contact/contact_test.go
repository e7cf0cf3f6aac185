package contact_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func setup(t *testing.T) (*contact.Store, *municipality.Store, municipality.Municipality, municipality.Municipality) {
	t.Helper()
	db := storetest.Open(t)
	munis := municipality.NewStore(db.Gorm)
	ctx := context.Background()
	ahlen, err := munis.Create(ctx, municipality.Input{Name: "Stadt Ahlen"})
	if err != nil {
		t.Fatal(err)
	}
	coesfeld, err := munis.Create(ctx, municipality.Input{Name: "Kreis Coesfeld"})
	if err != nil {
		t.Fatal(err)
	}
	return contact.NewStore(db.Gorm), munis, ahlen, coesfeld
}

func TestImportNamesRowAndColumn(t *testing.T) {
	for name, csv := range map[string]string{
		"semicolon with BOM": "\xef\xbb\xbfKommune;Name;E-Mail;Funktion\n" +
			"Stadt Ahlen;Anna Ahlen;anna@ahlen.example;Koordination\n" +
			"Ahlen;Bernd Ahlen;BERND@ahlen.example;Jugendamt\n" + // place name, address normalised
			"Stadt Ahlen;Anna Doppelt;anna@ahlen.example;\n" + // already there
			"Kreis Coesfeld;;carl@coesfeld.example;Jugendamt\n" + // line 5: no name
			"Stadt Nirgendwo;Nina;nina@example.org;\n" + // line 6: unknown municipality
			"Kreis Coesfeld;Cora;cora-at-coesfeld;\n" + // line 7: bad address
			"\n" +
			"Kreis Coesfeld;Carla Coesfeld;carla@coesfeld.example\n", // line 9: no function, fine
		"comma without BOM, other column order": "E-Mail,Name,Kommune,Funktion\n" +
			"anna@ahlen.example,Anna Ahlen,Stadt Ahlen,Koordination\n" +
			"bernd@ahlen.example,Bernd Ahlen,Ahlen,Jugendamt\n" +
			"anna@ahlen.example,Anna Doppelt,Stadt Ahlen,\n" +
			"carl@coesfeld.example,,Kreis Coesfeld,Jugendamt\n" +
			"nina@example.org,Nina,Stadt Nirgendwo,\n" +
			"cora-at-coesfeld,Cora,Kreis Coesfeld,\n" +
			"\n" +
			"carla@coesfeld.example,Carla Coesfeld,Kreis Coesfeld\n",
	} {
		t.Run(name, func(t *testing.T) {
			s, munis, ahlen, _ := setup(t)
			ctx := context.Background()
			list, _ := munis.List(ctx)
			res, err := s.ImportCSV(ctx, strings.NewReader(csv), list)
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != 3 || res.Existing != 1 {
				t.Errorf("created %d, existing %d; want 3 and 1 (%+v)", res.Created, res.Existing, res)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.String())
			}
			want := []string{
				"Zeile 5 (Name): Bitte geben Sie den Namen an",
				"Zeile 6 (Kommune): „Stadt Nirgendwo“ ist keine bekannte Kommune.",
				"Zeile 7 (E-Mail): Bitte geben Sie eine gültige E-Mail-Adresse an",
			}
			if len(got) != len(want) {
				t.Fatalf("errors %q", got)
			}
			for i := range want {
				if !strings.HasPrefix(got[i], want[i]) {
					t.Errorf("error %d: %q, want %q…", i, got[i], want[i])
				}
			}
			own, _ := s.List(ctx, ahlen.ID)
			if len(own) != 2 || own[1].Email != "bernd@ahlen.example" || own[0].Function != "Koordination" {
				t.Errorf("Ahlen's contacts: %+v", own)
			}
		})
	}
}

func TestImportRefusesLatin1(t *testing.T) {
	s, _, _, _ := setup(t)
	_, err := s.ImportCSV(context.Background(), strings.NewReader("Stadt M\xfcnster;A;a@b.example\n"), nil)
	if !problem.Is(err, problem.Invalid) || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("got %v", err)
	}
}

func TestUniquePerMunicipalityAndMessagesKeepFields(t *testing.T) {
	s, _, ahlen, coesfeld := setup(t)
	ctx := context.Background()
	if _, err := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna", Email: "anna@kreis.example"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna B", Email: " Anna@Kreis.example "})
	if pe, ok := problem.As(err); !ok || pe.Code != problem.Conflict || !strings.Contains(pe.Fields["email"], "bereits eingetragen") {
		t.Fatalf("duplicate: %v", err)
	}
	// The same address in another municipality is another contact.
	if _, err := s.Create(ctx, contact.Input{MunicipalityID: coesfeld.ID, Name: "Anna", Email: "anna@kreis.example"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Create(ctx, contact.Input{Name: "", Email: "x"})
	pe, ok := problem.As(err)
	if !ok || pe.Fields["name"] == "" || pe.Fields["email"] == "" || pe.Fields["municipality_id"] == "" {
		t.Fatalf("validation: %v", err)
	}
	_, err = s.Create(ctx, contact.Input{MunicipalityID: 999, Name: "X", Email: "x@y.example"})
	if pe, ok := problem.As(err); !ok || pe.Fields["municipality_id"] == "" {
		t.Fatalf("unknown municipality: %v", err)
	}
}

func TestUnsubscribeHoldsUntilThePersonOptsIn(t *testing.T) {
	s, _, ahlen, coesfeld := setup(t)
	ctx := context.Background()
	a, _ := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna", Email: "anna@kreis.example"})
	b, _ := s.Create(ctx, contact.Input{MunicipalityID: coesfeld.ID, Name: "Anna", Email: "anna@kreis.example"})
	token, err := s.IssueLink(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, "x"+token[1:]); !problem.Is(err, problem.NotFound) {
		t.Fatalf("made-up link: %v", err)
	}
	got, err := s.Unsubscribe(ctx, token)
	if err != nil || got.Subscribed() {
		t.Fatalf("unsubscribe: %+v %v", got, err)
	}
	// The person objected: every entry of the address is unsubscribed.
	if other, _ := s.Get(ctx, b.ID); other.Subscribed() {
		t.Fatal("the same address in another municipality still subscribed")
	}
	// Staff cannot opt the person in without writing down their request.
	if _, err := s.Resubscribe(ctx, a.ID, " ", "orga@isa.example"); !problem.Is(err, problem.Invalid) {
		t.Fatalf("resubscribe without note: %v", err)
	}
	got, err = s.Resubscribe(ctx, a.ID, "Bitte per Telefon am 3.5.", "orga@isa.example")
	if err != nil || !got.Subscribed() || !strings.Contains(got.ResubscribeNote, "Bitte per Telefon am 3.5.") {
		t.Fatalf("resubscribe: %+v %v", got, err)
	}
	if _, err := s.Unsubscribe(ctx, token); err != nil {
		t.Fatal(err)
	}
	got, err = s.ResubscribeByLink(ctx, token)
	if err != nil || !got.Subscribed() || !strings.Contains(got.ResubscribeNote, "Selbst") {
		t.Fatalf("by link: %+v %v", got, err)
	}
}

// TestUnsubscribeOutlivesTheContact: deleting an unsubscribed contact and
// adding the address again (by hand, by import, or by changing another
// contact's address) does not bring the invitations back; only the
// person's opt-in does.
func TestUnsubscribeOutlivesTheContact(t *testing.T) {
	s, munis, ahlen, coesfeld := setup(t)
	ctx := context.Background()
	a, _ := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna", Email: "anna@kreis.example"})
	token, err := s.IssueLink(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, token); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	again, err := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna Neu", Email: "Anna@Kreis.example"})
	if err != nil || again.Subscribed() {
		t.Fatalf("the address added again after deleting: %+v, %v; want unsubscribed", again, err)
	}
	if got, _ := s.Get(ctx, again.ID); got.Subscribed() {
		t.Fatal("stored subscribed")
	}
	all, _ := munis.List(ctx)
	res, err := s.ImportCSV(ctx, strings.NewReader("Kommune;Name;E-Mail\nKreis Coesfeld;Anna;anna@kreis.example\nKreis Coesfeld;Bert;bert@kreis.example\n"), all)
	if err != nil || res.Created != 2 || res.Unsubscribed != 1 {
		t.Fatalf("import: %+v, %v; want 2 created, 1 of them unsubscribed", res, err)
	}
	list, _ := s.List(ctx, coesfeld.ID)
	for _, c := range list {
		if c.Subscribed() != (c.Email == "bert@kreis.example") {
			t.Errorf("imported %s subscribed=%v", c.Email, c.Subscribed())
		}
	}
	carl, _ := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Carl", Email: "carl@kreis.example"})
	if err := s.Delete(ctx, again.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := s.Update(ctx, carl.ID, contact.Input{MunicipalityID: ahlen.ID, Name: "Carl", Email: "anna@kreis.example"})
	if err != nil || moved.Subscribed() {
		t.Fatalf("address changed to an unsubscribed one: %+v, %v; want unsubscribed", moved, err)
	}
	// The person's own opt-in lifts it for good.
	if _, err := s.ResubscribeByLink(ctx, token); err == nil {
		t.Fatal("the link of the deleted contact still works")
	}
	if _, err := s.Resubscribe(ctx, moved.ID, "Bitte per E-Mail am 3.5.", "orga@isa.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, moved.ID); err != nil {
		t.Fatal(err)
	}
	if fresh, err := s.Create(ctx, contact.Input{MunicipalityID: ahlen.ID, Name: "Anna", Email: "anna@kreis.example"}); err != nil || !fresh.Subscribed() {
		t.Fatalf("after the opt-in: %+v, %v; want subscribed", fresh, err)
	}
	for _, c := range list {
		if c.Email == "anna@kreis.example" {
			if got, _ := s.Get(ctx, c.ID); !got.Subscribed() {
				t.Error("the opt-in left the same address in Coesfeld unsubscribed")
			}
		}
	}
}

func TestSendRefusesDraftsPastMeetingsAndPassedDeadlines(t *testing.T) {
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	next := day.Of(now.AddDate(0, 1, 0))
	closed := now.Add(-time.Hour)
	later := now.AddDate(0, 0, 7)
	for name, c := range map[string]struct {
		ev   event.Event
		want error
	}{
		"published":           {event.Event{Status: event.Published, Days: day.List{next}, RegistrationClosesAt: &later}, nil},
		"draft":               {event.Event{Status: event.Draft, Days: day.List{next}}, contact.ErrNotSendable},
		"registration closed": {event.Event{Status: event.RegistrationClosed, Days: day.List{next}}, contact.ErrNotSendable},
		"past":                {event.Event{Status: event.Published, Days: day.List{day.Of(now.AddDate(0, 0, -2))}}, contact.ErrNotSendable},
		"deadline passed":     {event.Event{Status: event.Published, Days: day.List{next}, RegistrationClosesAt: &closed}, contact.ErrDeadline},
	} {
		if got := contact.Sendable(c.ev, now); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
