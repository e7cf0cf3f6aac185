package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// kinds lists the messages the Composer renders; each has a text and an
// HTML template under mail/ in the template file system. Registration
// mails are rendered by Compose when due, account mails by
// ComposeAccount when queued.
var kinds = [...]outbox.Kind{
	outbox.Confirmation, outbox.Waitlisted, outbox.Promotion, outbox.Cancellation, outbox.ManageLink,
	outbox.Assignment, outbox.Certificate, outbox.Invitation, outbox.PasswordReset,
	outbox.OrganiserMessage,
	outbox.Reminder, outbox.ChangeNotice, outbox.EventCancelled, outbox.RegistrationChanged,
	outbox.UnderReview, outbox.Declined,
	outbox.Reinstated, outbox.ReinstatedWaitlisted,
	outbox.DocumentationNotice,
	outbox.FeedbackRequest, outbox.FeedbackReminder,
}

// Templates each kind's set must define; the layout files define
// "layout", the kind's files the rest.
var (
	textBlocks = []string{"layout", "subject", "body", "closing", "manage"}
	htmlBlocks = []string{"layout", "body", "closing", "manage"}
)

// Composer renders queued messages: subject, text and HTML body from the
// templates (parsed once, at construction) and the calendar invitation.
type Composer struct {
	text      map[outbox.Kind]*texttemplate.Template
	html      map[outbox.Kind]*htmltemplate.Template
	baseURL   string // without trailing slash
	host      string // for Message-IDs and calendar UIDs
	from      netmail.Address
	organiser string
	// The mails to network contacts (network.go).
	netText map[outbox.Kind]*texttemplate.Template
	netHTML map[outbox.Kind]*htmltemplate.Template
	// The notice to contacts that a documentation is online (documentation.go).
	docText *texttemplate.Template
	docHTML *htmltemplate.Template
}

// NewComposer parses the mail templates in fsys (templates.FS: files
// mail/layout.{txt,html}.tmpl and mail/<kind>.{txt,html}.tmpl). baseURL
// is the public address of the app, for the manage links; from is the
// sender address ("Name <addr>" or "addr"); organiserName names the
// sender when from has no name, and the organiser in invitations. A
// missing or broken template is an error here, not when a mail is due.
func NewComposer(fsys fs.FS, baseURL, from, organiserName string) (*Composer, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fmt.Errorf("mail composer: base URL %q: use http(s)://host[/path]", baseURL)
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail composer: sender address %q: %w", from, err)
	}
	if addr.Name == "" {
		addr.Name = organiserName
	}
	c := &Composer{
		text:      make(map[outbox.Kind]*texttemplate.Template, len(kinds)),
		html:      make(map[outbox.Kind]*htmltemplate.Template, len(kinds)),
		baseURL:   strings.TrimRight(u.String(), "/"),
		host:      u.Hostname(),
		from:      *addr,
		organiser: organiserName,
	}
	for _, k := range kinds {
		txt, err := texttemplate.New(string(k)).Option("missingkey=error").
			ParseFS(fsys, "mail/layout.txt.tmpl", "mail/"+string(k)+".txt.tmpl")
		if err != nil {
			return nil, fmt.Errorf("mail composer: parse %s text: %w", k, err)
		}
		for _, name := range textBlocks {
			if txt.Lookup(name) == nil {
				return nil, fmt.Errorf("mail composer: %s text templates define no %q", k, name)
			}
		}
		html, err := htmltemplate.New(string(k)).Option("missingkey=error").
			ParseFS(fsys, "mail/layout.html.tmpl", "mail/"+string(k)+".html.tmpl")
		if err != nil {
			return nil, fmt.Errorf("mail composer: parse %s HTML: %w", k, err)
		}
		for _, name := range htmlBlocks {
			if html.Lookup(name) == nil {
				return nil, fmt.Errorf("mail composer: %s HTML templates define no %q", k, name)
			}
		}
		c.text[k], c.html[k] = txt, html
	}
	if err := c.parseNetwork(fsys); err != nil {
		return nil, err
	}
	if err := c.parseDocumentationNotice(fsys); err != nil {
		return nil, err
	}
	return c, nil
}

// From returns the sender of all mails.
func (c *Composer) From() netmail.Address { return c.from }

// ManageURL returns the participant's link to view, change or cancel: the
// link issued for this mail, or the page that sends a new one when none
// was issued.
func (c *Composer) ManageURL(reg *registration.Registration) string {
	if reg.ManageToken == "" {
		return c.baseURL + "/manage"
	}
	return c.baseURL + "/manage/" + url.PathEscape(reg.ManageToken)
}

// MessageID returns the Message-ID of an outbox row: the same for every
// attempt, so a mail resent after a crash is recognisably the same mail.
func (c *Composer) MessageID(outboxID int64) string {
	return fmt.Sprintf("<outbox-%d.treffen@%s>", outboxID, c.host)
}

// copiesCoordinators reports whether the coordinators of the
// participant's municipality get a blind copy of a kind of mail: every
// registration mail except the manage link, which is personal.
func copiesCoordinators(k outbox.Kind) bool {
	switch k {
	case outbox.Confirmation, outbox.Waitlisted, outbox.Promotion, outbox.Cancellation, outbox.Assignment,
		outbox.UnderReview, outbox.Declined, outbox.Reinstated, outbox.ReinstatedWaitlisted:
		return true
	}
	return false
}

// Compose renders msg about reg for ev, whose days run as schedule says
// (ev.Schedule with the programme's hours; nil: the meeting's own times
// on every day). muni is the registration's
// municipality (nil for guests); waitlistPosition is 1 for the first on
// the waiting list (0: not waiting). coordinators are those of the
// registration's municipality: for every kind but the manage link, each
// with the coordinator role for that municipality and an address other
// than the recipient's gets the mail in Bcc, and the mail says that the
// coordination gets a copy. groups are the person's working groups, for
// an outbox.Assignment mail (which needs at least one); other kinds
// ignore them.
// An outbox.Certificate mail carries a PDF: ComposeCertificate renders it.
func (c *Composer) Compose(msg outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration, muni *municipality.Municipality, waitlistPosition int, coordinators []account.User, groups []AssignedGroup) (*Envelope, error) {
	if msg.Kind == outbox.Certificate {
		return nil, fmt.Errorf("compose mail %d: a certificate mail is composed with ComposeCertificate", msg.ID)
	}
	return c.compose(msg, ev, schedule, reg, muni, waitlistPosition, coordinators, groups, nil, nil)
}

// Notice is what a reminder, change notice or cancellation of the
// meeting says beyond the registration and the meeting.
type Notice struct {
	Groups    []AssignedGroup // the person's working groups (reminders)
	Programme []byte          // the programme as PDF, attached to reminders; nil without programme
	Change    *event.Change   // the change a ChangeNotice or EventCancelled reports
}

// ComposeNotice renders an outbox.Reminder, outbox.ChangeNotice,
// outbox.EventCancelled or outbox.RegistrationChanged mail; see Compose.
// Calendar files go with it where the person's calendar needs an
// update: the current days as REQUEST, days gone as CANCEL, each with
// the registration's current SEQUENCE.
func (c *Composer) ComposeNotice(msg outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration, muni *municipality.Municipality, n Notice) (*Envelope, error) {
	switch msg.Kind {
	case outbox.Reminder, outbox.ChangeNotice, outbox.EventCancelled, outbox.RegistrationChanged:
	default:
		return nil, fmt.Errorf("compose mail %d: %q is not a notice", msg.ID, msg.Kind)
	}
	if (msg.Kind == outbox.ChangeNotice || msg.Kind == outbox.EventCancelled) && n.Change == nil {
		return nil, fmt.Errorf("compose %s mail %d: no change to report", msg.Kind, msg.ID)
	}
	return c.compose(msg, ev, schedule, reg, muni, 0, nil, n.Groups, nil, &n)
}

// compose is Compose; attended are the days a certificate confirms
// (outbox.Certificate only).
func (c *Composer) compose(msg outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration, muni *municipality.Municipality, waitlistPosition int, coordinators []account.User, groups []AssignedGroup, attended day.List, notice *Notice) (*Envelope, error) {
	if _, ok := c.text[msg.Kind]; !ok || msg.Kind.Prerendered() {
		return nil, fmt.Errorf("compose mail %d: %q is not a registration mail", msg.ID, msg.Kind)
	}
	if msg.Kind == outbox.Assignment && len(groups) == 0 {
		return nil, fmt.Errorf("compose mail %d: an assignment mail without working groups", msg.ID)
	}
	to := msg.Recipient
	if to == "" || msg.CopyOf != nil {
		to = reg.Email
	}
	var bcc []netmail.Address
	if copiesCoordinators(msg.Kind) && reg.MunicipalityID != nil && msg.CopyOf == nil {
		bcc = blindCopies(coordinators, *reg.MunicipalityID, to)
	}
	if len(schedule) == 0 {
		schedule = ev.Schedule(nil)
	}
	data := c.data(msg, &ev, schedule, &reg, muni, waitlistPosition)
	if msg.Kind == outbox.Assignment || msg.Kind == outbox.Reminder {
		data.Groups = groupsData(groups)
	}
	if notice != nil {
		c.noticeData(data, msg, &ev, &reg, notice)
	}
	if msg.Kind == outbox.Certificate && data.MultiDay {
		data.MyDays = germanDays(attended)
	}
	data.Copied = len(bcc) > 0 || msg.CopyOf != nil
	subject, text, html, err := c.render(msg.Kind, data)
	if err != nil {
		return nil, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
	}
	env := &Envelope{
		From:      c.from,
		To:        netmail.Address{Name: reg.FullName(), Address: to},
		Bcc:       bcc,
		Subject:   subject,
		TextBody:  text,
		HTMLBody:  html,
		MessageID: c.MessageID(msg.ID),
	}
	if msg.CopyOf != nil {
		return c.asCopy(env, msg.Recipient)
	}
	for _, f := range c.calendarFiles(data, msg, &ev, &reg) {
		cal, err := c.invitation(f.method, msg.CalendarSequence, &ev, schedule, &reg, f.entries, msg.CreatedAt, data.ManageURL, f.note)
		if err != nil {
			return nil, fmt.Errorf("compose %s mail %d: %w", msg.Kind, msg.ID, err)
		}
		env.Attachments = append(env.Attachments, Attachment{
			Filename:    f.name,
			ContentType: "text/calendar; method=" + string(f.method) + "; charset=UTF-8",
			Data:        cal,
		})
	}
	if notice != nil && data.Programme != "" {
		env.Attachments = append(env.Attachments, Attachment{Filename: data.Programme, ContentType: "application/pdf", Data: notice.Programme})
	}
	return env, nil
}

// calendarFile is one calendar attachment of a mail.
type calendarFile struct {
	name    string
	method  ics.Method
	entries []calendarEntry
	note    string
}

// calendarFiles returns the calendar attachments of a mail: the
// invitation (REQUEST) for the days the person attends and, where
// entries the person may have are gone, their cancellation (CANCEL).
func (c *Composer) calendarFiles(data *templateData, msg outbox.Message, ev *event.Event, reg *registration.Registration) []calendarFile {
	var out []calendarFile
	mine := attendedDays(ev, reg)
	if data.Calendar != "" {
		switch msg.Kind {
		case outbox.Cancellation:
			// Every entry the person may have in their calendar, also of
			// days changed since the invitation: cancelling an unknown
			// entry is harmless, a forgotten one is not.
			out = append(out, calendarFile{data.Calendar, ics.MethodCancel,
				append(c.entries(ev, reg.ID, ev.Days), c.goneEntries(ev, reg.ID)...), "Ihre Anmeldung wurde storniert."})
		case outbox.EventCancelled:
			out = append(out, calendarFile{data.Calendar, ics.MethodCancel,
				append(c.entries(ev, reg.ID, ev.Days), c.goneEntries(ev, reg.ID)...), "Die Veranstaltung wurde abgesagt."})
		default:
			out = append(out, calendarFile{data.Calendar, ics.MethodRequest, c.entries(ev, reg.ID, mine), ""})
		}
	}
	if data.CancelCalendar != "" {
		out = append(out, calendarFile{data.CancelCalendar, ics.MethodCancel, c.droppedEntries(msg, ev, reg), "Dieser Tag entfällt für Sie."})
	}
	return out
}

// droppedEntries are the entries a change notice or the confirmation of
// a change of days cancels: days dropped from the meeting and, for the
// person's own change, the meeting's days they no longer attend.
func (c *Composer) droppedEntries(msg outbox.Message, ev *event.Event, reg *registration.Registration) []calendarEntry {
	var gone []calendarEntry
	if msg.Kind == outbox.RegistrationChanged {
		mine := attendedDays(ev, reg)
		var others day.List
		for _, d := range ev.Days {
			if !mine.Contains(d) {
				others = append(others, d)
			}
		}
		gone = c.entries(ev, reg.ID, others)
	}
	return append(gone, c.goneEntries(ev, reg.ID)...)
}

// asCopy readdresses a registration mail to a coordinator: marked as a
// copy, naming the participant, without the calendar invitation (it is
// the participant's, not the coordinator's, appointment).
func (c *Composer) asCopy(env *Envelope, coordinator string) (*Envelope, error) {
	to, err := netmail.ParseAddress(coordinator)
	if err != nil {
		return nil, fmt.Errorf("copy to %q: %w", coordinator, err)
	}
	note := "Kopie für die kommunale Koordination – diese E-Mail ging an " + env.To.Name + " <" + env.To.Address + ">."
	env.To = *to
	env.Subject = "Kopie: " + env.Subject
	env.TextBody = note + "\n\n" + env.TextBody
	if i := strings.Index(env.HTMLBody, "<body"); i >= 0 {
		if j := strings.Index(env.HTMLBody[i:], ">"); j >= 0 {
			at := i + j + 1
			env.HTMLBody = env.HTMLBody[:at] + "\n<p style=\"margin:16px;font-size:13px;color:#4a5360;\">" +
				htmltemplate.HTMLEscapeString(note) + "</p>" + env.HTMLBody[at:]
		}
	}
	env.Attachments = nil
	return env, nil
}

// ComposeAccount renders an account mail (outbox.Invitation or
// outbox.PasswordReset) to queue with outbox.EnqueueRendered: the link
// to set a password is secret and stored nowhere else. roleLabel names
// the role ("Kommunale Koordination"; may be empty for a reset);
// expires is when the link stops working, shown in Europe/Berlin.
func (c *Composer) ComposeAccount(kind outbox.Kind, to netmail.Address, link string, roleLabel string, expires time.Time) (subject, text, html string, err error) {
	if _, ok := c.text[kind]; !ok || !kind.Prerendered() {
		return "", "", "", fmt.Errorf("compose account mail: %q is not an account mail", kind)
	}
	if strings.TrimSpace(to.Address) == "" || strings.TrimSpace(link) == "" || expires.IsZero() {
		return "", "", "", fmt.Errorf("compose %s mail: recipient, link and expiry are required", kind)
	}
	data := &templateData{
		Kind:      string(kind),
		Greeting:  "Guten Tag",
		FullName:  strings.TrimSpace(to.Name),
		Account:   true,
		Email:     to.Address,
		Role:      strings.TrimSpace(roleLabel),
		Expires:   expires.In(day.Location()).Format("02.01.2006 um 15:04 Uhr"),
		Link:      link,
		LoginURL:  c.baseURL + "/login",
		Organiser: c.organiser,
	}
	if data.FullName != "" {
		data.Greeting += " " + data.FullName
	}
	for _, r := range account.Roles {
		if r.Label() == data.Role {
			data.RoleCode = string(r)
		}
	}
	switch kind {
	case outbox.Invitation:
		data.LinkLabel = "Passwort festlegen"
	case outbox.PasswordReset:
		data.LinkLabel = "Neues Passwort festlegen"
	}
	subject, text, html, err = c.render(kind, data)
	if err != nil {
		return "", "", "", fmt.Errorf("compose %s mail to %s: %w", kind, to.Address, err)
	}
	return subject, text, html, nil
}

// render executes the subject and both bodies of a kind.
func (c *Composer) render(kind outbox.Kind, data *templateData) (subject, text, html string, err error) {
	var b bytes.Buffer
	if err := c.text[kind].ExecuteTemplate(&b, "subject", data); err != nil {
		return "", "", "", fmt.Errorf("subject: %w", err)
	}
	data.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := c.text[kind].ExecuteTemplate(&b, "layout", data); err != nil {
		return "", "", "", fmt.Errorf("text: %w", err)
	}
	text = tidyText(b.String())
	b.Reset()
	if err := c.html[kind].ExecuteTemplate(&b, "layout", data); err != nil {
		return "", "", "", fmt.Errorf("HTML: %w", err)
	}
	return data.Subject, text, b.String(), nil
}

// blindCopies returns the addresses of the coordinators of municipality
// muni, leaving out the recipient (a coordinator registering herself
// gets her mail once), duplicates and addresses that do not parse, which
// would otherwise hold up the participant's mail.
func blindCopies(coordinators []account.User, muni int64, to string) []netmail.Address {
	var out []netmail.Address
	seen := map[string]bool{strings.ToLower(strings.TrimSpace(to)): true}
	for _, u := range coordinators {
		if u.Role != account.Coordinator || u.MunicipalityID == nil || *u.MunicipalityID != muni {
			continue
		}
		addr, err := netmail.ParseAddress(u.Email)
		if err != nil {
			continue
		}
		key := strings.ToLower(addr.Address)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, netmail.Address{Name: u.Name, Address: addr.Address})
	}
	return out
}

// templateData is what the mail templates see.
type templateData struct {
	Kind              string
	Subject           string
	Greeting          string // "Sehr geehrte Frau Dr. Müller"
	FullName          string
	EventName         string // "17. Lernnetzwerktreffen"
	Subtitle          string
	Motto             string
	Dates             string // "13.09.2017", "29.–30.11.2018"
	MultiDay          bool
	DateLines         []string // when, see event.Schedule.Lines
	MyDays            string   // multi-day meetings: the days the person attends
	VenueName         string
	VenueAddress      string
	VenueCity         string
	PlaceLines        []string
	Municipality      string
	MunicipalityLabel string // "Kommune" or "Organisation"
	Status            string // the label of State
	State             string // the status the mail reports: "confirmed", "waitlisted", "cancelled", "pending", "declined"
	WaitlistPosition  int
	DeclineReason     string // the organisers' reason (declined mails)
	ManageURL         string
	Calendar          string // attached file name; "" without invitation
	Copied            bool   // the municipality's coordination gets a blind copy

	// Reminders, change notices and confirmations of a person's change.
	ReminderWhen   string        // "morgen", "in 7 Tagen"
	Programme      string        // the attached programme's file name; "" without
	ChangeLines    []string      // what changed: "Datum: 13.09.2027 → 14.09.2027"
	CancelCalendar string        // the attached cancellation of days gone; "" without
	Profile        []profileLine // the registration as now saved
	Organiser      string
	PrivacyURL     string // the privacy notice (registration mails)

	// Groups are the person's working groups in time order (assignment
	// mails).
	Groups []groupData

	// An organiser's message: its subject, text as written and as HTML,
	// and the names of the files it carries.
	MessageSubject string
	MessageText    string
	MessageHTML    htmltemplate.HTML
	MessageFiles   []string

	// The notice that the meeting's online documentation is published:
	// the meeting's name in the genitive ("des 17.
	// Lernnetzwerktreffens"), the public page, the teaser and how many
	// materials only participants see.
	DocumentationOf      string
	DocumentationURL     string
	Teaser               string
	ParticipantMaterials int

	// Link is the address behind the mail's button: the manage link, or
	// the account link to set a password. LinkLabel is the button text.
	Link      string
	LinkLabel string
	// FeedbackCloses is the survey's last day, in survey mails.
	FeedbackCloses string

	// Account mails (invitation, password reset).
	Account  bool
	Email    string // the login
	Role     string // "Kommunale Koordination"; may be empty
	RoleCode string // "coordinator" when Role is a known role's label
	Expires  string // "02.01.2006 um 15:04 Uhr", Europe/Berlin
	LoginURL string
}

func (c *Composer) data(msg outbox.Message, ev *event.Event, schedule event.Schedule, reg *registration.Registration, muni *municipality.Municipality, position int) *templateData {
	d := &templateData{
		Kind:         string(msg.Kind),
		Greeting:     reg.Greeting(),
		FullName:     reg.FullName(),
		EventName:    ev.Name(),
		Subtitle:     ev.Subtitle(),
		Motto:        ev.Motto,
		Dates:        ev.Days.German(),
		MultiDay:     len(ev.Days) > 1,
		DateLines:    schedule.Lines(),
		VenueName:    ev.VenueName,
		VenueAddress: ev.VenueAddress,
		VenueCity:    ev.VenueCity,
		ManageURL:    c.ManageURL(reg),
		PrivacyURL:   c.baseURL + "/datenschutz",
		Organiser:    c.organiser,
		LinkLabel:    "Meine Anmeldung",
	}
	if msg.CopyOf != nil {
		// The coordination acts in its portal; the participant's own
		// link is theirs alone.
		d.ManageURL = fmt.Sprintf("%s/portal/events/%d/registrations/%d", c.baseURL, ev.ID, reg.ID)
		d.LinkLabel = "Im Portal ansehen"
	}
	d.Link = d.ManageURL
	d.PlaceLines = ev.VenueLines()
	if d.MultiDay {
		mine := attendedDays(ev, reg)
		switch {
		case len(mine) == len(ev.Days) && len(mine) == 2:
			d.MyDays = "an beiden Tagen"
		case len(mine) == len(ev.Days):
			d.MyDays = "an allen Tagen"
		default:
			d.MyDays = germanDays(mine)
		}
	}
	if muni != nil {
		d.Municipality, d.MunicipalityLabel = muni.Name, "Kommune"
	} else if reg.Organisation != "" {
		d.Municipality, d.MunicipalityLabel = reg.Organisation, "Organisation"
	}
	// The status the mail reports, not the registration's current one: a
	// confirmation delivered late must not read "Storniert".
	// The manage link, asked for now, reports the current status.
	state := reg.Status
	switch msg.Kind {
	case outbox.Confirmation, outbox.Promotion, outbox.Reinstated:
		state = registration.Confirmed
		d.Calendar = "einladung.ics"
	case outbox.Assignment:
		state = registration.Confirmed // sent only while confirmed; no calendar
	case outbox.Waitlisted, outbox.ReinstatedWaitlisted:
		state = registration.Waitlisted
	case outbox.Cancellation:
		state = registration.Cancelled
		d.Calendar = "absage.ics"
	case outbox.UnderReview:
		state = registration.Pending
	case outbox.Declined:
		state = registration.Declined
		d.DeclineReason = reg.DeclineReason
	}
	d.State, d.Status = string(state), state.Label()
	if state == registration.Waitlisted {
		d.WaitlistPosition = position
	}
	return d
}

// germanDays is "Samstag, 14. März 2026 und Sonntag, 15. März 2026".
func germanDays(days day.List) string {
	long := make([]string, len(days))
	for i, x := range days {
		long[i] = x.GermanLong()
	}
	return joinGerman(long)
}

// attendedDays returns the meeting's days the person attends; all days
// when the registration names none of them.
func attendedDays(ev *event.Event, reg *registration.Registration) day.List {
	var out day.List
	for _, d := range reg.Days {
		if ev.Days.Contains(d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return ev.Days
	}
	return out
}

// joinGerman joins "a", "b" and "c" as "a, b und c".
func joinGerman(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " und " + parts[len(parts)-1]
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidyText drops trailing spaces and repeated blank lines that template
// actions leave behind, and ends the text with one newline.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

// profileLine is one saved detail of a registration.
type profileLine struct{ Label, Value string }

// noticeData fills in what a notice says beyond the registration mail:
// when the meeting begins, what changed, the registration as saved, and
// which files go with it.
func (c *Composer) noticeData(d *templateData, msg outbox.Message, ev *event.Event, reg *registration.Registration, n *Notice) {
	confirmed := reg.Status == registration.Confirmed
	switch msg.Kind {
	case outbox.Reminder:
		d.ReminderWhen = "in den nächsten Tagen"
		if msg.ReminderDays != nil {
			d.ReminderWhen = reminderWhen(*msg.ReminderDays)
		}
		if len(n.Programme) > 0 {
			d.Programme = fmt.Sprintf("programm-%d.pdf", ev.ID)
		}
	case outbox.ChangeNotice:
		d.ChangeLines = n.Change.Lines()
		if confirmed {
			d.Calendar = "einladung.ics"
			if len(c.droppedEntries(msg, ev, reg)) > 0 {
				d.CancelCalendar = "absage.ics"
			}
		}
	case outbox.EventCancelled:
		d.ChangeLines = n.Change.Lines()
		d.Calendar = "absage.ics"
		d.Status = "Veranstaltung abgesagt"
	case outbox.RegistrationChanged:
		d.Profile = profile(d, reg)
		if msg.DaysChanged && confirmed {
			d.Calendar = "einladung.ics"
			if len(c.droppedEntries(msg, ev, reg)) > 0 {
				d.CancelCalendar = "absage.ics"
			}
		}
	}
}

// reminderWhen is "morgen", "übermorgen" or "in 7 Tagen".
func reminderWhen(days int) string {
	switch days {
	case 1:
		return "morgen"
	case 2:
		return "übermorgen"
	}
	return fmt.Sprintf("in %d Tagen", days)
}

// profile lists what the person can change, as saved.
func profile(d *templateData, reg *registration.Registration) []profileLine {
	yesNo := map[bool]string{true: "ja", false: "nein"}
	lines := []profileLine{{"Name", reg.FullName()}}
	if reg.Salutation != "" {
		lines = append(lines, profileLine{"Anrede", reg.Salutation})
	}
	for _, l := range []profileLine{{"Telefon", reg.Phone}, {"Funktion", reg.Function}} {
		if l.Value != "" {
			lines = append(lines, l)
		}
	}
	if d.MyDays != "" {
		lines = append(lines, profileLine{"Ihre Tage", d.MyDays})
	}
	for _, l := range []profileLine{{"Verpflegung", reg.DietaryNeeds}, {"Unterstützungsbedarf", reg.AccessibilityNeeds}} {
		if l.Value != "" {
			lines = append(lines, l)
		}
	}
	return append(lines, profileLine{"Fotos erlaubt", yesNo[reg.PhotoConsent]})
}
