"""The topic menu: one button per theme, and themes named in words."""
from __future__ import annotations

import json

import pytest

from bot.knowledge import load_catalogue
from bot.knowledge.themes import SHOW_THEME_INTENT, THEMES, menu_buttons, theme_in_text


def test_every_theme_has_answers_and_every_answer_a_theme():
    catalogue = load_catalogue()
    assert {entry.theme for entry in catalogue.entries} == set(THEMES)


def test_a_menu_button_sends_its_theme_as_entity():
    button = menu_buttons()[0]
    intent, entities = button["payload"][1:].split("{", 1)
    assert intent == SHOW_THEME_INTENT and json.loads("{" + entities) == {"theme": next(iter(THEMES))}


@pytest.mark.parametrize("text, theme", [
    ("vragen over examens", "examens_en_diploma"),
    ("Erkenning leerbedrijven", "erkenning_leerbedrijven"),  # the longest name, not just "erkenning"
    ("iets over de PLANNING", "invoering_en_planning"),
    ("hoe laat is het", None),
])
def test_a_typed_theme_is_found(text, theme):
    assert theme_in_text(text) == theme


def test_the_dutch_menu_is_as_it_was():
    assert [b["title"] for b in menu_buttons()] == [b["title"] for b in menu_buttons("nl")] == list(THEMES.values())


def test_the_english_menu_has_every_theme_with_the_same_payloads():
    from bot.knowledge.themes import THEMES_EN

    assert list(THEMES_EN) == list(THEMES)
    english = menu_buttons("en")
    assert [b["title"] for b in english] == list(THEMES_EN.values())
    assert [b["payload"] for b in english] == [b["payload"] for b in menu_buttons()]


@pytest.mark.parametrize("text, theme", [
    ("questions about exams", "examens_en_diploma"),
    ("Recognition of training companies", "erkenning_leerbedrijven"),
    ("continuous learning routes please", "doorlopende_leerroutes"),
])
def test_a_theme_typed_in_english_is_found(text, theme):
    assert theme_in_text(text) == theme
