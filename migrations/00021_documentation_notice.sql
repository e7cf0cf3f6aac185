-- The notice that a meeting's documentation is online goes to each
-- registration at most once, whatever organisers click or retry; to
-- each contact the key of 00013 (kind, meeting, contact) holds it once.
CREATE UNIQUE INDEX mail_outbox_documentation_notice_key ON mail_outbox (registration_id) WHERE kind = 'documentation_notice' AND registration_id IS NOT NULL AND copy_of IS NULL;
