-- Questions an organiser adds to a meeting's registration form, their
-- choices and the answers given. Questions and choices are never
-- deleted once created, only marked (deleted_at), so answers given
-- before stay readable; an answer keeps the text it was given as
-- (value; for a choice the choice's label at the time).
CREATE TABLE questions (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    in_participant_list BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL,
    deleted_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX questions_event_idx ON questions (event_id, position);

-- capacity NULL: as many as register. taken counts the registrations
-- that are not cancelled and chose the option; it changes in the same
-- transaction as the registration, under the meeting's lock.
CREATE TABLE question_options (
    id {{id}},
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    capacity INTEGER,
    taken INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    deleted_at {{timestamp}}
);
CREATE INDEX question_options_question_idx ON question_options (question_id, position);

-- One row per answered text, number or yes/no question and one per
-- chosen option (option_id set).
CREATE TABLE answers (
    id {{id}},
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    option_id BIGINT REFERENCES question_options (id) ON DELETE CASCADE,
    value TEXT NOT NULL
);
CREATE INDEX answers_registration_idx ON answers (registration_id);
CREATE INDEX answers_question_idx ON answers (question_id);

-- Live questions per meeting, read with the meeting's row when a
-- registration locks it: a meeting without questions skips all
-- question work without a further query.
ALTER TABLE events ADD COLUMN question_count INTEGER NOT NULL DEFAULT 0;
