package web

import (
	"fmt"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
)

// handler answers a request, or returns the error to answer with: one
// renderer (fail) turns every error into the page or the JSON answer.
type handler func(c *gin.Context) error

// table registers routes together with their access rule, so a route
// cannot exist without one.
type table struct {
	engine *gin.Engine
	policy map[string]rule
	serve  func(hs ...handler) gin.HandlerFunc
}

func (t *table) handle(method, path string, r rule, h ...handler) {
	t.policy[method+" "+path] = r
	t.engine.Handle(method, path, t.serve(h...))
}

func (t *table) get(path string, r rule, h ...handler) {
	t.handle(http.MethodGet, path, r, h...)
}
func (t *table) post(path string, r rule, h ...handler) {
	t.handle(http.MethodPost, path, r, h...)
}

// serve runs a route's handlers in turn (a rate limit, then the page)
// until one answers with an error or stops the request.
func (s *Server) serve(hs ...handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, h := range hs {
			if err := h(c); err != nil {
				s.fail(c, err)
				return
			}
			if c.IsAborted() {
				return
			}
		}
	}
}

// plain serves a net/http handler as a route.
func plain(h http.Handler) handler {
	return func(c *gin.Context) error {
		h.ServeHTTP(c.Writer, c.Request)
		return nil
	}
}

// routes is the one place that lists every route of the service and who
// may use it.
func (s *Server) routes() (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.MaxMultipartMemory = 8 << 20
	// Only configured proxies may set the client address; otherwise anyone
	// could dodge the rate limits with a made-up X-Forwarded-For.
	if err := r.SetTrustedProxies(s.cfg.Proxies()); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	t := &table{engine: r, policy: map[string]rule{}, serve: s.serve}
	r.Use(withRequestID, s.accessLog, gin.CustomRecovery(func(c *gin.Context, rec any) {
		s.log.Error("panic", "value", rec, "request_id", requestID(c))
		c.AbortWithStatus(http.StatusInternalServerError)
	}), securityHeaders, s.crossOrigin(), s.authorize(t.policy))
	r.NoRoute(func(c *gin.Context) { s.fail(c, errPageNotFound) })
	r.NoMethod(func(c *gin.Context) {
		s.fail(c, problem.New(problem.MethodNotAllowed, "Diese Methode ist für diese Adresse nicht erlaubt."))
	})

	static, err := fs.Sub(s.Templates, "static")
	if err != nil {
		return nil, err
	}
	staticFiles := http.StripPrefix("/static", http.FileServer(http.FS(static)))
	t.get("/static/*file", anyone, plain(staticFiles))
	icon, err := fs.ReadFile(static, "favicon.svg")
	if err != nil {
		return nil, fmt.Errorf("favicon: %w", err)
	}
	t.get("/favicon.ico", anyone, favicon(icon))
	t.get("/healthz", anyone, s.healthz)
	t.get("/readyz", anyone, s.readyz)
	t.get("/metrics", anyone, plain(promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})))

	// Public pages, those that every visitor sees alike served from
	// memory for a second; participants act through their secret manage
	// link.
	t.get("/", anyone, s.fromMemory(s.home))
	t.get("/archiv", anyone, s.fromMemory(s.archivePage))
	// The Mediathek: public items for everyone; participant-only ones
	// for the meeting's team here and its participants by manage link.
	t.get("/mediathek", anyone, s.fromMemory(s.mediathekPage))
	t.get("/mediathek/:mid", anyone, s.fromMemory(s.mediaItemPage))
	t.get("/mediathek/:mid/untertitel.vtt", anyone, s.mediaCaptions)
	t.get("/events/:id", anyone, s.fromMemory(s.eventPage))
	t.get("/events/:id/register", anyone, s.registerForm)
	t.get("/events/:id/programme.ics", anyone, s.fromMemory(s.programmeICS))
	t.get("/events/:id/programme.pdf", anyone, s.fromMemory(s.programmePDF))
	t.post("/events/:id/register", anyone, s.limit("register", s.cfg.RegisterLimit), s.register)
	t.get("/manage", anyone, s.resendForm)
	t.post("/manage", anyone, s.limit("resend", s.cfg.LoginLimit), s.resend)
	t.get("/manage/:token", anyone, s.managePage)
	t.post("/manage/:token", anyone, s.limit("manage", s.cfg.RegisterLimit), s.manageUpdate)
	t.post("/manage/:token/cancel", anyone, s.limit("manage", s.cfg.RegisterLimit), s.manageCancel)
	t.get("/manage/:token/confirmation.pdf", anyone, s.manageConfirmationPDF)
	t.get("/manage/:token/certificate.pdf", anyone, s.manageCertificatePDF)
	t.post("/manage/:token/certificate", anyone, s.manageCertificateMail)
	t.get("/manage/:token/dokumentation", anyone, s.manageDocumentation)
	t.get("/manage/:token/materials/:mid/:name", anyone, s.manageMaterialFile)
	t.get("/manage/:token/mediathek/:mid", anyone, s.manageMediaItem)
	t.get("/manage/:token/mediathek/:mid/untertitel.vtt", anyone, s.manageMediaCaptions)
	t.get("/manage/:token/messages/:mid/:file", anyone, s.manageMessageFile)
	// Uploaded material: public files of published documentations, all
	// files for the meeting's team; the handler decides.
	t.get("/materials/:mid/:name", anyone, s.materialFile)
	t.get("/manage/:token/data.json", anyone, s.manageData)
	t.get("/manage/:token/daten", anyone, s.manageDataPage)
	t.get("/manage/:token/delete", anyone, s.manageDeleteForm)
	t.post("/manage/:token/delete", anyone, s.limit("manage", s.cfg.RegisterLimit), s.manageDelete)
	t.get("/datenschutz", anyone, s.privacyNotice)
	// The feedback survey by the personal link in its mail.
	t.get("/feedback/danke", anyone, s.feedbackThanks)
	t.get("/feedback/:token", anyone, s.feedbackPage)
	t.post("/feedback/:token", anyone, s.limit("feedback", s.cfg.RegisterLimit), s.feedbackSubmit)
	// Unsubscribing from invitations by the link in each of them; the
	// POST is also the one-click target of List-Unsubscribe-Post (RFC
	// 8058), exempt from the cross-origin check (crossOrigin).
	t.get("/abmelden/:token", anyone, s.unsubscribePage)
	t.post(unsubscribeRoute, anyone, s.unsubscribe)
	t.post("/abmelden/:token/wieder", anyone, s.resubscribeByLink)

	// Accounts.
	t.get("/login", anyone, s.loginForm)
	t.post("/login", anyone, s.login) // rate per client address in checkLogin
	t.post("/logout", anyone, s.logout)
	t.get("/password/forgot", anyone, s.forgotForm)
	t.post("/password/forgot", anyone, s.limit("reset", s.cfg.LoginLimit), s.forgot)
	t.get("/password/set/:token", anyone, s.setPasswordForm)
	t.post("/password/set/:token", anyone, s.limit("reset", s.cfg.LoginLimit), s.setPassword)
	t.get("/account/tokens", organiser, s.tokensPage)
	t.post("/account/tokens", organiser, s.tokenCreate)
	t.post("/account/tokens/:tid/revoke", organiser, s.tokenRevoke)

	// Coordinator portal: the registrations of the own municipality.
	t.get("/portal", coordinator, s.portal)
	t.get("/portal/events/:id", coordinator, s.portalEvent)
	t.post("/portal/events/:id/registrations", coordinator, s.portalRegister)
	t.get("/portal/events/:id/registrations/:rid", coordinatorOfRegistration, s.portalRegistration)
	t.post("/portal/events/:id/registrations/:rid", coordinatorOfRegistration, s.portalRegistrationUpdate)
	t.get("/portal/events/:id/registrations/:rid/cancel", coordinatorOfRegistration, s.portalRegistrationCancelForm)
	t.post("/portal/events/:id/registrations/:rid/cancel", coordinatorOfRegistration, s.portalRegistrationCancel)
	t.post("/portal/events/:id/registrations/:rid/reinstate", coordinatorOfRegistration, s.portalRegistrationReinstate)
	t.get("/portal/contacts", coordinator, s.contactsPage)
	t.post("/portal/contacts", coordinator, s.contactCreate)
	t.get("/portal/contacts/:cid", coordinatorOfContact, s.contactEdit)
	t.post("/portal/contacts/:cid", coordinatorOfContact, s.contactUpdate)
	t.post("/portal/contacts/:cid/delete", coordinatorOfContact, s.contactDelete)
	t.post("/portal/contacts/:cid/resubscribe", coordinatorOfContact, s.contactResubscribe)
	t.get("/portal/report", coordinator, s.networkReport(true))
	t.get("/portal/report.pdf", coordinator, s.networkReportPDF(true))
	t.get("/portal/report.xlsx", coordinator, s.networkReportXLSX(true))

	// Hosts: the participants and documents of their meetings.
	t.get("/host", roles(account.Host), s.hostHome)
	t.get("/host/events/:id", hostOfEvent, s.hostEvent)
	t.get("/host/events/:id/participants.pdf", hostOfEvent, s.participantsPDF)
	t.get("/host/events/:id/participants.csv", hostOfEvent, s.participantsCSV)
	t.get("/host/events/:id/programme.pdf", hostOfEvent, s.hostProgrammePDF)
	t.get("/host/events/:id/working-groups.pdf", hostOfEvent, s.workingGroupsPDF)
	t.get("/host/events/:id/badges.pdf", hostOfEvent, s.badgesPDF)
	t.get("/host/events/:id/signatures.pdf", hostOfEvent, s.signaturesPDF)
	t.get("/host/events/:id/certificates.pdf", hostOfEvent, s.certificatesPDF)
	t.get("/host/events/:id/certificates/preview.pdf", hostOfEvent, s.certificatePreviewPDF)

	// Check-in at the door (hosts of the meeting and organisers).
	t.get("/host/events/:id/checkin", hostOfEvent, s.checkinPage)
	t.post("/host/events/:id/checkin", hostOfEvent, s.checkinPost)
	t.get("/host/events/:id/checkin/counts.json", hostOfEvent, s.checkinCounts)
	t.post("/host/events/:id/checkin/walk-in", hostOfEvent, s.checkinWalkIn)
	t.get("/host/events/:id/checkin/app.webmanifest", hostOfEvent, s.checkinManifest)
	// The check-in app's list and sync, JSON for the page's script.
	t.get("/host/events/:id/checkin/list.json", hostOfEvent, s.checkinList)
	t.post("/host/events/:id/checkin/sync", hostOfEvent, s.checkinSync)
	// The service worker of the check-in app; at /host/ so that it may
	// serve the check-in pages below it offline. A script without data.
	t.get("/host/checkin-sw.js", anyone, s.checkinServiceWorker)

	// Organisers.
	t.get("/admin", staff, func(c *gin.Context) error {
		u, _ := currentUser(c)
		c.Redirect(http.StatusSeeOther, homeOf(u))
		return nil
	})
	t.get("/admin/events", organiser, s.adminEvents)
	t.get("/admin/events/new", organiser, s.adminEventNew)
	t.post("/admin/events", organiser, s.adminEventCreate)
	t.get("/admin/events/:id/edit", organiser, s.adminEventEdit)
	t.post("/admin/events/:id", organiser, s.adminEventUpdate)
	t.get("/admin/events/:id/changes/:chid", organiser, s.adminChange)
	t.post("/admin/events/:id/changes/:chid", organiser, s.adminChangeDecide)
	t.get("/admin/events/:id/registrations", organiser, s.adminRegistrations)
	t.get("/admin/events/:id/registrations/:rid/cancel", organiser, s.adminRegistrationCancelForm)
	t.post("/admin/events/:id/registrations/:rid/cancel", organiser, s.adminRegistrationCancel)
	t.post("/admin/events/:id/registrations/decide", organiser, s.adminRegistrationsDecide)
	t.post("/admin/events/:id/registrations/:rid/reinstate", organiser, s.adminRegistrationReinstate)
	t.get("/admin/events/:id/participants.pdf", organiser, s.participantsPDF)
	t.get("/admin/events/:id/working-groups.pdf", organiser, s.workingGroupsPDF)
	t.get("/admin/events/:id/badges.pdf", organiser, s.badgesPDF)
	t.get("/admin/events/:id/signatures.pdf", organiser, s.signaturesPDF)
	t.get("/admin/events/:id/certificates.pdf", organiser, s.certificatesPDF)
	t.get("/admin/events/:id/certificates/preview.pdf", organiser, s.certificatePreviewPDF)
	t.get("/admin/events/:id/registrations.csv", organiser, s.registrationsExport("csv"))
	t.get("/admin/events/:id/registrations.xlsx", organiser, s.registrationsExport("xlsx"))
	t.get("/admin/events/:id/statistics", organiser, s.adminStatistics)
	t.get("/admin/reports/network", organiser, s.networkReport(false))
	t.get("/admin/reports/network.pdf", organiser, s.networkReportPDF(false))
	t.get("/admin/reports/network.xlsx", organiser, s.networkReportXLSX(false))
	t.get("/admin/events/:id/invitations", organiser, s.adminInvitations)
	t.post("/admin/events/:id/invitations", organiser, s.adminInvitationSend)
	t.post("/admin/events/:id/follow-up", organiser, s.adminFollowUpSend)
	t.get("/admin/events/:id/messages", organiser, s.adminMessages)
	t.get("/admin/events/:id/messages/new", organiser, s.adminMessageNew)
	t.post("/admin/events/:id/messages/new", organiser, s.adminMessageCompose)
	t.get("/admin/events/:id/invitations/progress.json", organiser, s.adminInvitationProgress)
	t.get("/admin/events/:id/working-groups", organiser, s.adminWorkingGroups)
	t.post("/admin/events/:id/working-groups", organiser, s.adminWorkingGroupSave)
	t.get("/admin/events/:id/working-groups/:gid", organiser, s.adminWorkingGroupEdit)
	t.post("/admin/events/:id/working-groups/:gid", organiser, s.adminWorkingGroupSave)
	t.post("/admin/events/:id/working-groups/:gid/delete", organiser, s.adminWorkingGroupDelete)
	t.get("/admin/events/:id/assignment", organiser, s.adminAssignment)
	t.post("/admin/events/:id/assignment/apply", organiser, s.adminAssignmentApply)
	t.post("/admin/events/:id/assignment/mail", organiser, s.adminAssignmentMail)
	t.post("/admin/events/:id/assignment/:rid/move", organiser, s.adminAssignmentMove)
	t.post("/admin/events/:id/assignment/:rid/lock", organiser, s.adminAssignmentLock)
	t.get("/admin/events/:id/questions", organiser, s.adminQuestions)
	t.post("/admin/events/:id/questions", organiser, s.adminQuestionSave)
	t.post("/admin/events/:id/questions/copy", organiser, s.adminQuestionCopy)
	t.get("/admin/events/:id/questions/:qid", organiser, s.adminQuestionEdit)
	t.post("/admin/events/:id/questions/:qid", organiser, s.adminQuestionSave)
	t.post("/admin/events/:id/questions/:qid/delete", organiser, s.adminQuestionDelete)
	t.post("/admin/events/:id/questions/:qid/move", organiser, s.adminQuestionMove)
	t.get("/admin/events/:id/feedback", organiser, s.adminFeedback)
	t.post("/admin/events/:id/feedback", organiser, s.adminFeedbackQuestionSave)
	t.post("/admin/events/:id/feedback/defaults", organiser, s.adminFeedbackDefaults)
	t.post("/admin/events/:id/feedback/copy", organiser, s.adminFeedbackCopy)
	t.post("/admin/events/:id/feedback/schedule", organiser, s.adminFeedbackSchedule)
	t.post("/admin/events/:id/feedback/send", organiser, s.adminFeedbackSend)
	t.post("/admin/events/:id/feedback/remind", organiser, s.adminFeedbackRemind)
	t.get("/admin/events/:id/feedback/results", organiser, s.adminFeedbackResults)
	t.get("/admin/events/:id/feedback/results.csv", organiser, s.adminFeedbackCSV)
	t.get("/admin/events/:id/feedback/results.pdf", organiser, s.adminFeedbackPDF)
	t.get("/admin/events/:id/feedback/:fqid", organiser, s.adminFeedbackQuestionEdit)
	t.post("/admin/events/:id/feedback/:fqid", organiser, s.adminFeedbackQuestionSave)
	t.post("/admin/events/:id/feedback/:fqid/delete", organiser, s.adminFeedbackQuestionDelete)
	t.post("/admin/events/:id/feedback/:fqid/move", organiser, s.adminFeedbackQuestionMove)
	t.get("/admin/events/:id/programme", organiser, s.adminProgramme)
	t.post("/admin/events/:id/programme", organiser, s.adminProgrammeCreate)
	t.post("/admin/events/:id/programme/copy", organiser, s.adminProgrammeCopy)
	t.get("/admin/events/:id/programme/:aid", organiser, s.adminProgrammeEdit)
	t.post("/admin/events/:id/programme/:aid", organiser, s.adminProgrammeUpdate)
	t.post("/admin/events/:id/programme/:aid/delete", organiser, s.adminProgrammeDelete)
	t.post("/admin/events/:id/programme/:aid/duplicate", organiser, s.adminProgrammeDuplicate)
	t.post("/admin/events/:id/programme/:aid/align-slot", organiser, s.adminProgrammeAlignSlot)
	t.get("/admin/events/:id/documentation", organiser, s.adminDocumentation)
	t.post("/admin/events/:id/documentation", organiser, s.adminDocumentationSave)
	t.post("/admin/events/:id/documentation/delete", organiser, s.adminDocumentationDelete)
	t.post("/admin/events/:id/documentation/materials", organiser, s.adminMaterialCreate)
	t.get("/admin/events/:id/documentation/materials/:mid", organiser, s.adminMaterialEdit)
	t.post("/admin/events/:id/documentation/materials/:mid", organiser, s.adminMaterialUpdate)
	t.post("/admin/events/:id/documentation/materials/:mid/delete", organiser, s.adminMaterialDelete)
	t.post("/admin/events/:id/documentation/materials/:mid/to-mediathek", organiser, s.adminMaterialAdopt)
	t.post("/admin/events/:id/documentation/notice", organiser, s.adminDocumentationNotice)
	t.get("/admin/events/:id/documentation/notice/progress.json", organiser, s.adminDocumentationNoticeProgress)
	t.get("/admin/mediathek", organiser, s.adminMediathek)
	t.post("/admin/mediathek/series", organiser, s.adminSeriesCreate)
	t.get("/admin/mediathek/series/:sid", organiser, s.adminSeriesEdit)
	t.post("/admin/mediathek/series/:sid", organiser, s.adminSeriesUpdate)
	t.post("/admin/mediathek/series/:sid/move", organiser, s.adminSeriesMove)
	t.post("/admin/mediathek/series/:sid/delete", organiser, s.adminSeriesDelete)
	t.get("/admin/mediathek/new", organiser, s.adminMediaNew)
	t.post("/admin/mediathek", organiser, s.adminMediaCreate)
	t.get("/admin/mediathek/:mid", organiser, s.adminMediaEdit)
	t.post("/admin/mediathek/:mid", organiser, s.adminMediaUpdate)
	t.post("/admin/mediathek/:mid/delete", organiser, s.adminMediaDelete)
	t.get("/admin/mails", organiser, s.adminMails)
	t.get("/admin/mails/:mid/html", organiser, s.adminMailHTML)
	t.post("/admin/mails/:mid/retry", organiser, s.adminMailRetry)
	t.get("/admin/municipalities", organiser, s.adminMunicipalities)
	t.post("/admin/municipalities", organiser, s.adminMunicipalityCreate)
	t.post("/admin/municipalities/import", organiser, s.adminMunicipalityImport)
	t.get("/admin/contacts", organiser, s.contactsPage)
	t.post("/admin/contacts", organiser, s.contactCreate)
	t.post("/admin/contacts/import", organiser, s.contactImport)
	t.get("/admin/contacts/:cid", organiser, s.contactEdit)
	t.post("/admin/contacts/:cid", organiser, s.contactUpdate)
	t.post("/admin/contacts/:cid/delete", organiser, s.contactDelete)
	t.post("/admin/contacts/:cid/resubscribe", organiser, s.contactResubscribe)
	t.get("/admin/users", organiser, s.adminUsers)
	t.post("/admin/users", organiser, s.adminUserInvite)
	t.post("/admin/users/:uid/role", organiser, s.adminUserRole)
	t.post("/admin/users/:uid/hosts", organiser, s.adminUserHosts)
	t.get("/admin/audit", organiser, s.adminAudit)
	t.get("/admin/privacy", organiser, s.adminPrivacy)
	t.get("/admin/privacy/export.json", organiser, s.adminPrivacyExport)
	t.get("/admin/privacy/erase", organiser, s.adminPrivacyEraseForm)
	t.post("/admin/privacy/erase", organiser, s.adminPrivacyErase)

	// JSON API.
	t.get("/api/v1/openapi.json", anyone, s.openAPI)
	t.post("/api/v1/tokens", anyone, s.apiCreateToken) // rate per client address in checkLogin
	t.get("/api/v1/tokens", organiser, s.apiTokens)
	t.handle(http.MethodDelete, "/api/v1/tokens/:tid", organiser, s.apiTokenRevoke)
	t.get("/api/v1/municipalities", anyone, s.apiMunicipalities)
	t.post("/api/v1/municipalities", organiser, s.apiMunicipalityCreate)
	t.get("/api/v1/contacts", organiser, s.apiContacts)
	t.post("/api/v1/contacts", organiser, s.apiContactCreate)
	t.get("/api/v1/contacts/:cid", organiser, s.apiContact)
	t.handle(http.MethodPatch, "/api/v1/contacts/:cid", organiser, s.apiContactUpdate)
	t.handle(http.MethodDelete, "/api/v1/contacts/:cid", organiser, s.apiContactDelete)
	t.post("/api/v1/contacts/:cid/resubscribe", organiser, s.apiContactResubscribe)
	t.get("/api/v1/events/:id/invitations", organiser, s.apiInvitations)
	t.post("/api/v1/events/:id/invitations", organiser, s.apiInvitationSend(outbox.EventInvitation))
	t.post("/api/v1/events/:id/follow-ups", organiser, s.apiInvitationSend(outbox.FollowUp))
	t.get("/api/v1/events/:id/messages", organiser, s.apiMessages)
	t.post("/api/v1/events/:id/messages", organiser, s.apiMessageSend)
	t.post("/api/v1/events/:id/messages/preview", organiser, s.apiMessagePreview)
	t.get("/api/v1/events/:id/messages/:mid", organiser, s.apiMessage)
	t.get("/api/v1/events", anyone, s.apiEvents)
	t.post("/api/v1/events", organiser, s.apiEventCreate)
	t.get("/api/v1/events/:id", anyone, s.apiEvent)
	t.handle(http.MethodPatch, "/api/v1/events/:id", organiser, s.apiEventUpdate)
	t.get("/api/v1/events/:id/reminders", organiser, s.apiReminders)
	t.handle(http.MethodPut, "/api/v1/events/:id/reminders", organiser, s.apiRemindersSave)
	t.get("/api/v1/events/:id/feedback", organiser, s.apiFeedback)
	t.handle(http.MethodPut, "/api/v1/events/:id/feedback/period", organiser, s.apiFeedbackPeriod)
	t.post("/api/v1/events/:id/feedback/send", organiser, s.apiFeedbackMail(false))
	t.post("/api/v1/events/:id/feedback/remind", organiser, s.apiFeedbackMail(true))
	t.get("/api/v1/events/:id/feedback/results", organiser, s.apiFeedbackResults)
	t.post("/api/v1/events/:id/registrations", anyone, s.limit("register", s.cfg.RegisterLimit), s.apiRegister)
	t.get("/api/v1/events/:id/registrations", hostOfEvent, s.apiRegistrations)
	t.get("/api/v1/events/:id/registrations/:rid", hostOfEvent, s.apiRegistration)
	t.post("/api/v1/events/:id/registrations/:rid/approve", organiser, s.apiRegistrationApprove)
	t.post("/api/v1/events/:id/registrations/:rid/decline", organiser, s.apiRegistrationDecline)
	t.post("/api/v1/events/:id/registrations/:rid/cancel", organiser, s.apiRegistrationCancel)
	t.post("/api/v1/events/:id/registrations/:rid/reinstate", organiser, s.apiRegistrationReinstate)
	t.get("/api/v1/events/:id/participants.pdf", hostOfEvent, s.participantsPDF)
	t.get("/api/v1/events/:id/badges.pdf", hostOfEvent, s.badgesPDF)
	t.get("/api/v1/events/:id/signatures.pdf", hostOfEvent, s.signaturesPDF)
	t.get("/api/v1/events/:id/certificates.pdf", hostOfEvent, s.certificatesPDF)
	t.get("/api/v1/events/:id/registrations.csv", organiser, s.registrationsExport("csv"))
	t.get("/api/v1/events/:id/registrations.xlsx", organiser, s.registrationsExport("xlsx"))
	t.post("/api/v1/events/:id/check-ins", hostOfEvent, s.apiCheckIn)
	t.get("/api/v1/events/:id/working-groups", hostOfEvent, s.apiWorkingGroups)
	t.post("/api/v1/events/:id/working-groups", organiser, s.apiWorkingGroupSave)
	t.handle(http.MethodPatch, "/api/v1/events/:id/working-groups/:gid", organiser, s.apiWorkingGroupSave)
	t.handle(http.MethodDelete, "/api/v1/events/:id/working-groups/:gid", organiser, s.apiWorkingGroupDelete)
	t.get("/api/v1/events/:id/assignment", hostOfEvent, s.apiAssignment)
	t.post("/api/v1/events/:id/assignment", organiser, s.apiAssignmentRun)
	t.handle(http.MethodPut, "/api/v1/events/:id/assignment/:rid", organiser, s.apiAssignmentMove)
	t.post("/api/v1/events/:id/assignment/:rid/lock", organiser, s.apiAssignmentLock)
	t.get("/api/v1/events/:id/questions", anyone, s.apiQuestions)
	t.post("/api/v1/events/:id/questions", organiser, s.apiQuestionCreate)
	t.get("/api/v1/events/:id/questions/:qid", anyone, s.apiQuestion)
	t.handle(http.MethodPut, "/api/v1/events/:id/questions/:qid", organiser, s.apiQuestionUpdate)
	t.handle(http.MethodDelete, "/api/v1/events/:id/questions/:qid", organiser, s.apiQuestionDelete)
	t.get("/api/v1/events/:id/agenda-items", anyone, s.apiAgendaItems)
	t.post("/api/v1/events/:id/agenda-items", organiser, s.apiAgendaItemCreate)
	t.handle(http.MethodPatch, "/api/v1/agenda-items/:id", organiser, s.apiAgendaItemUpdate)
	t.handle(http.MethodDelete, "/api/v1/agenda-items/:id", organiser, s.apiAgendaItemDelete)
	t.get("/api/v1/events/:id/programme.pdf", anyone, s.programmePDF)
	t.get("/api/v1/archive", anyone, s.apiArchive)
	t.get("/api/v1/events/:id/documentation", anyone, s.apiDocumentation)
	t.handle(http.MethodPut, "/api/v1/events/:id/documentation", organiser, s.apiDocumentationSave)
	t.handle(http.MethodDelete, "/api/v1/events/:id/documentation", organiser, s.apiDocumentationDelete)
	t.get("/api/v1/events/:id/documentation/notice", organiser, s.apiDocumentationNoticeReach)
	t.post("/api/v1/events/:id/documentation/notice", organiser, s.apiDocumentationNotice)
	t.get("/api/v1/events/:id/materials", anyone, s.apiMaterials)
	t.post("/api/v1/events/:id/materials", organiser, s.apiMaterialCreate)
	t.handle(http.MethodPatch, "/api/v1/events/:id/materials/:mid", organiser, s.apiMaterialUpdate)
	t.handle(http.MethodDelete, "/api/v1/events/:id/materials/:mid", organiser, s.apiMaterialDelete)
	t.get("/api/v1/events/:id/materials/:mid/file", hostOfEvent, s.apiMaterialFile)
	t.post("/api/v1/events/:id/materials/:mid/to-mediathek", organiser, s.apiMaterialAdopt)
	t.get("/api/v1/media", anyone, s.apiMedia)
	t.post("/api/v1/media", organiser, s.apiMediaCreate)
	t.get("/api/v1/media/:mid", anyone, s.apiMediaItem)
	t.handle(http.MethodPatch, "/api/v1/media/:mid", organiser, s.apiMediaUpdate)
	t.handle(http.MethodDelete, "/api/v1/media/:mid", organiser, s.apiMediaDelete)
	t.get("/api/v1/media-series", anyone, s.apiMediaSeries)
	t.post("/api/v1/media-series", organiser, s.apiMediaSeriesCreate)
	t.get("/api/v1/media-series/:sid", anyone, s.apiMediaOneSeries)
	t.handle(http.MethodPatch, "/api/v1/media-series/:sid", organiser, s.apiMediaSeriesUpdate)
	t.handle(http.MethodDelete, "/api/v1/media-series/:sid", organiser, s.apiMediaSeriesDelete)
	t.get("/api/v1/people/export", organiser, s.apiPeopleExport)
	t.post("/api/v1/people/erase", organiser, s.apiPeopleErase)
	return r, nil
}
