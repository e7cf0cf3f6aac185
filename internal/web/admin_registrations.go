package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/export"
	"github.com/isa-nrw/treffen/internal/municipality"
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
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderRegistrations(c, http.StatusOK, ev, gin.H{})
}

// renderRegistrations renders the organiser's registrations page; data
// adds the outcome of a decision on pending registrations.
func (s *Server) renderRegistrations(c *gin.Context, status int, ev event.Event, data gin.H) error {
	ctx := c.Request.Context()
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
	var pending []registration.Registration
	if counts.Pending > 0 {
		// In the order they came in, as places are given.
		if pending, err = s.Registrations.List(ctx, id, registration.Filter{Status: registration.Pending}); err != nil {
			return err
		}
		sort.Slice(pending, func(i, j int) bool { return pending[i].ID < pending[j].ID })
	}
	for k, v := range map[string]any{"Decisions": nil, "DecideMessage": "", "Reason": ""} {
		if _, ok := data[k]; !ok {
			data[k] = v
		}
	}
	page := gin.H{
		"Event": ev, "Registrations": regs, "Counts": counts, "Rows": rows, "Waitlist": waitlist, "Pending": pending,
		"Review":            ev.RequiresApproval || counts.Pending > 0 || counts.Declined > 0,
		"MunicipalityNames": munis, "Municipalities": sortedMunicipalities(munis), "Statuses": registration.Statuses,
		"Filter": gin.H{"Status": string(f.Status), "Municipality": muniFilter, "Q": f.Query},
		"Free":   max(0, ev.Capacity-counts.Confirmed), "ExportColumns": export.Columns, "Questions": questions,
		"Past": ev.IsPast(s.Now()), // no undo of a cancellation then
	}
	for k, v := range page {
		data[k] = v
	}
	return s.html(c, status, "admin_registrations.html", "Anmeldungen: "+ev.Name(), data)
}

// decision is the outcome of approving or declining one registration.
type decision struct {
	Name   string
	Status registration.Status // the new status; "" when nothing changed
	Error  string              // why nothing changed
}

// adminRegistrationsDecide approves or declines the chosen pending
// registrations one after another, each under the meeting's lock, in the
// order they came in: when the places run out, the next approved go to
// the waiting list. The page shows what happened to each.
func (s *Server) adminRegistrationsDecide(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	approve := c.PostForm("decision") == "approve"
	if !approve && c.PostForm("decision") != "decline" {
		return problem.New(problem.BadRequest, "Bitte „Annehmen“ oder „Ablehnen“ wählen.")
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	var ids []int64
	for _, raw := range c.PostFormArray("rid") {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	switch {
	case len(ids) == 0:
		return s.renderRegistrations(c, http.StatusUnprocessableEntity, ev, gin.H{"DecideMessage": "Bitte wählen Sie mindestens eine Anmeldung aus.", "Reason": reason})
	case !approve && utf8.RuneCountInString(reason) > registration.MaxDeclineReason:
		return s.renderRegistrations(c, http.StatusUnprocessableEntity, ev, gin.H{"Reason": reason,
			"DecideMessage": fmt.Sprintf("Die Begründung darf höchstens %d Zeichen lang sein.", registration.MaxDeclineReason)})
	}
	out := make([]decision, 0, len(ids))
	for _, rid := range ids {
		reg, err := s.Registrations.Get(ctx, rid)
		if err != nil || reg.EventID != ev.ID {
			out = append(out, decision{Name: fmt.Sprintf("Anmeldung %d", rid), Error: registration.ErrNotFound.Message})
			continue
		}
		d := decision{Name: reg.FullName()}
		if approve {
			reg, err = s.Registrations.Approve(ctx, rid, actorOf(c))
		} else {
			reg, err = s.Registrations.Decline(ctx, rid, reason, actorOf(c))
		}
		if err != nil {
			pe := classify(err)
			if pe.Code == problem.Internal || pe.Code == problem.Unavailable {
				return err
			}
			d.Error = pe.Message
		} else {
			d.Status = reg.Status
		}
		out = append(out, d)
	}
	return s.renderRegistrations(c, http.StatusOK, ev, gin.H{"Decisions": out})
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
