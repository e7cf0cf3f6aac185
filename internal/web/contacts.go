package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/problem"
)

// contactScope is whose contacts a page keeps: an organiser's (all
// municipalities, under /admin/contacts) or a coordinator's (the own
// municipality, under /portal/contacts).
type contactScope struct {
	Base         string // "/admin/contacts" or "/portal/contacts"
	Organiser    bool
	Municipality municipality.Municipality // the coordinator's
}

func (s *Server) contactScopeOf(c *gin.Context) (contactScope, error) {
	u, _ := currentUser(c)
	if u.Role == account.Organiser {
		return contactScope{Base: "/admin/contacts", Organiser: true}, nil
	}
	m, err := s.coordinatorMunicipality(c.Request.Context(), u)
	if err != nil {
		return contactScope{}, err
	}
	return contactScope{Base: "/portal/contacts", Municipality: m}, nil
}

// contactForm is the add or edit form's state.
type contactForm struct {
	Values  contact.Input
	Fields  map[string]string
	Message string
}

// contactGroup is one municipality's contacts on the list page.
type contactGroup struct {
	Municipality municipality.Municipality
	Contacts     []contact.Contact
}

// contactsPage lists the contacts of the scope per municipality, with the
// add form and (organisers) the CSV import.
func (s *Server) contactsPage(c *gin.Context) error {
	return s.renderContacts(c, http.StatusOK, gin.H{})
}

func (s *Server) renderContacts(c *gin.Context, status int, data gin.H) error {
	ctx := c.Request.Context()
	scope, err := s.contactScopeOf(c)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.List(ctx)
	if err != nil {
		return err
	}
	filter := scope.Municipality.ID
	if scope.Organiser {
		filter, _ = strconv.ParseInt(c.Query("kommune"), 10, 64)
	}
	list, err := s.Contacts.List(ctx, filter)
	if err != nil {
		return err
	}
	byMuni := map[int64][]contact.Contact{}
	for _, ct := range list {
		byMuni[ct.MunicipalityID] = append(byMuni[ct.MunicipalityID], ct)
	}
	var groups []contactGroup
	for _, m := range munis {
		if (filter == 0 && len(byMuni[m.ID]) > 0) || m.ID == filter {
			groups = append(groups, contactGroup{Municipality: m, Contacts: byMuni[m.ID]})
		}
	}
	if _, ok := data["Form"]; !ok {
		data["Form"] = contactForm{Values: contact.Input{MunicipalityID: filter}}
	}
	data["Scope"], data["Groups"], data["Municipalities"], data["Functions"] = scope, groups, munis, contact.Functions
	data["Filter"], data["Total"] = filter, len(list)
	without := 0 // towns and districts nobody would invite
	for _, m := range munis {
		if m.Kind != municipality.Organisation && len(byMuni[m.ID]) == 0 {
			without++
		}
	}
	data["Without"] = without
	title := "Kontakte für Einladungen"
	if !scope.Organiser {
		title += ": " + scope.Municipality.Name
	}
	return s.html(c, status, "contacts.html", title, data)
}

// contactInput reads the form; a coordinator's contacts always belong to
// the own municipality.
func contactInput(c *gin.Context, scope contactScope) contact.Input {
	in := contact.Input{Name: c.PostForm("name"), Email: c.PostForm("email"), Function: c.PostForm("function")}
	in.MunicipalityID, _ = strconv.ParseInt(c.PostForm("municipality_id"), 10, 64)
	if !scope.Organiser {
		in.MunicipalityID = scope.Municipality.ID
	}
	return in
}

func (s *Server) contactCreate(c *gin.Context) error {
	scope, err := s.contactScopeOf(c)
	if err != nil {
		return err
	}
	in := contactInput(c, scope)
	ct, err := s.Contacts.Create(c.Request.Context(), in)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid || pe.Code == problem.Conflict {
			return s.renderContacts(c, statusOf(pe.Code), gin.H{"Form": contactForm{Values: in, Fields: pe.Fields, Message: pe.Message}})
		}
		return err
	}
	if err := s.auditContact(c, audit.ContactCreated, ct); err != nil {
		return err
	}
	s.flash(c, createdMessage(ct))
	c.Redirect(http.StatusSeeOther, contactsLink(scope, ct.MunicipalityID))
	return nil
}

// createdMessage confirms a new contact, and says when its address had
// unsubscribed before and so receives no invitations.
func createdMessage(ct contact.Contact) string {
	if ct.Subscribed() {
		return "„" + ct.Name + "“ ist eingetragen."
	}
	return "„" + ct.Name + "“ ist eingetragen, aber abgemeldet: Die Adresse " + ct.Email + " hat sich am " +
		ct.UnsubscribedAt.In(day.Location()).Format("02.01.2006") + " von den Einladungen und Nachrichten des Netzwerks abgemeldet und erhält keine, " +
		"bis die Person selbst um die erneute Aufnahme bittet."
}

func contactsLink(scope contactScope, municipalityID int64) string {
	if scope.Organiser {
		return fmt.Sprintf("%s?kommune=%d#kommune-%d", scope.Base, municipalityID, municipalityID)
	}
	return scope.Base
}

func (s *Server) auditContact(c *gin.Context, action audit.Action, ct contact.Contact) error {
	u, _ := currentUser(c)
	return s.Audit.Record(c.Request.Context(), audit.User(u.ID, u.Email), action, "contact", ct.ID, nil,
		fmt.Sprintf("%s <%s>, Kommune %d", ct.Name, ct.Email, ct.MunicipalityID))
}

// contactParam loads the contact :cid; for coordinators the rule
// coordinatorOfContact has loaded and checked it.
func (s *Server) contactParam(c *gin.Context) (contact.Contact, error) {
	if v, ok := c.Get(contactKey); ok {
		return v.(contact.Contact), nil
	}
	id, err := paramID(c, "cid")
	if err != nil {
		return contact.Contact{}, err
	}
	return s.Contacts.Get(c.Request.Context(), id)
}

// contactAndScope loads the contact :cid and the pages it belongs to
// (organisers' or the coordinator's).
func (s *Server) contactAndScope(c *gin.Context) (contact.Contact, contactScope, error) {
	ct, err := s.contactParam(c)
	if err != nil {
		return ct, contactScope{}, err
	}
	scope, err := s.contactScopeOf(c)
	return ct, scope, err
}

func (s *Server) contactEdit(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	return s.renderContact(c, http.StatusOK, ct, contactForm{Values: contact.Input{MunicipalityID: ct.MunicipalityID, Name: ct.Name, Email: ct.Email, Function: ct.Function}}, nil)
}

func (s *Server) renderContact(c *gin.Context, status int, ct contact.Contact, form contactForm, note map[string]string) error {
	scope, err := s.contactScopeOf(c)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.List(c.Request.Context())
	if err != nil {
		return err
	}
	return s.html(c, status, "contact.html", "Kontakt bearbeiten: "+ct.Name, gin.H{
		"Scope": scope, "Contact": ct, "Form": form, "Municipalities": munis, "Functions": contact.Functions,
		"NoteFields": note, "Note": c.PostForm("note"), "NoteMessage": noteMessage(note),
	})
}

func (s *Server) contactUpdate(c *gin.Context) error {
	ct, scope, err := s.contactAndScope(c)
	if err != nil {
		return err
	}
	in := contactInput(c, scope)
	updated, err := s.Contacts.Update(c.Request.Context(), ct.ID, in)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid || pe.Code == problem.Conflict {
			return s.renderContact(c, statusOf(pe.Code), ct, contactForm{Values: in, Fields: pe.Fields, Message: pe.Message}, nil)
		}
		return err
	}
	if err := s.auditContact(c, audit.ContactUpdated, updated); err != nil {
		return err
	}
	s.flash(c, "Die Angaben zu „"+updated.Name+"“ sind gespeichert.")
	c.Redirect(http.StatusSeeOther, contactsLink(scope, updated.MunicipalityID))
	return nil
}

func (s *Server) contactDelete(c *gin.Context) error {
	ct, scope, err := s.contactAndScope(c)
	if err != nil {
		return err
	}
	if err := s.Contacts.Delete(c.Request.Context(), ct.ID); err != nil {
		return err
	}
	if err := s.auditContact(c, audit.ContactDeleted, ct); err != nil {
		return err
	}
	s.flash(c, "„"+ct.Name+"“ ist gelöscht.")
	c.Redirect(http.StatusSeeOther, contactsLink(scope, ct.MunicipalityID))
	return nil
}

// contactResubscribe opts an unsubscribed contact in again on the
// person's own request, which the form must record.
func (s *Server) contactResubscribe(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	updated, err := s.Contacts.Resubscribe(c.Request.Context(), ct.ID, c.PostForm("note"), u.Email)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			form := contactForm{Values: contact.Input{MunicipalityID: ct.MunicipalityID, Name: ct.Name, Email: ct.Email, Function: ct.Function}}
			return s.renderContact(c, statusOf(pe.Code), ct, form, pe.Fields)
		}
		return err
	}
	if err := s.Audit.Record(c.Request.Context(), audit.User(u.ID, u.Email), audit.ContactResubscribed, "contact", ct.ID, nil, updated.ResubscribeNote); err != nil {
		return err
	}
	s.flash(c, "„"+ct.Name+"“ erhält wieder Einladungen.")
	scope, _ := s.contactScopeOf(c)
	c.Redirect(http.StatusSeeOther, contactsLink(scope, ct.MunicipalityID))
	return nil
}

func (s *Server) contactImport(c *gin.Context) error {
	ctx := c.Request.Context()
	file, err := c.FormFile("file")
	if err != nil {
		return s.renderContacts(c, http.StatusUnprocessableEntity, gin.H{"ImportMessage": "Bitte wählen Sie eine CSV-Datei aus."})
	}
	f, err := file.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	munis, err := s.Municipalities.List(ctx)
	if err != nil {
		return err
	}
	res, err := s.Contacts.ImportCSV(ctx, f, munis)
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return s.renderContacts(c, http.StatusUnprocessableEntity, gin.H{"ImportMessage": pe.Message})
		}
		return err
	}
	u, _ := currentUser(c)
	if err := s.Audit.Record(ctx, audit.User(u.ID, u.Email), audit.ContactsImported, "contact", 0, nil,
		fmt.Sprintf("%d neu, %d vorhanden, %d Fehler", res.Created, res.Existing, len(res.Errors))); err != nil {
		return err
	}
	status := http.StatusOK
	if len(res.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderContacts(c, status, gin.H{"Import": res})
}

const contactKey = "contact"

// coordinatorOfContact: the coordinator of the municipality of the
// contact :cid.
func coordinatorOfContact(s *Server, c *gin.Context, u *account.User) error {
	if err := coordinator(s, c, u); err != nil {
		return err
	}
	id, err := paramID(c, "cid")
	if err != nil {
		return err
	}
	ct, err := s.Contacts.Get(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if u.MunicipalityID == nil || ct.MunicipalityID != *u.MunicipalityID {
		return errForbidden
	}
	c.Set(contactKey, ct)
	return nil
}

// unsubscribePage shows what the link does and a button: scanners that
// follow links in mails must not unsubscribe anybody.
func (s *Server) unsubscribePage(c *gin.Context) error {
	ct, err := s.Contacts.ByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(c, ct, "")
}

func (s *Server) renderUnsubscribe(c *gin.Context, ct contact.Contact, done string) error {
	c.Header("Cache-Control", "no-store")
	m, err := s.Municipalities.Get(c.Request.Context(), ct.MunicipalityID)
	if err != nil {
		return err
	}
	return s.html(c, http.StatusOK, "unsubscribe.html", "Einladungen abbestellen", gin.H{
		"Contact": ct, "Municipality": m, "Token": c.Param("token"), "Done": done,
	})
}

// unsubscribe ends the invitations at once. Mail providers POST here
// without cookies from their own servers ("List-Unsubscribe=One-Click",
// RFC 8058); the route is exempt from the cross-origin check, and the
// secret link is all it needs.
func (s *Server) unsubscribe(c *gin.Context) error {
	ct, err := s.Contacts.Unsubscribe(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	s.log.Info("contact unsubscribed", "contact", ct.ID)
	return s.renderUnsubscribe(c, ct, "unsubscribed")
}

// resubscribeByLink is the person's own opt-in, offered on the page that
// confirms the unsubscription.
func (s *Server) resubscribeByLink(c *gin.Context) error {
	ct, err := s.Contacts.ResubscribeByLink(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	if err := s.Audit.Record(c.Request.Context(), audit.Actor{Label: "Abmeldelink"}, audit.ContactResubscribed, "contact", ct.ID, nil, ct.ResubscribeNote); err != nil {
		return err
	}
	return s.renderUnsubscribe(c, ct, "resubscribed")
}

func noteMessage(fields map[string]string) string {
	if len(fields) == 0 {
		return ""
	}
	return "Bitte prüfen Sie die markierten Angaben."
}
