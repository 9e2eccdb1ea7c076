-- resvoice SQLite schema v5: reservations that live on.
--
-- `code`: the confirmation code a caller quotes (see storage/codes.py). Bookings made before
-- v4 get one derived from their id in the same alphabet (unique, as ids are); new bookings
-- draw random ones. `late_minutes`: the caller rang to say they would be late.
-- `reservation_changes`: every booking, cancellation, move, party change, note and delay,
-- with the values before and after, who made it, in which call and when.

ALTER TABLE reservations ADD COLUMN code TEXT;
ALTER TABLE reservations ADD COLUMN late_minutes INTEGER CHECK (late_minutes > 0);

UPDATE reservations SET code =
    substr('ACDEFHJKMNPQRTUVWXY3479', (id / 6436343) % 23 + 1, 1)
    || substr('ACDEFHJKMNPQRTUVWXY3479', (id / 279841) % 23 + 1, 1)
    || substr('ACDEFHJKMNPQRTUVWXY3479', (id / 12167) % 23 + 1, 1)
    || substr('ACDEFHJKMNPQRTUVWXY3479', (id / 529) % 23 + 1, 1)
    || substr('ACDEFHJKMNPQRTUVWXY3479', (id / 23) % 23 + 1, 1)
    || substr('ACDEFHJKMNPQRTUVWXY3479', id % 23 + 1, 1);

CREATE UNIQUE INDEX reservations_by_code ON reservations (code);
CREATE INDEX reservations_by_phone ON reservations (phone, date);

CREATE TABLE reservation_changes (
    id              INTEGER PRIMARY KEY,
    reservation_id  INTEGER NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('book', 'cancel', 'move', 'party', 'note', 'late')),
    old             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(old)),
    new             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(new)),
    changed_by      TEXT NOT NULL DEFAULT 'caller' CHECK (changed_by IN ('caller', 'staff')),
    conversation_id TEXT,
    at              TEXT NOT NULL
);

CREATE INDEX reservation_changes_by_reservation ON reservation_changes (reservation_id, id);
CREATE INDEX reservation_changes_by_kind ON reservation_changes (kind, at);
