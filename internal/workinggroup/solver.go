package workinggroup

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Problem is one assignment run: the groups of a meeting, the confirmed
// participants with their wishes and locks, and the rules of the run.
type Problem struct {
	Groups       []GroupSpec       // every group of the meeting, each in a slot
	Participants []ParticipantSpec // confirmed participants

	// MaxPerMunicipality is the most people of one municipality in one
	// group; 0 means no limit. People without municipality are not limited.
	MaxPerMunicipality int

	// RankCosts is the cost of the 1st, 2nd, 3rd… choice; nil means
	// {0, 1, 3}. The default grows faster than linearly so that two people
	// on their 2nd choice (1+1) beat one on the 1st and one on the 3rd
	// (0+3): disappointment is spread rather than piled on a few. Only
	// len(RankCosts) choices per slot count; further ones are unranked.
	RankCosts []int

	// UnrankedCost is the cost of a group the person did not rank in that
	// slot; 0 means DefaultUnrankedCost.
	UnrankedCost int
}

// DefaultUnrankedCost is the cost of a group the person did not rank; well
// above any default ranked choice, so even a 3rd choice is preferred.
const DefaultUnrankedCost = 10

// MaxSolverCost bounds every cost of a Problem, so that sums cannot overflow.
const MaxSolverCost = 1 << 30

// GroupSpec is a working group as the solver sees it.
type GroupSpec struct {
	ID       int64
	Slot     int
	Capacity int
}

// ParticipantSpec is a participant as the solver sees it.
type ParticipantSpec struct {
	ID             int64
	MunicipalityID int64 // 0: none

	// Preferences are group ids, first choice first. They may mix slots:
	// each slot's choices are those of its groups, in order. Unknown ids
	// and repeats are ignored.
	Preferences []int64

	// Fixed maps a slot to the group that must be kept: locks from earlier
	// runs, speakers and moderators in their own group.
	Fixed map[int]int64
}

// Solution is the outcome of Solve.
type Solution struct {
	// Assignment maps every participant to their group per slot; a slot is
	// missing where the person is in Unassigned.
	Assignment map[int64]map[int]int64

	// Unassigned lists who was left out of which slot, by slot and then id.
	Unassigned []Unassigned

	// Cost is the sum of the rank costs of everybody placed, fixed people
	// included; the solver minimises it once the most people are placed.
	Cost int

	Stats Stats
}

// Unassigned is a participant left without a group in a slot.
type Unassigned struct {
	ParticipantID int64
	Slot          int
	Reason        string // German, for organisers
}

// Reasons for Unassigned.
const (
	ReasonSlotFull          = "Alle Arbeitsgruppen dieses Zeitfensters sind voll."
	ReasonMunicipalityQuota = "Kontingent je Kommune in allen freien Gruppen erreicht."
)

// Stats counts how people fared, per slot and overall.
type Stats struct {
	PerSlot map[int]Tally
	Overall Tally
}

// Tally counts the outcomes of one slot or of all slots.
type Tally struct {
	ByRank   []int // ByRank[0] got their 1st choice, ByRank[1] their 2nd…; len(RankCosts) entries
	Unranked int   // placed in a group they did not rank
	Unplaced int   // left without a group
}

func (t *Tally) add(o Tally) {
	for i, n := range o.ByRank {
		t.ByRank[i] += n
	}
	t.Unranked += o.Unranked
	t.Unplaced += o.Unplaced
}

// Solve assigns every participant to one group per slot (a slot exists if it
// has groups). It places as many people as capacities and the municipality
// limit allow and, among those assignments, returns one of least total cost.
// Fixed entries are kept and count toward capacity and the municipality
// limit; a fixed entry to an unknown group, to a group of another slot, or
// beyond a group's capacity is an error. A group whose fixed people already
// exceed the municipality limit keeps them but takes nobody more of that
// municipality.
//
// Each slot is an independent min-cost max-flow problem, solved exactly by
// successive shortest paths (Dijkstra with potentials) that push a Dinic
// blocking flow along all shortest paths at once; participants with the
// same municipality and wishes share one node. The result depends only on
// the input's content, not its order: among people with identical wishes
// the lower id gets the better group.
func Solve(p Problem) (Solution, error) {
	run, err := newSolverRun(p)
	if err != nil {
		return Solution{}, err
	}
	sol := Solution{
		Assignment: make(map[int64]map[int]int64, len(run.participants)),
		Stats: Stats{
			PerSlot: make(map[int]Tally, len(run.slots)),
			Overall: Tally{ByRank: make([]int, len(run.rankCosts))},
		},
	}
	for _, pt := range run.participants {
		sol.Assignment[pt.ID] = make(map[int]int64, len(run.slots))
	}
	for _, slot := range run.slots {
		run.solveSlot(slot, &sol)
	}
	return sol, nil
}

// solverRun is a validated Problem, sorted for deterministic results.
type solverRun struct {
	rankCosts          []int64
	unrankedCost       int64
	maxPerMunicipality int
	slots              []int               // ascending
	groupsBySlot       map[int][]GroupSpec // ascending id
	groupByID          map[int64]GroupSpec //
	participants       []ParticipantSpec   // ascending id
	fixedCount         map[int64]int       // group → fixed people
	fixedQuota         map[municipalityGroup]int
}

// municipalityGroup counts people of a municipality in a group.
type municipalityGroup struct {
	municipality int64
	group        int64
}

func newSolverRun(p Problem) (*solverRun, error) {
	run := &solverRun{
		unrankedCost:       DefaultUnrankedCost,
		maxPerMunicipality: p.MaxPerMunicipality,
		groupsBySlot:       map[int][]GroupSpec{},
		groupByID:          make(map[int64]GroupSpec, len(p.Groups)),
		fixedCount:         map[int64]int{},
		fixedQuota:         map[municipalityGroup]int{},
	}
	if p.MaxPerMunicipality < 0 {
		return nil, problem.Errorf(problem.Invalid, "Das Kontingent je Kommune darf nicht negativ sein (%d).", p.MaxPerMunicipality)
	}
	rankCosts := p.RankCosts
	if rankCosts == nil {
		rankCosts = []int{0, 1, 3}
	}
	for i, c := range rankCosts {
		if c < 0 || c > MaxSolverCost {
			return nil, problem.Errorf(problem.Invalid, "Die Kosten der %d. Wahl müssen zwischen 0 und %d liegen (%d).", i+1, MaxSolverCost, c)
		}
		run.rankCosts = append(run.rankCosts, int64(c))
	}
	if p.UnrankedCost != 0 {
		if p.UnrankedCost < 0 || p.UnrankedCost > MaxSolverCost {
			return nil, problem.Errorf(problem.Invalid, "Die Kosten einer nicht gewählten Gruppe müssen zwischen 0 und %d liegen (%d).", MaxSolverCost, p.UnrankedCost)
		}
		run.unrankedCost = int64(p.UnrankedCost)
	}

	for _, g := range p.Groups {
		if _, dup := run.groupByID[g.ID]; dup {
			return nil, problem.Errorf(problem.Invalid, "Die Arbeitsgruppe %d ist doppelt angegeben.", g.ID)
		}
		if g.Capacity < 0 {
			return nil, problem.Errorf(problem.Invalid, "Die Arbeitsgruppe %d hat eine negative Kapazität (%d).", g.ID, g.Capacity)
		}
		run.groupByID[g.ID] = g
		if _, ok := run.groupsBySlot[g.Slot]; !ok {
			run.slots = append(run.slots, g.Slot)
		}
		run.groupsBySlot[g.Slot] = append(run.groupsBySlot[g.Slot], g)
	}
	slices.Sort(run.slots)
	for _, groups := range run.groupsBySlot {
		slices.SortFunc(groups, func(a, b GroupSpec) int { return cmp.Compare(a.ID, b.ID) })
	}

	run.participants = slices.Clone(p.Participants)
	slices.SortFunc(run.participants, func(a, b ParticipantSpec) int { return cmp.Compare(a.ID, b.ID) })
	for i, pt := range run.participants {
		if i > 0 && run.participants[i-1].ID == pt.ID {
			return nil, problem.Errorf(problem.Invalid, "Die Person %d ist doppelt angegeben.", pt.ID)
		}
		fixedSlots := make([]int, 0, len(pt.Fixed))
		for slot := range pt.Fixed {
			fixedSlots = append(fixedSlots, slot)
		}
		slices.Sort(fixedSlots)
		for _, slot := range fixedSlots {
			gid := pt.Fixed[slot]
			g, ok := run.groupByID[gid]
			if !ok {
				return nil, problem.Errorf(problem.Invalid, "Person %d ist fest der Arbeitsgruppe %d zugeordnet, die es nicht gibt.", pt.ID, gid)
			}
			if g.Slot != slot {
				return nil, problem.Errorf(problem.Invalid, "Person %d ist im Zeitfenster %d fest der Arbeitsgruppe %d zugeordnet, die zum Zeitfenster %d gehört.", pt.ID, slot, gid, g.Slot)
			}
			run.fixedCount[gid]++
			if run.fixedCount[gid] > g.Capacity {
				return nil, problem.Errorf(problem.Invalid, "Die Arbeitsgruppe %d hat %d Plätze, aber mehr fest zugeordnete Personen.", gid, g.Capacity)
			}
			if pt.MunicipalityID != 0 {
				run.fixedQuota[municipalityGroup{pt.MunicipalityID, gid}]++
			}
		}
	}
	return run, nil
}

// slotChoices returns the indexes into groups that pt ranked, best first,
// at most len(rankCosts) of them.
func (run *solverRun) slotChoices(pt ParticipantSpec, groups []GroupSpec) []int {
	var choices []int
	for _, gid := range pt.Preferences {
		if len(choices) == len(run.rankCosts) {
			break
		}
		i, ok := slices.BinarySearchFunc(groups, gid, func(g GroupSpec, id int64) int { return cmp.Compare(g.ID, id) })
		if ok && !slices.Contains(choices, i) {
			choices = append(choices, i)
		}
	}
	return choices
}

// costOf is the cost of the group at index g for someone with choices.
func (run *solverRun) costOf(choices []int, g int) int64 {
	if r := slices.Index(choices, g); r >= 0 {
		return run.rankCosts[r]
	}
	return run.unrankedCost
}

// wishClass is the participants of a slot with the same municipality (where
// the limit makes it matter) and the same choices; they are interchangeable.
type wishClass struct {
	municipality int64
	choices      []int
	members      []ParticipantSpec // ascending id
	node         int32
	groupEdges   []int32 // per group index, the edge towards it; -1 where the limit is reached
}

// solveSlot places the participants of slot and records the result in sol.
func (run *solverRun) solveSlot(slot int, sol *Solution) {
	groups := run.groupsBySlot[slot]
	tally := Tally{ByRank: make([]int, len(run.rankCosts))}
	occupancy := make([]int, len(groups))    // people in each group, fixed included
	quotaUsed := map[municipalityGroup]int{} // fixed and placed, by municipality
	record := func(pt ParticipantSpec, choices []int, g int) {
		sol.Assignment[pt.ID][slot] = groups[g].ID
		occupancy[g]++
		if pt.MunicipalityID != 0 {
			quotaUsed[municipalityGroup{pt.MunicipalityID, groups[g].ID}]++
		}
		sol.Cost += int(run.costOf(choices, g))
		if r := slices.Index(choices, g); r >= 0 {
			tally.ByRank[r]++
		} else {
			tally.Unranked++
		}
	}

	// Fixed people are placed as they are; the others form wish classes.
	limited := run.maxPerMunicipality > 0
	var classes []*wishClass
	classByKey := map[string]*wishClass{}
	var key []byte
	for _, pt := range run.participants {
		choices := run.slotChoices(pt, groups)
		if gid, ok := pt.Fixed[slot]; ok {
			g, _ := slices.BinarySearchFunc(groups, gid, func(g GroupSpec, id int64) int { return cmp.Compare(g.ID, id) })
			record(pt, choices, g)
			continue
		}
		var municipality int64
		if limited {
			municipality = pt.MunicipalityID
		}
		key = strconv.AppendInt(key[:0], municipality, 10)
		for _, c := range choices {
			key = append(key, ',')
			key = strconv.AppendInt(key, int64(c), 10)
		}
		class, ok := classByKey[string(key)]
		if !ok {
			class = &wishClass{municipality: municipality, choices: choices}
			classByKey[string(key)] = class
			classes = append(classes, class)
		}
		class.members = append(class.members, pt)
	}

	// Network: source → class → (municipality, group) → group → sink.
	// People without municipality, or without limit, go straight to groups.
	const source, sink = 0, 1
	net := newFlowNetwork(2 + len(groups) + len(classes))
	groupNode := func(g int) int32 { return int32(2 + g) }
	for g, group := range groups {
		net.addEdge(groupNode(g), sink, int64(group.Capacity-run.fixedCount[group.ID]), 0)
	}
	quotaNode := map[municipalityGroup]int32{}
	entryNode := func(municipality int64, g int) (int32, bool) {
		if municipality == 0 {
			return groupNode(g), true
		}
		mg := municipalityGroup{municipality, groups[g].ID}
		if n, ok := quotaNode[mg]; ok {
			return n, n >= 0
		}
		free := run.maxPerMunicipality - run.fixedQuota[mg]
		if free <= 0 {
			quotaNode[mg] = -1
			return 0, false
		}
		n := net.addNode()
		net.addEdge(n, groupNode(g), int64(free), 0)
		quotaNode[mg] = n
		return n, true
	}
	for i, class := range classes {
		class.node = int32(2 + len(groups) + i)
		size := int64(len(class.members))
		net.addEdge(source, class.node, size, 0)
		class.groupEdges = make([]int32, len(groups))
		for g := range groups {
			to, ok := entryNode(class.municipality, g)
			if !ok {
				class.groupEdges[g] = -1
				continue
			}
			class.groupEdges[g] = net.addEdge(class.node, to, size, run.costOf(class.choices, g))
		}
	}
	net.minCostMaxFlow(source, sink)

	// Hand each class's places to its members: better choices to lower ids.
	type classPlaces struct {
		group int
		cost  int64
		count int
	}
	for _, class := range classes {
		var places []classPlaces
		for g, e := range class.groupEdges {
			if e < 0 {
				continue
			}
			if n := net.residual[e^1]; n > 0 {
				places = append(places, classPlaces{g, run.costOf(class.choices, g), int(n)})
			}
		}
		slices.SortStableFunc(places, func(a, b classPlaces) int { return cmp.Compare(a.cost, b.cost) })
		members := class.members
		for _, pl := range places {
			for _, pt := range members[:pl.count] {
				record(pt, class.choices, pl.group)
			}
			members = members[pl.count:]
		}
	}

	// Whoever is left found every group full, or every group with room
	// already holding the limit of their municipality: the flow is maximal.
	for _, pt := range run.participants {
		if _, ok := sol.Assignment[pt.ID][slot]; ok {
			continue
		}
		reason := ReasonSlotFull
		for g, group := range groups {
			if occupancy[g] < group.Capacity {
				reason = ReasonMunicipalityQuota
				break
			}
		}
		sol.Unassigned = append(sol.Unassigned, Unassigned{ParticipantID: pt.ID, Slot: slot, Reason: reason})
		tally.Unplaced++
	}
	sol.Stats.PerSlot[slot] = tally
	sol.Stats.Overall.add(tally)
}

// flowNetwork is a residual graph for min-cost flow. Edge e and its reverse
// e^1 are stored side by side.
type flowNetwork struct {
	adjacent [][]int32 // node → outgoing edges, reverse edges included
	to       []int32
	residual []int64
	cost     []int64

	potential []int64 // node potentials keeping reduced costs non-negative
	distance  []int64
	done      []bool
	level     []int32
	next      []int // per node, the first edge the blocking flow has not exhausted
}

func newFlowNetwork(nodes int) *flowNetwork {
	return &flowNetwork{adjacent: make([][]int32, nodes)}
}

func (n *flowNetwork) addNode() int32 {
	n.adjacent = append(n.adjacent, nil)
	return int32(len(n.adjacent) - 1)
}

// addEdge adds an edge and its reverse, and returns the edge.
func (n *flowNetwork) addEdge(from, to int32, capacity, cost int64) int32 {
	e := int32(len(n.to))
	n.to = append(n.to, to, from)
	n.residual = append(n.residual, capacity, 0)
	n.cost = append(n.cost, cost, -cost)
	n.adjacent[from] = append(n.adjacent[from], e)
	n.adjacent[to] = append(n.adjacent[to], e+1)
	return e
}

func (n *flowNetwork) reducedCost(from int32, e int32) int64 {
	return n.cost[e] + n.potential[from] - n.potential[n.to[e]]
}

// minCostMaxFlow sends as much flow as possible from source to sink at the
// least cost (primal-dual): each phase finds shortest distances with
// Dijkstra on reduced costs, shifts the potentials so that every shortest
// path has reduced cost zero, and saturates those paths with a Dinic
// blocking flow. The shortest distance grows every phase; with small integer
// costs there are few phases. All costs are non-negative, so zero potentials
// are a valid start.
func (n *flowNetwork) minCostMaxFlow(source, sink int32) {
	nodes := len(n.adjacent)
	n.potential = make([]int64, nodes)
	n.distance = make([]int64, nodes)
	n.done = make([]bool, nodes)
	n.level = make([]int32, nodes)
	n.next = make([]int, nodes)
	for n.shortestPaths(source, sink) {
		for n.levelGraph(source, sink) {
			clear(n.next)
			for n.augment(source, sink, int64(1)<<62) > 0 {
			}
		}
	}
}

// shortestPaths runs Dijkstra on reduced costs from source and updates the
// potentials; it reports whether sink is reachable. Nodes not settled when
// sink is are at least as far, so they are shifted by sink's distance, which
// keeps every reduced cost non-negative.
func (n *flowNetwork) shortestPaths(source, sink int32) bool {
	const unreached = int64(1) << 62
	for v := range n.distance {
		n.distance[v] = unreached
		n.done[v] = false
	}
	n.distance[source] = 0
	queue := distanceHeap{{0, source}}
	for len(queue) > 0 {
		item := queue.pop()
		v := item.node
		if n.done[v] {
			continue
		}
		n.done[v] = true
		if v == sink {
			break
		}
		for _, e := range n.adjacent[v] {
			if n.residual[e] == 0 {
				continue
			}
			w := n.to[e]
			if d := item.distance + n.reducedCost(v, e); d < n.distance[w] {
				n.distance[w] = d
				queue.push(heapItem{d, w})
			}
		}
	}
	if !n.done[sink] {
		return false
	}
	reach := n.distance[sink]
	for v := range n.potential {
		if n.done[v] {
			n.potential[v] += n.distance[v]
		} else {
			n.potential[v] += reach
		}
	}
	return true
}

// admissible reports whether e, leaving from, can carry flow along a
// shortest path.
func (n *flowNetwork) admissible(from, e int32) bool {
	return n.residual[e] > 0 && n.reducedCost(from, e) == 0
}

// levelGraph labels nodes with their BFS depth over admissible edges and
// reports whether sink is reachable.
func (n *flowNetwork) levelGraph(source, sink int32) bool {
	for v := range n.level {
		n.level[v] = -1
	}
	n.level[source] = 0
	queue := []int32{source}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range n.adjacent[v] {
			if w := n.to[e]; n.level[w] < 0 && n.admissible(v, e) {
				n.level[w] = n.level[v] + 1
				queue = append(queue, w)
			}
		}
	}
	return n.level[sink] >= 0
}

// augment pushes up to limit units from v to sink along admissible edges
// that go one level deeper, and returns how many it pushed.
func (n *flowNetwork) augment(v, sink int32, limit int64) int64 {
	if v == sink {
		return limit
	}
	var pushed int64
	for ; n.next[v] < len(n.adjacent[v]); n.next[v]++ {
		e := n.adjacent[v][n.next[v]]
		w := n.to[e]
		if n.level[w] != n.level[v]+1 || !n.admissible(v, e) {
			continue
		}
		if d := n.augment(w, sink, min(limit-pushed, n.residual[e])); d > 0 {
			n.residual[e] -= d
			n.residual[e^1] += d
			pushed += d
			if pushed == limit {
				return pushed
			}
		}
	}
	return pushed
}

// heapItem is a tentative distance in Dijkstra's queue.
type heapItem struct {
	distance int64
	node     int32
}

// distanceHeap is a binary min-heap of tentative distances, ties by node.
type distanceHeap []heapItem

func (h distanceHeap) less(i, j int) bool {
	if h[i].distance != h[j].distance {
		return h[i].distance < h[j].distance
	}
	return h[i].node < h[j].node
}

func (h *distanceHeap) push(item heapItem) {
	*h = append(*h, item)
	q := *h
	for i := len(q) - 1; i > 0; {
		parent := (i - 1) / 2
		if !q.less(i, parent) {
			break
		}
		q[i], q[parent] = q[parent], q[i]
		i = parent
	}
}

func (h *distanceHeap) pop() heapItem {
	q := *h
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		smallest, left, right := i, 2*i+1, 2*i+2
		if left < len(q) && q.less(left, smallest) {
			smallest = left
		}
		if right < len(q) && q.less(right, smallest) {
			smallest = right
		}
		if smallest == i {
			break
		}
		q[i], q[smallest] = q[smallest], q[i]
		i = smallest
	}
	*h = q
	return top
}
