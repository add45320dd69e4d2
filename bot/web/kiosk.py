"""What the open-day kiosk shows before anyone types: topics and the most asked questions.

Built from the FAQ catalogue and the topic menu (bot/knowledge/themes.py), so the kiosk's
buttons always name answers that exist and are the chat's buttons. Each in Dutch and in
English (the page shows the buttons of its language; a payload is the same in both).
"""
from __future__ import annotations

from typing import Dict, List, TypedDict

from bot.knowledge import load_catalogue
from bot.knowledge.faq import faq_payload
from bot.knowledge.themes import menu_buttons
from bot.language import LANGUAGES

# The questions visitors ask most at a stand (one tap away on the kiosk's start screen).
POPULAR_QUESTIONS = (
    "aanleiding_herziening",
    "samengevoegde_dossiers",
    "keuzedelen_verplicht",
    "start_schooljaar_2023",
    "opleidingsduur_niveau4",
    "bol_bbl",
)
# Seconds without a touch before the kiosk starts afresh for the next visitor.
IDLE_SECONDS = 120


class Button(TypedDict):
    title: str
    payload: str


def topic_buttons(language: str) -> List[Button]:
    return [{"title": b["title"], "payload": b["payload"]} for b in menu_buttons(language)]


def popular_buttons(language: str) -> List[Button]:
    catalogue = load_catalogue()
    buttons: List[Button] = []
    for key in POPULAR_QUESTIONS:
        entry = catalogue.get(key)
        if entry is None:
            raise KeyError(f"kiosk: unknown FAQ key {key!r} in POPULAR_QUESTIONS")
        buttons.append({"title": entry.title_in(language), "payload": faq_payload(entry.key)})
    return buttons


def kiosk_config() -> Dict[str, object]:
    """The kiosk page's buttons per language ("nl", "en") and its idle time."""
    return {"topics": {language: topic_buttons(language) for language in LANGUAGES},
            "popular": {language: popular_buttons(language) for language in LANGUAGES},
            "idleSeconds": IDLE_SECONDS}
