-- resvoice SQLite schema v4: a call's transcript as one row per line, appended as the call
-- goes on, instead of one JSON array rewritten whole on every save (a long call's saves then
-- cost the same at its end as at its start).
--
-- `seq` is the line's index in the transcript. A save replaces the last stored line and adds
-- the new ones (a barge-in may cut or drop the reply that ends the transcript).
-- `voice_sessions.transcript` stays in the schema, empty; reads assemble it from here.

CREATE TABLE session_turns (
    session_id INTEGER NOT NULL REFERENCES voice_sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    line       TEXT NOT NULL CHECK (json_valid(line)),
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

INSERT INTO session_turns (session_id, seq, line)
SELECT s.id, CAST(t.key AS INTEGER), t.value
FROM voice_sessions AS s, json_each(s.transcript) AS t;

UPDATE voice_sessions SET transcript = '[]';
