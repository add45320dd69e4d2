"""Staff accounts of the console: Argon2id passwords, hashed session tokens, sign-in limits with a
lock-out, CSRF tokens, and the command `python -m bot.handover.accounts`. (`store`: conftest.py.)"""
from __future__ import annotations

import hashlib
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import pytest
import yaml
from argon2 import PasswordHasher

from bot.handover import accounts as accounts_module
from bot.handover.accounts import (LIMITS, MAX_PASSWORD, MIN_PASSWORD, SESSION_IDLE, SESSION_MAX, AccountError,
                                   StaffAccounts, StaffSession, main, token_hash)
from bot.handover.store import STAFF_SESSIONS, STAFF_SIGN_IN_ATTEMPTS

PASSWORD = "paarden-batterij-niet"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
# Quick parameters for the tests; the product uses argon2-cffi's defaults (RFC 9106 low memory).
FAST = dict(time_cost=1, memory_cost=64, parallelism=1)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class CountingHasher(PasswordHasher):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.verified: List[str] = []

    def verify(self, hash, password) -> bool:  # noqa: A002 (argon2's own parameter name)
        self.verified.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staff(store, clock) -> StaffAccounts:
    accounts = StaffAccounts(store, clock=clock, hasher=CountingHasher(**FAST))
    accounts.add("Jansen", "Mw. Jansen (studentenloket)", PASSWORD)
    return accounts


# --- accounts -----------------------------------------------------------------------------------
def test_a_password_is_kept_as_an_argon2id_hash_only(staff, store):
    kept = store.staff_account("jansen")
    assert kept.display_name == "Mw. Jansen (studentenloket)"
    assert kept.password_hash.startswith("$argon2id$") and PASSWORD not in kept.password_hash


def test_the_products_hasher_is_argon2_cffis_default(store):
    hasher = StaffAccounts(store).hasher
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)


@pytest.mark.parametrize("username", ["a", "-jansen", "jan sen", "jansen!", "x" * 41, "", "jänsen"])
def test_odd_usernames_are_refused(store, username):
    with pytest.raises(AccountError, match="gebruikersnaam"):
        StaffAccounts(store, hasher=PasswordHasher(**FAST)).add(username, "Iemand", PASSWORD)


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "Jan\u0000", "Jan\u202eesnaJ"])
def test_odd_display_names_are_refused(store, name):
    with pytest.raises(AccountError, match="naam"):
        StaffAccounts(store, hasher=PasswordHasher(**FAST)).add("iemand", name, PASSWORD)


@pytest.mark.parametrize("password", ["", "kort", "x" * (MIN_PASSWORD - 1), "x" * (MAX_PASSWORD + 1)])
def test_short_or_huge_passwords_are_refused(store, password):
    with pytest.raises(AccountError, match="wachtwoord"):
        StaffAccounts(store, hasher=PasswordHasher(**FAST)).add("iemand", "Iemand", password)


def test_an_account_is_not_added_twice(staff):
    with pytest.raises(AccountError, match="al een account"):
        staff.add("JANSEN", "Iemand anders", "een-ander-wachtwoord")


def test_the_display_name_is_tidied(staff):
    staff.add("de.vries", "  Dhr.   de Vries  ", PASSWORD)
    assert [a.display_name for a in staff.accounts()] == ["Dhr. de Vries", "Mw. Jansen (studentenloket)"]


# --- signing in and sessions -------------------------------------------------------------------
def test_the_right_password_opens_a_session_whose_token_is_kept_hashed(staff, store):
    signed = staff.sign_in(" Jansen ", PASSWORD, "192.0.2.1")
    assert signed.ok and not signed.locked
    assert signed.session.username == "jansen" and len(signed.session.csrf_token) >= 43
    with store.engine.connect() as db:
        rows = db.execute(STAFF_SESSIONS.select()).all()
    assert [row.token_hash for row in rows] == [hashlib.sha256(signed.token.encode()).hexdigest()]
    assert signed.token not in str([tuple(row) for row in rows])
    assert staff.session(signed.token) == signed.session


@pytest.mark.parametrize("username, password", [("jansen", "verkeerd-wachtwoord"), ("jansen", ""),
                                                ("niemand", PASSWORD), ("", ""), ("jansen", PASSWORD + "x")])
def test_a_wrong_password_or_an_unknown_user_opens_nothing(staff, username, password):
    signed = staff.sign_in(username, password, "192.0.2.1")
    assert not signed.ok and signed.token is None and not signed.locked


def test_an_unknown_username_costs_a_hash_too(staff):
    """So the time of a refusal does not tell which usernames exist."""
    staff.hasher.verified.clear()
    staff.sign_in("niemand", "wat-dan-ook-123", "192.0.2.1")
    staff.sign_in("jansen", "wat-dan-ook-123", "192.0.2.1")
    assert len(staff.hasher.verified) == 2


@pytest.mark.parametrize("token", [None, "", "kort", "x" * 43 + "=", "<script>" * 6, "a" * 10_000])
def test_a_malformed_token_is_no_session(staff, token):
    assert staff.session(token) is None


def test_the_csrf_token_is_compared_whole():
    session = StaffSession("jansen", "Mw. Jansen", "abc123" * 7)
    assert session.csrf_matches("abc123" * 7)
    for offered in (None, "", "abc123", "abc123" * 7 + "x", "ABC123" * 7):
        assert not session.csrf_matches(offered)


def test_a_session_ends_after_an_idle_hour_and_after_a_working_day(staff, clock):
    token = staff.sign_in("jansen", PASSWORD, "192.0.2.1").token
    clock.advance(seconds=SESSION_IDLE - 5)
    assert staff.session(token) is not None  # and this request counts as use
    clock.advance(seconds=SESSION_IDLE - 5)
    assert staff.session(token) is not None
    clock.advance(seconds=SESSION_IDLE + 1)
    assert staff.session(token) is None

    token = staff.sign_in("jansen", PASSWORD, "192.0.2.1").token
    for _ in range(int(SESSION_MAX // (SESSION_IDLE / 2))):  # in use all day, every half hour
        clock.advance(seconds=SESSION_IDLE / 2)
        staff.session(token)
    clock.advance(seconds=60)
    assert staff.session(token) is None


def test_signing_out_removing_the_account_or_a_new_password_ends_sessions(staff):
    first = staff.sign_in("jansen", PASSWORD, "192.0.2.1").token
    second = staff.sign_in("jansen", PASSWORD, "192.0.2.1").token
    staff.close_session(first)
    assert staff.session(first) is None and staff.session(second) is not None
    staff.set_password("jansen", "een-nieuw-wachtwoord")
    assert staff.session(second) is None
    assert not staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok
    third = staff.sign_in("jansen", "een-nieuw-wachtwoord", "192.0.2.1").token
    staff.remove("jansen")
    assert staff.session(third) is None
    with pytest.raises(AccountError):
        staff.remove("jansen")


def test_a_hash_with_old_parameters_is_renewed_at_sign_in(store, clock):
    old = StaffAccounts(store, clock=clock, hasher=PasswordHasher(**FAST))
    old.add("jansen", "Mw. Jansen", PASSWORD)
    renewed = StaffAccounts(store, clock=clock, hasher=PasswordHasher(time_cost=2, memory_cost=128, parallelism=1))
    assert renewed.sign_in("jansen", PASSWORD, "192.0.2.1").ok
    assert "m=128,t=2" in store.staff_account("jansen").password_hash


# --- limits ----------------------------------------------------------------------------------
def fail(staff: StaffAccounts, times: int, username: str = "jansen", address: str = "192.0.2.1") -> List[bool]:
    return [staff.sign_in(username, f"geraden-{n:04d}", address).locked for n in range(times)]


def test_a_username_is_locked_out_after_its_limit_and_the_password_is_not_even_checked(staff, clock):
    assert fail(staff, LIMITS.per_username) == [False] * (LIMITS.per_username - 1) + [True]
    staff.hasher.verified.clear()
    from_elsewhere = staff.sign_in("jansen", PASSWORD, "198.51.100.7")  # the right password, another address
    assert from_elsewhere.locked and not from_elsewhere.ok
    assert staff.hasher.verified == []
    clock.advance(seconds=LIMITS.lockout - 1)
    assert staff.sign_in("jansen", PASSWORD, "198.51.100.7").locked
    clock.advance(seconds=2)
    assert staff.sign_in("jansen", PASSWORD, "198.51.100.7").ok


def test_unlock_ends_a_lock_out_at_once(staff):
    fail(staff, LIMITS.per_username)
    staff.unlock("Jansen")
    assert staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok


def test_failures_spread_beyond_the_window_lock_nothing(staff, clock):
    for _ in range(3 * LIMITS.per_username):
        assert fail(staff, 1) == [False]
        clock.advance(seconds=LIMITS.window / (LIMITS.per_username - 1) + 1)
    assert staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok


def test_a_success_forgets_the_usernames_failures(staff):
    fail(staff, LIMITS.per_username - 1)
    assert staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok
    assert fail(staff, LIMITS.per_username - 1) == [False] * (LIMITS.per_username - 1)


def test_an_address_trying_many_usernames_is_locked_out(staff):
    outcomes = [staff.sign_in(f"gebruiker{n}", "geraden-wachtwoord", "203.0.113.9").locked
                for n in range(LIMITS.per_address)]
    assert outcomes == [False] * (LIMITS.per_address - 1) + [True]
    assert staff.sign_in("jansen", PASSWORD, "203.0.113.9").locked  # the right password from there: refused
    assert staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok  # from another address: fine


def test_attempts_are_kept_under_a_hash_and_forgotten(staff, store, clock):
    fail(staff, 2, address="203.0.113.9")
    with store.engine.connect() as db:
        keys = [row.key for row in db.execute(STAFF_SIGN_IN_ATTEMPTS.select())]
    assert keys and not any("203.0.113.9" in key or "jansen" in key for key in keys)
    clock.advance(seconds=LIMITS.window + LIMITS.lockout + 1)
    fail(staff, 1, username="ander", address="192.0.2.50")
    with store.engine.connect() as db:
        assert len(db.execute(STAFF_SIGN_IN_ATTEMPTS.select()).all()) == 2  # only the new failure's two keys


def test_the_session_token_is_hashed_with_sha256():
    assert token_hash("abc") == hashlib.sha256(b"abc").hexdigest()


# --- the command line ----------------------------------------------------------------------------
@pytest.fixture
def endpoints(tmp_path: Path) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": {"type": "bot.store.tracker_store.ConversationStore",
                                                      "dialect": "sqlite", "db": str(tmp_path / "conversations.db")}}))
    return path


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(endpoints: Path, *args: str, stdin: str = "") -> int:
    return main(["--endpoints", str(endpoints), *args], stdin=io.StringIO(stdin))


def test_the_command_adds_an_account_with_the_password_from_stdin(endpoints, capsys):
    assert run(endpoints, "add", "Jansen", "Mw. Jansen", stdin=PASSWORD + "\n") == 0
    assert "jansen" in capsys.readouterr().out
    staff = accounts_module.accounts_from_endpoints(str(endpoints))
    assert staff.sign_in("jansen", PASSWORD, "192.0.2.1").ok
    assert run(endpoints, "list") == 0
    assert "jansen\tMw. Jansen" in capsys.readouterr().out


def test_the_command_asks_the_password_twice_on_a_terminal(endpoints, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(accounts_module.getpass, "getpass", lambda prompt="": next(answers))
    assert main(["--endpoints", str(endpoints), "add", "jansen", "Mw. Jansen"], stdin=Tty()) == 1
    assert "niet gelijk" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["--endpoints", str(endpoints), "add", "jansen", "Mw. Jansen"], stdin=Tty()) == 0
    assert accounts_module.accounts_from_endpoints(str(endpoints)).sign_in("jansen", PASSWORD, "192.0.2.1").ok


def test_the_command_refuses_a_bad_username_before_asking_a_password(endpoints, monkeypatch, capsys):
    monkeypatch.setattr(accounts_module.getpass, "getpass", lambda prompt="": pytest.fail("asked a password"))
    assert main(["--endpoints", str(endpoints), "add", "jan sen", "Jan"], stdin=Tty()) == 1
    assert "gebruikersnaam" in capsys.readouterr().err


def test_the_command_changes_removes_and_unlocks(endpoints, capsys):
    run(endpoints, "add", "jansen", "Mw. Jansen", stdin=PASSWORD)
    assert run(endpoints, "password", "jansen", stdin="kort") == 1
    assert run(endpoints, "password", "jansen", stdin="een-nieuw-wachtwoord") == 0
    staff = accounts_module.accounts_from_endpoints(str(endpoints))
    fail(staff, LIMITS.per_username)
    assert staff.sign_in("jansen", "een-nieuw-wachtwoord", "192.0.2.1").locked
    assert run(endpoints, "unlock", "jansen") == 0
    assert staff.sign_in("jansen", "een-nieuw-wachtwoord", "192.0.2.1").ok
    assert run(endpoints, "remove", "jansen") == 0
    assert run(endpoints, "remove", "jansen") == 1
    assert "geen account" in capsys.readouterr().err
