package document

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Measures of the confirmation in millimetres at full size. The body
// between letterhead and footer shrinks in steps when long entries would
// not fit one page.
const (
	confLetterheadY = 14.0
	confFooterY     = pageH - 15 // thin rule above the footer
	confBottom      = confFooterY - 4
	confLabelW      = 40.0 // label column of the person and meeting details
	confMaxDayLines = 6    // more attended days are listed in short form, in runs of days alike
)

// Colours of the three states, muted to sit with the house style.
var (
	colConfirmed  = colAccent
	colWaitlisted = rgb{176, 112, 0}
	colCancelled  = rgb{168, 45, 45}
)

// Confirmation writes a registration's confirmation as a one-page A4 PDF
// to w, for the participant to keep or hand to their employer: an
// Anmeldebestätigung, a "Bestätigung: Warteliste" naming waitlistPosition
// (0 when unknown) or a Stornierung with its date. It shows the person
// with municipalityName (the registration's organisation when empty), the
// meeting with the days the person attends, the registration number and
// date, and manageURL, the person's link to change or cancel. organiser
// heads the page, e.g. "Institut für Soziale Arbeit e.V. (ISA) ·
// Servicestelle Prävention"; the part before " · " is set in bold. The
// footer gives generatedAt in Berlin.
//
// schedule gives the hours of each day (ev.Schedule with the programme's
// hours, agenda.Spans), as the mails show them: "Mittwoch, 13. September
// 2017, 10:00–16:00 Uhr" and "Donnerstag, 14. September 2017,
// 09:00–14:00 Uhr"; nil means the meeting's own times on every day.
func Confirmation(w io.Writer, ev *event.Event, schedule event.Schedule, reg *registration.Registration, municipalityName string, waitlistPosition int, organiser string, manageURL string, generatedAt time.Time) error {
	switch {
	case ev == nil:
		return errors.New("render confirmation: no event")
	case reg == nil:
		return fmt.Errorf("render confirmation for %s: no registration", ev.Name())
	case reg.EventID != 0 && ev.ID != 0 && reg.EventID != ev.ID:
		return fmt.Errorf("render confirmation of registration %d: it belongs to event %d, not %d", reg.ID, reg.EventID, ev.ID)
	}
	switch reg.Status {
	case registration.Confirmed, registration.Waitlisted, registration.Cancelled, registration.Pending, registration.Declined:
	default:
		return fmt.Errorf("render confirmation of registration %d: unknown status %q", reg.ID, reg.Status)
	}
	g, err := newGlyphs()
	if err != nil {
		return fmt.Errorf("render confirmation of registration %d: %w", reg.ID, err)
	}
	c := newConfirmation(g, ev, scheduleOf(ev, schedule), reg, municipalityName, waitlistPosition, organiser, manageURL, generatedAt)
	c.f = newPDF(g.clean(c.title+" – "+ev.Name()), generatedAt)
	if c.letterhead != "" {
		c.f.SetAuthor(c.letterhead, true)
	}
	// Measure at decreasing sizes until the body fits, then draw.
	for _, s := range []float64{1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7} {
		c.s = s
		if c.layout() <= confBottom {
			break
		}
	}
	c.draw = true
	c.f.AddPage()
	c.layout()
	c.drawFooter()
	if err := c.f.Output(w); err != nil {
		return fmt.Errorf("render confirmation of registration %d: %w", reg.ID, err)
	}
	return nil
}

// confField is a labelled entry of the details: one or more parts, each
// wrapped to at most max lines.
type confField struct {
	label string
	parts []confPart
}

type confPart struct {
	text  string
	style string // "", "B" or "I"
	muted bool
	max   int
}

// confFact is one cell of the box with number, date and status.
type confFact struct {
	label, value string
	col          rgb
}

// confirmation is one rendering in progress. All text is cleaned.
type confirmation struct {
	f    *fpdf.Fpdf
	s    float64 // scale of the body
	draw bool    // false while measuring

	letterhead  string
	title       string
	statusCol   rgb
	intro       string
	facts       []confFact
	person      []confField
	meeting     []confField
	manageLabel string
	manageURL   string
	manageNote  string
	footerLeft  string
	footerRight string
}

func newConfirmation(g *glyphs, ev *event.Event, schedule event.Schedule, reg *registration.Registration, municipalityName string, position int, organiser, manageURL string, generatedAt time.Time) *confirmation {
	berlin := day.Location()
	c := &confirmation{
		letterhead:  g.clean(organiser),
		manageURL:   strings.TrimSpace(manageURL),
		footerLeft:  "Erstellt am " + generatedAt.In(berlin).Format("02.01.2006 15:04"),
		footerRight: "Anmeldenummer " + strconv.FormatInt(reg.ID, 10),
	}
	if c.letterhead == "" {
		c.letterhead = g.clean(ev.Organiser)
	}
	registered := ""
	if !reg.CreatedAt.IsZero() {
		registered = reg.CreatedAt.In(berlin).Format("02.01.2006, 15:04") + " Uhr"
	}
	eventCancelled := ""
	if ev.Status == event.Cancelled {
		eventCancelled = " Bitte beachten Sie: Die Veranstaltung wurde inzwischen abgesagt."
	}

	var status string
	switch reg.Status {
	case registration.Confirmed:
		c.title, c.statusCol, status = "Anmeldebestätigung", colConfirmed, "Bestätigt"
		c.intro = "Hiermit bestätigen wir Ihre verbindliche Anmeldung zu folgender Veranstaltung. " +
			"Ihr Platz ist für Sie reserviert; wir freuen uns auf Ihre Teilnahme." + eventCancelled
		c.manageLabel = "Änderungen und Stornierung:"
		c.manageNote = "Über diesen persönlichen Link können Sie Ihre Angaben ändern oder Ihre Anmeldung stornieren, " +
			"falls Sie nicht teilnehmen können – dann rückt die nächste Person von der Warteliste nach. " +
			"Wer den Link kennt, kann Ihre Anmeldung ändern oder stornieren."
	case registration.Waitlisted:
		c.title, c.statusCol, status = "Bestätigung: Warteliste", colWaitlisted, "Warteliste"
		place := "stehen Sie auf der Warteliste."
		if position > 0 {
			status += " · Platz " + strconv.Itoa(position)
			place = "stehen Sie auf Platz " + strconv.Itoa(position) + " der Warteliste."
		}
		c.intro = "Ihre Anmeldung zu folgender Veranstaltung ist bei uns eingegangen. Da derzeit keine Plätze frei sind, " +
			place + " Dies ist noch keine Teilnahmezusage: Sobald ein Platz frei wird, rücken Sie automatisch nach " +
			"und erhalten eine Bestätigung per E-Mail." + eventCancelled
		c.manageLabel = "Änderungen und Stornierung:"
		c.manageNote = "Über diesen persönlichen Link können Sie Ihre Angaben ändern oder sich von der Warteliste abmelden. " +
			"Wer den Link kennt, kann Ihre Anmeldung ändern oder stornieren."
	case registration.Cancelled:
		c.title, c.statusCol, status = "Stornierung", colCancelled, "Storniert"
		when := ""
		if reg.CancelledAt != nil {
			t := reg.CancelledAt.In(berlin)
			status += " am " + t.Format("02.01.2006")
			when = " Ihre Anmeldung wurde am " + t.Format("02.01.2006 um 15:04") + " Uhr storniert."
		}
		c.intro = "Hiermit bestätigen wir die Stornierung Ihrer Anmeldung zu folgender Veranstaltung." + when +
			" Ein Platz ist für Sie nicht mehr reserviert."
		c.manageLabel = "Ihre Anmeldung online:"
		c.manageNote = "Über diesen persönlichen Link können Sie Ihre stornierte Anmeldung einsehen."
	case registration.Pending:
		c.title, c.statusCol, status = "Eingangsbestätigung", colWaitlisted, "In Prüfung"
		c.intro = "Ihre Anmeldung zu folgender Veranstaltung ist bei uns eingegangen. Die Anmeldungen werden vom Veranstalter " +
			"geprüft; dies ist noch keine Teilnahmezusage. Über die Entscheidung informieren wir Sie per E-Mail." + eventCancelled
		c.manageLabel = "Änderungen und Rückzug:"
		c.manageNote = "Über diesen persönlichen Link können Sie Ihre Angaben ändern oder Ihre Anmeldung zurückziehen. " +
			"Wer den Link kennt, kann Ihre Anmeldung ändern oder stornieren."
	case registration.Declined:
		c.title, c.statusCol, status = "Absage", colCancelled, "Abgelehnt"
		c.intro = "Leider können wir Ihre Anmeldung zu folgender Veranstaltung nicht annehmen."
		if reg.DeclineReason != "" {
			c.intro += " Begründung: " + reg.DeclineReason
		}
		c.manageLabel = "Ihre Anmeldung online:"
		c.manageNote = "Über diesen persönlichen Link können Sie Ihre Anmeldung einsehen."
	}
	c.intro = g.clean(c.intro)
	c.facts = []confFact{
		{"Anmeldenummer", strconv.FormatInt(reg.ID, 10), colText},
		{"Angemeldet am", registered, colText},
		{"Status", status, c.statusCol},
	}
	if registered == "" {
		c.facts = append(c.facts[:1], c.facts[2])
	}

	// The person.
	c.person = appendField(c.person, g, "Name", confPart{text: reg.FullName(), style: "B", max: 2})
	c.person = appendField(c.person, g, "Funktion", confPart{text: reg.Function, max: 3})
	body, bodyLabel := strings.TrimSpace(municipalityName), "Kommune"
	if reg.MunicipalityID == nil {
		bodyLabel = "Organisation"
	}
	if body == "" {
		body, bodyLabel = reg.Organisation, "Organisation"
	}
	c.person = appendField(c.person, g, bodyLabel, confPart{text: body, max: 2})
	c.person = appendField(c.person, g, "E-Mail", confPart{text: reg.Email, max: 2})

	// The meeting.
	c.meeting = appendField(c.meeting, g, "Veranstaltung",
		confPart{text: ev.Name(), style: "B", max: 2},
		confPart{text: ev.Subtitle(), max: 2},
		confPart{text: quotedMotto(g.clean(ev.Motto)), style: "I", max: 3})
	dayLabel, days := attendedDayParts(ev, schedule, reg)
	c.meeting = appendField(c.meeting, g, dayLabel, days...)
	var place []confPart
	for _, s := range venueLines(ev) {
		place = append(place, confPart{text: s, max: 2})
	}
	c.meeting = appendField(c.meeting, g, "Ort", place...)
	meetingOrganiser := ev.Organiser
	if strings.TrimSpace(meetingOrganiser) == "" {
		meetingOrganiser, _, _ = strings.Cut(organiser, " · ")
	}
	c.meeting = appendField(c.meeting, g, "Veranstalter", confPart{text: meetingOrganiser, max: 2})
	var co []confPart
	for _, s := range splitLines(ev.CoOrganisers) {
		co = append(co, confPart{text: s, max: 2})
	}
	if len(co) > 3 {
		co = co[:3]
		co[2].text += " …"
	}
	c.meeting = appendField(c.meeting, g, "In Kooperation mit", co...)
	return c
}

// appendField adds a field with its non-empty parts, cleaned; a field
// without any is left out.
func appendField(fields []confField, g *glyphs, label string, parts ...confPart) []confField {
	fd := confField{label: label}
	for _, p := range parts {
		if p.text = g.clean(p.text); p.text != "" {
			fd.parts = append(fd.parts, p)
		}
	}
	if len(fd.parts) == 0 {
		return fields
	}
	return append(fields, fd)
}

// attendedDayParts lists the days the person attends with their hours
// (dayLines), and notes when that is only part of the meeting. No days
// given is read as all days, as the registration form preselects them.
func attendedDayParts(ev *event.Event, schedule event.Schedule, reg *registration.Registration) (label string, parts []confPart) {
	meeting := ev.Days.Normalize()
	var mine day.List
	for _, d := range reg.Days.Normalize() {
		if meeting.Contains(d) {
			mine = append(mine, d)
		}
	}
	if len(mine) == 0 {
		mine = meeting
	}
	label = "Termine"
	if len(mine) == 1 {
		label = "Termin"
	}
	lineMax := 2
	if len(mine) > confMaxDayLines {
		lineMax = 3 // runs of days are longer
	}
	for _, text := range dayLines(ev, schedule, mine, confMaxDayLines) {
		parts = append(parts, confPart{text: text, max: lineMax})
	}
	if len(mine) < len(meeting) {
		parts = append(parts, confPart{text: fmt.Sprintf("Teilnahme an %d von %d Veranstaltungstagen", len(mine), len(meeting)), muted: true, max: 1})
	}
	return label, parts
}

// splitLines splits user text at line breaks and semicolons into
// trimmed, non-empty lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// quotedMotto puts a motto in German quotes unless it brings its own.
func quotedMotto(motto string) string {
	if motto == "" {
		return ""
	}
	if first, _ := utf8.DecodeRuneInString(motto); strings.ContainsRune("„“”‚‘\"'«»", first) {
		return motto
	}
	return "„" + motto + "“"
}

// font sets a font of the body at the current scale.
func (c *confirmation) font(style string, size float64, col rgb) {
	setFont(c.f, style, size*c.s, col)
}

// text writes one line when drawing.
func (c *confirmation) text(x, y, w, h float64, s, align string) {
	if c.draw {
		c.f.SetXY(x, y)
		c.f.CellFormat(w, h, s, "", 0, align, false, 0, "")
	}
}

// layout measures the page and, when c.draw is set, draws it. It returns
// the y below the body.
func (c *confirmation) layout() float64 {
	f, s := c.f, c.s
	y := c.drawLetterhead()

	// Title and introduction.
	y += 11 * s
	c.font("B", 20, colText)
	c.text(marginX, y, contentW, 9*s, c.title, "L")
	y += 9*s + 3*s
	c.font("", 10, colText)
	for _, l := range wrap(f, c.intro, contentW, 6) {
		c.text(marginX, y, contentW, 5.2*s, l, "L")
		y += 5.2 * s
	}

	// Number, date and status.
	y += 5 * s
	boxH := 15 * s
	if c.draw {
		f.SetFillColor(colShade.r, colShade.g, colShade.b)
		f.Rect(marginX, y, contentW, boxH, "F")
		f.SetFillColor(c.statusCol.r, c.statusCol.g, c.statusCol.b)
		f.Rect(marginX, y, 1.2, boxH, "F")
	}
	colW := (contentW - 3) / float64(len(c.facts))
	for i, fact := range c.facts {
		x := marginX + 3 + colW*float64(i)
		c.font("", 7.5, colMuted)
		c.text(x, y+2.2*s, colW, 4*s, fact.label, "L")
		c.font("B", 10.5, fact.col)
		c.text(x, y+7*s, colW, 5.5*s, wrap(f, fact.value, colW, 1)[0], "L")
	}
	y += boxH

	// Details.
	y += 7 * s
	y = c.section(y, "ANGEMELDETE PERSON", c.person)
	y += 5 * s
	y = c.section(y, "VERANSTALTUNG", c.meeting)

	// The link to change or cancel.
	if c.manageURL != "" {
		y += 5 * s
		if c.draw {
			f.SetDrawColor(colRule.r, colRule.g, colRule.b)
			f.SetLineWidth(0.2)
			f.Line(marginX, y, marginX+contentW, y)
		}
		y += 3.5 * s
		lh := 4.8 * s
		c.font("B", 9.5, colText)
		labelW := f.GetStringWidth(c.manageLabel+" ") + f.GetCellMargin()
		c.font("", 9.5, colAccent)
		url := c.manageURL
		if labelW+f.GetStringWidth(url)+2*f.GetCellMargin() <= contentW {
			c.font("B", 9.5, colText)
			c.text(marginX, y, labelW, lh, c.manageLabel, "L")
			c.font("", 9.5, colAccent)
			c.link(marginX+labelW-f.GetCellMargin(), y, contentW-labelW+f.GetCellMargin(), lh, url)
			y += lh
		} else {
			c.font("B", 9.5, colText)
			c.text(marginX, y, contentW, lh, c.manageLabel, "L")
			y += lh
			c.font("", 9.5, colAccent)
			for _, l := range wrap(f, url, contentW, 3) {
				c.link(marginX, y, contentW, lh, l)
				y += lh
			}
		}
		y += 1.2 * s
		c.font("", 8.5, colMuted)
		for _, l := range wrap(f, c.manageNote, contentW, 3) {
			c.text(marginX, y, contentW, 4.2*s, l, "L")
			y += 4.2 * s
		}
	}
	return y
}

// link writes a line of the manage URL that opens the whole URL.
func (c *confirmation) link(x, y, w, h float64, line string) {
	c.text(x, y, w, h, line, "L")
	if c.draw {
		c.f.LinkString(x, y, min(w, c.f.GetStringWidth(line)+2*c.f.GetCellMargin()), h, c.manageURL)
	}
}

// drawLetterhead writes the organiser above an accent rule and returns
// the y below it. It does not scale.
func (c *confirmation) drawLetterhead() float64 {
	f := c.f
	y := confLetterheadY
	if c.letterhead == "" {
		return y
	}
	const lh = 4.5
	name, unit, split := strings.Cut(c.letterhead, " · ")
	setFont(f, "B", 9, colAccent)
	nameW := f.GetStringWidth(name)
	setFont(f, "", 9, colMuted)
	rest := " · " + unit
	if split && nameW+f.GetStringWidth(rest)+2*f.GetCellMargin() <= contentW {
		setFont(f, "B", 9, colAccent)
		c.text(marginX, y, nameW+2*f.GetCellMargin(), lh, name, "L")
		setFont(f, "", 9, colMuted)
		c.text(marginX+nameW, y, contentW-nameW, lh, rest, "L")
		y += lh
	} else {
		setFont(f, "B", 9, colAccent)
		for _, l := range wrap(f, c.letterhead, contentW, 2) {
			c.text(marginX, y, contentW, lh, l, "L")
			y += lh
		}
	}
	y += 2
	if c.draw {
		f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
		f.SetLineWidth(0.5)
		f.Line(marginX, y, marginX+contentW, y)
	}
	return y
}

// section writes a heading with a rule and the fields as label and value
// columns, returning the y below them.
func (c *confirmation) section(y float64, heading string, fields []confField) float64 {
	f, s := c.f, c.s
	c.font("B", 8.5, colAccent)
	c.text(marginX, y, contentW, 5*s, heading, "L")
	y += 5.5 * s
	if c.draw {
		f.SetDrawColor(colRule.r, colRule.g, colRule.b)
		f.SetLineWidth(0.2)
		f.Line(marginX, y, marginX+contentW, y)
	}
	y += 2.5 * s
	lh := 5 * s
	valueW := contentW - confLabelW
	for i, fd := range fields {
		if i > 0 {
			y += 1.8 * s
		}
		c.font("", 9, colMuted)
		c.text(marginX, y, confLabelW, lh, fd.label, "L")
		for _, p := range fd.parts {
			if p.muted {
				c.font(p.style, 9, colMuted)
			} else {
				c.font(p.style, 10, colText)
			}
			for _, l := range wrap(f, p.text, valueW, p.max) {
				c.text(marginX+confLabelW, y, valueW, lh, l, "L")
				y += lh
			}
		}
	}
	return y
}

func (c *confirmation) drawFooter() {
	f := c.f
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.Line(marginX, confFooterY, marginX+contentW, confFooterY)
	setFont(f, "", 8, colMuted)
	f.SetXY(marginX, confFooterY+1)
	f.CellFormat(contentW/2, 5, c.footerLeft, "", 0, "LM", false, 0, "")
	f.SetXY(marginX+contentW/2, confFooterY+1)
	f.CellFormat(contentW/2, 5, c.footerRight, "", 0, "RM", false, 0, "")
}
