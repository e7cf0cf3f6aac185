-- Per meeting: whether organisers approve each registration before it
-- counts, whether there is a waiting list, and how long it may get
-- (NULL: no limit).
ALTER TABLE events ADD COLUMN requires_approval BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN waitlist_enabled BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE events ADD COLUMN waitlist_limit INTEGER;

-- A declined registration keeps the organiser's reason, which its mail
-- and the manage page show.
ALTER TABLE registrations ADD COLUMN declined_at {{timestamp}};
ALTER TABLE registrations ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';

-- A declined registration, like a cancelled one, no longer holds the
-- address: the person may register again.
DROP INDEX registrations_event_email_key;
CREATE UNIQUE INDEX registrations_event_email_key ON registrations (event_id, email) WHERE status NOT IN ('cancelled', 'declined');
