"""Which answer a 👍/👎 rates: the id the buttons under an answer carry."""
from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.feedback import answer_given, lookup_answer

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))


def after(text: str, intent: str, *events, **parse) -> DialogueStateTracker:
    tracker = DialogueStateTracker("test", DOMAIN.slots)
    tracker.update(UserUttered(text, {"name": intent, "confidence": 1.0}, parse_data={
        "intent": {"name": intent, "confidence": 1.0}, "entities": [], **parse}))
    for event in events:
        tracker.update(event)
    return tracker


def test_an_faq_answer_is_named_by_its_key():
    selector = {"faq": {"response": {"intent_response_key": "faq/bol_bbl", "confidence": 0.9}}}
    assert answer_given(after("bol of bbl?", "faq", response_selector=selector)) == "faq/bol_bbl"


def test_a_lookup_is_named_by_its_intent_and_record():
    tracker = after("op welk niveau zit 25893?", "ask_level", SlotSet("qualification", "25893"))
    assert answer_given(tracker) == lookup_answer("ask_level", "25893") == "lookup/ask_level/25893"
    assert lookup_answer("list_by_level", None) == "lookup/list_by_level/-"


def test_anything_else_by_its_intent_in_a_safe_alphabet():
    assert answer_given(after("hoi", "greet")) == "greet"
    assert answer_given(after("x", 'evil"}, {"x')) == "evilx"
    assert answer_given(None) == "onbekend"
