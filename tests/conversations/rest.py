"""Talking to the running assistant over its REST webhook, as a client would."""
from __future__ import annotations

import uuid
from typing import Dict, List

import requests


def say(servers: Dict[str, str], text: str, sender: str = "") -> List[dict]:
    """Send one message; return the bot's messages."""
    response = requests.post(servers["rest_webhook"], json={"sender": sender or uuid.uuid4().hex, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def is_feedback_prompt(reply: dict) -> bool:
    """The "Had je hier iets aan?" message with 👍/👎 under an answer (tests/conversations/test_feedback_http.py)."""
    return any(str(b.get("payload", "")).startswith("/feedback_") for b in reply.get("buttons") or [])


def without_feedback(replies: List[dict]) -> List[dict]:
    return [r for r in replies if not is_feedback_prompt(r)]


def answer(replies: List[dict]) -> str:
    """The answer's text: the texts of the bot's messages (one per answer, bot/channels/base.py),
    without the 👍/👎 prompt under it."""
    return "\n\n".join(r["text"] for r in without_feedback(replies) if "text" in r)
