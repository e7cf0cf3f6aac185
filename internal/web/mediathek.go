package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

var errMediaParticipantsOnly = problem.New(problem.Forbidden,
	"Dieser Beitrag ist nur für Teilnehmende der Veranstaltung: Sie erreichen ihn über den persönlichen Link aus Ihrer Anmeldebestätigung.")

// mediaQuery reads the Mediathek's search and filters from the address;
// values that do not parse are ignored, as a filter that selects
// nothing would only puzzle.
func mediaQuery(c *gin.Context) media.Query {
	q := media.Query{Text: strings.TrimSpace(c.Query("q")), Topic: strings.TrimSpace(c.Query("thema"))}
	if r := []rune(q.Text); len(r) > 200 {
		q.Text = string(r[:200])
	}
	q.SeriesID, _ = strconv.ParseInt(c.Query("reihe"), 10, 64)
	if q.SeriesID < media.NoSeries {
		q.SeriesID = 0
	}
	q.Year, _ = strconv.Atoi(c.Query("jahr"))
	q.EventID, _ = strconv.ParseInt(c.Query("treffen"), 10, 64)
	q.Year, q.EventID = max(q.Year, 0), max(q.EventID, 0)
	return q
}

// mediathekPage lists the public items in their series, newest first,
// with search and filters.
func (s *Server) mediathekPage(c *gin.Context) error {
	ctx := c.Request.Context()
	q := mediaQuery(c)
	found, err := s.Media.Search(ctx, q, false)
	if err != nil {
		return err
	}
	topics, err := s.Media.Topics(ctx, false)
	if err != nil {
		return err
	}
	hits, items, series := found.Hits, found.Items, found.Series
	searching := q != (media.Query{})
	var sections []mediaSection
	for _, sec := range media.Sections(hits, series) {
		v := mediaSection{Section: sec, Shown: sec.Hits}
		// Unfiltered, each series shows its newest items and links to all.
		if !searching && len(sec.Hits) > seriesPreview {
			v.Shown = sec.Hits[:seriesPreview]
			v.All = "/mediathek?reihe=" + strconv.FormatInt(sec.Series.ID, 10)
			if sec.Series.ID == 0 {
				v.All = "/mediathek?reihe=" + strconv.FormatInt(media.NoSeries, 10)
			}
		}
		sections = append(sections, v)
	}
	return s.html(c, http.StatusOK, "mediathek.html", "Mediathek", gin.H{
		"Sections": sections, "Query": q, "Series": series, "Topics": topics,
		"Years": media.Years(items), "Meetings": media.Meetings(items), "NoSeries": media.NoSeries,
		"Count": len(hits), "Total": len(items), "Searching": searching,
	})
}

// seriesPreview is how many items of a series the unfiltered Mediathek
// shows; a link leads to all.
const seriesPreview = 6

// mediaSection is a series as the Mediathek page shows it.
type mediaSection struct {
	media.Section
	Shown []media.Hit // the hits shown
	All   string      // where all are, when not all are shown
}

// watchedMedia loads the item :mid for a visitor who may see it.
func (s *Server) watchedMedia(c *gin.Context) (media.Item, error) {
	it, err := s.mediaParam(c)
	if err == nil {
		err = s.mayWatch(c, it)
	}
	return it, err
}

// linkedMedia loads the item :mid for the manage link :token; the
// answer is private to the link's owner.
func (s *Server) linkedMedia(c *gin.Context) (media.Item, error) {
	c.Header("Cache-Control", "private, no-store")
	it, err := s.mediaParam(c)
	if err == nil {
		err = s.participantMayWatch(c, it)
	}
	return it, err
}

// mayWatch checks that the visitor may see it: anyone a public item, the
// meeting's team a participant-only one.
func (s *Server) mayWatch(c *gin.Context, it media.Item) error {
	if it.Visibility == media.Public {
		return nil
	}
	if isOrganiser(c) || (it.EventID != nil && s.canSeeAll(c, *it.EventID)) {
		return nil
	}
	return errMediaParticipantsOnly
}

func (s *Server) mediaItemPage(c *gin.Context) error {
	it, err := s.watchedMedia(c)
	if err != nil {
		return err
	}
	return s.renderMediaItem(c, it, "")
}

// manageMediaItem shows a participant-only item to a confirmed
// participant of its meeting, through the manage link.
func (s *Server) manageMediaItem(c *gin.Context) error {
	it, err := s.linkedMedia(c)
	if err != nil {
		return err
	}
	return s.renderMediaItem(c, it, c.Param("token"))
}

// participantMayWatch checks the manage link of :token against it.
func (s *Server) participantMayWatch(c *gin.Context, it media.Item) error {
	if it.Visibility == media.Public {
		return nil
	}
	reg, err := s.Registrations.ByToken(c.Request.Context(), c.Param("token"))
	if err != nil {
		return err
	}
	if it.EventID == nil || reg.EventID != *it.EventID {
		return errMediaParticipantsOnly
	}
	if reg.Status != registration.Confirmed {
		return problem.New(problem.Forbidden, "Die Beiträge für Teilnehmende stehen nur bestätigten Anmeldungen offen.")
	}
	return nil
}

// mediaItemView is an item as its page shows it.
type mediaItemView struct {
	media.Item
	Source       media.Source
	Series       string      // the series' title
	Cues         []media.Cue // the captions, for the transcript with times
	CaptionsHref string
	FileType     string // content type of a file played natively
	Loaded       bool   // the player is in the page: no consent needed, or given by this request
	Remember     bool   // the visitor asked to remember the consent
	Href         string // this page
}

// Element is the player element of a file: "video" or "audio".
func (v mediaItemView) Element() string {
	if v.Kind.HasPicture() {
		return "video"
	}
	return "audio"
}

func (s *Server) renderMediaItem(c *gin.Context, it media.Item, token string) error {
	ctx := c.Request.Context()
	v := mediaItemView{Item: it, Source: media.SourceOf(it.URL, s.cfg.OwnMediaHosts()), Cues: media.Cues(it.Captions),
		FileType: media.FileType(it.URL), Href: mediaHref(it, token)}
	if it.HasCaptions() {
		v.CaptionsHref = v.Href + "/untertitel.vtt"
	}
	// Without scripts the consent is the form's GET with laden=1: the
	// page comes back with the player in it.
	v.Loaded = !v.Source.Consent || c.Query("laden") == "1"
	if it.SeriesID != nil {
		series, err := s.Media.OneSeries(ctx, *it.SeriesID)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		v.Series = series.Title
	}
	allowMediaSource(c, v.Source)
	title := it.Title
	return s.html(c, http.StatusOK, "media_item.html", title, gin.H{"Item": v, "Token": token})
}

// mediaHref is where an item's page is: in the Mediathek, or through the
// manage link for a participant-only item seen by a participant.
func mediaHref(it media.Item, token string) string {
	if token != "" && it.Visibility == media.Participants {
		return "/manage/" + url.PathEscape(token) + "/mediathek/" + strconv.FormatInt(it.ID, 10)
	}
	return "/mediathek/" + strconv.FormatInt(it.ID, 10)
}

// allowMediaSource lets this page's policy load the player from the
// item's host; what the page loads before consent is up to the page,
// which keeps the player inert until then.
func allowMediaSource(c *gin.Context, src media.Source) {
	u, err := url.Parse(src.PlayURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return
	}
	origin := u.Scheme + "://" + u.Host
	csp := c.Writer.Header().Get("Content-Security-Policy")
	if src.Native {
		csp = strings.Replace(csp, "default-src 'self';", "default-src 'self'; media-src 'self' "+origin+";", 1)
	} else {
		csp = strings.Replace(csp, "frame-src 'self';", "frame-src 'self' "+origin+";", 1)
	}
	c.Header("Content-Security-Policy", csp)
}

// mediaCaptions serves an item's captions as WebVTT for its player.
func (s *Server) mediaCaptions(c *gin.Context) error {
	it, err := s.watchedMedia(c)
	if err != nil {
		return err
	}
	return serveCaptions(c, it)
}

func (s *Server) manageMediaCaptions(c *gin.Context) error {
	it, err := s.linkedMedia(c)
	if err != nil {
		return err
	}
	return serveCaptions(c, it)
}

func serveCaptions(c *gin.Context, it media.Item) error {
	if !it.HasCaptions() {
		return problem.New(problem.NotFound, "Zu diesem Beitrag gibt es keine Untertitel.")
	}
	c.Data(http.StatusOK, "text/vtt; charset=utf-8", []byte(it.Captions))
	return nil
}
