-- Confirmed places per meeting, changed in the same transaction as every
-- change of a registration's status (registration/store.go), so deciding
-- a place reads two rows instead of counting the meeting's registrations
-- under its lock. municipality_id 0 holds the meeting's total.
CREATE TABLE registration_places (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL,
    confirmed INTEGER NOT NULL,
    PRIMARY KEY (event_id, municipality_id)
);
INSERT INTO registration_places (event_id, municipality_id, confirmed)
SELECT event_id, 0, count(*) FROM registrations WHERE status = 'confirmed' GROUP BY event_id;
INSERT INTO registration_places (event_id, municipality_id, confirmed)
SELECT event_id, municipality_id, count(*) FROM registrations
WHERE status = 'confirmed' AND municipality_id IS NOT NULL GROUP BY event_id, municipality_id;
