"""Staff accounts of the handover console: passwords, sessions, sign-in limits, CSRF tokens.

    python -m bot.handover.accounts add <username> "<display name>"   # asks the password twice
    printf '%s\\n' "$PASSWORD" | python -m bot.handover.accounts add <username> "<display name>"
    python -m bot.handover.accounts password <username>               # a new password
    python -m bot.handover.accounts remove <username>                 # the account and its sessions
    python -m bot.handover.accounts unlock <username>                 # end a sign-in lock-out
    python -m bot.handover.accounts list
    make staff-account STAFF_USER=<username> STAFF_NAME="<display name>"

Each command takes `--endpoints` (default endpoints.yml): the accounts live in the conversation
database (the tracker store's SQLAlchemy URL), so every Rasa process of a deployment knows them.
A password is read from the terminal without echo (twice, they must match) or, when stdin is
not a terminal, from its first line (for scripts and provisioning).

- **Passwords**: Argon2id through argon2-cffi (the reference implementation's bindings) with its
  defaults, RFC 9106's "low memory" profile (t=3, m=64 MiB, p=4; ≈0.2 s here). A hash made with
  older parameters is replaced at the next successful sign-in. Hashing runs outside the event
  loop (the console calls these methods in a thread). An unknown username costs the same hash,
  so the time of a refusal does not tell which usernames exist.
- **Sessions**: a random token (256 bits) in the browser's cookie; the database keeps only its
  SHA-256, so a copy of the database opens no session. A session ends after SESSION_IDLE of no
  request (the open console polls, so it stays alive while it is open) and SESSION_MAX after
  signing in, at signing out, and when the account is removed or gets a new password.
- **CSRF**: each session has its own random token, given to the console page and required in the
  `X-CSRF-Token` header of every POST (compared in constant time).
- **Sign-in attempts** are limited per username (LIMITS.per_username failures) and per client
  address (LIMITS.per_address) within LIMITS.window; reaching a limit locks that username or
  address out for LIMITS.lockout, during which the password is not even checked. The counts live
  in the database (all processes share them) under a SHA-256 of the key, and are deleted once
  older than window + lock-out. `unlock` ends a username's lock-out at once.

The rows are kept by bot/handover/store.py (staff_accounts, staff_sessions, staff_sign_in_attempts).
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import logging
import re
import secrets
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, List, Optional, Sequence, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot import quiet
from bot.handover.store import HandoverStore, handover_store_from_endpoints, utcnow

logger = logging.getLogger(__name__)

# Usernames: what people type at a sign-in form, compared in lower case.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
MAX_DISPLAY_NAME = 80
# NIST SP 800-63B §5.1.1.2 asks at least 8 characters and no composition rules; a console that
# reads pupils' questions gets 12. The upper bound only keeps a sign-in request cheap.
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
SESSION_IDLE = 60 * 60  # seconds without a request (the open console polls every 2 s)
SESSION_MAX = 12 * 60 * 60  # a working day, then sign in again
SEEN_EVERY = 60  # last_seen_at is written at most once a minute per session, not at every poll
TOKEN_BYTES = 32
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class SignInLimits:
    per_username: int = 5  # failures in `window` before the username is locked out
    per_address: int = 20  # failures in `window` before the address is locked out (a school's NAT)
    window: float = 15 * 60
    lockout: float = 15 * 60


LIMITS = SignInLimits()


class AccountError(ValueError):
    """A username, display name or password that cannot be used; the text says why (Dutch)."""


@dataclass(frozen=True)
class StaffAccount:
    username: str
    display_name: str


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member, as the console sees one."""

    username: str
    display_name: str
    csrf_token: str

    def csrf_matches(self, offered: Optional[str]) -> bool:
        return bool(offered) and hmac.compare_digest(offered.encode(), self.csrf_token.encode())


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: `session` and its cookie `token` when it succeeded; `locked`
    when a limit refused it (the password was not checked, or this failure reached the limit)."""

    session: Optional[StaffSession] = None
    token: Optional[str] = None
    locked: bool = False

    @property
    def ok(self) -> bool:
        return self.session is not None


def normal_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def checked_username(username: str) -> str:
    name = normal_username(username)
    if not USERNAME.fullmatch(name):
        raise AccountError("Een gebruikersnaam heeft 2 tot 40 tekens: letters a-z, cijfers, punt, "
                           "streepje of liggend streepje, en begint met een letter of cijfer.")
    return name


def checked_display_name(display_name: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", display_name or "").split())
    if not name or len(name) > MAX_DISPLAY_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        raise AccountError(f"Een naam heeft 1 tot {MAX_DISPLAY_NAME} tekens (geen stuurtekens).")
    return name


def checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Een wachtwoord heeft hoogstens {MAX_PASSWORD} tekens.")
    return password


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


LOCKED = "locked-"  # the key of a lock-out: LOCKED + the key of the failures that caused it


def attempt_key(kind: str, value: str) -> str:
    """The key sign-in attempts are counted under: `kind` ("user", "address") and a SHA-256 of the value."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:40]}"


class StaffAccounts:
    """Accounts, sessions and sign-in attempts, kept by the handover store (blocking calls:
    password hashing takes ≈0.2 s, so the console calls these in a thread)."""

    def __init__(self, store: HandoverStore, limits: SignInLimits = LIMITS,
                 clock: Callable[[], datetime] = utcnow, hasher: Optional[PasswordHasher] = None) -> None:
        self.store = store
        self.limits = limits
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._unknown_user_hash: Optional[str] = None

    # --- accounts ------------------------------------------------------------------------------
    def add(self, username: str, display_name: str, password: str) -> StaffAccount:
        account = StaffAccount(checked_username(username), checked_display_name(display_name))
        if self.store.staff_account(account.username) is not None:
            raise AccountError(f"Er is al een account '{account.username}'.")
        self.store.save_staff_account(account.username, account.display_name,
                                      self.hasher.hash(checked_password(password)), now=self.clock())
        return account

    def set_password(self, username: str, password: str) -> None:
        """A new password; every session of the account ends."""
        name, hashed = normal_username(username), self.hasher.hash(checked_password(password))
        existing = self.store.staff_account(name)
        if existing is None:
            raise AccountError(f"Er is geen account '{name}'.")
        # The store ends an account's sessions only with the account: remove it and save it again.
        self.store.remove_staff_account(name)
        self.store.save_staff_account(name, existing.display_name, hashed, now=existing.created_at)

    def remove(self, username: str) -> None:
        name = normal_username(username)
        if not self.store.remove_staff_account(name):
            raise AccountError(f"Er is geen account '{name}'.")

    def accounts(self) -> List[StaffAccount]:
        return [StaffAccount(a.username, a.display_name) for a in self.store.staff_accounts()]

    # --- signing in ----------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, address: str) -> SignIn:
        """Check the password unless a limit is reached; a success opens a session."""
        name = normal_username(username)
        keys = (attempt_key("user", name), attempt_key("address", address))
        if self.locked(*keys):
            return SignIn(locked=True)
        account = self._verified(name, password)
        if account is None:
            return SignIn(locked=self._failed(keys))
        for key in (keys[0], LOCKED + keys[0]):  # a success forgets the username's failures, not the address's
            self.store.clear_sign_in_attempts(key)
        token, session = self.open_session(account)
        return SignIn(session=session, token=token)

    def unlock(self, username: str) -> None:
        key = attempt_key("user", normal_username(username))
        for each in (key, LOCKED + key):
            self.store.clear_sign_in_attempts(each)

    def locked(self, *keys: str) -> bool:
        since = self.clock() - timedelta(seconds=self.limits.lockout)
        return any(self.store.sign_in_attempts(LOCKED + key, since) for key in keys)

    def _verified(self, name: str, password: str) -> Optional[StaffAccount]:
        row = None
        if USERNAME.fullmatch(name) and 0 < len(password) <= MAX_PASSWORD:
            row = self.store.staff_account(name)
        if row is None:
            self._spend_a_hash(password[:MAX_PASSWORD])
            return None
        try:
            self.hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if self.hasher.check_needs_rehash(row.password_hash):
            self.store.save_staff_account(name, row.display_name, self.hasher.hash(password))
        return StaffAccount(row.username, row.display_name)

    def _spend_a_hash(self, password: str) -> None:
        if self._unknown_user_hash is None:
            self._unknown_user_hash = self.hasher.hash(secrets.token_urlsafe(16))
        try:
            self.hasher.verify(self._unknown_user_hash, password or "-")
        except VerificationError:
            pass

    def _failed(self, keys: Sequence[str]) -> bool:
        """Count a failure for each key; lock out the keys whose limit it reaches. True if one was."""
        now, limits = self.clock(), self.limits
        self.store.forget_sign_in_attempts(now - timedelta(seconds=limits.window + limits.lockout))
        locked = False
        for key, limit in zip(keys, (limits.per_username, limits.per_address)):
            self.store.record_sign_in_attempt(key, now=now)
            failures = self.store.sign_in_attempts(key, now - timedelta(seconds=limits.window))
            if failures >= limit:
                self.store.clear_sign_in_attempts(key)
                self.store.record_sign_in_attempt(LOCKED + key, now=now)
                locked = True
                logger.warning("Staff sign-in: a %s is locked out for %d minutes after %d failures.",
                               "username" if key.startswith("user:") else "client address",
                               limits.lockout // 60, failures)
        return locked

    # --- sessions ------------------------------------------------------------------------------
    def open_session(self, account: StaffAccount) -> Tuple[str, StaffSession]:
        """A new session: the cookie's token (only its hash is kept) and the session."""
        token, csrf, now = secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES), self.clock()
        self.store.end_sessions_idle_since(now - timedelta(seconds=SESSION_IDLE))
        self.store.start_session(token_hash(token), account.username, csrf, now=now)
        return token, StaffSession(account.username, account.display_name, csrf)

    def session(self, token: Optional[str]) -> Optional[StaffSession]:
        """The live session of a cookie's token, or None (unknown, malformed, expired)."""
        if not token or not _TOKEN.fullmatch(token):
            return None
        hashed, now = token_hash(token), self.clock()
        kept = self.store.staff_session(hashed)
        if kept is None:
            return None
        if now - kept.last_seen_at > timedelta(seconds=SESSION_IDLE) or \
                now - kept.created_at > timedelta(seconds=SESSION_MAX):
            self.store.end_session(hashed)
            return None
        account = self.store.staff_account(kept.username)
        if account is None:
            self.store.end_session(hashed)
            return None
        if now - kept.last_seen_at > timedelta(seconds=SEEN_EVERY):
            self.store.touch_session(hashed, now=now)
        return StaffSession(account.username, account.display_name, kept.csrf_token)

    def close_session(self, token: Optional[str]) -> None:
        if token:
            self.store.end_session(token_hash(token))


# --- the command line -------------------------------------------------------------------------
def read_password(confirm: bool = True, stdin=None) -> str:
    """From the terminal without echo (twice), or the first line of stdin when it is not one."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Wachtwoord: ")
    if confirm and getpass.getpass("Nog een keer: ") != password:
        raise AccountError("De twee wachtwoorden zijn niet gelijk.")
    return password


def accounts_from_endpoints(path: str) -> StaffAccounts:
    return StaffAccounts(handover_store_from_endpoints(path))


def main(argv: Optional[List[str]] = None, stdin=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.handover.accounts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoints", default="endpoints.yml", help="endpoints file with tracker_store")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an account (asks the password)")
    add.add_argument("username")
    add.add_argument("display_name", help="the name colleagues see, e.g. \"Mw. Jansen (studentenloket)\"")
    for name, text in (("password", "give an account a new password (ends its sessions)"),
                       ("remove", "remove an account and its sessions"),
                       ("unlock", "end a username's sign-in lock-out")):
        commands.add_parser(name, help=text).add_argument("username")
    commands.add_parser("list", help="the accounts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    quiet.quiet_third_party_notices()  # before the endpoints file brings in Rasa
    try:
        if args.command == "add":  # check the names before asking a password
            checked_username(args.username), checked_display_name(args.display_name)
        password = read_password(stdin=stdin) if args.command in ("add", "password") else ""
        staff = accounts_from_endpoints(args.endpoints)
        if args.command == "add":
            account = staff.add(args.username, args.display_name, password)
            print(f"Account '{account.username}' ({account.display_name}) toegevoegd.")
        elif args.command == "password":
            staff.set_password(args.username, password)
            print(f"Nieuw wachtwoord voor '{normal_username(args.username)}'; de sessies zijn beëindigd.")
        elif args.command == "remove":
            staff.remove(args.username)
            print(f"Account '{normal_username(args.username)}' verwijderd.")
        elif args.command == "unlock":
            staff.unlock(args.username)
            print(f"'{normal_username(args.username)}' kan weer inloggen.")
        else:
            for account in staff.accounts():
                print(f"{account.username}\t{account.display_name}")
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
