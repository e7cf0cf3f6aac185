package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/icalendar"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// programme is a meeting's programme as the pages, the feed and the PDF
// show it: the items day by day, each with the working groups of its
// linked slot.
type programme struct {
	Days           []programmeDay
	Items          []agenda.Item
	Slots          []workinggroup.Slot
	Groups         []workinggroup.Group
	Municipalities map[int64]municipality.Municipality // named by the groups' inputs
}

type programmeDay struct {
	Day   day.Date
	Items []programmeItem
}

// programmeItem is an item with the slot it stands for and the groups
// that run in parallel in it.
type programmeItem struct {
	agenda.Item
	Slot   *workinggroup.Slot
	Groups []programmeGroup
}

// programmeGroup is a working group with its inputs written out:
// "Stadt Ahlen – Steuerungsstruktur (Frau Özdemir)".
type programmeGroup struct {
	workinggroup.Group
	InputLines []string
}

// Heading is "Begrüßung", "Fachimpuls: Title" or a title that already
// names the kind ("Arbeitsgruppen am Nachmittag"), for lines that show
// both.
func (it programmeItem) Heading() string {
	label := it.Kind.Label()
	switch {
	case it.Title == "":
		return label
	case strings.HasPrefix(strings.ToLower(it.Title), strings.ToLower(label)):
		return it.Title
	}
	return label + ": " + it.Title
}

// ShowsKind reports whether the kind is worth showing above the title.
func (it programmeItem) ShowsKind() bool { return it.Title != "" && it.Heading() != it.Title }

// loadProgramme reads the items, slots and groups of ev and arranges them.
func (s *Server) loadProgramme(ctx context.Context, ev event.Event) (programme, error) {
	var p programme
	var err error
	if p.Items, err = s.Agenda.Items(ctx, ev.ID); err != nil {
		return p, err
	}
	if p.Slots, err = s.WorkingGroups.Slots(ctx, ev.ID); err != nil {
		return p, err
	}
	if p.Groups, err = s.WorkingGroups.Groups(ctx, ev.ID); err != nil {
		return p, err
	}
	if p.Municipalities, err = s.Municipalities.ByID(ctx); err != nil {
		return p, err
	}
	munis := p.Municipalities
	for _, it := range p.Items {
		pi := programmeItem{Item: it}
		if it.WorkingGroupSlotID != nil {
			for i := range p.Slots {
				if p.Slots[i].ID == *it.WorkingGroupSlotID {
					pi.Slot = &p.Slots[i]
				}
			}
			for _, g := range p.Groups {
				if g.SlotID == *it.WorkingGroupSlotID {
					pg := programmeGroup{Group: g}
					for _, in := range g.Inputs {
						var name string
						if in.MunicipalityID != nil {
							name = munis[*in.MunicipalityID].Name
						}
						pg.InputLines = append(pg.InputLines, in.Line(name))
					}
					pi.Groups = append(pi.Groups, pg)
				}
			}
		}
		if n := len(p.Days); n == 0 || p.Days[n-1].Day != it.Day {
			p.Days = append(p.Days, programmeDay{Day: it.Day})
		}
		p.Days[len(p.Days)-1].Items = append(p.Days[len(p.Days)-1].Items, pi)
	}
	return p, nil
}

// agendaForm is the programme editor's state: the values as typed, the
// speaker rows and the messages.
type agendaForm struct {
	ID       int64
	Values   map[string]string
	Speakers []agenda.Speaker
	Fields   map[string]string
	Message  string
}

// speakerRows is how many speakers the editor offers.
const speakerRows = 4

var agendaFormKeys = []string{"day", "starts_at", "ends_at", "kind", "title", "description", "room", "moderation", "working_group_slot_id"}

// Summary lists the messages in the order of the form's fields.
func (f agendaForm) Summary() [][2]string {
	order := append(append([]string(nil), agendaFormKeys...), "speakers")
	var out [][2]string
	seen := map[string]bool{}
	for _, k := range order {
		if m, ok := f.Fields[k]; ok {
			out = append(out, [2]string{k, m})
			seen[k] = true
		}
	}
	for _, kv := range fieldOrder(f.Fields) {
		if !seen[kv[0]] {
			out = append(out, kv)
		}
	}
	return out
}

// newAgendaForm proposes the next item: after the last one, or at the
// start of the meeting.
func newAgendaForm(ev event.Event, items []agenda.Item) agendaForm {
	d, start := ev.Days.First(), ev.StartTime
	if n := len(items); n > 0 {
		d, start = items[n-1].Day, items[n-1].EndsAt
	}
	end := start
	if m, ok := event.ParseClock(start); ok && m+30 < 24*60 {
		end = fmt.Sprintf("%02d:%02d", (m+30)/60, (m+30)%60)
	}
	return agendaForm{Values: map[string]string{"day": d.String(), "starts_at": start, "ends_at": end, "kind": string(agenda.Talk)},
		Speakers: make([]agenda.Speaker, speakerRows)}
}

func formFromItem(it agenda.Item) agendaForm {
	slot := ""
	if it.WorkingGroupSlotID != nil {
		slot = strconv.FormatInt(*it.WorkingGroupSlotID, 10)
	}
	f := agendaForm{ID: it.ID, Values: map[string]string{"day": it.Day.String(), "starts_at": it.StartsAt, "ends_at": it.EndsAt,
		"kind": string(it.Kind), "title": it.Title, "description": it.Description, "room": it.Room, "moderation": it.Moderation,
		"working_group_slot_id": slot}}
	f.Speakers = append(f.Speakers, it.Speakers...)
	for len(f.Speakers) < speakerRows {
		f.Speakers = append(f.Speakers, agenda.Speaker{})
	}
	return f
}

// postedAgendaForm reads the editor; the speaker rows come as parallel lists.
func postedAgendaForm(c *gin.Context, id int64) agendaForm {
	f := agendaForm{ID: id, Values: postedValues(c, agendaFormKeys)}
	names, titles, functions, orgs := c.PostFormArray("speaker_name"), c.PostFormArray("speaker_title"),
		c.PostFormArray("speaker_function"), c.PostFormArray("speaker_organisation")
	at := func(l []string, i int) string {
		if i < len(l) {
			return l[i]
		}
		return ""
	}
	for i := 0; i < max(speakerRows, len(names)); i++ {
		f.Speakers = append(f.Speakers, agenda.Speaker{Name: at(names, i), Title: at(titles, i), Function: at(functions, i), Organisation: at(orgs, i)})
	}
	return f
}

// agendaInput turns the editor's strings into an agenda.Input; what the
// form itself can tell (a day, a slot, a speaker without a name) becomes
// field messages.
func agendaInput(f agendaForm) (agenda.Input, map[string]string) {
	fields := map[string]string{}
	str := func(k string) *string { v := f.Values[k]; return &v }
	kind := agenda.Kind(f.Values["kind"])
	in := agenda.Input{StartsAt: str("starts_at"), EndsAt: str("ends_at"), Kind: &kind, Title: str("title"),
		Description: str("description"), Room: str("room"), Moderation: str("moderation")}
	if d, err := day.Parse(f.Values["day"]); err != nil {
		fields["day"] = "Bitte wählen Sie einen der Veranstaltungstage."
	} else {
		in.Day = &d
	}
	slot := int64(0) // none: unlinks
	if raw := strings.TrimSpace(f.Values["working_group_slot_id"]); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			fields["working_group_slot_id"] = "Bitte wählen Sie ein Zeitfenster aus der Liste."
		}
		slot = n
	}
	in.WorkingGroupSlotID = &slot
	speakers := make([]agenda.Speaker, 0, len(f.Speakers))
	for _, sp := range f.Speakers {
		if strings.TrimSpace(sp.Name) == "" && strings.TrimSpace(sp.Title+sp.Function+sp.Organisation) != "" {
			fields["speakers"] = "Bitte geben Sie bei jeder mitwirkenden Person den Namen an."
		}
		speakers = append(speakers, sp)
	}
	in.Speakers = &speakers
	return in, fields
}

// option is an entry of a select.
type option struct {
	Value string
	Label string
}

// slotOptions names the meeting's working-group slots for the editor.
func slotOptions(p programme) []option {
	out := make([]option, 0, len(p.Slots))
	for _, sl := range p.Slots {
		n := 0
		for _, g := range p.Groups {
			if g.SlotID == sl.ID {
				n++
			}
		}
		label := fmt.Sprintf("%s, %s–%s Uhr", sl.Day.German(), sl.StartsAt, sl.EndsAt)
		if sl.Label != "" {
			label += " · " + sl.Label
		}
		if n == 1 {
			label += " (1 Arbeitsgruppe)"
		} else {
			label += fmt.Sprintf(" (%d Arbeitsgruppen)", n)
		}
		out = append(out, option{strconv.FormatInt(sl.ID, 10), label})
	}
	return out
}

// copyForm is the "Programm übernehmen von" form.
type copyForm struct {
	From  string
	Error string
}

// copySources are the earlier meetings with a programme to take over.
func (s *Server) copySources(ctx context.Context, ev event.Event) ([]option, error) {
	all, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, other := range all {
		if other.ID == ev.ID || !other.Days.First().Before(ev.Days.First()) {
			continue
		}
		items, err := s.Agenda.Items(ctx, other.ID)
		if err != nil {
			return nil, err
		}
		if len(items) > 0 {
			out = append(out, option{strconv.FormatInt(other.ID, 10),
				fmt.Sprintf("%s (%s, %s)", other.Name(), other.Days.German(), countItems(len(items)))})
		}
	}
	return out, nil
}

func countItems(n int) string {
	if n == 1 {
		return "1 Programmpunkt"
	}
	return fmt.Sprintf("%d Programmpunkte", n)
}

func (s *Server) adminProgramme(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderProgramme(c, http.StatusOK, ev, programmeState{})
}

// programmeState is what the editor shows besides the programme: the
// new item's form (nil proposes the next item), the copy form and why a
// slot could not take an item's time.
type programmeState struct {
	Form  *agendaForm
	Copy  copyForm
	Align string
}

// programmeWarning is an editor's hint; AlignTo names the item's time
// when the slot it stands for can be set to it.
type programmeWarning struct {
	agenda.Warning
	AlignTo string
}

// programmeWarnings are the programme's own hints and items whose
// working-group slot runs at another time.
func programmeWarnings(ev event.Event, items []agenda.Item, slots []workinggroup.Slot) []agenda.Warning {
	times := make([]agenda.SlotTime, len(slots))
	for i, sl := range slots {
		times[i] = agenda.SlotTime{ID: sl.ID, Day: sl.Day, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt}
	}
	return append(agenda.Check(ev, items), agenda.CheckSlots(items, times)...)
}

func editorWarnings(ev event.Event, p programme) []programmeWarning {
	ws := programmeWarnings(ev, p.Items, p.Slots)
	out := make([]programmeWarning, len(ws))
	for i, w := range ws {
		out[i].Warning = w
		for _, it := range p.Items {
			if w.SlotID != 0 && it.ID == w.ItemID {
				out[i].AlignTo = it.StartsAt + "–" + it.EndsAt + " Uhr"
				if len(ev.Days) > 1 {
					out[i].AlignTo = it.Day.German() + ", " + out[i].AlignTo
				}
			}
		}
	}
	return out
}

// renderProgramme shows the editor.
func (s *Server) renderProgramme(c *gin.Context, status int, ev event.Event, st programmeState) error {
	ctx := c.Request.Context()
	p, err := s.loadProgramme(ctx, ev)
	if err != nil {
		return err
	}
	sources, err := s.copySources(ctx, ev)
	if err != nil {
		return err
	}
	if st.Form == nil {
		f := newAgendaForm(ev, p.Items)
		st.Form = &f
	}
	return s.html(c, status, "admin_programme.html", "Programm: "+ev.Name(), gin.H{"Event": ev, "Programme": p,
		"Warnings": editorWarnings(ev, p), "Form": st.Form, "Kinds": agenda.Kinds, "Slots": slotOptions(p),
		"Sources": sources, "Copy": st.Copy, "Align": st.Align})
}

// adminProgrammeAlignSlot sets the working-group slot an item stands for
// to the item's day and times. The slot follows the programme: that is
// where organisers plan the day and what participants read, and moving
// the slot keeps its groups' wishes and assignments.
func (s *Server) adminProgrammeAlignSlot(c *gin.Context) error {
	ev, it, err := s.adminAgendaItem(c)
	if err != nil {
		return err
	}
	if it.WorkingGroupSlotID == nil {
		return s.renderProgramme(c, http.StatusConflict, ev, programmeState{Align: "„" + it.DisplayTitle() + "“ ist mit keinen Arbeitsgruppen verknüpft."})
	}
	slot, err := s.WorkingGroups.MoveSlot(c.Request.Context(), ev, *it.WorkingGroupSlotID, it.Day, it.StartsAt, it.EndsAt)
	if err != nil {
		switch pe := classify(err); pe.Code {
		case problem.Conflict, problem.Invalid, problem.NotFound:
			msg := pe.Message
			for _, kv := range fieldOrder(pe.Fields) { // no fields to mark here: say what is wrong
				msg = kv[1]
				break
			}
			if err := s.renderProgramme(c, statusOf(pe.Code), ev, programmeState{Align: msg}); err != nil {
				return err
			}
		default:
			return err
		}
		return nil
	}
	s.flash(c, fmt.Sprintf("Die Arbeitsgruppen laufen jetzt wie im Programm am %s, %s–%s Uhr.", slot.Day.German(), slot.StartsAt, slot.EndsAt))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/programme#tag-%s", ev.ID, it.Day))
	return nil
}

func (s *Server) renderProgrammeItem(c *gin.Context, status int, ev event.Event, form agendaForm) error {
	p, err := s.loadProgramme(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	return s.html(c, status, "admin_programme_item.html", "Programmpunkt bearbeiten", gin.H{"Event": ev, "Form": form,
		"Kinds": agenda.Kinds, "Slots": slotOptions(p)})
}

// adminAgendaItem loads the meeting :id and its programme item :aid.
func (s *Server) adminAgendaItem(c *gin.Context) (event.Event, agenda.Item, error) {
	ev, err := s.eventParam(c)
	if err != nil {
		return ev, agenda.Item{}, err
	}
	it, err := s.agendaItemOf(c, ev)
	return ev, it, err
}

// agendaItemOf loads the item :aid of the meeting ev.
func (s *Server) agendaItemOf(c *gin.Context, ev event.Event) (agenda.Item, error) {
	aid, err := paramID(c, "aid")
	if err != nil {
		return agenda.Item{}, err
	}
	it, err := s.Agenda.Item(c.Request.Context(), aid)
	if err == nil && it.EventID != ev.ID {
		err = agenda.ErrNotFound
	}
	return it, err
}

func (s *Server) adminProgrammeEdit(c *gin.Context) error {
	ev, it, err := s.adminAgendaItem(c)
	if err != nil {
		return err
	}
	return s.renderProgrammeItem(c, http.StatusOK, ev, formFromItem(it))
}

func (s *Server) adminProgrammeCreate(c *gin.Context) error { return s.saveAgendaItem(c, false) }

func (s *Server) adminProgrammeUpdate(c *gin.Context) error { return s.saveAgendaItem(c, true) }

func (s *Server) saveAgendaItem(c *gin.Context, update bool) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var it agenda.Item
	if update {
		if it, err = s.agendaItemOf(c, ev); err != nil {
			return err
		}
	}
	form := postedAgendaForm(c, it.ID)
	rerender := func(fields map[string]string, message string) error {
		form.Fields, form.Message = fields, message
		if update {
			return s.renderProgrammeItem(c, http.StatusUnprocessableEntity, ev, form)
		}
		return s.renderProgramme(c, http.StatusUnprocessableEntity, ev, programmeState{Form: &form})
	}
	in, fields := agendaInput(form)
	if len(fields) > 0 {
		return rerender(fields, "Bitte prüfen Sie die markierten Angaben.")
	}
	if update {
		it, err = s.Agenda.Update(ctx, ev, it.ID, in)
	} else {
		it, err = s.Agenda.Create(ctx, ev, in)
	}
	if pe, ok := problem.As(err); ok && pe.Code == problem.Invalid {
		return rerender(pe.Fields, pe.Message)
	}
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("„%s“ (%s, %s–%s Uhr) ist gespeichert.", it.DisplayTitle(), it.Day.German(), it.StartsAt, it.EndsAt))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/programme#tag-%s", ev.ID, it.Day))
	return nil
}

func (s *Server) adminProgrammeDelete(c *gin.Context) error {
	ev, it, err := s.adminAgendaItem(c)
	if err != nil {
		return err
	}
	if err := s.Agenda.Delete(c.Request.Context(), it.ID); err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("„%s“ (%s, %s Uhr) ist gelöscht.", it.DisplayTitle(), it.Day.German(), it.StartsAt))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/programme", ev.ID))
	return nil
}

// adminProgrammeDuplicate copies an item, to the day in the form or the
// same day, and opens the copy to adjust its times.
func (s *Server) adminProgrammeDuplicate(c *gin.Context) error {
	ev, it, err := s.adminAgendaItem(c)
	if err != nil {
		return err
	}
	var to day.Date
	if raw := c.PostForm("day"); raw != "" {
		if to, err = day.Parse(raw); err != nil || !ev.Days.Contains(to) {
			return &problem.Error{Code: problem.Invalid, Message: "Bitte wählen Sie einen der Veranstaltungstage.",
				Fields: map[string]string{"day": "Bitte wählen Sie einen der Veranstaltungstage."}}
		}
	}
	dup, err := s.Agenda.Duplicate(c.Request.Context(), ev, it.ID, to)
	if err != nil {
		return err
	}
	s.flash(c, fmt.Sprintf("Kopie von „%s“ am %s angelegt. Passen Sie hier Zeit und Angaben an.", it.DisplayTitle(), dup.Day.GermanLong()))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/programme/%d", ev.ID, dup.ID))
	return nil
}

var errNoCopySource = problem.New(problem.Invalid, "Bitte wählen Sie eine frühere Veranstaltung aus der Liste.")

// copySource loads the meeting whose programme is to be taken over.
func (s *Server) copySource(ctx context.Context, ev event.Event, raw string) (event.Event, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == ev.ID {
		return event.Event{}, errNoCopySource
	}
	from, err := s.Events.Get(ctx, id)
	if problem.Is(err, problem.NotFound) {
		return from, errNoCopySource
	}
	return from, err
}

// adminProgrammeCopy takes over the programme of an earlier meeting.
func (s *Server) adminProgrammeCopy(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	cf := copyForm{From: c.PostForm("from")}
	from, err := s.copySource(ctx, ev, cf.From)
	if problem.Is(err, problem.Invalid) {
		cf.Error = classify(err).Message
		return s.renderProgramme(c, http.StatusUnprocessableEntity, ev, programmeState{Copy: cf})
	}
	if err != nil {
		return err
	}
	copied, skipped, err := s.Agenda.CopyProgramme(ctx, from, ev)
	if pe, ok := problem.As(err); ok && pe.Code == problem.Invalid {
		cf.Error = "Das Programm von " + from.Name() + " ließ sich nicht übernehmen: " + pe.Message
		return s.renderProgramme(c, http.StatusUnprocessableEntity, ev, programmeState{Copy: cf})
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s übernommen", countItems(copied))
	if skipped > 0 {
		msg += fmt.Sprintf(", %d ausgelassen (Tag fehlt)", skipped)
	}
	s.flash(c, msg+".")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/programme", ev.ID))
	return nil
}

// programmeICS is the programme as an iCalendar feed to subscribe to.
func (s *Server) programmeICS(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	p, err := s.loadProgramme(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	body, err := s.programmeCalendar(ev, p)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="programm-%d.ics"`, ev.ID))
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
	return nil
}

// programmeCalendar writes one VEVENT per item, in Europe/Berlin with a
// VTIMEZONE, with CRLF line ends. The UIDs stay the same while an item
// changes, so subscribed calendars update it in place.
func (s *Server) programmeCalendar(ev event.Event, p programme) ([]byte, error) {
	host := "treffen"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	cal := ics.NewCalendar()
	cal.SetProductId("-//Institut für Soziale Arbeit e.V.//treffen//DE")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("Programm: " + ev.Name())
	cal.SetXWRTimezone(icalendar.TZID)
	cal.SetXPublishedTTL("PT6H")
	cal.SetRefreshInterval("PT6H")
	cal.AddVTimezone(icalendar.BerlinTimezone())
	venue := strings.Join(ev.VenueLines(), ", ")
	for _, d := range p.Days {
		for _, it := range d.Items {
			start, _ := event.ParseClock(it.StartsAt)
			end, _ := event.ParseClock(it.EndsAt)
			e := cal.AddEvent(fmt.Sprintf("agenda-%d@%s", it.ID, host))
			stamp := it.UpdatedAt
			if stamp.IsZero() {
				stamp = s.Now()
			}
			e.SetDtStampTime(stamp)
			e.SetLastModifiedAt(stamp)
			e.SetProperty(ics.ComponentPropertyDtStart, it.Day.At(start/60, start%60).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
			e.SetProperty(ics.ComponentPropertyDtEnd, it.Day.At(end/60, end%60).Format(icalendar.LocalTime), ics.WithTZID(icalendar.TZID))
			e.SetSummary(it.Heading())
			if desc := itemDescription(ev, it); desc != "" {
				e.SetDescription(desc)
			}
			if loc := joinNonEmpty(", ", it.Room, venue); loc != "" {
				e.SetLocation(loc)
			}
			e.SetURL(fmt.Sprintf("%s/events/%d#programm", s.cfg.BaseURL, ev.ID))
			if ev.Status == event.Cancelled {
				e.SetStatus(ics.ObjectStatusCancelled)
			} else {
				e.SetStatus(ics.ObjectStatusConfirmed)
			}
		}
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("programme calendar of event %d: %w", ev.ID, err)
	}
	return b.Bytes(), nil
}

// itemDescription is the DESCRIPTION of an item's calendar entry:
// speakers, moderation, text and the parallel groups.
func itemDescription(ev event.Event, it programmeItem) string {
	var parts []string
	for _, sp := range it.Speakers {
		parts = append(parts, sp.Line())
	}
	if it.Moderation != "" {
		parts = append(parts, "Moderation: "+it.Moderation)
	}
	if it.Description != "" {
		parts = append(parts, it.Description)
	}
	if len(it.Groups) > 0 {
		lines := []string{"Parallele Arbeitsgruppen:"}
		for _, g := range it.Groups {
			line := "– " + g.Title
			if room := event.RoomLine(g.Room); room != "" {
				line += " (" + room + ")"
			}
			lines = append(lines, line)
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	parts = append(parts, ev.Name())
	return strings.Join(parts, "\n\n")
}

func joinNonEmpty(sep string, values ...string) string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// programmePDF prints the programme; public for public meetings.
func (s *Server) programmePDF(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	p, err := s.loadProgramme(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := document.Programme(&buf, &ev, p.Items, p.Slots, p.Groups, p.Municipalities, s.Now()); err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="programm-%d.pdf"`, ev.ID))
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// agendaList is the API's programme: the items and the editor's warnings.
type agendaList struct {
	list[agenda.Item]
	Warnings []agenda.Warning `json:"warnings"`
}

// agendaBody gives an item an empty speaker list rather than null.
func agendaBody(it agenda.Item) agenda.Item {
	if it.Speakers == nil {
		it.Speakers = []agenda.Speaker{}
	}
	return it
}

func (s *Server) apiAgendaItems(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	items, err := s.Agenda.Items(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	slots, err := s.WorkingGroups.Slots(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	for i := range items {
		items[i] = agendaBody(items[i])
	}
	out := agendaList{list: newList(items), Warnings: programmeWarnings(ev, items, slots)}
	if out.Warnings == nil {
		out.Warnings = []agenda.Warning{}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// decodeAgendaInput reads an item; a malformed date is reported for
// "day", the item's field, rather than decodeJSON's "days".
func decodeAgendaInput(c *gin.Context) (agenda.Input, error) {
	var in agenda.Input
	err := decodeJSON(c, &in)
	if pe, ok := problem.As(err); ok && pe.Fields["days"] != "" {
		pe.Fields = map[string]string{"day": pe.Fields["days"]}
	}
	return in, err
}

func (s *Server) apiAgendaItemCreate(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	in, err := decodeAgendaInput(c)
	if err != nil {
		return err
	}
	it, err := s.Agenda.Create(c.Request.Context(), ev, in)
	if err != nil {
		return err
	}
	c.Header("Location", fmt.Sprintf("/api/v1/agenda-items/%d", it.ID))
	c.JSON(http.StatusCreated, agendaBody(it))
	return nil
}

// apiAgendaItem loads the item :id and its meeting.
func (s *Server) apiAgendaItem(c *gin.Context) (agenda.Item, event.Event, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return agenda.Item{}, event.Event{}, agenda.ErrNotFound
	}
	it, err := s.Agenda.Item(c.Request.Context(), id)
	if err != nil {
		return it, event.Event{}, err
	}
	ev, err := s.Events.Get(c.Request.Context(), it.EventID)
	return it, ev, err
}

func (s *Server) apiAgendaItemUpdate(c *gin.Context) error {
	it, ev, err := s.apiAgendaItem(c)
	if err != nil {
		return err
	}
	in, err := decodeAgendaInput(c)
	if err != nil {
		return err
	}
	if it, err = s.Agenda.Update(c.Request.Context(), ev, it.ID, in); err != nil {
		return err
	}
	c.JSON(http.StatusOK, agendaBody(it))
	return nil
}

func (s *Server) apiAgendaItemDelete(c *gin.Context) error {
	it, _, err := s.apiAgendaItem(c)
	if err != nil {
		return err
	}
	if err := s.Agenda.Delete(c.Request.Context(), it.ID); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
