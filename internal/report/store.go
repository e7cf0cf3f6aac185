package report

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
)

// Store reads the figures of a report: four queries whatever the number
// of meetings and municipalities.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Scope limits a report to one municipality; the zero Scope is the
// whole network.
type Scope struct {
	MunicipalityID int64
	Name           string
}

// A meeting counts as held in the period when it was not a draft or
// cancelled and its first day lies in the period and not after today.
// events.days is the normalized list "2018-11-29,2018-11-30", so its
// first ten characters are the first day and compare as text.
const heldIn = `e.status NOT IN ('draft', 'cancelled') AND substr(e.days, 1, 10) BETWEEN ? AND ? AND substr(e.days, 1, 10) <= ?`

// usedCheckIn is true for a meeting where anybody was checked in.
const usedCheckIn = `EXISTS (SELECT 1 FROM check_ins c JOIN registrations cr ON cr.id = c.registration_id WHERE cr.event_id = e.id)`

// The queries of a report; %s takes the scope's condition.
const (
	meetingsSQL = `SELECT e.id, e.kind, e.number, e.title, e.days, ` + usedCheckIn + ` AS used_check_in
		FROM events e WHERE ` + heldIn + ` ORDER BY e.days, e.id`
	figuresSQL = `SELECT r.event_id, coalesce(r.municipality_id, 0) AS municipality_id, r.function,
			count(*) AS registrations,
			sum(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed,
			sum(CASE WHEN r.status = 'confirmed' AND EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) THEN 1 ELSE 0 END) AS checked_in
		FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE r.status <> 'declined' AND ` + heldIn + `%s
		GROUP BY r.event_id, r.municipality_id, r.function`
	membersSQL = `SELECT id, name FROM municipalities WHERE kind <> 'organisation'%s ORDER BY name`
	// Who took part before the period: confirmed and, where the meeting
	// used check-in, checked in.
	// The meetings with check-ins are found once, not once a row.
	beforeSQL = `SELECT DISTINCT r.municipality_id FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE e.status NOT IN ('draft', 'cancelled') AND substr(e.days, 1, 10) < ? AND substr(e.days, 1, 10) <= ?
		AND r.status = 'confirmed' AND r.municipality_id IS NOT NULL%s
		AND (EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id)
			OR e.id NOT IN (SELECT cr.event_id FROM check_ins c JOIN registrations cr ON cr.id = c.registration_id))`
)

// Network builds the report over p as of today, for the network or, with
// a scope, for one municipality.
func (s *Store) Network(ctx context.Context, p Period, today day.Date, scope Scope) (Report, error) {
	db := s.db.WithContext(ctx)
	from, to, now := p.From.String(), p.To.String(), today.String()

	var evs []struct {
		ID          int64
		Kind        event.Kind
		Number      int
		Title       string
		Days        day.List
		UsedCheckIn bool
	}
	err := db.Raw(meetingsSQL, from, to, now).Scan(&evs).Error
	if err != nil {
		return Report{}, fmt.Errorf("report meetings %s: %w", p.Label(), err)
	}
	meetings := make([]Meeting, len(evs))
	for i, e := range evs {
		ev := event.Event{Kind: e.Kind, Number: e.Number, Title: e.Title, Days: e.Days}
		meetings[i] = Meeting{EventID: e.ID, Name: ev.Name(), Days: e.Days, UsedCheckIn: e.UsedCheckIn}
	}

	only, args := "", []any{from, to, now}
	if scope.MunicipalityID != 0 {
		only, args = " AND r.municipality_id = ?", append(args, scope.MunicipalityID)
	}
	var rows []row
	err = db.Raw(fmt.Sprintf(figuresSQL, only), args...).Scan(&rows).Error
	if err != nil {
		return Report{}, fmt.Errorf("report figures %s: %w", p.Label(), err)
	}

	var members []member
	only, args = "", []any{}
	if scope.MunicipalityID != 0 {
		only, args = " AND id = ?", append(args, scope.MunicipalityID)
	}
	if err := db.Raw(fmt.Sprintf(membersSQL, only), args...).Scan(&members).Error; err != nil {
		return Report{}, fmt.Errorf("report municipalities: %w", err)
	}

	var before []int64
	only, args = "", []any{from, now}
	if scope.MunicipalityID != 0 {
		only, args = " AND r.municipality_id = ?", append(args, scope.MunicipalityID)
	}
	err = db.Raw(fmt.Sprintf(beforeSQL, only), args...).Scan(&before).Error
	if err != nil {
		return Report{}, fmt.Errorf("report earlier participation: %w", err)
	}
	returning := make(map[int64]bool, len(before))
	for _, id := range before {
		returning[id] = true
	}
	return build(p, meetings, rows, members, returning, scope.Name), nil
}
