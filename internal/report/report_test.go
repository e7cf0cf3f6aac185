package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/report"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// dataset is a small network: Ahlen came before 2025 and comes again,
// Coesfeld's only earlier registration was a no-show, Dortmund comes to a
// meeting without check-in, Essen never comes.
type dataset struct {
	store                            *report.Store
	ahlen, coesfeld, dortmund, essen int64
	today                            day.Date
}

type person struct {
	muni     int64
	org      string
	function string
	status   registration.Status
	came     bool
}

func newDataset(t *testing.T) dataset {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	munis := municipality.NewStore(db.Gorm)
	events := event.NewStore(db.Gorm)
	regs := registration.NewStore(db.Gorm, nil)
	id := func(name string, kind municipality.Kind) int64 {
		m, err := munis.Create(ctx, municipality.Input{Name: name, Kind: string(kind)})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	d := dataset{store: report.NewStore(db.Gorm), today: day.MustParse("2026-03-01"),
		ahlen: id("Stadt Ahlen", municipality.Stadt), coesfeld: id("Kreis Coesfeld", municipality.Kreis),
		dortmund: id("Stadt Dortmund", municipality.Stadt), essen: id("Stadt Essen", municipality.Stadt)}
	id("MKFFI", municipality.Organisation)
	n := 0
	meeting := func(number int, days []string, status event.Status, people ...person) {
		t.Helper()
		l := make(day.List, len(days))
		for i, s := range days {
			l[i] = day.MustParse(s)
		}
		ev, err := events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(number), Days: &l,
			VenueCity: ptr("Köln"), Capacity: ptr(70), Status: ptr(status)})
		if err != nil {
			t.Fatal(err)
		}
		var past []registration.PastRegistration
		for _, p := range people {
			n++
			r := registration.Registration{FirstName: "P", LastName: string(rune('A' + n%26)), Email: "p" + string(rune('a'+n%26)) + string(rune('a'+n/26)) + "@x.example",
				Organisation: p.org, Function: p.function, Status: p.status, Days: l, PrivacyConsentAt: time.Now(), CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if p.muni != 0 {
				r.MunicipalityID = ptr(p.muni)
			}
			pr := registration.PastRegistration{Registration: r}
			if p.came {
				pr.CheckedIn = l[:1]
			}
			past = append(past, pr)
		}
		if err := regs.ImportPast(ctx, ev.ID, past); err != nil {
			t.Fatal(err)
		}
	}
	c := registration.Confirmed
	meeting(30, []string{"2024-11-10"}, event.Held,
		person{muni: d.ahlen, function: "Koordination", status: c, came: true},
		person{muni: d.coesfeld, function: "Jugendamt", status: c})
	meeting(31, []string{"2025-03-05"}, event.Held,
		person{muni: d.ahlen, function: "Jugendamt, Jugendhilfeplanung", status: c, came: true},
		person{muni: d.ahlen, function: "Kita-Fachberatung", status: c, came: true},
		person{muni: d.coesfeld, function: "Gesundheitsamt", status: c, came: true},
		person{muni: d.coesfeld, function: "Schulverwaltungsamt", status: c},
		person{muni: d.coesfeld, function: "Sozialamt", status: registration.Cancelled},
		person{org: "MKFFI", function: "Referat Kommunale Präventionsketten", status: c, came: true})
	// Without check-in: the confirmed count.
	meeting(32, []string{"2025-09-10", "2025-09-11"}, event.Held,
		person{muni: d.dortmund, function: "Sozialamt", status: c},
		person{muni: d.dortmund, function: "Koordination Präventionskette", status: c},
		person{muni: d.dortmund, function: "Gesundheitsamt", status: registration.Waitlisted},
		person{muni: d.ahlen, function: "Jobcenter", status: c})
	meeting(33, []string{"2025-06-01"}, event.Cancelled, person{muni: d.essen, function: "Jugendamt", status: registration.Cancelled})
	meeting(34, []string{"2026-02-01"}, event.Held, person{muni: d.essen, function: "Jugendamt", status: c, came: true})
	return d
}

func TestNetworkReport(t *testing.T) {
	d := newDataset(t)
	r, err := d.store.Network(context.Background(), report.YearPeriod(2025), d.today, report.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Meetings) != 2 {
		t.Fatalf("meetings %+v, want the 31st and 32nd", r.Meetings)
	}
	m31, m32 := r.Meetings[0], r.Meetings[1]
	if m31.Name != "31. Lernnetzwerktreffen" || m31.Registrations != 6 || m31.Confirmed != 5 || m31.Participants() != 4 || m31.NoShows() != 1 || !m31.UsedCheckIn {
		t.Errorf("31st: %+v, participants %d, no-shows %d; want 6 registrations, 5 confirmed, 4 participants, 1 no-show", m31, m31.Participants(), m31.NoShows())
	}
	if m32.Registrations != 4 || m32.Confirmed != 3 || m32.Participants() != 3 || m32.NoShows() != 0 || m32.UsedCheckIn {
		t.Errorf("32nd: %+v; want 4 registrations, 3 confirmed counted as participants, no check-in", m32)
	}
	if r.Participants() != 7 || r.Registrations() != 10 || r.NoShows() != 1 || !r.WithoutCheckIn() {
		t.Errorf("totals: %d participants, %d registrations, %d no-shows", r.Participants(), r.Registrations(), r.NoShows())
	}
	want := []report.MunicipalityLine{
		{ID: d.coesfeld, Name: "Kreis Coesfeld", Meetings: 1, People: 1, Returning: false}, // the 2024 registration was a no-show
		{ID: d.ahlen, Name: "Stadt Ahlen", Meetings: 2, People: 3, Returning: true},
		{ID: d.dortmund, Name: "Stadt Dortmund", Meetings: 1, People: 2, Returning: false},
	}
	if len(r.Municipalities) != len(want) {
		t.Fatalf("municipalities %+v, want %+v", r.Municipalities, want)
	}
	for i := range want {
		if r.Municipalities[i] != want[i] {
			t.Errorf("municipality %d: %+v, want %+v", i, r.Municipalities[i], want[i])
		}
	}
	if len(r.NotReached) != 1 || r.NotReached[0] != "Stadt Essen" || r.NetworkSize() != 4 || r.FirstTime() != 2 {
		t.Errorf("not reached %v (network %d, first time %d), want Essen only (cancelled meeting and 2026 do not count)", r.NotReached, r.NetworkSize(), r.FirstTime())
	}
	got := map[report.Category]int{}
	for _, f := range r.Functions {
		got[f.Category] = f.People
	}
	wantF := map[report.Category]int{report.Jugendamt: 1, report.Kita: 1, report.Gesundheit: 1, report.Koordination: 2, report.Soziales: 2, report.Schule: 0, report.Sonstige: 0}
	for c, n := range wantF {
		if got[c] != n {
			t.Errorf("%s: %d participants, want %d (all: %v)", c, got[c], n, got)
		}
	}
}

func TestNetworkReportOfOneMunicipality(t *testing.T) {
	d := newDataset(t)
	r, err := d.store.Network(context.Background(), report.YearPeriod(2025), d.today, report.Scope{MunicipalityID: d.coesfeld, Name: "Kreis Coesfeld"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Meetings) != 1 || r.Meetings[0].Registrations != 3 || r.Meetings[0].Confirmed != 2 || r.Meetings[0].Participants() != 1 || r.Meetings[0].NoShows() != 1 {
		t.Errorf("meetings %+v, want the 31st with Coesfeld's 3 registrations, 1 participant, 1 no-show", r.Meetings)
	}
	if len(r.Municipalities) != 1 || r.Municipalities[0].Name != "Kreis Coesfeld" || len(r.NotReached) != 0 {
		t.Errorf("municipalities %+v, not reached %v: want Coesfeld alone", r.Municipalities, r.NotReached)
	}
	if r.Participants() != 1 {
		t.Errorf("participants %d, want 1", r.Participants())
	}
}

func TestCategorize(t *testing.T) {
	for function, want := range map[string]report.Category{
		"Jugendamt, Jugendhilfeplanung":           report.Jugendamt,
		"Jugendamt – Jugendhilfeplanung":          report.Jugendamt,
		"Frühe Hilfen":                            report.Jugendamt,
		"Schulverwaltungsamt":                     report.Schule,
		"Bildungsbüro":                            report.Schule,
		"Gesundheitsamt":                          report.Gesundheit,
		"Kinder- und Jugendärztlicher Dienst":     report.Gesundheit,
		"Koordination Präventionskette":           report.Koordination,
		"Kommunale Koordination Präventionskette": report.Koordination,
		"Stabsstelle Sozialplanung":               report.Koordination,
		"Sozialamt":                               report.Soziales,
		"Jobcenter, Markt und Integration":        report.Soziales,
		"Kita-Fachberatung":                       report.Kita,
		"Fachberatung Kindertagesbetreuung":       report.Kita,
		"Bürgermeister":                           report.Sonstige,
		"":                                        report.Sonstige,
	} {
		if got := report.Categorize(function); got != want {
			t.Errorf("Categorize(%q) = %s, want %s", function, got, want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	today := day.MustParse("2026-12-02")
	for _, c := range []struct {
		year, from, to string
		want           string
		ok             bool
	}{
		{"", "", "", "2025", true},
		{"2024", "", "", "2024", true},
		{"", "01.03.2025", "30.06.2025", "01.03.2025 – 30.06.2025", true},
		{"", "2025-03-01", "2025-06-30", "01.03.2025 – 30.06.2025", true},
		{"", "2025-01-01", "31.12.2025", "2025", true},
		{"", "30.06.2025", "01.03.2025", "", false},
		{"", "2025-03-01", "", "", false},
		{"zwanzig", "", "", "", false},
	} {
		p, err := report.ParsePeriod(c.year, c.from, c.to, today)
		if (err == nil) != c.ok || (c.ok && p.Label() != c.want) {
			t.Errorf("ParsePeriod(%q, %q, %q) = %q, %v; want %q", c.year, c.from, c.to, p.Label(), err, c.want)
		}
	}
}
