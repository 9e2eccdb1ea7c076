-- resvoice SQLite schema v3: transfers whose outcome is overdue, and a feed of escalation
-- changes for the consoles of every server process.
--
-- `transfer_due_at`: while a transfer to a human is under way, when its dial outcome is due.
-- A `transferred` row past it is failed by the sweep of any server (`fail_overdue_transfers`).
-- `change_seq`: raised on every insert and visible update. SQLite has one writer at a time, so
-- the numbers follow commit order and a watcher polling `change_seq > last` misses no change.

ALTER TABLE escalations ADD COLUMN transfer_due_at TEXT;

ALTER TABLE escalations ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;

UPDATE escalations SET change_seq = id;

CREATE INDEX escalations_by_change ON escalations (change_seq);

CREATE TRIGGER escalations_change_insert AFTER INSERT ON escalations BEGIN
    UPDATE escalations SET change_seq = (SELECT max(change_seq) FROM escalations) + 1
    WHERE id = NEW.id;
END;

-- not on `transfer_due_at` (bookkeeping nobody sees) nor on `change_seq` itself
CREATE TRIGGER escalations_change_update
AFTER UPDATE OF status, detail, claimed_by, claimed_at, updated_at ON escalations BEGIN
    UPDATE escalations SET change_seq = (SELECT max(change_seq) FROM escalations) + 1
    WHERE id = NEW.id;
END;
