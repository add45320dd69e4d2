"""`HealthChannel`: whether the parts a conversation needs work.

    GET /webhooks/health/        200 {"status": "ok", ...} when conversations are stored,
                                 locks and the action server answer; 503 {"status":
                                 "degraded", ...} naming what is wrong. For monitoring.
    GET /webhooks/health/ready   200 when this process can hold conversations (model loaded,
                                 conversation and lock store answer), whatever the action
                                 server does: without it FAQ answers still work and lookups
                                 apologise. For load balancers and readiness probes.

Checked on every request (each check at most a few seconds): the conversation store (can
its events table be read, and did a read or write fail since the last success), the lock
store (Redis ping in the scale-out profile) and the action server (its /health). Rasa's
own `GET /` only says the process runs. The report names no passwords or credentials.

What the report shows depends on who asks (finding 6 of the review: the public report
named the database file and error texts such as "Cannot connect to host 127.0.0.1:5157"):
- anyone: the status and, per part, only {"ok": true|false};
- detail (database, error types and texts, counts): a request from this machine (the peer
  is loopback and no proxy relayed it: bot/channels/rate_limit.py `is_local_request`, which
  believes X-Forwarded-For only from TRUSTED_PROXIES), or one with
  `Authorization: Bearer $RASA_API_TOKEN` (the token of Rasa's HTTP API, scripts/serve; a
  header, not `?token=`, so it stays out of access logs).
The log gets the detail whenever a part fails.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import RedisLockStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rate_limit import is_local_request
from bot.store.tracker_store import ConversationStore, unwrap

logger = logging.getLogger(__name__)
CHECK_SECONDS = 3.0
API_TOKEN_ENV = "RASA_API_TOKEN"
# Headers a proxy adds when it relays a request: with one of them, a loopback peer is a
# proxy on this machine, not a local user.
RELAY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


def may_see_detail(request: Request) -> bool:
    """Whether the health report may show its detail to this request (module docstring)."""
    token = os.environ.get(API_TOKEN_ENV, "")
    offered = request.headers.get("authorization", "")
    if token and offered.startswith("Bearer ") and hmac.compare_digest(offered[7:].encode(), token.encode()):
        return True
    forwarded_for = request.headers.get("x-forwarded-for")
    if not forwarded_for and any(name in request.headers for name in RELAY_HEADERS):
        return False
    return is_local_request(request.ip, forwarded_for)


def public(results: Dict[str, Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """Per part only whether it works."""
    return {name: {"ok": bool(result["ok"])} for name, result in results.items()}


async def _in_thread(check: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """Run a blocking check without holding up conversations, and give up after CHECK_SECONDS."""
    try:
        return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, check), CHECK_SECONDS)
    except asyncio.TimeoutError:
        return {"ok": False, "error": f"no answer within {CHECK_SECONDS:g} s"}


def _conversation_store_check(agent: Any) -> Callable[[], Dict[str, Any]]:
    store = unwrap(agent.tracker_store)
    if isinstance(store, ConversationStore):
        return store.check
    # Rasa falls back to an in-memory store when the configured class cannot be loaded.
    return lambda: {"ok": False, "error": f"conversations are not stored ({type(store).__name__})"}


def _lock_store_check(agent: Any) -> Callable[[], Dict[str, Any]]:
    lock_store = agent.lock_store
    if not isinstance(lock_store, RedisLockStore):
        return lambda: {"ok": True, "type": type(lock_store).__name__}

    def ping() -> Dict[str, Any]:
        try:
            lock_store.red.ping()
            return {"ok": True, "type": "redis"}
        except Exception as error:  # any Redis error means locks are not shared
            return {"ok": False, "type": "redis", "error": f"{type(error).__name__}: {error}"}

    return ping


async def _action_server_check(agent: Any) -> Dict[str, Any]:
    endpoint = agent.action_endpoint
    if endpoint is None or not endpoint.url:
        return {"ok": False, "error": "no action_endpoint configured"}
    health_url = endpoint.url.rsplit("/", 1)[0] + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=CHECK_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(health_url) as reply:
                return {"ok": reply.status == 200, "status": reply.status}
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}


class HealthChannel(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("vragenbot_health", __name__)

        async def checks(request: Request, with_actions: bool) -> HTTPResponse:
            agent: Optional[Any] = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "starting"}, status=503)
            parts = [_in_thread(_conversation_store_check(agent)), _in_thread(_lock_store_check(agent))]
            if with_actions:
                parts.append(_action_server_check(agent))
            results = dict(zip(["conversation_store", "lock_store", "action_server"], await asyncio.gather(*parts)))
            healthy = all(result["ok"] for result in results.values())
            if not healthy:
                logger.warning("Health: degraded %s", results)
            shown = results if may_see_detail(request) else public(results)
            return response.json({"status": "ok" if healthy else "degraded", **shown},
                                 status=200 if healthy else 503)

        @health.route("/", methods=["GET"])
        async def report(request: Request) -> HTTPResponse:
            return await checks(request, with_actions=True)

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            return await checks(request, with_actions=False)

        return health
