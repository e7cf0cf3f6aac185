-- The mail log names the files each sent mail carried (one name a line),
-- since the attachments themselves are not kept.
ALTER TABLE mail_outbox ADD COLUMN attachment_names TEXT NOT NULL DEFAULT '';
-- The log lists a meeting's mails page by page, newest first.
CREATE INDEX mail_outbox_event_idx ON mail_outbox (event_id, id);

-- Addresses that unsubscribed from invitations. The objection belongs to
-- the address, not to a contact row: deleting the contact and adding it
-- again must not send invitations again. Only an opt-in removes it.
CREATE TABLE contact_suppressions (
    email TEXT PRIMARY KEY,
    unsubscribed_at {{timestamp}} NOT NULL
);
INSERT INTO contact_suppressions (email, unsubscribed_at)
SELECT email, min(unsubscribed_at) FROM contacts WHERE unsubscribed_at IS NOT NULL GROUP BY email;
