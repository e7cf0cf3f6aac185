package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// docForm is the documentation editor's state.
type docForm struct {
	Values  url.Values
	Fields  map[string]string
	Message string
}

// attachOption is a programme item or working-group input a material can
// hang on; Value is "a<id>" or "i<id>".
type attachOption struct {
	Value, Label string
}

func (s *Server) attachOptions(c *gin.Context, eventID int64) ([]attachOption, error) {
	labels, err := s.attachmentLabels(c.Request.Context(), eventID)
	if err != nil {
		return nil, err
	}
	var out []attachOption
	for _, prefix := range []string{"a", "i"} {
		var group []attachOption
		for key, l := range labels {
			if strings.HasPrefix(key, prefix) {
				group = append(group, attachOption{Value: key, Label: l[0] + " (" + l[1] + ")"})
			}
		}
		sortAttach(group)
		out = append(out, group...)
	}
	return out, nil
}

func sortAttach(list []attachOption) {
	sort.Slice(list, func(i, j int) bool { return collate.Key(list[i].Label) < collate.Key(list[j].Label) })
}

// attachValue is the select value of a material's attachment.
func attachValue(m archive.Material) string {
	switch {
	case m.AgendaItemID != nil:
		return "a" + strconv.FormatInt(*m.AgendaItemID, 10)
	case m.WorkingGroupInputID != nil:
		return "i" + strconv.FormatInt(*m.WorkingGroupInputID, 10)
	}
	return ""
}

// materialInputOf reads a material form's fields; attach "a12" hangs the
// material on programme item 12, "i7" on working-group input 7, "" on the
// meeting.
func materialInputOf(v url.Values) (archive.MaterialInput, error) {
	var in archive.MaterialInput
	text := func(key string) *string {
		if _, ok := v[key]; !ok {
			return nil
		}
		s := v.Get(key)
		return &s
	}
	if k := v.Get("kind"); k != "" {
		kind := archive.Kind(k)
		in.Kind = &kind
	}
	in.Title, in.URL, in.AltText, in.Credit = text("title"), text("url"), text("alt_text"), text("credit")
	if vis := v.Get("visibility"); vis != "" {
		visibility := archive.Visibility(vis)
		in.Visibility = &visibility
	}
	if p := v.Get("position"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return in, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
				Fields: map[string]string{"position": "Bitte eine ganze Zahl."}}
		}
		in.Position = &n
	}
	if _, ok := v["attach"]; ok {
		var none int64
		in.AgendaItemID, in.WorkingGroupInputID = &none, &none
		a := v.Get("attach")
		if a != "" {
			id, err := strconv.ParseInt(a[1:], 10, 64)
			if err != nil || (a[0] != 'a' && a[0] != 'i') {
				return in, &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
					Fields: map[string]string{"attach": "Bitte wählen Sie einen Eintrag aus der Liste."}}
			}
			if a[0] == 'a' {
				in.AgendaItemID = &id
			} else {
				in.WorkingGroupInputID = &id
			}
		}
	}
	return in, nil
}

func (s *Server) adminDocumentation(c *gin.Context) error {
	return s.renderAdminDocumentation(c, http.StatusOK, nil, nil)
}

// renderAdminDocumentation shows the editor; text and upload carry a
// failed form so what was typed stays.
func (s *Server) renderAdminDocumentation(c *gin.Context, status int, text, upload *docForm) error {
	ctx := c.Request.Context()
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	doc, err := s.Archive.Documentation(ctx, ev.ID)
	if err != nil {
		return err
	}
	materials, err := s.Archive.Materials(ctx, ev.ID, true)
	if err != nil {
		return err
	}
	options, err := s.attachOptions(c, ev.ID)
	if err != nil {
		return err
	}
	if text == nil {
		text = &docForm{Values: url.Values{"teaser": {doc.Teaser}, "report": {doc.Report}}}
		if doc.Published() {
			text.Values.Set("published", "1")
		}
	}
	if upload == nil {
		upload = &docForm{Values: url.Values{"visibility": {string(archive.Public)}}}
	}
	views := make([]materialView, len(materials))
	labels := map[string]string{}
	for _, o := range options {
		labels[o.Value] = o.Label
	}
	attached := make([]string, len(materials))
	for i, m := range materials {
		views[i] = materialView{Material: m, Href: materialHref(m, "")}
		attached[i] = labels[attachValue(m)]
	}
	var notice *noticeView
	if doc.Published() {
		v, err := s.documentationNoticeView(c, ev)
		if err != nil {
			return err
		}
		notice = &v
	}
	return s.html(c, status, "admin_documentation.html", "Dokumentation: "+ev.Name(), gin.H{
		"Event": ev, "Doc": doc, "Text": text, "Upload": upload, "Materials": views, "Attached": attached,
		"Options": options, "Kinds": archive.Kinds, "MaxMB": s.Archive.Files().MaxBytes() >> 20,
		"Preview": archive.RenderReport(text.Values.Get("report")), "Notice": notice,
	})
}

func (s *Server) adminDocumentationSave(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	teaser, report := c.PostForm("teaser"), c.PostForm("report")
	published := c.PostForm("published") == "1"
	in := archive.Input{Teaser: &teaser, Report: &report, Published: &published}
	if _, err := s.Archive.SaveDocumentation(c.Request.Context(), ev.ID, in, s.Now()); err != nil {
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		form := &docForm{Values: url.Values{"teaser": {teaser}, "report": {report}}, Fields: pe.Fields, Message: pe.Message}
		if published {
			form.Values.Set("published", "1")
		}
		return s.renderAdminDocumentation(c, http.StatusUnprocessableEntity, form, nil)
	}
	s.record(c, audit.DocumentationSaved, "event", ev.ID, ev.ID, map[bool]string{true: "veröffentlicht", false: "Entwurf"}[published])
	s.flash(c, "Die Dokumentation ist gespeichert"+map[bool]string{true: " und veröffentlicht.", false: " (nicht veröffentlicht)."}[published])
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation", ev.ID))
	return nil
}

// record writes an audit entry; a failure is logged, not shown, as the
// change itself is done.
func (s *Server) record(c *gin.Context, action audit.Action, subject string, subjectID, eventID int64, detail string) {
	if err := s.Audit.Record(c.Request.Context(), actorOf(c), action, subject, subjectID, &eventID, detail); err != nil {
		s.log.ErrorContext(c.Request.Context(), "audit", "action", action, "error", err)
	}
}

func (s *Server) adminMaterialCreate(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	form, err := s.readMaterialForm(c)
	if err == nil {
		var in archive.MaterialInput
		if in, err = materialInputOf(form.Values); err == nil {
			var m archive.Material
			m, err = s.Archive.AddMaterial(c.Request.Context(), ev.ID, in, form.Upload, s.Now())
			if err == nil {
				s.record(c, audit.MaterialAdded, "material", m.ID, ev.ID, m.Label())
				s.flash(c, "„"+m.Label()+"“ ist hinzugefügt.")
				c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation#materialien", ev.ID))
				return nil
			}
		}
	}
	s.Archive.Files().Discard(form.Upload)
	pe := classify(err)
	if pe.Code == problem.Internal || pe.Code == problem.NotFound {
		return err
	}
	fields := pe.Fields
	if fields == nil {
		fields = map[string]string{"file": pe.Message}
	}
	message := pe.Message
	if _, hadFile := fields["file"]; !hadFile && form.Upload != nil {
		message += " Bitte wählen Sie die Datei noch einmal aus."
	}
	return s.renderAdminDocumentation(c, statusOf(pe.Code), nil, &docForm{Values: form.Values, Fields: fields, Message: message})
}

func (s *Server) adminMaterialEdit(c *gin.Context) error {
	return s.renderAdminMaterial(c, http.StatusOK, nil)
}

func (s *Server) renderAdminMaterial(c *gin.Context, status int, form *docForm) error {
	ev, m, err := s.adminMaterial(c)
	if err != nil {
		return err
	}
	options, err := s.attachOptions(c, ev.ID)
	if err != nil {
		return err
	}
	if form == nil {
		form = &docForm{Values: url.Values{"title": {m.Title}, "url": {m.URL}, "alt_text": {m.AltText}, "credit": {m.Credit},
			"visibility": {string(m.Visibility)}, "position": {strconv.Itoa(m.Position)}, "attach": {attachValue(m)}}}
	}
	return s.html(c, status, "admin_material.html", "Material bearbeiten", gin.H{
		"Event": ev, "Material": materialView{Material: m, Href: materialHref(m, "")}, "Form": form, "Options": options,
	})
}

// adminMaterial loads :mid, which must belong to the meeting :id.
func (s *Server) adminMaterial(c *gin.Context) (event.Event, archive.Material, error) {
	ev, err := s.eventParam(c)
	if err != nil {
		return ev, archive.Material{}, err
	}
	id, err := paramID(c, "mid")
	if err != nil {
		return ev, archive.Material{}, err
	}
	m, err := s.Archive.Material(c.Request.Context(), id)
	if err == nil && m.EventID != ev.ID {
		err = archive.ErrMaterialNotFound
	}
	return ev, m, err
}

func (s *Server) adminMaterialUpdate(c *gin.Context) error {
	ev, m, err := s.adminMaterial(c)
	if err != nil {
		return err
	}
	if err := c.Request.ParseForm(); err != nil {
		return problem.New(problem.BadRequest, "Das Formular ließ sich nicht lesen.")
	}
	values := c.Request.PostForm
	in, err := materialInputOf(values)
	if err == nil {
		_, err = s.Archive.UpdateMaterial(c.Request.Context(), m.ID, in)
	}
	if err != nil {
		pe := classify(err)
		if pe.Code != problem.Invalid {
			return err
		}
		return s.renderAdminMaterial(c, http.StatusUnprocessableEntity, &docForm{Values: values, Fields: pe.Fields, Message: pe.Message})
	}
	s.flash(c, "Das Material ist gespeichert.")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation#materialien", ev.ID))
	return nil
}

// deleteMaterial deletes the material :mid of meeting :id with its file
// and records it.
func (s *Server) deleteMaterial(c *gin.Context) (archive.Material, error) {
	ev, m, err := s.adminMaterial(c)
	if err == nil {
		_, err = s.Archive.DeleteMaterial(c.Request.Context(), m.ID)
	}
	if err != nil {
		return m, err
	}
	s.record(c, audit.MaterialDeleted, "material", m.ID, ev.ID, m.Label())
	return m, nil
}

func (s *Server) adminMaterialDelete(c *gin.Context) error {
	m, err := s.deleteMaterial(c)
	if err != nil {
		return err
	}
	s.flash(c, "„"+m.Label()+"“ ist gelöscht"+map[bool]string{true: ", die Datei mit ihm.", false: "."}[m.IsUpload()])
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation#materialien", m.EventID))
	return nil
}

func (s *Server) adminDocumentationDelete(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	if c.PostForm("confirm") != "1" {
		s.flash(c, "Nichts gelöscht: Bitte bestätigen Sie das Löschen mit dem Häkchen.")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation#loeschen", ev.ID))
		return nil
	}
	n, err := s.Archive.DeleteDocumentation(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	s.record(c, audit.DocumentationDeleted, "event", ev.ID, ev.ID, fmt.Sprintf("%d Materialien", n))
	s.flash(c, fmt.Sprintf("Die Dokumentation ist gelöscht, mit %d Materialien und ihren Dateien.", n))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/documentation", ev.ID))
	return nil
}
