package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/outbox"
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

// Summary is a documentation with what the notice that it is online
// tells of its materials.
type Summary struct {
	Documentation
	ParticipantMaterials int // materials only participants see
}

// Summary returns a meeting's documentation with the count of its
// participant-only materials.
func (s *Store) Summary(ctx context.Context, eventID int64) (Summary, error) {
	d, err := s.Documentation(ctx, eventID)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Documentation: d}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Material{}).Where("event_id = ? AND visibility = ?", eventID, Participants).Count(&n).Error; err != nil {
		return out, fmt.Errorf("count participant materials of event %d: %w", eventID, err)
	}
	out.ParticipantMaterials = int(n)
	return out, nil
}

// readNoticeState reads inside tx what the notice about a meeting's
// documentation is decided from. Anonymised registrations have no
// address any more.
func readNoticeState(tx *gorm.DB, eventID int64) (noticeState, error) {
	st := noticeState{notifiedRegistrations: map[int64]bool{}, notifiedContacts: map[int64]bool{}, notifiedAddresses: map[string]bool{}}
	confirmed := tx.Table("registrations").Where("event_id = ? AND status = ? AND anonymised_at IS NULL", eventID, "confirmed")
	if err := confirmed.Session(&gorm.Session{}).Select("id AS registration_id, email").Order("id").Scan(&st.participants).Error; err != nil {
		return st, fmt.Errorf("confirmed registrations: %w", err)
	}
	var checkedIn int64
	if err := confirmed.Session(&gorm.Session{}).
		Where("EXISTS (SELECT 1 FROM check_ins ci WHERE ci.registration_id = registrations.id)").Count(&checkedIn).Error; err != nil {
		return st, fmt.Errorf("checked-in registrations: %w", err)
	}
	st.checkedIn = int(checkedIn)
	var contacts []struct {
		ID           int64
		Email        string
		Unsubscribed bool
	}
	if err := tx.Table("contacts").Select("id, email, unsubscribed_at IS NOT NULL AS unsubscribed").Order("id").Scan(&contacts).Error; err != nil {
		return st, fmt.Errorf("contacts: %w", err)
	}
	for _, c := range contacts {
		if c.Unsubscribed {
			st.unsubscribed++
			continue
		}
		st.contacts = append(st.contacts, noticeRecipient{ContactID: c.ID, Email: c.Email})
	}
	var sent []struct {
		RegistrationID *int64
		ContactID      *int64
		Recipient      string
	}
	if err := tx.Table("mail_outbox").Select("registration_id, contact_id, recipient").
		Where("event_id = ? AND kind = ? AND copy_of IS NULL", eventID, outbox.DocumentationNotice).Scan(&sent).Error; err != nil {
		return st, fmt.Errorf("notices sent: %w", err)
	}
	for _, m := range sent {
		if m.RegistrationID != nil {
			st.notifiedRegistrations[*m.RegistrationID] = true
		}
		if m.ContactID != nil {
			st.notifiedContacts[*m.ContactID] = true
		}
		if m.Recipient != "" {
			st.notifiedAddresses[strings.ToLower(m.Recipient)] = true
		}
	}
	return st, nil
}

// NoticeReach counts whom the notice about a meeting's documentation
// would reach now, participants and contacts.
func (s *Store) NoticeReach(ctx context.Context, eventID int64) (Notice, error) {
	st, err := readNoticeState(s.db.WithContext(ctx), eventID)
	if err != nil {
		return Notice{}, fmt.Errorf("reach of the documentation notice of event %d: %w", eventID, err)
	}
	n, _ := st.plan(true)
	return n, nil
}

// SendNotice queues the notice that a meeting's documentation is online
// to its confirmed registrations and, with contacts, to the network's
// subscribed contacts, each at most once per meeting, in one
// transaction. The documentation must be published.
func (s *Store) SendNotice(ctx context.Context, eventID int64, contacts bool, now time.Time) (Notice, error) {
	var n Notice
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var d Documentation
		err := tx.First(&d, "event_id = ?", eventID).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !d.Published()) {
			return ErrNotPublished
		}
		if err != nil {
			return err
		}
		st, err := readNoticeState(tx, eventID)
		if err != nil {
			return err
		}
		var to []noticeRecipient
		n, to = st.plan(contacts)
		for _, r := range to {
			queued, err := outbox.EnqueueDocumentationNotice(tx, eventID, r.RegistrationID, r.ContactID, r.Email, now)
			if err != nil {
				return err
			}
			if !queued { // queued by a concurrent send meanwhile
				if r.ContactID != 0 {
					n.Contacts, n.SkippedContacts = n.Contacts-1, n.SkippedContacts+1
				} else {
					n.Participants, n.SkippedParticipants = n.Participants-1, n.SkippedParticipants+1
				}
			}
		}
		return nil
	})
	if err != nil {
		return Notice{}, fmt.Errorf("send documentation notice of event %d: %w", eventID, err)
	}
	return n, nil
}
