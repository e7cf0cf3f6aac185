package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// apiContacts lists the contacts, of one municipality with
// ?municipality_id=.
func (s *Server) apiContacts(c *gin.Context) error {
	var muni int64
	if raw := c.Query("municipality_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return problem.New(problem.BadRequest, "municipality_id muss eine positive ganze Zahl sein.")
		}
		muni = id
	}
	l, err := s.Contacts.List(c.Request.Context(), muni)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(l))
	return nil
}

func (s *Server) apiContact(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, ct)
	return nil
}

func (s *Server) apiContactCreate(c *gin.Context) error {
	var in contact.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ct, err := s.Contacts.Create(c.Request.Context(), in)
	if err != nil {
		return err
	}
	if err := s.auditContact(c, audit.ContactCreated, ct); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, ct)
	return nil
}

// contactPatch is a partial update: fields left out keep their value.
type contactPatch struct {
	MunicipalityID *int64  `json:"municipality_id"`
	Name           *string `json:"name"`
	Email          *string `json:"email"`
	Function       *string `json:"function"`
}

func (s *Server) apiContactUpdate(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	var p contactPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	in := contact.Input{MunicipalityID: ct.MunicipalityID, Name: ct.Name, Email: ct.Email, Function: ct.Function}
	if p.MunicipalityID != nil {
		in.MunicipalityID = *p.MunicipalityID
	}
	if p.Name != nil {
		in.Name = *p.Name
	}
	if p.Email != nil {
		in.Email = *p.Email
	}
	if p.Function != nil {
		in.Function = *p.Function
	}
	updated, err := s.Contacts.Update(c.Request.Context(), ct.ID, in)
	if err != nil {
		return err
	}
	if err := s.auditContact(c, audit.ContactUpdated, updated); err != nil {
		return err
	}
	c.JSON(http.StatusOK, updated)
	return nil
}

func (s *Server) apiContactDelete(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	if err := s.Contacts.Delete(c.Request.Context(), ct.ID); err != nil {
		return err
	}
	if err := s.auditContact(c, audit.ContactDeleted, ct); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// apiContactResubscribe opts an unsubscribed contact in again; the body's
// note records the person's request.
func (s *Server) apiContactResubscribe(c *gin.Context) error {
	ct, err := s.contactParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, _ := currentUser(c)
	updated, err := s.Contacts.Resubscribe(c.Request.Context(), ct.ID, in.Note, u.Email)
	if err != nil {
		return err
	}
	if err := s.Audit.Record(c.Request.Context(), audit.User(u.ID, u.Email), audit.ContactResubscribed, "contact", ct.ID, nil, updated.ResubscribeNote); err != nil {
		return err
	}
	c.JSON(http.StatusOK, updated)
	return nil
}

// apiInvitations is the overview per municipality of a meeting.
func (s *Server) apiInvitations(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	o, err := s.invitationOverview(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(o.Rows))
	return nil
}

// apiInvitationSend queues invitations or follow-ups: to all contacts, or
// to the municipalities in "municipality_ids".
func (s *Server) apiInvitationSend(kind outbox.Kind) handler {
	return func(c *gin.Context) error {
		ev, err := s.eventParam(c)
		if err != nil {
			return err
		}
		var in struct {
			MunicipalityIDs *[]int64 `json:"municipality_ids"`
		}
		if c.Request.ContentLength != 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		var ids []int64
		if in.MunicipalityIDs != nil {
			ids = append([]int64{}, *in.MunicipalityIDs...)
		}
		res, err := s.sendToContacts(c, ev, kind, ids)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, res)
		return nil
	}
}
