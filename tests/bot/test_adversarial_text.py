"""Every routine that reads a user's text stays fast on the worst 2,000 characters we can think of.

A message may be 2,000 characters (bot/input_guard.py). Each routine of bot/text.py, of
bot/knowledge/reader.py, of bot/knowledge/references.py and of the parts splitter gets inputs,
Dutch and English, built to make it slow: the
tokens its patterns look for, repeated ("n2 n2 n2 …" made `parse_levels` quadratic: 0.5 s
end to end), near-names for the fuzzy search, long runs without a split point. Each must read
such a message in linear time: four times the text may take at most twice four times as long
(quadratic would take sixteen times), and never more than 100 ms. Ratios, not a bound in milliseconds, so a
busy machine does not decide; `make bench` gives the figures (about 15 ms at worst on a free core).
"""
from __future__ import annotations

import random
import time
from typing import Callable, List

import pytest

from bot import text as text_routines
from bot.knowledge.reader import MAX_QUESTIONS_PER_MESSAGE, read, scope, split_questions
from bot.knowledge.references import property_query, resolve_reference
from bot.knowledge.search import knowledge_index
from bot.nlu.question_parts import Part, asks_several_things, questions

MESSAGE_CHARS = 2_000
# Linear: 4x the text, about 4x the time; quadratic would be 16x. Below NOISE_SECONDS a ratio says nothing.
MAX_GROWTH = 8.0
NOISE_SECONDS = 0.002
BOUND_SECONDS = 0.100
# The leak check's comparison (difflib, quadratic by nature) reads our own files, never a user's
# message: only the bound holds for it.
NOT_ON_USER_TEXT = frozenset({"text.is_near_duplicate"})


def _repeated(unit: str) -> str:
    return (unit * (MESSAGE_CHARS // len(unit) + 1))[:MESSAGE_CHARS]


_DUTCH_WORDS = ("wat is crebo mechatronica mechatronika technicus eerste monteur niveau nivo n2 mbo-3 iv twee 2 3 4 "
                "jaar jarig hoe lang duurt productietechniek allround commerciële en of ? , . 25894 23360 99999 "
                "kwalificatie kwal dossier bbl bol niet bestaat toch die deze andere hoger lager ik bedoel")
_ENGLISH_WORDS = ("what is the crebo of mechatronics technician technican first fitter level lvl L2 level-3 four two 2 3 4 "
                  "year years 3-year how long does it take production technology all-round commercial and or ? , . 25894 "
                  "23360 99999 qualification file dossier bbl bol not doesn't exist anymore that one the other higher "
                  "lower I meant last highest with qualifications")


def _shuffled_vocabulary(seed: int, vocabulary: str = _DUTCH_WORDS) -> str:
    words = vocabulary.split()
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(MESSAGE_CHARS)).strip()[:MESSAGE_CHARS]


ADVERSARIAL = {
    "levels": _repeated("n2 "),
    "level lists": _repeated("niveau 2 of 3 en 4 "),
    "roman levels": _repeated("mbo-iii "),
    "questions": _repeated("is 25894? "),
    "clauses": _repeated("wat is 25894 en wat is 25892 en "),
    "a name": _repeated("mechatronica "),
    "a misspelt name": _repeated("mechatronika "),
    "a name part": _repeated("technicus "),
    "abbreviations": _repeated("comm tech eng "),
    "years": _repeated("3 jaar 4 jarige "),
    "denials": _repeated("bestaat het toch niet "),
    "corrections": _repeated("niet dit maar "),
    "one letter": _repeated("a"),
    "one digit": _repeated("1"),
    "dots": _repeated("x."),
    "question marks": _repeated("?"),
    "joined names": _repeated("mechatronicaproductietechniek"),
    "accents": _repeated("commerciële é "),
    "vocabulary 1": _shuffled_vocabulary(1),
    "vocabulary 2": _shuffled_vocabulary(2),
    # English: the same vocabularies in English words
    "english levels": _repeated("level 2 "),
    "english level lists": _repeated("levels 2 and 3 or 4 "),
    "english ells": _repeated("l4 lvl2 "),
    "english years": _repeated("3-year four years "),
    "english clauses": _repeated("what is 25894, and what is 25892 and "),
    "english denials": _repeated("doesn't it exist not any more "),
    "english corrections": _repeated("not this but "),
    "english pointers": _repeated("the other one it its "),
    "english alias": _repeated("mechatronics technician "),
    "english misspelt alias": _repeated("mechatronics technican "),
    "english fillers": _repeated("the a of "),
    "english vocabulary 1": _shuffled_vocabulary(1, _ENGLISH_WORDS),
    "english vocabulary 2": _shuffled_vocabulary(2, _ENGLISH_WORDS),
}

ROUTINES: dict[str, Callable[[str], object]] = {
    "text.normalise": text_routines.normalise,
    "text.expand_shorthand": lambda t: text_routines.expand_shorthand(text_routines.normalise(t)),
    "text.parse_level": text_routines.parse_level,
    "text.parse_levels": text_routines.parse_levels,
    "text.looks_like_a_question": text_routines.looks_like_a_question,
    "text.number_candidates": text_routines.number_candidates,
    "text.is_near_duplicate": lambda t: text_routines.is_near_duplicate(t, t[::-1]),
    "reader.split_questions": split_questions,
    "reader.scope": scope,
    # read() keeps what it read; a fresh variant of the text each run measures the reading itself.
    "reader.read": lambda t: read(f"{t[:-8]}{time.perf_counter_ns() % 10**8:08d}"),
    "search.find_all": lambda t: knowledge_index().find_all(t),
    # Against the overview (every dossier and qualification): the longest list shown.
    "references.resolve_reference": lambda t: resolve_reference(
        t, [*knowledge_index().dataset.dossiers, *knowledge_index().dataset.qualifications], knowledge_index().dataset),
    "references.property_query": lambda t: property_query(t, knowledge_index().dataset),
}


def _best_of_five(routine: Callable[[str], object], text: str) -> float:
    timings: List[float] = []
    for _ in range(5):
        started = time.perf_counter()
        routine(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.fixture(scope="module", autouse=True)
def warm() -> None:
    read("wat is crebo 25894?")  # trains the ask model once, outside the timings


@pytest.mark.parametrize("routine", ROUTINES, ids=str)
@pytest.mark.parametrize("kind", ADVERSARIAL, ids=str)
def test_a_routine_reads_the_worst_message_in_linear_time(routine, kind):
    message = ADVERSARIAL[kind]
    assert len(message) == MESSAGE_CHARS
    quarter = _best_of_five(ROUTINES[routine], message[: MESSAGE_CHARS // 4])
    whole = _best_of_five(ROUTINES[routine], message)
    assert whole < BOUND_SECONDS, f"{routine} took {whole * 1000:.1f} ms on '{kind}'"
    if routine in NOT_ON_USER_TEXT:
        return
    assert whole < NOISE_SECONDS or whole <= MAX_GROWTH * max(quarter, NOISE_SECONDS / MAX_GROWTH), (
        f"{routine} on '{kind}': {quarter * 1000:.1f} ms for a quarter of the text, {whole * 1000:.1f} ms for all of it")


@pytest.mark.parametrize("kind", ADVERSARIAL, ids=str)
def test_the_parts_splitter_decides_on_the_worst_message_in_under_100_ms(kind):
    message = ADVERSARIAL[kind]
    spans = scope(message).spans
    parts = [Part(start, end, message[start:end], "lookup_crebo", 0.9, lookup=True, record="25894")
             for start, end in spans]
    seconds = _best_of_five(lambda _: (questions(parts, 0.6), asks_several_things(parts, 0.6)), message)
    assert len(parts) <= 2 * MAX_QUESTIONS_PER_MESSAGE + 40  # statements between questions are kept, questions are not
    assert seconds < BOUND_SECONDS, f"the parts splitter took {seconds * 1000:.1f} ms on '{kind}'"


def test_a_message_of_many_questions_is_read_up_to_its_third():
    message = "Wat is 25894? Wat is 25892? Wat is 25893? Wat is 25891? Wat is 25899?"
    read_part = scope(message)
    assert read_part.text == "Wat is 25894? Wat is 25892? Wat is 25893?"
    assert len(read_part.spans) == 3 and read_part.unanswered == 2
    assert [r.crebo for r in read(message).records] == ["25894", "25892", "25893"]


def test_statements_around_the_questions_are_read_with_them():
    story = ("Mijn zoon zit in vmbo 4. Hij wil iets met techniek. We twijfelen nog. "
             "Welke opleidingen zijn er op niveau 4? En hoe lang duurt Mechatronica?")
    assert scope(story).text == story and scope(story).unanswered == 0


def test_three_questions_are_all_read():
    message = "Wat is het crebo van Productietechnicus? Hoeveel dossiers zijn er? En wat kost de opleiding?"
    assert scope(message).text == message and scope(message).unanswered == 0
