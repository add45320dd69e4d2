"""The signing key of web chat sessions: from the environment, or one file shared by processes."""
from __future__ import annotations

from bot.web import sessions


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "var" / "session-secret"
    first = sessions._secret_from_file(path)
    assert sessions._secret_from_file(path) == first and len(first) == 64
    assert path.stat().st_mode & 0o077 == 0


def test_ids_signed_with_another_key_are_refused(monkeypatch):
    issued = sessions.issue_session_id()
    sessions._secret.cache_clear()
    monkeypatch.setenv(sessions.SECRET_ENV, "another school's key")
    try:
        assert sessions.verified_session_id(issued) is None
    finally:
        sessions._secret.cache_clear()
