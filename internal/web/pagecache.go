package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Public pages are the same for every visitor without a login, and read
// far more often than they change: they are served from memory for up to
// page_cache_ttl (a second by default), so a registration shows in the
// free places within that time, on every instance, without anybody
// telling the cache. Every answer carries an ETag, and a browser's
// If-None-Match gets 304.
const pageCacheEntries = 2000 // a flood of made-up queries cannot grow it further

type cachedPage struct {
	status  int
	header  http.Header
	body    []byte
	etag    string
	expires time.Time
}

type pageCache struct {
	mu    sync.RWMutex
	pages map[string]*cachedPage
}

func newPageCache() *pageCache { return &pageCache{pages: map[string]*cachedPage{}} }

func (pc *pageCache) get(key string, now time.Time) (*cachedPage, bool) {
	pc.mu.RLock()
	p, ok := pc.pages[key]
	pc.mu.RUnlock()
	if !ok || now.After(p.expires) {
		return nil, false
	}
	return p, true
}

func (pc *pageCache) put(key string, p *cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if len(pc.pages) >= pageCacheEntries {
		pc.pages = make(map[string]*cachedPage, pageCacheEntries)
	}
	pc.pages[key] = p
}

// anonymous reports whether the request shows what every visitor sees:
// no login (the menu names the user, organisers see drafts) and no
// message waiting to be shown once.
func anonymous(c *gin.Context) bool {
	for _, name := range []string{sessionCookie, flashCookie} {
		if v, err := c.Cookie(name); err == nil && v != "" {
			return false
		}
	}
	return c.Request.Method == http.MethodGet
}

// fromMemory serves a public page from the page cache, or renders it
// with h and keeps it when it is a plain 200 for an anonymous visitor.
func (s *Server) fromMemory(h handler) handler {
	return func(c *gin.Context) error {
		if s.cfg.PageCacheTTL == 0 || !anonymous(c) {
			return h(c)
		}
		key := c.Request.URL.RequestURI()
		if p, ok := s.pageCache.get(key, time.Now()); ok {
			p.serve(c)
			return nil
		}
		// Headers set before the page (the request's id, security headers)
		// belong to each request; the page keeps only what it set itself.
		before := c.Writer.Header().Clone()
		w := &bufferedWriter{ResponseWriter: c.Writer}
		c.Writer = w
		err := h(c)
		c.Writer = w.ResponseWriter
		if err != nil {
			return err
		}
		p := &cachedPage{status: w.Status(), body: w.body.Bytes(), expires: time.Now().Add(s.cfg.PageCacheTTL), header: http.Header{}}
		for k, v := range c.Writer.Header() {
			if !slices.Equal(before[k], v) {
				p.header[k] = slices.Clone(v)
			}
		}
		if p.status == http.StatusOK && p.header.Get("Set-Cookie") == "" {
			sum := sha256.Sum256(p.body)
			p.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
			s.pageCache.put(key, p)
		}
		p.serve(c)
		return nil
	}
}

// serve writes the page, or 304 when the browser has it already.
func (p *cachedPage) serve(c *gin.Context) {
	h := c.Writer.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if p.etag != "" {
		h.Set("ETag", p.etag)
		// Browsers ask again each time; an unchanged page costs a 304.
		h.Set("Cache-Control", "no-cache")
		if etagMatches(c.GetHeader("If-None-Match"), p.etag) {
			h.Del("Content-Type")
			h.Del("Content-Length")
			c.Writer.WriteHeader(http.StatusNotModified)
			c.Writer.WriteHeaderNow()
			return
		}
	}
	c.Writer.WriteHeader(p.status)
	_, _ = c.Writer.Write(p.body)
}

func etagMatches(header, etag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == etag || candidate == "*" {
			return true
		}
	}
	return false
}

// bufferedWriter keeps a handler's answer until it is known to be
// complete, so the ETag can go in its header.
type bufferedWriter struct {
	gin.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *bufferedWriter) WriteHeaderNow() {}
func (w *bufferedWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}
func (w *bufferedWriter) WriteString(s string) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.WriteString(s)
}
func (w *bufferedWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
func (w *bufferedWriter) Size() int     { return w.body.Len() }
func (w *bufferedWriter) Written() bool { return w.status != 0 }
