"""Token buckets: a burst, then the average rate; bounded memory; a message's cost; the client's address."""
from __future__ import annotations

import pytest

from bot.channels.rate_limit import (MAX_COST, RateLimiter, address_limiter, client_address, conversation_limiter,
                                     is_local_request, message_cost, trusted_proxies)
from bot.input_guard import MAX_MESSAGE_CHARS


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


def test_a_message_costs_one_token_per_started_500_characters():
    assert [message_cost("x" * n) for n in (0, 1, 500, 501, 1000, 1001, 2000)] == [1, 1, 1, 2, 2, 3, 4]
    assert message_cost("x" * MAX_MESSAGE_CHARS) == MAX_COST  # the longest message the NLU reads
    assert message_cost("x" * 60_000) == MAX_COST  # longer ones are refused without the NLU


def test_a_long_message_empties_a_bucket_faster():
    clock = Clock()
    limiter = RateLimiter(per_minute=30, burst=20, clock=clock)
    assert all(limiter.allow("rest:a", message_cost("x" * 2000)) for _ in range(5))
    assert not limiter.allow("rest:a", message_cost("x" * 2000))
    assert not limiter.allow("rest:a")  # a refusal took nothing, but the bucket is empty
    clock.now += 2.0
    assert limiter.allow("rest:a") and not limiter.allow("rest:a")


def test_a_cost_above_the_burst_still_passes_a_full_bucket():
    limiter = RateLimiter(per_minute=30, burst=2, clock=Clock())
    assert limiter.allow("rest:a", 4) and not limiter.allow("rest:a", 4)


# Without TRUSTED_PROXIES the header counts for nothing, from loopback too (finding 4).
@pytest.mark.parametrize("peer, forwarded, address", [
    ("203.0.113.7", None, "203.0.113.7"),
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.7", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1"),
    ("::1", "198.51.100.1", "::1"),
    (None, None, "unknown"),
])
def test_without_trusted_proxies_the_address_is_the_peers(peer, forwarded, address):
    assert client_address(peer, forwarded, trusted=()) == address


def proxies(setting: str):
    return trusted_proxies({"TRUSTED_PROXIES": setting})


@pytest.mark.parametrize("setting, peer, forwarded, address", [
    # A list of addresses: the right-most entry that is not a trusted proxy.
    ("127.0.0.1", "127.0.0.1", "203.0.113.7", "203.0.113.7"),
    ("127.0.0.1", "127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left entry is the client's own
    ("127.0.0.1, 10.0.0.5", "127.0.0.1", "203.0.113.7, 10.0.0.5", "203.0.113.7"),  # two proxies in a row
    ("127.0.0.1", "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # from an untrusted peer the header is ignored
    ("127.0.0.1", "127.0.0.1", None, "127.0.0.1"),  # a trusted proxy that sent no header
    # CIDR networks.
    ("10.0.0.0/8", "10.1.2.3", "10.9.9.9, 203.0.113.7", "203.0.113.7"),
    ("10.0.0.0/8", "10.1.2.3", "203.0.113.7, 10.200.0.1", "203.0.113.7"),  # ingress pod, then a sidecar
    ("10.0.0.0/8, 192.168.0.0/16", "192.168.1.1", "198.51.100.4, 10.0.0.2", "198.51.100.4"),
    # Spoofed chains: whatever the client puts left of the real address is never reached.
    ("127.0.0.1", "127.0.0.1", "127.0.0.1, 198.51.100.1, 203.0.113.7", "203.0.113.7"),
    ("127.0.0.1", "127.0.0.1", "10.0.0.1, 8.8.8.8, 203.0.113.7", "203.0.113.7"),
    # Nothing but trusted proxies: the left-most one is the furthest we know.
    ("127.0.0.1, 10.0.0.0/8", "127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),
    ("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"),
    # IPv6, bracketed or not, and IPv4-mapped peers.
    ("::1", "::1", "2001:db8::7", "2001:db8::7"),
    ("fd00::/8", "fd00::1", "2001:db8::1, [2001:db8::7]", "2001:db8::7"),
    ("fd00::/8", "fd00::1", "2001:db8:0:0::7", "2001:db8::7"),  # one spelling, one bucket
    ("127.0.0.1", "::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7"),
    ("::/0", "127.0.0.1", "203.0.113.7", "127.0.0.1"),  # an IPv6 network never trusts an IPv4 peer
    # Garbage stops the walk at the last address seen.
    ("127.0.0.1", "127.0.0.1", "not-an-address", "127.0.0.1"),
    ("127.0.0.1", "127.0.0.1", "203.0.113.7, unknown", "127.0.0.1"),
    ("127.0.0.1, 10.0.0.0/8", "127.0.0.1", "garbage, 10.0.0.2", "10.0.0.2"),
    ("127.0.0.1", "127.0.0.1", "203.0.113.7:4711", "127.0.0.1"),
    ("127.0.0.1", "127.0.0.1", "", "127.0.0.1"),
    ("127.0.0.1", "127.0.0.1", " , ,", "127.0.0.1"),
    ("127.0.0.1", "127.0.0.1", "x" * 8_000, "127.0.0.1"),
])
def test_trusted_proxies_are_walked_from_the_right(setting, peer, forwarded, address):
    assert client_address(peer, forwarded, trusted=proxies(setting)) == address


def test_a_long_chain_is_walked_only_so_far():
    chain = ", ".join(["10.0.0.1"] * 10_000)
    assert client_address("10.0.0.1", chain, trusted=proxies("10.0.0.0/8")) == "10.0.0.1"


def test_trusted_proxies_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    assert client_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert client_address("127.0.0.1", "203.0.113.7") == "127.0.0.1"


@pytest.mark.parametrize("setting", ["127.0.0.1, nginx", "10.0.0.0/33", "*"])
def test_a_mistake_in_trusted_proxies_stops_the_start(setting):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        address_limiter({"TRUSTED_PROXIES": setting})


@pytest.mark.parametrize("peer, forwarded, setting, local", [
    ("127.0.0.1", None, "", True),
    ("::1", None, "", True),
    ("203.0.113.7", None, "", False),
    ("127.0.0.1", "203.0.113.7", "", False),  # a proxy on this machine relaying a remote client
    ("127.0.0.1", "127.0.0.1", "", False),  # ... whose header nobody trusted
    ("127.0.0.1", "127.0.0.1", "127.0.0.1", True),  # the scale-out nginx, asked from this machine
    ("127.0.0.1", "203.0.113.7", "127.0.0.1", False),
    ("203.0.113.7", "127.0.0.1", "203.0.113.7", False),  # only a loopback peer is ever local
])
def test_a_local_request_is_one_from_this_machine(peer, forwarded, setting, local):
    assert is_local_request(peer, forwarded, trusted=proxies(setting)) is local
