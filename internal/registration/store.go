package registration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Errors of the registration rules.
var (
	ErrNotFound  = problem.New(problem.NotFound, "Diese Anmeldung gibt es nicht.")
	ErrDuplicate = &problem.Error{Code: problem.Conflict,
		Message: "Mit dieser E-Mail-Adresse ist bereits eine Anmeldung für diese Veranstaltung vorhanden. Den Link zum Ändern oder Stornieren finden Sie in Ihrer Bestätigungsmail.",
		Fields:  map[string]string{"email": "Mit dieser E-Mail-Adresse ist bereits jemand angemeldet."}}
	ErrAlreadyCancelled = problem.New(problem.Conflict, "Diese Anmeldung ist bereits storniert.")
	ErrDeclined         = problem.New(problem.Conflict, "Diese Anmeldung wurde abgelehnt.")
	// A full meeting refuses new registrations when it has no waiting
	// list or its waiting list is as long as allowed.
	ErrNoWaitlist   = problem.New(problem.NoWaitlist, "Die Veranstaltung ist ausgebucht; eine Warteliste gibt es nicht.")
	ErrWaitlistFull = problem.New(problem.WaitlistFull, "Die Veranstaltung ist ausgebucht und die Warteliste ist voll.")
)

// Store applies the registration rules. Every exported method owns its
// transaction; the meeting's row is locked first, so concurrent
// registrations for one meeting are decided one after another.
type Store struct {
	db       *gorm.DB
	onQueued func() // wakes the mail worker after a commit that queued mail
	now      func() time.Time
	// registerStmt, on PostgreSQL, decides and writes a registration in one
	// statement (store_postgres.go); nil on SQLite.
	registerStmt *namedStatement
}

// NewStore returns a store on db. onQueued may be nil.
func NewStore(db *gorm.DB, onQueued func()) *Store {
	if onQueued == nil {
		onQueued = func() {}
	}
	s := &Store{db: db, onQueued: onQueued, now: time.Now}
	if db.Dialector.Name() == "postgres" {
		st := compileNamed(registerSQL)
		s.registerStmt = &st
	}
	return s
}

// Options say who acts and whether the registration window applies.
type Options struct {
	Actor        audit.Actor // who registers: the person (zero Actor) or a coordinator/organiser
	IgnoreWindow bool        // organisers may register after the deadline
	WalkIn       bool        // at the door: confirmed whatever the capacity, the person is there
}

// Register decides a place for the person: confirmed while the meeting
// has capacity and the municipality is within its quota, otherwise the
// waiting list. The confirmation or waiting-list mail is queued in the
// same transaction.
func (s *Store) Register(ctx context.Context, eventID int64, in Input, opt Options) (Registration, error) {
	r, err := s.register(ctx, eventID, in, opt)
	if err != nil {
		return r, fmt.Errorf("register %s for event %d: %w", NormalizeEmail(in.Email), eventID, err)
	}
	s.onQueued()
	return r, nil
}

// newRegistration is what Register writes once the meeting is locked
// and the input checked: the registration without id and status, its
// manage link and wishes, and who registered.
type newRegistration struct {
	r      *Registration
	ev     *event.Event
	walkIn bool
	wishes []preference
	actor  audit.Actor
	now    time.Time
}

func (s *Store) register(ctx context.Context, eventID int64, in Input, opt Options) (Registration, error) {
	now := s.now().UTC()
	db := s.db.WithContext(ctx)
	var r Registration
	// What needs no lock is done before the meeting's lock is taken: the
	// working groups (editing them does not take the meeting's lock, so
	// reading them under it would guard nothing), the check-in code and
	// the manage link's token.
	var slotOf map[int64]int64
	if len(in.WorkingGroupPreferences) > 0 {
		var err error
		if slotOf, err = groupSlots(db, eventID); err != nil {
			return r, err
		}
	}
	code, err := newCheckinCode()
	if err != nil {
		return r, err
	}
	token, err := secret.Token()
	if err != nil {
		return r, err
	}
	if opt.WalkIn {
		opt.IgnoreWindow = true
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		ev, err := lockEvent(tx, eventID)
		if err != nil {
			return err
		}
		if st := ev.RegistrationStateAt(now); !st.Open && !(opt.IgnoreWindow && ev.Status != event.Cancelled) {
			return problem.New(problem.Closed, st.Reason)
		}
		invalid := in.validate(&ev, &r, true)
		given := in.Answers
		if opt.WalkIn && given == nil {
			// At the door nobody fills in the form's questions.
			ev.QuestionCount = 0
		}
		qs, answers, err := checkAnswers(tx, &ev, given, invalid)
		if err != nil {
			return err
		}
		if len(answers) > 0 {
			if err := question.Take(tx, qs, nil, answers); err != nil {
				return err
			}
		}
		wishes, err := rankPreferences(slotOf, 0, in.WorkingGroupPreferences, ev.PreferenceRanks)
		if err != nil {
			return err
		}
		r.EventID = eventID
		r.WalkIn = opt.WalkIn
		r.PrivacyConsentAt = now
		r.RegisteredByUserID = opt.Actor.UserID
		r.CheckinCode = code
		r.ManageToken = token
		actor := opt.Actor
		if actor.Label == "" {
			actor = audit.Actor{Label: r.Email}
		}
		n := newRegistration{r: &r, ev: &ev, walkIn: opt.WalkIn, wishes: wishes, actor: actor, now: now}
		// A second active registration of the address is refused by the
		// unique index registrations_event_email_key.
		if s.registerStmt != nil {
			err = insertInOneStatement(tx, *s.registerStmt, n)
		} else {
			err = insertStepByStep(tx, n)
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return ErrDuplicate
		}
		if err != nil || len(answers) == 0 {
			return err
		}
		return question.Replace(tx, r.ID, qs, answers)
	})
	// A municipality that does not exist is refused by the foreign key;
	// only then is it looked up, to say so next to the field, and no
	// registration pays a round trip for it.
	if errors.Is(err, gorm.ErrForeignKeyViolated) && r.MunicipalityID != nil {
		if muniErr := checkMunicipality(db, r.MunicipalityID); muniErr != nil {
			return r, muniErr
		}
	}
	return r, err
}

// insertStepByStep decides the place from the counted places and writes
// the registration, its place, manage link, wishes, audit entry and mail
// one statement after another: on SQLite, where the transaction already
// holds the database's write lock and a statement costs no round trip.
func insertStepByStep(tx *gorm.DB, n newRegistration) error {
	r := n.r
	st := Confirmed
	if !n.walkIn {
		var err error
		if st, err = placeFor(tx, n.ev, r.MunicipalityID); err != nil {
			return err
		}
		if n.ev.RequiresApproval {
			st = Pending
		}
	}
	r.Status = st
	if err := tx.Create(r).Error; err != nil {
		return err
	}
	if r.Status == Confirmed {
		if err := addPlace(tx, r.EventID, r.MunicipalityID, 1); err != nil {
			return err
		}
	}
	if err := saveManageLink(tx, r.ManageToken, r.ID, n.now); err != nil {
		return err
	}
	for i := range n.wishes {
		n.wishes[i].RegistrationID = r.ID
	}
	if err := insertPreferences(tx, n.wishes); err != nil {
		return err
	}
	if err := audit.Record(tx, n.actor, audit.RegistrationCreated, "registration", r.ID, &r.EventID, createdDetails(r, r.Status)); err != nil {
		return err
	}
	return outbox.Enqueue(tx, registeredMail(r.Status), r.EventID, r.ID, r.Email, n.now)
}

// createdDetails is the audit text of a new registration.
func createdDetails(r *Registration, st Status) string { return r.FullName() + " (" + st.Label() + ")" }

// registeredMail is the mail a new or approved registration of status
// st gets.
func registeredMail(st Status) outbox.Kind {
	switch st {
	case Confirmed:
		return outbox.Confirmation
	case Pending:
		return outbox.UnderReview
	}
	return outbox.Waitlisted
}

// placeFor decides where a registration goes that waits for nobody's
// approval (any more): a place while the meeting and the municipality
// have one, else the waiting list while the meeting has one with room.
// A pending registration is decided the same way when it is sent, so
// nobody waits for a review that could only end in "ausgebucht".
func placeFor(tx *gorm.DB, ev *event.Event, municipalityID *int64) (Status, error) {
	free, err := hasPlace(tx, ev, municipalityID)
	if err != nil || free {
		return Confirmed, err
	}
	if !ev.WaitlistEnabled {
		return "", ErrNoWaitlist
	}
	if ev.WaitlistLimit == nil {
		return Waitlisted, nil
	}
	waiting, err := countWaiting(tx, ev.ID)
	if err != nil {
		return "", err
	}
	if waiting >= *ev.WaitlistLimit {
		return "", ErrWaitlistFull
	}
	return Waitlisted, nil
}

// countWaiting counts the meeting's waiting list.
func countWaiting(tx *gorm.DB, eventID int64) (int, error) {
	var n int64
	if err := tx.Model(&Registration{}).Where("event_id = ? AND status = ?", eventID, Waitlisted).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count waiting list of event %d: %w", eventID, err)
	}
	return int(n), nil
}

// Cancel cancels a registration, tells the person by mail and, when it
// held a place, gives the place to the first on the waiting list who
// fits the quota.
func (s *Store) Cancel(ctx context.Context, id int64, actor audit.Actor) (Registration, error) {
	return s.CancelWith(ctx, id, StatusChange{Actor: actor, Notify: true})
}

// StatusChange says who cancels a registration or takes a cancellation
// back, and whether the person gets a mail about it. The coordinators'
// copies go with the person's mail; the mail of the one who moves up
// goes whatever Notify says.
type StatusChange struct {
	Actor  audit.Actor
	Notify bool
}

// mailNote is what the audit entry of a status change says about the
// person's mail.
func (ch StatusChange) mailNote() string {
	if ch.Notify {
		return "mit E-Mail an die Person"
	}
	return "ohne E-Mail an die Person"
}

// CancelWith is Cancel with the choice whether the person is told.
func (s *Store) CancelWith(ctx context.Context, id int64, ch StatusChange) (Registration, error) {
	now := s.now().UTC()
	var r Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := lockRegistration(tx, id, &r)
		if err != nil {
			return err
		}
		switch r.Status {
		case Cancelled:
			return ErrAlreadyCancelled
		case Declined:
			return ErrDeclined
		}
		if err := cancel(tx, &r, now); err != nil {
			return err
		}
		if err := releaseOptions(tx, &ev, r.ID); err != nil {
			return err
		}
		if ch.Notify {
			if err := outbox.Enqueue(tx, outbox.Cancellation, r.EventID, r.ID, r.Email, now); err != nil {
				return err
			}
		}
		if err := audit.Record(tx, ch.Actor, audit.RegistrationCancelled, "registration", r.ID, &r.EventID, r.FullName()+", "+ch.mailNote()); err != nil {
			return err
		}
		_, err = fillFromWaitlist(tx, &ev, now)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("cancel registration %d: %w", id, err)
	}
	s.onQueued()
	return r, nil
}

// FillFromWaitlist promotes waiting people while places are free, e.g.
// after an organiser raised the capacity or the quota. It returns how
// many were promoted.
func (s *Store) FillFromWaitlist(ctx context.Context, eventID int64) (int, error) {
	now := s.now().UTC()
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := lockEvent(tx, eventID)
		if err != nil {
			return err
		}
		n, err = fillFromWaitlist(tx, &ev, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("fill waiting list of event %d: %w", eventID, err)
	}
	if n > 0 {
		s.onQueued()
	}
	return n, nil
}

func fillFromWaitlist(tx *gorm.DB, ev *event.Event, now time.Time) (int, error) {
	if ev.Status == event.Cancelled {
		return 0, nil
	}
	counts, err := confirmedCounts(tx, ev.ID)
	if err != nil {
		return 0, err
	}
	var waiting []Registration
	if err := tx.Where("event_id = ? AND status = ?", ev.ID, Waitlisted).Order("id").Find(&waiting).Error; err != nil {
		return 0, err
	}
	promoted := 0
	for i := range waiting {
		if counts.total >= ev.Capacity {
			break
		}
		w := &waiting[i]
		if !counts.fits(ev, w.MunicipalityID) {
			continue
		}
		w.Status = Confirmed
		w.PromotedAt = &now
		if err := tx.Model(w).Select("status", "promoted_at", "updated_at").Updates(w).Error; err != nil {
			return promoted, err
		}
		if err := addPlace(tx, ev.ID, w.MunicipalityID, 1); err != nil {
			return promoted, err
		}
		if err := outbox.Enqueue(tx, outbox.Promotion, ev.ID, w.ID, w.Email, now); err != nil {
			return promoted, err
		}
		if err := audit.Record(tx, audit.System, audit.RegistrationPromoted, "registration", w.ID, &ev.ID, w.FullName()); err != nil {
			return promoted, err
		}
		counts.add(w.MunicipalityID)
		promoted++
	}
	return promoted, nil
}

// lockRegistration locks the meeting of registration id and reads the
// registration into r under that lock: read first to learn its meeting,
// then again once the lock is held, since a concurrent change may have won.
func lockRegistration(tx *gorm.DB, id int64, r *Registration) (event.Event, error) {
	if err := tx.First(r, id).Error; err != nil {
		return event.Event{}, notFound(err)
	}
	ev, err := lockEvent(tx, r.EventID)
	if err != nil {
		return ev, err
	}
	if err := tx.First(r, id).Error; err != nil {
		return ev, notFound(err)
	}
	return ev, nil
}

// lockEvent reads the meeting and holds its row until the transaction
// ends. PostgreSQL needs FOR UPDATE; SQLite's immediate transactions
// already hold the database's write lock.
func lockEvent(tx *gorm.DB, id int64) (event.Event, error) {
	var ev event.Event
	q := tx
	if tx.Dialector.Name() == "postgres" {
		q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&ev, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ev, event.ErrNotFound
	}
	return ev, err
}

// hasPlace reports whether the meeting has a place for a person of the
// municipality (nil: none), from the counted places: two rows whatever
// the meeting's size.
func hasPlace(tx *gorm.DB, ev *event.Event, municipalityID *int64) (bool, error) {
	keys := []int64{0}
	if municipalityID != nil && ev.MunicipalityQuota > 0 {
		keys = append(keys, *municipalityID)
	}
	var rows []place
	if err := tx.Where("event_id = ? AND municipality_id IN ?", ev.ID, keys).Find(&rows).Error; err != nil {
		return false, fmt.Errorf("read places: %w", err)
	}
	c := placeCounts{byMunicipality: map[int64]int{}}
	for _, p := range rows {
		if p.MunicipalityID == 0 {
			c.total = p.Confirmed
		} else {
			c.byMunicipality[p.MunicipalityID] = p.Confirmed
		}
	}
	return c.fits(ev, municipalityID), nil
}

// place is a row of registration_places: the confirmed registrations of
// a meeting, of one municipality or (MunicipalityID 0) all.
type place struct {
	EventID        int64
	MunicipalityID int64
	Confirmed      int
}

func (place) TableName() string { return "registration_places" }

// addPlace counts delta confirmed registrations more (or fewer) for the
// meeting and the municipality (nil: none). Every change of a status to
// or from confirmed calls it in the same transaction; the meeting's row
// lock orders them. TestPlacesMatchARecount holds the counts to it.
func addPlace(tx *gorm.DB, eventID int64, municipalityID *int64, delta int) error {
	rows := []place{{EventID: eventID, MunicipalityID: 0, Confirmed: delta}}
	if municipalityID != nil {
		rows = append(rows, place{EventID: eventID, MunicipalityID: *municipalityID, Confirmed: delta})
	}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "event_id"}, {Name: "municipality_id"}},
		DoUpdates: clause.Set{{Column: clause.Column{Name: "confirmed"}, Value: gorm.Expr("registration_places.confirmed + excluded.confirmed")}},
	}).Create(&rows).Error
	if err != nil {
		return fmt.Errorf("count places of event %d: %w", eventID, err)
	}
	return nil
}

// cancel sets an active registration cancelled and gives back its place.
func cancel(tx *gorm.DB, r *Registration, now time.Time) error {
	held := r.Status == Confirmed
	r.Status = Cancelled
	r.CancelledAt = &now
	if err := tx.Model(r).Select("status", "cancelled_at", "updated_at").Updates(r).Error; err != nil {
		return err
	}
	if held {
		return addPlace(tx, r.EventID, r.MunicipalityID, -1)
	}
	return nil
}

type placeCounts struct {
	total          int
	byMunicipality map[int64]int
}

func (c *placeCounts) fits(ev *event.Event, municipalityID *int64) bool {
	if c.total >= ev.Capacity {
		return false
	}
	return ev.MunicipalityQuota == 0 || municipalityID == nil || c.byMunicipality[*municipalityID] < ev.MunicipalityQuota
}

func (c *placeCounts) add(municipalityID *int64) {
	c.total++
	if municipalityID != nil {
		c.byMunicipality[*municipalityID]++
	}
}

// confirmedCounts returns the meeting's counted places: one row per
// municipality with registrations, whatever the meeting's size.
func confirmedCounts(tx *gorm.DB, eventID int64) (*placeCounts, error) {
	var rows []place
	if err := tx.Where("event_id = ?", eventID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read places: %w", err)
	}
	c := &placeCounts{byMunicipality: map[int64]int{}}
	for _, p := range rows {
		if p.MunicipalityID == 0 {
			c.total = p.Confirmed
		} else {
			c.byMunicipality[p.MunicipalityID] = p.Confirmed
		}
	}
	return c, nil
}

func checkMunicipality(tx *gorm.DB, id *int64) error {
	if id == nil {
		return nil
	}
	var n int64
	if err := tx.Table("municipalities").Where("id = ?", *id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"municipality_id": "Diese Kommune gibt es nicht."}}
	}
	return nil
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// newCheckinCode returns 64 random bits as 16 hex digits: short enough
// for a small QR code and to type in, too many to guess at the door.
func newCheckinCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random check-in code: %w", err)
	}
	return strings.ToUpper(hex.EncodeToString(b)), nil
}

// Withdraw ends a registration for good at the person's request (erasure):
// an active registration is cancelled and its place goes to the waiting
// list as on Cancel, but without a cancellation mail, since the address
// is about to be erased; then erase runs in the same transaction, so the
// registration is cancelled and erased together or not at all.
func (s *Store) Withdraw(ctx context.Context, id int64, actor audit.Actor, erase func(tx *gorm.DB, r Registration) error) (Registration, error) {
	now := s.now().UTC()
	var r Registration
	promoted := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev, err := lockRegistration(tx, id, &r)
		if err != nil {
			return err
		}
		if r.Status.Active() {
			if err := cancel(tx, &r, now); err != nil {
				return err
			}
			if err := releaseOptions(tx, &ev, r.ID); err != nil {
				return err
			}
			if err := audit.Record(tx, actor, audit.RegistrationCancelled, "registration", r.ID, &r.EventID, "Löschung beantragt"); err != nil {
				return err
			}
			if promoted, err = fillFromWaitlist(tx, &ev, now); err != nil {
				return err
			}
		}
		return erase(tx, r)
	})
	if err != nil {
		return r, fmt.Errorf("withdraw registration %d: %w", id, err)
	}
	if promoted > 0 {
		s.onQueued()
	}
	return r, nil
}
