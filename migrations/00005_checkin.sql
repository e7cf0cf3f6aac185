-- Check-in at the door: a short code per registration for the badge's QR
-- code (not the manage link: a badge is seen by everybody), and one row
-- per person and day checked in.

ALTER TABLE registrations ADD COLUMN checkin_code TEXT;
UPDATE registrations SET checkin_code = {{random_code}} WHERE checkin_code IS NULL;
CREATE UNIQUE INDEX registrations_checkin_code_key ON registrations (checkin_code);
ALTER TABLE registrations ADD COLUMN walk_in BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE check_ins (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    checked_in_at {{timestamp}} NOT NULL,
    by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (registration_id, day)
);
