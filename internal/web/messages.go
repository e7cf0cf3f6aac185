package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// deliveredMessage is a sent message with the state of its mails.
type deliveredMessage struct {
	message.Message
	Delivery message.Delivery `json:"delivery"`
}

// messagesWithDelivery adds the delivery counts to messages.
func (s *Server) messagesWithDelivery(ctx context.Context, msgs []message.Message) ([]deliveredMessage, error) {
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	d, err := s.Messages.Deliveries(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]deliveredMessage, len(msgs))
	for i, m := range msgs {
		out[i] = deliveredMessage{Message: m, Delivery: d[m.ID]}
	}
	return out, nil
}

// adminMessages lists a meeting's messages with their delivery; the page
// reloads itself while mails wait.
func (s *Server) adminMessages(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	msgs, err := s.Messages.List(ctx, ev.ID)
	if err != nil {
		return err
	}
	list, err := s.messagesWithDelivery(ctx, msgs)
	if err != nil {
		return err
	}
	sending := false
	for _, m := range list {
		sending = sending || !m.Delivery.Done()
	}
	return s.html(c, http.StatusOK, "admin_messages.html", "Nachrichten: "+ev.Name(), gin.H{"Event": ev, "Messages": list, "Sending": sending})
}

// composer is the state of the message form.
type composer struct {
	FormKey     string
	Input       message.Input
	CheckedIn   string // "", "yes", "no"
	Attachments []message.Attachment
	Fields      map[string]string
	Message     string
	Preview     *messagePreview
}

// messagePreview is the mail as the first recipient gets it.
type messagePreview struct {
	Recipients []registration.Registration
	Subject    string
	Text       string
	HTML       string // the whole mail, for the sandboxed frame
	Files      []string
}

// composerOptions are the choices of the filter.
type composerOptions struct {
	Groups         []workinggroup.Group
	Slots          map[int64]workinggroup.Slot
	Municipalities []municipality.Municipality
}

func (s *Server) composerOptions(ctx context.Context, ev event.Event) (composerOptions, error) {
	var o composerOptions
	slots, groups, err := s.WorkingGroups.SlotsAndGroups(ctx, ev.ID)
	if err != nil {
		return o, err
	}
	o.Groups, o.Slots = groups, map[int64]workinggroup.Slot{}
	for _, sl := range slots {
		o.Slots[sl.ID] = sl
	}
	o.Municipalities, err = s.Municipalities.List(ctx)
	return o, err
}

func (s *Server) adminMessageNew(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	key, err := message.NewFormKey()
	if err != nil {
		return err
	}
	return s.renderComposer(c, http.StatusOK, ev, composer{FormKey: key, Input: message.Input{Filter: message.Filter{Status: registration.Confirmed}}})
}

// renderComposer shows the form. The preview frame's mail is styled
// inline, as mails must be; this page alone allows style attributes.
func (s *Server) renderComposer(c *gin.Context, status int, ev event.Event, f composer) error {
	o, err := s.composerOptions(c.Request.Context(), ev)
	if err != nil {
		return err
	}
	if f.Preview != nil {
		c.Header("Content-Security-Policy", strings.Replace(c.Writer.Header().Get("Content-Security-Policy"), "style-src 'self';", "style-src 'self'; style-src-attr 'unsafe-inline';", 1))
	}
	return s.html(c, status, "admin_message_new.html", "Neue Nachricht: "+ev.Name(), gin.H{"Event": ev, "Form": f, "Options": o, "MaxMB": s.cfg.UploadMaxMB})
}

// uploadTotal bounds a composer request: three files and the text.
func (s *Server) uploadTotal() int64 {
	return int64(message.MaxAttachments)*(int64(s.cfg.UploadMaxMB)<<20) + uploadSlack
}

// readComposer reads the multipart (or plain) composer form: what was
// typed, the files uploaded with it (checked) and the draft files to drop.
func (s *Server) readComposer(c *gin.Context) (composer, []message.Upload, []int64, error) {
	f := composer{Fields: map[string]string{}}
	if c.Request.ContentLength > s.uploadTotal() {
		c.Header("Connection", "close")
		return f, nil, nil, s.tooLarge()
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.uploadTotal())
	var uploads []message.Upload
	if contentTypeIs(c, "multipart/form-data") {
		if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				return f, nil, nil, s.tooLarge()
			}
			return f, nil, nil, problem.New(problem.BadRequest, "Das Formular kam unvollständig an. Bitte versuchen Sie es noch einmal.")
		}
	}
	f.FormKey = c.PostForm("form_key")
	f.Input = message.Input{Subject: c.PostForm("subject"), Text: c.PostForm("text"), IncludeProgramme: c.PostForm("include_programme") == "1"}
	filter := &f.Input.Filter
	filter.Status = registration.Status(c.PostForm("status"))
	if id, err := strconv.ParseInt(c.PostForm("working_group_id"), 10, 64); err == nil && id > 0 {
		filter.WorkingGroupID = &id
	}
	if id, err := strconv.ParseInt(c.PostForm("municipality_id"), 10, 64); err == nil && id > 0 {
		filter.MunicipalityID = &id
	}
	if raw := c.PostForm("day"); raw != "" {
		d, err := day.Parse(raw)
		if err != nil {
			f.Fields["day"] = "Bitte wählen Sie einen Tag der Veranstaltung."
		}
		filter.Day = d
	}
	f.CheckedIn = c.PostForm("checked_in")
	switch f.CheckedIn {
	case "yes":
		filter.CheckedIn = ptrTo(true)
	case "no":
		filter.CheckedIn = ptrTo(false)
	default:
		f.CheckedIn = ""
	}
	if c.Request.MultipartForm != nil {
		files := c.Request.MultipartForm.File["files"]
		if len(files) > message.MaxAttachments {
			return f, nil, nil, message.ErrTooManyFiles
		}
		for _, fh := range files {
			if fh.Size == 0 {
				continue
			}
			r, err := fh.Open()
			if err != nil {
				return f, nil, nil, err
			}
			data, err := io.ReadAll(io.LimitReader(r, int64(s.cfg.UploadMaxMB)<<20+1))
			_ = r.Close()
			if err != nil {
				return f, nil, nil, err
			}
			up, err := message.NewUpload(fh.Filename, data, int64(s.cfg.UploadMaxMB)<<20)
			if err != nil {
				return f, nil, nil, err
			}
			uploads = append(uploads, up)
		}
	}
	var remove []int64
	for _, raw := range c.PostFormArray("remove_attachment") {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			remove = append(remove, id)
		}
	}
	return f, uploads, remove, nil
}

func ptrTo[T any](v T) *T { return &v }

func (s *Server) tooLarge() error {
	mb := s.cfg.UploadMaxMB
	return &problem.Error{Code: problem.TooLarge,
		Message: fmt.Sprintf("Die Dateien sind zu groß: erlaubt sind höchstens %d Dateien zu je %d MB.", message.MaxAttachments, mb),
		Fields:  map[string]string{"files": fmt.Sprintf("Höchstens %d MB je Datei.", mb)}}
}

// formProblem reports whether err is the organiser's to fix, shown on
// the form, and its status.
func formProblem(err error) (*problem.Error, bool) {
	pe := classify(err)
	switch pe.Code {
	case problem.Invalid, problem.BadRequest, problem.TooLarge, problem.UnsupportedType:
		return pe, true
	}
	return pe, false
}

// adminMessageCompose answers the composer's two buttons: "Vorschau"
// keeps the form as a draft (with its files) and shows the mail and its
// recipients; "Senden" sends it.
func (s *Server) adminMessageCompose(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	f, uploads, remove, err := s.readComposer(c)
	if err != nil {
		if pe, ok := formProblem(err); ok {
			f.Message, f.Fields = pe.Message, pe.Fields
			s.keepDraftFiles(ctx, ev, &f)
			return s.renderComposer(c, statusOf(pe.Code), ev, f)
		}
		return err
	}
	if err := s.programmeToAttach(ctx, ev, f.Input); err != nil {
		pe, _ := formProblem(err)
		for k, v := range pe.Fields {
			f.Fields[k] = v
		}
		f.Message = pe.Message
	}
	u, _ := currentUser(c)
	compose := message.Compose{EventID: ev.ID, FormKey: f.FormKey, Input: f.Input, Uploads: uploads, Remove: remove, UserID: &u.ID}
	if len(f.Fields) == 0 && c.PostForm("action") == "send" {
		sent, err := s.Messages.Send(ctx, compose)
		switch {
		case errors.Is(err, message.ErrAlreadySent):
			s.flash(c, "Diese Nachricht wurde bereits gesendet.")
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/messages", ev.ID))
			return nil
		case err != nil:
			pe, ok := formProblem(err)
			if !ok {
				return err
			}
			f.Message, f.Fields = pe.Message, pe.Fields
			s.keepDraftFiles(ctx, ev, &f)
			return s.renderComposer(c, statusOf(pe.Code), ev, f)
		}
		s.kickMail()
		s.flash(c, fmt.Sprintf("Die Nachricht „%s“ geht an %s. Der Versand läuft im Hintergrund.", sent.Subject, people(sent.Recipients)))
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/messages", ev.ID))
		return nil
	}
	draft, err := s.Messages.SaveDraft(ctx, compose)
	if errors.Is(err, message.ErrAlreadySent) {
		s.flash(c, "Diese Nachricht wurde bereits gesendet.")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/events/%d/messages", ev.ID))
		return nil
	}
	if err != nil {
		pe, ok := formProblem(err)
		if !ok {
			return err
		}
		f.Message, f.Fields = pe.Message, pe.Fields
		s.keepDraftFiles(ctx, ev, &f)
		return s.renderComposer(c, statusOf(pe.Code), ev, f)
	}
	f.FormKey, f.Attachments = draft.FormKey, draft.Attachments
	status := http.StatusOK
	if len(f.Fields) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if len(f.Fields) == 0 {
		if err := f.Input.Validate(); err != nil {
			pe, _ := formProblem(err)
			f.Message, f.Fields, status = pe.Message, pe.Fields, statusOf(pe.Code)
		}
	}
	if len(f.Fields) == 0 {
		p, err := s.previewMessage(ctx, ev, draft)
		if err != nil {
			pe, ok := formProblem(err)
			if !ok {
				return err
			}
			f.Message, f.Fields, status = pe.Message, pe.Fields, statusOf(pe.Code)
		}
		f.Preview = p
	}
	return s.renderComposer(c, status, ev, f)
}

// keepDraftFiles lists the files the form's draft already has, so a
// refused form still shows them.
func (s *Server) keepDraftFiles(ctx context.Context, ev event.Event, f *composer) {
	if f.FormKey == "" {
		return
	}
	if d, err := s.Messages.DraftFiles(ctx, ev.ID, f.FormKey); err == nil {
		f.Attachments = d
	}
}

// previewMessage resolves the audience of m and renders the mail for its
// first recipient. m.Attachments need names only. Nobody to send to is
// message.ErrNoRecipients.
func (s *Server) previewMessage(ctx context.Context, ev event.Event, m message.Message) (*messagePreview, error) {
	if _, err := s.Messages.Names(ctx, ev.ID, m.Filter); err != nil {
		return nil, err
	}
	regs, err := s.Messages.Audience(ctx, ev.ID, m.Filter)
	if err != nil {
		return nil, err
	}
	if len(regs) == 0 {
		return &messagePreview{}, message.ErrNoRecipients
	}
	first := regs[0]
	var programme []byte
	if m.IncludeProgramme {
		if programme, err = s.programmeFile(ctx, ev.ID); err != nil {
			return nil, err
		}
	}
	schedule, err := s.schedule(ctx, ev)
	if err != nil {
		return nil, err
	}
	var muni *municipality.Municipality
	if first.MunicipalityID != nil {
		x, err := s.Municipalities.Get(ctx, *first.MunicipalityID)
		if err != nil {
			return nil, err
		}
		muni = &x
	}
	env, err := s.Mail.ComposeMessage(outbox.Message{Kind: outbox.OrganiserMessage, EventID: &ev.ID, Recipient: first.Email, CreatedAt: s.Now()},
		ev, schedule, first, muni, m, programme)
	if err != nil {
		return nil, err
	}
	return &messagePreview{Recipients: regs, Subject: env.Subject, Text: env.TextBody, HTML: env.HTMLBody, Files: m.Files()}, nil
}

// manageMessageFile downloads a file of a message the registration of
// the manage link received: an uploaded PDF, or the programme as it is
// now.
func (s *Server) manageMessageFile(c *gin.Context) error {
	ctx := c.Request.Context()
	reg, err := s.Registrations.ByToken(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	mid, err := paramID(c, "mid")
	if err != nil {
		return err
	}
	received, err := s.Messages.ForRegistration(ctx, reg.ID)
	if err != nil {
		return err
	}
	var m *message.Message
	for i := range received {
		if received[i].ID == mid {
			m = &received[i]
		}
	}
	if m == nil {
		return errPageNotFound
	}
	var (
		name string
		data []byte
	)
	if c.Param("file") == message.ProgrammeFile && m.IncludeProgramme {
		if data, err = s.programmeFile(ctx, reg.EventID); err != nil {
			return err
		}
		if data == nil {
			return errPageNotFound
		}
		name = message.ProgrammeFile
	} else {
		aid, err := strconv.ParseInt(c.Param("file"), 10, 64)
		if err != nil {
			return errPageNotFound
		}
		a, err := s.Messages.Attachment(ctx, m.ID, aid)
		if err != nil {
			return err
		}
		name, data = a.Filename, a.Data
	}
	c.Header("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", data)
	return nil
}

// programmeFile prints a meeting's programme as it is now; nil when the
// meeting has none.
func (s *Server) programmeFile(ctx context.Context, eventID int64) ([]byte, error) {
	return document.ProgrammePDF(ctx, document.ProgrammeStores{Events: s.Events, Agenda: s.Agenda,
		WorkingGroups: s.WorkingGroups, Municipalities: s.Municipalities}, eventID, s.Now())
}

// programmeToAttach refuses a message that is to carry the programme of a
// meeting without one: the mail would name a file it does not have.
func (s *Server) programmeToAttach(ctx context.Context, ev event.Event, in message.Input) error {
	if !in.IncludeProgramme {
		return nil
	}
	items, err := s.Agenda.Items(ctx, ev.ID)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return &problem.Error{Code: problem.Invalid, Message: "Bitte prüfen Sie die markierten Angaben.",
			Fields: map[string]string{"include_programme": "Die Veranstaltung hat noch kein Programm, das angehängt werden könnte."}}
	}
	return nil
}
