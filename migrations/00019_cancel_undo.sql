-- How often a cancellation of the registration was taken back. The
-- calendar entries mailed to the person carry it in their SEQUENCE, so
-- the invitation after an undo (and a cancellation after that) is newer
-- than every entry sent before and calendar clients apply it.
ALTER TABLE registrations ADD COLUMN reinstatements INTEGER NOT NULL DEFAULT 0;
