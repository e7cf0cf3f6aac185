package workinggroup

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// ReasonNotAssigned is why a confirmed participant has no group in a slot
// of the saved assignment: no run placed them yet (a late registration,
// or no run at all).
const ReasonNotAssigned = "Noch nicht eingeteilt."

// Standing is the saved assignment of a meeting and how the confirmed
// participants fared in it against their wishes.
type Standing struct {
	Assignments []Assignment // of confirmed participants, by slot, group and registration
	Stats       Stats        // counted like a run's: ranks within each slot
	Unassigned  []Unassigned // confirmed participants without a group in a slot
}

// Standing reads the saved assignment and counts, per slot and overall,
// who got their 1st, 2nd… choice, a group they did not rank, or none.
func (s *Store) Standing(ctx context.Context, ev event.Event) (Standing, error) {
	var st Standing
	err := func() error {
		db := s.db.WithContext(ctx)
		var groups []Group
		if err := db.Where("event_id = ?", ev.ID).Order("slot_id, position, id").Find(&groups).Error; err != nil {
			return err
		}
		var regIDs []int64
		if err := db.Model(&registration.Registration{}).Where("event_id = ? AND status = ?", ev.ID, registration.Confirmed).
			Order("id").Pluck("id", &regIDs).Error; err != nil {
			return err
		}
		var prefs []Preference
		if err := db.Table("working_group_preferences p").Select("p.*").Joins("JOIN working_groups g ON g.id = p.working_group_id").
			Where("g.event_id = ?", ev.ID).Order("p.registration_id, g.slot_id, p.rank").Scan(&prefs).Error; err != nil {
			return err
		}
		var current []Assignment
		if err := db.Table("working_group_assignments a").Select("a.*").Joins("JOIN working_groups g ON g.id = a.working_group_id").
			Where("g.event_id = ?", ev.ID).Order("a.slot_id, a.working_group_id, a.registration_id").Scan(&current).Error; err != nil {
			return err
		}
		st = standing(max(ev.PreferenceRanks, 1), groups, regIDs, prefs, current)
		return nil
	}()
	if err != nil {
		return st, fmt.Errorf("assignment standing of event %d: %w", ev.ID, err)
	}
	return st, nil
}

// standing counts the saved assignment the way the solver counts a run:
// only the first ranks choices within a slot count as ranked.
func standing(ranks int, groups []Group, regIDs []int64, prefs []Preference, current []Assignment) Standing {
	slotOf := make(map[int64]int64, len(groups))
	var slots []int64
	for _, g := range groups {
		slotOf[g.ID] = g.SlotID
		if !slices.Contains(slots, g.SlotID) {
			slots = append(slots, g.SlotID)
		}
	}
	slices.Sort(slots)
	confirmed := make(map[int64]bool, len(regIDs))
	for _, id := range regIDs {
		confirmed[id] = true
	}
	choices := map[[2]int64][]int64{} // registration, slot → groups, best first
	for _, p := range prefs {
		key := [2]int64{p.RegistrationID, slotOf[p.WorkingGroupID]}
		if len(choices[key]) < ranks {
			choices[key] = append(choices[key], p.WorkingGroupID)
		}
	}
	st := Standing{Stats: Stats{PerSlot: make(map[int]Tally, len(slots)), Overall: Tally{ByRank: make([]int, ranks)}}}
	placed := map[[2]int64]int64{}
	for _, a := range current {
		if confirmed[a.RegistrationID] {
			st.Assignments = append(st.Assignments, a)
			placed[[2]int64{a.RegistrationID, a.SlotID}] = a.WorkingGroupID
		}
	}
	for _, slot := range slots {
		tally := Tally{ByRank: make([]int, ranks)}
		for _, id := range regIDs {
			key := [2]int64{id, slot}
			g, ok := placed[key]
			switch r := slices.Index(choices[key], g); {
			case !ok:
				tally.Unplaced++
				st.Unassigned = append(st.Unassigned, Unassigned{ParticipantID: id, Slot: int(slot), Reason: ReasonNotAssigned})
			case r >= 0:
				tally.ByRank[r]++
			default:
				tally.Unranked++
			}
		}
		st.Stats.PerSlot[int(slot)] = tally
		st.Stats.Overall.add(tally)
	}
	return st
}

// QueueAssignmentMails queues one assignment mail for every confirmed
// participant with at least one group, in one transaction with an audit
// entry, and returns how many were queued.
func (s *Store) QueueAssignmentMails(ctx context.Context, ev event.Event, now time.Time, actor audit.Actor) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var regs []registration.Registration
		err := tx.Where("event_id = ? AND status = ?", ev.ID, registration.Confirmed).
			Where("id IN (SELECT a.registration_id FROM working_group_assignments a JOIN working_groups g ON g.id = a.working_group_id WHERE g.event_id = ?)", ev.ID).
			Order("id").Find(&regs).Error
		if err != nil {
			return err
		}
		for _, r := range regs {
			if err := outbox.Enqueue(tx, outbox.Assignment, ev.ID, r.ID, r.Email, now); err != nil {
				return err
			}
		}
		if n = len(regs); n == 0 {
			return nil
		}
		return audit.Record(tx, actor, audit.AssignmentMailed, "event", ev.ID, &ev.ID, fmt.Sprintf("%d E-Mails mit der Zuteilung vorgemerkt", n))
	})
	if err != nil {
		return 0, fmt.Errorf("queue assignment mails of event %d: %w", ev.ID, err)
	}
	return n, nil
}
