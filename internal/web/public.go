package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

var errPageNotFound = problem.New(problem.NotFound, "Diese Seite gibt es nicht.")

// registrationsPerAddress bounds registration attempts for one address
// per hour, whichever IP they come from (a person needs one or two); off
// when the registration limit is off, as for load tests.
func (s *Server) registrationsPerAddress() int {
	if s.cfg.RegisterLimit == 0 {
		return 0
	}
	return 10
}

// favicon answers browsers that ask for /favicon.ico before (or without)
// reading the page's <link rel="icon">, with the same SVG icon, so that
// neither they nor the log see a 404.
func favicon(icon []byte) handler {
	return func(c *gin.Context) error {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, "image/svg+xml", icon)
		return nil
	}
}

func (s *Server) healthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// readyz answers 503 while the database is out of reach or behind on
// migrations; a hung database counts as out of reach after 3 seconds.
func (s *Server) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := s.DB.Ready(ctx); err != nil {
		c.Header("Retry-After", "5")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": err.Error()})
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}

// eventCard is a meeting with its place counts for lists and pages.
type eventCard struct {
	event.Event
	Host         string
	Confirmed    int
	Waitlisted   int
	Pending      int // in review, holding no place
	Free         int
	Registration event.RegistrationState
}

// FullUp says, from the counts, why a registration sent now would be
// refused although registration is open: "ausgebucht – keine Warteliste"
// or "Warteliste voll"; "" while places or the waiting list have room.
// The form shows it before anyone types (registration.ErrNoWaitlist and
// ErrWaitlistFull decide under the meeting's lock).
func (c eventCard) FullUp() string {
	switch {
	case c.Free > 0:
		return ""
	case !c.WaitlistEnabled:
		return "ausgebucht – keine Warteliste"
	case c.WaitlistLimit != nil && c.Waitlisted >= *c.WaitlistLimit:
		return "Warteliste voll"
	}
	return ""
}

// FullUpText is FullUp as a sentence.
func (c eventCard) FullUpText() string {
	switch c.FullUp() {
	case "":
		return ""
	case "Warteliste voll":
		return fmt.Sprintf("Alle %d Plätze sind vergeben und die Warteliste ist voll.", c.Capacity)
	}
	return fmt.Sprintf("Alle %d Plätze sind vergeben; eine Warteliste gibt es für diese Veranstaltung nicht.", c.Capacity)
}

func (s *Server) card(ctx context.Context, ev event.Event) (eventCard, error) {
	card := eventCard{Event: ev, Registration: ev.RegistrationStateAt(s.Now())}
	counts, err := s.Registrations.Count(ctx, ev.ID)
	if err != nil {
		return card, err
	}
	card.Confirmed, card.Waitlisted, card.Pending = counts.Confirmed, counts.Waitlisted, counts.Pending
	card.Free = max(0, ev.Capacity-counts.Confirmed)
	if ev.HostMunicipalityID != nil {
		if m, err := s.Municipalities.Get(ctx, *ev.HostMunicipalityID); err == nil {
			card.Host = m.Name
		}
	}
	return card, nil
}

func (s *Server) cards(ctx context.Context, list []event.Event) ([]eventCard, error) {
	out := make([]eventCard, 0, len(list))
	for _, ev := range list {
		c, err := s.card(ctx, ev)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Server) home(c *gin.Context) error {
	ctx := c.Request.Context()
	list, err := s.Events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: s.Now()})
	if err != nil {
		return err
	}
	cards, err := s.cards(ctx, list)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "home.html", "Veranstaltungen", gin.H{"Events": cards})
}

// archiveQuery reads the archive's search: q (words), art or kind, jahr
// or year (the page speaks German, the API English); unknown values are
// ignored rather than refused, as they come from links people share.
func archiveQuery(c *gin.Context) archive.Query {
	q := archive.Query{Text: strings.TrimSpace(c.Query("q"))}
	if utf8.RuneCountInString(q.Text) > 200 {
		q.Text = string([]rune(q.Text)[:200])
	}
	kind, year := c.DefaultQuery("art", c.Query("kind")), c.DefaultQuery("jahr", c.Query("year"))
	for _, k := range event.Kinds {
		if string(k) == kind {
			q.Kind = k
		}
	}
	if y, err := strconv.Atoi(year); err == nil && y > 1900 && y < 3000 {
		q.Year = y
	}
	return q
}

func (s *Server) archivePage(c *gin.Context) error {
	entries, err := s.Archive.Archive(c.Request.Context(), s.Now())
	if err != nil {
		return err
	}
	q := archiveQuery(c)
	n, _ := strconv.Atoi(c.Query("seite"))
	page := archive.PageOf(archive.Search(entries, q), n, archivePageSize)
	data := gin.H{
		"Years": archive.ByYear(page.Entries), "Page": page, "Count": page.Total, "Total": len(entries), "Query": q,
		"Searching": q != (archive.Query{}), "Kinds": event.Kinds, "AllYears": archive.Years(entries),
	}
	if page.Number > 1 {
		data["Newer"] = archiveLink(q, page.Number-1)
	}
	if page.Number < page.Pages {
		data["Older"] = archiveLink(q, page.Number+1)
	}
	return s.html(c, http.StatusOK, "archive.html", "Archiv", data)
}

// archivePageSize is how many meetings one page of the archive lists.
const archivePageSize = 20

// archiveLink is the address of a page of the archive with the same
// search and filters.
func archiveLink(q archive.Query, page int) string {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Kind != "" {
		v.Set("art", string(q.Kind))
	}
	if q.Year != 0 {
		v.Set("jahr", strconv.Itoa(q.Year))
	}
	if page > 1 {
		v.Set("seite", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/archiv"
	}
	return "/archiv?" + v.Encode()
}

// publicEvent loads a meeting that the public may see; drafts are only
// visible to organisers.
func (s *Server) publicEvent(c *gin.Context) (event.Event, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return event.Event{}, err
	}
	ev, err := s.Events.Get(c.Request.Context(), id)
	if err != nil {
		return ev, err
	}
	if !ev.IsPublic() && !isOrganiser(c) {
		return ev, event.ErrNotFound
	}
	return ev, nil
}

func (s *Server) eventPage(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	card, err := s.card(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	prog, err := s.loadProgramme(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	doc, err := s.documentationView(c.Request.Context(), ev, "", s.canSeeAll(c, ev.ID))
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "event.html", ev.Name(), gin.H{"Event": card, "Programme": prog, "Doc": doc,
		"Past": ev.IsPast(s.Now()), "Schedule": ev.Schedule(agenda.Spans(prog.Items))})
}

// registrationForm is the form's state: what was typed and the messages.
type registrationForm struct {
	Values         registration.Input
	Typed          bool // Values came from the request, not the database
	MunicipalityID int64
	Fields         map[string]string
	Message        string
}

func (s *Server) registerForm(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	form := registrationForm{Values: registration.Input{Days: ev.Days}}
	// ?kommune=<id>: the link in an invitation chooses the contact's
	// municipality; an unknown one is ignored (the link may be old).
	if id, err := strconv.ParseInt(c.Query("kommune"), 10, 64); err == nil && id > 0 {
		if m, err := s.Municipalities.Get(c.Request.Context(), id); err == nil {
			form.MunicipalityID = m.ID
		} else if !problem.Is(err, problem.NotFound) {
			return err
		}
	}
	return s.renderRegister(c, http.StatusOK, form)
}

func (s *Server) renderRegister(c *gin.Context, status int, form registrationForm) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	card, err := s.card(ctx, ev)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.List(ctx)
	if err != nil {
		return err
	}
	wishes, err := s.wishSlots(ctx, ev, form.Values.WorkingGroupPreferences)
	if err != nil {
		return err
	}
	questions, err := s.registrationQuestions(ctx, ev, 0, &form)
	if err != nil {
		return err
	}
	return s.html(c, status, "register.html", "Anmeldung: "+ev.Name(), gin.H{
		"Event": card, "Form": form, "Municipalities": groupMunicipalities(munis), "Salutations": registration.Salutations,
		"Wishes": wishes, "ConsentText": s.cfg.ConsentText, "Questions": questions,
	})
}

// municipalityGroup is an <optgroup> of the municipality select.
type municipalityGroup struct {
	Label string
	Items []municipality.Municipality
}

func groupMunicipalities(list []municipality.Municipality) []municipalityGroup {
	var towns, others []municipality.Municipality
	for _, m := range list {
		if m.Kind == municipality.Organisation {
			others = append(others, m)
		} else {
			towns = append(towns, m)
		}
	}
	return []municipalityGroup{{"Kommunen", towns}, {"Weitere Organisationen", others}}
}

func (s *Server) register(c *gin.Context) error {
	in, fieldErrs := registrationInput(c)
	form := registrationForm{Values: in, Typed: true, Fields: fieldErrs}
	if in.MunicipalityID != nil {
		form.MunicipalityID = *in.MunicipalityID
	}
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	if form.Values.Answers, err = s.postedAnswers(c, ev); err != nil {
		return err
	}
	in = form.Values
	if len(ev.Days) > 1 && len(in.Days) == 0 && fieldErrs["days"] == "" && c.PostForm("days_shown") == "1" {
		// The form offers every day pre-checked; unchecking all is a
		// mistake. A post without the days (a client that leaves the
		// optional field out) means all days, as in the API.
		fieldErrs["days"] = "Bitte wählen Sie mindestens einen Tag, an dem Sie teilnehmen."
	}
	if len(fieldErrs) > 0 {
		form.Message = "Bitte prüfen Sie die markierten Angaben."
		return s.renderRegister(c, http.StatusUnprocessableEntity, form)
	}
	if err := s.limitEmail(c, "register", in.Email, s.registrationsPerAddress()); err != nil {
		return err
	}
	reg, err := s.Registrations.Register(c.Request.Context(), ev.ID, in, registration.Options{})
	if err != nil {
		pe := classify(err)
		if pe.Code == problem.Internal || pe.Code == problem.NotFound {
			return err
		}
		form.Fields, form.Message = pe.Fields, pe.Message
		return s.renderRegister(c, statusOf(pe.Code), form)
	}
	c.Redirect(http.StatusSeeOther, "/manage/"+reg.ManageToken+"?neu=1")
	return nil
}

// registrationInput reads the form; a malformed number is reported as a
// field error rather than lost.
func registrationInput(c *gin.Context) (registration.Input, map[string]string) {
	fields := map[string]string{}
	in := registration.Input{
		Salutation: c.PostForm("salutation"), AcademicTitle: c.PostForm("academic_title"),
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"),
		Email: c.PostForm("email"), Phone: c.PostForm("phone"),
		Organisation: c.PostForm("organisation"), Function: c.PostForm("function"),
		DietaryNeeds: c.PostForm("dietary_needs"), AccessibilityNeeds: c.PostForm("accessibility_needs"),
		PhotoConsent: c.PostForm("photo_consent") == "1", PrivacyConsent: c.PostForm("privacy_consent") == "1",
	}
	if raw := c.PostForm("municipality_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			fields["municipality_id"] = "Bitte wählen Sie eine Kommune aus der Liste."
		} else {
			in.MunicipalityID = &id
		}
	}
	in.WorkingGroupPreferences = parseWishes(c)
	days, err := day.ParseEach(c.PostFormArray("days"))
	if err != nil {
		fields["days"] = "Bitte wählen Sie die Tage aus der Liste."
	}
	in.Days = days
	return in, fields
}
