-- resvoice SQLite schema v2: when an escalation was claimed by a human (time to pickup).
-- Rows claimed before this column existed get their last update, the best time there is.

ALTER TABLE escalations ADD COLUMN claimed_at TEXT;

UPDATE escalations SET claimed_at = updated_at
WHERE claimed_by IS NOT NULL AND claimed_at IS NULL;
