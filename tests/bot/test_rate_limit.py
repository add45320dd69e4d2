"""Token buckets: a burst, then the average rate; bounded memory; the client's address."""
from __future__ import annotations

import pytest

from bot.channels.rate_limit import RateLimiter, address_limiter, client_address, conversation_limiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_average_rate():
    clock = Clock()
    limiter = RateLimiter(per_minute=30, burst=5, clock=clock)
    assert all(limiter.allow("rest:a") for _ in range(5))
    assert not limiter.allow("rest:a")
    assert limiter.allow("rest:b")  # another conversation has its own bucket
    clock.now += 2.0  # 30 a minute: one more every 2 s
    assert limiter.allow("rest:a") and not limiter.allow("rest:a")


def test_memory_stays_bounded():
    limiter = RateLimiter(per_minute=30, burst=1, max_keys=100, clock=Clock())
    for n in range(1_000):
        limiter.allow(f"rest:{n}")
    assert len(limiter._buckets) == 100
    assert limiter.allow("rest:0")  # forgotten, so a full bucket again


def test_zero_turns_a_limit_off():
    limiter = conversation_limiter({"RATE_LIMIT_PER_CONVERSATION": "0"})
    assert all(limiter.allow("rest:a") for _ in range(1_000))


def test_the_defaults_let_a_school_share_one_address():
    assert address_limiter({}).burst == 300 and conversation_limiter({}).burst == 20


@pytest.mark.parametrize("peer, forwarded, address", [
    ("203.0.113.7", None, "203.0.113.7"),
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # a client's own header counts for nothing
    ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # nginx appended the real client
    ("127.0.0.1", None, "127.0.0.1"),
    (None, None, "unknown"),
])
def test_the_client_address(peer, forwarded, address):
    assert client_address(peer, forwarded) == address
