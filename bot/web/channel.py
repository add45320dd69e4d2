"""`WebChatInput`: Rasa's socket.io channel plus the chat, kiosk and example pages.

credentials.yml enables it as `bot.web.channel.WebChatInput`. Routes (Rasa server port):
  GET  /webhooks/webchat/chat          the chat page (phone or school site; keeps the conversation)
  GET  /webhooks/webchat/kiosk         the open-day kiosk (big buttons, idle reset, QR code)
  GET  /webhooks/webchat/example       a plain school page that embeds the chat (embed.js)
  GET  /webhooks/webchat/qr.svg        QR code of the chat page, for visitors' phones (see below)
  GET  /webhooks/webchat/session       a new conversation id, issued and signed by the server
  GET  /webhooks/webchat/welcome       the bot's answer to a greeting (text, buttons, lang): the chat page's
                                       first message, shown without sending anything (see `welcome_message`);
                                       ?lang=en: the English one
  GET  /webhooks/webchat/static/*      the pages' scripts and style sheets
  GET  /webhooks/webchat/vendor/socket.io.min.js   socket.io-client from npm (bot/web/node_modules)
  socket.io at /socket.io              events session_request / user_uttered / bot_uttered, and for a
                                       person (issue 21) handover / handover_status (below)
Pages and socket share the Rasa server's origin, so nothing loads from a CDN and no CORS
setting is needed. Without the npm package the pages fall back to the REST channel.

Conversations are bound to their socket: a socket holds one conversation at a time (the
one it asked for last with `session_request`, an id this server signed, bot/web/sessions.py),
its messages go to that conversation only, whatever session id they name, and its id is
stored as `web:<id>`, so no other channel can address it.

As on every channel (bot/channels/base.py), messages are screened, an answer is one
message (Rasa splits texts at blank lines), and a failure gets an apology.

Language: every `bot_uttered` message carries `lang` ("nl" or "en"), the answer's metadata
`language` (bot/responses.py; "nl" without it); the pages set it on the message's element and
follow it (screen readers pronounce by it). A `user_uttered` event may say which language the
page shows (`lang`): the channel's own texts ("slow down", the apology) are in it unless the
message clearly is the other language. With `quiet: true` the message's replies are not sent:
a page that shows English starts a new conversation by sending `/switch_language{"language":"en"}`
quietly (a conversation starts Dutch; the page's switch already shows the language, so the
bot's confirmation would only repeat it). The pages open in English with ?lang=en.

A person (issue 21; bot/channels/base.py hands the messages to bot/handover/service.py):
- each socket joins a room named by its conversation id (`web:<session id>`); staff messages and
  the handover's notices reach it through the service's relay (Redis pub/sub when REDIS_HOST is
  set, so a staff member on another Rasa process reaches it), as `bot_uttered` with `id` (the
  message's number in the transcript), `sender: "staff"` for staff, and the notice's buttons;
- `handover` events say where the conversation stands: {"state": "waiting" | "taken" | "none",
  "position": its place in the queue, "seen": the last handover message the page has been sent};
  the page asks again with `handover_status` while it waits (its place changes as others are
  taken);
- `session_request` may carry `after`, the last handover message the page shows: a reloaded page
  gets the later ones and the state, so a reload keeps the handed-over conversation;
- a `user_uttered` event may carry `page`, the address of the page the chat is on (scheme, host
  and path only), stored with a request for a person for staff to see;
- with REDIS_HOST set, python-socketio's AsyncRedisManager is the server's client manager, so an
  emit to a room reaches the sockets of every process. Relayed messages already reach every
  process (each gets every relay message), so they are emitted to this process's sockets only
  (`ignore_queue`), once.

One deviation
from Rasa's SocketIOInput on purpose: python-socketio >= 5.10 made `enter_room` a coroutine
that Rasa 3.6 does not await, so with session persistence every reply is silently dropped
(RasaHQ/rasa issue 13027). Our `session_request` handler awaits it.

The QR code points at $VRAGENBOT_PUBLIC_URL, else at the origin of the school's `kiosk_url`
(school.yml), both read at start-up. Without either it points at the request's Host, but
only a Host that is this machine (localhost, 127.0.0.1, [::1], any port: development) or is
listed in $VRAGENBOT_ALLOWED_HOSTS (comma- or space-separated `name` or `name:port`; a name
without a port allows every port; e.g. the kiosk laptop's address on the school network).
Any other Host, or one over MAX_HOST_CHARS, gets a 400 with a Dutch reason. Each SVG is
drawn once per URL and kept (QR_CACHE_SIZE); a drawing costs the address a message's worth
of its rate limit. Finding 5 of the review: the code was drawn from any Host on every
request, a 2.2 kB Host held the event loop 0.3 s and a longer one made segno raise (a 500).
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote, urlsplit
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Text

import segno
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.base import (ConversationChannel, MessageHandler, WholeAnswers, answer_language, handover_state,
                               message_language)
from bot.channels.rate_limit import TOO_MANY, address_limiter, client_address, conversation_limiter, message_cost
from bot.language import DUTCH, LANGUAGE_SLOT, LANGUAGES
from bot.school import load_school_settings
from bot.web.kiosk import kiosk_config
from bot.web.sessions import issue_session_id, verified_session_id

if TYPE_CHECKING:
    from bot.handover.service import HandoverService

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
SOCKET_IO_CLIENT = WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
# The public address of the chat page, for the kiosk's QR code (a kiosk on loopback would
# otherwise point phones at 127.0.0.1). Unset: derived from the request.
PUBLIC_URL_ENV = "VRAGENBOT_PUBLIC_URL"
ALLOWED_HOSTS_ENV = "VRAGENBOT_ALLOWED_HOSTS"
CHAT_PATH = "/webhooks/webchat/chat"
LOCAL_HOST_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})  # this machine: development
MAX_HOST_CHARS = 260  # a DNS name is at most 253 characters, then a port
_HOST = re.compile(r"(?P<name>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?")
QR_CACHE_SIZE = 32
UNKNOWN_HOST = ("Geen QR-code voor dit adres. De beheerder stelt het openbare adres van de chat in "
                "(VRAGENBOT_PUBLIC_URL).")
_NO_CACHE = {"Cache-Control": "no-cache"}
# The chat page opens with what the bot answers to a greeting, read from the running model's
# domain through the configured response generator, so the welcome is written only in domain.yml.
WELCOME_RESPONSE = "utter_greet"
WELCOME_TRACKER_ID = "web:welcome"  # a tracker built in memory for the generator; never stored
NOT_READY = "De chatbot is nog niet klaar. Probeer het zo nog eens."
HANDOVER_EVENT = "handover"
HANDOVER_STATUS_EVENT = "handover_status"
MAX_PAGE_CHARS = 500  # the page address kept with a request for a person
SOCKET_IO_REDIS_CHANNEL = "vragenbot:socketio"


def page_address(value: Any) -> Optional[Text]:
    """The page a web chat user is on, as staff see it: scheme, host and path of an http(s) address
    (no query or fragment, which may hold anything), or None."""
    if not isinstance(value, str) or len(value) > 4 * MAX_PAGE_CHARS:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path}"[:MAX_PAGE_CHARS]


def relayed_message(message: Dict[Text, Any]) -> Dict[Text, Any]:
    """A relayed handover message (bot/handover/service.py) as the pages get it (`bot_uttered`)."""
    language = message.get("language") if message.get("language") in LANGUAGES else DUTCH
    shown: Dict[Text, Any] = {"text": str(message.get("text") or ""), "lang": language}
    if message.get("message_id"):
        shown["id"] = int(message["message_id"])
    if message.get("sender") == "staff":
        shown["sender"] = "staff"
    buttons = message.get("buttons") or []
    if buttons:
        shown["quick_replies"] = [{"content_type": "text", "title": b["title"], "payload": b["payload"]}
                                  for b in buttons]
    return shown


def redis_client_manager() -> Optional[Any]:
    """python-socketio's AsyncRedisManager on REDIS_HOST/REDIS_PORT/REDIS_PASSWORD, or None without a host."""
    host = os.environ.get("REDIS_HOST", "").strip()
    if not host:
        return None
    import socketio

    password = os.environ.get("REDIS_PASSWORD") or ""
    credentials = f":{quote(password, safe='')}@" if password else ""
    port = os.environ.get("REDIS_PORT", "").strip() or "6379"
    return socketio.AsyncRedisManager(f"redis://{credentials}{host}:{port}/0", channel=SOCKET_IO_REDIS_CHANNEL)


class WebChatOutput(WholeAnswers, SocketIOOutput):
    """Each message with its language as `lang`; `quiet`: the replies to one message are not sent."""

    def __init__(self, sio: Any, bot_message_evt: Text, shown_language: Text = DUTCH, quiet: bool = False,
                 page: Optional[Text] = None) -> None:
        super().__init__(sio, bot_message_evt)
        self.shown_language = shown_language
        self.quiet = quiet
        self.page = page

    async def send_handover_state(self, recipient_id: Text, state: Dict[Text, Any]) -> None:
        if not self.quiet:
            await self.sio.emit(HANDOVER_EVENT, state, room=recipient_id)

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if not self.quiet:
            await super()._send_message(socket_id, response)

    async def send_answer(self, recipient_id: Text, text: Text, language: Text = DUTCH) -> None:
        await self._send_message(recipient_id, {"text": text, "lang": language})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        quick_replies = [{"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._send_message(recipient_id, {"text": text, "quick_replies": quick_replies,
                                                "lang": answer_language(kwargs)})

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        # Rasa 3.6's OutputChannel.send_quick_replies (rasa/core/channels/channel.py) sends them as
        # buttons without the message's metadata, so its language would be lost.
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)


def shown_language(data: Dict[Text, Any]) -> Text:
    """The language the page says it shows (a `user_uttered` event's `lang`), Dutch if it says none."""
    language = data.get("lang")
    return language if language in LANGUAGES else DUTCH


def too_many(text: Text, shown: Text) -> Dict[Text, Text]:
    """The refusal of a message over the rate limits, as a bot message in the message's language."""
    language = message_language(text, shown)
    return {"text": TOO_MANY[language], "lang": language}


def user_text(data: Any) -> Optional[Text]:
    """The message of a `user_uttered` event (screened later, by the base); None if malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    return data["message"]


def allowed_origin(origin: Text, environ: Dict[Text, Any]) -> bool:
    """Sockets only from the bot's own pages (same host) and from RASA_CORS_ORIGINS."""
    if origin in os.environ.get("RASA_CORS_ORIGINS", "").split():
        return True
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST") or ""
    return bool(host) and urlsplit(origin).netloc == host.split(",")[0].strip()


class WebChatInput(ConversationChannel, SocketIOInput):
    # A session's stored conversation, and its socket.io room, is `web:<session id>`.
    conversation_prefix = "web"

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebChatInput":
        credentials = credentials or {}
        return cls(
            user_message_evt="user_uttered",
            bot_message_evt="bot_uttered",
            session_persistence=True,
            socketio_path=credentials.get("socketio_path", "/socket.io"),
        )

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        page = super().routes(on_new_message)
        conversation_id = self.conversation
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint
        manager = redis_client_manager()
        if manager is not None:  # before any socket connects (the server initialises it then)
            sio.manager = manager
            manager.set_server(sio)
        # Rasa creates the server with cors_allowed_origins=[], which engineio 4 reads as "check
        # no Origin at all": any web site could open a socket here in its visitors' browsers.
        sio.eio.cors_allowed_origins = allowed_origin

        held: Dict[Text, Text] = {}  # socket id -> the session it holds
        per_conversation, per_address = conversation_limiter(), address_limiter()

        def address_of(environ: Dict[Text, Any]) -> Text:
            # engineio's Sanic driver sets REMOTE_ADDR to "127.0.0.1" for every client; the peer
            # is the Sanic request's.
            request = environ.get("sanic.request")
            peer = request.ip if request is not None else environ.get("REMOTE_ADDR")
            return client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"))

        @sio.on("connect")
        async def connect(sid: Text, environ: Dict[Text, Any], auth: Any = None) -> bool:
            return per_address.allow(address_of(environ))  # False refuses the socket

        # These replace the handlers Rasa registered for the same events.
        @sio.on("session_request")
        async def session_request(sid: Text, data: Any) -> None:
            asked = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = verified_session_id(asked) or issue_session_id()
            previous = held.get(sid)
            if previous is not None and previous != session_id:
                await sio.leave_room(sid, conversation_id(previous))
            held[sid] = session_id
            await sio.enter_room(sid, conversation_id(session_id))
            await sio.emit("session_confirm", session_id, room=sid)
            after = data.get("after") if isinstance(data, dict) else None
            if session_id == asked and isinstance(after, int) and not isinstance(after, bool) and after >= 0:
                await self.send_handover_since(sid, conversation_id(session_id), after)

        @sio.on(HANDOVER_STATUS_EVENT)
        async def handover_status(sid: Text, data: Any) -> None:
            session_id = held.get(sid)
            if session_id is not None and isinstance(data, dict) and data.get("session_id") == session_id:
                service = self.handover_service()
                if service is not None and service.enabled:
                    await sio.emit(HANDOVER_EVENT, current_state(service, conversation_id(session_id)), room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any) -> None:
            text = user_text(data)
            session_id = held.get(sid)
            if text is None or session_id is None or data.get("session_id") != session_id:
                logger.warning("Web chat: ignored a message from socket %s that is malformed or names a "
                               "session the socket does not hold.", sid)
                return
            cost, shown = message_cost(text), shown_language(data)
            if not (per_address.allow(address_of(sio.get_environ(sid) or {}), cost)
                    and per_conversation.allow(conversation_id(session_id), cost)):
                await sio.emit(self.bot_message_evt, too_many(text, shown), room=sid)
                return
            output = WebChatOutput(sio, self.bot_message_evt, shown, quiet=data.get("quiet") is True,
                                   page=page_address(data.get("page")))
            await on_new_message(UserMessage(text, output, conversation_id(session_id), input_channel=self.name()))

        @sio.on("disconnect")
        async def disconnect(sid: Text) -> None:
            held.pop(sid, None)

        @page.route("/session", methods=["GET"])
        async def new_session(request: Request) -> HTTPResponse:
            return response.json({"session_id": issue_session_id()}, headers=_NO_CACHE)

        @page.route("/welcome", methods=["GET"])
        async def welcome(request: Request) -> HTTPResponse:
            asked = request.args.get("lang")
            language = asked if asked in LANGUAGES else DUTCH
            message = await welcome_message(getattr(request.app.ctx, "agent", None), self.name(), language)
            if message is None:
                return response.text(NOT_READY, status=503, headers=_NO_CACHE)
            return response.json(message, headers=_NO_CACHE)

        @page.route("/chat", methods=["GET"])
        async def chat_page(request: Request) -> HTTPResponse:
            return await response.file(STATIC_DIR / "index.html", headers=_NO_CACHE)

        # Rendered once at start-up: the page is constant, and an unknown FAQ key in the
        # kiosk's popular questions stops the server here rather than on a visitor's screen.
        kiosk_html = render_kiosk_page()

        @page.route("/kiosk", methods=["GET"])
        async def kiosk_page(request: Request) -> HTTPResponse:
            return response.html(kiosk_html, headers=_NO_CACHE)

        @page.route("/example", methods=["GET"])
        async def example_page(request: Request) -> HTTPResponse:
            return await response.file(STATIC_DIR / "example.html", headers=_NO_CACHE)

        configured_url = configured_chat_url()  # read once, like school.yml everywhere else
        drawn = QrCodes()
        if configured_url:
            drawn.svg(configured_url)  # a URL too long for a QR code stops the start, not a visitor's kiosk

        @page.route("/qr.svg", methods=["GET"])
        async def qr_code(request: Request) -> HTTPResponse:
            url = configured_url or host_chat_url(request)
            if url is None:
                return response.text(UNKNOWN_HOST, status=400, headers=_NO_CACHE)
            if url not in drawn and not per_address.allow(
                    client_address(request.ip, request.headers.get("x-forwarded-for"))):
                # An image's refusal: no message to read a language from, and nobody reads it.
                return response.text(TOO_MANY[DUTCH], status=429, headers={"Retry-After": "60"})
            return response.raw(drawn.svg(url), content_type="image/svg+xml", headers=_NO_CACHE)

        @page.route("/static/<name:str>", methods=["GET"])
        async def static_file(request: Request, name: Text) -> HTTPResponse:
            path = (STATIC_DIR / name).resolve()
            if path.parent != STATIC_DIR or not path.is_file() or path.suffix not in {".js", ".css"}:
                return response.text("Niet gevonden", status=404)
            return await response.file(path, headers=_NO_CACHE)

        @page.route("/vendor/socket.io.min.js", methods=["GET"])
        async def socket_io_client(request: Request) -> HTTPResponse:
            if not SOCKET_IO_CLIENT.is_file():
                return response.text("socket.io-client is niet geïnstalleerd (make install)", status=404)
            return await response.file(SOCKET_IO_CLIENT, headers={"Cache-Control": "max-age=86400"})

        return page

    async def send_handover_since(self, sid: Text, conversation: Text, after: int) -> None:
        """A (re)loaded page: the staff messages and notices after `after`, and the state."""
        service = self.handover_service()
        if service is None or not service.enabled or self.sio is None:
            return
        from bot.handover.store import USER

        missed = [m for m in service.store.conversation_messages(conversation, after) if m.sender != USER]
        handover = service.store.current(conversation)
        languages: Dict[int, Text] = {}
        for message in missed:
            if message.handover_id not in languages:
                of = service.store.get(message.handover_id)
                languages[message.handover_id] = of.language if of is not None else DUTCH
            await self.sio.emit(self.bot_message_evt, relayed_message(
                {"text": message.text, "sender": message.sender, "message_id": message.id,
                 "language": languages[message.handover_id]}), room=sid)
        if handover is not None or missed:
            await self.sio.emit(HANDOVER_EVENT, current_state(service, conversation), room=sid)

    async def handover_ready(self, service: "HandoverService") -> None:
        """Staff messages and notices for web chat users, from the relay to their sockets in this process."""
        sio = self.sio
        if sio is None:
            return

        async def deliver(conversation: Text, message: Dict[Text, Any]) -> None:
            if not conversation.startswith(f"{self.conversation_prefix}:"):
                return
            # Every process gets every relayed message: only this process's sockets, once.
            await sio.emit(self.bot_message_evt, relayed_message(message), room=conversation, ignore_queue=True)
            seen = int(message.get("message_id") or 0)
            state = message.get("state")
            position = service.store.position(service.store.get(int(message["handover_id"]))) \
                if state == "waiting" and message.get("handover_id") else 0
            await sio.emit(HANDOVER_EVENT, handover_state(state, position, seen), room=conversation,
                           ignore_queue=True)

        await service.relay.subscribe(deliver)


def current_state(service: "HandoverService", conversation: Text) -> Dict[Text, Any]:
    """Where the conversation stands with staff now (`handover_state`)."""
    handover = service.store.current(conversation)
    if handover is None:
        return handover_state(None)
    return handover_state(handover.state, service.store.position(handover))


async def welcome_message(agent: Any, output_channel: Text, language: Text = DUTCH) -> Optional[Dict[Text, Any]]:
    """`{"text", "buttons": [{"title", "payload"}], "lang"}`: the bot's answer to a greeting in a
    conversation in `language` (domain.yml's utter_greet, through the agent's response generator
    as in a conversation), or None before a model is loaded. `lang` is the language the text is
    in: Dutch when the model has no English yet. Nothing is stored: the chat page shows it
    instead of sending "hallo", which made every web conversation start with a greeting counted
    as a question (`make report`)."""
    if agent is None or getattr(agent, "domain", None) is None or getattr(agent, "nlg", None) is None:
        return None
    slots = agent.domain.slots
    events = [SlotSet(LANGUAGE_SLOT, language)] if any(slot.name == LANGUAGE_SLOT for slot in slots) else []
    tracker = DialogueStateTracker.from_events(WELCOME_TRACKER_ID, events, slots=slots)
    generated = await agent.nlg.generate(WELCOME_RESPONSE, tracker, output_channel)
    if not generated or not generated.get("text"):
        return None
    buttons = [{"title": b["title"], "payload": b["payload"]} for b in generated.get("buttons") or []]
    return {"text": generated["text"], "buttons": buttons, "lang": answer_language(generated)}


def render_kiosk_page() -> Text:
    template = (STATIC_DIR / "kiosk.html").read_text(encoding="utf-8")
    # JSON inside <script>: escape "<" so no text can close the element.
    config = json.dumps(kiosk_config(), ensure_ascii=False).replace("<", "\\u003c")
    return template.replace("{{KIOSK_CONFIG}}", config)


def configured_chat_url() -> Optional[Text]:
    """The chat page at $VRAGENBOT_PUBLIC_URL, else at the origin of `kiosk_url` in school.yml."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").rstrip("/")
    if not configured:
        kiosk_url = load_school_settings().kiosk_url
        if kiosk_url:
            parts = urlsplit(kiosk_url)
            configured = f"{parts.scheme}://{parts.netloc}"
    return f"{configured}{CHAT_PATH}" if configured else None


def allowed_host(host: Text, env: Mapping[Text, Text] = os.environ) -> Optional[Text]:
    """`host` in lower case if the QR code may point at it (module docstring), else None."""
    if len(host) > MAX_HOST_CHARS:
        return None
    match = _HOST.fullmatch(host.lower())
    if match is None:
        return None
    listed = {entry.lower() for entry in re.split(r"[\s,]+", env.get(ALLOWED_HOSTS_ENV, "")) if entry}
    if match.group("name") in LOCAL_HOST_NAMES | listed or match.group(0) in listed:
        return match.group(0)
    return None


def host_chat_url(request: Request) -> Optional[Text]:
    """The chat page at the address this request came in on, if its Host is allowed."""
    host = allowed_host(request.host or "")
    return f"{request.scheme}://{host}{CHAT_PATH}" if host else None


def chat_page_url(request: Request) -> Optional[Text]:
    """Where the kiosk's QR code sends visitors' phones: $VRAGENBOT_PUBLIC_URL, else the origin
    of `kiosk_url` in school.yml, else the address this request came in on if that is allowed;
    None when there is nowhere to send them."""
    return configured_chat_url() or host_chat_url(request)


class QrCodes:
    """The QR code of each URL as a standalone SVG (with xmlns, as an <img> needs), drawn once."""

    def __init__(self, size: int = QR_CACHE_SIZE) -> None:
        self.size = size
        self._drawn: "OrderedDict[Text, bytes]" = OrderedDict()

    def __contains__(self, url: Text) -> bool:
        return url in self._drawn

    def svg(self, url: Text) -> bytes:
        if url not in self._drawn:
            drawing = io.BytesIO()
            segno.make(url, error="m").save(drawing, kind="svg", scale=6, title="Open de chat op je telefoon")
            self._drawn[url] = drawing.getvalue()
            while len(self._drawn) > self.size:
                self._drawn.popitem(last=False)
        self._drawn.move_to_end(url)
        return self._drawn[url]
