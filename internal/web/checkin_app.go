package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// checkinShell are the files the check-in app needs besides its page and
// list; the service worker keeps them on the device.
var checkinShell = []string{"app.css", "checkin.js", "vendor/jsqr-1.4.0.min.js", "favicon.svg"}

// checkinServiceWorker is GET /host/checkin-sw.js. Its text carries a
// hash of the app's files, so a device takes a new version of them as
// soon as one is deployed (a browser updates a worker whose bytes
// changed).
func (s *Server) checkinServiceWorker(c *gin.Context) error {
	script, err := fs.ReadFile(s.Templates, "static/checkin-sw.js")
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write(script)
	quoted := make([]string, 0, len(checkinShell))
	for _, name := range checkinShell {
		data, err := fs.ReadFile(s.Templates, "static/"+name)
		if err != nil {
			return err
		}
		h.Write(data)
		quoted = append(quoted, `"/static/`+name+`"`)
	}
	version := hex.EncodeToString(h.Sum(nil))[:12]
	text := strings.NewReplacer("__VERSION__", version, `"__SHELL__"`, strings.Join(quoted, ", ")).Replace(string(script))
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", []byte(text))
	return nil
}

// checkinManifest is GET /host/events/:id/checkin/app.webmanifest: the
// check-in of one meeting installs as an app of its own on the phone.
func (s *Server) checkinManifest(c *gin.Context) error {
	ev, err := s.eventParam(c)
	if err != nil {
		return err
	}
	start := fmt.Sprintf("/host/events/%d/checkin", ev.ID)
	c.Header("Cache-Control", "no-cache")
	c.Header("Content-Type", "application/manifest+json; charset=utf-8")
	c.JSON(http.StatusOK, gin.H{
		"name":             "Check-in: " + ev.Name(),
		"short_name":       "Check-in",
		"lang":             "de",
		"id":               start,
		"start_url":        start,
		"scope":            start,
		"display":          "standalone",
		"background_color": "#ffffff",
		"theme_color":      "#0b4f6c",
		"icons":            []gin.H{{"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}},
	})
	return nil
}
