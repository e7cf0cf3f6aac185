package media

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// AdoptMaterial turns a video of a meeting's documentation into an item
// of the Mediathek and deletes the material, in one transaction: the
// video then has one entry, never two copies. The item keeps the title,
// address, meeting, programme item and visibility; its date is the
// meeting's first day.
func (s *Store) AdoptMaterial(ctx context.Context, materialID int64) (Item, error) {
	var it Item
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m archive.Material
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&m, materialID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return archive.ErrMaterialNotFound
		}
		if err != nil {
			return err
		}
		if m.Kind != archive.Video {
			return &problem.Error{Code: problem.Invalid,
				Message: fmt.Sprintf("Nur Videos lassen sich in die Mediathek übernehmen; „%s“ ist: %s.", m.Label(), m.Kind.Label())}
		}
		var ev event.Event
		if err := tx.First(&ev, m.EventID).Error; err != nil {
			return fmt.Errorf("meeting %d: %w", m.EventID, err)
		}
		kind, visibility := Video, Visibility(m.Visibility)
		title, address := m.Label(), m.URL
		in := Input{Kind: &kind, Title: &title, URL: &address, EventID: &m.EventID, AgendaItemID: m.AgendaItemID, Visibility: &visibility}
		if first := ev.Days.First(); !first.IsZero() {
			date := first.String()
			in.RecordedOn = &date
		}
		if err := in.apply(&it); err != nil {
			return err
		}
		if err := checkReferences(tx, &it); err != nil {
			return err
		}
		if err := tx.Omit("Speakers").Create(&it).Error; err != nil {
			return err
		}
		return tx.Delete(&archive.Material{}, m.ID).Error
	})
	if err != nil {
		return Item{}, fmt.Errorf("adopt material %d: %w", materialID, err)
	}
	return s.Item(ctx, it.ID)
}
