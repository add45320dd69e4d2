"""Rate limits on the public paths: per conversation, and a generous ceiling per address.

Token buckets in memory, per Rasa process (behind nginx each conversation goes to one
process, so its bucket is in one place), with a bounded number of keys. Settings from the
environment, in tokens per minute (an ordinary message is one token); 0 turns a limit off:
  RATE_LIMIT_PER_CONVERSATION  default 30, bursts of 20 (someone typing, a kiosk, a quick
                               series of button clicks all fit)
  RATE_LIMIT_PER_ADDRESS       default 3000, bursts of 300: a whole school or an open-day
                               hall can share one public address; one host cannot take
                               every answer the server can give (about 100 a second here)

A message is charged by its work, not counted: `message_cost(text)` is one token per started
COST_CHARS characters (at least 1, at most MAX_COST). The NLU's work grows with the length of
a message, and a long message is where several questions come at once (the NLU answers at
most 3 per message); what a message really answered is only known after the work is done,
so length is the price asked up front. Ordinary questions (up to COST_CHARS) cost 1, as
before; a message of the channels' maximum length (MAX_MESSAGE_CHARS, bot/input_guard.py)
costs MAX_COST; longer ones are refused by the screen without the NLU and cost no more.

The address: the peer's, unless the peer is a proxy listed in TRUSTED_PROXIES
(comma-separated addresses or CIDR networks, IPv4 and IPv6; e.g. "127.0.0.1" for the
scale-out nginx, the ingress controller's pod network in Kubernetes). Only then is
X-Forwarded-For read, from the right: each trusted proxy appended the address it was talking
to, so the walk skips trusted proxies and stops at the first address that is not one: that
is the client. Entries further left come from the client and prove nothing. An entry that
is not an address stops the walk at the last address seen; a chain of nothing but trusted
proxies gives its left-most address. Without TRUSTED_PROXIES the header is ignored: any
client can send one (finding 4 of the review: with the header trusted from every loopback
peer, a client behind a pass-through proxy could take a bucket per request or empty
another address's bucket).
"""
from __future__ import annotations

import functools
import ipaddress
import math
import os
import time
from collections import OrderedDict
from typing import Callable, Mapping, Optional, Tuple, Union

from bot.input_guard import MAX_MESSAGE_CHARS
from bot.language import DUTCH, ENGLISH

MAX_KEYS = 50_000
# The refusal, in the language of the refused message (bot/channels/base.py `message_language`).
TOO_MANY = {
    DUTCH: "Even rustig aan: je stuurt veel berichten kort na elkaar. Wacht een minuut en stel je vraag dan opnieuw.",
    ENGLISH: "Please slow down: you are sending a lot of messages in a short time. "
             "Wait a minute, then ask your question again.",
}
TRUSTED_PROXIES_ENV = "TRUSTED_PROXIES"
COST_CHARS = 500  # the longest training question in data/ had 146 characters when chosen: any question costs 1
MAX_COST = math.ceil(MAX_MESSAGE_CHARS / COST_CHARS)  # the most the NLU is ever given to read
MAX_FORWARDED_HOPS = 20  # more proxies than this in front of one server is not a real set-up

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


class RateLimiter:
    """Allows `per_minute` tokens per key on average and `burst` at once."""

    def __init__(self, per_minute: float, burst: int, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: "OrderedDict[str, tuple[float, float]]" = OrderedDict()  # key -> (tokens, when)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """Take `cost` tokens from the key's bucket if it holds them; a refusal takes nothing."""
        if not self.enabled:
            return True
        cost = min(cost, self.burst)  # never more than a full bucket, or it could never pass
        now = self.clock()
        tokens, then = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        allowed = tokens >= cost
        self._buckets[key] = (tokens - cost if allowed else tokens, now)
        while len(self._buckets) > self.max_keys:  # the least recently seen go first
            self._buckets.popitem(last=False)
        return allowed


def message_cost(text: str) -> int:
    """What a message costs in tokens: one per started COST_CHARS characters, 1 to MAX_COST."""
    return max(1, min(MAX_COST, math.ceil(len(text) / COST_CHARS)))


def _setting(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    return float(value) if value else default


def conversation_limiter(env: Mapping[str, str] = os.environ) -> RateLimiter:
    return RateLimiter(_setting(env, "RATE_LIMIT_PER_CONVERSATION", 30), burst=20)


def address_limiter(env: Mapping[str, str] = os.environ) -> RateLimiter:
    trusted_proxies(env)  # read at start-up too: a mistake in it stops the server, not a message
    return RateLimiter(_setting(env, "RATE_LIMIT_PER_ADDRESS", 3000), burst=300)


@functools.lru_cache(maxsize=8)
def _networks(setting: str) -> Tuple[Network, ...]:
    networks = []
    for entry in filter(None, (part.strip() for part in setting.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{TRUSTED_PROXIES_ENV}: '{entry}' is not an address or network "
                             "(e.g. 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8)") from None
    return tuple(networks)


def trusted_proxies(env: Mapping[str, str] = os.environ) -> Tuple[Network, ...]:
    """The proxies whose X-Forwarded-For is believed ($TRUSTED_PROXIES); none by default."""
    return _networks(env.get(TRUSTED_PROXIES_ENV, ""))


def _address(text: Optional[str]) -> Optional[Address]:
    """`text` as an address (IPv4-mapped IPv6 as IPv4), or None if it is not one."""
    text = (text or "").strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, trusted: Tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(peer: Optional[str], forwarded_for: Optional[str],
                   trusted: Optional[Tuple[Network, ...]] = None) -> str:
    """The client's address: the peer's, or the one trusted proxies say (module docstring)."""
    trusted = trusted_proxies() if trusted is None else trusted
    client = _address(peer)
    if client is None:
        return peer or "unknown"
    if forwarded_for and _is_trusted(client, trusted):
        for entry in reversed(forwarded_for.split(",")[-MAX_FORWARDED_HOPS:]):
            hop = _address(entry)
            if hop is None:
                break
            client = hop
            if not _is_trusted(hop, trusted):
                break
    return str(client)


def is_local_request(peer: Optional[str], forwarded_for: Optional[str],
                     trusted: Optional[Tuple[Network, ...]] = None) -> bool:
    """Whether the request comes from this machine: the peer is loopback and no proxy relayed
    it, or trusted proxies say the client was loopback. A proxy on this machine relaying a
    remote client adds X-Forwarded-For, so that request is not local without TRUSTED_PROXIES."""
    peer_address = _address(peer)
    if peer_address is None or not peer_address.is_loopback:
        return False
    if not forwarded_for:
        return True
    trusted = trusted_proxies() if trusted is None else trusted
    if not _is_trusted(peer_address, trusted):
        return False
    client = _address(client_address(peer, forwarded_for, trusted))
    return client is not None and client.is_loopback
