package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/isa-nrw/treffen/internal/media"
)

// requestLog records every request the browser's page sends, by URL.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *requestLog) add(u string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.urls = append(l.urls, u)
}

// foreign returns the recorded requests to hosts other than own, and
// forgets all.
func (l *requestLog) foreign(own string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, raw := range l.urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "data" && u.Host != own) {
			out = append(out, raw)
		}
	}
	l.urls = nil
	return out
}

// record starts logging the page's requests, its frames' included.
func (b *browser) record() *requestLog {
	b.t.Helper()
	log := &requestLog{}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			log.add(r.Request.URL)
		}
	}); err != nil {
		b.t.Fatal(err)
	}
	b.do("record requests", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		return err
	}))
	return log
}

// waitFor polls cond for up to five seconds.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// axeRunNoFramesJS is axeRunJS without reaching into frames of other
// hosts, which cannot answer axe-core's messages.
var axeRunNoFramesJS = strings.Replace(axeRunJS, "resultTypes:", "iframes: false, resultTypes:", 1)

// axeAt runs axe-core at the given viewport widths and reports every
// violation.
func (b *browser) axeAt(t *testing.T, name, axe, runJS string, widths ...int64) {
	t.Helper()
	for _, w := range widths {
		b.do(fmt.Sprint("viewport ", w), chromedp.EmulateViewport(w, 900))
		run(b, "inject axe-core", chromedp.Evaluate[bool](axe+"\n;typeof axe === 'object'"))
		for _, v := range run(b, "run axe-core", chromedp.Evaluate[[]axeViolation](runJS, chromedp.EvalAwaitPromise)) {
			t.Errorf("%s at %d px: %s (%s): %s\n\t%s", name, w, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
		}
		if sw := run(b, "scroll width", chromedp.Evaluate[[2]int64](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)); sw[0] > sw[1] {
			t.Errorf("%s at %d px scrolls sideways:\n%s", name, w, strings.Join(run(b, "overflow", chromedp.Evaluate[[]string](sidewaysJS)), "\n"))
		}
	}
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
}

// TestBrowserMediathekLoadsNothingBeforeConsent opens the Mediathek and
// its item pages in chromium and records every request: none reaches
// another host before the visitor agrees. The video platform is a test
// server that chromium reaches as video.example.
func TestBrowserMediathekLoadsNothingBeforeConsent(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	var platformHits atomic.Int64
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		platformHits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="de"><title>Player</title><p>Player von video.example</p></html>`)
	}))
	defer platform.Close()
	_, port, err := net.SplitHostPort(strings.TrimPrefix(platform.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	own := strings.TrimPrefix(e.srv.URL, "http://")

	ev := e.pastMeeting(17, "2017-09-13")
	talks := e.mediathekSeries("Vortragsvideos", 0)
	nuggets := e.mediathekSeries("Learning Nuggets", 1)
	mrosek := e.mediathekItem(media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("Lernnetzwerktreffen 17, Holger Mrosek"),
		Description: ptr("Auf dem 17. Lernnetzwerktreffen am 13.09.2017 in Köln spricht Holger Mrosek aus der Stadt Dinslaken über die Bedeutung präventiver Arbeit in Kommunen."),
		RecordedOn:  ptr("13.09.2017"), Duration: ptr("18:40"), EventID: &ev.ID, URL: ptr("http://video.example/embed/lnt17-mrosek"),
		Speakers: &[]media.SpeakerInput{{Name: "Holger Mrosek", Role: "Stadt Dinslaken"}}, Topics: &[]string{"Prävention", "Kommunale Praxis"}})
	keynote := e.mediathekItem(media.Input{SeriesID: &talks.ID, Kind: ptr(media.Video), Title: ptr("»Traineransprache« (Keynote) Lothar Linz"),
		RecordedOn: ptr("15.11.2022"), URL: ptr("https://www.youtube.com/watch?v=Lnt2022Neus")})
	persona := e.mediathekItem(media.Input{SeriesID: &nuggets.ID, Kind: ptr(media.Video), Title: ptr("Learning Nugget: Die Persona Methode"),
		Description: ptr("Mona Schmidt stellt die Persona Methode vor."), RecordedOn: ptr("2021-06-01"), Duration: ptr("4:30"),
		URL: ptr("/medien/persona.webm"), Captions: ptr(captionsVTT), Topics: &[]string{"Methoden"},
		Speakers: &[]media.SpeakerInput{{Name: "Mona Schmidt", Role: "Wissenschaftliche Mitarbeiterin der Servicestelle Prävention"}}})

	b := newBrowser(t, e, chromedp.Flag("host-resolver-rules", "MAP video.example 127.0.0.1:"+port))
	requests := b.record()

	b.open("/mediathek")
	if got := b.text("h1"); got != "Mediathek" {
		t.Fatalf("heading %q", got)
	}
	b.axeAt(t, "/mediathek", axe, axeRunJS, 1280, 390)
	b.open("/mediathek?q=adressaten")
	if got := b.text(".result-count"); !strings.HasPrefix(got, "1 Beitrag gefunden") {
		t.Errorf("search in captions: %q", got)
	}

	item := "/mediathek/" + idStr(mrosek.ID)
	b.open(item)
	time.Sleep(300 * time.Millisecond) // anything the page would still fetch
	if leaks := requests.foreign(own); len(leaks) > 0 || platformHits.Load() != 0 {
		t.Fatalf("before consent the page sent requests elsewhere: %v (platform reached %d times)", leaks, platformHits.Load())
	}
	if n := run(b, "frames", chromedp.Evaluate[int](`document.querySelectorAll("iframe, video, audio").length`)); n != 0 {
		t.Errorf("%d players in the page before consent", n)
	}
	b.axeAt(t, item, axe, axeRunJS, 1280, 390)

	// By keyboard: the remember box, then the button.
	b.do("focus the remember box", chromedp.Focus(chromedp.CSS(`.remember input`)))
	b.key(" ")
	b.key(kb.Tab)
	b.do("focus the button", chromedp.Focus(chromedp.CSS(`.consent-form button`)))
	b.key(kb.Enter)
	b.waitJS("player after consent", `document.querySelector("#player iframe") !== null`, 5*time.Second)
	if src := run(b, "player", chromedp.Evaluate[string](`document.querySelector("#player iframe").src`)); src != "http://video.example/embed/lnt17-mrosek" {
		t.Errorf("player address %q", src)
	}
	if focused := run(b, "focus", chromedp.Evaluate[string](`document.activeElement.tagName`)); focused != "IFRAME" {
		t.Errorf("after loading the focus is on %s, not the player", focused)
	}
	if !waitFor(func() bool { return platformHits.Load() > 0 }) {
		t.Fatal("after consent the player did not load from the platform")
	}
	b.axeAt(t, item+" (geladen)", axe, axeRunNoFramesJS, 1280, 390)
	requests.foreign(own)

	// Remembered: the next visit loads the player at once.
	before := platformHits.Load()
	b.open(item)
	b.waitJS("remembered consent loads the player", `document.querySelector("#player iframe") !== null`, 5*time.Second)
	if !waitFor(func() bool { return platformHits.Load() > before }) {
		t.Error("the remembered consent did not load the player")
	}

	// Revoked on the privacy page: the next visit asks again.
	b.open("/datenschutz")
	b.waitJS("remembered consent listed", `document.querySelector("[data-media-consents] li") !== null`, 5*time.Second)
	if got := b.text("[data-media-consents] li"); !strings.HasPrefix(got, "video.example (seit ") {
		t.Errorf("listed consent %q", got)
	}
	b.do("revoke", chromedp.Click(chromedp.CSS(`[data-media-consents] li button`)))
	b.waitJS("revoked", `document.querySelector("[data-media-consents] li") === null && !document.querySelector("[data-none]").hidden`, 5*time.Second)
	if stored := run(b, "storage", chromedp.Evaluate[bool](`localStorage.getItem("treffen-medien-zustimmung") === null`)); !stored {
		t.Error("the consent is still stored")
	}
	b.axeAt(t, "/datenschutz", axe, axeRunJS, 1280)
	requests.foreign(own)
	hits := platformHits.Load()
	b.open(item)
	time.Sleep(300 * time.Millisecond)
	if leaks := requests.foreign(own); len(leaks) > 0 || platformHits.Load() != hits {
		t.Errorf("after revoking the page loads from elsewhere again: %v", leaks)
	}
	if b.text(".consent-form button") != "Video laden – dabei werden Daten an video.example übertragen" {
		t.Errorf("button %q", b.text(".consent-form button"))
	}

	// YouTube through its privacy-enhanced domain, once agreed.
	b.open("/mediathek/" + idStr(keynote.ID))
	time.Sleep(200 * time.Millisecond)
	if leaks := requests.foreign(own); len(leaks) > 0 {
		t.Errorf("YouTube item before consent: %v", leaks)
	}
	b.do("agree", chromedp.Click(chromedp.CSS(`.consent-form button`)))
	b.waitJS("YouTube player", `document.querySelector("#player iframe") !== null`, 5*time.Second)
	if src := run(b, "player", chromedp.Evaluate[string](`document.querySelector("#player iframe").src`)); src != "https://www.youtube-nocookie.com/embed/Lnt2022Neus" {
		t.Errorf("YouTube player %q", src)
	}
	requests.foreign(own)

	// The own server's file plays in the page's player, with captions
	// and a transcript whose times move it.
	b.open("/mediathek/" + idStr(persona.ID))
	if leaks := requests.foreign(own); len(leaks) > 0 {
		t.Errorf("own file: requests elsewhere %v", leaks)
	}
	b.waitJS("captions track", `(() => { const v = document.querySelector("video.media-player");
		return v && v.controls && v.textTracks.length === 1 && v.textTracks[0].kind === "captions" && v.textTracks[0].mode === "showing"; })()`, 5*time.Second)
	b.do("jump by the transcript", chromedp.Click(chromedp.CSS(`button.cue-time:nth-of-type(1)`)))
	b.do("jump to the second cue", chromedp.Click(chromedp.CSS(`.cues li:nth-child(2) button.cue-time`)))
	if at := run(b, "player time", chromedp.Evaluate[float64](`document.querySelector("video.media-player").currentTime`)); at != 4.5 {
		t.Errorf("player at %.1f s after the transcript's second time, want 4.5", at)
	}
	if focused := run(b, "focus", chromedp.Evaluate[string](`document.activeElement.tagName`)); focused != "VIDEO" {
		t.Errorf("after jumping the focus is on %s, not the player", focused)
	}
	b.axeAt(t, "own video", axe, axeRunJS, 1280, 390)
}

// TestBrowserMediathekOfTheDemo opens the demo's Mediathek (the network's
// videos page): the series in order, the filter by meeting, the keynote
// at Neuss with transcript, and the 17. Lernnetzwerktreffen's
// documentation with its videos from the Mediathek. axe-core checks the
// pages at desktop and phone width; the README's screenshots come from
// here.
func TestBrowserMediathekOfTheDemo(t *testing.T) {
	axe := axeSource(t)
	e := newEnv(t)
	e.loadDemo(time.Now())
	ctx := context.Background()
	items, err := media.NewStore(e.db.Gorm).Items(ctx, media.ListQuery{ParticipantOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var keynote, baenke media.Item
	for _, it := range items {
		switch {
		case strings.Contains(it.Title, "Traineransprache"):
			keynote = it
		case strings.Contains(it.Title, "Marina Bänke"):
			baenke = it
		}
	}
	if keynote.ID == 0 || keynote.Meeting == nil || baenke.Meeting == nil {
		t.Fatalf("demo keynote %+v, Bänke %+v", keynote, baenke)
	}
	b := newBrowser(t, e)
	requests := b.record()
	own := strings.TrimPrefix(e.srv.URL, "http://")

	b.open("/mediathek")
	headings := run(b, "series", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".media-series h2")].map(h => h.textContent)`))
	if len(headings) < 8 || headings[0] != "Lernnetzwerk to go – Kommunen teilen Wissen" || headings[1] != "Learning Nuggets" {
		t.Errorf("series %q", headings)
	}
	b.viewShot("mediathek.png")
	b.axeAt(t, "/mediathek (Demo)", axe, axeRunJS, 1280, 390)
	if got := run(b, "preview", chromedp.Evaluate[int](`document.querySelectorAll("#reihe-3 ~ .media-list > li").length`)); got != 6 {
		t.Errorf("the talks' series shows %d items, want the newest 6", got)
	}
	b.load("all talks", http.StatusOK, chromedp.Click(chromedp.CSS(`.media-series:nth-of-type(4) .series-all a`)))
	if got := run(b, "all talks", chromedp.Evaluate[int](`document.querySelectorAll(".media-card").length`)); got != 18 { // and one for participants only
		t.Errorf("all talks: %d", got)
	}
	b.open("/mediathek")
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.viewShot("mediathek-phone.png")
	b.do("desktop width", chromedp.EmulateViewport(1280, 900))

	// The filter by meeting: the Neuss keynote and the other talk there.
	b.do("choose the meeting", chromedp.SetValue(chromedp.ID("f-treffen"), idStr(*keynote.EventID)))
	b.load("filter", http.StatusOK, chromedp.Click(chromedp.CSS(".media-search button.primary")))
	found := run(b, "found", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".media-card h3")].map(h => h.textContent)`))
	if len(found) < 2 || !strings.Contains(strings.Join(found, "|"), "Traineransprache") || !strings.Contains(strings.Join(found, "|"), "Netzwerken als Luxusaufgabe") {
		t.Errorf("items of the Neuss meeting: %q", found)
	}

	b.open("/mediathek/" + idStr(keynote.ID))
	if leaks := requests.foreign(own); len(leaks) > 0 {
		t.Errorf("the demo's item page sent requests elsewhere before consent: %v", leaks)
	}
	if got := b.text("#h-transkript"); got != "Transkript" {
		t.Errorf("transcript heading %q", got)
	}
	b.screenshot("mediathek-beitrag.png")
	b.axeAt(t, "keynote (Demo)", axe, axeRunJS, 1280, 390)
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.viewShot("mediathek-beitrag-phone.png")
	b.do("desktop width", chromedp.EmulateViewport(1280, 900))

	// The 17th meeting's documentation lists its videos from the Mediathek;
	// Marina Bänke's input is for participants only.
	b.open("/events/" + idStr(*baenke.EventID))
	links := run(b, "Mediathek links", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".media-entries a")].map(a => a.getAttribute("href"))`))
	if len(links) != 3 || strings.Contains(strings.Join(links, " "), "/mediathek/"+idStr(baenke.ID)) {
		t.Errorf("the 17th meeting lists %q from the Mediathek", links)
	}
	if n := run(b, "video materials", chromedp.Evaluate[int](`document.querySelectorAll(".material.video:not(.medium)").length`)); n != 0 {
		t.Errorf("%d videos are still materials of the documentation", n)
	}
}
