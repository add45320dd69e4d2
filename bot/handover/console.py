"""`StaffConsoleInput`: the console in which school staff take conversations over from the bot.

credentials.yml enables it as `bot.handover.console.StaffConsoleInput`. Routes (Rasa server port):
  GET  /webhooks/staff/                          → the console (or the sign-in page)
  GET  /webhooks/staff/signin                    the sign-in page (a form; works without script)
  POST /webhooks/staff/signin                    sign in: username, password, form_token → the console
  POST /webhooks/staff/signout                   end the session
  GET  /webhooks/staff/console                   the console page (signed in; else → the sign-in page)
  GET  /webhooks/staff/static/console.js|.css    the page's script and style sheet (no CDN)
  GET  /webhooks/staff/api/handovers             waiting and taken conversations, the queue, who is signed in
  GET  /webhooks/staff/api/handovers/<id>        one conversation: its facts and transcript with staff
                                                 (?after=<message id>: only newer messages; ?before=1:
                                                 with the earlier chat with the bot)
  POST /webhooks/staff/api/handovers/<id>/take       take a waiting conversation
  POST /webhooks/staff/api/handovers/<id>/reply      {"text": "..."} (1 to MAX_REPLY characters)
  POST /webhooks/staff/api/handovers/<id>/hand-back  back to the bot (the one who took it)
  POST /webhooks/staff/api/handovers/<id>/close      close (a waiting one, or the one you took)
  GET  /webhooks/staff/api/messages              the left messages (message box), oldest first
  POST /webhooks/staff/api/messages/<id>/handled mark a left message handled ("afgehandeld")

Who may do what:
- Every page and API route but the sign-in page needs a staff session: the cookie
  SESSION_COOKIE, HttpOnly, SameSite=Strict, Path=/webhooks/staff/, and Secure when the request
  came over HTTPS (TLS here, or `X-Forwarded-Proto: https` from a proxy in TRUSTED_PROXIES,
  bot/channels/rate_limit.py). Without one: pages redirect to the sign-in page, the API answers
  401. Nothing a student has (a web chat session id, a conversation id, a REST sender) is
  accepted anywhere here, and the API never shows a conversation id (a web chat's is the
  student's key to the conversation): conversations are known by the handover's number.
- Every POST but the sign-in needs the session's CSRF token in `X-CSRF-Token` (the console page
  carries it; compared in constant time) and a JSON body; the sign-in form carries a token that
  must equal its own cookie (FORM_COOKIE), so another site cannot sign a browser in either.
- Sign-in attempts are limited per username and per client address, with a lock-out
  (bot/handover/accounts.py); passwords are checked in a thread, not in the event loop.
- Replies have at most MAX_REPLY characters and a request body at most MAX_BODY bytes.
- Every response has a strict Content-Security-Policy (only this server's script, style and
  requests; no frames), no caching, no referrer.

What staff see: the waiting and taken conversations with the page the user was on and their
place in the queue; a conversation's earlier chat with the bot (from the tracker store, as
stored: masked) and its transcript with staff (handover_messages: the user's messages masked, staff
replies and notices as written); the left
messages. Staff actions go through `HandoverService` (bot/handover/service.py), which tells the
user and relays staff replies to whichever process holds the user's socket.

New waiting conversations are announced in the page (aria-live, console.js) and, when school.yml
sets `handover.notify_webhook`, to a Teams or Slack incoming webhook: "Er wacht iemand in de chat
(wachtrij: 2)", nothing about who or what. Every process watches the queue (WATCH_SECONDS);
the table `staff_notices` lets exactly one of them send the notice for each new conversation
(the first to insert its handover's number). A failed notice is logged (without the webhook's
URL, which is a secret) and never holds anything up.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import json
import logging
import re
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple
from urllib.parse import urlsplit

import aiohttp
import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rate_limit import client_address, trusted_proxies
from bot.handover.accounts import MAX_PASSWORD, SESSION_MAX, StaffAccounts, StaffSession
from bot.handover.service import MAX_STAFF_REPLY, HandoverService, shared_service
from bot.handover.store import TAKEN, USER, WAITING, Handover, HandoverStore, LeftMessage, Message, as_utc, utcnow

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[1] / "web" / "static"
PAGE = STATIC_DIR / "console.html"
STATIC_FILES = {"console.js": "application/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}
PREFIX = "/webhooks/staff"
COOKIE_PATH = PREFIX + "/"
SESSION_COOKIE = "vragenbot_staff"
FORM_COOKIE = "vragenbot_staff_form"
FORM_TOKEN_SECONDS = 60 * 60  # a sign-in page left open longer asks again
CSRF_HEADER = "X-CSRF-Token"
MAX_REPLY = MAX_STAFF_REPLY  # 2,000 characters (bot/handover/service.py)
MAX_BODY = 16 * 1024  # bytes of any POST here: a reply of MAX_REPLY characters in JSON, with room
MAX_SIGN_IN_BODY = 4 * 1024 + MAX_PASSWORD * 3  # a password of MAX_PASSWORD characters, percent-encoded
BEFORE_MESSAGES = 30  # messages of the earlier chat with the bot shown with a conversation
WATCH_SECONDS = 5.0  # how often each process looks for new waiting conversations (for the webhook)
NOTICE_TIMEOUT_SECONDS = 10.0
NOTICE = "Er wacht iemand in de chat (wachtrij: {waiting})"
NOTICES_KEPT = timedelta(days=2)
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
# What staff read when something is refused (Dutch: the console is for the school's staff).
SIGNED_OUT = "Je bent niet (meer) ingelogd. Log opnieuw in."
BAD_FORM = "Het formulier was verlopen. Probeer het nog eens."
WRONG_PASSWORD = "Gebruikersnaam of wachtwoord klopt niet."
LOCKED_OUT = "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw."
SIGNED_OUT_NOTE = "Je bent uitgelogd."
FORBIDDEN = "Dit verzoek is geweigerd: laad de console opnieuw."
TOO_LONG = f"Je antwoord is te lang: hoogstens {MAX_REPLY} tekens."
TOO_BIG = "Dit verzoek is te groot."
EMPTY_REPLY = "Je antwoord is leeg."
NOT_JSON = "Dit verzoek wordt niet begrepen."
NOT_FOUND = "Dit gesprek bestaat niet (meer)."
NOT_WAITING = "Dit gesprek wacht niet meer: een collega heeft het al, of het is beëindigd."
NOT_YOURS = "Dit gesprek is niet (meer) van jou: alleen wie het overnam kan antwoorden, teruggeven of sluiten."
NOT_READY = "De chatbot start nog. Probeer het zo nog eens."

# The staff notices of the webhook: one row per handover announced, so that one process sends it.
NOTICES_METADATA = sa.MetaData()
STAFF_NOTICES = sa.Table(
    "staff_notices", NOTICES_METADATA,
    sa.Column("handover_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sent_at", sa.DateTime, nullable=False),
)

Handler = Callable[..., Awaitable[HTTPResponse]]
_COMMENT = re.compile(r"[ \t]*<!--.*?-->\n?", re.DOTALL)


# --- pages ------------------------------------------------------------------------------------
def render_page(view: Text, **values: Text) -> Text:
    """console.html with only the block of `view` ("signin" or "console"), values escaped for HTML.

    `message` is the sign-in page's notice (text; shown with role="alert")."""
    template = PAGE.read_text(encoding="utf-8")
    for name in ("signin", "console"):
        start, end = f"<!-- view:{name} -->", f"<!-- /view:{name} -->"
        before, rest = template.split(start, 1)
        block, after = rest.split(end, 1)
        template = before + (block.strip("\n") + "\n" if name == view else "") + after.lstrip("\n")
    template = _COMMENT.sub("", template)  # notes for developers, not for browsers
    message = values.pop("message", "")
    kind = values.pop("message_kind", "error")
    notice = (f'<p class="notice{" notice--info" if kind == "info" else ""}" role="alert" id="signin-message">'
              f"{html.escape(message)}</p>") if message else ""
    filled = {"TITLE": "Inloggen" if view == "signin" else "Gesprekken overnemen", "MESSAGE": notice,
              **{key.upper(): html.escape(value, quote=True) for key, value in values.items()}}
    for key, value in filled.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def from_trusted_proxy(peer: Optional[Text]) -> bool:
    """Is the peer one of TRUSTED_PROXIES (bot/channels/rate_limit.py)?"""
    try:
        address = ipaddress.ip_address((peer or "").strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == network.version and address in network for network in trusted_proxies())


def is_https(request: Request) -> bool:
    """Did the request come over HTTPS: TLS on this server, or a trusted proxy says so (the
    value it appended last, X-Forwarded-Proto)? Any other client's header proves nothing."""
    if getattr(request.conn_info, "ssl", False):
        return True
    forwarded = request.headers.get("x-forwarded-proto")
    if not forwarded or not from_trusted_proxy(request.ip):
        return False
    return forwarded.split(",")[-1].strip().lower() == "https"


def set_cookie(reply: HTTPResponse, request: Request, name: Text, value: Text, max_age: Optional[int]) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["path"] = COOKIE_PATH
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if is_https(request):
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(reply: HTTPResponse, request: Request, name: Text) -> None:
    set_cookie(reply, request, name, "", 0)


def secured(reply: HTTPResponse) -> HTTPResponse:
    for name, value in SECURITY_HEADERS.items():
        reply.headers[name] = value
    return reply


def page(text: Text, status: int = 200) -> HTTPResponse:
    return secured(response.html(text, status=status))


def refused(message: Text, status: int, **headers: Text) -> HTTPResponse:
    return secured(response.json({"error": message}, status=status, headers=headers or None))


def redirect(to: Text) -> HTTPResponse:
    # Relative, so the console works behind a proxy that adds a path in front.
    return secured(response.redirect(to, status=303))


# --- JSON -------------------------------------------------------------------------------------
def _time(moment: Optional[datetime]) -> Optional[Text]:
    return as_utc(moment).isoformat() if moment is not None else None


def handover_json(handover: Handover, position: int, staff: StaffSession, names: Dict[Text, Text]) -> Dict[Text, Any]:
    """What the console shows of a handover: never its conversation id or reply address."""
    return {
        "id": handover.id, "state": handover.state, "channel": handover.channel, "language": handover.language,
        "page": handover.page, "position": position, "created_at": _time(handover.created_at),
        "taken_at": _time(handover.taken_at), "taken_by": handover.taken_by,
        "taken_by_name": names.get(handover.taken_by or "", handover.taken_by),
        "taken_by_me": handover.state == TAKEN and handover.taken_by == staff.username,
        "last_user_at": _time(handover.last_user_at), "last_staff_at": _time(handover.last_staff_at),
        "ended_at": _time(handover.ended_at), "end_reason": handover.end_reason,
    }


def message_json(message: Message) -> Dict[Text, Any]:
    return {"id": message.id, "sender": message.sender, "staff_name": message.staff_name, "text": message.text,
            "created_at": _time(message.created_at)}


def left_message_json(message: LeftMessage) -> Dict[Text, Any]:
    return {"id": message.id, "created_at": _time(message.created_at), "language": message.language,
            "question": message.question, "contact": message.contact, "consent_at": _time(message.consent_at),
            "handled_at": _time(message.handled_at), "handled": message.handled_at is not None}


async def earlier_chat(agent: Any, handover: Handover) -> List[Dict[Text, Any]]:
    """The last BEFORE_MESSAGES user and bot messages of the conversation before it was handed over,
    as the tracker store keeps them (masked). Button payloads ("/…") are left out."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return []
    try:
        tracker = await store.retrieve(handover.conversation_id)
    except Exception:  # the transcript with staff is what matters; the earlier chat is a help
        logger.exception("The earlier chat of handover %s could not be read.", handover.id)
        return []
    if tracker is None:
        return []
    cutoff = as_utc(handover.created_at).timestamp()
    shown = []
    for event in tracker.events:
        if getattr(event, "timestamp", 0) > cutoff:
            break
        kind = getattr(event, "type_name", "")
        text = getattr(event, "text", None)
        if kind in ("user", "bot") and text and not text.startswith("/"):
            shown.append({"sender": USER if kind == "user" else "bot", "text": text,
                          "created_at": datetime.fromtimestamp(event.timestamp, timezone.utc).isoformat()})
    return shown[-BEFORE_MESSAGES:]


# --- the webhook notice -----------------------------------------------------------------------
def notice_body(url: Text, waiting: int) -> Dict[Text, Any]:
    """The JSON a Slack incoming webhook (`text`) or a Teams one takes: a legacy Office 365
    connector reads `text`, a Workflows ("When a Teams webhook request is received") webhook
    the Adaptive Card in `attachments`."""
    text = NOTICE.format(waiting=waiting)
    host = (urlsplit(url).hostname or "").lower()
    if host == "hooks.slack.com" or host.endswith(".slack.com"):
        return {"text": text}
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": [{"type": "TextBlock", "text": text, "wrap": True}]}
    return {"type": "message", "text": text,
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}


class WaitingNotifier:
    """Tells a Teams or Slack channel when someone new waits; one notice per conversation,
    whichever process sees it first (the module's docstring)."""

    def __init__(self, url: Text, store: HandoverStore, timeout: float = NOTICE_TIMEOUT_SECONDS) -> None:
        self.url = url
        self.store = store
        self.timeout = timeout
        self.seen = 0  # the highest handover number this process has looked at
        self.sending: "set[asyncio.Task]" = set()
        try:
            NOTICES_METADATA.create_all(store.engine)
        except sa.exc.SQLAlchemyError:  # another process of `make run-scaled` created it meanwhile
            NOTICES_METADATA.create_all(store.engine)

    async def check(self, now: Optional[datetime] = None) -> Optional[asyncio.Task]:
        """Look for new waiting conversations; claim them, and send one notice if any was ours.
        The sending task (not awaited: a slow webhook holds nothing up), or None."""
        waiting = [h for h in self.store.waiting_and_taken() if h.state == WAITING]
        new = [h.id for h in waiting if h.id > self.seen]
        if not new:
            return None
        self.seen = max(new)
        now = as_utc(now) or utcnow()
        if not any([self._claim(handover_id, now) for handover_id in new]):
            return None
        task = asyncio.get_running_loop().create_task(self.send(len(waiting)))
        self.sending.add(task)
        task.add_done_callback(self.sending.discard)
        return task

    def _claim(self, handover_id: int, now: datetime) -> bool:
        try:
            with self.store.engine.begin() as connection:
                connection.execute(STAFF_NOTICES.delete().where(
                    STAFF_NOTICES.c.sent_at < (now - NOTICES_KEPT).replace(tzinfo=None)))
                connection.execute(STAFF_NOTICES.insert().values(handover_id=handover_id,
                                                                 sent_at=now.replace(tzinfo=None)))
            return True
        except sa.exc.IntegrityError:  # another process announced it
            return False

    async def send(self, waiting: int) -> bool:
        """POST the notice; False (and a log line without the URL) when it failed."""
        host = urlsplit(self.url).hostname
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(self.url, json=notice_body(self.url, waiting)) as reply:
                    if reply.status >= 300:
                        logger.warning("The staff notice to %s was refused (HTTP %s).", host, reply.status)
                        return False
            return True
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.warning("The staff notice to %s failed: %s", host, type(error).__name__)
            return False

    async def watch(self, interval: float = WATCH_SECONDS) -> None:
        """`check` every `interval` seconds until cancelled."""
        while True:
            try:
                await self.check()
            except Exception:  # a database hiccup: try again next time
                logger.exception("Looking for new waiting conversations failed.")
            await asyncio.sleep(interval)


# --- the channel ------------------------------------------------------------------------------
class StaffConsoleInput(InputChannel):
    """The staff console's routes (module docstring). No user conversation comes in here."""

    def __init__(self, service: Optional[HandoverService] = None, accounts: Optional[StaffAccounts] = None) -> None:
        self._service = service  # tests give one; the server makes it on the tracker store's database
        self._accounts = accounts

    @classmethod
    def name(cls) -> Text:
        return "staff"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "StaffConsoleInput":
        return cls()

    def service(self, app: Any) -> Optional[HandoverService]:
        """The process's handover service, on the conversation database; None before the model is loaded."""
        if self._service is None:
            agent = getattr(app.ctx, "agent", None)
            tracker_store = getattr(agent, "tracker_store", None)
            if tracker_store is None:
                return None
            from bot.store.tracker_store import unwrap

            engine = getattr(unwrap(tracker_store), "engine", None)
            self._service = shared_service(engine)
        return self._service

    def accounts(self, service: HandoverService) -> StaffAccounts:
        if self._accounts is None:
            self._accounts = StaffAccounts(service.store)
        return self._accounts

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        staff = Blueprint("vragenbot_staff", __name__)
        channel = self
        watcher: Dict[Text, asyncio.Task] = {}

        async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
            return await asyncio.get_running_loop().run_in_executor(None, function, *args)

        def ready(request: Request) -> Optional[Tuple[HandoverService, StaffAccounts]]:
            service = channel.service(request.app)
            return (service, channel.accounts(service)) if service is not None else None

        def signed_in(request: Request, parts: Tuple[HandoverService, StaffAccounts]) -> Optional[StaffSession]:
            return parts[1].session(request.cookies.get(SESSION_COOKIE))

        def api(method: Text) -> Callable[[Handler], Handler]:
            """A JSON route that needs a session and, for POST, the CSRF header and a JSON body."""

            def wrap(handler: Handler) -> Handler:
                async def route(request: Request, **kwargs: Any) -> HTTPResponse:
                    parts = ready(request)
                    if parts is None:
                        return refused(NOT_READY, 503)
                    session = signed_in(request, parts)
                    if session is None:
                        return refused(SIGNED_OUT, 401)
                    if method == "POST":
                        if not session.csrf_matches(request.headers.get(CSRF_HEADER.lower())):
                            return refused(FORBIDDEN, 403)
                        if len(request.body or b"") > MAX_BODY:
                            return refused(TOO_BIG, 413)
                        if (request.content_type or "").split(";")[0].strip() != "application/json":
                            return refused(NOT_JSON, 415)
                    return await handler(request, parts[0], session, **kwargs)

                route.__name__ = handler.__name__
                return route

            return wrap

        def body_of(request: Request) -> Optional[Dict[Text, Any]]:
            try:
                data = json.loads(request.body or b"{}")
            except (ValueError, UnicodeDecodeError):
                return None
            return data if isinstance(data, dict) else None

        def staff_names(service: HandoverService) -> Dict[Text, Text]:
            return {account.username: account.display_name for account in service.store.staff_accounts()}

        # --- pages ------------------------------------------------------------------------
        def sign_in_page(request: Request, status: int = 200, message: Text = "", kind: Text = "error",
                         **headers: Text) -> HTTPResponse:
            form_token = secrets.token_urlsafe(32)
            reply = page(render_page("signin", form_token=form_token, message=message, message_kind=kind), status)
            for name, value in headers.items():
                reply.headers[name] = value
            set_cookie(reply, request, FORM_COOKIE, form_token, FORM_TOKEN_SECONDS)
            return reply

        @staff.route("/", methods=["GET"])
        async def home(request: Request) -> HTTPResponse:
            return redirect("console")

        @staff.route("/signin", methods=["GET"])
        async def sign_in_form(request: Request) -> HTTPResponse:
            parts = ready(request)
            if parts is not None and signed_in(request, parts) is not None:
                return redirect("console")
            if request.args.get("uitgelogd") == "1":
                return sign_in_page(request, message=SIGNED_OUT_NOTE, kind="info")
            return sign_in_page(request)

        @staff.route("/signin", methods=["POST"])
        async def sign_in(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_SIGN_IN_BODY:
                return sign_in_page(request, 413, TOO_BIG)
            parts = ready(request)
            if parts is None:
                return sign_in_page(request, 503, NOT_READY)
            form = request.form or {}
            offered, expected = form.get("form_token") or "", request.cookies.get(FORM_COOKIE) or ""
            if not (offered and expected and hmac.compare_digest(offered.encode(), expected.encode())):
                return sign_in_page(request, 403, BAD_FORM)
            username, password = form.get("username") or "", form.get("password") or ""
            address = client_address(request.ip, request.headers.get("x-forwarded-for"))
            result = await in_thread(parts[1].sign_in, username, password, address)
            if result.locked:
                minutes = int(parts[1].limits.lockout // 60)
                return sign_in_page(request, 429, LOCKED_OUT.format(minutes=minutes),
                                    **{"Retry-After": str(int(parts[1].limits.lockout))})
            if not result.ok:
                return sign_in_page(request, 401, WRONG_PASSWORD)
            reply = redirect("console")
            set_cookie(reply, request, SESSION_COOKIE, result.token, SESSION_MAX)
            clear_cookie(reply, request, FORM_COOKIE)
            logger.info("Staff member %s signed in to the console.", result.session.username)
            return reply

        @staff.route("/signout", methods=["POST"])
        async def sign_out(request: Request) -> HTTPResponse:
            parts = ready(request)
            if parts is None:
                return refused(NOT_READY, 503)
            session = signed_in(request, parts)
            if session is not None:
                if not session.csrf_matches(request.headers.get(CSRF_HEADER.lower())):
                    return refused(FORBIDDEN, 403)
                parts[1].close_session(request.cookies.get(SESSION_COOKIE))
            reply = secured(response.json({"signed_out": True}))
            clear_cookie(reply, request, SESSION_COOKIE)
            return reply

        @staff.route("/console", methods=["GET"])
        async def console_page(request: Request) -> HTTPResponse:
            parts = ready(request)
            if parts is None:
                return page(render_page("signin", form_token="", message=NOT_READY), 503)
            session = signed_in(request, parts)
            if session is None:
                return redirect("signin")
            return page(render_page("console", csrf_token=session.csrf_token, username=session.username,
                                    display_name=session.display_name))

        @staff.route("/static/<name:str>", methods=["GET"])
        async def static_file(request: Request, name: Text) -> HTTPResponse:
            if name not in STATIC_FILES:
                return secured(response.text("Niet gevonden", status=404))
            return secured(await response.file(STATIC_DIR / name, mime_type=STATIC_FILES[name]))

        # --- the API ----------------------------------------------------------------------
        @staff.route("/api/handovers", methods=["GET"])
        @api("GET")
        async def list_handovers(request: Request, service: HandoverService, session: StaffSession) -> HTTPResponse:
            handovers = service.store.waiting_and_taken()
            names = staff_names(service)
            shown, position = [], 0
            for handover in handovers:
                position += handover.state == WAITING
                shown.append(handover_json(handover, position if handover.state == WAITING else 0, session, names))
            settings = service.settings
            return secured(response.json({
                "staff": {"username": session.username, "display_name": session.display_name},
                "open": service.is_open(),
                "timezone": settings.hours.timezone if settings else "Europe/Amsterdam",
                "waiting": position,
                "handovers": shown,
            }))

        def found(service: HandoverService, handover_id: Text) -> Optional[Handover]:
            return service.store.get(int(handover_id)) if handover_id.isdigit() and len(handover_id) < 12 else None

        @staff.route("/api/handovers/<handover_id:str>", methods=["GET"])
        @api("GET")
        async def one_handover(request: Request, service: HandoverService, session: StaffSession,
                               handover_id: Text) -> HTTPResponse:
            handover = found(service, handover_id)
            if handover is None:
                return refused(NOT_FOUND, 404)
            after = request.args.get("after", "0")
            after_id = int(after) if after.isdigit() and len(after) < 12 else 0
            position = service.store.position(handover)
            data = {"handover": handover_json(handover, position, session, staff_names(service)),
                    "messages": [message_json(m) for m in service.store.messages(handover.id, after_id)]}
            if request.args.get("before") == "1":
                data["before"] = await earlier_chat(getattr(request.app.ctx, "agent", None), handover)
            return secured(response.json(data))

        @staff.route("/api/handovers/<handover_id:str>/take", methods=["POST"])
        @api("POST")
        async def take(request: Request, service: HandoverService, session: StaffSession,
                       handover_id: Text) -> HTTPResponse:
            handover = found(service, handover_id)
            if handover is None:
                return refused(NOT_FOUND, 404)
            taken = await service.take(handover.id, session.username)
            if taken is None:
                return refused(NOT_WAITING, 409)
            logger.info("Staff member %s took handover %s.", session.username, taken.id)
            return secured(response.json({"handover": handover_json(taken, 0, session, staff_names(service))}))

        def yours(service: HandoverService, handover_id: Text, session: StaffSession,
                  waiting_too: bool = False) -> Tuple[Optional[Handover], Optional[HTTPResponse]]:
            handover = found(service, handover_id)
            if handover is None:
                return None, refused(NOT_FOUND, 404)
            if waiting_too and handover.state == WAITING:
                return handover, None
            if handover.state != TAKEN or handover.taken_by != session.username:
                return None, refused(NOT_YOURS, 409)
            return handover, None

        @staff.route("/api/handovers/<handover_id:str>/reply", methods=["POST"])
        @api("POST")
        async def reply(request: Request, service: HandoverService, session: StaffSession,
                        handover_id: Text) -> HTTPResponse:
            data = body_of(request)
            if data is None or not isinstance(data.get("text"), str):
                return refused(NOT_JSON, 400)
            typed = data["text"].strip()
            if len(typed) > MAX_REPLY:
                return refused(TOO_LONG, 413)
            if not typed:
                return refused(EMPTY_REPLY, 400)
            handover, problem = yours(service, handover_id, session)
            if problem is not None:
                return problem
            message = await service.staff_reply(handover.id, session.username, session.display_name, typed)
            if message is None:
                return refused(NOT_YOURS, 409)
            return secured(response.json({"message": message_json(message)}))

        async def end(service: HandoverService, session: StaffSession, handover_id: Text,
                      ending: Callable[[Text], Any], waiting_too: bool = False) -> HTTPResponse:
            """Hand back or close a conversation this staff member may end."""
            handover, problem = yours(service, handover_id, session, waiting_too=waiting_too)
            if problem is not None:
                return problem
            ended = await ending(handover.id)
            if ended is None:
                return refused(NOT_YOURS, 409)
            return secured(response.json({"handover": handover_json(ended, 0, session, staff_names(service))}))

        @staff.route("/api/handovers/<handover_id:str>/hand-back", methods=["POST"])
        @api("POST")
        async def hand_back(request: Request, service: HandoverService, session: StaffSession,
                            handover_id: Text) -> HTTPResponse:
            return await end(service, session, handover_id, service.hand_back)

        @staff.route("/api/handovers/<handover_id:str>/close", methods=["POST"])
        @api("POST")
        async def close(request: Request, service: HandoverService, session: StaffSession,
                        handover_id: Text) -> HTTPResponse:
            # A waiting conversation may be closed too (the user left); only a taken one handed back.
            return await end(service, session, handover_id, service.close, waiting_too=True)

        @staff.route("/api/messages", methods=["GET"])
        @api("GET")
        async def left_messages(request: Request, service: HandoverService, session: StaffSession) -> HTTPResponse:
            messages = service.store.left_messages()
            return secured(response.json({"messages": [left_message_json(m) for m in messages],
                                          "unhandled": sum(m.handled_at is None for m in messages)}))

        @staff.route("/api/messages/<message_id:str>/handled", methods=["POST"])
        @api("POST")
        async def mark_handled(request: Request, service: HandoverService, session: StaffSession,
                               message_id: Text) -> HTTPResponse:
            marked = (service.store.mark_handled(int(message_id))
                      if message_id.isdigit() and len(message_id) < 12 else None)
            if marked is None:
                return refused("Dit bericht bestaat niet (meer).", 404)
            logger.info("Staff member %s marked left message %s handled.", session.username, marked.id)
            return secured(response.json({"message": left_message_json(marked)}))

        # --- the webhook's watcher, in every process --------------------------------------
        @staff.listener("after_server_start")
        async def start_watching(app: Any, loop: Any) -> None:
            watcher["task"] = loop.create_task(watch_when_ready(app))

        @staff.listener("before_server_stop")
        async def stop_watching(app: Any, loop: Any) -> None:
            task = watcher.pop("task", None)
            if task is not None:
                task.cancel()

        async def watch_when_ready(app: Any) -> None:
            service = None
            while service is None:  # Rasa loads the model after the server starts
                service = channel.service(app)
                if service is None:
                    await asyncio.sleep(1.0)
            url = service.settings.notify_webhook if service.settings is not None else None
            if url:
                await WaitingNotifier(url, service.store).watch()

        return staff
