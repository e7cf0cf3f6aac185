package media

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/collate"
)

// Query narrows the Mediathek; zero fields match everything.
type Query struct {
	Text     string // words that must all occur (case and umlauts ignored)
	SeriesID int64  // only this series; NoSeries for items outside any
	Topic    string // only items with this topic (case ignored)
	Year     int    // only items recorded in this year
	EventID  int64  // only items of this meeting
}

// NoSeries selects the items that belong to no series.
const NoSeries int64 = -1

// Hit is an item that matched a query, with where the words were found
// when only its transcript has them.
type Hit struct {
	Item
	Excerpt  string // a passage of the transcript with the words, "" when not needed
	inSpoken bool   // a word was found only in what is said
}

// Search returns the items matching q, newest first (see Sort). A word
// matches with case and accents ignored, and with ae, oe, ue standing for
// ä, ö, ü on either side, in the title, description, series, speakers,
// topics, meeting and what is said (transcript or captions). series names
// the series by id. Store.Search does the same without holding the
// transcripts.
func Search(items []Item, q Query, series map[int64]string) []Hit {
	hits := search(items, q, series, func(w searchWord, _ int, it *Item) bool {
		if it.SpokenKey == "" {
			it.index()
		}
		return w.in(it.SpokenKey, it.SpokenTranscribed)
	})
	words := searchWords(q.Text)
	for i := range hits {
		if hits[i].inSpoken {
			hits[i].Excerpt = excerpt(hits[i].SpokenText(), words)
		}
	}
	return hits
}

// search filters items by q; spoken tells whether word number i occurs
// in what is said in an item.
func search(items []Item, q Query, series map[int64]string, spoken func(w searchWord, i int, it *Item) bool) []Hit {
	words := searchWords(q.Text)
	var out []Hit
	for _, it := range items {
		if !q.selects(it) {
			continue
		}
		h := Hit{Item: it}
		if len(words) > 0 {
			var seriesTitle string
			if it.SeriesID != nil {
				seriesTitle = series[*it.SeriesID]
			}
			head := it.searchText(seriesTitle)
			key, transcribed := collate.Key(head), collate.Transcribed(head)
			all := true
			for i, w := range words {
				if w.in(key, transcribed) {
					continue
				}
				if spoken(w, i, &h.Item) {
					h.inSpoken = true
					continue
				}
				all = false
				break
			}
			if !all {
				continue
			}
		}
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool { return newer(out[i].Item, out[j].Item) })
	return out
}

// index folds what is said for search.
func (it *Item) index() {
	spoken := it.SpokenText()
	it.SpokenKey, it.SpokenTranscribed = collate.Key(spoken), collate.Transcribed(spoken)
}

func (q Query) selects(it Item) bool {
	switch {
	case q.SeriesID == NoSeries && it.SeriesID != nil,
		q.SeriesID > 0 && (it.SeriesID == nil || *it.SeriesID != q.SeriesID),
		q.Year != 0 && it.Year() != q.Year,
		q.EventID != 0 && (it.EventID == nil || *it.EventID != q.EventID):
		return false
	}
	if q.Topic != "" {
		for _, t := range it.Topics {
			if strings.EqualFold(t, q.Topic) {
				return true
			}
		}
		return false
	}
	return true
}

// SpokenText is what is said in the item: its transcript, or else the
// text of its captions.
func (it Item) SpokenText() string {
	if it.Transcript != "" {
		return it.Transcript
	}
	cues := Cues(it.Captions)
	lines := make([]string, len(cues))
	for i, c := range cues {
		lines[i] = c.Text
	}
	return strings.Join(lines, "\n")
}

// searchText is everything of an item searched besides its transcript.
func (it Item) searchText(seriesTitle string) string {
	parts := []string{it.Title, it.Description, it.Kind.Label(), seriesTitle, it.AgendaTitle, it.Credits}
	for _, s := range it.Speakers {
		parts = append(parts, s.Name, s.Role, s.Municipality)
	}
	parts = append(parts, it.Topics...)
	if it.Meeting != nil {
		parts = append(parts, it.Meeting.Name, it.Meeting.City)
	}
	return strings.Join(parts, " \x00 ")
}

// searchWord is a word of a query, folded both ways.
type searchWord struct{ key, transcribed string }

// maxSearchWords bounds the words of a query that are looked for; each
// costs the database a pass over the transcripts.
const maxSearchWords = 8

func searchWords(text string) []searchWord {
	var out []searchWord
	seen := map[string]bool{}
	for _, w := range strings.Fields(text) {
		k := collate.Key(w)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, searchWord{k, collate.Transcribed(w)})
		if len(out) == maxSearchWords {
			break
		}
	}
	return out
}

func (w searchWord) in(key, transcribed string) bool {
	return strings.Contains(key, w.key) || strings.Contains(transcribed, w.transcribed)
}

// excerptLength bounds the passage shown from a transcript.
const excerptLength = 200

// excerpt is the first line (or sentence) of the transcript holding one
// of the words, shortened around it.
func excerpt(transcript string, words []searchWord) string {
	for _, line := range strings.Split(transcript, "\n") {
		for _, sentence := range splitSentences(line) {
			k, t := collate.Key(sentence), collate.Transcribed(sentence)
			for _, w := range words {
				if w.in(k, t) {
					return shorten(sentence, excerptLength)
				}
			}
		}
	}
	return ""
}

func splitSentences(line string) []string {
	var out []string
	start := 0
	for i, r := range line {
		if (r == '.' || r == '?' || r == '!') && i+1 < len(line) && line[i+1] == ' ' {
			out = append(out, strings.TrimSpace(line[start:i+1]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(line[start:]))
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + " …"
}

// newer orders items newest first: by date, undated ones last, then by
// title.
func newer(a, b Item) bool {
	switch {
	case a.RecordedOn != nil && b.RecordedOn != nil:
		if *a.RecordedOn != *b.RecordedOn {
			return b.RecordedOn.Before(*a.RecordedOn)
		}
	case a.RecordedOn != nil:
		return true
	case b.RecordedOn != nil:
		return false
	}
	return collate.Key(a.Title) < collate.Key(b.Title)
}

// Sort orders items newest first, as the Mediathek lists them.
func Sort(items []Item) {
	sort.SliceStable(items, func(i, j int) bool { return newer(items[i], items[j]) })
}

// Section is a series and its hits, as the Mediathek shows them.
type Section struct {
	Series Series // zero ID: the items outside any series
	Hits   []Hit
}

// Sections groups hits (already ordered) by series, the series in their
// order and items outside any series last. Series without hits are left
// out.
func Sections(hits []Hit, series []Series) []Section {
	index := map[int64]int{}
	out := make([]Section, 0, len(series)+1)
	for _, s := range series {
		index[s.ID] = len(out)
		out = append(out, Section{Series: s})
	}
	rest := Section{Series: Series{Title: "Weitere Medien"}}
	for _, h := range hits {
		if h.SeriesID != nil {
			if i, ok := index[*h.SeriesID]; ok {
				out[i].Hits = append(out[i].Hits, h)
				continue
			}
		}
		rest.Hits = append(rest.Hits, h)
	}
	out = append(out, rest)
	kept := out[:0]
	for _, s := range out {
		if len(s.Hits) > 0 {
			kept = append(kept, s)
		}
	}
	return kept
}

// Years lists the years items were recorded in, newest first.
func Years(items []Item) []int {
	seen := map[int]bool{}
	var out []int
	for _, it := range items {
		if y := it.Year(); y != 0 && !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}

// Meetings lists the meetings items belong to, newest first, each once.
func Meetings(items []Item) []Meeting {
	seen := map[int64]bool{}
	var out []Meeting
	for _, it := range items {
		if it.Meeting != nil && !seen[it.Meeting.ID] {
			seen[it.Meeting.ID] = true
			out = append(out, *it.Meeting)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[j].Day.Before(out[i].Day) })
	return out
}
