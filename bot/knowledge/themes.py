"""The topic menu: the themes of the FAQ, in menu order, with their Dutch and English labels.

The one source of the menu: the chat's "Wat kan ik je vragen?" buttons (added to
`utter_capabilities` by bot/responses.py), the kiosk's topics (bot/web/kiosk.py), the
themes faq.yml may use (bot/knowledge/loader.py) and the theme a typed message names.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Tuple

from bot import DUTCH, ENGLISH
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

# The labels an English conversation reads (glossary: /work/english-draft/ui-en.md): the Dutch
# domain word stays, with its gloss.
THEMES_EN: Dict[str, str] = {
    "dossiers": "The new dossiers",
    "keuzedelen": "Keuzedelen (elective modules)",
    "examens_en_diploma": "Exams and diploma",
    "invoering_en_planning": "Introduction and planning",
    "erkenning_leerbedrijven": "Recognition of leerbedrijven (training companies)",
    "uitwerkingsdocumenten": "Uitwerkingsdocumenten (detailed content documents)",
    "doorlopende_leerroutes": "Doorlopende leerroutes (continuous learning routes)",
}
THEME_LABELS: Dict[str, Dict[str, str]] = {DUTCH: THEMES, ENGLISH: THEMES_EN}

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
# …and in English, besides the English labels.
THEME_SYNONYMS_EN: Dict[str, Tuple[str, ...]] = {
    "dossiers": ("new dossiers", "qualification files"),
    "keuzedelen": ("elective modules", "electives"),
    "examens_en_diploma": ("exams", "exam", "examination", "diplomas"),
    "invoering_en_planning": ("introduction", "planning", "timeline"),
    "erkenning_leerbedrijven": ("recognition", "training companies", "recognition of training companies"),
    "uitwerkingsdocumenten": ("detailed content documents", "content documents"),
    "doorlopende_leerroutes": ("continuous learning routes", "learning routes"),
}


def theme_label(theme: str, language: str = DUTCH) -> str:
    """The label users read: 'Keuzedelen', in English 'Keuzedelen (elective modules)'."""
    return THEME_LABELS.get(language, THEMES)[theme]


def theme_in_text(text: str) -> Optional[str]:
    """The theme key a message names ("vragen over examens" → examens_en_diploma), if any.

    The longest name found wins, so "erkenning leerbedrijven" is not just "erkenning".
    """
    padded = f" {normalise(text)} "
    best: Optional[Tuple[int, str]] = None
    for key, label in THEMES.items():
        names = (key.replace("_", " "), label, *THEME_SYNONYMS.get(key, ()), THEMES_EN[key], *THEME_SYNONYMS_EN.get(key, ()))
        for name in names:
            name = normalise(name)
            if f" {name} " in padded and (best is None or len(name) > best[0]):
                best = (len(name), key)
    return best[1] if best else None


def theme_payload(theme: str) -> str:
    """'/show_theme{"theme": "keuzedelen"}': the payload of the theme's menu button."""
    return f"/{SHOW_THEME_INTENT}" + json.dumps({THEME_ENTITY: theme}, separators=(", ", ": "))


def menu_buttons(language: str = DUTCH) -> List[Dict[str, str]]:
    """The topic menu as buttons, one per theme, in menu order, titled in `language`; the payloads
    are the same in both languages."""
    return [{"title": theme_label(key, language), "payload": theme_payload(key)} for key in THEMES]
