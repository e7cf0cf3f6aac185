package web

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// wishSlot is one slot of the wish form: its groups and, per rank, the
// group chosen.
type wishSlot struct {
	workinggroup.Slot
	Groups []wishGroup
	Ranks  []wishRank
}

type wishGroup struct {
	workinggroup.Group
	FirstWishes int
}

type wishRank struct {
	Rank   int
	Chosen int64
}

// wishSlots prepares the wish fields of a meeting with the given choices
// (group ids, first choice first per slot). No groups, no fields.
func (s *Server) wishSlots(ctx context.Context, ev event.Event, chosen []int64) ([]wishSlot, error) {
	slots, groups, err := s.WorkingGroups.SlotsAndGroups(ctx, ev.ID)
	if err != nil || len(slots) == 0 {
		return nil, err
	}
	counts, err := s.WorkingGroups.WishCounts(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	slotOf := map[int64]int64{}
	for _, g := range groups {
		slotOf[g.ID] = g.SlotID
	}
	picked := map[int64][]int64{}
	for _, id := range chosen {
		if slot, ok := slotOf[id]; ok {
			picked[slot] = append(picked[slot], id)
		}
	}
	out := make([]wishSlot, 0, len(slots))
	for _, sl := range slots {
		ws := wishSlot{Slot: sl}
		for _, g := range groups {
			if g.SlotID == sl.ID {
				wg := wishGroup{Group: g}
				if c := counts[g.ID]; len(c) > 0 {
					wg.FirstWishes = c[0]
				}
				ws.Groups = append(ws.Groups, wg)
			}
		}
		for r := 1; r <= min(ev.PreferenceRanks, len(ws.Groups)); r++ {
			rank := wishRank{Rank: r}
			if p := picked[sl.ID]; len(p) >= r {
				rank.Chosen = p[r-1]
			}
			ws.Ranks = append(ws.Ranks, rank)
		}
		out = append(out, ws)
	}
	return out, nil
}

// parseWishes reads the fields wish.<slot>.<rank>. Without such fields the
// form had none and the wishes stay as they are (nil); empty choices are
// skipped, so a slot may get fewer wishes than ranks.
func parseWishes(c *gin.Context) []int64 { return parseWishesOf(c, "") }

// parseWishesOf is parseWishes for the fields wish.<slot>.<rank><suffix>:
// one row of a form with several people (suffix ".3").
func parseWishesOf(c *gin.Context, suffix string) []int64 {
	type wish struct {
		slot, rank int
		group      int64
	}
	_ = c.Request.ParseForm() // the form is parsed already; this only makes sure
	var wishes []wish
	found := false
	for key, values := range c.Request.PostForm {
		rest, ok := strings.CutPrefix(key, "wish.")
		if !ok || len(values) == 0 {
			continue
		}
		if rest, ok = strings.CutSuffix(rest, suffix); !ok {
			continue
		}
		found = true
		slotPart, rankPart, _ := strings.Cut(rest, ".")
		slot, err1 := strconv.Atoi(slotPart)
		rank, err2 := strconv.Atoi(rankPart)
		group, err3 := strconv.ParseInt(values[0], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if strconv.Itoa(slot) != slotPart || strconv.Itoa(rank) != rankPart {
			// Only the form's own spelling: "wish.01.1" next to "wish.1.1"
			// would be the same rank twice, in random order.
			continue
		}
		wishes = append(wishes, wish{slot, rank, group})
	}
	if !found {
		return nil
	}
	sort.Slice(wishes, func(i, j int) bool {
		if wishes[i].slot != wishes[j].slot {
			return wishes[i].slot < wishes[j].slot
		}
		return wishes[i].rank < wishes[j].rank
	})
	out := make([]int64, 0, len(wishes))
	for _, w := range wishes {
		out = append(out, w.group)
	}
	return out
}
