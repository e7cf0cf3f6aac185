package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
)

// emptySpeakerRows is how many blank speaker rows the item form offers
// below the existing ones.
const emptySpeakerRows = 3

// mediaForm is the state of a Mediathek form: what was typed, and the
// messages next to the fields.
type mediaForm struct {
	Values  url.Values
	Fields  map[string]string
	Message string
}

// mediaSpeaker is one row of the item form's speaker table.
type mediaSpeaker struct {
	Name, Role, Municipality string // Municipality: the selected id, "" for none
}

// meetingOption is a meeting in the item form with its programme items.
type meetingOption struct {
	ID     int64
	Label  string
	Agenda []agendaOption
}

// agendaOption is a programme item in the item form's select.
type agendaOption struct {
	ID    int64
	Label string
}

// seriesParam loads the series :sid.
func (s *Server) seriesParam(c *gin.Context) (media.Series, error) {
	id, err := paramID(c, "sid")
	if err != nil {
		return media.Series{}, err
	}
	return s.Media.OneSeries(c.Request.Context(), id)
}

// mediaParam loads the item :mid, participant-only ones included.
func (s *Server) mediaParam(c *gin.Context) (media.Item, error) {
	id, err := paramID(c, "mid")
	if err != nil {
		return media.Item{}, err
	}
	return s.Media.Item(c.Request.Context(), id)
}

// recordMedia writes an audit entry about the Mediathek; an item of a
// meeting is filed under that meeting too.
func (s *Server) recordMedia(c *gin.Context, action audit.Action, subject string, subjectID int64, eventID *int64, detail string) {
	if err := s.Audit.Record(c.Request.Context(), actorOf(c), action, subject, subjectID, eventID, detail); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit", "action", action, "error", err)
	}
}

func (s *Server) adminMediathek(c *gin.Context) error {
	return s.renderAdminMediathek(c, http.StatusOK, nil)
}

// renderAdminMediathek shows the series and all items; add carries a
// failed "new series" form.
func (s *Server) renderAdminMediathek(c *gin.Context, status int, add *mediaForm) error {
	ctx := c.Request.Context()
	series, err := s.Media.Series(ctx)
	if err != nil {
		return err
	}
	items, err := s.Media.Items(ctx, media.ListQuery{ParticipantOnly: true})
	if err != nil {
		return err
	}
	counts := map[int64]int{}
	for _, it := range items {
		if it.SeriesID != nil {
			counts[*it.SeriesID]++
		}
	}
	var missing int
	for _, it := range items {
		if !it.HasCaptions() || !it.HasTranscript() {
			missing++
		}
	}
	if add == nil {
		add = &mediaForm{Values: url.Values{}}
	}
	return s.html(c, status, "admin_mediathek.html", "Mediathek verwalten", gin.H{
		"Series": series, "Counts": counts, "Sections": media.Sections(media.Search(items, media.Query{}, nil), series),
		"Total": len(items), "Missing": missing, "Add": add,
	})
}

func (s *Server) adminSeriesCreate(c *gin.Context) error {
	title, description := c.PostForm("title"), c.PostForm("description")
	sr, err := s.Media.CreateSeries(c.Request.Context(), media.SeriesInput{Title: &title, Description: &description})
	if err != nil {
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		form := &mediaForm{Values: url.Values{"title": {title}, "description": {description}}, Fields: pe.Fields, Message: pe.Message}
		return s.renderAdminMediathek(c, http.StatusUnprocessableEntity, form)
	}
	s.recordMedia(c, audit.MediaSeriesSaved, "media_series", sr.ID, nil, sr.Title)
	s.flash(c, "Die Reihe „"+sr.Title+"“ ist angelegt.")
	c.Redirect(http.StatusSeeOther, "/admin/mediathek#reihen")
	return nil
}

func (s *Server) adminSeriesEdit(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminSeries(c, http.StatusOK, sr, &mediaForm{Values: url.Values{"title": {sr.Title}, "description": {sr.Description}}})
}

func (s *Server) renderAdminSeries(c *gin.Context, status int, sr media.Series, form *mediaForm) error {
	return s.html(c, status, "admin_mediathek_series.html", "Reihe bearbeiten", gin.H{"Series": sr, "Form": form})
}

func (s *Server) adminSeriesUpdate(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	title, description := c.PostForm("title"), c.PostForm("description")
	if _, err := s.Media.UpdateSeries(c.Request.Context(), sr.ID, media.SeriesInput{Title: &title, Description: &description}); err != nil {
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		form := &mediaForm{Values: url.Values{"title": {title}, "description": {description}}, Fields: pe.Fields, Message: pe.Message}
		return s.renderAdminSeries(c, http.StatusUnprocessableEntity, sr, form)
	}
	s.recordMedia(c, audit.MediaSeriesSaved, "media_series", sr.ID, nil, strings.TrimSpace(title))
	s.flash(c, "Die Reihe ist gespeichert.")
	c.Redirect(http.StatusSeeOther, "/admin/mediathek#reihen")
	return nil
}

func (s *Server) adminSeriesMove(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	delta := 1
	if c.PostForm("direction") == "up" {
		delta = -1
	}
	if err := s.Media.MoveSeries(c.Request.Context(), sr.ID, delta); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/mediathek#reihe-%d", sr.ID))
	return nil
}

func (s *Server) adminSeriesDelete(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	n, err := s.Media.DeleteSeries(c.Request.Context(), sr.ID)
	if err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaSeriesDeleted, "media_series", sr.ID, nil, fmt.Sprintf("%s (%d Einträge ohne Reihe)", sr.Title, n))
	s.flash(c, fmt.Sprintf("Die Reihe „%s“ ist gelöscht. Ihre %d Einträge bleiben in der Mediathek, ohne Reihe.", sr.Title, n))
	c.Redirect(http.StatusSeeOther, "/admin/mediathek#reihen")
	return nil
}

// mediaValues fills the item form from a stored item.
func mediaValues(it media.Item) url.Values {
	v := url.Values{"kind": {string(it.Kind)}, "title": {it.Title}, "description": {it.Description},
		"recorded_on": {it.DateLabel()}, "url": {it.URL}, "credits": {it.Credits}, "visibility": {string(it.Visibility)},
		"topics": {strings.Join(it.Topics, ", ")}, "transcript": {it.Transcript}, "captions_language": {it.CaptionsLang}}
	if it.DurationSeconds > 0 {
		v.Set("duration", strings.Fields(it.DurationLabel())[0])
	}
	if it.SeriesID != nil {
		v.Set("series_id", itoa(*it.SeriesID))
	}
	if it.EventID != nil {
		v.Set("event_id", itoa(*it.EventID))
	}
	if it.AgendaItemID != nil {
		v.Set("agenda_item_id", itoa(*it.AgendaItemID))
	}
	for _, sp := range it.Speakers {
		v.Add("speaker_name", sp.Name)
		v.Add("speaker_role", sp.Role)
		muni := ""
		if sp.MunicipalityID != nil {
			muni = itoa(*sp.MunicipalityID)
		}
		v.Add("speaker_municipality", muni)
	}
	return v
}

// mediaSpeakerRows are the speaker rows of the form: those in v, then blank
// ones.
func mediaSpeakerRows(v url.Values) []mediaSpeaker {
	names, roles, munis := v["speaker_name"], v["speaker_role"], v["speaker_municipality"]
	var out []mediaSpeaker
	for i, name := range names {
		r := mediaSpeaker{Name: name}
		if i < len(roles) {
			r.Role = roles[i]
		}
		if i < len(munis) {
			r.Municipality = munis[i]
		}
		out = append(out, r)
	}
	// Blank rows in between stay, so messages keep their row numbers.
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1].Name+out[len(out)-1].Role+out[len(out)-1].Municipality) == "" {
		out = out[:len(out)-1]
	}
	return append(out, make([]mediaSpeaker, emptySpeakerRows)...)
}

// mediaInputOf reads the item form's fields (files aside).
func mediaInputOf(v url.Values) (media.Input, error) {
	var bad problem.Validation
	id := func(key string) *int64 {
		s := strings.TrimSpace(v.Get(key))
		if s == "" {
			var zero int64
			return &zero
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			bad.Add(key, "Bitte wählen Sie einen Eintrag aus der Liste.")
			return nil
		}
		return &n
	}
	text := func(key string) *string { s := v.Get(key); return &s }
	kind, visibility := media.Kind(v.Get("kind")), media.Visibility(v.Get("visibility"))
	topics := media.SplitTopics(v.Get("topics"))
	in := media.Input{Kind: &kind, Title: text("title"), Description: text("description"), RecordedOn: text("recorded_on"),
		Duration: text("duration"), URL: text("url"), Credits: text("credits"), Transcript: text("transcript"),
		CaptionsLang: text("captions_language"), Visibility: &visibility, Topics: &topics,
		SeriesID: id("series_id"), EventID: id("event_id"), AgendaItemID: id("agenda_item_id")}
	speakers := []media.SpeakerInput{}
	roles, munis := v["speaker_role"], v["speaker_municipality"]
	for i, name := range v["speaker_name"] {
		sp := media.SpeakerInput{Name: name}
		if i < len(roles) {
			sp.Role = roles[i]
		}
		if i < len(munis) && munis[i] != "" {
			n, err := strconv.ParseInt(munis[i], 10, 64)
			if err != nil {
				bad.Add(fmt.Sprintf("speakers.%d.municipality_id", i), "Bitte wählen Sie eine Kommune aus der Liste.")
			}
			sp.MunicipalityID = &n
		}
		speakers = append(speakers, sp)
	}
	in.Speakers = &speakers
	return in, bad.Err()
}

// readMediaForm reads the item form with its optional transcript and
// captions files. A file is checked by its content; a transcript file
// replaces the typed transcript (and is shown in the field, so it is
// kept if something else fails). uploaded tells whether a file came.
func (s *Server) readMediaForm(c *gin.Context) (values url.Values, in media.Input, uploaded bool, err error) {
	// Room for both files at their limit and the other fields.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 3*media.MaxTextBytes+(1<<20))
	if contentTypeIs(c, "multipart/form-data") {
		err = c.Request.ParseMultipartForm(8 << 20)
	} else {
		err = c.Request.ParseForm()
	}
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return url.Values{}, in, false, &problem.Error{Code: problem.TooLarge,
				Message: fmt.Sprintf("Die Dateien sind zu groß: erlaubt sind je höchstens %d MB.", media.MaxTextBytes>>20)}
		}
		return url.Values{}, in, false, problem.New(problem.BadRequest, "Das Formular ließ sich nicht lesen.")
	}
	values = c.Request.PostForm
	in, err = mediaInputOf(values)
	if err != nil {
		return values, in, false, err
	}
	transcript, hasTranscript, err := formFile(c, "transcript_file")
	if err != nil {
		return values, in, false, err
	}
	if hasTranscript {
		uploaded = true
		t, err := media.CheckTranscript(transcript)
		if err != nil {
			return values, in, true, fileProblem(err, "transcript", "transcript_file")
		}
		values.Set("transcript", t)
		in.Transcript = &t
	}
	captions, hasCaptions, err := formFile(c, "captions_file")
	if err != nil {
		return values, in, uploaded, err
	}
	switch {
	case hasCaptions:
		uploaded = true
		vtt, err := media.CheckCaptions(captions)
		if err != nil {
			return values, in, true, fileProblem(err, "captions", "captions")
		}
		in.Captions = &vtt
	case values.Get("remove_captions") == "1":
		none := ""
		in.Captions = &none
	}
	return values, in, uploaded, nil
}

// formFile reads at most one byte more than a text may have of the file
// field name; an empty file input is no file.
func formFile(c *gin.Context, name string) ([]byte, bool, error) {
	if c.Request.MultipartForm == nil || len(c.Request.MultipartForm.File[name]) == 0 {
		return nil, false, nil
	}
	fh := c.Request.MultipartForm.File[name][0]
	if fh.Filename == "" && fh.Size == 0 {
		return nil, false, nil
	}
	return readPart(fh)
}

func readPart(fh *multipart.FileHeader) ([]byte, bool, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, false, fmt.Errorf("open upload %s: %w", fh.Filename, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, media.MaxTextBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("read upload %s: %w", fh.Filename, err)
	}
	return b, true, nil
}

// fileProblem puts the check's message of a refused file at the form's
// field: what is wrong, then what to do.
func fileProblem(err error, from, to string) error {
	pe, ok := problem.As(err)
	if !ok {
		return err
	}
	msg := pe.Message
	if hint := pe.Fields[from]; hint != "" {
		msg += " " + hint
	}
	return &problem.Error{Code: pe.Code, Message: "Die Datei wurde nicht übernommen.", Fields: map[string]string{to: msg}}
}

func (s *Server) adminMediaNew(c *gin.Context) error {
	v := url.Values{"kind": {string(media.Video)}, "visibility": {string(media.Public)}, "captions_language": {"de"}}
	if ev := c.Query("event"); ev != "" {
		v.Set("event_id", ev)
	}
	return s.renderAdminMedia(c, http.StatusOK, nil, &mediaForm{Values: v})
}

func (s *Server) adminMediaEdit(c *gin.Context) error {
	it, err := s.mediaParam(c)
	if err != nil {
		return err
	}
	return s.renderAdminMedia(c, http.StatusOK, &it, &mediaForm{Values: mediaValues(it)})
}

// renderAdminMedia shows the item form: for a new item when it is nil.
func (s *Server) renderAdminMedia(c *gin.Context, status int, it *media.Item, form *mediaForm) error {
	ctx := c.Request.Context()
	series, err := s.Media.Series(ctx)
	if err != nil {
		return err
	}
	meetings, err := s.meetingOptions(c)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.List(ctx)
	if err != nil {
		return err
	}
	topics, err := s.Media.Topics(ctx, true)
	if err != nil {
		return err
	}
	title := "Neuer Eintrag in der Mediathek"
	if it != nil {
		title = "Mediathek: " + it.Title
	}
	return s.html(c, status, "admin_mediathek_item.html", title, gin.H{
		"Item": it, "Form": form, "Speakers": mediaSpeakerRows(form.Values), "Series": series, "Meetings": meetings,
		"Municipalities": munis, "Topics": topics, "Kinds": media.Kinds, "MaxMB": media.MaxTextBytes >> 20,
	})
}

// meetingOptions lists all meetings, newest first, with their programme
// items in the order of the programme.
func (s *Server) meetingOptions(c *gin.Context) ([]meetingOption, error) {
	ctx := c.Request.Context()
	events, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return nil, err
	}
	out := make([]meetingOption, len(events))
	for i, ev := range events {
		m := media.Meeting{Name: ev.Name(), City: ev.VenueCity, Day: ev.Days.First()}
		out[i] = meetingOption{ID: ev.ID, Label: m.Label()}
		items, err := s.Agenda.Items(ctx, ev.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range items {
			out[i].Agenda = append(out[i].Agenda, agendaOption{ID: a.ID, Label: a.Day.German() + " " + a.StartsAt + " – " + a.Title})
		}
	}
	return out, nil
}

func (s *Server) adminMediaCreate(c *gin.Context) error {
	values, in, uploaded, err := s.readMediaForm(c)
	if err == nil {
		var it media.Item
		if it, err = s.Media.CreateItem(c.Request.Context(), in); err == nil {
			s.recordMedia(c, audit.MediaAdded, "media_item", it.ID, it.EventID, it.Title)
			s.flash(c, "„"+it.Title+"“ ist in der Mediathek angelegt.")
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/mediathek/%d", it.ID))
			return nil
		}
	}
	return s.mediaFormFailed(c, nil, values, uploaded, err)
}

func (s *Server) adminMediaUpdate(c *gin.Context) error {
	it, err := s.mediaParam(c)
	if err != nil {
		return err
	}
	values, in, uploaded, err := s.readMediaForm(c)
	if err == nil {
		var saved media.Item
		if saved, err = s.Media.UpdateItem(c.Request.Context(), it.ID, in); err == nil {
			s.recordMedia(c, audit.MediaChanged, "media_item", it.ID, saved.EventID, saved.Title)
			s.flash(c, "„"+saved.Title+"“ ist gespeichert.")
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/mediathek/%d", it.ID))
			return nil
		}
	}
	return s.mediaFormFailed(c, &it, values, uploaded, err)
}

// mediaFormFailed shows the item form again with what was typed and the
// messages, or passes on an error that is not the input's fault.
func (s *Server) mediaFormFailed(c *gin.Context, it *media.Item, values url.Values, uploaded bool, err error) error {
	pe := classify(err)
	switch pe.Code {
	case problem.Invalid, problem.UnsupportedType, problem.TooLarge:
	default:
		return err
	}
	message := pe.Message
	if uploaded {
		// Browsers do not keep a chosen file when a page is shown again.
		message += " Bitte wählen Sie die Datei noch einmal aus."
	}
	return s.renderAdminMedia(c, statusOf(pe.Code), it, &mediaForm{Values: values, Fields: pe.Fields, Message: message})
}

func (s *Server) adminMediaDelete(c *gin.Context) error {
	it, err := s.mediaParam(c)
	if err != nil {
		return err
	}
	if _, err := s.Media.DeleteItem(c.Request.Context(), it.ID); err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaDeleted, "media_item", it.ID, it.EventID, it.Title)
	s.flash(c, "„"+it.Title+"“ ist aus der Mediathek gelöscht.")
	c.Redirect(http.StatusSeeOther, "/admin/mediathek#medien")
	return nil
}

// adoptMaterial moves the video material :mid of meeting :id into the
// Mediathek and records it.
func (s *Server) adoptMaterial(c *gin.Context) (media.Item, error) {
	ev, m, err := s.adminMaterial(c)
	if err != nil {
		return media.Item{}, err
	}
	it, err := s.Media.AdoptMaterial(c.Request.Context(), m.ID)
	if err != nil {
		return it, err
	}
	s.recordMedia(c, audit.MediaAdopted, "media_item", it.ID, &ev.ID, fmt.Sprintf("%s (Material %d)", it.Title, m.ID))
	return it, nil
}

func (s *Server) adminMaterialAdopt(c *gin.Context) error {
	it, err := s.adoptMaterial(c)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			msg := pe.Message
			for _, f := range fieldOrder(pe.Fields) {
				msg += " " + f[1]
			}
			s.flash(c, msg)
			c.Redirect(http.StatusSeeOther, "/admin/events/"+c.Param("id")+"/documentation#materialien")
			return nil
		}
		return err
	}
	s.flash(c, "„"+it.Title+"“ ist jetzt in der Mediathek und nicht mehr in den Materialien der Dokumentation. "+
		"Ergänzen Sie hier Personen, Themen, Untertitel und Transkript.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/mediathek/%d", it.ID))
	return nil
}
