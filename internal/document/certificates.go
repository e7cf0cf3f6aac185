package document

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Measures of a certificate in millimetres at full size. The body
// between title and signatures shrinks in steps when long entries would
// not fit.
const (
	certTitleY     = 58.0
	certSignLineY  = pageH - 52 // the lines to sign on
	certFooterY    = pageH - 15
	certLabelW     = 44.0
	certMaxDayRows = 7 // more attended days are given as runs of days alike (dayLines)
)

// Certificates writes a Teilnahmebescheinigung for everybody who was
// checked in at ev as an A4 PDF to w: one page per person, sorted by
// name, confirming the days attended[reg.ID] with their hours,
// its motto and place, issued at the venue's city on the date of
// generatedAt and signed "Für den Veranstalter". People without a
// check-in get none; when nobody was checked in, the PDF is a single
// page that says so.
//
// organiser heads each page, e.g. "Institut für Soziale Arbeit e.V.
// (ISA) · Servicestelle Prävention", the part before " · " in bold; it
// defaults to the meeting's organiser.
//
// schedule gives the hours of each day (ev.Schedule with the programme's
// hours, agenda.Spans), as the mails show them; nil means the meeting's
// own times on every day.
func Certificates(w io.Writer, ev *event.Event, schedule event.Schedule, regs []registration.Registration, municipalities map[int64]municipality.Municipality, attended map[int64]day.List, organiser string, generatedAt time.Time) error {
	if ev == nil {
		return errors.New("render certificates: no event")
	}
	c, err := newCertificates(ev, schedule, municipalities, organiser, "Teilnahmebescheinigungen – ", generatedAt)
	if err != nil {
		return err
	}
	var people []person
	for i := range regs {
		if len(attended[regs[i].ID].Normalize()) > 0 {
			people = append(people, newPerson(&regs[i]))
		}
	}
	sortPeople(people)
	for _, p := range people {
		c.page(p.reg, attended[p.reg.ID].Normalize())
	}
	if len(people) == 0 {
		c.nobody()
	}
	if err := c.f.Output(w); err != nil {
		return fmt.Errorf("render certificates of %s: %w", ev.Name(), err)
	}
	return nil
}

// sample… are who the preview of a certificate is made out to.
const (
	sampleFirstName    = "Erika"
	sampleLastName     = "Musterfrau"
	sampleMunicipality = "Musterstadt"
)

// CertificatePreview writes the certificate of attendance of ev as
// Certificates makes it, for a sample person – Frau Erika Musterfrau of
// Musterstadt, present on every day of the meeting – so organisers and
// hosts see it before anyone is checked in. The page says across it
// "MUSTER" and at the top and bottom "Vorschau – keine gültige
// Bescheinigung".
func CertificatePreview(w io.Writer, ev *event.Event, schedule event.Schedule, organiser string, generatedAt time.Time) error {
	if ev == nil {
		return errors.New("render certificate preview: no event")
	}
	var sampleID int64 // no registration has ID 0
	munis := map[int64]municipality.Municipality{sampleID: {Name: sampleMunicipality, Kind: municipality.Stadt}}
	c, err := newCertificates(ev, schedule, munis, organiser, "Teilnahmebescheinigung (Vorschau) – ", generatedAt)
	if err != nil {
		return err
	}
	c.sample = true
	sample := registration.Registration{ID: sampleID, Salutation: "Frau", FirstName: sampleFirstName, LastName: sampleLastName,
		MunicipalityID: &sampleID, Function: "Jugendamt"}
	days := ev.Days.Normalize()
	if len(days) == 0 {
		c.nobody()
	} else {
		c.page(&sample, days)
	}
	if err := c.f.Output(w); err != nil {
		return fmt.Errorf("render certificate preview of %s: %w", ev.Name(), err)
	}
	return nil
}

// newCertificates starts a rendering; title heads the document's
// properties, followed by the meeting's name.
func newCertificates(ev *event.Event, schedule event.Schedule, municipalities map[int64]municipality.Municipality, organiser, title string, generatedAt time.Time) (*certificates, error) {
	g, err := newGlyphs()
	if err != nil {
		return nil, fmt.Errorf("render certificates of %s: %w", ev.Name(), err)
	}
	c := &certificates{g: g, ev: ev, schedule: scheduleOf(ev, schedule), munis: municipalities, issued: generatedAt.In(day.Location())}
	c.f = newPDF(g.clean(title+ev.Name()), generatedAt)
	c.letterhead = g.clean(organiser)
	if c.letterhead == "" {
		c.letterhead = g.clean(ev.Organiser)
	}
	if c.letterhead != "" {
		c.f.SetAuthor(c.letterhead, true)
	}
	c.signer = g.clean(ev.Organiser)
	if c.signer == "" {
		name, _, _ := strings.Cut(c.letterhead, " · ")
		c.signer = name
	}
	return c, nil
}

// certificates is one rendering in progress. All text is cleaned.
type certificates struct {
	f          *fpdf.Fpdf
	g          *glyphs
	ev         *event.Event
	schedule   event.Schedule
	munis      map[int64]municipality.Municipality
	issued     time.Time
	letterhead string
	signer     string // under "Für den Veranstalter"
	sample     bool   // a preview, marked as no valid certificate

	s    float64 // scale of the body
	draw bool    // false while measuring
}

// certPerson is what one certificate says.
type certPerson struct {
	name    string // "Frau Dr. Małgorzata Wójcik-Größel"
	about   string // "(Jugendamt, Stadt Ahlen)" or ""
	when    string // "am Mittwoch, 13. September 2017 und am …"
	days    []certDetail
	number  string
	summary string // "Teilnahme an 1 von 2 Veranstaltungstagen" or ""
}

type certDetail struct{ label, value string }

// page writes the certificate of r for the days it attended.
func (c *certificates) page(r *registration.Registration, days day.List) {
	p := certPerson{number: "Anmeldenummer " + strconv.FormatInt(r.ID, 10)}
	p.name = r.FullName()
	if r.Salutation == "Frau" || r.Salutation == "Herr" {
		p.name = r.Salutation + " " + p.name
	}
	var about []string
	for _, s := range []string{r.Function, c.origin(r)} {
		if s = strings.Trim(s, " ,;"); s != "" {
			about = append(about, s)
		}
	}
	if len(about) > 0 {
		p.about = "(" + strings.Join(about, ", ") + ")"
	}
	p.when = attendedDaysSentence(days)
	for i, l := range dayLines(c.ev, c.schedule, days, certMaxDayRows) {
		label := ""
		if i == 0 {
			label = "Teilnahme"
		}
		p.days = append(p.days, certDetail{label, l})
	}
	if meeting := c.ev.Days.Normalize(); len(meeting) > 1 && len(days) < len(meeting) {
		p.summary = fmt.Sprintf("an %d von %d Veranstaltungstagen", len(days), len(meeting))
	}

	for _, s := range []float64{1, 0.93, 0.86, 0.8, 0.74, 0.68} {
		c.s = s
		if c.layout(&p) <= certSignLineY-14 {
			break
		}
	}
	c.f.AddPage()
	c.draw = true
	c.layout(&p)
	c.draw = false
	c.drawSignatures()
	if c.sample {
		c.drawSampleMarks()
		p.number = sampleNote
	}
	c.drawFooter(p.number)
}

// sampleNote marks a preview.
const sampleNote = "Vorschau – keine gültige Bescheinigung"

// drawSampleMarks writes "MUSTER" across the page, light enough to read
// the certificate through, and the note above the title.
func (c *certificates) drawSampleMarks() {
	f := c.f
	setFont(f, "B", 11, colSample)
	f.SetXY(marginX, certTitleY-16)
	f.CellFormat(contentW, 6, sampleNote, "", 0, "C", false, 0, "")
	f.TransformBegin()
	f.TransformRotate(35, pageW/2, pageH/2)
	f.SetAlpha(0.18, "Normal")
	setFont(f, "B", 120, colSample)
	f.SetXY(0, pageH/2-25)
	f.CellFormat(pageW, 50, "MUSTER", "", 0, "CM", false, 0, "")
	f.SetAlpha(1, "Normal")
	f.TransformEnd()
}

// origin is the participant's municipality or, failing that, organisation.
func (c *certificates) origin(r *registration.Registration) string {
	if r.MunicipalityID != nil {
		if m, ok := c.munis[*r.MunicipalityID]; ok {
			return m.Name
		}
	}
	return r.Organisation
}

// attendedDaysSentence is "am Mittwoch, 13. September 2017", "am … und
// am …", "am …, am … und am …"; more than three days are given as a
// count with the dates.
func attendedDaysSentence(days day.List) string {
	if len(days) > 3 {
		parts := make([]string, len(days))
		for i, d := range days {
			parts[i] = d.German()
		}
		return fmt.Sprintf("an %d Tagen (%s und %s)", len(days), strings.Join(parts[:len(parts)-1], ", "), parts[len(parts)-1])
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = "am " + d.GermanLong()
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " und " + parts[len(parts)-1]
}

// font sets a font of the body at the current scale.
func (c *certificates) font(style string, size float64, col rgb) {
	setFont(c.f, style, size*c.s, col)
}

// centred writes text centred and wrapped to at most max lines of
// height h, returning the y below it.
func (c *certificates) centred(y float64, text string, h float64, max int) float64 {
	text = c.g.clean(text)
	if text == "" {
		return y
	}
	for _, l := range wrap(c.f, text, contentW-20, max) {
		if c.draw {
			c.f.SetXY(marginX+10, y)
			c.f.CellFormat(contentW-20, h*c.s, l, "", 0, "C", false, 0, "")
		}
		y += h * c.s
	}
	return y
}

// layout measures the certificate and, when c.draw is set, draws it. It
// returns the y below the body.
func (c *certificates) layout(p *certPerson) float64 {
	f, s := c.f, c.s
	if c.draw {
		c.drawLetterhead()
	}
	y := certTitleY - 40*(1-s) // a smaller body moves up
	c.font("B", 26, colAccent)
	y = c.centred(y, "Teilnahmebescheinigung", 11, 1)
	y += 3 * s
	if c.draw {
		f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
		f.SetLineWidth(0.6)
		f.Line(pageW/2-18, y, pageW/2+18, y)
	}
	y += 12 * s

	c.font("", 11.5, colText)
	y = c.centred(y, "Hiermit bestätigen wir, dass", 6, 1)
	y += 4 * s
	c.font("B", 18, colText)
	y = c.centred(y, p.name, 8, 2)
	c.font("", 10.5, colMuted)
	y = c.centred(y, p.about, 5, 3)
	y += 5 * s
	c.font("", 11.5, colText)
	y = c.centred(y, p.when, 6, 3)
	y = c.centred(y, "an der Veranstaltung", 6, 1)
	y += 2 * s
	c.font("B", 15, colText)
	y = c.centred(y, "„"+c.ev.Name()+"“", 7.5, 3)
	if c.ev.Subtitle() != "" {
		c.font("B", 11.5, colText)
		y = c.centred(y, c.ev.Subtitle(), 6, 2)
	}
	if motto := quotedMotto(c.g.clean(c.ev.Motto)); motto != "" {
		y += 1 * s
		c.font("I", 11.5, colText)
		y = c.centred(y, "unter dem Motto "+motto, 6, 3)
	}
	y += 2 * s
	c.font("", 11.5, colText)
	if place := c.g.clean(c.ev.Place()); place != "" {
		y = c.centred(y, "in "+place+" teilgenommen hat.", 6, 2)
	} else {
		y = c.centred(y, "teilgenommen hat.", 6, 1)
	}

	// The details: days with hours, venue and organisers.
	y += 12 * s
	details := append([]certDetail(nil), p.days...)
	if p.summary != "" {
		details = append(details, certDetail{"", p.summary})
	}
	for i, l := range venueLines(c.ev) {
		label := ""
		if i == 0 {
			label = "Veranstaltungsort"
		}
		details = append(details, certDetail{label, l})
	}
	if o := strings.TrimSpace(c.ev.Organiser); o != "" {
		details = append(details, certDetail{"Veranstalter", o})
	}
	for i, l := range splitLines(c.ev.CoOrganisers) {
		if i == 3 {
			break
		}
		label := ""
		if i == 0 {
			label = "In Kooperation mit"
		}
		details = append(details, certDetail{label, l})
	}
	const boxX, boxW = marginX + 8, contentW - 16
	lh := 5 * s
	top := y
	y += 3.5 * s
	for _, d := range details {
		if d.label != "" && y > top+3.5*s {
			y += 1.5 * s
		}
		c.font("", 9, colMuted)
		if c.draw && d.label != "" {
			f.SetXY(boxX+3, y)
			f.CellFormat(certLabelW, lh, d.label, "", 0, "L", false, 0, "")
		}
		c.font("", 10, colText)
		for _, l := range wrap(f, c.g.clean(d.value), boxW-certLabelW-6, 2) {
			if c.draw {
				f.SetXY(boxX+3+certLabelW, y)
				f.CellFormat(boxW-certLabelW-6, lh, l, "", 0, "L", false, 0, "")
			}
			y += lh
		}
	}
	y += 3.5 * s
	if c.draw {
		f.SetDrawColor(colRule.r, colRule.g, colRule.b)
		f.SetLineWidth(0.2)
		f.Line(boxX, top, boxX+boxW, top)
		f.Line(boxX, y, boxX+boxW, y)
	}
	return y
}

// drawLetterhead writes the organiser above an accent rule.
func (c *certificates) drawLetterhead() {
	f := c.f
	if c.letterhead == "" {
		return
	}
	const lh = 4.5
	y := 14.0
	name, unit, split := strings.Cut(c.letterhead, " · ")
	setFont(f, "B", 9, colAccent)
	nameW := f.GetStringWidth(name)
	setFont(f, "", 9, colMuted)
	rest := " · " + unit
	if split && nameW+f.GetStringWidth(rest)+2*f.GetCellMargin() <= contentW {
		setFont(f, "B", 9, colAccent)
		f.SetXY(marginX, y)
		f.CellFormat(nameW+2*f.GetCellMargin(), lh, name, "", 0, "L", false, 0, "")
		setFont(f, "", 9, colMuted)
		f.SetXY(marginX+nameW, y)
		f.CellFormat(contentW-nameW, lh, rest, "", 0, "L", false, 0, "")
		y += lh
	} else {
		setFont(f, "B", 9, colAccent)
		for _, l := range wrap(f, c.letterhead, contentW, 2) {
			f.SetXY(marginX, y)
			f.CellFormat(contentW, lh, l, "", 0, "L", false, 0, "")
			y += lh
		}
	}
	y += 2
	f.SetDrawColor(colAccent.r, colAccent.g, colAccent.b)
	f.SetLineWidth(0.5)
	f.Line(marginX, y, marginX+contentW, y)
}

// drawSignatures writes place and date of issue on the left and the line
// for the organiser's signature on the right.
func (c *certificates) drawSignatures() {
	f := c.f
	const w = 72.0
	leftX, rightX := marginX+4, pageW-marginX-4-w
	issued := c.issued.Format("02.01.2006")
	if city := strings.TrimSpace(c.ev.VenueCity); city != "" {
		issued = c.g.clean(city) + ", " + issued
	}
	setFont(f, "", 11, colText)
	f.SetXY(leftX, certSignLineY-7)
	f.CellFormat(w, 6, issued, "", 0, "L", false, 0, "")
	f.SetDrawColor(colText.r, colText.g, colText.b)
	f.SetLineWidth(0.3)
	f.Line(leftX, certSignLineY, leftX+w, certSignLineY)
	f.Line(rightX, certSignLineY, rightX+w, certSignLineY)
	setFont(f, "", 8.5, colMuted)
	f.SetXY(leftX, certSignLineY+1)
	f.CellFormat(w, 4.5, "Ort, Datum", "", 0, "L", false, 0, "")
	f.SetXY(rightX, certSignLineY+1)
	f.CellFormat(w, 4.5, "Für den Veranstalter", "", 0, "L", false, 0, "")
	if c.signer != "" {
		y := certSignLineY + 5.5
		for _, l := range wrap(f, c.signer, w, 2) {
			f.SetXY(rightX, y)
			f.CellFormat(w, 4.2, l, "", 0, "L", false, 0, "")
			y += 4.2
		}
	}
}

// drawFooter writes a thin rule, the meeting on the left and right, a
// reference such as the registration number.
func (c *certificates) drawFooter(right string) {
	f := c.f
	f.SetDrawColor(colRule.r, colRule.g, colRule.b)
	f.SetLineWidth(0.2)
	f.Line(marginX, certFooterY, marginX+contentW, certFooterY)
	setFont(f, "", 8, colMuted)
	left := wrap(f, c.g.clean("Teilnahmebescheinigung · "+c.ev.Name()), contentW*0.7, 1)[0]
	f.SetXY(marginX, certFooterY+1)
	f.CellFormat(contentW*0.7, 5, left, "", 0, "LM", false, 0, "")
	f.SetXY(marginX+contentW*0.7, certFooterY+1)
	f.CellFormat(contentW*0.3, 5, right, "", 0, "RM", false, 0, "")
}

// nobody writes the single page that says no certificates were made.
func (c *certificates) nobody() {
	f := c.f
	f.AddPage()
	c.s, c.draw = 1, true
	c.drawLetterhead()
	setFont(f, "B", 22, colAccent)
	y := c.centred(certTitleY, "Teilnahmebescheinigungen", 10, 1)
	y += 12
	setFont(f, "", 11, colText)
	y = c.centred(y, "Für „"+c.ev.Name()+"“ wurde bisher niemand beim Check-in als anwesend erfasst.", 6, 3)
	y += 3
	setFont(f, "", 10, colMuted)
	c.centred(y, "Teilnahmebescheinigungen werden für Personen ausgestellt, die an mindestens einem Veranstaltungstag eingecheckt wurden.", 5.5, 3)
	c.draw = false
	c.drawFooter("")
}
