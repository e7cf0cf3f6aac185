package municipality

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/isa-nrw/treffen/internal/csvimport"
	"github.com/isa-nrw/treffen/internal/problem"
)

// LineError is a rejected line of an import.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// ImportResult reports what an import did, line by line.
type ImportResult struct {
	Created  int         `json:"created"`
	Existing int         `json:"existing"`
	Errors   []LineError `json:"errors"`
}

// ParseCSV reads "name;kind" or "name,kind" lines (kind optional; a header
// line "name"/"Name"/"Kommune" is skipped). Bad lines are reported, not
// fatal: the good ones are returned.
func ParseCSV(r io.Reader) ([]Input, []LineError, error) {
	records, err := csvimport.Read(r)
	if err != nil {
		return nil, nil, err
	}
	var (
		inputs []Input
		errs   []LineError
		first  = true // the first record may be a header
	)
	for _, r := range records {
		if r.Broken {
			first = false
			errs = append(errs, LineError{Line: r.Line, Message: csvimport.BrokenMessage})
			continue
		}
		rec, line := r.Fields, r.Line
		name := strings.TrimSpace(rec[0])
		wasFirst := first
		first = false
		if wasFirst && isHeader(name) {
			continue
		}
		if len(rec) > 2 {
			errs = append(errs, LineError{Line: line, Message: fmt.Sprintf("%d Spalten gefunden, erwartet sind höchstens 2 (Name; Art).", len(rec))})
			continue
		}
		in := Input{Name: name}
		if len(rec) == 2 {
			in.Kind = strings.TrimSpace(rec[1])
		}
		if _, err := in.Validate(); err != nil {
			errs = append(errs, LineError{Line: line, Message: fieldMessages(err)})
			continue
		}
		inputs = append(inputs, in)
	}
	return inputs, errs, nil
}

func isHeader(s string) bool {
	switch strings.ToLower(s) {
	case "name", "kommune", "kommunen", "municipality":
		return true
	}
	return false
}

func fieldMessages(err error) string {
	pe, ok := problem.As(err)
	if !ok || len(pe.Fields) == 0 {
		return err.Error()
	}
	var parts []string
	for _, f := range []string{"name", "kind"} {
		if m, ok := pe.Fields[f]; ok {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, " ")
}

// ImportCSV parses r and creates the municipalities not yet known.
func (s *Store) ImportCSV(ctx context.Context, r io.Reader) (ImportResult, error) {
	inputs, lineErrs, err := ParseCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Errors: lineErrs}
	for _, in := range inputs {
		_, created, err := s.FindOrCreate(ctx, in)
		if err != nil {
			return res, fmt.Errorf("import %q: %w", in.Name, err)
		}
		if created {
			res.Created++
		} else {
			res.Existing++
		}
	}
	return res, nil
}
