package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/report"
)

// reportFor reads the period of ?jahr= or ?von=&bis= and builds the
// network report, for the coordinator's municipality when own is set.
func (s *Server) reportFor(c *gin.Context, own bool) (report.Report, error) {
	ctx := c.Request.Context()
	today := day.Today(s.Now())
	p, err := report.ParsePeriod(c.Query("jahr"), c.Query("von"), c.Query("bis"), today)
	if err != nil {
		return report.Report{}, err
	}
	var scope report.Scope
	if own {
		u, _ := currentUser(c)
		muni, err := s.coordinatorMunicipality(ctx, u)
		if err != nil {
			return report.Report{}, err
		}
		scope = report.Scope{MunicipalityID: muni.ID, Name: muni.Name}
	}
	return s.Reports.Network(ctx, p, today, scope)
}

// networkReport is the report page: /admin/reports/network for
// organisers, /portal/report (own set) for a coordinator.
func (s *Server) networkReport(own bool) handler {
	return func(c *gin.Context) error {
		r, err := s.reportFor(c, own)
		if err != nil {
			return err
		}
		base := "/admin/reports/network"
		if own {
			base = "/portal/report"
		}
		query := ""
		if c.Request.URL.RawQuery != "" {
			query = "?" + c.Request.URL.RawQuery
		}
		today := day.Today(s.Now())
		years := []int{today.Year, today.Year - 1, today.Year - 2, today.Year - 3}
		if y := r.Period.Year; y != 0 && y < today.Year-3 {
			years = append(years, y) // an earlier year asked for by address
		}
		participation := report.SVG("Teilnehmende je Treffen",
			fmt.Sprintf("Balkendiagramm: Teilnehmende an %d Treffen im Zeitraum %s; die Zahlen stehen in der Tabelle darunter.", len(r.Meetings), r.Period.Label()),
			r.ParticipationBars())
		reach := report.SVG("Erreichte Kommunen",
			fmt.Sprintf("Balkendiagramm: %d von %d Kommunen des Netzwerks erreicht, %d nicht erreicht.", len(r.Municipalities), r.NetworkSize(), len(r.NotReached)),
			r.ReachBars())
		return s.html(c, http.StatusOK, "report_network.html", r.Title(), gin.H{"Report": r, "Base": base, "Query": query,
			"Own": own, "Years": years, "Default": report.DefaultPeriod(today),
			// SVG escapes every text it draws (report.SVG).
			"ParticipationChart": template.HTML(participation), "ReachChart": template.HTML(reach)})
	}
}

// networkReportXLSX is the report as a workbook.
func (s *Server) networkReportXLSX(own bool) handler {
	return func(c *gin.Context) error {
		r, err := s.reportFor(c, own)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := report.XLSX(&buf, r); err != nil {
			return err
		}
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, reportFilename(r)))
		c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
		return nil
	}
}

// networkReportPDF is the report for funders as a PDF.
func (s *Server) networkReportPDF(own bool) handler {
	return func(c *gin.Context) error {
		r, err := s.reportFor(c, own)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := document.NetworkReport(&buf, r, s.cfg.OrganiserName, s.Now()); err != nil {
			return err
		}
		c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="%s.pdf"`, reportFilename(r)))
		c.Data(http.StatusOK, "application/pdf", buf.Bytes())
		return nil
	}
}

// reportFilename is "netzwerkbericht-2025" or "netzwerkbericht-2025-03-01-2025-06-30".
func reportFilename(r report.Report) string {
	if r.Period.Year != 0 {
		return fmt.Sprintf("netzwerkbericht-%d", r.Period.Year)
	}
	return "netzwerkbericht-" + r.Period.From.String() + "-" + r.Period.To.String()
}
