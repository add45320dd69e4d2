"""Conversation ids: every channel keeps its users in its own namespace.

Stored conversations are named `<channel>:<the channel's own id>` (`rest:…`, `web:…`,
`slack:…`, `teams:…`), so no channel can address another channel's conversation: a REST
caller who sends a Slack user id as `sender` gets `rest:U04ABCDE12`, never that Slack
user's conversation, its context or its lock.

A REST `sender` is chosen by the caller, and a caller may well name a conversation after the
person in it (`jan@school.nl`, `0612345678`). Such a sender, anything that masking
(bot/masking.py) would change, is stored as a keyed hash instead, `rest:~<32 hex>`
(`private_user_id`). Hashed rather than refused: the same sender gives the same id, so the
conversation goes on across messages, and a school site that already names conversations so
keeps working, while nothing readable is stored. Keyed (HMAC with the server's secret,
bot/web/sessions.py), because a plain hash of a phone number is reversed by hashing all 10^8
mobile numbers. `~` is not allowed in a sender, so no caller can choose a hashed id itself.
For a request to delete a conversation (art. 17 AVG):
    .venv/bin/python -m bot.channels.ids rest jan@school.nl      # prints rest:~…
"""
from __future__ import annotations

import hashlib
import hmac
import sys

from bot.masking import mask_text
from bot.web.sessions import _secret as server_secret  # the one server secret: env or var/session-secret


def conversation_id(channel: str, user_id: str) -> str:
    return f"{channel}:{user_id}"


def channel_user_id(channel: str, conversation: str) -> str:
    """The channel's own id back (to address a reply), from a conversation id of that channel."""
    return conversation.removeprefix(f"{channel}:")


def private_user_id(user_id: str) -> str:
    """`user_id`, or `~<HMAC of it>` when it holds personal data (see the module docstring)."""
    if mask_text(user_id) == user_id:
        return user_id
    # A domain of its own, so the hash never equals a web session's signature.
    digest = hmac.new(server_secret(), b"conversation-id\0" + user_id.encode(), hashlib.sha256).hexdigest()
    return f"~{digest[:32]}"


if __name__ == "__main__":  # the stored conversation id of a channel's user id
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bot.channels.ids <channel> <user id>   (rest jan@school.nl -> rest:~…)")
    channel, user = sys.argv[1:]
    print(conversation_id(channel, private_user_id(user) if channel == "rest" else user))
