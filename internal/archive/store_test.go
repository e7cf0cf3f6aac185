package archive_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

func ptr[T any](v T) *T { return &v }

type fixture struct {
	ctx    context.Context
	store  *archive.Store
	events *event.Store
	agenda *agenda.Store
	wgs    *workinggroup.Store
	munis  *municipality.Store
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t)
	files, err := archive.NewFileStore(filepath.Join(t.TempDir(), "uploads"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{ctx: context.Background(), store: archive.NewStore(db.Gorm, files, slog.New(slog.DiscardHandler)),
		events: event.NewStore(db.Gorm), agenda: agenda.NewStore(db.Gorm), wgs: workinggroup.NewStore(db.Gorm),
		munis: municipality.NewStore(db.Gorm)}
}

func (f *fixture) event(t testing.TB, kind event.Kind, number int, title, motto, date string, status event.Status) event.Event {
	t.Helper()
	d, err := day.Parse(date)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.events.Create(f.ctx, event.Input{Kind: &kind, Number: &number, Title: &title, Motto: &motto,
		Days: &day.List{d}, Capacity: ptr(80), Status: &status, VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestMaterialsKeepAndRemoveTheirFiles(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	ev := f.event(t, event.Lernnetzwerktreffen, 17, "Kommunale Präventionsketten", "Wir wollen die Prävention stärken!", "2017-09-13", event.Held)
	other := f.event(t, event.Lernnetzwerktreffen, 18, "Bundespräventionsgesetz", "", "2017-11-29", event.Held)
	item, err := f.agenda.Create(f.ctx, other, agenda.Input{Day: &other.Days[0], StartsAt: ptr("10:00"), EndsAt: ptr("11:00"),
		Kind: ptr(agenda.Talk), Title: ptr("Input")})
	if err != nil {
		t.Fatal(err)
	}
	files := f.store.Files()

	up, err := files.Receive(bytes.NewReader([]byte(tinyPDF)), "mrosek.pdf", archive.Presentation)
	if err != nil {
		t.Fatal(err)
	}
	// A programme item of another meeting is refused, and the upload with it.
	_, err = f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Presentation), Title: ptr("Präsentation"),
		AgendaItemID: &item.ID}, up, now)
	if pe, ok := problem.As(err); !ok || pe.Fields["attach"] == "" {
		t.Fatalf("foreign programme item: %v", err)
	}
	if left := storedFiles(t, files.Dir()); len(left) != 0 {
		t.Fatalf("refused material left files: %v", left)
	}

	up, _ = files.Receive(bytes.NewReader([]byte(tinyPDF)), "mrosek.pdf", archive.Presentation)
	pres, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Presentation),
		Title: ptr("Präsentation von Holger Mrosek"), Visibility: ptr(archive.Participants)}, up, now)
	if err != nil {
		t.Fatal(err)
	}
	up, _ = files.Receive(bytes.NewReader(pngPhoto(t, 30, 20)), "gruppe.png", archive.Photo)
	if _, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Photo)}, up, now); !problem.Is(err, problem.Invalid) {
		t.Fatalf("photo without alt text: %v", err)
	}
	up, _ = files.Receive(bytes.NewReader(pngPhoto(t, 30, 20)), "gruppe.png", archive.Photo)
	photo, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Photo),
		AltText: ptr("Die versammelten Teilnehmenden"), Credit: ptr("ISA/Martin Scherag")}, up, now)
	if err != nil {
		t.Fatal(err)
	}
	if photo.CreditLine() != "Foto: ISA/Martin Scherag" || photo.Width != 30 || photo.Position != pres.Position+1 {
		t.Fatalf("photo %+v", photo)
	}
	if _, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Video), Title: ptr("Video"),
		URL: ptr("javascript:alert(1)")}, nil, now); !problem.Is(err, problem.Invalid) {
		t.Fatalf("script link accepted: %v", err)
	}
	video, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Video),
		Title: ptr("Video: Grußwort Staatssekretär Bothe"), URL: ptr("https://www.youtube.com/watch?v=abc")}, nil, now)
	if err != nil || video.Host() != "youtube.com" {
		t.Fatalf("video %+v %v", video, err)
	}
	if got := storedFiles(t, files.Dir()); len(got) != 2 {
		t.Fatalf("stored files %v, want 2", got)
	}

	public, _ := f.store.Materials(f.ctx, ev.ID, false)
	all, _ := f.store.Materials(f.ctx, ev.ID, true)
	if len(public) != 2 || len(all) != 3 || all[0].ID != pres.ID {
		t.Fatalf("public %d, all %d", len(public), len(all))
	}
	for _, m := range public {
		if m.Visibility != archive.Public {
			t.Fatalf("participant-only material listed publicly: %+v", m)
		}
	}

	if _, err := f.store.DeleteMaterial(f.ctx, pres.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(files.Dir(), filepath.FromSlash(pres.FileKey))); !os.IsNotExist(err) {
		t.Fatalf("file of deleted material still there: %v", err)
	}
	if n, err := f.store.DeleteDocumentation(f.ctx, ev.ID); err != nil || n != 2 {
		t.Fatalf("delete documentation: %d %v", n, err)
	}
	if got := storedFiles(t, files.Dir()); len(got) != 0 {
		t.Fatalf("files left after deleting the documentation: %v", got)
	}
}

func TestSweepRemovesOnlyOldOrphans(t *testing.T) {
	f := newFixture(t)
	ev := f.event(t, event.Lernnetzwerktreffen, 19, "Partizipation", "", "2018-03-07", event.Held)
	files := f.store.Files()
	up, _ := files.Receive(bytes.NewReader([]byte(tinyPDF)), "a.pdf", archive.Presentation)
	kept, err := f.store.AddMaterial(f.ctx, ev.ID, archive.MaterialInput{Kind: ptr(archive.Presentation), Title: ptr("A")}, up, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	orphan := filepath.Join(files.Dir(), "2018", "verwaist.pdf")
	fresh := filepath.Join(files.Dir(), "2018", "frisch.pdf")
	for _, p := range []string{orphan, fresh} {
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(tinyPDF), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	for _, p := range []string{orphan, filepath.Join(files.Dir(), filepath.FromSlash(kept.FileKey))} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	n, err := f.store.SweepOrphans(f.ctx, 24*time.Hour, time.Now())
	if err != nil || n != 1 {
		t.Fatalf("swept %d, %v", n, err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatal("old orphan kept")
	}
	for _, p := range []string{fresh, filepath.Join(files.Dir(), filepath.FromSlash(kept.FileKey))} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("swept a file it must keep: %v", err)
		}
	}
}

func TestDocumentationPublishing(t *testing.T) {
	f := newFixture(t)
	ev := f.event(t, event.Lernnetzwerktreffen, 20, "Arbeits- und Sozialverwaltung", "", "2018-09-04", event.Held)
	now := time.Now()
	if _, err := f.store.SaveDocumentation(f.ctx, ev.ID, archive.Input{Published: ptr(true)}, now); !problem.Is(err, problem.Invalid) {
		t.Fatalf("empty documentation published: %v", err)
	}
	d, err := f.store.SaveDocumentation(f.ctx, ev.ID, archive.Input{Teaser: ptr("Handlungslogiken"), Report: ptr("Bericht\r\n\r\nmehr"), Published: ptr(true)}, now)
	if err != nil || !d.Published() || d.Report != "Bericht\n\nmehr" {
		t.Fatalf("%+v %v", d, err)
	}
	first := *d.PublishedAt
	d, _ = f.store.SaveDocumentation(f.ctx, ev.ID, archive.Input{Teaser: ptr("Neu"), Published: ptr(true)}, now.Add(time.Hour))
	if !d.PublishedAt.Equal(first) {
		t.Fatal("saving again moved the publication date")
	}
	d, _ = f.store.SaveDocumentation(f.ctx, ev.ID, archive.Input{Published: ptr(false)}, now)
	if d.Published() {
		t.Fatal("unpublish failed")
	}
	if _, err := f.store.SaveDocumentation(f.ctx, 9999, archive.Input{Teaser: ptr("x")}, now); !problem.Is(err, problem.NotFound) {
		t.Fatalf("unknown meeting: %v", err)
	}
}

func TestArchiveOrderAndSearch(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	herne, _ := f.munis.Create(f.ctx, municipality.Input{Name: "Stadt Herne", Kind: "stadt"})
	warendorf, _ := f.munis.Create(f.ctx, municipality.Input{Name: "Kreis Warendorf", Kind: "kreis"})
	e16 := f.event(t, event.Lernnetzwerktreffen, 16, "Das erste Lernnetzwerktreffen mit den neuen Kommunen", "Das Lernnetzwerk wächst (zusammen)", "2017-04-03", event.Held)
	e17 := f.event(t, event.Lernnetzwerktreffen, 17, "Kommunale Präventionsketten", "Wir wollen die Prävention stärken!", "2017-09-13", event.Held)
	fa := f.event(t, event.Fruehjahrsakademie, 0, "", "Wir brauchen Daten und Taten", "2018-05-15", event.Held)
	e21 := f.event(t, event.Lernnetzwerktreffen, 21, "Die Präventionsketten sind länger geworden", "Bedingungen gelingenden Aufwachsens", "2018-11-29", event.Held)
	f.event(t, event.Lernnetzwerktreffen, 15, "Entwurf", "", "2016-11-24", event.Draft)
	f.event(t, event.Lernnetzwerktreffen, 14, "Abgesagt", "", "2016-05-10", event.Cancelled)
	future := day.Of(now.AddDate(0, 2, 0))
	f.event(t, event.Lernnetzwerktreffen, 30, "Kommendes Treffen", "", future.String(), event.Published)

	if _, err := f.agenda.Create(f.ctx, e17, agenda.Input{Day: &e17.Days[0], StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Talk), Title: ptr("Grußwort"), Speakers: &[]agenda.Speaker{{Name: "Ralf Heinen", Title: "Dr.", Function: "Bürgermeister"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.agenda.Create(f.ctx, fa, agenda.Input{Day: &fa.Days[0], StartsAt: ptr("10:00"), EndsAt: ptr("11:00"),
		Kind: ptr(agenda.Talk), Speakers: &[]agenda.Speaker{{Name: "Hans Mueller", Organisation: "Stadt Oberhausen"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.wgs.CreateGroup(f.ctx, e17, workinggroup.GroupInput{Day: &e17.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30"),
		Title: ptr("(Bildungs-)Übergänge fließend gestalten"), Capacity: ptr(20), Moderators: ptr("Anna Muster und Jörg Weiß"),
		Inputs: &[]workinggroup.InputSpec{{MunicipalityID: &herne.ID, Title: "Übergangsgestaltung"}, {MunicipalityID: &warendorf.ID, Title: "Übergangsmanagement", Speaker: "Petra Schön"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SaveDocumentation(f.ctx, fa.ID, archive.Input{Teaser: ptr("Stadtentwicklung und Sozialpolitik im Blick der Präventionskette"), Published: ptr(true)}, now); err != nil {
		t.Fatal(err)
	}
	// An unpublished teaser stays hidden.
	if _, err := f.store.SaveDocumentation(f.ctx, e21.ID, archive.Input{Teaser: ptr("Geheimer Entwurf")}, now); err != nil {
		t.Fatal(err)
	}

	entries, err := f.store.Archive(f.ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, e := range entries {
		order = append(order, e.Event.ID)
	}
	want := []int64{e21.ID, fa.ID, e17.ID, e16.ID}
	if len(order) != len(want) {
		t.Fatalf("archive has %v, want %v (no drafts, cancelled or upcoming meetings)", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v (newest first)", order, want)
		}
	}
	if !entries[1].Documented || entries[1].Teaser == "" || entries[0].Teaser == "Geheimer Entwurf" {
		t.Fatalf("teasers: %+v / %+v", entries[1], entries[0])
	}
	years := archive.ByYear(entries)
	if len(years) != 2 || years[0].Year != 2018 || len(years[0].Entries) != 2 || years[1].Year != 2017 {
		t.Fatalf("years %+v", years)
	}

	search := func(q archive.Query) []int64 {
		var ids []int64
		for _, e := range archive.Search(entries, q) {
			ids = append(ids, e.Event.ID)
		}
		return ids
	}
	cases := []struct {
		q    archive.Query
		want []int64
	}{
		{archive.Query{Text: "präventionsketten"}, []int64{e21.ID, e17.ID}}, // title
		{archive.Query{Text: "DATEN taten"}, []int64{fa.ID}},                // motto, any case
		{archive.Query{Text: "heinen"}, []int64{e17.ID}},                    // programme speaker
		{archive.Query{Text: "Jorg Weiss"}, []int64{e17.ID}},                // moderator, umlaut and ß folded
		{archive.Query{Text: "Schön"}, []int64{e17.ID}},                     // input speaker
		{archive.Query{Text: "warendorf"}, []int64{e17.ID}},                 // municipality of an input
		{archive.Query{Text: "17. Lernnetzwerktreffen"}, []int64{e17.ID}},   // the name
		{archive.Query{Text: "wächst"}, []int64{e16.ID}},                    // motto with umlaut
		{archive.Query{Text: "waechst"}, []int64{e16.ID}},                   // the umlaut spelt out
		{archive.Query{Text: "Joerg Weiss"}, []int64{e17.ID}},               // ö spelt out, ß as ss
		{archive.Query{Text: "Praeventionsketten"}, []int64{e21.ID, e17.ID}},
		{archive.Query{Text: "Müller"}, []int64{fa.ID}},                 // "Mueller" in the data
		{archive.Query{Text: "mueller"}, []int64{fa.ID}},                // and as typed
		{archive.Query{Text: "ozial"}, []int64{fa.ID}},                  // parts of words still match
		{archive.Query{Kind: event.Fruehjahrsakademie}, []int64{fa.ID}}, // kind
		{archive.Query{Year: 2017}, []int64{e17.ID, e16.ID}},            // year
		{archive.Query{Text: "prävention", Kind: event.Lernnetzwerktreffen, Year: 2018}, []int64{e21.ID}},
		{archive.Query{Text: "Geheimer"}, nil},  // unpublished teaser is not searched
		{archive.Query{Text: "Kommendes"}, nil}, // upcoming meetings are not in the archive
	}
	for _, tc := range cases {
		got := search(tc.q)
		if len(got) != len(tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.q, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%+v: got %v, want %v", tc.q, got, tc.want)
			}
		}
	}
	if e := entries[2]; len(e.Municipalities) != 2 || e.Municipalities[0] != "Stadt Herne" || len(e.Speakers) != 4 {
		t.Fatalf("names of the 17th: %+v %+v", e.Municipalities, e.Speakers)
	}
}
