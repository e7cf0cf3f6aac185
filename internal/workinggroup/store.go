package workinggroup

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Errors of the package.
var (
	ErrNotFound     = problem.New(problem.NotFound, "Diese Arbeitsgruppe gibt es nicht.")
	ErrSlotNotFound = problem.New(problem.NotFound, "Dieses Zeitfenster gibt es nicht.")
	ErrGroupFull    = problem.New(problem.Conflict, "Diese Arbeitsgruppe ist voll. Erhöhen Sie die Plätze oder verschieben Sie zuerst jemand anderen.")
	ErrPlanChanged  = problem.New(problem.Conflict, "Seit der Vorschau hat sich etwas geändert (neue Anmeldungen, Wünsche oder Sperren). Bitte sehen Sie sich die Vorschau erneut an.")
)

// Store reads and writes working groups and assignments.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Slots returns the meeting's slots in time order.
func (s *Store) Slots(ctx context.Context, eventID int64) ([]Slot, error) {
	var out []Slot
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("day, starts_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("slots of event %d: %w", eventID, err)
	}
	return out, nil
}

// Groups returns the meeting's groups with their inputs, by slot and position.
func (s *Store) Groups(ctx context.Context, eventID int64) ([]Group, error) {
	var out []Group
	err := s.db.WithContext(ctx).Preload("Inputs", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Where("event_id = ?", eventID).Order("slot_id, position, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("working groups of event %d: %w", eventID, err)
	}
	return out, nil
}

// Group returns one group of a meeting.
func (s *Store) Group(ctx context.Context, eventID, id int64) (Group, error) {
	var g Group
	err := s.db.WithContext(ctx).Preload("Inputs", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Where("event_id = ?", eventID).First(&g, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return g, ErrNotFound
	}
	if err != nil {
		return g, fmt.Errorf("working group %d: %w", id, err)
	}
	return g, nil
}

// slotFor finds the slot the input names, creating it from day and times.
func slotFor(tx *gorm.DB, ev *event.Event, in GroupInput, current int64) (int64, error) {
	if in.SlotID != nil {
		var n int64
		if err := tx.Model(&Slot{}).Where("id = ? AND event_id = ?", *in.SlotID, ev.ID).Count(&n).Error; err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
				Fields: map[string]string{"slot_id": "Dieses Zeitfenster gehört nicht zu dieser Veranstaltung."}}
		}
		return *in.SlotID, nil
	}
	if in.Day == nil && in.StartsAt == nil && in.EndsAt == nil {
		if current != 0 {
			return current, nil
		}
		return 0, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"slot_id": "Bitte wählen Sie ein Zeitfenster oder geben Sie Tag, Beginn und Ende an."}}
	}
	d, starts, ends := ev.Days.First(), "", ""
	if in.Day != nil {
		d = *in.Day
	}
	if in.StartsAt != nil {
		starts = *in.StartsAt
	}
	if in.EndsAt != nil {
		ends = *in.EndsAt
	}
	starts, ends, err := slotFields(ev, d, starts, ends)
	if err != nil {
		return 0, err
	}
	var slot Slot
	err = tx.Where("event_id = ? AND day = ? AND starts_at = ? AND ends_at = ?", ev.ID, d, starts, ends).First(&slot).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		slot = Slot{EventID: ev.ID, Day: d, StartsAt: starts, EndsAt: ends}
		if in.SlotLabel != nil {
			slot.Label = *in.SlotLabel
		}
		err = tx.Create(&slot).Error
	}
	return slot.ID, err
}

// MoveSlot sets the day and times of a slot. Its groups go along with
// their wishes and assignments, unlike moving one group to another time,
// which starts it afresh in another slot. A slot may not take the time
// of another slot of the meeting.
func (s *Store) MoveSlot(ctx context.Context, ev event.Event, slotID int64, d day.Date, starts, ends string) (Slot, error) {
	var slot Slot
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("event_id = ?", ev.ID).First(&slot, slotID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrSlotNotFound
		}
		if err != nil {
			return err
		}
		if starts, ends, err = slotFields(&ev, d, starts, ends); err != nil {
			return err
		}
		var taken int64
		if err := tx.Model(&Slot{}).Where("event_id = ? AND id <> ? AND day = ? AND starts_at = ? AND ends_at = ?", ev.ID, slotID, d, starts, ends).
			Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return problem.Errorf(problem.Conflict, "Am %s gibt es schon ein Zeitfenster %s–%s Uhr. Verknüpfen Sie den Programmpunkt mit diesem.", d.German(), starts, ends)
		}
		slot.Day, slot.StartsAt, slot.EndsAt = d, starts, ends
		return tx.Save(&slot).Error
	})
	if err != nil {
		return slot, fmt.Errorf("move slot %d: %w", slotID, err)
	}
	return slot, nil
}

// SaveGroup creates a group (id 0) or updates group id of the meeting.
func (s *Store) SaveGroup(ctx context.Context, ev event.Event, id int64, in GroupInput) (Group, error) {
	if id == 0 {
		return s.CreateGroup(ctx, ev, in)
	}
	return s.UpdateGroup(ctx, ev, id, in)
}

// SlotsAndGroups returns a meeting's slots and groups, as every overview
// of the working groups needs both.
func (s *Store) SlotsAndGroups(ctx context.Context, eventID int64) ([]Slot, []Group, error) {
	slots, err := s.Slots(ctx, eventID)
	if err != nil {
		return nil, nil, err
	}
	groups, err := s.Groups(ctx, eventID)
	return slots, groups, err
}

// CreateGroup adds a group to a meeting.
func (s *Store) CreateGroup(ctx context.Context, ev event.Event, in GroupInput) (Group, error) {
	g := Group{EventID: ev.ID}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := in.apply(&g); err != nil {
			return err
		}
		slotID, err := slotFor(tx, &ev, in, 0)
		if err != nil {
			return err
		}
		g.SlotID = slotID
		if in.Position == nil {
			var n int64
			if err := tx.Model(&Group{}).Where("slot_id = ?", slotID).Count(&n).Error; err != nil {
				return err
			}
			g.Position = int(n) + 1
		}
		return tx.Create(&g).Error
	})
	if err != nil {
		return g, fmt.Errorf("create working group: %w", err)
	}
	return g, nil
}

// UpdateGroup changes a group; given inputs replace the old ones.
func (s *Store) UpdateGroup(ctx context.Context, ev event.Event, id int64, in GroupInput) (Group, error) {
	g, err := s.Group(ctx, ev.ID, id)
	if err != nil {
		return g, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := in.apply(&g); err != nil {
			return err
		}
		oldSlot := g.SlotID
		if g.SlotID, err = slotFor(tx, &ev, in, g.SlotID); err != nil {
			return err
		}
		if g.SlotID != oldSlot {
			// Assignments and wishes were made for the other time: they no
			// longer hold, and the old slot may be left without groups.
			if err := tx.Where("working_group_id = ?", g.ID).Delete(&Assignment{}).Error; err != nil {
				return err
			}
			if err := tx.Where("working_group_id = ?", g.ID).Delete(&Preference{}).Error; err != nil {
				return err
			}
		}
		if in.Inputs != nil {
			if err := tx.Where("working_group_id = ?", g.ID).Delete(&Input{}).Error; err != nil {
				return err
			}
			for i := range g.Inputs {
				g.Inputs[i].ID = 0
				g.Inputs[i].WorkingGroupID = g.ID
			}
		}
		if err := tx.Session(&gorm.Session{FullSaveAssociations: in.Inputs != nil}).Save(&g).Error; err != nil {
			return err
		}
		if g.SlotID == oldSlot {
			return nil
		}
		return tx.Where("event_id = ? AND id NOT IN (SELECT slot_id FROM working_groups)", ev.ID).Delete(&Slot{}).Error
	})
	if err != nil {
		return g, fmt.Errorf("update working group %d: %w", id, err)
	}
	return s.Group(ctx, ev.ID, id)
}

// DeleteGroup removes a group with its wishes and assignments.
func (s *Store) DeleteGroup(ctx context.Context, eventID, id int64) error {
	res := s.db.WithContext(ctx).Where("event_id = ?", eventID).Delete(&Group{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete working group %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	// A slot without groups is no slot.
	if err := s.db.WithContext(ctx).Where("event_id = ? AND id NOT IN (SELECT slot_id FROM working_groups)", eventID).Delete(&Slot{}).Error; err != nil {
		return fmt.Errorf("remove empty slots: %w", err)
	}
	return nil
}

// WishCounts returns per group how many chose it at each rank (index 0:
// first choice), a hint for the registration form.
func (s *Store) WishCounts(ctx context.Context, eventID int64) (map[int64][]int, error) {
	var rows []struct {
		WorkingGroupID int64
		Rank           int
		N              int
	}
	err := s.db.WithContext(ctx).Table("working_group_preferences p").
		Select("p.working_group_id, p.rank, count(*) AS n").
		Joins("JOIN registrations r ON r.id = p.registration_id").
		Where("r.event_id = ? AND r.status = ?", eventID, registration.Confirmed).
		Group("p.working_group_id, p.rank").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("wish counts of event %d: %w", eventID, err)
	}
	out := map[int64][]int{}
	for _, r := range rows {
		for len(out[r.WorkingGroupID]) < r.Rank {
			out[r.WorkingGroupID] = append(out[r.WorkingGroupID], 0)
		}
		out[r.WorkingGroupID][r.Rank-1] = r.N
	}
	return out, nil
}

// Preferences returns every registration's wishes for a meeting, first
// choice first (across slots in slot order).
func (s *Store) Preferences(ctx context.Context, eventID int64) (map[int64][]int64, error) {
	var rows []Preference
	err := s.db.WithContext(ctx).Table("working_group_preferences p").Select("p.*").
		Joins("JOIN working_groups g ON g.id = p.working_group_id").
		Where("g.event_id = ?", eventID).Order("p.registration_id, g.slot_id, p.rank").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("preferences of event %d: %w", eventID, err)
	}
	out := map[int64][]int64{}
	for _, p := range rows {
		out[p.RegistrationID] = append(out[p.RegistrationID], p.WorkingGroupID)
	}
	return out, nil
}

// Assignments returns the meeting's current assignment.
func (s *Store) Assignments(ctx context.Context, eventID int64) ([]Assignment, error) {
	var out []Assignment
	err := s.db.WithContext(ctx).Table("working_group_assignments a").Select("a.*").
		Joins("JOIN working_groups g ON g.id = a.working_group_id").
		Where("g.event_id = ?", eventID).Order("a.slot_id, a.working_group_id, a.registration_id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("assignments of event %d: %w", eventID, err)
	}
	return out, nil
}

// RankCosts are the default costs for n wishes: 0, 1, 3, 6, 10 – each
// step hurts more than the last, so disappointment is spread out.
func RankCosts(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i * (i + 1) / 2
	}
	return out
}

// PlanOptions steer an assignment run.
type PlanOptions struct {
	MaxPerMunicipality int  // 0: no limit
	KeepCurrent        bool // place only the unassigned; everybody assigned stays (late registrations)
}

// Change is one difference between the current and a planned assignment.
type Change struct {
	RegistrationID int64 `json:"registration_id"`
	SlotID         int64 `json:"slot"`
	From           int64 `json:"from"` // 0: not assigned before
	To             int64 `json:"to"`   // 0: not assigned any more
}

// Plan is a computed assignment not yet saved.
type Plan struct {
	EventID     int64
	Assignments []Assignment
	Changes     []Change
	Solution    Solution
	Fingerprint string // of the inputs; saving checks nothing changed since
}

// Plan computes an optimal assignment of the confirmed participants
// without saving it. Locked assignments stay where they are, and so do
// speakers and moderators: linked to an input by registration, or named
// in the group's moderators or an input's speaker exactly as registered.
func (s *Store) Plan(ctx context.Context, ev event.Event, opt PlanOptions) (Plan, error) {
	return s.plan(s.db.WithContext(ctx), ev, opt)
}

func (s *Store) plan(db *gorm.DB, ev event.Event, opt PlanOptions) (Plan, error) {
	pl := Plan{EventID: ev.ID}
	var groups []Group
	if err := db.Preload("Inputs").Where("event_id = ?", ev.ID).Order("slot_id, position, id").Find(&groups).Error; err != nil {
		return pl, err
	}
	var regs []registration.Registration
	if err := db.Where("event_id = ? AND status = ?", ev.ID, registration.Confirmed).Order("id").Find(&regs).Error; err != nil {
		return pl, err
	}
	var prefs []Preference
	if err := db.Table("working_group_preferences p").Select("p.*").Joins("JOIN working_groups g ON g.id = p.working_group_id").
		Where("g.event_id = ?", ev.ID).Order("p.registration_id, g.slot_id, p.rank").Scan(&prefs).Error; err != nil {
		return pl, err
	}
	var current []Assignment
	if err := db.Table("working_group_assignments a").Select("a.*").Joins("JOIN working_groups g ON g.id = a.working_group_id").
		Where("g.event_id = ?", ev.ID).Scan(&current).Error; err != nil {
		return pl, err
	}
	wishes := map[int64][]int64{}
	for _, p := range prefs {
		wishes[p.RegistrationID] = append(wishes[p.RegistrationID], p.WorkingGroupID)
	}
	confirmed := map[int64]bool{}
	for _, r := range regs {
		confirmed[r.ID] = true
	}
	fixed := map[int64]map[int]int64{}
	role := map[[2]int64]Role{}
	fix := func(regID, slotID, groupID int64) {
		if fixed[regID] == nil {
			fixed[regID] = map[int]int64{}
		}
		fixed[regID][int(slotID)] = groupID
	}
	for _, a := range current {
		if !confirmed[a.RegistrationID] {
			continue // cancelled since: the place is free again
		}
		if a.Locked || opt.KeepCurrent {
			fix(a.RegistrationID, a.SlotID, a.WorkingGroupID)
		}
		role[[2]int64{a.RegistrationID, a.SlotID}] = a.Role
	}
	problemGroups := make([]GroupSpec, len(groups))
	byName := registrationsByName(regs)
	for i, g := range groups {
		problemGroups[i] = GroupSpec{ID: g.ID, Slot: int(g.SlotID), Capacity: g.Capacity}
		for _, name := range SplitNames(g.Moderators) {
			if id, ok := byName[collate.Key(name)]; ok {
				fix(id, g.SlotID, g.ID)
				role[[2]int64{id, g.SlotID}] = Moderator
			}
		}
		for _, in := range g.Inputs {
			id, ok := int64(0), false
			if in.RegistrationID != nil {
				id, ok = *in.RegistrationID, confirmed[*in.RegistrationID]
			} else {
				id, ok = byName[collate.Key(in.Speaker)]
			}
			if ok {
				fix(id, g.SlotID, g.ID)
				role[[2]int64{id, g.SlotID}] = Speaker
			}
		}
	}
	pr := Problem{Groups: problemGroups, MaxPerMunicipality: opt.MaxPerMunicipality, RankCosts: RankCosts(max(ev.PreferenceRanks, 1))}
	for _, r := range regs {
		ps := ParticipantSpec{ID: r.ID, Preferences: wishes[r.ID], Fixed: fixed[r.ID]}
		if r.MunicipalityID != nil {
			ps.MunicipalityID = *r.MunicipalityID
		}
		pr.Participants = append(pr.Participants, ps)
	}
	sol, err := Solve(pr)
	if err != nil {
		return pl, &problem.Error{Code: problem.Conflict, Message: "Die Zuteilung ist so nicht möglich: " + err.Error(), Err: err}
	}
	pl.Solution = sol
	locked := map[[2]int64]bool{}
	for _, a := range current {
		if a.Locked {
			locked[[2]int64{a.RegistrationID, a.SlotID}] = true
		}
	}
	now := time.Now().UTC()
	for _, r := range regs {
		for slot, g := range sol.Assignment[r.ID] {
			key := [2]int64{r.ID, int64(slot)}
			pl.Assignments = append(pl.Assignments, Assignment{RegistrationID: r.ID, SlotID: int64(slot), WorkingGroupID: g,
				Locked: locked[key] || role[key] != Participant, Role: role[key], UpdatedAt: now})
		}
	}
	sort.Slice(pl.Assignments, func(i, j int) bool {
		a, b := pl.Assignments[i], pl.Assignments[j]
		if a.SlotID != b.SlotID {
			return a.SlotID < b.SlotID
		}
		return a.RegistrationID < b.RegistrationID
	})
	pl.Changes = diff(current, pl.Assignments)
	pl.Fingerprint = fingerprint(groups, regs, prefs, current, opt)
	return pl, nil
}

// registrationsByName finds confirmed people by the name organisers type
// for moderators and speakers ("Maria Muster" or "Dr. Maria Muster");
// a name two people share is left out rather than guessed.
func registrationsByName(regs []registration.Registration) map[string]int64 {
	out := map[string]int64{}
	shared := map[string]bool{}
	for _, r := range regs {
		for _, name := range []string{r.FirstName + " " + r.LastName, r.FullName()} {
			key := collate.Key(name)
			if prev, ok := out[key]; ok && prev != r.ID {
				shared[key] = true
			}
			out[key] = r.ID
		}
	}
	for key := range shared {
		delete(out, key)
	}
	return out
}

// SplitNames reads a list of people as written in the moderators field:
// "Maria Muster, Jan Beispiel und Ute Test" (also with ";" or "/").
func SplitNames(s string) []string {
	s = strings.ReplaceAll(s, " und ", ",")
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func diff(current, next []Assignment) []Change {
	before := map[[2]int64]int64{}
	for _, a := range current {
		before[[2]int64{a.RegistrationID, a.SlotID}] = a.WorkingGroupID
	}
	var out []Change
	seen := map[[2]int64]bool{}
	for _, a := range next {
		key := [2]int64{a.RegistrationID, a.SlotID}
		seen[key] = true
		if before[key] != a.WorkingGroupID {
			out = append(out, Change{RegistrationID: a.RegistrationID, SlotID: a.SlotID, From: before[key], To: a.WorkingGroupID})
		}
	}
	for key, g := range before {
		if !seen[key] {
			out = append(out, Change{RegistrationID: key[0], SlotID: key[1], From: g})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SlotID != out[j].SlotID {
			return out[i].SlotID < out[j].SlotID
		}
		return out[i].RegistrationID < out[j].RegistrationID
	})
	return out
}

// fingerprint summarises everything a plan depends on.
func fingerprint(groups []Group, regs []registration.Registration, prefs []Preference, current []Assignment, opt PlanOptions) string {
	var h strings.Builder
	fmt.Fprintf(&h, "%d|%v", opt.MaxPerMunicipality, opt.KeepCurrent)
	for _, g := range groups {
		fmt.Fprintf(&h, "|g%d:%d:%d:%s", g.ID, g.SlotID, g.Capacity, g.Moderators)
		for _, in := range g.Inputs {
			if in.RegistrationID != nil {
				fmt.Fprintf(&h, "s%d", *in.RegistrationID)
			}
			fmt.Fprintf(&h, "n%s", in.Speaker)
		}
	}
	for _, r := range regs {
		m := int64(0)
		if r.MunicipalityID != nil {
			m = *r.MunicipalityID
		}
		fmt.Fprintf(&h, "|r%d:%d:%s", r.ID, m, r.FullName())
	}
	for _, p := range prefs {
		fmt.Fprintf(&h, "|p%d:%d:%d", p.RegistrationID, p.WorkingGroupID, p.Rank)
	}
	sorted := append([]Assignment(nil), current...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].RegistrationID != sorted[j].RegistrationID {
			return sorted[i].RegistrationID < sorted[j].RegistrationID
		}
		return sorted[i].SlotID < sorted[j].SlotID
	})
	for _, a := range sorted {
		fmt.Fprintf(&h, "|a%d:%d:%d:%v", a.RegistrationID, a.SlotID, a.WorkingGroupID, a.Locked)
	}
	return shortHash(h.String())
}

// SavedOptions returns the options saved with the meeting's assignment:
// no limit before the first one.
func (s *Store) SavedOptions(ctx context.Context, eventID int64) (PlanOptions, error) {
	var set Settings
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Limit(1).Find(&set).Error; err != nil {
		return PlanOptions{}, fmt.Errorf("assignment options of event %d: %w", eventID, err)
	}
	return PlanOptions{MaxPerMunicipality: set.MaxPerMunicipality}, nil
}

// Apply saves a plan if nothing it depends on changed since it was
// computed (fingerprint ""; skips that check). It recomputes inside the
// transaction, so what is saved is optimal for the data at that moment,
// and keeps the limit per municipality for the next run.
func (s *Store) Apply(ctx context.Context, ev event.Event, opt PlanOptions, fingerprint string, actor audit.Actor) (Plan, error) {
	var pl Plan
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if pl, err = s.plan(tx, ev, opt); err != nil {
			return err
		}
		if fingerprint != "" && fingerprint != pl.Fingerprint {
			return ErrPlanChanged
		}
		if err := tx.Exec("DELETE FROM working_group_assignments WHERE working_group_id IN (SELECT id FROM working_groups WHERE event_id = ?)", ev.ID).Error; err != nil {
			return err
		}
		if len(pl.Assignments) > 0 {
			if err := tx.CreateInBatches(pl.Assignments, 500).Error; err != nil {
				return err
			}
		}
		set := Settings{EventID: ev.ID, MaxPerMunicipality: opt.MaxPerMunicipality, UpdatedAt: time.Now().UTC()}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "event_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"max_per_municipality", "updated_at"})}).Create(&set).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.AssignmentSaved, "event", ev.ID, &ev.ID,
			fmt.Sprintf("%d Zuteilungen, %d Änderungen", len(pl.Assignments), len(pl.Changes)))
	})
	if err != nil {
		return pl, fmt.Errorf("save assignment of event %d: %w", ev.ID, err)
	}
	return pl, nil
}

// Move puts a participant into a group by hand, optionally locked so the
// next run keeps it. A full group refuses.
func (s *Store) Move(ctx context.Context, ev event.Event, registrationID, groupID int64, lock bool, actor audit.Actor) (Assignment, error) {
	var a Assignment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var g Group
		if err := tx.Where("event_id = ?", ev.ID).First(&g, groupID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		var reg registration.Registration
		if err := tx.Where("event_id = ? AND status = ?", ev.ID, registration.Confirmed).First(&reg, registrationID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return problem.New(problem.NotFound, "Diese bestätigte Anmeldung gibt es bei dieser Veranstaltung nicht.")
			}
			return err
		}
		// Places are taken by confirmed people only: assignments of people
		// cancelled since stay until the next run but hold no place.
		var taken int64
		if err := tx.Model(&Assignment{}).Joins("JOIN registrations r ON r.id = working_group_assignments.registration_id").
			Where("working_group_id = ? AND registration_id <> ? AND r.status = ?", g.ID, registrationID, registration.Confirmed).
			Count(&taken).Error; err != nil {
			return err
		}
		if int(taken) >= g.Capacity {
			return ErrGroupFull
		}
		var prev Assignment
		found := tx.Where("registration_id = ? AND slot_id = ?", registrationID, g.SlotID).Limit(1).Find(&prev)
		if found.Error != nil {
			return found.Error
		}
		a = Assignment{RegistrationID: registrationID, SlotID: g.SlotID, WorkingGroupID: g.ID, Locked: lock, Role: prev.Role, UpdatedAt: time.Now().UTC()}
		if err := tx.Where("registration_id = ? AND slot_id = ?", registrationID, g.SlotID).Delete(&Assignment{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.AssignmentMoved, "registration", registrationID, &ev.ID,
			fmt.Sprintf("%s → %s%s", reg.FullName(), g.Title, map[bool]string{true: " (gesperrt)"}[lock]))
	})
	if err != nil {
		return a, fmt.Errorf("move registration %d: %w", registrationID, err)
	}
	return a, nil
}

// SetLock locks or unlocks an existing assignment.
func (s *Store) SetLock(ctx context.Context, ev event.Event, registrationID, slotID int64, locked bool, actor audit.Actor) error {
	res := s.db.WithContext(ctx).Model(&Assignment{}).
		Where("registration_id = ? AND slot_id = ? AND slot_id IN (SELECT id FROM working_group_slots WHERE event_id = ?)", registrationID, slotID, ev.ID).
		Update("locked", locked)
	if res.Error != nil {
		return fmt.Errorf("lock assignment: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return problem.New(problem.NotFound, "Für diese Person gibt es in diesem Zeitfenster keine Zuteilung.")
	}
	action := map[bool]string{true: "gesperrt", false: "entsperrt"}[locked]
	return audit.NewStore(s.db).Record(ctx, actor, audit.AssignmentMoved, "registration", registrationID, &ev.ID, "Zuteilung "+action)
}
