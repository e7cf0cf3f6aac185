package demo_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/demo"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

type fixture struct {
	db     *store.DB
	stores demo.Stores
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := storetest.Open(t)
	files, err := archive.NewFileStore(t.TempDir(), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, stores: demo.Stores{
		Municipalities: municipality.NewStore(db.Gorm),
		Events:         event.NewStore(db.Gorm),
		Registrations:  registration.NewStore(db.Gorm, nil),
		WorkingGroups:  workinggroup.NewStore(db.Gorm),
		Agenda:         agenda.NewStore(db.Gorm),
		Archive:        archive.NewStore(db.Gorm, files, nil),
		Media:          media.NewStore(db.Gorm),
	}}
}

func (f *fixture) load(t *testing.T, now time.Time) demo.Summary {
	t.Helper()
	sum, err := demo.Load(context.Background(), f.stores, now)
	if err != nil {
		t.Fatalf("load demo data (%s): %v", storetest.Describe(), err)
	}
	return sum
}

func (f *fixture) events(t *testing.T, now time.Time) []event.Event {
	t.Helper()
	list, err := f.stores.Events.List(context.Background(), event.Filter{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// totals counts rows the demo writes, to prove a second Load adds none.
type totals struct {
	municipalities, events, registrations, mails, documentations, materials, mediaItems int64
}

func (f *fixture) totals(t *testing.T) totals {
	t.Helper()
	var c totals
	for table, n := range map[string]*int64{
		"municipalities": &c.municipalities, "events": &c.events,
		"registrations": &c.registrations, "mail_outbox": &c.mails,
		"documentations": &c.documentations, "materials": &c.materials,
		"media_items": &c.mediaItems,
	} {
		if err := f.db.Gorm.Table(table).Count(n).Error; err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
	}
	return c
}

func find(list []event.Event, match func(event.Event) bool) (event.Event, bool) {
	for _, e := range list {
		if match(e) {
			return e, true
		}
	}
	return event.Event{}, false
}

func days(ss ...string) day.List {
	var l day.List
	for _, s := range ss {
		l = append(l, day.MustParse(s))
	}
	return l
}

func TestLoad(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, time.February, 10, 9, 30, 0, 0, day.Location())

	sum := f.load(t, now)
	want := demo.Summary{Municipalities: 34, Events: 17, Registrations: 730, Documentations: 10, Media: 60}
	if sum != want {
		t.Fatalf("summary = %+v, want %+v", sum, want)
	}
	if got, wantText := sum.String(), "Demodaten geladen: 34 Kommunen, 17 Veranstaltungen, 730 Anmeldungen, 10 Online-Dokumentationen, 60 Medien in der Mediathek"; got != wantText {
		t.Errorf("String() = %q, want %q", got, wantText)
	}
	c := f.totals(t)
	if c.municipalities != 34 || c.events != 17 || c.registrations != 730 || c.mails != 67 || c.documentations != 10 || c.materials == 0 || c.mediaItems != 60 {
		t.Errorf("rows = %+v, want 34 municipalities, 17 events, 730 registrations (67 of them for upcoming meetings, each with its mail), 67 queued mails, 10 documentations, materials and 60 media items", c)
	}

	munis, err := f.stores.Municipalities.ByID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]municipality.Kind{}
	for _, m := range munis {
		names[m.Name] = m.Kind
	}
	for name, kind := range map[string]municipality.Kind{
		"Stadt Mülheim an der Ruhr": municipality.Stadt, "Kreis Recklinghausen": municipality.Kreis,
		"Stadt Monheim am Rhein": municipality.Stadt, "Kreis Düren": municipality.Kreis,
		"LVR-Landesjugendamt Rheinland":                                            municipality.Organisation,
		"Ministerium für Kinder, Familie, Flüchtlinge und Integration NRW (MKFFI)": municipality.Organisation,
	} {
		if names[name] != kind {
			t.Errorf("municipality %q: kind %q, want %q", name, names[name], kind)
		}
	}

	list := f.events(t, now)
	today := day.Today(now)

	t.Run("archive", func(t *testing.T) {
		var past []event.Event
		for _, e := range list {
			if e.Status == event.Held {
				past = append(past, e)
			}
		}
		if len(past) != 14 {
			t.Fatalf("%d held meetings, want 14", len(past))
		}
		for _, e := range past {
			if !e.Days.Last().Before(today) {
				t.Errorf("%s on %s is not before %s", e.Name(), e.Days, today)
			}
			if e.Announcement == "" || e.Organiser != "Institut für Soziale Arbeit e.V. (ISA)" {
				t.Errorf("%s: announcement %q, organiser %q", e.Name(), e.Announcement, e.Organiser)
			}
			if e.Kind == event.Fruehjahrsakademie && (len(e.Days) != 2 || !strings.Contains(e.CoOrganisers, "LVR")) {
				t.Errorf("%s: days %s, co-organisers %q; want two days with the LVR", e.Name(), e.Days, e.CoOrganisers)
			}
		}
		e17, ok := find(past, func(e event.Event) bool { return e.Motto == "Wir wollen die Prävention stärken!" })
		if !ok {
			t.Fatal("no past meeting „Wir wollen die Prävention stärken!“")
		}
		if e17.Number != 17 || e17.Days.String() != "2017-09-13" || e17.VenueCity != "Köln" || e17.HostMunicipalityID == nil {
			t.Errorf("17th = %s, %s, %q, host %v", e17.Name(), e17.Days, e17.VenueCity, e17.HostMunicipalityID)
		}
		e21, ok := find(past, func(e event.Event) bool { return e.Kind == event.Lernnetzwerktreffen && e.Number == 21 })
		if !ok {
			t.Fatal("no 21. Lernnetzwerktreffen")
		}
		if e21.Days.String() != days("2018-11-29", "2018-11-30").String() || e21.VenueCity != "Wuppertal" {
			t.Errorf("21st = %s in %q", e21.Days, e21.VenueCity)
		}
		e24, _ := find(past, func(e event.Event) bool { return e.Number == 24 })
		if e24.VenueCity != "" || e24.VenueName != "" {
			t.Errorf("24th has place %q, the sources name none", e24.Place())
		}
		fa18, ok := find(past, func(e event.Event) bool { return e.Name() == "Frühjahrsakademie 2018" })
		if !ok || fa18.VenueCity != "Oberhausen" {
			t.Errorf("Frühjahrsakademie 2018 = %+v", fa18)
		}
	})

	t.Run("upcoming Lernnetzwerktreffen", func(t *testing.T) {
		lnt, ok := find(list, func(e event.Event) bool { return e.Number == 25 })
		if !ok {
			t.Fatal("no 25. Lernnetzwerktreffen")
		}
		if lnt.Status != event.Published || len(lnt.Days) != 1 || !lnt.Days.First().After(today) {
			t.Fatalf("25th: status %s, days %s; want published after %s", lnt.Status, lnt.Days, today)
		}
		if lnt.RegistrationClosesAt == nil || !lnt.RegistrationClosesAt.After(now) || !lnt.RegistrationStateAt(now).Open {
			t.Errorf("25th: registration closes %v, want open now", lnt.RegistrationClosesAt)
		}
		for _, wg := range []string{"Kommunale Steuerung in der Präventionskette", "(Bildungs-)Übergänge fließend gestalten"} {
			if !strings.Contains(lnt.Announcement, wg) {
				t.Errorf("announcement lacks %q", wg)
			}
		}
		counts, err := f.stores.Registrations.Count(ctx, lnt.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Confirmed+counts.Waitlisted < 40 || counts.Waitlisted == 0 {
			t.Errorf("25th: %d confirmed, %d waiting; want ~45 and a waiting list", counts.Confirmed, counts.Waitlisted)
		}
		withMunicipality := 0
		for _, mc := range counts.ByMunicipality {
			if mc.MunicipalityID == nil {
				continue
			}
			withMunicipality++
			if mc.Confirmed > lnt.MunicipalityQuota {
				t.Errorf("municipality %d has %d confirmed, quota %d", *mc.MunicipalityID, mc.Confirmed, lnt.MunicipalityQuota)
			}
		}
		if withMunicipality < 18 {
			t.Errorf("registrations from %d municipalities, want ~20", withMunicipality)
		}
		regs, err := f.stores.Registrations.List(ctx, lnt.ID, registration.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		guest := false
		for _, r := range regs {
			if !strings.HasSuffix(r.Email, ".example") {
				t.Errorf("address %s is not at an .example domain", r.Email)
			}
			if r.MunicipalityID == nil && strings.Contains(r.Organisation, "MKFFI") {
				guest = true
			}
		}
		if !guest {
			t.Error("no guest from the ministry")
		}
	})

	t.Run("upcoming Frühjahrsakademie", func(t *testing.T) {
		fa, ok := find(list, func(e event.Event) bool { return e.Kind == event.Fruehjahrsakademie && e.Status == event.Published })
		if !ok {
			t.Fatal("no published Frühjahrsakademie")
		}
		if fa.Days.String() != days("2026-05-14", "2026-05-15").String() || fa.Name() != "Frühjahrsakademie 2026" {
			t.Errorf("%s on %s", fa.Name(), fa.Days)
		}
		regs, err := f.stores.Registrations.List(ctx, fa.ID, registration.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		oneDay := 0
		for _, r := range regs {
			if len(r.Days) == 1 {
				oneDay++
			}
		}
		if len(regs) != 20 || oneDay == 0 || oneDay == len(regs) {
			t.Errorf("%d registrations, %d for one day only", len(regs), oneDay)
		}
	})

	t.Run("draft", func(t *testing.T) {
		if _, ok := find(list, func(e event.Event) bool { return e.Status == event.Draft }); !ok {
			t.Error("no draft meeting")
		}
	})

	t.Run("second load", func(t *testing.T) {
		sum := f.load(t, now.Add(24*time.Hour))
		if !sum.Skipped || sum.Events != 0 || sum.Registrations != 0 || sum.Municipalities != 0 {
			t.Errorf("second load = %+v, want skipped", sum)
		}
		if !strings.Contains(sum.String(), "nicht geladen") {
			t.Errorf("String() = %q", sum.String())
		}
		if again := f.totals(t); again != c {
			t.Errorf("rows after second load = %+v, want %+v", again, c)
		}
	})
}

// TestLoadDates checks the upcoming dates against the reference time:
// the academy is in the next May, the meeting six to seven weeks ahead on a
// Wednesday (outside the Christmas holidays), the draft in the future.
func TestLoadDates(t *testing.T) {
	for _, tc := range []struct {
		now     time.Time
		academy string
		meeting string // "" for 42–48 days ahead
	}{
		{time.Date(2031, time.April, 30, 23, 30, 0, 0, day.Location()), "2031-05-08,2031-05-09", ""},
		{time.Date(2031, time.April, 30, 22, 30, 0, 0, time.UTC), "2032-05-13,2032-05-14", ""}, // already 1 May in Berlin
		{time.Date(2031, time.December, 31, 12, 0, 0, 0, day.Location()), "2032-05-13,2032-05-14", ""},
		{time.Date(2031, time.November, 10, 12, 0, 0, 0, day.Location()), "2032-05-13,2032-05-14", "2032-01-07"},
	} {
		t.Run(tc.now.Format(time.RFC3339), func(t *testing.T) {
			f := newFixture(t)
			f.load(t, tc.now)
			today := day.Today(tc.now)
			for _, e := range f.events(t, tc.now) {
				switch {
				case e.Kind == event.Fruehjahrsakademie && e.Status == event.Published:
					if e.Days.String() != tc.academy {
						t.Errorf("academy on %s, want %s", e.Days, tc.academy)
					}
				case e.Number == 25:
					d := e.Days.First()
					gap := d.In(time.UTC).Sub(today.In(time.UTC)).Hours() / 24
					if tc.meeting != "" && d.String() != tc.meeting {
						t.Errorf("meeting on %s, want %s", d, tc.meeting)
					}
					if (tc.meeting == "" && (gap < 42 || gap > 48)) || d.In(time.UTC).Weekday() != time.Wednesday {
						t.Errorf("meeting on %s, %v days after %s", d.GermanLong(), gap, today)
					}
				case e.Status == event.Draft:
					if !e.Days.First().After(today) {
						t.Errorf("draft on %s, not after %s", e.Days, today)
					}
				}
			}
		})
	}
}

func TestUpcomingMeetingHasWorkingGroupsWithWishesThatCanBeAssigned(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	f.load(t, now)
	ctx := context.Background()
	upcoming, err := f.stores.Events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var lnt event.Event
	for _, ev := range upcoming {
		if ev.Number == 25 {
			lnt = ev
		}
	}
	groups, err := f.stores.WorkingGroups.Groups(ctx, lnt.ID)
	if err != nil || len(groups) != 4 {
		t.Fatalf("%d groups, %v", len(groups), err)
	}
	if groups[0].Title != "Kommunale Steuerung in der Präventionskette" || len(groups[0].Inputs) != 3 ||
		groups[0].Inputs[0].Title != "Stadt Ahlen – Steuerungsstruktur der Präventionskette" {
		t.Fatalf("first group %+v", groups[0])
	}
	prefs, err := f.stores.WorkingGroups.Preferences(ctx, lnt.ID)
	if err != nil || len(prefs) < 40 {
		t.Fatalf("%d people with wishes, %v", len(prefs), err)
	}
	plan, err := f.stores.WorkingGroups.Plan(ctx, lnt, workinggroup.PlanOptions{MaxPerMunicipality: 2})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Solution.Stats.Overall.Unplaced != 0 || plan.Solution.Stats.Overall.ByRank[0] == 0 {
		t.Fatalf("demo assignment: %+v", plan.Solution.Stats.Overall)
	}
}

func TestUpcomingMeetingsHaveAProgrammeWithoutWarnings(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	f.load(t, now)
	ctx := context.Background()
	upcoming, err := f.stores.Events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: now})
	if err != nil || len(upcoming) != 2 {
		t.Fatalf("upcoming %d, %v", len(upcoming), err)
	}
	for _, ev := range upcoming {
		items, err := f.stores.Agenda.Items(ctx, ev.ID)
		if err != nil || len(items) < 8 {
			t.Fatalf("%s: %d items, %v", ev.Name(), len(items), err)
		}
		if w := agenda.Check(ev, items); len(w) != 0 {
			t.Errorf("%s: demo programme has warnings: %+v", ev.Name(), w)
		}
	}
}

func TestArchiveHasDocumentations(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, time.February, 10, 9, 30, 0, 0, day.Location())
	f.load(t, now)
	ctx := context.Background()
	a := f.stores.Archive

	entries, err := a.Archive(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]archive.Entry{}
	for _, e := range entries {
		if e.Documented {
			documented[e.Event.Name()] = e
		}
	}
	for _, name := range []string{
		"10. Lernnetzwerktreffen", "11. Lernnetzwerktreffen", "15. Lernnetzwerktreffen", "16. Lernnetzwerktreffen",
		"17. Lernnetzwerktreffen", "18. Lernnetzwerktreffen", "19. Lernnetzwerktreffen", "Frühjahrsakademie 2018",
		"20. Lernnetzwerktreffen", "21. Lernnetzwerktreffen",
	} {
		e, ok := documented[name]
		switch {
		case !ok:
			t.Errorf("%s has no published documentation in the archive", name)
		case e.Teaser == "" || strings.Contains(e.Teaser, "weiterlesen") || strings.Contains(e.Teaser, "external link"):
			t.Errorf("%s: teaser %q", name, e.Teaser)
		}
	}
	if len(documented) != 10 {
		t.Errorf("%d documented meetings, want 10", len(documented))
	}
	if e := documented["18. Lernnetzwerktreffen"]; !strings.Contains(e.Teaser, "Herne") {
		t.Errorf("18th teaser %q does not say Herne", e.Teaser)
	}

	e17, ok := documented["17. Lernnetzwerktreffen"]
	if !ok {
		t.Fatal("17th not documented")
	}
	for _, want := range []string{"Holger Mrosek", "Norbert Wörmann", "Heinz-Jürgen Stolz", "Andreas Bothe"} {
		if !containsSubstring(e17.Speakers, want) {
			t.Errorf("17th speakers %q lack %s", e17.Speakers, want)
		}
	}
	for _, want := range []string{"Stadt Herne", "Kreis Warendorf", "Stadt Köln", "Kreis Coesfeld"} {
		if !containsSubstring(e17.Municipalities, want) {
			t.Errorf("17th municipalities %q lack %s", e17.Municipalities, want)
		}
	}
	if got := archive.Search(entries, archive.Query{Text: "Wörmann"}); len(got) != 1 || got[0].Event.Number != 17 {
		t.Errorf("search Wörmann: %d hits", len(got))
	}

	doc, err := a.Documentation(ctx, e17.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Published() || !strings.Contains(doc.Report, "## ") ||
		!strings.Contains(doc.Report, "> Wie das Kind heißt, ist egal. Hauptsache, wir lassen es nicht zurück!") {
		t.Errorf("17th documentation: published %v, report %.80q…", doc.Published(), doc.Report)
	}
	if html := string(archive.RenderReport(doc.Report)); !strings.Contains(html, "<blockquote>") || !strings.Contains(html, "Arbeitsgruppen</h") {
		t.Errorf("report renders without headings or quotes: %.200s", html)
	}

	all, err := a.Materials(ctx, e17.Event.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	public, err := a.Materials(ctx, e17.Event.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(public) >= len(all) {
		t.Errorf("%d public of %d materials, want some for participants only", len(public), len(all))
	}
	items, err := f.stores.Agenda.Items(ctx, e17.Event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w := agenda.Check(e17.Event, items); len(items) < 8 || len(w) != 0 {
		t.Errorf("17th programme: %d items, warnings %+v", len(items), w)
	}
	groups, err := f.stores.WorkingGroups.Groups(ctx, e17.Event.ID)
	if err != nil || len(groups) != 4 {
		t.Fatalf("17th: %d working groups, %v", len(groups), err)
	}
	inputs := 0
	for _, g := range groups {
		for _, in := range g.Inputs {
			inputs++
			if in.MunicipalityID == nil || *in.MunicipalityID == 0 {
				t.Errorf("input %q has no municipality", in.Title)
			}
		}
	}
	if inputs != 8 {
		t.Errorf("%d working-group inputs, want 8", inputs)
	}

	var photos, pdfs, onInput, onItem int
	participantKinds := map[archive.Kind]bool{}
	for _, m := range all {
		if m.Visibility == archive.Participants {
			participantKinds[m.Kind] = true
		}
		if m.AgendaItemID != nil {
			onItem++
		}
		if m.WorkingGroupInputID != nil {
			onInput++
		}
		switch m.Kind {
		case archive.Photo:
			photos++
			if !strings.HasPrefix(m.AltText, "Platzhalterbild der Demodaten:") || m.Credit != "ISA/Martin Scherag (Platzhalter)" ||
				m.Width != 1200 || m.Height != 800 || m.ContentType != "image/png" {
				t.Errorf("photo %+v", m)
			}
		case archive.Presentation:
			pdfs++
			head := stored(t, a, m)
			if !strings.HasPrefix(head, "%PDF") {
				t.Errorf("%s: stored content starts %q", m.Title, head)
			}
		case archive.Video:
			// The meeting's videos are in the Mediathek, tied to it: one
			// entry, not a copy in the documentation (see TestMediathek).
			t.Errorf("video material %q at %s: videos belong in the Mediathek", m.Title, m.URL)
		}
	}
	if photos < 2 || pdfs < 5 || onInput == 0 || onItem < 4 {
		t.Errorf("%d photos, %d PDFs, %d on inputs, %d on programme items", photos, pdfs, onInput, onItem)
	}
	if !participantKinds[archive.Presentation] {
		t.Errorf("participant-only kinds %v, want a presentation", participantKinds)
	}
}

// stored returns the first bytes of a material's stored file.
func stored(t *testing.T, a *archive.Store, m archive.Material) string {
	t.Helper()
	file, err := a.Files().Open(m.FileKey)
	if err != nil {
		t.Fatalf("open %s: %v", m.Title, err)
	}
	defer file.Close()
	head := make([]byte, 8)
	n, err := io.ReadFull(file, head)
	if err != nil {
		t.Fatalf("read %s: %v", m.Title, err)
	}
	return string(head[:n])
}

func containsSubstring(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}
