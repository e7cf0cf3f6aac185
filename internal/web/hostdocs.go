package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/export"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// Badge layouts and sort orders the badges.pdf routes accept.
var (
	badgeLayouts = []string{"a6", "4", "8"}
	badgeSorts   = []string{"name", "municipality"}
)

// badgeLayoutLabel names a layout for the audit log and the links.
func badgeLayoutLabel(layout string) string {
	switch layout {
	case "4":
		return "4 je A4-Seite"
	case "8":
		return "8 je A4-Seite"
	}
	return "A6, eines je Seite"
}

// people is "1 Person" or "3 Personen".
func people(n int) string {
	if n == 1 {
		return "1 Person"
	}
	return strconv.Itoa(n) + " Personen"
}

var errNothingToPrint = problem.New(problem.Conflict, "Für diese Auswahl gibt es niemanden, für den etwas gedruckt werden kann.")

// sendPDF records the export and answers with the document.
func (s *Server) sendPDF(c *gin.Context, ev event.Event, what, filename string, buf *bytes.Buffer) error {
	if err := s.Audit.Record(c.Request.Context(), actorOf(c), audit.Export, "event", ev.ID, &ev.ID, what); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%d.pdf"`, filename, ev.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// parseIDs reads "1,2,3"; nil when raw is empty.
func parseIDs(raw string) (map[int64]bool, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	out := map[int64]bool{}
	for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, &problem.Error{Code: problem.BadRequest, Message: "ids muss eine Liste von Anmeldungsnummern sein, z. B. 12,15,31.",
				Fields: map[string]string{"ids": "„" + f + "“ ist keine Nummer"}}
		}
		out[id] = true
	}
	return out, nil
}

// queryChoice reads an optional query parameter that must be one of allowed.
func queryChoice(c *gin.Context, name string, allowed []string) (string, error) {
	v := c.DefaultQuery(name, allowed[0])
	if !slices.Contains(allowed, v) {
		return "", &problem.Error{Code: problem.BadRequest, Message: name + " muss " + strings.Join(allowed, ", ") + " sein.",
			Fields: map[string]string{name: strings.Join(allowed, ", ")}}
	}
	return v, nil
}

// badgesPDF prints name badges with the check-in QR code for the
// confirmed participants, or only those in ?ids= (late additions).
func (s *Server) badgesPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	layout, err := queryChoice(c, "layout", badgeLayouts)
	if err != nil {
		return err
	}
	sortBy, err := queryChoice(c, "sort", badgeSorts)
	if err != nil {
		return err
	}
	ids, err := parseIDs(c.Query("ids"))
	if err != nil {
		return err
	}
	regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		return err
	}
	if ids != nil {
		regs = slices.DeleteFunc(regs, func(r registration.Registration) bool { return !ids[r.ID] })
	}
	if len(regs) == 0 {
		return errNothingToPrint
	}
	munis, groups, err := s.printLabels(ctx, ev.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.Badges(&buf, &ev, regs, munis, groups, document.BadgeOptions{Layout: layout, SortBy: sortBy}); err != nil {
		return err
	}
	what := fmt.Sprintf("Namensschilder (PDF, %s, %s)", badgeLayoutLabel(layout), people(len(regs)))
	return s.sendPDF(c, ev, what, "namensschilder", &buf)
}

// signaturesPDF prints the signature list of one day (?day=) or of all days.
func (s *Server) signaturesPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var d day.Date
	if raw := c.Query("day"); raw != "" {
		if d, err = day.Parse(raw); err != nil || !ev.Days.Contains(d) {
			return &problem.Error{Code: problem.BadRequest, Message: "„" + raw + "“ ist kein Tag dieser Veranstaltung.",
				Fields: map[string]string{"day": "ein Tag der Veranstaltung als JJJJ-MM-TT"}}
		}
	}
	regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.SignatureList(&buf, &ev, schedule, regs, munis, d, s.Now()); err != nil {
		return err
	}
	what := "Unterschriftenliste (PDF, alle Tage)"
	if !d.IsZero() {
		what = "Unterschriftenliste (PDF, " + d.German() + ")"
	}
	return s.sendPDF(c, ev, what, "unterschriften", &buf)
}

// certificatesPDF prints a certificate of attendance for everybody who
// was checked in on at least one day.
func (s *Server) certificatesPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	attended, err := s.CheckIns.CheckedIn(ctx, ev.ID)
	if err != nil {
		return err
	}
	regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{})
	if err != nil {
		return err
	}
	regs = slices.DeleteFunc(regs, func(r registration.Registration) bool { return len(attended[r.ID]) == 0 })
	if len(regs) == 0 {
		return problem.New(problem.Conflict, "Noch ist niemand eingecheckt; Teilnahmebescheinigungen gibt es für Personen, die da waren.")
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.Certificates(&buf, &ev, schedule, regs, munis, attended, s.cfg.OrganiserName, s.Now()); err != nil {
		return err
	}
	return s.sendPDF(c, ev, "Teilnahmebescheinigungen (PDF, "+people(len(regs))+")", "teilnahmebescheinigungen", &buf)
}

// certificatePreviewPDF shows the certificate of attendance for a sample
// person, marked as a sample, before anybody is checked in.
func (s *Server) certificatePreviewPDF(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	schedule, err := s.schedule(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.CertificatePreview(&buf, &ev, schedule, s.cfg.OrganiserName, s.Now()); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="teilnahmebescheinigung-vorschau-%d.pdf"`, ev.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// manageCertificatePDF gives a participant their own certificate of
// attendance through the manage link, once they were checked in.
func (s *Server) manageCertificatePDF(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, days, err := s.linkAttendance(c)
	if err != nil {
		return err
	}
	if len(days) == 0 {
		return problem.New(problem.NotFound, "Eine Teilnahmebescheinigung gibt es, sobald Sie bei der Veranstaltung eingecheckt wurden.")
	}
	ev, err := s.Events.Get(ctx, reg.EventID)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.Certificates(&buf, &ev, schedule, []registration.Registration{reg}, munis, map[int64]day.List{reg.ID: days}, s.cfg.OrganiserName, s.Now()); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="teilnahmebescheinigung-%d.pdf"`, reg.ID))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// exportColumns reads ?columns=a,b,c (or repeated columns=a&columns=b from
// the column chooser); none chosen means the default columns.
func exportColumns(c *gin.Context) ([]export.Column, error) {
	return export.ParseColumns(c.QueryArray("columns"))
}

// registrationsExport answers the registrations of a meeting as CSV or
// XLSX with the chosen columns; ?status=, ?municipality_id= and ?q=
// narrow the list like on the registrations page.
func (s *Server) registrationsExport(format string) handler {
	return func(c *gin.Context) error {
		ev, err := s.eventParam(c)
		if err != nil {
			return err
		}
		cols, err := exportColumns(c)
		if err != nil {
			return err
		}
		f, err := registrationFilter(c)
		if err != nil {
			return err
		}
		data, err := s.exportData(c, ev, f)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		contentType := "text/csv; charset=utf-8"
		if format == "xlsx" {
			contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			err = export.XLSX(&buf, data, cols)
		} else {
			err = export.CSV(&buf, data, cols)
		}
		if err != nil {
			return err
		}
		what := fmt.Sprintf("Anmeldungen (%s, %d Zeilen, %d Spalten)", strings.ToUpper(format), len(data.Registrations), len(cols))
		return s.sendTable(c, ev, what, fmt.Sprintf("anmeldungen-%d.%s", ev.ID, format), contentType, &buf)
	}
}

// sendTable records the export and answers with the table as a download.
func (s *Server) sendTable(c *gin.Context, ev event.Event, what, filename, contentType string, buf *bytes.Buffer) error {
	if err := s.Audit.Record(c.Request.Context(), actorOf(c), audit.Export, "event", ev.ID, &ev.ID, what); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, buf.Bytes())
	return nil
}

// participantsCSV gives hosts the participant list as CSV: the confirmed
// people with what the host page and the printed list show of them.
func (s *Server) participantsCSV(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	data, err := s.exportData(c, ev, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.CSV(&buf, data, export.ParticipantColumns()); err != nil {
		return err
	}
	what := fmt.Sprintf("Teilnehmerliste (CSV, %s)", people(len(data.Registrations)))
	return s.sendTable(c, ev, what, fmt.Sprintf("teilnehmerliste-%d.csv", ev.ID), "text/csv; charset=utf-8", &buf)
}

// exportData gathers what the exports and statistics read.
func (s *Server) exportData(c *gin.Context, ev event.Event, f registration.Filter) (export.Data, error) {
	ctx := c.Request.Context()
	regs, err := s.Registrations.List(ctx, ev.ID, f)
	if err != nil {
		return export.Data{}, err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return export.Data{}, err
	}
	checkedIn, err := s.CheckIns.CheckedIn(ctx, ev.ID)
	if err != nil {
		return export.Data{}, err
	}
	data := export.Data{Event: ev, Now: s.Now(), Registrations: regs, Municipalities: munis, CheckedIn: checkedIn}
	if data.Answers, err = s.Questions.Sheet(ctx, ev.ID); err != nil {
		return data, err
	}
	if s.WorkingGroups != nil {
		if data.Slots, err = s.WorkingGroups.Slots(ctx, ev.ID); err != nil {
			return data, err
		}
		if data.Groups, err = s.WorkingGroups.Groups(ctx, ev.ID); err != nil {
			return data, err
		}
		if data.Assignments, err = s.WorkingGroups.Assignments(ctx, ev.ID); err != nil {
			return data, err
		}
	}
	return data, nil
}

// meetingLine is one meeting in the statistics over time.
type meetingLine struct {
	Event     event.Event
	Confirmed int
	Attended  int
	Current   bool
}

// adminStatistics shows a meeting's figures per municipality and, for
// comparison, confirmed and attended people of every meeting up to it.
// Confirmed people without a check-in are "noch offen" until the
// meeting's last day is over, then "Nicht erschienen".
func (s *Server) adminStatistics(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	data, err := s.exportData(c, ev, registration.Filter{})
	if err != nil {
		return err
	}
	rows := export.MunicipalityStats(data)
	var total *export.MunicipalityRow
	if len(rows) > 0 {
		total = &export.MunicipalityRow{Name: "Summe"}
		for _, r := range rows {
			total.Registered += r.Registered
			total.Confirmed += r.Confirmed
			total.Waitlisted += r.Waitlisted
			total.Cancelled += r.Cancelled
			total.Attended += r.Attended
			total.NotCheckedIn += r.NotCheckedIn
		}
	}
	all, err := s.Events.List(ctx, event.Filter{PublicOnly: true, Now: s.Now()})
	if err != nil {
		return err
	}
	var lines []meetingLine
	for _, other := range all {
		if other.ID != ev.ID && (other.Status == event.Cancelled || other.Days.First().After(ev.Days.First())) {
			continue
		}
		counts, err := s.Registrations.Count(ctx, other.ID)
		if err != nil {
			return err
		}
		attended, err := s.CheckIns.CheckedIn(ctx, other.ID)
		if err != nil {
			return err
		}
		lines = append(lines, meetingLine{Event: other, Confirmed: counts.Confirmed, Attended: len(attended), Current: other.ID == ev.ID})
	}
	slices.Reverse(lines) // oldest first
	return s.html(c, http.StatusOK, "admin_statistics.html", "Statistik: "+ev.Name(), gin.H{"Event": ev, "Rows": rows, "Total": total, "Meetings": lines,
		"NotCheckedIn": export.NotCheckedInHeader(ev, data.Now), "Over": ev.IsPast(data.Now)})
}
