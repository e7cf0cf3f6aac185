package archive_test

import (
	"testing"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
)

func TestPageOf(t *testing.T) {
	entries := make([]archive.Entry, 45)
	for i := range entries {
		entries[i].Event = event.Event{ID: int64(i + 1)}
	}
	for _, c := range []struct {
		n, number, pages, first, len int
	}{
		{1, 1, 3, 1, 20}, {2, 2, 3, 21, 20}, {3, 3, 3, 41, 5}, {0, 1, 3, 1, 20}, {-4, 1, 3, 1, 20}, {9, 3, 3, 41, 5},
	} {
		p := archive.PageOf(entries, c.n, 20)
		if p.Number != c.number || p.Pages != c.pages || p.Total != 45 || len(p.Entries) != c.len || p.Entries[0].Event.ID != int64(c.first) {
			t.Errorf("page %d: number %d of %d, %d entries from %d", c.n, p.Number, p.Pages, len(p.Entries), p.Entries[0].Event.ID)
		}
	}
	if p := archive.PageOf(nil, 2, 20); p.Number != 1 || p.Pages != 1 || len(p.Entries) != 0 {
		t.Errorf("empty archive: %+v", p)
	}
}
