"""Web chat conversation ids: issued by the server, signed, so a browser cannot pick one.

An id is 128 random bits and an HMAC-SHA256 signature of them (`<32 hex>.<32 hex>`). The
server accepts back only ids it signed, so nobody can choose an id that is someone else's
conversation, and ids cannot be guessed (chat.js made them with Math.random before).
The key comes from VRAGENBOT_SESSION_SECRET or, without it, from `var/session-secret`
(created on first use, mode 600), so the processes of the scale-out profile, which share
`var/`, and a restarted server accept the ids they issued before.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from bot import PROJECT_DIR
from bot.private_files import make_private_directory, narrow, new_private_file

SECRET_ENV = "VRAGENBOT_SESSION_SECRET"
SECRET_FILE = PROJECT_DIR / "var" / "session-secret"
_SHAPE = re.compile(r"(?P<token>[0-9a-f]{32})\.(?P<signature>[0-9a-f]{32})")


@lru_cache(maxsize=1)
def _secret() -> bytes:
    configured = os.environ.get(SECRET_ENV, "").strip()
    if configured:
        return configured.encode()
    return _secret_from_file(SECRET_FILE)


def _secret_from_file(path: Path) -> bytes:
    if path.exists():
        narrow(path)
    else:
        make_private_directory(path.parent)
        # Written whole, mode 600 from its creation (bot/private_files.py), then linked into place.
        staging = new_private_file(path.parent, secrets.token_hex(32).encode(), prefix=f".{path.name}.")
        try:
            os.link(staging, path)  # atomic: the first process to get here wins
        except FileExistsError:
            pass
        finally:
            staging.unlink()
    return path.read_text().strip().encode()


def narrow_secret_file() -> None:
    """At start: a key file that other users may read (made by an older version) becomes mode 600."""
    if not os.environ.get(SECRET_ENV, "").strip():
        narrow(SECRET_FILE)


def _signature(token: str) -> str:
    return hmac.new(_secret(), token.encode(), hashlib.sha256).hexdigest()[:32]


def issue_session_id() -> str:
    token = secrets.token_hex(16)
    return f"{token}.{_signature(token)}"


def verified_session_id(value: Any) -> Optional[str]:
    """`value` if it is an id this server issued, else None."""
    match = _SHAPE.fullmatch(value) if isinstance(value, str) else None
    if match is None or not hmac.compare_digest(match.group("signature"), _signature(match.group("token"))):
        return None
    return value
