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
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/secret"
)

// The links in the mails and the anonymous answers they give.

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
