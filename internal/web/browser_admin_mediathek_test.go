package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/media"
)

// TestBrowserMediathekAdmin: the organiser's list and item form at
// desktop and phone width; a subtitle file in SRT is refused at its field
// and what was typed stays.
func TestBrowserMediathekAdmin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	store := e.mediaStore()
	ev := e.pastMeeting(17, "2017-09-13")
	sr, err := store.CreateSeries(ctx, media.SeriesInput{Title: ptr("Learning Nuggets"), Description: ptr("Kurze Videos zu Grundbegriffen")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateSeries(ctx, media.SeriesInput{Title: ptr("Podcast Präventionsketten")}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []media.Input{
		{Kind: ptr(media.Video), Title: ptr("Nugget 1: Was ist eine Präventionskette?"), URL: ptr("https://www.youtube.com/watch?v=abc"),
			SeriesID: &sr.ID, RecordedOn: ptr("2022-11-15"), Duration: ptr("12:05"), Captions: ptr(validVTT), Transcript: ptr("Willkommen."),
			Speakers: &[]media.SpeakerInput{{Name: "Dr. Heinz-Jürgen Stolz", Role: "Leiter der Servicestelle Prävention"}}},
		{Kind: ptr(media.Video), Title: ptr("Grußwort der Staatssekretärin beim 17. Lernnetzwerktreffen"), URL: ptr("/medien/grusswort.mp4"),
			EventID: &ev.ID, Visibility: ptr(media.Participants), RecordedOn: ptr("2017-09-13")},
	} {
		if _, err := store.CreateItem(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, e)
	b.open("/login")
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail), chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))

	b.load("navigation", http.StatusOK, chromedp.Click(chromedp.CSS(`.adminnav a[href="/admin/mediathek"]`)))
	if got := b.text("main"); !strings.Contains(got, "Untertitel fehlt") || !strings.Contains(got, "Nur für Teilnehmende") {
		t.Errorf("list lacks what is missing or the visibility:\n%s", got)
	}
	b.screenshot("mediathek-verwaltung.png")
	b.open("/admin/mediathek/new")
	b.screenshot("mediathek-eintrag.png")

	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	for _, path := range []string{"/admin/mediathek", "/admin/mediathek/new"} {
		b.open(path)
		if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
			t.Errorf("%s scrolls sideways on a phone:\n%s", path, strings.Join(out, "\n"))
		}
	}
	b.viewportScreenshot("mediathek-eintrag-mobil.png")
	b.open("/admin/mediathek")
	b.viewportScreenshot("mediathek-verwaltung-mobil.png")
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))

	srt := filepath.Join(t.TempDir(), "grusswort.vtt") // the name says WebVTT, the content is SRT
	if err := os.WriteFile(srt, []byte(srtFile), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open("/admin/mediathek/new")
	b.do("fill the form", chromedp.SendKeys(chromedp.ID("f-title"), "Nugget 2: Übergänge"),
		chromedp.SendKeys(chromedp.ID("f-url"), "https://vimeo.com/42"),
		chromedp.SendKeys(chromedp.CSS(`[id="f-speakers.0.name"]`), "Vera Deffte"),
		chromedp.SetUploadFiles(chromedp.ID("f-captions"), []string{srt}))
	b.load("send", http.StatusUnsupportedMediaType, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	if got := b.text("#e-captions"); !strings.Contains(got, "SRT-Datei") {
		t.Errorf("message at the captions field: %q", got)
	}
	if b.value("#f-title") != "Nugget 2: Übergänge" || b.value(`[id="f-speakers.0.name"]`) != "Vera Deffte" {
		t.Errorf("typed values lost: %q, %q", b.value("#f-title"), b.value(`[id="f-speakers.0.name"]`))
	}
	b.screenshot("mediathek-eintrag-fehler.png")
}
