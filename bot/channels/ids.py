"""Conversation ids: every channel keeps its users in its own namespace.

Stored conversations are named `<channel>:<the channel's own id>` (`rest:…`, `web:…`,
`slack:…`, `teams:…`), so no channel can address another channel's conversation: a REST
caller who sends a Slack user id as `sender` gets `rest:U04ABCDE12`, never that Slack
user's conversation, its context or its lock.
"""
from __future__ import annotations


def conversation_id(channel: str, user_id: str) -> str:
    return f"{channel}:{user_id}"


def channel_user_id(channel: str, conversation: str) -> str:
    """The channel's own id back (to address a reply), from a conversation id of that channel."""
    return conversation.removeprefix(f"{channel}:")
