"""Issue 22: no Dutch message is answered in English. The causes found (2026-12-05), each with
the messages that turned a Dutch conversation English before, and English that must still switch.

- names of the dataset spelled apart or as their English gloss ("Research instrument maker?",
  "production technician") read as English words;
- words both languages write ("is", "of" = or, "he" = hè) were all fastText had left
  ("is … niveau 2 of 3" → "is of", P(en) 1.0), or counted as English function words;
- English words Dutch speakers write ("high tech", "soft skills") and names ("Tata Steel");
- fastText's P(en) / (P(en) + P(nl)) is near 1 on text it reads as neither ("prima, verder":
  Italian first);
- questions about English as a subject ("is technisch Engels verplicht?") that the classifier
  reads as `switch_language` were taken as a request for English.
"""
from __future__ import annotations

import pytest

from bot.language import DUTCH, ENGLISH, detect, english_probability
from bot.nlu.language import language_of, requested_language


@pytest.mark.parametrize("text", [
    # the dataset's names, spelled apart, written together in pieces, or in their English gloss
    "Research instrument maker?", "research instrument maker bbl", "researchinstrument maker info",
    "production technician", "mechatronics technician", "Research instrumentmaker niveau 4",
    # words both languages write
    "is allround medewerker productietechniek niveau 2 of 3", "is engineering BBL of BOL?",
    "Is Technicus engineering mbo 3 of mbo 4?", "is 25896 mechatronica of productietechniek",
    "25893 is mbo 4 he", "monteur mechatronica zit in dossier mechatronica he",
    "is technicus engineering leuk?", "is researchinstrumentmaker 3-jarig of 4-jarig", "interesse in allround productietechniek",
    # borrowed English words and names
    "high tech", "soft skills", "design engineer", "quality control", "digital skills keuzedeel?",
    "Tata Steel", "Summa College", "Da Vinci College", "ik ben teamleader techniek",
    # fastText reads neither language
    "prima, verder", "diploma erkend", "Ad-programma",
    # the brief's short stress cases
    "BBL of BOL", "engineering niveau 4", "ok thanks", "smart industry", "skills", "oke top", "25893 crebo?",
])
def test_a_dutch_conversation_stays_dutch(text):
    assert detect(text, DUTCH) == DUTCH


@pytest.mark.parametrize("text", [
    "what is the crebo of Technicus mechatronica?", "What is crebo 25892?", "how long does productietechniek take",
    "is BBL possible for level 4 engineering", "is technicus engineering level 4?", "level of medewerker productietechniek?",
    "duration of allround medewerker productietechniek?", "Technicus mechatronica is level 4, right?",
    "good morning", "staff member", "consortium role", "take care!", "are you a bot?",
])
def test_english_still_turns_a_dutch_conversation_english(text):
    assert detect(text, DUTCH) == ENGLISH


@pytest.mark.parametrize("text", ["Research instrument maker?", "high tech", "prima, verder", "is engineering BBL of BOL?"])
def test_an_english_conversation_keeps_english_on_the_same_messages(text):
    assert detect(text, ENGLISH) == ENGLISH


def test_the_judges_reading_is_unchanged():
    """tools/independent_eval.py judges replies with english_probability: the fixes are in detect."""
    assert english_probability("is of") > 0.9  # fastText as before; detect no longer acts on it
    assert english_probability("25893 is mbo 4 he") == 0.75


@pytest.mark.parametrize("text", [
    "is technisch Engels verplicht?", "technisch Engels", "Engels niveau B1?", "engels A2", "hoeveel Engels zit erin?",
    "moet ik engels kunnen", "is er ook een english track?", "Engelstalig onderwijs?", "vakengels",
    "Is Engels een verplicht vak?", "wordt er Engels gesproken op het leerbedrijf?", "Is de opleiding in het Engels?",
])
def test_a_question_about_english_is_no_request_for_it(text):
    assert requested_language(text, DUTCH) is None
    assert language_of(text, "switch_language", DUTCH) == DUTCH


@pytest.mark.parametrize("text, current, expected", [
    ("Engels", DUTCH, ENGLISH), ("English?", DUTCH, ENGLISH), ("engels aub", DUTCH, ENGLISH),
    ("in english pls", DUTCH, ENGLISH), ("kan de chat ook in het engels", DUTCH, ENGLISH),
    ("mijn moeder spreekt alleen Engels, kun je dat ook?", DUTCH, ENGLISH), ("can you speak english", DUTCH, ENGLISH),
    ("Is it possible to chat in English?", DUTCH, ENGLISH), ("andere taal", DUTCH, ENGLISH),
    ("Nederlands graag", ENGLISH, DUTCH), ("zet de taal op Nederlands", ENGLISH, DUTCH), ("can we talk in Dutch again", ENGLISH, DUTCH),
])
def test_a_request_still_switches(text, current, expected):
    assert requested_language(text, current) == expected
    assert language_of(text, "switch_language", current) == expected
