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
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        staging.write_text(secrets.token_hex(32))
        staging.chmod(0o600)
        try:
            os.link(staging, path)  # atomic: the first process to get here wins
        except FileExistsError:
            pass
        finally:
            staging.unlink()
    return path.read_text().strip().encode()


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
