package contact

import (
	"fmt"
	"io"
	"strings"

	"github.com/isa-nrw/treffen/internal/csvimport"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
)

// RowError is a rejected row of an import: the line in the file, the
// column (German label, "" for the whole row) and what is wrong.
type RowError struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// String is "Zeile 7 (E-Mail): Bitte geben Sie …".
func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("Zeile %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("Zeile %d (%s): %s", e.Line, e.Column, e.Message)
}

// ImportResult reports what an import did.
type ImportResult struct {
	Created  int `json:"created"`
	Existing int `json:"existing"` // already a contact of that municipality: left as it is
	// Unsubscribed counts the new contacts whose address unsubscribed
	// before: they are listed but receive no invitations.
	Unsubscribed int        `json:"unsubscribed"`
	Errors       []RowError `json:"errors"`
}

// Row is a parsed line of an import.
type Row struct {
	Line  int
	Input Input
}

// columns of an import, in the order used when the file has no header.
var columns = []struct{ key, label string }{
	{"municipality_id", "Kommune"}, {"name", "Name"}, {"email", "E-Mail"}, {"function", "Funktion"},
}

func columnOf(header string) string {
	h := strings.ToLower(strings.Join(strings.Fields(header), ""))
	h = strings.ReplaceAll(h, "-", "")
	switch h {
	case "kommune", "municipality", "stadt/kreis", "organisation":
		return "municipality_id"
	case "name", "ansprechperson", "kontakt":
		return "name"
	case "email", "emailadresse", "mail", "adresse":
		return "email"
	case "funktion", "function", "amt", "bereich":
		return "function"
	}
	return ""
}

// ParseCSV reads "Kommune;Name;E-Mail;Funktion" lines (also with ","; UTF-8
// with or without BOM; a header line may name the columns in any
// order; Funktion is optional). municipalities are matched by full name
// or place name, any case ("Ahlen" finds "Stadt Ahlen" when only one
// municipality is called so). Bad rows are reported with line and
// column, the good ones returned.
func ParseCSV(r io.Reader, municipalities []municipality.Municipality) ([]Row, []RowError, error) {
	records, err := csvimport.Read(r)
	if err != nil {
		return nil, nil, err
	}
	find := municipalityFinder(municipalities)
	order := []string{"municipality_id", "name", "email", "function"}
	var (
		rows  []Row
		errs  []RowError
		first = true
	)
	for _, r := range records {
		if r.Broken {
			first = false
			errs = append(errs, RowError{Line: r.Line, Message: csvimport.BrokenMessage})
			continue
		}
		rec, line := r.Fields, r.Line
		if first {
			first = false
			if header := headerOrder(rec); header != nil {
				order = header
				continue
			}
		}
		if len(rec) > len(order) {
			errs = append(errs, RowError{Line: line, Message: fmt.Sprintf("%d Spalten gefunden, erwartet sind höchstens %d (Kommune; Name; E-Mail; Funktion).", len(rec), len(order))})
			continue
		}
		var in Input
		var muniText string
		for i, v := range rec {
			v = strings.TrimSpace(v)
			switch order[i] {
			case "municipality_id":
				muniText = v
			case "name":
				in.Name = v
			case "email":
				in.Email = v
			case "function":
				in.Function = v
			}
		}
		var rowErrs []RowError
		id, msg := find(muniText)
		if msg != "" {
			rowErrs = append(rowErrs, RowError{Line: line, Column: "Kommune", Message: msg})
		}
		in.MunicipalityID = id
		if _, err := in.Validate(); err != nil {
			if pe, ok := problem.As(err); ok {
				for _, c := range columns {
					if m, ok := pe.Fields[c.key]; ok && c.key != "municipality_id" {
						rowErrs = append(rowErrs, RowError{Line: line, Column: c.label, Message: m})
					}
				}
			}
		}
		if len(rowErrs) > 0 {
			errs = append(errs, rowErrs...)
			continue
		}
		rows = append(rows, Row{Line: line, Input: in})
	}
	return rows, errs, nil
}

// headerOrder returns the columns a header line names, or nil when the
// line is data: it is a header when it names the e-mail column.
func headerOrder(rec []string) []string {
	order := make([]string, len(rec))
	seen := map[string]bool{}
	for i, v := range rec {
		order[i] = columnOf(v)
		seen[order[i]] = true
	}
	if !seen["email"] {
		return nil
	}
	return order
}

// municipalityFinder matches a municipality by its full name or, when
// unambiguous, by its place name ("Ahlen" for "Stadt Ahlen").
func municipalityFinder(list []municipality.Municipality) func(string) (int64, string) {
	byName := map[string]int64{}
	byPlace := map[string][]int64{}
	for _, m := range list {
		byName[strings.ToLower(m.Name)] = m.ID
		p := strings.ToLower(municipality.PlaceName(m.Name))
		byPlace[p] = append(byPlace[p], m.ID)
	}
	return func(text string) (int64, string) {
		t := strings.ToLower(strings.Join(strings.Fields(text), " "))
		if t == "" {
			return 0, "Bitte geben Sie die Kommune an, z. B. „Stadt Ahlen“."
		}
		if id, ok := byName[t]; ok {
			return id, ""
		}
		switch ids := byPlace[strings.ToLower(municipality.PlaceName(t))]; len(ids) {
		case 1:
			return ids[0], ""
		case 0:
			return 0, "„" + strings.TrimSpace(text) + "“ ist keine bekannte Kommune. Bitte legen Sie sie zuerst unter Verwaltung › Kommunen an oder schreiben Sie den Namen wie dort."
		default:
			return 0, "„" + strings.TrimSpace(text) + "“ ist nicht eindeutig. Bitte schreiben Sie den vollen Namen, z. B. „Kreis " + strings.TrimSpace(text) + "“ oder „Stadt " + strings.TrimSpace(text) + "“."
		}
	}
}
