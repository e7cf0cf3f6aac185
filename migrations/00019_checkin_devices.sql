-- Check-ins made on a phone, possibly offline, arrive later and more than
-- once: the device's own id of the check-in tells a resent one from a
-- second device's, so the device is told "eingecheckt", not "bereits
-- eingecheckt", for its own.
ALTER TABLE check_ins ADD COLUMN client_ref TEXT NOT NULL DEFAULT '';
