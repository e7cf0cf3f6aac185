package document_test

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// badgeFixture is registrations with their municipalities and working
// groups.
type badgeFixture struct {
	municipalities map[int64]municipality.Municipality
	regs           []registration.Registration
	groups         map[int64][]document.WorkingGroupLabel
}

func newBadgeFixture() *badgeFixture {
	return &badgeFixture{
		municipalities: map[int64]municipality.Municipality{
			1: {ID: 1, Name: "Stadt Köln", Kind: municipality.Stadt},
			2: {ID: 2, Name: "Stadt Übach-Palenberg", Kind: municipality.Stadt},
			3: {ID: 3, Name: "Kreis Unna", Kind: municipality.Kreis},
			4: {ID: 4, Name: "Stadt Ahlen", Kind: municipality.Stadt},
			5: {ID: 5, Name: "Stadt Düsseldorf", Kind: municipality.Stadt},
			6: {ID: 6, Name: "Gemeinde Nottuln", Kind: municipality.Gemeinde},
			7: {ID: 7, Name: "Kreis Coesfeld", Kind: municipality.Kreis},
			8: {ID: 8, Name: "Kreis Warendorf", Kind: municipality.Kreis},
		},
		groups: map[int64][]document.WorkingGroupLabel{},
	}
}

// add registers a person; munID 0 means none. The check-in code is made
// from the ID, as the store makes them: 16 upper-case hex digits.
func (fx *badgeFixture) add(munID int64, org, title, first, last, function string, groups ...document.WorkingGroupLabel) registration.Registration {
	id := int64(len(fx.regs) + 1)
	r := registration.Registration{
		ID: id, EventID: 17, AcademicTitle: title, FirstName: first, LastName: last,
		Organisation: org, Function: function, Status: registration.Confirmed,
		CheckinCode: checkinCode(id),
	}
	if munID != 0 {
		r.MunicipalityID = &munID
	}
	if len(groups) > 0 {
		fx.groups[id] = groups
	}
	fx.regs = append(fx.regs, r)
	return r
}

// ag is a working group without a theme.
func ag(name string) document.WorkingGroupLabel { return document.WorkingGroupLabel{Name: name} }

// checkinCode is a code that differs in many digits from one ID to the
// next.
func checkinCode(id int64) string {
	return fmt.Sprintf("%016X", uint64(id)*0x9E3779B97F4A7C15)
}

func renderBadges(t testing.TB, fx *badgeFixture, opt document.BadgeOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := document.Badges(&buf, meeting(), fx.regs, fx.municipalities, fx.groups, opt); err != nil {
		t.Fatalf("Badges: %v", err)
	}
	path := filepath.Join(t.TempDir(), "namensschilder.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Geometry of the layouts in millimetres, as a printer sees it.
type badgeGrid struct {
	x0, y0, w, h float64
	cols, rows   int
}

var grids = map[string]badgeGrid{
	"a6": {0, 0, 105, 148, 1, 1},
	"4":  {0, 0, 105, 148.5, 2, 2},
	"8":  {15, 38.5, 90, 55, 2, 4},
}

// cell returns the rectangle of badge i on its page in millimetres.
func (g badgeGrid) cell(i int) (x, y, w, h float64) {
	i %= g.cols * g.rows
	return g.x0 + float64(i%g.cols)*g.w, g.y0 + float64(i/g.cols)*g.h, g.w, g.h
}

const mmPt = 72 / 25.4

// zbar decodes the QR codes of a PNG with zbarimg.
func zbar(t *testing.T, png string) []string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		fmt.Printf("SKIP %s: zbarimg not found\n", t.Name())
		t.Skip("zbarimg not found: install zbar-tools (apt-get install --no-install-recommends zbar-tools) to decode the QR codes")
	}
	out, err := exec.Command(bin, "--raw", "-q", png).Output()
	if err != nil {
		t.Fatalf("zbarimg %s found no code: %v", png, err)
	}
	return strings.Fields(string(out))
}

// rasterise renders a page of pdf, or the rectangle x, y, w, h in
// millimetres of it, at 300 dpi into a PNG and returns its path.
func rasterise(t *testing.T, pdf string, page int, crop ...float64) string {
	t.Helper()
	const dpi = 300
	base := filepath.Join(t.TempDir(), "badge")
	p := strconv.Itoa(page)
	args := []string{"-r", strconv.Itoa(dpi), "-f", p, "-l", p, "-singlefile", "-png"}
	if len(crop) == 4 {
		px := func(mm float64) string { return strconv.Itoa(int(math.Round(mm / 25.4 * dpi))) }
		args = append(args, "-x", px(crop[0]), "-y", px(crop[1]), "-W", px(crop[2]), "-H", px(crop[3]))
	}
	poppler(t, "pdftoppm", append(args, pdf, base)...)
	return base + ".png"
}

func TestBadgeQRCode(t *testing.T) {
	fx := newBadgeFixture()
	r := fx.add(1, "", "Dr.", "Erika", "Mustermann", "Jugendamt, Jugendhilfeplanung", ag("AG 2: Zugänge erleichtern"))
	path := renderBadges(t, fx, document.BadgeOptions{Layout: "a6"})
	if got := zbar(t, rasterise(t, path, 1)); len(got) != 1 || got[0] != r.CheckinCode {
		t.Errorf("QR code reads %q, want %q", got, r.CheckinCode)
	}
	// The code is printed for typing in, in groups of four.
	c := r.CheckinCode
	if want := c[:4] + " " + c[4:8] + " " + c[8:12] + " " + c[12:]; !strings.Contains(pdfText(t, path), want) {
		t.Errorf("code %q not printed", want)
	}
}

// TestBadgeSheetQRCodes cuts the badges out of an "8" sheet and reads
// each one's QR code and name: every code belongs to the person on its
// badge.
func TestBadgeSheetQRCodes(t *testing.T) {
	fx := newBadgeFixture()
	// Given out of order; the sheet is sorted by name.
	fx.add(3, "", "", "Łukasz", "Wójcik", "Sozialamt")
	fx.add(1, "", "", "Björn", "Äbersold", "Jugendamt")
	fx.add(5, "", "", "Çağla", "Yıldız", "Schulverwaltungsamt")
	fx.add(2, "", "Dr.", "Anna", "Weiß", "Gesundheitsamt")
	fx.add(4, "", "", "Olaf", "Otto", "Jobcenter")
	fx.add(1, "", "", "Şükrü", "Öztürk", "Jugendhilfeplanung")
	fx.add(6, "", "", "Heike", "Schmidt", "Bürgermeisterin")
	fx.add(0, "Institut für soziale Arbeit e. V.", "Prof. Dr.", "Eva", "Berg", "Wissenschaftliche Begleitung")
	order := []string{"Äbersold", "Berg", "Otto", "Öztürk", "Schmidt", "Weiß", "Wójcik", "Yıldız"}
	byName := map[string]string{}
	for _, r := range fx.regs {
		byName[r.LastName] = r.CheckinCode
	}
	path := renderBadges(t, fx, document.BadgeOptions{Layout: "8"})
	grid := grids["8"]
	for i, last := range order {
		x, y, w, h := grid.cell(i)
		codes := zbar(t, rasterise(t, path, 1, x, y, w, h))
		if len(codes) != 1 || codes[0] != byName[last] {
			t.Errorf("badge %d: QR code %q, want %s's %s", i+1, codes, last, byName[last])
		}
		text := poppler(t, "pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8",
			"-x", strconv.Itoa(int(x*mmPt)), "-y", strconv.Itoa(int(y*mmPt)),
			"-W", strconv.Itoa(int(w*mmPt)), "-H", strconv.Itoa(int(h*mmPt)), path, "-")
		if !strings.Contains(text, last) {
			t.Errorf("badge %d shows not %s but:\n%s", i+1, last, text)
		}
	}
}

func TestBadgePages(t *testing.T) {
	for _, tc := range []struct {
		layout        string
		badges, pages int
		size          string // page size in points
	}{
		{"8", 100, 13, "595.28 x 841.89"},
		{"4", 9, 3, "595.28 x 841.89"},
		{"a6", 3, 3, "297.64 x 419.53"},
		{"8", 0, 1, "595.28 x 841.89"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.layout, tc.badges), func(t *testing.T) {
			fx := newBadgeFixture()
			for i := range tc.badges {
				fx.add(int64(1+i%6), "", "", fmt.Sprintf("Vorname%d", i), fmt.Sprintf("Nachname%03d", i), "Jugendamt")
			}
			path := renderBadges(t, fx, document.BadgeOptions{Layout: tc.layout})
			if got := pdfPages(t, path); got != tc.pages {
				t.Errorf("%d badges on %d pages, want %d", tc.badges, got, tc.pages)
			}
			if info := poppler(t, "pdfinfo", path); !strings.Contains(info, tc.size+" pts") {
				t.Errorf("page size not %s pts:\n%s", tc.size, info)
			}
			text := pdfText(t, path)
			if got := strings.Count(text, "Nachname"); got != tc.badges {
				t.Errorf("%d names in the text, want %d", got, tc.badges)
			}
			if tc.badges == 0 && !strings.Contains(text, "Keine Namensschilder") {
				t.Errorf("an empty selection says nothing:\n%s", text)
			}
		})
	}
}

// word is a word of a PDF with its box in millimetres.
type word struct {
	text                   string
	page                   int
	xMin, yMin, xMax, yMax float64
}

var (
	pageRE = regexp.MustCompile(`<page `)
	wordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfWords lists the words of a PDF with their boxes (pdftotext -bbox).
func pdfWords(t *testing.T, path string) []word {
	t.Helper()
	out := poppler(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	var words []word
	for i, page := range pageRE.Split(out, -1)[1:] {
		for _, m := range wordRE.FindAllStringSubmatch(page, -1) {
			w := word{text: html.UnescapeString(m[5]), page: i}
			for j, p := range []*float64{&w.xMin, &w.yMin, &w.xMax, &w.yMax} {
				v, err := strconv.ParseFloat(m[j+1], 64)
				if err != nil {
					t.Fatal(err)
				}
				*p = v / mmPt
			}
			words = append(words, w)
		}
	}
	return words
}

// longFixture has one badge with a very long name and long texts among
// ordinary ones.
func longFixture() (*badgeFixture, registration.Registration) {
	fx := newBadgeFixture()
	fx.municipalities[7] = municipality.Municipality{ID: 7, Name: "Kreisfreie Stadt Mönchengladbach-Rheydt – Fachbereich Kinder, Jugend und Familie", Kind: municipality.Stadt}
	long := fx.add(7, "", "Prof. Dr.", "Maximiliane Friederike Annegret", "Schönhausen-Wüstenberg-Oberdiek",
		"Fachbereichsleitung Jugend, Familie und Bildung – Abteilung Jugendhilfeplanung, Prävention und Sozialraumentwicklung",
		document.WorkingGroupLabel{Name: "AG 2: Zugänge erleichtern", Theme: "Lotsenmodelle in der frühen Kindheit und im Übergang Kita–Grundschule"},
		ag("AG 5: Präventionsketten kommunal verankern und gemeinsam mit freien Trägern weiterentwickeln"))
	fx.add(1, "", "", "Şükrü", "Öztürk", "Jugendhilfeplanung", ag("AG 1: Daten nutzen"))
	fx.add(5, "", "", "Çağla", "Yıldız", "Schulverwaltungsamt")
	fx.add(2, "", "", "Zdzisław", "Ściegienny", "Straßenverkehrsamt")
	fx.add(0, "Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen", "", "Gerda", "Groß", "Referat 312")
	fx.add(6, "", "", "Karl-Heinz", "Weiß", "")
	fx.add(3, "", "Dr.", "Donaudampfschifffahrtsgesellschaftskapitänin", "Sehrlangernachnameohnebindestrichmöglichkeit", "")
	fx.municipalities[9] = municipality.Municipality{ID: 9, Name: "Kreis Recklinghausen", Kind: municipality.Kreis}
	fx.add(9, "", "Dr.", "Maria-Theresia", "Schulze-Westerhoff-Brinkmann", "Jugendamt")
	return fx, long
}

// TestBadgeLongTextFits checks on every layout that each word lies inside
// its badge, clear of the cut, and that no words overlap.
func TestBadgeLongTextFits(t *testing.T) {
	fx, long := longFixture()
	for _, layout := range []string{"a6", "4", "8"} {
		t.Run(layout, func(t *testing.T) {
			path := renderBadges(t, fx, document.BadgeOptions{Layout: layout})
			grid := grids[layout]
			words := pdfWords(t, path)
			if len(words) == 0 {
				t.Fatal("no words")
			}
			const clear = 3.0 // mm from the cut
			perPage := grid.cols * grid.rows
			cellOf := make([][]word, len(fx.regs))
			for _, w := range words {
				cx, cy := (w.xMin+w.xMax)/2, (w.yMin+w.yMax)/2
				col, row := int((cx-grid.x0)/grid.w), int((cy-grid.y0)/grid.h)
				if cx < grid.x0 || cy < grid.y0 || col >= grid.cols || row >= grid.rows {
					t.Errorf("page %d: %q at %.1f,%.1f mm lies outside the badges", w.page+1, w.text, cx, cy)
					continue
				}
				i := w.page*perPage + row*grid.cols + col
				x, y, cw, ch := grid.cell(i)
				if w.xMin < x+clear || w.xMax > x+cw-clear || w.yMin < y+clear || w.yMax > y+ch-clear {
					t.Errorf("badge %d: %q (%.1f–%.1f × %.1f–%.1f mm) is not %.0f mm inside %.1f–%.1f × %.1f–%.1f",
						i+1, w.text, w.xMin, w.xMax, w.yMin, w.yMax, clear, x, x+cw, y, y+ch)
				}
				if i < len(cellOf) {
					cellOf[i] = append(cellOf[i], w)
				}
			}
			for i, ws := range cellOf {
				checkNoOverlap(t, i+1, ws)
			}

			// The long badge's text is whole.
			at := -1
			for i, ws := range cellOf {
				for _, w := range ws {
					if w.text == "Maximiliane" {
						at = i
					}
				}
			}
			if at < 0 {
				t.Fatal("no badge shows Maximiliane")
			}
			var text []string
			for _, w := range cellOf[at] {
				text = append(text, w.text)
			}
			joined := strings.ReplaceAll(strings.Join(text, " "), "- ", "-")
			for _, want := range []string{
				"Prof. Dr. Maximiliane Friederike Annegret", "Schönhausen-Wüstenberg-Oberdiek",
				"Kreisfreie Stadt Mönchengladbach-Rheydt", "Sozialraumentwicklung", "Kita–Grundschule",
				"AG 5:", "weiterentwickeln", "17. Lernnetzwerktreffen", "13.–14.09.2017",
			} {
				if !strings.Contains(joined, want) {
					t.Errorf("the long badge lacks %q: %s", want, joined)
				}
			}
			if strings.Contains(joined, "…") {
				t.Errorf("the long badge is cut: %s", joined)
			}
			if layout != "8" {
				x, y, w, h := grid.cell(at)
				if got := zbar(t, rasterise(t, path, 1+at/(grid.cols*grid.rows), x, y, w, h)); len(got) != 1 || got[0] != long.CheckinCode {
					t.Errorf("long badge: QR code %q, want %s", got, long.CheckinCode)
				}
			}
		})
	}
}

// checkNoOverlap fails when two words of a badge overlap. Word boxes
// span the font's ascent and descent, which overlap between lines set
// close; the check allows for that.
func checkNoOverlap(t *testing.T, badge int, words []word) {
	t.Helper()
	for i, a := range words {
		for _, b := range words[i+1:] {
			dx := min(a.xMax, b.xMax) - max(a.xMin, b.xMin)
			dy := min(a.yMax, b.yMax) - max(a.yMin, b.yMin)
			if dx > 0.1 && dy > 0.3*min(a.yMax-a.yMin, b.yMax-b.yMin) {
				t.Errorf("badge %d: %q and %q overlap", badge, a.text, b.text)
			}
		}
	}
}

func TestBadgeText(t *testing.T) {
	fx, _ := longFixture()
	fx.municipalities[8] = municipality.Municipality{ID: 8, Name: "GROẞSTADT", Kind: municipality.Stadt}
	fx.add(8, "", "", "Nguyễn", "Trần", "Leitung 😀 Jugendamt")
	text := pdfText(t, renderBadges(t, fx, document.BadgeOptions{Layout: "a6"}))
	for _, want := range []string{
		"Şükrü", "Öztürk", "Çağla", "Yıldız", "Zdzisław", "Ściegienny", "Straßenverkehrsamt",
		"Stadt Übach-Palenberg", "Groß", "Karl-Heinz", "Weiß", "Gemeinde Nottuln",
		"Ministerium für Kinder, Jugend, Familie", "AG 1: Daten nutzen",
		"GROẞSTADT", "Nguyễn", "Trần", "Leitung ? Jugendamt",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

// TestBadgeGroupTheme sets a working group's theme on a line of its own
// below the group, whose title has a dash of its own.
func TestBadgeGroupTheme(t *testing.T) {
	fx := newBadgeFixture()
	fx.add(1, "", "", "Erika", "Mustermann", "Jugendamt",
		document.WorkingGroupLabel{Name: "AG 2: Übergänge Kita – Grundschule", Theme: "Bildungsübergänge"})
	for _, layout := range []string{"a6", "8"} {
		t.Run(layout, func(t *testing.T) {
			path := renderBadges(t, fx, document.BadgeOptions{Layout: layout})
			at := map[string]word{}
			var dashes []word
			for _, w := range pdfWords(t, path) {
				at[w.text] = w
				if w.text == "–" {
					dashes = append(dashes, w)
				}
			}
			ag, title, theme := at["AG"], at["Grundschule"], at["Bildungsübergänge"]
			if ag.text == "" || title.text == "" || theme.text == "" {
				t.Fatalf("group or theme missing: %v", at)
			}
			if theme.yMin < title.yMin+0.7*(title.yMax-title.yMin) || math.Abs(theme.xMin-ag.xMin) > 0.5 {
				t.Errorf("theme at %.1f,%.1f mm, not at the start of the line below the group (%.1f,%.1f mm)", theme.xMin, theme.yMin, ag.xMin, title.yMin)
			}
			if len(dashes) != 1 || dashes[0].xMax > title.xMin {
				t.Errorf("dashes %v: want only the title's own, before %q", dashes, title.text)
			}
		})
	}
}

// badgeNames returns the last names in the order of the a6 pages.
func badgeNames(t *testing.T, fx *badgeFixture, sortBy string) []string {
	t.Helper()
	text := pdfText(t, renderBadges(t, fx, document.BadgeOptions{Layout: "a6", SortBy: sortBy}))
	var names []string
	for _, page := range strings.Split(strings.TrimRight(text, "\f"), "\f") {
		found := ""
		for _, r := range fx.regs {
			if strings.Contains(page, r.LastName) {
				found = r.LastName
			}
		}
		names = append(names, found)
	}
	return names
}

func TestBadgeOrder(t *testing.T) {
	fx := newBadgeFixture()
	fx.add(1, "", "", "Björn", "Äbersold", "")            // Stadt Köln
	fx.add(0, "", "", "Norbert", "Niemand", "")           // neither
	fx.add(4, "", "", "Jan", "Becker", "")                // Stadt Ahlen
	fx.add(5, "", "", "Şükrü", "Öztürk", "")              // Stadt Düsseldorf
	fx.add(4, "", "Dr.", "Anna", "Weiß", "")              // Stadt Ahlen
	fx.add(0, "Amt für Statistik", "", "Ida", "Adam", "") // organisation
	fx.add(3, "", "", "Paul", "Zander", "")               // Kreis Unna
	fx.add(4, "", "", "Anne", "Becker", "")               // Stadt Ahlen
	fx.add(8, "", "", "Rita", "Roth", "")                 // Kreis Warendorf
	fx.add(7, "", "", "Kai", "Kühn", "")                  // Kreis Coesfeld

	byName := []string{"Äbersold", "Adam", "Becker", "Becker", "Kühn", "Niemand", "Öztürk", "Roth", "Weiß", "Zander"}
	for _, tc := range []struct {
		sortBy string
		want   []string
	}{
		{"", byName},
		{"name", byName},
		// Municipalities by place (Kreis Coesfeld among the C, Stadt
		// Köln among the K), then organisations, then people with neither.
		{"municipality", []string{"Becker", "Becker", "Weiß", "Kühn", "Öztürk", "Äbersold", "Zander", "Roth", "Adam", "Niemand"}},
	} {
		got := badgeNames(t, fx, tc.sortBy)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("sorted by %q: %v, want %v", tc.sortBy, got, tc.want)
		}
	}
	// Anne before Jan Becker.
	text := pdfText(t, renderBadges(t, fx, document.BadgeOptions{Layout: "a6"}))
	if a, j := strings.Index(text, "Anne"), strings.Index(text, "Jan"); a < 0 || j < a {
		t.Error("Anne Becker does not come before Jan Becker")
	}
}

func TestBadgeErrors(t *testing.T) {
	fx := newBadgeFixture()
	fx.add(1, "", "", "Jan", "Becker", "")
	fx.add(0, "", "", "Ohne", "Code", "")
	fx.regs[1].CheckinCode = "" // not backfilled: a badge without QR code
	for _, tc := range []struct {
		name string
		opt  document.BadgeOptions
	}{
		{"no layout", document.BadgeOptions{}},
		{"unknown layout", document.BadgeOptions{Layout: "a5"}},
		{"unknown order", document.BadgeOptions{Layout: "8", SortBy: "age"}},
	} {
		if err := document.Badges(io.Discard, meeting(), fx.regs, fx.municipalities, nil, tc.opt); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if err := document.Badges(io.Discard, nil, fx.regs, nil, nil, document.BadgeOptions{Layout: "8"}); err == nil {
		t.Error("no error without an event")
	}
	for _, l := range document.BadgeLayouts {
		if err := document.Badges(io.Discard, meeting(), fx.regs, fx.municipalities, nil, document.BadgeOptions{Layout: l.Value}); err != nil {
			t.Errorf("layout %s: %v", l.Value, err)
		}
	}
}

func TestBadgesConcurrent(t *testing.T) {
	fx, _ := longFixture()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			layout := document.BadgeLayouts[i%len(document.BadgeLayouts)].Value
			errs[i] = document.Badges(io.Discard, meeting(), fx.regs, fx.municipalities, fx.groups, document.BadgeOptions{Layout: layout})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("rendering %d: %v", i, err)
		}
	}
}

// sampleBadges are eight people as they register for a meeting.
func sampleBadges() *badgeFixture {
	fx := newBadgeFixture()
	zugaenge := document.WorkingGroupLabel{Name: "AG 2: Zugänge erleichtern", Theme: "Lotsenmodelle"}
	uebergaenge := document.WorkingGroupLabel{Name: "AG 4: Übergänge Kita – Grundschule", Theme: "Bildungsübergänge gestalten"}
	fx.add(1, "", "Dr.", "Erika", "Mustermann", "Jugendamt, Jugendhilfeplanung", zugaenge)
	fx.add(5, "", "", "Çağla", "Yıldız", "Schulverwaltungsamt, Bildungsbüro", ag("AG 1: Daten für die Planung nutzen"))
	fx.add(2, "", "", "Zdzisław", "Ściegienny", "Koordination Präventionskette", ag("AG 3: Eltern gewinnen"))
	fx.add(3, "", "", "Heike", "Schmidt", "Gesundheitsamt, Kinder- und Jugendgesundheitsdienst", zugaenge)
	fx.add(4, "", "", "Şükrü", "Öztürk", "Stabsstelle Integriertes Handlungskonzept gegen Kinderarmut", uebergaenge)
	fx.add(0, "Institut für soziale Arbeit e. V.", "Prof. Dr.", "Maximiliane Friederike", "Schönhausen-Wüstenberg", "Wissenschaftliche Begleitung")
	fx.add(6, "", "", "Jonas", "Weiß", "Bürgermeister", ag("AG 1: Daten für die Planung nutzen"))
	fx.add(1, "", "", "Anne", "Becker", "Fachbereich Jugend, Familie und Bildung – Abteilung Jugendhilfeplanung und Prävention", ag("AG 3: Eltern gewinnen"))
	return fx
}

// TestBadgesSample writes page 1 of the sample sheet to
// docs/screenshots/namensschilder.png with TREFFEN_SCREENSHOTS=1:
// TREFFEN_SCREENSHOTS=1 go test -run BadgesSample ./internal/document/
func TestBadgesSample(t *testing.T) {
	if os.Getenv("TREFFEN_SCREENSHOTS") != "1" {
		t.Skip("set TREFFEN_SCREENSHOTS=1 to write docs/screenshots/namensschilder.png")
	}
	path := renderBadges(t, sampleBadges(), document.BadgeOptions{Layout: "8"})
	out := filepath.Join("..", "..", "docs", "screenshots", "namensschilder")
	poppler(t, "pdftoppm", "-r", "70", "-f", "1", "-l", "1", "-singlefile", "-png", path, out)
	if pdf := os.Getenv("TREFFEN_BADGES_PDF"); pdf != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pdf, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkBadges1000(b *testing.B) {
	fx := newBadgeFixture()
	for i := range 1000 {
		r := fx.add(int64(1+i%6), "", "", fmt.Sprintf("Vorname %d", i), fmt.Sprintf("Nachname %04d", i), functions[i%len(functions)])
		fx.groups[r.ID] = []document.WorkingGroupLabel{ag(fmt.Sprintf("AG %d: Zugänge erleichtern", 1+i%5))}
	}
	ev := meeting()
	b.ReportAllocs()
	for b.Loop() {
		if err := document.Badges(io.Discard, ev, fx.regs, fx.municipalities, fx.groups, document.BadgeOptions{Layout: "8"}); err != nil {
			b.Fatal(err)
		}
	}
}

// rasteriseAll renders every page of pdf at dpi into PNGs and returns
// their paths in page order.
func rasteriseAll(t *testing.T, pdf string, dpi int) []string {
	t.Helper()
	base := filepath.Join(t.TempDir(), "page")
	poppler(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", pdf, base)
	pages, err := filepath.Glob(base + "-*.png")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm wrote no pages: %v", err)
	}
	sort.Strings(pages) // pdftoppm pads the numbers to the same width
	return pages
}

// TestBadgeQRCodesAtArmsLength prints the A6 layouts at 50 dpi – about
// what a phone camera makes of a printed badge held at arm's length –
// and reads every badge's check-in code back from whole pages.
func TestBadgeQRCodesAtArmsLength(t *testing.T) {
	fx, _ := longFixture()
	for i, r := range sampleBadges().regs {
		fx.add(int64(i%8+1), "", r.AcademicTitle, r.FirstName, r.LastName+"-Zwei", r.Function)
	}
	for _, layout := range []string{"a6", "4"} {
		t.Run(layout, func(t *testing.T) {
			path := renderBadges(t, fx, document.BadgeOptions{Layout: layout})
			read := map[string]int{}
			for _, png := range rasteriseAll(t, path, 50) {
				for _, code := range zbar(t, png) {
					read[code]++
				}
			}
			for _, r := range fx.regs {
				if read[r.CheckinCode] != 1 {
					t.Errorf("the code of %s %s was read %d times at 50 dpi", r.FirstName, r.LastName, read[r.CheckinCode])
				}
			}
			if len(read) != len(fx.regs) {
				t.Errorf("%d codes read, want %d: %v", len(read), len(fx.regs), read)
			}
		})
	}
}

// qrBox is the box a QR code is drawn in, in millimetres from the top
// left corner of its page.
type qrBox struct {
	page                   int
	xMin, yMin, xMax, yMax float64
}

var (
	streamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	rectRE   = regexp.MustCompile(`^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re$`)
)

// qrBoxes reads where the QR codes are drawn from the page content of a
// badge PDF: each code is one filled path of many rectangles (the dark
// runs of its rows), which no other part of a badge is. pageH is the
// height of the pages in millimetres.
func qrBoxes(t *testing.T, path string, pageH float64) []qrBox {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var boxes []qrBox
	page := 0
	for _, m := range streamRE.FindAllSubmatch(data, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not compressed content
		}
		content, err := io.ReadAll(zr)
		if err != nil || !bytes.Contains(content, []byte(" Tf")) {
			continue // a font or an image, not a page
		}
		page++
		var rects [][4]float64
		for _, line := range strings.Split(string(content), "\n") {
			if r := rectRE.FindStringSubmatch(line); r != nil {
				var v [4]float64
				for i := range v {
					v[i], _ = strconv.ParseFloat(r[i+1], 64)
				}
				rects = append(rects, v)
				continue
			}
			if line == "f" && len(rects) >= 20 {
				b := qrBox{page: page, xMin: math.Inf(1), yMin: math.Inf(1), xMax: math.Inf(-1), yMax: math.Inf(-1)}
				for _, r := range rects {
					x0, x1 := r[0], r[0]+r[2]
					y0, y1 := min(r[1], r[1]+r[3]), max(r[1], r[1]+r[3])
					b.xMin, b.xMax = min(b.xMin, x0/mmPt), max(b.xMax, x1/mmPt)
					b.yMin, b.yMax = min(b.yMin, pageH-y1/mmPt), max(b.yMax, pageH-y0/mmPt)
				}
				boxes = append(boxes, b)
			}
			rects = rects[:0]
		}
	}
	return boxes
}

// TestBadgeQRCodeSize measures the QR codes as drawn: at least 25 mm
// wide on the A6 layouts, square, and with a quiet zone of four modules
// (21 in a code) that no text enters.
func TestBadgeQRCodeSize(t *testing.T) {
	fx, _ := longFixture()
	for _, tc := range []struct {
		layout string
		pageH  float64
		min    float64
	}{{"a6", 148, 25}, {"4", 297, 25}, {"8", 297, 15}} {
		t.Run(tc.layout, func(t *testing.T) {
			path := renderBadges(t, fx, document.BadgeOptions{Layout: tc.layout})
			boxes := qrBoxes(t, path, tc.pageH)
			if len(boxes) != len(fx.regs) {
				t.Fatalf("%d QR codes drawn, want %d", len(boxes), len(fx.regs))
			}
			words := pdfWords(t, path)
			for i, b := range boxes {
				w, h := b.xMax-b.xMin, b.yMax-b.yMin
				if w < tc.min || math.Abs(w-h) > 0.1 {
					t.Errorf("QR code %d is %.1f × %.1f mm, want square and at least %.0f mm", i+1, w, h, tc.min)
				}
				// Word boxes span the font's full ascent, a little more
				// than the ink of digits and capitals.
				quiet := 4*w/21 - 0.2
				for _, wd := range words {
					if wd.page+1 == b.page && wd.xMax > b.xMin-quiet && wd.xMin < b.xMax+quiet && wd.yMax > b.yMin-quiet && wd.yMin < b.yMax+quiet {
						t.Errorf("QR code %d: %q lies in its quiet zone of %.1f mm", i+1, wd.text, quiet)
					}
				}
			}
		})
	}
}

// TestBadgeLongNameShrinks sets a long double-barrelled name smaller and
// wrapped, never cut, while an ordinary name is set large.
func TestBadgeLongNameShrinks(t *testing.T) {
	fx := newBadgeFixture()
	fx.municipalities[9] = municipality.Municipality{ID: 9, Name: "Kreis Recklinghausen", Kind: municipality.Kreis}
	fx.add(9, "", "Dr.", "Maria-Theresia", "Schulze-Westerhoff-Brinkmann", "Jugendamt, Jugendhilfeplanung")
	fx.add(4, "", "", "Anne", "Becker", "Jugendamt")
	for _, layout := range []string{"a6", "4", "8"} {
		t.Run(layout, func(t *testing.T) {
			path := renderBadges(t, fx, document.BadgeOptions{Layout: layout})
			// -raw keeps the hyphens at the ends of lines.
			raw := poppler(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-")
			text := strings.Join(strings.Fields(strings.ReplaceAll(raw, "-\n", "-")), " ")
			for _, want := range []string{"Dr. Maria-Theresia Schulze-Westerhoff-Brinkmann", "Kreis Recklinghausen", "Anne Becker"} {
				if !strings.Contains(text, want) {
					t.Errorf("%q missing in:\n%s", want, text)
				}
			}
			if strings.Contains(text, "…") {
				t.Errorf("text cut:\n%s", text)
			}
			if layout == "8" {
				return
			}
			// A short name is set large: its words are at least 14 mm
			// high, a font of about 36 pt and more.
			for _, w := range pdfWords(t, path) {
				if w.text == "Becker" && w.yMax-w.yMin < 14 {
					t.Errorf("Becker is set %.1f mm high, want at least 14 mm", w.yMax-w.yMin)
				}
			}
		})
	}
}
