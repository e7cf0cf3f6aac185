// Package media is the network's Mediathek: videos, podcasts and slide
// shows in series, each with its speakers and topics, optionally tied to
// a meeting and one of its programme items, with transcript and captions
// for those who cannot hear or prefer to read.
package media

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Kind is the sort of medium.
type Kind string

// Kinds of media.
const (
	Video  Kind = "video"
	Audio  Kind = "audio"  // a podcast or other recording without picture
	Slides Kind = "slides" // a slide show, with or without sound
)

// Kinds lists all kinds in display order.
var Kinds = []Kind{Video, Audio, Slides}

// Label is the German name.
func (k Kind) Label() string {
	switch k {
	case Video:
		return "Video"
	case Audio:
		return "Audio/Podcast"
	case Slides:
		return "Slideshow"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Video || k == Audio || k == Slides }

// HasPicture reports whether the medium is watched rather than listened
// to: it plays in a video element and its captions are shown on it.
func (k Kind) HasPicture() bool { return k != Audio }

// Visibility says who may see an item, as for the materials of a
// documentation: the public, or the participants of its meeting through
// their manage link.
type Visibility = archive.Visibility

// Visibilities.
const (
	Public       = archive.Public
	Participants = archive.Participants
)

// Series is a named group of items, such as "Learning Nuggets"; the
// Mediathek shows series as sections in their position order.
type Series struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Position    int       `json:"position"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableName sets the table.
func (Series) TableName() string { return "media_series" }

// Item is one medium of the Mediathek.
type Item struct {
	ID              int64      `json:"id"`
	SeriesID        *int64     `json:"series_id"`
	Kind            Kind       `json:"kind"`
	Title           string     `json:"title"`
	Description     string     `json:"description"`
	RecordedOn      *day.Date  `json:"recorded_on"`
	DurationSeconds int        `json:"duration_seconds"`
	EventID         *int64     `json:"event_id"`
	AgendaItemID    *int64     `json:"agenda_item_id"`
	URL             string     `json:"url"`                 // where it is hosted: a platform's page or a file on an own server
	Transcript      string     `json:"transcript" gorm:"-"` // kept in media_texts
	Captions        string     `json:"captions" gorm:"-"`   // WebVTT, kept in media_texts
	CaptionsLang    string     `json:"captions_language" gorm:"column:captions_language"`
	Credits         string     `json:"credits"` // "Kamera: Clemens Boecker, Schnitt: …"
	Visibility      Visibility `json:"visibility"`
	Speakers        []Speaker  `json:"speakers" gorm:"foreignKey:ItemID"`
	Topics          []string   `json:"topics" gorm:"-"`
	Meeting         *Meeting   `json:"meeting,omitempty" gorm:"-"`
	AgendaTitle     string     `json:"agenda_title,omitempty" gorm:"-"` // the programme item's title
	// TranscriptStored and CaptionsStored say that the texts exist where
	// a list leaves them out.
	TranscriptStored bool `json:"-" gorm:"column:has_transcript"`
	CaptionsStored   bool `json:"-" gorm:"column:has_captions"`
	// SpokenKey and SpokenTranscribed are SpokenText folded for search.
	SpokenKey         string    `json:"-" gorm:"-"`
	SpokenTranscribed string    `json:"-" gorm:"-"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// TableName sets the table.
func (Item) TableName() string { return "media_items" }

// HasCaptions reports whether captions exist.
func (it Item) HasCaptions() bool { return it.Captions != "" || it.CaptionsStored }

// HasTranscript reports whether a transcript exists.
func (it Item) HasTranscript() bool { return it.Transcript != "" || it.TranscriptStored }

// Meeting is the meeting an item belongs to, as the Mediathek names it.
type Meeting struct {
	ID     int64    `json:"id"`
	Name   string   `json:"name"` // "17. Lernnetzwerktreffen"
	City   string   `json:"city"`
	Day    day.Date `json:"day"`
	Public bool     `json:"-"` // its page is public (not a draft)
}

// Label is "17. Lernnetzwerktreffen, Köln, 13.09.2017".
func (m Meeting) Label() string {
	out := m.Name
	if m.City != "" {
		out += ", " + m.City
	}
	if !m.Day.IsZero() {
		out += ", " + m.Day.German()
	}
	return out
}

// Year is the year it was recorded, 0 when unknown.
func (it Item) Year() int {
	if it.RecordedOn == nil {
		return 0
	}
	return it.RecordedOn.Year
}

// DateLabel is "15.11.2022", or "" when unknown.
func (it Item) DateLabel() string {
	if it.RecordedOn == nil {
		return ""
	}
	return it.RecordedOn.German()
}

// DurationLabel is "12:05 Min." or "1:02:03 Std.", "" when unknown.
func (it Item) DurationLabel() string { return FormatDuration(it.DurationSeconds) }

// SpeakerNames joins the speakers' names: "Dr. Heinz-Jürgen Stolz, Vera Deffte".
func (it Item) SpeakerNames() string {
	names := make([]string, len(it.Speakers))
	for i, s := range it.Speakers {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// Speaker is a person speaking in an item.
type Speaker struct {
	ID             int64  `json:"-"`
	ItemID         int64  `json:"-"`
	Position       int    `json:"-"`
	Name           string `json:"name"`            // "Dr. Heinz-Jürgen Stolz"
	Role           string `json:"role"`            // "Leiter der Servicestelle Prävention"
	MunicipalityID *int64 `json:"municipality_id"` // where the speaker works for a municipality
	Municipality   string `json:"municipality,omitempty" gorm:"-"`
}

// TableName sets the table.
func (Speaker) TableName() string { return "media_speakers" }

// Line is "Vera Deffte, Wissenschaftliche Mitarbeiterin (Stadt Ahlen)".
func (s Speaker) Line() string {
	out := s.Name
	if s.Role != "" {
		out += ", " + s.Role
	}
	if s.Municipality != "" {
		out += " (" + s.Municipality + ")"
	}
	return out
}

// FormatDuration writes seconds as "12:05 Min." or "1:02:03 Std."; ""
// for zero.
func FormatDuration(sec int) string {
	switch {
	case sec <= 0:
		return ""
	case sec >= 3600:
		return fmt.Sprintf("%d:%02d:%02d Std.", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d Min.", sec/60, sec%60)
}

// ISODuration is the duration in ISO 8601 ("PT12M5S"), for machines.
func ISODuration(sec int) string {
	if sec <= 0 {
		return ""
	}
	out := "PT"
	if h := sec / 3600; h > 0 {
		out += strconv.Itoa(h) + "H"
	}
	if m := sec / 60 % 60; m > 0 {
		out += strconv.Itoa(m) + "M"
	}
	if s := sec % 60; s > 0 {
		out += strconv.Itoa(s) + "S"
	}
	return out
}

// ParseDuration reads a duration as people write it: "12:05" (minutes
// and seconds), "1:02:03", "45" or "45 min" (minutes). Empty is zero.
func ParseDuration(s string) (int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, suffix := range []string{"minuten", "min.", "min", "std.", "std"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	if s == "" {
		return 0, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("duration %q: too many parts", s)
	}
	if len(parts) == 1 {
		m, err := strconv.Atoi(parts[0])
		if err != nil || m < 0 {
			return 0, fmt.Errorf("duration %q: not a number of minutes", s)
		}
		return m * 60, nil
	}
	total := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && n >= 60) {
			return 0, fmt.Errorf("duration %q: part %q", s, p)
		}
		total = total*60 + n
	}
	return total, nil
}

// Text limits, in characters.
const (
	maxTitle       = 300
	maxDescription = 10_000
	maxURL         = 2000
	maxName        = 200
	maxRole        = 300
	maxTopic       = 80
	maxTopics      = 12
	maxSpeakers    = 20
	maxCredits     = 1000
	// MaxTextBytes bounds a transcript or captions file.
	MaxTextBytes = 2 << 20
	// maxDuration is a day: anything longer is a typing error.
	maxDuration = 24 * 3600
)

// SeriesInput creates or changes a series; nil fields stay.
type SeriesInput struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	Position    *int    `json:"position"`
}

func (in SeriesInput) apply(s *Series) error {
	var v problem.Validation
	if in.Title != nil {
		s.Title = strings.TrimSpace(*in.Title)
	}
	if in.Description != nil {
		s.Description = strings.TrimSpace(*in.Description)
	}
	if in.Position != nil {
		s.Position = *in.Position
	}
	switch {
	case s.Title == "":
		v.Add("title", "Bitte geben Sie der Reihe einen Titel, z. B. „Learning Nuggets“.")
	case utf8.RuneCountInString(s.Title) > maxTitle:
		v.Add("title", fmt.Sprintf("Höchstens %d Zeichen.", maxTitle))
	}
	if utf8.RuneCountInString(s.Description) > maxDescription {
		v.Add("description", fmt.Sprintf("Höchstens %d Zeichen.", maxDescription))
	}
	return v.Err()
}

// SpeakerInput is a speaker as a form or the API gives it.
type SpeakerInput struct {
	Name           string `json:"name"`
	Role           string `json:"role"`
	MunicipalityID *int64 `json:"municipality_id"`
}

// Input creates or changes an item; nil fields stay. Speakers and Topics
// replace the lists when not nil.
type Input struct {
	SeriesID        *int64          `json:"series_id"` // 0 takes it out of its series
	Kind            *Kind           `json:"kind"`
	Title           *string         `json:"title"`
	Description     *string         `json:"description"`
	RecordedOn      *string         `json:"recorded_on"`    // YYYY-MM-DD or DD.MM.YYYY; "" clears
	Duration        *string         `json:"duration"`       // "12:05", "1:02:03" or minutes; "" clears
	EventID         *int64          `json:"event_id"`       // 0 detaches
	AgendaItemID    *int64          `json:"agenda_item_id"` // 0 detaches
	URL             *string         `json:"url"`
	Transcript      *string         `json:"transcript"`
	Captions        *string         `json:"captions"` // WebVTT text; "" removes
	CaptionsLang    *string         `json:"captions_language"`
	Credits         *string         `json:"credits"`
	Visibility      *Visibility     `json:"visibility"`
	Speakers        *[]SpeakerInput `json:"speakers"`
	Topics          *[]string       `json:"topics"`
	DurationSeconds *int            `json:"duration_seconds"` // alternative to Duration for machines
}

// apply writes the fields onto it and validates the result.
func (in Input) apply(it *Item) error {
	var v problem.Validation
	if in.SeriesID != nil {
		it.SeriesID = nonZero(*in.SeriesID)
	}
	if in.Kind != nil {
		it.Kind = *in.Kind
	}
	if !it.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie die Art: Video, Audio/Podcast oder Slideshow.")
	}
	v.Text(in.Title, &it.Title, "title", maxTitle)
	if it.Title == "" {
		v.Add("title", "Bitte geben Sie einen Titel an.")
	}
	v.Text(in.Description, &it.Description, "description", maxDescription)
	v.Text(in.Credits, &it.Credits, "credits", maxCredits)
	if in.RecordedOn != nil {
		it.RecordedOn = nil
		if s := strings.TrimSpace(*in.RecordedOn); s != "" {
			d, err := day.Parse(s)
			if err != nil {
				v.Add("recorded_on", "Bitte das Datum als TT.MM.JJJJ angeben, z. B. 15.11.2022.")
			} else {
				it.RecordedOn = &d
			}
		}
	}
	if in.Duration != nil {
		sec, err := ParseDuration(*in.Duration)
		if err != nil {
			v.Add("duration", "Bitte die Dauer als Minuten:Sekunden angeben, z. B. 12:05, oder als Stunden:Minuten:Sekunden.")
		}
		it.DurationSeconds = sec
	}
	if in.DurationSeconds != nil {
		it.DurationSeconds = *in.DurationSeconds
	}
	if it.DurationSeconds < 0 || it.DurationSeconds > maxDuration {
		v.Add("duration", "Die Dauer muss zwischen 0 und 24 Stunden liegen.")
	}
	if in.EventID != nil {
		it.EventID = nonZero(*in.EventID)
	}
	if in.AgendaItemID != nil {
		it.AgendaItemID = nonZero(*in.AgendaItemID)
	}
	if it.AgendaItemID != nil && it.EventID == nil {
		v.Add("agenda_item_id", "Ein Programmpunkt gehört zu einer Veranstaltung: bitte auch die Veranstaltung wählen.")
	}
	v.Text(in.URL, &it.URL, "url", maxURL)
	switch {
	case it.URL == "":
		v.Add("url", "Bitte geben Sie die Adresse an, unter der das Medium liegt (https://…).")
	case !validAddress(it.URL):
		v.Add("url", "Bitte geben Sie eine vollständige Web-Adresse an (https://…) oder einen Pfad auf diesem Server (/medien/…).")
	}
	if in.Transcript != nil {
		t, err := CheckTranscript([]byte(*in.Transcript))
		if err != nil {
			v.Add("transcript", problemMessage(err))
		}
		it.Transcript = t
	}
	if in.Captions != nil {
		it.Captions = ""
		if strings.TrimSpace(*in.Captions) != "" {
			c, err := CheckCaptions([]byte(*in.Captions))
			if err != nil {
				v.Add("captions", problemMessage(err))
			}
			it.Captions = c
		}
	}
	if in.CaptionsLang != nil {
		it.CaptionsLang = strings.ToLower(strings.TrimSpace(*in.CaptionsLang))
	}
	if it.CaptionsLang == "" {
		it.CaptionsLang = "de"
	}
	if !validLanguage(it.CaptionsLang) {
		v.Add("captions_language", "Bitte die Sprache als Kürzel angeben, z. B. de oder en.")
	}
	if in.Visibility != nil {
		it.Visibility = *in.Visibility
	}
	if it.Visibility == "" {
		it.Visibility = Public
	}
	if !it.Visibility.Valid() {
		v.Add("visibility", "Bitte wählen Sie „Öffentlich“ oder „Nur für Teilnehmende“.")
	} else if it.Visibility == Participants && it.EventID == nil {
		v.Add("visibility", "„Nur für Teilnehmende“ braucht eine Veranstaltung, deren Teilnehmende es sehen.")
	}
	if in.Speakers != nil {
		it.Speakers = nil
		for i, s := range *in.Speakers {
			sp := Speaker{Name: strings.TrimSpace(s.Name), Role: strings.TrimSpace(s.Role), Position: i}
			if s.MunicipalityID != nil && *s.MunicipalityID != 0 {
				sp.MunicipalityID = s.MunicipalityID
			}
			if sp.Name == "" {
				if sp.Role != "" || sp.MunicipalityID != nil {
					v.Add(fmt.Sprintf("speakers.%d.name", i), "Bitte den Namen angeben.")
				}
				continue
			}
			if utf8.RuneCountInString(sp.Name) > maxName || utf8.RuneCountInString(sp.Role) > maxRole {
				v.Add(fmt.Sprintf("speakers.%d.name", i), fmt.Sprintf("Name höchstens %d, Funktion höchstens %d Zeichen.", maxName, maxRole))
			}
			sp.Position = len(it.Speakers)
			it.Speakers = append(it.Speakers, sp)
		}
		if len(it.Speakers) > maxSpeakers {
			v.Add("speakers", fmt.Sprintf("Höchstens %d Personen.", maxSpeakers))
		}
	}
	if in.Topics != nil {
		it.Topics = NormalizeTopics(*in.Topics)
		for _, t := range it.Topics {
			if utf8.RuneCountInString(t) > maxTopic {
				v.Add("topics", fmt.Sprintf("Ein Thema hat höchstens %d Zeichen.", maxTopic))
				break
			}
		}
		if len(it.Topics) > maxTopics {
			v.Add("topics", fmt.Sprintf("Höchstens %d Themen.", maxTopics))
		}
	}
	return v.Err()
}

// NormalizeTopics trims topics, drops empty ones and repeats (case
// ignored), keeping the first spelling and the order.
func NormalizeTopics(raw []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range raw {
		t = strings.Join(strings.Fields(t), " ")
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// SplitTopics reads topics typed in one field, separated by commas or
// semicolons or one a line.
func SplitTopics(s string) []string {
	return NormalizeTopics(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }))
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func validLanguage(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

// problemMessage is the German message of a problem error.
func problemMessage(err error) string {
	if p, ok := problem.As(err); ok {
		return p.Message
	}
	return err.Error()
}
