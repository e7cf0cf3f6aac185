package media

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/isa-nrw/treffen/internal/collate"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
)

// Errors for unknown records.
var (
	ErrNotFound       = problem.New(problem.NotFound, "Diesen Eintrag gibt es in der Mediathek nicht (mehr).")
	ErrSeriesNotFound = problem.New(problem.NotFound, "Diese Reihe gibt es in der Mediathek nicht (mehr).")
)

// Store reads and writes the Mediathek.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Series returns all series in their order.
func (s *Store) Series(ctx context.Context) ([]Series, error) {
	var out []Series
	if err := s.db.WithContext(ctx).Order("position, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("media series: %w", err)
	}
	return out, nil
}

// OneSeries returns a series.
func (s *Store) OneSeries(ctx context.Context, id int64) (Series, error) {
	var out Series
	err := s.db.WithContext(ctx).First(&out, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return out, ErrSeriesNotFound
	}
	if err != nil {
		return out, fmt.Errorf("media series %d: %w", id, err)
	}
	return out, nil
}

// CreateSeries adds a series, at the end unless a position is given.
func (s *Store) CreateSeries(ctx context.Context, in SeriesInput) (Series, error) {
	var out Series
	if err := in.apply(&out); err != nil {
		return out, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.Position == nil {
			var last *int
			if err := tx.Model(&Series{}).Select("MAX(position)").Scan(&last).Error; err != nil {
				return err
			}
			if last != nil {
				out.Position = *last + 1
			}
		}
		return tx.Create(&out).Error
	})
	if err != nil {
		return out, fmt.Errorf("create media series: %w", err)
	}
	return out, nil
}

// UpdateSeries changes a series.
func (s *Store) UpdateSeries(ctx context.Context, id int64, in SeriesInput) (Series, error) {
	var out Series
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&out, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrSeriesNotFound
		}
		if err != nil {
			return err
		}
		if err := in.apply(&out); err != nil {
			return err
		}
		return tx.Save(&out).Error
	})
	if err != nil {
		return out, fmt.Errorf("update media series %d: %w", id, err)
	}
	return out, nil
}

// MoveSeries moves a series one place up (delta < 0) or down and
// renumbers all series, so that positions stay distinct.
func (s *Store) MoveSeries(ctx context.Context, id int64, delta int) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var list []Series
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Order("position, id").Find(&list).Error; err != nil {
			return err
		}
		at := -1
		for i, x := range list {
			if x.ID == id {
				at = i
			}
		}
		if at < 0 {
			return ErrSeriesNotFound
		}
		to := min(max(at+delta, 0), len(list)-1)
		moved := list[at]
		list = append(list[:at], list[at+1:]...)
		list = append(list[:to], append([]Series{moved}, list[to:]...)...)
		for i, x := range list {
			if x.Position == i {
				continue
			}
			if err := tx.Model(&Series{}).Where("id = ?", x.ID).Update("position", i).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move media series %d: %w", id, err)
	}
	return nil
}

// DeleteSeries removes a series; its items stay, outside any series.
// It returns how many items it held.
func (s *Store) DeleteSeries(ctx context.Context, id int64) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Items are let go explicitly, not by the foreign key alone, and
		// counted before.
		res := tx.Model(&Item{}).Where("series_id = ?", id).Update("series_id", nil)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		res = tx.Delete(&Series{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrSeriesNotFound
		}
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("delete media series %d: %w", id, err)
	}
	return int(n), nil
}

// ListQuery selects items from the store.
type ListQuery struct {
	ParticipantOnly bool  // include items only participants may see
	EventID         int64 // only the items of this meeting
	WithTexts       bool  // load transcripts and captions (search, export)
}

// Items returns items with their speakers, topics and meeting, in no
// particular order (see Sort).
func (s *Store) Items(ctx context.Context, q ListQuery) ([]Item, error) {
	db := s.db.WithContext(ctx)
	tx := db.Model(&Item{})
	if !q.ParticipantOnly {
		tx = tx.Where("visibility = ?", Public)
	}
	if q.EventID != 0 {
		tx = tx.Where("event_id = ?", q.EventID)
	}
	var items []Item
	if err := tx.Find(&items).Error; err != nil {
		return nil, fmt.Errorf("media items: %w", err)
	}
	if err := s.complete(db, items, q.WithTexts); err != nil {
		return nil, fmt.Errorf("media items: %w", err)
	}
	return items, nil
}

// Item returns one item with everything it has.
func (s *Store) Item(ctx context.Context, id int64) (Item, error) {
	db := s.db.WithContext(ctx)
	var it Item
	err := db.First(&it, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return it, ErrNotFound
	}
	if err != nil {
		return it, fmt.Errorf("media item %d: %w", id, err)
	}
	list := []Item{it}
	if err := s.complete(db, list, true); err != nil {
		return it, fmt.Errorf("media item %d: %w", id, err)
	}
	return list[0], nil
}

// texts is the long texts of an item, kept apart from its row.
type texts struct {
	ItemID            int64 `gorm:"primaryKey;autoIncrement:false"`
	Transcript        string
	Captions          string
	SpokenKey         string
	SpokenTranscribed string
}

func (texts) TableName() string { return "media_texts" }

// saveTexts writes the texts of it, folded for search.
func saveTexts(tx *gorm.DB, it *Item) error {
	it.index()
	return tx.Save(&texts{ItemID: it.ID, Transcript: it.Transcript, Captions: it.Captions,
		SpokenKey: it.SpokenKey, SpokenTranscribed: it.SpokenTranscribed}).Error
}

// complete loads the speakers, topics, meetings and programme items of
// items, one query each, and with withTexts their texts.
func (s *Store) complete(db *gorm.DB, items []Item, withTexts bool) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]int64, len(items))
	index := make(map[int64]int, len(items))
	var events, agendaItems []int64
	for i, it := range items {
		ids[i], index[it.ID] = it.ID, i
		items[i].Speakers, items[i].Topics = nil, nil
		if it.EventID != nil {
			events = append(events, *it.EventID)
		}
		if it.AgendaItemID != nil {
			agendaItems = append(agendaItems, *it.AgendaItemID)
		}
	}
	if withTexts {
		var rows []texts
		if err := db.Where("item_id IN ?", ids).Find(&rows).Error; err != nil {
			return err
		}
		for _, t := range rows {
			it := &items[index[t.ItemID]]
			it.Transcript, it.Captions, it.SpokenKey, it.SpokenTranscribed = t.Transcript, t.Captions, t.SpokenKey, t.SpokenTranscribed
		}
	}
	var speakers []struct {
		Speaker
		MunicipalityName *string
	}
	err := db.Table("media_speakers s").Select("s.*, m.name AS municipality_name").
		Joins("LEFT JOIN municipalities m ON m.id = s.municipality_id").
		Where("s.item_id IN ?", ids).Order("s.item_id, s.position, s.id").Scan(&speakers).Error
	if err != nil {
		return err
	}
	for _, sp := range speakers {
		if sp.MunicipalityName != nil {
			sp.Speaker.Municipality = *sp.MunicipalityName
		}
		i := index[sp.ItemID]
		items[i].Speakers = append(items[i].Speakers, sp.Speaker)
	}
	var topics []struct {
		ItemID int64
		Topic  string
	}
	if err := db.Table("media_topics").Where("item_id IN ?", ids).Order("item_id, topic").Scan(&topics).Error; err != nil {
		return err
	}
	for _, t := range topics {
		i := index[t.ItemID]
		items[i].Topics = append(items[i].Topics, t.Topic)
	}
	meetings := map[int64]event.Event{}
	if len(events) > 0 {
		var list []event.Event
		if err := db.Where("id IN ?", events).Find(&list).Error; err != nil {
			return err
		}
		for _, ev := range list {
			meetings[ev.ID] = ev
		}
	}
	titles := map[int64]string{}
	if len(agendaItems) > 0 {
		var rows []struct {
			ID    int64
			Title string
			Kind  string
		}
		if err := db.Table("agenda_items").Select("id, title, kind").Where("id IN ?", agendaItems).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			titles[r.ID] = r.Title
		}
	}
	for i := range items {
		if id := items[i].EventID; id != nil {
			if ev, ok := meetings[*id]; ok {
				items[i].Meeting = &Meeting{ID: ev.ID, Name: ev.Name(), City: ev.VenueCity, Day: ev.Days.First(),
					Public: ev.Status != event.Draft}
			}
		}
		if id := items[i].AgendaItemID; id != nil {
			items[i].AgendaTitle = titles[*id]
		}
	}
	return nil
}

// Topics returns every topic in use, each once.
func (s *Store) Topics(ctx context.Context, withParticipantOnly bool) ([]string, error) {
	q := s.db.WithContext(ctx).Table("media_topics t").Distinct("t.topic")
	if !withParticipantOnly {
		q = q.Joins("JOIN media_items i ON i.id = t.item_id").Where("i.visibility = ?", Public)
	}
	var out []string
	if err := q.Pluck("t.topic", &out).Error; err != nil {
		return nil, fmt.Errorf("media topics: %w", err)
	}
	out = NormalizeTopics(out)
	sort.Slice(out, func(i, j int) bool { return collate.Key(out[i]) < collate.Key(out[j]) })
	return out, nil
}

// CreateItem adds an item with its speakers and topics.
func (s *Store) CreateItem(ctx context.Context, in Input) (Item, error) {
	var it Item
	if err := in.apply(&it); err != nil {
		return it, err
	}
	it.TranscriptStored, it.CaptionsStored = it.Transcript != "", it.Captions != ""
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkReferences(tx, &it); err != nil {
			return err
		}
		speakers := it.Speakers
		if err := tx.Omit("Speakers").Create(&it).Error; err != nil {
			return err
		}
		it.Speakers = speakers
		if err := saveTexts(tx, &it); err != nil {
			return err
		}
		return writeLists(tx, &it, true, true)
	})
	if err != nil {
		return it, fmt.Errorf("create media item: %w", err)
	}
	return s.Item(ctx, it.ID)
}

// UpdateItem changes an item; speakers and topics are replaced when the
// input has them.
func (s *Store) UpdateItem(ctx context.Context, id int64, in Input) (Item, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var it Item
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&it, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var old texts
		if err := tx.Where("item_id = ?", id).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		it.Transcript, it.Captions = old.Transcript, old.Captions
		if err := in.apply(&it); err != nil {
			return err
		}
		if err := checkReferences(tx, &it); err != nil {
			return err
		}
		it.TranscriptStored, it.CaptionsStored = it.Transcript != "", it.Captions != ""
		if err := tx.Omit("Speakers").Save(&it).Error; err != nil {
			return err
		}
		if in.Transcript != nil || in.Captions != nil {
			if err := saveTexts(tx, &it); err != nil {
				return err
			}
		}
		return writeLists(tx, &it, in.Speakers != nil, in.Topics != nil)
	})
	if err != nil {
		return Item{}, fmt.Errorf("update media item %d: %w", id, err)
	}
	return s.Item(ctx, id)
}

// DeleteItem removes an item with its speakers and topics.
func (s *Store) DeleteItem(ctx context.Context, id int64) (Item, error) {
	it, err := s.Item(ctx, id)
	if err != nil {
		return it, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("item_id = ?", id).Delete(&Speaker{}).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM media_topics WHERE item_id = ?", id).Error; err != nil {
			return err
		}
		if err := tx.Where("item_id = ?", id).Delete(&texts{}).Error; err != nil {
			return err
		}
		res := tx.Delete(&Item{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
	if err != nil {
		return it, fmt.Errorf("delete media item %d: %w", id, err)
	}
	return it, nil
}

// writeLists replaces the speakers and topics of it where asked.
func writeLists(tx *gorm.DB, it *Item, speakers, topics bool) error {
	if speakers {
		if err := tx.Where("item_id = ?", it.ID).Delete(&Speaker{}).Error; err != nil {
			return err
		}
		for i := range it.Speakers {
			it.Speakers[i].ID, it.Speakers[i].ItemID, it.Speakers[i].Position = 0, it.ID, i
		}
		if len(it.Speakers) > 0 {
			if err := tx.Create(&it.Speakers).Error; err != nil {
				return err
			}
		}
	}
	if topics {
		if err := tx.Exec("DELETE FROM media_topics WHERE item_id = ?", it.ID).Error; err != nil {
			return err
		}
		for _, t := range it.Topics {
			if err := tx.Exec("INSERT INTO media_topics (item_id, topic) VALUES (?, ?)", it.ID, t).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// checkReferences makes sure the series, meeting, programme item and
// municipalities an item names exist, and that the programme item
// belongs to the meeting.
func checkReferences(tx *gorm.DB, it *Item) error {
	var v problem.Validation
	count := func(table, where string, args ...any) (int64, error) {
		var n int64
		err := tx.Table(table).Where(where, args...).Count(&n).Error
		return n, err
	}
	if it.SeriesID != nil {
		n, err := count("media_series", "id = ?", *it.SeriesID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("series_id", "Diese Reihe gibt es nicht.")
		}
	}
	if it.EventID != nil {
		n, err := count("events", "id = ?", *it.EventID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("event_id", "Diese Veranstaltung gibt es nicht.")
		}
	}
	if it.AgendaItemID != nil && it.EventID != nil {
		n, err := count("agenda_items", "id = ? AND event_id = ?", *it.AgendaItemID, *it.EventID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add("agenda_item_id", "Diesen Programmpunkt gibt es in dieser Veranstaltung nicht.")
		}
	}
	for i, sp := range it.Speakers {
		if sp.MunicipalityID == nil {
			continue
		}
		n, err := count("municipalities", "id = ?", *sp.MunicipalityID)
		if err != nil {
			return err
		}
		if n == 0 {
			v.Add(fmt.Sprintf("speakers.%d.municipality_id", i), "Diese Kommune gibt es nicht.")
		}
	}
	return v.Err()
}

// Result is a search of the Mediathek: the hits, and all items and
// series searched (for the filters' choices).
type Result struct {
	Hits   []Hit
	Items  []Item
	Series []Series
}

// Search finds the items matching q, as Search does, without reading
// transcripts: the database looks for the words in the folded text of
// what is said, and only the hits found there are read for their
// excerpts.
func (s *Store) Search(ctx context.Context, q Query, withParticipantOnly bool) (Result, error) {
	var r Result
	var err error
	if r.Series, err = s.Series(ctx); err != nil {
		return r, err
	}
	if r.Items, err = s.Items(ctx, ListQuery{ParticipantOnly: withParticipantOnly}); err != nil {
		return r, err
	}
	titles := make(map[int64]string, len(r.Series))
	for _, x := range r.Series {
		titles[x.ID] = x.Title
	}
	words := searchWords(q.Text)
	spoken := make([]map[int64]bool, len(words))
	db := s.db.WithContext(ctx)
	for i, w := range words {
		var ids []int64
		err := db.Model(&texts{}).Where(`spoken_key LIKE ? ESCAPE '\' OR spoken_transcribed LIKE ? ESCAPE '\'`,
			likePattern(w.key), likePattern(w.transcribed)).Pluck("item_id", &ids).Error
		if err != nil {
			return r, fmt.Errorf("search media: %w", err)
		}
		spoken[i] = make(map[int64]bool, len(ids))
		for _, id := range ids {
			spoken[i][id] = true
		}
	}
	r.Hits = search(r.Items, q, titles, func(_ searchWord, i int, it *Item) bool { return spoken[i][it.ID] })
	var excerpts []int64
	for _, h := range r.Hits {
		if h.inSpoken {
			excerpts = append(excerpts, h.ID)
		}
	}
	if len(excerpts) == 0 {
		return r, nil
	}
	var found []texts
	if err := db.Select("item_id", "transcript", "captions").Where("item_id IN ?", excerpts).Find(&found).Error; err != nil {
		return r, fmt.Errorf("search media: %w", err)
	}
	spokenText := make(map[int64]string, len(found))
	for _, t := range found {
		spokenText[t.ItemID] = Item{Transcript: t.Transcript, Captions: t.Captions}.SpokenText()
	}
	for i := range r.Hits {
		if r.Hits[i].inSpoken {
			r.Hits[i].Excerpt = excerpt(spokenText[r.Hits[i].ID], words)
		}
	}
	return r, nil
}

// likePattern finds s anywhere, with LIKE's wildcards in s taken literally.
func likePattern(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
}
