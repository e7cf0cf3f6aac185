package municipality

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
	raw, err := io.ReadAll(io.LimitReader(r, 5<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("read CSV: %w", err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // Excel's BOM
	if !utf8.Valid(raw) {
		return nil, nil, problem.New(problem.Invalid, "Die Datei ist nicht UTF-8-kodiert. Bitte speichern Sie sie als „CSV UTF-8“.")
	}
	sep := ','
	if first, _, _ := bytes.Cut(raw, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		sep = ';'
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var (
		inputs []Input
		errs   []LineError
		first  = true // the first record may be a header
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			first = false
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs = append(errs, LineError{Line: pe.Line, Message: "Zeile ist kein gültiges CSV (Anführungszeichen prüfen)."})
				continue
			}
			return nil, nil, fmt.Errorf("read CSV: %w", err)
		}
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		line, _ := cr.FieldPos(0)
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
