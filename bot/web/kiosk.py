"""What the open-day kiosk shows before anyone types: topics and the most asked questions.

Built from the FAQ catalogue and the topic menu (bot/knowledge/themes.py), so the kiosk's
buttons always name answers that exist and are the chat's buttons.
"""
from __future__ import annotations

from typing import Dict, List, TypedDict

from bot.knowledge import load_catalogue
from bot.knowledge.faq import faq_payload
from bot.knowledge.themes import menu_buttons

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


def kiosk_config() -> Dict[str, object]:
    catalogue = load_catalogue()
    topics: List[Button] = [{"title": b["title"], "payload": b["payload"]} for b in menu_buttons()]
    popular: List[Button] = []
    for key in POPULAR_QUESTIONS:
        entry = catalogue.get(key)
        if entry is None:
            raise KeyError(f"kiosk: unknown FAQ key {key!r} in POPULAR_QUESTIONS")
        popular.append({"title": entry.title, "payload": faq_payload(entry.key)})
    return {"topics": topics, "popular": popular, "idleSeconds": IDLE_SECONDS}
