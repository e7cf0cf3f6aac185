package archive_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
)

// BenchmarkArchivePage measures what the archive page does per request:
// load every past meeting with its teaser, speakers and municipalities,
// then search. 200 meetings are about forty years of this network.
func BenchmarkArchivePage(b *testing.B) {
	f := newFixture(b)
	now := time.Now()
	for i := 0; i < 200; i++ {
		date := fmt.Sprintf("%d-%02d-%02d", 1990+i/5, 1+i%12, 1+i%28)
		ev := f.event(b, event.Lernnetzwerktreffen, i+1, fmt.Sprintf("Treffen Nummer %d", i+1), "Prävention stärken", date, event.Held)
		if _, err := f.agenda.Create(f.ctx, ev, agenda.Input{Day: &ev.Days[0], StartsAt: ptr("10:00"), EndsAt: ptr("11:00"),
			Kind: ptr(agenda.Talk), Title: ptr("Vortrag"), Speakers: &[]agenda.Speaker{{Name: fmt.Sprintf("Referentin %d", i)}, {Name: "Ilona Heuchel"}}}); err != nil {
			b.Fatal(err)
		}
		if _, err := f.store.SaveDocumentation(f.ctx, ev.ID, archive.Input{Teaser: ptr(strings.Repeat("Bericht vom Treffen. ", 10)), Published: ptr(true)}, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		entries, err := f.store.Archive(f.ctx, now)
		if err != nil {
			b.Fatal(err)
		}
		if got := archive.Search(entries, archive.Query{Text: "referentin 17"}); len(got) == 0 {
			b.Fatal("no result")
		}
	}
}
