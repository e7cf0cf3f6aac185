package demo_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/media"
)

// TestMediathek checks the demo Mediathek against the network's "Videos"
// page: its sections in order, every entry, the meetings and programme
// items the talks belong to, and the texts a search looks into.
func TestMediathek(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Date(2026, time.February, 10, 9, 30, 0, 0, day.Location())
	f.load(t, now)
	store := f.stores.Media

	series, err := store.Series(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title string
		items int
	}{
		{"Lernnetzwerk to go – Kommunen teilen Wissen", 4},
		{"Learning Nuggets", 8},
		{"Podcast: kinderstark – im Gespräch", 1},
		{"Vortragsvideos", 19},
		{"Kongressfilme", 7},
		{"Interviews", 2},
		{"Podiumsdiskussion", 1},
		{"Positionen aus dem Familienministerium", 7},
		{"Beispiele aus den Kommunen", 7},
		{"Und darüber hinaus …", 4},
	}
	if len(series) != len(want) {
		t.Fatalf("%d series, want %d", len(series), len(want))
	}
	titles := map[int64]string{}
	for i, s := range series {
		titles[s.ID] = s.Title
		if s.Title != want[i].title {
			t.Errorf("series %d is %q, want %q", i+1, s.Title, want[i].title)
		}
	}

	items, err := store.Items(ctx, media.ListQuery{ParticipantOnly: true, WithTexts: true})
	if err != nil {
		t.Fatal(err)
	}
	perSeries := map[string]int{}
	byTitle := map[string]media.Item{}
	var captioned []media.Item
	for _, it := range items {
		if it.SeriesID == nil {
			t.Errorf("%q is in no series", it.Title)
			continue
		}
		perSeries[titles[*it.SeriesID]]++
		byTitle[it.Title] = it
		if u, err := url.Parse(it.URL); err != nil || u.Scheme != "https" || u.Host != "video.example" || len(u.Path) < 2 {
			t.Errorf("%q at %q, want an address on https://video.example/", it.Title, it.URL)
		}
		if n := len(it.Topics); n < 2 || n > 4 {
			t.Errorf("%q has %d topics %q, want 2–4", it.Title, n, it.Topics)
		}
		if it.Description == "" || it.DurationSeconds == 0 {
			t.Errorf("%q: description %q, duration %d", it.Title, it.Description, it.DurationSeconds)
		}
		if it.Captions != "" {
			captioned = append(captioned, it)
		}
	}
	for _, w := range want {
		if perSeries[w.title] != w.items {
			t.Errorf("series %q has %d items, want %d", w.title, perSeries[w.title], w.items)
		}
	}

	item := func(title string) media.Item {
		t.Helper()
		it, ok := byTitle[title]
		if !ok {
			t.Fatalf("no item %q", title)
		}
		return it
	}

	t.Run("kinds", func(t *testing.T) {
		podcast := item("kinderstark - im Gespräch ... mit Ingo Nürnberger")
		if podcast.Kind != media.Audio || !strings.HasSuffix(podcast.URL, ".mp3") || !strings.Contains(podcast.URL, "/podcast/") {
			t.Errorf("podcast: kind %s at %s", podcast.Kind, podcast.URL)
		}
		if sp := podcast.Speakers; len(sp) != 1 || sp[0].Municipality != "Stadt Bielefeld" {
			t.Errorf("podcast speakers %+v, want Ingo Nürnberger for the Stadt Bielefeld", sp)
		}
		slides := 0
		for _, it := range items {
			if strings.HasPrefix(it.Title, "Audio Slide Show") {
				slides++
				if it.Kind != media.Slides {
					t.Errorf("%q is a %s, want a slide show", it.Title, it.Kind)
				}
			}
		}
		if slides != 3 {
			t.Errorf("%d audio slide shows, want 3", slides)
		}
	})

	t.Run("Neuss", func(t *testing.T) {
		linz := item("»Traineransprache« (Keynote) Lothar Linz")
		if linz.Meeting == nil || linz.Meeting.City != "Neuss" || linz.Meeting.Day.String() != "2022-11-15" ||
			linz.DateLabel() != "15.11.2022" {
			t.Errorf("Linz: meeting %+v, recorded %s", linz.Meeting, linz.DateLabel())
		}
		if linz.SpeakerNames() != "Lothar Linz" || linz.DurationSeconds < 30*60 || linz.DurationSeconds > 45*60 {
			t.Errorf("Linz: speakers %q, %s", linz.SpeakerNames(), linz.DurationLabel())
		}
	})

	t.Run("17. Lernnetzwerktreffen", func(t *testing.T) {
		var eventID int64
		for title, agendaTitle := range map[string]string{
			"Lernnetzwerktreffen 17, Holger Mrosek": "Einblick in die Koordinationsarbeit: Dinslaken",
			"Lernnetzwerktreffen 17, Marina Bänke":  "Einblick in die Koordinationsarbeit: Ahlen",
			"Lernnetzwerktreffen 17, Markus Schön":  "Engagement von Unternehmen und der Bürgerschaft als unverzichtbare Ressource der präventiven Arbeit in Kommunen",
			"Grußwort des Staatssekretärs Andreas Bothe beim Lernnetzwerktreffen im September 2017 in Köln": "Grußwort (Videobotschaft)",
		} {
			it := item(title)
			if it.Meeting == nil || it.Meeting.Name != "17. Lernnetzwerktreffen" || it.DateLabel() != "13.09.2017" {
				t.Errorf("%q: meeting %+v, recorded %s", title, it.Meeting, it.DateLabel())
				continue
			}
			eventID = it.Meeting.ID
			if it.AgendaItemID == nil || it.AgendaTitle != agendaTitle {
				t.Errorf("%q: programme item %v %q, want %q", title, it.AgendaItemID, it.AgendaTitle, agendaTitle)
			}
			if !strings.HasPrefix(it.URL, "https://video.example/lnt17/") {
				t.Errorf("%q at %s, want the address the documentation had", title, it.URL)
			}
		}
		for name, muni := range map[string]string{"Holger Mrosek": "Stadt Dinslaken", "Marina Bänke": "Stadt Ahlen", "Markus Schön": "Stadt Krefeld"} {
			if it := item("Lernnetzwerktreffen 17, " + name); len(it.Speakers) != 1 || it.Speakers[0].Municipality != muni {
				t.Errorf("%s speaks for %+v, want %s", name, it.Speakers, muni)
			}
		}
		if v := item("Lernnetzwerktreffen 17, Marina Bänke").Visibility; v != media.Participants {
			t.Errorf("Bänke's input is %s, want for participants only as in the documentation", v)
		}
		public, err := store.Items(ctx, media.ListQuery{EventID: eventID})
		if err != nil {
			t.Fatal(err)
		}
		all, err := store.Items(ctx, media.ListQuery{EventID: eventID, ParticipantOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 4 || len(public) != 3 {
			t.Errorf("17th: %d items, %d public; want 4 and 3", len(all), len(public))
		}
		materials, err := f.stores.Archive.Materials(ctx, eventID, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range materials {
			if m.Kind == "video" {
				t.Errorf("documentation of the 17th still has the video %q", m.Title)
			}
		}
	})

	t.Run("20. Lernnetzwerktreffen", func(t *testing.T) {
		for _, name := range []string{"Stephan Grohs", "Kai Marquardsen", "Matthias Knuth"} {
			it := item(name + " beim 20. Lernnetzwerktreffen in Essen")
			if it.Meeting == nil || it.Meeting.Name != "20. Lernnetzwerktreffen" || it.DateLabel() != "04.09.2018" {
				t.Errorf("%s: meeting %+v, recorded %s", name, it.Meeting, it.DateLabel())
			}
		}
	})

	t.Run("Frühjahrsakademie 2018", func(t *testing.T) {
		salon := item("Salongespräch - Diskussion mit Entscheidungsträgern")
		if salon.Meeting == nil || salon.Meeting.Name != "Frühjahrsakademie 2018" || len(salon.Speakers) != 6 {
			t.Fatalf("Salongespräch: meeting %+v, %d speakers", salon.Meeting, len(salon.Speakers))
		}
		if sp := salon.Speakers[2]; sp.Name != "Ursula Holtmann-Schnieder" || sp.Municipality != "Stadt Düsseldorf" {
			t.Errorf("third on the panel: %+v", sp)
		}
	})

	t.Run("21. Lernnetzwerktreffen in 2018", func(t *testing.T) {
		for _, title := range []string{"Eva Neuland über alte und neue Sprachbarrieren", "Kabarettistin Esther Münch in ihrer Rolle als Waltraud Ehlert"} {
			it := item(title)
			if it.Meeting == nil || it.Meeting.Name != "21. Lernnetzwerktreffen" || it.Year() != 2018 || strings.Contains(it.Description, "2019") {
				t.Errorf("%q: meeting %+v, recorded %s, description %q", title, it.Meeting, it.DateLabel(), it.Description)
			}
		}
	})

	t.Run("captions", func(t *testing.T) {
		if len(captioned) < 2 || len(captioned) > 3 {
			t.Fatalf("%d items with captions, want 2 or 3", len(captioned))
		}
		for _, it := range captioned {
			if _, err := media.CheckCaptions([]byte(it.Captions)); err != nil {
				t.Errorf("%q: captions do not pass: %v", it.Title, err)
			}
			cues := media.Cues(it.Captions)
			end := time.Duration(it.DurationSeconds) * time.Second
			if len(cues) < 3 || cues[len(cues)-1].End > end || cues[len(cues)-1].Start < end/2 {
				t.Errorf("%q: %d cues, the last %v–%v, duration %v", it.Title, len(cues), cues[len(cues)-1].Start, cues[len(cues)-1].End, end)
			}
			// Every cue after the note is words of the description.
			for _, c := range cues[1:] {
				if !strings.Contains(strings.Join(strings.Fields(it.Description), " "), c.Text) {
					t.Errorf("%q: cue %q is not from the description", it.Title, c.Text)
				}
			}
			if !it.HasTranscript() {
				t.Errorf("%q has captions but no transcript", it.Title)
			}
		}
		if item("Learning Nugget: Die Persona Methode").Captions == "" {
			t.Error("the Persona nugget has no captions")
		}
	})

	t.Run("search", func(t *testing.T) {
		names := map[int64]string{}
		for _, s := range series {
			names[s.ID] = s.Title
		}
		// "Wortlaut" is only in the transcripts.
		hits := media.Search(items, media.Query{Text: "Wortlaut"}, names)
		found := false
		for _, h := range hits {
			if strings.Contains(h.Description, "Wortlaut") {
				t.Errorf("%q has the word in its description", h.Title)
			}
			if h.Title == "Learning Nugget: Die Persona Methode" {
				found = h.Excerpt != ""
			}
		}
		if !found {
			t.Errorf("search Wortlaut: %d hits without the Persona nugget and its excerpt", len(hits))
		}
		hits = media.Search(items, media.Query{Text: "Nuernberger"}, names)
		if len(hits) != 1 || !strings.Contains(hits[0].Title, "Ingo Nürnberger") {
			t.Errorf("search Nuernberger: %d hits", len(hits))
		}
		hits = media.Search(items, media.Query{Topic: "Methoden"}, names)
		if len(hits) < 5 {
			t.Errorf("topic Methoden: %d hits, want the method nuggets", len(hits))
		}
	})
}
