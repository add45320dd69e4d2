"""What the open-day kiosk shows before anyone types: topics and the most asked questions.

Built from the FAQ catalogue and the theme list, so the kiosk's buttons always name
answers that exist and send the same payloads as the chat's buttons.
"""
from __future__ import annotations

import json
from typing import Dict, List, TypedDict

from bot.knowledge.payloads import faq_payload
from bot.knowledge import load_catalogue
from bot.knowledge.models import THEMES

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


def theme_payload(theme: str) -> str:
    # The same payload as the topic menu in domain.yml (utter_capabilities).
    return "/show_theme" + json.dumps({"theme": theme}, separators=(", ", ": "))


def kiosk_config() -> Dict[str, object]:
    catalogue = load_catalogue()
    topics: List[Button] = [{"title": label, "payload": theme_payload(key)} for key, label in THEMES.items()]
    popular: List[Button] = []
    for key in POPULAR_QUESTIONS:
        entry = catalogue.get(key)
        if entry is None:
            raise KeyError(f"kiosk: unknown FAQ key {key!r} in POPULAR_QUESTIONS")
        popular.append({"title": entry.title, "payload": faq_payload(entry.key)})
    return {"topics": topics, "popular": popular, "idleSeconds": IDLE_SECONDS}
