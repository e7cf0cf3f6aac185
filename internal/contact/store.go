package contact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Errors of the contacts.
var (
	ErrNotFound    = problem.New(problem.NotFound, "Diesen Kontakt gibt es nicht.")
	ErrNoLink      = problem.New(problem.NotFound, "Dieser Abmeldelink ist ungültig. Bitte nutzen Sie den Link aus der letzten Einladung.")
	ErrNoNote      = &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.", Fields: map[string]string{"note": "Bitte halten Sie fest, wann und wie die Person um die erneute Aufnahme gebeten hat, z. B. „am 12.03. per E-Mail“."}}
	ErrNotSendable = problem.New(problem.Conflict, "Einladungen gibt es nur für veröffentlichte Veranstaltungen, die noch bevorstehen.")
	ErrDeadline    = problem.New(problem.Conflict, "Der Anmeldeschluss ist vorbei: Einladungen und Erinnerungen würden zu einer Anmeldung auffordern, die nicht mehr möglich ist.")
)

// Store reads and writes contacts, their unsubscribe links and the mails
// queued for them.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// WithClock returns the store with another clock, for tests.
func (s *Store) WithClock(now func() time.Time) *Store { return &Store{db: s.db, now: now} }

// List returns the contacts of a municipality, or of all with 0, by
// name.
func (s *Store) List(ctx context.Context, municipalityID int64) ([]Contact, error) {
	q := s.db.WithContext(ctx).Order("name, email, id")
	if municipalityID != 0 {
		q = q.Where("municipality_id = ?", municipalityID)
	}
	var out []Contact
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list contacts of municipality %d: %w", municipalityID, err)
	}
	return out, nil
}

// Get returns one contact.
func (s *Store) Get(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	err := s.db.WithContext(ctx).First(&c, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("get contact %d: %w", id, err)
	}
	return c, nil
}

func duplicate(email string) error {
	return &problem.Error{Code: problem.Conflict, Message: "Bitte prüfen Sie die markierten Angaben.",
		Fields: map[string]string{"email": "„" + email + "“ ist für diese Kommune bereits eingetragen."}}
}

func checkMunicipality(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&municipality.Municipality{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"municipality_id": "Bitte wählen Sie eine Kommune aus der Liste."}}
	}
	return nil
}

// Create validates and stores a new contact. An address that unsubscribed
// before (also as a contact since deleted) starts unsubscribed.
func (s *Store) Create(ctx context.Context, in Input) (Contact, error) {
	c, err := in.Validate()
	if err != nil {
		return c, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkMunicipality(tx, c.MunicipalityID); err != nil {
			return err
		}
		if c.UnsubscribedAt, err = suppressedSince(tx, c.Email); err != nil {
			return err
		}
		return tx.Create(&c).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return c, duplicate(c.Email)
	}
	if err != nil && !problem.Is(err, problem.Invalid) {
		return c, fmt.Errorf("create contact %s: %w", c.Email, err)
	}
	return c, err
}

// Update changes a contact's municipality, name, address and function;
// whether it is subscribed stays as it is, unless the new address is one
// that unsubscribed.
func (s *Store) Update(ctx context.Context, id int64, in Input) (Contact, error) {
	v, err := in.Validate()
	if err != nil {
		return v, err
	}
	var c Contact
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return err
		}
		if err := checkMunicipality(tx, v.MunicipalityID); err != nil {
			return err
		}
		if c.Email != v.Email && c.UnsubscribedAt == nil {
			// The new address may have unsubscribed already.
			if c.UnsubscribedAt, err = suppressedSince(tx, v.Email); err != nil {
				return err
			}
		}
		c.MunicipalityID, c.Name, c.Email, c.Function = v.MunicipalityID, v.Name, v.Email, v.Function
		return tx.Save(&c).Error
	})
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return c, ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return c, duplicate(v.Email)
	case err != nil && !problem.Is(err, problem.Invalid):
		return c, fmt.Errorf("update contact %d: %w", id, err)
	}
	return c, err
}

// Delete removes a contact with its links; mails sent to it stay in the
// mail log.
func (s *Store) Delete(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&Contact{}, id)
	if res.Error != nil {
		return fmt.Errorf("delete contact %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// ImportCSV parses r (see ParseCSV) and creates the contacts not yet
// known; known ones (same municipality and address) stay as they are,
// an unsubscribed one stays unsubscribed.
func (s *Store) ImportCSV(ctx context.Context, r io.Reader, municipalities []municipality.Municipality) (ImportResult, error) {
	rows, rowErrs, err := ParseCSV(r, municipalities)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Errors: rowErrs}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, row := range rows {
			c, _ := row.Input.Validate()
			var n int64
			if err := tx.Model(&Contact{}).Where("municipality_id = ? AND email = ?", c.MunicipalityID, c.Email).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				res.Existing++
				continue
			}
			var err error
			if c.UnsubscribedAt, err = suppressedSince(tx, c.Email); err != nil {
				return err
			}
			if c.UnsubscribedAt != nil {
				res.Unsubscribed++
			}
			if err := tx.Create(&c).Error; err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
			}
			res.Created++
		}
		return nil
	})
	if err != nil {
		return ImportResult{Errors: rowErrs}, fmt.Errorf("import contacts: %w", err)
	}
	sortRowErrors(res.Errors)
	return res, nil
}

func sortRowErrors(errs []RowError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Line < errs[j-1].Line; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// suppression is an address that unsubscribed from invitations. It
// outlives the contacts with the address; only an opt-in removes it.
type suppression struct {
	Email          string `gorm:"primaryKey"`
	UnsubscribedAt time.Time
}

func (suppression) TableName() string { return "contact_suppressions" }

// suppressedSince returns when email unsubscribed, nil if it did not.
func suppressedSince(tx *gorm.DB, email string) (*time.Time, error) {
	var found []suppression
	if err := tx.Where("email = ?", email).Limit(1).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("unsubscribed address %s: %w", email, err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0].UnsubscribedAt, nil
}

// link is an unsubscribe link; only its hash is stored.
type link struct {
	TokenHash string `gorm:"primaryKey"`
	ContactID int64
	CreatedAt time.Time
}

func (link) TableName() string { return "contact_links" }

// IssueLink makes a new unsubscribe link for a contact and returns its
// token, to be sent in one mail and kept nowhere else.
func (s *Store) IssueLink(ctx context.Context, contactID int64) (string, error) {
	token, err := secret.Token()
	if err != nil {
		return "", err
	}
	if err := s.db.WithContext(ctx).Create(&link{TokenHash: secret.Hash(token), ContactID: contactID, CreatedAt: s.now().UTC()}).Error; err != nil {
		return "", fmt.Errorf("issue unsubscribe link for contact %d: %w", contactID, err)
	}
	return token, nil
}

// ByToken returns the contact an unsubscribe link belongs to.
func (s *Store) ByToken(ctx context.Context, token string) (Contact, error) {
	var c Contact
	if len(token) < 20 || len(token) > 100 {
		return c, ErrNoLink
	}
	err := s.db.WithContext(ctx).Where("id = (SELECT contact_id FROM contact_links WHERE token_hash = ?)", secret.Hash(token)).First(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, ErrNoLink
	}
	if err != nil {
		return c, fmt.Errorf("contact by link: %w", err)
	}
	return c, nil
}

// Unsubscribe ends the invitations to the person of an unsubscribe link
// at once: every contact with that address (a person listed for two
// municipalities objected as a person). Using the link again changes
// nothing.
func (s *Store) Unsubscribe(ctx context.Context, token string) (Contact, error) {
	c, err := s.ByToken(ctx, token)
	if err != nil {
		return c, err
	}
	now := s.now().UTC()
	// Mails already queued are not sent either: the worker looks at
	// the contact when it renders them. The address is remembered apart
	// from the contacts, so deleting and adding it again changes nothing.
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Contact{}).Where("email = ? AND unsubscribed_at IS NULL", c.Email).
			UpdateColumns(map[string]any{"unsubscribed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&suppression{Email: c.Email, UnsubscribedAt: now}).Error
	})
	if err != nil {
		return c, fmt.Errorf("unsubscribe contact %d: %w", c.ID, err)
	}
	return s.Get(ctx, c.ID)
}

// ResubscribeByLink opts the person of an unsubscribe link in again: their
// own act, through the link only they received.
func (s *Store) ResubscribeByLink(ctx context.Context, token string) (Contact, error) {
	c, err := s.ByToken(ctx, token)
	if err != nil {
		return c, err
	}
	return s.resubscribe(ctx, c, "Selbst wieder angemeldet über den Link aus der Einladung am "+s.now().Format("02.01.2006")+".")
}

// Resubscribe opts a contact in again on the person's request, which an
// organiser or coordinator must write down (note): an unsubscription is
// the person's objection, and only the person can take it back.
func (s *Store) Resubscribe(ctx context.Context, id int64, note, by string) (Contact, error) {
	note = strings.Join(strings.Fields(note), " ")
	if len([]rune(note)) < 5 {
		return Contact{}, ErrNoNote
	}
	c, err := s.Get(ctx, id)
	if err != nil {
		return c, err
	}
	return s.resubscribe(ctx, c, "Wieder aufgenommen am "+s.now().Format("02.01.2006")+" von "+by+": "+note)
}

func (s *Store) resubscribe(ctx context.Context, c Contact, note string) (Contact, error) {
	if c.Subscribed() {
		return c, nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Contact{}).Where("email = ? AND unsubscribed_at IS NOT NULL", c.Email).
			UpdateColumns(map[string]any{"unsubscribed_at": nil, "resubscribe_note": note, "updated_at": s.now().UTC()}).Error; err != nil {
			return err
		}
		return tx.Where("email = ?", c.Email).Delete(&suppression{}).Error
	})
	if err != nil {
		return c, fmt.Errorf("resubscribe contact %d: %w", c.ID, err)
	}
	return s.Get(ctx, c.ID)
}

// SendResult says what sending invitations or follow-ups did.
type SendResult struct {
	Queued       int `json:"queued"`       // new mails in the outbox
	Skipped      int `json:"skipped"`      // contacts that had this mail for the meeting already
	Unsubscribed int `json:"unsubscribed"` // contacts left out because they unsubscribed
	// Registered counts the municipalities a follow-up left out because
	// somebody of them is registered (follow-ups only).
	Registered int `json:"registered"`
}

// Sendable reports why a meeting takes no invitations now, or nil: it
// must be published, upcoming and before its registration deadline (a
// meeting whose registration opens later may be announced).
func Sendable(ev event.Event, now time.Time) error {
	switch {
	case ev.Status != event.Published || ev.IsPast(now):
		return ErrNotSendable
	case ev.RegistrationClosesAt != nil && !now.Before(*ev.RegistrationClosesAt):
		return ErrDeadline
	}
	return nil
}

// Send queues kind (outbox.EventInvitation or outbox.FollowUp) about
// the meeting to the subscribed contacts of the municipalities (nil:
// all), each contact at most once per meeting and kind, in one
// transaction. A follow-up goes only to municipalities without a
// registration (confirmed or waiting).
func (s *Store) Send(ctx context.Context, ev event.Event, kind outbox.Kind, municipalities []int64) (SendResult, error) {
	var res SendResult
	if !kind.ToContact() {
		return res, fmt.Errorf("send %s: not a mail to contacts", kind)
	}
	now := s.now()
	if err := Sendable(ev, now); err != nil {
		return res, err
	}
	if municipalities != nil && len(municipalities) == 0 {
		return res, &problem.Error{Code: problem.Invalid, Message: "Bitte wählen Sie mindestens eine Kommune.",
			Fields: map[string]string{"municipalities": "Bitte wählen Sie mindestens eine Kommune."}}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Order("municipality_id, id")
		if municipalities != nil {
			q = q.Where("municipality_id IN ?", municipalities)
		}
		var list []Contact
		if err := q.Find(&list).Error; err != nil {
			return err
		}
		registered := map[int64]bool{}
		if kind == outbox.FollowUp {
			var ids []int64
			if err := tx.Table("registrations").Distinct("municipality_id").
				Where("event_id = ? AND status NOT IN ? AND municipality_id IS NOT NULL", ev.ID, []string{"cancelled", "declined"}).Pluck("municipality_id", &ids).Error; err != nil {
				return err
			}
			for _, id := range ids {
				registered[id] = true
			}
		}
		counted := map[int64]bool{}
		for _, c := range list {
			if registered[c.MunicipalityID] {
				if !counted[c.MunicipalityID] {
					counted[c.MunicipalityID] = true
					res.Registered++
				}
				continue
			}
			if !c.Subscribed() {
				res.Unsubscribed++
				continue
			}
			queued, err := outbox.EnqueueContact(tx, kind, ev.ID, c.ID, c.Email, now)
			if err != nil {
				return err
			}
			if queued {
				res.Queued++
			} else {
				res.Skipped++
			}
		}
		return nil
	})
	if err != nil {
		return SendResult{}, fmt.Errorf("send %s for event %d: %w", kind, ev.ID, err)
	}
	return res, nil
}

// Tally counts per municipality the contacts and the mails queued for
// them about one meeting.
type Tally struct {
	Contacts    int `json:"contacts"`    // all contacts
	Subscribed  int `json:"subscribed"`  // of them, receiving invitations
	Invited     int `json:"invited"`     // contacts with an invitation to the meeting
	FollowedUp  int `json:"followed_up"` // contacts with a follow-up
	Undelivered int `json:"undelivered"` // of those mails, failed for good
}

// Tallies returns the Tally of every municipality with contacts.
func (s *Store) Tallies(ctx context.Context, eventID int64) (map[int64]Tally, error) {
	out := map[int64]Tally{}
	var contacts []struct {
		MunicipalityID int64
		Unsubscribed   bool
		N              int
	}
	if err := s.db.WithContext(ctx).Model(&Contact{}).
		Select("municipality_id, unsubscribed_at IS NOT NULL AS unsubscribed, count(*) AS n").
		Group("municipality_id, unsubscribed_at IS NOT NULL").Scan(&contacts).Error; err != nil {
		return nil, fmt.Errorf("count contacts: %w", err)
	}
	for _, r := range contacts {
		t := out[r.MunicipalityID]
		t.Contacts += r.N
		if !r.Unsubscribed {
			t.Subscribed += r.N
		}
		out[r.MunicipalityID] = t
	}
	var mails []struct {
		MunicipalityID int64
		Kind           outbox.Kind
		Status         outbox.Status
		N              int
	}
	if err := s.db.WithContext(ctx).Table("mail_outbox").
		Select("contacts.municipality_id, mail_outbox.kind, mail_outbox.status, count(*) AS n").
		Joins("JOIN contacts ON contacts.id = mail_outbox.contact_id").
		Where("mail_outbox.event_id = ?", eventID).
		Group("contacts.municipality_id, mail_outbox.kind, mail_outbox.status").Scan(&mails).Error; err != nil {
		return nil, fmt.Errorf("count invitations of event %d: %w", eventID, err)
	}
	for _, r := range mails {
		t := out[r.MunicipalityID]
		switch r.Kind {
		case outbox.EventInvitation:
			t.Invited += r.N
		case outbox.FollowUp:
			t.FollowedUp += r.N
		}
		if r.Status == outbox.Failed {
			t.Undelivered += r.N
		}
		out[r.MunicipalityID] = t
	}
	return out, nil
}
