package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/registration"
)

// captionsVTT are valid captions of two cues.
const captionsVTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWillkommen zur Persona-Methode.\n\n00:00:04.500 --> 00:00:09.000\nWir gestalten Angebote für Adressatinnen und Adressaten.\n"

// mediathekItem stores an item in the Mediathek of e.
func (e *env) mediathekItem(in media.Input) media.Item {
	e.t.Helper()
	it, err := media.NewStore(e.db.Gorm).CreateItem(context.Background(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

func (e *env) mediathekSeries(title string, position int) media.Series {
	e.t.Helper()
	s, err := media.NewStore(e.db.Gorm).CreateSeries(context.Background(), media.SeriesInput{Title: &title, Position: &position})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func TestMediathekSearchAndFilters(t *testing.T) {
	e := newEnv(t)
	ev := e.pastMeeting(17, "2017-09-13")
	nuggets := e.mediathekSeries("Learning Nuggets", 1)
	talks := e.mediathekSeries("Vortragsvideos", 0)
	persona := e.mediathekItem(media.Input{SeriesID: &nuggets.ID, Kind: ptr(media.Video), Title: ptr("Learning Nugget: Die Persona Methode"),
		RecordedOn: ptr("2021-06-01"), URL: ptr("https://video.example/nuggets/persona"), Topics: &[]string{"Methoden"},
		Speakers:   &[]media.SpeakerInput{{Name: "Mona Schmidt", Role: "Wissenschaftliche Mitarbeiterin"}},
		Transcript: ptr("Die Methode hilft, Angebote zu gestalten.\nEin Beispiel ist die Quartiersküche in Ahlen, die wir besucht haben.")})
	e.mediathekItem(media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("Lernnetzwerktreffen 17, Holger Mrosek"),
		RecordedOn: ptr("13.09.2017"), EventID: &ev.ID, URL: ptr("https://video.example/lnt17/mrosek"), Topics: &[]string{"Prävention"},
		Speakers: &[]media.SpeakerInput{{Name: "Holger Mrosek", MunicipalityID: &e.ahlen.ID}}})
	e.mediathekItem(media.Input{Kind: ptr(media.Audio), Title: ptr("kinderstark – im Gespräch … mit Ingo Nürnberger"),
		RecordedOn: ptr("2021-03-01"), URL: ptr("https://video.example/podcast/nuernberger.mp3"),
		Speakers: &[]media.SpeakerInput{{Name: "Ingo Nürnberger", Role: "Sozialdezernent der Stadt Bielefeld"}}})
	e.mediathekItem(media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("Interner Mitschnitt"), EventID: &ev.ID,
		Visibility: ptr(media.Participants), URL: ptr("https://video.example/intern"), Transcript: ptr("Quartiersküche intern")})

	c := e.client()
	page := e.get(c, "/mediathek")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	// Series in their order, the items outside any series last.
	mustContain(t, page.Body, "3 Beiträge in der Mediathek", "Vortragsvideos", "Learning Nuggets", "Weitere Medien", "Ingo Nürnberger")
	if a, b, c := strings.Index(page.Body, "<h2 id=\"reihe-0\">Vortragsvideos"), strings.Index(page.Body, "<h2 id=\"reihe-1\">Learning Nuggets"),
		strings.Index(page.Body, "<h2 id=\"reihe-2\">Weitere Medien"); a < 0 || a > b || b > c {
		t.Errorf("series not in their order: %d %d %d", a, b, c)
	}
	if strings.Contains(page.Body, "Interner Mitschnitt") {
		t.Error("a participant-only item is listed publicly")
	}
	// Items without captions or transcript say so.
	mustContain(t, page.Body, "Ohne Untertitel und Transkript", "Transkript")

	// A word only in the transcript, typed without its umlaut, finds the
	// item and shows where.
	found := e.get(c, "/mediathek?q=quartierskueche")
	mustContain(t, found.Body, "1 Beitrag gefunden", "Learning Nugget: Die Persona Methode", "Im Transkript:", "Quartiersküche in Ahlen")
	if strings.Contains(found.Body, "Holger Mrosek") || strings.Contains(found.Body, "Interner Mitschnitt") {
		t.Error("search lists items without the word, or a participant-only one")
	}
	for query, want := range map[string]string{
		"/mediathek?q=nuernberger":                           "mit Ingo Nürnberger",
		"/mediathek?q=ahlen+mrosek":                          "Holger Mrosek", // the speaker's municipality
		"/mediathek?q=17.+lernnetzwerktreffen":               "Holger Mrosek",
		"/mediathek?thema=methoden":                          "Die Persona Methode",
		"/mediathek?jahr=2017":                               "Holger Mrosek",
		"/mediathek?treffen=" + idStr(ev.ID):                 "Holger Mrosek",
		"/mediathek?reihe=" + idStr(nuggets.ID):              "Die Persona Methode",
		"/mediathek?reihe=-1":                                "Ingo Nürnberger",
		"/mediathek?reihe=" + idStr(talks.ID) + "&jahr=2021": "0 Beiträge gefunden",
	} {
		r := e.get(c, query)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Errorf("%s: status %d, no %q", query, r.StatusCode, want)
		}
		if got := strings.Count(r.Body, `class="media-card"`); want != "0 Beiträge gefunden" && got != 1 {
			t.Errorf("%s: %d entries, want 1", query, got)
		}
	}
	// Filters that do not parse are ignored rather than failing.
	if r := e.get(c, "/mediathek?jahr=zwanzig&reihe=x&treffen=-5"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "3 Beiträge in der Mediathek") {
		t.Errorf("bad filters: %d", r.StatusCode)
	}
	item := e.get(c, "/mediathek/"+idStr(persona.ID))
	mustContain(t, item.Body, "Mona Schmidt, Wissenschaftliche Mitarbeiterin", "Quartiersküche in Ahlen", `href="/mediathek?thema=Methoden"`)
}

func TestMediathekItemPageAsksBeforeLoading(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	platform := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Keynote Lothar Linz"), URL: ptr("https://www.youtube.com/watch?v=abcDEF12345")})
	page := e.get(c, "/mediathek/"+idStr(platform.ID))
	mustContain(t, page.Body, "Video laden – dabei werden Daten an YouTube übertragen", "www.youtube-nocookie.com",
		"keine Untertitel und kein Transkript", "BITV 2.0")
	// The player waits in a template: no iframe outside it.
	outside := regexp.MustCompile(`(?s)<template>.*?</template>`).ReplaceAllString(page.Body, "")
	if strings.Contains(outside, "<iframe") || !strings.Contains(page.Body, `src="https://www.youtube-nocookie.com/embed/abcDEF12345"`) {
		t.Error("the player is in the page before consent, or missing from its template")
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self' https://www.youtube-nocookie.com;") {
		t.Errorf("policy %q does not allow the privacy-enhanced player", csp)
	}
	// Without scripts the button's form reloads the page with the player.
	loaded := e.get(c, "/mediathek/"+idStr(platform.ID)+"?laden=1")
	if !strings.Contains(loaded.Body, `<iframe src="https://www.youtube-nocookie.com/embed/abcDEF12345"`) || strings.Contains(loaded.Body, "<template>") {
		t.Error("?laden=1 does not put the player in the page")
	}

	// A file on the own server plays at once, with its captions.
	own := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Die Persona Methode"), URL: ptr("/medien/persona.webm"), Captions: ptr(captionsVTT)})
	page = e.get(c, "/mediathek/"+idStr(own.ID))
	vtt := "/mediathek/" + idStr(own.ID) + "/untertitel.vtt"
	mustContain(t, page.Body, `<video class="media-player" controls`, `<source src="/medien/persona.webm" type="video/webm">`,
		`<track kind="captions" src="`+vtt+`" srclang="de" label="Deutsch" default>`, "im Player ein- und ausschaltbar",
		"Transkript", `data-seek="4.5"`, "Wir gestalten Angebote")
	if strings.Contains(page.Body, "laden – dabei werden Daten") {
		t.Error("a file on the own server asks for consent")
	}
	captions := e.get(c, vtt)
	if captions.StatusCode != http.StatusOK || captions.Header.Get("Content-Type") != "text/vtt; charset=utf-8" || captions.Body != captionsVTT {
		t.Errorf("captions: %d %s %q", captions.StatusCode, captions.Header.Get("Content-Type"), captions.Body)
	}
	if r := e.get(c, "/mediathek/"+idStr(platform.ID)+"/untertitel.vtt"); r.StatusCode != http.StatusNotFound {
		t.Errorf("captions of an item without: %d", r.StatusCode)
	}

	// A podcast file on another host asks too and then plays natively.
	podcast := e.mediathekItem(media.Input{Kind: ptr(media.Audio), Title: ptr("kinderstark – im Gespräch"), URL: ptr("https://video.example/podcast/folge1.mp3")})
	page = e.get(c, "/mediathek/"+idStr(podcast.ID))
	mustContain(t, page.Body, "Audio laden – dabei werden Daten an video.example übertragen", `<audio class="media-player"`)
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "media-src 'self' https://video.example;") {
		t.Errorf("policy %q", csp)
	}
	if r := e.get(c, "/mediathek/99999"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown item: %d", r.StatusCode)
	}
}

func TestDocumentationListsMediathekItemsOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	d := ev.Days[0]
	talk, err := e.agenda.Create(ctx, ev, agenda.Input{Day: &d, StartsAt: ptr("11:00"), EndsAt: ptr("11:30"), Kind: ptr(agenda.Talk),
		Title: ptr("Input aus Dinslaken"), Speakers: &[]agenda.Speaker{{Name: "Holger Mrosek"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The same video as a material of the documentation and in the Mediathek.
	e.material(ev.ID, archive.Video, "Video: Input Holger Mrosek", "https://video.example/lnt17/input-mrosek", archive.Public)
	e.material(ev.ID, archive.Video, "Video: Grußwort", "https://video.example/lnt17/grusswort", archive.Public)
	mrosek := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Lernnetzwerktreffen 17, Holger Mrosek"), EventID: &ev.ID,
		AgendaItemID: &talk.ID, URL: ptr("https://video.example/lnt17/input-mrosek"), Captions: ptr(captionsVTT)})
	internal := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Mitschnitt der Arbeitsgruppe"), EventID: &ev.ID,
		Visibility: ptr(media.Participants), URL: ptr("https://video.example/lnt17/ag")})
	other := e.pastMeeting(18, "2017-11-29")
	e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("Stolz beim 18. Treffen"), EventID: &other.ID, URL: ptr("https://video.example/lnt18/stolz")})

	page := e.get(e.client(), "/events/"+idStr(ev.ID))
	mustContain(t, page.Body, "Input aus Dinslaken", `href="/mediathek/`+idStr(mrosek.ID)+`"`, "Lernnetzwerktreffen 17, Holger Mrosek",
		"Video in der Mediathek", "mit Untertiteln", "Video: Grußwort", "Ein weiteres Material ist")
	if n := strings.Count(page.Body, "lnt17/input-mrosek"); n != 0 {
		t.Errorf("the material copy of the Mediathek video is still linked (%d times)", n)
	}
	if strings.Count(page.Body, "Holger Mrosek</a>") != 1 || strings.Contains(page.Body, "Mitschnitt der Arbeitsgruppe") || strings.Contains(page.Body, "Stolz beim 18.") {
		t.Error("the documentation lists the Mediathek item twice, a participant-only one, or another meeting's")
	}
	// The entry sits under its programme item.
	section := page.Body[strings.Index(page.Body, "<h4>Input aus Dinslaken</h4>"):]
	if !strings.Contains(section[:min(len(section), 800)], "/mediathek/"+idStr(mrosek.ID)) {
		t.Error("the Mediathek item is not listed under its programme item")
	}

	// A participant sees the participant-only item through the manage link.
	reg, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Marina", LastName: "Bänke", Email: "m.baenke@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	own := e.get(e.client(), "/manage/"+reg.ManageToken+"/dokumentation")
	link := "/manage/" + reg.ManageToken + "/mediathek/" + idStr(internal.ID)
	mustContain(t, own.Body, link, "Mitschnitt der Arbeitsgruppe")
	if r := e.get(e.client(), link); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "nur für die Teilnehmenden") {
		t.Errorf("participant's item page: %d", r.StatusCode)
	}
	if r := e.get(e.client(), "/mediathek/"+idStr(internal.ID)); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "persönlichen Link") {
		t.Errorf("participant-only item for the public: %d", r.StatusCode)
	}
	stranger, err := e.regs.Register(ctx, other.ID, registration.Input{FirstName: "Tobias", LastName: "Klein", Email: "t.klein@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.get(e.client(), "/manage/"+stranger.ManageToken+"/mediathek/"+idStr(internal.ID)); r.StatusCode != http.StatusForbidden {
		t.Errorf("another meeting's participant: %d", r.StatusCode)
	}
	if r := e.get(e.loggedIn(), "/mediathek/"+idStr(internal.ID)); r.StatusCode != http.StatusOK {
		t.Errorf("organiser: %d", r.StatusCode)
	}

	// A meeting without a published documentation still shows its videos.
	bare, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Title: ptr("Lernnetzwerktreffen in Neuss"),
		Days: &day.List{day.MustParse("2022-11-15")}, Capacity: ptr(80), Status: ptr(event.Held), VenueCity: ptr("Neuss")})
	if err != nil {
		t.Fatal(err)
	}
	keynote := e.mediathekItem(media.Input{Kind: ptr(media.Video), Title: ptr("»Traineransprache« (Keynote) Lothar Linz"), EventID: &bare.ID,
		URL: ptr("https://video.example/neuss/keynote-linz")})
	page = e.get(e.client(), "/events/"+idStr(bare.ID))
	mustContain(t, page.Body, "Aus der Mediathek", `href="/mediathek/`+idStr(keynote.ID)+`"`)
	item := e.get(e.client(), "/mediathek/"+idStr(keynote.ID))
	mustContain(t, item.Body, `<a href="/events/`+idStr(bare.ID)+`">Lernnetzwerktreffen in Neuss, Neuss, 15.11.2022</a>`)
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// BenchmarkMediathekSearch: a search of the Mediathek reads the public
// items, their speakers and topics, asks the database for the words in
// the folded transcripts and reads the transcript of the hit for its
// excerpt. It is measured against those raw SQL queries in the same run,
// for 120 items with 8 KB transcripts; the ratio is the figure. The page
// cache is off, so every request searches.
func BenchmarkMediathekSearch(b *testing.B) {
	e := newEnv(b, func(c *config.Config) { c.PageCacheTTL = 0 })
	ctx := context.Background()
	words := strings.Fields("Die Präventionskette verbindet Jugendhilfe Schule Gesundheit und Jobcenter in der Kommune damit Kinder gut aufwachsen können")
	var transcript strings.Builder
	for transcript.Len() < 8000 {
		for i, w := range words {
			transcript.WriteString(w)
			if i%9 == 8 {
				transcript.WriteString(".\n")
			} else {
				transcript.WriteString(" ")
			}
		}
	}
	var series []media.Series
	for i := range 8 {
		series = append(series, e.mediathekSeries(fmt.Sprintf("Reihe %d", i), i))
	}
	for i := range 120 {
		text := transcript.String()
		if i == 77 {
			text += "\nZum Schluss besuchen wir die Quartiersküche in Ahlen."
		}
		e.mediathekItem(media.Input{SeriesID: &series[i%8].ID, Kind: ptr(media.Video), Title: ptr(fmt.Sprintf("Vortrag %d über Präventionsketten", i)),
			Description: ptr("Ein Vortrag beim Lernnetzwerktreffen über die Präventionskette in den Kommunen."),
			RecordedOn:  ptr(fmt.Sprintf("20%02d-%02d-15", 14+i%10, 1+i%12)), URL: ptr(fmt.Sprintf("https://video.example/v/%d", i)),
			Transcript: &text, Topics: &[]string{"Prävention", fmt.Sprintf("Thema %d", i%15)},
			Speakers: &[]media.SpeakerInput{{Name: fmt.Sprintf("Referentin %d", i), Role: "Servicestelle Prävention", MunicipalityID: &e.ahlen.ID}}})
	}
	b.Run("raw-sql", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for _, q := range []string{
				`SELECT id, title, position FROM media_series`,
				`SELECT id, series_id, kind, title, description, recorded_on, duration_seconds, event_id, agenda_item_id, url, credits,
					has_transcript, has_captions FROM media_items WHERE visibility = 'public'`,
				`SELECT s.item_id, s.name, s.role, m.name FROM media_speakers s LEFT JOIN municipalities m ON m.id = s.municipality_id`,
				`SELECT item_id, topic FROM media_topics`,
				`SELECT item_id FROM media_texts WHERE spoken_key LIKE '%quartierskuche%' OR spoken_transcribed LIKE '%quartierskuche%'`,
				`SELECT item_id, transcript, captions FROM media_texts WHERE item_id = 78`,
			} {
				rows, err := e.db.SQL.QueryContext(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				cols, _ := rows.Columns()
				values := make([]any, len(cols))
				for i := range values {
					values[i] = new(any)
				}
				for rows.Next() {
					if err := rows.Scan(values...); err != nil {
						b.Fatal(err)
					}
					n++
				}
				rows.Close()
			}
			if n != 8+120+120+240+1+1 {
				b.Fatalf("%d rows", n)
			}
		}
	})
	for name, path := range map[string]string{"search": "/mediathek?q=quartiersk%C3%BCche", "list": "/mediathek"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				e.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusOK || (name == "search" && !strings.Contains(w.Body.String(), "1 Beitrag gefunden")) {
					b.Fatalf("%d", w.Code)
				}
			}
		})
	}
}
