package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// userRow is a user with the names of the meetings they host.
type userRow struct {
	account.User
	Municipality string
	Hosted       []event.Event
}

func (s *Server) adminUsers(c *gin.Context) error {
	return s.renderUsers(c, http.StatusOK, gin.H{})
}

func (s *Server) renderUsers(c *gin.Context, status int, data gin.H) error {
	ctx := c.Request.Context()
	users, err := s.Accounts.List(ctx)
	if err != nil {
		return err
	}
	munis, err := s.Municipalities.ByID(ctx)
	if err != nil {
		return err
	}
	events, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return err
	}
	byID := map[int64]event.Event{}
	for _, ev := range events {
		byID[ev.ID] = ev
	}
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		row := userRow{User: u}
		if u.MunicipalityID != nil {
			row.Municipality = munis[*u.MunicipalityID].Name
		}
		if u.Role == account.Host {
			ids, err := s.Accounts.HostedEvents(ctx, u.ID)
			if err != nil {
				return err
			}
			for _, id := range ids {
				row.Hosted = append(row.Hosted, byID[id])
			}
		}
		rows = append(rows, row)
	}
	for k, v := range map[string]any{"Values": map[string]string{}, "Fields": map[string]string{}, "Message": ""} {
		if _, ok := data[k]; !ok {
			data[k] = v
		}
	}
	data["Users"], data["Municipalities"], data["Events"], data["Roles"] = rows, sortedMunicipalities(munis), events, account.Roles
	return s.html(c, status, "admin_users.html", "Konten und Rollen", data)
}

func optionalID(raw string) *int64 {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	return &id
}

func (s *Server) adminUserInvite(c *gin.Context) error {
	values := postedValues(c, []string{"email", "name", "role", "municipality_id"})
	in := account.Invitation{Email: values["email"], Name: values["name"], Role: account.Role(values["role"]),
		MunicipalityID: optionalID(values["municipality_id"])}
	for _, raw := range c.PostFormArray("event_ids") {
		if id := optionalID(raw); id != nil {
			in.EventIDs = append(in.EventIDs, *id)
		}
	}
	u, err := s.Accounts.Invite(c.Request.Context(), in, actorOf(c), s.accountMail(outbox.Invitation))
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid || pe.Code == problem.Conflict {
			return s.renderUsers(c, statusOf(pe.Code), gin.H{"Values": values, "Fields": pe.Fields, "Message": pe.Message})
		}
		return err
	}
	s.kickMail()
	s.flash(c, "Die Einladung an "+u.Email+" ist unterwegs.")
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

func (s *Server) adminUserRole(c *gin.Context) error {
	uid, err := paramID(c, "uid")
	if err != nil {
		return err
	}
	if me, _ := currentUser(c); me.ID == uid {
		return problem.New(problem.Conflict, "Die eigene Rolle kann nur ein anderes Organisationskonto ändern.")
	}
	u, err := s.Accounts.SetRole(c.Request.Context(), uid, account.Role(c.PostForm("role")), optionalID(c.PostForm("municipality_id")), actorOf(c))
	if err != nil {
		if pe := classify(err); pe.Code == problem.Invalid {
			return s.renderUsers(c, http.StatusUnprocessableEntity, gin.H{"Message": pe.Message + " (" + firstMessage(pe.Fields) + ")"})
		}
		return err
	}
	s.flash(c, u.Email+" hat jetzt die Rolle „"+u.Role.Label()+"“.")
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

func firstMessage(fields map[string]string) string {
	for _, f := range fieldOrder(fields) {
		return f[1]
	}
	return ""
}

func (s *Server) adminUserHosts(c *gin.Context) error {
	uid, err := paramID(c, "uid")
	if err != nil {
		return err
	}
	eventID := optionalID(c.PostForm("event_id"))
	if eventID == nil {
		return s.renderUsers(c, http.StatusUnprocessableEntity, gin.H{"Message": "Bitte wählen Sie eine Veranstaltung."})
	}
	if _, err := s.Events.Get(c.Request.Context(), *eventID); err != nil {
		return err
	}
	on := c.PostForm("action") != "remove"
	if err := s.Accounts.SetHost(c.Request.Context(), uid, *eventID, on, actorOf(c)); err != nil {
		return err
	}
	s.flash(c, "Die Zuordnung ist gespeichert.")
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

func (s *Server) adminAudit(c *gin.Context) error {
	ctx := c.Request.Context()
	f := audit.Filter{}
	if id := optionalID(c.Query("event")); id != nil {
		f.EventID = *id
	}
	entries, err := s.Audit.List(ctx, f)
	if err != nil {
		return err
	}
	events, err := s.Events.List(ctx, event.Filter{Now: s.Now()})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, ev := range events {
		names[ev.ID] = ev.Name()
	}
	return s.html(c, http.StatusOK, "admin_audit.html", "Protokoll", gin.H{"Entries": entries, "Events": events, "EventNames": names, "Filter": f})
}
