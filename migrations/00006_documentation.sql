-- The online documentation of a meeting: a teaser for the archive, the
-- report text, and materials (presentations, photos, video and other links)
-- attached to the meeting, a programme item or a working-group input.

CREATE TABLE documentations (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    teaser TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '',
    published_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

CREATE TABLE materials (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    agenda_item_id BIGINT REFERENCES agenda_items (id) ON DELETE SET NULL,
    working_group_input_id BIGINT REFERENCES working_group_inputs (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    -- Uploaded files live on disk under a random key; the row keeps what
    -- the content was checked to be and the name it is downloaded as.
    file_key TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    alt_text TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX materials_event_idx ON materials (event_id, position);
CREATE INDEX materials_file_key_idx ON materials (file_key);
