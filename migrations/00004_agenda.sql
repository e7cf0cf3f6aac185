-- The programme of a meeting: timed items over its days, with speakers;
-- an item may stand for a working-group slot (its groups run in parallel).

CREATE TABLE agenda_items (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    moderation TEXT NOT NULL DEFAULT '',
    working_group_slot_id BIGINT REFERENCES working_group_slots (id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX agenda_items_event_idx ON agenda_items (event_id, day, starts_at);

CREATE TABLE agenda_speakers (
    id {{id}},
    agenda_item_id BIGINT NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    function TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_speakers_item_idx ON agenda_speakers (agenda_item_id);
