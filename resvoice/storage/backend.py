"""What the shared storage logic needs from a backend: its `Database` and its SQL `Dialect`.

`sqlite/sql.py` and `postgres/sql.py` are modules that satisfy `Dialect` (mypy checks them where
each backend's `Database` names its dialect): each holds its SQL text, its parameter conversions
and the few seeding steps that really differ. The flows around them (`bookings`, `sessions`,
`escalations`, `knowledge`, `restaurant_data`) are written once for both backends and take a
`Database`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from resvoice.restaurant.documents import KnowledgeDoc
from resvoice.storage.rows import Row, RowMapper


class Database(Protocol):
    """One backend's connections as the shared logic uses them.

    Statements are in the backend's dialect and take positional parameters.
    """

    @property
    def dialect(self) -> Dialect: ...

    async def fetch(self, sql: str, *args: Any) -> Sequence[Row]:
        """One read statement (a committed snapshot)."""
        ...

    async def commit(self, sql: str, *args: Any) -> Sequence[Row]:
        """One write statement in a transaction of its own; the rows it returns."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction for a few statements that commit together."""
        ...

    def seed_transaction(self) -> AbstractAsyncContextManager[Tx]:
        """The write transaction a seed runs in; two seeds never interleave."""
        ...

    async def insert_reservation(self, sql: str, *args: Any) -> Sequence[Row]:
        """Run an INSERT of one reservation; its row with the table columns, or none."""
        ...

    def write_tx(self) -> AbstractAsyncContextManager[Tx]:
        """One write transaction; an error of `retry_errors` leaves it as itself (re-runnable)."""
        ...

    async def lock_day(self, tx: Tx, day: dt.date) -> None:
        """Serialise with bookings of `day` inside `tx` (Postgres: an advisory lock)."""
        ...

    @property
    def retry_errors(self) -> tuple[type[BaseException], ...]:
        """Errors of a transaction that lost a race for a table and may simply be run again."""
        ...


class Tx(Protocol):
    """One open write transaction; statements take positional parameters.

    An `asyncpg.Connection` is one as it is; SQLite wraps its connection in `SQLiteTx`.
    """

    async def fetch(self, sql: str, *args: Any) -> Sequence[Row]: ...

    async def execute(self, sql: str, *args: Any) -> object: ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> object: ...


class Dialect(Protocol):
    """One backend's SQL module. Statements take the parameters their comments name, in order."""

    log: logging.Logger
    ROWS: RowMapper  # rows to records

    # restaurant data: (profile JSON, stamp); (); ()
    UPSERT_PROFILE: str
    LOAD_PROFILE: str  # one row with column `profile` (JSON text)
    ACTIVE_TABLES: str
    # seeding: a table plan row; (names); (names); (table id, day) -> column `n`
    UPSERT_TABLE: str
    DELETE_GONE_TABLES: str
    RETIRE_GONE_TABLES: str
    UPCOMING_BOOKINGS: str
    INSERT_HOURS: str  # (weekday, open, close, last seating, closed)
    VECTOR_TABLE_EXISTS: str  # a row when the vector table exists
    DROP_VECTOR_TABLE: str
    UPSERT_META: str  # (key, value)
    VECTOR_IDS: str  # column `doc_id` of every stored vector
    DELETE_MISSING_DOCS: str  # (keys) -> ids removed
    UPSERT_DOC: str  # `doc_params`
    # reservations: (day); (id); (); see `bookings.restore_reservation`
    RESERVATIONS_ON: str
    RESERVATION_BY_ID: str
    ALL_RESERVATIONS: str
    FORGET_RESERVATION_CHANGES: str
    FORGET_RESERVATION: str
    RESTORE_RESERVATION: str
    # reservations that live on: see `reservation_changes.py` and each dialect's comments
    FIND_RESERVATIONS: str
    LOCK_RESERVATION: str  # (id): the joined row, locked for this transaction
    CANCEL_RESERVATION: str
    UPDATE_DETAILS: str
    MOVE_RESERVATION: str  # `move_params`
    INSERT_CHANGE: str
    CHANGES: str
    # sessions: see `sessions.save_session`; (conversation id); (since or None, limit or None)
    SAVE_SESSION: str  # the row without its transcript -> column `id`
    LAST_TURN: str  # (session id) -> column `seq` of its last stored line, or no row
    DELETE_TURNS_FROM: str  # (session id, seq)
    INSERT_TURN: str  # (session id, seq, line JSON)
    LOAD_SESSION: str  # rows carry the transcript assembled from its lines
    LIST_SESSIONS: str
    # escalations: see `escalations.create_escalation`; (status, detail, stamp, id);
    # (conversation id or None); (agent, stamp, id or None) twice
    CREATE_ESCALATION: str
    UPDATE_ESCALATION: str
    ESCALATIONS: str
    CLAIM_OLDEST: str
    CLAIM_NAMED: str
    # knowledge dump: docs by key; docs by key with column `embedding` (stored vector or NULL)
    DUMP_DOCS: str
    DUMP_VECTORS: str

    def day(self, value: dt.date) -> Any:
        """A date as this backend's parameter."""
        ...

    def stamp(self, value: dt.datetime | None = None) -> Any:
        """A timestamp as this backend's parameter (now by default; naive is UTC)."""
        ...

    def placeholders(self, sql: str) -> str:
        """SQL written with `?` placeholders in this backend's form."""
        ...

    def move_params(
        self, reservation_id: int, day: dt.date, start_min: int, end_min: int, party: int
    ) -> Sequence[Any]:
        """`MOVE_RESERVATION`'s parameters."""
        ...

    def names(self, values: list[str]) -> Any:
        """A list of names or keys as one parameter."""
        ...

    def vector_of(self, value: Any) -> list[float]:
        """A stored `embedding` column as floats."""
        ...

    def doc_params(self, doc: KnowledgeDoc, fingerprint: str) -> Sequence[Any]: ...

    def create_vector_table(self, dim: int) -> str: ...

    async def forget_vectors(self, db: Tx, doc_ids: list[int]) -> None:
        """Drop the vectors of deleted documents (unless the schema cascades)."""
        ...

    async def write_vectors(
        self, db: Tx, changed: Sequence[tuple[int, str, Sequence[float]]], fresh: bool, dim: int
    ) -> None:
        """Store (doc id, kind, vector) rows; `fresh`: the vector table was just created."""
        ...
