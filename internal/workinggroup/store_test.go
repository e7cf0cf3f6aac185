package workinggroup_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

func ptr[T any](v T) *T { return &v }

type fixture struct {
	ev     event.Event
	groups *workinggroup.Store
	regs   *registration.Store
	munis  []int64
}

func newFixture(t *testing.T, capacity int) *fixture {
	t.Helper()
	db := storetest.Open(t)
	ctx := context.Background()
	f := &fixture{groups: workinggroup.NewStore(db.Gorm), regs: registration.NewStore(db.Gorm, nil)}
	days := day.List{day.Of(time.Now().AddDate(0, 2, 0))}
	var err error
	f.ev, err = event.NewStore(db.Gorm).Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Days: &days,
		Capacity: ptr(capacity), Status: ptr(event.Published)})
	if err != nil {
		t.Fatal(err)
	}
	ms := municipality.NewStore(db.Gorm)
	for _, name := range []string{"Stadt Ahlen", "Kreis Coesfeld", "Stadt Neuss"} {
		m, err := ms.Create(ctx, municipality.Input{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.munis = append(f.munis, m.ID)
	}
	return f
}

func (f *fixture) group(t *testing.T, title string, capacity int, starts string) workinggroup.Group {
	t.Helper()
	g, err := f.groups.CreateGroup(context.Background(), f.ev, workinggroup.GroupInput{Title: &title, Capacity: &capacity,
		Day: &f.ev.Days[0], StartsAt: &starts, EndsAt: ptr(map[string]string{"10:00": "11:30", "14:00": "15:30"}[starts])})
	if err != nil {
		t.Fatalf("group %s: %v", title, err)
	}
	return g
}

func (f *fixture) register(t *testing.T, i int, muni int64, prefs ...int64) registration.Registration {
	t.Helper()
	r, err := f.regs.Register(context.Background(), f.ev.ID, registration.Input{FirstName: fmt.Sprint("P", i), LastName: "Müller",
		Email: fmt.Sprintf("p%d@x.example", i), MunicipalityID: &muni, PrivacyConsent: true, WorkingGroupPreferences: prefs}, registration.Options{})
	if err != nil {
		t.Fatalf("register %d: %v", i, err)
	}
	return r
}

func TestPlanApplyMoveLockAndLateRegistrations(t *testing.T) {
	f := newFixture(t, 50)
	ctx := context.Background()
	steuerung := f.group(t, "Kommunale Steuerung", 2, "14:00")
	lotsen := f.group(t, "Zugänge erleichtern – Lotsenmodelle", 2, "14:00")
	uebergaenge := f.group(t, "(Bildungs-)Übergänge", 2, "14:00")
	slots, _ := f.groups.Slots(ctx, f.ev.ID)
	if len(slots) != 1 {
		t.Fatalf("%d slots, want the three groups in one", len(slots))
	}
	var people []registration.Registration
	for i := 0; i < 5; i++ {
		people = append(people, f.register(t, i, f.munis[i%3], steuerung.ID, lotsen.ID, uebergaenge.ID))
	}
	pl, err := f.groups.Plan(ctx, f.ev, workinggroup.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Assignments) != 5 || len(pl.Changes) != 5 {
		t.Fatalf("plan: %d assignments, %d changes", len(pl.Assignments), len(pl.Changes))
	}
	// 2 first choices, 2 second, 1 third: cost 0+0+1+1+3.
	if pl.Solution.Cost != 5 || pl.Solution.Stats.Overall.ByRank[0] != 2 {
		t.Fatalf("cost %d stats %+v", pl.Solution.Cost, pl.Solution.Stats.Overall)
	}
	// Someone registers between preview and save: the preview is stale.
	late := f.register(t, 9, f.munis[0], uebergaenge.ID)
	if _, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{}, pl.Fingerprint, audit.System); !problem.Is(err, problem.Conflict) {
		t.Fatalf("stale preview saved: %v", err)
	}
	pl, err = f.groups.Plan(ctx, f.ev, workinggroup.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{}, pl.Fingerprint, audit.System); err != nil {
		t.Fatal(err)
	}
	current, _ := f.groups.Assignments(ctx, f.ev.ID)
	if len(current) != 6 {
		t.Fatalf("%d assignments saved", len(current))
	}
	// Move the late person into Steuerung by hand: full.
	if _, err := f.groups.Move(ctx, f.ev, late.ID, steuerung.ID, true, audit.System); !problem.Is(err, problem.Conflict) {
		t.Fatalf("move into a full group: %v", err)
	}
	if _, err := f.groups.UpdateGroup(ctx, f.ev, steuerung.ID, workinggroup.GroupInput{Capacity: ptr(3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.Move(ctx, f.ev, late.ID, steuerung.ID, true, audit.System); err != nil {
		t.Fatal(err)
	}
	// The next run keeps the lock although the person wished otherwise.
	pl, err = f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{}, "", audit.System)
	if err != nil {
		t.Fatal(err)
	}
	if got := groupOf(t, f, late.ID); got != steuerung.ID {
		t.Fatalf("locked person moved to %d", got)
	}
	// Late registrations are placed without moving anybody.
	before := map[int64]int64{}
	for _, p := range people {
		before[p.ID] = groupOf(t, f, p.ID)
	}
	newcomer := f.register(t, 10, f.munis[1], lotsen.ID)
	if _, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{KeepCurrent: true}, "", audit.System); err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if got := groupOf(t, f, p.ID); got != before[p.ID] {
			t.Errorf("%d moved from %d to %d by a late placement", p.ID, before[p.ID], got)
		}
	}
	if groupOf(t, f, newcomer.ID) == 0 {
		t.Error("newcomer not placed")
	}
}

func groupOf(t *testing.T, f *fixture, regID int64) int64 {
	t.Helper()
	all, err := f.groups.Assignments(context.Background(), f.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.RegistrationID == regID {
			return a.WorkingGroupID
		}
	}
	return 0
}

func TestPreferencesAreValidated(t *testing.T) {
	f := newFixture(t, 50)
	ctx := context.Background()
	a := f.group(t, "A", 5, "10:00")
	b := f.group(t, "B", 5, "10:00")
	c := f.group(t, "C", 5, "14:00")
	other := newFixture(t, 5)
	foreign := other.group(t, "Fremd", 5, "10:00")
	in := registration.Input{FirstName: "A", LastName: "B", Email: "a@b.example", MunicipalityID: &f.munis[0], PrivacyConsent: true}
	for _, tc := range []struct {
		prefs []int64
		ok    bool
	}{
		{[]int64{a.ID, b.ID, c.ID}, true},
		{[]int64{a.ID, a.ID}, false},
		{[]int64{foreign.ID + 100}, false},
	} {
		in.WorkingGroupPreferences = tc.prefs
		in.Email = fmt.Sprintf("x%d@b.example", len(tc.prefs)*10+int(tc.prefs[0]%7))
		_, err := f.regs.Register(ctx, f.ev.ID, in, registration.Options{})
		if (err == nil) != tc.ok {
			t.Errorf("prefs %v: %v", tc.prefs, err)
		}
		if err != nil {
			if pe, _ := problem.As(err); pe == nil || pe.Fields["working_group_preferences"] == "" {
				t.Errorf("prefs %v: no field message: %v", tc.prefs, err)
			}
		}
	}
	prefs, err := f.groups.Preferences(ctx, f.ev.ID)
	if err != nil || len(prefs) != 1 {
		t.Fatalf("stored preferences %v %v", prefs, err)
	}
	counts, _ := f.groups.WishCounts(ctx, f.ev.ID)
	if counts[a.ID][0] != 1 || counts[b.ID][1] != 1 || counts[c.ID][0] != 1 {
		t.Fatalf("wish counts %v (c is the first choice of its own slot)", counts)
	}
}

func TestMovingAGroupToAnotherSlotDropsItsAssignments(t *testing.T) {
	f := newFixture(t, 50)
	ctx := context.Background()
	morning := f.group(t, "Vormittag", 5, "10:00")
	afternoon := f.group(t, "Nachmittag", 5, "14:00")
	p := f.register(t, 1, f.munis[0], morning.ID, afternoon.ID)
	if _, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{}, "", audit.System); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.groups.Assignments(ctx, f.ev.ID); len(n) != 2 {
		t.Fatalf("%d assignments, want one per slot", len(n))
	}
	// The morning group moves to the afternoon: its slot disappears.
	if _, err := f.groups.UpdateGroup(ctx, f.ev, morning.ID, workinggroup.GroupInput{Day: &f.ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")}); err != nil {
		t.Fatal(err)
	}
	slots, _ := f.groups.Slots(ctx, f.ev.ID)
	if len(slots) != 1 {
		t.Fatalf("%d slots left, want only the afternoon", len(slots))
	}
	all, _ := f.groups.Assignments(ctx, f.ev.ID)
	for _, a := range all {
		if a.WorkingGroupID == morning.ID {
			t.Fatalf("assignment to the moved group kept: %+v", a)
		}
	}
	// A cancelled person's old assignment holds no place for a move.
	if _, err := f.regs.Cancel(ctx, p.ID, audit.System); err != nil {
		t.Fatal(err)
	}
	if _, err := f.groups.UpdateGroup(ctx, f.ev, afternoon.ID, workinggroup.GroupInput{Capacity: ptr(1)}); err != nil {
		t.Fatal(err)
	}
	q := f.register(t, 2, f.munis[1])
	if _, err := f.groups.Move(ctx, f.ev, q.ID, afternoon.ID, false, audit.System); err != nil {
		t.Fatalf("move into a group whose only member cancelled: %v", err)
	}
}

func TestModeratorsAndSpeakersNamedInTheGroupStayInIt(t *testing.T) {
	f := newFixture(t, 50)
	ctx := context.Background()
	a := f.group(t, "Kommunale Steuerung", 3, "14:00")
	b := f.group(t, "Lotsenmodelle", 3, "14:00")
	mod := f.register(t, 1, f.munis[0], a.ID) // wishes A, moderates B
	spk := f.register(t, 2, f.munis[1], a.ID) // wishes A, speaks in B
	if _, err := f.groups.UpdateGroup(ctx, f.ev, b.ID, workinggroup.GroupInput{Moderators: ptr("p1 müller"),
		Inputs: &[]workinggroup.InputSpec{{Title: "Kreis Düren – Präventionsteam", Speaker: "P2 Müller"}}}); err != nil {
		t.Fatal(err)
	}
	pl, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{}, "", audit.System)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[int64]workinggroup.Role{}
	for _, a := range pl.Assignments {
		roles[a.RegistrationID] = a.Role
		if (a.RegistrationID == mod.ID || a.RegistrationID == spk.ID) && (a.WorkingGroupID != b.ID || !a.Locked) {
			t.Errorf("%d placed in %d (locked %v), want fixed in the group they lead", a.RegistrationID, a.WorkingGroupID, a.Locked)
		}
	}
	if roles[mod.ID] != workinggroup.Moderator || roles[spk.ID] != workinggroup.Speaker {
		t.Fatalf("roles %v", roles)
	}
}

func TestApplyKeepsTheLimitPerMunicipality(t *testing.T) {
	f := newFixture(t, 50)
	ctx := context.Background()
	a := f.group(t, "A", 5, "14:00")
	f.group(t, "B", 5, "14:00")
	for i := 0; i < 3; i++ {
		f.register(t, i, f.munis[0], a.ID)
	}
	if opt, err := f.groups.SavedOptions(ctx, f.ev.ID); err != nil || opt.MaxPerMunicipality != 0 {
		t.Fatalf("before any run: %+v %v", opt, err)
	}
	// A preview keeps nothing; saving keeps the limit, a later save replaces it.
	if _, err := f.groups.Plan(ctx, f.ev, workinggroup.PlanOptions{MaxPerMunicipality: 3}); err != nil {
		t.Fatal(err)
	}
	if opt, _ := f.groups.SavedOptions(ctx, f.ev.ID); opt.MaxPerMunicipality != 0 {
		t.Fatalf("a preview saved the limit %d", opt.MaxPerMunicipality)
	}
	for _, limit := range []int{2, 1, 0} {
		if _, err := f.groups.Apply(ctx, f.ev, workinggroup.PlanOptions{MaxPerMunicipality: limit, KeepCurrent: limit == 1}, "", audit.System); err != nil {
			t.Fatal(err)
		}
		opt, err := f.groups.SavedOptions(ctx, f.ev.ID)
		if err != nil || opt.MaxPerMunicipality != limit || opt.KeepCurrent {
			t.Fatalf("after saving with %d: %+v %v", limit, opt, err)
		}
	}
}
