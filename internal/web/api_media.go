package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
)

// mediaBody is a Mediathek item in the API. Lists leave the transcript
// and captions out (has_transcript and has_captions say whether they
// exist); one item has them.
type mediaBody struct {
	media.Item
	HasTranscript bool   `json:"has_transcript"`
	HasCaptions   bool   `json:"has_captions"`
	PageURL       string `json:"page_url"`
	Excerpt       string `json:"excerpt,omitempty"` // where only the transcript has the words searched
}

func (s *Server) mediaBodyOf(it media.Item, full bool) mediaBody {
	b := mediaBody{Item: it, HasTranscript: it.HasTranscript(), HasCaptions: it.HasCaptions(),
		PageURL: s.cfg.BaseURL + "/mediathek/" + itoa(it.ID)}
	if b.Speakers == nil {
		b.Speakers = []media.Speaker{}
	}
	if b.Topics == nil {
		b.Topics = []string{}
	}
	if !full {
		b.Transcript, b.Captions = "", ""
	}
	return b
}

// seesAllMedia tells whether the caller may see items only for
// participants: organisers may.
func seesAllMedia(c *gin.Context) bool {
	u, ok := currentUser(c)
	return ok && u.Role == account.Organiser
}

// apiMediaQuery reads the list's filters from the query string.
func apiMediaQuery(c *gin.Context) (media.Query, error) {
	var bad problem.Validation
	q := media.Query{Text: c.Query("q"), Topic: strings.TrimSpace(c.Query("topic"))}
	number := func(key string) int64 {
		s := strings.TrimSpace(c.Query(key))
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			bad.Add(key, "Bitte eine positive ganze Zahl angeben.")
		}
		return n
	}
	if c.Query("series") == "none" {
		q.SeriesID = media.NoSeries
	} else {
		q.SeriesID = number("series")
	}
	q.Year, q.EventID = int(number("year")), number("event")
	return q, bad.Err()
}

func (s *Server) apiMedia(c *gin.Context) error {
	q, err := apiMediaQuery(c)
	if err != nil {
		return err
	}
	found, err := s.Media.Search(c.Request.Context(), q, seesAllMedia(c))
	if err != nil {
		return err
	}
	hits := found.Hits
	out := make([]mediaBody, len(hits))
	for i, h := range hits {
		out[i] = s.mediaBodyOf(h.Item, false)
		out[i].Excerpt = h.Excerpt
	}
	c.JSON(http.StatusOK, newList(out))
	return nil
}

// visibleMedia loads the item :mid; an item only for participants is
// not found for anyone but organisers, so its existence does not show.
func (s *Server) visibleMedia(c *gin.Context) (media.Item, error) {
	it, err := s.mediaParam(c)
	if err == nil && it.Visibility != media.Public && !seesAllMedia(c) {
		err = media.ErrNotFound
	}
	return it, err
}

func (s *Server) apiMediaItem(c *gin.Context) error {
	it, err := s.visibleMedia(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.mediaBodyOf(it, true))
	return nil
}

// mediaInputJSON reads an item from the body. Captions that are no
// WebVTT are refused as unsupported (415), as an upload would be.
func mediaInputJSON(c *gin.Context) (media.Input, error) {
	var in media.Input
	if err := decodeJSON(c, &in); err != nil {
		return in, err
	}
	if in.Captions != nil && strings.TrimSpace(*in.Captions) != "" {
		if _, err := media.CheckCaptions([]byte(*in.Captions)); err != nil {
			return in, err
		}
	}
	return in, nil
}

func (s *Server) apiMediaCreate(c *gin.Context) error {
	in, err := mediaInputJSON(c)
	if err != nil {
		return err
	}
	it, err := s.Media.CreateItem(c.Request.Context(), in)
	if err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaAdded, "media_item", it.ID, it.EventID, it.Title+" (API)")
	c.Header("Location", "/api/v1/media/"+itoa(it.ID))
	c.JSON(http.StatusCreated, s.mediaBodyOf(it, true))
	return nil
}

func (s *Server) apiMediaUpdate(c *gin.Context) error {
	it, err := s.mediaParam(c)
	if err != nil {
		return err
	}
	in, err := mediaInputJSON(c)
	if err != nil {
		return err
	}
	if it, err = s.Media.UpdateItem(c.Request.Context(), it.ID, in); err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaChanged, "media_item", it.ID, it.EventID, it.Title+" (API)")
	c.JSON(http.StatusOK, s.mediaBodyOf(it, true))
	return nil
}

func (s *Server) apiMediaDelete(c *gin.Context) error {
	it, err := s.mediaParam(c)
	if err != nil {
		return err
	}
	if _, err := s.Media.DeleteItem(c.Request.Context(), it.ID); err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaDeleted, "media_item", it.ID, it.EventID, it.Title+" (API)")
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) apiMaterialAdopt(c *gin.Context) error {
	it, err := s.adoptMaterial(c)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/media/"+itoa(it.ID))
	c.JSON(http.StatusCreated, s.mediaBodyOf(it, true))
	return nil
}

func (s *Server) apiMediaSeries(c *gin.Context) error {
	series, err := s.Media.Series(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newList(series))
	return nil
}

func (s *Server) apiMediaOneSeries(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, sr)
	return nil
}

func (s *Server) apiMediaSeriesCreate(c *gin.Context) error {
	var in media.SeriesInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sr, err := s.Media.CreateSeries(c.Request.Context(), in)
	if err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaSeriesSaved, "media_series", sr.ID, nil, sr.Title+" (API)")
	c.Header("Location", "/api/v1/media-series/"+itoa(sr.ID))
	c.JSON(http.StatusCreated, sr)
	return nil
}

func (s *Server) apiMediaSeriesUpdate(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	var in media.SeriesInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if sr, err = s.Media.UpdateSeries(c.Request.Context(), sr.ID, in); err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaSeriesSaved, "media_series", sr.ID, nil, sr.Title+" (API)")
	c.JSON(http.StatusOK, sr)
	return nil
}

func (s *Server) apiMediaSeriesDelete(c *gin.Context) error {
	sr, err := s.seriesParam(c)
	if err != nil {
		return err
	}
	n, err := s.Media.DeleteSeries(c.Request.Context(), sr.ID)
	if err != nil {
		return err
	}
	s.recordMedia(c, audit.MediaSeriesDeleted, "media_series", sr.ID, nil, sr.Title+" (API)")
	c.JSON(http.StatusOK, gin.H{"released_items": n})
	return nil
}
