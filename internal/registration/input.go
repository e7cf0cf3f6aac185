package registration

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
)

// Input is what a person (or a coordinator for them) submits.
type Input struct {
	Salutation         string   `json:"salutation"`
	AcademicTitle      string   `json:"academic_title"`
	FirstName          string   `json:"first_name"`
	LastName           string   `json:"last_name"`
	Email              string   `json:"email"`
	Phone              string   `json:"phone"`
	MunicipalityID     *int64   `json:"municipality_id"`
	Organisation       string   `json:"organisation"`
	Function           string   `json:"function"`
	Days               day.List `json:"days"`
	DietaryNeeds       string   `json:"dietary_needs"`
	AccessibilityNeeds string   `json:"accessibility_needs"`
	PhotoConsent       bool     `json:"photo_consent"`
	PrivacyConsent     bool     `json:"privacy_consent"`
	// WorkingGroupPreferences are working-group ids, first choice first;
	// with several slots each slot's choices in order (the slot is known
	// from the group). nil keeps the wishes on a change.
	WorkingGroupPreferences []int64 `json:"working_group_preferences"`
	// Answers to the meeting's questions; nil keeps the answers on a
	// change.
	Answers question.Submitted `json:"answers"`
}

// Salutations offered in forms; "" is "keine Angabe".
var Salutations = []string{"", "Frau", "Herr"}

// NormalizeEmail lower-cases and trims an address so one person is one
// address regardless of spelling.
func NormalizeEmail(s string) string { return emailaddress.Normalize(s) }

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// validate checks the input against the meeting and fills r. Whether the
// municipality exists is checked by the store.
func (in Input) validate(ev *event.Event, r *Registration, requireConsent bool) error {
	var v problem.Validation
	text := func(field, value string, max int, required bool, missing string) string {
		value = clean(value)
		switch {
		case required && value == "":
			v.Add(field, missing)
		case utf8.RuneCountInString(value) > max:
			v.Add(field, "Bitte höchstens "+strconv.Itoa(max)+" Zeichen.")
		}
		return value
	}
	r.Salutation = clean(in.Salutation)
	if r.Salutation != "" && r.Salutation != "Frau" && r.Salutation != "Herr" {
		v.Add("salutation", "Bitte wählen Sie „Frau“, „Herr“ oder „keine Angabe“.")
	}
	r.AcademicTitle = text("academic_title", in.AcademicTitle, 40, false, "")
	r.FirstName = text("first_name", in.FirstName, 100, true, "Bitte geben Sie Ihren Vornamen an.")
	r.LastName = text("last_name", in.LastName, 100, true, "Bitte geben Sie Ihren Nachnamen an.")
	r.Email = NormalizeEmail(in.Email)
	if r.Email == "" {
		v.Add("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
	} else if msg := emailaddress.Problem(r.Email); msg != "" {
		v.Add("email", msg)
	}
	r.Phone = text("phone", in.Phone, 40, false, "")
	r.Function = text("function", in.Function, 200, false, "")
	r.Organisation = text("organisation", in.Organisation, 200, false, "")
	r.MunicipalityID = in.MunicipalityID
	if r.MunicipalityID != nil && *r.MunicipalityID == 0 {
		r.MunicipalityID = nil
	}
	if r.MunicipalityID == nil && r.Organisation == "" {
		v.Add("municipality_id", "Bitte wählen Sie Ihre Kommune oder geben Sie Ihre Organisation an.")
	}
	r.DietaryNeeds = text("dietary_needs", in.DietaryNeeds, 500, false, "")
	r.AccessibilityNeeds = text("accessibility_needs", in.AccessibilityNeeds, 500, false, "")
	r.PhotoConsent = in.PhotoConsent
	r.Days = in.Days.Normalize()
	switch {
	case len(r.Days) == 0:
		r.Days = ev.Days // no choice given: all days
	default:
		for _, d := range r.Days {
			if !ev.Days.Contains(d) {
				v.Add("days", "Der "+d.German()+" ist kein Tag dieser Veranstaltung.")
			}
		}
	}
	if requireConsent && !in.PrivacyConsent {
		v.Add("privacy_consent", "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu; ohne sie ist keine Anmeldung möglich.")
	}
	return v.Err()
}
