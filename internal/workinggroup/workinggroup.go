// Package workinggroup holds the parallel working groups (Arbeitsgruppen,
// Foren) of a meeting in their time slots, the inputs municipalities give
// in them, the participants' ranked wishes and the assignment of every
// participant to one group per slot.
package workinggroup

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/municipality"
)

// Slot is a time in which several groups run in parallel.
type Slot struct {
	ID        int64     `json:"id"`
	EventID   int64     `json:"event_id"`
	Day       day.Date  `json:"day" gorm:"type:text"`
	StartsAt  string    `json:"starts_at"` // "14:00"
	EndsAt    string    `json:"ends_at"`
	Label     string    `json:"label"` // "Arbeitsgruppen am Nachmittag"
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// TableName sets the table.
func (Slot) TableName() string { return "working_group_slots" }

// Group is one working group.
type Group struct {
	ID          int64     `json:"id"`
	EventID     int64     `json:"event_id"`
	SlotID      int64     `json:"slot_id"`
	Position    int       `json:"position"`
	Title       string    `json:"title"`
	Theme       string    `json:"theme"`
	Description string    `json:"description"`
	Room        string    `json:"room"`
	Capacity    int       `json:"capacity"`
	Moderators  string    `json:"moderators"`
	Inputs      []Input   `json:"inputs" gorm:"foreignKey:WorkingGroupID"`
	CreatedAt   time.Time `json:"-"`
	UpdatedAt   time.Time `json:"-"`
}

// TableName sets the table.
func (Group) TableName() string { return "working_groups" }

// Input is a contribution in a group, usually by a municipality:
// "Stadt Ahlen – Steuerungsstruktur".
type Input struct {
	ID             int64     `json:"id"`
	WorkingGroupID int64     `json:"-"`
	Position       int       `json:"position"`
	MunicipalityID *int64    `json:"municipality_id"`
	Title          string    `json:"title"`
	Speaker        string    `json:"speaker"`
	RegistrationID *int64    `json:"registration_id"` // the speaker's registration: fixed to this group
	CreatedAt      time.Time `json:"-"`
}

// TableName sets the table.
func (Input) TableName() string { return "working_group_inputs" }

// Heading is the input as lists show it, municipalityName being the name
// of its municipality (or ""): "Stadt Ahlen – Steuerungsstruktur". Titles
// are often typed with the municipality already in front ("Stadt Ahlen –
// Steuerungsstruktur", "Ahlen: Lotsen"); then the title stands alone
// rather than naming the municipality twice.
func (in Input) Heading(municipalityName string) string {
	title, name := strings.TrimSpace(in.Title), strings.TrimSpace(municipalityName)
	switch {
	case name == "":
		return title
	case title == "":
		return name
	case startsWithWord(title, name) || startsWithWord(title, municipality.PlaceName(name)):
		return title
	}
	return name + " – " + title
}

// Line is the heading with the speaker: "Stadt Ahlen – Steuerungsstruktur
// (Frau Özdemir)".
func (in Input) Line(municipalityName string) string {
	line := in.Heading(municipalityName)
	if speaker := strings.TrimSpace(in.Speaker); speaker != "" {
		if line == "" {
			return speaker
		}
		line += " (" + speaker + ")"
	}
	return line
}

// startsWithWord reports whether s begins with the words of prefix
// followed by a non-letter, case and umlauts ignored, spelt out or not
// (collate.Transcribed): "Ahlen: …" and "Muenster – …" begin with "Ahlen"
// and "Münster", "Ahlener Modell" does not begin with "Ahlen".
func startsWithWord(s, prefix string) bool {
	for _, fold := range []func(string) string{collate.Key, collate.Transcribed} {
		ks, kp := fold(s), fold(prefix)
		if kp == "" || !strings.HasPrefix(ks, kp) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(ks[len(kp):]); len(ks) == len(kp) || !unicode.IsLetter(next) {
			return true
		}
	}
	return false
}

// Preference is a participant's wish: rank 1 is the first choice.
type Preference struct {
	RegistrationID int64
	WorkingGroupID int64
	Rank           int
}

// TableName sets the table.
func (Preference) TableName() string { return "working_group_preferences" }

// Role of a person in a group beyond taking part.
type Role string

// Roles that fix a person to a group.
const (
	Participant Role = ""
	Moderator   Role = "moderator"
	Speaker     Role = "speaker"
)

// Assignment places a participant in a group for a slot.
type Assignment struct {
	RegistrationID int64     `json:"registration_id"`
	SlotID         int64     `json:"slot"`
	WorkingGroupID int64     `json:"working_group_id"`
	Locked         bool      `json:"locked"`
	Role           Role      `json:"role"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// TableName sets the table.
func (Assignment) TableName() string { return "working_group_assignments" }

// Settings are the options of a meeting's last saved assignment run that
// the next run starts from. Only the limit per municipality is kept:
// "keep current" is a choice for one run (late registrations).
type Settings struct {
	EventID            int64 `gorm:"primaryKey;autoIncrement:false"`
	MaxPerMunicipality int
	UpdatedAt          time.Time
}

// TableName sets the table.
func (Settings) TableName() string { return "working_group_settings" }

// shortHash is a compact fingerprint of a string.
func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}
