package loadtest

import (
	"strings"
	"testing"
)

// TestCheckFindsEveryKindOfDamage feeds the check a damaged meeting and
// expects each damage named.
func TestCheckFindsEveryKindOfDamage(t *testing.T) {
	m1, m2 := int64(1), int64(2)
	regs := []apiRegistration{
		{ID: 1, Email: "a@x", Status: "confirmed", MunicipalityID: &m1},
		{ID: 2, Email: "b@x", Status: "confirmed", MunicipalityID: &m1},
		{ID: 3, Email: "b@x", Status: "confirmed", MunicipalityID: &m1},
		{ID: 4, Email: "c@x", Status: "waitlisted", MunicipalityID: &m2, WaitlistPosition: 2},
		{ID: 5, Email: "d@x", Status: "cancelled", MunicipalityID: &m2},
	}
	outcomes := []outcome{
		{email: "a@x", id: 9, status: "confirmed", ok: true}, // stored under another id
		{email: "lost@x", id: 6, status: "confirmed", ok: true},
		{email: "d@x", ok: false},
	}
	v := check(outcomes, regs, 2, 2)
	all := strings.Join(v.Problems, "\n")
	for _, want := range []string{"b@x is registered 2 times", "lost@x got a success answer but is not registered", "answered with id 9 but stored as 1",
		"overbooked: 3 confirmed, capacity 2", "municipality 1 has 3 confirmed, quota 2", "waiting list positions are not 1…1"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	v = check(nil, []apiRegistration{{ID: 1, Email: "a@x", Status: "confirmed", MunicipalityID: &m1},
		{ID: 2, Email: "b@x", Status: "waitlisted", MunicipalityID: &m2, WaitlistPosition: 1}}, 5, 2)
	if len(v.Problems) != 1 || !strings.Contains(v.Problems[0], "waits although a place is free") {
		t.Errorf("free place with a waiting person: %v", v.Problems)
	}
	v = check([]outcome{{email: "a@x", id: 1, status: "confirmed", ok: true}},
		[]apiRegistration{{ID: 1, Email: "a@x", Status: "confirmed", MunicipalityID: &m1}}, 1, 1)
	if !v.OK() || v.Acknowledged != 1 {
		t.Errorf("a sound meeting: %v", v)
	}
}
