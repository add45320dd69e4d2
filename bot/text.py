"""Pure helpers for user text, Dutch or English: normalising names, levels and crebo numbers.

Levels and question openings are closed vocabularies, read the same way in both languages:
"niveau 4", "N4", "mbo-2", "niveau vier" and "level 4", "lvl 2", "L4", "level four"; a
question opens with "hoe lang", "welke", "is er" or "how long", "which", "is there".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

LEVEL_WORDS: Dict[int, str] = {1: "een", 2: "twee", 3: "drie", 4: "vier"}
ENGLISH_LEVEL_WORDS: Dict[int, str] = {1: "one", 2: "two", 3: "three", 4: "four"}
# Small numbers written out, in both languages: counts ("negen kwalificaties") and years ("drie jaar").
NUMBER_WORDS: Dict[str, int] = {
    **{word: n for n, word in enumerate("een twee drie vier vijf zes zeven acht negen tien elf twaalf".split(), 1)},
    **{word: n for n, word in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)},
}


def number_value(word: str) -> int:
    """'7' → 7, 'negen' → 9, 'three' → 3: a digit or a written-out number of NUMBER_WORDS."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word]
# A level's value: a digit, a number word, a Roman numeral. In English no Roman "i": "what level I
# should take" names no level.
_LEVEL_VALUE = r"[1-4]|een|één|twee|drie|vier|i{1,3}|iv"
_ENGLISH_LEVEL_VALUE = r"[1-4]|one|two|three|four|ii|iii|iv"
_DUTCH_LEVEL = rf"(?:mbo[\s-]*niveau|niveau|nivo|mbo|n)[\s-]*(?P<level>{_LEVEL_VALUE})"
_ENGLISH_LEVEL = rf"(?:mbo[\s-]*level|levels?|lvl|lv|l(?=[\s-]*[1-4]\b))[\s-]*(?P<english>{_ENGLISH_LEVEL_VALUE})"
# A level as people write it in Dutch: 'niveau 4', 'N4', 'mbo-2', 'niveau vier', 'mbo niveau iii'.
# The ask model masks levels with it (bot/knowledge/asked.py): Dutch only, so that its training
# stays as it was; BILINGUAL_LEVEL_PATTERN would mask English levels too.
LEVEL_PATTERN = re.compile(rf"\b{_DUTCH_LEVEL}\b")
# … in Dutch or in English: 'level 4', 'lvl 2', 'level four', 'mbo level 3' and 'L4' ("l" only
# before a digit). What parse_level and parse_levels read.
BILINGUAL_LEVEL_PATTERN = re.compile(rf"\b(?:{_DUTCH_LEVEL}|{_ENGLISH_LEVEL})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DIGIT_RUNS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = decomposed if decomposed.isascii() else "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", without_marks).strip()


# Chat shorthand for the words the models learn from ("hoeveel kwal heeft …", "welk nivo").
_SHORTHAND = {"kwal": "kwalificatie", "kwals": "kwalificaties", "kwali": "kwalificatie", "kwalie": "kwalificatie",
              "kwalis": "kwalificaties", "kwalies": "kwalificaties", "opl": "opleiding",
              "opls": "opleidingen", "nivo": "niveau", "nivos": "niveaus", "wrm": "waarom", "t": "het", "mn": "mijn",
              "zn": "zijn", "vd": "van de", "ivm": "in verband met",
              "crebos": "crebo s"}  # the plural without its apostrophe, as "crebo's" is read


# A plural written with an apostrophe, normalised into two words: "kwali's" → "kwali s".
_APOSTROPHE_PLURAL = re.compile(r"\b(kwali|kwal|kwalificatie|opl) s\b")


def expand_shorthand(clean: str) -> str:
    """Normalised text with chat shorthand written out."""
    clean = _APOSTROPHE_PLURAL.sub(lambda found: found.group(1) + "s", clean)
    return " ".join(_SHORTHAND.get(word, word) for word in clean.split())


def parse_level(text: str) -> Optional[int]:
    """'niveau 4', 'N4', 'mbo-2', 'niveau vier', 'level 4', 'lvl two', '3' → the level; otherwise None."""
    cleaned = normalise(text)
    if cleaned in {"1", "2", "3", "4"}:
        return int(cleaned)
    match = BILINGUAL_LEVEL_PATTERN.search(cleaned)
    if not match:
        return None
    return _level_value(match.group("level") or match.group("english"))


# The levels after the first in "niveau 2 of 3", "n2 en n3", "niveau 2, 3 of 4".
# No number of years: "duurt niveau 4 vier jaar?" names one level.
# A number word only after "of", "en", "tot" or a level word, and not "een" after them ("niveau 2 en 3
# een aparte kerntaak", "niveau 2 of een hoger niveau" name no level 1).
_MORE_LEVELS = re.compile(r"\s*(?:(?:of|en|tot|t m)\s*(?:niveau|nivo|n|mbo)?\s*(?P<level>[1-4]|twee|drie|vier|ii|iii|iv)"
                          rf"|(?:niveau|nivo|n|mbo)\s*(?P<named>{_LEVEL_VALUE})|(?P<digit>[1-4]))\b(?!\s*(?:jaar|jarig\w*)\b)")
# … and after an English one: "levels 2 and 3", "level 2, 3 or 4", "levels 2 to 4". No "one" or
# Roman "i" ("level 2 and I think …", "level 4 or one of …"); a number word only after "and", "or",
# "to", and no number of years ("is level 4 three years?").
_MORE_ENGLISH_LEVELS = re.compile(r"\s*(?:(?:or|and|to|through)\s*(?:levels?|lvl|l)?\s*(?P<level>[1-4]|two|three|four)"
                                  r"|(?:levels?|lvl|l)?\s*(?P<digit>[1-4]))\b(?!\s*(?:years?|yrs?)\b)")
_LEVEL_OF_WORD = {word: level for words in (LEVEL_WORDS, ENGLISH_LEVEL_WORDS) for level, word in words.items()}


def _level_value(value: str) -> int:
    value = value.replace("één", "een")
    if value.isdigit():
        return int(value)
    if value in _ROMAN:
        return _ROMAN[value]
    return _LEVEL_OF_WORD[value]


# Words that rule out what follows ("niet de commerciële", "except the commercial one"); after
# normalise, "isn't" is "isn t".
NEGATION_WORDS = ("niet", "geen", "behalve", "zonder", "not", "isn t", "isnt", "aren t", "arent", "doesn t", "doesnt",
                  "except", "without")


# "een lager niveau dan 4" is "lager dan niveau 4": a level compared, its word before "dan".
COMPARED_LEVEL = re.compile(r"\b(lager|hoger|lower|higher) (niveau|nivo|level) (dan|than) ")


def level_words_in_order(cleaned: str) -> str:
    """'lager niveau dan 4' → 'lager dan niveau 4', so the level is read with its word."""
    return COMPARED_LEVEL.sub(r"\1 \3 \2 ", cleaned)


def parse_levels(text: str) -> List[int]:
    """Every level a message names, in order: 'is het niveau 2 of 3' → [2, 3]."""
    cleaned = level_words_in_order(normalise(text))
    levels: List[int] = []
    read_until = 0  # levels read as the tail of an earlier one are not read again: linear time
    for match in BILINGUAL_LEVEL_PATTERN.finditer(cleaned):
        if match.start() < read_until:
            continue
        found, at = [_level_value(match.group("level") or match.group("english"))], match.end()
        following = _MORE_ENGLISH_LEVELS if match.group("english") else _MORE_LEVELS
        while (more := following.match(cleaned, at)) is not None and more.group(0).strip():
            found.append(_level_value(more.group("level") or more.groupdict().get("named") or more.group("digit")))
            at = more.end()
        read_until = at
        levels += found
    return list(dict.fromkeys(levels))  # each once: "niveau 4 of 4" is one level


# A sentence opens as a question: "hoe lang duurt …", "is er …", "onder welk dossier …"; "how long
# does …", "is there …", "under which dossier …". Not "was" or "had": Dutch statements open with them.
_QUESTION_OPENING = re.compile(
    # after words that only join it to what came before, any number of them: "en btw wat is …", "o ja, en …"
    r"^((en|maar|dus|ok\w*|prima|oke|ook|daarnaast|verder|tevens|btw|trouwens|overigens|o ja|oja|ps|nog een vraag|"
    r"and|but|so|also|plus|then|right|alright|great|thanks|thank you|besides|additionally|furthermore|please|pls|"
    r"by the way|oh and) )*"
    r"((in|onder|bij|op|van|voor|met|tot|uit|na) (welk\w*|wat|wie|hoeveel)|ik wil (ook |graag )?weten|"
    # an indirect question: "daarnaast zou ik graag het crebonummer weten", "wil ik weten welke …"
    r"(wil|zou) ik (?=.{0,100}\bweten\b)|ik (vraag|vroeg) me af|(vraag|vroeg) ik me af|ik ben benieuwd|graag zou ik|"
    r"ik hoor graag|"
    r"wat|welk\w*|wie|waar\w*|wanneer|hoe\w*|waarom|wrm|hoezo|is|zijn|kan|kun\w*|mag|moet\w*|heeft|hebben|bestaat|"
    r"wordt|worden|komt|komen|zit|zitten|valt|hoort|duurt|geldt|klopt|weet|graag|noem|geef|vertel|zoek|zet|zetten|"
    r"gaat|gaan|krijg\w*|blijft|blijven|sluit\w*|"
    r"(in|under|at|of|for|with|to|from|on|into|by) (which|what|whom|how)|i (want|wanna|would like|d like|need) to know|"
    r"i wonder|what|whats|which|who|whos|whom|whose|where|wheres|when|how|hows|why|are|am|were|do|does|did|can|could|will|would|should|"
    r"shall|may|might|must|has|have|isn|aren|don|doesn|didn|cant|won t|wont|wasn|weren|hasn|haven|isnt|arent|dont|doesnt|"
    r"tell|give|list|show|name|explain|describe)\b")


# A question someone asks through the writer, anywhere in the sentence: "Collega's vragen me steeds wat er
# met Precisietechniek gebeurt.", "Ouders willen weten of …", "my students ask me what happens to …".
_INDIRECT_QUESTION = re.compile(
    r"\b(vragen|vraagt|vroegen|vroeg) (me|mij|ons|jou|je|zich)( vaak| steeds| telkens)?( af)? "
    r"(wat|welk\w*|wie|waar\w*|wanneer|hoe\w*|waarom|of)\b"
    r"|\b(willen|wil|wilden|wilde|wou) (graag |ook )?weten (wat|welk\w*|wie|waar\w*|wanneer|hoe\w*|waarom|of)\b"
    # a request for a fact: "Ook zouden we graag het crebonummer weten.", "ik ben benieuwd naar het niveau"
    r"|\b(zou|zouden|wil|willen|wilde|wou|wilden) (ik |we |wij |u |jullie )?(ook |nog )?graag\b.{0,60}\b(weten|horen|hebben|krijgen|ontvangen)\b"
    r"|\bbenieuwd (naar|wat|welk\w*|hoe\w*|of|wanneer|waar\w*)\b"
    r"|\b(ask|asks|asked|wonder|wonders|want to know|wants to know) (me |us |you )?(what|which|who|where|when|how|why|whether|if)\b")


def looks_like_a_question(sentence: str) -> bool:
    """It ends with "?", opens as a question or asks one through the writer; "Ik snap er weinig van." and
    "My son is in year 4." are statements."""
    clean = normalise(sentence)
    return sentence.rstrip().endswith("?") or bool(_QUESTION_OPENING.search(clean) or _INDIRECT_QUESTION.search(clean))


def number_candidates(text: str) -> List[str]:
    """Every run of digits in the text, in order (for crebo numbers typed oddly)."""
    return _DIGIT_RUNS.findall(text)


NEAR_DUPLICATE_RATIO = 0.9
SHARED_WORDS = 0.8


def _one_word_apart(a: List[str], b: List[str]) -> bool:
    """The same words but one: one changed, added or left out."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 3:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return len(a) - start - end <= 1 and len(b) - start - end <= 1


@dataclass(frozen=True)
class _Prepared:
    """A normalised text with its words and word set, made once however often it is compared."""

    text: str
    words: Tuple[str, ...]
    word_set: FrozenSet[str]

    @classmethod
    def of(cls, normalised: str) -> "_Prepared":
        words = tuple(normalised.split())
        return cls(normalised, words, frozenset(words))


def _near(a: _Prepared, b: _Prepared) -> bool:
    if a.text == b.text:
        return True
    if a.word_set == b.word_set or _one_word_apart(list(a.words), list(b.words)):
        return True
    # They share 80% of their words (of the longer one's), when there are enough words to say so.
    smaller, larger = sorted((len(a.word_set), len(b.word_set)))
    if smaller >= 4 and smaller >= SHARED_WORDS * larger and len(a.word_set & b.word_set) >= SHARED_WORDS * larger:
        return True
    # Cheap upper bounds first: almost every pair is far apart.
    if 2 * min(len(a.text), len(b.text)) < NEAR_DUPLICATE_RATIO * (len(a.text) + len(b.text)):
        return False
    matcher = SequenceMatcher(None, a.text, b.text)
    return matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO and matcher.ratio() >= NEAR_DUPLICATE_RATIO


def is_near_duplicate(first: str, second: str) -> bool:
    """Whether two questions are the same question for a leak check: equal once normalised
    (case, accents, punctuation), the same set of words, one word apart ("wat is crebo 25894"
    and "wat is crebo 25896"), sharing 80% of their words, or a difflib ratio of at least 0.9
    ("diploma overal gelijk?" and "diploma's overal gelijk?")."""
    return _near(_Prepared.of(normalise(first)), _Prepared.of(normalise(second)))


def _shared_words_prefix(prepared: _Prepared, rank: Dict[str, Tuple[int, str]]) -> List[str]:
    """The rarest words of a text, enough that a text sharing SHARED_WORDS of the longer one's
    words shares one of them (prefix filtering): of n words at least ⌈0.8 n⌉ are shared, so
    one of any n − ⌈0.8 n⌉ + 1 of them is, and in one global order both texts' rarest few
    hold the first word they share."""
    size = len(prepared.word_set)
    needed = int(-(-(SHARED_WORDS * size) // 1))  # ⌈0.8 n⌉, in the float arithmetic of `_near`
    return sorted(prepared.word_set, key=lambda word: rank.get(word, (0, word)))[:size - needed + 1]


def _one_word_apart_keys(words: Tuple[str, ...]) -> Tuple[List[tuple], List[tuple]]:
    """Keys two texts one word apart share: (the same length) each with the same word left
    blank; (one word longer) the longer with a word left out, the shorter whole."""
    blanked = [("=", words[:i] + (None,) + words[i + 1:]) for i in range(len(words))]
    shortened = [("-", words[:i] + words[i + 1:]) for i in range(len(words))]
    return blanked, shortened


class NearDuplicateIndex:
    """A corpus prepared for `near_duplicate_pairs`: each question is compared in full
    (`_near`) only with the corpus texts that can be near it, found by indexes that miss none
    of them: the text, the word set, the keys of texts one word apart, the rarest words for
    texts sharing 80% of their words, and for the difflib ratio an upper bound over all texts
    at once (the length and the letters in common: what SequenceMatcher.quick_ratio counts)."""

    def __init__(self, corpus: Iterable[str]) -> None:
        import numpy as np

        self.texts = list(corpus)
        self.prepared = [_Prepared.of(normalise(text)) for text in self.texts]
        self._by_key: Dict[tuple, List[int]] = {}
        frequency: Dict[str, int] = {}
        for prepared in self.prepared:
            for word in prepared.word_set:
                frequency[word] = frequency.get(word, 0) + 1
        # Rarest first, then alphabetical; a word the corpus lacks comes before all (it is shared with none).
        self._rank = {word: (count, word) for word, count in frequency.items()}
        for i, prepared in enumerate(self.prepared):
            keys = [("text", prepared.text), ("set", prepared.word_set)]
            if len(prepared.words) >= 3:  # _one_word_apart needs three words in the shorter text
                blanked, shortened = _one_word_apart_keys(prepared.words)
                keys += blanked + [("-", prepared.words)] + (shortened if len(prepared.words) >= 4 else [])
            if len(prepared.word_set) >= 4:
                keys += [("shares", word) for word in _shared_words_prefix(prepared, self._rank)]
            for key in dict.fromkeys(keys):
                self._by_key.setdefault(key, []).append(i)
        self._alphabet = {c: j for j, c in enumerate(sorted({c for p in self.prepared for c in p.text}))}
        self._lengths = np.array([len(p.text) for p in self.prepared], dtype=np.int64)
        self._letters = np.zeros((len(self.prepared), len(self._alphabet)), dtype=np.int64)
        for i, prepared in enumerate(self.prepared):
            for c in prepared.text:
                self._letters[i, self._alphabet[c]] += 1

    def _candidates(self, target: _Prepared) -> List[int]:
        """Every corpus position that may be near `target`, in corpus order (and some that are not)."""
        import numpy as np

        keys = [("text", target.text), ("set", target.word_set)]
        if len(target.words) >= 3:
            blanked, shortened = _one_word_apart_keys(target.words)
            # the same length with one word blank; the corpus text a word longer; a word shorter
            keys += blanked + [("-", target.words)] + (shortened if len(target.words) >= 4 else [])
        if len(target.word_set) >= 4:
            keys += [("shares", word) for word in _shared_words_prefix(target, self._rank)]
        found = {i for key in keys for i in self._by_key.get(key, ())}
        # The difflib path of `_near`: both bounds a little looser than there, so none is missed.
        length = len(target.text)
        close = 2 * np.minimum(self._lengths, length) >= NEAR_DUPLICATE_RATIO * (self._lengths + length) - 1e-9
        rows = np.flatnonzero(close)
        if len(rows):
            letters = np.zeros(len(self._alphabet), dtype=np.int64)
            outside = 0  # letters the corpus has none of: never in common
            for c in target.text:
                if c in self._alphabet:
                    letters[self._alphabet[c]] += 1
                else:
                    outside += 1
            common = np.minimum(self._letters[rows], letters).sum(axis=1)
            bound = 2.0 * common >= NEAR_DUPLICATE_RATIO * (self._lengths[rows] + length) - 1e-9
            found.update(rows[bound].tolist())
        return sorted(found)

    def pairs(self, questions: Iterable[str]) -> List[Tuple[str, str]]:
        """Every (question, corpus text) pair that `is_near_duplicate`, questions in order,
        then corpus texts in order."""
        pairs = []
        for question in questions:
            target = _Prepared.of(normalise(question))
            pairs += [(question, self.texts[i]) for i in self._candidates(target) if _near(target, self.prepared[i])]
        return pairs


def near_duplicate_pairs(questions: Iterable[str], corpus: Iterable[str]) -> List[Tuple[str, str]]:
    """Every (question, corpus text) pair that `is_near_duplicate`."""
    return NearDuplicateIndex(corpus).pairs(questions)
