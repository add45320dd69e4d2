"""What an FAQ answer leaves out of a question about its subject.

A question about an FAQ subject can ask a detail the answer does not give: "welk crebonummer
krijgt Human Technology?" (the answer names no record), "op welke datum precies?" (it gives a
month), "hoe lang duurt het omzetten?", "heb je de link?", "wat kost zo'n examen?", "wie
hebben zitting in die werkgroep?". The honest reply is that answer plus one line that the sources
do not say the detail. The reader (bot/nlu/lookup_reader.py) decides whether a message is such
a question, and the lookup action (actions/lookups.py) says which detail: both ask this one
function, so they cannot disagree.

The kinds are read in this order, each from a closed vocabulary or the ask model
(bot/knowledge/asked.py): a fact of the dataset, the exact day, a duration, a detail asked in
so many words, a topic the ask model is sure of, and last any detail the ask model is very
sure the sources do not hold.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.knowledge.asked import (DURATION_ASKED, EXACT_DATE, OLD_NUMBERS_TOPIC, OTHER_TOPIC, can_be_checked, detail_asked,
                                the_answer_leaves_out)
from bot.knowledge.loader import load_catalogue
from bot.knowledge.nouns import A_COUNT_OF_RECORDS, HOW_MANY_RECORDS
from bot.knowledge.reader import ASKS_AN_EXACT_DATE, DAY_DATE, Ask, Reading, read, split_questions
from bot.knowledge.references import listed_in_faq_answer
from bot.settings import ask_settings
from bot.text import looks_like_a_question, normalise, parse_levels

# A detail the ask model says the sources do not hold, of a topic no fact pattern can check
# ("content", "other": "welke mensen hebben zitting in die werkgroep?", "welke naam krijgt dat keuzedeel?").
ANY_DETAIL = OTHER_TOPIC
# What a question asks of an answer that names records without their numbers: the dataset gives those.
NUMBERS_OF_THE_NAMED = "numbers_of_the_named"
_NUMBER = re.compile(r"\b\d{5}\b")
_PRICES = frozenset({"cost", "salary"})
_SURE_OF_A_TOPIC = 0.7
_SURE_OF_A_PRICE = 0.8


def asks_a_day_the_answer_does_not_give(reading: Reading, answer: str) -> bool:
    """'en op welke datum precies?' after "eind oktober": the sources give no day."""
    return bool(ASKS_AN_EXACT_DATE.search(reading.clean)) and not DAY_DATE.search(normalise(answer))


def dataset_fact_left_out(reading: Reading, key: str) -> Optional[str]:
    """'welk crebonummer krijgt human technology?': a crebo, dossier or level asked of an answer
    that names none ("op welke niveaus dan wel?" after the answer on onderhoud, which names them,
    is that answer again)."""
    entry = load_catalogue().get(key)
    if entry is None:
        return None
    if reading.asks & {Ask.CREBO, Ask.DOSSIER} and not _NUMBER.search(entry.answer):
        # an answer that names records without their numbers ("drie hoofdstromingen: productietechniek, …"): the dataset
        # gives them; an answer that names none leaves them out
        return NUMBERS_OF_THE_NAMED if listed_in_faq_answer(key) else (Ask.DOSSIER if Ask.DOSSIER in reading.asks else Ask.CREBO).value
    # (an answer that lists records gives their levels through the dataset: "welke niveaus heeft die met mecha?")
    if Ask.LEVEL in reading.asks and not parse_levels(normalise(entry.answer)) and not listed_in_faq_answer(key):
        return Ask.LEVEL.value
    if (Ask.COUNT in reading.asks and HOW_MANY_RECORDS.search(reading.clean)
            and not A_COUNT_OF_RECORDS.search(normalise(entry.answer))):
        return Ask.COUNT.value  # "hoeveel opleidingen vielen er onder dat dossier?" after the answer on a merge
    return None


def detail_left_out(reading: Reading, key: str) -> Optional[str]:
    """What a question about the subject of FAQ answer `key` asks that the answer gives no fact
    of, other than the dataset's facts; None when the answer may hold it."""
    entry = load_catalogue().get(key)
    if entry is None:
        return None
    if asks_a_day_the_answer_does_not_give(reading, entry.answer):
        return EXACT_DATE  # "op welke datum staan ze online?"
    if Ask.DURATION in reading.asks and the_answer_leaves_out(DURATION_ASKED, entry.answer):
        return DURATION_ASKED  # after the answer on erkenning: "hoe lang duurt het omzetten?"
    detail = detail_asked(reading.clean)
    if detail is not None and the_answer_leaves_out(detail, entry.answer):
        return detail  # "heb je de link naar oZone?", "hoeveel bezoekers trok dat congres?"
    if Ask.NOT_HELD not in reading.asks:
        return None
    if reading.topic == OLD_NUMBERS_TOPIC and reading.not_held_probability < 1.0:
        return None  # "mogen we nog op de oude crebonummers inschrijven?" asks about them, not which they were
    settings = ask_settings()
    sure_of_topic = reading.topic_confidence >= _SURE_OF_A_TOPIC and (
        reading.not_held_probability >= settings.threshold
        or (reading.topic in _PRICES and reading.topic_confidence >= _SURE_OF_A_PRICE))
    if sure_of_topic and the_answer_leaves_out(reading.topic, entry.answer):
        return reading.topic  # "hoeveel kost een examen van Esmei per leerling?": the answer names no cost
    unchecked = not can_be_checked(reading.topic) or reading.topic_confidence < _SURE_OF_A_TOPIC
    if reading.not_held_probability >= settings.sure_of_a_detail and unchecked and not _names_only_the_answers_words(reading, entry.answer):
        # "welke mensen hebben zitting in die werkgroep?": no pattern can check a name or a procedure (nor a topic
        # the model is unsure of: "wie draait daarvoor op?"); the model is sure it is not held
        # (how sure is chosen by cross-validation, `make tune`)
        return ANY_DETAIL
    return None


def _the_questions_of(reading: Reading) -> Reading:
    """The reading of the question sentences of a message whose other sentences name records or
    levels ("Ik las dat verspaning op niveau 2 en 3 een uitwerkingsdocument krijgt. Hoeveel uur is dat?"):
    the story names them, the question does not. Else the reading itself."""
    if not (reading.names_something or reading.levels):
        return reading
    sentences = [reading.text[start:end] for start, end in split_questions(reading.text)]
    asked = [sentence for sentence in sentences if looks_like_a_question(sentence)]
    if not asked or len(asked) == len(sentences):
        return reading
    return read(" ".join(asked))


# Words that carry no content of their own in a short question ("en … dan?", "wat met …?").
_FRAME_WORDS = frozenset("en of dan dus ok oke nou ook nog de het een die dat dit deze wat met over van bij voor in op "
                         "hoe zit zat staat and or then so also the a what about with of for in on how".split())


def _names_only_the_answers_words(reading: Reading, answer: str) -> bool:
    """'en verspaning dan?' after the answer on Precisietechniek, which names verspaning: every word of
    the question that carries content is in the answer, so the answer is what it asks about."""
    content = [word for word in reading.clean.split() if word not in _FRAME_WORDS]
    answer_words = set(normalise(answer).split())
    return bool(content) and all(word in answer_words or word.rstrip("s") in answer_words for word in content)


def left_out_of_the_answer(reading: Reading, key: Optional[str], *, facts_only: bool = False) -> Optional[str]:
    """The kind of fact a question about FAQ answer `key` asks that the answer does not give (a
    key of actions/wording.py's asked_of_the_faq_subject), or None. A question that names a
    record or a level is about that record, not about the answer. `facts_only`: only a fact of
    the dataset or the exact day, which no other FAQ answer gives either."""
    if key is None:
        return None
    reading = _the_questions_of(reading)
    entry = load_catalogue().get(key)
    # The levels the answer itself speaks of ("… nu onderhoud op niveau 2 en 3 een aparte kerntaak is?")
    answer_levels = set(parse_levels(normalise(entry.answer))) if entry is not None else set()
    if reading.names_something or set(reading.levels) - answer_levels:
        return None
    # (a level named asks the dataset's facts at that level, not the answer's: "welk crebo hoort bij niveau 2?")
    fact = None if reading.levels else dataset_fact_left_out(reading, key)
    if facts_only:
        day = entry is not None and asks_a_day_the_answer_does_not_give(reading, entry.answer)
        return fact or (EXACT_DATE if day else None)
    return fact or detail_left_out(reading, key)
