// Package archive holds the record of past meetings: their online
// documentation — a teaser for the archive list, the report text, and
// materials (uploaded presentations and photos, video and other links),
// each public or for the meeting's participants only — and the archive
// list with its search.
package archive

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Documentation is the text part of a meeting's documentation.
type Documentation struct {
	EventID     int64      `json:"event_id" gorm:"primaryKey;autoIncrement:false"`
	Teaser      string     `json:"teaser"` // a few sentences for the archive list
	Report      string     `json:"report"` // simple formatting, see RenderReport
	PublishedAt *time.Time `json:"published_at"`
	CreatedAt   time.Time  `json:"-"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// TableName sets the table.
func (Documentation) TableName() string { return "documentations" }

// Published reports whether the public may see the documentation.
func (d Documentation) Published() bool { return d.PublishedAt != nil }

// Kind is the sort of material.
type Kind string

// Kinds of material.
const (
	Presentation Kind = "presentation" // an uploaded PDF
	Photo        Kind = "photo"        // an uploaded picture with alt text and credit
	Video        Kind = "video"        // a link to a video
	Link         Kind = "link"         // any other link
)

// Kinds lists all kinds in display order.
var Kinds = []Kind{Presentation, Photo, Video, Link}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Presentation:
		return "Präsentation (PDF)"
	case Photo:
		return "Foto"
	case Video:
		return "Video"
	case Link:
		return "Link"
	}
	return string(k)
}

// IsUpload reports whether material of this kind is a stored file.
func (k Kind) IsUpload() bool { return k == Presentation || k == Photo }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Visibility says who may see a material.
type Visibility string

// Visibilities.
const (
	Public       Visibility = "public"
	Participants Visibility = "participants" // registered participants, through their manage link
)

// Label is the German name.
func (v Visibility) Label() string {
	if v == Participants {
		return "Nur für Teilnehmende"
	}
	return "Öffentlich"
}

// Valid reports whether v is known.
func (v Visibility) Valid() bool { return v == Public || v == Participants }

// Material is one item of a documentation.
type Material struct {
	ID                  int64      `json:"id"`
	EventID             int64      `json:"event_id"`
	AgendaItemID        *int64     `json:"agenda_item_id"`
	WorkingGroupInputID *int64     `json:"working_group_input_id"`
	Kind                Kind       `json:"kind"`
	Title               string     `json:"title"`
	URL                 string     `json:"url,omitempty"` // videos and links
	FileKey             string     `json:"-"`             // where the upload is stored
	FileName            string     `json:"file_name,omitempty"`
	ContentType         string     `json:"content_type,omitempty"`
	Size                int64      `json:"size,omitempty"`
	SHA256              string     `json:"sha256,omitempty" gorm:"column:sha256"`
	Width               int        `json:"width,omitempty"`
	Height              int        `json:"height,omitempty"`
	AltText             string     `json:"alt_text,omitempty"`
	Credit              string     `json:"credit,omitempty"` // "ISA/Martin Scherag"
	Visibility          Visibility `json:"visibility"`
	Position            int        `json:"position"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

// TableName sets the table.
func (Material) TableName() string { return "materials" }

// IsUpload reports whether the material is a stored file.
func (m Material) IsUpload() bool { return m.FileKey != "" }

// Label names the material in lists and messages: its title, or for an
// untitled photo its alt text.
func (m Material) Label() string {
	switch {
	case m.Title != "":
		return m.Title
	case m.AltText != "":
		return m.AltText
	}
	return m.FileName
}

// CreditLine is "Foto: ISA/Martin Scherag", or "" without a credit.
func (m Material) CreditLine() string {
	c := strings.TrimSpace(m.Credit)
	if c == "" {
		return ""
	}
	lower := strings.ToLower(c)
	if strings.HasPrefix(lower, "foto:") || strings.HasPrefix(lower, "fotos:") {
		return c
	}
	return "Foto: " + c
}

// SizeLabel is the file size for people: "2,4 MB".
func (m Material) SizeLabel() string {
	switch {
	case m.Size <= 0:
		return ""
	case m.Size < 1000*1000:
		return fmt.Sprintf("%d KB", max(1, (m.Size+500)/1000))
	}
	s := fmt.Sprintf("%.1f MB", float64(m.Size)/1e6)
	return strings.Replace(s, ".", ",", 1)
}

// Host is the domain a link points to, for "Video (youtube.com)".
func (m Material) Host() string {
	u, err := url.Parse(m.URL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// Input creates or changes a documentation text; nil fields stay.
type Input struct {
	Teaser    *string `json:"teaser"`
	Report    *string `json:"report"`
	Published *bool   `json:"published"`
}

// Text limits, in characters.
const (
	maxTeaser = 1500
	maxReport = 100_000
	maxTitle  = 300
	maxAlt    = 500
	maxCredit = 200
	maxURL    = 2000
)

func (in Input) apply(d *Documentation, now time.Time) error {
	var v problem.Validation
	if in.Teaser != nil {
		d.Teaser = strings.TrimSpace(*in.Teaser)
		if utf8.RuneCountInString(d.Teaser) > maxTeaser {
			v.Add("teaser", fmt.Sprintf("Der Anreißer darf höchstens %d Zeichen lang sein.", maxTeaser))
		}
	}
	if in.Report != nil {
		d.Report = strings.TrimSpace(strings.ReplaceAll(*in.Report, "\r\n", "\n"))
		if utf8.RuneCountInString(d.Report) > maxReport {
			v.Add("report", "Der Bericht ist zu lang.")
		}
	}
	if in.Published != nil {
		switch {
		case *in.Published && d.PublishedAt == nil:
			t := now.UTC().Truncate(time.Second)
			d.PublishedAt = &t
		case !*in.Published:
			d.PublishedAt = nil
		}
	}
	if d.Published() && d.Teaser == "" && d.Report == "" {
		v.Add("report", "Eine Dokumentation ohne Text kann nicht veröffentlicht werden: bitte einen Anreißer oder Bericht eintragen.")
	}
	return v.Err()
}

// MaterialInput creates or changes a material's description; nil fields
// stay. The file of an upload comes separately (see FileStore).
type MaterialInput struct {
	Kind                *Kind       `json:"kind"`
	Title               *string     `json:"title"`
	URL                 *string     `json:"url"`
	AltText             *string     `json:"alt_text"`
	Credit              *string     `json:"credit"`
	Visibility          *Visibility `json:"visibility"`
	Position            *int        `json:"position"`
	AgendaItemID        *int64      `json:"agenda_item_id"`         // 0 detaches
	WorkingGroupInputID *int64      `json:"working_group_input_id"` // 0 detaches
}

// apply writes the fields onto m and validates the result.
func (in MaterialInput) apply(m *Material) error {
	var v problem.Validation
	if in.Kind != nil {
		if m.ID != 0 && *in.Kind != m.Kind && (m.Kind.IsUpload() || in.Kind.IsUpload()) {
			v.Add("kind", "Die Art einer hochgeladenen Datei lässt sich nicht ändern; bitte neu hochladen.")
		}
		m.Kind = *in.Kind
	}
	if !m.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie die Art: Präsentation, Foto, Video oder Link.")
	}
	v.Text(in.Title, &m.Title, "title", maxTitle)
	v.Text(in.URL, &m.URL, "url", maxURL)
	v.Text(in.AltText, &m.AltText, "alt_text", maxAlt)
	v.Text(in.Credit, &m.Credit, "credit", maxCredit)
	if in.Visibility != nil {
		m.Visibility = *in.Visibility
	}
	if m.Visibility == "" {
		m.Visibility = Public
	}
	if !m.Visibility.Valid() {
		v.Add("visibility", "Bitte wählen Sie „Öffentlich“ oder „Nur für Teilnehmende“.")
	}
	if in.Position != nil {
		m.Position = *in.Position
	}
	if in.AgendaItemID != nil {
		m.AgendaItemID = nonZero(*in.AgendaItemID)
	}
	if in.WorkingGroupInputID != nil {
		m.WorkingGroupInputID = nonZero(*in.WorkingGroupInputID)
	}
	if m.AgendaItemID != nil && m.WorkingGroupInputID != nil {
		v.Add("attach", "Ein Material gehört entweder zu einem Programmpunkt oder zu einem Input einer Arbeitsgruppe.")
	}
	switch {
	case m.Kind == Video || m.Kind == Link:
		if m.URL == "" {
			v.Add("url", "Bitte geben Sie die Adresse (https://…) an.")
		} else if !IsWebURL(m.URL) {
			v.Add("url", "Bitte geben Sie eine vollständige Web-Adresse an, die mit https:// oder http:// beginnt.")
		}
		if m.Title == "" {
			v.Add("title", "Bitte geben Sie einen Titel an, z. B. „Video: Grußwort Staatssekretär Bothe“.")
		}
	case m.Kind == Photo:
		m.URL = ""
		if m.AltText == "" {
			v.Add("alt_text", "Bitte beschreiben Sie, was auf dem Foto zu sehen ist (Alternativtext für Menschen, die das Bild nicht sehen).")
		}
	case m.Kind == Presentation:
		m.URL = ""
		if m.Title == "" {
			v.Add("title", "Bitte geben Sie einen Titel an, z. B. „Präsentation von Holger Mrosek“.")
		}
	}
	return v.Err()
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// IsWebURL reports whether s is an absolute http(s) address without
// whitespace or control characters.
func IsWebURL(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
