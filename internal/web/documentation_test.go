package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// tinyPDF starts like every PDF; uploads are judged by content.
const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// elfProgram starts like a Linux executable.
var elfProgram = "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 300)

func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for x := 0; x < 48; x++ {
		img.Set(x, x%32, color.RGBA{R: 11, G: 90, B: 122, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// material stores a material with a file (presentations, photos) or an
// address (videos, links) directly in the store.
func (e *env) material(eventID int64, kind archive.Kind, title, content string, vis archive.Visibility) archive.Material {
	e.t.Helper()
	in := archive.MaterialInput{Kind: &kind, Title: &title, Visibility: &vis}
	var up *archive.Upload
	if kind.IsUpload() {
		var err error
		if up, err = e.archive.Files().Receive(strings.NewReader(content), title+".pdf", kind); err != nil {
			e.t.Fatal(err)
		}
		if kind == archive.Photo {
			in.AltText = ptr("Gruppenfoto")
		}
	} else {
		in.URL = &content
	}
	m, err := e.archive.AddMaterial(context.Background(), eventID, in, up, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// pastMeeting is a held meeting with a published documentation.
func (e *env) pastMeeting(number int, date string) event.Event {
	e.t.Helper()
	d, err := day.Parse(date)
	if err != nil {
		e.t.Fatal(err)
	}
	ev, err := e.events.Create(context.Background(), event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(number),
		Title: ptr("Kommunale Präventionsketten"), Motto: ptr("Wir wollen die Prävention stärken!"), Days: &day.List{d},
		Capacity: ptr(80), Status: ptr(event.Held), VenueName: ptr("Rathaus"), VenueCity: ptr("Köln")})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.archive.SaveDocumentation(context.Background(), ev.ID, archive.Input{
		Teaser: ptr("Die Vertreterinnen und Vertreter der 40 Programmkommunen kamen in Köln zusammen."),
		Report: ptr("## Begrüßung\n\nIlona Heuchel begrüßte die Teilnehmenden.\n\n<script>alert(1)</script>"), Published: ptr(true)}, time.Now()); err != nil {
		e.t.Fatal(err)
	}
	return ev
}

// multipartBody builds a form with fields (in order) and a file part.
func multipartBody(t testing.TB, fields [][2]string, fileName string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if fileName != "" {
		part, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func (e *env) upload(c *http.Client, path string, fields [][2]string, fileName string, content []byte) response {
	e.t.Helper()
	body, ct := multipartBody(e.t, fields, fileName, content)
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, body)
	req.Header.Set("Content-Type", ct)
	return e.do(c, req)
}

func filesIn(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestUploadFormChecksContentAndKeepsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	ev := e.pastMeeting(17, "2017-09-13")
	org := e.loggedIn()
	path := fmt.Sprintf("/admin/events/%d/documentation/materials", ev.ID)
	fields := [][2]string{{"kind", "presentation"}, {"title", "Präsentation von Holger Mrosek"}, {"visibility", "participants"}}

	// A program renamed to .pdf is refused by its content; the title stays.
	r := e.upload(org, path, fields, "mrosek.pdf", []byte(elfProgram))
	if r.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("renamed executable: %d", r.StatusCode)
	}
	for _, want := range []string{"ist nicht eine PDF-Datei", "Der Dateiname zählt dabei nicht", `value="Präsentation von Holger Mrosek"`, `value="participants" checked`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("answer lacks %q", want)
		}
	}
	if left := filesIn(t, e.archive.Files().Dir()); len(left) != 0 {
		t.Fatalf("refused upload left files: %v", left)
	}

	// A real PDF is taken, whatever it is called.
	r = e.upload(org, path, fields, "Folien Mrosek.PDF.exe", []byte(tinyPDF))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("pdf upload: %d %s", r.StatusCode, r.Body)
	}
	list, _ := e.archive.Materials(context.Background(), ev.ID, true)
	if len(list) != 1 || list[0].ContentType != "application/pdf" || list[0].FileName != "Folien Mrosek.PDF.pdf" || list[0].Visibility != archive.Participants {
		t.Fatalf("stored %+v", list)
	}
	page := e.get(org, fmt.Sprintf("/admin/events/%d/documentation", ev.ID))
	if !strings.Contains(page.Body, "Präsentation von Holger Mrosek") || !strings.Contains(page.Body, "Nur für Teilnehmende") {
		t.Fatalf("editor does not list the material")
	}

	// A photo without alt text is refused with the message at the field.
	r = e.upload(org, path, [][2]string{{"kind", "photo"}, {"credit", "ISA/Martin Scherag"}}, "gruppe.png", pngBytes(t))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Alternativtext") ||
		!strings.Contains(r.Body, `value="ISA/Martin Scherag"`) || !strings.Contains(r.Body, "Bitte wählen Sie die Datei noch einmal aus.") {
		t.Fatalf("photo without alt text: %d", r.StatusCode)
	}
	if left := filesIn(t, e.archive.Files().Dir()); len(left) != 1 {
		t.Fatalf("files after refused photo: %v", left)
	}

	// Deleting the material removes its file.
	r = e.postForm(org, fmt.Sprintf("/admin/events/%d/documentation/materials/%d/delete", ev.ID, list[0].ID), url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if left := filesIn(t, e.archive.Files().Dir()); len(left) != 0 {
		t.Fatalf("file of deleted material kept: %v", left)
	}
}

// countingReader is an upload body of a given size that counts what the
// server read of it.
type countingReader struct {
	head  []byte
	left  int64
	total atomic.Int64 // read by the test while the client may still send
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := copy(p, r.head)
	r.head = r.head[n:]
	for i := n; i < len(p) && int64(i) < r.left; i++ {
		p[i] = 'x'
		n = i + 1
	}
	if int64(n) > r.left {
		n = int(r.left)
	}
	r.left -= int64(n)
	r.total.Add(int64(n))
	return n, nil
}

func TestOversizedUploadIsRefusedWithoutFillingTheDisk(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.UploadMaxMB = 1 })
	ev := e.pastMeeting(18, "2017-11-29")
	org := e.loggedIn()
	path := fmt.Sprintf("/admin/events/%d/documentation/materials", ev.ID)

	// Without a length: a 200 MB stream, cut off after the limit.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	src := &countingReader{head: []byte(tinyPDF), left: 200 << 20}
	go func() {
		_ = mw.WriteField("kind", "presentation")
		_ = mw.WriteField("title", "Riesige Präsentation")
		part, _ := mw.CreateFormFile("file", "riesig.pdf")
		_, err := io.Copy(part, src)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := org.Do(req)
	if err != nil {
		t.Fatalf("the server should answer, not drop the connection: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "höchstens 1 MB") {
		t.Fatalf("oversized upload: %d", resp.StatusCode)
	}
	pr.Close() // stop the sender
	if sent := src.total.Load(); sent > 8<<20 {
		t.Fatalf("the server read %d MB of a 200 MB upload with a 1 MB limit", sent>>20)
	}
	if left := filesIn(t, e.archive.Files().Dir()); len(left) != 0 {
		t.Fatalf("refused upload left files: %v", left)
	}

	// With a declared length over the limit: refused before reading.
	big := &countingReader{head: []byte(tinyPDF), left: 50 << 20}
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+path, big)
	req.ContentLength = 50 << 20
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	resp, err = org.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if sent := big.total.Load(); resp.StatusCode != http.StatusRequestEntityTooLarge || sent > 8<<20 {
		t.Fatalf("declared 50 MB: %d after reading %d bytes", resp.StatusCode, sent)
	}
}

func TestParticipantOnlyMaterialNeedsTheManageLink(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.pastMeeting(17, "2017-09-13")
	other := e.pastMeeting(16, "2017-04-03")
	public := e.material(ev.ID, archive.Presentation, "Präsentation Stolz", tinyPDF, archive.Public)
	secret := e.material(ev.ID, archive.Presentation, "Präsentation Wörmann", tinyPDF, archive.Participants)
	video := e.material(ev.ID, archive.Video, "Video: Input Holger Mrosek", "https://video.example/mrosek", archive.Participants)

	register := func(eventID int64, email string) registration.Registration {
		r, err := e.regs.Register(ctx, eventID, registration.Input{FirstName: "Marina", LastName: "Bänke", Email: email,
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	participant := register(ev.ID, "m.baenke@ahlen.example")
	elsewhere := register(other.ID, "m.baenke2@ahlen.example")
	cancelled := register(ev.ID, "storniert@ahlen.example")
	if _, err := e.regs.Cancel(ctx, cancelled.ID, audit.System); err != nil {
		t.Fatal(err)
	}

	anon := e.client()
	href := func(m archive.Material) string {
		return fmt.Sprintf("/materials/%d/%s", m.ID, url.PathEscape(m.FileName))
	}
	// The public sees public material, and only a hint at the rest.
	page := e.get(anon, fmt.Sprintf("/events/%d", ev.ID))
	if !strings.Contains(page.Body, "Präsentation Stolz") || strings.Contains(page.Body, "Wörmann") || strings.Contains(page.Body, "video.example") ||
		!strings.Contains(page.Body, "2 weitere Materialien sind nur für Teilnehmende") {
		t.Fatalf("public page shows the wrong material:\n%s", page.Body)
	}
	if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "<h3>Begrüßung</h3>") {
		t.Fatal("report not rendered safely")
	}
	r := e.get(anon, href(public))
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || r.Body != tinyPDF ||
		!strings.Contains(r.Header.Get("Content-Disposition"), `filename="Präsentation Stolz.pdf"`) && !strings.Contains(r.Header.Get("Content-Disposition"), "filename*=utf-8''Pr%C3%A4sentation%20Stolz.pdf") {
		t.Fatalf("public file: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	r = e.get(anon, href(secret))
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "persönlichen Link") {
		t.Fatalf("participant-only file for the public: %d", r.StatusCode)
	}

	// The participant's link opens everything of their meeting.
	docPage := e.get(anon, "/manage/"+participant.ManageToken+"/dokumentation")
	secretHref := fmt.Sprintf("/manage/%s/materials/%d/%s", participant.ManageToken, secret.ID, url.PathEscape(secret.FileName))
	if docPage.StatusCode != http.StatusOK || !strings.Contains(docPage.Body, "Präsentation Wörmann") || !strings.Contains(docPage.Body, video.URL) ||
		!strings.Contains(docPage.Body, secretHref) {
		t.Fatalf("participant's documentation page: %d", docPage.StatusCode)
	}
	if r := e.get(anon, secretHref); r.StatusCode != http.StatusOK || r.Body != tinyPDF || !strings.Contains(r.Header.Get("Cache-Control"), "private") {
		t.Fatalf("own link: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
	if manage := e.get(anon, "/manage/"+participant.ManageToken); !strings.Contains(manage.Body, "/manage/"+participant.ManageToken+"/dokumentation") {
		t.Fatal("the manage page does not lead to the documentation")
	}
	// Links of another meeting or a cancelled registration do not.
	for name, token := range map[string]string{"other meeting": elsewhere.ManageToken, "cancelled": cancelled.ManageToken, "made up": strings.Repeat("x", 43)} {
		r := e.get(anon, fmt.Sprintf("/manage/%s/materials/%d/x.pdf", token, secret.ID))
		if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
		if r.Body == tinyPDF {
			t.Errorf("%s got the file", name)
		}
	}
	// The team sees all.
	if r := e.get(e.loggedIn(), href(secret)); r.StatusCode != http.StatusOK {
		t.Fatalf("organiser: %d", r.StatusCode)
	}

	// Unpublished, nothing is public any more.
	if _, err := e.archive.SaveDocumentation(ctx, ev.ID, archive.Input{Published: ptr(false)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := e.get(anon, href(public)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("public file of an unpublished documentation: %d", r.StatusCode)
	}
	if r := e.get(anon, secretHref); r.StatusCode != http.StatusNotFound {
		t.Fatalf("participant file of an unpublished documentation: %d", r.StatusCode)
	}
}

func TestArchivePageOrdersAndSearches(t *testing.T) {
	e := newEnv(t)
	e17 := e.pastMeeting(17, "2017-09-13")
	e16 := e.pastMeeting(16, "2017-04-03")
	e21 := e.pastMeeting(21, "2018-11-29")
	e.addItem(e16, e16.Days[0], "10:00", "10:30", agenda.Welcome, "Grußwort", agenda.Speaker{Name: "Bernd Neuendorf", Function: "Staatssekretär"})

	anon := e.client()
	page := e.get(anon, "/archiv")
	i21, i17, i16 := strings.Index(page.Body, "21. Lernnetzwerktreffen"), strings.Index(page.Body, "17. Lernnetzwerktreffen"), strings.Index(page.Body, "16. Lernnetzwerktreffen")
	if i21 < 0 || !(i21 < i17 && i17 < i16) || strings.Index(page.Body, ">2018<") > strings.Index(page.Body, ">2017<") {
		t.Fatalf("archive not newest first by year: %d %d %d", i21, i17, i16)
	}
	for _, want := range []string{"weiterlesen", "40 Programmkommunen", "Online-Dokumentation", "3 Treffen im Archiv"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	found := e.get(anon, "/archiv?q=neuendorf")
	if !strings.Contains(found.Body, "1 Treffen gefunden") || !strings.Contains(found.Body, fmt.Sprintf("/events/%d", e16.ID)) ||
		strings.Contains(found.Body, fmt.Sprintf(`href="/events/%d"`, e17.ID)) || !strings.Contains(found.Body, `value="neuendorf"`) {
		t.Fatalf("search by speaker:\n%s", found.Body)
	}
	none := e.get(anon, "/archiv?q=gibtesnicht&art=fruehjahrsakademie")
	if !strings.Contains(none.Body, "0 Treffen gefunden") || !strings.Contains(none.Body, `value="fruehjahrsakademie" selected`) {
		t.Fatal("empty result not explained")
	}
	byYear := e.get(anon, "/archiv?jahr=2018")
	if !strings.Contains(byYear.Body, fmt.Sprintf("/events/%d", e21.ID)) || strings.Contains(byYear.Body, fmt.Sprintf(`href="/events/%d"`, e16.ID)) {
		t.Fatal("year filter")
	}
}

func TestDocumentationAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.pastMeeting(17, "2017-09-13")
	id := strconv.FormatInt(ev.ID, 10)

	e.conform(doc, "GET /api/v1/archive", e.api(http.MethodGet, "/api/v1/archive?q=Pr%C3%A4vention&year=2017", "", nil))
	e.conform(doc, "GET /api/v1/events/{id}/documentation", e.api(http.MethodGet, "/api/v1/events/"+id+"/documentation", "", nil))
	e.conform(doc, "PUT /api/v1/events/{id}/documentation", e.api(http.MethodPut, "/api/v1/events/"+id+"/documentation", token,
		map[string]any{"teaser": "Neu", "report": "Text mit [Link](https://isa.example)", "published": true}))
	e.conform(doc, "PUT /api/v1/events/{id}/documentation", e.api(http.MethodPut, "/api/v1/events/"+id+"/documentation", token,
		map[string]any{"teaser": "", "report": "", "published": true}))

	link := e.api(http.MethodPost, "/api/v1/events/"+id+"/materials", token, map[string]any{"kind": "video",
		"title": "Video: Grußwort Staatssekretär Bothe", "url": "https://video.example/bothe", "visibility": "participants"})
	if link.StatusCode != http.StatusCreated {
		t.Fatalf("link: %d %s", link.StatusCode, link.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials", link)
	e.conform(doc, "POST /api/v1/events/{id}/materials", e.api(http.MethodPost, "/api/v1/events/"+id+"/materials", token,
		map[string]any{"kind": "link", "title": "Böse", "url": "javascript:alert(1)"}))

	upload := func(name string, content []byte) response {
		body, ct := multipartBody(t, [][2]string{{"title", "Gruppenfoto"}, {"alt_text", "Die versammelten Teilnehmenden"}, {"credit", "ISA/Martin Scherag"}}, name, content)
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/events/"+id+"/materials", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+token)
		return e.do(e.client(), req)
	}
	photo := upload("foto.jpg", pngBytes(t))
	if photo.StatusCode != http.StatusCreated || !strings.Contains(photo.Body, `"kind":"photo"`) || !strings.Contains(photo.Body, `"width":48`) {
		t.Fatalf("photo upload: %d %s", photo.StatusCode, photo.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials", photo)
	bad := upload("foto.jpg", []byte(elfProgram))
	if bad.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(bad.Body, `"code":"unsupported_type"`) {
		t.Fatalf("executable: %d %s", bad.StatusCode, bad.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials", bad)

	list := e.api(http.MethodGet, "/api/v1/events/"+id+"/materials", "", nil)
	e.conform(doc, "GET /api/v1/events/{id}/materials", list)
	if strings.Contains(list.Body, "video.example") || !strings.Contains(list.Body, "Gruppenfoto") {
		t.Fatalf("public list: %s", list.Body)
	}
	if all := e.api(http.MethodGet, "/api/v1/events/"+id+"/materials", token, nil); !strings.Contains(all.Body, "video.example") {
		t.Fatal("organiser list lacks participant-only material")
	}

	list2, _ := e.archive.Materials(context.Background(), ev.ID, true)
	var photoID int64
	for _, m := range list2 {
		if m.Kind == archive.Photo {
			photoID = m.ID
		}
	}
	mid := strconv.FormatInt(photoID, 10)
	file := e.api(http.MethodGet, "/api/v1/events/"+id+"/materials/"+mid+"/file", token, nil)
	if file.StatusCode != http.StatusOK || file.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("file through the API: %d %q", file.StatusCode, file.Header.Get("Content-Type"))
	}
	e.conform(doc, "PATCH /api/v1/events/{id}/materials/{mid}", e.api(http.MethodPatch, "/api/v1/events/"+id+"/materials/"+mid, token,
		map[string]any{"visibility": "participants", "position": 7}))
	e.conform(doc, "PATCH /api/v1/events/{id}/materials/{mid}", e.api(http.MethodPatch, "/api/v1/events/"+id+"/materials/"+mid, token,
		map[string]any{"alt_text": ""}))
	del := e.api(http.MethodDelete, "/api/v1/events/"+id+"/materials/"+mid, token, nil)
	if del.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", del.StatusCode)
	}
	if left := filesIn(t, e.archive.Files().Dir()); len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
	e.conform(doc, "DELETE /api/v1/events/{id}/documentation", e.api(http.MethodDelete, "/api/v1/events/"+id+"/documentation", token, nil))
	e.conform(doc, "GET /api/v1/events/{id}/documentation", e.api(http.MethodGet, "/api/v1/events/"+id+"/documentation", "", nil))
}
