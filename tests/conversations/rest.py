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


def answer(replies: List[dict]) -> str:
    """The REST channel sends each paragraph as its own message; join them back."""
    return "\n\n".join(r["text"] for r in replies if "text" in r)
