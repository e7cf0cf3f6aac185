package emailaddress

import (
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	local64 := strings.Repeat("a", 64)
	domain := func(n int) string { // a domain of n octets ending in ".de"
		return strings.Repeat("b", n-3) + ".de"
	}
	for _, tc := range []struct {
		name, addr, want string
	}{
		{"plain", "anna.schmidt@stadt-koeln.de", ""},
		{"empty", "", MsgMissing},
		{"no at", "anna.schmidt", MsgInvalid},
		{"no dot in domain", "anna@localhost", MsgInvalid},
		{"display name", "Anna <anna@koeln.de>", MsgInvalid},
		{"local part of 64", local64 + "@koeln.de", ""},
		{"local part of 65", local64 + "a@koeln.de", MsgLocalLen},
		{"local part of 5000", strings.Repeat("x", 5000) + "@koeln.de", MsgTooLong},
		{"254 in all", local64 + "@" + domain(254-65), ""},
		{"255 in all", local64 + "@" + domain(255-65), MsgTooLong},
		{"invalid UTF-8", "a\xff@koeln.de", MsgInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Problem(tc.addr); got != tc.want {
				t.Errorf("Problem(%.40q… len %d) = %q, want %q", tc.addr, len(tc.addr), got, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	if got := Normalize("  Anna.Schmidt@Stadt-Koeln.DE \n"); got != "anna.schmidt@stadt-koeln.de" {
		t.Errorf("Normalize = %q", got)
	}
}
