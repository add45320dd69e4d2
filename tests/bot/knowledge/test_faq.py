"""FAQ names, button payloads and "Bedoelde je…?" choices, shared by both servers."""
from __future__ import annotations

import pytest

from bot.knowledge import load_catalogue
from bot.knowledge.faq import (
    RankedAnswer,
    answer_key,
    answer_label,
    chosen_faq_key,
    faq_payload,
    ranked_answers,
    response_name,
    selected_answer,
    suggested_answer_keys,
)

KNOWN_KEYS = {e.key for e in load_catalogue().entries}


@pytest.mark.parametrize("text, key", [
    ("faq:bol_bbl", "bol_bbl"),
    ("  faq:start_schooljaar_2023 ", "start_schooljaar_2023"),
    ("faq:bestaat_niet", None),
    ("faq:../../etc", None),
    ("faq:", None),
    ('/faq{"faq_key": "bol_bbl"}', None),
    ("wat is bol bbl", None),
    ("faq:bol_bbl en meer", None),
])
def test_payload_parsing(text, key):
    assert chosen_faq_key(text, KNOWN_KEYS) == key


def test_names_of_one_answer_agree():
    assert faq_payload("bol_bbl") == "faq:bol_bbl"
    assert answer_label("bol_bbl") == "faq/bol_bbl" and answer_key("faq/bol_bbl") == "bol_bbl"
    assert response_name("bol_bbl") == "utter_faq/bol_bbl"
    assert answer_key("greet") is None and answer_key("faq/") is None and answer_key(None) is None
    entry = load_catalogue().get("bol_bbl")
    assert (entry.intent_response_key, entry.response_name) == ("faq/bol_bbl", "utter_faq/bol_bbl")


def parse(ranking, top_intents=("nlu_fallback", "faq"), chosen=None):
    selector = {"ranking": [{"intent_response_key": f"faq/{k}", "confidence": c} for k, c in ranking]}
    if chosen:
        selector["response"] = {"intent_response_key": f"faq/{chosen[0]}", "confidence": chosen[1]}
    return {"intent_ranking": [{"name": name} for name in top_intents], "response_selector": {"faq": selector}}


def test_selected_and_ranked_answers():
    data = parse([("basisdeel", 0.6), ("bol_bbl", 0.3)], chosen=("basisdeel", 0.6))
    assert selected_answer(data) == RankedAnswer("basisdeel", 0.6)
    assert ranked_answers(data) == [RankedAnswer("basisdeel", 0.6), RankedAnswer("bol_bbl", 0.3)]
    assert selected_answer({"intent": {"name": "faq"}}) is None and ranked_answers({}) == []


def test_suggestions_are_the_three_likeliest_known_answers_above_noise():
    data = parse([("basisdeel", 0.4), ("onbekend", 0.3), ("bol_bbl", 0.2), ("basisdeel", 0.15),
                  ("keuzedelen_verplicht", 0.1), ("consortium", 0.09), ("start_schooljaar_2023", 0.05)])
    assert suggested_answer_keys(data, KNOWN_KEYS) == ["basisdeel", "bol_bbl", "keuzedelen_verplicht"]
    assert suggested_answer_keys(parse([("basisdeel", 0.07)]), KNOWN_KEYS) == []


def test_no_suggestions_when_faq_is_not_among_the_two_likeliest_intents():
    data = parse([("basisdeel", 0.5)], top_intents=("nlu_fallback", "out_of_scope", "greet", "faq"))
    assert suggested_answer_keys(data, KNOWN_KEYS) == []
