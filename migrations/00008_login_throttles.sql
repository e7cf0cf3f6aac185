-- Login throttling that an outsider cannot turn into a lock-out: a
-- browser or API client that logged in before is a known device of that
-- account (its token stored hashed) and is throttled only by its own
-- failures; everybody else is throttled per address typed in, whether an
-- account exists for it or not. Replaces the failure counter on users,
-- which any guesser could push up for the owner too.

CREATE TABLE login_devices (
    token_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at {{timestamp}} NOT NULL,
    last_used_at {{timestamp}} NOT NULL,
    PRIMARY KEY (token_hash, user_id)
);
CREATE INDEX login_devices_user_idx ON login_devices (user_id);

-- throttle_key is "address:" or "device:" and a SHA-256, so addresses
-- typed in for no account are not kept in clear.
CREATE TABLE login_throttles (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failed_at {{timestamp}} NOT NULL
);
CREATE INDEX login_throttles_last_failed_idx ON login_throttles (last_failed_at);

ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN last_failed_login_at;
