"""The staff console's routes, in process: a Sanic app with only the console's blueprint, on a
handover store in a fresh SQLite file (conftest.py), with an in-process relay whose messages the
tests read as the user's channel would get them. And the notice to a Teams or Slack webhook,
against a loopback fake."""
from __future__ import annotations

import asyncio
import json
import re
import time as clock
import uuid
from dataclasses import dataclass, field
from datetime import time
from types import SimpleNamespace
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

import aiohttp
import pytest
from argon2 import PasswordHasher
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.handover.accounts import LIMITS, StaffAccounts
from bot.handover.console import (FORM_COOKIE, MAX_REPLY, NOTICE, SECURITY_HEADERS, SESSION_COOKIE,
                                  StaffConsoleInput, WaitingNotifier, notice_body, render_page)
from bot.handover.hours import HandoverSettings, OpeningHours
from bot.handover.service import HandoverService, InProcessRelay
from bot.handover.store import HandoverStore
from tests.bot.channels.fakes import FakeService, eventually
from tools.launcher import free_port

PASSWORD = "paarden-batterij-niet"
FAST = dict(time_cost=1, memory_cost=64, parallelism=1)
ALL_DAY = ((time(0, 0), time(23, 59, 59, 999999)),)
ALWAYS_OPEN = HandoverSettings(hours=OpeningHours(periods={day: ALL_DAY for day in range(7)}))
STUDENT = "web:" + "a1" * 16 + "." + "b2" * 16  # a web chat conversation: its session id is the student's key
PAGE = "https://www.rocvoorbeeldstad.nl/opleidingen/metaal"


# --- the app ------------------------------------------------------------------------------------
@dataclass
class Console:
    url: str
    service: HandoverService
    accounts: StaffAccounts
    trackers: InMemoryTrackerStore
    relayed: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)

    @property
    def store(self) -> HandoverStore:
        return self.service.store


@pytest.fixture
async def console(monkeypatch, store) -> AsyncIterator[Console]:
    # Sanic 21.12 keeps its original methods to rewrite at each app's start only in test mode.
    monkeypatch.setattr(Sanic, "test_mode", True)
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    relay = InProcessRelay()
    service = HandoverService(store, ALWAYS_OPEN, relay)
    accounts = StaffAccounts(store, hasher=PasswordHasher(**FAST))
    accounts.add("jansen", "Mw. Jansen", PASSWORD)
    accounts.add("devries", "Dhr. de Vries", PASSWORD)
    trackers = InMemoryTrackerStore(Domain.empty())
    app = Sanic(f"console_test_{uuid.uuid4().hex}")
    app.ctx.agent = SimpleNamespace(tracker_store=trackers)
    app.blueprint(StaffConsoleInput(service, accounts).blueprint(None), url_prefix="/webhooks/staff")  # as Rasa does
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    made = Console(f"http://127.0.0.1:{port}/webhooks/staff", service, accounts, trackers)

    async def collect(conversation_id: str, message: Dict[str, Any]) -> None:
        made.relayed.append((conversation_id, message))

    await relay.subscribe(collect)
    try:
        yield made
    finally:
        server.close()
        await server.wait_closed()


class Browser:
    """A browser's cookies and the console page's CSRF token."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf: Optional[str] = None

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str, **kwargs: Any) -> aiohttp.ClientResponse:
        async with self.http.get(self.console.url + path, allow_redirects=False, **kwargs) as reply:
            await reply.read()
            return reply

    async def post(self, path: str, body: Any = None, csrf: Optional[str] = "session", **kwargs: Any
                   ) -> aiohttp.ClientResponse:
        """POST `body` as JSON (or what `data=` says), with the CSRF token of the session (or `csrf`)."""
        headers = dict(kwargs.pop("headers", {}))
        if csrf is not None:
            headers["X-CSRF-Token"] = self.csrf if csrf == "session" else csrf
        if body is not None:
            kwargs["json"] = body
        async with self.http.post(self.console.url + path, headers=headers, allow_redirects=False, **kwargs) as reply:
            await reply.read()
            return reply

    async def sign_in(self, username: str = "jansen", password: str = PASSWORD,
                      **headers: str) -> aiohttp.ClientResponse:
        """Fill in the sign-in form as a browser does; on success read the console page's CSRF token."""
        form = await self.get("/signin")
        token = re.search(r'name="form_token" value="([^"]+)"', form._body.decode()).group(1)
        reply = await self.post_form({"form_token": token, "username": username, "password": password}, headers)
        page = await self.get("/console") if reply.status == 303 else None
        if page is not None and page.status == 200:  # (a Secure cookie does not come back over HTTP)
            self.csrf = re.search(r'data-csrf-token="([^"]+)"', page._body.decode()).group(1)
        return reply

    async def post_form(self, form: Dict[str, str], headers: Optional[Dict[str, str]] = None) -> aiohttp.ClientResponse:
        async with self.http.post(self.console.url + "/signin", data=form, headers=headers or {},
                                  allow_redirects=False) as reply:
            await reply.read()
            return reply

    async def json(self, path: str) -> Tuple[int, Any]:
        reply = await self.get(path)
        return reply.status, json.loads(reply._body)


@pytest.fixture
async def browser(console) -> AsyncIterator[Browser]:
    made = Browser(console)
    yield made
    await made.close()


@pytest.fixture
async def colleague(console) -> AsyncIterator[Browser]:
    made = Browser(console)
    yield made
    await made.close()


async def student_asks_for_a_person(console: Console, conversation: str = STUDENT) -> int:
    tracker = DialogueStateTracker.from_events(conversation, [
        UserUttered("Wat is crebo 25894?"), BotUttered("Medewerker productietechniek (crebo 25894)."),
        UserUttered("/handover_start")])
    await console.trackers.save(tracker)
    await asyncio.sleep(0.01)  # the handover starts after what was said before
    reply = await console.service.start(conversation, "web", "nl", page=PAGE)
    return reply.handover.id


def set_cookies(reply: aiohttp.ClientResponse) -> Dict[str, str]:
    return {header.split("=", 1)[0]: header for header in reply.headers.getall("Set-Cookie", [])}


# --- pages ------------------------------------------------------------------------------------
def test_the_template_gives_one_view_with_its_values_escaped():
    sign_in = render_page("signin", form_token="t0ken")
    assert 'value="t0ken"' in sign_in and "sign-out" not in sign_in and "{{" not in sign_in
    assert "console.js" not in sign_in  # the sign-in page works without script
    console = render_page("console", csrf_token="c", username="jansen", display_name='<script>"x"</script>')
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in console and "<script>\"x\"" not in console
    assert 'name="password"' not in console and "{{" not in console and console.count("<body") == 1


async def test_pages_and_api_without_a_session_send_to_the_sign_in_or_refuse(browser):
    for path in ("/", "/console"):
        reply = await browser.get(path)
        assert (reply.status, reply.headers["Location"]) == (303, "console" if path == "/" else "signin")
    for path in ("/api/handovers", "/api/handovers/1", "/api/messages"):
        assert (await browser.get(path)).status == 401
    for path in ("/api/handovers/1/take", "/api/handovers/1/reply", "/api/handovers/1/hand-back",
                 "/api/handovers/1/close", "/api/messages/1/handled"):
        assert (await browser.post(path, {"text": "hoi"}, csrf="anything")).status == 401


async def test_every_response_has_the_security_headers(browser):
    for reply in (await browser.get("/signin"), await browser.get("/console"), await browser.get("/api/handovers"),
                  await browser.get("/static/console.js")):
        for name, value in SECURITY_HEADERS.items():
            assert reply.headers.get(name) == value, (reply.url, name)


@pytest.mark.parametrize("name", ["console.js", "console.css"])
async def test_the_pages_own_files_are_served(browser, name):
    reply = await browser.get(f"/static/{name}")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith(
        "application/javascript" if name.endswith(".js") else "text/css")


@pytest.mark.parametrize("name", ["chat.js", "console.html", "..%2Fhandover%2Fconsole.py", "texts.js", "x.css"])
async def test_no_other_file_is_served(browser, name):
    assert (await browser.get(f"/static/{name}")).status == 404


# --- signing in ------------------------------------------------------------------------------
async def test_signing_in_sets_a_strict_http_only_session_cookie(browser):
    reply = await browser.sign_in()
    assert (reply.status, reply.headers["Location"]) == (303, "console")
    cookie = set_cookies(reply)[SESSION_COOKIE]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/webhooks/staff/" in cookie
    assert "Secure" not in cookie  # plain HTTP, no trusted proxy: a Secure cookie would never come back
    page = await browser.get("/console")
    assert page.status == 200 and "Mw. Jansen" in page._body.decode()
    status, listed = await browser.json("/api/handovers")
    assert status == 200 and listed["staff"] == {"username": "jansen", "display_name": "Mw. Jansen"}
    assert (await browser.get("/signin")).headers.get("Location") == "console"  # signed in already


async def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(browser, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    reply = await browser.sign_in(**{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"})
    assert reply.status == 303 and "Secure" in set_cookies(reply)[SESSION_COOKIE]
    assert "Secure" in set_cookies(await browser.get("/signin", headers={"X-Forwarded-Proto": "https"}))[FORM_COOKIE]


async def test_an_untrusted_peer_saying_https_proves_nothing(browser):
    page = await browser.get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in set_cookies(page)[FORM_COOKIE]


async def test_a_wrong_password_is_a_401_page_in_dutch(browser):
    reply = await browser.sign_in(password="verkeerd-wachtwoord")
    assert reply.status == 401 and "klopt niet" in reply._body.decode() and SESSION_COOKIE not in set_cookies(reply)


async def test_a_sign_in_without_its_form_token_is_refused(browser):
    await browser.get("/signin")  # the form cookie is set, but the form's token is not sent (another site's form)
    for form in ({"username": "jansen", "password": PASSWORD}, {"form_token": "vervalst", "username": "jansen",
                                                              "password": PASSWORD}):
        reply = await browser.post_form(form)
        assert reply.status == 403 and SESSION_COOKIE not in set_cookies(reply)


async def test_brute_force_is_locked_out_with_a_429(browser):
    for _ in range(LIMITS.per_username - 1):
        assert (await browser.sign_in(password="geraden-wachtwoord")).status == 401
    locked = await browser.sign_in(password="geraden-wachtwoord")
    assert locked.status == 429 and int(locked.headers["Retry-After"]) == LIMITS.lockout
    assert "Te veel mislukte pogingen" in locked._body.decode()
    assert (await browser.sign_in()).status == 429  # the right password, too


async def test_signing_out_ends_the_session(browser):
    await browser.sign_in()
    old_cookie = browser.http.cookie_jar.filter_cookies(browser.console.url + "/")[SESSION_COOKIE].value
    assert (await browser.post("/signout", {}, csrf="vervalst")).status == 403
    assert (await browser.post("/signout", {})).status == 200
    assert (await browser.get("/api/handovers")).status == 401
    again = await browser.get("/api/handovers", headers={"Cookie": f"{SESSION_COOKIE}={old_cookie}"})
    assert again.status == 401


# --- the API -----------------------------------------------------------------------------------
async def test_staff_see_the_waiting_conversation_with_its_page_and_both_transcripts(console, browser):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    await console.service.handle(STUDENT, "mijn mail is jan.devries@example.nl", "nl", channel="web")
    status, listed = await browser.json("/api/handovers")
    assert status == 200 and listed["waiting"] == 1
    [shown] = listed["handovers"]
    assert (shown["id"], shown["state"], shown["page"], shown["position"]) == (handover_id, "waiting", PAGE, 1)
    status, detail = await browser.json(f"/api/handovers/{handover_id}?before=1")
    assert [m["text"] for m in detail["before"]] == ["Wat is crebo 25894?",
                                                   "Medewerker productietechniek (crebo 25894)."]
    assert [(m["sender"], m["text"]) for m in detail["messages"]] == [("user", "mijn mail is [e-mail]")]
    # The student's conversation id (their key to the web chat) and address are never shown.
    for text in (json.dumps(listed), json.dumps(detail)):
        assert STUDENT not in text and "a1a1a1" not in text and "reply_to" not in text
        assert "jan.devries@example.nl" not in text


async def test_take_reply_and_hand_back_reach_the_user(console, browser):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    assert (await browser.post(f"/api/handovers/{handover_id}/take", {})).status == 200
    greeting = "Hoi, ik ben Mw. Jansen. Waarmee kan ik helpen?"
    reply = await browser.post(f"/api/handovers/{handover_id}/reply", {"text": greeting})
    assert reply.status == 200
    assert (await browser.post(f"/api/handovers/{handover_id}/hand-back", {})).status == 200
    to_user = [(m["sender"], m.get("staff_name"), m["state"]) for conversation, m in console.relayed
               if conversation == STUDENT]
    assert to_user == [("system", None, "taken"), ("staff", "Mw. Jansen", "taken"), ("system", None, "returned")]
    assert console.relayed[1][1]["text"] == greeting
    status, listed = await browser.json("/api/handovers")
    assert listed["handovers"] == []
    status, detail = await browser.json(f"/api/handovers/{handover_id}")
    assert detail["handover"]["state"] == "returned" and detail["handover"]["end_reason"] == "handed_back"
    status, newer = await browser.json(f"/api/handovers/{handover_id}?after={detail['messages'][-2]['id']}")
    assert [m["sender"] for m in newer["messages"]] == ["system"] and "before" not in newer


async def test_only_the_one_who_took_it_replies_hands_back_or_closes(console, browser, colleague):
    await browser.sign_in()
    await colleague.sign_in("devries")
    handover_id = await student_asks_for_a_person(console)
    assert (await colleague.post(f"/api/handovers/{handover_id}/hand-back", {})).status == 409  # not taken yet
    assert (await browser.post(f"/api/handovers/{handover_id}/take", {})).status == 200
    assert (await colleague.post(f"/api/handovers/{handover_id}/take", {})).status == 409
    for action, body in (("reply", {"text": "Ik neem het over"}), ("hand-back", {}), ("close", {})):
        reply = await colleague.post(f"/api/handovers/{handover_id}/{action}", body)
        assert reply.status == 409 and "niet (meer) van jou" in json.loads(reply._body)["error"]
    status, listed = await colleague.json("/api/handovers")
    assert listed["handovers"][0]["taken_by_name"] == "Mw. Jansen" and not listed["handovers"][0]["taken_by_me"]
    assert (await browser.post(f"/api/handovers/{handover_id}/close", {})).status == 200


async def test_a_waiting_conversation_can_be_closed(console, browser):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    assert (await browser.post(f"/api/handovers/{handover_id}/close", {})).status == 200
    assert console.store.get(handover_id).state == "closed"


@pytest.mark.parametrize("csrf", [None, "", "vervalst", "x" * 43])
async def test_a_post_without_the_sessions_csrf_token_is_refused(console, browser, csrf):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    reply = await browser.post(f"/api/handovers/{handover_id}/take", {}, csrf=csrf)
    assert reply.status == 403 and console.store.get(handover_id).state == "waiting"


async def test_a_colleagues_csrf_token_is_not_mine(console, browser, colleague):
    await browser.sign_in()
    await colleague.sign_in("devries")
    handover_id = await student_asks_for_a_person(console)
    assert (await browser.post(f"/api/handovers/{handover_id}/take", {}, csrf=colleague.csrf)).status == 403


async def test_a_form_post_is_refused_even_with_the_token(console, browser):
    """Only JSON: what another site's form can send is never accepted."""
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    reply = await browser.post(f"/api/handovers/{handover_id}/take", None, data={"x": "1"})
    assert reply.status == 415 and console.store.get(handover_id).state == "waiting"


@pytest.mark.parametrize("length, status", [(MAX_REPLY, 200), (MAX_REPLY + 1, 413), (20_000, 413), (0, 400)])
async def test_replies_have_at_most_2000_characters(console, browser, length, status):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    await browser.post(f"/api/handovers/{handover_id}/take", {})
    reply = await browser.post(f"/api/handovers/{handover_id}/reply", {"text": "a" * length})
    assert reply.status == status
    staff_messages = [m for m in console.store.messages(handover_id) if m.sender == "staff"]
    assert len(staff_messages) == (1 if status == 200 else 0)


@pytest.mark.parametrize("body", [b"niet json", b"[1, 2]", b'{"text": 5}', b"{}"])
async def test_a_malformed_reply_is_a_400(console, browser, body):
    await browser.sign_in()
    handover_id = await student_asks_for_a_person(console)
    await browser.post(f"/api/handovers/{handover_id}/take", {})
    reply = await browser.post(f"/api/handovers/{handover_id}/reply", None, data=body,
                               headers={"Content-Type": "application/json"})
    assert reply.status == 400


@pytest.mark.parametrize("handover_id", ["999", "abc", "-1", "1e3", "9" * 40])
async def test_an_unknown_conversation_is_a_404(browser, handover_id):
    await browser.sign_in()
    assert (await browser.get(f"/api/handovers/{handover_id}")).status == 404
    assert (await browser.post(f"/api/handovers/{handover_id}/take", {})).status == 404


async def test_left_messages_are_listed_and_marked_handled(console, browser):
    await browser.sign_in()
    first = console.store.leave_message("Kan ik in februari instromen?", "06 12345678", True, "nl")
    console.store.leave_message("Is there an English programme?", "ann@example.com", True, "en")
    status, listed = await browser.json("/api/messages")
    assert status == 200 and listed["unhandled"] == 2
    assert [(m["question"], m["contact"], m["handled"]) for m in listed["messages"]][0] == (
        "Kan ik in februari instromen?", "06 12345678", False)
    assert (await browser.post(f"/api/messages/{first.id}/handled", {})).status == 200
    status, listed = await browser.json("/api/messages")
    assert listed["unhandled"] == 1 and listed["messages"][0]["handled"] and listed["messages"][0]["handled_at"]
    assert (await browser.post("/api/messages/999/handled", {})).status == 404


# --- the webhook notice ------------------------------------------------------------------------
@pytest.fixture
def webhook() -> FakeService:
    service = FakeService({("POST", "/hook"): lambda recorded: (200, {"ok": True}),
                           ("POST", "/refuses"): lambda recorded: (400, {"error": "invalid_payload"}),
                           ("POST", "/slow"): lambda recorded: (clock.sleep(2), (200, {}))[1]}).start()
    yield service
    service.stop()


async def test_a_new_waiting_conversation_is_announced_once_without_personal_data(console, webhook):
    url = webhook.url + "/hook"
    notifier, other_process = WaitingNotifier(url, console.store), WaitingNotifier(url, console.store)
    assert await notifier.check() is None  # nobody waits
    await student_asks_for_a_person(console)
    sent = await notifier.check()
    assert sent is not None and await sent is True
    assert await other_process.check() is None  # the same conversation: announced already
    assert await notifier.check() is None
    await student_asks_for_a_person(console, "web:" + "c3" * 16 + "." + "d4" * 16)
    assert await (await other_process.check()) is True
    bodies = [r.json() for r in webhook.recorded("POST", "/hook")]
    assert [b["text"] for b in bodies] == [NOTICE.format(waiting=1), NOTICE.format(waiting=2)]
    assert bodies[1]["text"] == "Er wacht iemand in de chat (wachtrij: 2)"
    sent_text = json.dumps(bodies)
    assert "web:" not in sent_text and "rocvoorbeeldstad" not in sent_text and "crebo" not in sent_text


def test_slack_gets_text_and_teams_an_adaptive_card_too():
    slack = notice_body("https://hooks.slack.com/services/T0/B0/x", 3)
    assert slack == {"text": "Er wacht iemand in de chat (wachtrij: 3)"}
    teams = notice_body("https://prod-01.westeurope.logic.azure.com/workflows/x", 3)
    assert teams["text"] == "Er wacht iemand in de chat (wachtrij: 3)"
    assert teams["attachments"][0]["content"]["body"][0]["text"] == teams["text"]


async def test_a_failing_webhook_is_logged_without_its_url_and_blocks_nothing(console, webhook, caplog):
    await student_asks_for_a_person(console)
    refused = WaitingNotifier(webhook.url + "/refuses?token=geheim", console.store)
    assert await (await refused.check()) is False
    await student_asks_for_a_person(console, "web:" + "e5" * 16 + "." + "f6" * 16)
    unreachable = WaitingNotifier(f"http://127.0.0.1:{free_port()}/hook?token=geheim", console.store)
    assert await (await unreachable.check()) is False
    assert "refused (HTTP 400)" in caplog.text and "failed" in caplog.text and "geheim" not in caplog.text


async def test_a_slow_webhook_does_not_hold_up_the_check(console, webhook):
    await student_asks_for_a_person(console)
    notifier = WaitingNotifier(webhook.url + "/slow", console.store, timeout=5)
    started = clock.perf_counter()
    sending = await notifier.check()
    assert clock.perf_counter() - started < 0.5 and not sending.done()
    assert await sending is True
    assert eventually(lambda: webhook.recorded("POST", "/slow"), bool, timeout=5)
