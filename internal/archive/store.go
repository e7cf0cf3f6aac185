package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/problem"
)

// ErrMaterialNotFound is returned for an unknown material.
var ErrMaterialNotFound = problem.New(problem.NotFound, "Dieses Material gibt es nicht (mehr).")

// Store reads and writes documentations and materials; uploaded files go
// to its FileStore.
type Store struct {
	db    *gorm.DB
	files *FileStore
	log   *slog.Logger
}

// NewStore returns a store on db and files.
func NewStore(db *gorm.DB, files *FileStore, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{db: db, files: files, log: log}
}

// Files is the store's file storage.
func (s *Store) Files() *FileStore { return s.files }

// Documentation returns a meeting's documentation; a meeting without one
// gets an empty, unpublished one.
func (s *Store) Documentation(ctx context.Context, eventID int64) (Documentation, error) {
	var d Documentation
	err := s.db.WithContext(ctx).First(&d, "event_id = ?", eventID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Documentation{EventID: eventID}, nil
	}
	if err != nil {
		return d, fmt.Errorf("documentation of event %d: %w", eventID, err)
	}
	return d, nil
}

// SaveDocumentation changes the text of a meeting's documentation,
// creating it when missing.
func (s *Store) SaveDocumentation(ctx context.Context, eventID int64, in Input, now time.Time) (Documentation, error) {
	var d Documentation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := eventExists(tx, eventID); err != nil {
			return err
		}
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&d, "event_id = ?", eventID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			d = Documentation{EventID: eventID}
		} else if err != nil {
			return err
		}
		if err := in.apply(&d, now); err != nil {
			return err
		}
		return tx.Save(&d).Error
	})
	if err != nil {
		return d, fmt.Errorf("save documentation of event %d: %w", eventID, err)
	}
	return d, nil
}

func eventExists(tx *gorm.DB, eventID int64) error {
	var n int64
	if err := tx.Table("events").Where("id = ?", eventID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return problem.New(problem.NotFound, "Diese Veranstaltung gibt es nicht.")
	}
	return nil
}

// Materials returns a meeting's materials in their order; participant-only
// ones only when withParticipantOnly is set.
func (s *Store) Materials(ctx context.Context, eventID int64, withParticipantOnly bool) ([]Material, error) {
	q := s.db.WithContext(ctx).Where("event_id = ?", eventID)
	if !withParticipantOnly {
		q = q.Where("visibility = ?", Public)
	}
	var out []Material
	if err := q.Order("position, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("materials of event %d: %w", eventID, err)
	}
	return out, nil
}

// Material returns one material.
func (s *Store) Material(ctx context.Context, id int64) (Material, error) {
	var m Material
	err := s.db.WithContext(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, ErrMaterialNotFound
	}
	if err != nil {
		return m, fmt.Errorf("material %d: %w", id, err)
	}
	return m, nil
}

// AddMaterial stores a new material of a meeting. Presentations and
// photos need an upload, which the store keeps (or discards on any
// error); videos and links must come without one.
func (s *Store) AddMaterial(ctx context.Context, eventID int64, in MaterialInput, up *Upload, now time.Time) (Material, error) {
	defer s.files.Discard(up)
	m := Material{EventID: eventID}
	if up != nil && in.Kind == nil {
		in.Kind = &up.Kind
	}
	if err := in.apply(&m); err != nil {
		return m, err
	}
	if up != nil && m.Kind.IsUpload() && m.Kind != up.Kind {
		return m, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"file": fmt.Sprintf("Die Datei ist %s, gewählt ist aber „%s“.", describeKind(up.Kind), m.Kind.Label())}}
	}
	switch {
	case m.Kind.IsUpload() && up == nil:
		return m, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"file": "Bitte wählen Sie die Datei aus."}}
	case !m.Kind.IsUpload() && up != nil:
		return m, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"file": "Für Videos und Links wird keine Datei hochgeladen."}}
	}
	if up != nil {
		if m.Title == "" && m.Kind != Photo {
			m.Title = up.FileName // photos have alt text and credit; a file name is no caption
		}
		key, err := s.files.keep(up, now)
		if err != nil {
			return m, err
		}
		m.FileKey, m.FileName, m.ContentType, m.Size, m.SHA256 = key, up.FileName, up.ContentType, up.Size, up.SHA256
		m.Width, m.Height = up.Width, up.Height
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := eventExists(tx, eventID); err != nil {
			return err
		}
		if err := checkAttachment(tx, &m); err != nil {
			return err
		}
		if in.Position == nil {
			var last *int
			if err := tx.Model(&Material{}).Where("event_id = ?", eventID).Select("MAX(position)").Scan(&last).Error; err != nil {
				return err
			}
			if last != nil {
				m.Position = *last + 1
			}
		}
		return tx.Create(&m).Error
	})
	if err != nil {
		if m.FileKey != "" {
			if rerr := s.files.remove(m.FileKey); rerr != nil {
				s.log.Warn("remove file of material not stored", "key", m.FileKey, "error", rerr)
			}
		}
		return m, fmt.Errorf("add material to event %d: %w", eventID, err)
	}
	return m, nil
}

// checkAttachment makes sure a material hangs only on a programme item or
// working-group input of its own meeting.
func checkAttachment(tx *gorm.DB, m *Material) error {
	var n int64
	if m.AgendaItemID != nil {
		if err := tx.Table("agenda_items").Where("id = ? AND event_id = ?", *m.AgendaItemID, m.EventID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
				Fields: map[string]string{"attach": "Diesen Programmpunkt gibt es in dieser Veranstaltung nicht."}}
		}
	}
	if m.WorkingGroupInputID != nil {
		err := tx.Table("working_group_inputs").Joins("JOIN working_groups ON working_groups.id = working_group_inputs.working_group_id").
			Where("working_group_inputs.id = ? AND working_groups.event_id = ?", *m.WorkingGroupInputID, m.EventID).Count(&n).Error
		if err != nil {
			return err
		}
		if n == 0 {
			return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
				Fields: map[string]string{"attach": "Diesen Input gibt es in dieser Veranstaltung nicht."}}
		}
	}
	return nil
}

// UpdateMaterial changes a material's description.
func (s *Store) UpdateMaterial(ctx context.Context, id int64, in MaterialInput) (Material, error) {
	var m Material
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&m, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrMaterialNotFound
		}
		if err != nil {
			return err
		}
		if err := in.apply(&m); err != nil {
			return err
		}
		if err := checkAttachment(tx, &m); err != nil {
			return err
		}
		return tx.Save(&m).Error
	})
	if err != nil {
		return m, fmt.Errorf("update material %d: %w", id, err)
	}
	return m, nil
}

// DeleteMaterial removes a material and its file.
func (s *Store) DeleteMaterial(ctx context.Context, id int64) (Material, error) {
	var m Material
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.First(&m, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrMaterialNotFound
		}
		if err != nil {
			return err
		}
		return tx.Delete(&Material{}, id).Error
	})
	if err != nil {
		return m, fmt.Errorf("delete material %d: %w", id, err)
	}
	s.removeFiles(m)
	return m, nil
}

// DeleteDocumentation removes a meeting's documentation with all its
// materials and their files, and says how many materials went.
func (s *Store) DeleteDocumentation(ctx context.Context, eventID int64) (int, error) {
	var list []Material
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("event_id = ?", eventID).Find(&list).Error; err != nil {
			return err
		}
		if err := tx.Where("event_id = ?", eventID).Delete(&Material{}).Error; err != nil {
			return err
		}
		return tx.Where("event_id = ?", eventID).Delete(&Documentation{}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("delete documentation of event %d: %w", eventID, err)
	}
	s.removeFiles(list...)
	return len(list), nil
}

// removeFiles deletes the files of materials whose rows are gone. A file
// that cannot be removed now is left to SweepOrphans.
func (s *Store) removeFiles(list ...Material) {
	for _, m := range list {
		if m.FileKey == "" {
			continue
		}
		if err := s.files.remove(m.FileKey); err != nil {
			s.log.Warn("remove material file", "key", m.FileKey, "error", err)
		}
	}
}

// SweepOrphans removes stored files that no material refers to any more
// (left behind by a crash between the database and the disk) once they
// are older than grace, so uploads in progress are never touched.
func (s *Store) SweepOrphans(ctx context.Context, grace time.Duration, now time.Time) (int, error) {
	var keys []string
	if err := s.db.WithContext(ctx).Model(&Material{}).Where("file_key <> ''").Pluck("file_key", &keys).Error; err != nil {
		return 0, fmt.Errorf("sweep uploads: %w", err)
	}
	known := make(map[string]bool, len(keys))
	for _, k := range keys {
		known[k] = true
	}
	n, err := s.files.sweep(func(k string) bool { return known[k] }, now.Add(-grace))
	if err != nil {
		return n, fmt.Errorf("sweep uploads: %w", err)
	}
	return n, nil
}

func describeKind(k Kind) string {
	if k == Photo {
		return "ein Foto"
	}
	return "eine PDF-Datei"
}
