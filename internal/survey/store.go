package survey

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// Errors of the survey.
var (
	ErrNotFound     = problem.New(problem.NotFound, "Diese Frage gibt es nicht.")
	ErrNoSurvey     = problem.New(problem.NotFound, "Für diese Veranstaltung gibt es noch keine Befragung.")
	ErrUnknownLink  = problem.New(problem.NotFound, "Diesen Link zur Befragung kennen wir nicht. Bitte prüfen Sie, ob er vollständig aus der E-Mail übernommen wurde.")
	ErrAnswered     = problem.New(problem.Conflict, "Mit diesem Link wurde der Fragebogen bereits ausgefüllt. Jeder Link gilt für eine Antwort; vielen Dank für Ihre Rückmeldung!")
	ErrEnded        = problem.New(problem.Gone, "Die Befragung ist beendet.")
	errNotSent      = problem.New(problem.Conflict, "Die Befragung ist noch nicht versendet.")
	errNotScheduled = problem.New(problem.Conflict, "Bitte legen Sie zuerst fest, von wann bis wann die Befragung läuft.")
	ErrLocked       = problem.New(problem.Conflict, "Die Befragung ist schon versendet; der Fragebogen lässt sich nicht mehr ändern, damit alle Antworten dieselben Fragen beantworten.")
)

// Store keeps questionnaires, invitations and anonymous answers.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// WithClock returns the store reading the time from now.
func (s *Store) WithClock(now func() time.Time) *Store { return &Store{db: s.db, now: now} }

// invitation is one person asked; Used says that they answered.
type invitation struct {
	ID             int64
	EventID        int64
	RegistrationID int64
	Used           bool
	Reminded       bool
}

func (invitation) TableName() string { return "feedback_invitations" }

type link struct {
	TokenHash    string `gorm:"primaryKey"`
	InvitationID int64
}

func (link) TableName() string { return "feedback_links" }

// responseRow is a stored submission: a random id, the meeting, the
// answers as JSON. Nothing else, on purpose.
type responseRow struct {
	ID      string `gorm:"primaryKey"`
	EventID int64
	Answers string
}

func (responseRow) TableName() string { return "feedback_responses" }

// Input is a question as the organiser writes it.
type Input struct {
	Kind      Kind     `json:"kind"`
	Label     string   `json:"label"`
	Required  bool     `json:"required"`
	LowLabel  string   `json:"low_label"`
	HighLabel string   `json:"high_label"`
	Options   []string `json:"options"`
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (in *Input) validate() error {
	var v problem.Validation
	in.Label, in.LowLabel, in.HighLabel = oneLine(in.Label), oneLine(in.LowLabel), oneLine(in.HighLabel)
	switch {
	case in.Label == "":
		v.Add("label", "Bitte geben Sie die Frage ein.")
	case utf8.RuneCountInString(in.Label) > 300:
		v.Add("label", "Bitte höchstens 300 Zeichen.")
	}
	if !in.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie die Art der Antwort.")
	}
	if in.Kind == Rating {
		if utf8.RuneCountInString(in.LowLabel) > 60 || utf8.RuneCountInString(in.HighLabel) > 60 {
			v.Add("ends", "Bitte höchstens 60 Zeichen je Ende der Skala.")
		}
	} else {
		in.LowLabel, in.HighLabel = "", ""
	}
	if !in.Kind.HasOptions() {
		in.Options = nil
		return v.Err()
	}
	var kept []string
	for _, o := range in.Options {
		o = oneLine(o)
		switch {
		case o == "":
			continue
		case utf8.RuneCountInString(o) > 200:
			v.Add("options", "„"+string([]rune(o)[:20])+"…“: Bitte höchstens 200 Zeichen je Möglichkeit.")
		case slices.ContainsFunc(kept, func(k string) bool { return strings.EqualFold(k, o) }):
			v.Add("options", "„"+o+"“ steht doppelt in der Liste.")
		}
		kept = append(kept, o)
	}
	if len(kept) < 2 {
		v.Add("options", "Bitte geben Sie mindestens zwei Möglichkeiten an, eine je Zeile.")
	}
	in.Options = kept
	return v.Err()
}

func (in Input) question(eventID int64, position int, now time.Time) Question {
	return Question{EventID: eventID, Kind: in.Kind, Label: in.Label, Required: in.Required, LowLabel: in.LowLabel,
		HighLabel: in.HighLabel, OptionText: strings.Join(in.Options, "\n"), Position: position, CreatedAt: now, UpdatedAt: now}
}

// InputOf is the editable form of q.
func InputOf(q Question) Input {
	return Input{Kind: q.Kind, Label: q.Label, Required: q.Required, LowLabel: q.LowLabel, HighLabel: q.HighLabel, Options: q.Options()}
}

// Questions returns the meeting's questionnaire in order.
func (s *Store) Questions(ctx context.Context, eventID int64) ([]Question, error) {
	qs, err := questions(s.db.WithContext(ctx), eventID)
	if err != nil {
		return nil, fmt.Errorf("feedback questions of event %d: %w", eventID, err)
	}
	return qs, nil
}

func questions(db *gorm.DB, eventID int64) ([]Question, error) {
	var qs []Question
	err := db.Where("event_id = ?", eventID).Order("position, id").Find(&qs).Error
	return qs, err
}

// Question returns one question of the meeting.
func (s *Store) Question(ctx context.Context, eventID, id int64) (Question, error) {
	var q Question
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&q, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return q, ErrNotFound
	}
	return q, err
}

// QuestionCounts returns the number of questions per meeting that has
// any, for copying a questionnaire.
func (s *Store) QuestionCounts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		EventID int64
		N       int
	}
	if err := s.db.WithContext(ctx).Model(&Question{}).Select("event_id, count(*) AS n").Group("event_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("feedback question counts: %w", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.EventID] = r.N
	}
	return out, nil
}

// editable fails once the meeting's survey was sent.
func editable(tx *gorm.DB, eventID int64) error {
	var sent int64
	if err := tx.Model(&Survey{}).Where("event_id = ? AND sent_at IS NOT NULL", eventID).Count(&sent).Error; err != nil {
		return err
	}
	if sent > 0 {
		return ErrLocked
	}
	return nil
}

func lastPosition(tx *gorm.DB, eventID int64) (int, error) {
	var last int
	err := tx.Model(&Question{}).Where("event_id = ?", eventID).Select("coalesce(max(position), 0)").Scan(&last).Error
	return last, err
}

// Save creates a question at the end of the questionnaire (id 0) or
// changes question id.
func (s *Store) Save(ctx context.Context, eventID, id int64, in Input) (Question, error) {
	if err := in.validate(); err != nil {
		return Question{}, err
	}
	now := s.now().UTC()
	var q Question
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := editable(tx, eventID); err != nil {
			return err
		}
		if id == 0 {
			last, err := lastPosition(tx, eventID)
			if err != nil {
				return err
			}
			q = in.question(eventID, last+1, now)
			return tx.Create(&q).Error
		}
		if err := tx.Where("event_id = ?", eventID).First(&q, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		n := in.question(eventID, q.Position, now)
		n.ID, n.CreatedAt = q.ID, q.CreatedAt
		q = n
		return tx.Save(&q).Error
	})
	if err != nil {
		return q, fmt.Errorf("save feedback question of event %d: %w", eventID, err)
	}
	return q, nil
}

// Delete removes a question from a questionnaire not yet sent.
func (s *Store) Delete(ctx context.Context, eventID, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := editable(tx, eventID); err != nil {
			return err
		}
		res := tx.Where("event_id = ? AND id = ?", eventID, id).Delete(&Question{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return fmt.Errorf("delete feedback question %d: %w", id, err)
	}
	return nil
}

// Move swaps a question with its neighbour above (up) or below.
func (s *Store) Move(ctx context.Context, eventID, id int64, up bool) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := editable(tx, eventID); err != nil {
			return err
		}
		qs, err := questions(tx, eventID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(qs, func(q Question) bool { return q.ID == id })
		if i < 0 {
			return ErrNotFound
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(qs) {
			return nil
		}
		qs[i], qs[j] = qs[j], qs[i]
		for k, q := range qs {
			if err := tx.Model(&Question{}).Where("id = ?", q.ID).Update("position", k+1).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move feedback question %d: %w", id, err)
	}
	return nil
}

// append adds questions at the end of a questionnaire not yet sent.
func (s *Store) append(ctx context.Context, eventID int64, ins []Input) (int, error) {
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := editable(tx, eventID); err != nil {
			return err
		}
		last, err := lastPosition(tx, eventID)
		if err != nil {
			return err
		}
		for i, in := range ins {
			if err := in.validate(); err != nil {
				return err
			}
			q := in.question(eventID, last+i+1, now)
			if err := tx.Create(&q).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add feedback questions to event %d: %w", eventID, err)
	}
	return len(ins), nil
}

// AddDefaults appends the questionnaire for a Lernnetzwerktreffen.
func (s *Store) AddDefaults(ctx context.Context, eventID int64) (int, error) {
	return s.append(ctx, eventID, Defaults())
}

// Copy appends the questions of meeting from to meeting to.
func (s *Store) Copy(ctx context.Context, to, from int64) (int, error) {
	if to == from {
		return 0, problem.New(problem.Invalid, "Bitte wählen Sie eine andere Veranstaltung.")
	}
	src, err := s.Questions(ctx, from)
	if err != nil {
		return 0, err
	}
	ins := make([]Input, len(src))
	for i, q := range src {
		ins[i] = InputOf(q)
	}
	return s.append(ctx, to, ins)
}

// Get returns the meeting's survey.
func (s *Store) Get(ctx context.Context, eventID int64) (Survey, error) {
	var sv Survey
	err := s.db.WithContext(ctx).Where("event_id = ?", eventID).First(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sv, ErrNoSurvey
	}
	if err != nil {
		return sv, fmt.Errorf("feedback survey of event %d: %w", eventID, err)
	}
	return sv, nil
}

// Schedule sets when the survey runs: it opens after the meeting's last
// day (lastDay) and closes on or after the day it opens; an automatic
// reminder falls after the opening day.
func (s *Store) Schedule(ctx context.Context, eventID int64, lastDay day.Date, p Period) (Survey, error) {
	var v problem.Validation
	switch {
	case p.OpensOn.IsZero():
		v.Add("opens_on", "Bitte geben Sie an, ab wann die Befragung läuft.")
	case !p.OpensOn.After(lastDay):
		v.Add("opens_on", "Die Befragung beginnt frühestens am Tag nach der Veranstaltung ("+lastDay.German()+").")
	}
	switch {
	case p.ClosesOn.IsZero():
		v.Add("closes_on", "Bitte geben Sie an, bis wann die Befragung läuft.")
	case !p.OpensOn.IsZero() && p.ClosesOn.Before(p.OpensOn):
		v.Add("closes_on", "Das Ende liegt vor dem Beginn.")
	}
	switch {
	case !slices.Contains(RemindChoices, p.RemindDaysBefore):
		v.Add("remind_days_before", "Bitte wählen Sie eine der angebotenen Erinnerungen.")
	case p.RemindDaysBefore > 0 && !p.OpensOn.IsZero() && !p.ClosesOn.IsZero() && !p.ClosesOn.AddDays(-p.RemindDaysBefore).After(p.OpensOn):
		v.Add("remind_days_before", fmt.Sprintf("Die Erinnerung fiele auf den %s, nicht nach dem Beginn; bitte wählen Sie weniger Tage oder einen längeren Zeitraum.",
			p.ClosesOn.AddDays(-p.RemindDaysBefore).German()))
	}
	if err := v.Err(); err != nil {
		return Survey{}, err
	}
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sv Survey
		err := tx.Where("event_id = ?", eventID).First(&sv).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return tx.Create(&Survey{EventID: eventID, OpensOn: p.OpensOn, ClosesOn: p.ClosesOn, RemindDaysBefore: p.RemindDaysBefore,
				CreatedAt: now, UpdatedAt: now}).Error
		}
		if err != nil {
			return err
		}
		return tx.Model(&sv).Updates(map[string]any{"opens_on": p.OpensOn, "closes_on": p.ClosesOn,
			"remind_days_before": p.RemindDaysBefore, "updated_at": now}).Error
	})
	if err != nil {
		return Survey{}, fmt.Errorf("schedule feedback survey of event %d: %w", eventID, err)
	}
	return s.Get(ctx, eventID)
}

// surveyIn reads the meeting's survey inside tx; missing is the answer
// when there is none.
func surveyIn(tx *gorm.DB, eventID int64, missing error) (Survey, error) {
	var sv Survey
	err := tx.Where("event_id = ?", eventID).First(&sv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return sv, missing
	}
	return sv, err
}

// recipient is a person to ask.
type recipient struct {
	ID    int64
	Email string
}

// recipients are those who were at the meeting: the people checked in
// when check-in was used, otherwise the confirmed registrations.
func recipients(tx *gorm.DB, eventID int64) ([]recipient, error) {
	var out []recipient
	err := tx.Raw(`SELECT DISTINCT r.id, r.email FROM registrations r JOIN check_ins c ON c.registration_id = r.id
		WHERE r.event_id = ? ORDER BY r.id`, eventID).Scan(&out).Error
	if err != nil || len(out) > 0 {
		return out, err
	}
	err = tx.Raw(`SELECT id, email FROM registrations WHERE event_id = ? AND status = 'confirmed' ORDER BY id`, eventID).Scan(&out).Error
	return out, err
}

// Send mails the survey to everyone who was at the meeting and was not
// asked yet, and returns how many it asks now. Answers are taken from
// the opening day on.
func (s *Store) Send(ctx context.Context, eventID int64) (int, error) {
	now := s.now().UTC()
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sv, err := surveyIn(tx, eventID, errNotScheduled)
		if err != nil {
			return err
		}
		if sv.Ended(now) {
			return problem.New(problem.Conflict, "Die Befragung ist beendet; bitte verschieben Sie zuerst das Ende.")
		}
		qs, err := questions(tx, eventID)
		if err != nil {
			return err
		}
		if len(qs) == 0 {
			return problem.New(problem.Conflict, "Der Fragebogen hat noch keine Fragen.")
		}
		people, err := recipients(tx, eventID)
		if err != nil {
			return err
		}
		for _, p := range people {
			inv := invitation{EventID: eventID, RegistrationID: p.ID}
			res := tx.Where("event_id = ? AND registration_id = ?", eventID, p.ID).FirstOrCreate(&inv)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue // asked before
			}
			if err := outbox.Enqueue(tx, outbox.FeedbackRequest, eventID, p.ID, p.Email, now); err != nil {
				return err
			}
			n++
		}
		if sv.SentAt == nil {
			return tx.Model(&sv).Update("sent_at", now).Error
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("send feedback survey of event %d: %w", eventID, err)
	}
	return n, nil
}

// Remind mails the reminder to everyone asked who has not answered and
// was not reminded before, and returns how many.
func (s *Store) Remind(ctx context.Context, eventID int64) (int, error) {
	return s.remind(ctx, eventID, s.now().UTC(), false)
}

// RemindDue sends the automatic reminders due at now, for every survey
// that has one, and returns how many mails it queued. One survey's
// failure does not hold up the others; a reminder sent by hand before
// stands in for the automatic one.
func (s *Store) RemindDue(ctx context.Context, now time.Time) (int, error) {
	// Surveys that ended are no candidates: the years of past ones cost
	// the round nothing. Dates are stored as YYYY-MM-DD, so text order is
	// date order.
	var candidates []Survey
	err := s.db.WithContext(ctx).Where("remind_days_before > 0 AND sent_at IS NOT NULL AND reminded_at IS NULL AND closes_on >= ?",
		day.Today(now).String()).Order("event_id").Find(&candidates).Error
	if err != nil {
		return 0, fmt.Errorf("list feedback surveys to remind: %w", err)
	}
	total := 0
	var errs []error
	for _, sv := range candidates {
		if !sv.AutoReminderDue(now) {
			continue
		}
		n, err := s.remind(ctx, sv.EventID, now.UTC(), true)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		total += n
	}
	return total, errors.Join(errs...)
}

// remind queues the reminders; auto checks again, inside the
// transaction, that the automatic reminder is still due.
func (s *Store) remind(ctx context.Context, eventID int64, now time.Time, auto bool) (int, error) {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sv, err := surveyIn(tx, eventID, errNotSent)
		if err != nil {
			return err
		}
		switch {
		case auto && !sv.AutoReminderDue(now):
			return nil
		case !sv.Sent():
			return errNotSent
		case sv.Ended(now):
			return ErrEnded
		}
		var due []recipient
		err = tx.Raw(`SELECT r.id, r.email FROM feedback_invitations i JOIN registrations r ON r.id = i.registration_id
			WHERE i.event_id = ? AND NOT i.used AND NOT i.reminded ORDER BY r.id`, eventID).Scan(&due).Error
		if err != nil {
			return err
		}
		for _, p := range due {
			res := tx.Model(&invitation{}).Where("event_id = ? AND registration_id = ? AND NOT used AND NOT reminded", eventID, p.ID).
				Update("reminded", true)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			if err := outbox.Enqueue(tx, outbox.FeedbackReminder, eventID, p.ID, p.Email, now); err != nil {
				return err
			}
			n++
		}
		return tx.Model(&sv).Update("reminded_at", now).Error
	})
	if err != nil {
		return 0, fmt.Errorf("remind of feedback survey of event %d: %w", eventID, err)
	}
	return n, nil
}

// IssueLink makes a new link for a person's survey mail and returns its
// token; only its hash is stored. A person who answered gets none
// (ErrAnswered).
func (s *Store) IssueLink(ctx context.Context, eventID, registrationID int64) (string, error) {
	var token string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var inv invitation
		if err := tx.Where("event_id = ? AND registration_id = ?", eventID, registrationID).First(&inv).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrUnknownLink
			}
			return err
		}
		if inv.Used {
			return ErrAnswered
		}
		var err error
		if token, err = secret.Token(); err != nil {
			return err
		}
		return tx.Create(&link{TokenHash: secret.Hash(token), InvitationID: inv.ID}).Error
	})
	if err != nil {
		return "", fmt.Errorf("issue feedback link for registration %d: %w", registrationID, err)
	}
	return token, nil
}

// Form is what a survey link opens.
type Form struct {
	Survey    Survey
	Questions []Question
}

// byToken resolves a link to its invitation.
func byToken(tx *gorm.DB, token string) (invitation, error) {
	var inv invitation
	if token == "" {
		return inv, ErrUnknownLink
	}
	err := tx.Table("feedback_invitations i").Select("i.*").Joins("JOIN feedback_links l ON l.invitation_id = i.id").
		Where("l.token_hash = ?", secret.Hash(token)).Take(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return inv, ErrUnknownLink
	}
	return inv, err
}

// check says whether a survey takes answers now.
func check(sv Survey, now time.Time) error {
	switch today := day.Today(now); {
	case sv.Ended(now):
		return ErrEnded
	case today.Before(sv.OpensOn):
		return problem.New(problem.Conflict, "Die Befragung beginnt am "+sv.OpensOn.German()+". Bitte öffnen Sie den Link ab diesem Tag noch einmal.")
	}
	return nil
}

// Open returns the questionnaire behind a link that may still answer.
func (s *Store) Open(ctx context.Context, token string) (Form, error) {
	db := s.db.WithContext(ctx)
	inv, err := byToken(db, token)
	if err != nil {
		return Form{}, err
	}
	var f Form
	if err := db.Where("event_id = ?", inv.EventID).First(&f.Survey).Error; err != nil {
		return f, fmt.Errorf("feedback survey of event %d: %w", inv.EventID, err)
	}
	if err := check(f.Survey, s.now()); err != nil {
		return f, err
	}
	if inv.Used {
		return f, ErrAnswered
	}
	if f.Questions, err = questions(db, inv.EventID); err != nil {
		return f, fmt.Errorf("feedback questions of event %d: %w", inv.EventID, err)
	}
	return f, nil
}

// Submit stores the answers given through a link, once: marking the
// link's invitation used and storing the answers are one transaction,
// so a second submission, also a concurrent one, is refused
// (ErrAnswered). The stored answers carry a random id and nothing of
// the person, the link or the time.
func (s *Store) Submit(ctx context.Context, token string, given Answers) error {
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inv, err := byToken(tx, token)
		if err != nil {
			return err
		}
		// One submission per meeting at a time: the rewrite below reads
		// and replaces all the meeting's answers.
		if err := tx.Exec("UPDATE feedback_surveys SET id = id WHERE event_id = ?", inv.EventID).Error; err != nil {
			return err
		}
		var sv Survey
		if err := tx.Where("event_id = ?", inv.EventID).First(&sv).Error; err != nil {
			return err
		}
		if err := check(sv, now); err != nil {
			return err
		}
		qs, err := questions(tx, inv.EventID)
		if err != nil {
			return err
		}
		clean, err := validateAnswers(qs, given)
		if err != nil {
			return err
		}
		res := tx.Model(&invitation{}).Where("id = ? AND NOT used", inv.ID).Update("used", true)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAnswered
		}
		return addResponse(tx, inv.EventID, clean)
	})
	if err != nil {
		return fmt.Errorf("submit feedback: %w", err)
	}
	return nil
}

// addResponse stores a submission under a random id and rewrites the
// meeting's answers in id order. PostgreSQL keeps rows in the order they
// were written and stamps each with the writing transaction (xmin), the
// same one that marked the invitation used; rewritten, all rows share
// the latest transaction and lie in the order of their random ids.
func addResponse(tx *gorm.DB, eventID int64, a Answers) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	id, err := randomID()
	if err != nil {
		return err
	}
	var rows []responseRow
	if err := tx.Where("event_id = ?", eventID).Find(&rows).Error; err != nil {
		return err
	}
	rows = append(rows, responseRow{ID: id, EventID: eventID, Answers: string(raw)})
	slices.SortFunc(rows, func(x, y responseRow) int { return strings.Compare(x.ID, y.ID) })
	if err := tx.Where("event_id = ?", eventID).Delete(&responseRow{}).Error; err != nil {
		return err
	}
	return tx.CreateInBatches(rows, 200).Error
}

// randomID is 16 random bytes in hex.
func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// FieldName is the form field of question id.
func FieldName(id int64) string { return "q_" + strconv.FormatInt(id, 10) }

// validateAnswers keeps the answers to qs, trimmed, and checks them;
// messages are keyed by FieldName.
func validateAnswers(qs []Question, given Answers) (Answers, error) {
	var v problem.Validation
	out := Answers{}
	for _, q := range qs {
		var vals []string
		for _, x := range given[q.ID] {
			if x = strings.TrimSpace(x); x != "" {
				vals = append(vals, x)
			}
		}
		f := q.Field()
		if len(vals) == 0 {
			if q.Required {
				v.Add(f, "Bitte beantworten Sie diese Frage.")
			}
			continue
		}
		switch q.Kind {
		case Rating:
			n, err := strconv.Atoi(vals[0])
			if len(vals) > 1 || err != nil || n < 1 || n > 5 {
				v.Add(f, "Bitte wählen Sie einen Wert von 1 bis 5.")
				continue
			}
		case Single, Multiple:
			if q.Kind == Single && len(vals) > 1 {
				v.Add(f, "Bitte wählen Sie nur eine Möglichkeit.")
				continue
			}
			opts := q.Options()
			bad := slices.ContainsFunc(vals, func(x string) bool { return !slices.Contains(opts, x) })
			slices.Sort(vals)
			if bad || len(slices.Compact(slices.Clone(vals))) != len(vals) {
				v.Add(f, "Bitte wählen Sie aus den angebotenen Möglichkeiten.")
				continue
			}
		case Text:
			vals = vals[:1]
			if utf8.RuneCountInString(vals[0]) > 5000 {
				v.Add(f, "Bitte höchstens 5000 Zeichen.")
				continue
			}
		}
		out[q.ID] = vals
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Responses returns the meeting's stored submissions, in the order of
// their random ids.
func (s *Store) Responses(ctx context.Context, eventID int64) ([]Response, error) {
	var rows []responseRow
	if err := s.db.WithContext(ctx).Where("event_id = ?", eventID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("feedback answers of event %d: %w", eventID, err)
	}
	out := make([]Response, len(rows))
	for i, r := range rows {
		out[i].ID = r.ID
		if err := json.Unmarshal([]byte(r.Answers), &out[i].Answers); err != nil {
			return nil, fmt.Errorf("feedback answers %s: %w", r.ID, err)
		}
	}
	return out, nil
}

// Counts returns how many the survey asked, reminded and heard from.
func (s *Store) Counts(ctx context.Context, eventID int64) (Counts, error) {
	var c Counts
	err := s.db.WithContext(ctx).Model(&invitation{}).Where("event_id = ?", eventID).
		Select("count(*) AS invited, coalesce(sum(CASE WHEN reminded THEN 1 ELSE 0 END), 0) AS reminded").Scan(&c).Error
	if err != nil {
		return c, fmt.Errorf("feedback counts of event %d: %w", eventID, err)
	}
	var answered int64
	if err := s.db.WithContext(ctx).Model(&responseRow{}).Where("event_id = ?", eventID).Count(&answered).Error; err != nil {
		return c, fmt.Errorf("feedback counts of event %d: %w", eventID, err)
	}
	c.Answered = int(answered)
	return c, nil
}

// Link issues a link for a person's survey mail (IssueLink) and returns
// it with the survey's last day, which the mail names.
func (s *Store) Link(ctx context.Context, eventID, registrationID int64) (string, day.Date, error) {
	sv, err := s.Get(ctx, eventID)
	if err != nil {
		return "", day.Date{}, err
	}
	token, err := s.IssueLink(ctx, eventID, registrationID)
	return token, sv.ClosesOn, err
}
