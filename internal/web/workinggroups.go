package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// groupForm is the working-group editor's state: raw strings as typed,
// the input rows, and messages.
type groupForm struct {
	ID      int64
	Values  map[string]string
	Inputs  []inputRow
	Fields  map[string]string
	Message string
}

// inputRow is one input of the editor: "Stadt Ahlen – Steuerungsstruktur (Herr Meier)".
type inputRow struct {
	MunicipalityID string
	Title          string
	Speaker        string
	RegistrationID string // the speaker's registration, set through the API; kept on edit
}

// inputRows is how many inputs the editor offers.
const inputRows = 4

var groupFormKeys = []string{"title", "theme", "description", "room", "capacity", "moderators", "day", "starts_at", "ends_at"}

func newGroupForm(ev event.Event) groupForm {
	return groupForm{Values: map[string]string{"capacity": "20", "day": ev.Days.First().String(), "starts_at": "14:00", "ends_at": "15:30"},
		Inputs: make([]inputRow, inputRows)}
}

func formFromGroup(g workinggroup.Group, slot workinggroup.Slot) groupForm {
	f := groupForm{ID: g.ID, Values: map[string]string{"title": g.Title, "theme": g.Theme, "description": g.Description,
		"room": g.Room, "capacity": strconv.Itoa(g.Capacity), "moderators": g.Moderators,
		"day": slot.Day.String(), "starts_at": slot.StartsAt, "ends_at": slot.EndsAt}}
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	for _, in := range g.Inputs {
		f.Inputs = append(f.Inputs, inputRow{MunicipalityID: id(in.MunicipalityID), Title: in.Title, Speaker: in.Speaker, RegistrationID: id(in.RegistrationID)})
	}
	for len(f.Inputs) < inputRows {
		f.Inputs = append(f.Inputs, inputRow{})
	}
	return f
}

// postedGroupForm reads the editor; the input rows come as parallel lists.
func postedGroupForm(c *gin.Context, id int64) groupForm {
	f := groupForm{ID: id, Values: postedValues(c, groupFormKeys)}
	munis, titles, speakers, regs := c.PostFormArray("input_municipality_id"), c.PostFormArray("input_title"),
		c.PostFormArray("input_speaker"), c.PostFormArray("input_registration_id")
	at := func(l []string, i int) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	for i := 0; i < max(inputRows, len(titles)); i++ {
		f.Inputs = append(f.Inputs, inputRow{MunicipalityID: at(munis, i), Title: at(titles, i), Speaker: at(speakers, i), RegistrationID: at(regs, i)})
	}
	return f
}

// groupInput turns the editor's strings into a workinggroup.GroupInput;
// unreadable numbers and dates become field messages.
func groupInput(f groupForm) (workinggroup.GroupInput, map[string]string) {
	fields := map[string]string{}
	str := func(k string) *string { v := f.Values[k]; return &v }
	in := workinggroup.GroupInput{Title: str("title"), Theme: str("theme"), Description: str("description"),
		Room: str("room"), Moderators: str("moderators"), StartsAt: str("starts_at"), EndsAt: str("ends_at")}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Values["capacity"])); err != nil {
		fields["capacity"] = "Bitte die Zahl der Plätze angeben."
	} else {
		in.Capacity = &n
	}
	if d, err := day.Parse(f.Values["day"]); err != nil {
		fields["day"] = "Bitte einen der Veranstaltungstage wählen."
	} else {
		in.Day = &d
	}
	idOf := func(raw string) *int64 {
		if n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64); err == nil && n > 0 {
			return &n
		}
		if strings.TrimSpace(raw) != "" {
			fields["inputs"] = "Bitte die Kommune eines Inputs aus der Liste wählen."
		}
		return nil
	}
	specs := make([]workinggroup.InputSpec, 0, len(f.Inputs))
	for _, row := range f.Inputs {
		specs = append(specs, workinggroup.InputSpec{MunicipalityID: idOf(row.MunicipalityID), Title: row.Title,
			Speaker: row.Speaker, RegistrationID: idOf(row.RegistrationID)})
	}
	in.Inputs = &specs
	return in, fields
}

// groupSlot is a slot with its groups for the overview.
type groupSlot struct {
	workinggroup.Slot
	Groups []groupRow
}

type groupRow struct {
	workinggroup.Group
	Wishes   []int // per rank: how many chose the group 1st, 2nd…
	Assigned int
}

// groupSlots arranges the meeting's groups by slot; slots without groups
// (left behind when a group moved) are skipped.
func (s *Server) groupSlots(ctx context.Context, ev event.Event) ([]groupSlot, error) {
	slots, groups, err := s.WorkingGroups.SlotsAndGroups(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.WorkingGroups.WishCounts(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	st, err := s.WorkingGroups.Standing(ctx, ev)
	if err != nil {
		return nil, err
	}
	assigned := map[int64]int{}
	for _, a := range st.Assignments {
		assigned[a.WorkingGroupID]++
	}
	var out []groupSlot
	for _, sl := range slots {
		gs := groupSlot{Slot: sl}
		for _, g := range groups {
			if g.SlotID == sl.ID {
				wishes := make([]int, max(ev.PreferenceRanks, 1))
				copy(wishes, counts[g.ID])
				gs.Groups = append(gs.Groups, groupRow{Group: g, Wishes: wishes, Assigned: assigned[g.ID]})
			}
		}
		if len(gs.Groups) > 0 {
			out = append(out, gs)
		}
	}
	return out, nil
}

func (s *Server) adminWorkingGroups(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderWorkingGroups(c, http.StatusOK, ev, newGroupForm(ev))
}

func (s *Server) renderWorkingGroups(c *gin.Context, status int, ev event.Event, form groupForm) error {
	ctx := c.Request.Context()
	slots, err := s.groupSlots(ctx, ev)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_working_groups.html", "Arbeitsgruppen: "+ev.Name(), gin.H{"Event": ev, "Slots": slots,
		"Form": form, "Municipalities": sortedMunicipalities(munis), "MunicipalityNames": munis})
}

func (s *Server) adminWorkingGroupEdit(c *gin.Context) error {
	ev, gid, err := s.eventAndID(c, "gid")
	if err != nil {
		return err
	}
	g, err := s.WorkingGroups.Group(c.Request.Context(), ev.ID, gid)
	if err != nil {
		return err
	}
	slots, err := s.WorkingGroups.Slots(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	var slot workinggroup.Slot
	for _, sl := range slots {
		if sl.ID == g.SlotID {
			slot = sl
		}
	}
	return s.renderGroupEdit(c, http.StatusOK, ev, formFromGroup(g, slot))
}

func (s *Server) renderGroupEdit(c *gin.Context, status int, ev event.Event, form groupForm) error {
	munis, err := s.Municipalities.List(c.Request.Context())
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_working_group.html", "Arbeitsgruppe bearbeiten", gin.H{"Event": ev, "Form": form, "Municipalities": munis})
}

// adminWorkingGroupSave creates a group, or updates the group :gid.
func (s *Server) adminWorkingGroupSave(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, gid, err := s.eventAndOptionalID(c, "gid")
	if err != nil {
		return err
	}
	form := postedGroupForm(c, gid)
	rerender := func(fields map[string]string, message string) error {
		form.Fields, form.Message = fields, message
		if gid == 0 {
			return s.renderWorkingGroups(c, http.StatusUnprocessableEntity, ev, form)
		}
		return s.renderGroupEdit(c, http.StatusUnprocessableEntity, ev, form)
	}
	in, fields := groupInput(form)
	if len(fields) > 0 {
		return rerender(fields, "Bitte prüfen Sie die markierten Angaben.")
	}
	g, err := s.WorkingGroups.SaveGroup(ctx, ev, gid, in)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return rerender(pe.Fields, pe.Message)
		}
		return err
	}
	s.flash(c, "Die Arbeitsgruppe „"+g.Title+"“ ist gespeichert.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/working-groups", ev.ID))
	return nil
}

func (s *Server) adminWorkingGroupDelete(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, gid, err := s.eventAndID(c, "gid")
	if err != nil {
		return err
	}
	g, err := s.WorkingGroups.Group(ctx, ev.ID, gid)
	if err != nil {
		return err
	}
	if err := s.WorkingGroups.DeleteGroup(ctx, ev.ID, gid); err != nil {
		return err
	}
	s.flash(c, "Die Arbeitsgruppe „"+g.Title+"“ ist gelöscht, mit den Wünschen und Zuteilungen dazu.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/working-groups", ev.ID))
	return nil
}

// apiGroupBody is a working group as the API shows it: with its slot and
// how many chose it at each rank.
type apiGroupBody struct {
	workinggroup.Group
	Slot         workinggroup.Slot `json:"slot"`
	WishesByRank []int             `json:"wishes_by_rank"`
}

func (s *Server) groupBodies(ctx context.Context, ev event.Event, groups []workinggroup.Group) ([]apiGroupBody, error) {
	slots, err := s.WorkingGroups.Slots(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.WorkingGroups.WishCounts(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	out := make([]apiGroupBody, len(groups))
	for i, g := range groups {
		out[i] = apiGroupBody{Group: g, WishesByRank: make([]int, max(ev.PreferenceRanks, 1))}
		copy(out[i].WishesByRank, counts[g.ID])
		if out[i].Inputs == nil {
			out[i].Inputs = []workinggroup.Input{}
		}
		for _, sl := range slots {
			if sl.ID == g.SlotID {
				out[i].Slot = sl
			}
		}
	}
	return out, nil
}

func (s *Server) apiWorkingGroups(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	groups, err := s.WorkingGroups.Groups(ctx, ev.ID)
	if err != nil {
		return err
	}
	out, err := s.groupBodies(ctx, ev, groups)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

// apiWorkingGroupSave creates a group, or updates the group :gid.
func (s *Server) apiWorkingGroupSave(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, gid, err := s.eventAndOptionalID(c, "gid")
	if err != nil {
		return err
	}
	var in workinggroup.GroupInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	g, err := s.WorkingGroups.SaveGroup(ctx, ev, gid, in)
	if err != nil {
		return err
	}
	out, err := s.groupBodies(ctx, ev, []workinggroup.Group{g})
	if err != nil {
		return err
	}
	if gid == 0 {
		c.Header("Location", fmt.Sprintf("/api/v1/events/%d/working-groups/%d", ev.ID, g.ID))
		c.JSON(http.StatusCreated, out[0])
		return nil
	}
	c.JSON(http.StatusOK, out[0])
	return nil
}

func (s *Server) apiWorkingGroupDelete(c *gin.Context) error {
	ev, gid, err := s.eventAndID(c, "gid")
	if err != nil {
		return err
	}
	if err := s.WorkingGroups.DeleteGroup(c.Request.Context(), ev.ID, gid); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
