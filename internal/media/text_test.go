package media_test

import (
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/problem"
)

const sampleVTT = "\ufeffWEBVTT - Lernnetzwerk to go\r\n\r\nNOTE geprüft\r\n\r\n1\r\n00:00:01.000 --> 00:00:04.500 line:90%\r\n<v Stolz>Willkommen zum <b>Learning Nugget</b>.\r\n\r\n01:05.000 --> 01:09.250\r\nEs geht um &amp; Sinnausrichtung.\r\nZweite Zeile\r\n"

func TestCaptionsAreCheckedByContent(t *testing.T) {
	got, err := media.CheckCaptions([]byte(sampleVTT))
	if err != nil {
		t.Fatalf("a valid WebVTT file is refused: %v", err)
	}
	if !strings.HasPrefix(got, "WEBVTT - Lernnetzwerk to go\n") || strings.Contains(got, "\r") {
		t.Errorf("stored captions start %q", got[:30])
	}
	cues := media.Cues(got)
	if len(cues) != 2 {
		t.Fatalf("%d cues, want 2: %+v", len(cues), cues)
	}
	if cues[0].Start != time.Second || cues[0].End != 4500*time.Millisecond || cues[0].Text != "Willkommen zum Learning Nugget." {
		t.Errorf("first cue %+v", cues[0])
	}
	if cues[1].StartLabel() != "1:05" || cues[1].Text != "Es geht um & Sinnausrichtung. Zweite Zeile" {
		t.Errorf("second cue %+v (%s)", cues[1], cues[1].StartLabel())
	}

	for _, c := range []struct {
		name, content, message string
	}{
		{"SRT", "1\n00:00:01,000 --> 00:00:02,000\nHallo\n", "SRT-Datei"},
		{"PDF renamed to .vtt", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "keine Textdatei"},
		{"HTML", "<!DOCTYPE html><html><body>WEBVTT</body></html>", "keine Textdatei"},
		{"binary", "WEBVTT\n\n\x00\x01\x02\x03", "keine Textdatei"},
		{"Latin-1", "WEBVTT\n\n00:01.000 --> 00:02.000\nGr\xfc\xdfe\n", "UTF-8"},
		{"plain text", "Das ist nur ein Text.\n", "beginnt nicht mit „WEBVTT“"},
		{"no cues", "WEBVTT\n\nNOTE nur eine Notiz\n", "keinen einzigen Untertitel"},
		{"bad timing", "WEBVTT\n\n00:01.000 -> 00:02.000\nHallo\n", "Zeile 3"},
		{"backwards", "WEBVTT\n\n00:05.000 --> 00:02.000\nHallo\n", "Ende liegt nicht nach dem Anfang"},
		{"WEBVTTX", "WEBVTTX\n\n00:01.000 --> 00:02.000\nHallo\n", "beginnt nicht mit"},
	} {
		_, err := media.CheckCaptions([]byte(c.content))
		p, ok := problem.As(err)
		if !ok || !strings.Contains(p.Message, c.message) || p.Fields["captions"] == "" {
			t.Errorf("%s: error %v, want a message with %q and a field", c.name, err, c.message)
		}
	}
	if _, err := media.CheckCaptions([]byte("WEBVTT\n\n" + strings.Repeat("x", media.MaxTextBytes))); !problem.Is(err, problem.TooLarge) {
		t.Errorf("oversized captions: %v", err)
	}
}

func TestTranscriptIsTextOrCaptions(t *testing.T) {
	got, err := media.CheckTranscript([]byte("Stolz: Guten Tag.\r\nDeffte: Die Big-Wall-Methode …\r\n"))
	if err != nil || got != "Stolz: Guten Tag.\nDeffte: Die Big-Wall-Methode …" {
		t.Errorf("text transcript %q, %v", got, err)
	}
	got, err = media.CheckTranscript([]byte(sampleVTT))
	if err != nil || got != "Willkommen zum Learning Nugget.\nEs geht um & Sinnausrichtung. Zweite Zeile" {
		t.Errorf("transcript from captions %q, %v", got, err)
	}
	if _, err := media.CheckTranscript([]byte("%PDF-1.4\n")); !problem.Is(err, problem.UnsupportedType) {
		t.Errorf("a PDF as transcript: %v", err)
	}
}

func TestSourceAsksBeforeOtherHosts(t *testing.T) {
	own := []string{"medien.isa-muenster.de"}
	for _, c := range []struct {
		url                       string
		native, consent           bool
		platform, host, play, key string
	}{
		{"https://www.youtube.com/watch?v=abc_DEF-123&t=5", false, true, "YouTube", "www.youtube-nocookie.com", "https://www.youtube-nocookie.com/embed/abc_DEF-123", "youtube"},
		{"https://youtu.be/abc_DEF-123", false, true, "YouTube", "www.youtube-nocookie.com", "https://www.youtube-nocookie.com/embed/abc_DEF-123", "youtube"},
		{"https://vimeo.com/123456", false, true, "Vimeo", "player.vimeo.com", "https://player.vimeo.com/video/123456?dnt=1", "vimeo"},
		{"https://video.example/lnt17/input-mrosek", false, true, "video.example", "video.example", "https://video.example/lnt17/input-mrosek", "video.example"},
		{"https://video.example/podcast/folge1.mp3", true, true, "video.example", "video.example", "https://video.example/podcast/folge1.mp3", "video.example"},
		{"https://medien.isa-muenster.de/nuggets/persona.mp4", true, false, "", "", "https://medien.isa-muenster.de/nuggets/persona.mp4", ""},
		{"/medien/persona.webm", true, false, "", "", "/medien/persona.webm", ""},
		{"https://medien.isa-muenster.de/seite", false, false, "", "", "", ""},
	} {
		s := media.SourceOf(c.url, own)
		if s.Native != c.native || s.Consent != c.consent || s.Platform != c.platform || s.Host != c.host || s.PlayURL != c.play || s.Key != c.key {
			t.Errorf("%s: %+v", c.url, s)
		}
	}
	if media.FileType("https://x.example/a.MP3?x=1") != "audio/mpeg" || media.FileType("https://x.example/a.html") != "" {
		t.Error("file types")
	}
}

func TestDurations(t *testing.T) {
	for in, want := range map[string]int{"12:05": 725, "1:02:03": 3723, "45": 2700, "45 min": 2700, "": 0, " 3:00 Min. ": 180} {
		got, err := media.ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"12:75", "abc", "1:2:3:4", "-5"} {
		if _, err := media.ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	if media.FormatDuration(725) != "12:05 Min." || media.FormatDuration(3723) != "1:02:03 Std." || media.ISODuration(3723) != "PT1H2M3S" {
		t.Error("formatting durations")
	}
}
