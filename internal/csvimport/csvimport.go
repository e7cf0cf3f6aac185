// Package csvimport reads the CSV files organisers save from their
// spreadsheets for an import: UTF-8 with or without Excel's byte order
// mark, ";" or "," between fields. What the lines mean is the importing
// package's business.
package csvimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/problem"
)

// MaxBytes is the most of a file that is read; a list of contacts or
// municipalities is far smaller.
const MaxBytes = 5 << 20

// BrokenMessage says what is wrong with a Broken record.
const BrokenMessage = "Die Zeile ist kein gültiges CSV (Anführungszeichen prüfen)."

// Record is one line of the file that is not blank.
type Record struct {
	Line   int      // where the record starts in the file, from 1
	Fields []string // as written, surrounding space of each field kept but leading space trimmed
	Broken bool     // not valid CSV (an unclosed quote, say); Fields is empty
}

// Read returns the records of r in file order. The separator is the one
// the first line has more of. A file that is not UTF-8 is refused with a
// German message.
func Read(r io.Reader) ([]Record, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxBytes))
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		return nil, problem.New(problem.Invalid, "Die Datei ist nicht UTF-8-kodiert. Bitte speichern Sie sie als „CSV UTF-8“.")
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = ','
	if first, _, _ := bytes.Cut(raw, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Record
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read CSV: %w", err)
			}
			out = append(out, Record{Line: pe.StartLine, Broken: true})
			continue
		}
		if blank(fields) {
			continue
		}
		line, _ := cr.FieldPos(0)
		out = append(out, Record{Line: line, Fields: fields})
	}
}

func blank(fields []string) bool {
	for _, v := range fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
