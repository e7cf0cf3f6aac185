package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/export"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// municipalityRow is one line of the counts table.
type municipalityRow struct {
	Name string
	registration.MunicipalityCount
	QuotaFull bool
}

func (s *Server) adminRegistrations(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	id := ev.ID
	f, err := registrationFilter(c)
	if err != nil {
		return err
	}
	var muniFilter int64
	if f.MunicipalityID != nil {
		muniFilter = *f.MunicipalityID
	}
	regs, err := s.Registrations.List(ctx, id, f)
	if err != nil {
		return err
	}
	counts, err := s.Registrations.Count(ctx, id)
	if err != nil {
		return err
	}
	waitlist, err := s.Registrations.Waitlist(ctx, id)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	rows := make([]municipalityRow, 0, len(counts.ByMunicipality))
	for _, mc := range counts.ByMunicipality {
		row := municipalityRow{Name: "Ohne Kommune (Gäste)", MunicipalityCount: mc}
		if mc.MunicipalityID != nil {
			row.Name = munis[*mc.MunicipalityID].Name
			row.QuotaFull = ev.MunicipalityQuota > 0 && mc.Confirmed >= ev.MunicipalityQuota
		}
		rows = append(rows, row)
	}
	sortRows(rows)
	questions, err := s.formQuestions(ctx, ev)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "admin_registrations.html", "Anmeldungen: "+ev.Name(), gin.H{
		"Event": ev, "Registrations": regs, "Counts": counts, "Rows": rows, "Waitlist": waitlist,
		"MunicipalityNames": munis, "Municipalities": sortedMunicipalities(munis), "Statuses": registration.Statuses,
		"Filter": gin.H{"Status": string(f.Status), "Municipality": muniFilter, "Q": f.Query},
		"Free":   max(0, ev.Capacity-counts.Confirmed), "ExportColumns": export.Columns, "Questions": questions,
	})
}

func sortRows(rows []municipalityRow) {
	sort.SliceStable(rows, func(i, j int) bool { return municipality.SortKey(rows[i].Name) < municipality.SortKey(rows[j].Name) })
}

func sortedMunicipalities(m map[int64]municipality.Municipality) []municipality.Municipality {
	out := make([]municipality.Municipality, 0, len(m))
	for _, x := range m {
		out = append(out, x)
	}
	municipality.Sort(out)
	return out
}

func (s *Server) adminRegistrationCancel(c *gin.Context) error {
	eventID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	rid, err := paramID(c, "rid")
	if err != nil {
		return err
	}
	reg, err := s.Registrations.Get(c.Request.Context(), rid)
	if err != nil || reg.EventID != eventID {
		return registration.ErrNotFound
	}
	if _, err := s.Registrations.Cancel(c.Request.Context(), rid, actorOf(c)); err != nil {
		return err
	}
	s.flash(c, "Die Anmeldung von "+reg.FullName()+" ist storniert.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/registrations", eventID))
	return nil
}

func (s *Server) participantsPDF(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	id := ev.ID
	regs, err := s.Registrations.List(ctx, id, registration.Filter{})
	if err != nil {
		return err
	}
	munis, groups, err := s.printLabels(ctx, ev.ID)
	if err != nil {
		return err
	}
	answers, err := s.participantListAnswers(ctx, ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.ParticipantList(&buf, &ev, regs, munis, groups, s.Now(), answers...); err != nil {
		return err
	}
	return s.sendPDF(c, ev, "Teilnehmerliste (PDF)", "teilnehmerliste", &buf)
}

// printLabels returns what lists and badges print beside a name: the
// municipalities and each person's working groups.
func (s *Server) printLabels(ctx context.Context, eventID int64) (map[int64]municipality.Municipality, map[int64][]document.WorkingGroupLabel, error) {
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return nil, nil, err
	}
	groups, err := s.workingGroupLabels(ctx, eventID)
	return munis, groups, err
}

// workingGroupLabels names each registration's working groups for the
// participant list and the badges ("AG 2: Title" and the theme, one per
// slot); nil when the meeting has none.
func (s *Server) workingGroupLabels(ctx context.Context, eventID int64) (map[int64][]document.WorkingGroupLabel, error) {
	if s.WorkingGroups == nil {
		return nil, nil
	}
	slots, err := s.WorkingGroups.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	groups, err := s.WorkingGroups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	assignments, err := s.WorkingGroups.Assignments(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return document.WorkingGroupLabels(slots, groups, assignments), nil
}

// mailRow is a mail in the list with the meeting it belongs to, if any.
type mailRow struct {
	outbox.Message
	Meeting *event.Event
}

func (s *Server) adminMails(c *gin.Context) error {
	ctx := c.Request.Context()
	f := outbox.Filter{Status: outbox.Status(c.Query("status"))}
	if raw := c.Query("event"); raw != "" {
		f.EventID, _ = strconv.ParseInt(raw, 10, 64)
	}
	mails, err := s.Outbox.List(ctx, f)
	if err != nil {
		return err
	}
	counts, err := s.Outbox.CountByStatus(ctx, f.EventID)
	if err != nil {
		return err
	}
	// Each mail names its meeting; account mails belong to none.
	all, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return err
	}
	meetings := make(map[int64]*event.Event, len(all))
	for i := range all {
		meetings[all[i].ID] = &all[i]
	}
	rows := make([]mailRow, len(mails))
	for i, m := range mails {
		rows[i].Message = m
		if m.EventID != nil {
			rows[i].Meeting = meetings[*m.EventID]
		}
	}
	var open *outbox.Message
	if raw := c.Query("show"); raw != "" {
		if mid, err := strconv.ParseInt(raw, 10, 64); err == nil {
			if m, err := s.Outbox.Get(ctx, mid); err == nil {
				open = &m
			}
		}
	}
	return s.html(c, http.StatusOK, "admin_mails.html", "E-Mails", gin.H{
		"Mails": rows, "Counts": counts, "Meeting": meetings[f.EventID], "Open": open, "Statuses": []outbox.Status{outbox.Pending, outbox.Sending, outbox.Sent, outbox.Failed},
		"Filter": f,
	})
}

func (s *Server) adminMailRetry(c *gin.Context) error {
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	if err := s.Outbox.Requeue(c.Request.Context(), mid); err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, "Die E-Mail wird erneut versendet.")
	c.Redirect(http.StatusSeeOther, "/admin/mails")
	return nil
}

func (s *Server) adminMunicipalities(c *gin.Context) error {
	return s.renderMunicipalities(c, http.StatusOK, gin.H{})
}

func (s *Server) renderMunicipalities(c *gin.Context, status int, data gin.H) error {
	list, err := s.Municipalities.List(c.Request.Context())
	if err != nil {
		return err
	}
	for k, v := range map[string]any{"Values": municipality.Input{}, "Fields": map[string]string{}, "Message": ""} {
		if _, ok := data[k]; !ok {
			data[k] = v
		}
	}
	data["Municipalities"] = list
	data["Kinds"] = municipality.Kinds
	return s.html(c, status, "admin_municipalities.html", "Kommunen", data)
}

func (s *Server) adminMunicipalityCreate(c *gin.Context) error {
	in := municipality.Input{Name: c.PostForm("name"), Kind: c.PostForm("kind")}
	m, err := s.Municipalities.Create(c.Request.Context(), in)
	if err != nil {
		pe := classify(err)
		if pe.Code == problem.Invalid || pe.Code == problem.Conflict {
			return s.renderMunicipalities(c, statusOf(pe.Code), gin.H{"Values": in, "Fields": pe.Fields, "Message": pe.Message})
		}
		return err
	}
	s.flash(c, "„"+m.Name+"“ ist angelegt.")
	c.Redirect(http.StatusSeeOther, "/admin/municipalities")
	return nil
}

func (s *Server) adminMunicipalityImport(c *gin.Context) error {
	file, err := c.FormFile("file")
	if err != nil {
		return s.renderMunicipalities(c, http.StatusUnprocessableEntity, gin.H{"ImportMessage": "Bitte wählen Sie eine CSV-Datei aus."})
	}
	f, err := file.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := s.Municipalities.ImportCSV(c.Request.Context(), f)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return s.renderMunicipalities(c, http.StatusUnprocessableEntity, gin.H{"ImportMessage": pe.Message})
		}
		return err
	}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderMunicipalities(c, status, gin.H{"Import": res})
}
