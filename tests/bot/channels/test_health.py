"""What the public endpoints tell whom: the health report's detail only to this machine or the
API token (bot/channels/health.py), and `GET /` without Rasa's version (bot/rasa_patches.py)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Dict, Optional

import pytest
import rasa
from multidict import CIMultiDict

from bot import rasa_patches
from bot.channels.health import may_see_detail, public

RESULTS = {
    "conversation_store": {"ok": False, "database": "sqlite:/srv/vragenbot/var/conversations.db",
                           "reachable": False, "error": "OperationalError", "failed_writes": 2},
    "lock_store": {"ok": True, "type": "redis"},
    "action_server": {"ok": False, "error": "ClientConnectorError: Cannot connect to host 127.0.0.1:5157"},
}


def request(ip: str, headers: Optional[Dict[str, str]] = None) -> SimpleNamespace:
    return SimpleNamespace(ip=ip, headers=CIMultiDict(headers or {}))


def test_the_public_report_says_per_part_only_whether_it_works():
    assert public(RESULTS) == {"conversation_store": {"ok": False}, "lock_store": {"ok": True},
                               "action_server": {"ok": False}}


@pytest.mark.parametrize("ip, headers, allowed", [
    ("127.0.0.1", {}, True),
    ("::1", {}, True),
    ("203.0.113.7", {}, False),
    ("192.0.2.2", {}, False),  # this machine's own network address is a peer like any other
    ("127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}, False),  # a proxy here, relaying a remote client
    ("127.0.0.1", {"X-Forwarded-For": "127.0.0.1"}, False),  # ... its header trusted by nobody
    ("127.0.0.1", {"X-Real-IP": "203.0.113.7"}, False),
    ("127.0.0.1", {"Forwarded": "for=203.0.113.7"}, False),
])
def test_detail_goes_only_to_this_machine(monkeypatch, ip, headers, allowed):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert may_see_detail(request(ip, headers)) is allowed


def test_behind_a_trusted_proxy_on_this_machine_a_local_client_sees_detail(monkeypatch):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    assert may_see_detail(request("127.0.0.1", {"X-Forwarded-For": "127.0.0.1"}))
    assert not may_see_detail(request("127.0.0.1", {"X-Forwarded-For": "203.0.113.7"}))


@pytest.mark.parametrize("authorization, allowed", [
    ("Bearer geheim-token", True),
    ("Bearer geheim-tokenx", False),
    ("Bearer ", False),
    ("geheim-token", False),
    ("Basic geheim-token", False),
])
def test_detail_goes_to_whoever_has_the_api_token(monkeypatch, authorization, allowed):
    monkeypatch.setenv("RASA_API_TOKEN", "geheim-token")
    assert may_see_detail(request("203.0.113.7", {"Authorization": authorization})) is allowed


def test_without_a_token_configured_no_authorization_header_opens_the_detail(monkeypatch):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    assert not may_see_detail(request("203.0.113.7", {"Authorization": "Bearer "}))


async def test_the_root_says_the_server_runs_without_rasas_version():
    routes = {}
    app = SimpleNamespace(get=lambda path: lambda handler: routes.setdefault(path, handler))
    rasa_patches.apply()
    from rasa import server

    server.add_root_route(app)  # as rasa/core/run.py calls it
    reply = await routes["/"](None)
    assert reply.status == 200 and rasa.__version__ not in reply.body.decode()
    assert reply.body.decode() == rasa_patches.ROOT_TEXT
