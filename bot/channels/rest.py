"""`RestChannel`: Rasa's REST channel, refusing malformed requests with a 4xx.

credentials.yml enables it as `bot.channels.rest.RestChannel`; the URL stays
POST /webhooks/rest/webhook {"sender": "...", "message": "..."}. Rasa's own RestInput
answers 500 to a body that is empty or not a JSON object, lets an absent sender share the
conversation "default" with every other such client, and hands any text to the NLU. Here:
- 413 for a body over MAX_BODY_BYTES; 400 for invalid JSON or UTF-8, a body that is not an
  object, a missing `sender` or one that is not 1-128 characters of letters, digits and
  `. _ : @ + -` (a NUL in a sender made psycopg2 raise ValueError, which Rasa turned into an
  exit of the whole server), a missing or non-text `message`, and `metadata` that is not an
  object. Each with a Dutch message.
- 429 with "even rustig aan" over the rate limits (bot/channels/rate_limit.py): per
  conversation, and a generous ceiling per address; in English when the message is English.
- The conversation is `rest:<sender>` (bot/channels/ids.py): a REST caller cannot reach
  another channel's conversations. A sender that is personal data (an e-mail address, a
  phone number: whatever bot/masking.py masks) is stored as a keyed hash, `rest:~<hex>`;
  the caller still gets its own sender back as `recipient_id`.
- `metadata` is not passed on: nothing here reads it, and Rasa stores it with every message
  (a 64 kB object took 105 s to mask and store inside the event loop).
- As on every channel (bot/channels/base.py): the message is screened (cleaned; empty,
  emoji-only and overlong messages get their own answer without the NLU), an answer
  is one message, and a failure gets an apology.
- A person (issue 21): REST has no way to reach a caller between requests, so what school staff
  wrote (and the handover's notices: taken, handed back) comes with the reply to the caller's
  next request, before that reply's own messages, each as {"recipient_id", "text", "sender":
  "staff" | "system", "id"} (staff messages as the staff member wrote them, as live on the other
  channels). Every reply about a handover ends with {"recipient_id", "custom": {"handover":
  {"state", "position", "seen"}}}. What was delivered is kept per conversation by the handover
  store (`delivered_up_to`, `mark_delivered`: in the conversation database, so any process can
  answer the next request; `make forget` deletes it with the conversation's handovers).
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from typing import Any, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.base import ConversationChannel, MessageHandler, WholeAnswersCollector, message_language
from bot.channels.ids import channel_user_id, conversation_id, private_user_id
from bot.channels.rate_limit import TOO_MANY, address_limiter, client_address, conversation_limiter, message_cost
from bot.input_guard import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024  # a message of MAX_MESSAGE_CHARS in any script, with room to spare
MAX_SENDER_CHARS = 128
SENDER = re.compile(rf"[A-Za-z0-9._:@+-]{{1,{MAX_SENDER_CHARS}}}")


def _refusal(status: HTTPStatus, code: str, message: str) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status)


def request_problem(body: bytes) -> Optional[HTTPResponse]:
    """The 4xx answer to a webhook body Rasa must not see, or None when it is well-formed."""
    if len(body) > MAX_BODY_BYTES:
        return _refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "te_groot",
                        f"Het verzoek is groter dan {MAX_BODY_BYTES // 1024} kB. "
                        f"Een bericht mag hoogstens {MAX_MESSAGE_CHARS} tekens hebben.")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return _refusal(HTTPStatus.BAD_REQUEST, "geen_utf8", "Het verzoek is geen geldige UTF-8-tekst.")
    except ValueError:
        return _refusal(HTTPStatus.BAD_REQUEST, "geen_json",
                        'Het verzoek is geen geldige JSON. Stuur {"sender": "...", "message": "..."}.')
    if not isinstance(data, dict):
        return _refusal(HTTPStatus.BAD_REQUEST, "geen_object",
                        'Stuur een JSON-object: {"sender": "...", "message": "..."}.')
    sender = data.get("sender")
    if not isinstance(sender, str) or not SENDER.fullmatch(sender):
        return _refusal(HTTPStatus.BAD_REQUEST, "sender_ongeldig",
                        f"'sender' ontbreekt of is geen tekst van 1 tot {MAX_SENDER_CHARS} letters, cijfers "
                        "of . _ : @ + -. Gebruik per gesprek een eigen, vaste waarde.")
    if not isinstance(data.get("message"), str):
        return _refusal(HTTPStatus.BAD_REQUEST, "message_ongeldig", "'message' ontbreekt of is geen tekst.")
    if data.get("metadata") is not None and not isinstance(data["metadata"], dict):
        return _refusal(HTTPStatus.BAD_REQUEST, "metadata_ongeldig", "'metadata' moet een JSON-object zijn.")
    return None


# --- staff messages with the next request (issue 21) -------------------------------------------
# Staff messages older than this are not brought to a caller who had none delivered yet (a
# conversation from before the delivery pointer, or one whose pointer was purged).
DELIVERY_WINDOW = timedelta(days=1)


def _is_webhook_post(request: Request) -> bool:
    return request.method == "POST" and request.path.rstrip("/").endswith("/webhook")


class RestChannel(ConversationChannel, RestInput):
    conversation_prefix = "rest"

    def routes(self, on_new_message: MessageHandler) -> Blueprint:
        webhook = super().routes(on_new_message)
        per_conversation, per_address = conversation_limiter(), address_limiter()

        @webhook.middleware("request")
        async def refuse_malformed_or_too_many(request: Request) -> Optional[HTTPResponse]:
            # Blueprint middleware runs for this blueprint's routes only.
            if not _is_webhook_post(request):
                return None
            problem = request_problem(request.body or b"")
            if problem is not None:
                return problem
            address = client_address(request.ip, request.headers.get("x-forwarded-for"))
            cost = message_cost(request.json["message"])
            if not (per_address.allow(address, cost)
                    and per_conversation.allow(self.conversation(request.json["sender"]), cost)):
                refusal = TOO_MANY[message_language(request.json["message"])]
                return response.json({"error": "te_veel", "message": refusal},
                                     status=HTTPStatus.TOO_MANY_REQUESTS, headers={"Retry-After": "60"})
            return None

        @webhook.middleware("response")
        async def callers_own_ids(request: Request, reply: HTTPResponse) -> Optional[HTTPResponse]:
            # Rasa answers with the stored conversation id ("rest:<sender>" or "rest:~<hash>");
            # the caller sent <sender>.
            if reply.status != 200 or not _is_webhook_post(request):
                return None
            messages = json.loads(reply.body or b"[]")
            if not isinstance(messages, list):
                return None
            sender = request.json["sender"]
            stored = self.conversation(sender)
            for message in messages:
                if isinstance(message, dict) and isinstance(message.get("recipient_id"), str):
                    recipient = message["recipient_id"]
                    message["recipient_id"] = (sender if recipient == stored
                                               else channel_user_id(self.conversation_prefix, recipient))
            # In place, so the headers other middleware set (CORS) stay.
            reply.body = json.dumps(messages, ensure_ascii=False).encode("utf-8")
            reply.headers.pop("content-length", None)
            return None

        return webhook

    def conversation(self, user_id: Text) -> Text:
        # The caller chooses the sender: one that is personal data is stored as a keyed hash.
        return conversation_id(self.conversation_prefix, private_user_id(user_id))

    async def deliver_pending(self, message: UserMessage) -> bool:
        """What staff wrote since the caller's last request goes first in this reply (module docstring)."""
        service = self.handover_service()
        output = message.output_channel
        if service is None or not service.enabled or not isinstance(output, WholeAnswersCollector):
            return False
        from bot.handover.store import USER

        conversation = message.sender_id
        last = service.store.delivered_up_to(conversation)
        messages = service.store.conversation_messages(conversation, last or 0)
        if not messages:
            return False
        if last is None:  # nothing delivered before: only what came after the caller's last message, lately
            since = max((m.id for m in messages if m.sender == USER), default=0)
            recent = datetime.now(timezone.utc) - DELIVERY_WINDOW
            pending = [m for m in messages if m.id > since and m.created_at >= recent]
        else:
            pending = messages
        for shown in (m for m in pending if m.sender != USER):
            await output._persist_message({"recipient_id": conversation, "text": shown.text, "sender": shown.sender,
                                           "id": shown.id})
        service.store.mark_delivered(conversation, messages[-1].id)
        return False

    async def delivered(self, message: UserMessage) -> None:
        """After the handover service answered: the caller's own message and the notices it was just
        sent count as delivered; a staff message that came in meanwhile stays for the next request."""
        service = self.handover_service()
        output = message.output_channel
        if service is None or not isinstance(output, WholeAnswersCollector):
            return
        from bot.handover.store import SYSTEM, USER

        conversation = message.sender_id
        sent = {m.get("text") for m in output.messages if "text" in m}
        accounted = None
        last = service.store.delivered_up_to(conversation)
        for stored in service.store.conversation_messages(conversation, last or 0):
            if stored.sender == USER or (stored.sender == SYSTEM and stored.text in sent):
                accounted = stored.id
            else:
                break
        if accounted is not None:
            service.store.mark_delivered(conversation, accounted)

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return self.conversation(req.json["sender"])

    def _extract_message(self, req: Request) -> Optional[Text]:
        return req.json["message"]  # screened by the base (bot/channels/base.py)

    def get_metadata(self, request: Request) -> Optional[Any]:
        return None  # see the module docstring

    def _extract_input_channel(self, req: Request) -> Text:
        # Rasa takes this from the body; stored conversations should say where they came from.
        return self.name()
