package day_test

import (
	"slices"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
)

// FuzzParseList: a day list either fails to parse or is sorted, free of
// duplicates and zero dates, and survives format → parse unchanged (as
// text and as a database value).
func FuzzParseList(f *testing.F) {
	f.Add("2026-03-12,2026-03-13")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := day.ParseList(s)
		if err != nil {
			return
		}
		for i, d := range l {
			if d.IsZero() {
				t.Fatalf("zero date in %v", l)
			}
			if i > 0 && !l[i-1].Before(d) {
				t.Fatalf("not sorted or duplicate: %v", l)
			}
		}
		again, err := day.ParseList(l.String())
		if err != nil || !slices.Equal(again, l) {
			t.Fatalf("round trip of %q: %q → %v, %v", s, l.String(), again, err)
		}
		var scanned day.List
		if err := scanned.Scan(l.String()); err != nil || !slices.Equal(scanned, l) {
			t.Fatalf("scan of %q: %v, %v", l.String(), scanned, err)
		}
		if (l.German() == "") != (len(l) == 0) {
			t.Fatalf("German() of %v is %q", l, l.German())
		}
	})
}

// FuzzParseDate: a parsed date formats back to the same date, and text
// unmarshalling agrees with Parse.
func FuzzParseDate(f *testing.F) {
	f.Add("2026-03-12")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := day.Parse(s)
		if err != nil {
			return
		}
		again, err := day.Parse(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q: %q → %v, %v", s, d.String(), again, err)
		}
		var u day.Date
		if err := u.UnmarshalText([]byte(s)); err != nil || u != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v; Parse gave %v", s, u, err, d)
		}
		if d.German() == "" || d.GermanLong() == "" {
			t.Fatalf("no German form of %v", d)
		}
	})
}
