package media_test

import (
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/media"
)

func dated(s string) *day.Date {
	d := day.MustParse(s)
	return &d
}

func TestSearchFindsSpokenWordsAndGroupsBySeries(t *testing.T) {
	nuggets, talks := int64(1), int64(2)
	items := []media.Item{
		{ID: 1, SeriesID: &nuggets, Kind: media.Video, Title: "Learning Nugget: Die Persona Methode", RecordedOn: dated("2021-06-01"),
			Transcript: "Guten Tag. Heute geht es um Adressatinnen und Adressaten. Wir besuchen die Quartiersküche in Ahlen!",
			Topics:     []string{"Methoden"}},
		{ID: 2, SeriesID: &nuggets, Kind: media.Video, Title: "Learning Nugget: Das Bubble-Tool", RecordedOn: dated("2022-02-01"),
			Captions: "WEBVTT\n\n00:01.000 --> 00:03.000\nKlarheit und Verbindlichkeit im Netzwerk.\n"},
		{ID: 3, SeriesID: &talks, Kind: media.Video, Title: "Keynote", RecordedOn: dated("2022-11-15"), EventID: ptr(int64(9)),
			Speakers: []media.Speaker{{Name: "Lothar Linz", Role: "Dipl. Sportpsychologe"}},
			Meeting:  &media.Meeting{ID: 9, Name: "Lernnetzwerktreffen in Neuss", City: "Neuss", Day: day.MustParse("2022-11-15")}},
		{ID: 4, Kind: media.Audio, Title: "kinderstark – im Gespräch … mit Ingo Nürnberger"},
		{ID: 5, SeriesID: &talks, Kind: media.Video, Title: "Älterer Vortrag", RecordedOn: dated("2017-09-13"), Topics: []string{"methoden"}},
	}
	series := []media.Series{{ID: talks, Title: "Vortragsvideos"}, {ID: nuggets, Title: "Learning Nuggets"}}
	names := map[int64]string{talks: "Vortragsvideos", nuggets: "Learning Nuggets"}
	ids := func(hits []media.Hit) string {
		var out []string
		for _, h := range hits {
			out = append(out, h.Title)
		}
		return strings.Join(out, " | ")
	}

	hits := media.Search(items, media.Query{Text: "quartierskueche ahlen"}, names)
	if len(hits) != 1 || hits[0].ID != 1 || hits[0].Excerpt != "Wir besuchen die Quartiersküche in Ahlen!" {
		t.Errorf("transcript search: %s, excerpt %q", ids(hits), hits[0].Excerpt)
	}
	if hits := media.Search(items, media.Query{Text: "verbindlichkeit"}, names); len(hits) != 1 || hits[0].ID != 2 || hits[0].Excerpt == "" {
		t.Errorf("captions search: %s", ids(hits))
	}
	if hits := media.Search(items, media.Query{Text: "Nuernberger"}, names); len(hits) != 1 || hits[0].ID != 4 || hits[0].Excerpt != "" {
		t.Errorf("umlaut-blind title search: %s", ids(hits))
	}
	if hits := media.Search(items, media.Query{Text: "neuss sportpsychologe"}, names); len(hits) != 1 || hits[0].ID != 3 {
		t.Errorf("meeting and role: %s", ids(hits))
	}
	if hits := media.Search(items, media.Query{Text: "learning nuggets"}, names); len(hits) != 2 {
		t.Errorf("series title: %s", ids(hits))
	}
	if hits := media.Search(items, media.Query{Text: "persona gibtesnicht"}, names); len(hits) != 0 {
		t.Errorf("all words must occur: %s", ids(hits))
	}
	if got := ids(media.Search(items, media.Query{Topic: "Methoden"}, names)); got != "Learning Nugget: Die Persona Methode | Älterer Vortrag" {
		t.Errorf("topic, case ignored, newest first: %s", got)
	}
	if got := ids(media.Search(items, media.Query{Year: 2022}, names)); got != "Keynote | Learning Nugget: Das Bubble-Tool" {
		t.Errorf("year: %s", got)
	}
	if got := ids(media.Search(items, media.Query{EventID: 9}, names)); got != "Keynote" {
		t.Errorf("meeting: %s", got)
	}
	if got := ids(media.Search(items, media.Query{SeriesID: media.NoSeries}, names)); got != "kinderstark – im Gespräch … mit Ingo Nürnberger" {
		t.Errorf("no series: %s", got)
	}

	sections := media.Sections(media.Search(items, media.Query{}, names), series)
	var got []string
	for _, s := range sections {
		got = append(got, s.Series.Title+": "+ids(s.Hits))
	}
	want := "Vortragsvideos: Keynote | Älterer Vortrag;" +
		"Learning Nuggets: Learning Nugget: Das Bubble-Tool | Learning Nugget: Die Persona Methode;" +
		"Weitere Medien: kinderstark – im Gespräch … mit Ingo Nürnberger"
	if strings.Join(got, ";") != want {
		t.Errorf("sections\n%s\nwant\n%s", strings.Join(got, ";\n"), want)
	}
	if len(media.Sections(nil, series)) != 0 {
		t.Error("sections without hits")
	}
	if y := media.Years(items); len(y) != 3 || y[0] != 2022 || y[2] != 2017 {
		t.Errorf("years %v", y)
	}
}

func TestSearchLooksForAtMostEightWords(t *testing.T) {
	items := []media.Item{{ID: 1, Kind: media.Video, Title: "eins zwei drei vier fünf sechs sieben acht"}}
	q := media.Query{Text: "eins zwei drei vier fuenf sechs sieben acht neun zehn " + strings.Repeat("eins ", 1000)}
	if hits := media.Search(items, q, nil); len(hits) != 1 {
		t.Errorf("words past the eighth (or repeated) still count: %d hits", len(hits))
	}
}
