package message

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Errors of messages.
var (
	ErrNotFound     = problem.New(problem.NotFound, "Diese Nachricht gibt es nicht.")
	ErrNoRecipients = &problem.Error{Code: problem.Invalid,
		Message: "An diese Auswahl geht die Nachricht an niemanden: Keine Anmeldung passt zu allen Filtern. Bitte ändern Sie die Auswahl.",
		Fields:  map[string]string{"filter": "Keine Anmeldung passt zu dieser Auswahl."}}
	ErrAlreadySent     = problem.New(problem.Conflict, "Diese Nachricht wurde bereits gesendet.")
	ErrTooManyFiles    = &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("Höchstens %d PDF-Dateien lassen sich anhängen.", MaxAttachments), Fields: map[string]string{"files": fmt.Sprintf("Höchstens %d Dateien.", MaxAttachments)}}
	errGroupNotOfEvent = &problem.Error{Code: problem.Invalid, Message: "Diese Arbeitsgruppe gehört nicht zu dieser Veranstaltung.", Fields: map[string]string{"working_group_id": "Bitte wählen Sie eine Arbeitsgruppe dieser Veranstaltung."}}
	errUnknownMuni     = &problem.Error{Code: problem.Invalid, Message: "Diese Kommune gibt es nicht.", Fields: map[string]string{"municipality_id": "Bitte wählen Sie eine Kommune aus der Liste."}}
)

// draftLifetime is how long an unsent draft (and its files) is kept.
const draftLifetime = 7 * 24 * time.Hour

// row is a message as stored.
type row struct {
	ID                   int64
	EventID              int64
	FormKey              string
	Status               Status
	Subject              string
	Body                 string
	IncludeProgramme     bool
	FilterStatus         registration.Status
	FilterWorkingGroupID *int64
	FilterMunicipalityID *int64
	FilterDay            string
	FilterCheckedIn      *bool
	Audience             string
	Recipients           int
	CreatedByUserID      *int64
	CreatedAt            time.Time
	SentAt               *time.Time
}

func (row) TableName() string { return "event_messages" }

func (r row) message() Message {
	m := Message{ID: r.ID, EventID: r.EventID, FormKey: r.FormKey, Status: r.Status, Subject: r.Subject, Body: r.Body,
		IncludeProgramme: r.IncludeProgramme, Audience: r.Audience, Recipients: r.Recipients,
		CreatedByUserID: r.CreatedByUserID, CreatedAt: r.CreatedAt, SentAt: r.SentAt, Attachments: []Attachment{},
		Filter: Filter{Status: r.FilterStatus, WorkingGroupID: r.FilterWorkingGroupID, MunicipalityID: r.FilterMunicipalityID, CheckedIn: r.FilterCheckedIn}}
	if d, err := day.Parse(r.FilterDay); err == nil {
		m.Filter.Day = d
	}
	return m
}

func (r *row) set(in Input) {
	r.Subject = strings.TrimSpace(in.Subject)
	r.Body = strings.TrimRight(strings.ReplaceAll(in.Text, "\r\n", "\n"), " \n\t")
	r.IncludeProgramme = in.IncludeProgramme
	r.FilterStatus = in.Filter.Status
	r.FilterWorkingGroupID = in.Filter.WorkingGroupID
	r.FilterMunicipalityID = in.Filter.MunicipalityID
	r.FilterDay = in.Filter.Day.String()
	r.FilterCheckedIn = in.Filter.CheckedIn
}

// Store keeps messages and their files and resolves audiences.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// WithClock returns the store with another clock, for tests.
func (s *Store) WithClock(now func() time.Time) *Store { return &Store{db: s.db, now: now} }

// NewFormKey returns a fresh identity for a composer form.
func NewFormKey() (string, error) { return secret.Token() }

// audienceQuery selects the meeting's registrations the filter chooses,
// in one statement over registrations, group assignments and check-ins.
func audienceQuery(db *gorm.DB, eventID int64, f Filter) *gorm.DB {
	q := db.Model(&registration.Registration{}).Where("registrations.event_id = ?", eventID)
	if f.Status != "" {
		q = q.Where("registrations.status = ?", f.Status)
	} else {
		q = q.Where("registrations.status IN ?", []registration.Status{registration.Confirmed, registration.Waitlisted})
	}
	if f.MunicipalityID != nil {
		q = q.Where("registrations.municipality_id = ?", *f.MunicipalityID)
	}
	if f.WorkingGroupID != nil {
		q = q.Where("EXISTS (SELECT 1 FROM working_group_assignments a WHERE a.registration_id = registrations.id AND a.working_group_id = ?)", *f.WorkingGroupID)
	}
	if !f.Day.IsZero() {
		// days is the normalised list "2026-03-14,2026-03-15"; empty
		// means every day of the meeting.
		q = q.Where("(registrations.days = '' OR ',' || registrations.days || ',' LIKE ?)", "%,"+f.Day.String()+",%")
	}
	if f.CheckedIn != nil {
		sub := "SELECT 1 FROM check_ins ci WHERE ci.registration_id = registrations.id"
		args := []any{}
		if !f.Day.IsZero() {
			sub += " AND ci.day = ?"
			args = append(args, f.Day.String())
		}
		if *f.CheckedIn {
			q = q.Where("EXISTS ("+sub+")", args...)
		} else {
			q = q.Where("NOT EXISTS ("+sub+")", args...)
		}
	}
	return q
}

// Audience returns the registrations of a meeting the filter chooses,
// by last and first name.
func (s *Store) Audience(ctx context.Context, eventID int64, f Filter) ([]registration.Registration, error) {
	return audience(s.db.WithContext(ctx), eventID, f)
}

func audience(db *gorm.DB, eventID int64, f Filter) ([]registration.Registration, error) {
	var out []registration.Registration
	if err := audienceQuery(db, eventID, f).Order("registrations.id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("audience of event %d: %w", eventID, err)
	}
	// Sorted here, as the registration list is: both databases give the
	// same German order.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := collate.Key(out[i].LastName), collate.Key(out[j].LastName)
		if a != b {
			return a < b
		}
		return collate.Key(out[i].FirstName) < collate.Key(out[j].FirstName)
	})
	return out, nil
}

// Names looks up what the filter's ids stand for and checks that they
// belong to the meeting.
func (s *Store) Names(ctx context.Context, eventID int64, f Filter) (Names, error) {
	return names(s.db.WithContext(ctx), eventID, f)
}

func names(db *gorm.DB, eventID int64, f Filter) (Names, error) {
	var n Names
	if f.WorkingGroupID != nil {
		var titles []string
		if err := db.Table("working_groups").Where("id = ? AND event_id = ?", *f.WorkingGroupID, eventID).Pluck("title", &titles).Error; err != nil {
			return n, fmt.Errorf("name of working group %d: %w", *f.WorkingGroupID, err)
		}
		if len(titles) == 0 {
			return n, errGroupNotOfEvent
		}
		n.WorkingGroup = titles[0]
	}
	if f.MunicipalityID != nil {
		var munis []string
		if err := db.Table("municipalities").Where("id = ?", *f.MunicipalityID).Pluck("name", &munis).Error; err != nil {
			return n, fmt.Errorf("name of municipality %d: %w", *f.MunicipalityID, err)
		}
		if len(munis) == 0 {
			return n, errUnknownMuni
		}
		n.Municipality = munis[0]
	}
	return n, nil
}

// Compose is one state of the composer form: what was typed, the files
// uploaded with it and the draft files the organiser took off again.
type Compose struct {
	EventID int64
	FormKey string // the form's identity; "" takes a fresh one
	Input   Input
	Uploads []Upload
	Remove  []int64 // attachment ids of the draft to drop
	UserID  *int64
}

// SaveDraft keeps the form as a draft, with its files, so a preview
// loses nothing; it returns the draft with its attachments (without
// data). Input is not validated: a draft may be half written. A form
// already sent is ErrAlreadySent.
func (s *Store) SaveDraft(ctx context.Context, c Compose) (Message, error) {
	var out Message
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.draft(tx, &c)
		if err != nil {
			return err
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		atts, err := attachFiles(tx, r.ID, c, s.now())
		if err != nil {
			return err
		}
		out = r.message()
		out.Attachments = atts
		return nil
	})
	if err != nil {
		return out, s.keyTaken(ctx, c, err, "save message draft")
	}
	// Drafts nobody sent are not kept for ever; failing to prune is no
	// reason to fail the preview.
	_ = s.db.WithContext(ctx).Where("status = ? AND created_at < ?", Draft, s.now().Add(-draftLifetime).UTC()).Delete(&row{}).Error
	return out, nil
}

// draft returns the form's row: the draft saved before or a new one,
// with the input set. The caller saves it.
func (s *Store) draft(tx *gorm.DB, c *Compose) (row, error) {
	if c.FormKey == "" {
		key, err := NewFormKey()
		if err != nil {
			return row{}, err
		}
		c.FormKey = key
	}
	var rows []row
	if err := tx.Where("event_id = ? AND form_key = ?", c.EventID, c.FormKey).Limit(1).Find(&rows).Error; err != nil {
		return row{}, err
	}
	r := row{EventID: c.EventID, FormKey: c.FormKey, Status: Draft, CreatedByUserID: c.UserID, CreatedAt: s.now().UTC()}
	if len(rows) > 0 {
		r = rows[0]
		if r.Status != Draft {
			return r, ErrAlreadySent
		}
	}
	r.set(c.Input)
	return r, nil
}

// attachFiles drops the removed files of a draft, adds the uploads and
// returns the files it then has.
func attachFiles(tx *gorm.DB, messageID int64, c Compose, now time.Time) ([]Attachment, error) {
	if len(c.Remove) > 0 {
		if err := tx.Where("event_message_id = ? AND id IN ?", messageID, c.Remove).Delete(&Attachment{}).Error; err != nil {
			return nil, err
		}
	}
	for _, u := range c.Uploads {
		a := Attachment{EventMessageID: messageID, Filename: u.Filename, Size: int64(len(u.Data)), Data: u.Data, CreatedAt: now.UTC()}
		if err := tx.Create(&a).Error; err != nil {
			return nil, err
		}
	}
	atts, err := attachments(tx, messageID, false)
	if err != nil {
		return nil, err
	}
	if len(atts) > MaxAttachments {
		return nil, ErrTooManyFiles
	}
	return atts, nil
}

// keyTaken turns the loss of a race for a form key (the same form sent
// twice at once) into ErrAlreadySent.
func (s *Store) keyTaken(ctx context.Context, c Compose, err error, what string) error {
	if _, ok := problem.As(err); ok {
		return err
	}
	var n int64
	if c.FormKey != "" && s.db.WithContext(ctx).Model(&row{}).Where("event_id = ? AND form_key = ? AND status = ?", c.EventID, c.FormKey, Sent).Count(&n).Error == nil && n > 0 {
		return ErrAlreadySent
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Send sends the form: in one transaction the message (the draft of the
// form, or a new one) becomes sent with its files, and one outbox mail
// is queued per registration the filter chooses now. A form sent before
// is ErrAlreadySent, a filter that chooses nobody ErrNoRecipients. The
// caller wakes the mail worker.
func (s *Store) Send(ctx context.Context, c Compose) (Message, error) {
	if err := c.Input.Validate(); err != nil {
		return Message{}, err
	}
	var out Message
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := names(tx, c.EventID, c.Input.Filter)
		if err != nil {
			return err
		}
		r, err := s.draft(tx, &c)
		if err != nil {
			return err
		}
		regs, err := audience(tx, c.EventID, c.Input.Filter)
		if err != nil {
			return err
		}
		if len(regs) == 0 {
			return ErrNoRecipients
		}
		now := s.now().UTC()
		r.Status, r.Audience, r.Recipients, r.SentAt = Sent, c.Input.Filter.Describe(n), len(regs), &now
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		atts, err := attachFiles(tx, r.ID, c, now)
		if err != nil {
			return err
		}
		mails := make([]outbox.Message, len(regs))
		for i, reg := range regs {
			mails[i] = outbox.Message{Kind: outbox.OrganiserMessage, EventID: &c.EventID, RegistrationID: &regs[i].ID, EventMessageID: &r.ID,
				Recipient: reg.Email, Status: outbox.Pending, NextAttemptAt: now}
		}
		// The unique key (message, registration) holds whatever happens
		// around this statement.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&mails, 500).Error; err != nil {
			return fmt.Errorf("queue mails: %w", err)
		}
		out = r.message()
		out.Attachments = atts
		return nil
	})
	if err != nil {
		return out, s.keyTaken(ctx, c, err, fmt.Sprintf("send message to event %d", c.EventID))
	}
	return out, nil
}

// Delivery counts a message's mails by state.
type Delivery struct {
	Sent    int `json:"sent"`
	Pending int `json:"pending"` // waiting or being sent
	Failed  int `json:"failed"`
}

// Total is the number of mails.
func (d Delivery) Total() int { return d.Sent + d.Pending + d.Failed }

// Done reports whether no mail is waiting any more.
func (d Delivery) Done() bool { return d.Pending == 0 }

// List returns a meeting's sent messages, newest first, with their
// attachments (without data).
func (s *Store) List(ctx context.Context, eventID int64) ([]Message, error) {
	var rows []row
	if err := s.db.WithContext(ctx).Where("event_id = ? AND status = ?", eventID, Sent).Order("sent_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list messages of event %d: %w", eventID, err)
	}
	return s.withAttachments(ctx, rows)
}

// ForRegistration returns the sent messages addressed to a registration,
// newest first.
func (s *Store) ForRegistration(ctx context.Context, registrationID int64) ([]Message, error) {
	var rows []row
	err := s.db.WithContext(ctx).Where("status = ? AND id IN (SELECT event_message_id FROM mail_outbox WHERE registration_id = ? AND event_message_id IS NOT NULL)", Sent, registrationID).
		Order("sent_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("messages of registration %d: %w", registrationID, err)
	}
	return s.withAttachments(ctx, rows)
}

func (s *Store) withAttachments(ctx context.Context, rows []row) ([]Message, error) {
	out := make([]Message, len(rows))
	ids := make([]int64, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		out[i] = r.message()
		ids[i] = r.ID
		at[r.ID] = i
	}
	if len(ids) == 0 {
		return out, nil
	}
	var atts []Attachment
	if err := s.db.WithContext(ctx).Omit("data").Where("event_message_id IN ?", ids).Order("id").Find(&atts).Error; err != nil {
		return nil, fmt.Errorf("attachments of messages: %w", err)
	}
	for _, a := range atts {
		i := at[a.EventMessageID]
		out[i].Attachments = append(out[i].Attachments, a)
	}
	return out, nil
}

// Get returns a message of a meeting (draft or sent) with its
// attachments; withData loads the files' contents too.
func (s *Store) Get(ctx context.Context, eventID, id int64, withData bool) (Message, error) {
	var r row
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, ErrNotFound
	}
	if err != nil {
		return Message{}, fmt.Errorf("get message %d: %w", id, err)
	}
	m := r.message()
	if m.Attachments, err = attachments(s.db.WithContext(ctx), id, withData); err != nil {
		return m, fmt.Errorf("get message %d: %w", id, err)
	}
	return m, nil
}

// ByID returns a message with its files' contents, for the mail worker.
func (s *Store) ByID(ctx context.Context, id int64) (Message, error) {
	var r row
	err := s.db.WithContext(ctx).First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, ErrNotFound
	}
	if err != nil {
		return Message{}, fmt.Errorf("get message %d: %w", id, err)
	}
	return s.Get(ctx, r.EventID, id, true)
}

func attachments(db *gorm.DB, messageID int64, withData bool) ([]Attachment, error) {
	q := db.Where("event_message_id = ?", messageID).Order("id")
	if !withData {
		q = q.Omit("data")
	}
	var out []Attachment
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("attachments of message %d: %w", messageID, err)
	}
	return out, nil
}

// DraftFiles returns the files (without data) of the draft of a
// composer form; none when there is no draft.
func (s *Store) DraftFiles(ctx context.Context, eventID int64, formKey string) ([]Attachment, error) {
	var out []Attachment
	err := s.db.WithContext(ctx).Omit("data").
		Where("event_message_id IN (SELECT id FROM event_messages WHERE event_id = ? AND form_key = ? AND status = ?)", eventID, formKey, Draft).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("files of draft: %w", err)
	}
	return out, nil
}

// Attachment returns one file of a message with its contents.
func (s *Store) Attachment(ctx context.Context, messageID, id int64) (Attachment, error) {
	var a Attachment
	err := s.db.WithContext(ctx).Where("event_message_id = ?", messageID).First(&a, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, problem.New(problem.NotFound, "Diese Datei gibt es nicht.")
	}
	if err != nil {
		return a, fmt.Errorf("attachment %d: %w", id, err)
	}
	return a, nil
}

// Deliveries counts the mails of each message by state.
func (s *Store) Deliveries(ctx context.Context, ids ...int64) (map[int64]Delivery, error) {
	out := make(map[int64]Delivery, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		EventMessageID int64
		Status         outbox.Status
		N              int
	}
	if err := s.db.WithContext(ctx).Model(&outbox.Message{}).Select("event_message_id, status, count(*) AS n").
		Where("event_message_id IN ? AND copy_of IS NULL", ids).Group("event_message_id, status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("delivery of messages: %w", err)
	}
	for _, r := range rows {
		d := out[r.EventMessageID]
		switch r.Status {
		case outbox.Sent:
			d.Sent += r.N
		case outbox.Failed:
			d.Failed += r.N
		default:
			d.Pending += r.N
		}
		out[r.EventMessageID] = d
	}
	return out, nil
}
