"""When one message asks several things, and which of them were understood.

The classifier labels each question of a message (`question_parts`, bot/nlu/linear_classifier.py);
the lookup reader marks the parts that are lookups. This decides whether the message gets
one answer or one per question. Rasa-free: the same rule runs in tests and in `make tune`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from bot.knowledge.lookup_intents import LIST_BY_LEVEL, NOT_IN_SOURCES, OVERVIEW
from bot.text import looks_like_a_question, normalise

# Where the parse data carries a message's parts (bot/nlu/linear_classifier.py writes them,
# bot/nlu/lookup_reader.py decides on them, actions/parts.py answers them), and how many
# questions after the last one read were left (bot.knowledge.reader.scope).
QUESTION_PARTS = "question_parts"
UNANSWERED_QUESTIONS = "unanswered_questions"
# Parts that ask nothing ("hoi", "bedankt"): they neither need an answer nor count as a question.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "bot_challenge"})
NOT_UNDERSTOOD = frozenset({"out_of_scope", "nlu_fallback"})
# Lookups that need no record: "… en hoeveel opleidingen zijn er nu nog?" points back at nothing.
WHOLE_DATASET_LOOKUPS = frozenset({OVERVIEW, LIST_BY_LEVEL, NOT_IN_SOURCES})
# Lookups whose answer is a list a later part can point into.
LISTS = frozenset({OVERVIEW, LIST_BY_LEVEL})
# A part of fewer words that was not understood is more likely a bad cut than a question.
MIN_WORDS_OF_A_QUESTION = 3


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    text: str
    label: str  # an intent, or "faq/<key>"
    confidence: float
    lookup: bool = False  # the reader found a record, number or level lookup in it
    record: Optional[str] = None  # the record it names, if any

    def understood(self, threshold: float) -> bool:
        return self.lookup or (self.label not in NOT_UNDERSTOOD and self.confidence >= threshold)

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label,
                "confidence": self.confidence, "lookup": self.lookup, "record": self.record}

    @classmethod
    def from_dict(cls, data: dict) -> "Part":
        return cls(int(data["start"]), int(data["end"]), str(data["text"]), str(data["label"]),
                   float(data["confidence"]), bool(data.get("lookup")), data.get("record"))


def is_question(part: Part, threshold: Optional[float] = None) -> bool:
    """A question mark, a question's opening words, or (given the threshold) an FAQ answer read surely;
    "We willen niet te laag zitten." around a question is its context, not a question."""
    if looks_like_a_question(part.text):
        return True
    if part.lookup and not part.text.rstrip().endswith("."):  # "crebo van commercieel technicus engineering, en …"
        return True  # (not "Er zijn nu drie dossiers.", "Onze dochter heeft engineering al afgestreept.": statements)
    return threshold is not None and part.label.startswith("faq/") and part.confidence >= threshold


def questions(parts: Iterable[Part], threshold: Optional[float] = None) -> List[Part]:
    """The parts that ask something. Beside a part worded as a question, a sentence that is not
    ("Onze dochter rondt dit jaar het vmbo af.") is its story, however an FAQ label reads it."""
    asking = [part for part in parts if part.label not in SMALL_TALK and is_question(part, threshold)]
    if any(looks_like_a_question(part.text) for part in asking):
        asking = [part for part in asking if looks_like_a_question(part.text) or not _is_a_statement(part)]
    # "Men zegt dat X uit Y verdwijnt. Klopt dat voor Z?": the claim before it is what the question asks
    parts = list(parts)
    asking = [_the_claim_checked(part, parts, threshold) for part in asking]
    # "Is er een wachtlijst? Zo ja, hoe lang?": the second asks on about the first
    return [part for n, part in enumerate(asking) if n == 0 or not _continues_the_question_before(part)]


# "is dat …", "klopt dat …", "geldt dit ook …": a question about what the sentence before it said.
OPENS_BY_POINTING_BACK = re.compile(r"^(en |maar )?(is|klopt|geldt|gaat|wordt|blijft|verandert|does) (dat|dit|het|that|this)\b")
# Of those, "klopt dat?", "is dat zo voor …?", "geldt dat ook bij …?", "is that true?": a check of the claim itself
# (not "gaat dat weer gebeuren?" nor "is dat veranderd?": questions of their own about it).
_CHECKS_WHAT_WAS_SAID = re.compile(r"^\W*(en |and )?(klopt (dat|dit|het)|geldt (dat|dit)|is (dat|dit|het) (zo|waar|juist|correct)|"
                                   r"is (that|this|it) (true|right|so|correct)|does (that|this) (apply|hold))\b")
_MAX_CHECK_WORDS = 8


def _the_claim_checked(part: Part, parts: List[Part], threshold: Optional[float]) -> Part:
    """The statement a short check points back at, when an FAQ answer is sure of it; else the part itself."""
    clean = normalise(part.text)
    index = parts.index(part)
    if index == 0 or not _CHECKS_WHAT_WAS_SAID.search(clean) or len(clean.split()) > _MAX_CHECK_WORDS:
        return part
    claim = parts[index - 1]
    sure = threshold is None or claim.confidence >= threshold
    return claim if claim.label.startswith("faq/") and not claim.lookup and sure and not looks_like_a_question(claim.text) else part


# "zo ja, hoeveel?", "en zo nee, waarom niet?", "if so, how much?": a short question about the one before it.
_CONDITIONAL_CONTINUATION = re.compile(r"^\W*(en |and )?(zo ja|zo nee|zo niet|indien ja|indien nee|als dat zo is|als dat kan|"
                                       r"als het kan|if so|if not|if yes|if it does|if they do)\b")
_MAX_CONTINUATION_WORDS = 6


def _continues_the_question_before(part: Part) -> bool:
    clean = normalise(part.text)
    return bool(_CONDITIONAL_CONTINUATION.search(clean)) and len(clean.split()) <= _MAX_CONTINUATION_WORDS


def _is_a_statement(part: Part) -> bool:
    return not part.lookup and part.text.rstrip().endswith(".")


# Words that point back at what an earlier question named: "komen die boeken van het Consortium, en
# zijn die al aangepast?" is one question in two sentences.
_POINTS_BACK = re.compile(r"\b(die|dat|deze|dit|daar\w*|ervan|erin|hiervan|ze|zij|hij|zo n|zon|that|this|these|those|it|its|"
                          r"they|them|there)\b")


def faq_questions_apart(asked: Sequence[Part], threshold: float) -> bool:
    """Two or more FAQ questions, each worded as a question and read surely, with different answers,
    none pointing back at the one before ("Past het nieuwe aanbod bij PIE? Welke drie stromingen komen
    er?"): each gets its answer, however surely the whole reads as one of them."""
    faq = [part for part in asked if part.label.startswith("faq/") and not part.lookup]
    return (len(faq) == len(asked) and len({part.label for part in faq}) > 1
            and all(part.confidence >= threshold and looks_like_a_question(part.text)
                    and len(normalise(part.text).split()) >= MIN_WORDS_OF_A_QUESTION for part in faq)
            and not any(_POINTS_BACK.search(normalise(part.text)) for part in faq[1:]))


def asks_several_things(parts: Sequence[Part], threshold: float, whole_confidence: float = 0.0) -> bool:
    """Whether the message needs one answer per question.

    Yes when its questions name different records ("wat is 25894 en wat is 25892?"). Not
    when the message as a whole is read at least as surely as any of its parts ("komen die
    boeken van het Consortium en zijn die al aangepast?" is one question); not when a later
    lookup part points back at an earlier part that named no record; not when the questions
    are lookups of one record ("wat is het crebo van X en op welk niveau zit die?": the
    record's answer says both), or all get the same answer; and not when nothing was
    understood (then "Bedoelde je…?" is the better reply).
    """
    asked = questions(parts, threshold)
    if len(asked) < 2:
        return False
    understood = [part for part in asked if part.understood(threshold)]
    if not understood:
        return False
    if len({part.record for part in asked if part.lookup and part.record}) > 1:
        return True
    # "welke niveaus kent Productietechniek, en hoeveel uur per week werk je dan?": one part the
    # sources do not hold, another they do: each its own answer, or one swallows the other.
    if (any(part.label == NOT_IN_SOURCES for part in understood) and len({part.label for part in understood}) > 1
            and all(len(normalise(part.text).split()) >= MIN_WORDS_OF_A_QUESTION for part in understood)):
        return True  # (not "… voor comm. technicus engineering": a name cut off by an abbreviation's dot)
    def named_before(part: Part) -> bool:  # by a question or a statement before it ("Ik wil X doen. Welk crebo …?")
        return any(p.record or p.label in LISTS for p in parts[:parts.index(part)])

    if any(part.lookup and not part.record and part.label not in WHOLE_DATASET_LOOKUPS and not named_before(part)
           for part in asked[1:]):
        return False  # (but "welke zijn er op niveau 2, en wat is van elk het crebo?" points into a list: two answers)
    # An FAQ question and a lookup, each understood, need two answers however sure the whole is
    # ("wanneer starten scholen met de nieuwe dossiers, en wat is het dossiernummer van engineering?").
    faq_and_lookup = (any(part.lookup for part in understood)
                      and any(part.label.startswith("faq/") and not part.lookup for part in understood))
    # Two lookups that ask different things ("hoeveel zijn er op niveau 4? o ja en welk dossiernummer
    # heeft Engineering?"): two answers, however surely the whole is read as one of them.
    lookups_apart = len({part.label for part in understood if part.lookup}) > 1
    if whole_confidence >= max(part.confidence for part in asked) and not (faq_and_lookup or lookups_apart
                                                                          or faq_questions_apart(asked, threshold)):
        return False
    if len(understood) < len(asked):
        missed = [part for part in asked if not part.understood(threshold)]
        return all(len(normalise(part.text).split()) >= MIN_WORDS_OF_A_QUESTION for part in missed)
    if (all(part.lookup for part in asked) and any(part.record for part in asked)
            and not any(part.label in LISTS for part in asked if not part.record)):
        return False  # of one record: its answer says both (not "hoeveel niveau 4 zijn er en wat is het crebo van X?")
    return len({part.label for part in asked}) > 1  # "hoeveel niveaus zijn er en welke zitten op niveau 2?"
