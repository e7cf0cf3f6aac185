package media

import (
	"net/url"
	"path"
	"strings"
)

// Source is how an item is played: from a file in the page's own
// player, or in a platform's player embedded in the page. Either may
// need the visitor's consent first, when it would send a request to a
// server not run by the organisation.
type Source struct {
	// Native plays the file in a <video> or <audio> element.
	Native bool
	// Consent says that playing sends data to another operator: the
	// page shows a preview and loads nothing before the visitor agrees.
	Consent bool
	// Platform names the operator for people: "YouTube", "Vimeo" or the
	// host ("video.example").
	Platform string
	// Key identifies the operator in a remembered consent ("youtube").
	Key string
	// Host is where the player's requests go after consent.
	Host string
	// PlayURL is the file (Native) or the player page to embed.
	PlayURL string
	// PageURL is the item's page at the operator, for "open there".
	PageURL string
}

// fileTypes are the extensions of media files a browser plays itself.
var fileTypes = map[string]string{
	".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".opus": "audio/ogg", ".wav": "audio/wav", ".flac": "audio/flac",
}

// FileType is the content type of a media file address ("video/mp4"), ""
// when the address is no media file.
func FileType(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return ""
	}
	return fileTypes[strings.ToLower(path.Ext(u.Path))]
}

// validAddress accepts an absolute http(s) address or a path on this
// server, without whitespace or control characters.
func validAddress(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if u.Scheme == "" && u.Host == "" {
		return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")
	}
	return (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// SourceOf says how the item at address is played. ownHosts are the
// hosts run by the organisation (the site's own among them): files there
// play without asking; everything else asks first.
func SourceOf(address string, ownHosts []string) Source {
	u, err := url.Parse(address)
	if err != nil {
		return Source{Consent: true, PageURL: address}
	}
	host := strings.ToLower(u.Hostname())
	src := Source{PageURL: address, PlayURL: address, Host: host}
	if id := youTubeID(u); id != "" {
		src.Platform, src.Key, src.Consent = "YouTube", "youtube", true
		// The privacy-enhanced domain sets no cookies until the video plays.
		src.Host = "www.youtube-nocookie.com"
		src.PlayURL = "https://www.youtube-nocookie.com/embed/" + url.PathEscape(id)
		src.PageURL = "https://www.youtube.com/watch?v=" + url.QueryEscape(id)
		return src
	}
	if id := vimeoID(u); id != "" {
		src.Platform, src.Key, src.Consent = "Vimeo", "vimeo", true
		src.Host = "player.vimeo.com"
		src.PlayURL = "https://player.vimeo.com/video/" + url.PathEscape(id) + "?dnt=1"
		return src
	}
	src.Native = FileType(address) != ""
	own := host == "" // a path on this server
	for _, h := range ownHosts {
		if strings.EqualFold(h, host) {
			own = true
		}
	}
	if own {
		src.Platform, src.Key, src.Host = "", "", ""
		if !src.Native {
			// A page on an own server is opened, not embedded: it may
			// not allow framing, and it needs no consent.
			src.PlayURL = ""
		}
		return src
	}
	src.Consent = true
	src.Platform = strings.TrimPrefix(host, "www.")
	src.Key = src.Platform
	return src
}

// youTubeID is the video id of a YouTube address, "" for other addresses.
func youTubeID(u *url.URL) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	host = strings.TrimPrefix(host, "m.")
	switch host {
	case "youtu.be":
		return cleanID(strings.Trim(u.Path, "/"))
	case "youtube.com", "youtube-nocookie.com":
		if v := u.Query().Get("v"); v != "" {
			return cleanID(v)
		}
		for _, prefix := range []string{"/embed/", "/shorts/", "/live/", "/v/"} {
			if rest, ok := strings.CutPrefix(u.Path, prefix); ok {
				return cleanID(strings.Trim(rest, "/"))
			}
		}
	}
	return ""
}

// vimeoID is the number of a Vimeo video, "" for other addresses.
func vimeoID(u *url.URL) string {
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host != "vimeo.com" && host != "player.vimeo.com" {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	id := parts[len(parts)-1]
	for _, r := range id {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return id
}

// cleanID keeps an id only when it has the characters ids have.
func cleanID(id string) string {
	if id == "" || len(id) > 64 {
		return ""
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return id
}
