// Package contact holds the network's contacts: per municipality the
// people who receive the invitations to meetings, their unsubscribe
// links, and the invitations and follow-ups queued for them.
package contact

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/emailaddress"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Contact is a person of a municipality who receives invitations.
type Contact struct {
	ID             int64      `json:"id"`
	MunicipalityID int64      `json:"municipality_id"`
	Name           string     `json:"name"`
	Email          string     `json:"email"`
	Function       string     `json:"function"` // "Jugendamt", "Koordination"
	UnsubscribedAt *time.Time `json:"unsubscribed_at"`
	// ResubscribeNote says how the person opted in again after
	// unsubscribing: by their own link, or the request an organiser or
	// coordinator wrote down.
	ResubscribeNote string    `json:"resubscribe_note,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Subscribed reports whether the contact receives invitations.
func (c Contact) Subscribed() bool { return c.UnsubscribedAt == nil }

// Functions are suggestions for the function field; any text is allowed.
var Functions = []string{"Koordination", "Jugendamt", "Gesundheitsamt", "Schulamt", "Sozialamt", "Jobcenter", "Sozialplanung", "Bildungsbüro", "Frühe Hilfen"}

// Input is what a form, the CSV import or the API supplies.
type Input struct {
	MunicipalityID int64  `json:"municipality_id" form:"municipality_id"`
	Name           string `json:"name" form:"name"`
	Email          string `json:"email" form:"email"`
	Function       string `json:"function" form:"function"`
}

// Limits of the text fields.
const (
	maxName     = 200
	maxFunction = 200
)

// Validate checks the input and returns the normalised contact; the
// messages are German and name the field.
func (in Input) Validate() (Contact, error) {
	var v problem.Validation
	name := strings.Join(strings.Fields(in.Name), " ")
	function := strings.Join(strings.Fields(in.Function), " ")
	email := emailaddress.Normalize(in.Email)
	if in.MunicipalityID <= 0 {
		v.Add("municipality_id", "Bitte wählen Sie die Kommune.")
	}
	switch {
	case name == "":
		v.Add("name", "Bitte geben Sie den Namen an, z. B. „Erika Müller“.")
	case utf8.RuneCountInString(name) > maxName:
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if msg := emailaddress.Problem(email); msg != "" {
		v.Add("email", msg)
	}
	if utf8.RuneCountInString(function) > maxFunction {
		v.Add("function", "Die Funktion darf höchstens 200 Zeichen lang sein.")
	}
	if err := v.Err(); err != nil {
		return Contact{}, err
	}
	return Contact{MunicipalityID: in.MunicipalityID, Name: name, Email: email, Function: function}, nil
}
