package municipality

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Store reads and writes municipalities.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for an unknown municipality.
var ErrNotFound = problem.New(problem.NotFound, "Diese Kommune gibt es nicht.")

// List returns all municipalities ordered by place name (see Sort).
func (s *Store) List(ctx context.Context) ([]Municipality, error) {
	var out []Municipality
	if err := s.db.WithContext(ctx).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list municipalities: %w", err)
	}
	// German order (Übach-Palenberg among the U), the same on both databases.
	Sort(out)
	return out, nil
}

// ByID returns all municipalities keyed by id.
func (s *Store) ByID(ctx context.Context) (map[int64]Municipality, error) {
	list, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]Municipality, len(list))
	for _, x := range list {
		m[x.ID] = x
	}
	return m, nil
}

// Get returns one municipality.
func (s *Store) Get(ctx context.Context, id int64) (Municipality, error) {
	var m Municipality
	err := s.db.WithContext(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("get municipality %d: %w", id, err)
	}
	return m, nil
}

// Create validates and stores a new municipality.
func (s *Store) Create(ctx context.Context, in Input) (Municipality, error) {
	m, err := in.Validate()
	if err != nil {
		return m, err
	}
	if err := s.db.WithContext(ctx).Create(&m).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return m, &problem.Error{Code: problem.Conflict, Message: "Diese Kommune ist bereits angelegt.",
				Fields: map[string]string{"name": "„" + m.Name + "“ ist bereits angelegt."}}
		}
		return m, fmt.Errorf("create municipality %q: %w", m.Name, err)
	}
	return m, nil
}

// FindOrCreate returns the municipality with the name (any case), creating it.
func (s *Store) FindOrCreate(ctx context.Context, in Input) (Municipality, bool, error) {
	m, err := in.Validate()
	if err != nil {
		return m, false, err
	}
	var existing Municipality
	err = s.db.WithContext(ctx).Where("lower(name) = lower(?)", m.Name).First(&existing).Error
	if err == nil {
		return existing, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return m, false, fmt.Errorf("find municipality %q: %w", m.Name, err)
	}
	m, err = s.Create(ctx, in)
	return m, err == nil, err
}
