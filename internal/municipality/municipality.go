// Package municipality holds the organisations participants represent:
// the cities and districts of the learning network, and other bodies.
package municipality

import (
	"sort"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Kind says what sort of body a municipality is.
type Kind string

// Kinds of municipalities.
const (
	Stadt        Kind = "stadt"
	Kreis        Kind = "kreis"
	Gemeinde     Kind = "gemeinde"
	Organisation Kind = "organisation" // ministry, institute, association
)

// Kinds lists all kinds in display order.
var Kinds = []Kind{Stadt, Kreis, Gemeinde, Organisation}

// Label is the German name of the kind.
func (k Kind) Label() string {
	switch k {
	case Stadt:
		return "Stadt"
	case Kreis:
		return "Kreis"
	case Gemeinde:
		return "Gemeinde"
	case Organisation:
		return "Organisation"
	}
	return string(k)
}

// ParseKind accepts the code or the German label, any case.
func ParseKind(s string) (Kind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range Kinds {
		if s == string(k) || s == strings.ToLower(k.Label()) {
			return k, true
		}
	}
	return "", false
}

// Municipality is a Stadt, Kreis, Gemeinde or other organisation.
type Municipality struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"` // "Stadt Ahlen", "Kreis Coesfeld"
	Kind      Kind      `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Input is what a form or the API supplies to create a municipality.
type Input struct {
	Name string `json:"name" form:"name"`
	Kind string `json:"kind" form:"kind"`
}

// Validate checks the input and returns the normalised municipality.
func (in Input) Validate() (Municipality, error) {
	var v problem.Validation
	name := strings.Join(strings.Fields(in.Name), " ")
	if name == "" {
		v.Add("name", "Bitte geben Sie den Namen an, z. B. „Stadt Ahlen“.")
	} else if len([]rune(name)) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	kind, ok := ParseKind(in.Kind)
	if in.Kind == "" {
		kind, ok = GuessKind(name), true
	}
	if !ok {
		v.Add("kind", "Bitte wählen Sie Stadt, Kreis, Gemeinde oder Organisation.")
	}
	if err := v.Err(); err != nil {
		return Municipality{}, err
	}
	return Municipality{Name: name, Kind: kind}, nil
}

// GuessKind derives the kind from a name like "Kreis Unna".
func GuessKind(name string) Kind {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(lower, "kreis ") || strings.HasPrefix(lower, "rhein-kreis") || strings.HasSuffix(lower, "kreis"):
		return Kreis
	case strings.HasPrefix(lower, "gemeinde "):
		return Gemeinde
	case strings.HasPrefix(lower, "stadt "):
		return Stadt
	}
	return Organisation
}

// placePrefixes are the words before the place in official names; lists
// sort by what follows, so "Kreis Coesfeld" stands among the C.
var placePrefixes = []string{"stadt ", "kreis ", "gemeinde ", "städteregion ", "hansestadt "}

// PlaceName is the place a name is about: "Köln" for "Stadt Köln",
// "Coesfeld" for "Kreis Coesfeld"; other names stay as they are
// ("Rhein-Kreis Neuss", "Hochsauerlandkreis").
func PlaceName(name string) string {
	name = strings.TrimSpace(name)
	lower := strings.ToLower(name)
	for _, p := range placePrefixes {
		if len(lower) > len(p) && strings.HasPrefix(lower, p) {
			return strings.TrimSpace(name[len(p):])
		}
	}
	return name
}

// SortKey orders names by place in German collation (collate.Key), the
// full name breaking ties: Kreis Recklinghausen before Stadt
// Recklinghausen.
func SortKey(name string) string {
	return collate.Key(PlaceName(name)) + "\x00" + collate.Key(name)
}

// Sort orders municipalities by place name (SortKey), as every list to
// choose from shows them.
func Sort(list []Municipality) {
	sort.SliceStable(list, func(i, j int) bool { return SortKey(list[i].Name) < SortKey(list[j].Name) })
}
