"""Microsoft Teams: Rasa's Bot Framework connector, configured from the environment only.

credentials.yml enables it as `bot.channels.teams.TeamsChannel` with an empty body. Routes:
  GET  /webhooks/botframework/          health
  POST /webhooks/botframework/webhook   the Azure Bot's messaging endpoint

Environment: TEAMS_APP_ID and TEAMS_APP_PASSWORD (both needed; without them Rasa still starts
and this webhook answers 503), TEAMS_TENANT_ID (set for a single-tenant app, empty for
multi-tenant), TEAMS_OPENID_METADATA_URL and TEAMS_TOKEN_URL (Microsoft's by default).

What this changes in Rasa 3.6.21's connector:
- Microsoft's signing keys are fetched on the first request, not in the constructor (where a
  network failure stops `rasa run`), cached, refreshed daily or for an unknown key id, with
  retries; when none can be had the webhook answers 503 instead of failing;
- every token is checked: RS256 signature by a published key, audience = app id (a single
  string, as Microsoft's validator demands: a list that contains the app id is refused),
  issuer (the Bot Connector's only), expiry, the key's channel endorsements and the token's
  serviceurl claim, exactly equal to the activity's (Rasa checks no issuer, trusts the
  algorithm named in the token and ignores endorsements and serviceurl); with
  TEAMS_TENANT_ID set, the activity's tenant must be that one;
- single-tenant apps get their outgoing tokens from their own tenant (Rasa always asks
  botframework.com, which only works for multi-tenant apps);
- all answers to one message go out as ONE reply activity, addressed as Microsoft's
  `TurnContext.apply_conversation_reference` addresses it (from, recipient, conversation,
  channelId, serviceUrl, locale, replyToId) and posted with ReplyToActivity
  (`POST /v3/conversations/{id}/activities/{replyToId}`, ids percent-encoded as Microsoft's
  connector client encodes them), so a reply in a channel thread lands in that thread. Rasa
  posts every paragraph and every button set on its own with SendToConversation, addressed
  only by `recipient` and `from`, and its conversation id unencoded;
- buttons are `messageBack` card actions, at most six to a hero card (Teams shows no more),
  the rest in further cards of the same message: the chat shows the button's title as the
  user's message, the bot gets the payload (Rasa sends Rasa's button dicts, which Teams shows
  but cannot click: RasaHQ/rasa issues 8164, 11411);
- `<at>…</at>` mentions are removed from the text; replies are sent with aiohttp, not with
  blocking `requests` calls inside the event loop;
- a person (issue 21): a request for one stores the conversation reference (`reply_to`:
  serviceUrl, conversation, bot, user, channelId, locale); what school staff write, and the
  handover's notices, are sent there with SendToConversation by the process where staff act,
  staff messages as "Medewerker: …" (bot/channels/base.py `staff_text`), since they go out as the bot.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Text, Union
from urllib.parse import quote

import aiohttp
import jwt
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from yarl import URL

from bot.channels.base import ConversationChannel, MessageHandler, WholeAnswers, send_relayed
from bot.input_guard import MAX_MESSAGE_CHARS
from bot.language import DUTCH

logger = logging.getLogger(__name__)

DEFAULT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_CONNECTOR_ISSUER = "https://api.botframework.com"
BOT_CONNECTOR_SCOPE = "https://api.botframework.com/.default"
WEBHOOK_PATH = "/webhooks/botframework/webhook"
CLOCK_SKEW_SECONDS = 300  # what Microsoft's own SDKs allow
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=10)
HERO_CARD = "application/vnd.microsoft.card.hero"
# Teams' card reference: a hero card has "Maximum six" buttons, "any additional buttons ...
# aren't shown"; a list collection shows at most 10 cards per message.
MAX_CARD_BUTTONS = 6
MAX_CARDS = 10

NOT_CONFIGURED = {"error": "De Teams-koppeling is op deze server niet ingesteld."}
UNAUTHORIZED = {"error": "Dit verzoek heeft geen geldig token van Microsoft."}
FORBIDDEN = {"error": "Dit token hoort niet bij dit bericht."}
KEYS_UNAVAILABLE = {"error": "De sleutels van Microsoft zijn nu niet bereikbaar. Probeer het zo opnieuw."}

# Bounded and without "<" inside: `<at\b[^>]*>.*?</at>` scanned to the end of the text from
# every "<at>" without its "</at>" (quadratic: 28 kB took 0.85 s).
_MENTION = re.compile(r"<at\b[^<>]{0,200}>[^<]{0,200}</at>", re.IGNORECASE)
_BEARER = re.compile(r"Bearer\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str
    app_password: str
    tenant_id: str  # "" for a multi-tenant app
    openid_metadata_url: str
    token_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Optional[TeamsSettings]:
        """The settings, or None when the app id or the password is missing."""
        app_id = env.get("TEAMS_APP_ID", "").strip()
        password = env.get("TEAMS_APP_PASSWORD", "").strip()
        if not app_id or not password:
            return None
        tenant = env.get("TEAMS_TENANT_ID", "").strip()
        return cls(
            app_id=app_id,
            app_password=password,
            tenant_id=tenant,
            openid_metadata_url=env.get("TEAMS_OPENID_METADATA_URL", "").strip() or DEFAULT_OPENID_METADATA_URL,
            token_url=env.get("TEAMS_TOKEN_URL", "").strip()
            or f"https://login.microsoftonline.com/{tenant or 'botframework.com'}/oauth2/v2.0/token",
        )

    @property
    def issuers(self) -> FrozenSet[str]:
        """Accepted token issuers: the Bot Connector only, single-tenant app or not, exactly as
        Microsoft's ChannelValidation (botframework-connector) accepts on this path. Tenant
        issuers are for the Emulator's tokens, which a deployed bot does not take."""
        return frozenset({BOT_CONNECTOR_ISSUER})


class KeysUnavailable(Exception):
    """Microsoft's signing keys could not be fetched and none are cached."""


class Why(str, Enum):
    """What was wrong with a refused activity (tests/bot/channels/test_teams_differential.py
    compares it with the reason of Microsoft's own validator)."""

    TOKEN = "token"  # no bearer token, or not a JWT
    SIGNATURE = "signature"  # another algorithm, a key Microsoft does not publish, a bad signature
    AUDIENCE = "audience"  # not exactly this app's id
    ISSUER = "issuer"
    EXPIRY = "expiry"  # expired, or not valid yet
    CHANNEL = "channel"  # the key is not endorsed for the activity's channelId
    SERVICE_URL = "service_url"  # the activity's serviceUrl is not the token's serviceurl claim
    TENANT = "tenant"  # another tenant than TEAMS_TENANT_ID (our check alone)


class Refused(Exception):
    def __init__(self, reason: str, why: Why, status: HTTPStatus = HTTPStatus.UNAUTHORIZED) -> None:
        super().__init__(reason)
        self.why = why
        self.status = status


def _why_jwt_refused(error: jwt.PyJWTError) -> Why:
    if isinstance(error, jwt.MissingRequiredClaimError):
        return {"aud": Why.AUDIENCE, "iss": Why.ISSUER, "exp": Why.EXPIRY}.get(error.claim, Why.TOKEN)
    for kind, why in ((jwt.InvalidAudienceError, Why.AUDIENCE), (jwt.InvalidIssuerError, Why.ISSUER),
                      (jwt.ExpiredSignatureError, Why.EXPIRY), (jwt.ImmatureSignatureError, Why.EXPIRY),
                      (jwt.InvalidSignatureError, Why.SIGNATURE), (jwt.InvalidAlgorithmError, Why.SIGNATURE)):
        if isinstance(error, kind):
            return why
    return Why.TOKEN


class SigningKeys:
    """The JWKS named by an OpenID metadata document, fetched on first use and then cached."""

    def __init__(self, metadata_url: str, max_age: float = 24 * 3600, min_refresh_interval: float = 60,
                 attempts: int = 3, backoff: float = 0.5, pause_after_failure: float = 5) -> None:
        self.metadata_url = metadata_url
        self.max_age = max_age
        # An unknown key id may be a new key or a forged token: refetch, but not on every request.
        self.min_refresh_interval = min_refresh_interval
        self.attempts = attempts
        self.backoff = backoff
        # While Microsoft is unreachable, fail fast instead of every request waiting for retries.
        self.pause_after_failure = pause_after_failure
        self._keys: Dict[str, Dict[str, Any]] = {}
        self._fetched_at: Optional[float] = None
        self._last_attempt = float("-inf")
        self._last_failed = False
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> Optional[Dict[str, Any]]:
        """The published key with this id, or None; raises KeysUnavailable when no keys can be had."""
        async with self._lock:
            now = time.monotonic()
            stale = self._fetched_at is None or now - self._fetched_at > self.max_age
            unknown = kid not in self._keys and now - self._last_attempt > self.min_refresh_interval
            if stale or unknown:
                if self._last_failed and now - self._last_attempt < self.pause_after_failure:
                    if not self._keys:
                        raise KeysUnavailable(f"fetching {self.metadata_url} failed moments ago")
                else:
                    await self._refresh()
            return self._keys.get(kid)

    async def _refresh(self) -> None:
        self._last_attempt = time.monotonic()
        error: Optional[Exception] = None
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._keys = await self._fetch()
                self._fetched_at = time.monotonic()
                self._last_failed = False
                logger.info("Teams: %d signing keys fetched from %s.", len(self._keys), self.metadata_url)
                return
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError, TypeError) as exc:
                error = exc
        self._last_failed = True
        if not self._keys:
            logger.error("Teams: no signing keys; %s unreachable after %d attempts: %r",
                         self.metadata_url, self.attempts, error)
            raise KeysUnavailable(str(error))
        logger.warning("Teams: could not refresh signing keys from %s (%r); using the cached ones.",
                       self.metadata_url, error)

    async def _fetch(self) -> Dict[str, Dict[str, Any]]:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            async with session.get(self.metadata_url) as metadata:
                metadata.raise_for_status()
                jwks_uri = (await metadata.json(content_type=None))["jwks_uri"]
            async with session.get(jwks_uri) as keys:
                keys.raise_for_status()
                return {key["kid"]: key for key in (await keys.json(content_type=None))["keys"]}


@dataclass(frozen=True)
class VerifiedToken:
    claims: Dict[str, Any]
    jwk: Dict[str, Any]  # the key that signed it, with its channel endorsements


class TokenValidator:
    """Checks the Bot Connector's bearer token on an incoming activity."""

    def __init__(self, settings: TeamsSettings, keys: SigningKeys) -> None:
        self.settings = settings
        self.keys = keys

    async def claims(self, authorization: Optional[str], activity: Dict[str, Any]) -> Dict[str, Any]:
        """The token's claims for this activity; raises Refused, or KeysUnavailable when it cannot be checked now."""
        verified = await self.verified_token(authorization)
        self.check_activity(verified, activity)
        return verified.claims

    async def verified_token(self, authorization: Optional[str]) -> "VerifiedToken":
        """The token checked on its own (signature, audience, issuer, lifetime), before the body is read."""
        match = _BEARER.match(authorization or "")
        if not match:
            raise Refused("no bearer token", Why.TOKEN)
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Refused(f"malformed token: {exc}", Why.TOKEN) from None
        # Microsoft signs with RS256; the algorithm named in the token itself is not trusted.
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise Refused(f"token algorithm {header.get('alg')!r} or key id not acceptable", Why.SIGNATURE)
        jwk = await self.keys.get(header["kid"])
        if jwk is None:
            raise Refused(f"token signed with unknown key {header['kid']!r}", Why.SIGNATURE)
        try:
            # strict_aud: `aud` must be the app id itself. PyJWT otherwise accepts a list that
            # contains it; Microsoft's ChannelValidation compares the claim with the app id
            # (SimpleCredentialProvider.is_valid_appid) and refuses a list.
            claims = jwt.decode(
                token, key=RSAAlgorithm.from_jwk(jwk), algorithms=["RS256"], audience=self.settings.app_id,
                issuer=self.settings.issuers, leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"], "strict_aud": True},
            )
        except jwt.PyJWTError as exc:
            raise Refused(f"token rejected: {exc}", _why_jwt_refused(exc)) from None
        return VerifiedToken(claims, jwk)

    def check_activity(self, verified: "VerifiedToken", activity: Dict[str, Any]) -> None:
        """What the token says of the activity: its channel, service URL and tenant."""
        claims, jwk = verified.claims, verified.jwk
        endorsements = jwk.get("endorsements")
        if endorsements is not None and activity.get("channelId") not in endorsements:
            # Stricter than Microsoft's EndorsementsValidator, which skips the check for an
            # activity without channelId: such an activity is refused here.
            raise Refused(f"key not endorsed for channel {activity.get('channelId')!r}", Why.CHANNEL,
                          HTTPStatus.FORBIDDEN)
        # The reply goes to serviceUrl with the app's own token, so it must be the one Microsoft
        # signed: compared exactly, with 401, as Microsoft's ChannelValidation does.
        service_url = claims.get("serviceurl")
        if not service_url or service_url != activity.get("serviceUrl"):
            raise Refused("serviceUrl differs from the token's serviceurl claim", Why.SERVICE_URL)
        # A single-tenant app answers its own tenant only (Microsoft's validator does not look).
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        if self.settings.tenant_id and tenant != self.settings.tenant_id:
            raise Refused(f"activity from tenant {tenant!r}, not this app's", Why.TENANT, HTTPStatus.FORBIDDEN)


class AppTokens:
    """The app's own access token for the Bot Connector (client credentials), cached until near expiry."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def authorization(self) -> Optional[str]:
        async with self._lock:
            if self._token is None or time.monotonic() > self._expires_at - 300:
                form = {
                    "grant_type": "client_credentials",
                    "client_id": self.settings.app_id,
                    "client_secret": self.settings.app_password,
                    "scope": BOT_CONNECTOR_SCOPE,
                }
                try:
                    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                        async with session.post(self.settings.token_url, data=form) as answer:
                            answer.raise_for_status()
                            data = await answer.json(content_type=None)
                    self._token = str(data["access_token"])
                    self._expires_at = time.monotonic() + int(data.get("expires_in", 3600))
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, KeyError) as exc:
                    logger.error("Teams: no access token from %s: %r", self.settings.token_url, exc)
                    return None
            return f"Bearer {self._token}"


def user_text(activity: Dict[str, Any]) -> str:
    """What the user wrote, without `<at>Bot</at>` mentions (Teams puts them in the text), or
    the payload of the messageBack button they clicked (in `value`, as `card_action` puts it)."""
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str):
        return value["payload"]  # exactly the button's payload; screen() reads it like typed text
    text = activity.get("text") or ""
    if not text and isinstance(value, str):
        text = value  # a click on a card action that sends a value instead of text
    if len(text) > 4 * MAX_MESSAGE_CHARS:
        return text  # far too long: screen() answers it without reading it
    return " ".join(_MENTION.sub(" ", text).split())


def card_action(button: Dict[Text, Any]) -> Dict[str, Any]:
    """A Rasa button as Teams' `messageBack` action: the chat shows the title as the user's
    message (`displayText`; an `imBack` would show the payload, `/feedback_helpful{…}`), the bot
    gets the payload in `value` (read back by `user_text`) and in `text`."""
    title, payload = str(button["title"]), str(button["payload"])
    return {"type": "messageBack", "title": title, "displayText": title, "text": payload, "value": {"payload": payload}}


def button_rows(buttons: List[Dict[Text, Any]]) -> List[List[Dict[Text, Any]]]:
    """The buttons in rows of at most MAX_CARD_BUTTONS, as even as can be (7: 4 + 3; 10: 5 + 5)."""
    rows = -(-len(buttons) // MAX_CARD_BUTTONS)
    size, larger = divmod(len(buttons), rows) if rows else (0, 0)
    result, start = [], 0
    for row in range(rows):
        end = start + size + (row < larger)
        result.append(buttons[start:end])
        start = end
    return result


def button_cards(buttons: List[Dict[Text, Any]]) -> List[Dict[str, Any]]:
    """Hero cards of at most six messageBack buttons each, shown one under the other.

    Teams shows no more than six buttons on a hero card. The rest could sit behind a "Meer…"
    button, but then a student sees only part of the choice (the topic menu has 7, a theme up
    to 10 questions), needs a second click and a second message for the rest, and the bot must
    remember or be told what "more" was. Stacked cards in the same message show every choice
    at once, one click away, with no state.
    """
    return [{"contentType": HERO_CARD, "content": {"buttons": [card_action(b) for b in row]}}
            for row in button_rows(buttons)]


class TeamsOutput(WholeAnswers, BotFramework):
    """Rasa's Bot Framework output that collects a turn's answers and sends them as ONE reply.

    Texts are joined (blank line between), each message's buttons become cards below them
    (`button_cards`). `flush()`, called once Rasa has handled the message, posts it.
    """

    def __init__(self, settings: TeamsSettings, tokens: AppTokens, incoming: Dict[str, Any]) -> None:
        super().__init__(settings.app_id, settings.app_password, incoming["conversation"], incoming["recipient"],
                         incoming["serviceUrl"])
        self.tokens = tokens
        self.incoming = incoming
        self._texts: List[str] = []
        self._cards: List[Dict[str, Any]] = []

    async def send_answer(self, recipient_id: Text, text: Text, language: Text = DUTCH) -> None:
        if text:
            self._texts.append(text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self.send_answer(recipient_id, (text or "").strip())
        self._cards.extend(button_cards(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        self._cards.append({"contentType": HERO_CARD, "content": {"images": [{"url": image}]}})

    def handover_address(self) -> Optional[Dict[Text, Any]]:
        """The conversation reference staff replies are sent to (as Microsoft's
        TurnContext.get_conversation_reference keeps it), without the incoming activity's id."""
        keys = ("serviceUrl", "conversation", "recipient", "from", "channelId", "locale")
        return {key: self.incoming[key] for key in keys if self.incoming.get(key) is not None}

    def reply(self) -> Optional[Dict[str, Any]]:
        """What was collected, as one reply activity (None when nothing was)."""
        if not self._texts and not self._cards:
            return None
        reply = self.addressed({"type": "message", "inputHint": "acceptingInput"})
        if self._texts:
            reply["text"] = "\n\n".join(self._texts)
        if self._cards:
            if len(self._cards) > MAX_CARDS:
                logger.error("Teams: %d cards in one reply; Teams shows the first %d.", len(self._cards), MAX_CARDS)
            reply["attachments"] = self._cards
            reply["attachmentLayout"] = "list"
        return reply

    def addressed(self, activity: Dict[str, Any]) -> Dict[str, Any]:
        """`activity` addressed as Microsoft's TurnContext.apply_conversation_reference addresses a
        reply: from the bot to the user, in the incoming conversation, in reply to its activity."""
        incoming = self.incoming
        activity.update({"channelId": incoming.get("channelId"), "serviceUrl": incoming["serviceUrl"],
                         "conversation": incoming["conversation"], "from": incoming["recipient"],
                         "recipient": incoming["from"]})
        if incoming.get("locale"):
            activity["locale"] = incoming["locale"]
        if incoming.get("id"):
            activity["replyToId"] = incoming["id"]
        return activity

    async def flush(self) -> None:
        """Post what was collected, as one reply, and start afresh."""
        reply = self.reply()
        self._texts, self._cards = [], []
        if reply is not None:
            await self.send(reply)

    async def send(self, message_data: Dict[Text, Any]) -> None:
        """Post one activity: ReplyToActivity when it answers one, as Microsoft's BotFrameworkAdapter
        does (SendToConversation otherwise). Rasa's send_custom_json and send_elements come here
        directly: such messages go out on their own."""
        activity = self.addressed(dict(message_data))
        conversation_id = str(activity["conversation"]["id"])
        # Teams conversation ids contain ':', ';', '@' and '='; Microsoft's client (msrest)
        # percent-encodes every path parameter with quote(safe=""). yarl would decode such an
        # escaped path again unless the URL is marked as encoded.
        path = f"conversations/{quote(conversation_id, safe='')}/activities"
        if activity.get("replyToId"):
            path += "/" + quote(str(activity["replyToId"]), safe="")
        base = URL(self.global_uri)
        url = base.with_path(base.raw_path + path, encoded=True)
        authorization = await self.tokens.authorization()
        if authorization is None:
            return  # logged by AppTokens
        # The connector client sends the conversation id as a header too.
        headers = {"Authorization": authorization, "x-ms-conversation-id": conversation_id}
        try:
            async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                async with session.post(url, json=activity, headers=headers) as answer:
                    if answer.status >= 400:
                        logger.error("Teams: reply refused by %s: %s %s", url, answer.status, await answer.text())
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.error("Teams: reply to %s failed: %r", url, exc)


class TeamsChannel(ConversationChannel, BotFrameworkInput):
    """Rasa's Bot Framework connector with its settings from the environment (see the module docstring)."""

    conversation_prefix = "teams"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if credentials:
            logger.warning("Teams: settings in credentials.yml are ignored; use the TEAMS_* environment variables.")
        return cls(TeamsSettings.from_env(os.environ))

    def __init__(self, settings: Optional[TeamsSettings]) -> None:
        # Rasa's __init__ is not called: it downloads Microsoft's keys, so start-up would need
        # the network. The attributes its other methods read are set here instead.
        self.settings = settings
        self.app_id = settings.app_id if settings else ""
        self.app_password = settings.app_password if settings else ""
        self.jwt_keys: Dict[Text, Any] = {}
        self.keys = SigningKeys(settings.openid_metadata_url) if settings else None
        self.validator = TokenValidator(settings, self.keys) if settings and self.keys else None
        self.tokens = AppTokens(settings) if settings else None
        self._background_tasks: Set[asyncio.Task] = set()
        if settings is None:
            logger.warning("Teams channel off: TEAMS_APP_ID and TEAMS_APP_PASSWORD are not both set; "
                           "%s answers 503.", WEBHOOK_PATH)

    @property
    def configured(self) -> bool:
        return self.settings is not None

    async def handover_ready(self, service: Any) -> None:
        """Staff messages and notices for Teams users go out through the Bot Connector (module docstring)."""
        if self.settings is not None:
            service.register_delivery(self.conversation_prefix, self.deliver_from_staff)

    async def deliver_from_staff(self, handover: Any, message: Dict[Text, Any]) -> None:
        """Send a relayed handover message (bot/handover/service.py) to the conversation it came from."""
        if not handover.reply_to or self.settings is None or self.tokens is None:
            logger.error("Teams: no conversation reference for handover %s; a staff message was not sent.",
                         handover.id)
            return
        output = TeamsOutput(self.settings, self.tokens, dict(handover.reply_to))
        await send_relayed(output, handover.conversation_id, message)

    def _update_cached_jwk_keys(self) -> None:
        raise NotImplementedError("TeamsChannel fetches keys asynchronously through SigningKeys")

    async def checked_activity(self, request: Request) -> Union[HTTPResponse, Dict[str, Any]]:
        """The activity of an authentic request, or the answer to one that must not reach Rasa.

        The token is checked before the body is parsed: an anonymous caller costs no JSON parsing.
        """
        if self.validator is None:
            return response.json(NOT_CONFIGURED, status=HTTPStatus.SERVICE_UNAVAILABLE)
        try:
            verified = await self.validator.verified_token(request.headers.get("Authorization"))
            try:
                activity = request.json
            except Exception:  # Sanic raises InvalidUsage on a body that is not JSON
                activity = None
            if not isinstance(activity, dict):
                return response.json({"error": "Geen geldige activiteit."}, status=HTTPStatus.BAD_REQUEST)
            self.validator.check_activity(verified, activity)
        except KeysUnavailable as exc:
            logger.warning("Teams: answered 503, Microsoft's signing keys are unavailable: %s", exc)
            return response.json(KEYS_UNAVAILABLE, status=HTTPStatus.SERVICE_UNAVAILABLE)
        except Refused as refused:
            logger.warning("Teams: refused an activity (%s): %s", refused.why.value, refused)
            return response.json(UNAUTHORIZED if refused.status == HTTPStatus.UNAUTHORIZED else FORBIDDEN,
                                 status=refused.status)
        return activity

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        # Rasa's routes are replaced, not extended: its handler validates synchronously and
        # builds its own BotFramework output channel inline.
        webhook = Blueprint("botframework_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            activity = await self.checked_activity(request)
            if isinstance(activity, HTTPResponse):
                return activity
            # Answer Microsoft at once and reply through the connector: the Bot Connector
            # gives up on a webhook after 15 s.
            self.answer_in_background(activity, on_new_message, self.get_metadata(request))
            return response.text("")

        return webhook

    def answer_in_background(self, activity: Dict[str, Any], on_new_message: MessageHandler,
                             metadata: Optional[Dict[Text, Any]] = None) -> Optional[asyncio.Task]:
        """Hand a checked activity to Rasa; everything Rasa answers goes out as one reply once it
        is done. None for activities with nothing to answer (conversation updates, typing, reactions)."""
        text = user_text(activity)
        if activity.get("type") != "message" or not text:
            return None
        assert self.settings is not None and self.tokens is not None
        output = TeamsOutput(self.settings, self.tokens, activity)
        message = UserMessage(
            text=text, output_channel=output, sender_id=self.conversation(activity["from"]["id"]),
            input_channel=self.name(), metadata=self.add_attachments_to_metadata(activity, metadata),
        )
        task = asyncio.create_task(self._answer(on_new_message, message, output))
        self._background_tasks.add(task)  # the reference keeps the task alive
        task.add_done_callback(self._background_tasks.discard)
        return task

    @staticmethod
    async def _answer(on_new_message: MessageHandler, message: UserMessage, output: TeamsOutput) -> None:
        try:
            await on_new_message(message)  # guarded: failures end in an apology, collected too
        finally:
            await output.flush()
