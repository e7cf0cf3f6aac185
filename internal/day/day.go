// Package day holds calendar dates without a time of day, the unit in which
// meetings happen, and lists of them as stored in one text column.
package day

import (
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Layout is the ISO form used in the API, forms and the database.
const Layout = "2006-01-02"

// Berlin is the time zone every meeting takes place in.
var berlin = mustLoadBerlin()

func mustLoadBerlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		// The Go distribution embeds tzdata via time/tzdata in main; a
		// missing zone is a build error, not a runtime condition.
		panic(fmt.Sprintf("load Europe/Berlin: %v", err))
	}
	return loc
}

// Location returns Europe/Berlin.
func Location() *time.Location { return berlin }

// Date is a civil date (year, month, day).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// inputLayouts are the ways a date may be written: ISO as the API, the
// database and native date inputs send it, and German as people type it
// where a browser shows a plain text field ("20.05.2027", "20.5.2027").
var inputLayouts = []string{Layout, "02.01.2006", "2.1.2006"}

// Parse reads YYYY-MM-DD or a German date (DD.MM.YYYY, D.M.YYYY).
func Parse(s string) (Date, error) {
	s = strings.TrimSpace(s)
	var (
		t   time.Time
		err error
	)
	for _, layout := range inputLayouts {
		if t, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	if t.Year() < 1 {
		// Year 0 is how the zero (unset) Date is told apart.
		return Date{}, fmt.Errorf("parse date %q: year out of range", s)
	}
	return Of(t), nil
}

// MustParse is Parse for literals in code and tests.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the current date in Berlin.
func Today(now time.Time) Date { return Of(now.In(berlin)) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// String is YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At returns d at hour:minute in Berlin.
func (d Date) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, berlin)
}

// AddDays returns the date n days after d (before it for negative n);
// computed in UTC, so a change of summer time moves no date.
func (d Date) AddDays(n int) Date { return Of(d.In(time.UTC).AddDate(0, 0, n)) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return d.Year - o.Year
	case d.Month != o.Month:
		return int(d.Month) - int(o.Month)
	default:
		return d.Day - o.Day
	}
}

var weekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
var months = [...]string{"", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

// German formats as "13.09.2017".
func (d Date) German() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year)
}

// GermanLong formats as "Mittwoch, 13. September 2017".
func (d Date) GermanLong() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s, %d. %s %d", weekdays[d.In(time.UTC).Weekday()], d.Day, months[d.Month], d.Year)
}

// MarshalText implements encoding.TextMarshaler (JSON as "YYYY-MM-DD").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// List is a sorted set of dates, stored as "YYYY-MM-DD,YYYY-MM-DD".
type List []Date

// ParseList reads dates separated by commas or whitespace.
func ParseList(s string) (List, error) {
	var l List
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
		d, err := Parse(f)
		if err != nil {
			return nil, err
		}
		l = append(l, d)
	}
	return l.Normalize(), nil
}

// ParseEach parses each of a form's day values ("2027-05-20"); the first
// that is not a date is the error.
func ParseEach(raw []string) (List, error) {
	var out List
	for _, r := range raw {
		d, err := Parse(r)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Normalize sorts the list and drops duplicates and zero dates.
func (l List) Normalize() List {
	out := make(List, 0, len(l))
	for _, d := range l {
		if !d.IsZero() {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	uniq := out[:0]
	for i, d := range out {
		if i == 0 || d != out[i-1] {
			uniq = append(uniq, d)
		}
	}
	return uniq
}

// Contains reports whether d is in l.
func (l List) Contains(d Date) bool {
	for _, x := range l {
		if x == d {
			return true
		}
	}
	return false
}

// First returns the earliest date or the zero date.
func (l List) First() Date {
	if len(l) == 0 {
		return Date{}
	}
	return l[0]
}

// Last returns the latest date or the zero date.
func (l List) Last() Date {
	if len(l) == 0 {
		return Date{}
	}
	return l[len(l)-1]
}

// String joins the dates with commas.
func (l List) String() string {
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

// German formats a range for display: "13.09.2017" or "29.–30.11.2018" or
// "29.11.2018, 05.12.2018" when the days are not consecutive.
func (l List) German() string {
	switch len(l) {
	case 0:
		return ""
	case 1:
		return l[0].German()
	}
	first, last := l.First(), l.Last()
	consecutive := last.In(time.UTC).Sub(first.In(time.UTC)) == time.Duration(len(l)-1)*24*time.Hour
	if consecutive && first.Year == last.Year && first.Month == last.Month {
		return fmt.Sprintf("%02d.–%s", first.Day, last.German())
	}
	if consecutive {
		return first.German() + "–" + last.German()
	}
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = d.German()
	}
	return strings.Join(parts, ", ")
}

// Value implements driver.Valuer.
func (l List) Value() (driver.Value, error) { return l.Normalize().String(), nil }

// Scan implements sql.Scanner.
func (l *List) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan day.List from %T", src)
	}
	parsed, err := ParseList(s)
	if err != nil {
		return err
	}
	*l = parsed
	return nil
}

// Value implements driver.Valuer: a date column holds "YYYY-MM-DD".
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner.
func (d *Date) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan day.Date from %T", src)
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}
