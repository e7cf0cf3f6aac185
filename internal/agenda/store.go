package agenda

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// ErrNotFound is returned for an unknown item.
var ErrNotFound = problem.New(problem.NotFound, "Diesen Programmpunkt gibt es nicht.")

// Store reads and writes programme items.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func withSpeakers(db *gorm.DB) *gorm.DB {
	return db.Preload("Speakers", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") })
}

// Items returns a meeting's programme in time order.
func (s *Store) Items(ctx context.Context, eventID int64) ([]Item, error) {
	var out []Item
	if err := withSpeakers(s.db.WithContext(ctx)).Where("event_id = ?", eventID).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("programme of event %d: %w", eventID, err)
	}
	Sort(out)
	return out, nil
}

// Spans returns the span of each day of a meeting's programme (see
// Spans); days without items are missing.
func (s *Store) Spans(ctx context.Context, eventID int64) (map[day.Date]event.Hours, error) {
	var items []Item
	if err := s.db.WithContext(ctx).Select("day", "starts_at", "ends_at").Where("event_id = ?", eventID).Find(&items).Error; err != nil {
		return nil, fmt.Errorf("programme hours of event %d: %w", eventID, err)
	}
	return Spans(items), nil
}

// Item returns one item.
func (s *Store) Item(ctx context.Context, id int64) (Item, error) {
	var it Item
	err := withSpeakers(s.db.WithContext(ctx)).First(&it, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return it, ErrNotFound
	}
	if err != nil {
		return it, fmt.Errorf("programme item %d: %w", id, err)
	}
	return it, nil
}

func checkSlot(tx *gorm.DB, eventID int64, slotID *int64) error {
	if slotID == nil {
		return nil
	}
	var n int64
	if err := tx.Table("working_group_slots").Where("id = ? AND event_id = ?", *slotID, eventID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"working_group_slot_id": "Dieses Zeitfenster gehört nicht zu dieser Veranstaltung."}}
	}
	return nil
}

// Create adds an item to a meeting.
func (s *Store) Create(ctx context.Context, ev event.Event, in Input) (Item, error) {
	it := Item{EventID: ev.ID, Kind: Other}
	if err := in.apply(&it, &ev); err != nil {
		return it, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkSlot(tx, ev.ID, it.WorkingGroupSlotID); err != nil {
			return err
		}
		return tx.Create(&it).Error
	})
	if err != nil {
		return it, fmt.Errorf("create programme item: %w", err)
	}
	return it, nil
}

// Update changes an item; given speakers replace the old ones. The
// meeting is the item's own, loaded by the caller.
func (s *Store) Update(ctx context.Context, ev event.Event, id int64, in Input) (Item, error) {
	it, err := s.Item(ctx, id)
	if err != nil {
		return it, err
	}
	if it.EventID != ev.ID {
		return it, ErrNotFound
	}
	if err := in.apply(&it, &ev); err != nil {
		return it, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkSlot(tx, ev.ID, it.WorkingGroupSlotID); err != nil {
			return err
		}
		if in.Speakers != nil {
			if err := tx.Where("agenda_item_id = ?", it.ID).Delete(&Speaker{}).Error; err != nil {
				return err
			}
		}
		return tx.Session(&gorm.Session{FullSaveAssociations: in.Speakers != nil}).Save(&it).Error
	})
	if err != nil {
		return it, fmt.Errorf("update programme item %d: %w", id, err)
	}
	return s.Item(ctx, id)
}

// Delete removes an item.
func (s *Store) Delete(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&Item{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete programme item %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Duplicate copies an item (with speakers) within its meeting, optionally
// to another day of it.
func (s *Store) Duplicate(ctx context.Context, ev event.Event, id int64, to day.Date) (Item, error) {
	it, err := s.Item(ctx, id)
	if err != nil {
		return it, err
	}
	if it.EventID != ev.ID {
		return it, ErrNotFound
	}
	if to.IsZero() {
		to = it.Day
	}
	in := inputOf(it, to)
	if to != it.Day && it.WorkingGroupSlotID != nil {
		// The slot belongs to the original day.
		zero := int64(0)
		in.WorkingGroupSlotID = &zero
		if it.Title == "" {
			title := it.Kind.Label()
			in.Title = &title
		}
	}
	return s.Create(ctx, ev, in)
}

// CopyProgramme copies every item of an earlier meeting into ev: the n-th
// day of the source becomes the n-th day of ev; items of days ev does not
// have are left out and counted. Working-group links are not copied (the
// slots belong to the other meeting).
func (s *Store) CopyProgramme(ctx context.Context, from event.Event, ev event.Event) (copied, skipped int, err error) {
	items, err := s.Items(ctx, from.ID)
	if err != nil {
		return 0, 0, err
	}
	dayIndex := map[day.Date]int{}
	for i, d := range from.Days {
		dayIndex[d] = i
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, it := range items {
			i, ok := dayIndex[it.Day]
			if !ok || i >= len(ev.Days) {
				skipped++
				continue
			}
			in := inputOf(it, ev.Days[i])
			in.WorkingGroupSlotID = nil
			if it.Kind == WorkingGroups && it.Title == "" {
				// Without its slot the item needs a name to stand on its own.
				title := WorkingGroups.Label()
				in.Title = &title
			}
			next := Item{EventID: ev.ID, Kind: Other}
			if err := in.apply(&next, &ev); err != nil {
				return fmt.Errorf("copy „%s“: %w", it.DisplayTitle(), err)
			}
			if err := tx.Create(&next).Error; err != nil {
				return err
			}
			copied++
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("copy programme of event %d: %w", from.ID, err)
	}
	return copied, skipped, nil
}

func inputOf(it Item, d day.Date) Input {
	speakers := append([]Speaker(nil), it.Speakers...)
	return Input{Day: &d, StartsAt: &it.StartsAt, EndsAt: &it.EndsAt, Kind: &it.Kind, Title: &it.Title,
		Description: &it.Description, Room: &it.Room, Moderation: &it.Moderation,
		WorkingGroupSlotID: it.WorkingGroupSlotID, Speakers: &speakers}
}
