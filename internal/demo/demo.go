// Package demo fills an empty database with demonstration data: the
// municipalities of the learning network, the archive of past meetings
// taken from the programme's web pages with their online documentations,
// the Mediathek of the network's videos and podcast, two upcoming
// meetings with registrations and one draft.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Stores are the domain stores Load writes through, so the demo data obey
// the same rules (validation, quota, waiting list, outbox) as real data.
type Stores struct {
	Municipalities *municipality.Store
	Events         *event.Store
	Registrations  *registration.Store
	WorkingGroups  *workinggroup.Store // optional: the upcoming meeting gets its afternoon groups
	Agenda         *agenda.Store       // optional: the upcoming meetings get a programme
	Archive        *archive.Store      // optional: past meetings get their online documentation
	Media          *media.Store        // optional: the Mediathek gets the network's videos and podcast
}

// Summary reports what Load created.
type Summary struct {
	Skipped        bool // the database already had meetings; nothing was created
	Municipalities int  // municipalities and organisations created (existing ones are reused)
	Events         int
	Registrations  int
	Documentations int // published online documentations of past meetings
	Media          int // items of the Mediathek
}

// String is the German line the command prints.
func (s Summary) String() string {
	if s.Skipped {
		return "Demodaten nicht geladen: Die Datenbank enthält bereits Veranstaltungen."
	}
	return fmt.Sprintf("Demodaten geladen: %s, %s, %s, %s, %s",
		count(s.Municipalities, "Kommune", "Kommunen"),
		count(s.Events, "Veranstaltung", "Veranstaltungen"),
		count(s.Registrations, "Anmeldung", "Anmeldungen"),
		count(s.Documentations, "Online-Dokumentation", "Online-Dokumentationen"),
		count(s.Media, "Medium in der Mediathek", "Medien in der Mediathek"))
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Load creates the demo data unless the database already holds a meeting,
// in which case it does nothing and reports Skipped. Upcoming dates are
// computed from now; the archive lies in 2014–2022. The steps are not one
// transaction: each store method owns its own. Registrations queue their
// confirmation mails like any registration; the addresses use .example
// domains (RFC 2606), which never receive mail.
func Load(ctx context.Context, s Stores, now time.Time) (Summary, error) {
	existing, err := s.Events.List(ctx, event.Filter{Now: now})
	if err != nil {
		return Summary{}, fmt.Errorf("demo: %w", err)
	}
	if len(existing) > 0 {
		return Summary{Skipped: true}, nil
	}
	l := loader{s: s, ids: map[string]int64{}, now: now}
	if err := l.municipalities(ctx); err != nil {
		return l.sum, err
	}
	if err := l.archive(ctx); err != nil {
		return l.sum, err
	}
	if err := l.history(ctx); err != nil {
		return l.sum, err
	}
	if err := l.documentation17(ctx); err != nil {
		return l.sum, err
	}
	if err := l.mediathekDemo(ctx); err != nil {
		return l.sum, err
	}
	today := day.Today(now)
	lnt, err := l.upcomingMeeting(ctx, today)
	if err != nil {
		return l.sum, err
	}
	academy, err := l.upcomingAcademy(ctx, today)
	if err != nil {
		return l.sum, err
	}
	if err := l.draft(ctx, today); err != nil {
		return l.sum, err
	}
	if l.groups, err = l.workingGroups(ctx, lnt); err != nil {
		return l.sum, err
	}
	if err := l.programme(ctx, lnt, meetingProgramme, l.afternoonSlot(ctx, lnt)); err != nil {
		return l.sum, err
	}
	if err := l.programme(ctx, academy, academyProgramme, nil); err != nil {
		return l.sum, err
	}
	if err := l.meetingRegistrations(ctx, lnt); err != nil {
		return l.sum, err
	}
	if err := l.academyRegistrations(ctx, academy); err != nil {
		return l.sum, err
	}
	return l.sum, nil
}

type loader struct {
	s      Stores
	ids    map[string]int64 // municipality name → id
	now    time.Time
	sum    Summary
	groups []int64             // the upcoming meeting's working groups
	past   map[int]event.Event // numbered past Lernnetzwerktreffen by number
	held   []event.Event       // all meetings of the archive
}

func (l *loader) municipalities(ctx context.Context) error {
	for _, b := range bodies {
		m, created, err := l.s.Municipalities.FindOrCreate(ctx, municipality.Input{Name: b.Name, Kind: string(b.Kind)})
		if err != nil {
			return fmt.Errorf("demo: municipality %q: %w", b.Name, err)
		}
		l.ids[b.Name] = m.ID
		if created {
			l.sum.Municipalities++
		}
	}
	return nil
}

func (l *loader) id(name string) *int64 {
	if name == "" {
		return nil
	}
	id := l.ids[name]
	return &id
}

func (l *loader) create(ctx context.Context, in event.Input) (event.Event, error) {
	e, err := l.s.Events.Create(ctx, in)
	if err != nil {
		return e, fmt.Errorf("demo: create %s: %w", describe(in), err)
	}
	l.sum.Events++
	return e, nil
}

func describe(in event.Input) string {
	switch {
	case in.Number != nil && *in.Number > 0:
		return fmt.Sprintf("%d. Lernnetzwerktreffen", *in.Number)
	case in.Title != nil:
		return *in.Title
	case in.Days != nil:
		return fmt.Sprintf("%s am %s", in.Kind.Label(), in.Days.First())
	}
	return "event"
}

func (l *loader) archive(ctx context.Context) error {
	for _, m := range pastMeetings {
		days := pastDays(m.Days)
		in := event.Input{
			Kind:         ptr(m.Kind),
			Number:       ptr(m.Number),
			Title:        ptr(m.Title),
			Motto:        ptr(m.Motto),
			Announcement: ptr(m.Announcement),
			Days:         &days,
			VenueName:    ptr(m.VenueName),
			VenueCity:    ptr(m.VenueCity),
			Organiser:    ptr(organiserISA),
			CoOrganisers: ptr(m.CoOrganisers),
			Capacity:     ptr(70),
			Status:       ptr(event.Held),
		}
		if m.Host != "" {
			in.HostMunicipalityID = l.id(m.Host)
		}
		e, err := l.create(ctx, in)
		if err != nil {
			return err
		}
		l.held = append(l.held, e)
		if m.Kind == event.Lernnetzwerktreffen && m.Number > 0 {
			if l.past == nil {
				l.past = map[int]event.Event{}
			}
			l.past[m.Number] = e
		}
		if err := l.teaser(ctx, e, m.Teaser); err != nil {
			return err
		}
	}
	return nil
}

// upcomingMeeting creates the 25. Lernnetzwerktreffen, modelled on the
// 17th in Köln, on the first Wednesday six weeks or more after today; no
// one would hold it over Christmas, so then on the first after 6 January.
func (l *loader) upcomingMeeting(ctx context.Context, today day.Date) (event.Event, error) {
	d := onOrAfter(addDays(today, 42), time.Wednesday)
	if (d.Month == time.December && d.Day >= 20) || (d.Month == time.January && d.Day <= 6) {
		year := d.Year
		if d.Month == time.December {
			year++
		}
		d = onOrAfter(day.Date{Year: year, Month: time.January, Day: 7}, time.Wednesday)
	}
	days := day.List{d}
	announcement := "Wir laden die kommunalen Koordinatorinnen und Koordinatoren und ihre Kolleginnen und Kollegen aus Jugendhilfe, Gesundheit, Schule und Jobcenter herzlich zum 25. Lernnetzwerktreffen nach Köln ein. " +
		"Nach Begrüßung, Grußwort und Praxisbeispielen aus den Kommunen arbeiten wir am Nachmittag in vier parallelen Arbeitsgruppen: " +
		"„" + strings.Join(workingGroups[:3], "“, „") + "“ und „" + workingGroups[3] + "“. " +
		"Jede Kommune kann bis zu vier Personen anmelden; weitere Anmeldungen kommen auf die Warteliste."
	return l.create(ctx, event.Input{
		Kind:         ptr(event.Lernnetzwerktreffen),
		Number:       ptr(25),
		Motto:        ptr("Wir wollen die Prävention stärken!"),
		Announcement: &announcement,
		Days:         &days,
		StartTime:    ptr("10:00"),
		EndTime:      ptr("16:30"),
		// Demo venue: a real event hall in Köln, not a booked location.
		VenueName:            ptr("Gürzenich Köln"),
		VenueAddress:         ptr("Martinstraße 29–37, 50667 Köln"),
		VenueCity:            ptr("Köln"),
		HostMunicipalityID:   l.id("Stadt Köln"),
		Organiser:            ptr(organiserISA),
		Capacity:             ptr(70),
		MunicipalityQuota:    ptr(4),
		RegistrationClosesAt: ptr(addDays(d, -14).String()), // end of that day
		Status:               ptr(event.Published),
	})
}

// upcomingAcademy creates the Frühjahrsakademie on the second Thursday and
// Friday of the next May (this year's until the end of April).
func (l *loader) upcomingAcademy(ctx context.Context, today day.Date) (event.Event, error) {
	year := today.Year
	if today.Month > time.April {
		year++
	}
	first := onOrAfter(day.Date{Year: year, Month: time.May, Day: 8}, time.Thursday)
	days := day.List{first, addDays(first, 1)}
	announcement := "Die Koordinationsstelle Kinderarmut des LVR-Landesjugendamts Rheinland und die Servicestelle Prävention am ISA laden zur zweitägigen Frühjahrsakademie nach Duisburg ein. " +
		"Wie wirken Sozialberichterstattung, Stadtentwicklung und Sozialpolitik zusammen, damit Kinder in jedem Quartier gut aufwachsen können? " +
		"Am ersten Tag stehen Fachimpulse und ein Podiumsgespräch auf dem Programm, am zweiten Tag Praxiswerkstätten mit Beispielen aus den Kommunen. " +
		"Sie können an beiden Tagen oder an einem Tag teilnehmen."
	return l.create(ctx, event.Input{
		Kind:         ptr(event.Fruehjahrsakademie),
		Motto:        ptr("Wir brauchen Daten und Taten – Stadtentwicklung und Sozialpolitik im Quartier"),
		Announcement: &announcement,
		Days:         &days,
		StartTime:    ptr("10:00"),
		EndTime:      ptr("16:00"),
		// Demo venue: a real event location in Duisburg, not a booked one.
		VenueName:            ptr("Landschaftspark Duisburg-Nord"),
		VenueAddress:         ptr("Emscherstraße 71, 47137 Duisburg"),
		VenueCity:            ptr("Duisburg"),
		HostMunicipalityID:   l.id("Stadt Duisburg"),
		Organiser:            ptr(organiserISA),
		CoOrganisers:         ptr(coLVR),
		Capacity:             ptr(70),
		RegistrationClosesAt: ptr(addDays(first, -21).String()),
		Status:               ptr(event.Published),
	})
}

// draft creates a meeting the organisers are still planning.
func (l *loader) draft(ctx context.Context, today day.Date) error {
	days := day.List{onOrAfter(addDays(today, 120), time.Tuesday)}
	_, err := l.create(ctx, event.Input{
		Kind:  ptr(event.Other),
		Title: ptr("Regionalkonferenz Westfalen"),
		Motto: ptr("Präventionsketten im ländlichen Raum"),
		Announcement: ptr("Entwurf: Die Regionalkonferenz bringt Kreise und kreisangehörige Gemeinden in Westfalen zusammen, die eine Präventionskette aufbauen. " +
			"Programm und Ort werden noch mit dem LWL-Landesjugendamt abgestimmt."),
		Days:         &days,
		StartTime:    ptr("09:30"),
		EndTime:      ptr("15:30"),
		VenueCity:    ptr("Münster"),
		Organiser:    ptr(organiserISA),
		CoOrganisers: ptr(coLWL),
		Capacity:     ptr(120),
		Status:       ptr(event.Draft),
	})
	return err
}

// meetingRegistrations registers the delegations round by round (every
// coordinator first, then the second of each, …), as registrations tend
// to arrive; the fifth of a municipality lands on the waiting list.
func (l *loader) meetingRegistrations(ctx context.Context, ev event.Event) error {
	n := 0
	for round := 0; round < len(functions); round++ {
		for _, d := range delegations {
			if round >= len(d.People) {
				continue
			}
			p := d.People[round]
			in := l.input(p, d.Municipality, functions[round], n)
			in.WorkingGroupPreferences = wishes(l.groups, n)
			if err := l.register(ctx, ev.ID, in); err != nil {
				return err
			}
			n++
		}
		if round == 0 {
			in := input(ministryGuest, "mkffi-nrw.example", n)
			in.Organisation = orgMKFFI
			in.Function = "Referat Kommunale Präventionsketten"
			if err := l.register(ctx, ev.ID, in); err != nil {
				return err
			}
			n++
		}
	}
	return nil
}

// academyRegistrations registers the coordinators of the first 17
// delegations and three guests from the Landesjugendämter; every fourth
// comes on the first day only, every seventh on the second only.
func (l *loader) academyRegistrations(ctx context.Context, ev event.Event) error {
	n := 0
	days := func() day.List {
		switch {
		case n%4 == 3:
			return ev.Days[:1]
		case n%7 == 5:
			return ev.Days[1:]
		}
		return ev.Days
	}
	for _, d := range delegations[:17] {
		in := l.input(d.People[0], d.Municipality, functions[0], n)
		in.Days = days()
		if err := l.register(ctx, ev.ID, in); err != nil {
			return err
		}
		n++
	}
	for _, g := range academyGuests {
		in := l.input(g.person, g.Org, g.Function, n)
		in.Days = days()
		if err := l.register(ctx, ev.ID, in); err != nil {
			return err
		}
		n++
	}
	return nil
}

// input builds the registration of a person of a municipality.
func (l *loader) input(p person, muni, function string, n int) registration.Input {
	in := input(p, slug(muni)+".example", n)
	in.MunicipalityID = l.id(muni)
	in.Function = function
	return in
}

var (
	diets = map[int]string{3: "vegetarisch", 11: "vegan", 19: "vegetarisch", 26: "glutenfrei", 34: "laktosefrei"}
	needs = map[int]string{7: "Rollstuhl – bitte einen gut erreichbaren Platz", 23: "Hörbeeinträchtigung – bitte Platz in der Nähe der Induktionsschleife"}
)

// input builds a registration for p with an address at domain; n varies
// the optional answers deterministically.
func input(p person, domain string, n int) registration.Input {
	return registration.Input{
		Salutation:         p.Salutation,
		AcademicTitle:      p.Title,
		FirstName:          p.First,
		LastName:           p.Last,
		Email:              slug(p.First) + "." + slug(p.Last) + "@" + domain,
		DietaryNeeds:       diets[n],
		AccessibilityNeeds: needs[n],
		PhotoConsent:       n%5 != 2,
		PrivacyConsent:     true,
	}
}

func (l *loader) register(ctx context.Context, eventID int64, in registration.Input) error {
	if _, err := l.s.Registrations.Register(ctx, eventID, in, registration.Options{IgnoreWindow: true}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	l.sum.Registrations++
	return nil
}

var transliteration = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss",
	"ı", "i", "ł", "l", "ś", "s", "ş", "s", "é", "e",
	"(", "", ")", "", " ", "-",
)

// slug turns a name into ASCII for addresses: "Stadt Mülheim an der Ruhr"
// → "stadt-muelheim-an-der-ruhr", "Łukasz" → "lukasz".
func slug(s string) string {
	s = transliteration.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		}
	}
	return strings.Trim(b.String(), "-")
}

func addDays(d day.Date, n int) day.Date { return day.Of(d.In(time.UTC).AddDate(0, 0, n)) }

// onOrAfter returns the first date on or after d that falls on wd.
func onOrAfter(d day.Date, wd time.Weekday) day.Date {
	t := d.In(time.UTC)
	return day.Of(t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7))
}

func ptr[T any](v T) *T { return &v }
