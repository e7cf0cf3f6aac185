package web

import (
	"fmt"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/problem"
)

// routes is the one place that lists every route of the service.
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
	r.Use(withRequestID, s.accessLog, gin.CustomRecovery(func(c *gin.Context, rec any) {
		s.log.Error("panic", "value", rec, "request_id", requestID(c))
		c.AbortWithStatus(http.StatusInternalServerError)
	}), securityHeaders, s.crossOrigin())
	r.NoRoute(func(c *gin.Context) { s.fail(c, errPageNotFound) })
	r.NoMethod(func(c *gin.Context) {
		s.fail(c, problem.New(problem.MethodNotAllowed, "Diese Methode ist für diese Adresse nicht erlaubt."))
	})

	static, err := fs.Sub(s.Templates, "static")
	if err != nil {
		return nil, err
	}
	r.StaticFS("/static", http.FS(static))
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{})))

	// Public pages.
	pub := r.Group("/", s.loadSession)
	pub.GET("/", s.home)
	pub.GET("/archiv", s.archive)
	pub.GET("/events/:id", s.eventPage)
	pub.GET("/events/:id/register", s.registerForm)
	pub.POST("/events/:id/register", s.limit("register", s.cfg.RegisterLimit), s.register)
	pub.GET("/manage/:token", s.managePage)
	pub.POST("/manage/:token", s.limit("manage", s.cfg.RegisterLimit), s.manageUpdate)
	pub.POST("/manage/:token/cancel", s.limit("manage", s.cfg.RegisterLimit), s.manageCancel)
	pub.GET("/login", s.loginForm)
	pub.POST("/login", s.limit("login", s.cfg.LoginLimit), s.login)
	pub.POST("/logout", s.logout)

	// Organiser pages.
	org := r.Group("/admin", s.loadSession, s.requireRole(account.Organiser))
	org.GET("", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/admin/events") })
	org.GET("/events", s.adminEvents)
	org.GET("/events/new", s.adminEventNew)
	org.POST("/events", s.adminEventCreate)
	org.GET("/events/:id/edit", s.adminEventEdit)
	org.POST("/events/:id", s.adminEventUpdate)
	org.GET("/events/:id/registrations", s.adminRegistrations)
	org.POST("/events/:id/registrations/:rid/cancel", s.adminRegistrationCancel)
	org.GET("/events/:id/participants.pdf", s.participantsPDF)
	org.GET("/mails", s.adminMails)
	org.POST("/mails/:mid/retry", s.adminMailRetry)
	org.GET("/municipalities", s.adminMunicipalities)
	org.POST("/municipalities", s.adminMunicipalityCreate)
	org.POST("/municipalities/import", s.adminMunicipalityImport)

	// JSON API.
	api := r.Group("/api/v1")
	api.GET("/openapi.json", s.openAPI)
	api.POST("/tokens", s.limit("login", s.cfg.LoginLimit), s.apiCreateToken)
	api.GET("/municipalities", s.apiMunicipalities)
	api.GET("/events", s.optionalToken, s.apiEvents)
	api.GET("/events/:id", s.optionalToken, s.apiEvent)
	api.POST("/events/:id/registrations", s.limit("register", s.cfg.RegisterLimit), s.apiRegister)
	orgAPI := api.Group("", s.requireToken(account.Organiser))
	orgAPI.POST("/municipalities", s.apiMunicipalityCreate)
	orgAPI.POST("/events", s.apiEventCreate)
	orgAPI.PATCH("/events/:id", s.apiEventUpdate)
	orgAPI.GET("/events/:id/registrations", s.apiRegistrations)
	orgAPI.GET("/events/:id/registrations/:rid", s.apiRegistration)
	orgAPI.GET("/events/:id/participants.pdf", s.participantsPDF)
	return r, nil
}
