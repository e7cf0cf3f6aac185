package workinggroup

import (
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/problem"
)

// randomProblem draws an instance with up to maxPeople participants. Fixed
// entries are drawn only where the group still has room, so it is valid.
func randomProblem(rng *rand.Rand, maxPeople, slots, minGroups, maxGroups, maxCapacity, municipalities int) Problem {
	var p Problem
	groupID := int64(100 + rng.Intn(50))
	for s := range slots {
		slot := 3 + 2*s // slots need not start at 0 nor be contiguous
		for range minGroups + rng.Intn(maxGroups-minGroups+1) {
			groupID += 1 + int64(rng.Intn(3))
			p.Groups = append(p.Groups, GroupSpec{ID: groupID, Slot: slot, Capacity: rng.Intn(maxCapacity + 1)})
		}
	}
	rng.Shuffle(len(p.Groups), func(i, j int) { p.Groups[i], p.Groups[j] = p.Groups[j], p.Groups[i] })
	p.MaxPerMunicipality = rng.Intn(3)
	switch rng.Intn(4) {
	case 0: // default costs
	case 1:
		p.RankCosts = []int{0, 1, 2, 3}[:rng.Intn(5)]
	default:
		for range rng.Intn(4) {
			p.RankCosts = append(p.RankCosts, rng.Intn(8))
		}
	}
	if rng.Intn(2) == 0 {
		p.UnrankedCost = rng.Intn(12)
	}
	fixed := map[int64]int{}
	people := 1 + rng.Intn(maxPeople)
	for i := range people {
		pt := ParticipantSpec{ID: int64(1000 - 7*i)}
		if m := rng.Intn(municipalities + 1); m > 0 {
			pt.MunicipalityID = int64(50 + m)
		}
		for range rng.Intn(4 * slots) {
			if rng.Intn(10) == 0 {
				pt.Preferences = append(pt.Preferences, 99999) // unknown group: ignored
				continue
			}
			pt.Preferences = append(pt.Preferences, p.Groups[rng.Intn(len(p.Groups))].ID)
		}
		if rng.Intn(4) == 0 {
			g := p.Groups[rng.Intn(len(p.Groups))]
			if fixed[g.ID] < g.Capacity {
				fixed[g.ID]++
				pt.Fixed = map[int]int64{g.Slot: g.ID}
			}
		}
		p.Participants = append(p.Participants, pt)
	}
	return p
}

// problemRules restates the rules of a Problem independently of the solver.
type problemRules struct {
	p            Problem
	rankCosts    []int
	unrankedCost int
	groups       map[int64]GroupSpec
	slotGroups   map[int][]int64 // ascending ids
	slots        []int
}

func newProblemRules(p Problem) problemRules {
	r := problemRules{p: p, rankCosts: p.RankCosts, unrankedCost: p.UnrankedCost, groups: map[int64]GroupSpec{}, slotGroups: map[int][]int64{}}
	if r.rankCosts == nil {
		r.rankCosts = []int{0, 1, 3}
	}
	if r.unrankedCost == 0 {
		r.unrankedCost = 10
	}
	for _, g := range p.Groups {
		r.groups[g.ID] = g
		if len(r.slotGroups[g.Slot]) == 0 {
			r.slots = append(r.slots, g.Slot)
		}
		r.slotGroups[g.Slot] = append(r.slotGroups[g.Slot], g.ID)
	}
	slices.Sort(r.slots)
	for _, ids := range r.slotGroups {
		slices.Sort(ids)
	}
	return r
}

// rank is the 0-based rank of group among pt's counted choices in its slot,
// or -1.
func (r problemRules) rank(pt ParticipantSpec, group int64) int {
	slot := r.groups[group].Slot
	var seen []int64
	for _, id := range pt.Preferences {
		g, ok := r.groups[id]
		if !ok || g.Slot != slot || slices.Contains(seen, id) {
			continue
		}
		if len(seen) == len(r.rankCosts) {
			break
		}
		if id == group {
			return len(seen)
		}
		seen = append(seen, id)
	}
	return -1
}

func (r problemRules) cost(pt ParticipantSpec, group int64) int {
	if k := r.rank(pt, group); k >= 0 {
		return r.rankCosts[k]
	}
	return r.unrankedCost
}

// bruteForceSlot returns the most people that can be placed in slot and the
// least cost of doing so, by trying every assignment.
func (r problemRules) bruteForceSlot(slot int) (placed, cost int) {
	groups := r.slotGroups[slot]
	occupancy := map[int64]int{}
	quota := map[[2]int64]int{}
	var free []ParticipantSpec
	place := func(pt ParticipantSpec, g int64, delta int) {
		occupancy[g] += delta
		if pt.MunicipalityID != 0 {
			quota[[2]int64{pt.MunicipalityID, g}] += delta
		}
	}
	fixedQuota := map[[2]int64]int{}
	for _, pt := range r.p.Participants {
		if g, ok := pt.Fixed[slot]; ok {
			place(pt, g, 1)
			placed++
			cost += r.cost(pt, g)
			if pt.MunicipalityID != 0 {
				fixedQuota[[2]int64{pt.MunicipalityID, g}]++
			}
			continue
		}
		free = append(free, pt)
	}
	bestPlaced, bestCost := -1, 0
	var try func(i, placed, cost int)
	try = func(i, placed, cost int) {
		if i == len(free) {
			if placed > bestPlaced || placed == bestPlaced && cost < bestCost {
				bestPlaced, bestCost = placed, cost
			}
			return
		}
		pt := free[i]
		try(i+1, placed, cost) // left out
		for _, g := range groups {
			if occupancy[g] >= r.groups[g].Capacity {
				continue
			}
			key := [2]int64{pt.MunicipalityID, g}
			if r.p.MaxPerMunicipality > 0 && pt.MunicipalityID != 0 && quota[key] >= max(r.p.MaxPerMunicipality, fixedQuota[key]) {
				continue
			}
			place(pt, g, 1)
			try(i+1, placed+1, cost+r.cost(pt, g))
			place(pt, g, -1)
		}
	}
	try(0, placed, cost)
	return bestPlaced, bestCost
}

// checkSolution asserts that sol is a feasible, consistently reported
// answer to p.
func checkSolution(t *testing.T, p Problem, sol Solution) {
	t.Helper()
	r := newProblemRules(p)
	occupancy := map[int64]int{}
	quota := map[[2]int64]int{}
	fixedQuota := map[[2]int64]int{}
	unassigned := map[[2]int64]string{}
	for _, u := range sol.Unassigned {
		key := [2]int64{u.ParticipantID, int64(u.Slot)}
		if _, dup := unassigned[key]; dup {
			t.Fatalf("participant %d unassigned twice in slot %d", u.ParticipantID, u.Slot)
		}
		unassigned[key] = u.Reason
	}
	cost := 0
	overall := Tally{ByRank: make([]int, len(r.rankCosts))}
	perSlot := map[int]Tally{}
	for _, slot := range r.slots {
		perSlot[slot] = Tally{ByRank: make([]int, len(r.rankCosts))}
	}
	for _, pt := range p.Participants {
		got := sol.Assignment[pt.ID]
		for slot, g := range got {
			if r.groups[g].Slot != slot {
				t.Fatalf("participant %d in slot %d got group %d of slot %d", pt.ID, slot, g, r.groups[g].Slot)
			}
		}
		for slot, g := range pt.Fixed {
			if got[slot] != g {
				t.Fatalf("participant %d fixed to group %d in slot %d, got %d", pt.ID, g, slot, got[slot])
			}
			if pt.MunicipalityID != 0 {
				fixedQuota[[2]int64{pt.MunicipalityID, g}]++
			}
		}
		for _, slot := range r.slots {
			tally := perSlot[slot]
			g, placed := got[slot]
			_, left := unassigned[[2]int64{pt.ID, int64(slot)}]
			switch {
			case placed && left:
				t.Fatalf("participant %d both placed and unassigned in slot %d", pt.ID, slot)
			case !placed && !left:
				t.Fatalf("participant %d neither placed nor unassigned in slot %d", pt.ID, slot)
			case left:
				tally.Unplaced++
				overall.Unplaced++
			default:
				occupancy[g]++
				if pt.MunicipalityID != 0 {
					quota[[2]int64{pt.MunicipalityID, g}]++
				}
				cost += r.cost(pt, g)
				if k := r.rank(pt, g); k >= 0 {
					tally.ByRank[k]++
					overall.ByRank[k]++
				} else {
					tally.Unranked++
					overall.Unranked++
				}
			}
			perSlot[slot] = tally
		}
	}
	for id, n := range occupancy {
		if n > r.groups[id].Capacity {
			t.Fatalf("group %d holds %d, capacity %d", id, n, r.groups[id].Capacity)
		}
	}
	if p.MaxPerMunicipality > 0 {
		for key, n := range quota {
			if n > max(p.MaxPerMunicipality, fixedQuota[key]) {
				t.Fatalf("group %d holds %d of municipality %d, limit %d", key[1], n, key[0], p.MaxPerMunicipality)
			}
		}
	}
	for key, reason := range unassigned {
		pt := p.Participants[slices.IndexFunc(p.Participants, func(pt ParticipantSpec) bool { return pt.ID == key[0] })]
		full := true
		for _, g := range r.slotGroups[int(key[1])] {
			if occupancy[g] < r.groups[g].Capacity {
				full = false
				if p.MaxPerMunicipality == 0 || pt.MunicipalityID == 0 || quota[[2]int64{pt.MunicipalityID, g}] < max(p.MaxPerMunicipality, fixedQuota[[2]int64{pt.MunicipalityID, g}]) {
					t.Fatalf("participant %d left out of slot %d though group %d has room", key[0], key[1], g)
				}
			}
		}
		if want := map[bool]string{true: ReasonSlotFull, false: ReasonMunicipalityQuota}[full]; reason != want {
			t.Fatalf("participant %d in slot %d: reason %q, want %q", key[0], key[1], reason, want)
		}
	}
	if cost != sol.Cost {
		t.Fatalf("reported cost %d, assignment costs %d", sol.Cost, cost)
	}
	if !reflect.DeepEqual(perSlot, sol.Stats.PerSlot) || !reflect.DeepEqual(overall, sol.Stats.Overall) {
		t.Fatalf("stats %+v, recounted %+v / %+v", sol.Stats, perSlot, overall)
	}
}

func TestSolveMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := range 500 {
		p := randomProblem(rng, 7, 1+rng.Intn(2), 2, 4, 3, 3)
		sol, err := Solve(p)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkSolution(t, p, sol)
		r := newProblemRules(p)
		wantPlaced, wantCost := 0, 0
		for _, slot := range r.slots {
			placed, cost := r.bruteForceSlot(slot)
			wantPlaced += placed
			wantCost += cost
		}
		gotPlaced := len(r.slots)*len(p.Participants) - len(sol.Unassigned)
		if gotPlaced != wantPlaced || sol.Cost != wantCost {
			t.Fatalf("instance %d: placed %d at cost %d, optimum places %d at cost %d\n%+v", i, gotPlaced, sol.Cost, wantPlaced, wantCost, p)
		}
	}
}

// referenceSolve solves p with the textbook network, one node per person,
// an "unplaced" edge with a large penalty, and one Bellman-Ford shortest
// path per unit of flow: slow, but independent of Solve's shortcuts.
func referenceSolve(p Problem) (placed, cost int) {
	r := newProblemRules(p)
	for _, slot := range r.slots {
		groups := r.slotGroups[slot]
		type edge struct {
			to, capacity, cost int
		}
		var edges []edge
		adjacent := map[int][]int{}
		nodes := 2
		addEdge := func(from, to, capacity, cost int) {
			adjacent[from] = append(adjacent[from], len(edges))
			edges = append(edges, edge{to, capacity, cost})
			adjacent[to] = append(adjacent[to], len(edges))
			edges = append(edges, edge{from, 0, -cost})
		}
		groupNode := map[int64]int{}
		occupancy := map[int64]int{}
		fixedQuota := map[[2]int64]int{}
		maxCost := r.unrankedCost
		for _, c := range r.rankCosts {
			maxCost = max(maxCost, c)
		}
		var free []ParticipantSpec
		for _, pt := range p.Participants {
			if g, ok := pt.Fixed[slot]; ok {
				occupancy[g]++
				fixedQuota[[2]int64{pt.MunicipalityID, g}]++
				placed++
				cost += r.cost(pt, g)
				continue
			}
			free = append(free, pt)
		}
		penalty := (len(free)+1)*maxCost + 1
		for _, g := range groups {
			groupNode[g] = nodes
			nodes++
			addEdge(groupNode[g], 1, r.groups[g].Capacity-occupancy[g], 0)
		}
		quotaNode := map[[2]int64]int{}
		for _, pt := range free {
			node := nodes
			nodes++
			addEdge(0, node, 1, 0)
			addEdge(node, 1, 1, penalty)
			for _, g := range groups {
				to := groupNode[g]
				if p.MaxPerMunicipality > 0 && pt.MunicipalityID != 0 {
					key := [2]int64{pt.MunicipalityID, g}
					if _, ok := quotaNode[key]; !ok {
						quotaNode[key] = nodes
						nodes++
						addEdge(quotaNode[key], to, max(0, p.MaxPerMunicipality-fixedQuota[key]), 0)
					}
					to = quotaNode[key]
				}
				addEdge(node, to, 1, r.cost(pt, g))
			}
		}
		for range free {
			distance := make([]int, nodes)
			via := make([]int, nodes)
			for v := range distance {
				distance[v], via[v] = 1<<60, -1
			}
			distance[0] = 0
			for changed := true; changed; {
				changed = false
				for from, out := range adjacent {
					if distance[from] == 1<<60 {
						continue
					}
					for _, e := range out {
						if edges[e].capacity > 0 && distance[from]+edges[e].cost < distance[edges[e].to] {
							distance[edges[e].to] = distance[from] + edges[e].cost
							via[edges[e].to] = e
							changed = true
						}
					}
				}
			}
			for v := 1; v != 0; v = edges[via[v]^1].to {
				edges[via[v]].capacity--
				edges[via[v]^1].capacity++
			}
			cost += distance[1]
			if distance[1] >= penalty {
				cost -= penalty
			} else {
				placed++
			}
		}
	}
	return placed, cost
}

func TestSolveMatchesReferenceNetwork(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := range 60 {
		p := randomProblem(rng, 60, 1+rng.Intn(2), 2, 5, 16, 6)
		sol, err := Solve(p)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkSolution(t, p, sol)
		wantPlaced, wantCost := referenceSolve(p)
		gotPlaced := 0
		for _, slots := range sol.Assignment {
			gotPlaced += len(slots)
		}
		if gotPlaced != wantPlaced || sol.Cost != wantCost {
			t.Fatalf("instance %d: placed %d at cost %d, reference places %d at cost %d", i, gotPlaced, sol.Cost, wantPlaced, wantCost)
		}
	}
}

func TestSolveLargeInstancesFeasible(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for i := range 20 {
		p := randomProblem(rng, 300, 2, 8, 8, 60, 25)
		p.Participants = p.Participants[:min(len(p.Participants), 300)]
		if i%2 == 0 {
			p.MaxPerMunicipality = 0
		} else {
			p.MaxPerMunicipality = 2 + rng.Intn(6)
		}
		sol, err := Solve(p)
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		checkSolution(t, p, sol)
		if p.MaxPerMunicipality == 0 {
			// Without limit everybody is placed as far as seats go.
			r := newProblemRules(p)
			for _, slot := range r.slots {
				seats := 0
				for _, g := range r.slotGroups[slot] {
					seats += r.groups[g].Capacity
				}
				if want := max(0, len(p.Participants)-seats); sol.Stats.PerSlot[slot].Unplaced != want {
					t.Fatalf("instance %d slot %d: %d unplaced with %d seats for %d people", i, slot, sol.Stats.PerSlot[slot].Unplaced, seats, len(p.Participants))
				}
			}
		}
	}
}

func TestSolveKeepsLockedPeopleForLateRegistrations(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	p := Problem{MaxPerMunicipality: 3}
	for g := range 8 {
		p.Groups = append(p.Groups, GroupSpec{ID: int64(10 + g), Slot: g / 4, Capacity: 14})
	}
	for i := range 40 {
		pt := ParticipantSpec{ID: int64(i + 1), MunicipalityID: int64(1 + rng.Intn(8))}
		for range 6 {
			pt.Preferences = append(pt.Preferences, int64(10+rng.Intn(8)))
		}
		p.Participants = append(p.Participants, pt)
	}
	first, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Participants {
		p.Participants[i].Fixed = first.Assignment[p.Participants[i].ID]
	}
	// Late registrations all want what the locked people already hold.
	for i := range 10 {
		p.Participants = append(p.Participants, ParticipantSpec{
			ID:             int64(100 + i),
			MunicipalityID: int64(1 + i%3),
			Preferences:    []int64{10, 14, 11, 15},
		})
	}
	second, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	checkSolution(t, p, second)
	for id, slots := range first.Assignment {
		if !reflect.DeepEqual(second.Assignment[id], slots) {
			t.Errorf("locked participant %d moved from %v to %v", id, slots, second.Assignment[id])
		}
	}
	for i := range 10 {
		if got := len(second.Assignment[int64(100+i)]); got != 2 {
			t.Errorf("late participant %d placed in %d slots, want 2", 100+i, got)
		}
	}
}

func TestSolveRejectsInvalidFixed(t *testing.T) {
	groups := []GroupSpec{{ID: 1, Slot: 1, Capacity: 1}, {ID: 2, Slot: 1, Capacity: 5}, {ID: 3, Slot: 2, Capacity: 5}}
	for _, tc := range []struct {
		name         string
		participants []ParticipantSpec
		want         string
	}{
		{"beyond capacity", []ParticipantSpec{{ID: 1, Fixed: map[int]int64{1: 1}}, {ID: 2, Fixed: map[int]int64{1: 1}}}, "Arbeitsgruppe 1 hat 1 Plätze"},
		{"group of another slot", []ParticipantSpec{{ID: 1, Fixed: map[int]int64{1: 3}}}, "zum Zeitfenster 2"},
		{"unknown group", []ParticipantSpec{{ID: 1, Fixed: map[int]int64{1: 42}}}, "Arbeitsgruppe 42 zugeordnet, die es nicht gibt"},
		{"duplicate participant", []ParticipantSpec{{ID: 1}, {ID: 1}}, "Person 1 ist doppelt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Solve(Problem{Groups: groups, Participants: tc.participants})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if !problem.Is(err, problem.Invalid) {
				t.Fatalf("got code %s, want %s", problem.CodeOf(err), problem.Invalid)
			}
		})
	}
	for _, p := range []Problem{
		{Groups: []GroupSpec{{ID: 1, Capacity: -1}}},
		{Groups: []GroupSpec{{ID: 1}, {ID: 1}}},
		{RankCosts: []int{0, -1}},
		{UnrankedCost: -1},
		{MaxPerMunicipality: -1},
	} {
		if _, err := Solve(p); !problem.Is(err, problem.Invalid) {
			t.Errorf("Solve(%+v): got %v, want an invalid problem", p, err)
		}
	}
}

func TestSolveIsDeterministic(t *testing.T) {
	p := benchmarkProblem(rand.New(rand.NewSource(5)), 400)
	first, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("the same input gave different solutions")
	}
	rand.New(rand.NewSource(6)).Shuffle(len(p.Participants), func(i, j int) {
		p.Participants[i], p.Participants[j] = p.Participants[j], p.Participants[i]
	})
	slices.Reverse(p.Groups)
	shuffled, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, shuffled) {
		t.Fatal("the same input in another order gave a different solution")
	}
}

func TestSolveSpreadsDisappointment(t *testing.T) {
	// A (1) and B (2) have one seat each, C (3) none. Ann wants A, then B;
	// Ben wants C, then A, then B. Ann on A and Ben on B is a 1st and a 3rd
	// choice (0+3); Ann on B and Ben on A is two 2nd choices (1+1), which
	// the default costs prefer (linear costs would tie at 2).
	p := Problem{
		Groups: []GroupSpec{{ID: 1, Capacity: 1}, {ID: 2, Capacity: 1}, {ID: 3, Capacity: 0}},
		Participants: []ParticipantSpec{
			{ID: 10, Preferences: []int64{1, 2}},
			{ID: 20, Preferences: []int64{3, 1, 2}},
		},
	}
	sol, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if sol.Assignment[10][0] != 2 || sol.Assignment[20][0] != 1 || sol.Cost != 2 {
		t.Fatalf("got %v at cost %d, want Ann in 2 and Ben in 1 at cost 2", sol.Assignment, sol.Cost)
	}
	if want := []int{0, 2, 0}; !slices.Equal(sol.Stats.Overall.ByRank, want) {
		t.Fatalf("by rank %v, want %v", sol.Stats.Overall.ByRank, want)
	}
}

func TestSolveIdenticalWishesFavourLowerIDs(t *testing.T) {
	p := Problem{Groups: []GroupSpec{{ID: 1, Capacity: 1}, {ID: 2, Capacity: 1}}}
	for _, id := range []int64{30, 10, 20} {
		p.Participants = append(p.Participants, ParticipantSpec{ID: id, Preferences: []int64{2, 1}})
	}
	sol, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]map[int]int64{10: {0: 2}, 20: {0: 1}, 30: {}}
	if !reflect.DeepEqual(sol.Assignment, want) {
		t.Fatalf("got %v, want %v", sol.Assignment, want)
	}
	if len(sol.Unassigned) != 1 || sol.Unassigned[0] != (Unassigned{ParticipantID: 30, Slot: 0, Reason: ReasonSlotFull}) {
		t.Fatalf("unassigned %+v", sol.Unassigned)
	}
}
