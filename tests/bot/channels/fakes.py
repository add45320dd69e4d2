"""Stand-ins on loopback for Slack's Web API and Microsoft's key, login and connector services.

Each fake answers fixed JSON per route and records every request, so a test can wait for
what the bot sent (replies are sent in the background) and check what it did not send.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.signature import SignatureVerifier

BOT_CONNECTOR_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"
APP_TOKEN = "fake-app-access-token"


@dataclass
class Recorded:
    method: str
    path: str  # percent-decoded
    headers: Dict[str, str]  # lower-case names
    body: bytes  # as sent
    raw_path: str = ""  # the request target exactly as sent: not decoded, query included
    raw_headers: List[Tuple[str, str]] = field(default_factory=list)  # as sent: names, order, repeats

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> Dict[str, str]:
        return {name: values[0] for name, values in parse_qs(self.body.decode()).items()}


Answer = Callable[[Recorded], Tuple[int, Any]]


class FakeService:
    """An HTTP server on a loopback port: a JSON answer per (method, path prefix), all requests kept."""

    def __init__(self, routes: Optional[Dict[Tuple[str, str], Answer]] = None, port: int = 0) -> None:
        self.routes = routes or {}
        self.port = port
        self.requests: List[Recorded] = []
        self._lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def handle_any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorded = Recorded(self.command, unquote(urlsplit(self.path).path),
                                    {k.lower(): v for k, v in self.headers.items()}, body,
                                    raw_path=self.path, raw_headers=list(self.headers.items()))
                with service._lock:
                    service.requests.append(recorded)
                answer = service._route(recorded)
                status, payload = answer(recorded) if answer else (404, {"error": "not found"})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = handle_any

            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def _route(self, recorded: Recorded) -> Optional[Answer]:
        for (method, prefix), answer in self.routes.items():
            if recorded.method == method and recorded.path.startswith(prefix):
                return answer
        return None

    def recorded(self, method: str, prefix: str) -> List[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]


T = TypeVar("T")


def eventually(look: Callable[[], T], until: Callable[[T], bool], timeout: float = 30) -> T:
    """`look()` once `until` holds for it, or as it is after `timeout` seconds (replies are async)."""
    deadline = time.monotonic() + timeout
    while True:
        seen = look()
        if until(seen) or time.monotonic() > deadline:
            return seen
        time.sleep(0.1)


# --- Slack -------------------------------------------------------------------------------

MAX_SLACK_BLOCKS = 50  # chat.postMessage refuses more blocks with `invalid_blocks`


def slack_refusal(message: Dict[str, Any]) -> Optional[str]:
    """The error chat.postMessage answers for `message`, or None: blocks checked with slack_sdk's own models."""
    blocks = message.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    if not blocks:
        return None if message.get("text") else "no_text"
    if len(blocks) > MAX_SLACK_BLOCKS:
        return "invalid_blocks"
    try:
        for block in blocks:
            parsed = Block.parse(block)
            if parsed is None or parsed.type != block.get("type"):
                return "invalid_blocks"
            parsed.validate_json()
    except (SlackObjectFormationError, KeyError, TypeError):
        return "invalid_blocks"
    for block in blocks:  # an action id may not repeat within its block
        action_ids = [e.get("action_id") for e in block.get("elements", []) if isinstance(e, dict)]
        if len(action_ids) != len(set(action_ids)):
            return "invalid_blocks"
    if "thread_ts" in message and not re.fullmatch(r"\d+\.\d+", str(message["thread_ts"])):
        return "invalid_thread_ts"
    return None


def slack_web_api(bot_token: str) -> FakeService:
    """chat.postMessage as Slack answers it for a new app: bearer token needed, `as_user` refused,
    blocks beyond Slack's limits refused (`invalid_blocks`)."""

    def post_message(request: Recorded) -> Tuple[int, Any]:
        if request.headers.get("authorization") != f"Bearer {bot_token}":
            return 200, {"ok": False, "error": "invalid_auth"}
        message = request.json() if "json" in request.headers.get("content-type", "") else request.form()
        if "as_user" in message:
            return 200, {"ok": False, "error": "invalid_arguments", "deprecated_argument": "as_user"}
        refused = slack_refusal(message)
        if refused:
            return 200, {"ok": False, "error": refused}
        return 200, {"ok": True, "channel": message.get("channel"), "ts": f"{time.time():.6f}"}

    return FakeService({("POST", "/api/chat.postMessage"): post_message})


def slack_posts(service: FakeService, channel: str) -> List[Dict[str, Any]]:
    """The messages the bot posted to a Slack channel, in order."""
    posts = [r.json() for r in service.recorded("POST", "/api/chat.postMessage")]
    return [p for p in posts if p.get("channel") == channel and "as_user" not in p]


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Slack-Signature Slack sends, as slack_sdk's SignatureVerifier computes it."""
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return signature


def slack_headers(secret: Optional[str], body: bytes, content_type: str = "application/json",
                  age: float = 0, retry: Optional[Tuple[int, str]] = None) -> Dict[str, str]:
    """Headers as Slack sends them; signed with `secret` (None: unsigned), `age` seconds old;
    `retry` = (number, reason) for a redelivery (X-Slack-Retry-Num, X-Slack-Retry-Reason)."""
    headers = {"Content-Type": content_type}
    if secret is not None:
        timestamp = str(int(time.time() - age))
        headers.update({"X-Slack-Request-Timestamp": timestamp,
                        "X-Slack-Signature": slack_signature(secret, timestamp, body)})
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry[0]), "X-Slack-Retry-Reason": retry[1]})
    return headers


def slack_message_event(text: str, channel: str, user: str = "U0STUDENT", kind: str = "message",
                        thread_ts: Optional[str] = None, event_id: Optional[str] = None) -> bytes:
    """A message to the bot as the Events API delivers it: a direct message (`kind="message"`)
    or a mention in a channel (`kind="app_mention"`); with `thread_ts`, written in that thread."""
    event = {"type": kind, "channel": channel, "user": user, "text": text, "ts": f"{time.time():.6f}"}
    if kind == "message":
        event["channel_type"] = "im"
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return json.dumps({
        "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10]}", "team_id": "T0SCHOOL",
        "authorizations": [{"user_id": "U0VRAGENBOT", "is_bot": True}], "event": event,
    }).encode()


def slack_button_click(value: str, channel: str, user: str = "U0STUDENT", thread_ts: Optional[str] = None) -> bytes:
    """A click on a Block Kit button, as Slack's interactivity request delivers it (form-encoded);
    with `thread_ts`, on a message in that thread."""
    message: Dict[str, Any] = {"ts": f"{time.time():.6f}"}
    container: Dict[str, Any] = {"type": "message", "message_ts": message["ts"], "channel_id": channel}
    if thread_ts is not None:
        message["thread_ts"] = container["thread_ts"] = thread_ts
    payload = {
        "type": "block_actions", "user": {"id": user}, "channel": {"id": channel}, "team": {"id": "T0SCHOOL"},
        "message": message, "container": container,
        "actions": [{"type": "button", "action_id": "button_0", "value": value, "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def button_values(post: Dict[str, Any]) -> List[str]:
    return [e["value"] for block in post.get("blocks", []) if block["type"] == "actions" for e in block["elements"]]


# --- Microsoft ---------------------------------------------------------------------------

class Signer:
    """An RSA key pair standing in for the Bot Connector's token signing key."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self, endorsements: Iterable[str] = ("msteams",)) -> Dict[str, Any]:
        key = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        key.update({"kid": self.kid, "use": "sig", "alg": "RS256", "endorsements": list(endorsements)})
        return key

    def token(self, audience: str, service_url: str, issuer: str = BOT_CONNECTOR_ISSUER,
              lifetime: int = 600, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": issuer, "aud": audience, "serviceurl": service_url, "nbf": now - 5, "iat": now - 5,
                   "exp": now + lifetime, **claims}
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})


def key_service(published: Callable[[], List[Dict[str, Any]]], port: int = 0) -> FakeService:
    """OpenID metadata and the JWKS it names, publishing `published()` keys."""
    service = FakeService(port=port)
    service.routes = {
        ("GET", METADATA_PATH): lambda _: (200, {"issuer": BOT_CONNECTOR_ISSUER, "jwks_uri": service.url + KEYS_PATH,
                                                  "id_token_signing_alg_values_supported": ["RS256"]}),
        ("GET", KEYS_PATH): lambda _: (200, {"keys": published()}),
    }
    return service


def token_service() -> FakeService:
    """Microsoft's token endpoint (client credentials), for any tenant path."""
    return FakeService({("POST", "/"): lambda _: (200, {"token_type": "Bearer", "expires_in": 3600,
                                                        "access_token": APP_TOKEN})})


def connector_path(conversation_id: str, reply_to_id: Optional[str] = None) -> str:
    """The raw path Microsoft's connector client (msrest) posts to: every id percent-encoded
    with quote(safe=""): ReplyToActivity with `reply_to_id`, else SendToConversation."""
    path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
    return f"{path}/{quote(reply_to_id, safe='')}" if reply_to_id is not None else path


def _as_microsofts_client_sends(request: Recorded) -> Tuple[int, Any]:
    # The ids after /v3/conversations/ must be encoded as Microsoft's client encodes them: an
    # unencoded ';' or '@' in a Teams id makes another path (the fake does not guess which).
    path = urlsplit(request.raw_path).path
    segments = path.split("/v3/conversations/", 1)[1].split("/")  # <id>, "activities"[, <activity id>]
    if any(s != quote(unquote(s), safe="") for s in segments):
        return 400, {"error": {"code": "BadArgument", "message": f"not encoded as the connector client does: {path}"}}
    return 200, {"id": uuid.uuid4().hex}


def connector_service(base_path: str = "") -> FakeService:
    """The Bot Connector's SendToConversation and ReplyToActivity endpoints
    (<base_path>/v3/conversations/<id>/activities[/<activity id>]; Teams' service URLs have a
    base path, such as /emea/), taking ids encoded as Microsoft's client sends them."""
    return FakeService({("POST", f"{base_path}/v3/conversations/"): _as_microsofts_client_sends})


SCHOOL_TENANT = "0d3b5a7c-1111-4222-8333-444455556666"  # the school's Microsoft 365 tenant in the tests


def activity(text: str, conversation_id: str, service_url: str, app_id: str, kind: str = "message",
             channel_id: str = "msteams", tenant: str = SCHOOL_TENANT) -> Dict[str, Any]:
    """An activity as the Bot Connector posts it to the bot's messaging endpoint (ids in Teams'
    forms: "f:…" message ids as in Microsoft's examples, so they need encoding too)."""
    return {
        "type": kind, "id": f"f:{uuid.uuid4().int % 10**19}", "channelId": channel_id, "serviceUrl": service_url,
        "text": text, "locale": "nl-NL", "timestamp": "2024-03-01T09:30:00.000Z",
        "from": {"id": "29:student-1", "name": "Student", "aadObjectId": "6c1c2a0e-0000-4000-8000-0000000000aa"},
        "recipient": {"id": f"28:{app_id}", "name": "Vragenbot"},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": tenant},
        "channelData": {"tenant": {"id": tenant}},
    }


def message_back(button: Dict[str, Any], conversation_id: str, service_url: str, app_id: str,
                 reply_to_id: Optional[str] = None) -> Dict[str, Any]:
    """A click on a card's messageBack button, as Teams posts it to the bot: the button's `text`
    and `value` (`displayText` only shows in the chat), `replyToId` = the card's message."""
    click = activity(button.get("text") or "", conversation_id, service_url, app_id)
    click.update({"value": button.get("value"), "replyToId": reply_to_id or f"f:{uuid.uuid4().int % 10**19}"})
    return click


def replies(service: FakeService, conversation_id: str, base_path: str = "") -> List[Recorded]:
    """What the bot posted to a conversation, matched on the RAW path: the id must be
    percent-encoded as Microsoft's connector client encodes it."""
    prefix = base_path + connector_path(conversation_id)
    with service._lock:
        return [r for r in service.requests if r.method == "POST" and urlsplit(r.raw_path).path.startswith(prefix)]
