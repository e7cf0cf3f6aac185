package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A login link with a tab in its target must leave a real browser on the
// site: chromium drops the tab, so "/\t/evil.example/" would read as
// "//evil.example/".
func TestBrowserLoginNextStaysOnSite(t *testing.T) {
	e := newEnv(t)
	b := newBrowser(t, e)
	b.open("/login?next=/%09/evil.example/")
	b.load("log in", http.StatusOK,
		chromedp.SendKeys(chromedp.ID("f-email"), organiserEmail),
		chromedp.SendKeys(chromedp.ID("f-password"), organiserPassword),
		chromedp.Click(chromedp.CSS("form.stack button.primary")),
	)
	loc := run(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(b.base)
	if u.Host != base.Host || strings.Contains(loc, "evil") {
		t.Fatalf("after login the browser is at %q, want the site %s", loc, base.Host)
	}
	if !strings.HasPrefix(b.path(), "/admin") {
		t.Errorf("landed on %q, want the organiser's start page /admin", b.path())
	}
}
