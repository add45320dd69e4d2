"""Slack: Rasa's `SlackInput`, configured from the environment only.

credentials.yml enables it as `bot.channels.slack.SlackChannel` with an empty body. Routes:
  GET  /webhooks/slack/          health
  POST /webhooks/slack/webhook   Events API (messages, mentions) and interactivity (clicks)

Environment: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (both needed; without them Rasa still
starts and this webhook answers 503), SLACK_CHANNEL (optional: a channel where the bot
answers without being mentioned), SLACK_API_URL (default https://slack.com/api/).

What this changes in Rasa 3.6.21's connector:
- unsigned, wrongly signed and stale requests get 401 (Rasa answers 400);
- the URL check gets {"challenge": ...} back (Rasa answers with a bare JSON string);
- a delivery whose event_id was already handled is acknowledged and dropped, so Slack's
  retries never answer twice (Rasa only drops retries whose reason is `http_timeout`);
- messages are posted without `as_user`, which Slack refuses from new (granular-scope) apps;
- buttons go out as one Block Kit actions block of up to 25 (Rasa drops all buttons when
  there are more than 5), titles cut to Slack's 75 characters. Rasa's own click handling
  sends the clicked button's value, i.e. its payload, as the user's message.
"""
from __future__ import annotations

import logging
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import ConversationChannel, MessageHandler, WholeAnswers
from bot.channels.ids import channel_user_id
from bot.input_guard import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
WEBHOOK_PATH = "/webhooks/slack/webhook"
# Block Kit limits: a longer value makes Slack refuse the whole message.
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_SECTION_TEXT = 3000
# Slack retries after about 1 and 5 minutes; event ids are remembered a while longer.
SEEN_EVENT_SECONDS = 15 * 60
SEEN_EVENT_LIMIT = 10_000

NOT_CONFIGURED = {"error": "De Slack-koppeling is op deze server niet ingesteld."}
BAD_SIGNATURE = {"error": "Dit verzoek is niet (geldig) door Slack ondertekend."}


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str
    channel: Optional[str]
    api_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Optional[SlackSettings]:
        """The settings, or None when the bot token or the signing secret is missing."""
        token = env.get("SLACK_BOT_TOKEN", "").strip()
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        if not token or not secret:
            return None
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
        return cls(
            bot_token=token,
            signing_secret=secret,
            channel=env.get("SLACK_CHANNEL", "").strip() or None,
            api_url=api_url if api_url.endswith("/") else api_url + "/",
        )


# Slack's link markup, <https://x.nl|x.nl> or <mailto:a@b.nl|a@b.nl>, read in linear time:
# a URL has no whitespace, "|" or ">", and both parts are bounded. Rasa's own pattern
# `<(?:mailto|https?)://.*?|.*?>` took 4.7 s on 10 links and 8,000 "|".
_LINK = re.compile(r"<(?:mailto:|https?://)[^\s|>]{1,500}\|([^<>|]{0,500})>")


def sanitize_slack_text(text: Text, bot_user_ids: Optional[List[Text]] = None) -> Text:
    """The user's text without mentions of the bot, links as their visible text."""
    if len(text) > 4 * MAX_MESSAGE_CHARS:
        return text  # far too long: screen() answers it without reading it
    for user_id in bot_user_ids or []:
        text = text.replace(f"<@{user_id}>", " ")
    return " ".join(_LINK.sub(r"\1", text).split())


def _cut(text: Text, limit: int) -> Text:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn_escape(text: Text) -> Text:
    # Slack reads <...> as links or mentions and &...; as entities.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def button_blocks(text: Text, buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The bot's text and its buttons as Block Kit blocks; each button's value is its payload."""
    if len(buttons) > MAX_BUTTONS:
        logger.warning("Slack shows at most %d buttons; %d are left out.", MAX_BUTTONS, len(buttons) - MAX_BUTTONS)
    blocks: List[Dict[Text, Any]] = []
    if text.strip():
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _cut(_mrkdwn_escape(text), MAX_SECTION_TEXT)}})
    elements = [
        {
            "type": "button",
            "action_id": f"button_{index}",  # unique within the message, as Slack requires
            "text": {"type": "plain_text", "text": _cut(str(button["title"]), MAX_BUTTON_TEXT)},
            "value": str(button["payload"]),
        }
        for index, button in enumerate(buttons[:MAX_BUTTONS])
    ]
    if elements:
        blocks.append({"type": "actions", "elements": elements})
    return blocks


class SlackOutput(WholeAnswers, SlackBot):
    """Rasa's Slack output, talking to `api_url` and posting as the app's bot user."""

    def __init__(self, token: Text, api_url: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def send_answer(self, recipient_id: Text, text: Text) -> None:
        await self._post_message(channel=self.slack_channel or recipient_id, text=text)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        # Rasa adds as_user=True, which Slack answers with `invalid_arguments` for apps with
        # granular bot scopes (every app created since 2020), and type="mrkdwn", which is no
        # chat.postMessage argument.
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        await super()._post_message(channel_user_id(SlackChannel.conversation_prefix, channel), **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        # `text` stays as the notification and screen-reader fallback for the blocks.
        await self._post_message(channel=self.slack_channel or recipient_id, text=text,
                                 blocks=button_blocks(text, buttons))


class SlackChannel(ConversationChannel, SlackInput):
    """Rasa's Slack connector with its settings from the environment (see the module docstring)."""

    conversation_prefix = "slack"

    @staticmethod
    def _sanitize_user_message(text: Text, uids_to_remove: Optional[List[Text]]) -> Text:
        return sanitize_slack_text(text, uids_to_remove)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if credentials:
            logger.warning("Slack: settings in credentials.yml are ignored; use the SLACK_* environment variables.")
        return cls(SlackSettings.from_env(os.environ))

    def __init__(self, settings: Optional[SlackSettings]) -> None:
        self.settings = settings  # set first: Rasa's __init__ calls _validate_credentials
        self._seen_events: OrderedDict[str, float] = OrderedDict()
        super().__init__(
            slack_token=settings.bot_token if settings else "",
            slack_channel=settings.channel if settings else None,
            slack_signing_secret=settings.signing_secret if settings else "",
            # Rasa's constructor defaults these to None, on which process_message fails with
            # a TypeError; only Rasa's from_credentials passes the header names.
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
        )

    def _validate_credentials(self) -> None:
        # Rasa raises here, which stops the whole server; a Slack app that is not set up yet
        # must not take the web chat down with it.
        if self.settings is None:
            logger.warning("Slack channel off: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set; "
                           "%s answers 503.", WEBHOOK_PATH)

    @property
    def configured(self) -> bool:
        return self.settings is not None

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        api_url = self.settings.api_url if self.settings else DEFAULT_API_URL
        return SlackOutput(self.slack_token, api_url, channel or self.slack_channel, thread_id, self.proxy)

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        webhook = super().routes(on_new_message)

        @webhook.middleware("request")
        async def refuse_before_rasa(request: Request) -> Optional[HTTPResponse]:
            # Blueprint middleware only runs for this blueprint's routes; health passes as is.
            if request.path.rstrip("/").endswith("/webhook"):
                return self.refusal(request)
            return None

        return webhook

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        conversation = self.conversation(sender_id) if sender_id else sender_id
        return await super().process_message(request, on_new_message, text or "", conversation, metadata)

    def refusal(self, request: Request) -> Optional[HTTPResponse]:
        """The answer to a request Rasa's handler must not see, or None to let it through."""
        if self.settings is None:
            return response.json(NOT_CONFIGURED, status=HTTPStatus.SERVICE_UNAVAILABLE)
        if not self.is_request_from_slack_authentic(request):
            logger.warning("Slack: refused a request without a valid, recent signature.")
            return response.json(BAD_SIGNATURE, status=HTTPStatus.UNAUTHORIZED)
        if request.headers.get("content-type") != "application/json":
            return None  # a click (form-encoded); Slack does not retry those
        body = request.json
        if not isinstance(body, dict):
            return None
        if body.get("type") == "url_verification":
            return response.json({"challenge": body.get("challenge", "")})
        event_id = body.get("event_id")
        if isinstance(event_id, str) and self._already_handled(event_id):
            logger.info("Slack: event %s delivered again (retry %s, %s); answered once already.", event_id,
                        request.headers.get("X-Slack-Retry-Num"), request.headers.get("X-Slack-Retry-Reason"))
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        return None

    def _already_handled(self, event_id: str) -> bool:
        """Whether this event id was seen recently; remembers it otherwise."""
        now = time.monotonic()
        while self._seen_events and (
            len(self._seen_events) >= SEEN_EVENT_LIMIT
            or next(iter(self._seen_events.values())) < now - SEEN_EVENT_SECONDS
        ):
            self._seen_events.popitem(last=False)
        if event_id in self._seen_events:
            return True
        self._seen_events[event_id] = now
        return False
