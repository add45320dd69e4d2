"""Rate limits on the public paths: per conversation, and a generous ceiling per address.

Token buckets in memory, per Rasa process (behind nginx each conversation goes to one
process, so its bucket is in one place), with a bounded number of keys. Settings from the
environment, in messages per minute; 0 turns a limit off:
  RATE_LIMIT_PER_CONVERSATION  default 30, bursts of 20 (someone typing, a kiosk, a quick
                               series of button clicks all fit)
  RATE_LIMIT_PER_ADDRESS       default 3000, bursts of 300: a whole school or an open-day
                               hall can share one public address; one host cannot take
                               every answer the server can give (about 100 a second here)
The address is the peer's, or, when the peer is this machine (the nginx of the scale-out
profile), the last X-Forwarded-For entry: the one that proxy added; earlier entries come
from the client and prove nothing.
"""
from __future__ import annotations

import os
import time
from collections import OrderedDict
from typing import Callable, Mapping, Optional

MAX_KEYS = 50_000
TOO_MANY = ("Even rustig aan: je stuurt veel berichten kort na elkaar. "
            "Wacht een minuut en stel je vraag dan opnieuw.")


class RateLimiter:
    """Allows `per_minute` events per key on average and `burst` at once."""

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

    def allow(self, key: str) -> bool:
        if not self.enabled:
            return True
        now = self.clock()
        tokens, then = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_keys:  # the least recently seen go first
            self._buckets.popitem(last=False)
        return allowed


def _setting(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    return float(value) if value else default


def conversation_limiter(env: Mapping[str, str] = os.environ) -> RateLimiter:
    return RateLimiter(_setting(env, "RATE_LIMIT_PER_CONVERSATION", 30), burst=20)


def address_limiter(env: Mapping[str, str] = os.environ) -> RateLimiter:
    return RateLimiter(_setting(env, "RATE_LIMIT_PER_ADDRESS", 3000), burst=300)


def client_address(peer: Optional[str], forwarded_for: Optional[str]) -> str:
    """The client's address: the peer, or what a local proxy says the client was."""
    if peer in ("127.0.0.1", "::1") and forwarded_for:
        return forwarded_for.split(",")[-1].strip()
    return peer or "unknown"
