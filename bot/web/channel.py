"""`WebChatInput`: Rasa's REST channel plus the chat page, on the same origin.

credentials.yml enables it as `bot.web.channel.WebChatInput`. Routes (Rasa server port):
  GET  /webhooks/webchat/chat      the chat page (bot/web/static/index.html)
  GET  /webhooks/webchat/static/*  its script and style sheet
  POST /webhooks/webchat/webhook   {"sender": ..., "message": ...} → list of bot messages
Serving the page from the Rasa server needs no CORS setting and no CDN.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_MESSAGE_CHARS = 2000


class WebChatInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = super().blueprint(on_new_message)

        @page.route("/chat", methods=["GET"])
        async def chat_page(request: Request) -> HTTPResponse:
            return await response.file(STATIC_DIR / "index.html", headers=_NO_CACHE)

        @page.route("/static/<name:str>", methods=["GET"])
        async def static_file(request: Request, name: Text) -> HTTPResponse:
            path = (STATIC_DIR / name).resolve()
            if path.parent != STATIC_DIR or not path.is_file():
                return response.text("Niet gevonden", status=404)
            return await response.file(path, headers=_NO_CACHE)

        return page

    def _extract_message(self, req: Request) -> Text:
        # Long pastes are cut before the NLU sees them.
        return str(super()._extract_message(req) or "")[:MAX_MESSAGE_CHARS]


_NO_CACHE = {"Cache-Control": "no-cache"}
