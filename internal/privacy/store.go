package privacy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
)

// ErrNoPerson: nothing is stored under the address.
var ErrNoPerson = problem.New(problem.NotFound, "Unter dieser E-Mail-Adresse sind keine Daten gespeichert.")

// Store reads and erases personal data. Each exported method owns its
// transactions: one per registration erased, one per meeting anonymised.
type Store struct {
	db   *gorm.DB
	regs *registration.Store
	now  func() time.Time
}

// NewStore returns a store on db; regs cancels registrations that are
// erased while active (their place goes to the waiting list).
func NewStore(db *gorm.DB, regs *registration.Store) *Store {
	return &Store{db: db, regs: regs, now: time.Now}
}

// WithClock replaces the clock (tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// Registration returns the export of one registration (the data download
// of the manage link): the registration and what hangs on it, nothing of
// anybody else.
func (s *Store) Registration(ctx context.Context, r registration.Registration) (Export, error) {
	out := Export{GeneratedAt: s.now().UTC(), Email: r.Email}
	item, err := s.collect(s.db.WithContext(ctx), r)
	if err != nil {
		return out, fmt.Errorf("export registration %d: %w", r.ID, err)
	}
	out.Registrations = []Registration{item}
	return out, nil
}

// Person returns everything stored under an address: its registrations in
// every meeting (newest meeting first) and its account.
func (s *Store) Person(ctx context.Context, email string) (Export, error) {
	email = registration.NormalizeEmail(email)
	out := Export{GeneratedAt: s.now().UTC(), Email: email, Registrations: []Registration{}}
	db := s.db.WithContext(ctx)
	var regs []registration.Registration
	if err := db.Where("email = ?", email).Order("id DESC").Find(&regs).Error; err != nil {
		return out, fmt.Errorf("find registrations of %s: %w", email, err)
	}
	for _, r := range regs {
		item, err := s.collect(db, r)
		if err != nil {
			return out, fmt.Errorf("export registration %d: %w", r.ID, err)
		}
		out.Registrations = append(out.Registrations, item)
	}
	acc, err := account(db, email)
	if err != nil {
		return out, err
	}
	out.Account = acc
	if out.Contacts, err = contacts(db, email); err != nil {
		return out, err
	}
	if len(out.Registrations) == 0 && out.Account == nil && len(out.Contacts) == 0 {
		return out, ErrNoPerson
	}
	return out, nil
}

// contacts reads the person's entries as a network contact with the
// mails sent to them.
func contacts(db *gorm.DB, email string) ([]Contact, error) {
	var rows []contact.Contact
	if err := db.Where("email = ?", email).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find contacts of %s: %w", email, err)
	}
	var out []Contact
	for _, c := range rows {
		item := Contact{ID: c.ID, Name: c.Name, Function: c.Function, UnsubscribedAt: c.UnsubscribedAt, CreatedAt: c.CreatedAt, Mails: []Mail{}}
		var names []string
		if err := db.Table("municipalities").Where("id = ?", c.MunicipalityID).Pluck("name", &names).Error; err != nil {
			return nil, err
		}
		if len(names) > 0 {
			item.Municipality = names[0]
		}
		var mails []outbox.Message
		if err := db.Where("contact_id = ?", c.ID).Order("id").Find(&mails).Error; err != nil {
			return nil, fmt.Errorf("mails of contact %d: %w", c.ID, err)
		}
		for _, m := range mails {
			item.Mails = append(item.Mails, Mail{Kind: m.Kind.Label(), Subject: m.Subject, Status: m.Status.Label(), Recipient: m.Recipient, CreatedAt: m.CreatedAt, SentAt: m.SentAt})
		}
		out = append(out, item)
	}
	return out, nil
}

// eraseContacts deletes the person's entries as a network contact: mails
// not yet out are dropped, sent ones stay as a record without address and
// text.
func eraseContacts(tx *gorm.DB, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	dropped := tx.Where("contact_id IN ? AND status <> ?", ids, outbox.Sent).Delete(&outbox.Message{})
	if dropped.Error != nil {
		return 0, fmt.Errorf("drop unsent contact mails: %w", dropped.Error)
	}
	if err := tx.Model(&outbox.Message{}).Where("contact_id IN ?", ids).
		UpdateColumns(map[string]any{"recipient": "", "text_body": "", "html_body": "", "last_error": ""}).Error; err != nil {
		return 0, fmt.Errorf("blank sent contact mails: %w", err)
	}
	if err := tx.Table("audit_log").Where("object_type = ? AND object_id IN ?", "contact", ids).
		UpdateColumn("details", anonymousDetails).Error; err != nil {
		return 0, fmt.Errorf("anonymise audit log: %w", err)
	}
	if err := tx.Where("id IN ?", ids).Delete(&contact.Contact{}).Error; err != nil {
		return 0, fmt.Errorf("delete contacts: %w", err)
	}
	return int(dropped.RowsAffected), nil
}

// ExportPerson is Person, recorded in the audit log by registration and
// account ids, not by the address.
func (s *Store) ExportPerson(ctx context.Context, email string, actor audit.Actor) (Export, error) {
	out, err := s.Person(ctx, email)
	if err != nil {
		return out, err
	}
	details := "Datenauskunft: " + describe(out)
	if err := audit.Record(s.db.WithContext(ctx), actor, audit.PrivacyExported, "person", 0, nil, details); err != nil {
		return out, err
	}
	return out, nil
}

func describe(e Export) string {
	var regIDs []int64
	for _, r := range e.Registrations {
		regIDs = append(regIDs, r.Registration.ID)
	}
	ids := idList(regIDs)
	parts := []string{fmt.Sprintf("%d Anmeldung(en)", len(ids))}
	if len(ids) > 0 {
		parts[0] += " (IDs " + strings.Join(ids, ", ") + ")"
	}
	if len(e.Contacts) > 0 {
		parts = append(parts, fmt.Sprintf("%d Kontakt(e) für Einladungen", len(e.Contacts)))
	}
	if e.Account != nil {
		parts = append(parts, fmt.Sprintf("Konto %d", e.Account.ID))
	}
	return strings.Join(parts, ", ")
}

// collect reads what hangs on one registration.
func (s *Store) collect(db *gorm.DB, r registration.Registration) (Registration, error) {
	item := Registration{Registration: r, Wishes: []Wish{}, Assignments: []Assignment{}, CheckIns: []CheckIn{}, Mails: []Mail{}, Answers: []Answer{}}
	var ev event.Event
	if err := db.First(&ev, r.EventID).Error; err != nil {
		return item, fmt.Errorf("meeting %d: %w", r.EventID, err)
	}
	item.Meeting = Meeting{ID: ev.ID, Name: ev.Name(), Days: ev.Days, Place: ev.Place()}
	item.Municipality = r.Organisation
	if r.MunicipalityID != nil {
		var names []string
		if err := db.Table("municipalities").Where("id = ?", *r.MunicipalityID).Pluck("name", &names).Error; err != nil {
			return item, err
		}
		if len(names) > 0 {
			item.Municipality = names[0]
		}
	}
	if err := db.Table("working_group_preferences p").Select("p.rank, g.title AS working_group").
		Joins("JOIN working_groups g ON g.id = p.working_group_id").
		Where("p.registration_id = ?", r.ID).Order("g.slot_id, p.rank").Scan(&item.Wishes).Error; err != nil {
		return item, fmt.Errorf("wishes: %w", err)
	}
	if err := db.Table("working_group_assignments a").
		Select("g.title AS working_group, g.room, s.day, s.starts_at, a.role").
		Joins("JOIN working_groups g ON g.id = a.working_group_id").
		Joins("JOIN working_group_slots s ON s.id = a.slot_id").
		Where("a.registration_id = ?", r.ID).Order("s.day, s.starts_at").Scan(&item.Assignments).Error; err != nil {
		return item, fmt.Errorf("assignments: %w", err)
	}
	if err := db.Table("check_ins").Select("day, checked_in_at").Where("registration_id = ?", r.ID).
		Order("day").Scan(&item.CheckIns).Error; err != nil {
		return item, fmt.Errorf("check-ins: %w", err)
	}
	if err := answers(db, r.ID, &item); err != nil {
		return item, err
	}
	var mails []outbox.Message
	if err := db.Where("registration_id = ?", r.ID).Order("id").Find(&mails).Error; err != nil {
		return item, fmt.Errorf("mails: %w", err)
	}
	for _, m := range mails {
		mail := Mail{Kind: m.Kind.Label(), Subject: m.Subject, Status: m.Status.Label(), CreatedAt: m.CreatedAt, SentAt: m.SentAt}
		if m.CopyOf != nil {
			mail.Copy = true
		} else {
			mail.Recipient = m.Recipient
		}
		item.Mails = append(item.Mails, mail)
	}
	return item, nil
}

type userRow struct {
	ID             int64
	Email          string
	Name           string
	Role           string
	MunicipalityID *int64
	CreatedAt      time.Time
}

func account(db *gorm.DB, email string) (*Account, error) {
	var rows []userRow
	if err := db.Table("users").Select("id, email, name, role, municipality_id, created_at").
		Where("lower(email) = ?", email).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	u := rows[0]
	acc := &Account{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, CreatedAt: u.CreatedAt}
	if u.MunicipalityID != nil {
		var names []string
		if err := db.Table("municipalities").Where("id = ?", *u.MunicipalityID).Pluck("name", &names).Error; err != nil {
			return nil, err
		}
		if len(names) > 0 {
			acc.Municipality = names[0]
		}
	}
	if err := db.Table("event_hosts").Where("user_id = ?", u.ID).Order("event_id").Pluck("event_id", &acc.HostOf).Error; err != nil {
		return nil, err
	}
	return acc, nil
}

// DeleteRegistration erases a registration at the request of the person
// (manage link): an active registration is cancelled first, its place
// goes to the waiting list, unsent mails to the person are dropped, and
// the personal data is overwritten. Municipality, status, days and
// check-ins stay, anonymous, for the attendance numbers.
func (s *Store) DeleteRegistration(ctx context.Context, id int64) (Erasure, error) {
	out := Erasure{Registrations: []int64{id}, Cancelled: []int64{}, AttendanceKept: true}
	before, err := s.regs.Get(ctx, id)
	if err != nil {
		return out, err
	}
	_, err = s.regs.Withdraw(ctx, id, audit.Participant, func(tx *gorm.DB, r registration.Registration) error {
		dropped, err := anonymise(tx, []int64{r.ID}, s.now().UTC())
		if err != nil {
			return err
		}
		out.MailsDropped = dropped
		return audit.Record(tx, audit.Participant, audit.PrivacyDeleted, "registration", r.ID, &r.EventID,
			"Anmeldung auf Wunsch der Person anonymisiert")
	})
	if err != nil {
		return out, fmt.Errorf("delete registration %d: %w", id, err)
	}
	if before.Status.Active() {
		out.Cancelled = append(out.Cancelled, id)
	}
	return out, nil
}

// ErasePerson erases everything stored under an address, for an
// organiser: every registration in every meeting (active ones cancelled,
// places passed on), the mails to the person, and a host or coordinator
// account with that address. Organiser accounts are not deleted: that
// would lock the organisation out; their role is changed first.
func (s *Store) ErasePerson(ctx context.Context, email string, actor audit.Actor) (Erasure, error) {
	email = registration.NormalizeEmail(email)
	out := Erasure{Registrations: []int64{}, Cancelled: []int64{}, ContactsErased: []int64{}, AttendanceKept: true}
	person, err := s.Person(ctx, email)
	if err != nil {
		return out, err
	}
	for _, item := range person.Registrations {
		r := item.Registration
		wasActive := r.Status.Active()
		_, err := s.regs.Withdraw(ctx, r.ID, actor, func(tx *gorm.DB, r registration.Registration) error {
			dropped, err := anonymise(tx, []int64{r.ID}, s.now().UTC())
			if err != nil {
				return err
			}
			out.MailsDropped += dropped
			return audit.Record(tx, actor, audit.PrivacyErased, "registration", r.ID, &r.EventID,
				"Anmeldung auf Löschantrag anonymisiert")
		})
		if err != nil {
			return out, fmt.Errorf("erase %s: %w", email, err)
		}
		out.Registrations = append(out.Registrations, r.ID)
		if wasActive {
			out.Cancelled = append(out.Cancelled, r.ID)
		}
	}
	if acc := person.Account; acc != nil {
		if acc.Role == "organiser" {
			out.AccountKept = "Das Konto hat die Rolle Organisation und wird nicht gelöscht; ändern Sie zuerst die Rolle."
		} else if err := s.eraseAccount(ctx, acc.ID, email, actor); err != nil {
			return out, err
		} else {
			out.AccountErased = &acc.ID
		}
	}
	for _, c := range person.Contacts {
		out.ContactsErased = append(out.ContactsErased, c.ID)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		dropped, err := eraseContacts(tx, out.ContactsErased)
		out.MailsDropped += dropped
		return err
	})
	if err != nil {
		return out, fmt.Errorf("erase %s: %w", email, err)
	}
	details := fmt.Sprintf("%d Anmeldung(en) anonymisiert", len(out.Registrations))
	if len(out.ContactsErased) > 0 {
		details += fmt.Sprintf(", %d Kontakt(e) gelöscht", len(out.ContactsErased))
	}
	if len(out.Registrations) > 0 {
		details += " (IDs " + strings.Join(idList(out.Registrations), ", ") + ")"
	}
	if out.AccountErased != nil {
		details += fmt.Sprintf(", Konto %d gelöscht", *out.AccountErased)
	}
	if err := audit.Record(s.db.WithContext(ctx), actor, audit.PrivacyErased, "person", 0, nil, details); err != nil {
		return out, err
	}
	return out, nil
}

// eraseAccount deletes a login with its sessions, tokens and links
// (cascading), keeps the audit entries it made under a neutral label and
// blanks the copies of registration mails it received.
func (s *Store) eraseAccount(ctx context.Context, id int64, email string, actor audit.Actor) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		label := fmt.Sprintf("Gelöschtes Konto %d", id)
		if err := tx.Table("audit_log").Where("actor_user_id = ? OR lower(actor) = ?", id, email).
			UpdateColumn("actor", label).Error; err != nil {
			return err
		}
		if err := tx.Table("audit_log").Where("object_type = ? AND object_id = ?", "user", id).
			UpdateColumn("details", anonymousDetails).Error; err != nil {
			return err
		}
		if err := tx.Model(&outbox.Message{}).Where("lower(recipient) = ? AND status <> ?", email, outbox.Sent).
			Delete(&outbox.Message{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&outbox.Message{}).Where("lower(recipient) = ?", email).
			UpdateColumns(map[string]any{"recipient": "", "text_body": "", "html_body": "", "last_error": ""}).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM users WHERE id = ?", id).Error; err != nil {
			return err
		}
		return audit.Record(tx, actor, audit.PrivacyAccountGone, "user", id, nil, "Konto auf Löschantrag gelöscht")
	})
	if err != nil {
		return fmt.Errorf("erase account %d: %w", id, err)
	}
	return nil
}

// anonymise overwrites the personal data of registrations inside tx and
// returns how many unsent mails were dropped. What counts attendance
// stays: meeting, municipality, status, days, check-ins, wishes and
// working-group places (they name no one once the registration is
// anonymous).
func anonymise(tx *gorm.DB, ids []int64, now time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	// Every manage link stops working.
	if err := tx.Exec("DELETE FROM manage_links WHERE registration_id IN ?", ids).Error; err != nil {
		return 0, fmt.Errorf("delete manage links: %w", err)
	}
	for _, id := range ids {
		code, err := randomCode()
		if err != nil {
			return 0, err
		}
		res := tx.Table("registrations").Where("id = ?", id).UpdateColumns(map[string]any{
			"salutation": "", "academic_title": "", "first_name": AnonymousFirstName, "last_name": AnonymousLastName,
			"email": AnonymousEmail(id), "phone": "", "organisation": "", "function": "",
			"dietary_needs": "", "accessibility_needs": "", "photo_consent": false,
			"checkin_code": code, "anonymised_at": now, "updated_at": now,
		})
		if res.Error != nil {
			return 0, fmt.Errorf("anonymise registration %d: %w", id, res.Error)
		}
	}
	// Typed answers may name people; chosen options stay, like the
	// wishes, to count what was chosen.
	if err := tx.Exec("DELETE FROM answers WHERE registration_id IN ? AND option_id IS NULL", ids).Error; err != nil {
		return 0, fmt.Errorf("delete typed answers: %w", err)
	}
	// Mails not yet out would go to an address that no longer exists.
	dropped := tx.Where("registration_id IN ? AND status <> ?", ids, outbox.Sent).Delete(&outbox.Message{})
	if dropped.Error != nil {
		return 0, fmt.Errorf("drop unsent mails: %w", dropped.Error)
	}
	// Sent mails stay as a record of what went out (kind, subject, time),
	// without address and text.
	if err := tx.Model(&outbox.Message{}).Where("registration_id IN ?", ids).
		UpdateColumns(map[string]any{"recipient": "", "text_body": "", "html_body": "", "last_error": ""}).Error; err != nil {
		return 0, fmt.Errorf("blank sent mails: %w", err)
	}
	// The audit log named the person (details, and the address as actor
	// of a registration made without an account).
	if err := tx.Table("audit_log").Where("object_type = ? AND object_id IN ?", "registration", ids).
		UpdateColumn("details", anonymousDetails).Error; err != nil {
		return 0, fmt.Errorf("anonymise audit log: %w", err)
	}
	if err := tx.Table("audit_log").Where("object_type = ? AND object_id IN ? AND actor_user_id IS NULL AND actor LIKE ?", "registration", ids, "%@%").
		UpdateColumn("actor", anonymousActor).Error; err != nil {
		return 0, fmt.Errorf("anonymise audit log actors: %w", err)
	}
	return int(dropped.RowsAffected), nil
}

// Due lists the meetings not yet anonymised whose last day is more than
// months ago. months 0 means never.
func (s *Store) Due(ctx context.Context, months int) ([]DueMeeting, day.Date, error) {
	cutoff := Cutoff(s.now(), months)
	if months <= 0 {
		return nil, cutoff, nil
	}
	var events []event.Event
	if err := s.db.WithContext(ctx).Where("anonymised_at IS NULL").Order("id").Find(&events).Error; err != nil {
		return nil, cutoff, fmt.Errorf("meetings due for anonymisation: %w", err)
	}
	var out []DueMeeting
	for _, ev := range events {
		if len(ev.Days) == 0 || !ev.Days.Last().Before(cutoff) {
			continue
		}
		var n int64
		if err := s.db.WithContext(ctx).Model(&registration.Registration{}).
			Where("event_id = ? AND anonymised_at IS NULL", ev.ID).Count(&n).Error; err != nil {
			return nil, cutoff, err
		}
		out = append(out, DueMeeting{EventID: ev.ID, Name: ev.Name(), Days: ev.Days, Registrations: int(n)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Days.Last().Before(out[j].Days.Last()) })
	return out, cutoff, nil
}

// Anonymise runs the retention rule: every meeting that ended more than
// months ago and is not yet anonymised gets its participants anonymised
// and is marked, one transaction per meeting. A second run (or a run in
// another instance at the same time) finds nothing left to do. With
// dryRun it only reports what it would do.
func (s *Store) Anonymise(ctx context.Context, months int, dryRun bool) (Run, error) {
	due, cutoff, err := s.Due(ctx, months)
	run := Run{Cutoff: cutoff, DryRun: dryRun, Meetings: []DueMeeting{}}
	if err != nil || dryRun {
		if due != nil {
			run.Meetings = due
		}
		return run, err
	}
	for _, m := range due {
		done, err := s.anonymiseMeeting(ctx, m)
		if err != nil {
			return run, err
		}
		if done != nil {
			run.Meetings = append(run.Meetings, *done)
		}
	}
	return run, nil
}

var errTaken = errors.New("anonymised meanwhile")

func (s *Store) anonymiseMeeting(ctx context.Context, m DueMeeting) (*DueMeeting, error) {
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The mark is the claim: of two runs, one updates the row.
		res := tx.Table("events").Where("id = ? AND anonymised_at IS NULL", m.EventID).UpdateColumn("anonymised_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errTaken
		}
		var ids []int64
		if err := tx.Model(&registration.Registration{}).Where("event_id = ? AND anonymised_at IS NULL", m.EventID).
			Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		m.Registrations = len(ids)
		if _, err := anonymise(tx, ids, now); err != nil {
			return err
		}
		return audit.Record(tx, audit.System, audit.PrivacyAnonymised, "event", m.EventID, &m.EventID,
			fmt.Sprintf("%d Anmeldung(en) nach Ablauf der Aufbewahrungsfrist anonymisiert", len(ids)))
	})
	if errors.Is(err, errTaken) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("anonymise meeting %d: %w", m.EventID, err)
	}
	return &m, nil
}

// AnonymisedAt tells when a meeting was anonymised (nil: not yet).
func (s *Store) AnonymisedAt(ctx context.Context, eventID int64) (*time.Time, error) {
	var rows []struct{ AnonymisedAt *time.Time }
	if err := s.db.WithContext(ctx).Table("events").Select("anonymised_at").Where("id = ?", eventID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("anonymised_at of meeting %d: %w", eventID, err)
	}
	if len(rows) == 0 {
		return nil, event.ErrNotFound
	}
	return rows[0].AnonymisedAt, nil
}

// idList is ids in ascending order as text, for the audit log.
func idList(ids []int64) []string {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	out := make([]string, len(sorted))
	for i, id := range sorted {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

func randomCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random code: %w", err)
	}
	return strings.ToUpper(hex.EncodeToString(b)), nil
}

// answers adds the registration's answers to its questions, by question.
func answers(db *gorm.DB, registrationID int64, item *Registration) error {
	as, err := question.Held(db, registrationID)
	if err != nil {
		return fmt.Errorf("answers: %w", err)
	}
	var labels []struct {
		ID    int64
		Label string
	}
	if len(as) > 0 {
		if err := db.Table("questions").Select("id, label").Where("id IN (SELECT question_id FROM answers WHERE registration_id = ?)", registrationID).
			Scan(&labels).Error; err != nil {
			return fmt.Errorf("questions: %w", err)
		}
	}
	label := map[int64]string{}
	for _, l := range labels {
		label[l.ID] = l.Label
	}
	byQuestion := map[int64]int{}
	for _, a := range as {
		if i, ok := byQuestion[a.QuestionID]; ok {
			item.Answers[i].Answer += ", " + a.Value
			continue
		}
		byQuestion[a.QuestionID] = len(item.Answers)
		item.Answers = append(item.Answers, Answer{Question: label[a.QuestionID], Answer: a.Value})
	}
	return nil
}
