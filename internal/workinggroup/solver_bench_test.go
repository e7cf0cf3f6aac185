package workinggroup

import (
	"math/rand"
	"testing"
)

// benchmarkProblem is a meeting of people from 40 municipalities (about 5%
// without one), with 6 groups in each of 2 slots holding about 110% of the
// people, and 3 wishes per slot drawn with a skew towards popular groups.
// With 2,000 people a municipality sends about 48, as many as 6 groups
// with 8 places each can take: the limit binds for the larger ones.
func benchmarkProblem(rng *rand.Rand, people int) Problem {
	p := Problem{MaxPerMunicipality: 8}
	popularity := []int{8, 5, 3, 2, 1, 1}
	share := []int{24, 20, 17, 15, 13, 11} // per cent of the slot's seats
	for slot := range 2 {
		for g := range 6 {
			p.Groups = append(p.Groups, GroupSpec{ID: int64(101 + 10*slot + g), Slot: slot, Capacity: people * 110 * share[g] / 100 / 100})
		}
	}
	for i := range people {
		pt := ParticipantSpec{ID: int64(1 + i)}
		if rng.Intn(20) != 0 {
			pt.MunicipalityID = int64(1 + rng.Intn(40))
		}
		for slot := range 2 {
			taken := make([]bool, 6)
			for range 3 {
				total := 0
				for g, w := range popularity {
					if !taken[g] {
						total += w
					}
				}
				pick := rng.Intn(total)
				for g, w := range popularity {
					if taken[g] {
						continue
					}
					if pick < w {
						taken[g] = true
						pt.Preferences = append(pt.Preferences, int64(101+10*slot+g))
						break
					}
					pick -= w
				}
			}
		}
		p.Participants = append(p.Participants, pt)
	}
	return p
}

func BenchmarkSolve2000(b *testing.B) {
	p := benchmarkProblem(rand.New(rand.NewSource(1)), 2000)
	var sol Solution
	for b.Loop() {
		var err error
		if sol, err = Solve(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sol.Cost), "cost")
	b.ReportMetric(float64(len(sol.Unassigned)), "unplaced")
	b.ReportMetric(float64(sol.Stats.Overall.ByRank[0]), "first-choices")
}
