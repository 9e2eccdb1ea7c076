-- resvoice Postgres schema v4: a call's transcript as one row per line, appended as the call
-- goes on, instead of one JSON array rewritten whole on every save (a long call's saves then
-- cost the same at its end as at its start).
--
-- `seq` is the line's index in the transcript. A save replaces the last stored line and adds
-- the new ones (a barge-in may cut or drop the reply that ends the transcript).
-- `voice_sessions.transcript` stays in the schema, empty; reads assemble it from here.

CREATE TABLE session_turns (
    session_id bigint NOT NULL REFERENCES voice_sessions (id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    line       jsonb NOT NULL,
    PRIMARY KEY (session_id, seq)
);

INSERT INTO session_turns (session_id, seq, line)
SELECT s.id, (t.ord - 1)::integer, t.value
FROM voice_sessions AS s, jsonb_array_elements(s.transcript) WITH ORDINALITY AS t (value, ord);

UPDATE voice_sessions SET transcript = '[]'::jsonb;
