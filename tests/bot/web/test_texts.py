"""The pages' own texts (bot/web/static/texts.js): both languages complete, and the Dutch written
in the pages (what shows before a script runs) the same as the Dutch table."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Dict, List, Tuple

import pytest

from bot.language import LANGUAGES
from bot.web.channel import STATIC_DIR
from tests.bot.web.browsing import page_texts

PAGES = ["index.html", "kiosk.html"]
SCRIPTS = ["chat.js", "kiosk.js"]


def tables() -> Dict[str, Dict[str, str]]:
    return page_texts()


class MarkedTexts(HTMLParser):
    """Each (key, what the page writes there) of a page's data-i18n and data-i18n-attr marks."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: List[Tuple[str, str]] = []
        self._open: List[Tuple[str, str, List[str]]] = []  # (tag, key, text so far)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for pair in filter(None, (attrs.get("data-i18n-attr") or "").split(";")):
            name, key = (part.strip() for part in pair.split(":"))
            self.marks.append((key, attrs.get(name) or ""))
        if "data-i18n" in attrs:
            self._open.append((tag, attrs["data-i18n"], []))

    def handle_data(self, data):
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, key, text = self._open.pop()
            self.marks.append((key, "".join(text)))


def marks(page: str) -> List[Tuple[str, str]]:
    parser = MarkedTexts()
    parser.feed((STATIC_DIR / page).read_text(encoding="utf-8"))
    return parser.marks


def test_each_language_has_every_text():
    texts = tables()
    assert set(texts) == set(LANGUAGES)
    assert texts["nl"].keys() == texts["en"].keys()
    for language, table in texts.items():
        assert all(isinstance(v, str) and v for v in table.values()), language
        # The same placeholders in both languages ("{time}", "{n}").
        for key, text in table.items():
            assert re.findall(r"{\w+}", text) == re.findall(r"{\w+}", texts["nl"][key]), (language, key)


@pytest.mark.parametrize("page", PAGES)
def test_the_dutch_in_the_page_is_the_dutch_table(page):
    found = marks(page)
    assert found, f"{page} marks no texts"
    dutch = tables()["nl"]
    assert [(key, dutch.get(key)) for key, _ in found] == found


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_scripts_use_only_texts_that_exist(script):
    source = re.sub(r"//[^\n]*", "", (STATIC_DIR / script).read_text(encoding="utf-8"))  # without comments
    used = set(re.findall(r"\b(?:texts\(\)|own|texts|TEXTS\[\w+\])\.(\w+)", source))
    used |= set(re.findall(r'(?:setStatus|onStatus)\("(\w+)"\)', source))
    assert used, f"{script} uses no texts?"
    assert used <= set(tables()["nl"]), used - set(tables()["nl"])


def test_the_page_texts_are_english_in_the_english_table():
    english = tables()["en"]
    assert english["newConversation"] == "New conversation" and english["topics"] == "Topics"
    dutch_words = re.compile(r"\b(je|jij|het|een|vraag|gesprek|onderwerpen|verstuur)\b", re.IGNORECASE)
    assert not [t for t in english.values() if dutch_words.search(t)]
