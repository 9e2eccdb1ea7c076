"""DATABASE_URL parsing and `open_storage`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resvoice.errors import ConfigError, StorageError
from resvoice.storage import open_storage, parse_database_url
from resvoice.storage.url import mask_password
from tests.databases import with_database


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///resvoice.db", "resvoice.db"),
        ("sqlite:///data/resvoice.db", "data/resvoice.db"),
        ("sqlite:////var/lib/resvoice.db", "/var/lib/resvoice.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("  SQLITE:///x.db ", "x.db"),
    ],
)
def test_sqlite_urls(url: str, path: str) -> None:
    parsed = parse_database_url(url)
    assert parsed.backend == "sqlite" and parsed.path == path


@pytest.mark.parametrize(
    "url",
    [
        "",
        "resvoice.db",
        "sqlite://x.db",
        "sqlite:x.db",
        "sqlite:///",
        "sqlite:///x.db?mode=ro",
        "mysql://u:p@h/db",
        "postgresql://",
        "postgresql://u:p@h:notaport/db",
    ],
)
def test_bad_urls_name_the_accepted_forms(url: str) -> None:
    with pytest.raises(ConfigError, match=r"sqlite:///:memory:"):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://bob:s3cret@db:5432/rv", "postgresql://bob:***@db:5432/rv"),
        ("postgres://bob:p@ss/word@db/rv", "postgres://bob:***@db/rv"),
        ("postgresql://bob@db/rv", "postgresql://bob@db/rv"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def _neutral_text() -> str:
    """What the messages and reprs say with a harmless password: a password that is a piece of
    this text (say "None" or "post") proves nothing when found, so the property skips it."""
    texts = [
        repr(parse_database_url(f"{scheme}://user:pw@db.example:5432/resvoice"))
        for scheme in ("postgresql", "postgres", "postgresql+psycopg")
    ]
    try:
        parse_database_url("mysql://user:pw@db.example:5432/resvoice")
    except ConfigError as exc:
        texts.append(str(exc))
    return " ".join(texts)


NEUTRAL = _neutral_text()


@given(
    password=st.text(
        alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "S"]), min_size=4
    ).filter(lambda p: "@" not in p[-1:] and p not in NEUTRAL),
    scheme=st.sampled_from(["postgresql", "postgres", "mysql", "postgresql+psycopg"]),
)
def test_a_password_never_reaches_a_message(password: str, scheme: str) -> None:
    url = f"{scheme}://user:{password}@db.example:5432/resvoice"
    parsed = None
    try:
        parsed = parse_database_url(url)
    except ConfigError as exc:
        assert password not in str(exc)
    if parsed is not None:
        assert password not in parsed.masked and password not in repr(parsed)


async def test_open_storage_sqlite(tmp_path: Path) -> None:
    store = await open_storage(f"sqlite:///{tmp_path}/nested/resvoice.db")
    try:
        assert store.backend == "sqlite"
        assert await store.load_profile() is None
    finally:
        await store.close()
    assert (tmp_path / "nested" / "resvoice.db").exists()

    memory = await open_storage("sqlite:///:memory:")
    await memory.close()


async def test_unreachable_postgres_is_one_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError, match="cannot connect to database") as caught:
        await open_storage("postgresql://bob:hunter2@127.0.0.1:1/rv")
    assert "hunter2" not in str(caught.value)
    assert "bob:***@127.0.0.1:1/rv" in str(caught.value)
    assert "\n" not in str(caught.value)


async def test_a_missing_postgres_database_is_a_storage_error(postgres_server: str) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        await open_storage(with_database(postgres_server, "no_such_database"))


async def test_open_storage_postgres(database_url: str, backend: str) -> None:
    store = await open_storage(database_url)
    try:
        assert store.backend == backend
        assert await store.load_profile() is None
    finally:
        await store.close()
