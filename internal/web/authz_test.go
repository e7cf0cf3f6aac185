package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/contact"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/message"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/survey"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// The roles of the authorisation matrix.
const (
	anonymous        = "anonym"
	participantOther = "Teilnehmerlink einer anderen Person"
	coordinatorOther = "Koordination anderer Kommune"
	hostOther        = "Gastgeber anderer Veranstaltung"
	hostRole         = "Gastgeber"
	coordinatorRole  = "Koordination"
	organiserRole    = "Organisation"
)

var matrixRoles = []string{anonymous, participantOther, coordinatorOther, hostOther, hostRole, coordinatorRole, organiserRole}

// Who may use a route. The manage-link routes are "link": only the link
// of the registration itself opens them, whatever else the caller is.
var access = map[string][]string{
	"public":          matrixRoles,
	"organiser":       {organiserRole},
	"coordinator":     {coordinatorRole, coordinatorOther},
	"ownMunicipality": {coordinatorRole},
	"hostOfEvent":     {organiserRole, hostRole},
	"host":            {hostRole, hostOther},
	"staff":           {organiserRole, hostRole, hostOther, coordinatorRole, coordinatorOther},
	"link":            nil,
}

// expected lists every route with its access class. A route added to the
// router without a line here fails TestAuthorisationMatrix.
var expected = map[string]string{
	"GET /static/*file":                          "public",
	"GET /favicon.ico":                           "public",
	"GET /healthz":                               "public",
	"GET /readyz":                                "public",
	"GET /metrics":                               "public",
	"GET /":                                      "public",
	"GET /archiv":                                "public",
	"GET /events/:id":                            "public",
	"GET /events/:id/register":                   "public",
	"POST /events/:id/register":                  "public",
	"GET /manage":                                "public",
	"POST /manage":                               "public",
	"GET /manage/:token":                         "link",
	"POST /manage/:token":                        "link",
	"POST /manage/:token/cancel":                 "link",
	"GET /manage/:token/confirmation.pdf":        "link",
	"GET /login":                                 "public",
	"POST /login":                                "public",
	"POST /logout":                               "public",
	"GET /password/forgot":                       "public",
	"POST /password/forgot":                      "public",
	"GET /password/set/:token":                   "link",
	"POST /password/set/:token":                  "link",
	"GET /account/tokens":                        "organiser",
	"POST /account/tokens":                       "organiser",
	"POST /account/tokens/:tid/revoke":           "organiser",
	"GET /portal":                                "coordinator",
	"GET /portal/events/:id":                     "coordinator",
	"POST /portal/events/:id/registrations":      "coordinator",
	"GET /portal/events/:id/registrations/:rid":  "ownMunicipality",
	"POST /portal/events/:id/registrations/:rid": "ownMunicipality",
	"POST /portal/events/:id/registrations/:rid/cancel": "ownMunicipality",
	"GET /host":                                "host",
	"GET /host/events/:id":                     "hostOfEvent",
	"GET /host/events/:id/participants.pdf":    "hostOfEvent",
	"GET /host/events/:id/participants.csv":    "hostOfEvent",
	"GET /host/events/:id/programme.pdf":       "hostOfEvent",
	"GET /host/events/:id/working-groups.pdf":  "hostOfEvent",
	"GET /admin/events/:id/working-groups.pdf": "organiser",
	"GET /admin":                                           "staff",
	"GET /admin/events":                                    "organiser",
	"GET /admin/events/new":                                "organiser",
	"POST /admin/events":                                   "organiser",
	"GET /admin/events/:id/edit":                           "organiser",
	"POST /admin/events/:id":                               "organiser",
	"GET /admin/events/:id/changes/:chid":                  "organiser",
	"POST /admin/events/:id/changes/:chid":                 "organiser",
	"GET /api/v1/events/:id/reminders":                     "organiser",
	"PUT /api/v1/events/:id/reminders":                     "organiser",
	"GET /api/v1/events/:id/feedback":                      "organiser",
	"PUT /api/v1/events/:id/feedback/period":               "organiser",
	"POST /api/v1/events/:id/feedback/send":                "organiser",
	"POST /api/v1/events/:id/feedback/remind":              "organiser",
	"GET /api/v1/events/:id/feedback/results":              "organiser",
	"GET /admin/events/:id/registrations":                  "organiser",
	"POST /admin/events/:id/registrations/:rid/cancel":     "organiser",
	"GET /admin/events/:id/participants.pdf":               "organiser",
	"GET /admin/mails":                                     "organiser",
	"GET /admin/mails/:mid/html":                           "organiser",
	"POST /admin/mails/:mid/retry":                         "organiser",
	"GET /admin/municipalities":                            "organiser",
	"POST /admin/municipalities":                           "organiser",
	"POST /admin/municipalities/import":                    "organiser",
	"GET /admin/users":                                     "organiser",
	"POST /admin/users":                                    "organiser",
	"POST /admin/users/:uid/role":                          "organiser",
	"POST /admin/users/:uid/hosts":                         "organiser",
	"GET /admin/audit":                                     "organiser",
	"GET /api/v1/openapi.json":                             "public",
	"POST /api/v1/tokens":                                  "public",
	"GET /api/v1/tokens":                                   "organiser",
	"DELETE /api/v1/tokens/:tid":                           "organiser",
	"GET /api/v1/municipalities":                           "public",
	"POST /api/v1/municipalities":                          "organiser",
	"GET /api/v1/events":                                   "public",
	"POST /api/v1/events":                                  "organiser",
	"GET /api/v1/events/:id":                               "public",
	"PATCH /api/v1/events/:id":                             "organiser",
	"POST /api/v1/events/:id/registrations":                "public",
	"GET /api/v1/events/:id/registrations":                 "hostOfEvent",
	"GET /api/v1/events/:id/registrations/:rid":            "hostOfEvent",
	"GET /api/v1/events/:id/participants.pdf":              "hostOfEvent",
	"POST /admin/events/:id/registrations/decide":          "organiser",
	"POST /api/v1/events/:id/registrations/:rid/approve":   "organiser",
	"POST /api/v1/events/:id/registrations/:rid/decline":   "organiser",
	"GET /portal/events/:id/registrations/:rid/cancel":     "ownMunicipality",
	"POST /portal/events/:id/registrations/:rid/reinstate": "ownMunicipality",
	"GET /admin/events/:id/registrations/:rid/cancel":      "organiser",
	"POST /admin/events/:id/registrations/:rid/reinstate":  "organiser",
	"POST /api/v1/events/:id/registrations/:rid/cancel":    "organiser",
	"POST /api/v1/events/:id/registrations/:rid/reinstate": "organiser",

	// Working groups and the assignment to them.
	"GET /admin/events/:id/questions":                   "organiser",
	"POST /admin/events/:id/questions":                  "organiser",
	"POST /admin/events/:id/questions/copy":             "organiser",
	"GET /admin/events/:id/questions/:qid":              "organiser",
	"POST /admin/events/:id/questions/:qid":             "organiser",
	"POST /admin/events/:id/questions/:qid/delete":      "organiser",
	"POST /admin/events/:id/questions/:qid/move":        "organiser",
	"GET /api/v1/events/:id/questions":                  "public",
	"POST /api/v1/events/:id/questions":                 "organiser",
	"GET /api/v1/events/:id/questions/:qid":             "public",
	"PUT /api/v1/events/:id/questions/:qid":             "organiser",
	"DELETE /api/v1/events/:id/questions/:qid":          "organiser",
	"GET /admin/events/:id/working-groups":              "organiser",
	"POST /admin/events/:id/working-groups":             "organiser",
	"GET /admin/events/:id/working-groups/:gid":         "organiser",
	"POST /admin/events/:id/working-groups/:gid":        "organiser",
	"POST /admin/events/:id/working-groups/:gid/delete": "organiser",
	"GET /admin/events/:id/assignment":                  "organiser",
	"POST /admin/events/:id/assignment/apply":           "organiser",
	"POST /admin/events/:id/assignment/mail":            "organiser",
	"POST /admin/events/:id/assignment/:rid/move":       "organiser",
	"POST /admin/events/:id/assignment/:rid/lock":       "organiser",
	"GET /api/v1/events/:id/working-groups":             "hostOfEvent",
	"POST /api/v1/events/:id/working-groups":            "organiser",
	"PATCH /api/v1/events/:id/working-groups/:gid":      "organiser",
	"DELETE /api/v1/events/:id/working-groups/:gid":     "organiser",
	"GET /api/v1/events/:id/assignment":                 "hostOfEvent",
	"POST /api/v1/events/:id/assignment":                "organiser",
	"PUT /api/v1/events/:id/assignment/:rid":            "organiser",
	"POST /api/v1/events/:id/assignment/:rid/lock":      "organiser",

	// The programme.
	"GET /events/:id/programme.ics":                    "public",
	"GET /events/:id/programme.pdf":                    "public",
	"GET /admin/events/:id/feedback":                   "organiser",
	"POST /admin/events/:id/feedback":                  "organiser",
	"POST /admin/events/:id/feedback/defaults":         "organiser",
	"POST /admin/events/:id/feedback/copy":             "organiser",
	"POST /admin/events/:id/feedback/schedule":         "organiser",
	"POST /admin/events/:id/feedback/send":             "organiser",
	"POST /admin/events/:id/feedback/remind":           "organiser",
	"GET /admin/events/:id/feedback/results":           "organiser",
	"GET /admin/events/:id/feedback/results.csv":       "organiser",
	"GET /admin/events/:id/feedback/results.pdf":       "organiser",
	"GET /admin/events/:id/feedback/:fqid":             "organiser",
	"POST /admin/events/:id/feedback/:fqid":            "organiser",
	"POST /admin/events/:id/feedback/:fqid/delete":     "organiser",
	"POST /admin/events/:id/feedback/:fqid/move":       "organiser",
	"GET /feedback/danke":                              "public",
	"GET /feedback/:token":                             "link",
	"POST /feedback/:token":                            "link",
	"GET /admin/events/:id/programme":                  "organiser",
	"POST /admin/events/:id/programme":                 "organiser",
	"POST /admin/events/:id/programme/copy":            "organiser",
	"GET /admin/events/:id/programme/:aid":             "organiser",
	"POST /admin/events/:id/programme/:aid":            "organiser",
	"POST /admin/events/:id/programme/:aid/delete":     "organiser",
	"POST /admin/events/:id/programme/:aid/duplicate":  "organiser",
	"POST /admin/events/:id/programme/:aid/align-slot": "organiser",
	"GET /api/v1/events/:id/agenda-items":              "public",
	"POST /api/v1/events/:id/agenda-items":             "organiser",
	"PATCH /api/v1/agenda-items/:id":                   "organiser",
	"DELETE /api/v1/agenda-items/:id":                  "organiser",
	"GET /api/v1/events/:id/programme.pdf":             "public",

	// Check-in, printing and exports.
	"GET /manage/:token/certificate.pdf":             "link",
	"POST /manage/:token/certificate":                "link",
	"GET /host/events/:id/checkin":                   "hostOfEvent",
	"POST /host/events/:id/checkin":                  "hostOfEvent",
	"GET /host/events/:id/checkin/counts.json":       "hostOfEvent",
	"POST /host/events/:id/checkin/walk-in":          "hostOfEvent",
	"GET /host/events/:id/badges.pdf":                "hostOfEvent",
	"GET /host/events/:id/signatures.pdf":            "hostOfEvent",
	"GET /host/events/:id/certificates.pdf":          "hostOfEvent",
	"GET /host/events/:id/certificates/preview.pdf":  "hostOfEvent",
	"GET /admin/events/:id/certificates/preview.pdf": "organiser",
	"GET /admin/events/:id/badges.pdf":               "organiser",
	"GET /admin/events/:id/signatures.pdf":           "organiser",
	"GET /admin/events/:id/certificates.pdf":         "organiser",
	"GET /admin/events/:id/registrations.csv":        "organiser",
	"GET /admin/events/:id/registrations.xlsx":       "organiser",
	"GET /admin/events/:id/statistics":               "organiser",
	"GET /admin/reports/network":                     "organiser",
	"GET /admin/reports/network.pdf":                 "organiser",
	"GET /admin/reports/network.xlsx":                "organiser",
	"GET /portal/report":                             "coordinator",
	"GET /portal/report.pdf":                         "coordinator",
	"GET /portal/report.xlsx":                        "coordinator",
	"GET /api/v1/events/:id/badges.pdf":              "hostOfEvent",
	"GET /api/v1/events/:id/signatures.pdf":          "hostOfEvent",
	"GET /api/v1/events/:id/certificates.pdf":        "hostOfEvent",
	"GET /api/v1/events/:id/registrations.csv":       "organiser",
	"GET /api/v1/events/:id/registrations.xlsx":      "organiser",
	"POST /api/v1/events/:id/check-ins":              "hostOfEvent",
	"GET /host/events/:id/checkin/app.webmanifest":   "hostOfEvent",
	"GET /host/events/:id/checkin/list.json":         "hostOfEvent",
	"POST /host/events/:id/checkin/sync":             "hostOfEvent",
	"GET /host/checkin-sw.js":                        "public",

	// Online documentation and archive; material 1 is a public PDF of
	// meeting A's published documentation.
	"GET /materials/:mid/:name":                                  "public",
	"GET /manage/:token/dokumentation":                           "link",
	"GET /manage/:token/materials/:mid/:name":                    "link",
	"GET /manage/:token/messages/:mid/:file":                     "link",
	"GET /admin/events/:id/documentation":                        "organiser",
	"POST /admin/events/:id/documentation":                       "organiser",
	"POST /admin/events/:id/documentation/delete":                "organiser",
	"POST /admin/events/:id/documentation/materials":             "organiser",
	"GET /admin/events/:id/documentation/materials/:mid":         "organiser",
	"POST /admin/events/:id/documentation/materials/:mid":        "organiser",
	"POST /admin/events/:id/documentation/materials/:mid/delete": "organiser",
	"GET /api/v1/archive":                                        "public",
	// The Mediathek; item 1 is participant-only, of meeting A.
	"GET /mediathek":                                   "public",
	"GET /mediathek/:mid":                              "hostOfEvent",
	"GET /mediathek/:mid/untertitel.vtt":               "hostOfEvent",
	"GET /manage/:token/mediathek/:mid":                "link",
	"GET /manage/:token/mediathek/:mid/untertitel.vtt": "link",
	"GET /api/v1/events/:id/documentation":             "public",
	"PUT /api/v1/events/:id/documentation":             "organiser",
	"DELETE /api/v1/events/:id/documentation":          "organiser",
	"GET /api/v1/events/:id/materials":                 "public",
	"POST /api/v1/events/:id/materials":                "organiser",
	"PATCH /api/v1/events/:id/materials/:mid":          "organiser",
	"DELETE /api/v1/events/:id/materials/:mid":         "organiser",
	"GET /api/v1/events/:id/materials/:mid/file":       "hostOfEvent",
	// The notice "Dokumentation online" to participants and contacts.
	"POST /admin/events/:id/documentation/notice":              "organiser",
	"GET /admin/events/:id/documentation/notice/progress.json": "organiser",
	"GET /api/v1/events/:id/documentation/notice":              "organiser",
	"POST /api/v1/events/:id/documentation/notice":             "organiser",
	// Privacy: notice, the person's data and erasure.
	"GET /datenschutz":               "public",
	"GET /manage/:token/data.json":   "link",
	"GET /manage/:token/daten":       "link",
	"GET /manage/:token/delete":      "link",
	"POST /manage/:token/delete":     "link",
	"GET /admin/privacy":             "organiser",
	"GET /admin/privacy/export.json": "organiser",
	"GET /admin/privacy/erase":       "organiser",
	"POST /admin/privacy/erase":      "organiser",
	"GET /api/v1/people/export":      "organiser",
	"POST /api/v1/people/erase":      "organiser",

	// Network contacts, invitations and unsubscribing; contact 1 is of
	// Stadt Ahlen (the coordinator's municipality).
	"GET /abmelden/:token":                            "link",
	"POST /abmelden/:token":                           "link",
	"POST /abmelden/:token/wieder":                    "link",
	"GET /portal/contacts":                            "coordinator",
	"POST /portal/contacts":                           "coordinator",
	"GET /portal/contacts/:cid":                       "ownMunicipality",
	"POST /portal/contacts/:cid":                      "ownMunicipality",
	"POST /portal/contacts/:cid/delete":               "ownMunicipality",
	"POST /portal/contacts/:cid/resubscribe":          "ownMunicipality",
	"GET /admin/contacts":                             "organiser",
	"POST /admin/contacts":                            "organiser",
	"POST /admin/contacts/import":                     "organiser",
	"GET /admin/contacts/:cid":                        "organiser",
	"POST /admin/contacts/:cid":                       "organiser",
	"POST /admin/contacts/:cid/delete":                "organiser",
	"POST /admin/contacts/:cid/resubscribe":           "organiser",
	"GET /admin/events/:id/invitations":               "organiser",
	"POST /admin/events/:id/invitations":              "organiser",
	"POST /admin/events/:id/follow-up":                "organiser",
	"GET /api/v1/contacts":                            "organiser",
	"POST /api/v1/contacts":                           "organiser",
	"GET /api/v1/contacts/:cid":                       "organiser",
	"PATCH /api/v1/contacts/:cid":                     "organiser",
	"DELETE /api/v1/contacts/:cid":                    "organiser",
	"POST /api/v1/contacts/:cid/resubscribe":          "organiser",
	"GET /api/v1/events/:id/invitations":              "organiser",
	"POST /api/v1/events/:id/invitations":             "organiser",
	"POST /api/v1/events/:id/follow-ups":              "organiser",
	"GET /admin/events/:id/messages":                  "organiser",
	"GET /admin/events/:id/messages/new":              "organiser",
	"POST /admin/events/:id/messages/new":             "organiser",
	"GET /api/v1/events/:id/messages":                 "organiser",
	"POST /api/v1/events/:id/messages":                "organiser",
	"POST /api/v1/events/:id/messages/preview":        "organiser",
	"GET /api/v1/events/:id/messages/:mid":            "organiser",
	"GET /admin/events/:id/invitations/progress.json": "organiser",

	// The Mediathek's administration and API; item 1 (participant-only)
	// is in series :sid and answers 404 to all but organisers in the API.
	"GET /admin/mediathek":                                             "organiser",
	"POST /admin/mediathek/series":                                     "organiser",
	"GET /admin/mediathek/series/:sid":                                 "organiser",
	"POST /admin/mediathek/series/:sid":                                "organiser",
	"POST /admin/mediathek/series/:sid/move":                           "organiser",
	"POST /admin/mediathek/series/:sid/delete":                         "organiser",
	"GET /admin/mediathek/new":                                         "organiser",
	"POST /admin/mediathek":                                            "organiser",
	"GET /admin/mediathek/:mid":                                        "organiser",
	"POST /admin/mediathek/:mid":                                       "organiser",
	"POST /admin/mediathek/:mid/delete":                                "organiser",
	"POST /admin/events/:id/documentation/materials/:mid/to-mediathek": "organiser",
	"POST /api/v1/events/:id/materials/:mid/to-mediathek":              "organiser",
	"GET /api/v1/media":                                                "public",
	"POST /api/v1/media":                                               "organiser",
	"GET /api/v1/media/:mid":                                           "organiser",
	"PATCH /api/v1/media/:mid":                                         "organiser",
	"DELETE /api/v1/media/:mid":                                        "organiser",
	"GET /api/v1/media-series":                                         "public",
	"POST /api/v1/media-series":                                        "organiser",
	"GET /api/v1/media-series/:sid":                                    "public",
	"PATCH /api/v1/media-series/:sid":                                  "organiser",
	"DELETE /api/v1/media-series/:sid":                                 "organiser",
}

// world is the data every matrix request runs against.
type world struct {
	*env
	eventA, eventB int64
	reg            registration.Registration // of Stadt Ahlen, meeting A
	otherReg       registration.Registration // another person's
	creds          map[string]credential
	tokenID        int64
	groupID        int64 // a working group of meeting A
	agendaItemID   int64 // a programme item of meeting A
	contactID      int64 // a network contact of Stadt Ahlen
	changeID       int64 // a change of meeting A's venue
	questionID     int64 // a question of meeting A
	feedbackQID    int64 // a question of meeting A's feedback survey
	seriesID       int64 // a series of the Mediathek holding item 1
}

type credential struct {
	cookie string
	bearer string
}

func newWorld(t *testing.T) *world {
	e := newEnv(t, func(c *config.Config) { c.RegisterLimit, c.LoginLimit = 0, 0 })
	ctx := context.Background()
	w := &world{env: e, creds: map[string]credential{}}
	w.eventA = e.event(10, 0, 1).ID
	w.eventB = e.event(10, 0, 1).ID
	var err error
	w.reg, err = e.regs.Register(ctx, w.eventA, registration.Input{FirstName: "Greta", LastName: "Zielinski-Alpha",
		Email: "greta.alpha@ahlen.example", MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.otherReg, err = e.regs.Register(ctx, w.eventA, registration.Input{FirstName: "Bernd", LastName: "Beta",
		Email: "bernd.beta@coesfeld.example", MunicipalityID: &e.coesfeld.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	evA, err := e.events.Get(ctx, w.eventA)
	if err != nil {
		t.Fatal(err)
	}
	group, err := e.wgs.CreateGroup(ctx, evA, workinggroup.GroupInput{Title: ptr("Kommunale Steuerung"), Capacity: ptr(10),
		Day: &evA.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
	if err != nil {
		t.Fatal(err)
	}
	w.groupID = group.ID
	q, err := question.NewStore(e.db.Gorm).Create(ctx, w.eventA, question.Input{Kind: question.ShortText, Label: "Dienststelle"})
	if err != nil {
		t.Fatal(err)
	}
	w.questionID = q.ID
	fq, err := survey.NewStore(e.db.Gorm).Save(ctx, w.eventA, 0, survey.Input{Kind: survey.Text, Label: "Was nehmen Sie mit?"})
	if err != nil {
		t.Fatal(err)
	}
	w.feedbackQID = fq.ID
	item, err := e.agenda.Create(ctx, evA, agenda.Input{Day: &evA.Days[0], StartsAt: ptr("10:00"), EndsAt: ptr("10:30"),
		Kind: ptr(agenda.Welcome), Title: ptr("Begrüßung")})
	if err != nil {
		t.Fatal(err)
	}
	w.agendaItemID = item.ID
	ct, err := contact.NewStore(e.db.Gorm).Create(ctx, contact.Input{MunicipalityID: e.ahlen.ID, Name: "Anna Ahlen", Email: "anna@ahlen.example"})
	if err != nil {
		t.Fatal(err)
	}
	w.contactID = ct.ID
	_, change, err := e.events.Save(ctx, w.eventA, event.Input{VenueCity: ptr("Hamm")})
	if err != nil || change == nil {
		t.Fatalf("change meeting A: %v, %v", change, err)
	}
	w.changeID = change.ID
	if _, err := e.archive.SaveDocumentation(ctx, w.eventA, archive.Input{Teaser: ptr("Rückblick"), Published: ptr(true)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if m := e.material(w.eventA, archive.Presentation, "Präsentation", tinyPDF, archive.Public); m.ID != 1 {
		t.Fatalf("first material has id %d; the matrix names it 1", m.ID)
	}
	// The Mediathek: a series and in it item 1, a participant-only video
	// of meeting A with captions.
	series, err := media.NewStore(e.db.Gorm).CreateSeries(ctx, media.SeriesInput{Title: ptr("Vortragsvideos")})
	if err != nil {
		t.Fatal(err)
	}
	w.seriesID = series.ID
	if it, err := media.NewStore(e.db.Gorm).CreateItem(ctx, media.Input{Kind: ptr(media.Video), Title: ptr("Mitschnitt"), EventID: &w.eventA,
		SeriesID: &series.ID, Visibility: ptr(media.Participants), URL: ptr("https://video.example/mitschnitt"), Captions: ptr(captionsVTT)}); err != nil || it.ID != 1 {
		t.Fatalf("first Mediathek item: %+v %v; the matrix names it 1", it, err)
	}
	// A message with the programme to this registration alone: message 1.
	sent, err := message.NewStore(e.db.Gorm).Send(ctx, message.Compose{EventID: w.eventA, UserID: nil, Input: message.Input{Subject: "Hinweis",
		Text: "Bitte Ausweis mitbringen.", IncludeProgramme: true, Filter: message.Filter{MunicipalityID: &e.ahlen.ID}}})
	if err != nil || sent.ID != 1 {
		t.Fatalf("first message: %+v %v; the matrix names it 1", sent, err)
	}
	// Checked in, so the own link opens the certificate of attendance.
	if _, err := e.checkins.Record(ctx, evA, w.reg, evA.Days[0], nil); err != nil {
		t.Fatal(err)
	}
	users := map[string]account.NewUser{
		organiserRole:    {Email: "o@isa.example", Role: account.Organiser},
		hostRole:         {Email: "h@koeln.example", Role: account.Host},
		hostOther:        {Email: "h2@herne.example", Role: account.Host},
		coordinatorRole:  {Email: "k@ahlen.example", Role: account.Coordinator, MunicipalityID: &e.ahlen.ID},
		coordinatorOther: {Email: "k@coesfeld.example", Role: account.Coordinator, MunicipalityID: &e.coesfeld.ID},
	}
	for role, nu := range users {
		nu.Password = "matrix-passwort"
		u, err := e.users.Create(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		cookie, err := e.users.CreateSession(ctx, u.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		bearer, tok, err := e.users.CreateToken(ctx, u.ID, "matrix")
		if err != nil {
			t.Fatal(err)
		}
		w.creds[role] = credential{cookie: cookie, bearer: bearer}
		switch role {
		case hostRole:
			err = e.users.SetHost(ctx, u.ID, w.eventA, true, audit.System)
		case hostOther:
			err = e.users.SetHost(ctx, u.ID, w.eventB, true, audit.System)
		case organiserRole:
			w.tokenID = tok.ID
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// fill replaces the route's parameters with ids of the world; a manage
// link is the other person's for participantOther and a made-up one for
// everybody else.
func (w *world) fill(route, role string) string {
	r := strings.NewReplacer(
		":id", fmt.Sprint(w.eventA), ":rid", fmt.Sprint(w.reg.ID), ":tid", fmt.Sprint(w.tokenID),
		":mid", "1", ":uid", "1", "*file", "app.css", ":file", "programm.pdf", ":gid", fmt.Sprint(w.groupID), ":cid", fmt.Sprint(w.contactID),
		":chid", fmt.Sprint(w.changeID), ":qid", fmt.Sprint(w.questionID),
		":fqid", fmt.Sprint(w.feedbackQID), ":sid", fmt.Sprint(w.seriesID),
	)
	// An agenda item's API routes name the item :id.
	route = strings.Replace(route, "/agenda-items/:id", fmt.Sprint("/agenda-items/", w.agendaItemID), 1)
	route = strings.Replace(route, ":aid", fmt.Sprint(w.agendaItemID), 1)
	path := r.Replace(route)
	if strings.Contains(path, ":token") {
		token := strings.Repeat("x", 43)
		if role == participantOther {
			token = w.otherReg.ManageToken
		}
		path = strings.Replace(path, ":token", token, 1)
	}
	return path
}

// granted tells whether a response let the caller in. Refusals are 401,
// 403, 404 and the redirect to the login page; anything else (a page, a
// validation message, a redirect elsewhere) means the rule let it pass.
func granted(key string, r response) bool {
	if key == "POST /login" && r.StatusCode == http.StatusUnauthorized {
		return true // the login form's answer to wrong credentials
	}
	switch r.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return false
	case http.StatusSeeOther, http.StatusFound:
		return !strings.HasPrefix(r.Header.Get("Location"), "/login")
	}
	return true
}

func TestAuthorisationMatrix(t *testing.T) {
	probe := newWorld(t)
	routes := probe.handler.(*gin.Engine).Routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		seen[key] = true
		class, ok := expected[key]
		if !ok {
			t.Errorf("route %s has no line in the authorisation matrix", key)
			continue
		}
		allowed := map[string]bool{}
		for _, role := range access[class] {
			allowed[role] = true
		}
		t.Run(strings.ReplaceAll(key, "/", "_"), func(t *testing.T) {
			// A fresh world per route: POSTs of one route cannot change
			// what the next one sees.
			w := newWorld(t)
			for _, role := range matrixRoles {
				req, _ := http.NewRequest(rt.Method, w.srv.URL+w.fill(rt.Path, role), strings.NewReader(url.Values{}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if cr, ok := w.creds[role]; ok {
					req.AddCookie(&http.Cookie{Name: "treffen_session", Value: cr.cookie})
					req.Header.Set("Authorization", "Bearer "+cr.bearer)
				}
				resp := w.do(w.client(), req)
				if resp.StatusCode >= 500 {
					t.Errorf("%s as %s: server error %d", key, role, resp.StatusCode)
				}
				if class == "link" && role == participantOther {
					// Another person's link opens that person's own
					// registration; it must never show or touch this one.
					if strings.Contains(resp.Body, w.reg.Email) || strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprintf("-%d.pdf", w.reg.ID)) {
						t.Errorf("%s with another person's link revealed this registration", key)
					}
					if got, _ := w.regs.Get(context.Background(), w.reg.ID); got.Status != w.reg.Status || got.Function != w.reg.Function {
						t.Errorf("%s with another person's link changed this registration", key)
					}
					continue
				}
				if got := granted(key, resp); got != allowed[role] {
					t.Errorf("%s as %s: status %d (Location %q), allowed=%v, want %v", key, role, resp.StatusCode, resp.Header.Get("Location"), got, allowed[role])
				}
				if strings.Contains(resp.Body, w.reg.Email) && class == "link" {
					t.Errorf("%s as %s revealed the registration of another person", key, role)
				}
			}
			if class == "link" && strings.HasPrefix(rt.Path, "/manage/") {
				// The link itself opens the route.
				req, _ := http.NewRequest(rt.Method, w.srv.URL+w.fill(strings.Replace(rt.Path, ":token", w.reg.ManageToken, 1), ""), strings.NewReader(""))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if resp := w.do(w.client(), req); !granted(key, resp) {
					t.Errorf("%s with the own link: %d", key, resp.StatusCode)
				}
			}
		})
	}
	for key := range expected {
		if !seen[key] {
			t.Errorf("matrix names %s, which the router does not have", key)
		}
	}
}
