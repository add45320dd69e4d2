"""The topic menu: the themes of the FAQ, in menu order, with their Dutch labels.

The one source of the menu: the chat's "Wat kan ik je vragen?" buttons (added to
`utter_capabilities` by bot/responses.py), the kiosk's topics (bot/web/kiosk.py), the
themes faq.yml may use (bot/knowledge/loader.py) and the theme a typed message names.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Tuple

from bot.text import normalise

# The intent a menu button sends, with the theme key as entity (action_show_theme answers).
SHOW_THEME_INTENT = "show_theme"
THEME_ENTITY = "theme"

# Themes in menu order, with the labels users read.
THEMES: Dict[str, str] = {
    "dossiers": "De nieuwe dossiers",
    "keuzedelen": "Keuzedelen",
    "examens_en_diploma": "Examens en diploma",
    "invoering_en_planning": "Invoering en planning",
    "erkenning_leerbedrijven": "Erkenning van leerbedrijven",
    "uitwerkingsdocumenten": "Uitwerkingsdocumenten",
    "doorlopende_leerroutes": "Doorlopende leerroutes",
}

# Other ways users name a theme (the NLU maps them to the theme key).
THEME_SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "dossiers": ("dossiers", "nieuwe dossiers", "kwalificatiedossiers"),
    "keuzedelen": ("keuzedeel",),
    "examens_en_diploma": ("examens", "examen", "diploma", "examens en diploma"),
    "invoering_en_planning": ("planning", "invoering"),
    "erkenning_leerbedrijven": ("erkenning", "erkenning leerbedrijven", "leerbedrijven"),
    "uitwerkingsdocumenten": ("uitwerkingsdocument",),
    "doorlopende_leerroutes": ("leerroutes", "doorlopende leerroute"),
}


def theme_in_text(text: str) -> Optional[str]:
    """The theme key a message names ("vragen over examens" → examens_en_diploma), if any.

    The longest name found wins, so "erkenning leerbedrijven" is not just "erkenning".
    """
    padded = f" {normalise(text)} "
    best: Optional[Tuple[int, str]] = None
    for key, label in THEMES.items():
        for name in (key.replace("_", " "), label, *THEME_SYNONYMS.get(key, ())):
            name = normalise(name)
            if f" {name} " in padded and (best is None or len(name) > best[0]):
                best = (len(name), key)
    return best[1] if best else None


def theme_payload(theme: str) -> str:
    """'/show_theme{"theme": "keuzedelen"}': the payload of the theme's menu button."""
    return f"/{SHOW_THEME_INTENT}" + json.dumps({THEME_ENTITY: theme}, separators=(", ", ": "))


def menu_buttons() -> List[Dict[str, str]]:
    """The topic menu as buttons, one per theme, in menu order."""
    return [{"title": label, "payload": theme_payload(key)} for key, label in THEMES.items()]
