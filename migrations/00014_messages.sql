-- Messages from the organisers to the registrants of a meeting: a
-- subject and a text (the simple formatting of the documentation
-- report), sent to the registrations the filter chose when it was sent.
-- A message is a draft while it is being composed (its uploaded files
-- wait there between preview and send) and sent from then on. form_key
-- is the composer form's identity: sending the same form twice (a
-- double click, a retry) finds the sent message instead of a second one.
-- The filter columns keep what was chosen; audience is the same in words,
-- written when sent, so it stays true when a group is renamed or deleted.
CREATE TABLE event_messages (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    form_key TEXT NOT NULL,
    status TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    include_programme BOOLEAN NOT NULL DEFAULT FALSE,
    filter_status TEXT NOT NULL DEFAULT '',
    filter_working_group_id BIGINT REFERENCES working_groups (id) ON DELETE SET NULL,
    filter_municipality_id BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    filter_day TEXT NOT NULL DEFAULT '',
    filter_checked_in BOOLEAN,
    audience TEXT NOT NULL DEFAULT '',
    recipients INTEGER NOT NULL DEFAULT 0,
    created_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    sent_at {{timestamp}}
);
CREATE UNIQUE INDEX event_messages_form_key ON event_messages (event_id, form_key);

-- Uploaded PDFs sent with a message, kept in the database so every app
-- instance can attach them and they survive restarts.
CREATE TABLE event_message_attachments (
    id {{id}},
    event_message_id BIGINT NOT NULL REFERENCES event_messages (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    data {{blob}} NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX event_message_attachments_message_idx ON event_message_attachments (event_message_id);

-- One mail per message and registration, whatever is clicked or retried.
ALTER TABLE mail_outbox ADD COLUMN event_message_id BIGINT REFERENCES event_messages (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX mail_outbox_event_message_key ON mail_outbox (event_message_id, registration_id) WHERE event_message_id IS NOT NULL;
