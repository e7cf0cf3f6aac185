package media

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/problem"
)

// Cue is one caption: what is said from Start to End.
type Cue struct {
	Start time.Duration
	End   time.Duration
	Text  string // without markup, lines joined by spaces
}

// StartLabel is the start as "1:05" or "1:02:03", for a transcript.
func (c Cue) StartLabel() string {
	sec := int(c.Start / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// Seconds is the start in seconds, for a player to jump to.
func (c Cue) Seconds() float64 { return c.Start.Seconds() }

var (
	timingLine = regexp.MustCompile(`^((?:\d{2,}:)?\d{2}:\d{2}\.\d{3})[ \t]+-->[ \t]+((?:\d{2,}:)?\d{2}:\d{2}\.\d{3})(?:[ \t].*)?$`)
	srtTiming  = regexp.MustCompile(`^\d{2}:\d{2}:\d{2},\d{3}[ \t]+-->`)
	cueTags    = regexp.MustCompile(`<[^>]*>`)
)

func invalidText(field, message, hint string) error {
	return &problem.Error{Code: problem.UnsupportedType, Message: message, Fields: map[string]string{field: hint}}
}

// readableText checks that b is text people can read: not too large,
// UTF-8, no control characters but line breaks and tabs. It returns the
// text with a byte-order mark removed and line ends as "\n".
func readableText(b []byte, field, what string) (string, error) {
	if len(b) > MaxTextBytes {
		return "", &problem.Error{Code: problem.TooLarge,
			Message: fmt.Sprintf("%s ist zu groß: erlaubt sind höchstens %d MB.", what, MaxTextBytes>>20),
			Fields:  map[string]string{field: fmt.Sprintf("Höchstens %d MB.", MaxTextBytes>>20)}}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if ct := http.DetectContentType(b); !strings.HasPrefix(ct, "text/plain") && len(b) > 0 {
		return "", invalidText(field,
			fmt.Sprintf("%s ist keine Textdatei (ihr Inhalt wurde als %s erkannt). Der Dateiname zählt dabei nicht.", what, strings.SplitN(ct, ";", 2)[0]),
			"Bitte eine Textdatei (UTF-8) wählen.")
	}
	if !utf8.Valid(b) {
		return "", invalidText(field, what+" ist nicht in UTF-8 kodiert.", "Bitte die Datei als UTF-8 speichern und erneut hochladen.")
	}
	s := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n")
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }); i >= 0 {
		return "", invalidText(field, what+" enthält Steuerzeichen und ist wohl keine Textdatei.", "Bitte eine Textdatei (UTF-8) wählen.")
	}
	return s, nil
}

// CheckCaptions checks that b is a WebVTT file (by its content, not its
// name): the WEBVTT signature and cues with valid times. It returns the
// file as it will be served.
func CheckCaptions(b []byte) (string, error) {
	s, err := readableText(b, "captions", "Die Untertiteldatei")
	if err != nil {
		return "", err
	}
	lines := strings.Split(s, "\n")
	first := lines[0]
	if first != "WEBVTT" && !strings.HasPrefix(first, "WEBVTT ") && !strings.HasPrefix(first, "WEBVTT\t") {
		for _, l := range lines[:min(len(lines), 4)] {
			if srtTiming.MatchString(l) {
				return "", invalidText("captions", "Das ist eine SRT-Datei, keine WebVTT-Datei. Browser zeigen nur WebVTT an.",
					"Bitte die Untertitel als WebVTT (.vtt) exportieren; die meisten Programme bieten das an.")
			}
		}
		return "", invalidText("captions", "Die Datei ist keine WebVTT-Untertiteldatei: sie beginnt nicht mit „WEBVTT“.",
			"Bitte eine Untertiteldatei im Format WebVTT (.vtt) wählen.")
	}
	cues, err := parseCues(lines)
	if err != nil {
		return "", err
	}
	if len(cues) == 0 {
		return "", invalidText("captions", "Die Untertiteldatei enthält keinen einzigen Untertitel.", "Bitte die vollständige WebVTT-Datei wählen.")
	}
	return strings.TrimRight(s, "\n") + "\n", nil
}

// Cues reads the captions of a checked WebVTT text; nil when there are
// none.
func Cues(vtt string) []Cue {
	if vtt == "" {
		return nil
	}
	cues, _ := parseCues(strings.Split(vtt, "\n"))
	return cues
}

// parseCues reads the cue blocks after the header; a timing line that is
// malformed or runs backwards is an error naming its line.
func parseCues(lines []string) ([]Cue, error) {
	var out []Cue
	i := 1
	for i < len(lines) && lines[i] != "" { // header lines
		i++
	}
	for i < len(lines) {
		if lines[i] == "" {
			i++
			continue
		}
		start := i
		for i < len(lines) && lines[i] != "" {
			i++
		}
		block := lines[start:i]
		head := strings.TrimSpace(block[0])
		if head == "NOTE" || strings.HasPrefix(head, "NOTE ") || head == "STYLE" || head == "REGION" {
			continue
		}
		t := 0
		if !strings.Contains(block[0], "-->") && len(block) > 1 && strings.Contains(block[1], "-->") {
			t = 1 // a cue identifier
		}
		m := timingLine.FindStringSubmatch(strings.TrimSpace(block[t]))
		if m == nil {
			return nil, invalidText("captions", fmt.Sprintf("Zeile %d der Untertiteldatei ist keine gültige Zeitangabe: „%s“.", start+t+1, shortLine(block[t])),
				"Zeitangaben haben die Form 00:01:02.500 --> 00:01:05.000.")
		}
		from, okFrom := vttTime(m[1])
		to, okTo := vttTime(m[2])
		if !okFrom || !okTo || to <= from {
			return nil, invalidText("captions", fmt.Sprintf("Zeile %d der Untertiteldatei: das Ende liegt nicht nach dem Anfang.", start+t+1),
				"Bitte die Zeiten der Untertitel prüfen.")
		}
		text := cueTags.ReplaceAllString(strings.Join(block[t+1:], " "), "")
		text = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", " ").Replace(text)
		out = append(out, Cue{Start: from, End: to, Text: strings.Join(strings.Fields(text), " ")})
	}
	return out, nil
}

// vttTime reads "01:02.500" or "1:01:02.500".
func vttTime(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	var total time.Duration
	for i, p := range parts {
		if i == len(parts)-1 {
			sec, frac, _ := strings.Cut(p, ".")
			n, err1 := strconv.Atoi(sec)
			ms, err2 := strconv.Atoi(frac)
			if err1 != nil || err2 != nil || n >= 60 {
				return 0, false
			}
			total = total*60 + time.Duration(n)*time.Second + time.Duration(ms)*time.Millisecond
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || (i > 0 && n >= 60) {
			return 0, false
		}
		total = total*60 + time.Duration(n)*time.Second
	}
	return total, true
}

func shortLine(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

// CheckTranscript checks that b is a readable text and returns it. A
// WebVTT file is accepted too: its spoken text becomes the transcript.
func CheckTranscript(b []byte) (string, error) {
	s, err := readableText(b, "transcript", "Das Transkript")
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(s, "WEBVTT") {
		if _, err := CheckCaptions([]byte(s)); err == nil {
			var lines []string
			for _, c := range Cues(s) {
				lines = append(lines, c.Text)
			}
			s = strings.Join(lines, "\n")
		}
	}
	return strings.TrimSpace(s), nil
}
