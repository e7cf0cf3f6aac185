-- The limit of people of one municipality per working group, saved with
-- a meeting's assignment so the next run starts from it.

CREATE TABLE working_group_settings (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    max_per_municipality INTEGER NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL
);
