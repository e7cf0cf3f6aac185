package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/problem"
)

// uploadSlack is room for the form fields and multipart framing around
// the file in one request.
const uploadSlack = 1 << 20

// uploadTime is how long one upload may take: long enough for a large
// presentation over a slow municipal line.
const uploadTime = 15 * time.Minute

// materialForm is a multipart material form as read: the small fields and
// the file, if one came, already checked and in temporary storage.
type materialForm struct {
	Values url.Values
	Upload *archive.Upload
}

// readMaterialForm streams a multipart request: the file part goes
// straight to the file store (checked by content, cut off at the size
// limit), the other fields are read with a small limit each. Nothing is
// buffered whole in memory, and a request larger than the limit is refused
// before its body is read when it says its length.
func (s *Server) readMaterialForm(c *gin.Context) (materialForm, error) {
	form := materialForm{Values: url.Values{}}
	files := s.Archive.Files()
	limit := files.MaxBytes() + uploadSlack
	tooLarge := &problem.Error{Code: problem.TooLarge, Err: archive.ErrTooLarge,
		Message: fmt.Sprintf("Die Datei ist zu groß: erlaubt sind höchstens %d MB.", files.MaxBytes()>>20),
		Fields:  map[string]string{"file": fmt.Sprintf("Höchstens %d MB.", files.MaxBytes()>>20)}}
	if c.Request.ContentLength > limit {
		c.Header("Connection", "close")
		return form, tooLarge
	}
	// The server's read timeout is sized for forms, not for files.
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(uploadTime))
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return form, problem.New(problem.BadRequest, "Bitte senden Sie das Formular als multipart/form-data.")
	}
	fail := func(err error) (materialForm, error) {
		files.Discard(form.Upload)
		form.Upload = nil
		// Read what is left (at most up to the request limit, to nowhere)
		// so a browser still sending gets the answer instead of a reset
		// connection.
		_, _ = io.Copy(io.Discard, c.Request.Body)
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return form, tooLarge
		}
		return form, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(problem.New(problem.BadRequest, "Das Formular kam unvollständig an. Bitte versuchen Sie es noch einmal."))
		}
		name := part.FormName()
		if name == "file" && part.FileName() != "" {
			if form.Upload != nil {
				return fail(problem.New(problem.BadRequest, "Bitte laden Sie eine Datei je Material hoch."))
			}
			kind := archive.Kind(form.Values.Get("kind"))
			if !kind.IsUpload() {
				kind = "" // decided by the content
			}
			up, err := files.Receive(part, part.FileName(), kind)
			if err != nil {
				return fail(err)
			}
			form.Upload = up
			continue
		}
		if name == "file" {
			continue // the empty file input of a form without a chosen file
		}
		value, err := io.ReadAll(io.LimitReader(part, 200_001))
		if err != nil {
			return fail(err)
		}
		if len(value) > 200_000 {
			return fail(problem.Errorf(problem.BadRequest, "Das Feld „%s“ ist zu lang.", name))
		}
		form.Values.Add(name, string(value))
	}
	return form, nil
}

// contentTypeIs reports whether the request body has the media type.
func contentTypeIs(c *gin.Context, mediaType string) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && strings.EqualFold(mt, mediaType)
}
