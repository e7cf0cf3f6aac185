package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

func TestPublicPagesFromMemory(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(20, 0, 1)
	page := fmt.Sprintf("/events/%d", ev.ID)

	first := e.get(e.client(), page)
	etag := first.Header.Get("ETag")
	if first.StatusCode != http.StatusOK || etag == "" || first.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("first answer: %d, ETag %q, Cache-Control %q", first.StatusCode, etag, first.Header.Get("Cache-Control"))
	}
	mustContain(t, first.Body, "20 von 20 Plätzen frei")
	if first.Header.Get("Content-Security-Policy") == "" || first.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("headers of a page from memory: %v", first.Header)
	}

	// Each answer from memory carries its own request's id.
	for _, id := range []string{"erste-anfrage", "zweite-anfrage"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+page, nil)
		req.Header.Set("X-Request-ID", id)
		if r := e.do(e.client(), req); r.Header.Get("X-Request-ID") != id || r.Header.Get("ETag") != etag {
			t.Errorf("request %s: answered with id %q, ETag %q", id, r.Header.Get("X-Request-ID"), r.Header.Get("ETag"))
		}
	}

	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+page, nil)
	req.Header.Set("If-None-Match", etag)
	if r := e.do(e.client(), req); r.StatusCode != http.StatusNotModified || r.Body != "" || r.Header.Get("ETag") != etag {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", r.StatusCode, len(r.Body))
	}

	// A registration shows within a second, on the page and in the ETag.
	if _, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Anna", LastName: "Becker", Email: "a.becker@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
		t.Fatal(err)
	}
	// The organiser sees it at once: logged-in pages are never kept.
	mustContain(t, e.get(e.loggedIn(), page).Body, "19 von 20 Plätzen frei")
	time.Sleep(1100 * time.Millisecond)
	later := e.get(e.client(), page)
	mustContain(t, later.Body, "19 von 20 Plätzen frei")
	if later.Header.Get("ETag") == etag {
		t.Error("the ETag stayed when the page changed")
	}
	req.Header.Set("If-None-Match", etag)
	if r := e.do(e.client(), req); r.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match with an old ETag: %d", r.StatusCode)
	}

	// What an organiser sees is not kept for others: a draft stays hidden.
	draft, err := e.events.Create(ctx, event.Input{Kind: ptr(event.Other), Title: ptr("Geheimer Entwurf"), Days: &ev.Days, Capacity: ptr(10)})
	if err != nil {
		t.Fatal(err)
	}
	draftPage := fmt.Sprintf("/events/%d", draft.ID)
	if r := e.get(e.loggedIn(), draftPage); r.StatusCode != http.StatusOK {
		t.Fatalf("organiser's draft page: %d", r.StatusCode)
	}
	if r := e.get(e.client(), draftPage); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "Geheimer Entwurf") {
		t.Errorf("anonymous draft page after the organiser's view: %d", r.StatusCode)
	}
	// Nor is the menu of a logged-in user shown to others.
	home := e.loggedIn()
	e.get(home, "/")
	if r := e.get(e.client(), "/"); strings.Contains(r.Body, "Logout") {
		t.Error("an anonymous visitor got the start page of a logged-in user")
	}
}

// BenchmarkPublicPages serves the start page, a meeting page and the
// archive from the service's handler next to a trivial gin handler in the
// same run, 8 clients at a time; the ratio to the trivial handler is what
// the figures mean.
func BenchmarkPublicPages(b *testing.B) {
	e := newEnv(b)
	ev := e.event(70, 0, 2)
	service := e.handler
	gin.SetMode(gin.ReleaseMode)
	trivial := gin.New()
	trivial.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "Hallo") })
	rate := func(name string, h http.Handler, path string) float64 {
		var per float64
		b.Run(name, func(b *testing.B) {
			var (
				mu        sync.Mutex
				latencies []time.Duration
			)
			b.SetParallelism(4) // 8 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var local []time.Duration
				for pb.Next() {
					start := time.Now()
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
					local = append(local, time.Since(start))
					if w.Code != http.StatusOK {
						b.Errorf("%s: %d", path, w.Code)
						return
					}
				}
				mu.Lock()
				latencies = append(latencies, local...)
				mu.Unlock()
			})
			per = float64(b.N) / b.Elapsed().Seconds()
			slices.Sort(latencies)
			b.ReportMetric(per, "req/s")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
		})
		return per
	}
	hello := rate("trivial", trivial, "/")
	for _, p := range []struct{ name, path string }{{"start", "/"}, {"meeting", fmt.Sprintf("/events/%d", ev.ID)}, {"archive", "/archiv"}} {
		got := rate(p.name, service, p.path)
		b.Logf("%s page: %.0f req/s, trivial handler %.0f req/s, ratio %.3f", p.name, got, hello, got/hello)
	}
}
