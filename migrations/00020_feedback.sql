-- The feedback survey after a meeting: its questions, when it runs, and
-- who was asked. The answers (feedback_responses, created by the Go step
-- of this version) are kept apart and carry nothing that leads back to
-- a person: see steps.go.
CREATE TABLE feedback_surveys (
    id {{id}},
    event_id BIGINT NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    sent_at {{timestamp}},
    reminded_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

-- kind: rating (1 to 5, low_label and high_label name the ends),
-- single_choice, multiple_choice or text; options one a line.
CREATE TABLE feedback_questions (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT FALSE,
    low_label TEXT NOT NULL DEFAULT '',
    high_label TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX feedback_questions_event_idx ON feedback_questions (event_id, position);

-- One row per person asked. used says that the person answered, and
-- nothing else: no time, no reference to the answers.
CREATE TABLE feedback_invitations (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    reminded BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (event_id, registration_id)
);

-- The links mailed to a person (request and reminder each their own);
-- only the hash of each is kept.
CREATE TABLE feedback_links (
    token_hash TEXT PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES feedback_invitations (id) ON DELETE CASCADE
);
CREATE INDEX feedback_links_invitation_idx ON feedback_links (invitation_id);
