package media_test

import (
	"context"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

type fixture struct {
	ctx    context.Context
	media  *media.Store
	events *event.Store
	agenda *agenda.Store
	munis  *municipality.Store
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t)
	return &fixture{ctx: context.Background(), media: media.NewStore(db.Gorm), events: event.NewStore(db.Gorm),
		agenda: agenda.NewStore(db.Gorm), munis: municipality.NewStore(db.Gorm)}
}

func (f *fixture) meeting(t testing.TB, number int, date, city string) event.Event {
	t.Helper()
	ev, err := f.events.Create(f.ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: &number, Title: ptr("Lernnetzwerktreffen"),
		Days: &day.List{day.MustParse(date)}, Capacity: ptr(80), Status: ptr(event.Held), VenueCity: &city})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestItemsWithSpeakersTopicsAndMeeting(t *testing.T) {
	f := newFixture(t)
	ev := f.meeting(t, 17, "2017-09-13", "Köln")
	item, err := f.agenda.Create(f.ctx, ev, agenda.Input{Day: ptr(day.MustParse("2017-09-13")), StartsAt: ptr("11:00"), EndsAt: ptr("11:30"),
		Kind: ptr(agenda.Talk), Title: ptr("Input aus Dinslaken")})
	if err != nil {
		t.Fatal(err)
	}
	other := f.meeting(t, 20, "2018-09-04", "Essen")
	foreign, err := f.agenda.Create(f.ctx, other, agenda.Input{Day: ptr(day.MustParse("2018-09-04")), StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Talk), Title: ptr("Vortrag")})
	if err != nil {
		t.Fatal(err)
	}
	dinslaken, err := f.munis.Create(f.ctx, municipality.Input{Name: "Stadt Dinslaken", Kind: string(municipality.Stadt)})
	if err != nil {
		t.Fatal(err)
	}
	talks, err := f.media.CreateSeries(f.ctx, media.SeriesInput{Title: ptr("Vortragsvideos")})
	if err != nil {
		t.Fatal(err)
	}
	in := media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("Lernnetzwerktreffen 17, Holger Mrosek"),
		Description: ptr("Holger Mrosek spricht über die Bedeutung präventiver Arbeit in Kommunen."),
		RecordedOn:  ptr("13.09.2017"), Duration: ptr("12:05"), EventID: &ev.ID, AgendaItemID: &item.ID,
		URL:        ptr("https://video.example/lnt17/input-mrosek"),
		Transcript: ptr("Guten Tag. Wir sprechen über Quartiersarbeit in Dinslaken."),
		Captions:   ptr(sampleVTT),
		Speakers:   &[]media.SpeakerInput{{Name: "Holger Mrosek", Role: "Stadt Dinslaken", MunicipalityID: &dinslaken.ID}, {Name: " "}},
		Topics:     &[]string{"Prävention", " prävention ", "Kommunale Koordination", ""}}
	it, err := f.media.CreateItem(f.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if it.Meeting == nil || it.Meeting.Name != "17. Lernnetzwerktreffen" || it.AgendaTitle != "Input aus Dinslaken" ||
		it.DurationSeconds != 725 || it.RecordedOn.String() != "2017-09-13" || it.Visibility != media.Public {
		t.Errorf("stored item %+v, meeting %+v", it, it.Meeting)
	}
	if len(it.Speakers) != 1 || it.Speakers[0].Municipality != "Stadt Dinslaken" || len(it.Topics) != 2 {
		t.Errorf("speakers %+v, topics %q", it.Speakers, it.Topics)
	}
	if !it.HasCaptions() || !it.HasTranscript() || len(media.Cues(it.Captions)) != 2 {
		t.Errorf("texts not kept")
	}

	// A list carries the texts only by their size.
	list, err := f.media.Items(f.ctx, media.ListQuery{})
	if err != nil || len(list) != 1 {
		t.Fatalf("list %v, %v", list, err)
	}
	if list[0].Transcript != "" || list[0].Captions != "" || !list[0].HasCaptions() || !list[0].HasTranscript() || len(list[0].Speakers) != 1 {
		t.Errorf("list entry %+v", list[0])
	}

	// A programme item of another meeting, an unknown series or
	// municipality and a participant-only item without a meeting are
	// refused with the field named.
	for field, bad := range map[string]media.Input{
		"agenda_item_id":             {AgendaItemID: &foreign.ID},
		"series_id":                  {SeriesID: ptr(int64(99999))},
		"speakers.0.municipality_id": {Speakers: &[]media.SpeakerInput{{Name: "X", MunicipalityID: ptr(int64(99999))}}},
		"visibility":                 {EventID: ptr(int64(0)), AgendaItemID: ptr(int64(0)), Visibility: ptr(media.Participants)},
		"url":                        {URL: ptr("javascript:alert(1)")},
		"captions":                   {Captions: ptr("1\n00:00:01,000 --> 00:00:02,000\nSRT\n")},
	} {
		_, err := f.media.UpdateItem(f.ctx, it.ID, bad)
		p, ok := problem.As(err)
		if !ok || p.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
	unchanged, err := f.media.Item(f.ctx, it.ID)
	if err != nil || unchanged.Captions != it.Captions || unchanged.URL != it.URL || unchanged.AgendaItemID == nil {
		t.Errorf("a refused change changed the item: %+v, %v", unchanged, err)
	}

	// Topics replaced, speakers kept when the change does not name them.
	changed, err := f.media.UpdateItem(f.ctx, it.ID, media.Input{Topics: &[]string{"Netzwerkarbeit"}, Captions: ptr("")})
	if err != nil || len(changed.Topics) != 1 || len(changed.Speakers) != 1 || changed.HasCaptions() {
		t.Errorf("changed %+v, %v", changed, err)
	}
	topics, err := f.media.Topics(f.ctx, false)
	if err != nil || strings.Join(topics, ",") != "Netzwerkarbeit" {
		t.Errorf("topics %q, %v", topics, err)
	}

	// Deleting the series keeps the item, outside any series.
	n, err := f.media.DeleteSeries(f.ctx, talks.ID)
	if err != nil || n != 1 {
		t.Fatalf("delete series: %d, %v", n, err)
	}
	kept, err := f.media.Item(f.ctx, it.ID)
	if err != nil || kept.SeriesID != nil {
		t.Errorf("item after its series went: %+v, %v", kept, err)
	}
	if _, err := f.media.DeleteItem(f.ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.media.Item(f.ctx, it.ID); !problem.Is(err, problem.NotFound) {
		t.Errorf("deleted item: %v", err)
	}
}

func TestParticipantOnlyItemsStayOutOfPublicLists(t *testing.T) {
	f := newFixture(t)
	ev := f.meeting(t, 21, "2018-11-29", "Wuppertal")
	for _, v := range []media.Visibility{media.Public, media.Participants} {
		if _, err := f.media.CreateItem(f.ctx, media.Input{Kind: ptr(media.Video), Title: ptr(string(v)), URL: ptr("https://video.example/" + string(v)),
			EventID: &ev.ID, Visibility: &v, Topics: &[]string{"Thema " + string(v)}}); err != nil {
			t.Fatal(err)
		}
	}
	public, err := f.media.Items(f.ctx, media.ListQuery{})
	if err != nil || len(public) != 1 || public[0].Title != "public" {
		t.Errorf("public list %v, %v", public, err)
	}
	all, err := f.media.Items(f.ctx, media.ListQuery{ParticipantOnly: true, EventID: ev.ID})
	if err != nil || len(all) != 2 {
		t.Errorf("all of the meeting: %d, %v", len(all), err)
	}
	topics, err := f.media.Topics(f.ctx, false)
	if err != nil || strings.Join(topics, ",") != "Thema public" {
		t.Errorf("public topics %q", topics)
	}
}

func TestSeriesOrder(t *testing.T) {
	f := newFixture(t)
	var ids []int64
	for _, title := range []string{"Lernnetzwerk to go", "Learning Nuggets", "Podcast", "Vortragsvideos"} {
		s, err := f.media.CreateSeries(f.ctx, media.SeriesInput{Title: &title})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if err := f.media.MoveSeries(f.ctx, ids[3], -2); err != nil {
		t.Fatal(err)
	}
	if err := f.media.MoveSeries(f.ctx, ids[0], -1); err != nil { // already first
		t.Fatal(err)
	}
	list, err := f.media.Series(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range list {
		got = append(got, s.Title)
	}
	if strings.Join(got, " | ") != "Lernnetzwerk to go | Vortragsvideos | Learning Nuggets | Podcast" {
		t.Errorf("order %q", got)
	}
	if _, err := f.media.CreateSeries(f.ctx, media.SeriesInput{Title: ptr("  ")}); !problem.Is(err, problem.Invalid) {
		t.Errorf("untitled series: %v", err)
	}
	if err := f.media.MoveSeries(f.ctx, 99999, 1); !problem.Is(err, problem.NotFound) {
		t.Errorf("moving an unknown series: %v", err)
	}
}

func TestStoreSearchLooksIntoFoldedTranscripts(t *testing.T) {
	f := newFixture(t)
	ev := f.meeting(t, 22, "2019-05-22", "Gelsenkirchen")
	for _, in := range []media.Input{
		{Kind: ptr(media.Video), Title: ptr("Martin Kronauer über Teilhabe und Ausgrenzung"), URL: ptr("https://video.example/kronauer"), EventID: &ev.ID,
			Transcript: ptr("Segregation hat Ursachen. Die Stadtteile in Gelsenkirchen und Düsseldorf unterscheiden sich.")},
		{Kind: ptr(media.Video), Title: ptr("Zweites Video"), URL: ptr("https://video.example/zwei"), Captions: ptr("WEBVTT\n\n00:01.000 --> 00:02.000\nQuote von 100_prozent\n")},
		{Kind: ptr(media.Video), Title: ptr("Intern"), URL: ptr("https://video.example/intern"), EventID: &ev.ID, Visibility: ptr(media.Participants),
			Transcript: ptr("Auch hier geht es um Düsseldorf.")},
	} {
		if _, err := f.media.CreateItem(f.ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.media.Search(f.ctx, media.Query{Text: "duesseldorf"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 1 || r.Hits[0].Excerpt != "Die Stadtteile in Gelsenkirchen und Düsseldorf unterscheiden sich." || len(r.Items) != 2 {
		t.Errorf("hits %+v of %d items", r.Hits, len(r.Items))
	}
	if r, err := f.media.Search(f.ctx, media.Query{Text: "duesseldorf"}, true); err != nil || len(r.Hits) != 2 {
		t.Errorf("with participant-only items: %d, %v", len(r.Hits), err)
	}
	// LIKE's wildcards are taken literally.
	for text, want := range map[string]int{"100_prozent": 1, "100%": 0, "_": 1, "%": 0, "quote 22.": 0} {
		r, err := f.media.Search(f.ctx, media.Query{Text: text}, false)
		if err != nil || len(r.Hits) != want {
			t.Errorf("%q: %d hits, want %d (%v)", text, len(r.Hits), want, err)
		}
	}
	// Changing the transcript changes what is found; other changes keep it.
	it := r.Hits[0].Item // Kronauer
	if _, err := f.media.UpdateItem(f.ctx, it.ID, media.Input{Title: ptr("Neuer Titel")}); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.media.Search(f.ctx, media.Query{Text: "segregation"}, false); len(r.Hits) != 1 {
		t.Errorf("a change of the title lost the transcript: %d hits", len(r.Hits))
	}
	if _, err := f.media.UpdateItem(f.ctx, it.ID, media.Input{Transcript: ptr("Ganz anderer Text.")}); err != nil {
		t.Fatal(err)
	}
	if r, _ := f.media.Search(f.ctx, media.Query{Text: "segregation"}, false); len(r.Hits) != 0 {
		t.Errorf("the old transcript is still found: %d hits", len(r.Hits))
	}
}
