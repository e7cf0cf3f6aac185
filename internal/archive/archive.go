package archive

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// Entry is a past meeting as the archive lists it.
type Entry struct {
	Event          event.Event `json:"event"`
	Teaser         string      `json:"teaser"`
	Documented     bool        `json:"documented"` // a published documentation exists
	Speakers       []string    `json:"speakers"`
	Municipalities []string    `json:"municipalities"`
	haystack       string      // folded text the search looks in (collate.Key)
	transcribed    string      // the same with ae, oe, ue as umlauts (collate.Transcribed)
}

// Query narrows the archive; zero fields match everything.
type Query struct {
	Text string     // words that must all occur (case and umlauts ignored)
	Kind event.Kind // only this kind
	Year int        // only meetings starting in this year
}

// Year is the archive's meetings of one year.
type Year struct {
	Year    int     `json:"year"`
	Entries []Entry `json:"entries"`
}

// teaserLength bounds the teaser taken from an announcement when a
// meeting has no documentation teaser.
const teaserLength = 320

// Archive returns the public past meetings, newest first, with what the
// archive shows and searches: teaser, speakers and municipalities of the
// programme and working groups.
func (s *Store) Archive(ctx context.Context, now time.Time) ([]Entry, error) {
	db := s.db.WithContext(ctx)
	var events []event.Event
	if err := db.Where("status NOT IN ?", []event.Status{event.Draft, event.Cancelled}).Find(&events).Error; err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	var entries []Entry
	index := map[int64]int{}
	for _, ev := range events {
		if !ev.IsPast(now) {
			continue
		}
		index[ev.ID] = len(entries)
		entries = append(entries, Entry{Event: ev})
	}
	if len(entries) == 0 {
		return nil, nil
	}
	// Only what the list shows: the reports can be long.
	var docs []Documentation
	if err := db.Select("event_id", "teaser", "published_at").Find(&docs).Error; err != nil {
		return nil, fmt.Errorf("archive teasers: %w", err)
	}
	for _, d := range docs {
		if i, ok := index[d.EventID]; ok && d.Published() {
			entries[i].Documented = true
			entries[i].Teaser = d.Teaser
		}
	}
	type named struct {
		EventID int64
		Name    string
	}
	var people, places []named
	queries := []struct {
		into *[]named
		sql  string
	}{
		{&people, `SELECT i.event_id, CASE WHEN s.title <> '' THEN s.title || ' ' || s.name ELSE s.name END AS name
			FROM agenda_speakers s JOIN agenda_items i ON i.id = s.agenda_item_id`},
		{&people, `SELECT event_id, moderation AS name FROM agenda_items WHERE moderation <> ''`},
		{&people, `SELECT event_id, moderators AS name FROM working_groups WHERE moderators <> ''`},
		{&people, `SELECT g.event_id, i.speaker AS name FROM working_group_inputs i
			JOIN working_groups g ON g.id = i.working_group_id WHERE i.speaker <> ''`},
		{&places, `SELECT e.id AS event_id, m.name FROM events e JOIN municipalities m ON m.id = e.host_municipality_id`},
		{&places, `SELECT DISTINCT g.event_id, m.name FROM working_group_inputs i
			JOIN working_groups g ON g.id = i.working_group_id JOIN municipalities m ON m.id = i.municipality_id`},
	}
	for _, q := range queries {
		var rows []named
		if err := db.Raw(q.sql).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("archive names: %w", err)
		}
		*q.into = append(*q.into, rows...)
	}
	add := func(rows []named, split func(string) []string, field func(*Entry) *[]string) {
		for _, r := range rows {
			i, ok := index[r.EventID]
			if !ok {
				continue
			}
			for _, name := range split(r.Name) {
				list := field(&entries[i])
				if !containsFold(*list, name) {
					*list = append(*list, name)
				}
			}
		}
	}
	add(people, workinggroup.SplitNames, func(e *Entry) *[]string { return &e.Speakers })
	add(places, func(s string) []string { return []string{s} }, func(e *Entry) *[]string { return &e.Municipalities })
	for i := range entries {
		e := &entries[i]
		if e.Teaser == "" {
			e.Teaser = shorten(e.Event.Announcement, teaserLength)
		}
		sort.Slice(e.Speakers, func(a, b int) bool { return collate.Key(e.Speakers[a]) < collate.Key(e.Speakers[b]) })
		sort.Slice(e.Municipalities, func(a, b int) bool {
			return municipality.SortKey(e.Municipalities[a]) < municipality.SortKey(e.Municipalities[b])
		})
		text := strings.Join(append([]string{
			e.Event.Name(), e.Event.Title, e.Event.Motto, e.Event.Kind.Label(), e.Event.VenueCity, e.Teaser,
		}, append(e.Speakers, e.Municipalities...)...), " \x00 ")
		e.haystack, e.transcribed = collate.Key(text), collate.Transcribed(text)
	}
	SortNewestFirst(entries)
	return entries, nil
}

// SortNewestFirst orders entries by first day, newest first; meetings on
// the same day by number, then by name.
func SortNewestFirst(entries []Entry) {
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i].Event, entries[j].Event
		if da, db := a.Days.First(), b.Days.First(); da != db {
			return db.Before(da)
		}
		if a.Number != b.Number {
			return a.Number > b.Number
		}
		return collate.Key(a.Name()) < collate.Key(b.Name())
	})
}

// Search returns the entries matching q, in their order. A word matches
// with case and accents ignored, and with ae, oe, ue standing for ä, ö,
// ü on either side: "Muenster" finds "Münster", "Münster" "Muenster".
func Search(entries []Entry, q Query) []Entry {
	var words []searchWord
	for _, w := range strings.Fields(q.Text) {
		words = append(words, searchWord{collate.Key(w), collate.Transcribed(w)})
	}
	var out []Entry
	for _, e := range entries {
		if q.Kind != "" && e.Event.Kind != q.Kind {
			continue
		}
		if q.Year != 0 && e.Event.Days.First().Year != q.Year {
			continue
		}
		if !e.matchesAll(words) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// searchWord is a word of a query, folded both ways.
type searchWord struct{ key, transcribed string }

func (e Entry) matchesAll(words []searchWord) bool {
	for _, w := range words {
		if !strings.Contains(e.haystack, w.key) && !strings.Contains(e.transcribed, w.transcribed) {
			return false
		}
	}
	return true
}

// Page is one page of a list of entries: numbers count from 1.
type Page struct {
	Entries []Entry
	Number  int // this page, 1 to Pages
	Pages   int // at least 1
	Total   int // entries on all pages
}

// PageOf returns page number n of entries, size to a page; n is kept
// within the pages there are, so an old link past the end shows the last.
func PageOf(entries []Entry, n, size int) Page {
	p := Page{Pages: max(1, (len(entries)+size-1)/size), Total: len(entries)}
	p.Number = min(max(n, 1), p.Pages)
	from := (p.Number - 1) * size
	p.Entries = entries[min(from, len(entries)):min(from+size, len(entries))]
	return p
}

// ByYear groups entries (already ordered) by the year of their first day.
func ByYear(entries []Entry) []Year {
	var out []Year
	for _, e := range entries {
		y := e.Event.Days.First().Year
		if len(out) == 0 || out[len(out)-1].Year != y {
			out = append(out, Year{Year: y})
		}
		out[len(out)-1].Entries = append(out[len(out)-1].Entries, e)
	}
	return out
}

// Years lists the distinct years of entries, newest first.
func Years(entries []Entry) []int {
	var out []int
	for _, y := range ByYear(entries) {
		out = append(out, y.Year)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}

func containsFold(list []string, s string) bool {
	k := collate.Key(s)
	for _, x := range list {
		if collate.Key(x) == k {
			return true
		}
	}
	return false
}

// shorten cuts s at a word boundary to at most n characters, with "…".
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + " …"
}
