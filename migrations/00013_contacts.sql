-- Network contacts: per municipality the people who receive the
-- invitations to meetings (name, address, function such as Jugendamt or
-- Koordination). One address once per municipality; addresses are
-- stored normalised (lower case). unsubscribed_at is set when the
-- person unsubscribes through the link in an invitation; from then on
-- no invitation or follow-up goes to them until they opt in again
-- (resubscribe_note records how: their own link, or the request an
-- organiser or coordinator wrote down).
CREATE TABLE contacts (
    id {{id}},
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    unsubscribed_at {{timestamp}},
    resubscribe_note TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX contacts_municipality_email_key ON contacts (municipality_id, email);
CREATE INDEX contacts_email_idx ON contacts (email);

-- Unsubscribe links, one per mail sent, stored as hashes like the
-- manage links: a backup or the mail log unsubscribes nobody.
CREATE TABLE contact_links (
    token_hash TEXT PRIMARY KEY,
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX contact_links_contact_idx ON contact_links (contact_id);

-- Invitations and follow-ups are outbox mails to a contact: exactly one
-- of each kind per contact and meeting, whatever organisers click.
ALTER TABLE mail_outbox ADD COLUMN contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX mail_outbox_contact_key ON mail_outbox (kind, event_id, contact_id) WHERE contact_id IS NOT NULL;
