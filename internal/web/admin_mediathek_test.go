package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
)

const (
	validVTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHerzlich willkommen zum Learning Nugget.\n"
	srtFile  = "1\n00:00:01,000 --> 00:00:04,000\nHerzlich willkommen.\n"
)

// formFile is a file part of a multipart form.
type formFile struct{ field, name, content string }

// mediaForm posts the Mediathek's item form with fields in order and
// files.
func (e *env) mediaForm(c *http.Client, path string, fields [][2]string, files ...formFile) response {
	e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			e.t.Fatal(err)
		}
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := part.Write([]byte(f.content)); err != nil {
			e.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		e.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return e.do(c, req)
}

func (e *env) mediaStore() *media.Store { return media.NewStore(e.db.Gorm) }

// mediaID reads the item id from a redirect to its edit form.
func mediaID(t *testing.T, r response) int64 {
	t.Helper()
	var id int64
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", r.StatusCode, r.Body)
	}
	if _, err := fmt.Sscanf(r.Header.Get("Location"), "/admin/mediathek/%d", &id); err != nil {
		t.Fatalf("Location %q: %v", r.Header.Get("Location"), err)
	}
	return id
}

func TestOrganiserCreatesSeriesAndItemThroughTheForms(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	e.programmeItem(ev)
	items, err := e.agenda.Items(ctx, ev.ID)
	if err != nil || len(items) != 1 {
		t.Fatalf("programme: %v %v", items, err)
	}

	r := e.postForm(c, "/admin/mediathek/series", url.Values{"title": {""}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("series without title: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Bitte geben Sie der Reihe einen Titel")
	r = e.postForm(c, "/admin/mediathek/series", url.Values{"title": {"Learning Nuggets"}, "description": {"Kurze Videos"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("series: %d %s", r.StatusCode, r.Body)
	}
	series, err := e.mediaStore().Series(ctx)
	if err != nil || len(series) != 1 {
		t.Fatalf("series: %v %v", series, err)
	}

	page := e.get(c, "/admin/mediathek/new")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", page.StatusCode)
	}
	mustContain(t, page.Body, "Learning Nuggets", "17. Lernnetzwerktreffen", "<optgroup", "Begrüßung", "Stadt Ahlen", `name="captions_file"`)

	fields := [][2]string{
		{"kind", "video"}, {"title", "Nugget 3: Übergänge gestalten"}, {"description", "Wie Übergänge gelingen."},
		{"series_id", fmt.Sprint(series[0].ID)}, {"recorded_on", "15.11.2022"}, {"duration", "12:05"},
		{"event_id", fmt.Sprint(ev.ID)}, {"agenda_item_id", fmt.Sprint(items[0].ID)},
		{"url", "https://www.youtube.com/watch?v=abc123"}, {"credits", "Kamera: Clemens Boecker"}, {"visibility", "public"},
		{"speaker_name", "Dr. Heinz-Jürgen Stolz"}, {"speaker_role", "Leiter der Servicestelle"}, {"speaker_municipality", ""},
		{"speaker_name", "Vera Deffte"}, {"speaker_role", "Wissenschaftliche Mitarbeiterin"}, {"speaker_municipality", fmt.Sprint(e.ahlen.ID)},
		{"speaker_name", ""}, {"speaker_role", ""}, {"speaker_municipality", ""},
		{"topics", "Übergänge, Kinderarmut; übergänge"}, {"transcript", "Herzlich willkommen."}, {"captions_language", "de"},
	}
	id := mediaID(t, e.mediaForm(c, "/admin/mediathek", fields, formFile{"captions_file", "", ""}))
	it, err := e.mediaStore().Item(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Speakers) != 2 || it.Speakers[1].Municipality != "Stadt Ahlen" || it.Speakers[0].Name != "Dr. Heinz-Jürgen Stolz" {
		t.Errorf("speakers: %+v", it.Speakers)
	}
	if strings.Join(it.Topics, "|") != "Kinderarmut|Übergänge" {
		t.Errorf("topics: %v", it.Topics)
	}
	if it.DurationSeconds != 725 || it.DateLabel() != "15.11.2022" || it.AgendaItemID == nil || *it.AgendaItemID != items[0].ID {
		t.Errorf("item: %+v", it)
	}
	if it.HasCaptions() {
		t.Error("an empty file input stored captions")
	}

	// The edit form shows it all again, with three empty speaker rows.
	edit := e.get(c, fmt.Sprintf("/admin/mediathek/%d", id))
	mustContain(t, edit.Body, "Nugget 3: Übergänge gestalten", "Vera Deffte", "Kinderarmut, Übergänge", "12:05", "15.11.2022", "<datalist")
	if n := strings.Count(edit.Body, `name="speaker_name"`); n != 5 {
		t.Errorf("%d speaker rows, want 2 + 3", n)
	}
	// The list shows what is missing for accessibility.
	list := e.get(c, "/admin/mediathek")
	mustContain(t, list.Body, "Nugget 3: Übergänge gestalten", "Untertitel fehlt", "Transkript", "/mediathek/"+fmt.Sprint(id), "nach oben")

	var entries []audit.Entry
	if err := e.db.Gorm.Where("action = ?", audit.MediaAdded).Find(&entries).Error; err != nil || len(entries) != 1 {
		t.Errorf("audit entries: %v %v", entries, err)
	}
	mustContain(t, e.get(c, "/admin/audit").Body, "Mediathek: Eintrag angelegt", "Mediathek: Reihe gespeichert")
}

func TestCaptionsUploadIsCheckedByContent(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	fields := [][2]string{{"kind", "video"}, {"title", "Grußwort der Staatssekretärin"}, {"url", "/medien/grusswort.mp4"},
		{"visibility", "public"}, {"captions_language", "de"}, {"topics", "Landespolitik"}}
	for _, bad := range []formFile{
		{"captions_file", "grusswort.srt", srtFile},
		{"captions_file", "grusswort.vtt", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"},
	} {
		r := e.mediaForm(c, "/admin/mediathek", fields, bad)
		if r.StatusCode != http.StatusUnsupportedMediaType {
			t.Fatalf("%s: %d, want 415", bad.name, r.StatusCode)
		}
		mustContain(t, r.Body, "Grußwort der Staatssekretärin", "Landespolitik", "Bitte wählen Sie die Datei noch einmal aus.", `id="e-captions"`)
		if bad.name == "grusswort.srt" {
			mustContain(t, r.Body, "Das ist eine SRT-Datei, keine WebVTT-Datei.")
		} else {
			mustContain(t, r.Body, "Der Dateiname zählt dabei nicht.")
		}
	}
	if items, _ := e.mediaStore().Items(context.Background(), media.ListQuery{ParticipantOnly: true}); len(items) != 0 {
		t.Fatalf("refused form stored %d items", len(items))
	}

	id := mediaID(t, e.mediaForm(c, "/admin/mediathek", fields, formFile{"captions_file", "grusswort.vtt", validVTT},
		formFile{"transcript_file", "grusswort.txt", "Sehr geehrte Damen und Herren"}))
	it, err := e.mediaStore().Item(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if it.Captions != validVTT || it.CaptionsLang != "de" || it.Transcript != "Sehr geehrte Damen und Herren" {
		t.Errorf("stored captions %q (%s), transcript %q", it.Captions, it.CaptionsLang, it.Transcript)
	}
	edit := e.get(c, fmt.Sprintf("/admin/mediathek/%d", id))
	mustContain(t, edit.Body, "Untertitel entfernen")

	// Saving without a file keeps the captions; the checkbox removes them.
	values := append(fields[:len(fields):len(fields)], [2]string{"transcript", it.Transcript})
	if r := e.mediaForm(c, fmt.Sprintf("/admin/mediathek/%d", id), values); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", r.StatusCode)
	}
	if it, _ = e.mediaStore().Item(context.Background(), id); !it.HasCaptions() {
		t.Error("saving without a file dropped the captions")
	}
	values = append(values, [2]string{"remove_captions", "1"})
	if r := e.mediaForm(c, fmt.Sprintf("/admin/mediathek/%d", id), values); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.StatusCode)
	}
	if it, _ = e.mediaStore().Item(context.Background(), id); it.HasCaptions() {
		t.Error("captions not removed")
	}
	// A typing error elsewhere keeps the other fields.
	values[1] = [2]string{"title", "Grußwort, zweite Fassung"}
	values[2] = [2]string{"url", "keine adresse"}
	r := e.mediaForm(c, fmt.Sprintf("/admin/mediathek/%d", id), values)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad address: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "Grußwort, zweite Fassung", "keine adresse", "vollständige Web-Adresse")

	if r := e.postForm(c, fmt.Sprintf("/admin/mediathek/%d/delete", id), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if _, err := e.mediaStore().Item(context.Background(), id); err == nil {
		t.Error("item still there after delete")
	}
}

func TestSeriesMoveAndDelete(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	ctx := context.Background()
	store := e.mediaStore()
	var ids []int64
	for _, title := range []string{"Learning Nuggets", "Podcast", "Vorträge"} {
		sr, err := store.CreateSeries(ctx, media.SeriesInput{Title: ptr(title)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sr.ID)
	}
	it, err := store.CreateItem(ctx, media.Input{Kind: ptr(media.Audio), Title: ptr("Folge 1"), URL: ptr("/medien/folge-1.mp3"), SeriesID: &ids[1]})
	if err != nil {
		t.Fatal(err)
	}
	order := func() string {
		list, err := store.Series(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, s := range list {
			titles = append(titles, s.Title)
		}
		return strings.Join(titles, ", ")
	}
	if r := e.postForm(c, fmt.Sprintf("/admin/mediathek/series/%d/move", ids[2]), url.Values{"direction": {"up"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", r.StatusCode)
	}
	if got := order(); got != "Learning Nuggets, Vorträge, Podcast" {
		t.Errorf("after moving up: %s", got)
	}
	e.postForm(c, fmt.Sprintf("/admin/mediathek/series/%d/move", ids[0]), url.Values{"direction": {"down"}})
	if got := order(); got != "Vorträge, Learning Nuggets, Podcast" {
		t.Errorf("after moving down: %s", got)
	}
	page := e.get(c, "/admin/mediathek")
	mustContain(t, page.Body, "Ihre 1 Einträge bleiben in der Mediathek, dann ohne Reihe.")

	r := e.postForm(c, fmt.Sprintf("/admin/mediathek/series/%d", ids[1]), url.Values{"title": {"Podcast Präventionsketten"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename: %d", r.StatusCode)
	}
	r = e.postForm(c, fmt.Sprintf("/admin/mediathek/series/%d/delete", ids[1]), url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	page = e.get(c, "/admin/mediathek")
	mustContain(t, page.Body, "Die Reihe „Podcast Präventionsketten“ ist gelöscht. Ihre 1 Einträge bleiben")
	if got, err := store.Item(ctx, it.ID); err != nil || got.SeriesID != nil {
		t.Errorf("item after deleting its series: %+v %v", got, err)
	}
}

func TestVideoMaterialMovesIntoTheMediathek(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn()
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	d := ev.Days[0]
	item, err := e.agenda.Create(ctx, ev, agenda.Input{Day: &d, StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Welcome), Title: ptr("Grußwort")})
	if err != nil {
		t.Fatal(err)
	}
	video := e.material(ev.ID, archive.Video, "Video: Grußwort", "https://www.youtube.com/watch?v=xyz", archive.Participants)
	if _, err := e.archive.UpdateMaterial(ctx, video.ID, archive.MaterialInput{AgendaItemID: &item.ID}); err != nil {
		t.Fatal(err)
	}
	pdf := e.material(ev.ID, archive.Presentation, "Präsentation", tinyPDF, archive.Public)

	doc := e.get(c, fmt.Sprintf("/admin/events/%d/documentation", ev.ID))
	mustContain(t, doc.Body, fmt.Sprintf("/documentation/materials/%d/to-mediathek", video.ID), "In die Mediathek übernehmen")
	if strings.Contains(doc.Body, fmt.Sprintf("/documentation/materials/%d/to-mediathek", pdf.ID)) {
		t.Error("a presentation offers the move into the Mediathek")
	}

	r := e.postForm(c, fmt.Sprintf("/admin/events/%d/documentation/materials/%d/to-mediathek", ev.ID, pdf.ID), url.Values{})
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "/documentation#materialien") {
		t.Fatalf("presentation: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	mustContain(t, e.get(c, r.Header.Get("Location")).Body, "Nur Videos lassen sich in die Mediathek übernehmen")

	id := mediaID(t, e.postForm(c, fmt.Sprintf("/admin/events/%d/documentation/materials/%d/to-mediathek", ev.ID, video.ID), url.Values{}))
	if _, err := e.archive.Material(ctx, video.ID); !problem.Is(err, problem.NotFound) {
		t.Errorf("material still there: %v", err)
	}
	it, err := e.mediaStore().Item(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if it.Kind != media.Video || it.Title != "Video: Grußwort" || it.URL != "https://www.youtube.com/watch?v=xyz" ||
		it.EventID == nil || *it.EventID != ev.ID || it.AgendaItemID == nil || *it.AgendaItemID != item.ID ||
		it.Visibility != media.Participants || it.DateLabel() != "13.09.2017" {
		t.Errorf("adopted item: %+v", it)
	}
	edit := e.get(c, fmt.Sprintf("/admin/mediathek/%d", id))
	mustContain(t, edit.Body, "ist jetzt in der Mediathek", "Video: Grußwort")
}
