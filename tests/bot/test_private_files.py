"""Files with users' data or the session key: mode 600 from the moment they exist, folders we make 700.

Security review, finding 7: `var/session-secret` was written 644 and only then narrowed to 600,
and `var/conversations.db` and `reports/gebruik.html` stayed 644. The `creations` fixture
records the mode of every file Python creates or opens for writing, at that moment, so a
file written first and narrowed afterwards fails here even though it ends up 600. SQLite
creates its files in C, out of the fixture's sight: there the test looks at the database
file when the first connection is about to be made.
"""
from __future__ import annotations

import builtins
import io
import logging
import os
import pathlib
import sqlite3
import stat
from pathlib import Path
from typing import Dict, Iterator

import pytest

from bot import private_files
from bot.report import main as report_main
from bot.store import tracker_store
from bot.store.tracker_store import ConversationStore
from bot.web import sessions

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def creations(monkeypatch, tmp_path) -> Dict[Path, int]:
    """Every file under tmp_path that Python creates or opens for writing, with its mode right then."""
    seen: Dict[Path, int] = {}

    def note(file) -> None:
        if isinstance(file, (str, os.PathLike)) and Path(file).is_relative_to(tmp_path) and Path(file).exists():
            seen.setdefault(Path(file), mode(Path(file)))

    real_os_open, real_io_open = os.open, io.open

    def os_open(path, flags, *args, **kwargs):
        descriptor = real_os_open(path, flags, *args, **kwargs)
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            note(path)
        return descriptor

    def io_open(file, mode="r", *args, **kwargs):
        handle = real_io_open(file, mode, *args, **kwargs)
        if set(mode) & set("wax+"):
            note(file)
        return handle

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    if hasattr(pathlib, "_NormalAccessor"):  # Python 3.10's Path.open calls the io.open it bound at import
        monkeypatch.setattr(pathlib._NormalAccessor, "open", staticmethod(io_open))
    return seen


@pytest.fixture
def umask(request) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def endpoints_for(tmp_path: Path, database: Path) -> Path:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
                         f"  db: {database}\n")
    return endpoints


# The helpers: the mode is given when the file is created, so no umask makes it wider.
@pytest.mark.parametrize("umask", [0o022, 0o000], indirect=True, ids=["umask-022", "umask-000"])
def test_private_files_are_600_whatever_the_umask(tmp_path, creations, umask):
    assert private_files.create_private_file(tmp_path / "a", b"x")
    assert not private_files.create_private_file(tmp_path / "a", b"y")  # O_EXCL: never overwritten
    private_files.write_private_file(tmp_path / "b", "tekst")
    private_files.make_private_directory(tmp_path / "map")
    assert (tmp_path / "a").read_bytes() == b"x" and (tmp_path / "b").read_text() == "tekst"
    assert creations and set(creations.values()) == {OWNER_ONLY}
    assert mode(tmp_path / "a") == mode(tmp_path / "b") == OWNER_ONLY
    assert mode(tmp_path / "map") == OWNER_ONLY_FOLDER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "map"]  # no staging file left behind


# The session key.
def test_the_session_key_is_never_readable_by_others_not_even_while_it_is_written(tmp_path, creations):
    path = tmp_path / "var" / "session-secret"
    key = sessions._secret_from_file(path)
    assert len(key) == 64 and sessions._secret_from_file(path) == key
    assert creations and set(creations.values()) == {OWNER_ONLY}, creations  # the staging file too
    assert mode(path) == OWNER_ONLY and mode(path.parent) == OWNER_ONLY_FOLDER
    assert [p.name for p in path.parent.iterdir()] == ["session-secret"]


def test_a_key_file_open_to_others_is_narrowed_at_start_with_a_log_line(tmp_path, monkeypatch, caplog):
    import rasa.__main__

    from bot import quiet, rasa_patches, server

    path = tmp_path / "session-secret"
    path.write_text("0" * 64)
    path.chmod(0o644)
    monkeypatch.setattr(sessions, "SECRET_FILE", path)
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    started = []
    monkeypatch.setattr(quiet, "quiet_third_party_notices", lambda: None)
    monkeypatch.setattr(rasa_patches, "apply", lambda: None)
    monkeypatch.setattr(rasa.__main__, "main", lambda: started.append(mode(path)))
    with caplog.at_level(logging.WARNING, logger="bot.private_files"):
        server.main(["run"])
    assert started == [OWNER_ONLY]  # narrowed before Rasa starts
    assert str(path) in caplog.text and "644" in caplog.text


# The conversations.
def test_the_database_is_600_before_the_first_connection_creates_it(tmp_path, creations, monkeypatch):
    database = tmp_path / "var" / "conversations.db"
    at_first_connection = []
    real_wait = tracker_store.wait_for_database

    def first_connection(url, timeout):
        at_first_connection.append(mode(database) if database.exists() else None)
        real_wait(url, timeout)

    monkeypatch.setattr(tracker_store, "wait_for_database", first_connection)
    ConversationStore(dialect="sqlite", db=str(database))
    assert at_first_connection == [OWNER_ONLY]
    assert creations.get(database) == OWNER_ONLY  # created by us, 600 in the creating call
    assert mode(database) == OWNER_ONLY and mode(database.parent) == OWNER_ONLY_FOLDER


def test_sqlites_journal_and_wal_files_take_the_databases_mode(tmp_path):
    database = tmp_path / "conversations.db"
    ConversationStore(dialect="sqlite", db=str(database))
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO events (sender_id, type_name, timestamp) VALUES ('rest:a', 'user', 1)")
        assert mode(Path(f"{database}-journal")) == OWNER_ONLY  # the rollback journal, mid-transaction
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("INSERT INTO events (sender_id, type_name, timestamp) VALUES ('rest:b', 'user', 2)")
        assert mode(Path(f"{database}-wal")) == mode(Path(f"{database}-shm")) == OWNER_ONLY
    finally:
        connection.close()


def test_a_database_open_to_others_is_narrowed_at_start_with_a_log_line(tmp_path, caplog):
    database = tmp_path / "conversations.db"
    sqlite3.connect(database).close()
    wal = Path(f"{database}-wal")
    wal.touch()
    for path in (database, wal):
        path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.private_files"):
        ConversationStore(dialect="sqlite", db=str(database))
    assert mode(database) == mode(wal) == OWNER_ONLY
    assert str(database) in caplog.text and str(wal) in caplog.text


# The usage report (users' questions).
def test_the_report_is_600_from_its_creation_in_a_700_folder(tmp_path, creations):
    out = tmp_path / "reports" / "gebruik.html"
    assert report_main(["--endpoints", str(endpoints_for(tmp_path, tmp_path / "c.db")), "--out", str(out)]) == 0
    assert "<title>Vragenbot Metaal: gebruik</title>" in out.read_text(encoding="utf-8")
    written = {path: created for path, created in creations.items() if path.parent == out.parent}
    assert written and set(written.values()) == {OWNER_ONLY}, written
    assert mode(out) == OWNER_ONLY and mode(out.parent) == OWNER_ONLY_FOLDER
    assert [p.name for p in out.parent.iterdir()] == ["gebruik.html"]


def test_a_report_open_to_others_is_replaced_by_one_for_the_owner_only(tmp_path, caplog):
    out = tmp_path / "gebruik.html"
    out.write_text("oud rapport")
    out.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.private_files"):
        report_main(["--endpoints", str(endpoints_for(tmp_path, tmp_path / "c.db")), "--out", str(out)])
    assert mode(out) == OWNER_ONLY and "oud rapport" not in out.read_text(encoding="utf-8")
    assert str(out) in caplog.text
