-- Working groups in parallel time slots, the inputs from municipalities,
-- ranked preferences and the assignment with locks.

ALTER TABLE events ADD COLUMN preference_ranks INTEGER NOT NULL DEFAULT 3;

CREATE TABLE working_group_slots (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX working_group_slots_event_idx ON working_group_slots (event_id);

CREATE TABLE working_groups (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    slot_id BIGINT NOT NULL REFERENCES working_group_slots (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL,
    moderators TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX working_groups_event_idx ON working_groups (event_id, slot_id);

CREATE TABLE working_group_inputs (
    id {{id}},
    working_group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    speaker TEXT NOT NULL DEFAULT '',
    registration_id BIGINT REFERENCES registrations (id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL
);

CREATE TABLE working_group_preferences (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    working_group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    PRIMARY KEY (registration_id, working_group_id)
);

CREATE TABLE working_group_assignments (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    slot_id BIGINT NOT NULL REFERENCES working_group_slots (id) ON DELETE CASCADE,
    working_group_id BIGINT NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    locked BOOLEAN NOT NULL DEFAULT FALSE,
    role TEXT NOT NULL DEFAULT '',
    updated_at {{timestamp}} NOT NULL,
    PRIMARY KEY (registration_id, slot_id)
);
CREATE INDEX working_group_assignments_group_idx ON working_group_assignments (working_group_id);
