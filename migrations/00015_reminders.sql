-- Reminders before a meeting: on by default, 7 and 1 days before the
-- first day; organisers may change the days or switch them off (stored
-- as "off", so a meeting written without the column has them on).
ALTER TABLE events ADD COLUMN reminders_off BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '7,1';

-- Calendar entries carry a SEQUENCE that must grow with every update a
-- participant's calendar receives for the same UID: it is the number of
-- calendar mails queued for the registration before (the outbox keeps
-- them in order), so nothing needs storing for it.
-- The UIDs of a participant's calendar entries name the meeting's days
-- as they were first announced; calendar_days keeps them once the days
-- change ('' until then), so a moved day keeps its entry's UID and the
-- participant's calendar moves it instead of adding a second one.
ALTER TABLE events ADD COLUMN calendar_days TEXT NOT NULL DEFAULT '';

-- Changes of a published meeting that its registrants may be told of:
-- what changed in German (summary), the days before the change (their
-- calendar entries are cancelled when a day is gone), whether it is the
-- cancellation of the meeting, and what the organiser decided.
CREATE TABLE event_changes (
    id {{id}},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    old_days TEXT NOT NULL DEFAULT '',
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    notified_at {{timestamp}},
    dismissed_at {{timestamp}},
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX event_changes_event_idx ON event_changes (event_id);

-- A reminder goes exactly once per registration and number of days,
-- and a change notice once per registration and change, whatever the
-- number of app instances or restarts: the keys refuse a second row.
ALTER TABLE mail_outbox ADD COLUMN reminder_days INTEGER;
ALTER TABLE mail_outbox ADD COLUMN change_id BIGINT REFERENCES event_changes (id) ON DELETE SET NULL;
-- A confirmation of a participant's own change carries a calendar
-- update only when the days changed.
ALTER TABLE mail_outbox ADD COLUMN days_changed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX mail_outbox_reminder_key ON mail_outbox (registration_id, kind, reminder_days) WHERE reminder_days IS NOT NULL AND copy_of IS NULL;
CREATE UNIQUE INDEX mail_outbox_change_key ON mail_outbox (registration_id, change_id) WHERE change_id IS NOT NULL AND copy_of IS NULL;
