package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// historySeed fixes the random choices of the archive's registrations, so
// every demo database holds the same history.
const historySeed = 2012

// attendance says how regularly a municipality came to the archive's
// meetings. The sources name who took part, not who came when; the tiers
// are invented so the statistics and the report have something to tell:
// a core that comes nearly always, some that come now and then, a few
// that came once and two that never came ("nicht erreicht").
type attendance struct {
	chance float64 // probability of sending a delegation to a meeting
	once   string  // the day of the only meeting it came to
	from   string  // joined the network then (2017 for the second wave)
}

var (
	core      = attendance{chance: 0.9}
	often     = attendance{chance: 0.65}
	sometimes = attendance{chance: 0.35}
	never     = attendance{}
	joined    = "2017-01-01"
)

func onceAt(d string) attendance { return attendance{once: d} }
func since(a attendance) attendance {
	a.from = joined
	return a
}

// historyAttendance holds every municipality of the sources.
var historyAttendance = map[string]attendance{
	"Stadt Arnsberg":            sometimes,
	"Stadt Bielefeld":           core,
	"Stadt Dormagen":            often,
	"Stadt Dortmund":            core,
	"Stadt Duisburg":            often,
	"Stadt Düsseldorf":          often,
	"Stadt Gelsenkirchen":       core,
	"Stadt Gladbeck":            never,
	"Stadt Hamm":                sometimes,
	"Stadt Moers":               onceAt("2018-05-17"),
	"Stadt Mönchengladbach":     sometimes,
	"Stadt Münster":             core,
	"Stadt Oberhausen":          often,
	"Stadt Witten":              sometimes,
	"Stadt Wuppertal":           core,
	"Kreis Düren":               often,
	"Kreis Unna":                core,
	"Kreis Warendorf":           often,
	"Stadt Bochum":              since(sometimes),
	"Stadt Bottrop":             onceAt("2019-10-30"),
	"Stadt Herne":               since(core),
	"Stadt Mülheim an der Ruhr": since(often),
	"Stadt Dinslaken":           since(sometimes),
	"Kreis Recklinghausen":      since(often),
	"Stadt Ahlen":               since(often),
	"Kreis Coesfeld":            since(often),
	"Stadt Neuss":               since(core),
	"Stadt Köln":                since(core),
	"Stadt Krefeld":             onceAt("2019-05-22"),
	"Stadt Essen":               onceAt("2018-09-04"), // as host of the 20th
	"Stadt Monheim am Rhein":    never,
}

// historyFunctions are the offices people come from, most often first:
// the coordinator, then the youth office, school, health …
var historyFunctions = []string{
	"Koordination Präventionskette",
	"Jugendamt, Jugendhilfeplanung",
	"Schulverwaltungsamt",
	"Gesundheitsamt",
	"Sozialamt",
	"Kita-Fachberatung",
	"Jobcenter, Markt und Integration",
	"Bildungsbüro",
	"Frühe Hilfen",
	"Stabsstelle Sozialplanung",
}

var (
	historyFirstWomen = []string{"Anna", "Birgit", "Carina", "Doris", "Eva", "Friederike", "Hatice", "Ilka", "Jana", "Karin", "Larissa", "Maren"}
	historyFirstMen   = []string{"Achim", "Björn", "Cem", "Detlef", "Erik", "Florian", "Gregor", "Holger", "Ingo", "Jens", "Kai", "Lars"}
	historyLast       = []string{"Albers", "Brinkmann", "Castrup", "Droste", "Eickhoff", "Funke", "Gerdes", "Hagedorn", "Imhoff", "Janßen", "Kleine", "Lohmann", "Menke", "Niehaus", "Ostendorf", "Pieper", "Quante", "Reckers", "Sommer", "Terhorst"}
)

// historyPeople returns the people of a municipality who come to the
// archive's meetings, in a fixed order: its delegation to the upcoming
// meeting where it has one (so the same names return), then invented
// colleagues. The i-th person holds the i-th function.
func historyPeople(muni string, r *rand.Rand) []person {
	var people []person
	for _, d := range delegations {
		if d.Municipality == muni {
			people = append(people, d.People...)
		}
	}
	seen := map[string]bool{}
	for _, p := range people {
		seen[p.First+" "+p.Last] = true
	}
	for len(people) < len(historyFunctions) {
		p := person{Salutation: "Frau", First: historyFirstWomen[r.IntN(len(historyFirstWomen))]}
		if r.IntN(2) == 0 {
			p = person{Salutation: "Herr", First: historyFirstMen[r.IntN(len(historyFirstMen))]}
		}
		p.Last = historyLast[r.IntN(len(historyLast))]
		if !seen[p.First+" "+p.Last] {
			seen[p.First+" "+p.Last] = true
			people = append(people, p)
		}
	}
	return people
}

// history gives every meeting of the archive its registrations and
// check-ins, written in bulk per meeting: the delegations that came, a
// few cancellations, at some meetings a waiting list (some moved up,
// some not), and the people who did not come although confirmed.
func (l *loader) history(ctx context.Context) error {
	r := rand.New(rand.NewPCG(historySeed, 0))
	pools := map[string][]person{}
	for _, b := range bodies {
		if _, ok := historyAttendance[b.Name]; ok {
			pools[b.Name] = historyPeople(b.Name, r)
		}
	}
	for _, ev := range l.held {
		past := l.pastRegistrations(ev, pools, r)
		if err := l.s.Registrations.ImportPast(ctx, ev.ID, past); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		l.sum.Registrations += len(past)
	}
	return nil
}

func (l *loader) pastRegistrations(ev event.Event, pools map[string][]person, r *rand.Rand) []registration.PastRegistration {
	first := ev.Days.First()
	var past []registration.PastRegistration
	add := func(p person, muni, org, function string) *registration.PastRegistration {
		n := len(past)
		domain := slug(muni) + ".example"
		if muni == "" {
			domain = "mkffi-nrw.example"
		}
		in := input(p, domain, n)
		created := first.In(time.UTC).AddDate(0, 0, -10-r.IntN(35)).Add(time.Duration(8+r.IntN(9)) * time.Hour)
		reg := registration.Registration{
			Salutation: in.Salutation, AcademicTitle: in.AcademicTitle,
			FirstName: in.FirstName, LastName: in.LastName, Email: in.Email,
			Organisation: org, Function: function, Days: ev.Days,
			DietaryNeeds: in.DietaryNeeds, PhotoConsent: in.PhotoConsent,
			PrivacyConsentAt: created, Status: registration.Confirmed,
			CreatedAt: created, UpdatedAt: created,
		}
		if muni != "" {
			reg.MunicipalityID = l.id(muni)
		}
		past = append(past, registration.PastRegistration{Registration: reg})
		return &past[len(past)-1]
	}
	keep := map[int]bool{} // who came to their only meeting: not cancelled
	for _, b := range bodies {
		a, ok := historyAttendance[b.Name]
		if !ok || (a.from != "" && first.String() < a.from) {
			continue
		}
		comes := r.Float64() < a.chance
		if a.once != "" {
			comes = first.String() == a.once
		}
		if !comes {
			continue
		}
		size := 1 + r.IntN(3)
		if a == core || a == since(core) {
			size = 3 + r.IntN(3)
		}
		pool := pools[b.Name]
		// The coordinator comes nearly always; the colleagues vary.
		picked := []int{0}
		for _, i := range r.Perm(len(pool) - 1)[:size-1] {
			picked = append(picked, i+1)
		}
		for _, i := range picked {
			keep[len(past)] = a.once != ""
			add(pool[i], b.Name, "", historyFunctions[i])
		}
	}
	if ev.Kind == event.Lernnetzwerktreffen {
		keep[len(past)] = true // the ministry's guest has a place
		add(ministryGuest, "", orgMKFFI, "Referat Kommunale Präventionsketten")
	}
	// Final statuses: about one in twelve cancelled; beyond the capacity
	// the last ones waited, and of those who waited some moved up when
	// others cancelled.
	confirmed := 0
	for i := range past {
		p := &past[i]
		switch {
		case r.IntN(12) == 0 && !keep[i]:
			p.Status = registration.Cancelled
			at := p.CreatedAt.AddDate(0, 0, 3+r.IntN(5))
			p.CancelledAt = &at
		case confirmed >= ev.Capacity:
			p.Status = registration.Waitlisted
		case i%9 == 4 && r.IntN(3) == 0:
			// waited first, then got a cancelled place
			at := p.CreatedAt.AddDate(0, 0, 2+r.IntN(6))
			p.PromotedAt = &at
			confirmed++
		default:
			confirmed++
		}
	}
	if len(past) > 30 {
		// At the bigger meetings two more registered after the places
		// were taken and stayed on the waiting list.
		for i, left := len(past)-1, 2; i >= 0 && left > 0; i-- {
			if p := &past[i]; p.Status == registration.Confirmed && p.PromotedAt == nil && !keep[i] {
				p.Status = registration.Waitlisted
				left--
			}
		}
	}
	// Most confirmed people came; about one in eight did not. At a
	// two-day meeting some came on the first day only.
	for i := range past {
		p := &past[i]
		if p.Status != registration.Confirmed || r.IntN(8) == 0 {
			continue
		}
		p.CheckedIn = ev.Days
		if len(ev.Days) > 1 && r.IntN(5) == 0 {
			p.CheckedIn = ev.Days[:1]
		}
		p.Arrival = time.Duration(7*60+r.IntN(150)) * time.Minute
	}
	return past
}
