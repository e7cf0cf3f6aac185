package loadtest

import (
	"context"
	"fmt"
	"strings"
)

// Verification is what the organisers' API shows after a run.
type Verification struct {
	Registrations int // of this run, not cancelled
	Confirmed     int
	Waitlisted    int
	Capacity      int
	Quota         int
	Acknowledged  int // registrations the clients saw succeed
	Unanswered    int // present although the client gave up: committed, answer lost
	Problems      []string
}

// OK reports whether every check passed.
func (v Verification) OK() bool { return len(v.Problems) == 0 }

func (v Verification) String() string {
	s := fmt.Sprintf("verified: %d registrations (%d confirmed of capacity %d, quota %d; %d waiting), %d acknowledged to clients, %d committed without an answer",
		v.Registrations, v.Confirmed, v.Capacity, v.Quota, v.Waitlisted, v.Acknowledged, v.Unanswered)
	if v.OK() {
		return s + "; no problems"
	}
	return s + "; PROBLEMS:\n  " + strings.Join(v.Problems, "\n  ")
}

// apiRegistration is what the check reads of a registration.
type apiRegistration struct {
	ID               int64  `json:"id"`
	Email            string `json:"email"`
	Status           string `json:"status"`
	MunicipalityID   *int64 `json:"municipality_id"`
	WaitlistPosition int    `json:"waitlist_position"`
}

// Verify reads the meeting's registrations and checks: every success a
// client saw is there exactly once (with the id of its 201), no address
// is registered twice, confirmed places stay within the capacity and
// every municipality within its quota, the waiting list is numbered
// 1…n, and nobody waits while a place they could take is free.
func (r *Runner) Verify(ctx context.Context) (Verification, error) {
	var ev struct {
		Capacity          int `json:"capacity"`
		MunicipalityQuota int `json:"municipality_quota"`
	}
	if err := r.call(ctx, "GET", fmt.Sprintf("/api/v1/events/%d", r.eventID), nil, 200, &ev); err != nil {
		return Verification{}, err
	}
	var list struct {
		Items []apiRegistration `json:"items"`
	}
	if err := r.call(ctx, "GET", fmt.Sprintf("/api/v1/events/%d/registrations", r.eventID), nil, 200, &list); err != nil {
		return Verification{}, err
	}
	r.mu.Lock()
	outcomes := append([]outcome(nil), r.outcomes...)
	r.mu.Unlock()
	return check(outcomes, list.Items, ev.Capacity, ev.MunicipalityQuota), nil
}

func check(outcomes []outcome, regs []apiRegistration, capacity, quota int) Verification {
	v := Verification{Capacity: capacity, Quota: quota}
	problem := func(format string, args ...any) { v.Problems = append(v.Problems, fmt.Sprintf(format, args...)) }
	byEmail := map[string][]apiRegistration{}
	confirmedOf := map[int64]int{}
	var positions []int
	for _, reg := range regs {
		if reg.Status == "cancelled" {
			continue
		}
		v.Registrations++
		byEmail[reg.Email] = append(byEmail[reg.Email], reg)
		switch reg.Status {
		case "confirmed":
			v.Confirmed++
			if reg.MunicipalityID != nil {
				confirmedOf[*reg.MunicipalityID]++
			}
			if reg.WaitlistPosition != 0 {
				problem("confirmed registration %d has waiting-list position %d", reg.ID, reg.WaitlistPosition)
			}
		case "waitlisted":
			v.Waitlisted++
			positions = append(positions, reg.WaitlistPosition)
		default:
			problem("registration %d has status %q", reg.ID, reg.Status)
		}
	}
	for email, list := range byEmail {
		if len(list) > 1 {
			problem("%s is registered %d times", email, len(list))
		}
	}
	for _, o := range outcomes {
		found := byEmail[o.email]
		switch {
		case o.ok && len(found) == 0:
			problem("%s got a success answer but is not registered (lost)", o.email)
		case o.ok:
			v.Acknowledged++
			if o.id != 0 && found[0].ID != o.id {
				problem("%s answered with id %d but stored as %d", o.email, o.id, found[0].ID)
			}
			if o.id != 0 && found[0].Status != o.status {
				problem("%s answered %s but stored %s", o.email, o.status, found[0].Status)
			}
		case len(found) > 0:
			v.Unanswered++
		}
	}
	if capacity > 0 && v.Confirmed > capacity {
		problem("overbooked: %d confirmed, capacity %d", v.Confirmed, capacity)
	}
	if quota > 0 {
		for m, n := range confirmedOf {
			if n > quota {
				problem("municipality %d has %d confirmed, quota %d", m, n, quota)
			}
		}
	}
	seen := make([]bool, len(positions)+1)
	for _, p := range positions {
		if p < 1 || p > len(positions) || seen[p] {
			problem("waiting list positions are not 1…%d: %v", len(positions), positions)
			break
		}
		seen[p] = true
	}
	full := capacity > 0 && v.Confirmed >= capacity
	for _, list := range byEmail {
		reg := list[0]
		if reg.Status != "waitlisted" || full {
			continue
		}
		if reg.MunicipalityID == nil || quota == 0 || confirmedOf[*reg.MunicipalityID] < quota {
			problem("registration %d waits although a place is free for it", reg.ID)
		}
	}
	return v
}
