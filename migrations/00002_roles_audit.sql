-- Hosts of meetings, single-use account links (invitation, password
-- reset), login throttling and the audit log.

CREATE TABLE event_hosts (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_hosts_user_idx ON event_hosts (user_id);

CREATE TABLE account_links (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    used_at {{timestamp}},
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX account_links_hash_key ON account_links (token_hash);

ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_login_at {{timestamp}};

CREATE TABLE audit_log (
    id {{id}},
    at {{timestamp}} NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BIGINT NOT NULL DEFAULT 0,
    event_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_event_idx ON audit_log (event_id);
