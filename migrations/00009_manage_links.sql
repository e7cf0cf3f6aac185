-- Manage links stored as hashes, like sessions, API tokens and account
-- links: whoever holds a backup cannot act as a participant. A
-- registration may have several links (every mail carries a fresh one,
-- and a lost link is sent as a new one). The Go step of this version
-- (steps.go) hashes the existing links, so links already sent keep
-- working, and then drops registrations.manage_token.

CREATE TABLE manage_links (
    token_hash TEXT PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX manage_links_registration_idx ON manage_links (registration_id);
