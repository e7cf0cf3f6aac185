package registration

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/day"
)

// PastRegistration is a registration of a meeting that is over, as it
// ended: its final status and the days the person was checked in.
type PastRegistration struct {
	Registration
	CheckedIn day.List
	Arrival   time.Duration // time of day (UTC) of the check-ins
}

// pastCheckIn is a row of check_ins, written here only for past meetings
// (the checkin package owns the check-ins of running meetings).
type pastCheckIn struct {
	RegistrationID int64
	Day            string
	CheckedInAt    time.Time
}

func (pastCheckIn) TableName() string { return "check_ins" }

// ImportPast writes the registrations and check-ins of a meeting that is
// over in one transaction and a few statements. No rule is applied and no
// mail queued or manage link issued: the meeting is history, the
// statuses are what they ended as. The counted places are set to the
// confirmed registrations, as if they had registered one by one.
func (s *Store) ImportPast(ctx context.Context, eventID int64, past []PastRegistration) error {
	if len(past) == 0 {
		return nil
	}
	rows := make([]Registration, len(past))
	for i, p := range past {
		rows[i] = p.Registration
		rows[i].EventID = eventID
		if rows[i].CheckinCode == "" {
			code, err := newCheckinCode()
			if err != nil {
				return err
			}
			rows[i].CheckinCode = code
		}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(&rows, 200).Error; err != nil {
			return err
		}
		places := map[int64]int{0: 0}
		var checkIns []pastCheckIn
		for i, r := range rows {
			if r.Status == Confirmed {
				places[0]++
				if r.MunicipalityID != nil {
					places[*r.MunicipalityID]++
				}
			}
			for _, d := range past[i].CheckedIn {
				at := d.In(time.UTC).Add(past[i].Arrival)
				checkIns = append(checkIns, pastCheckIn{RegistrationID: r.ID, Day: d.String(), CheckedInAt: at})
			}
		}
		counted := make([]place, 0, len(places))
		for muni, n := range places {
			counted = append(counted, place{EventID: eventID, MunicipalityID: muni, Confirmed: n})
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "event_id"}, {Name: "municipality_id"}},
			DoUpdates: clause.Set{{Column: clause.Column{Name: "confirmed"}, Value: gorm.Expr("registration_places.confirmed + excluded.confirmed")}},
		}).Create(&counted).Error
		if err != nil {
			return err
		}
		if len(checkIns) == 0 {
			return nil
		}
		return tx.CreateInBatches(&checkIns, 500).Error
	})
	if err != nil {
		return fmt.Errorf("import past registrations of event %d: %w", eventID, err)
	}
	return nil
}
