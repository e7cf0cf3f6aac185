package document

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Vertical measures of the working-group lists in millimetres.
const (
	wgKickerH   = 4.5
	wgNameH     = 6.2
	wgWhenH     = 4.6
	wgNumberH   = 6.0
	wgTitleH    = 8.0
	wgThemeH    = 5.4
	wgFactH     = 4.8
	wgContH     = 5.5
	wgEmptyH    = 12.0
	wgMaxInputs = 12 // lines of inputs shown; more are cut with "…"
)

// Widths of the fixed columns of a group's table.
const (
	wgColNr   = 10.5
	wgColName = 44.0
	wgColOrg  = 44.0
	wgColRole = 22.0
)

// Role markers in the group tables.
const (
	markerSpeaker   = "Input"
	markerModerator = "Moderation"
)

// WorkingGroupLists writes one list per working group of ev as an A4 PDF
// to w, for the moderators and the doors of the rooms. The groups follow
// their slots in time order, then their position. Each group starts a
// page that names the meeting and the slot (day, "14:00–15:30 Uhr",
// label), then the group with its number in the slot ("AG 2"), title,
// theme, room, moderation and inputs, and finally its participants: the
// confirmed registrations assigned to it, sorted by name, with their
// municipality or organisation, function and a marker for those who give
// an input or moderate. A long group continues on further pages under
// "(Fortsetzung)"; rows are never split. A group without participants
// says "Noch niemand zugeteilt.". Every page ends with the time of
// generatedAt in Berlin and "Seite N von M".
func WorkingGroupLists(w io.Writer, ev *event.Event, slots []workinggroup.Slot, groups []workinggroup.Group, assignments []workinggroup.Assignment, regs []registration.Registration, municipalities map[int64]municipality.Municipality, generatedAt time.Time) error {
	if ev == nil {
		return errors.New("render working group lists: no event")
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render working group lists of %s: %w", ev.Name(), err)
	}
	l := &groupLists{
		g:     g,
		ev:    ev,
		munis: municipalities,
		stand: standLine(generatedAt),
		f:     newPDF(g.clean("Arbeitsgruppen – "+ev.Name()), generatedAt),
	}
	l.cols = []column{
		{title: "Nr.", w: wgColNr, align: "R"},
		{title: "Name", w: wgColName, align: "L"},
		{title: "Kommune/Organisation", w: wgColOrg, align: "L"},
		{title: "Funktion", w: contentW - wgColNr - wgColName - wgColOrg - wgColRole, align: "L"},
		{title: "Rolle", w: wgColRole, align: "L"},
	}
	l.build(slots, groups, assignments, regs)
	total := 0
	for _, sh := range l.sheets {
		total += len(sh.pages)
	}
	n := 0
	for _, sh := range l.sheets {
		for i, rows := range sh.pages {
			n++
			l.drawPage(sh, i, rows, n, total)
		}
	}
	if err := l.f.Output(w); err != nil {
		return fmt.Errorf("render working group lists of %s: %w", ev.Name(), err)
	}
	return nil
}

// WorkingGroupLabel names a working group in a participant's row or on a
// badge: Name is its number in the slot and its title, "AG 2: Zugänge
// erleichtern", and Theme its theme, "Lotsenmodelle", or "". Documents
// print the theme apart from the title, not after a dash: titles have
// dashes of their own ("Übergänge Kita – Grundschule").
type WorkingGroupLabel struct {
	Name  string
	Theme string
}

// WorkingGroupLabels names the groups each registration is assigned to,
// for the participant list and the badges: registration ID → one label
// per slot in slot order. It returns nil when nobody is assigned.
func WorkingGroupLabels(slots []workinggroup.Slot, groups []workinggroup.Group, assignments []workinggroup.Assignment) map[int64][]WorkingGroupLabel {
	numbered := numberGroups(slots, groups)
	byID := make(map[int64]int, len(numbered))
	for i, ng := range numbered {
		byID[ng.g.ID] = i
	}
	order := map[int64][]int{} // registration → indexes into numbered
	for _, a := range assignments {
		if i, ok := byID[a.WorkingGroupID]; ok {
			order[a.RegistrationID] = append(order[a.RegistrationID], i)
		}
	}
	if len(order) == 0 {
		return nil
	}
	out := make(map[int64][]WorkingGroupLabel, len(order))
	for id, idx := range order {
		sort.Ints(idx)
		labels := make([]WorkingGroupLabel, 0, len(idx))
		for k, i := range idx {
			if k > 0 && idx[k-1] == i {
				continue
			}
			labels = append(labels, numbered[i].label())
		}
		out[id] = labels
	}
	return out
}

// numberedGroup is a group with its slot and its number in the slot.
type numberedGroup struct {
	g    *workinggroup.Group
	slot *workinggroup.Slot // nil when the slot is unknown
	n    int                // 1 for the first group of the slot
}

// label is "AG 2: Zugänge erleichtern" with the theme "Lotsenmodelle".
func (ng numberedGroup) label() WorkingGroupLabel {
	return WorkingGroupLabel{
		Name:  "AG " + strconv.Itoa(ng.n) + ": " + strings.TrimSpace(ng.g.Title),
		Theme: strings.TrimSpace(ng.g.Theme),
	}
}

// numberGroups orders groups by slot – in time order, groups of unknown
// slots last – then by position, and numbers them from 1 within each
// slot. Numbering by order rather than by the stored position keeps the
// numbers gapless when a group was deleted.
func numberGroups(slots []workinggroup.Slot, groups []workinggroup.Group) []numberedGroup {
	sorted := make([]*workinggroup.Slot, len(slots))
	for i := range slots {
		sorted[i] = &slots[i]
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Day != b.Day {
			return a.Day.Before(b.Day)
		}
		as, _ := event.ParseClock(a.StartsAt)
		bs, _ := event.ParseClock(b.StartsAt)
		if as != bs {
			return as < bs
		}
		return a.ID < b.ID
	})
	rank := make(map[int64]int, len(sorted))
	bySlot := make(map[int64]*workinggroup.Slot, len(sorted))
	for i, s := range sorted {
		rank[s.ID] = i
		bySlot[s.ID] = s
	}
	out := make([]numberedGroup, len(groups))
	for i := range groups {
		out[i] = numberedGroup{g: &groups[i], slot: bySlot[groups[i].SlotID]}
	}
	slotRank := func(ng numberedGroup) int {
		if r, ok := rank[ng.g.SlotID]; ok {
			return r
		}
		return len(sorted)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := slotRank(a), slotRank(b); ra != rb {
			return ra < rb
		}
		if a.g.SlotID != b.g.SlotID {
			return a.g.SlotID < b.g.SlotID
		}
		if a.g.Position != b.g.Position {
			return a.g.Position < b.g.Position
		}
		return a.g.ID < b.g.ID
	})
	for i := range out {
		out[i].n = 1
		if i > 0 && out[i-1].g.SlotID == out[i].g.SlotID {
			out[i].n = out[i-1].n + 1
		}
	}
	return out
}

// groupLists is one rendering in progress.
type groupLists struct {
	f      *fpdf.Fpdf
	g      *glyphs
	ev     *event.Event
	munis  map[int64]municipality.Municipality
	cols   []column
	stand  string
	sheets []*sheet
}

// sheet is the pages of one group.
type sheet struct {
	kicker   string
	name     []string // the meeting, wrapped
	when     []string // day, hours and label of the slot, wrapped
	headerH  float64  // height of the page header
	number   string   // "AG 2"
	title    []string
	theme    []string
	facts    []fact
	blockH   float64  // height of the group block on the first page
	contHead []string // heading of continuation pages
	rows     []groupRow
	pages    [][]groupRow
}

// fact is a labelled line block such as "Raum: Saal 2"; lines after the
// first are indented to the value. A room that names itself ("Raum 2")
// stands without a label.
type fact struct {
	label  string
	labelW float64
	lines  []string
}

// groupRow is one participant in a group's table.
type groupRow struct {
	cells [][]string
	h     float64
	shade bool
}

// member is a participant of a group with the role shown.
type member struct {
	person
	role string
}

// build turns the groups into sheets and paginates them.
func (l *groupLists) build(slots []workinggroup.Slot, groups []workinggroup.Group, assignments []workinggroup.Assignment, regs []registration.Registration) {
	confirmed := make(map[int64]*registration.Registration, len(regs))
	for i := range regs {
		if regs[i].Status == registration.Confirmed {
			confirmed[regs[i].ID] = &regs[i]
		}
	}
	members := map[int64][]member{}
	seen := map[[2]int64]bool{}
	for _, a := range assignments {
		r, ok := confirmed[a.RegistrationID]
		key := [2]int64{a.WorkingGroupID, a.RegistrationID}
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		m := member{person: newPerson(r)}
		switch a.Role {
		case workinggroup.Speaker:
			m.role = markerSpeaker
		case workinggroup.Moderator:
			m.role = markerModerator
		}
		members[a.WorkingGroupID] = append(members[a.WorkingGroupID], m)
	}
	for _, ng := range numberGroups(slots, groups) {
		ms := members[ng.g.ID]
		// An input's speaker counts as giving it even when the
		// assignment lacks the role.
		for i := range ms {
			for _, in := range ng.g.Inputs {
				if ms[i].role == "" && in.RegistrationID != nil && *in.RegistrationID == ms[i].reg.ID {
					ms[i].role = markerSpeaker
				}
			}
		}
		sh := l.sheet(ng, ms, confirmed)
		l.paginate(sh)
		l.sheets = append(l.sheets, sh)
	}
	if len(l.sheets) == 0 {
		sh := &sheet{kicker: "ARBEITSGRUPPEN"}
		l.layoutHeader(sh, nil)
		sh.contHead = []string{"Für diese Veranstaltung sind keine Arbeitsgruppen angelegt."}
		sh.pages = [][]groupRow{nil}
		l.sheets = append(l.sheets, sh)
	}
}

// sheet lays out the first-page block and the rows of one group.
func (l *groupLists) sheet(ng numberedGroup, ms []member, confirmed map[int64]*registration.Registration) *sheet {
	f, g := l.f, l.g
	sh := &sheet{kicker: "ARBEITSGRUPPE", number: "AG " + strconv.Itoa(ng.n)}
	l.layoutHeader(sh, ng.slot)

	title := g.clean(ng.g.Title)
	setFont(f, "B", 18, colText)
	sh.title = wrap(f, title, contentW, 3)
	if theme := g.clean(ng.g.Theme); theme != "" {
		setFont(f, "I", 11, colText)
		sh.theme = wrap(f, theme, contentW, 3)
	}
	if label, room := roomParts(g.clean(ng.g.Room)); room != "" {
		sh.facts = append(sh.facts, l.fact(label, []string{room}, 2))
	}
	moderators := g.clean(ng.g.Moderators)
	if moderators == "" {
		var names []string
		for _, m := range ms {
			if m.role == markerModerator {
				names = append(names, m.reg.FullName())
			}
		}
		moderators = g.clean(strings.Join(names, ", "))
	}
	if moderators != "" {
		sh.facts = append(sh.facts, l.fact("Moderation:", []string{moderators}, 4))
	}
	if len(ng.g.Inputs) > 0 {
		label := "Input:"
		if len(ng.g.Inputs) > 1 {
			label = "Inputs:"
		}
		var inputs []string
		for _, in := range ng.g.Inputs {
			inputs = append(inputs, l.inputText(in, confirmed))
		}
		sh.facts = append(sh.facts, l.fact(label, inputs, wgMaxInputs))
	}
	occupancy := countParticipants(len(ms))
	if ng.g.Capacity > 0 {
		occupancy = strconv.Itoa(len(ms)) + " von " + plural(ng.g.Capacity, "Platz", "Plätzen") + " belegt"
	}
	sh.facts = append(sh.facts, l.fact("Teilnehmende:", []string{occupancy}, 1))

	sh.blockH = wgNumberH + wgTitleH*float64(len(sh.title)) + wgThemeH*float64(len(sh.theme)) + 3
	for _, fc := range sh.facts {
		sh.blockH += wgFactH * float64(len(fc.lines))
	}
	sh.blockH += 5

	setFont(f, "B", 10.5, colAccent)
	sh.contHead = wrap(f, g.clean(sh.number+": "+ng.g.Title+" (Fortsetzung)"), contentW, 2)

	people := make([]person, len(ms))
	roles := make(map[int64]string, len(ms))
	for i, m := range ms {
		people[i] = m.person
		roles[m.reg.ID] = m.role
	}
	sortPeople(people)
	setFont(f, "", 9, colText)
	for i, p := range people {
		r := p.reg
		texts := []string{strconv.Itoa(i + 1), displayName(r), l.origin(r), r.Function, roles[r.ID]}
		row := groupRow{cells: make([][]string, len(texts)), shade: i%2 == 1}
		lines := 1
		for k, t := range texts {
			row.cells[k] = wrap(f, g.clean(t), l.cols[k].w, maxCellLines)
			lines = max(lines, len(row.cells[k]))
		}
		row.h = rowLineH*float64(lines) + 2*rowPadV
		sh.rows = append(sh.rows, row)
	}
	return sh
}

// layoutHeader wraps the page header: the meeting, then the slot's day,
// hours and label, or the meeting's days when the slot is unknown.
func (l *groupLists) layoutHeader(sh *sheet, slot *workinggroup.Slot) {
	f, g := l.f, l.g
	setFont(f, "B", 13, colText)
	sh.name = wrap(f, g.clean(l.ev.Name()), contentW, 2)
	var when []string
	if slot != nil {
		for _, s := range []string{slot.Day.GermanLong(), event.Hours{Start: slot.StartsAt, End: slot.EndsAt}.Text(), slot.Label} {
			if s = strings.TrimSpace(s); s != "" {
				when = append(when, s)
			}
		}
	} else if days := l.ev.Days.Normalize().German(); days != "" {
		when = append(when, days)
	}
	if len(when) > 0 {
		setFont(f, "", 9.5, colMuted)
		sh.when = wrap(f, g.clean(strings.Join(when, " · ")), contentW, 2)
	}
	sh.headerH = wgKickerH + wgNameH*float64(len(sh.name)) + wgWhenH*float64(len(sh.when)) + 6
}

// fact wraps a labelled block; each value starts on a line of its own.
func (l *groupLists) fact(label string, values []string, maxLines int) fact {
	f := l.f
	fc := fact{label: label}
	if label != "" {
		setFont(f, "B", 9.5, colText)
		fc.labelW = f.GetStringWidth(label + " ")
	}
	setFont(f, "", 9.5, colText)
	fc.lines = wrapEach(f, l.g, values, contentW-fc.labelW, maxLines)
	return fc
}

// inputText is the input as lists show it (workinggroup.Input.Line):
// "Stadt Ahlen – Steuerungsstruktur (Maria Muster)", the municipality
// named once even when the title starts with it. The speaker's
// registration supplies the name when none was typed.
func (l *groupLists) inputText(in workinggroup.Input, confirmed map[int64]*registration.Registration) string {
	if strings.TrimSpace(in.Speaker) == "" && in.RegistrationID != nil {
		if r, ok := confirmed[*in.RegistrationID]; ok {
			in.Speaker = r.FullName()
		}
	}
	return in.Line(municipalityName(l.munis, in.MunicipalityID))
}

// origin is the participant's municipality or, failing that, organisation.
func (l *groupLists) origin(r *registration.Registration) string {
	if r.MunicipalityID != nil {
		if m, ok := l.munis[*r.MunicipalityID]; ok {
			return m.Name
		}
	}
	return r.Organisation
}

// paginate distributes a group's rows over its pages.
func (l *groupLists) paginate(sh *sheet) {
	first := marginT + sh.headerH + sh.blockH + tableHeadH
	cont := marginT + sh.headerH + wgContH*float64(len(sh.contHead)) + 3 + tableHeadH
	top := first
	y := top
	page := []groupRow{}
	for _, r := range sh.rows {
		if y+r.h > contentBottom && y > top {
			sh.pages = append(sh.pages, page)
			page = []groupRow{}
			top = cont
			y = top
		}
		page = append(page, r)
		y += r.h
	}
	sh.pages = append(sh.pages, page)
}

func (l *groupLists) drawPage(sh *sheet, i int, rows []groupRow, n, total int) {
	f := l.f
	f.AddPage()
	y := l.drawHeader(sh)
	switch {
	case sh.number == "": // the meeting has no groups
		setFont(f, "I", 10, colMuted)
		f.SetXY(marginX, y+3)
		f.CellFormat(contentW, 6, sh.contHead[0], "", 0, "LM", false, 0, "")
	case i == 0:
		y = l.drawBlock(sh, y)
	default:
		setFont(f, "B", 10.5, colAccent)
		for _, s := range sh.contHead {
			f.SetXY(marginX, y)
			f.CellFormat(contentW, wgContH, s, "", 0, "L", false, 0, "")
			y += wgContH
		}
		y += 3
	}
	if sh.number != "" {
		if len(sh.rows) == 0 {
			setFont(f, "I", 10, colMuted)
			f.SetXY(marginX, y+2)
			f.CellFormat(contentW, 6, "Noch niemand zugeteilt.", "", 0, "LM", false, 0, "")
		} else {
			l.drawTableHead(y)
			y += tableHeadH
			for _, r := range rows {
				l.drawRow(r, y)
				y += r.h
			}
		}
	}
	drawFooter(f, l.stand, n, total)
}

// drawHeader writes the page header and returns the y below it.
func (l *groupLists) drawHeader(sh *sheet) float64 {
	f := l.f
	y := marginT
	setFont(f, "B", 8.5, colAccent)
	f.SetXY(marginX, y)
	f.CellFormat(contentW, wgKickerH, sh.kicker, "", 0, "L", false, 0, "")
	y += wgKickerH
	setFont(f, "B", 13, colText)
	for _, s := range sh.name {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, wgNameH, s, "", 0, "L", false, 0, "")
		y += wgNameH
	}
	setFont(f, "", 9.5, colMuted)
	for _, s := range sh.when {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, wgWhenH, s, "", 0, "L", false, 0, "")
		y += wgWhenH
	}
	y += 2
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX+f.GetCellMargin(), y, pageW-marginX-f.GetCellMargin(), y)
	return marginT + sh.headerH
}

// drawBlock writes the group's number, title, theme and facts and
// returns the y below them.
func (l *groupLists) drawBlock(sh *sheet, y float64) float64 {
	f := l.f
	setFont(f, "B", 11, colAccent)
	f.SetXY(marginX, y)
	f.CellFormat(contentW, wgNumberH, sh.number, "", 0, "LM", false, 0, "")
	y += wgNumberH
	setFont(f, "B", 18, colText)
	for _, s := range sh.title {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, wgTitleH, s, "", 0, "LM", false, 0, "")
		y += wgTitleH
	}
	setFont(f, "I", 11, colText)
	for _, s := range sh.theme {
		f.SetXY(marginX, y)
		f.CellFormat(contentW, wgThemeH, s, "", 0, "LM", false, 0, "")
		y += wgThemeH
	}
	y += 3
	for _, fc := range sh.facts {
		if fc.label != "" {
			setFont(f, "B", 9.5, colText)
			f.SetXY(marginX, y)
			f.CellFormat(fc.labelW, wgFactH, fc.label, "", 0, "LM", false, 0, "")
		}
		setFont(f, "", 9.5, colText)
		for _, s := range fc.lines {
			f.SetXY(marginX+fc.labelW, y)
			f.CellFormat(contentW-fc.labelW, wgFactH, s, "", 0, "LM", false, 0, "")
			y += wgFactH
		}
	}
	return y + 5
}

func (l *groupLists) drawTableHead(y float64) {
	f := l.f
	f.SetFillColor(colTint.r, colTint.g, colTint.b)
	f.Rect(marginX, y, contentW, tableHeadH, "F")
	setFont(f, "B", 8.5, colAccent)
	x := marginX
	for _, c := range l.cols {
		f.SetXY(x, y)
		f.CellFormat(c.w, tableHeadH, c.title, "", 0, c.align+"M", false, 0, "")
		x += c.w
	}
}

func (l *groupLists) drawRow(r groupRow, y float64) {
	f := l.f
	if r.shade {
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.Rect(marginX, y, contentW, r.h, "F")
	}
	x := marginX
	last := len(l.cols) - 1
	for i, c := range l.cols {
		switch i {
		case 0:
			setFont(f, "", 9, colMuted)
		case last:
			setFont(f, "B", 9, colAccent)
		default:
			setFont(f, "", 9, colText)
		}
		for k, s := range r.cells[i] {
			f.SetXY(x, y+rowPadV+rowLineH*float64(k))
			f.CellFormat(c.w, rowLineH, s, "", 0, c.align+"M", false, 0, "")
		}
		x += c.w
	}
}
