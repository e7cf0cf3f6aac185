package archive

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for checking uploaded photos
	_ "image/png"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	_ "golang.org/x/image/webp"

	"github.com/isa-nrw/treffen/internal/problem"
)

// allowedTypes are the content types accepted per kind of upload, as
// recognised from the file's first bytes; the name a file arrives with
// says nothing.
var allowedTypes = map[Kind]map[string]string{
	Presentation: {"application/pdf": ".pdf"},
	Photo:        {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"},
}

// maxPhotoPixels refuses pictures so large that browsers struggle.
const maxPhotoPixels = 80_000_000

// FileStore keeps uploaded files on disk under random keys, below one
// directory. Files arrive as streams and are written as they come, never
// held in memory as a whole.
type FileStore struct {
	dir      string
	maxBytes int64
}

// NewFileStore uses dir, creating it when missing; maxBytes limits the
// size of one file.
func NewFileStore(dir string, maxBytes int64) (*FileStore, error) {
	if maxBytes <= 0 {
		return nil, fmt.Errorf("upload limit must be positive, is %d", maxBytes)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("upload directory: %w", err)
	}
	return &FileStore{dir: dir, maxBytes: maxBytes}, nil
}

// MaxBytes is the size limit of one file.
func (f *FileStore) MaxBytes() int64 { return f.maxBytes }

// Dir is the directory the files live in.
func (f *FileStore) Dir() string { return f.dir }

// Upload is a received and checked file, waiting in a temporary place
// until its material is stored.
type Upload struct {
	Kind        Kind // Presentation or Photo, as the content showed
	ContentType string
	Size        int64
	SHA256      string
	Width       int
	Height      int
	FileName    string // the download name, with an extension that fits the content
	ext         string
	tmp         string
}

// ErrTooLarge is wrapped by Receive when a file exceeds the limit.
var ErrTooLarge = errors.New("file too large")

// Receive streams r into a temporary file and checks it: at most the size
// limit (reading stops one byte after it), and content of a type allowed
// for kind; an empty kind takes a presentation or a photo, whichever the
// content is. name is the name the file arrived with, used only for the
// download name. The caller must Discard the upload unless a store method
// took it.
func (f *FileStore) Receive(r io.Reader, name string, kind Kind) (*Upload, error) {
	allowed, ok := allowedTypes[kind]
	if kind == "" {
		allowed, ok = map[string]string{}, true
		for _, types := range allowedTypes {
			maps.Copy(allowed, types)
		}
	}
	if !ok {
		return nil, &problem.Error{Code: problem.Invalid, Message: "Für diese Art von Material gibt es keine Datei: bitte die Adresse angeben.",
			Fields: map[string]string{"file": "Für Videos und Links wird keine Datei hochgeladen."}}
	}
	br := bufio.NewReaderSize(r, 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(head) == 0 {
		return nil, &problem.Error{Code: problem.Invalid, Message: "Die Datei ist leer.", Fields: map[string]string{"file": "Bitte wählen Sie eine Datei aus."}}
	}
	detected := http.DetectContentType(head)
	if i := strings.IndexByte(detected, ';'); i >= 0 {
		detected = detected[:i]
	}
	ext, ok := allowed[detected]
	if !ok {
		return nil, unsupported(kind, detected)
	}
	if kind == "" {
		kind = Presentation
		if _, photo := allowedTypes[Photo][detected]; photo {
			kind = Photo
		}
	}
	tmp, err := os.CreateTemp(filepath.Join(f.dir, ".tmp"), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	u := &Upload{Kind: kind, ContentType: detected, ext: ext, tmp: tmp.Name(), FileName: downloadName(name, ext)}
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, hash), io.LimitReader(br, f.maxBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		f.Discard(u)
		return nil, fmt.Errorf("store upload: %w", err)
	case n > f.maxBytes:
		f.Discard(u)
		return nil, &problem.Error{Code: problem.TooLarge, Err: ErrTooLarge,
			Message: fmt.Sprintf("Die Datei ist zu groß: erlaubt sind höchstens %s.", megabytes(f.maxBytes)),
			Fields:  map[string]string{"file": fmt.Sprintf("Höchstens %s.", megabytes(f.maxBytes))}}
	}
	u.Size, u.SHA256 = n, hex.EncodeToString(hash.Sum(nil))
	if kind == Photo {
		if err := u.readDimensions(); err != nil {
			f.Discard(u)
			return nil, err
		}
	}
	return u, nil
}

func (u *Upload) readDimensions() error {
	file, err := os.Open(u.tmp)
	if err != nil {
		return fmt.Errorf("check photo: %w", err)
	}
	defer file.Close()
	cfg, _, err := image.DecodeConfig(file)
	if err != nil {
		return &problem.Error{Code: problem.UnsupportedType, Err: err,
			Message: "Das Bild lässt sich nicht lesen; es ist beschädigt oder unvollständig.",
			Fields:  map[string]string{"file": "Bitte laden Sie das Foto als JPEG, PNG oder WebP erneut hoch."}}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPhotoPixels {
		return &problem.Error{Code: problem.UnsupportedType,
			Message: fmt.Sprintf("Das Bild ist mit %d × %d Pixeln zu groß; bitte verkleinern Sie es.", cfg.Width, cfg.Height),
			Fields:  map[string]string{"file": "Bitte verkleinern Sie das Foto."}}
	}
	u.Width, u.Height = cfg.Width, cfg.Height
	return nil
}

func unsupported(kind Kind, detected string) error {
	want := "eine PDF-Datei"
	switch kind {
	case Photo:
		want = "ein Foto im Format JPEG, PNG oder WebP"
	case "":
		want = "eine PDF-Datei oder ein Foto (JPEG, PNG, WebP)"
	}
	return &problem.Error{Code: problem.UnsupportedType,
		Message: fmt.Sprintf("Die Datei ist nicht %s (ihr Inhalt wurde als %s erkannt). Der Dateiname zählt dabei nicht.", want, describeType(detected)),
		Fields:  map[string]string{"file": fmt.Sprintf("Bitte wählen Sie %s.", want)}}
}

func describeType(ct string) string {
	switch {
	case ct == "application/octet-stream":
		return "unbekannte Binärdaten, etwa ein Programm"
	case strings.HasPrefix(ct, "text/"):
		return "Text (" + ct + ")"
	}
	return ct
}

func megabytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
}

// Discard removes the temporary file of an upload that is not kept.
func (f *FileStore) Discard(u *Upload) {
	if u != nil && u.tmp != "" {
		_ = os.Remove(u.tmp)
		u.tmp = ""
	}
}

// keep moves the upload to its final place and returns its key.
func (f *FileStore) keep(u *Upload, now time.Time) (string, error) {
	if u.tmp == "" {
		return "", errors.New("upload already kept or discarded")
	}
	var random [16]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", err
	}
	key := path.Join(now.UTC().Format("2006"), hex.EncodeToString(random[:])+u.ext)
	target := f.path(key)
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return "", fmt.Errorf("keep upload: %w", err)
	}
	if err := os.Rename(u.tmp, target); err != nil {
		return "", fmt.Errorf("keep upload: %w", err)
	}
	u.tmp = ""
	return key, nil
}

func (f *FileStore) path(key string) string { return filepath.Join(f.dir, filepath.FromSlash(key)) }

// validKey guards against keys that would leave the directory.
func validKey(key string) bool {
	return key != "" && !strings.Contains(key, "..") && !strings.HasPrefix(key, "/") && !strings.HasPrefix(key, ".")
}

// Open opens a stored file for reading.
func (f *FileStore) Open(key string) (*os.File, error) {
	if !validKey(key) {
		return nil, fs.ErrNotExist
	}
	return os.Open(f.path(key))
}

// remove deletes a stored file; a missing file is no error.
func (f *FileStore) remove(key string) error {
	if !validKey(key) {
		return nil
	}
	if err := os.Remove(f.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// sweep removes files older than cutoff that keep does not know, and
// temporary files of uploads that never finished.
func (f *FileStore) sweep(known func(key string) bool, cutoff time.Time) (int, error) {
	removed := 0
	err := filepath.WalkDir(f.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return err
		}
		rel, err := filepath.Rel(f.dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if strings.HasPrefix(key, ".tmp/") || !known(key) {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			removed++
		}
		return nil
	})
	return removed, err
}

// downloadName makes the name a file is offered under: the base name the
// file arrived with, without control characters or path parts, ending in
// the extension of its real type.
func downloadName(name, ext string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	base := strings.TrimSuffix(name, filepath.Ext(name))
	if utf8.RuneCountInString(base) > 120 {
		base = string([]rune(base)[:120])
	}
	base = strings.Trim(base, ". ")
	if base == "" {
		base = "datei"
	}
	return base + ext
}
