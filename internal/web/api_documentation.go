package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// archiveEntryBody is an archive entry in the API, its meeting as
// everywhere else in the API.
type archiveEntryBody struct {
	Event          apiEventBody `json:"event"`
	Teaser         string       `json:"teaser"`
	Documented     bool         `json:"documented"`
	Speakers       []string     `json:"speakers"`
	Municipalities []string     `json:"municipalities"`
}

func (s *Server) apiArchive(c *gin.Context) error {
	ctx := c.Request.Context()
	entries, err := s.Archive.Archive(ctx, s.Now())
	if err != nil {
		return err
	}
	found := archive.Search(entries, archiveQuery(c))
	events := make([]event.Event, len(found))
	for i, e := range found {
		events[i] = e.Event
	}
	cards, err := s.cards(ctx, events)
	if err != nil {
		return err
	}
	out := make([]archiveEntryBody, len(found))
	for i, e := range found {
		out[i] = archiveEntryBody{Event: s.eventBody(cards[i]), Teaser: e.Teaser, Documented: e.Documented,
			Speakers: append([]string{}, e.Speakers...), Municipalities: append([]string{}, e.Municipalities...)}
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

// materialBody is a material in the API; uploads carry the address of
// their file.
type materialBody struct {
	archive.Material
	FileURL string `json:"file_url,omitempty"`
}

func (s *Server) materialBodyOf(m archive.Material) materialBody {
	b := materialBody{Material: m}
	if m.IsUpload() {
		b.FileURL = s.cfg.BaseURL + "/api/v1/events/" + itoa(m.EventID) + "/materials/" + itoa(m.ID) + "/file"
	}
	return b
}

// documentationBody is a meeting's documentation in the API.
type documentationBody struct {
	archive.Documentation
	Published  bool           `json:"published"`
	ReportHTML string         `json:"report_html"`
	Materials  []materialBody `json:"materials"`
}

// visibleDocumentation loads what the visitor may see of the meeting in
// :id: its documentation and materials when the documentation is
// published or the visitor is on the meeting's team; shown is false
// otherwise.
func (s *Server) visibleDocumentation(c *gin.Context) (doc archive.Documentation, materials []archive.Material, shown bool, err error) {
	ev, err := s.publicEvent(c)
	if err != nil {
		return doc, nil, false, err
	}
	ctx := c.Request.Context()
	team := s.canSeeAll(c, ev.ID)
	if doc, err = s.Archive.Documentation(ctx, ev.ID); err != nil {
		return doc, nil, false, err
	}
	if !doc.Published() && !team {
		return doc, nil, false, nil
	}
	materials, err = s.Archive.Materials(ctx, ev.ID, team)
	return doc, materials, err == nil, err
}

func (s *Server) apiDocumentation(c *gin.Context) error {
	doc, materials, shown, err := s.visibleDocumentation(c)
	if err != nil {
		return err
	}
	if !shown {
		return problem.New(problem.NotFound, "Zu dieser Veranstaltung ist keine Dokumentation veröffentlicht.")
	}
	c.JSON(http.StatusOK, s.documentationBodyOf(doc, materials))
	return nil
}

func (s *Server) documentationBodyOf(doc archive.Documentation, materials []archive.Material) documentationBody {
	out := documentationBody{Documentation: doc, Published: doc.Published(), ReportHTML: string(archive.RenderReport(doc.Report)),
		Materials: make([]materialBody, len(materials))}
	for i, m := range materials {
		out.Materials[i] = s.materialBodyOf(m)
	}
	return out
}

func (s *Server) apiDocumentationSave(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var in archive.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request.Context()
	doc, err := s.Archive.SaveDocumentation(ctx, ev.ID, in, s.Now())
	if err != nil {
		return err
	}
	s.record(c, audit.DocumentationSaved, "event", ev.ID, ev.ID, "API")
	materials, err := s.Archive.Materials(ctx, ev.ID, true)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.documentationBodyOf(doc, materials))
	return nil
}

func (s *Server) apiDocumentationDelete(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	n, err := s.Archive.DeleteDocumentation(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	s.record(c, audit.DocumentationDeleted, "event", ev.ID, ev.ID, itoa(int64(n))+" Materialien")
	c.JSON(http.StatusOK, gin.H{"deleted_materials": n})
	return nil
}

func (s *Server) apiMaterials(c *gin.Context) error {
	_, materials, _, err := s.visibleDocumentation(c)
	if err != nil {
		return err
	}
	out := make([]materialBody, len(materials))
	for i, m := range materials {
		out[i] = s.materialBodyOf(m)
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

// apiMaterialCreate takes a multipart form (fields and a "file" part) for
// presentations and photos, or a JSON body for videos and links.
func (s *Server) apiMaterialCreate(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	var (
		in archive.MaterialInput
		up *archive.Upload
	)
	if contentTypeIs(c, "multipart/form-data") {
		var form materialForm
		form, err = s.readMaterialForm(c)
		up = form.Upload
		if err == nil {
			in, err = materialInputOf(form.Values)
		}
	} else {
		err = decodeJSON(c, &in)
	}
	if err != nil {
		s.Archive.Files().Discard(up)
		return err
	}
	m, err := s.Archive.AddMaterial(c.Request.Context(), ev.ID, in, up, s.Now())
	if err != nil {
		return err
	}
	s.record(c, audit.MaterialAdded, "material", m.ID, ev.ID, m.Label())
	c.Header("Location", "/api/v1/events/"+itoa(ev.ID)+"/materials/"+itoa(m.ID))
	c.JSON(http.StatusCreated, s.materialBodyOf(m))
	return nil
}

func (s *Server) apiMaterialUpdate(c *gin.Context) error {
	_, m, err := s.adminMaterial(c)
	if err != nil {
		return err
	}
	var in archive.MaterialInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err = s.Archive.UpdateMaterial(c.Request.Context(), m.ID, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.materialBodyOf(m))
	return nil
}

func (s *Server) apiMaterialDelete(c *gin.Context) error {
	if _, err := s.deleteMaterial(c); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// apiMaterialFile serves a material's file to the meeting's team through
// the API (bearer token); the public uses the address on the pages.
func (s *Server) apiMaterialFile(c *gin.Context) error {
	_, m, err := s.adminMaterial(c)
	if err == nil && !m.IsUpload() {
		err = archive.ErrMaterialNotFound
	}
	if err != nil {
		return err
	}
	return s.serveMaterial(c, m, false)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
