package registration

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// savePreferences replaces a registration's working-group wishes inside
// the registration's transaction. The groups are read from their table
// directly: the working-group package builds on registrations, not the
// other way round.
func savePreferences(tx *gorm.DB, eventID, registrationID int64, ids []int64, maxRanks int) error {
	if ids == nil {
		return nil
	}
	var groups []struct {
		ID     int64
		SlotID int64
	}
	if err := tx.Table("working_groups").Select("id, slot_id").Where("event_id = ?", eventID).Scan(&groups).Error; err != nil {
		return fmt.Errorf("read working groups: %w", err)
	}
	slotOf := make(map[int64]int64, len(groups))
	for _, g := range groups {
		slotOf[g.ID] = g.SlotID
	}
	invalid := func(msg string) error {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"working_group_preferences": msg}}
	}
	seen := map[int64]bool{}
	rankInSlot := map[int64]int{}
	type row struct {
		RegistrationID, WorkingGroupID int64
		Rank                           int
	}
	rows := make([]row, 0, len(ids))
	for _, id := range ids {
		slot, ok := slotOf[id]
		switch {
		case !ok:
			return invalid("Die Arbeitsgruppe " + strconv.FormatInt(id, 10) + " gehört nicht zu dieser Veranstaltung.")
		case seen[id]:
			return invalid("Jede Arbeitsgruppe kann nur einmal gewählt werden.")
		}
		seen[id] = true
		rankInSlot[slot]++
		if rankInSlot[slot] > maxRanks {
			return invalid(fmt.Sprintf("Je Zeitfenster sind höchstens %d Wünsche möglich.", maxRanks))
		}
		rows = append(rows, row{registrationID, id, rankInSlot[slot]})
	}
	if err := tx.Table("working_group_preferences").Where("registration_id = ?", registrationID).Delete(nil).Error; err != nil {
		return fmt.Errorf("clear preferences: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Table("working_group_preferences").Create(&rows).Error; err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}
