package registration

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// preference is a row of working_group_preferences (as JSON for
// registerSQL).
type preference struct {
	RegistrationID int64 `json:"-"`
	WorkingGroupID int64 `json:"working_group_id"`
	Rank           int   `json:"rank"`
}

// groupSlots returns the slot of each working group of the meeting. The
// groups are read from their table directly: the working-group package
// builds on registrations, not the other way round.
func groupSlots(db *gorm.DB, eventID int64) (map[int64]int64, error) {
	var groups []struct {
		ID     int64
		SlotID int64
	}
	if err := db.Table("working_groups").Select("id, slot_id").Where("event_id = ?", eventID).Scan(&groups).Error; err != nil {
		return nil, fmt.Errorf("read working groups: %w", err)
	}
	slotOf := make(map[int64]int64, len(groups))
	for _, g := range groups {
		slotOf[g.ID] = g.SlotID
	}
	return slotOf, nil
}

// rankPreferences checks wishes (working-group ids, first choice first)
// against the meeting's groups and ranks them within their slot.
func rankPreferences(slotOf map[int64]int64, registrationID int64, ids []int64, maxRanks int) ([]preference, error) {
	invalid := func(msg string) error {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"working_group_preferences": msg}}
	}
	seen := map[int64]bool{}
	rankInSlot := map[int64]int{}
	rows := make([]preference, 0, len(ids))
	for _, id := range ids {
		slot, ok := slotOf[id]
		switch {
		case !ok:
			return nil, invalid("Die Arbeitsgruppe " + strconv.FormatInt(id, 10) + " gehört nicht zu dieser Veranstaltung.")
		case seen[id]:
			return nil, invalid("Jede Arbeitsgruppe kann nur einmal gewählt werden.")
		}
		seen[id] = true
		rankInSlot[slot]++
		if rankInSlot[slot] > maxRanks {
			return nil, invalid(fmt.Sprintf("Je Zeitfenster sind höchstens %d Wünsche möglich.", maxRanks))
		}
		rows = append(rows, preference{registrationID, id, rankInSlot[slot]})
	}
	return rows, nil
}

// savePreferences replaces a registration's working-group wishes inside
// the registration's transaction; nil keeps them.
func savePreferences(tx *gorm.DB, eventID, registrationID int64, ids []int64, maxRanks int) error {
	if ids == nil {
		return nil
	}
	slotOf, err := groupSlots(tx, eventID)
	if err != nil {
		return err
	}
	rows, err := rankPreferences(slotOf, registrationID, ids, maxRanks)
	if err != nil {
		return err
	}
	if err := tx.Table("working_group_preferences").Where("registration_id = ?", registrationID).Delete(nil).Error; err != nil {
		return fmt.Errorf("clear preferences: %w", err)
	}
	return insertPreferences(tx, rows)
}

func insertPreferences(tx *gorm.DB, rows []preference) error {
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Table("working_group_preferences").Create(&rows).Error; err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}
