package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

var errParticipantsOnly = problem.New(problem.Forbidden,
	"Dieses Material ist nur für Teilnehmende der Veranstaltung: Sie erreichen es über den persönlichen Link aus Ihrer Anmeldebestätigung.")

// materialView is a material with the address it is shown or fetched at.
type materialView struct {
	archive.Material
	Href string
}

// docSection is the materials of one programme item or working-group input.
type docSection struct {
	Heading   string
	Sub       string
	Materials []materialView
	Media     []mediaEntry // from the Mediathek
}

// mediaEntry is a Mediathek item listed in a meeting's documentation:
// the entry links to the item, which lives only in the Mediathek.
type mediaEntry struct {
	media.Item
	Href string
}

// docView is a meeting's documentation as a page shows it.
type docView struct {
	Doc      archive.Documentation
	Report   template.HTML
	Photos   []materialView
	Sections []docSection
	Others   []materialView
	Media    []mediaEntry // Mediathek items not on a programme item
	Hidden   int          // participant-only materials and items not shown to this visitor
	Preview  bool         // unpublished: only the team sees it
	ForToken bool         // shown through a participant's manage link
	// MediaOnly: no published documentation, only the meeting's items
	// in the Mediathek.
	MediaOnly bool
}

// Empty reports whether there is nothing to show.
func (d docView) Empty() bool {
	return d.Report == "" && len(d.Photos) == 0 && len(d.Sections) == 0 && len(d.Others) == 0 && len(d.Media) == 0
}

// canSeeAll reports whether the visitor is an organiser or a host of the
// meeting: they see unpublished documentation and all materials.
func (s *Server) canSeeAll(c *gin.Context, eventID int64) bool {
	u, ok := currentUser(c)
	if !ok {
		return false
	}
	switch u.Role {
	case account.Organiser:
		return true
	case account.Host:
		is, err := s.Accounts.IsHost(c.Request.Context(), u.ID, eventID)
		return err == nil && is
	}
	return false
}

// documentationView builds the documentation of ev for a visitor; token
// is the manage token of a participant of ev ("" for the public), which
// unlocks participant-only material. It returns nil when there is nothing
// the visitor may see.
func (s *Server) documentationView(ctx context.Context, ev event.Event, token string, team bool) (*docView, error) {
	doc, err := s.Archive.Documentation(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	items, err := s.Media.Items(ctx, media.ListQuery{ParticipantOnly: true, EventID: ev.ID})
	if err != nil {
		return nil, err
	}
	media.Sort(items)
	var all []archive.Material
	if doc.Published() || team {
		if all, err = s.Archive.Materials(ctx, ev.ID, true); err != nil {
			return nil, err
		}
	}
	v := &docView{Doc: doc, Report: archive.RenderReport(doc.Report), Preview: !doc.Published() && team, ForToken: token != ""}
	if !doc.Published() && !team {
		// Without a documentation the meeting's videos still show.
		v = &docView{Doc: doc, ForToken: token != "", MediaOnly: true}
	}
	// A video kept both as a material and in the Mediathek is listed
	// once, from the Mediathek.
	inMediathek := make(map[string]bool, len(items))
	for _, it := range items {
		inMediathek[it.URL] = true
	}
	var labels map[string][2]string
	if slices.ContainsFunc(all, func(m archive.Material) bool { return m.AgendaItemID != nil || m.WorkingGroupInputID != nil }) ||
		slices.ContainsFunc(items, func(it media.Item) bool { return it.AgendaItemID != nil }) {
		if labels, err = s.attachmentLabels(ctx, ev.ID); err != nil {
			return nil, err
		}
	}
	sections := map[string]int{}
	section := func(key string) (int, bool) {
		label, ok := labels[key]
		if !ok {
			return 0, false
		}
		i, seen := sections[key]
		if !seen {
			i = len(v.Sections)
			sections[key] = i
			v.Sections = append(v.Sections, docSection{Heading: label[0], Sub: label[1]})
		}
		return i, true
	}
	for _, m := range all {
		if !m.IsUpload() && inMediathek[m.URL] {
			continue
		}
		if m.Visibility == archive.Participants && token == "" && !team {
			v.Hidden++
			continue
		}
		mv := materialView{Material: m, Href: materialHref(m, token)}
		var key string
		switch {
		case m.Kind == archive.Photo:
			v.Photos = append(v.Photos, mv)
			continue
		case m.AgendaItemID != nil:
			key = "a" + strconv.FormatInt(*m.AgendaItemID, 10)
		case m.WorkingGroupInputID != nil:
			key = "i" + strconv.FormatInt(*m.WorkingGroupInputID, 10)
		}
		i, ok := section(key)
		if !ok {
			v.Others = append(v.Others, mv)
			continue
		}
		v.Sections[i].Materials = append(v.Sections[i].Materials, mv)
	}
	for _, it := range items {
		if it.Visibility == media.Participants && token == "" && !team {
			v.Hidden++
			continue
		}
		entry := mediaEntry{Item: it, Href: mediaHref(it, token)}
		if it.AgendaItemID != nil && !v.MediaOnly {
			if i, ok := section("a" + strconv.FormatInt(*it.AgendaItemID, 10)); ok {
				v.Sections[i].Media = append(v.Sections[i].Media, entry)
				continue
			}
		}
		v.Media = append(v.Media, entry)
	}
	if v.MediaOnly && len(v.Media) == 0 {
		return nil, nil
	}
	return v, nil
}

// attachmentLabels names the programme items ("a<id>") and working-group
// inputs ("i<id>") of a meeting: a heading and a line below it.
func (s *Server) attachmentLabels(ctx context.Context, eventID int64) (map[string][2]string, error) {
	out := map[string][2]string{}
	items, err := s.Agenda.Items(ctx, eventID)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		sub := it.Day.German() + ", " + it.StartsAt + " Uhr"
		if len(it.Speakers) > 0 {
			sub += " · " + it.Speakers[0].Line()
		}
		out["a"+strconv.FormatInt(it.ID, 10)] = [2]string{it.DisplayTitle(), sub}
	}
	groups, err := s.WorkingGroups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		for _, in := range g.Inputs {
			var name string
			if in.MunicipalityID != nil {
				name = munis[*in.MunicipalityID].Name
			}
			head := in.Heading(name)
			sub := "Arbeitsgruppe „" + g.Title + "“"
			if in.Speaker != "" {
				sub += " · " + in.Speaker
			}
			out["i"+strconv.FormatInt(in.ID, 10)] = [2]string{head, sub}
		}
	}
	return out, nil
}

// materialHref is where a material is opened: the link itself for videos
// and links, the file route for uploads (through the manage link for
// participant-only ones).
func materialHref(m archive.Material, token string) string {
	if !m.IsUpload() {
		return m.URL
	}
	name := url.PathEscape(m.FileName)
	if token != "" && m.Visibility == archive.Participants {
		return fmt.Sprintf("/manage/%s/materials/%d/%s", url.PathEscape(token), m.ID, name)
	}
	return fmt.Sprintf("/materials/%d/%s", m.ID, name)
}

// materialFile serves an uploaded file to the public (public material of
// a published documentation) and to the meeting's team.
func (s *Server) materialFile(c *gin.Context) error {
	m, err := s.material(c)
	if err != nil {
		return err
	}
	team := s.canSeeAll(c, m.EventID)
	if !team {
		if err := s.publiclyVisible(c.Request.Context(), m); err != nil {
			return err
		}
	}
	return s.serveMaterial(c, m, m.Visibility == archive.Public && !team)
}

// publiclyVisible checks that anyone may fetch m.
func (s *Server) publiclyVisible(ctx context.Context, m archive.Material) error {
	ev, err := s.Events.Get(ctx, m.EventID)
	if err != nil {
		return err
	}
	doc, err := s.Archive.Documentation(ctx, m.EventID)
	if err != nil {
		return err
	}
	if !ev.IsPublic() || !doc.Published() {
		return archive.ErrMaterialNotFound
	}
	if m.Visibility != archive.Public {
		return errParticipantsOnly
	}
	return nil
}

// manageMaterialFile serves a file to a participant of its meeting.
func (s *Server) manageMaterialFile(c *gin.Context) error {
	reg, err := s.Registrations.ByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	m, err := s.material(c)
	if err != nil {
		return err
	}
	if err := s.participantMaySee(c.Request.Context(), reg, m.EventID); err != nil {
		return err
	}
	return s.serveMaterial(c, m, false)
}

// participantMaySee checks that a registration unlocks the participant
// material of a meeting: it must be a confirmed place at that meeting
// whose documentation is published.
func (s *Server) participantMaySee(ctx context.Context, reg registration.Registration, eventID int64) error {
	if reg.EventID != eventID {
		return errParticipantsOnly
	}
	if reg.Status != registration.Confirmed {
		return problem.New(problem.Forbidden, "Die Materialien für Teilnehmende stehen nur bestätigten Anmeldungen offen.")
	}
	doc, err := s.Archive.Documentation(ctx, eventID)
	if err != nil {
		return err
	}
	if !doc.Published() {
		return archive.ErrMaterialNotFound
	}
	return nil
}

func (s *Server) material(c *gin.Context) (archive.Material, error) {
	id, err := paramID(c, "mid")
	if err != nil {
		return archive.Material{}, err
	}
	m, err := s.Archive.Material(c.Request.Context(), id)
	if err != nil {
		return m, err
	}
	if !m.IsUpload() {
		return m, archive.ErrMaterialNotFound
	}
	return m, nil
}

// serveMaterial streams a stored file with its checked content type and
// download name; ranges and conditional requests work, so large PDFs can
// be resumed and cached.
func (s *Server) serveMaterial(c *gin.Context, m archive.Material, public bool) error {
	f, err := s.Archive.Files().Open(m.FileKey)
	if errors.Is(err, fs.ErrNotExist) {
		return archive.ErrMaterialNotFound
	}
	if err != nil {
		return fmt.Errorf("open material %d: %w", m.ID, err)
	}
	defer f.Close()
	disposition := "inline"
	if c.Query("download") != "" {
		disposition = "attachment"
	}
	c.Header("Content-Type", m.ContentType)
	c.Header("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": m.FileName}))
	c.Header("ETag", `"`+m.SHA256+`"`)
	if public {
		c.Header("Cache-Control", "public, max-age=3600")
	} else {
		c.Header("Cache-Control", "private, no-cache")
	}
	http.ServeContent(c.Writer, c.Request, "", m.UpdatedAt, f)
	return nil
}

// manageDocumentation shows the documentation with the participant-only
// material to a participant.
func (s *Server) manageDocumentation(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, ev, err := s.linkedRegistration(c)
	if err != nil {
		return err
	}
	if err := s.participantMaySee(ctx, reg, reg.EventID); err != nil {
		return err
	}
	doc, err := s.documentationView(ctx, ev, c.Param("token"), false)
	if err != nil {
		return err
	}
	card, err := s.card(ctx, ev)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("Referrer-Policy", "no-referrer")
	return s.html(c, http.StatusOK, "manage_documentation.html", "Dokumentation: "+ev.Name(),
		gin.H{"Event": card, "Doc": doc, "Token": c.Param("token"), "Name": reg.FullName()})
}
