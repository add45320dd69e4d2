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
- retries: the first delivery of an event that reaches the deployment is answered, retry
  or not; every later one is acknowledged (`X-Slack-No-Retry: 1`) and dropped. The event ids
  are shared by all Rasa processes (bot/store/seen_events.py). Rasa keeps no ids: it answers
  any retry whose reason is not `http_timeout` again, and drops every `http_timeout` retry,
  also of an event whose first delivery never arrived (SlackInput.process_message);
- the text: links `<https://x>` become the URL and `<https://x|label>` the label (Rasa keeps
  bare links in brackets, and its pattern took seconds on many "|"), and the three
  characters Slack escapes (`&amp;`, `&lt;`, `&gt;`) are unescaped before the NLU;
- the answers to one message go out as ONE chat.postMessage (Rasa posts every answer, and
  every paragraph of one, on its own), as Block Kit sections, escaped, within Slack's limits;
  only when more than 50 blocks are needed does the rest go in a further post;
- a message written in a thread is answered in that thread (`thread_ts`); Rasa answers in
  the channel (or, with `use_threads`, opens a thread under every message);
- messages are posted without `as_user`, which Slack refuses from new (granular-scope) apps;
- buttons go out as one Block Kit actions block of up to 25 per answer (Rasa drops all
  buttons when there are more than 5), titles cut to Slack's 75 characters. Rasa's own click
  handling sends the clicked button's value, i.e. its payload, as the user's message.
- a person (issue 21): a request for one stores where the user wrote (`reply_to`: the Slack
  channel and thread); what school staff write, and the handover's notices, are posted there
  through chat.postMessage by the process where staff act, staff messages as
  "Medewerker: …" (bot/channels/base.py `staff_text`), since they go out as the bot.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import (PROCESSING_FAILED, ConversationChannel, MessageHandler, WholeAnswers,
                               message_language, send_relayed)
from bot.channels.ids import channel_user_id
from bot.input_guard import MAX_MESSAGE_CHARS
from bot.language import DUTCH
from bot.store.seen_events import LocalSeenEvents, SeenEvents, seen_events_for

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
WEBHOOK_PATH = "/webhooks/slack/webhook"
# Block Kit and chat.postMessage limits: a longer value makes Slack refuse the whole message.
MAX_BLOCKS = 50
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_SECTION_TEXT = 3000
MAX_FALLBACK_TEXT = 4000  # `text` beside blocks: Slack advises at most 4,000 characters

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


# --- the user's text ----------------------------------------------------------------------

# Slack's link markup: <https://x.nl>, <https://x.nl|x.nl>, <mailto:a@b.nl|a@b.nl>. Neither
# part can hold "<", so matching from one "<" stops at the next: linear time. Rasa's own
# pattern `<(?:mailto|https?)://.*?|.*?>` took 4.7 s on 10 links and 8,000 "|".
_LINK = re.compile(r"<((?:mailto:|https?://)[^\s<>|]{1,2000})(?:\|([^<>|]{0,500}))?>")
# The only characters Slack escapes in a user's text (api.slack.com/reference/surfaces/formatting#escaping).
_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}


def _link_text(match: re.Match) -> Text:
    url, label = match.group(1), match.group(2)
    return label if label and label.strip() else url.removeprefix("mailto:")


def sanitize_slack_text(text: Text, bot_user_ids: Optional[List[Text]] = None) -> Text:
    """The user's text as typed: no mentions of the bot, links as their label or URL, unescaped."""
    if len(text) > 4 * MAX_MESSAGE_CHARS:
        return text  # far too long: screen() answers it without reading it
    for user_id in bot_user_ids or []:
        text = text.replace(f"<@{user_id}>", " ")
    # Markup first, entities last and in one pass: "&lt;b&gt;" was typed as "<b>", and
    # "&amp;lt;" as "&lt;", never as "<".
    text = _ENTITY.sub(lambda m: _UNESCAPED[m.group(1)], _LINK.sub(_link_text, text))
    return " ".join(text.split())


# --- the bot's answers --------------------------------------------------------------------

def _cut(text: Text, limit: int) -> Text:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn_escape(text: Text) -> Text:
    # Slack reads <...> as links or mentions and &...; as entities.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _split_escaped(text: Text, limit: int) -> List[Text]:
    """Escaped `text` in pieces of at most `limit` characters, cut at a paragraph, line or word
    where one is in the second half of the piece, and never inside an entity."""
    pieces, rest = [], text
    while len(rest) > limit:
        window = rest[:limit]
        cut = next((at for at in (window.rfind(sep) for sep in ("\n\n", "\n", " ")) if at > limit // 2), limit)
        if cut == limit:
            amp = window.rfind("&", limit - 4)  # "&amp;" is the longest entity
            cut = amp if amp > 0 and ";" not in window[amp:] else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return pieces + ([rest] if rest else [])


def _section(text: Text) -> Dict[Text, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button_blocks(text: Text, buttons: Sequence[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """One answer as Block Kit blocks: its text in sections, its buttons (value = payload) in an actions block."""
    if len(buttons) > MAX_BUTTONS:
        logger.warning("Slack shows at most %d buttons; %d are left out.", MAX_BUTTONS, len(buttons) - MAX_BUTTONS)
    blocks = [_section(piece) for piece in _split_escaped(_mrkdwn_escape(text.strip()), MAX_SECTION_TEXT)]
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


@dataclass(frozen=True)
class Answer:
    """One thing Rasa sent: a text, with buttons or not, or an image."""

    text: Text = ""
    buttons: Tuple[Dict[Text, Any], ...] = ()
    image: Optional[Text] = None

    def blocks(self) -> List[Dict[Text, Any]]:
        if self.image:  # as Rasa sends images
            return [{"type": "image", "image_url": self.image, "alt_text": _cut(self.image, 2000)}]
        return button_blocks(self.text, self.buttons)


def compose(answers: Sequence[Answer]) -> List[Dict[Text, Any]]:
    """The chat.postMessage arguments (`text`, `blocks`) for `answers`, in order: one post,
    unless they need more than Slack's 50 blocks. A text joins the section before it when
    both fit in one (3,000 characters), so a message with many questions stays one post."""
    posts: List[List[Dict[Text, Any]]] = [[]]
    for block in (block for answer in answers for block in answer.blocks()):
        blocks = posts[-1]
        previous = blocks[-1] if blocks else None
        if (block["type"] == "section" and previous and previous["type"] == "section"
                and len(previous["text"]["text"]) + 2 + len(block["text"]["text"]) <= MAX_SECTION_TEXT):
            previous["text"]["text"] += "\n\n" + block["text"]["text"]
            continue
        if len(blocks) == MAX_BLOCKS:
            logger.warning("An answer needs more than Slack's %d blocks: the rest goes in another post.", MAX_BLOCKS)
            blocks = []
            posts.append(blocks)
        blocks.append(block)
    return [_post(blocks) for blocks in posts if blocks]


def _post(blocks: List[Dict[Text, Any]]) -> Dict[Text, Any]:
    buttons = (element for block in blocks if block["type"] == "actions" for element in block["elements"])
    for index, button in enumerate(buttons):
        button["action_id"] = f"button_{index}"  # unique within the whole message
    # `text` is the notification and screen-reader fallback of the blocks.
    shown = [b["text"]["text"] for b in blocks if b["type"] == "section"] or [
        b["alt_text"] for b in blocks if b["type"] == "image"]
    fallback = _split_escaped("\n\n".join(shown), MAX_FALLBACK_TEXT)
    return {"text": fallback[0], "blocks": blocks} if fallback else {"blocks": blocks}


class SlackOutput(WholeAnswers, SlackBot):
    """Rasa's Slack output, talking to `api_url` and posting as the app's bot user.

    With `collect=True` (the reply to a user's message: SlackChannel.process_message) the
    answers are kept until `flush()`, which posts them as one message; otherwise each answer
    is posted at once.
    """

    def __init__(self, token: Text, api_url: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None, collect: bool = False) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)
        self.collect = collect
        self._pending: List[Tuple[Text, Answer]] = []  # (where it goes, what)

    async def send_answer(self, recipient_id: Text, text: Text, language: Text = DUTCH) -> None:
        await self._add(recipient_id, Answer(text=text))

    def handover_address(self) -> Optional[Dict[Text, Any]]:
        """Where staff replies go: this channel (a DM's or SLACK_CHANNEL) and thread."""
        return {"channel": self.slack_channel, "thread_ts": self.thread_id}

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._add(recipient_id, Answer(text=text or "", buttons=tuple(buttons)))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._add(recipient_id, Answer(image=image))

    # Attachments and custom JSON (which this bot's responses do not use) cannot join the
    # blocks: what came before them goes first, then they go on their own, as in Rasa.
    async def send_attachment(self, recipient_id: Text, attachment: Dict[Text, Any], **kwargs: Any) -> None:
        await self.flush()
        await super().send_attachment(recipient_id, attachment, **kwargs)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self.flush()
        await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def _add(self, recipient_id: Text, answer: Answer) -> None:
        self._pending.append((self.slack_channel or recipient_id, answer))
        if not self.collect:
            await self.flush()

    async def flush(self) -> None:
        """Post what was collected: one message per channel, unless it needs more than 50 blocks."""
        pending, self._pending = self._pending, []
        for channel, answers in itertools.groupby(pending, key=lambda item: item[0]):
            for post in compose([answer for _, answer in answers]):
                await self._post_message(channel=channel, **post)

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        # Rasa adds as_user=True, which Slack answers with `invalid_arguments` for apps with
        # granular bot scopes (every app created since 2020), and type="mrkdwn", which is no
        # chat.postMessage argument. Rasa's own adds thread_ts when there is a thread.
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        await super()._post_message(channel_user_id(SlackChannel.conversation_prefix, channel), **kwargs)


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
        self.seen_events: Optional[SeenEvents] = None  # the shared ids, once the tracker store is known
        self._seen_here = LocalSeenEvents()  # until then
        super().__init__(
            slack_token=settings.bot_token if settings else "",
            slack_channel=settings.channel if settings else None,
            slack_signing_secret=settings.signing_secret if settings else "",
            # Rasa's constructor defaults these to None, on which process_message fails with
            # a TypeError; only Rasa's from_credentials passes the header names.
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
        )

    async def handover_ready(self, service: Any) -> None:
        """Staff messages and notices for Slack users go out through chat.postMessage (module docstring)."""
        if self.settings is not None:
            service.register_delivery(self.conversation_prefix, self.deliver_from_staff)

    async def deliver_from_staff(self, handover: Any, message: Dict[Text, Any]) -> None:
        """Post a relayed handover message (bot/handover/service.py) where the user asked for a person."""
        reply_to = handover.reply_to or {}
        output = self.get_output_channel(reply_to.get("channel"), reply_to.get("thread_ts"), collect=True)
        await send_relayed(output, handover.conversation_id, message)

    def _validate_credentials(self) -> None:
        # Rasa raises here, which stops the whole server; a Slack app that is not set up yet
        # must not take the web chat down with it.
        if self.settings is None:
            logger.warning("Slack channel off: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not both set; "
                           "%s answers 503.", WEBHOOK_PATH)

    @property
    def configured(self) -> bool:
        return self.settings is not None

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                           collect: bool = False) -> SlackOutput:
        api_url = self.settings.api_url if self.settings else DEFAULT_API_URL
        return SlackOutput(self.slack_token, api_url, channel or self.slack_channel, thread_id, self.proxy, collect)

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if metadata:
            # Rasa's thread_id is the message's own ts when it is in no thread (for
            # use_threads, which opens a thread under every message); ours is the thread's.
            metadata["thread_id"] = self._thread_of(request)
        return metadata

    @staticmethod
    def _thread_of(request: Request) -> Optional[Text]:
        """The ts of the thread the message (or the clicked message) is in; None outside threads."""
        if request.headers.get("content-type") == "application/json":
            return ((request.json or {}).get("event") or {}).get("thread_ts")
        payload = json.loads(request.form["payload"][0])
        return (payload.get("message") or {}).get("thread_ts") or (payload.get("container") or {}).get("thread_ts")

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
        """Rasa's, without its retry rule, with one post per message and answers in the message's thread.

        Rasa answers 201 to every retry whose reason is `http_timeout`, also when this
        deployment never saw the first delivery: that question stayed unanswered.
        refusal() has already dropped every event the deployment has seen.
        """
        conversation = self.conversation(sender_id) if sender_id else sender_id
        output = self.get_output_channel((metadata or {}).get("out_channel"), (metadata or {}).get("thread_id"),
                                         collect=True)
        message = UserMessage(text or "", output, conversation, input_channel=self.name(), metadata=metadata)
        # Keep a reference, as Rasa does, so the task is not collected before it ends.
        task = asyncio.create_task(self._answer(on_new_message, message, output))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return response.text("")

    @staticmethod
    async def _answer(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                      output: SlackOutput) -> None:
        try:
            await on_new_message(message)  # never raises: the base's handler sends an apology
        finally:
            try:
                await output.flush()
            except Exception:  # Slack refused or was not reached: try a plain apology, no blocks
                logger.exception("Slack: the answer to conversation %s could not be posted.", message.sender_id)
                try:
                    await output._post_message(channel=output.slack_channel or message.sender_id,
                                               text=PROCESSING_FAILED[message_language(message.text or "")])
                except Exception as error:
                    logger.error("Slack: the apology to conversation %s could not be posted either: %s",
                                 message.sender_id, error)

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
        if isinstance(event_id, str) and not self._seen_events(request).first_sighting(f"slack:{event_id}"):
            logger.info("Slack: event %s delivered again (retry %s, %s); answered once already.", event_id,
                        request.headers.get("X-Slack-Retry-Num"), request.headers.get("X-Slack-Retry-Reason"))
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        return None

    def _seen_events(self, request: Request) -> SeenEvents:
        """The event ids all processes share, in the tracker store's database (bot/store/seen_events.py).

        The tracker store is the agent's, which Rasa loads after start-up (`app.ctx.agent`):
        until then, ids are kept in this process. Claiming an id is one short statement, run
        in the event loop as Rasa runs the tracker store's own.
        """
        if self.seen_events is None:
            agent = getattr(getattr(getattr(request, "app", None), "ctx", None), "agent", None)
            tracker_store = getattr(agent, "tracker_store", None)
            if tracker_store is None:
                return self._seen_here
            self.seen_events = seen_events_for(tracker_store)
        return self.seen_events
