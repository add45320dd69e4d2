"""The independent set's scorer judges replies by the sources, and never shows the sealed half."""
from __future__ import annotations

import pytest

from tools.independent_eval import SET_DIR, Checker, Item, main

CHECKER = Checker()


def judge(expect, reply, kind="unanswerable"):
    return CHECKER.check(Item("X1", kind, ["vraag"], expect), reply)


def test_an_honest_reply_says_the_sources_do_not_hold_it():
    assert judge({"honest": True}, "Wat de opleiding kost staat niet in mijn bronnen.").passed
    assert not judge({"honest": True}, "Technicus mechatronica (crebo 25893) is een kwalificatie op niveau 4.").passed


def test_an_faq_answer_is_recognised_by_its_text_or_its_cited_question():
    assert judge({"faq": [[4, 3]]}, "Over de duur zegt de bron …\n\nBron: 4e vragenuur, 11 oktober 2022 (vraag 3)").passed
    assert not judge({"faq": [[4, 3]]}, "Bron: 1e vragenuur, 4 maart 2022 (vraag 2)").passed


def test_facts_must_be_in_the_reply():
    verdict = judge({"crebos": ["25893"], "levels": [4], "years": [3]},
                    "Technicus mechatronica (crebo 25893), niveau 4; een driejarige opleiding.")
    assert verdict.passed
    assert judge({"count": 9}, "9 kwalificaties").passed and not judge({"count": 9}, "drie dossiers").passed


def test_a_reply_about_another_record_is_caught():
    verdict = judge({"record": "25898"}, "Commercieel technicus engineering (crebo 25899) is niveau 4.")
    assert not verdict.passed and verdict.record_not_meant
    # A record's own answer may name its dossier; a dossier's its qualifications.
    assert judge({"record": "25898"}, "Technicus engineering (crebo 25898), dossier Engineering (23362).").passed


def test_the_sealed_half_is_never_printed():
    with pytest.raises(SystemExit):
        main([str(SET_DIR / "sealed.yml"), "--failures"])
