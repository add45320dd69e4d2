"""The lookup intents: one list, and the intent that keeps what a question asks."""
from __future__ import annotations

import yaml

from bot import PROJECT_DIR
from bot.knowledge.lookup_intents import LOOKUP_INTENTS, NAME_LOOKUP, RECORD_ASKS, intent_asking
from bot.knowledge.reader import Ask


def test_every_lookup_intent_is_answered_by_the_lookup_action():
    rules = yaml.safe_load((PROJECT_DIR / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    answered = {step["intent"] for rule in rules for step in rule["steps"]
                if "intent" in step and {"action": "action_answer_lookup"} in rule["steps"]}
    assert LOOKUP_INTENTS <= answered


def test_the_intent_keeps_the_question():
    assert intent_asking({Ask.CREBO}) == "lookup_crebo"
    assert intent_asking({Ask.DURATION}) == "ask_duration"
    assert intent_asking({Ask.DOSSIER, Ask.LEVEL}) == "ask_level"  # a level before a dossier, always
    assert intent_asking(set()) == NAME_LOOKUP and intent_asking({Ask.CHECK}) == NAME_LOOKUP


def test_a_which_one_button_keeps_only_the_facts_of_one_record():
    assert intent_asking({Ask.COUNT, Ask.CREBO} & RECORD_ASKS) == "lookup_crebo"
    assert intent_asking({Ask.COUNT} & RECORD_ASKS) == NAME_LOOKUP
