package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/archive"
)

type mediaJSON struct {
	ID            int64    `json:"id"`
	Title         string   `json:"title"`
	SeriesID      *int64   `json:"series_id"`
	Visibility    string   `json:"visibility"`
	Topics        []string `json:"topics"`
	Captions      string   `json:"captions"`
	HasCaptions   bool     `json:"has_captions"`
	HasTranscript bool     `json:"has_transcript"`
	EventID       *int64   `json:"event_id"`
	Speakers      []struct {
		Name         string `json:"name"`
		Municipality string `json:"municipality"`
	} `json:"speakers"`
}

func TestMediaAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.pastMeeting(17, "2017-09-13")
	check := func(key string, r response, status int) response {
		t.Helper()
		if r.StatusCode != status {
			t.Fatalf("%s: %d, want %d: %s", key, r.StatusCode, status, r.Body)
		}
		e.conform(doc, key, r)
		return r
	}

	// Series.
	r := check("POST /api/v1/media-series", e.api(http.MethodPost, "/api/v1/media-series", token, map[string]any{"title": "Learning Nuggets"}), http.StatusCreated)
	nuggets := decodeBody[struct{ ID int64 }](t, r).ID
	check("POST /api/v1/media-series", e.api(http.MethodPost, "/api/v1/media-series", token, map[string]any{"title": " "}), http.StatusUnprocessableEntity)
	check("POST /api/v1/media-series", e.api(http.MethodPost, "/api/v1/media-series", "", map[string]any{"title": "Podcast"}), http.StatusUnauthorized)
	r = check("POST /api/v1/media-series", e.api(http.MethodPost, "/api/v1/media-series", token, map[string]any{"title": "Podcast"}), http.StatusCreated)
	podcast := decodeBody[struct{ ID int64 }](t, r).ID
	check("PATCH /api/v1/media-series/{sid}", e.api(http.MethodPatch, fmt.Sprintf("/api/v1/media-series/%d", podcast), token,
		map[string]any{"title": "Podcast Präventionsketten", "position": -1}), http.StatusOK)
	r = check("GET /api/v1/media-series", e.api(http.MethodGet, "/api/v1/media-series", "", nil), http.StatusOK)
	if !strings.Contains(r.Body, `"total":2`) || strings.Index(r.Body, "Podcast Präventionsketten") > strings.Index(r.Body, "Learning Nuggets") {
		t.Errorf("series list: %s", r.Body)
	}
	check("GET /api/v1/media-series/{sid}", e.api(http.MethodGet, fmt.Sprintf("/api/v1/media-series/%d", nuggets), "", nil), http.StatusOK)
	check("GET /api/v1/media-series/{sid}", e.api(http.MethodGet, "/api/v1/media-series/999", "", nil), http.StatusNotFound)

	// Items.
	item := map[string]any{"kind": "video", "title": "Nugget 1: Was ist eine Präventionskette?", "url": "https://vimeo.com/12345",
		"series_id": nuggets, "recorded_on": "2022-11-15", "duration": "12:05", "topics": []string{"Präventionskette", "Grundlagen"},
		"speakers": []map[string]any{{"name": "Vera Deffte", "role": "Wissenschaftliche Mitarbeiterin", "municipality_id": e.ahlen.ID}},
		"captions": validVTT, "transcript": "Herzlich willkommen."}
	r = check("POST /api/v1/media", e.api(http.MethodPost, "/api/v1/media", token, item), http.StatusCreated)
	public := decodeBody[mediaJSON](t, r)
	if public.Captions != validVTT || len(public.Speakers) != 1 || public.Speakers[0].Municipality != "Stadt Ahlen" || r.Header.Get("Location") != fmt.Sprintf("/api/v1/media/%d", public.ID) {
		t.Errorf("created: %s (Location %s)", r.Body, r.Header.Get("Location"))
	}
	hidden := map[string]any{"kind": "audio", "title": "Interner Mitschnitt", "url": "/medien/intern.mp3",
		"visibility": "participants", "event_id": ev.ID}
	r = check("POST /api/v1/media", e.api(http.MethodPost, "/api/v1/media", token, hidden), http.StatusCreated)
	internal := decodeBody[mediaJSON](t, r)

	// Bad input: fields for a bad address, 415 for captions that are no WebVTT.
	r = check("POST /api/v1/media", e.api(http.MethodPost, "/api/v1/media", token, map[string]any{"kind": "video", "title": "X", "url": "javascript:alert(1)"}), http.StatusUnprocessableEntity)
	if body := decodeBody[struct {
		Error struct {
			Code   string
			Fields map[string]string
		}
	}](t, r); body.Error.Code != "invalid" || body.Error.Fields["url"] == "" {
		t.Errorf("bad address: %s", r.Body)
	}
	r = check("POST /api/v1/media", e.api(http.MethodPost, "/api/v1/media", token, map[string]any{"kind": "video", "title": "X", "url": "https://vimeo.com/1", "captions": srtFile}), http.StatusUnsupportedMediaType)
	mustContain(t, r.Body, `"code":"unsupported_type"`, "SRT-Datei")
	check("PATCH /api/v1/media/{mid}", e.api(http.MethodPatch, fmt.Sprintf("/api/v1/media/%d", public.ID), token, map[string]any{"captions": "<html>"}), http.StatusUnsupportedMediaType)
	check("POST /api/v1/media", e.api(http.MethodPost, "/api/v1/media", token, `{"titel": "Tippfehler"}`), http.StatusBadRequest)

	// Anonymous callers see public items only; a participant-only item does not exist for them.
	r = check("GET /api/v1/media", e.api(http.MethodGet, "/api/v1/media", "", nil), http.StatusOK)
	if strings.Contains(r.Body, "Interner Mitschnitt") || !strings.Contains(r.Body, "Nugget 1") || strings.Contains(r.Body, "WEBVTT") {
		t.Errorf("anonymous list: %s", r.Body)
	}
	check("GET /api/v1/media/{mid}", e.api(http.MethodGet, fmt.Sprintf("/api/v1/media/%d", internal.ID), "", nil), http.StatusNotFound)
	r = check("GET /api/v1/media/{mid}", e.api(http.MethodGet, fmt.Sprintf("/api/v1/media/%d", public.ID), "", nil), http.StatusOK)
	mustContain(t, r.Body, "WEBVTT", `"has_captions":true`, `"page_url":"http://treffen.test/mediathek/`)
	r = check("GET /api/v1/media", e.api(http.MethodGet, "/api/v1/media", token, nil), http.StatusOK)
	mustContain(t, r.Body, "Interner Mitschnitt", `"total":2`)
	check("GET /api/v1/media/{mid}", e.api(http.MethodGet, fmt.Sprintf("/api/v1/media/%d", internal.ID), token, nil), http.StatusOK)

	// Filters and search.
	for query, want := range map[string]int{
		"?q=willkommen": 1, "?q=praeventionskette": 1, "?topic=grundlagen": 1, "?year=2022": 1, "?year=2017": 0,
		fmt.Sprintf("?series=%d", nuggets): 1, "?series=none": 0, fmt.Sprintf("?event=%d", ev.ID): 0,
	} {
		r := check("GET /api/v1/media", e.api(http.MethodGet, "/api/v1/media"+query, "", nil), http.StatusOK)
		if got := decodeBody[struct{ Total int }](t, r).Total; got != want {
			t.Errorf("%s: %d items, want %d", query, got, want)
		}
	}
	check("GET /api/v1/media", e.api(http.MethodGet, "/api/v1/media?year=zwanzig", "", nil), http.StatusUnprocessableEntity)

	// Partial update keeps what is not sent.
	r = check("PATCH /api/v1/media/{mid}", e.api(http.MethodPatch, fmt.Sprintf("/api/v1/media/%d", public.ID), token, map[string]any{"title": "Nugget 1 (neu)"}), http.StatusOK)
	if got := decodeBody[mediaJSON](t, r); got.Title != "Nugget 1 (neu)" || !got.HasCaptions || len(got.Topics) != 2 || len(got.Speakers) != 1 {
		t.Errorf("after patch: %s", r.Body)
	}
	check("PATCH /api/v1/media/{mid}", e.api(http.MethodPatch, "/api/v1/media/999", token, map[string]any{"title": "x"}), http.StatusNotFound)

	// Deleting a series releases its items.
	r = check("DELETE /api/v1/media-series/{sid}", e.api(http.MethodDelete, fmt.Sprintf("/api/v1/media-series/%d", nuggets), token, nil), http.StatusOK)
	mustContain(t, r.Body, `"released_items":1`)
	r = check("GET /api/v1/media/{mid}", e.api(http.MethodGet, fmt.Sprintf("/api/v1/media/%d", public.ID), "", nil), http.StatusOK)
	if decodeBody[mediaJSON](t, r).SeriesID != nil {
		t.Errorf("item still in the deleted series: %s", r.Body)
	}
	if r := e.api(http.MethodDelete, fmt.Sprintf("/api/v1/media/%d", public.ID), token, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.StatusCode, r.Body)
	}
	check("DELETE /api/v1/media/{mid}", e.api(http.MethodDelete, fmt.Sprintf("/api/v1/media/%d", public.ID), token, nil), http.StatusNotFound)
}

func TestAdoptMaterialThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	doc := e.openAPI()
	token := e.token()
	ev := e.pastMeeting(17, "2017-09-13")
	video := e.material(ev.ID, archive.Video, "Video: Podiumsdiskussion", "https://www.youtube.com/watch?v=pod", archive.Public)
	link := e.material(ev.ID, archive.Link, "Link: Landesprogramm", "https://www.kinderstark.nrw", archive.Public)
	path := func(id int64) string { return fmt.Sprintf("/api/v1/events/%d/materials/%d/to-mediathek", ev.ID, id) }

	r := e.api(http.MethodPost, path(link.ID), token, nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("link: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials/{mid}/to-mediathek", r)
	r = e.api(http.MethodPost, path(video.ID), token, nil)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("video: %d %s", r.StatusCode, r.Body)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials/{mid}/to-mediathek", r)
	if got := decodeBody[mediaJSON](t, r); got.EventID == nil || *got.EventID != ev.ID || got.Title != "Video: Podiumsdiskussion" {
		t.Errorf("adopted: %s", r.Body)
	}
	if _, err := e.archive.Material(context.Background(), video.ID); err == nil {
		t.Error("the material is still in the documentation")
	}
	r = e.api(http.MethodPost, path(video.ID), token, nil)
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("adopting twice: %d", r.StatusCode)
	}
	e.conform(doc, "POST /api/v1/events/{id}/materials/{mid}/to-mediathek", r)
}
