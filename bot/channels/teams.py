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
- every token is checked: RS256 signature by a published key, audience = app id, issuer
  (the Bot Connector's only), expiry, the key's channel endorsements and the token's
  serviceurl claim, exactly equal to the activity's (Rasa checks no issuer, trusts the
  algorithm named in the token and ignores endorsements and serviceurl); with
  TEAMS_TENANT_ID set, the activity's tenant must be that one;
- single-tenant apps get their outgoing tokens from their own tenant (Rasa always asks
  botframework.com, which only works for multi-tenant apps);
- buttons are `imBack` card actions whose value is the payload (Rasa sends Rasa's button
  dicts, which Teams shows but cannot click: RasaHQ/rasa issues 8164, 11411);
- `<at>…</at>` mentions are removed from the text; replies are sent with aiohttp, not with
  blocking `requests` calls inside the event loop.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from dataclasses import dataclass
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

from bot.channels.base import ConversationChannel, MessageHandler, WholeAnswers
from bot.channels.ids import channel_user_id
from bot.input_guard import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

DEFAULT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_CONNECTOR_ISSUER = "https://api.botframework.com"
BOT_CONNECTOR_SCOPE = "https://api.botframework.com/.default"
WEBHOOK_PATH = "/webhooks/botframework/webhook"
CLOCK_SKEW_SECONDS = 300  # what Microsoft's own SDKs allow
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=10)

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


class Refused(Exception):
    def __init__(self, reason: str, status: HTTPStatus = HTTPStatus.UNAUTHORIZED) -> None:
        super().__init__(reason)
        self.status = status


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
            raise Refused("no bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Refused(f"malformed token: {exc}") from None
        # Microsoft signs with RS256; the algorithm named in the token itself is not trusted.
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise Refused(f"token algorithm {header.get('alg')!r} or key id not acceptable")
        jwk = await self.keys.get(header["kid"])
        if jwk is None:
            raise Refused(f"token signed with unknown key {header['kid']!r}")
        try:
            claims = jwt.decode(
                token, key=RSAAlgorithm.from_jwk(jwk), algorithms=["RS256"], audience=self.settings.app_id,
                issuer=self.settings.issuers, leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Refused(f"token rejected: {exc}") from None
        return VerifiedToken(claims, jwk)

    def check_activity(self, verified: "VerifiedToken", activity: Dict[str, Any]) -> None:
        """What the token says of the activity: its channel, service URL and tenant."""
        claims, jwk = verified.claims, verified.jwk
        endorsements = jwk.get("endorsements")
        if endorsements is not None and activity.get("channelId") not in endorsements:
            raise Refused(f"key not endorsed for channel {activity.get('channelId')!r}", HTTPStatus.FORBIDDEN)
        # The reply goes to serviceUrl with the app's own token, so it must be the one Microsoft
        # signed: compared exactly, with 401, as Microsoft's ChannelValidation does.
        service_url = claims.get("serviceurl")
        if not service_url or service_url != activity.get("serviceUrl"):
            raise Refused("serviceUrl differs from the token's serviceurl claim")
        # A single-tenant app answers its own tenant only (Microsoft's validator does not look).
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        if self.settings.tenant_id and tenant != self.settings.tenant_id:
            raise Refused(f"activity from tenant {tenant!r}, not this app's", HTTPStatus.FORBIDDEN)


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
    """What the user wrote, without `<at>Bot</at>` mentions (Teams puts them in the text)."""
    text = activity.get("text") or ""
    if not text and isinstance(activity.get("value"), str):
        text = activity["value"]  # a click on a card action that sends a value instead of text
    if len(text) > 4 * MAX_MESSAGE_CHARS:
        return text  # far too long: screen() answers it without reading it
    return " ".join(_MENTION.sub(" ", text).split())


def hero_card(text: Text, buttons: List[Dict[Text, Any]]) -> Dict[str, Any]:
    """A hero card whose buttons post their payload back as the user's message (imBack)."""
    actions = [{"type": "imBack", "title": str(b["title"]), "value": str(b["payload"])} for b in buttons]
    return {"contentType": "application/vnd.microsoft.card.hero", "content": {"text": text, "buttons": actions}}


class TeamsOutput(WholeAnswers, BotFramework):
    """Rasa's Bot Framework output with imBack buttons, non-blocking sends and the app's tenant token."""

    def __init__(self, settings: TeamsSettings, tokens: AppTokens, conversation: Dict[Text, Any],
                 bot: Dict[Text, Any], service_url: Text) -> None:
        super().__init__(settings.app_id, settings.app_password, conversation, bot, service_url)
        self.tokens = tokens

    async def send_answer(self, recipient_id: Text, text: Text) -> None:
        await self.send(self.prepare_message(recipient_id, {"text": text}))

    async def send(self, message_data: Dict[Text, Any]) -> None:
        # Teams conversation ids contain ':', ';' and '@': escape them as Microsoft's SDKs do.
        url = f"{self.global_uri}conversations/{quote(str(self.conversation['id']), safe='')}/activities"
        authorization = await self.tokens.authorization()
        if authorization is None:
            return  # logged by AppTokens
        try:
            async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                async with session.post(url, json=message_data, headers={"Authorization": authorization}) as answer:
                    if answer.status >= 400:
                        logger.error("Teams: reply refused by %s: %s %s", url, answer.status, await answer.text())
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            logger.error("Teams: reply to %s failed: %r", url, exc)

    def prepare_message(self, recipient_id: Text, message_data: Dict[Text, Any]) -> Dict[Text, Any]:
        # Replies go to the Teams user, not to our namespaced conversation id.
        return super().prepare_message(channel_user_id(TeamsChannel.conversation_prefix, recipient_id), message_data)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self.send(self.prepare_message(recipient_id, {"attachments": [hero_card(text, buttons)]}))


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
            logger.warning("Teams: refused an activity: %s", refused)
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
            text = user_text(activity)
            if activity.get("type") != "message" or not text:
                return response.text("")  # conversation updates, typing, reactions: nothing to answer
            assert self.settings is not None and self.tokens is not None
            output = TeamsOutput(self.settings, self.tokens, activity["conversation"], activity["recipient"],
                                 activity["serviceUrl"])
            message = UserMessage(
                text=text, output_channel=output, sender_id=self.conversation(activity["from"]["id"]),
                input_channel=self.name(),
                metadata=self.add_attachments_to_metadata(activity, self.get_metadata(request)),
            )
            # Answer Microsoft at once and reply through the connector: the Bot Connector
            # gives up on a webhook after 15 s. The reference keeps the task alive.
            task = asyncio.create_task(on_new_message(message))
            self._background_tasks.add(task)
            task.add_done_callback(self._background_tasks.discard)
            return response.text("")

        return webhook
