"""The staff console against the real servers (credentials.yml registers it), attacked as the
issue's security tests ask: without a staff session nothing is shown or done; what a student has
(a web chat session id, a conversation id) opens nothing; a forged or missing CSRF token, a
brute-forced sign-in and an oversized reply are refused; the session cookie is HttpOnly,
SameSite=Strict, and Secure behind HTTPS.

Each attack goes through `attacked` (tests/security/test_attacks_http.py): a 4xx or an ordinary
answer within a second, and the server lives on. Accounts and a waiting conversation are written
into the server's database directly, as `make staff-account` and a student's request would.
Sign-in failures are sent from their own loopback addresses (127.0.0.2, 127.0.0.3): the lock-out
per address must not lock this machine's other tests out.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import pytest
import requests
import sqlalchemy as sa

from bot.handover.accounts import LIMITS, StaffAccounts
from bot.handover.console import FORM_COOKIE, MAX_REPLY, SESSION_COOKIE
from bot.handover.store import HandoverStore
from tests.security.test_attacks_http import attacked
from tests.security.test_network_http import client_at
from tools.launcher import Assistant

pytestmark = pytest.mark.slow

PASSWORD = "een-lang-wachtwoord-voor-de-test"
STAFF = "/webhooks/staff"
API_GETS = ("/api/handovers", "/api/handovers/{id}", "/api/messages")
API_POSTS = ("/api/handovers/{id}/take", "/api/handovers/{id}/reply", "/api/handovers/{id}/hand-back",
             "/api/handovers/{id}/close", "/api/messages/{id}/handled", "/signout")


def store_of(db_path: str) -> HandoverStore:
    return HandoverStore(sa.create_engine(f"sqlite:///{db_path}"))


def new_account(db_path: str, prefix: str = "medewerker") -> str:
    username = f"{prefix}{uuid.uuid4().hex[:8]}"
    StaffAccounts(store_of(db_path)).add(username, f"Medewerker {username}", PASSWORD)
    return username


def student_session(servers: Dict[str, str]) -> str:
    return requests.get(f"{servers['rasa_url']}/webhooks/webchat/session", timeout=10).json()["session_id"]


def waiting_conversation(servers: Dict[str, str]) -> Tuple[str, int]:
    """A student's web chat conversation in the queue: its session id and the handover's number."""
    session_id = student_session(servers)
    handover = store_of(servers["db_path"]).request(f"web:{session_id}", "web", "nl",
                                                    page="https://school.example/chat")
    return session_id, handover.id


class Staff:
    """A staff member's browser: cookies, and the CSRF token the console page carries."""

    def __init__(self, base: str, http: Optional[requests.Session] = None) -> None:
        self.base = base
        self.http = http or requests.Session()
        self.csrf: Optional[str] = None

    def sign_in_form(self, **headers: str) -> str:
        page = self.http.get(f"{self.base}{STAFF}/signin", headers=headers, timeout=10)
        assert page.status_code == 200
        return re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)

    def sign_in(self, username: str, password: str = PASSWORD, **headers: str) -> requests.Response:
        form = {"form_token": self.sign_in_form(**headers), "username": username, "password": password}
        # The form's cookie as a browser behind the HTTPS proxy would send it (requests keeps a Secure
        # cookie from plain HTTP).
        cookie = {"Cookie": f"{FORM_COOKIE}={self.http.cookies.get(FORM_COOKIE)}"}
        reply = self.http.post(f"{self.base}{STAFF}/signin", data=form, headers={**headers, **cookie},
                               allow_redirects=False, timeout=10)
        page = self.http.get(f"{self.base}{STAFF}/console", allow_redirects=False, timeout=10) \
            if reply.status_code == 303 else None
        if page is not None and page.status_code == 200:  # (a Secure cookie does not come back over HTTP)
            self.csrf = re.search(r'data-csrf-token="([^"]+)"', page.text).group(1)
        return reply

    def post(self, path: str, body: Optional[Dict] = None, csrf: Optional[str] = "session",
             **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if csrf is not None:
            headers["X-CSRF-Token"] = self.csrf if csrf == "session" else csrf
        if body is not None:
            kwargs["json"] = body
        return self.http.post(f"{self.base}{STAFF}{path}", headers=headers, allow_redirects=False, timeout=10, **kwargs)


# --- no session, no access ---------------------------------------------------------------------
def test_the_console_and_its_api_refuse_requests_without_a_staff_session(live_servers):
    base = live_servers["rasa_url"]
    _, handover_id = waiting_conversation(live_servers)
    page = attacked(live_servers, lambda: requests.get(f"{base}{STAFF}/console", allow_redirects=False, timeout=10))
    assert page.status_code == 303 and page.headers["Location"] == "signin" and "data-csrf-token" not in page.text
    for path in API_GETS:
        reply = attacked(live_servers, lambda: requests.get(f"{base}{STAFF}{path.format(id=handover_id)}", timeout=10))
        assert reply.status_code == 401 and "https://school.example" not in reply.text
    for path in API_POSTS[:-1]:
        reply = attacked(live_servers, lambda: requests.post(f"{base}{STAFF}{path.format(id=handover_id)}",
                                                             json={"text": "Hallo"}, timeout=10))
        assert reply.status_code == 401
    assert store_of(live_servers["db_path"]).get(handover_id).state == "waiting"


def test_what_a_student_has_opens_nothing(live_servers):
    """The student's signed session id and conversation id, as cookie, token or parameter: 401."""
    base = live_servers["rasa_url"]
    session_id, handover_id = waiting_conversation(live_servers)
    conversation = f"web:{session_id}"
    attempts = [
        {"cookies": {SESSION_COOKIE: session_id}},
        {"cookies": {SESSION_COOKIE: conversation}},
        {"cookies": {SESSION_COOKIE: session_id.split(".")[0] + "x" * 11}},  # 43 characters, a token's shape
        {"headers": {"X-CSRF-Token": session_id, "Authorization": f"Bearer {session_id}"}},
        {"params": {"session_id": session_id, "sender": conversation}},
    ]
    for attempt in attempts:
        for path in API_GETS:
            reply = attacked(live_servers, lambda: requests.get(f"{base}{STAFF}{path.format(id=handover_id)}",
                                                                timeout=10, **attempt))
            assert reply.status_code == 401, (attempt, path)
        taken = attacked(live_servers, lambda: requests.post(f"{base}{STAFF}/api/handovers/{handover_id}/take",
                                                             json={}, timeout=10, **attempt))
        assert taken.status_code == 401
        page = requests.get(f"{base}{STAFF}/console", allow_redirects=False, timeout=10, **attempt)
        assert page.status_code == 303
    assert store_of(live_servers["db_path"]).get(handover_id).state == "waiting"


# --- CSRF ---------------------------------------------------------------------------------------
def test_a_forged_or_missing_csrf_token_is_refused(live_servers):
    base = live_servers["rasa_url"]
    staff, colleague = Staff(base), Staff(base)
    assert staff.sign_in(new_account(live_servers["db_path"])).status_code == 303
    assert colleague.sign_in(new_account(live_servers["db_path"])).status_code == 303
    _, handover_id = waiting_conversation(live_servers)
    for csrf in (None, "", "vervalst", "x" * 43, colleague.csrf):
        reply = attacked(live_servers, lambda: staff.post(f"/api/handovers/{handover_id}/take", {}, csrf=csrf))
        assert reply.status_code == 403, csrf
    assert store_of(live_servers["db_path"]).get(handover_id).state == "waiting"
    # What another site's form could send: no header at all, form-encoded.
    form = attacked(live_servers, lambda: staff.http.post(f"{base}{STAFF}/api/handovers/{handover_id}/take",
                                                          data={"x": "1"}, timeout=10))
    assert form.status_code == 403
    assert staff.post(f"/api/handovers/{handover_id}/take", {}).status_code == 200  # the real token works


def test_a_sign_in_form_without_its_token_is_refused(live_servers):
    base = live_servers["rasa_url"]
    username = new_account(live_servers["db_path"])
    with requests.Session() as browser:
        browser.get(f"{base}{STAFF}/signin", timeout=10)
        for form in ({"username": username, "password": PASSWORD},
                     {"form_token": "vervalst", "username": username, "password": PASSWORD}):
            reply = attacked(live_servers, lambda: browser.post(f"{base}{STAFF}/signin", data=form,
                                                                allow_redirects=False, timeout=10))
            assert reply.status_code == 403 and f"{SESSION_COOKIE}=" not in reply.headers.get("Set-Cookie", "")


# --- brute force --------------------------------------------------------------------------------
def test_brute_force_on_a_username_is_refused_after_the_limit(live_servers):
    base, username = live_servers["rasa_url"], new_account(live_servers["db_path"], "doelwit")
    with client_at("127.0.0.2") as http:
        attacker = Staff(base, http)
        statuses = [attacked(live_servers, lambda: attacker.sign_in(username, f"geraden-{n}")).status_code
                    for n in range(LIMITS.per_username + 3)]
        assert statuses == [401] * (LIMITS.per_username - 1) + [429] * 4
        right = attacker.sign_in(username)
    assert right.status_code == 429 and int(right.headers["Retry-After"]) == LIMITS.lockout
    assert "Te veel mislukte pogingen" in right.text and f"{SESSION_COOKIE}=" not in right.headers.get("Set-Cookie", "")


def test_an_address_trying_many_usernames_is_refused_after_the_limit(live_servers):
    base, username = live_servers["rasa_url"], new_account(live_servers["db_path"])
    with client_at("127.0.0.3") as http:
        attacker = Staff(base, http)
        statuses = [attacked(live_servers, lambda: attacker.sign_in(f"gok{n}", "geraden-wachtwoord")).status_code
                    for n in range(LIMITS.per_address)]
        assert statuses == [401] * (LIMITS.per_address - 1) + [429]
        assert attacker.sign_in(username).status_code == 429  # a real account, from that address
    assert Staff(base).sign_in(username).status_code == 303  # from elsewhere: fine


# --- an oversized reply -------------------------------------------------------------------------
def test_an_oversized_reply_is_refused(live_servers):
    staff = Staff(live_servers["rasa_url"])
    staff.sign_in(new_account(live_servers["db_path"]))
    _, handover_id = waiting_conversation(live_servers)
    assert staff.post(f"/api/handovers/{handover_id}/take", {}).status_code == 200
    too_long = attacked(live_servers, lambda: staff.post(f"/api/handovers/{handover_id}/reply",
                                                         {"text": "a" * (MAX_REPLY + 1)}))
    assert too_long.status_code == 413 and "2000 tekens" in too_long.json()["error"]
    much_too_long = attacked(live_servers, lambda: staff.post(f"/api/handovers/{handover_id}/reply",
                                                              {"text": "a" * 100_000}))
    assert much_too_long.status_code == 413
    huge = attacked(live_servers, lambda: staff.post(f"/api/handovers/{handover_id}/reply", None,
                                                     data=b'{"text": "' + b"a" * 900_000 + b'"}',
                                                     headers={"Content-Type": "application/json"}))
    assert huge.status_code == 413
    assert not [m for m in store_of(live_servers["db_path"]).messages(handover_id) if m.sender == "staff"]
    assert staff.post(f"/api/handovers/{handover_id}/reply", {"text": "a" * MAX_REPLY}).status_code == 200


# --- the cookie ------------------------------------------------------------------------------------
def session_cookie(reply: requests.Response) -> str:
    cookies = [c for c in reply.raw.headers.getlist("Set-Cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    assert len(cookies) == 1, reply.raw.headers.getlist("Set-Cookie")
    return cookies[0]


def test_the_session_cookie_is_http_only_and_strict_and_not_secure_over_plain_http(live_servers):
    staff = Staff(live_servers["rasa_url"])
    # A client's own X-Forwarded-Proto proves nothing: the server runs without TRUSTED_PROXIES.
    reply = staff.sign_in(new_account(live_servers["db_path"]), **{"X-Forwarded-Proto": "https"})
    cookie = session_cookie(reply)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/webhooks/staff/" in cookie
    assert "Secure" not in cookie


@pytest.fixture(scope="module")
def behind_proxy(model_path: Path, live_servers, tmp_path_factory) -> Iterator[Dict[str, str]]:
    """A second Rasa server that believes a proxy on loopback (TRUSTED_PROXIES), with its own database."""
    action_port = int(live_servers["action_webhook"].rsplit(":", 1)[1].split("/")[0])
    assistant = Assistant(tmp_path_factory.mktemp("behind-proxy"), model_path, action_port=action_port,
                          env={"TRUSTED_PROXIES": "127.0.0.1"})
    try:
        yield assistant.start_rasa().urls
    finally:
        assistant.stop_rasa()


def test_the_session_cookie_is_secure_behind_https(behind_proxy):
    staff = Staff(behind_proxy["rasa_url"])
    proxy_says = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.20"}
    cookie = session_cookie(staff.sign_in(new_account(behind_proxy["db_path"]), **proxy_says))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    plain = Staff(behind_proxy["rasa_url"]).sign_in(new_account(behind_proxy["db_path"]),
                                                   **{"X-Forwarded-Proto": "http"})
    assert "Secure" not in session_cookie(plain)
