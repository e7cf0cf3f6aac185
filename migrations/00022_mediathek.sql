-- The Mediathek: the network's videos, podcasts and slide shows in
-- series the organisers order. An item may belong to a meeting and one
-- of its programme items; the meeting's documentation lists it from
-- here instead of keeping a copy. Transcript and captions (WebVTT) are
-- text, checked when they arrive, and kept in the database so that
-- search and backups have them.
CREATE TABLE media_series (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

CREATE TABLE media_items (
    id {{id}},
    series_id BIGINT REFERENCES media_series (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    recorded_on TEXT,
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    agenda_item_id BIGINT REFERENCES agenda_items (id) ON DELETE SET NULL,
    url TEXT NOT NULL,
    has_transcript BOOLEAN NOT NULL DEFAULT FALSE,
    has_captions BOOLEAN NOT NULL DEFAULT FALSE,
    captions_language TEXT NOT NULL DEFAULT 'de',
    credits TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX media_items_series_idx ON media_items (series_id);
CREATE INDEX media_items_event_idx ON media_items (event_id);

-- The long texts of an item, apart from its row so that lists read small
-- rows. spoken_key and spoken_transcribed are what is said (transcript,
-- else captions) folded for search as collate.Key and
-- collate.Transcribed give it: a search compares these instead of
-- folding every transcript again.
CREATE TABLE media_texts (
    item_id BIGINT PRIMARY KEY REFERENCES media_items (id) ON DELETE CASCADE,
    transcript TEXT NOT NULL DEFAULT '',
    captions TEXT NOT NULL DEFAULT '',
    spoken_key TEXT NOT NULL DEFAULT '',
    spoken_transcribed TEXT NOT NULL DEFAULT ''
);

CREATE TABLE media_speakers (
    id {{id}},
    item_id BIGINT NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL
);
CREATE INDEX media_speakers_item_idx ON media_speakers (item_id, position);

CREATE TABLE media_topics (
    item_id BIGINT NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (item_id, topic)
);

