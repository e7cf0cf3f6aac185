package event

import (
	"context"
	"fmt"
	"strings"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Lookalikes returns the other meetings that meeting id (0: a new one)
// would look like once in is applied: the same kind and days, and the
// same name or title. Such a meeting is usually entered twice by
// mistake, but not always (a second meeting of the same title on the
// same day in another city), so callers ask rather than refuse.
//
// An edit that leaves kind, name, title and days as they were finds
// none: a look-alike accepted once is not questioned on every save. An
// input that does not validate finds none either; saving reports it.
func (s *Store) Lookalikes(ctx context.Context, id int64, in Input) ([]Event, error) {
	e := New()
	if id != 0 {
		var err error
		if e, err = s.Get(ctx, id); err != nil {
			return nil, err
		}
	}
	before := e
	if err := in.Apply(&e); err != nil {
		return nil, nil
	}
	switch err := checkHost(s.db.WithContext(ctx), e.HostMunicipalityID); {
	case problem.Is(err, problem.Invalid):
		return nil, nil
	case err != nil:
		return nil, err
	}
	if id != 0 && e.Kind == before.Kind && e.Name() == before.Name() && e.Title == before.Title && e.Days.String() == before.Days.String() {
		return nil, nil
	}
	var same []Event
	if err := s.db.WithContext(ctx).Where("kind = ? AND id <> ?", e.Kind, id).Order("id").Find(&same).Error; err != nil {
		return nil, fmt.Errorf("look-alikes of %s: %w", e.Name(), err)
	}
	// Days live in one text column, compared here like in List.
	out := same[:0]
	for _, other := range same {
		if other.Days.Normalize().String() == e.Days.Normalize().String() &&
			(nameKey(other.Name()) == nameKey(e.Name()) || (e.Title != "" && nameKey(other.Title) == nameKey(e.Title))) {
			out = append(out, other)
		}
	}
	return out, nil
}

// nameKey compares names regardless of case, accents and spacing.
func nameKey(s string) string { return collate.Key(strings.Join(strings.Fields(s), " ")) }

// ErrLookalike says that meetings like the one being saved exist: "Es
// gibt bereits „17. Lernnetzwerktreffen“ am 13.09.2017 (Entwurf)." The
// field confirm_duplicate names how to save it anyway.
func ErrLookalike(existing []Event) *problem.Error {
	parts := make([]string, len(existing))
	for i, e := range existing {
		parts[i] = fmt.Sprintf("„%s“ am %s (%s)", e.Name(), e.Days.German(), e.Status.Label())
	}
	return &problem.Error{Code: problem.Duplicate, Message: "Es gibt bereits " + strings.Join(parts, " und ") + ".",
		Fields: map[string]string{"confirm_duplicate": "Mit true wird die Veranstaltung trotzdem gespeichert."}}
}
