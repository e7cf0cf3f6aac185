package document

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Measures of the programme in millimetres.
const (
	prTop          = marginT + 12 // content top on the pages after the first
	prBottom       = contentBottom
	prInset        = 2.5 // text inset of the day bands and the time column
	prBandH        = 7.5 // day heading band
	prBandGap      = 7.0 // space above a day heading
	prItemPadT     = 2.7
	prItemPadB     = 2.9
	prPausePad     = 1.9
	prRowGap       = 2.4 // space above each row of working groups
	prGutter       = 3.5 // between two columns of working groups
	prCellPad      = 2.6
	prCellBar      = 0.9 // accent bar at the left of a working group
	prContH        = 7.0 // "Arbeitsgruppen (Fortsetzung)" on a new page
	prMaxTitle     = 4   // lines; longer text is cut with "…"
	prMaxSpeakers  = 12
	prMaxDesc      = 28
	prMaxGroupDesc = 5
	prMaxInputs    = 12
	prNoteH        = 16.0
	prInfoGap      = 8.0 // between the columns of facts under the title

	// prSplitGap is the free space at the bottom of a page that is
	// worth breaking an item's working groups for, rather than moving
	// them to the next page whole.
	prSplitGap = (prBottom - prTop) / 4
)

// The programme's type sizes in points and line heights in millimetres.
const (
	prKickerSize  = 7.0
	prKickerH     = 3.7
	prTitleSize   = 10.5
	prTitleH      = 5.0
	prTimeSize    = 9.5
	prSpeakerSize = 9.0
	prSpeakerH    = 4.3
	prMetaSize    = 8.8
	prMetaH       = 4.2
	prDescSize    = 8.6
	prDescH       = 3.95
	prGroupSize   = 8.4
	prGroupH      = 3.85
)

// Colours of the programme beyond the house style.
var (
	colPrDesc  = rgb{68, 74, 80}    // descriptions: a touch lighter than text
	colPrGroup = rgb{239, 243, 248} // background of a working group
	colPrPause = rgb{110, 116, 122} // text of breaks
)

// prEmpty is shown while a meeting has no programme items.
const prEmpty = "Das Programm wird noch veröffentlicht."

// Programme writes the printed programme of ev as an A4 PDF to w. The
// first page opens with the meeting (name, title, motto), its dates,
// venue and organisers; then the items follow day by day under a
// heading per day, in time order, with the time in a column of its own
// and, per item, its kind, title, speakers, moderation, room and
// description. Breaks and lunch are set lighter on a shaded row. An item
// linked to a working-group slot lists the slot's groups as parallel
// sessions ("AG 1" …) with title, theme, room, moderation and inputs,
// two side by side where they fit. Inputs name their municipality as
// lists do (workinggroup.Input.Line), from municipalities (nil: inputs
// without their municipality).
//
// Pages are planned before they are drawn: an item never breaks across
// pages, and a day heading never ends a page. Only an item with working
// groups may continue on the next page, between rows of groups, under
// its title with "(Fortsetzung)" and its time: when its groups don't
// fit on one page, or when moving it whole would leave a quarter of a
// page or more empty. A single group is never split. Every
// page ends with "Stand:" generatedAt in Berlin and "Seite N von M";
// pages after the first repeat the meeting's name and dates at the top.
// Without items the page says "Das Programm wird noch veröffentlicht.".
func Programme(w io.Writer, ev *event.Event, items []agenda.Item, slots []workinggroup.Slot, groups []workinggroup.Group, municipalities map[int64]municipality.Municipality, generatedAt time.Time) error {
	if ev == nil {
		return errors.New("render programme: no event")
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render programme of %s: %w", ev.Name(), err)
	}
	p := &programme{
		g:     g,
		ev:    ev,
		munis: municipalities,
		stand: standLine(generatedAt),
		f:     newPDF(g.clean("Programm – "+ev.Name()), generatedAt),
	}
	if org := g.clean(ev.Organiser); org != "" {
		p.f.SetAuthor(org, true)
	}
	sorted := slices.Clone(items)
	agenda.Sort(sorted)
	p.layoutTitle(sorted)
	p.build(sorted, slots, groups)
	pages := p.paginate()
	for i, pg := range pages {
		p.drawPage(i+1, len(pages), pg)
	}
	if err := p.f.Output(w); err != nil {
		return fmt.Errorf("render programme of %s: %w", ev.Name(), err)
	}
	return nil
}

// prSpan is a run of cleaned text in one style and colour.
type prSpan struct {
	text  string
	style string
	col   rgb
}

// prLine is one set line: spans from the left edge of its column (after
// indent), and optionally spans set flush right.
type prLine struct {
	spans     []prSpan
	right     []prSpan
	size      float64 // points
	rightSize float64 // points of right; 0 for size
	h         float64 // line height
	gap       float64 // space above the line
	indent    float64
	bullet    string // set at the column's left edge, before indent
}

// prLinesHeight is the height of lines including their gaps.
func prLinesHeight(lines []prLine) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.gap + l.h
	}
	return h
}

// programme is one rendering in progress.
type programme struct {
	f     *fpdf.Fpdf
	g     *glyphs
	ev    *event.Event
	munis map[int64]municipality.Municipality // named by inputs
	stand string

	title    []prLine // kicker, name, subtitle and motto
	info     []prInfoColumn
	firstTop float64  // content top on the first page
	head     []prSpan // running header of later pages, left
	headDate string   // and right

	multiDay   bool
	timeW      float64 // width of the time column
	colX, colW float64 // the item column
	blocks     []prBlock
}

// prInfoColumn is one column of the facts under the title: "Termin",
// "Ort", "Veranstalter".
type prInfoColumn struct {
	label string
	w     float64
	lines []prLine
}

// prBlockKind tells the parts of the programme apart.
type prBlockKind int

const (
	prDay      prBlockKind = iota // a day heading, also repeated as continuation
	prItem                        // an item, or the head of one with working groups
	prGroupRow                    // one row of working groups
	prItemCont                    // an item with working groups continued on a new page
	prNote                        // the empty programme's note
)

// prBlock is one unbreakable part of the programme, in reading order.
type prBlock struct {
	kind  prBlockKind
	h     float64
	gap   float64 // space above, dropped at the top of a page
	keep  bool    // keep on the same page as the next block
	lines []prLine
	right string // day heading: "1. Tag"

	// items
	time    string
	timeY   float64 // offset of the time from the block's top
	pause   bool
	ruleTop bool       // thin rule above the item
	cont    *prBlock   // group row: its item's heading on a new page
	dayCont *prBlock   // its day's heading on a new page
	cells   [][]prLine // group row: one cell per group
	cellW   float64
	rowH    float64 // height of the cells; h adds the item's padding below the last row
}

// put writes s with its text starting exactly at x.
func (p *programme) put(x, y, h float64, s string) {
	cm := p.f.GetCellMargin()
	p.f.SetXY(x-cm, y)
	p.f.CellFormat(p.f.GetStringWidth(s)+2*cm, h, s, "", 0, "LM", false, 0, "")
}

// spansWidth measures spans at size.
func (p *programme) spansWidth(spans []prSpan, size float64) float64 {
	w := 0.0
	for _, s := range spans {
		setFont(p.f, s.style, size, s.col)
		w += p.f.GetStringWidth(s.text)
	}
	return w
}

// sp cleans text into a prSpan.
func (p *programme) sp(text, style string, col rgb) prSpan {
	return prSpan{text: p.g.clean(text), style: style, col: col}
}

// setSpans wraps spans into lines of width w at size with line height h,
// at most max lines; a cut text ends in "…". Words keep their prSpan's
// style; a word wider than a line breaks as wrap breaks it.
func (p *programme) setSpans(spans []prSpan, size, h, w float64, max int) []prLine {
	f := p.f
	type word struct {
		text  string
		sp    int
		glued bool // continues the previous piece without a space
	}
	var words []word
	for i, s := range spans {
		setFont(f, s.style, size, s.col)
		for _, wd := range strings.Fields(s.text) {
			for k, piece := range breakWord(f, wd, w) {
				words = append(words, word{piece, i, k > 0})
			}
		}
	}
	var lines [][]prSpan
	var line []prSpan
	lineW := 0.0
	for _, wd := range words {
		s := spans[wd.sp]
		setFont(f, s.style, size, s.col)
		ww := f.GetStringWidth(wd.text)
		sep := ""
		if len(line) > 0 && !wd.glued {
			sep = " "
		}
		sepW := f.GetStringWidth(sep)
		if len(line) > 0 && lineW+sepW+ww > w {
			lines = append(lines, line)
			line, lineW, sep, sepW = nil, 0, "", 0
		}
		if n := len(line); n > 0 && line[n-1].style == s.style && line[n-1].col == s.col {
			line[n-1].text += sep + wd.text
		} else {
			line = append(line, prSpan{text: sep + wd.text, style: s.style, col: s.col})
		}
		lineW += sepW + ww
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	if len(lines) > max {
		lines = lines[:max]
		last := lines[max-1]
		n := len(last) - 1
		last[n].text += "…"
		// Drop words until the ellipsis fits.
		for p.spansWidth(last, size) > w {
			t := last[n].text
			i := strings.LastIndexByte(strings.TrimSuffix(t, "…"), ' ')
			if i <= 0 {
				break
			}
			last[n].text = t[:i] + "…"
		}
	}
	out := make([]prLine, len(lines))
	for i, l := range lines {
		out[i] = prLine{spans: l, size: size, h: h}
	}
	return out
}

// para sets one cleaned text in a single style.
func (p *programme) para(text, style string, col rgb, size, h, w float64, max int) []prLine {
	if text = p.g.clean(text); text == "" {
		return nil
	}
	return p.setSpans([]prSpan{{text: text, style: style, col: col}}, size, h, w, max)
}

// prGapped sets the gap above the first of lines.
func prGapped(lines []prLine, gap float64) []prLine {
	if len(lines) > 0 {
		lines[0].gap = gap
	}
	return lines
}

// drawLines writes lines in the column from x, w wide, starting at y, and
// returns the y below them.
func (p *programme) drawLines(lines []prLine, x, y, w float64) float64 {
	f := p.f
	for _, l := range lines {
		y += l.gap
		if l.bullet != "" && len(l.spans) > 0 {
			s := l.spans[0]
			setFont(f, s.style, l.size, s.col)
			p.put(x, y, l.h, l.bullet)
		}
		tx := x + l.indent
		for _, s := range l.spans {
			setFont(f, s.style, l.size, s.col)
			p.put(tx, y, l.h, s.text)
			tx += f.GetStringWidth(s.text)
		}
		if len(l.right) > 0 {
			size := l.size
			if l.rightSize > 0 {
				size = l.rightSize
			}
			tx = x + w - p.spansWidth(l.right, size)
			for _, s := range l.right {
				setFont(f, s.style, size, s.col)
				p.put(tx, y, l.h, s.text)
				tx += f.GetStringWidth(s.text)
			}
		}
		y += l.h
	}
	return y
}

// layoutTitle sets the title block of the first page and the running
// header of the others. The dates come from the meeting, or from the
// items when the meeting has none.
func (p *programme) layoutTitle(items []agenda.Item) {
	ev := p.ev
	days := ev.Days.Normalize()
	if len(days) == 0 {
		for _, it := range items {
			days = append(days, it.Day)
		}
		days = days.Normalize()
	}
	name, subtitle := prKindLine(ev), strings.TrimSpace(ev.Title)
	if name == "" || name == subtitle {
		name, subtitle = ev.Name(), ""
	}
	motto := quotedMotto(p.g.clean(ev.Motto))

	p.title = append(p.title, p.para("PROGRAMM", "B", colAccent, 9, 5, contentW, 1)...)
	nameSize, nameH, nameCol := 13.0, 6.4, colAccent
	if subtitle == "" && motto == "" {
		nameSize, nameH, nameCol = 22, 10, colText
	}
	p.title = append(p.title, prGapped(p.para(name, "B", nameCol, nameSize, nameH, contentW, 2), 0.6)...)
	p.title = append(p.title, prGapped(p.para(subtitle, "B", colText, 18, 8, contentW, 3), 0.8)...)
	p.title = append(p.title, prGapped(p.para(motto, "I", colText, 20, 9, contentW, 3), 1.2)...)

	// Dates, venue and organisers in three columns, each as wide as its
	// text needs; the organisers take the rest.
	const infoSize, infoH = 9.5, 4.7
	var dates, hours, venue, org, co []string
	dates, hours = prDates(ev, days, ev.Schedule(agenda.Spans(items)))
	venue = venueLines(ev)
	org = splitLines(ev.Organiser)
	co = splitLines(ev.CoOrganisers)
	if len(co) > 4 {
		co = co[:4]
	}
	natural := func(lines []string, limit float64) float64 {
		setFont(p.f, "", infoSize, colText)
		w := 0.0
		for _, l := range lines {
			w = max(w, p.f.GetStringWidth(p.g.clean(l)))
		}
		return min(w+1, limit)
	}
	setLines := func(lines []string, w float64) []prLine {
		var out []prLine
		for _, l := range lines {
			out = append(out, p.para(l, "", colText, infoSize, infoH, w, 3)...)
		}
		return out
	}
	dayLabel := "TERMIN"
	if len(days) > 1 {
		dayLabel = "TERMINE"
	}
	datesW, venueW := natural(append(slices.Clone(dates), hours...), 58), natural(venue, 58)
	if len(dates) > 0 {
		var when []prLine
		for i, d := range dates {
			gap := 0.0
			if i > 0 && len(hours) == len(dates) {
				gap = 1 // days with hours of their own stand apart
			}
			when = append(when, prGapped(setLines([]string{d}, datesW), gap)...)
			if len(hours) == len(dates) && hours[i] != "" {
				when = append(when, p.para(hours[i], "", colMuted, infoSize, infoH, datesW, 1)...)
			}
		}
		if len(hours) == 1 && len(dates) > 1 {
			when = append(when, p.para(hours[0], "", colMuted, infoSize, infoH, datesW, 1)...)
		}
		p.info = append(p.info, prInfoColumn{dayLabel, datesW, when})
	}
	if len(venue) > 0 {
		p.info = append(p.info, prInfoColumn{"ORT", venueW, setLines(venue, venueW)})
	}
	if len(org)+len(co) > 0 {
		orgW := contentW
		for _, c := range p.info {
			orgW -= c.w + prInfoGap
		}
		by := setLines(org, orgW)
		if len(co) > 0 {
			if len(by) > 0 {
				by = append(by, prGapped(p.para("in Kooperation mit", "I", colMuted, 8.8, 4.4, orgW, 1), 0.8)...)
			}
			by = append(by, setLines(co, orgW)...)
		}
		p.info = append(p.info, prInfoColumn{"VERANSTALTER", orgW, by})
	}
	y := marginT + prLinesHeight(p.title)
	if len(p.info) > 0 {
		h := 0.0
		for _, c := range p.info {
			h = max(h, prLinesHeight(c.lines))
		}
		y += 5 + 3.2 + prKickerH + 1 + h + 3.2
	}
	p.firstTop = y + 7

	// Running header: "Programm · 17. Lernnetzwerktreffen", dates and place.
	setFont(p.f, "", 8.5, colMuted)
	var right []string
	for _, s := range []string{days.German(), ev.VenueCity} {
		if s = strings.TrimSpace(s); s != "" {
			right = append(right, s)
		}
	}
	if date := p.g.clean(strings.Join(right, " · ")); date != "" {
		p.headDate = wrap(p.f, date, contentW*0.4, 1)[0]
	}
	setFont(p.f, "B", 8.5, colText)
	nameLine := wrap(p.f, p.g.clean(ev.Name()), contentW*0.6-20, 1)[0]
	p.head = []prSpan{{text: "PROGRAMM", style: "B", col: colAccent}, {text: "  " + nameLine, style: "B", col: colText}}
}

// prDates are the lines of the title's dates: each day ("Mittwoch, 13.
// September 2017"), or for more than three the span of days; hours are
// their times, as the mails give them (event.Schedule): one per date
// when the days' hours differ, else one for all ("jeweils 10:00–16:00
// Uhr" for several days), or none. Days with different hours beyond
// three are left to the day headings.
func prDates(ev *event.Event, days day.List, schedule event.Schedule) (dates, hours []string) {
	if len(days) == 0 {
		return nil, nil
	}
	per := make([]string, len(days))
	alike := true
	for i, d := range days {
		per[i] = hoursOn(ev, schedule, d).Text()
		alike = alike && per[i] == per[0]
	}
	switch {
	case len(days) <= 3:
		for _, d := range days {
			dates = append(dates, d.GermanLong())
		}
		if !alike {
			return dates, per
		}
	default:
		dates = []string{days.German()}
	}
	switch {
	case !alike || per[0] == "":
		return dates, nil
	case len(days) > 1:
		return dates, []string{"jeweils " + per[0]}
	}
	return dates, per[:1]
}

// prKindLine names the meeting by its kind: "17. Lernnetzwerktreffen",
// "Frühjahrsakademie 2018", or "" for other events, which go by their
// title.
func prKindLine(ev *event.Event) string {
	first := ev.Days.Normalize().First()
	switch {
	case ev.Kind == event.Lernnetzwerktreffen && ev.Number > 0:
		return strconv.Itoa(ev.Number) + ". Lernnetzwerktreffen"
	case ev.Kind == event.Fruehjahrsakademie && !first.IsZero():
		return "Frühjahrsakademie " + strconv.Itoa(first.Year)
	case ev.Kind == event.Other:
		return ""
	}
	return ev.Kind.Label()
}

// build turns the items into blocks: a heading per day, then the items;
// an item with working groups is followed by rows of them.
func (p *programme) build(items []agenda.Item, slots []workinggroup.Slot, groups []workinggroup.Group) {
	f := p.f
	// The time column fits the widest time.
	p.timeW = 27
	setFont(f, "B", prTimeSize, colText)
	for _, it := range items {
		p.timeW = max(p.timeW, f.GetStringWidth(p.g.clean(prItemTime(it)))+prInset+6)
	}
	p.colX, p.colW = marginX+p.timeW, contentW-p.timeW

	if len(items) == 0 {
		p.blocks = append(p.blocks, prBlock{kind: prNote, h: prNoteH,
			lines: p.para(prEmpty, "I", colMuted, 11, 6, contentW-2*prInset, 2)})
		return
	}
	numbered := numberGroups(slots, groups)
	p.multiDay = items[0].Day != items[len(items)-1].Day
	dayN := 0
	var dayCont *prBlock
	for i, it := range items {
		if i == 0 || it.Day != items[i-1].Day {
			dayN++
			heading := prBlock{kind: prDay, h: prBandH, gap: prBandGap, keep: true}
			text := "Ohne Datum"
			if !it.Day.IsZero() {
				text = it.Day.GermanLong()
			}
			heading.lines = p.para(text, "B", colAccent, 10.5, prBandH, contentW-2*prInset-25, 1)
			if p.multiDay {
				heading.right = strconv.Itoa(dayN) + ". Tag"
			}
			cont := heading
			cont.gap, cont.keep = 0, false
			cont.lines = p.para(text+" (Fortsetzung)", "B", colAccent, 10.5, prBandH, contentW-2*prInset-25, 1)
			dayCont = &cont
			p.blocks = append(p.blocks, heading)
			p.addItem(it, true, dayCont, numbered)
			continue
		}
		p.addItem(it, false, dayCont, numbered)
	}
}

// prItemTime is "10:00–10:15", "10:00" or "bis 10:15".
func prItemTime(it agenda.Item) string {
	start, end := strings.TrimSpace(it.StartsAt), strings.TrimSpace(it.EndsAt)
	switch {
	case start != "" && end != "":
		return start + "–" + end
	case start != "":
		return start
	case end != "":
		return "bis " + end
	}
	return ""
}

// prKicker is the item's kind in capitals, or "" when the title already
// says it or the kind says nothing.
func prKicker(it agenda.Item) string {
	if it.Kind == agenda.Other || !slices.Contains(agenda.Kinds, it.Kind) {
		return ""
	}
	label := it.Kind.Label()
	if strings.EqualFold(strings.TrimSpace(it.Title), label) || strings.TrimSpace(it.Title) == "" {
		return ""
	}
	return strings.ToUpper(strings.ReplaceAll(label, "ß", "SS"))
}

// prMaxItemH is the tallest item a page takes below a day heading.
const prMaxItemH = prBottom - prTop - prBandH - 1

// addItem lays out one item and, for a working-group slot, its groups.
func (p *programme) addItem(it agenda.Item, first bool, dayCont *prBlock, numbered []numberedGroup) {
	w := p.colW - prInset
	b := prBlock{kind: prItem, time: p.g.clean(prItemTime(it)), pause: it.Kind.IsPause(), ruleTop: !first, dayCont: dayCont}
	title := p.g.clean(it.DisplayTitle())
	room := p.g.clean(it.Room)
	var lines []prLine

	if b.pause {
		// One light line: the break, its room flush right.
		lines = p.para(title, "I", colPrPause, 9.5, prTitleH, w, 2)
		if room != "" {
			r := []prSpan{{text: room, style: "", col: colPrPause}}
			last := &lines[len(lines)-1]
			if p.spansWidth(last.spans, 9.5)+p.spansWidth(r, 9.5)+6 <= w {
				last.right = r
			} else {
				lines = append(lines, p.para(room, "", colPrPause, prMetaSize, prMetaH, w, 2)...)
			}
		}
		b.timeY = prPausePad
		lines = append(lines, p.details(it, w, colPrPause)...)
		b.lines = lines
		b.h = prPausePad + prLinesHeight(lines) + prPausePad
		p.blocks = append(p.blocks, b)
		return
	}

	// The room goes flush right on the first line: the kind's, or else
	// the title's, which then wraps short of it.
	const roomSize = 8.3
	roomSpans := prRoom(room)
	roomW := p.spansWidth(roomSpans, roomSize)
	roomPlaced := room == ""
	if k := prKicker(it); k != "" {
		meta := p.para(k, "B", colMuted, prKickerSize, prKickerH, w, 1)
		if !roomPlaced && p.spansWidth(meta[0].spans, prKickerSize)+roomW+8 <= w {
			meta[0].right, meta[0].rightSize = roomSpans, roomSize
			roomPlaced = true
		}
		lines = append(lines, meta...)
	}
	b.timeY = prItemPadT + prLinesHeight(lines)
	if !roomPlaced && roomW <= w/3 {
		set := p.para(title, "B", colText, prTitleSize, prTitleH, w-roomW-6, prMaxTitle)
		set[0].right, set[0].rightSize = roomSpans, roomSize
		lines = append(lines, set...)
		roomPlaced = true
	} else {
		lines = append(lines, p.para(title, "B", colText, prTitleSize, prTitleH, w, prMaxTitle)...)
	}

	var speakers []prLine
	for _, s := range it.Speakers {
		// Speaker.Line with the name in bold.
		name := strings.TrimSpace(strings.TrimSpace(s.Title) + " " + strings.TrimSpace(s.Name))
		var rest []string
		for _, part := range []string{s.Function, s.Organisation} {
			if part = strings.TrimSpace(part); part != "" {
				rest = append(rest, part)
			}
		}
		spans := []prSpan{p.sp(name, "B", colText), p.sp(strings.Join(rest, ", "), "", colText)}
		if spans[0].text != "" && spans[1].text != "" {
			spans[0].text += ","
		}
		speakers = append(speakers, p.setSpans(spans, prSpeakerSize, prSpeakerH, w, 3)...)
	}
	if len(speakers) > prMaxSpeakers {
		speakers = speakers[:prMaxSpeakers]
		speakers[prMaxSpeakers-1].spans = append(speakers[prMaxSpeakers-1].spans, prSpan{text: " …", col: colText})
	}
	lines = append(lines, prGapped(speakers, 0.9)...)
	if mod := p.g.clean(it.Moderation); mod != "" {
		lines = append(lines, prGapped(p.setSpans([]prSpan{{text: "Moderation:", style: "", col: colMuted}, {text: mod, style: "", col: colText}},
			prMetaSize, prMetaH, w, 3), 0.6)...)
	}
	if !roomPlaced {
		lines = append(lines, prGapped(p.setSpans(roomSpans, prMetaSize, prMetaH, w, 2), 0.6)...)
	}
	lines = append(lines, p.details(it, w, colPrDesc)...)

	// A slot's groups follow the item.
	var rows []prBlock
	if it.WorkingGroupSlotID != nil {
		var mine []numberedGroup
		for _, ng := range numbered {
			if ng.g.SlotID == *it.WorkingGroupSlotID {
				mine = append(mine, ng)
			}
		}
		if len(mine) == 0 {
			lines = append(lines, prGapped(p.para("Die Arbeitsgruppen werden noch bekannt gegeben.", "I", colMuted, prMetaSize, prMetaH, w, 1), 1)...)
		} else {
			rows = p.groupRows(mine, dayCont)
		}
	}
	// Cut an overlong description so the item fits a page.
	b.lines = lines
	b.h = prItemPadT + prLinesHeight(lines) + prItemPadB
	for b.h > prMaxItemH && len(b.lines) > 2 {
		b.lines = b.lines[:len(b.lines)-1]
		last := &b.lines[len(b.lines)-1]
		last.spans[len(last.spans)-1].text += " …"
		b.h = prItemPadT + prLinesHeight(b.lines) + prItemPadB
	}
	if len(rows) == 0 {
		p.blocks = append(p.blocks, b)
		return
	}

	// The item keeps its first row of groups. The rows stay together
	// when they fit a page, unless that leaves much of a page empty
	// (see paginate); else they follow row by row.
	b.h -= prItemPadB
	total := b.h
	for _, r := range rows {
		total += r.gap + r.h
	}
	b.keep = true
	cont := &prBlock{kind: prItemCont, h: prContH, time: b.time,
		lines: p.para(it.DisplayTitle()+" (Fortsetzung)", "B", colText, prTitleSize, prContH, w, 1), dayCont: dayCont}
	for i := range rows {
		rows[i].cont = cont
		rows[i].keep = total <= prMaxItemH && i < len(rows)-1
	}
	p.blocks = append(p.blocks, b)
	p.blocks = append(p.blocks, rows...)
}

// prRoom is a cleaned room as event.RoomLine names it, the label
// "Raum:" set lighter: "Raum: Großer Saal", but "Raum 2" as typed; nil
// without a room.
func prRoom(room string) []prSpan {
	label, name := roomParts(room)
	switch {
	case name == "":
		return nil
	case label == "":
		return []prSpan{{text: name, col: colText}}
	}
	return []prSpan{{text: label + " ", col: colMuted}, {text: name, col: colText}}
}

// details is the item's description, paragraph by paragraph.
func (p *programme) details(it agenda.Item, w float64, col rgb) []prLine {
	var out []prLine
	for _, para := range strings.Split(strings.ReplaceAll(it.Description, "\r\n", "\n"), "\n") {
		lines := p.para(para, "", col, prDescSize, prDescH, w, prMaxDesc)
		gap := 0.9
		if len(out) == 0 {
			gap = 1.5
		}
		out = append(out, prGapped(lines, gap)...)
	}
	if len(out) > prMaxDesc {
		out = out[:prMaxDesc]
		last := &out[prMaxDesc-1]
		last.spans[len(last.spans)-1].text += " …"
	}
	return out
}

// groupRows lays out a slot's groups, two side by side when they fit
// (no group taller than half a page), else one below the other.
func (p *programme) groupRows(groups []numberedGroup, dayCont *prBlock) []prBlock {
	width := contentW - p.timeW // the groups take the item column
	perRow := 2
	if len(groups) == 1 {
		perRow = 1
	}
	var cells [][]prLine
	for {
		cellW := (width - float64(perRow-1)*prGutter) / float64(perRow)
		cells = cells[:0]
		tooTall := false
		for _, ng := range groups {
			c := p.groupCell(ng, cellW-prCellBar-2*prCellPad)
			cells = append(cells, c)
			tooTall = tooTall || prLinesHeight(c)+2*prCellPad > prMaxItemH/2
		}
		if !tooTall || perRow == 1 {
			break
		}
		perRow = 1
	}
	cellW := (width - float64(perRow-1)*prGutter) / float64(perRow)
	var rows []prBlock
	for i := 0; i < len(cells); i += perRow {
		row := prBlock{kind: prGroupRow, gap: prRowGap, cellW: cellW, dayCont: dayCont}
		for _, c := range cells[i:min(i+perRow, len(cells))] {
			row.cells = append(row.cells, c)
			row.rowH = max(row.rowH, prLinesHeight(c)+2*prCellPad)
		}
		if i == 0 {
			row.gap = prRowGap + 0.6
		}
		row.h = row.rowH
		rows = append(rows, row)
	}
	rows[len(rows)-1].h += prItemPadB + 0.6
	return rows
}

// groupCell sets one working group: number, title, theme, room,
// moderation, inputs and description, w wide.
func (p *programme) groupCell(ng numberedGroup, w float64) []prLine {
	gr := ng.g
	var lines []prLine
	lines = append(lines, p.para("AG "+strconv.Itoa(ng.n), "B", colAccent, 7.5, 3.8, w, 1)...)
	lines = append(lines, prGapped(p.para(gr.Title, "B", colText, 9.5, 4.4, w, 3), 0.3)...)
	lines = append(lines, p.para(gr.Theme, "I", colText, prGroupSize, prGroupH, w, 2)...)
	fact := func(label, value string, max int, gap float64) {
		if value = p.g.clean(value); value != "" {
			lines = append(lines, prGapped(p.setSpans([]prSpan{{text: label, style: "", col: colMuted}, {text: value, style: "", col: colText}},
				prGroupSize, prGroupH, w, max), gap)...)
		}
	}
	if room := prRoom(p.g.clean(gr.Room)); room != nil {
		lines = append(lines, prGapped(p.setSpans(room, prGroupSize, prGroupH, w, 2), 1.2)...)
	}
	fact("Moderation:", gr.Moderators, 3, 0)
	var inputs []prLine
	setFont(p.f, "", prGroupSize, colText)
	indent := p.f.GetStringWidth("– ")
	for _, in := range gr.Inputs {
		text := p.g.clean(in.Line(municipalityName(p.munis, in.MunicipalityID)))
		if text == "" {
			continue
		}
		set := p.setSpans([]prSpan{{text: text, style: "", col: colText}}, prGroupSize, prGroupH, w-indent, 3)
		for k := range set {
			set[k].indent = indent
		}
		set[0].bullet = "–"
		inputs = append(inputs, set...)
	}
	if len(inputs) > 0 {
		label := "Input:"
		if len(gr.Inputs) > 1 {
			label = "Inputs:"
		}
		lines = append(lines, prGapped(p.para(label, "", colMuted, prGroupSize, prGroupH, w, 1), 0.8)...)
		if len(inputs) > prMaxInputs {
			inputs = inputs[:prMaxInputs]
			last := &inputs[prMaxInputs-1]
			last.spans[len(last.spans)-1].text += " …"
		}
		lines = append(lines, inputs...)
	}
	lines = append(lines, prGapped(p.para(gr.Description, "", colPrDesc, 8, 3.6, w, prMaxGroupDesc), 1.2)...)
	return lines
}

// prPlaced is a block at its position on a page.
type prPlaced struct {
	b *prBlock
	y float64
}

// paginate distributes the blocks over pages. A chain of blocks marked
// keep moves to the next page as a whole, so an item never breaks and a
// day heading never ends a page – except between two rows of working
// groups when moving the chain would leave at least prSplitGap empty. A
// page that starts inside a day repeats the day's heading, and inside a
// slot's groups also the item's title.
func (p *programme) paginate() [][]prPlaced {
	var pages [][]prPlaced
	page := []prPlaced{}
	top := p.firstTop
	y := top
	for i := 0; i < len(p.blocks); {
		j := i
		h := p.blocks[i].h
		if y > top {
			h += p.blocks[i].gap
		}
		split := -1 // the last block after which the chain may break and still fits
		for p.blocks[j].keep && j+1 < len(p.blocks) {
			if y+h <= prBottom && p.blocks[j].kind == prGroupRow && p.blocks[j+1].kind == prGroupRow {
				split = j
			}
			j++
			h += p.blocks[j].gap + p.blocks[j].h
		}
		if y+h > prBottom && y > top && split >= 0 && prBottom-y >= prSplitGap {
			j = split
		} else if y+h > prBottom && y > top {
			pages = append(pages, page)
			page = []prPlaced{}
			top = prTop
			y = top
			next := &p.blocks[i]
			if next.kind != prDay && next.dayCont != nil {
				page = append(page, prPlaced{next.dayCont, y})
				y += next.dayCont.h
			}
			if next.kind == prGroupRow && next.cont != nil {
				page = append(page, prPlaced{next.cont, y})
				y += next.cont.h
			}
		}
		for ; i <= j; i++ {
			b := &p.blocks[i]
			if y > top {
				y += b.gap
			}
			page = append(page, prPlaced{b, y})
			y += b.h
		}
	}
	return append(pages, page)
}

func (p *programme) drawPage(n, total int, blocks []prPlaced) {
	f := p.f
	f.AddPage()
	if n == 1 {
		p.drawTitle()
	} else {
		p.drawHeader()
	}
	for _, pl := range blocks {
		p.drawBlock(pl.b, pl.y)
	}
	drawFooter(f, p.stand, n, total)
}

// drawTitle writes the first page's title block and facts.
func (p *programme) drawTitle() {
	f := p.f
	y := p.drawLines(p.title, marginX, marginT, contentW)
	if len(p.info) == 0 {
		return
	}
	y += 5
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX, y, marginX+contentW, y)
	y += 3.2
	x := marginX
	bottom := y
	for _, c := range p.info {
		setFont(f, "B", prKickerSize, colMuted)
		p.put(x, y, prKickerH, c.label)
		bottom = max(bottom, p.drawLines(c.lines, x, y+prKickerH+1, c.w))
		x += c.w + prInfoGap
	}
	y = bottom + 3.2
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.Line(marginX, y, marginX+contentW, y)
}

// drawHeader writes the running header of the pages after the first.
func (p *programme) drawHeader() {
	f := p.f
	y := marginT
	p.drawLines([]prLine{{spans: p.head, size: 8.5, h: 5}}, marginX, y, contentW)
	if p.headDate != "" {
		setFont(f, "", 8.5, colMuted)
		p.put(marginX+contentW-f.GetStringWidth(p.headDate), y, 5, p.headDate)
	}
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.35)
	f.Line(marginX, y+6.5, marginX+contentW, y+6.5)
}

func (p *programme) drawBlock(b *prBlock, y float64) {
	f := p.f
	switch b.kind {
	case prDay:
		f.SetFillColor(colTint.r, colTint.g, colTint.b)
		f.Rect(marginX, y, contentW, b.h, "F")
		f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
		f.Rect(marginX, y, 1.2, b.h, "F")
		p.drawLines(b.lines, marginX+prInset+0.6, y, contentW)
		if b.right != "" {
			setFont(f, "", 9, colAccent)
			p.put(marginX+contentW-prInset-f.GetStringWidth(b.right), y, b.h, b.right)
		}
	case prItem:
		if b.pause {
			f.SetFillColor(colShade.r, colShade.g, colShade.b)
			f.Rect(marginX, y, contentW, b.h, "F")
		}
		if b.ruleTop {
			f.SetDrawColor(colRule.r, colRule.g, colRule.b)
			f.SetLineWidth(0.2)
			f.Line(marginX, y, marginX+contentW, y)
		}
		if b.pause {
			setFont(f, "", prTimeSize, colPrPause)
		} else {
			setFont(f, "B", prTimeSize, colText)
		}
		p.put(marginX+prInset, y+b.timeY, prTitleH, b.time)
		top := prItemPadT
		if b.pause {
			top = prPausePad
		}
		p.drawLines(b.lines, p.colX, y+top, p.colW-prInset)
	case prItemCont:
		setFont(f, "", prTimeSize, colMuted)
		p.put(marginX+prInset, y+(b.h-prTitleH)/2, prTitleH, b.time)
		p.drawLines(b.lines, p.colX, y, p.colW-prInset)
	case prGroupRow:
		x := p.colX
		for _, c := range b.cells {
			f.SetFillColor(colPrGroup.r, colPrGroup.g, colPrGroup.b)
			f.Rect(x, y, b.cellW, b.rowH, "F")
			f.SetFillColor(colAccent.r, colAccent.g, colAccent.b)
			f.Rect(x, y, prCellBar, b.rowH, "F")
			p.drawLines(c, x+prCellBar+prCellPad, y+prCellPad, b.cellW-prCellBar-2*prCellPad)
			x += b.cellW + prGutter
		}
	case prNote:
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.Rect(marginX, y, contentW, b.h, "F")
		p.drawLines(b.lines, marginX+prInset+2, y+(b.h-prLinesHeight(b.lines))/2, contentW)
	}
}
