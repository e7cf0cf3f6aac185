package registration

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// fuzzFields are the inputs the registration form and API fill.
var fuzzFields = map[string]bool{"salutation": true, "academic_title": true, "first_name": true, "last_name": true,
	"email": true, "phone": true, "function": true, "organisation": true, "municipality_id": true,
	"dietary_needs": true, "accessibility_needs": true, "days": true, "privacy_consent": true}

// FuzzValidateInput: any input either validates into a clean registration
// (which validates again unchanged) or yields field errors on known
// fields with German messages.
func FuzzValidateInput(f *testing.F) {
	f.Add("Frau", "Dr.", "Erika", "Müller", "e.mueller@ahlen.example", "", int64(3), "2026-03-12", true)
	ev := &event.Event{Days: day.List{day.MustParse("2026-03-12"), day.MustParse("2026-03-13")}}
	f.Fuzz(func(t *testing.T, salutation, title, first, last, email, organisation string, municipality int64, days string, consent bool) {
		in := Input{Salutation: salutation, AcademicTitle: title, FirstName: first, LastName: last, Email: email,
			Organisation: organisation, Function: organisation, Phone: title, DietaryNeeds: last, AccessibilityNeeds: first,
			PrivacyConsent: consent}
		if municipality != 0 {
			in.MunicipalityID = &municipality
		}
		if l, err := day.ParseList(days); err == nil {
			in.Days = l
		}
		var r Registration
		err := in.validate(ev, &r, true)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Code != problem.Invalid || len(pe.Fields) == 0 {
				t.Fatalf("not a validation error: %#v", err)
			}
			for field, msg := range pe.Fields {
				if !fuzzFields[field] {
					t.Errorf("unknown field %q", field)
				}
				if !strings.HasPrefix(msg, "Bitte ") && !strings.HasPrefix(msg, "Der ") || !strings.HasSuffix(msg, ".") {
					t.Errorf("%s: message %q is not one of the German sentences", field, msg)
				}
			}
			return
		}
		for name, v := range map[string]string{"first_name": r.FirstName, "last_name": r.LastName, "organisation": r.Organisation, "academic_title": r.AcademicTitle} {
			if v != strings.Join(strings.Fields(v), " ") {
				t.Errorf("%s %q keeps stray spaces", name, v)
			}
			if !utf8.ValidString(v) && utf8.ValidString(in.FirstName+in.LastName+in.Organisation+in.AcademicTitle) {
				t.Errorf("%s %q became invalid UTF-8", name, v)
			}
		}
		if r.FirstName == "" || r.LastName == "" || !emailaddress.Valid(r.Email) || r.Email != strings.ToLower(r.Email) {
			t.Fatalf("accepted incomplete registration %+v", r)
		}
		if r.MunicipalityID == nil && r.Organisation == "" {
			t.Fatalf("accepted without municipality or organisation: %+v", r)
		}
		if len(r.Days) == 0 {
			t.Fatalf("accepted without days: %+v", r)
		}
		for _, d := range r.Days {
			if !ev.Days.Contains(d) {
				t.Fatalf("day %v is not a day of the meeting", d)
			}
		}
		// What was accepted is accepted again as it is.
		again := Input{Salutation: r.Salutation, AcademicTitle: r.AcademicTitle, FirstName: r.FirstName, LastName: r.LastName,
			Email: r.Email, Phone: r.Phone, MunicipalityID: r.MunicipalityID, Organisation: r.Organisation, Function: r.Function,
			Days: r.Days, DietaryNeeds: r.DietaryNeeds, AccessibilityNeeds: r.AccessibilityNeeds, PhotoConsent: r.PhotoConsent, PrivacyConsent: true}
		var r2 Registration
		if err := again.validate(ev, &r2, true); err != nil {
			t.Fatalf("the cleaned registration %+v fails: %v", r, err)
		}
		if r2.FirstName != r.FirstName || r2.LastName != r.LastName || r2.Email != r.Email || r2.Organisation != r.Organisation || r2.Days.String() != r.Days.String() {
			t.Fatalf("validation is not stable: %+v → %+v", r, r2)
		}
	})
}
