"""The relay: in process, and across processes through Redis pub/sub (a local redis-server, if installed)."""
from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from datetime import datetime, timezone

import pytest

from bot.handover.service import (
    Draft, InProcessRelay, RedisDrafts, RedisRelay, drafts_from_environment, relay_from_environment,
)


async def test_in_process_every_subscriber_gets_every_message_and_one_failing_stops_none():
    relay, got = InProcessRelay(), []

    async def broken(conversation_id, message):
        raise RuntimeError("socket gone")

    async def working(conversation_id, message):
        got.append((conversation_id, message["text"]))

    await relay.subscribe(broken)
    await relay.subscribe(working)
    await relay.publish("web:a", {"text": "Hoi"})
    assert got == [("web:a", "Hoi")]


def test_the_environment_chooses_redis_or_the_process(monkeypatch):
    monkeypatch.delenv("REDIS_HOST", raising=False)
    assert isinstance(relay_from_environment(), InProcessRelay)
    monkeypatch.setenv("REDIS_HOST", "localhost")
    monkeypatch.setenv("REDIS_PORT", "6390")
    relay = relay_from_environment()
    assert isinstance(relay, RedisRelay) and relay.redis.connection_pool.connection_kwargs["port"] == 6390
    assert isinstance(drafts_from_environment(), RedisDrafts)


@pytest.fixture(scope="module")
def redis_port():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


async def test_through_redis_two_processes_each_get_what_either_publishes(redis_port):
    student_side, staff_side = RedisRelay("127.0.0.1", redis_port), RedisRelay("127.0.0.1", redis_port)
    got = {"student": [], "staff": []}

    def keep(side):
        async def callback(conversation_id, message):
            got[side].append((conversation_id, message["text"]))
        return callback

    try:
        await student_side.subscribe(keep("student"))
        await staff_side.subscribe(keep("staff"))
        await staff_side.publish("web:a", {"text": "Hoi, ik ben Jan van de school."})
        for _ in range(100):
            if got["student"] and got["staff"]:
                break
            await asyncio.sleep(0.02)
        assert got["student"] == [("web:a", "Hoi, ik ben Jan van de school.")]
        assert got["staff"] == got["student"], "once per process, its own included"
    finally:
        await student_side.close()
        await staff_side.close()


async def test_message_box_drafts_in_redis_expire(redis_port):
    import redis.asyncio as redis

    client = redis.Redis(host="127.0.0.1", port=redis_port)
    drafts = RedisDrafts(client)
    now = datetime(2026, 10, 6, 18, 0, tzinfo=timezone.utc)
    try:
        await drafts.put("web:a", Draft("nl", now, "contact", "Mijn vraag"))
        assert await drafts.get("web:a", now) == Draft("nl", now, "contact", "Mijn vraag")
        assert 0 < await client.ttl("vragenbot:box:web:a") <= 30 * 60
        assert await drafts.get("web:a", now.replace(hour=19)) is None
        await drafts.drop("web:a")
        assert await client.exists("vragenbot:box:web:a") == 0
    finally:
        await client.close()
