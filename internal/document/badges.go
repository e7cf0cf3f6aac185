package document

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/boombuler/barcode/qr"
	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Badge layouts, the values of BadgeOptions.Layout.
const (
	BadgesA6      = "a6" // one A6 badge per A6 page
	BadgesA6OnA4  = "4"  // four A6 badges on an A4 sheet
	BadgesCardsA4 = "8"  // eight business-card badges (90 × 55 mm) on an A4 sheet
)

// Badge orders, the values of BadgeOptions.SortBy.
const (
	BadgesByName         = "name"
	BadgesByMunicipality = "municipality"
)

// BadgeLayouts lists the layouts with German labels, for a form.
var BadgeLayouts = []struct{ Value, Label string }{
	{BadgesCardsA4, "8 Namensschilder im Visitenkartenformat (90 × 55 mm) je A4-Bogen"},
	{BadgesA6OnA4, "4 Namensschilder A6 je A4-Bogen"},
	{BadgesA6, "1 Namensschild je A6-Seite"},
}

// BadgeOptions choose the layout and order of name badges.
type BadgeOptions struct {
	Layout string // "a6": one A6 badge per A6 page; "4": four A6 badges on A4; "8": eight business-card badges (90×55 mm) on A4 — with cut marks on the sheet layouts
	SortBy string // "name" (default) or "municipality"
}

// Badges writes name badges (Namensschilder) for regs as a PDF to w: one
// badge per registration given, whatever its status, so the caller
// chooses whom to print for, such as late registrations.
//
// A badge shows the person's name large – title and first name on one
// line, the last name on the next –, the function, the municipality (or,
// without one, the organisation), the working groups from groups[reg.ID]
// ("AG 2: Zugänge erleichtern", see WorkingGroupLabels), each with its
// theme below in smaller italics, the meeting's name and dates small at
// the bottom and a QR code of the check-in code
// with the code printed below it for typing in. On the A6 layouts the
// QR code is 30 mm wide, so a phone reads it from a badge worn at arm's
// length; on every layout a quiet zone of four modules around it stays
// clear of text. Text too long for the badge is set smaller, down to a
// legible minimum, and then wrapped; a long name gives up room before the
// details are cut; nothing runs off the badge.
//
// The badges are sorted by name (German order: last name, first name) or,
// with SortBy "municipality", by municipality, then organisation, each by
// place (municipality.SortKey), then by name within each, like the
// participant list. The sheet layouts place
// the badges edge to edge in a grid with cut marks at the ends of each
// cut; "4" fills the A4 sheet exactly, so one cut across and one down
// give four A6 badges.
func Badges(w io.Writer, ev *event.Event, regs []registration.Registration, municipalities map[int64]municipality.Municipality, groups map[int64][]WorkingGroupLabel, opt BadgeOptions) error {
	if ev == nil {
		return errors.New("render badges: no event")
	}
	sheet, ok := badgeSheets[strings.ToLower(strings.TrimSpace(opt.Layout))]
	if !ok {
		return fmt.Errorf("render badges of %s: unknown layout %q (want %q, %q or %q)", ev.Name(), opt.Layout, BadgesA6, BadgesA6OnA4, BadgesCardsA4)
	}
	byMunicipality := false
	switch strings.ToLower(strings.TrimSpace(opt.SortBy)) {
	case "", BadgesByName:
	case BadgesByMunicipality:
		byMunicipality = true
	default:
		return fmt.Errorf("render badges of %s: unknown order %q (want %q or %q)", ev.Name(), opt.SortBy, BadgesByName, BadgesByMunicipality)
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render badges of %s: %w", ev.Name(), err)
	}
	r := newBadgeRenderer(ev, g, sheet)
	people := badgePeople(regs, municipalities, byMunicipality)
	perPage := sheet.cols * sheet.rows
	for i, p := range people {
		cell := i % perPage
		if cell == 0 {
			r.addPage()
		}
		x := sheet.x0 + float64(cell%sheet.cols)*sheet.style.w
		y := sheet.y0 + float64(cell/sheet.cols)*sheet.style.h
		if err := r.badge(x, y, p, groups[p.reg.ID]); err != nil {
			return fmt.Errorf("render badges of %s: badge of %s: %w", ev.Name(), p.reg.FullName(), err)
		}
	}
	if len(people) == 0 {
		r.addPage()
		r.empty()
	}
	if err := r.f.Output(w); err != nil {
		return fmt.Errorf("render badges of %s: %w", ev.Name(), err)
	}
	return nil
}

// badgeFont is how one part of a badge is set: font style and colour;
// the largest size in points, the smallest it shrinks to on one line
// before it wraps, and the smallest it shrinks to wrapped; line height as
// a multiple of the size; at most how many lines.
type badgeFont struct {
	font            string
	color           rgb
	max, floor, min float64
	lead            float64
	lines           int
}

// badgeStyle is the geometry of one badge, in millimetres.
type badgeStyle struct {
	w, h     float64 // the badge, cut to size
	pad      float64 // white margin inside the cut
	bar      float64 // height of the accent bar at the top
	barGap   float64 // between the bar and the name
	nameGap  float64 // between the name and the details
	qr       float64 // side of the QR code, without its quiet zone
	nameH    float64 // the name is at most this high, so the details keep room; 0: up to the QR code
	beside   bool    // the details run left of the QR code, not above it
	name     badgeFont
	function badgeFont
	place    badgeFont
	group    badgeFont
	theme    badgeFont // of a working group, below it
	footer   badgeFont
	code     badgeFont
}

// badgeSheet is a page holding a grid of badges.
type badgeSheet struct {
	pageW, pageH float64
	cols, rows   int
	x0, y0       float64 // top left corner of the grid
	marks        bool
	style        *badgeStyle
}

// badgeMMPerPt converts points to millimetres.
const badgeMMPerPt = 25.4 / 72

// a6Badge is the A6 badge for badge holders and lanyards: the name and
// details over the full width, the QR code at the bottom right. The name
// is read from a few metres, the QR code by a phone at arm's length
// (30 mm: about 1.4 mm a module).
var a6Badge = &badgeStyle{
	w: 105, h: 148, pad: 10, bar: 1.6, barGap: 8, nameGap: 5, qr: 30, nameH: 42,
	name:     badgeFont{font: "B", color: colText, max: 44, floor: 26, min: 16, lead: 1.12, lines: 5},
	function: badgeFont{font: "", color: colText, max: 13, floor: 11, min: 9, lead: 1.2, lines: 3},
	place:    badgeFont{font: "B", color: colAccent, max: 14, floor: 12, min: 9, lead: 1.2, lines: 2},
	group:    badgeFont{font: "", color: colMuted, max: 11, floor: 9.5, min: 8, lead: 1.2, lines: 2},
	theme:    badgeFont{font: "I", color: colMuted, max: 10, floor: 8.5, min: 7.5, lead: 1.2, lines: 2},
	footer:   badgeFont{font: "", color: colMuted, max: 9, floor: 7.5, min: 7, lead: 1.25, lines: 2},
	code:     badgeFont{font: "", color: colMuted, max: 7, floor: 5, min: 5, lead: 1.2, lines: 1},
}

// cardBadge is the business-card badge (90 × 55 mm): the name over the
// full width, the details in a column left of the QR code.
var cardBadge = &badgeStyle{
	w: 90, h: 55, pad: 5, bar: 0.9, barGap: 3, nameGap: 2.2, qr: 17, beside: true,
	name:     badgeFont{font: "B", color: colText, max: 18, floor: 11, min: 9, lead: 1.15, lines: 4},
	function: badgeFont{font: "", color: colText, max: 8, floor: 7, min: 6, lead: 1.2, lines: 2},
	place:    badgeFont{font: "B", color: colAccent, max: 8.5, floor: 7.5, min: 6, lead: 1.2, lines: 2},
	group:    badgeFont{font: "", color: colMuted, max: 7, floor: 6.5, min: 5.5, lead: 1.2, lines: 2},
	theme:    badgeFont{font: "I", color: colMuted, max: 6.5, floor: 6, min: 5.5, lead: 1.2, lines: 2},
	footer:   badgeFont{font: "", color: colMuted, max: 6.5, floor: 5.5, min: 5.5, lead: 1.25, lines: 2},
	code:     badgeFont{font: "", color: colMuted, max: 5.5, floor: 4.5, min: 4.5, lead: 1.2, lines: 1},
}

// halfA4Badge is the A6 badge as a quarter of an A4 sheet, half a
// millimetre taller than A6.
var halfA4Badge = func() *badgeStyle {
	s := *a6Badge
	s.h = pageH / 2
	return &s
}()

var badgeSheets = map[string]*badgeSheet{
	BadgesA6:      {pageW: 105, pageH: 148, cols: 1, rows: 1, style: a6Badge},
	BadgesA6OnA4:  {pageW: pageW, pageH: pageH, cols: 2, rows: 2, marks: true, style: halfA4Badge},
	BadgesCardsA4: {pageW: pageW, pageH: pageH, cols: 2, rows: 4, x0: (pageW - 2*90) / 2, y0: (pageH - 4*55) / 2, marks: true, style: cardBadge},
}

// badgePerson is a registration with what its badge shows and its sort
// keys.
type badgePerson struct {
	reg         *registration.Registration
	place       string // municipality or organisation
	rank        int    // 0 municipality, 1 organisation, 2 neither
	placeKey    string
	last, first string
}

// badgePeople sorts the registrations by name or by municipality.
func badgePeople(regs []registration.Registration, municipalities map[int64]municipality.Municipality, byMunicipality bool) []badgePerson {
	people := make([]badgePerson, len(regs))
	for i := range regs {
		r := &regs[i]
		p := badgePerson{reg: r, rank: 2, last: collate.Key(r.LastName), first: collate.Key(r.FirstName)}
		if m, ok := badgeMunicipality(r, municipalities); ok {
			p.place, p.rank = m.Name, 0
			p.placeKey = municipality.SortKey(m.Name) + "\x00" + strconv.FormatInt(m.ID, 10)
		} else if org := strings.TrimSpace(r.Organisation); org != "" {
			p.place, p.rank, p.placeKey = org, 1, municipality.SortKey(org)
		}
		people[i] = p
	}
	sort.SliceStable(people, func(i, j int) bool {
		a, b := people[i], people[j]
		if byMunicipality {
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			if a.placeKey != b.placeKey {
				return a.placeKey < b.placeKey
			}
		}
		switch {
		case a.last != b.last:
			return a.last < b.last
		case a.first != b.first:
			return a.first < b.first
		}
		return a.reg.ID < b.reg.ID
	})
	return people
}

// badgeMunicipality is the municipality r gave, if it still exists.
func badgeMunicipality(r *registration.Registration, municipalities map[int64]municipality.Municipality) (municipality.Municipality, bool) {
	if r.MunicipalityID == nil {
		return municipality.Municipality{}, false
	}
	m, ok := municipalities[*r.MunicipalityID]
	return m, ok
}

// badgeRenderer is one rendering in progress.
type badgeRenderer struct {
	f       *fpdf.Fpdf
	g       *glyphs
	sheet   *badgeSheet
	meeting string // name and dates of the meeting, cleaned
	buf     []byte // scratch for the QR code's path
}

func newBadgeRenderer(ev *event.Event, g *glyphs, sheet *badgeSheet) *badgeRenderer {
	r := &badgeRenderer{g: g, sheet: sheet}
	r.f = newPDF(g.clean("Namensschilder – "+ev.Name()), time.Now())
	r.f.SetCellMargin(0)
	meeting := ev.Name()
	if days := ev.Days.Normalize().German(); days != "" {
		meeting += " · " + days
	}
	r.meeting = g.clean(meeting)
	return r
}

func (r *badgeRenderer) addPage() {
	s := r.sheet
	r.f.AddPageFormat("P", fpdf.SizeType{Wd: s.pageW, Ht: s.pageH})
	if s.marks {
		r.cutMarks()
	}
}

// Cut marks: hairlines along the cuts, in the sheet's margin clear of
// the badges. Where the grid reaches the sheet's edge ("4"), the marks
// run in from the edge on the cut itself, so cutting removes them.
const (
	cutMarkGap    = 3.0 // between a mark and the grid
	cutMarkLen    = 5.0
	cutMarkEdge   = 9.0 // length of a mark that starts at the sheet's edge
	cutMarkWeight = 0.15
)

func (r *badgeRenderer) cutMarks() {
	f, s := r.f, r.sheet
	w, h := s.style.w, s.style.h
	x1, y1 := s.x0+float64(s.cols)*w, s.y0+float64(s.rows)*h
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(cutMarkWeight)
	// marks gives the spans of the marks before and after the grid,
	// which runs from lo to hi on an axis of the sheet, size long.
	marks := func(lo, hi, size float64) [][2]float64 {
		var out [][2]float64
		switch {
		case lo >= cutMarkGap+cutMarkLen:
			out = append(out, [2]float64{lo - cutMarkGap - cutMarkLen, lo - cutMarkGap})
		default:
			out = append(out, [2]float64{0, cutMarkEdge})
		}
		switch {
		case size-hi >= cutMarkGap+cutMarkLen:
			out = append(out, [2]float64{hi + cutMarkGap, hi + cutMarkGap + cutMarkLen})
		default:
			out = append(out, [2]float64{size - cutMarkEdge, size})
		}
		return out
	}
	const eps = 0.01
	for c := 0; c <= s.cols; c++ {
		x := s.x0 + float64(c)*w
		if x < eps || x > s.pageW-eps {
			continue // the sheet's edge: nothing to cut
		}
		for _, m := range marks(s.y0, y1, s.pageH) {
			f.Line(x, m[0], x, m[1])
		}
	}
	for row := 0; row <= s.rows; row++ {
		y := s.y0 + float64(row)*h
		if y < eps || y > s.pageH-eps {
			continue
		}
		for _, m := range marks(s.x0, x1, s.pageW) {
			f.Line(m[0], y, m[1], y)
		}
	}
}

// badgeText is text set in one size, line by line.
type badgeText struct {
	ts    badgeFont
	size  float64 // points
	lines []string
	close bool // follows the text above without a gap: a group's theme
	cut   bool // the text did not fit and ends in "…"
}

func (b badgeText) lineH() float64 { return b.size * badgeMMPerPt * b.ts.lead }

func (b badgeText) height() float64 { return float64(len(b.lines)) * b.lineH() }

// badgeGap is the space between two texts of the details.
func badgeGap(above, below badgeText) float64 {
	if below.close {
		return 0
	}
	return above.lineH() * 0.35
}

// draw writes the lines from (x, y) down, in width w.
func (b badgeText) draw(f *fpdf.Fpdf, x, y, w float64, align string) {
	if len(b.lines) == 0 {
		return
	}
	setFont(f, b.ts.font, b.size, b.ts.color)
	lh := b.lineH()
	for i, s := range b.lines {
		f.SetXY(x, y+float64(i)*lh)
		f.CellFormat(w, lh, s, "", 0, align+"M", false, 0, "")
	}
}

// fit sets parts – each starting a line of its own – in width w and at
// most maxH high: on one line each in the largest size up to ts.max that
// fits, down to ts.floor; failing that wrapped, in the largest size down
// to ts.min that needs at most ts.lines lines; failing that in ts.min,
// cut with "…". Parts must be cleaned.
func (r *badgeRenderer) fit(parts []string, ts badgeFont, w, maxH float64) badgeText {
	f := r.f
	largest := max(ts.max, ts.min)
	lead := ts.min * badgeMMPerPt * ts.lead // line height at the smallest size
	limit := min(ts.lines, int(maxH/lead+1e-9))
	if limit < 1 {
		limit = 1
	}
	if len(parts) == 0 {
		return badgeText{ts: ts, size: largest}
	}
	// Widths grow with the size, so one measurement finds the size.
	f.SetFont(fontFamily, ts.font, largest)
	widest := 0.0
	for _, p := range parts {
		widest = max(widest, f.GetStringWidth(p))
	}
	size := largest
	if widest > w {
		size = float64(int(largest*w/widest*10)) / 10 // round down to 0.1 pt
	}
	b := badgeText{ts: ts, size: size, lines: parts}
	if size >= ts.floor && len(parts) <= ts.lines && b.height() <= maxH+1e-9 {
		return b
	}
	// Wrapped, first whole words only (or broken after a hyphen), then
	// also words broken between letters.
	for _, whole := range []bool{true, false} {
		for size := largest; size >= ts.min-1e-9; size -= 0.5 {
			f.SetFontSize(size)
			b := badgeText{ts: ts, size: size, lines: r.wrapParts(parts, w, 0)}
			if len(b.lines) <= ts.lines && b.height() <= maxH+1e-9 && (!whole || wordsWhole(parts, b.lines)) {
				return b
			}
		}
	}
	f.SetFontSize(ts.min)
	lines := r.wrapParts(parts, w, limit)
	return badgeText{ts: ts, size: ts.min, lines: lines, cut: strings.HasSuffix(lines[len(lines)-1], "…")}
}

// wrapParts wraps each part in the current font, starting each on a new
// line; with limit > 0 it returns at most limit lines, cut with "…".
func (r *badgeRenderer) wrapParts(parts []string, w float64, limit int) []string {
	var lines []string
	for _, p := range parts {
		lines = append(lines, wrap(r.f, p, w, 1<<20)...)
	}
	if limit > 0 && len(lines) > limit {
		lines = lines[:limit]
		lines[limit-1] = r.cut(lines[limit-1], w)
	}
	return lines
}

// wordsWhole reports whether lines break parts only between words or
// after a hyphen, dot, slash or underscore, or before an "@" – not
// between letters. Parts must be cleaned: single spaces, no padding.
func wordsWhole(parts, lines []string) bool {
	text := strings.Join(parts, "\n")
	for i, line := range lines {
		rest, ok := strings.CutPrefix(text, line)
		if !ok {
			return false
		}
		text = rest
		if i == len(lines)-1 || text == "" {
			continue
		}
		switch {
		case text[0] == ' ' || text[0] == '\n':
			text = text[1:]
		case strings.ContainsAny(line[len(line)-1:], ".-/_"), text[0] == '@':
		default:
			return false
		}
	}
	return true
}

// cut ends line in "…", shortened to fit width w in the current font.
func (r *badgeRenderer) cut(line string, w float64) string {
	line = strings.TrimSuffix(line, "…")
	for line != "" && r.f.GetStringWidth(line+"…") > w {
		_, n := utf8.DecodeLastRuneInString(line)
		line = strings.TrimRight(line[:len(line)-n], " ")
	}
	return line + "…"
}

// nameParts are the lines of a name: title and first name, last name.
func (r *badgeRenderer) nameParts(reg *registration.Registration) []string {
	var parts []string
	first := r.g.clean(strings.TrimSpace(reg.AcademicTitle + " " + reg.FirstName))
	if first != "" {
		parts = append(parts, first)
	}
	if last := r.g.clean(reg.LastName); last != "" {
		parts = append(parts, last)
	}
	return parts
}

// badge draws the badge of p with its top left corner at (x, y).
func (r *badgeRenderer) badge(x, y float64, p badgePerson, groups []WorkingGroupLabel) error {
	f, s := r.f, r.sheet.style
	innerW := s.w - 2*s.pad
	bottom := y + s.h - s.pad

	// The accent bar and the name over the full width.
	f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
	f.Rect(x+s.pad, y+s.pad, innerW, s.bar, "F")
	top := y + s.pad + s.bar + s.barGap

	// The QR code with its code below, at the bottom right; its quiet
	// zone of four modules stays clear of text on every side.
	code := strings.TrimSpace(p.reg.CheckinCode)
	quiet := 4 * s.qr / 21
	codeW := s.qr + quiet/2
	var codeText badgeText
	if code != "" {
		codeText = r.fit([]string{r.g.clean(groupCode(code))}, s.code, codeW, s.code.max*badgeMMPerPt*s.code.lead)
	}
	codeH := codeText.height()
	qrX, qrY := x+s.w-s.pad-s.qr, bottom-codeH-quiet-s.qr

	footer := r.fit([]string{r.meeting}, s.footer, innerW-s.qr-quiet, float64(s.footer.lines)*s.footer.max*badgeMMPerPt*s.footer.lead)
	footerY := bottom - footer.height()

	// The name as large as it fits; when that leaves the details too
	// little room to be shown whole, the name gives up room in steps,
	// down to two lines in its one-line size.
	nameH := qrY - quiet - top
	if s.nameH > 0 {
		nameH = min(nameH, s.nameH)
	}
	minNameH := min(nameH, 2*s.name.floor*badgeMMPerPt*s.name.lead)
	detailsW, detailsEnd := innerW, qrY-quiet
	if s.beside {
		detailsW, detailsEnd = innerW-s.qr-quiet, footerY-s.nameGap/2
	}
	var (
		name     badgeText
		details  []badgeText
		detailsY float64
	)
	for h := nameH; ; h -= 2 {
		h = max(h, minNameH)
		name = r.fit(r.nameParts(p.reg), s.name, innerW, h)
		detailsY = top + name.height() + s.nameGap
		var whole bool
		details, whole = r.details(p, groups, detailsW, detailsEnd-detailsY)
		if whole || h <= minNameH {
			break
		}
	}
	name.draw(f, x+s.pad, top, innerW, "L")
	for i, b := range details {
		if i > 0 {
			detailsY += badgeGap(details[i-1], b)
		}
		b.draw(f, x+s.pad, detailsY, detailsW, "L")
		detailsY += b.height()
	}

	footer.draw(f, x+s.pad, footerY, innerW-s.qr-quiet, "L")
	if code == "" {
		return nil
	}
	codeText.draw(f, x+s.w-s.pad-codeW, bottom-codeH, codeW, "R")
	return r.qrCode(qrX, qrY, s.qr, code)
}

// groupCode writes a check-in code in groups of four for reading out.
func groupCode(code string) string {
	var b strings.Builder
	for i, c := range code {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// details sets the function, municipality and working groups with their
// themes in width w and at most maxH high. They start in their largest
// sizes and shrink together until they fit; failing that, the themes go
// and the rest shrinks again; failing that, they keep one line each and
// finally lose working groups from the end. whole tells whether all of
// it is shown, nothing cut or left out.
func (r *badgeRenderer) details(p badgePerson, groups []WorkingGroupLabel, w, maxH float64) (blocks []badgeText, whole bool) {
	s := r.sheet.style
	function := r.g.clean(p.reg.Function)
	place := r.g.clean(p.place)
	var labels []WorkingGroupLabel
	themes := false
	for _, l := range groups {
		l = WorkingGroupLabel{Name: r.g.clean(l.Name), Theme: r.g.clean(l.Theme)}
		if l.Name != "" {
			labels = append(labels, l)
			themes = themes || l.Theme != ""
		}
	}
	// set fits the details with the sizes scaled by k from their
	// largest (1) to their smallest (0), in at most lines lines each
	// unless 0, with or without the themes.
	set := func(k float64, lines int, withThemes bool) []badgeText {
		var out []badgeText
		add := func(text string, ts badgeFont, close bool) {
			if text == "" {
				return
			}
			ts.max = ts.min + (ts.max-ts.min)*k
			ts.floor = ts.min + (ts.floor-ts.min)*k
			if lines > 0 {
				ts.lines = lines
			}
			b := r.fit([]string{text}, ts, w, maxH)
			b.close = close
			out = append(out, b)
		}
		add(function, s.function, false)
		add(place, s.place, false)
		for _, l := range labels {
			add(l.Name, s.group, false)
			if withThemes {
				add(l.Theme, s.theme, true)
			}
		}
		return out
	}
	total := func(blocks []badgeText) float64 {
		h := 0.0
		for i, b := range blocks {
			if i > 0 {
				h += badgeGap(blocks[i-1], b)
			}
			h += b.height()
		}
		return h
	}
	uncut := func(blocks []badgeText) bool {
		for _, b := range blocks {
			if b.cut {
				return false
			}
		}
		return true
	}
	for _, withThemes := range []bool{true, false} {
		if withThemes && !themes {
			continue
		}
		for k := 1.0; k >= -1e-9; k -= 0.125 {
			if blocks := set(k, 0, withThemes); total(blocks) <= maxH+1e-9 {
				return blocks, withThemes == themes && uncut(blocks)
			}
		}
	}
	blocks = set(0, 1, false)
	for len(blocks) > 1 && total(blocks) > maxH+1e-9 {
		blocks = blocks[:len(blocks)-1]
		last := &blocks[len(blocks)-1]
		r.f.SetFont(fontFamily, last.ts.font, last.size)
		last.lines = []string{r.cut(last.lines[0], w)}
	}
	if total(blocks) > maxH+1e-9 {
		return nil, false
	}
	return blocks, false
}

// qrCode draws the QR code of code as vector squares at (x, y), size
// wide: one filled path of the dark runs of each row, so the code prints
// sharp and shows no seams between modules.
func (r *badgeRenderer) qrCode(x, y, size float64, code string) error {
	bc, err := qr.Encode(code, qr.Q, qr.Auto)
	if err != nil {
		return fmt.Errorf("QR code: %w", err)
	}
	bounds := bc.Bounds()
	n := bounds.Dx()
	if n == 0 || bounds.Dy() != n {
		return fmt.Errorf("QR code: unexpected size %v", bounds)
	}
	m := size / float64(n)
	k := r.f.GetConversionRatio()
	_, pageH := r.f.GetPageSize()
	b := r.buf[:0]
	num := func(v float64) {
		b = strconv.AppendFloat(b, v, 'f', 3, 64)
		b = append(b, ' ')
	}
	for row := range n {
		for col := 0; col < n; {
			if !qrDark(bc, bounds.Min.X+col, bounds.Min.Y+row) {
				col++
				continue
			}
			start := col
			for col < n && qrDark(bc, bounds.Min.X+col, bounds.Min.Y+row) {
				col++
			}
			num((x + float64(start)*m) * k)
			num((pageH - y - float64(row)*m) * k)
			num(float64(col-start) * m * k)
			num(-m * k)
			b = append(b, "re\n"...)
		}
	}
	b = append(b, "f\n"...)
	r.buf = b
	r.f.SetFillColor(0, 0, 0)
	r.f.RawWriteStr(string(b))
	return r.f.Error()
}

func qrDark(img image.Image, x, y int) bool {
	return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 128
}

// empty says on a page of its own that there is nothing to print.
func (r *badgeRenderer) empty() {
	s := r.sheet
	w := min(s.pageW, 105.0) - 20
	setFont(r.f, "", 11, colMuted)
	lines := wrap(r.f, "Keine Namensschilder: Es wurden keine Anmeldungen ausgewählt.", w, 3)
	for i, l := range lines {
		r.f.SetXY(10, 20+float64(i)*6)
		r.f.CellFormat(w, 6, l, "", 0, "LM", false, 0, "")
	}
}
