-- resvoice SQLite schema v6: the text messages sent to guests.
--
-- One row per confirmation text: to whom, what it said, what became of it (`queued` while a
-- send is in flight, then `sent`, `failed` or `skipped` - texts off, or not an E.164 number),
-- the provider's message id, the last error, how many sends were tried. A call's texts carry
-- its `conversation_id`; a staff change's carry the reservation only.

CREATE TABLE text_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT,
    reservation_id  INTEGER,
    to_number       TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    provider_id     TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX text_messages_by_conversation ON text_messages (conversation_id, id);
CREATE INDEX text_messages_by_reservation ON text_messages (reservation_id, id);
