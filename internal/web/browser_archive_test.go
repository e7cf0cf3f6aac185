package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
)

// hallPicture draws a picture good enough for a screenshot: a hall with
// rows of heads in the brand colours.
func hallPicture(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: 200 - uint8(y*80/h), G: 215 - uint8(y*60/h), B: 225, A: 255})
		}
	}
	for row := 0; row < 4; row++ {
		cy := h/2 + row*h/9
		r := 10 + row*4
		for i := 0; i*(3*r) < w; i++ {
			cx := i*3*r + (row%2)*r + int(seed)%7
			c := color.RGBA{R: 11 + uint8(i*37)%120, G: 90 - uint8(row*15), B: 122 + uint8(i*11)%90, A: 255}
			for y := -r; y <= r; y++ {
				for x := -r; x <= r; x++ {
					if x*x+y*y <= r*r && cx+x >= 0 && cx+x < w && cy+y < h {
						img.Set(cx+x, cy+y, c)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBrowserArchiveAndDocumentation: a visitor browses the archive,
// searches it by a speaker's name, reads a documentation with photos and
// presentations, also on a phone; an organiser uploads a presentation
// through the editor.
func TestBrowserArchiveAndDocumentation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.pastMeeting(16, "2017-04-03")
	e17 := e.pastMeeting(17, "2017-09-13")
	e.pastMeeting(18, "2017-11-29")
	_, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Fruehjahrsakademie), Motto: ptr("Wir brauchen Daten und Taten"),
		Days: &e17.Days, Capacity: ptr(70), Status: ptr(event.Held), VenueCity: ptr("Oberhausen")})
	if err != nil {
		t.Fatal(err)
	}
	talk := e.addItem(e17, e17.Days[0], "10:30", "11:00", agenda.Talk, "Koordinationsarbeit in Dinslaken",
		agenda.Speaker{Name: "Holger Mrosek", Function: "Koordinator für Präventionsketten", Organisation: "Stadt Dinslaken"})
	pres := e.material(e17.ID, archive.Presentation, "Präsentation von Holger Mrosek", tinyPDF, archive.Public)
	if _, err := e.archive.UpdateMaterial(ctx, pres.ID, archive.MaterialInput{AgendaItemID: &talk.ID}); err != nil {
		t.Fatal(err)
	}
	e.material(e17.ID, archive.Video, "Video: Input Holger Mrosek", "https://video.example/mrosek", archive.Public)
	e.material(e17.ID, archive.Presentation, "Präsentation von Norbert Wörmann", tinyPDF, archive.Participants)
	for i, alt := range []string{"Die versammelten Teilnehmenden des 17. Lernnetzwerktreffens im Saal", "Arbeitsgruppe zu Bildungsübergängen"} {
		up, err := e.archive.Files().Receive(bytes.NewReader(hallPicture(t, 900, 600, uint8(i*3))), "foto.png", archive.Photo)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.archive.AddMaterial(ctx, e17.ID, archive.MaterialInput{AltText: ptr(alt), Credit: ptr("ISA/Martin Scherag")}, up, e17.CreatedAt); err != nil {
			t.Fatal(err)
		}
	}

	b := newBrowser(t, e)
	b.open("/archiv")
	years := run(b, "year headings", chromedp.Evaluate[[]string](`[...document.querySelectorAll("main h2")].map(h => h.textContent.trim())`))
	if strings.Join(years, ",") != "2017" {
		t.Errorf("year headings %v", years)
	}
	titles := run(b, "entries", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".archive-entry h3")].map(h => h.textContent.trim())`))
	if len(titles) != 4 || !strings.HasPrefix(titles[0], "18.") || !strings.HasPrefix(titles[len(titles)-1], "16.") {
		t.Errorf("archive order %q", titles)
	}
	b.screenshot("archiv.png")

	b.do("type a speaker", chromedp.SendKeys(chromedp.ID("f-q"), "mrosek"))
	b.load("search", http.StatusOK, chromedp.Click(chromedp.CSS(`form[role="search"] button`)))
	if got := b.text(".result-count"); !strings.HasPrefix(got, "1 Treffen gefunden") {
		t.Errorf("result line %q", got)
	}
	if got := b.text(".archive-entry h3"); !strings.HasPrefix(got, "17. Lernnetzwerktreffen") {
		t.Errorf("found %q", got)
	}
	b.load("weiterlesen", http.StatusOK, chromedp.Click(chromedp.CSS(".archive-entry a.more")))
	if p := b.path(); p != fmt.Sprintf("/events/%d", e17.ID) {
		t.Fatalf("weiterlesen led to %s", p)
	}
	doc := b.text(".documentation")
	for _, want := range []string{"Begrüßung", "Foto: ISA/Martin Scherag", "Koordinationsarbeit in Dinslaken", "Präsentation von Holger Mrosek",
		"Video: Input Holger Mrosek", "nur für Teilnehmende bestimmt"} {
		if !strings.Contains(doc, want) {
			t.Errorf("documentation lacks %q", want)
		}
	}
	if strings.Contains(doc, "Wörmann") {
		t.Error("participant-only presentation shown to the public")
	}
	// The photos load lazily: scroll each into view and wait for it (at most 10 s).
	loaded := run(b, "photos loaded", chromedp.Evaluate[[]string](`(async () => {
		const imgs = [...document.querySelectorAll(".gallery img")];
		for (const i of imgs) {
			i.scrollIntoView();
			await Promise.race([i.decode().catch(() => {}), new Promise(r => setTimeout(r, 10000))]);
		}
		window.scrollTo(0, 0);
		return imgs.map(i => i.complete && i.naturalWidth > 0 ? i.alt : "");
	})()`, chromedp.EvalAwaitPromise))
	if len(loaded) != 2 || loaded[0] == "" || loaded[1] == "" {
		t.Errorf("photos %q", loaded)
	}
	pdfType := run(b, "fetch presentation", chromedp.Evaluate[string](`fetch(document.querySelector(".material.presentation a").href).then(r => r.status + " " + r.headers.get("content-type"))`,
		chromedp.EvalAwaitPromise))
	if pdfType != "200 application/pdf" {
		t.Errorf("presentation link answers %q", pdfType)
	}
	b.screenshot("dokumentation.png")

	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	b.open(fmt.Sprintf("/events/%d", e17.ID))
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("documentation scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.open("/archiv")
	if out := run(b, "overflow", chromedp.Evaluate[[]string](overflowJS)); len(out) > 0 {
		t.Errorf("archive scrolls sideways on a phone:\n%s", strings.Join(out, "\n"))
	}
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))

	// The organiser uploads a presentation in the editor.
	file := filepath.Join(t.TempDir(), "Praesentation-Schoen.pdf")
	if err := os.WriteFile(file, []byte(tinyPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open("/login")
	b.do("fill login form", chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail), chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword))
	b.load("log in", http.StatusOK, chromedp.Click(chromedp.CSS("form.stack button.primary")))
	b.open(fmt.Sprintf("/admin/events/%d/documentation", e17.ID))
	b.do("choose file", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.SendKeys(chromedp.ID("f-title"), "Präsentation von Markus Schön"),
		chromedp.Click(chromedp.ID("f-visibility-participants")))
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button.primary`)))
	if err != nil || resp.Status != http.StatusOK {
		t.Fatalf("upload: %v %v\n%s", err, resp.Status, b.text("main"))
	}
	if got := b.text(".flash"); !strings.Contains(got, "„Präsentation von Markus Schön“ ist hinzugefügt.") {
		t.Errorf("flash %q", got)
	}
	list, _ := e.archive.Materials(ctx, e17.ID, true)
	var found bool
	for _, m := range list {
		if m.Title == "Präsentation von Markus Schön" {
			found = m.FileName == "Praesentation-Schoen.pdf" && m.Visibility == archive.Participants && m.ContentType == "application/pdf"
		}
	}
	if !found {
		t.Errorf("uploaded material not stored as expected: %+v", list)
	}
	b.screenshot("dokumentation-bearbeiten.png")
}
