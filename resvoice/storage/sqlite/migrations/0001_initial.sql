-- resvoice SQLite schema v1.
-- The sqlite-vec table `knowledge_vec` is not created here: its dimension comes from the
-- embedder, so `SQLiteStorage.seed` creates (or recreates) it.

CREATE TABLE restaurant (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    profile    TEXT NOT NULL CHECK (json_valid(profile)),
    updated_at TEXT NOT NULL
);

CREATE TABLE dining_tables (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    seats  INTEGER NOT NULL CHECK (seats > 0),
    area   TEXT,
    -- 0 once a reseed dropped the table while reservations still point at it: kept for those
    -- reservations, never offered again.
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE opening_hours (
    weekday      INTEGER PRIMARY KEY CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    open         TEXT,  -- 'HH:MM', NULL when closed
    close        TEXT,
    last_seating TEXT,
    closed       INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1))
);

CREATE TABLE reservations (
    id               INTEGER PRIMARY KEY,
    table_id         INTEGER NOT NULL REFERENCES dining_tables (id),
    conversation_id  TEXT,
    name             TEXT NOT NULL,
    phone            TEXT NOT NULL,
    party_size       INTEGER NOT NULL CHECK (party_size > 0),
    date             TEXT NOT NULL,     -- ISO 'YYYY-MM-DD'
    start_min        INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min          INTEGER NOT NULL,  -- may pass 1440 when a sitting crosses midnight
    email            TEXT,
    special_requests TEXT,
    status           TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
    created_at       TEXT NOT NULL,
    CHECK (end_min > start_min)
);

CREATE INDEX reservations_by_date_table ON reservations (date, table_id);
CREATE INDEX reservations_by_table_date ON reservations (table_id, date);
CREATE INDEX reservations_by_conversation ON reservations (conversation_id);

-- The exclusion guard: whatever client writes, a table never holds two overlapping 'booked'
-- reservations. Neighbouring dates are checked too, for sittings that cross midnight.
CREATE TRIGGER reservations_no_overlap_insert
BEFORE INSERT ON reservations
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'resvoice: table already booked at an overlapping time')
    WHERE EXISTS (
        SELECT 1 FROM reservations AS r
        WHERE r.table_id = NEW.table_id
          AND r.status = 'booked'
          AND r.date IN (date(NEW.date, '-1 day'), NEW.date, date(NEW.date, '+1 day'))
          AND r.start_min + 1440 * CAST(julianday(r.date) - julianday(NEW.date) AS INTEGER)
              < NEW.end_min
          AND NEW.start_min
              < r.end_min + 1440 * CAST(julianday(r.date) - julianday(NEW.date) AS INTEGER)
    );
END;

CREATE TRIGGER reservations_no_overlap_update
BEFORE UPDATE OF table_id, date, start_min, end_min, status ON reservations
WHEN NEW.status = 'booked'
BEGIN
    SELECT RAISE(ABORT, 'resvoice: table already booked at an overlapping time')
    WHERE EXISTS (
        SELECT 1 FROM reservations AS r
        WHERE r.table_id = NEW.table_id
          AND r.id != NEW.id
          AND r.status = 'booked'
          AND r.date IN (date(NEW.date, '-1 day'), NEW.date, date(NEW.date, '+1 day'))
          AND r.start_min + 1440 * CAST(julianday(r.date) - julianday(NEW.date) AS INTEGER)
              < NEW.end_min
          AND NEW.start_min
              < r.end_min + 1440 * CAST(julianday(r.date) - julianday(NEW.date) AS INTEGER)
    );
END;

CREATE TABLE knowledge_docs (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('menu', 'policy', 'faq')),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    metadata     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    content_hash TEXT NOT NULL
);

-- External-content FTS5 index over knowledge_docs, kept in sync by the triggers below.
CREATE VIRTUAL TABLE knowledge_fts USING fts5 (
    title, body, tags,
    content = 'knowledge_docs',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER knowledge_docs_fts_insert AFTER INSERT ON knowledge_docs BEGIN
    INSERT INTO knowledge_fts (rowid, title, body, tags)
    VALUES (NEW.id, NEW.title, NEW.body, NEW.tags);
END;

CREATE TRIGGER knowledge_docs_fts_delete AFTER DELETE ON knowledge_docs BEGIN
    INSERT INTO knowledge_fts (knowledge_fts, rowid, title, body, tags)
    VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.tags);
END;

CREATE TRIGGER knowledge_docs_fts_update AFTER UPDATE OF title, body, tags ON knowledge_docs
BEGIN
    INSERT INTO knowledge_fts (knowledge_fts, rowid, title, body, tags)
    VALUES ('delete', OLD.id, OLD.title, OLD.body, OLD.tags);
    INSERT INTO knowledge_fts (rowid, title, body, tags)
    VALUES (NEW.id, NEW.title, NEW.body, NEW.tags);
END;

-- Small settings of the stored data: embedder_name, embedder_dim.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE voice_sessions (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL UNIQUE,
    notepad         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(notepad)),
    metadata        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    transcript      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transcript)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX voice_sessions_by_created ON voice_sessions (created_at DESC, id DESC);

CREATE TABLE escalations (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    reason          TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (
        status IN ('queued', 'claimed', 'transferred', 'callback', 'resolved', 'failed')
    ),
    notepad         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(notepad)),
    missing_fields  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(missing_fields)),
    transcript      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transcript)),
    claimed_by      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX escalations_by_status ON escalations (status, created_at);
CREATE INDEX escalations_by_conversation ON escalations (conversation_id, created_at);
