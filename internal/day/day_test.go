package day_test

import (
	"encoding/json"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
)

func TestGermanFormats(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2017-09-13", "13.09.2017"},
		{"2018-11-29,2018-11-30", "29.–30.11.2018"},
		{"2018-11-30,2018-12-01", "30.11.2018–01.12.2018"},
		{"2019-05-22,2019-05-24", "22.05.2019, 24.05.2019"},
	} {
		l, err := day.ParseList(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.German(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := day.MustParse("2017-09-13").GermanLong(); got != "Mittwoch, 13. September 2017" {
		t.Errorf("long: %q", got)
	}
}

func TestListNormalisesAndRoundTrips(t *testing.T) {
	l, err := day.ParseList("2018-11-30; 2018-11-29 2018-11-30")
	if err != nil || l.String() != "2018-11-29,2018-11-30" {
		t.Fatalf("%v %v", l, err)
	}
	b, _ := json.Marshal(l)
	if string(b) != `["2018-11-29","2018-11-30"]` {
		t.Fatalf("json %s", b)
	}
	var back day.List
	if err := json.Unmarshal(b, &back); err != nil || back.String() != l.String() {
		t.Fatalf("unmarshal %v %v", back, err)
	}
	var scanned day.List
	if err := scanned.Scan([]byte("2018-11-29,2018-11-30")); err != nil || len(scanned) != 2 {
		t.Fatalf("scan %v %v", scanned, err)
	}
	if _, err := day.ParseList("2018-02-30"); err == nil {
		t.Fatal("30 February accepted")
	}
}

func TestParseEach(t *testing.T) {
	got, err := day.ParseEach([]string{"2027-05-20", "2027-05-21"})
	if err != nil || got.String() != "2027-05-20,2027-05-21" {
		t.Fatalf("ParseEach = %v, %v", got, err)
	}
	if got, err := day.ParseEach([]string{"2027-05-20", "21.05.2027"}); err != nil || got.String() != "2027-05-20,2027-05-21" {
		t.Errorf("a German date among ISO ones: %v, %v", got, err)
	}
	if _, err := day.ParseEach([]string{"2027-05-20", "20.05."}); err == nil {
		t.Error("a date without year passed")
	}
	if got, err := day.ParseEach(nil); err != nil || len(got) != 0 {
		t.Errorf("no days: %v, %v", got, err)
	}
}

// Dates are typed the German way where a browser shows a plain text field
// instead of a date picker; the API and the database keep ISO.
func TestParseReadsGermanDates(t *testing.T) {
	for _, in := range []string{"2027-05-20", "20.05.2027", "20.5.2027", " 20.05.2027 "} {
		d, err := day.Parse(in)
		if err != nil || d.String() != "2027-05-20" {
			t.Errorf("Parse(%q) = %v, %v; want 2027-05-20", in, d, err)
		}
	}
	for _, in := range []string{"", "20.05.27", "31.04.2027", "2027-13-01", "20/05/2027", "Mai 2027", "00.05.2027"} {
		if d, err := day.Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, d)
		}
	}
	b, err := json.Marshal(day.List{day.MustParse("20.05.2027")})
	if err != nil || string(b) != `["2027-05-20"]` {
		t.Errorf("JSON of a German-typed date: %s, %v", b, err)
	}
}

func TestAddDaysCrossesMonthsYearsAndSummerTime(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2027-03-28", -1, "2027-03-27"}, // summer time starts on the 28th
		{"2027-03-27", 1, "2027-03-28"},
		{"2026-10-25", 1, "2026-10-26"}, // and ends on 25 October
		{"2026-12-30", 3, "2027-01-02"},
		{"2028-03-01", -1, "2028-02-29"},
		{"2027-05-13", 0, "2027-05-13"},
	} {
		if got := day.MustParse(c.from).AddDays(c.n).String(); got != c.want {
			t.Errorf("%s %+d = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
