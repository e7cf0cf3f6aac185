package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// planForm holds the options of an assignment run as typed, and messages.
type planForm struct {
	Values  map[string]string // max_per_municipality, keep_current
	Fields  map[string]string
	Message string
}

var planFormKeys = []string{"max_per_municipality", "keep_current"}

// planOptions reads the options of a run; "" means no limit.
func planOptions(values map[string]string) (workinggroup.PlanOptions, map[string]string) {
	opt := workinggroup.PlanOptions{KeepCurrent: values["keep_current"] != ""}
	if raw := strings.TrimSpace(values["max_per_municipality"]); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return opt, map[string]string{"max_per_municipality": "Bitte eine Zahl ab 0 angeben (0 oder leer = keine Grenze)."}
		}
		opt.MaxPerMunicipality = n
	}
	return opt, nil
}

// moveError is a refused move, shown next to the person's move form.
type moveError struct {
	Key     string // "registration-slot"
	Message string
}

// assignmentState is what the assignment page shows besides the saved
// assignment: the run options, a preview, a refused move.
type assignmentState struct {
	Form    planForm
	Preview *workinggroup.Plan
	Move    moveError
}

// person is a participant as the assignment page lists them.
type person struct {
	ID           int64
	Name         string
	Municipality string
	Locked       bool
	Role         workinggroup.Role
	Reason       string // why without a group
}

type assignmentGroup struct {
	workinggroup.Group
	People []person
}

type assignmentSlot struct {
	workinggroup.Slot
	Name       string
	Groups     []assignmentGroup
	Unassigned []person
}

// tallyRow is one line of a statistics table.
type tallyRow struct {
	Label    string
	ByRank   []int
	Unranked int
	Unplaced int
	Total    int
}

type changeRow struct {
	Person   person
	Slot     string
	From, To string
}

type previewView struct {
	Fingerprint string
	Options     planForm
	Changes     []changeRow
	Stats       []tallyRow
	Unassigned  []unassignedRow
}

type unassignedRow struct {
	Person person
	Slot   string
	Reason string
}

func slotName(sl workinggroup.Slot) string {
	name := sl.Day.German() + ", " + sl.StartsAt + "–" + sl.EndsAt + " Uhr"
	if sl.Label != "" {
		name += " · " + sl.Label
	}
	return name
}

func tallyRows(st workinggroup.Stats, slots []assignmentSlot) []tallyRow {
	row := func(label string, t workinggroup.Tally) tallyRow {
		r := tallyRow{Label: label, ByRank: t.ByRank, Unranked: t.Unranked, Unplaced: t.Unplaced, Total: t.Unranked + t.Unplaced}
		for _, n := range t.ByRank {
			r.Total += n
		}
		return r
	}
	var out []tallyRow
	for _, sl := range slots {
		if t, ok := st.PerSlot[int(sl.ID)]; ok {
			out = append(out, row(sl.Name, t))
		}
	}
	if len(out) > 1 {
		out = append(out, row("Alle Zeitfenster", st.Overall))
	}
	return out
}

// assignmentData gathers the saved assignment by slot and group, with
// the names of the people, and the preview if there is one.
func (s *Server) assignmentData(ctx context.Context, ev event.Event, state assignmentState) (gin.H, error) {
	slots, groups, err := s.WorkingGroups.SlotsAndGroups(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	st, err := s.WorkingGroups.Standing(ctx, ev)
	if err != nil {
		return nil, err
	}
	regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{Status: registration.Confirmed})
	if err != nil {
		return nil, err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return nil, err
	}
	people := make(map[int64]person, len(regs))
	for _, r := range regs {
		people[r.ID] = personOf(r, munis)
	}
	var view []assignmentSlot
	slotIndex, groupIndex, slotNames := map[int64]int{}, map[int64][2]int{}, map[int64]string{}
	titles := map[int64]string{}
	for _, sl := range slots {
		as := assignmentSlot{Slot: sl, Name: slotName(sl)}
		for _, g := range groups {
			if g.SlotID == sl.ID {
				groupIndex[g.ID] = [2]int{len(view), len(as.Groups)}
				titles[g.ID] = g.Title
				as.Groups = append(as.Groups, assignmentGroup{Group: g})
			}
		}
		if len(as.Groups) > 0 {
			slotIndex[sl.ID], slotNames[sl.ID] = len(view), as.Name
			view = append(view, as)
		}
	}
	placed := map[int64][]workinggroup.Assignment{}
	for _, a := range st.Assignments {
		placed[a.RegistrationID] = append(placed[a.RegistrationID], a)
	}
	for _, r := range regs { // by name
		for _, a := range placed[r.ID] {
			p := people[r.ID]
			p.Locked, p.Role = a.Locked, a.Role
			if at, ok := groupIndex[a.WorkingGroupID]; ok {
				view[at[0]].Groups[at[1]].People = append(view[at[0]].Groups[at[1]].People, p)
			}
		}
	}
	unplaced := map[int64]map[int64]string{} // slot → registration → reason
	for _, u := range st.Unassigned {
		if unplaced[int64(u.Slot)] == nil {
			unplaced[int64(u.Slot)] = map[int64]string{}
		}
		unplaced[int64(u.Slot)][u.ParticipantID] = u.Reason
	}
	for _, r := range regs {
		for slot, reasons := range unplaced {
			if reason, ok := reasons[r.ID]; ok && slotNames[slot] != "" {
				p := people[r.ID]
				p.Reason = reason
				view[slotIndex[slot]].Unassigned = append(view[slotIndex[slot]].Unassigned, p)
			}
		}
	}
	data := gin.H{"Event": ev, "Slots": view, "Stats": tallyRows(st.Stats, view), "Ranks": max(ev.PreferenceRanks, 1),
		"Form": state.Form, "Move": state.Move, "Confirmed": len(regs), "Assigned": len(placed)}
	if pl := state.Preview; pl != nil {
		pv := previewView{Fingerprint: pl.Fingerprint, Options: state.Form, Stats: tallyRows(pl.Solution.Stats, view)}
		for _, ch := range pl.Changes {
			pv.Changes = append(pv.Changes, changeRow{Person: people[ch.RegistrationID], Slot: slotNames[ch.SlotID],
				From: titles[ch.From], To: titles[ch.To]})
		}
		for _, u := range pl.Solution.Unassigned {
			pv.Unassigned = append(pv.Unassigned, unassignedRow{Person: people[u.ParticipantID], Slot: slotNames[int64(u.Slot)], Reason: u.Reason})
		}
		data["Preview"] = pv
	}
	return data, nil
}

func personOf(r registration.Registration, munis map[int64]municipality.Municipality) person {
	p := person{ID: r.ID, Name: r.SortName(), Municipality: r.Organisation}
	if r.MunicipalityID != nil {
		p.Municipality = munis[*r.MunicipalityID].Name
	}
	return p
}

func (s *Server) renderAssignment(c *gin.Context, status int, ev event.Event, state assignmentState) error {
	data, err := s.assignmentData(c.Request.Context(), ev, state)
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_assignment.html", "Zuteilung: "+ev.Name(), data)
}

// adminAssignment shows the saved assignment; with ?berechnen=1 it also
// computes a preview with the options of the query.
func (s *Server) adminAssignment(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	state := assignmentState{Form: planForm{Values: map[string]string{"max_per_municipality": c.Query("max_per_municipality"), "keep_current": c.Query("keep_current")}}}
	if c.Query("berechnen") == "" {
		// The form starts from the limit saved with the assignment, so the
		// next run keeps it unless the organiser changes it.
		if _, given := c.GetQuery("max_per_municipality"); !given {
			saved, err := s.WorkingGroups.SavedOptions(c.Request.Context(), ev.ID)
			if err != nil {
				return err
			}
			if saved.MaxPerMunicipality > 0 {
				state.Form.Values["max_per_municipality"] = strconv.Itoa(saved.MaxPerMunicipality)
			}
		}
		return s.renderAssignment(c, http.StatusOK, ev, state)
	}
	opt, fields := planOptions(state.Form.Values)
	if len(fields) > 0 {
		state.Form.Fields, state.Form.Message = fields, "Bitte prüfen Sie die markierten Angaben."
		return s.renderAssignment(c, http.StatusUnprocessableEntity, ev, state)
	}
	pl, err := s.WorkingGroups.Plan(c.Request.Context(), ev, opt)
	if err != nil {
		return s.assignmentFailed(c, ev, state, err)
	}
	state.Preview = &pl
	return s.renderAssignment(c, http.StatusOK, ev, state)
}

// assignmentFailed shows a user's error (invalid, conflict, not found) on
// the assignment page; anything else goes to fail.
func (s *Server) assignmentFailed(c *gin.Context, ev event.Event, state assignmentState, err error) error {
	pe := classify(err)
	switch pe.Code {
	case problem.Invalid, problem.Conflict, problem.NotFound:
	default:
		return err
	}
	if state.Move.Key != "" {
		state.Move.Message = pe.Message
	} else {
		state.Form.Message, state.Form.Fields = pe.Message, pe.Fields
	}
	return s.renderAssignment(c, statusOf(pe.Code), ev, state)
}

func (s *Server) adminAssignmentApply(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	state := assignmentState{Form: planForm{Values: postedValues(c, planFormKeys)}}
	opt, fields := planOptions(state.Form.Values)
	if len(fields) > 0 {
		state.Form.Fields, state.Form.Message = fields, "Bitte prüfen Sie die markierten Angaben."
		return s.renderAssignment(c, http.StatusUnprocessableEntity, ev, state)
	}
	fingerprint := c.PostForm("fingerprint")
	if fingerprint == "" { // the page saves only what was previewed
		return s.assignmentFailed(c, ev, state, problem.New(problem.Invalid, "Bitte berechnen Sie zuerst eine Vorschau und speichern Sie dann diese."))
	}
	pl, err := s.WorkingGroups.Apply(ctx, ev, opt, fingerprint, actorOf(c))
	if err != nil {
		// A stale preview: show the message with a fresh preview to check.
		if fresh, perr := s.WorkingGroups.Plan(ctx, ev, opt); perr == nil && problem.Is(err, problem.Conflict) {
			state.Preview = &fresh
		}
		return s.assignmentFailed(c, ev, state, err)
	}
	s.flash(c, fmt.Sprintf("Die Zuteilung ist gespeichert: %d Plätze in Arbeitsgruppen, %d Änderungen.", len(pl.Assignments), len(pl.Changes)))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/assignment", ev.ID))
	return nil
}

func (s *Server) adminAssignmentMove(c *gin.Context) error {
	ev, rid, err := s.eventAndID(c, "rid")
	if err != nil {
		return err
	}
	state := assignmentState{Move: moveError{Key: rid2slot(rid, c.PostForm("slot"))}}
	gid, err := strconv.ParseInt(c.PostForm("working_group_id"), 10, 64)
	if err != nil {
		return s.assignmentFailed(c, ev, state, &problem.Error{Code: problem.Invalid, Message: "Bitte wählen Sie eine Arbeitsgruppe."})
	}
	a, err := s.WorkingGroups.Move(c.Request.Context(), ev, rid, gid, c.PostForm("locked") != "", actorOf(c))
	if err != nil {
		return s.assignmentFailed(c, ev, state, err)
	}
	s.flash(c, "Die Zuteilung ist geändert"+map[bool]string{true: " und gesperrt.", false: "."}[a.Locked])
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/assignment#p-%d-%d", ev.ID, rid, a.SlotID))
	return nil
}

func rid2slot(rid int64, slot string) string { return strconv.FormatInt(rid, 10) + "-" + slot }

func (s *Server) adminAssignmentLock(c *gin.Context) error {
	ev, rid, err := s.eventAndID(c, "rid")
	if err != nil {
		return err
	}
	state := assignmentState{Move: moveError{Key: rid2slot(rid, c.PostForm("slot"))}}
	slot, err := strconv.ParseInt(c.PostForm("slot"), 10, 64)
	if err != nil {
		return s.assignmentFailed(c, ev, state, problem.New(problem.Invalid, "Das Zeitfenster fehlt."))
	}
	locked := c.PostForm("locked") != ""
	if err := s.WorkingGroups.SetLock(c.Request.Context(), ev, rid, slot, locked, actorOf(c)); err != nil {
		return s.assignmentFailed(c, ev, state, err)
	}
	s.flash(c, map[bool]string{true: "Die Zuteilung ist gesperrt: Die nächste Berechnung behält sie bei.", false: "Die Zuteilung ist entsperrt."}[locked])
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/assignment#p-%d-%d", ev.ID, rid, slot))
	return nil
}

func (s *Server) adminAssignmentMail(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.WorkingGroups.QueueAssignmentMails(c.Request.Context(), ev, s.Now(), actorOf(c))
	if err != nil {
		return err
	}
	switch n {
	case 0:
		s.flash(c, "Es ist noch niemand eingeteilt: Es wurden keine E-Mails vorgemerkt.")
	case 1:
		s.flash(c, "1 E-Mail mit der Zuteilung wird versendet.")
	default:
		s.flash(c, fmt.Sprintf("%d E-Mails mit der Zuteilung werden versendet.", n))
	}
	if n > 0 {
		s.kickMail()
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/assignment", ev.ID))
	return nil
}

// apiTally counts how people fared in one slot or in all.
type apiTally struct {
	ByRank   []int `json:"by_rank"`
	Unranked int   `json:"unranked"`
	Unplaced int   `json:"unplaced"`
}

type apiSlotTally struct {
	Slot int64 `json:"slot"`
	apiTally
}

type apiStats struct {
	Overall apiTally       `json:"overall"`
	PerSlot []apiSlotTally `json:"per_slot"`
}

type apiUnassigned struct {
	RegistrationID int64  `json:"registration_id"`
	Slot           int64  `json:"slot"`
	Reason         string `json:"reason"`
}

func tallyBody(t workinggroup.Tally) apiTally {
	out := apiTally{ByRank: t.ByRank, Unranked: t.Unranked, Unplaced: t.Unplaced}
	if out.ByRank == nil {
		out.ByRank = []int{}
	}
	return out
}

func statsBody(st workinggroup.Stats) apiStats {
	out := apiStats{Overall: tallyBody(st.Overall), PerSlot: make([]apiSlotTally, 0, len(st.PerSlot))}
	for slot, t := range st.PerSlot {
		out.PerSlot = append(out.PerSlot, apiSlotTally{Slot: int64(slot), apiTally: tallyBody(t)})
	}
	sort.Slice(out.PerSlot, func(i, j int) bool { return out.PerSlot[i].Slot < out.PerSlot[j].Slot })
	return out
}

func unassignedBodies(us []workinggroup.Unassigned) []apiUnassigned {
	out := make([]apiUnassigned, len(us))
	for i, u := range us {
		out[i] = apiUnassigned{RegistrationID: u.ParticipantID, Slot: int64(u.Slot), Reason: u.Reason}
	}
	return out
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// apiAssignmentBody is the saved assignment with its statistics and the
// limit it was saved with.
type apiAssignmentBody struct {
	Items              []workinggroup.Assignment `json:"items"`
	Total              int                       `json:"total"`
	Stats              apiStats                  `json:"stats"`
	Unassigned         []apiUnassigned           `json:"unassigned"`
	MaxPerMunicipality int                       `json:"max_per_municipality"`
}

// apiPlanBody is the outcome of a run, saved or not.
type apiPlanBody struct {
	Saved       bool                      `json:"saved"`
	Fingerprint string                    `json:"fingerprint"`
	Stats       apiStats                  `json:"stats"`
	Changes     []workinggroup.Change     `json:"changes"`
	Unassigned  []apiUnassigned           `json:"unassigned"`
	Items       []workinggroup.Assignment `json:"items"`
}

func (s *Server) apiAssignment(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	st, err := s.WorkingGroups.Standing(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	saved, err := s.WorkingGroups.SavedOptions(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiAssignmentBody{Items: nonNil(st.Assignments), Total: len(st.Assignments),
		Stats: statsBody(st.Stats), Unassigned: unassignedBodies(st.Unassigned), MaxPerMunicipality: saved.MaxPerMunicipality})
	return nil
}

func (s *Server) apiAssignmentRun(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in struct {
		MaxPerMunicipality int    `json:"max_per_municipality"`
		KeepCurrent        bool   `json:"keep_current"`
		DryRun             bool   `json:"dry_run"`
		Fingerprint        string `json:"fingerprint"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.MaxPerMunicipality < 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"max_per_municipality": "Bitte eine Zahl ab 0 angeben (0 = keine Grenze)."}}
	}
	opt := workinggroup.PlanOptions{MaxPerMunicipality: in.MaxPerMunicipality, KeepCurrent: in.KeepCurrent}
	var pl workinggroup.Plan
	if in.DryRun {
		pl, err = s.WorkingGroups.Plan(ctx, ev, opt)
	} else {
		pl, err = s.WorkingGroups.Apply(ctx, ev, opt, in.Fingerprint, actorOf(c))
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, apiPlanBody{Saved: !in.DryRun, Fingerprint: pl.Fingerprint, Stats: statsBody(pl.Solution.Stats),
		Changes: nonNil(pl.Changes), Unassigned: unassignedBodies(pl.Solution.Unassigned), Items: nonNil(pl.Assignments)})
	return nil
}

func (s *Server) apiAssignmentMove(c *gin.Context) error {
	ev, rid, err := s.eventAndID(c, "rid")
	if err != nil {
		return err
	}
	var in struct {
		WorkingGroupID int64 `json:"working_group_id"`
		Locked         bool  `json:"locked"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.WorkingGroupID <= 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"working_group_id": "Bitte die Arbeitsgruppe angeben."}}
	}
	a, err := s.WorkingGroups.Move(c.Request.Context(), ev, rid, in.WorkingGroupID, in.Locked, actorOf(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, a)
	return nil
}

func (s *Server) apiAssignmentLock(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, rid, err := s.eventAndID(c, "rid")
	if err != nil {
		return err
	}
	var in struct {
		Slot   int64 `json:"slot"`
		Locked bool  `json:"locked"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.WorkingGroups.SetLock(ctx, ev, rid, in.Slot, in.Locked, actorOf(c)); err != nil {
		return err
	}
	all, err := s.WorkingGroups.Assignments(ctx, ev.ID)
	if err != nil {
		return err
	}
	for _, a := range all {
		if a.RegistrationID == rid && a.SlotID == in.Slot {
			c.JSON(http.StatusOK, a)
			return nil
		}
	}
	return fmt.Errorf("assignment of registration %d in slot %d vanished after locking", rid, in.Slot)
}
