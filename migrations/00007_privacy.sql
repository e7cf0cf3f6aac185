-- Privacy: when a meeting's participants were anonymised after the
-- retention period, when a single registration was anonymised (erasure
-- on request), and an index to find a person's registrations by address.

ALTER TABLE events ADD COLUMN anonymised_at {{timestamp}};
ALTER TABLE registrations ADD COLUMN anonymised_at {{timestamp}};
CREATE INDEX registrations_email_idx ON registrations (email);
