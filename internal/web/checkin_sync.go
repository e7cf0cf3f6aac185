package web

import (
	"errors"
	"fmt"
	"net/http"
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

// The check-in app on the hosts' phones keeps the day's list on the
// device and sends what it did when the network allows: the list and the
// sync below are all it needs from the server.

// checkinPerson is one person of the day's list as a device keeps it.
type checkinPerson struct {
	ID           int64               `json:"id"`
	Name         string              `json:"name"`      // "Dr. Erika Mustermann"
	SortName     string              `json:"sort_name"` // "Mustermann, Erika"
	Municipality string              `json:"municipality"`
	Code         string              `json:"code"`
	Status       registration.Status `json:"status"`
	Days         day.List            `json:"days"` // empty: all days
	WalkIn       bool                `json:"walk_in"`
	Groups       []string            `json:"groups"`
	CheckedInAt  *time.Time          `json:"checked_in_at"`
}

// checkinDayList is the answer of GET /host/events/:id/checkin/list.json.
type checkinDayList struct {
	EventID      int64           `json:"event_id"`
	EventName    string          `json:"event_name"`
	Day          day.Date        `json:"day"`
	Today        bool            `json:"today"` // the day is today by the server's clock
	Rehearsal    bool            `json:"rehearsal"`
	OfflineUntil *time.Time      `json:"offline_until"` // the device may keep the list until then; null: not at all
	GeneratedAt  time.Time       `json:"generated_at"`
	Counts       checkin.Counts  `json:"counts"`
	People       []checkinPerson `json:"people"`
}

// errMeetingOver answers a device that asks for the list after the
// meeting; the service worker drops its copy on it.
var errMeetingOver = problem.New(problem.Gone, "Die Veranstaltung ist vorbei. Die Teilnehmerliste wird nicht mehr auf Geräten gespeichert.")

// offlineUntil is how long a device may keep the list: from the day
// before the meeting to the end of its last day; a rehearsal's list to
// the end of today.
func offlineUntil(ev event.Event, now time.Time, rehearsal bool) *time.Time {
	today := day.Today(now)
	end := day.Of(ev.Days.Last().In(time.UTC).AddDate(0, 0, 1)).In(day.Location())
	if rehearsal {
		end = day.Of(today.In(time.UTC).AddDate(0, 0, 1)).In(day.Location())
	} else if first := ev.Days[0]; today.Before(day.Of(first.In(time.UTC).AddDate(0, 0, -1))) || today.After(ev.Days.Last()) {
		return nil
	}
	return &end
}

// checkinList is GET /host/events/:id/checkin/list.json: the people of
// a day (?day=, default as the check-in page chooses) with their codes,
// working groups and check-in times. ?rehearsal=1 lists them for a
// rehearsal before the meeting.
func (s *Server) checkinList(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	now := s.Now()
	rehearsal := c.Query("rehearsal") == "1"
	if len(ev.Days) == 0 {
		return problem.New(problem.Conflict, "Die Veranstaltung hat keine Tage.")
	}
	if !rehearsal && day.Today(now).After(ev.Days.Last()) {
		return errMeetingOver
	}
	d, isToday := s.checkinDay(ev, c.Query("day"))
	regs, err := s.CheckIns.People(ctx, ev.ID)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	times, err := s.CheckIns.Times(ctx, ev.ID, d)
	if err != nil {
		return err
	}
	groups, err := s.groupsOf(c, ev.ID)
	if err != nil {
		return err
	}
	// The counts as CountsFor gives them, from the rows read anyway.
	counts := checkin.Counts{Day: d, CheckedIn: len(times)}
	list := checkinDayList{EventID: ev.ID, EventName: ev.Name(), Day: d, Today: isToday, Rehearsal: rehearsal,
		OfflineUntil: offlineUntil(ev, now, rehearsal), GeneratedAt: now.UTC(), People: []checkinPerson{}}
	for _, r := range regs {
		if !r.Status.Active() || (len(r.Days) > 0 && !r.Days.Contains(d)) {
			continue
		}
		if r.Status == registration.Confirmed {
			counts.Expected++
		}
		p := checkinPerson{ID: r.ID, Name: r.FullName(), SortName: r.SortName(), Municipality: whereFrom(r, munis),
			Code: r.CheckinCode, Status: r.Status, Days: r.Days, WalkIn: r.WalkIn, Groups: groups[r.ID]}
		if t, ok := times[r.ID]; ok && !rehearsal {
			p.CheckedInAt = &t
		}
		list.People = append(list.People, p)
	}
	if rehearsal {
		// Nothing of the rehearsal counts, nor do the real check-ins in it.
		counts.CheckedIn = 0
	}
	list.Counts = counts
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, list)
	return nil
}

// groupsOf names, per registration, the working groups it is assigned to.
func (s *Server) groupsOf(c *gin.Context, eventID int64) (map[int64][]string, error) {
	ctx := c.Request.Context()
	groups, err := s.WorkingGroups.Groups(ctx, eventID)
	if err != nil || len(groups) == 0 {
		return nil, err
	}
	title := make(map[int64]string, len(groups))
	for _, g := range groups {
		title[g.ID] = g.Title
	}
	assigned, err := s.WorkingGroups.Assignments(ctx, eventID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, a := range assigned {
		if t, ok := title[a.WorkingGroupID]; ok {
			out[a.RegistrationID] = append(out[a.RegistrationID], t)
		}
	}
	return out, nil
}

// syncOp is one thing a device did: a check-in by code or id, or a
// walk-in registered at the door.
type syncOp struct {
	Ref            string    `json:"ref"`  // the device's id of it, unique per device
	Kind           string    `json:"kind"` // "check_in" or "walk_in"
	Code           string    `json:"code"`
	RegistrationID int64     `json:"registration_id"`
	Day            day.Date  `json:"day"`
	At             time.Time `json:"at"` // when, by the device's clock
	// A walk-in's person.
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Email          string `json:"email"`
	MunicipalityID *int64 `json:"municipality_id"`
	Organisation   string `json:"organisation"`
	PrivacyConsent bool   `json:"privacy_consent"`
}

// syncResult tells the device what became of one op.
type syncResult struct {
	Ref            string            `json:"ref"`
	Status         string            `json:"status"` // checked_in, already, refused
	RegistrationID int64             `json:"registration_id,omitempty"`
	Name           string            `json:"name,omitempty"`
	Municipality   string            `json:"municipality,omitempty"`
	CheckedInAt    *time.Time        `json:"checked_in_at,omitempty"`
	Message        string            `json:"message"`
	Fields         map[string]string `json:"fields,omitempty"`
}

// Results of an op.
const (
	syncCheckedIn = "checked_in"
	syncAlready   = "already"
	syncRefused   = "refused"
)

// maxSyncOps bounds one sync; a device sends more in further requests.
const maxSyncOps = 500

// checkinSync is POST /host/events/:id/checkin/sync: a device
// sends its queued check-ins and walk-ins, in any order and as often as
// the network lets it; each is answered on its own, and a refused one
// does not stop the others. With "rehearsal": true nothing is stored and
// the answers say what would happen.
func (s *Server) checkinSync(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Rehearsal bool     `json:"rehearsal"`
		Ops       []syncOp `json:"ops"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Ops) > maxSyncOps {
		return problem.Errorf(problem.Invalid, "Bitte höchstens %d Check-ins auf einmal senden.", maxSyncOps)
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	sync := syncRun{s: s, c: c, ev: ev, munis: munis, rehearsal: in.Rehearsal, seen: map[string]bool{}}
	if u, ok := currentUser(c); ok {
		sync.by = &u.ID
	}
	results := make([]syncResult, 0, len(in.Ops))
	countDay := day.Today(s.Now())
	for _, op := range in.Ops {
		if !op.Day.IsZero() {
			countDay = op.Day
		}
		res, err := sync.apply(op)
		if err != nil {
			pe := classify(err)
			if statusOf(pe.Code) >= http.StatusInternalServerError {
				return err // the device keeps the op and sends it again
			}
			res = syncResult{Ref: op.Ref, Status: syncRefused, Message: pe.Message, Fields: pe.Fields,
				RegistrationID: res.RegistrationID, Name: res.Name, Municipality: res.Municipality}
		}
		results = append(results, res)
	}
	if !ev.Days.Contains(countDay) {
		countDay, _ = s.checkinDay(ev, "")
	}
	counts, err := s.CheckIns.CountsFor(ctx, ev.ID, countDay)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"rehearsal": in.Rehearsal, "results": results, "counts": counts})
	return nil
}

// syncRun applies the ops of one sync request.
type syncRun struct {
	s         *Server
	c         *gin.Context
	ev        event.Event
	munis     map[int64]municipality.Municipality
	by        *int64
	rehearsal bool
	seen      map[string]bool // a rehearsal's check-ins, person and day, within this request
}

func (y *syncRun) apply(op syncOp) (syncResult, error) {
	if op.Day.IsZero() {
		op.Day = day.Today(y.s.Now())
	}
	switch op.Kind {
	case "check_in":
		if strings.TrimSpace(op.Code) == "" && op.RegistrationID <= 0 {
			return syncResult{}, &problem.Error{Code: problem.Invalid, Message: "Bitte geben Sie code oder registration_id an.",
				Fields: map[string]string{"code": "code oder registration_id angeben"}}
		}
		reg, err := y.s.CheckIns.Registration(y.c.Request.Context(), y.ev.ID, op.Code, op.RegistrationID)
		if err != nil {
			return syncResult{}, err
		}
		return y.record(op, reg, false)
	case "walk_in":
		return y.walkIn(op)
	}
	return syncResult{}, &problem.Error{Code: problem.Invalid, Message: "Unbekannte Art: " + op.Kind,
		Fields: map[string]string{"kind": "check_in oder walk_in"}}
}

// record checks reg in as op says, or, in a rehearsal, tells whether it
// could be.
func (y *syncRun) record(op syncOp, reg registration.Registration, walkIn bool) (syncResult, error) {
	ctx := y.c.Request.Context()
	out := syncResult{Ref: op.Ref, RegistrationID: reg.ID, Name: reg.FullName(), Municipality: whereFrom(reg, y.munis)}
	var (
		res checkin.Result
		err error
	)
	if y.rehearsal {
		res, err = y.s.CheckIns.Admissible(ctx, y.ev, reg, op.Day)
		key := fmt.Sprint(reg.ID, op.Day)
		if err == nil && !res.Already && y.seen[key] {
			res.Already, res.CheckedInAt = true, op.At
		}
		y.seen[key] = true
		if err == nil && !res.Already {
			res.CheckedInAt = op.At
		}
	} else {
		res, err = y.s.CheckIns.RecordFromDevice(ctx, y.ev, reg, op.Day, checkin.DeviceCheckIn{Ref: op.Ref, At: op.At}, y.by)
	}
	if err != nil {
		return out, err
	}
	at := res.CheckedInAt
	out.CheckedInAt = &at
	label := personLabel(reg, y.munis)
	switch {
	case res.Already:
		out.Status, out.Message = syncAlready, label+": bereits eingecheckt um "+clock(at)+" Uhr."
	case walkIn:
		out.Status, out.Message = syncCheckedIn, label+" ist nachgemeldet und eingecheckt."
	default:
		out.Status, out.Message = syncCheckedIn, label+" ist eingecheckt."
	}
	return out, nil
}

// walkIn registers a person at the door, confirmed whatever the capacity,
// and checks them in. A person registered on two devices is registered
// once: the address finds the first registration.
func (y *syncRun) walkIn(op syncOp) (syncResult, error) {
	ctx := y.c.Request.Context()
	in := registration.Input{FirstName: op.FirstName, LastName: op.LastName, Email: op.Email,
		MunicipalityID: op.MunicipalityID, Organisation: op.Organisation, PrivacyConsent: op.PrivacyConsent, Days: day.List{op.Day}}
	if !y.ev.Days.Contains(op.Day) {
		return syncResult{}, checkin.ErrNotToday
	}
	for attempt := 0; ; attempt++ {
		existing, found, err := y.s.CheckIns.ActiveByEmail(ctx, y.ev.ID, op.Email)
		if err != nil {
			return syncResult{}, err
		}
		if found {
			return y.record(op, existing, false)
		}
		if y.rehearsal {
			if err := y.s.Registrations.Check(ctx, y.ev.ID, in); err != nil {
				return syncResult{}, err
			}
			name := strings.TrimSpace(op.FirstName + " " + op.LastName)
			at := op.At
			return syncResult{Ref: op.Ref, Status: syncCheckedIn, Name: name, CheckedInAt: &at,
				Message: name + " würde nachgemeldet und eingecheckt (Probelauf)."}, nil
		}
		reg, err := y.s.Registrations.Register(ctx, y.ev.ID, in, registration.Options{WalkIn: true, Actor: actorOf(y.c)})
		if errors.Is(err, registration.ErrDuplicate) && attempt == 0 {
			continue // another device's walk-in of the address came first
		}
		if err != nil {
			return syncResult{}, err
		}
		return y.record(op, reg, true)
	}
}
