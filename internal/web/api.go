package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// list is the shape of every JSON list.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

func newList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: len(items)}
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are errors, so typos in field names do not pass silently.
func decodeJSON(c *gin.Context, dst any) error {
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var (
			typeErr  *json.UnmarshalTypeError
			parseErr *time.ParseError
		)
		switch {
		case errors.As(err, &parseErr):
			// Only dates parse as time in request bodies, and they are the
			// meeting or attendance days.
			return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
				Fields: map[string]string{"days": "„" + parseErr.Value + "“ ist kein gültiges Datum (JJJJ-MM-TT)."}}
		case errors.Is(err, io.EOF):
			return problem.New(problem.BadRequest, "Der Anfrage fehlt ein JSON-Inhalt.")
		case errors.As(err, &typeErr) && typeErr.Field == "":
			return problem.New(problem.BadRequest, "Der Inhalt muss ein JSON-Objekt sein.")
		case errors.As(err, &typeErr):
			return &problem.Error{Code: problem.BadRequest, Message: "Ein Feld hat den falschen Typ.",
				Fields: map[string]string{typeErr.Field: "erwartet: " + jsonTypeName(typeErr.Type)}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			if field == "" {
				return problem.New(problem.BadRequest, "Der Inhalt enthält ein Feld ohne Namen.")
			}
			return &problem.Error{Code: problem.BadRequest, Message: "Unbekanntes Feld „" + field + "“.",
				Fields: map[string]string{field: "unbekanntes Feld"}}
		default:
			return &problem.Error{Code: problem.BadRequest, Message: "Der Inhalt ist kein gültiges JSON: " + err.Error(), Err: err}
		}
	}
	if dec.More() {
		return problem.New(problem.BadRequest, "Nach dem JSON-Objekt folgen weitere Daten.")
	}
	return nil
}

// jsonTypeName names a Go type the way API clients know it.
func jsonTypeName(t reflect.Type) string {
	if t == reflect.TypeFor[day.Date]() {
		return "Datum als Zeichenkette JJJJ-MM-TT"
	}
	switch t.Kind() {
	case reflect.String:
		return "Zeichenkette"
	case reflect.Bool:
		return "true oder false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "ganze Zahl"
	case reflect.Float64:
		return "Zahl"
	case reflect.Slice, reflect.Array:
		return "Liste"
	case reflect.Struct, reflect.Map:
		return "Objekt"
	}
	return t.String()
}

func (s *Server) apiCreateToken(c *gin.Context) error {
	var in struct {
		Email       string `json:"email"`
		Password    string `json:"password"`
		Name        string `json:"name"`
		DeviceToken string `json:"device_token"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	login, err := s.checkLogin(c, account.Attempt{Email: in.Email, Password: in.Password, Device: in.DeviceToken})
	if err != nil {
		return err
	}
	u := login.User
	if u.Role != account.Organiser {
		return problem.New(problem.Forbidden, "API-Tokens erhalten nur Konten der Organisation (ISA).")
	}
	if in.Name == "" {
		in.Name = "API " + s.Now().Format("2006-01-02 15:04")
	}
	plain, tok, err := s.Accounts.CreateToken(c.Request.Context(), u.ID, in.Name)
	if err != nil {
		return err
	}
	if err := s.Audit.Record(c.Request.Context(), audit.User(u.ID, u.Email), audit.TokenCreated, "token", tok.ID, nil, tok.Name); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, gin.H{"token": plain, "id": tok.ID, "name": tok.Name, "role": u.Role, "created_at": tok.CreatedAt,
		"device_token": login.Device})
	return nil
}

func (s *Server) apiMunicipalities(c *gin.Context) error {
	l, err := s.Municipalities.List(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(l))
	return nil
}

func (s *Server) apiMunicipalityCreate(c *gin.Context) error {
	var in municipality.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.Municipalities.Create(c.Request.Context(), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, m)
	return nil
}

// apiEventBody adds the display name and place counts to a meeting.
type apiEventBody struct {
	event.Event
	Name             string `json:"name"`
	Confirmed        int    `json:"confirmed"`
	Waitlisted       int    `json:"waitlisted"`
	Pending          int    `json:"pending"` // in review (requires_approval)
	FreePlaces       int    `json:"free_places"`
	RegistrationOpen bool   `json:"registration_open"`
	URL              string `json:"url"`
}

func (s *Server) eventBody(card eventCard) apiEventBody {
	return apiEventBody{Event: card.Event, Name: card.Name(), Confirmed: card.Confirmed, Waitlisted: card.Waitlisted, Pending: card.Pending,
		FreePlaces: card.Free, RegistrationOpen: card.Registration.Open, URL: fmt.Sprintf("%s/events/%d", s.cfg.BaseURL, card.ID)}
}

func (s *Server) apiEvents(c *gin.Context) error {
	ctx := c.Request.Context()
	f := event.Filter{PublicOnly: !isOrganiser(c), Now: s.Now()}
	switch c.Query("when") {
	case "upcoming":
		f.Upcoming = true
	case "past":
		f.Past = true
	case "", "all":
	default:
		return &problem.Error{Code: problem.BadRequest, Message: "when muss upcoming, past oder all sein.", Fields: map[string]string{"when": "upcoming, past oder all"}}
	}
	evs, err := s.Events.List(ctx, f)
	if err != nil {
		return err
	}
	cards, err := s.cards(ctx, evs)
	if err != nil {
		return err
	}
	out := make([]apiEventBody, len(cards))
	for i, card := range cards {
		out[i] = s.eventBody(card)
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

func (s *Server) apiEvent(c *gin.Context) error {
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	card, err := s.card(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.eventBody(card))
	return nil
}

// checkLookalikes refuses with 409 "duplicate" a meeting like an
// existing one, unless the client confirmed it.
func (s *Server) checkLookalikes(ctx context.Context, id int64, in event.Input) error {
	if in.ConfirmDuplicate {
		return nil
	}
	same, err := s.Events.Lookalikes(ctx, id, in)
	if err != nil || len(same) == 0 {
		return err
	}
	return event.ErrLookalike(same)
}

func (s *Server) apiEventCreate(c *gin.Context) error {
	var in event.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.checkLookalikes(c.Request.Context(), 0, in); err != nil {
		return err
	}
	ev, err := s.Events.Create(c.Request.Context(), in)
	if err != nil {
		return err
	}
	card, err := s.card(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, s.eventBody(card))
	return nil
}

func (s *Server) apiEventUpdate(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in event.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.checkLookalikes(ctx, id, in); err != nil {
		return err
	}
	ev, err := s.Events.Update(ctx, id, in)
	if err != nil {
		return err
	}
	// A cancellation queued its mails to everyone registered.
	s.kickMail()
	// A raised capacity or quota gives waiting people their places.
	if _, err := s.Registrations.FillFromWaitlist(ctx, id); err != nil {
		return err
	}
	card, err := s.card(ctx, ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.eventBody(card))
	return nil
}

// registrationFilter reads ?status=&municipality_id=&q= for the
// registration lists of the pages and the API.
func registrationFilter(c *gin.Context) (registration.Filter, error) {
	f := registration.Filter{Status: registration.Status(c.Query("status")), Query: strings.TrimSpace(c.Query("q"))}
	if f.Status != "" && !slices.Contains(registration.Statuses, f.Status) {
		return f, &problem.Error{Code: problem.BadRequest, Message: "Unbekannter Status.", Fields: map[string]string{"status": "pending, confirmed, waitlisted, cancelled oder declined"}}
	}
	if raw := c.Query("municipality_id"); raw != "" {
		m, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return f, &problem.Error{Code: problem.BadRequest, Message: "municipality_id muss eine Zahl sein.", Fields: map[string]string{"municipality_id": "Zahl erwartet"}}
		}
		f.MunicipalityID = &m
	}
	return f, nil
}

// apiRegistrationBody is a registration as the API shows it.
type apiRegistrationBody struct {
	registration.Registration
	// ManageURL is only known in the answer that creates the
	// registration: links are stored as hashes.
	ManageURL        string `json:"manage_url,omitempty"`
	WaitlistPosition int    `json:"waitlist_position,omitempty"`
	// Answers to the meeting's questions (question.APIValues); left out
	// when there are none.
	Answers map[string]any `json:"answers,omitempty"`
}

func (s *Server) registrationBody(r registration.Registration) apiRegistrationBody {
	body := apiRegistrationBody{Registration: r}
	if r.ManageToken != "" {
		body.ManageURL = s.cfg.BaseURL + "/manage/" + url.PathEscape(r.ManageToken)
	}
	return body
}

func (s *Server) apiRegister(c *gin.Context) error {
	ctx := c.Request.Context()
	ev, err := s.publicEvent(c)
	if err != nil {
		return err
	}
	var in registration.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.limitEmail(c, "register", in.Email, s.registrationsPerAddress()); err != nil {
		return err
	}
	reg, err := s.Registrations.Register(ctx, ev.ID, in, registration.Options{})
	if err != nil {
		return err
	}
	body := s.registrationBody(reg)
	if body.WaitlistPosition, err = s.Registrations.WaitlistPosition(ctx, reg); err != nil {
		return err
	}
	if body.Answers, err = s.apiAnswers(ctx, ev, reg.ID); err != nil {
		return err
	}
	c.Header("Location", fmt.Sprintf("/api/v1/events/%d/registrations/%d", ev.ID, reg.ID))
	c.JSON(http.StatusCreated, body)
	return nil
}

func (s *Server) apiRegistrations(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Events.Get(ctx, id); err != nil {
		return err
	}
	f, err := registrationFilter(c)
	if err != nil {
		return err
	}
	regs, err := s.Registrations.List(ctx, id, f)
	if err != nil {
		return err
	}
	waiting, err := s.Registrations.Waitlist(ctx, id)
	if err != nil {
		return err
	}
	position := make(map[int64]int, len(waiting))
	for i, w := range waiting {
		position[w.ID] = i + 1
	}
	sheet, err := s.Questions.Sheet(ctx, id)
	if err != nil {
		return err
	}
	out := make([]apiRegistrationBody, len(regs))
	for i, r := range regs {
		out[i] = s.registrationBody(r)
		out[i].WaitlistPosition = position[r.ID]
		out[i].Answers = sheet.APIValues(r.ID)
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

func (s *Server) apiRegistration(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	rid, err := paramID(c, "rid")
	if err != nil {
		return err
	}
	reg, err := s.Registrations.Get(ctx, rid)
	if err != nil || reg.EventID != id {
		return registration.ErrNotFound
	}
	body := s.registrationBody(reg)
	if body.WaitlistPosition, err = s.Registrations.WaitlistPosition(ctx, reg); err != nil {
		return err
	}
	ev, err := s.Events.Get(ctx, id)
	if err != nil {
		return err
	}
	if body.Answers, err = s.apiAnswers(ctx, ev, reg.ID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, body)
	return nil
}
