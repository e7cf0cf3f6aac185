package web

// Fuzz tests of the parsers behind the forms and the JSON API. They live
// in package web because the parsers are not exported; the seed corpora
// are in testdata/fuzz/<FuzzName>/.

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

func fuzzContext(body, contentType string) *gin.Context {
	gin.SetMode(gin.ReleaseMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	c.Request.Header.Set("Content-Type", contentType)
	return c
}

func formContext(body string) *gin.Context {
	return fuzzContext(body, "application/x-www-form-urlencoded")
}

// germanMessage reports whether msg reads like one of the service's
// messages: a German sentence, not a Go error passed through.
func germanMessage(msg string) bool {
	r, _ := utf8.DecodeRuneInString(msg)
	return msg != "" && unicode.IsUpper(r) && !strings.HasPrefix(msg, "json:") && !strings.HasPrefix(msg, "parse ")
}

// registrationForm formats an input the way the registration form posts it.
func registrationFormValues(in registration.Input) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"salutation": in.Salutation, "academic_title": in.AcademicTitle,
		"first_name": in.FirstName, "last_name": in.LastName, "email": in.Email, "phone": in.Phone,
		"organisation": in.Organisation, "function": in.Function, "dietary_needs": in.DietaryNeeds,
		"accessibility_needs": in.AccessibilityNeeds} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if in.PhotoConsent {
		v.Set("photo_consent", "1")
	}
	if in.PrivacyConsent {
		v.Set("privacy_consent", "1")
	}
	if in.MunicipalityID != nil {
		v.Set("municipality_id", strconv.FormatInt(*in.MunicipalityID, 10))
	}
	for _, d := range in.Days {
		v.Add("days", d.String())
	}
	addWishes(v, in.WorkingGroupPreferences)
	return v
}

// addWishes posts wishes as one slot's ranks; an empty, non-nil list as a
// wish field left empty.
func addWishes(v url.Values, wishes []int64) {
	if wishes != nil && len(wishes) == 0 {
		v.Set("wish.0.0", "")
	}
	for i, g := range wishes {
		v.Set("wish.0."+strconv.Itoa(i), strconv.FormatInt(g, 10))
	}
}

// FuzzRegistrationForm: a posted registration form gives an input and
// field errors only on the fields it parses itself, with German
// messages; an input without errors survives format → parse unchanged.
func FuzzRegistrationForm(f *testing.F) {
	f.Add("first_name=Erika&last_name=M%C3%BCller&email=e%40ahlen.example&municipality_id=3&days=2026-03-12&privacy_consent=1")
	f.Fuzz(func(t *testing.T, body string) {
		in, fields := registrationInput(formContext(body))
		for k, msg := range fields {
			if k != "municipality_id" && k != "days" {
				t.Errorf("field error on %q", k)
			}
			if !strings.HasPrefix(msg, "Bitte ") {
				t.Errorf("%s: message %q", k, msg)
			}
		}
		again, _ := registrationInput(formContext(body))
		if !reflect.DeepEqual(in, again) {
			t.Fatalf("the same form parses differently:\n%+v\n%+v", in, again)
		}
		if len(fields) > 0 {
			return
		}
		formatted := registrationFormValues(in).Encode()
		back, fields := registrationInput(formContext(formatted))
		if len(fields) > 0 || !reflect.DeepEqual(in, back) {
			t.Fatalf("round trip of %q via %q:\n%+v\n%+v %v", body, formatted, in, back, fields)
		}
	})
}

// FuzzParseWishes: the wishes of a form are the valid wish.<slot>.<rank>
// fields in slot and rank order, the same every time, nil without any
// wish field; formatted again they parse to the same list.
func FuzzParseWishes(f *testing.F) {
	f.Add("wish.1.1=5&wish.1.2=7&wish.2.1=9")
	f.Fuzz(func(t *testing.T, body string) {
		c := formContext(body)
		got := parseWishes(c)
		posted, valid := false, 0
		for key, values := range c.Request.PostForm {
			if !strings.HasPrefix(key, "wish.") || len(values) == 0 {
				continue
			}
			posted = true
			if _, err := strconv.ParseInt(values[0], 10, 64); err == nil {
				slot, rank, _ := strings.Cut(strings.TrimPrefix(key, "wish."), ".")
				if _, err := strconv.Atoi(slot); err == nil {
					if _, err := strconv.Atoi(rank); err == nil {
						valid++
					}
				}
			}
		}
		if !posted && got != nil || posted && got == nil {
			t.Fatalf("wish fields posted: %v, result %v", posted, got)
		}
		if len(got) > valid {
			t.Fatalf("%d wishes from %d valid fields", len(got), valid)
		}
		for range 3 {
			if again := parseWishes(formContext(body)); !slices.Equal(got, again) {
				t.Fatalf("the same form gives %v and %v", got, again)
			}
		}
		v := url.Values{}
		addWishes(v, got)
		back := parseWishes(formContext(v.Encode()))
		if !slices.Equal(got, back) || (got == nil) != (back == nil) {
			t.Fatalf("round trip %v → %q → %v", got, v.Encode(), back)
		}
	})
}

// checkDecoded is the property of every JSON decoder: an error is a
// problem with a German message and named fields, a success encodes and
// decodes to the same value.
func checkDecoded[T any](t *testing.T, body string, decode func(*gin.Context) (T, error)) (T, bool) {
	t.Helper()
	in, err := decode(fuzzContext(body, "application/json"))
	if err != nil {
		pe, ok := problem.As(err)
		if !ok || (pe.Code != problem.BadRequest && pe.Code != problem.Invalid) {
			t.Fatalf("error %#v is no bad-request problem", err)
		}
		if !germanMessage(pe.Message) {
			t.Fatalf("message %q", pe.Message)
		}
		for k, msg := range pe.Fields {
			if k == "" || msg == "" {
				t.Fatalf("field %q: %q", k, msg)
			}
		}
		return in, false
	}
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("encode %+v: %v", in, err)
	}
	again, err := decode(fuzzContext(string(raw), "application/json"))
	if err != nil || !reflect.DeepEqual(in, again) {
		t.Fatalf("round trip of %q via %s:\n%+v\n%+v %v", body, raw, in, again, err)
	}
	return in, true
}

func decodeInto[T any](c *gin.Context) (T, error) {
	var v T
	return v, decodeJSON(c, &v)
}

// jsonFields are the JSON names of t's fields.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[name] = true
	}
	return out
}

// FuzzDecodeRegistrationJSON: POST/PATCH bodies of registrations.
func FuzzDecodeRegistrationJSON(f *testing.F) {
	f.Add(`{"first_name":"Erika","last_name":"Müller","email":"e@ahlen.example","municipality_id":3,"privacy_consent":true}`)
	known := jsonFields(reflect.TypeFor[registration.Input]())
	f.Fuzz(func(t *testing.T, body string) {
		_, err := decodeInto[registration.Input](fuzzContext(body, "application/json"))
		if pe, ok := problem.As(err); ok && pe.Code == problem.Invalid {
			for k := range pe.Fields {
				if !known[k] {
					t.Fatalf("validation error on unknown field %q", k)
				}
			}
		}
		checkDecoded(t, body, decodeInto[registration.Input])
	})
}

// FuzzDecodeEventJSON: meeting bodies decode and then either apply to a
// meeting or give field errors on the meeting's fields in German.
func FuzzDecodeEventJSON(f *testing.F) {
	f.Add(`{"kind":"lernnetzwerktreffen","number":17,"days":["2026-03-12"],"capacity":80}`)
	known := jsonFields(reflect.TypeFor[event.Input]())
	f.Fuzz(func(t *testing.T, body string) {
		in, ok := checkDecoded(t, body, decodeInto[event.Input])
		if !ok {
			return
		}
		var ev event.Event
		err := in.Apply(&ev)
		if err == nil {
			return
		}
		var pe *problem.Error
		if !errors.As(err, &pe) || pe.Code != problem.Invalid || len(pe.Fields) == 0 {
			t.Fatalf("apply: %#v", err)
		}
		for k, msg := range pe.Fields {
			if !known[k] || !germanMessage(msg) {
				t.Fatalf("field %q: %q", k, msg)
			}
		}
	})
}

// FuzzDecodeAgendaJSON: programme item bodies; a bad date is reported on
// "day".
func FuzzDecodeAgendaJSON(f *testing.F) {
	f.Add(`{"day":"2026-03-12","starts_at":"10:00","ends_at":"10:30","kind":"keynote","title":"Begrüßung"}`)
	known := jsonFields(reflect.TypeFor[agenda.Input]())
	f.Fuzz(func(t *testing.T, body string) {
		_, err := decodeAgendaInput(fuzzContext(body, "application/json"))
		if pe, ok := problem.As(err); ok && pe.Code == problem.Invalid {
			for k := range pe.Fields {
				if !known[k] {
					t.Fatalf("validation error on unknown field %q", k)
				}
			}
		}
		checkDecoded(t, body, decodeAgendaInput)
	})
}
