package archive_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/archive"
	"github.com/isa-nrw/treffen/internal/problem"
)

// tinyPDF is the start of a real PDF file; the type check reads content.
const tinyPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// elfHeader starts every Linux executable.
var elfHeader = append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, bytes.Repeat([]byte{0}, 200)...)

func pngPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{R: 200, G: 30, B: 40, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newFiles(t *testing.T, max int64) *archive.FileStore {
	t.Helper()
	f, err := archive.NewFileStore(filepath.Join(t.TempDir(), "uploads"), max)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// storedFiles lists every file below dir, temporary ones included.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReceiveChecksContentNotName(t *testing.T) {
	files := newFiles(t, 1<<20)
	cases := []struct {
		name, file string
		kind       archive.Kind
		content    []byte
		code       problem.Code // "" accepted
		wantType   string
	}{
		{"pdf", "Präsentation Mrosek.pdf", archive.Presentation, []byte(tinyPDF), "", "application/pdf"},
		{"renamed executable", "vortrag.pdf", archive.Presentation, elfHeader, problem.UnsupportedType, ""},
		{"windows program named pdf", "folien.pdf", archive.Presentation, append([]byte("MZ\x90\x00"), make([]byte, 300)...), problem.UnsupportedType, ""},
		{"html named pdf", "x.pdf", archive.Presentation, []byte("<html><script>alert(1)</script></html>"), problem.UnsupportedType, ""},
		{"png as photo", "foto.jpg", archive.Photo, pngPhoto(t, 40, 30), "", "image/png"},
		{"pdf as photo", "foto.jpg", archive.Photo, []byte(tinyPDF), problem.UnsupportedType, ""},
		{"truncated png", "foto.png", archive.Photo, pngPhoto(t, 40, 30)[:20], problem.UnsupportedType, ""},
		{"empty", "leer.pdf", archive.Presentation, nil, problem.Invalid, ""},
		{"file for a link", "x.pdf", archive.Link, []byte(tinyPDF), problem.Invalid, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			up, err := files.Receive(bytes.NewReader(tc.content), tc.file, tc.kind)
			if tc.code != "" {
				if !problem.Is(err, tc.code) {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				pe, _ := problem.As(err)
				if pe.Fields["file"] == "" || !strings.Contains(pe.Message, " ") {
					t.Fatalf("no German message for the field: %+v", pe)
				}
				if left := storedFiles(t, files.Dir()); len(left) != 0 {
					t.Fatalf("refused upload left files: %v", left)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer files.Discard(up)
			if up.ContentType != tc.wantType || up.Size != int64(len(tc.content)) || len(up.SHA256) != 64 {
				t.Fatalf("upload %+v", up)
			}
		})
	}
}

func TestReceivePhotoDimensionsAndDownloadName(t *testing.T) {
	files := newFiles(t, 1<<20)
	up, err := files.Receive(bytes.NewReader(pngPhoto(t, 64, 48)), `C:\Fotos\..\Gruppenbild "Köln".JPG`, archive.Photo)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Discard(up)
	if up.Width != 64 || up.Height != 48 {
		t.Fatalf("dimensions %dx%d", up.Width, up.Height)
	}
	// The extension follows the content (a PNG), path parts and quotes go.
	if up.FileName != "Gruppenbild Köln.png" {
		t.Fatalf("download name %q", up.FileName)
	}
}

// endless counts what the server side read of a never-ending upload.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	copy(p, tinyPDF)
	for i := len(tinyPDF); i < len(p); i++ {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestOversizedFileIsRefusedWithoutFillingTheDisk(t *testing.T) {
	const limit = 256 << 10
	files := newFiles(t, limit)
	src := &endless{}
	_, err := files.Receive(src, "riesig.pdf", archive.Presentation)
	if !problem.Is(err, problem.TooLarge) || !errors.Is(err, archive.ErrTooLarge) {
		t.Fatalf("got %v, want too large", err)
	}
	pe, _ := problem.As(err)
	if !strings.Contains(pe.Message, "höchstens 256 KB") {
		t.Fatalf("message does not name the limit: %q", pe.Message)
	}
	// Reading stopped right after the limit: the stream is endless.
	if src.read > limit+64<<10 {
		t.Fatalf("read %d bytes of an endless stream with a limit of %d", src.read, limit)
	}
	if left := storedFiles(t, files.Dir()); len(left) != 0 {
		t.Fatalf("refused upload left files: %v", left)
	}
	// Exactly at the limit is fine.
	exact := append([]byte(tinyPDF), bytes.Repeat([]byte("x"), limit-len(tinyPDF))...)
	up, err := files.Receive(bytes.NewReader(exact), "genau.pdf", archive.Presentation)
	if err != nil {
		t.Fatalf("file of exactly the limit: %v", err)
	}
	files.Discard(up)
}
