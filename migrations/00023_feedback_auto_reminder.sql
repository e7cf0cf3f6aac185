-- The feedback survey can remind those who have not answered by itself,
-- the given number of days before its last day; 0 leaves the reminder to
-- the organisers' button.
ALTER TABLE feedback_surveys ADD COLUMN remind_days_before INTEGER NOT NULL DEFAULT 0;
