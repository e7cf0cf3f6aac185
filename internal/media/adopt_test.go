package media_test

import (
	"context"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func TestAdoptMaterialLeavesOneEntry(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	files, err := archive.NewFileStore(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	docs, store := archive.NewStore(db.Gorm, files, nil), media.NewStore(db.Gorm)
	ev, err := event.NewStore(db.Gorm).Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17), Title: ptr("Lernnetzwerktreffen"),
		Days: &day.List{day.MustParse("2017-09-13"), day.MustParse("2017-09-14")}, Capacity: ptr(80), Status: ptr(event.Held), VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	d := ev.Days[0]
	item, err := agenda.NewStore(db.Gorm).Create(ctx, ev, agenda.Input{Day: &d, StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Welcome), Title: ptr("Grußwort")})
	if err != nil {
		t.Fatal(err)
	}
	material := func(kind archive.Kind, title, address string) archive.Material {
		m, err := docs.AddMaterial(ctx, ev.ID, archive.MaterialInput{Kind: &kind, Title: &title, URL: &address,
			Visibility: ptr(archive.Participants), AgendaItemID: &item.ID}, nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	video := material(archive.Video, "Video: Grußwort", "https://www.youtube.com/watch?v=gruss")
	link := material(archive.Link, "Landesprogramm", "https://www.kinderstark.nrw")

	if _, err := store.AdoptMaterial(ctx, link.ID); !problem.Is(err, problem.Invalid) {
		t.Errorf("a link: %v, want invalid", err)
	}
	if _, err := docs.Material(ctx, link.ID); err != nil {
		t.Errorf("the refused link is gone: %v", err)
	}
	it, err := store.AdoptMaterial(ctx, video.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it.Kind != media.Video || it.Title != "Video: Grußwort" || it.URL != "https://www.youtube.com/watch?v=gruss" ||
		it.Visibility != media.Participants || *it.EventID != ev.ID || *it.AgendaItemID != item.ID ||
		it.DateLabel() != "13.09.2017" || it.AgendaTitle != "Grußwort" || it.Meeting == nil {
		t.Errorf("item: %+v", it)
	}
	if _, err := docs.Material(ctx, video.ID); !problem.Is(err, problem.NotFound) {
		t.Errorf("the material is still there: %v", err)
	}
	if _, err := store.AdoptMaterial(ctx, video.ID); !problem.Is(err, problem.NotFound) {
		t.Errorf("adopting twice: %v", err)
	}
}
