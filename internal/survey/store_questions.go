package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/problem"
)

// The questionnaire: questions written, ordered, copied and locked once
// the survey went out.

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
