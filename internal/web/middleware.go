package web

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/isa-nrw/treffen/internal/problem"
)

const requestIDKey = "request_id"

func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// withRequestID takes a sane X-Request-ID from a proxy or makes one.
func withRequestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) == 0 || len(id) > 64 || strings.ContainsAny(id, " \n\r\t") {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	elapsed := time.Since(start)
	s.metrics.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(c.Request.Method, route).Observe(elapsed.Seconds())
	level := slog.LevelInfo
	if route == "/healthz" || route == "/readyz" || route == "/metrics" || route == "/favicon.ico" || strings.HasPrefix(route, "/static/") {
		level = slog.LevelDebug
	}
	// The path is logged by route, so manage-link tokens never reach the log.
	s.log.Log(c.Request.Context(), level, "request", "method", c.Request.Method, "route", route,
		"status", status, "duration_ms", elapsed.Milliseconds(), "request_id", requestID(c))
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "treffen_http_requests_total", Help: "HTTP requests by route and status."}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "treffen_http_request_duration_seconds", Help: "HTTP request latency.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// securityHeaders: no inline script anywhere, no framing, no referrer
// (manage links carry secrets in the path). Pages may frame their own
// origin only: the mail log shows a mail's HTML part that way, served in
// a sandbox with a policy of its own (mailHTMLPolicy).
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	c.Next()
}

// unsubscribeRoute is the one-click unsubscribe of RFC 8058: mail
// providers POST "List-Unsubscribe=One-Click" to it from their own
// servers, cross-site by nature. It needs no protection: it does what the
// secret link says and nothing else.
const unsubscribeRoute = "/abmelden/:token"

// crossOrigin rejects cross-site state-changing requests (CSRF) using the
// browser's Sec-Fetch-Site and Origin headers; only unsubscribeRoute (the
// POST, one path segment after /abmelden/) is exempt.
func (s *Server) crossOrigin() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern("POST /abmelden/{token}")
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			s.fail(c, problem.New(problem.Forbidden, "Diese Anfrage kam von einer fremden Website und wurde abgelehnt."))
			return
		}
		c.Next()
	}
}

// rateLimits is a per-key token bucket kept in memory; enough to slow
// scripted abuse of the public form and the login on one instance.
type rateLimits struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimits() *rateLimits { return &rateLimits{buckets: map[string]*bucket{}} }

// allow takes a token from key's bucket of size burst refilled at perMinute.
func (r *rateLimits) allow(key string, burst int, perMinute float64, now time.Time) (bool, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buckets) > 100_000 {
		r.buckets = map[string]*bucket{} // bounded memory under a flood
	}
	b, ok := r.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(burst), last: now}
		r.buckets[key] = b
	}
	b.tokens = min(float64(burst), b.tokens+now.Sub(b.last).Minutes()*perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / perMinute * float64(time.Minute))
	return false, wait
}

// limit answers 429 with Retry-After when the client's IP exceeds
// perMinute requests (bursts of that size allowed); 0 turns it off.
func (s *Server) limit(name string, perMinute int) handler {
	return func(c *gin.Context) error {
		if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
			return nil
		}
		return s.allowClient(c, name, perMinute)
	}
}

// allowClient takes a try from the client IP's bucket name; when it is
// empty it sets Retry-After and returns the error to answer with.
func (s *Server) allowClient(c *gin.Context, name string, perMinute int) error {
	if perMinute == 0 {
		return nil
	}
	ok, wait := s.limits.allow(name+"|"+c.ClientIP(), perMinute, float64(perMinute), s.Now())
	if ok {
		return nil
	}
	c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	return problem.New(problem.TooMany, "Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.")
}
