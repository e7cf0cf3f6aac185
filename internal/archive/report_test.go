package archive_test

import (
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/archive"
)

func TestReportKeepsSimpleFormattingAndLinksButNoScript(t *testing.T) {
	src := "## Begrüßung\n\nIlona Heuchel begrüßte die **ca. 70** Teilnehmenden in _Wuppertal_.\n\n" +
		"- [Landesprogramm](https://www.kommunale-praeventionsketten.de/)\n- www.isa-muenster.de\n\n" +
		"> „Wie das Kind heißt, ist egal.“\n\n" +
		"<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n" +
		"[klick](javascript:alert(1)) [auch](JaVaScRiPt:alert(2)) [daten](data:text/html,<b>x</b>) [tab](java&#9;script:alert(3))\n\n" +
		"![Foto](https://tracker.example/pixel.png) <span onclick=\"x()\">text</span> [intern](/archiv) [mail](mailto:info@isa.example)"
	html := string(archive.RenderReport(src))
	for _, want := range []string{
		"<h3>Begrüßung</h3>", "<strong>ca. 70</strong>", "<em>Wuppertal</em>",
		`<a href="https://www.kommunale-praeventionsketten.de/">Landesprogramm</a>`,
		`<a href="http://www.isa-muenster.de">www.isa-muenster.de</a>`,
		"<blockquote>", `<a href="/archiv">intern</a>`, `<a href="mailto:info@isa.example">mail</a>`,
		"klick", "auch", "Foto",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in\n%s", want, html)
		}
	}
	lower := strings.ToLower(html)
	for _, bad := range []string{"<script", "<img", "onerror", "onclick", "javascript:", "data:text", "tracker.example", "<span"} {
		if strings.Contains(lower, bad) {
			t.Errorf("unsafe %q survived in\n%s", bad, html)
		}
	}
	if archive.RenderReport("  ") != "" {
		t.Error("empty report renders something")
	}
}
