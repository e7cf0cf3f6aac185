-- Municipalities, meetings, registrations, the mail outbox and accounts.
-- Tokens in braces are replaced per dialect (see embed.go).

CREATE TABLE municipalities (
    id {{id}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX municipalities_name_key ON municipalities (lower(name));

CREATE TABLE events (
    id {{id}},
    kind TEXT NOT NULL,
    number INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    motto TEXT NOT NULL DEFAULT '',
    announcement TEXT NOT NULL DEFAULT '',
    days TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '10:00',
    end_time TEXT NOT NULL DEFAULT '16:00',
    venue_name TEXT NOT NULL DEFAULT '',
    venue_address TEXT NOT NULL DEFAULT '',
    venue_city TEXT NOT NULL DEFAULT '',
    host_municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    organiser TEXT NOT NULL DEFAULT '',
    co_organisers TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL,
    municipality_quota INTEGER NOT NULL DEFAULT 0,
    registration_opens_at {{timestamp}},
    registration_closes_at {{timestamp}},
    status TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX events_status_idx ON events (status);

CREATE TABLE users (
    id {{id}},
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE registrations (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    salutation TEXT NOT NULL DEFAULT '',
    academic_title TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE RESTRICT,
    organisation TEXT NOT NULL DEFAULT '',
    function TEXT NOT NULL DEFAULT '',
    days TEXT NOT NULL DEFAULT '',
    dietary_needs TEXT NOT NULL DEFAULT '',
    accessibility_needs TEXT NOT NULL DEFAULT '',
    photo_consent BOOLEAN NOT NULL DEFAULT FALSE,
    privacy_consent_at {{timestamp}} NOT NULL,
    status TEXT NOT NULL,
    manage_token TEXT NOT NULL,
    registered_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    promoted_at {{timestamp}},
    cancelled_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
-- One active registration per address and meeting; a cancelled one may be renewed.
CREATE UNIQUE INDEX registrations_event_email_key ON registrations (event_id, email) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX registrations_manage_token_key ON registrations (manage_token);
CREATE INDEX registrations_event_status_idx ON registrations (event_id, status, municipality_id);

CREATE TABLE mail_outbox (
    id {{id}},
    kind TEXT NOT NULL,
    -- A mail is about a registration (event and registration set) or an
    -- account (user set: invitation, password reset).
    event_id BIGINT REFERENCES events (id) ON DELETE CASCADE,
    registration_id BIGINT REFERENCES registrations (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    -- A coordinator's copy of a registration mail: its own row, so a
    -- refused copy never holds up the participant's mail.
    copy_of BIGINT REFERENCES mail_outbox (id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {{timestamp}} NOT NULL,
    locked_until {{timestamp}},
    last_error TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    text_body TEXT NOT NULL DEFAULT '',
    html_body TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    transport TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    sent_at {{timestamp}}
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_registration_idx ON mail_outbox (registration_id);
CREATE UNIQUE INDEX mail_outbox_copy_key ON mail_outbox (copy_of, recipient) WHERE copy_of IS NOT NULL;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at {{timestamp}} NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    last_used_at {{timestamp}},
    revoked_at {{timestamp}}
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
