package registration

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/secret"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Get returns one registration.
func (s *Store) Get(ctx context.Context, id int64) (Registration, error) {
	var r Registration
	if err := s.db.WithContext(ctx).First(&r, id).Error; err != nil {
		return r, fmt.Errorf("get registration %d: %w", id, notFound(err))
	}
	return r, nil
}

// ByToken returns the registration of a manage link.
func (s *Store) ByToken(ctx context.Context, token string) (Registration, error) {
	var r Registration
	if len(token) < 40 {
		return r, ErrNotFound
	}
	if err := s.db.WithContext(ctx).Where("id = (SELECT registration_id FROM manage_links WHERE token_hash = ?)", secret.Hash(token)).First(&r).Error; err != nil {
		return r, fmt.Errorf("registration by link: %w", notFound(err))
	}
	return r, nil
}

// Filter narrows a list of registrations.
type Filter struct {
	MunicipalityID *int64
	Status         Status // "" for all
	Query          string // part of name or email
}

// List returns a meeting's registrations ordered by last and first name.
func (s *Store) List(ctx context.Context, eventID int64, f Filter) ([]Registration, error) {
	var out []Registration
	q := s.db.WithContext(ctx).Where("event_id = ?", eventID)
	if f.MunicipalityID != nil {
		q = q.Where("municipality_id = ?", *f.MunicipalityID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}

	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list registrations of event %d: %w", eventID, err)
	}
	// Searched and sorted here: SQLite's lower() knows no umlauts, and both
	// databases must find "öz" in "Öztürk" and give the same German order
	// (Bäcker before Brüggemann).
	if needle := collate.Key(f.Query); needle != "" {
		kept := out[:0]
		for _, r := range out {
			if strings.Contains(collate.Key(r.FirstName+" "+r.LastName+" "+r.Email), needle) {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := collate.Key(out[i].LastName), collate.Key(out[j].LastName)
		if a != b {
			return a < b
		}
		return collate.Key(out[i].FirstName) < collate.Key(out[j].FirstName)
	})
	return out, nil
}

// Waitlist returns the waiting list in the order places are given.
func (s *Store) Waitlist(ctx context.Context, eventID int64) ([]Registration, error) {
	var out []Registration
	if err := s.db.WithContext(ctx).Where("event_id = ? AND status = ?", eventID, Waitlisted).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("waiting list of event %d: %w", eventID, err)
	}
	return out, nil
}

// WaitlistPosition returns 1 for the first on the waiting list; 0 when r
// is not waiting.
func (s *Store) WaitlistPosition(ctx context.Context, r Registration) (int, error) {
	if r.Status != Waitlisted {
		return 0, nil
	}
	var ahead int64
	if err := s.db.WithContext(ctx).Model(&Registration{}).
		Where("event_id = ? AND status = ? AND id < ?", r.EventID, Waitlisted, r.ID).Count(&ahead).Error; err != nil {
		return 0, fmt.Errorf("waiting list position: %w", err)
	}
	return int(ahead) + 1, nil
}

// MunicipalityCount is the number of registrations of one municipality
// (nil: guests without a municipality) by status.
type MunicipalityCount struct {
	MunicipalityID *int64 `json:"municipality_id"`
	Pending        int    `json:"pending"`
	Confirmed      int    `json:"confirmed"`
	Waitlisted     int    `json:"waitlisted"`
	Cancelled      int    `json:"cancelled"`
	Declined       int    `json:"declined"`
}

// Counts summarises a meeting's registrations.
type Counts struct {
	Pending        int                 `json:"pending"`
	Confirmed      int                 `json:"confirmed"`
	Waitlisted     int                 `json:"waitlisted"`
	Cancelled      int                 `json:"cancelled"`
	Declined       int                 `json:"declined"`
	ByMunicipality []MunicipalityCount `json:"by_municipality"`
}

// Count returns the totals of a meeting, overall and per municipality.
func (s *Store) Count(ctx context.Context, eventID int64) (Counts, error) {
	var rows []struct {
		MunicipalityID *int64
		Status         Status
		N              int
	}
	err := s.db.WithContext(ctx).Model(&Registration{}).Select("municipality_id, status, count(*) AS n").
		Where("event_id = ?", eventID).Group("municipality_id, status").Scan(&rows).Error
	if err != nil {
		return Counts{}, fmt.Errorf("count registrations of event %d: %w", eventID, err)
	}
	var c Counts
	index := map[int64]int{}
	guests := -1
	for _, row := range rows {
		var i int
		switch {
		case row.MunicipalityID == nil && guests >= 0:
			i = guests
		case row.MunicipalityID == nil:
			guests = len(c.ByMunicipality)
			i = guests
			c.ByMunicipality = append(c.ByMunicipality, MunicipalityCount{})
		default:
			var ok bool
			if i, ok = index[*row.MunicipalityID]; !ok {
				i = len(c.ByMunicipality)
				index[*row.MunicipalityID] = i
				c.ByMunicipality = append(c.ByMunicipality, MunicipalityCount{MunicipalityID: row.MunicipalityID})
			}
		}
		mc := &c.ByMunicipality[i]
		switch row.Status {
		case Confirmed:
			mc.Confirmed += row.N
			c.Confirmed += row.N
		case Waitlisted:
			mc.Waitlisted += row.N
			c.Waitlisted += row.N
		case Cancelled:
			mc.Cancelled += row.N
			c.Cancelled += row.N
		case Pending:
			mc.Pending += row.N
			c.Pending += row.N
		case Declined:
			mc.Declined += row.N
			c.Declined += row.N
		}
	}
	return c, nil
}

// Update applies a participant's change to an active registration.
func (s *Store) Update(ctx context.Context, id int64, in Input, actor audit.Actor) (Registration, error) {
	var (
		r      Registration
		queued bool
	)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&r, id).Error; err != nil {
			return notFound(err)
		}
		switch r.Status {
		case Cancelled:
			return problem.New(problem.Conflict, "Eine stornierte Anmeldung kann nicht mehr geändert werden.")
		case Declined:
			return problem.New(problem.Conflict, "Eine abgelehnte Anmeldung kann nicht mehr geändert werden.")
		}
		ev, err := lockEvent(tx, r.EventID)
		if err != nil {
			return err
		}
		in.Email = r.Email
		in.MunicipalityID = r.MunicipalityID
		if in.Organisation == "" {
			in.Organisation = r.Organisation
		}
		next := r
		invalid := in.validate(&ev, &next, false)
		answersChanged, err := changeAnswers(tx, &ev, r.ID, in.Answers, invalid)
		if err != nil {
			return err
		}
		next.UpdatedAt = time.Now().UTC()
		if err := savePreferences(tx, r.EventID, r.ID, in.WorkingGroupPreferences, ev.PreferenceRanks); err != nil {
			return err
		}
		changed := describeChange(r, next)
		if answersChanged {
			changed = strings.TrimPrefix(changed+"; Antworten auf die Fragen", "; ")
		}
		if changed == "" {
			return nil
		}
		if err := audit.Record(tx, actor, audit.RegistrationUpdated, "registration", r.ID, &r.EventID, changed); err != nil {
			return err
		}
		// The person hears of every change of their data, in the same
		// transaction; a change of days brings a calendar update.
		daysChanged := r.Days.String() != next.Days.String()
		if err := outbox.EnqueueRegistrationChanged(tx, r.EventID, r.ID, r.Email, daysChanged, s.now()); err != nil {
			return err
		}
		queued = true
		return tx.Model(&r).Select("salutation", "academic_title", "first_name", "last_name", "phone", "organisation",
			"function", "days", "dietary_needs", "accessibility_needs", "photo_consent", "updated_at").Updates(&next).Error
	})
	if err != nil {
		return r, fmt.Errorf("update registration %d: %w", id, err)
	}
	if queued {
		s.onQueued()
	}
	return s.Get(ctx, id)
}

// describeChange lists the changed fields in German for the audit log.
func describeChange(old, next Registration) string {
	var parts []string
	add := func(label string, a, b string) {
		if a != b {
			parts = append(parts, label+": „"+a+"“ → „"+b+"“")
		}
	}
	add("Anrede", old.Salutation, next.Salutation)
	add("Titel", old.AcademicTitle, next.AcademicTitle)
	add("Vorname", old.FirstName, next.FirstName)
	add("Nachname", old.LastName, next.LastName)
	add("Telefon", old.Phone, next.Phone)
	add("Organisation", old.Organisation, next.Organisation)
	add("Funktion", old.Function, next.Function)
	add("Tage", old.Days.German(), next.Days.German())
	add("Verpflegung", old.DietaryNeeds, next.DietaryNeeds)
	add("Unterstützungsbedarf", old.AccessibilityNeeds, next.AccessibilityNeeds)
	if old.PhotoConsent != next.PhotoConsent {
		parts = append(parts, fmt.Sprintf("Foto-Einwilligung: %v → %v", old.PhotoConsent, next.PhotoConsent))
	}
	return strings.Join(parts, "; ")
}

// ResendLinks queues the manage link again for every active registration
// of the address for meetings not yet over; it returns how many. The
// caller tells the person the same whatever the count.
func (s *Store) ResendLinks(ctx context.Context, email string) (int, error) {
	now := s.now().UTC()
	var regs []Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("email = ? AND status <> ?", NormalizeEmail(email), Cancelled).Order("id").Find(&regs).Error; err != nil {
			return err
		}
		for _, r := range regs {
			var ev event.Event
			if err := tx.First(&ev, r.EventID).Error; err != nil {
				return err
			}
			if ev.IsPast(now) {
				continue
			}
			if err := outbox.Enqueue(tx, outbox.ManageLink, r.EventID, r.ID, r.Email, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("resend manage links: %w", err)
	}
	if len(regs) > 0 {
		s.onQueued()
	}
	return len(regs), nil
}
