package event

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Store reads and writes meetings.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for an unknown meeting.
var ErrNotFound = problem.New(problem.NotFound, "Diese Veranstaltung gibt es nicht.")

// Filter selects meetings for a list.
type Filter struct {
	PublicOnly bool      // hide drafts
	Upcoming   bool      // last day today or later
	Past       bool      // last day before today
	Now        time.Time // reference for Upcoming/Past
}

// List returns meetings ordered by first day (upcoming: soonest first;
// otherwise newest first).
func (s *Store) List(ctx context.Context, f Filter) ([]Event, error) {
	var all []Event
	q := s.db.WithContext(ctx)
	if f.PublicOnly {
		q = q.Where("status <> ?", Draft)
	}
	if err := q.Find(&all).Error; err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	// Days live in one text column; the meeting count is small (hundreds),
	// so the date filter runs here rather than in dialect-specific SQL.
	out := all[:0]
	for _, e := range all {
		past := e.IsPast(f.Now)
		if (f.Upcoming && past) || (f.Past && !past) {
			continue
		}
		out = append(out, e)
	}
	SortByDate(out, f.Upcoming)
	return out, nil
}

// Get returns one meeting.
func (s *Store) Get(ctx context.Context, id int64) (Event, error) {
	var e Event
	err := s.db.WithContext(ctx).First(&e, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("get event %d: %w", id, err)
	}
	return e, nil
}

// Create validates and stores a new meeting; without a status it starts
// as a draft.
func (s *Store) Create(ctx context.Context, in Input) (Event, error) {
	e := New()
	if err := in.Apply(&e); err != nil {
		return e, err
	}
	if err := checkHost(s.db.WithContext(ctx), e.HostMunicipalityID); err != nil {
		return e, err
	}
	if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
		return e, fmt.Errorf("create event: %w", err)
	}
	return e, nil
}

// New returns a meeting before the organiser's input: the defaults a
// new meeting starts from.
func New() Event {
	return Event{Status: Draft, Kind: Lernnetzwerktreffen, StartTime: "10:00", EndTime: "16:00", PreferenceRanks: 3, Organiser: "Institut für Soziale Arbeit e.V. (ISA)",
		ReminderDays: DefaultReminderDays, WaitlistEnabled: true}
}

// Update applies the given fields to a meeting; see Save.
func (s *Store) Update(ctx context.Context, id int64, in Input) (Event, error) {
	e, _, err := s.Save(ctx, id, in)
	return e, err
}

// Save applies the given fields to a meeting. When the date, times or
// venue of a published meeting (or one whose registration is closed)
// change, or it is cancelled, the change is recorded and returned, and
// the meeting's calendar sequence grows in the same transaction, so every
// calendar entry sent from now on supersedes the earlier ones. A
// cancellation queues its mail to everyone registered at once, unless
// in.NotifyCancellation says not to; other changes wait for the
// organiser's decision (NotifyChange, DismissChange).
func (s *Store) Save(ctx context.Context, id int64, in Input) (Event, *Change, error) {
	var (
		e      Event
		change *Change
	)
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.First(&e, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		old := e
		if err := in.Apply(&e); err != nil {
			return err
		}
		if err := checkHost(tx, e.HostMunicipalityID); err != nil {
			return err
		}
		change = changeOf(old, e, now)
		if change != nil {
			if len(e.CalendarDays) == 0 && old.Days.String() != e.Days.String() {
				e.CalendarDays = old.Days
			}
		}
		if err := tx.Save(&e).Error; err != nil {
			return err
		}
		if change == nil {
			return nil
		}
		if err := tx.Create(change).Error; err != nil {
			return fmt.Errorf("record change: %w", err)
		}
		if change.Cancelled && (in.NotifyCancellation == nil || *in.NotifyCancellation) {
			_, err := notify(tx, change, now)
			return err
		}
		return nil
	})
	if err != nil {
		return e, nil, fmt.Errorf("update event %d: %w", id, err)
	}
	return e, change, nil
}

func checkHost(db *gorm.DB, id *int64) error {
	if id == nil {
		return nil
	}
	var n int64
	if err := db.Table("municipalities").Where("id = ?", *id).Count(&n).Error; err != nil {
		return fmt.Errorf("check host municipality: %w", err)
	}
	if n == 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"host_municipality_id": "Diese Kommune gibt es nicht."}}
	}
	return nil
}
