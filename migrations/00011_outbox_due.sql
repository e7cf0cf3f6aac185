-- The worker's claim reads only mails that may be due: a partial index
-- of pending and sending mails, in the order they fall due, replaces the
-- index that also held every sent mail. It is created per dialect by the
-- Go step of this version (SQLite orders the instants through julianday()).
DROP INDEX mail_outbox_due_idx;
