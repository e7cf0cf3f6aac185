package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

func isOrganiser(c *gin.Context) bool {
	u, ok := currentUser(c)
	return ok && u.Role == account.Organiser
}

func (s *Server) adminEvents(c *gin.Context) error {
	ctx := c.Request.Context()
	list, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return err
	}
	cards, err := s.cards(ctx, list)
	if err != nil {
		return err
	}
	var upcoming, past []eventCard
	for _, card := range cards {
		if card.IsPast(s.Now()) {
			past = append(past, card)
		} else {
			upcoming = append(upcoming, card)
		}
	}
	// Upcoming soonest first, like the organiser's calendar.
	for i, j := 0, len(upcoming)-1; i < j; i, j = i+1, j-1 {
		upcoming[i], upcoming[j] = upcoming[j], upcoming[i]
	}
	return s.html(c, http.StatusOK, "admin_events.html", "Veranstaltungen verwalten", gin.H{"Upcoming": upcoming, "Past": past})
}

// eventForm is the editor's state: raw strings as typed, messages, and
// meetings that look the same, to confirm before saving.
type eventForm struct {
	ID         int64
	Values     map[string]string
	Fields     map[string]string
	Message    string
	Lookalikes []event.Event
	Question   string // "Es gibt bereits … Trotzdem anlegen?"
	Registered int    // confirmed and waiting: who a cancellation is mailed to
}

// dayEntry is one day input of the editor.
type dayEntry struct {
	ID, Label, Value string
}

// DayEntries are the editor's day inputs: one per day given, and an
// empty one more for a further day (the page's script adds and removes
// inputs; without it the empty one is how a day is added). A date typed
// the German way is shown in the ISO form a date input needs; anything
// unreadable stays as typed.
func (f eventForm) DayEntries() []dayEntry {
	raw := splitDays(f.Values["days"])
	if len(raw) < event.MaxDays {
		raw = append(raw, "")
	}
	out := make([]dayEntry, len(raw))
	for i, r := range raw {
		if d, err := day.Parse(r); err == nil {
			r = d.String()
		}
		out[i] = dayEntry{ID: "f-days", Label: fmt.Sprintf("%d. Tag", i+1), Value: r}
		if i > 0 {
			out[i].ID = fmt.Sprintf("f-days-%d", i+1)
		}
	}
	return out
}

// splitDays reads the days as posted: one per input, or several in one
// text separated by commas, semicolons, spaces or lines (the API's and
// older forms' way).
func splitDays(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

var eventFormKeys = []string{"kind", "number", "title", "motto", "announcement", "days", "start_time", "end_time",
	"venue_name", "venue_address", "venue_city", "host_municipality_id", "organiser", "co_organisers",
	"capacity", "municipality_quota", "registration_opens_at", "registration_closes_at", "status", "preference_ranks",
	"settings_form", "reminders_on", "reminder_days", "notify_cancellation",
	"registration_rules_shown", "requires_approval", "waitlist_enabled", "waitlist_limit"}

func formFromEvent(ev event.Event) eventForm {
	v := map[string]string{
		"kind": string(ev.Kind), "title": ev.Title, "motto": ev.Motto, "announcement": ev.Announcement,
		"days": strings.Join(strings.Split(ev.Days.String(), ","), "\n"), "start_time": ev.StartTime, "end_time": ev.EndTime, "venue_name": ev.VenueName,
		"venue_address": ev.VenueAddress, "venue_city": ev.VenueCity, "organiser": ev.Organiser,
		"co_organisers": ev.CoOrganisers, "capacity": strconv.Itoa(ev.Capacity),
		"municipality_quota": strconv.Itoa(ev.MunicipalityQuota), "status": string(ev.Status),
		"preference_ranks": strconv.Itoa(ev.PreferenceRanks),
		"reminder_days":    strings.ReplaceAll(ev.ReminderDays.String(), ",", ", "), "notify_cancellation": "1",
	}
	if !ev.RemindersOff {
		v["reminders_on"] = "1"
	}
	if ev.Number > 0 {
		v["number"] = strconv.Itoa(ev.Number)
	}
	v["requires_approval"], v["waitlist_enabled"] = checked(ev.RequiresApproval), checked(ev.WaitlistEnabled)
	if ev.WaitlistLimit != nil {
		v["waitlist_limit"] = strconv.Itoa(*ev.WaitlistLimit)
	}
	if ev.HostMunicipalityID != nil {
		v["host_municipality_id"] = strconv.FormatInt(*ev.HostMunicipalityID, 10)
	}
	if ev.RegistrationOpensAt != nil {
		v["registration_opens_at"] = ev.RegistrationOpensAt.In(day.Location()).Format("2006-01-02T15:04")
	}
	if ev.RegistrationClosesAt != nil {
		v["registration_closes_at"] = ev.RegistrationClosesAt.In(day.Location()).Format("2006-01-02T15:04")
	}
	return eventForm{ID: ev.ID, Values: v}
}

// eventInput turns the editor's strings into an event.Input; unreadable
// numbers and dates become field messages.
func eventInput(values map[string]string) (event.Input, map[string]string) {
	fields := map[string]string{}
	var in event.Input
	str := func(k string) *string { v := values[k]; return &v }
	num := func(k, msg string) *int {
		raw := strings.TrimSpace(values[k])
		if raw == "" {
			zero := 0
			return &zero
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			fields[k] = msg
			return nil
		}
		return &n
	}
	kind := event.Kind(values["kind"])
	status := event.Status(values["status"])
	in.Kind, in.Status = &kind, &status
	in.Number = num("number", "Bitte eine Zahl angeben.")
	in.Capacity = num("capacity", "Bitte die Zahl der Plätze angeben.")
	in.MunicipalityQuota = num("municipality_quota", "Bitte eine Zahl angeben (0 = kein Kontingent).")
	if strings.TrimSpace(values["preference_ranks"]) != "" { // forms without the field keep the value
		in.PreferenceRanks = num("preference_ranks", "Bitte eine Zahl von 1 bis 5 angeben.")
	}
	if values["registration_rules_shown"] == "1" { // forms without the fields keep the settings
		approval, waitlist := values["requires_approval"] == "1", values["waitlist_enabled"] == "1"
		in.RequiresApproval, in.WaitlistEnabled = &approval, &waitlist
		in.WaitlistLimit = num("waitlist_limit", "Bitte eine Zahl angeben oder das Feld leer lassen.")
	}
	in.Title, in.Motto, in.Announcement = str("title"), str("motto"), str("announcement")
	in.StartTime, in.EndTime = str("start_time"), str("end_time")
	in.VenueName, in.VenueAddress, in.VenueCity = str("venue_name"), str("venue_address"), str("venue_city")
	in.Organiser, in.CoOrganisers = str("organiser"), str("co_organisers")
	in.RegistrationOpensAt, in.RegistrationClosesAt = str("registration_opens_at"), str("registration_closes_at")
	var days day.List
	for _, raw := range splitDays(values["days"]) {
		d, err := day.Parse(raw)
		if err != nil {
			fields["days"] = fmt.Sprintf("„%s“ ist kein Datum. Bitte jeden Tag als Datum wählen oder als TT.MM.JJJJ eingeben, z. B. 20.05.2027.", raw)
			break
		}
		days = append(days, d)
	}
	days = days.Normalize()
	in.Days = &days
	// The form's own checkboxes count only where the form shows them
	// (settings_form): a form without them keeps the settings.
	if values["settings_form"] != "" {
		off := values["reminders_on"] == ""
		notify := values["notify_cancellation"] != ""
		in.RemindersOff, in.NotifyCancellation = &off, &notify
		reminders, err := event.ParseReminderDays(values["reminder_days"])
		if err != nil {
			fields["reminder_days"] = "Bitte prüfen: " + err.Error() + ". Ganze Tage von 1 bis 60, höchstens drei, z. B. „7, 1“."
		}
		in.ReminderDays = &reminders
	}
	host := int64(0)
	if raw := values["host_municipality_id"]; raw != "" {
		var err error
		if host, err = strconv.ParseInt(raw, 10, 64); err != nil {
			fields["host_municipality_id"] = "Bitte eine Kommune aus der Liste wählen."
		}
	}
	in.HostMunicipalityID = &host
	return in, fields
}

// checked is a checkbox's value as the form posts it.
func checked(on bool) string {
	if on {
		return "1"
	}
	return ""
}

func (s *Server) renderEventForm(c *gin.Context, status int, form eventForm) error {
	munis, err := s.Municipalities.List(c.Request.Context())
	if err != nil {
		return err
	}
	title := "Neue Veranstaltung"
	if form.ID != 0 {
		title = "Veranstaltung bearbeiten"
		counts, err := s.Registrations.Count(c.Request.Context(), form.ID)
		if err != nil {
			return err
		}
		form.Registered = counts.Confirmed + counts.Waitlisted
	}
	return s.html(c, status, "admin_event_form.html", title, gin.H{"Form": form, "Kinds": event.Kinds, "Statuses": event.Statuses, "Municipalities": munis})
}

func (s *Server) adminEventNew(c *gin.Context) error {
	// The domain's defaults, so the form as offered also saves (it offered
	// 0 wishes per slot, which the meeting refuses).
	ev := event.New()
	ev.Capacity, ev.Organiser = 70, s.cfg.OrganiserName
	return s.renderEventForm(c, http.StatusOK, formFromEvent(ev))
}

func (s *Server) adminEventEdit(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderEventForm(c, http.StatusOK, formFromEvent(ev))
}

func postedValues(c *gin.Context, keys []string) map[string]string {
	v := make(map[string]string, len(keys))
	for _, k := range keys {
		v[k] = c.PostForm(k)
	}
	return v
}

func (s *Server) adminEventCreate(c *gin.Context) error { return s.saveEvent(c, 0) }

func (s *Server) adminEventUpdate(c *gin.Context) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.saveEvent(c, id)
}

func (s *Server) saveEvent(c *gin.Context, id int64) error {
	ctx := c.Request.Context()
	form := eventForm{ID: id, Values: postedValues(c, eventFormKeys)}
	// One input per day.
	form.Values["days"] = strings.Join(c.PostFormArray("days"), "\n")
	in, fields := eventInput(form.Values)
	if len(fields) > 0 {
		form.Fields, form.Message = fields, "Bitte prüfen Sie die markierten Angaben."
		return s.renderEventForm(c, http.StatusUnprocessableEntity, form)
	}
	// A meeting like an existing one is saved only once confirmed; the
	// form comes back with its values and the question.
	in.ConfirmDuplicate = c.PostForm("confirm_duplicate") != ""
	if !in.ConfirmDuplicate {
		same, err := s.Events.Lookalikes(ctx, id, in)
		if err != nil {
			return err
		}
		if len(same) > 0 {
			form.Lookalikes = same
			form.Question = event.ErrLookalike(same).Message + map[bool]string{true: " Trotzdem anlegen?", false: " Trotzdem speichern?"}[id == 0]
			return s.renderEventForm(c, http.StatusConflict, form)
		}
	}
	var (
		ev     event.Event
		change *event.Change
		err    error
	)
	if id == 0 {
		ev, err = s.Events.Create(ctx, in)
	} else if ev, change, err = s.Events.Save(ctx, id, in); err == nil {
		_, err = s.Registrations.FillFromWaitlist(ctx, id)
	}
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			form.Fields, form.Message = pe.Fields, pe.Message
			return s.renderEventForm(c, http.StatusUnprocessableEntity, form)
		}
		return err
	}
	switch {
	case change != nil && change.Cancelled && change.NotifiedAt != nil:
		s.kickMail()
		s.flash(c, "Die Veranstaltung „"+ev.Name()+"“ ist abgesagt. Alle Angemeldeten erhalten eine Absage per E-Mail.")
	case change != nil && change.Cancelled:
		s.flash(c, "Die Veranstaltung „"+ev.Name()+"“ ist abgesagt. Die Angemeldeten wurden nicht benachrichtigt.")
	case change != nil:
		// The organiser decides whether the registrants hear of it.
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/changes/%d", ev.ID, change.ID))
		return nil
	default:
		s.flash(c, "Die Veranstaltung „"+ev.Name()+"“ ist gespeichert.")
	}
	c.Redirect(http.StatusSeeOther, "/admin/events")
	return nil
}

// adminChange asks whether the registrants are told of a change of date,
// times or venue, showing what changed and to how many it would go.
func (s *Server) adminChange(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	cid, err := paramID(c, "chid")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	change, err := s.Events.Change(ctx, ev.ID, cid)
	if err != nil {
		return err
	}
	counts, err := s.Registrations.Count(ctx, ev.ID)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "admin_change.html", "Teilnehmende über die Änderung benachrichtigen?", gin.H{
		"Event": ev, "Change": change, "Confirmed": counts.Confirmed, "Waitlisted": counts.Waitlisted,
		"Recipients": counts.Confirmed + counts.Waitlisted,
	})
}

// adminChangeDecide queues the change notices ("notify" = "1") or
// records that nobody is told.
func (s *Server) adminChangeDecide(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	cid, err := paramID(c, "chid")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if c.PostForm("notify") != "1" {
		if err := s.Events.DismissChange(ctx, ev.ID, cid); err != nil {
			return err
		}
		s.flash(c, "Die Änderung ist gespeichert. Die Teilnehmenden wurden nicht benachrichtigt.")
		c.Redirect(http.StatusSeeOther, "/admin/events")
		return nil
	}
	n, err := s.Events.NotifyChange(ctx, ev.ID, cid)
	if err != nil {
		return err
	}
	s.kickMail()
	s.flash(c, fmt.Sprintf("Die Änderung ist gespeichert. %d Teilnehmende werden per E-Mail benachrichtigt.", n))
	c.Redirect(http.StatusSeeOther, "/admin/events")
	return nil
}
