package question

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// ErrNotFound is a question the meeting does not have.
var ErrNotFound = problem.New(problem.NotFound, "Diese Frage gibt es nicht.")

// Store reads and edits a meeting's questions and reads answers.
// Answers are written by the registration store, in its transactions,
// through the functions at the end of this file.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, now: time.Now} }

// Input is a question as the organiser writes it.
type Input struct {
	Kind              Kind          `json:"kind"`
	Label             string        `json:"label"`
	Help              string        `json:"help"`
	Required          bool          `json:"required"`
	InParticipantList bool          `json:"in_participant_list"`
	Options           []OptionInput `json:"options"`
}

// OptionInput is one option as the organiser writes it. An existing
// option keeps its id (and its places taken); options left out are
// removed from the form.
type OptionInput struct {
	ID       int64  `json:"id,omitempty"`
	Label    string `json:"label"`
	Capacity *int   `json:"capacity"`
}

func (in *Input) validate() error {
	var v problem.Validation
	in.Label = strings.Join(strings.Fields(in.Label), " ")
	in.Help = strings.TrimSpace(in.Help)
	switch {
	case in.Label == "":
		v.Add("label", "Bitte geben Sie die Frage ein.")
	case utf8.RuneCountInString(in.Label) > 300:
		v.Add("label", "Bitte höchstens 300 Zeichen.")
	}
	if utf8.RuneCountInString(in.Help) > 1000 {
		v.Add("help", "Bitte höchstens 1000 Zeichen.")
	}
	if !in.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie die Art der Antwort.")
	}
	if !in.Kind.HasOptions() {
		in.Options = nil
		return v.Err()
	}
	var kept []OptionInput
	seen := map[string]bool{}
	for i, o := range in.Options {
		o.Label = strings.Join(strings.Fields(o.Label), " ")
		row := "Möglichkeit " + strconv.Itoa(i+1) + ": "
		switch {
		case o.Label == "" && o.ID == 0:
			if o.Capacity != nil {
				v.Add("options", row+"Bitte geben Sie einen Text an.")
			}
			continue // an empty new row is no option
		case o.Label == "":
			v.Add("options", row+"Bitte geben Sie einen Text an.")
		case utf8.RuneCountInString(o.Label) > 200:
			v.Add("options", row+"Bitte höchstens 200 Zeichen.")
		case seen[strings.ToLower(o.Label)]:
			v.Add("options", row+"„"+o.Label+"“ steht schon weiter oben.")
		}
		if o.Capacity != nil && *o.Capacity < 0 {
			v.Add("options", row+"Die Plätze dürfen nicht negativ sein.")
		}
		seen[strings.ToLower(o.Label)] = true
		kept = append(kept, o)
	}
	if len(kept) == 0 {
		v.Add("options", "Bitte geben Sie mindestens eine Möglichkeit an.")
	}
	in.Options = kept
	return v.Err()
}

// List returns the meeting's live questions with their live options, in
// form order.
func (s *Store) List(ctx context.Context, eventID int64) ([]Question, error) {
	qs, err := Live(s.db.WithContext(ctx), eventID)
	if err != nil {
		return nil, fmt.Errorf("questions of event %d: %w", eventID, err)
	}
	return qs, nil
}

// Get returns a live question of the meeting.
func (s *Store) Get(ctx context.Context, eventID, id int64) (Question, error) {
	return get(s.db.WithContext(ctx), eventID, id)
}

func get(db *gorm.DB, eventID, id int64) (Question, error) {
	var q Question
	err := db.Preload("Options", liveOptions).Where("event_id = ? AND deleted_at IS NULL", eventID).First(&q, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return q, ErrNotFound
	}
	return q, err
}

func liveOptions(db *gorm.DB) *gorm.DB { return db.Where("deleted_at IS NULL").Order("position, id") }

// Create adds a question at the end of the meeting's form.
func (s *Store) Create(ctx context.Context, eventID int64, in Input) (Question, error) {
	if err := in.validate(); err != nil {
		return Question{}, err
	}
	now := s.now().UTC()
	var q Question
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int
		if err := tx.Model(&Question{}).Where("event_id = ? AND deleted_at IS NULL", eventID).
			Select("coalesce(max(position), 0)").Scan(&last).Error; err != nil {
			return err
		}
		q = Question{EventID: eventID, Kind: in.Kind, Label: in.Label, Help: in.Help, Required: in.Required,
			InParticipantList: in.InParticipantList, Position: last + 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Options").Create(&q).Error; err != nil {
			return err
		}
		if err := saveOptions(tx, q, in.Options, now); err != nil {
			return err
		}
		return recount(tx, eventID)
	})
	if err != nil {
		return q, fmt.Errorf("create question for event %d: %w", eventID, err)
	}
	return s.Get(ctx, eventID, q.ID)
}

// Update changes a question. Its kind stays once it has answers: the
// answers given would no longer fit.
func (s *Store) Update(ctx context.Context, eventID, id int64, in Input) (Question, error) {
	if err := in.validate(); err != nil {
		return Question{}, err
	}
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := get(tx, eventID, id)
		if err != nil {
			return err
		}
		if q.Kind != in.Kind {
			var n int64
			if err := tx.Model(&Answer{}).Where("question_id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
					Fields: map[string]string{"kind": "Die Art der Antwort lässt sich nicht mehr ändern: es gibt schon Antworten. Legen Sie stattdessen eine neue Frage an."}}
			}
		}
		for _, o := range in.Options {
			if o.ID != 0 && !slices.ContainsFunc(q.Options, func(x Option) bool { return x.ID == o.ID }) {
				return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
					Fields: map[string]string{"options": "Die Möglichkeit " + strconv.FormatInt(o.ID, 10) + " gehört nicht zu dieser Frage."}}
			}
		}
		err = tx.Model(&q).Select("kind", "label", "help", "required", "in_participant_list", "updated_at").Updates(Question{
			Kind: in.Kind, Label: in.Label, Help: in.Help, Required: in.Required, InParticipantList: in.InParticipantList, UpdatedAt: now}).Error
		if err != nil {
			return err
		}
		return saveOptions(tx, q, in.Options, now)
	})
	if err != nil {
		return Question{}, fmt.Errorf("update question %d: %w", id, err)
	}
	return s.Get(ctx, eventID, id)
}

// saveOptions makes the question's live options those of in, in that
// order: existing ones are updated (their places taken stay), new ones
// added, the rest marked deleted so answers that chose them stay
// readable.
func saveOptions(tx *gorm.DB, q Question, in []OptionInput, now time.Time) error {
	keep := []int64{0}
	for i, o := range in {
		if o.ID != 0 {
			keep = append(keep, o.ID)
			err := tx.Model(&Option{}).Where("id = ? AND question_id = ?", o.ID, q.ID).
				Updates(map[string]any{"label": o.Label, "capacity": o.Capacity, "position": i + 1}).Error
			if err != nil {
				return err
			}
			continue
		}
		row := Option{QuestionID: q.ID, Label: o.Label, Capacity: o.Capacity, Position: i + 1}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		keep = append(keep, row.ID)
	}
	return tx.Model(&Option{}).Where("question_id = ? AND deleted_at IS NULL AND id NOT IN ?", q.ID, keep).
		Update("deleted_at", now).Error
}

// Delete takes a question off the form; answers given stay readable.
func (s *Store) Delete(ctx context.Context, eventID, id int64) error {
	now := s.now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := get(tx, eventID, id); err != nil {
			return err
		}
		if err := tx.Model(&Question{}).Where("id = ?", id).Update("deleted_at", now).Error; err != nil {
			return err
		}
		return recount(tx, eventID)
	})
	if err != nil {
		return fmt.Errorf("delete question %d: %w", id, err)
	}
	return nil
}

// Move swaps a question with its live neighbour above (up) or below.
func (s *Store) Move(ctx context.Context, eventID, id int64, up bool) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		qs, err := Live(tx, eventID)
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
			return nil // already first or last
		}
		qs[i], qs[j] = qs[j], qs[i]
		for k, q := range qs {
			if q.Position != k+1 {
				if err := tx.Model(&Question{}).Where("id = ?", q.ID).Update("position", k+1).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move question %d: %w", id, err)
	}
	return nil
}

// Copy appends the live questions of meeting from (with their options,
// no places taken) to meeting to and returns how many.
func (s *Store) Copy(ctx context.Context, to, from int64) (int, error) {
	if to == from {
		return 0, problem.New(problem.Invalid, "Bitte wählen Sie eine andere Veranstaltung.")
	}
	now := s.now().UTC()
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		src, err := Live(tx, from)
		if err != nil {
			return err
		}
		var last int
		if err := tx.Model(&Question{}).Where("event_id = ? AND deleted_at IS NULL", to).
			Select("coalesce(max(position), 0)").Scan(&last).Error; err != nil {
			return err
		}
		for i, q := range src {
			c := Question{EventID: to, Kind: q.Kind, Label: q.Label, Help: q.Help, Required: q.Required,
				InParticipantList: q.InParticipantList, Position: last + i + 1, CreatedAt: now, UpdatedAt: now}
			if err := tx.Omit("Options").Create(&c).Error; err != nil {
				return err
			}
			opts := make([]OptionInput, len(q.Options))
			for k, o := range q.Options {
				opts[k] = OptionInput{Label: o.Label, Capacity: o.Capacity}
			}
			if err := saveOptions(tx, c, opts, now); err != nil {
				return err
			}
		}
		n = len(src)
		return recount(tx, to)
	})
	if err != nil {
		return 0, fmt.Errorf("copy questions from event %d to %d: %w", from, to, err)
	}
	return n, nil
}

// recount sets the meeting's number of live questions, which a
// registration reads with the meeting's row. Updating the row also
// waits for registrations holding the meeting's lock.
func recount(tx *gorm.DB, eventID int64) error {
	return tx.Exec("UPDATE events SET question_count = (SELECT count(*) FROM questions WHERE event_id = ? AND deleted_at IS NULL) WHERE id = ?",
		eventID, eventID).Error
}

// Sheet returns the meeting's questions (live ones and deleted ones that
// have answers) and the answers of all its registrations.
func (s *Store) Sheet(ctx context.Context, eventID int64) (Sheet, error) {
	db := s.db.WithContext(ctx)
	sh := Sheet{answers: map[int64]map[int64][]Answer{}}
	var rows []Answer
	err := db.Table("answers a").Select("a.*").
		Joins("JOIN questions q ON q.id = a.question_id").
		Joins("LEFT JOIN question_options o ON o.id = a.option_id").
		Where("q.event_id = ?", eventID).Order("a.registration_id, o.position, a.id").Scan(&rows).Error
	if err != nil {
		return sh, fmt.Errorf("answers of event %d: %w", eventID, err)
	}
	answered := map[int64]bool{}
	for _, r := range rows {
		byQ := sh.answers[r.RegistrationID]
		if byQ == nil {
			byQ = map[int64][]Answer{}
			sh.answers[r.RegistrationID] = byQ
		}
		byQ[r.QuestionID] = append(byQ[r.QuestionID], r)
		answered[r.QuestionID] = true
	}
	var qs []Question
	if err := db.Preload("Options", func(db *gorm.DB) *gorm.DB { return db.Order("position, id") }).
		Where("event_id = ?", eventID).Order("position, id").Find(&qs).Error; err != nil {
		return sh, fmt.Errorf("questions of event %d: %w", eventID, err)
	}
	for _, q := range qs {
		if q.Live() || answered[q.ID] {
			sh.Questions = append(sh.Questions, q)
		}
	}
	return sh, nil
}

// Answers returns a registration's answers in form order.
func (s *Store) Answers(ctx context.Context, registrationID int64) ([]Answer, error) {
	as, err := Held(s.db.WithContext(ctx), registrationID)
	if err != nil {
		return nil, fmt.Errorf("answers of registration %d: %w", registrationID, err)
	}
	return as, nil
}

// The functions below run inside the registration store's transactions,
// after the meeting's row is locked.

// Live returns the meeting's live questions with their live options.
func Live(tx *gorm.DB, eventID int64) ([]Question, error) {
	var qs []Question
	err := tx.Preload("Options", liveOptions).Where("event_id = ? AND deleted_at IS NULL", eventID).
		Order("position, id").Find(&qs).Error
	return qs, err
}

// Held returns a registration's stored answers.
func Held(tx *gorm.DB, registrationID int64) ([]Answer, error) {
	var as []Answer
	err := tx.Table("answers a").Select("a.*").
		Joins("JOIN questions q ON q.id = a.question_id").
		Joins("LEFT JOIN question_options o ON o.id = a.option_id").
		Where("a.registration_id = ?", registrationID).Order("q.position, q.id, o.position, a.id").Scan(&as).Error
	return as, err
}

// Take moves a registration's option places from the options it held to
// those it chose: places of options no longer chosen are given back,
// places of newly chosen ones taken, each only while one is free. Every
// registration that is not cancelled holds a place of each option it
// chose (also on the waiting list: the place is promised with the
// registration); Release gives them back on cancellation. The caller
// holds the meeting's lock; the conditional update decides on its own as
// well, so two takers never both get the last place. A full option is
// an Invalid error with the message at its question.
func Take(tx *gorm.DB, qs []Question, held, chosen []Answer) error {
	// Places of questions no longer on the form stay with their answers.
	held = slices.DeleteFunc(slices.Clone(held), func(a Answer) bool {
		return !slices.ContainsFunc(qs, func(q Question) bool { return q.ID == a.QuestionID })
	})
	had, want := optionIDs(held), optionIDs(chosen)
	var give, take []int64
	for _, id := range had {
		if !slices.Contains(want, id) {
			give = append(give, id)
		}
	}
	for _, id := range want {
		if !slices.Contains(had, id) {
			take = append(take, id)
		}
	}
	if len(give) > 0 {
		if err := tx.Exec("UPDATE question_options SET taken = taken - 1 WHERE id IN ? AND taken > 0", give).Error; err != nil {
			return fmt.Errorf("give back option places: %w", err)
		}
	}
	if len(take) == 0 {
		return nil
	}
	var got []int64
	err := tx.Raw(`UPDATE question_options SET taken = taken + 1
		WHERE id IN ? AND deleted_at IS NULL AND (capacity IS NULL OR taken < capacity) RETURNING id`, take).Scan(&got).Error
	if err != nil {
		return fmt.Errorf("take option places: %w", err)
	}
	if len(got) == len(take) {
		return nil
	}
	var v problem.Validation
	for _, a := range chosen {
		if a.OptionID != nil && slices.Contains(take, *a.OptionID) && !slices.Contains(got, *a.OptionID) {
			v.Add(FieldName(a.QuestionID), FullMessage(a.Value))
		}
	}
	return v.Err()
}

func optionIDs(as []Answer) []int64 {
	var out []int64
	for _, a := range as {
		if a.OptionID != nil {
			out = append(out, *a.OptionID)
		}
	}
	return out
}

// Replace stores a registration's answers to the questions qs in place
// of those it had; answers to deleted questions stay.
func Replace(tx *gorm.DB, registrationID int64, qs []Question, as []Answer) error {
	ids := make([]int64, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	if len(ids) > 0 {
		if err := tx.Where("registration_id = ? AND question_id IN ?", registrationID, ids).Delete(&Answer{}).Error; err != nil {
			return fmt.Errorf("delete answers: %w", err)
		}
	}
	if len(as) == 0 {
		return nil
	}
	rows := make([]Answer, len(as))
	for i, a := range as {
		a.ID = 0
		a.RegistrationID = registrationID
		rows[i] = a
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("store answers: %w", err)
	}
	return nil
}

// Release gives back the option places of a registration being
// cancelled; its answers stay.
func Release(tx *gorm.DB, registrationID int64) error {
	err := tx.Exec(`UPDATE question_options SET taken = taken - 1 WHERE taken > 0 AND id IN
		(SELECT option_id FROM answers WHERE registration_id = ? AND option_id IS NOT NULL)`, registrationID).Error
	if err != nil {
		return fmt.Errorf("give back option places: %w", err)
	}
	return nil
}
