package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// checkinSearchLimit bounds the people a name search lists on a phone.
const checkinSearchLimit = 30

// checkinRow is one person found by name, with the state on the shown day.
type checkinRow struct {
	Registration registration.Registration
	Municipality string
	CheckedInAt  *time.Time // nil: not yet checked in
}

// Clock is the check-in time in Berlin, "09:12".
func (r checkinRow) Clock() string { return clock(*r.CheckedInAt) }

func clock(t time.Time) string { return t.In(day.Location()).Format("15:04") }

// checkinMessage is the answer to a check-in: ok, already or refused.
type checkinMessage struct {
	Kind string
	Text string
}

// walkInForm is the form for people registering at the door.
type walkInForm struct {
	Values         registration.Input
	MunicipalityID int64
	Fields         map[string]string
	Message        string
}

// checkinDay is the day the check-in page shows: today when it is a day
// of the meeting; otherwise the day chosen with ?tag= (hosts try the page
// beforehand) or the next meeting day. today tells whether check-ins are
// possible now.
func (s *Server) checkinDay(ev event.Event, raw string) (d day.Date, today bool) {
	now := day.Today(s.Now())
	if ev.Days.Contains(now) {
		return now, true
	}
	if d, err := day.Parse(raw); err == nil && ev.Days.Contains(d) {
		return d, false
	}
	for _, d := range ev.Days {
		if !d.Before(now) {
			return d, false
		}
	}
	return ev.Days.Last(), false
}

// countLabel is "27 von 62 eingecheckt".
func countLabel(c checkin.Counts) string {
	return fmt.Sprintf("%d von %d eingecheckt", c.CheckedIn, c.Expected)
}

// personLabel is "Jürgen Weiß (Stadt Ahlen)".
func personLabel(r registration.Registration, munis map[int64]municipality.Municipality) string {
	if where := whereFrom(r, munis); where != "" {
		return r.FullName() + " (" + where + ")"
	}
	return r.FullName()
}

// whereFrom is the municipality of a registration, or the organisation of a guest.
func whereFrom(r registration.Registration, munis map[int64]municipality.Municipality) string {
	if r.MunicipalityID != nil {
		if m, ok := munis[*r.MunicipalityID]; ok {
			return m.Name
		}
	}
	return r.Organisation
}

// checkinPage is GET /host/events/:id/checkin.
func (s *Server) checkinPage(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	return s.renderCheckin(c, http.StatusOK, ev, nil, walkInForm{})
}

// renderCheckin shows the counts, the code form, the name search and the
// walk-in form; msg is the answer to the last check-in.
func (s *Server) renderCheckin(c *gin.Context, status int, ev event.Event, msg *checkinMessage, walk walkInForm) error {
	ctx := c.Request.Context()
	d, isToday := s.checkinDay(ev, c.Query("tag"))
	counts, err := s.CheckIns.CountsFor(ctx, ev.ID, d)
	if err != nil {
		return err
	}
	if isRehearsal(c) {
		counts.CheckedIn = 0 // nothing of the rehearsal counts, nor do the real check-ins in it
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	var rows []checkinRow
	more := false
	if q != "" {
		regs, err := s.Registrations.List(ctx, ev.ID, registration.Filter{Query: q})
		if err != nil {
			return err
		}
		times, err := s.CheckIns.Times(ctx, ev.ID, d)
		if err != nil {
			return err
		}
		for _, r := range regs {
			if !r.Status.Active() {
				continue
			}
			if len(rows) == checkinSearchLimit {
				more = true
				break
			}
			row := checkinRow{Registration: r, Municipality: whereFrom(r, munis)}
			if t, ok := times[r.ID]; ok {
				row.CheckedInAt = &t
			}
			rows = append(rows, row)
		}
	}
	rehearsal := isRehearsal(c)
	query := url.Values{}
	if q != "" {
		query.Set("q", q)
	}
	if !isToday {
		query.Set("tag", d.String())
	}
	if rehearsal {
		query.Set("probelauf", "1")
	}
	list := url.Values{}
	if !isToday {
		list.Set("day", d.String())
	}
	if rehearsal {
		list.Set("rehearsal", "1")
	}
	listURL := fmt.Sprintf("/host/events/%d/checkin/list.json", ev.ID)
	if encoded := list.Encode(); encoded != "" {
		listURL += "?" + encoded
	}
	self := fmt.Sprintf("/host/events/%d/checkin", ev.ID)
	countsURL := self + "/counts.json"
	if !isToday {
		countsURL += "?tag=" + d.String()
	}
	if encoded := query.Encode(); encoded != "" {
		self += "?" + encoded
	}
	if walk.Fields == nil {
		walk.Fields = map[string]string{}
	}
	return s.html(c, status, "checkin.html", "Check-in: "+ev.Name(), gin.H{
		"Event": ev, "Day": d, "IsToday": isToday, "Counts": counts, "CountLabel": countLabel(counts), "CountsURL": countsURL,
		"Self": self, "Q": q, "Searched": q != "", "Rows": rows, "More": more, "Message": msg, "Walk": walk,
		"Municipalities": sortedMunicipalities(munis), "BackURL": backURL(c, ev.ID),
		"Rehearsal": rehearsal, "ListURL": listURL, "Open": max(0, counts.Expected-counts.CheckedIn),
	})
}

// isRehearsal tells a rehearsal ("Probelauf") of the check-in: the same
// screens, but nothing is stored.
func isRehearsal(c *gin.Context) bool {
	return c.Query("probelauf") == "1" || c.PostForm("probelauf") == "1"
}

// backURL leads organisers to their registrations page and hosts to theirs.
func backURL(c *gin.Context, eventID int64) string {
	if isOrganiser(c) {
		return fmt.Sprintf("/admin/events/%d/registrations", eventID)
	}
	return fmt.Sprintf("/host/events/%d", eventID)
}

// checkIn finds the registration by code (or id) and records it for d.
func (s *Server) checkIn(c *gin.Context, ev event.Event, code string, id int64, d day.Date) (checkin.Result, error) {
	ctx := c.Request.Context()
	reg, err := s.CheckIns.Registration(ctx, ev.ID, code, id)
	if err != nil {
		return checkin.Result{}, err
	}
	var by *int64
	if u, ok := currentUser(c); ok {
		by = &u.ID
	}
	return s.CheckIns.Record(ctx, ev, reg, d, by)
}

// checkinMessageOf words a check-in for the host at the door.
func checkinMessageOf(res checkin.Result, munis map[int64]municipality.Municipality) *checkinMessage {
	name := personLabel(res.Registration, munis)
	if res.Already {
		return &checkinMessage{Kind: "already", Text: name + " war heute schon um " + clock(res.CheckedInAt) + " eingecheckt."}
	}
	return &checkinMessage{Kind: "ok", Text: name + " ist eingecheckt."}
}

// checkinPost is POST /host/events/:id/checkin with a code or a
// registration_id; it always checks in for today.
func (s *Server) checkinPost(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(c.PostForm("code"))
	id, _ := strconv.ParseInt(c.PostForm("registration_id"), 10, 64)
	if code == "" && id <= 0 {
		return s.renderCheckin(c, http.StatusUnprocessableEntity, ev, &checkinMessage{Kind: "refused",
			Text: "Bitte geben Sie den Code vom Namensschild ein oder suchen Sie die Person über den Namen."}, walkInForm{})
	}
	var res checkin.Result
	if isRehearsal(c) {
		d, _ := s.checkinDay(ev, c.Query("tag"))
		res, err = s.rehearseCheckIn(c, ev, code, id, d)
	} else {
		res, err = s.checkIn(c, ev, code, id, day.Today(s.Now()))
	}
	if err != nil {
		pe := classify(err)
		if status := statusOf(pe.Code); status < http.StatusInternalServerError {
			return s.renderCheckin(c, status, ev, &checkinMessage{Kind: "refused", Text: pe.Message}, walkInForm{})
		}
		return err
	}
	munis, err := s.Municipalities.ByID(c.Request.Context())
	if err != nil {
		return err
	}
	msg := checkinMessageOf(res, munis)
	if isRehearsal(c) && !res.Already {
		msg.Text = "Probelauf: " + personLabel(res.Registration, munis) + " würde eingecheckt."
	}
	return s.renderCheckin(c, http.StatusOK, ev, msg, walkInForm{})
}

// rehearseCheckIn finds the registration and tells whether it could be
// checked in on d, storing nothing.
func (s *Server) rehearseCheckIn(c *gin.Context, ev event.Event, code string, id int64, d day.Date) (checkin.Result, error) {
	reg, err := s.CheckIns.Registration(c.Request.Context(), ev.ID, code, id)
	if err != nil {
		return checkin.Result{}, err
	}
	return s.CheckIns.Admissible(c.Request.Context(), ev, reg, d)
}

// checkinWalkIn registers a person at the door (confirmed whatever the
// capacity) and checks them in at once.
func (s *Server) checkinWalkIn(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	form := walkInForm{Values: registration.Input{FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"),
		Email: c.PostForm("email"), Organisation: c.PostForm("organisation"), MunicipalityID: optionalID(c.PostForm("municipality_id")),
		PrivacyConsent: c.PostForm("privacy_consent") == "1"}}
	if form.Values.MunicipalityID != nil {
		form.MunicipalityID = *form.Values.MunicipalityID
	}
	today := day.Today(s.Now())
	if isRehearsal(c) {
		in := form.Values
		d, _ := s.checkinDay(ev, c.Query("tag"))
		in.Days = day.List{d}
		if err := s.Registrations.Check(ctx, ev.ID, in); err != nil {
			return s.walkInRefused(c, ev, form, err)
		}
		return s.renderCheckin(c, http.StatusOK, ev, &checkinMessage{Kind: "ok",
			Text: "Probelauf: " + in.FirstName + " " + in.LastName + " würde nachgemeldet und eingecheckt."}, walkInForm{})
	}
	if !ev.Days.Contains(today) {
		return s.renderCheckin(c, http.StatusConflict, ev, &checkinMessage{Kind: "refused", Text: checkin.ErrNotToday.Message}, form)
	}
	in := form.Values
	in.Days = day.List{today}
	reg, err := s.Registrations.Register(ctx, ev.ID, in, registration.Options{WalkIn: true, Actor: actorOf(c)})
	if err != nil {
		return s.walkInRefused(c, ev, form, err)
	}
	var by *int64
	if u, ok := currentUser(c); ok {
		by = &u.ID
	}
	res, err := s.CheckIns.Record(ctx, ev, reg, today, by)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	return s.renderCheckin(c, http.StatusOK, ev, &checkinMessage{Kind: "ok",
		Text: personLabel(res.Registration, munis) + " ist nachgemeldet und eingecheckt."}, walkInForm{})
}

// walkInRefused shows the walk-in form again with the reason, as typed.
func (s *Server) walkInRefused(c *gin.Context, ev event.Event, form walkInForm, err error) error {
	pe := classify(err)
	status := statusOf(pe.Code)
	if status >= http.StatusInternalServerError {
		return err
	}
	form.Fields, form.Message = pe.Fields, pe.Message
	return s.renderCheckin(c, status, ev, nil, form)
}

// checkinCounts is GET /host/events/:id/checkin/counts.json, polled by
// checkin.js to keep the figure on every host's phone current.
func (s *Server) checkinCounts(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	d, _ := s.checkinDay(ev, c.Query("tag"))
	counts, err := s.CheckIns.CountsFor(c.Request.Context(), ev.ID, d)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"day": counts.Day, "checked_in": counts.CheckedIn, "expected": counts.Expected, "label": countLabel(counts)})
	return nil
}

// apiCheckInBody is the API's answer to a check-in.
type apiCheckInBody struct {
	RegistrationID int64     `json:"registration_id"`
	Name           string    `json:"name"`
	Municipality   string    `json:"municipality"`
	Day            day.Date  `json:"day"`
	CheckedInAt    time.Time `json:"checked_in_at"`
	Already        bool      `json:"already"`
}

// apiCheckIn is POST /api/v1/events/:id/check-ins: 201 for a new
// check-in, 200 with already=true when the person was checked in that
// day before (nothing changes).
func (s *Server) apiCheckIn(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Code           string   `json:"code"`
		RegistrationID int64    `json:"registration_id"`
		Day            day.Date `json:"day"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Code) == "" && in.RegistrationID <= 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte geben Sie code oder registration_id an.",
			Fields: map[string]string{"code": "code oder registration_id angeben"}}
	}
	if in.Day.IsZero() {
		in.Day = day.Today(s.Now())
	}
	res, err := s.checkIn(c, ev, in.Code, in.RegistrationID, in.Day)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(c.Request.Context())
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Already {
		status = http.StatusOK
	}
	// PostgreSQL keeps microseconds: the first answer shows the time as
	// stored, so a repeated check-in answers the same moment.
	c.JSON(status, apiCheckInBody{RegistrationID: res.Registration.ID, Name: res.Registration.FullName(),
		Municipality: whereFrom(res.Registration, munis), Day: res.Day, CheckedInAt: res.CheckedInAt, Already: res.Already})
	return nil
}
