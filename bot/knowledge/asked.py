"""What a message asks of a record: a learned model over the message with its names masked.

The dataset reader (bot/knowledge/reader.py) finds what is closed vocabulary: numbers, level
notations, the names in the dataset. What is *asked* is open: every new phrasing would need
a new regular expression. So a small multi-label model learns it from the labelled examples
in data/asks.yml, including an explicit label for what neither the dataset nor the FAQ holds
(cost, salary, schools, admission, …), with its topic so the answer can name what was asked.

Names, numbers and levels are masked before the model sees a message ("wat kost technicus
mechatronica per jaar" → "wat kost xnaamx per jaar"), so it learns the words around a
name, not the nine names. Rasa-free, so both servers, `make tune` and the tests read a message
the same way. Its settings come from config.yml (bot/settings.py), chosen by cross-validation
(`make tune`). Training takes a few seconds, which every process would pay at start-up; so
the fitted model is kept in var/ask-model/ under a digest of everything it was trained from,
and a process whose inputs have that digest loads it instead (`rasa train` writes it first).
"""
from __future__ import annotations

import enum
import hashlib
import logging
import pickle
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Collection, Dict, FrozenSet, List, Optional, Sequence, Tuple

import yaml

from bot import PROJECT_DIR
from bot.language import DUTCH, ENGLISH
from bot.private_files import make_private_directory, narrow, new_private_file
from bot.settings import AskSettings, ask_settings
from bot.text import LEVEL_PATTERN, expand_shorthand, normalise

EXAMPLES_PATH = PROJECT_DIR / "data" / "asks.yml"
# Questions that ask none of these: every FAQ and small-talk question, in both languages (the model
# runs on them too); of data/nlu/english.yml its lookups are left out (they ask a fact).
NEGATIVE_PATHS = (PROJECT_DIR / "data" / "nlu.yml", PROJECT_DIR / "data" / "nlu" / "smalltalk.yml",
                  PROJECT_DIR / "data" / "nlu" / "menu.yml", PROJECT_DIR / "data" / "nlu" / "english.yml")
# Every example question of the NLU data: a word none of them (nor data/asks.yml) has is unknown to the
# assistant (AskModel.unknown_words), whichever file the example is in ("which level is …" is in english.yml).
VOCABULARY_PATHS = (PROJECT_DIR / "data" / "nlu.yml", *sorted((PROJECT_DIR / "data" / "nlu").glob("*.yml")))
FITTED_DIR = PROJECT_DIR / "var" / "ask-model"
# The code that turns the examples into the model's input: a change to it is a new model.
_TRAINING_CODE = (Path(__file__), PROJECT_DIR / "bot" / "text.py", PROJECT_DIR / "bot" / "knowledge" / "search.py")

logger = logging.getLogger(__name__)


class Ask(str, enum.Enum):
    """What a message asks of a record or a level."""

    CREBO = "crebo"
    LEVEL = "level"
    DOSSIER = "dossier"
    DURATION = "duration"
    LEERWEG = "leerweg"
    LIST = "list"
    COUNT = "count"
    EXISTS = "exists"
    CHECK = "check"
    NOT_HELD = "not_held"  # something neither the dataset nor the FAQ holds (cost, salary, schools, …)


# What a not-held question asks about; the honest answer names it (bot/knowledge/not_held.py).
OTHER_TOPIC = "other"
OLD_NUMBERS_TOPIC = "old_numbers"  # set by the reader (closed vocabulary), not learned
EVENTS_TOPIC = "events"  # a school's open days and information evenings: set by the reader too
# A school's events ("wanneer is de open dag?", "is er een meeloopdag?"), asked or in an answer: both languages.
SCHOOL_EVENTS = re.compile(r"\b(open ?dag\w*|meeloopdag\w*|proefstudeer\w*|voorlichtingsavond\w*|voorlichtingsdag\w*|"
                           r"informatieavond\w*|inschrijfavond\w*|kennismakingsdag\w*|open days?|"
                           r"open evenings?|taster days?)\b")
# Ways to follow a programme that the sources never speak of (they speak of BOL and BBL only): a
# closed vocabulary, both languages.
STUDY_FORMS_TOPIC = "study_forms"
STUDY_FORMS = re.compile(r"\b(deeltijd\w*|avondopleiding\w*|avondschool\w*|avondstudie\w*|s avonds|avondles\w*|"
                         r"parttime|part time|afstandsonderwijs|op afstand|thuisstudie|online (volgen|studeren|opleiding)|"
                         r"evening (classes|course|programme)|distance learning|online (course|programme))\b")
# What no FAQ answer is about (the sources never speak of cost, pay, which schools, admission,
# subsidies, job prospects, open days or the crebo numbers of before the revision; a test holds the
# answers to it): a question about one of these is not held even when the FAQ classifier half-matches it.
NEVER_IN_THE_FAQ = frozenset({"cost", "salary", "schools", "admission", "subsidy", "prospects", EVENTS_TOPIC, OLD_NUMBERS_TOPIC,
                              STUDY_FORMS_TOPIC})
DURATION_ASKED = "duration"
CONTACT_DETAILS = "contact"  # a phone number, e-mail address or contact person, asked in so many words
EXACT_DATE = "date"  # the day itself ("op welke datum precies?"), beside the topic "dates" (open days, start, exams)
# The kind of fact a topic asks, as it would read in an FAQ answer that gives it: an answer
# without it leaves the question open ("hoeveel kost een examen van Esmei?" → the answer on Esmei
# names no cost). Topics no answer is about never match; "content" and "other" cannot be told.
_FACT_IN_AN_ANSWER = {
    # (money, not "hoeveel studiebelastingsuren dat kost")
    "cost": re.compile(r"€|\beuro|\bkosten\b|\bkostprijs|\blesgeld|\bbedrag|\bprijs|\bbetal|\btarie"),
    # (or the answer speaks of them: "hoeveel studiebelastingsuren dat kost, is een eigen keuze")
    "hours": re.compile(r"\b\d+\s*(uur|uren|klokuren|studiebelastingsuren)\b|\b(uur|uren) per\b|\b(studiebelastingsuren|klokuren)\b"),
    "admission": re.compile(r"\b(toelat\w*|vooropleiding\w*|instroomeis\w*|toegelaten)\b"),
    "statistics": re.compile(r"\b\d+\s*(%|procent|studenten|leerlingen|deelnemers|scholen)\b|\bpercentage"),
    "dates": re.compile(r"\b(19|20)\d\d\b|\b(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
                        r"november|december|schooljaar|voorjaar|najaar|zomer)\b"),
    OLD_NUMBERS_TOPIC: re.compile(r"\b\d{5}\b"),
    EVENTS_TOPIC: SCHOOL_EVENTS,
    STUDY_FORMS_TOPIC: STUDY_FORMS,
    # Not a topic but a fact of the dataset: how long a process takes ("hoe lang duurt het omzetten?")
    DURATION_ASKED: re.compile(r"\b(\d+|een|twee|drie|vier|half|halve)\s*(jaar|jaren|maand\w*|week|weken|dag|dagen)\b|jarig"),
    # Details asked in so many words (_DETAIL_ASKED below)
    CONTACT_DETAILS: re.compile(r"\b\d{2,4}[ -]?\d{6,8}\b|@"),
    "link": re.compile(r"https?://|www\."),
}


# Details a question about an FAQ subject may ask in so many words, beside what the ask model reads
# (it learns FAQ-like questions as asking nothing): a closed vocabulary, both languages; what an FAQ
# answer that gives the detail reads like is in _FACT_IN_AN_ANSWER.
_DETAIL_ASKED = {
    CONTACT_DETAILS: re.compile(r"\b(telefoonnummer\w*|telefoon|telnr|tel nr|telefoonnr|bellen|e ?mail\w*|mailadres\w*|contactgegevens|contactpersoon|"
                          r"phone( number)?|email address|contact details|contact person)\b"),
    "link": re.compile(r"\b(url|link|website|webpagina|inloggen|log ik in|login|downloaden|download\w*|log in)\b"),
    "statistics": re.compile(r"\bhoeveel (mensen|personen|deelnemers|bezoekers|studenten|leerlingen|scholen|bedrijven|docenten)\b"
                             r"|\bhow many (people|participants|visitors|students|pupils|schools|companies|teachers)\b"
                             r"|\b(welk|hoeveel) (percentage|procent)\b|\bwhat percentage\b"),
    "hours": re.compile(r"\bhoeveel (uur|uren|klokuren|studiebelastingsuren)\b|\bhow many hours\b"),
}


def detail_asked(clean: str) -> Optional[str]:
    """'heb je de link naar oZone?' → 'link': a detail the question asks in so many words, or None."""
    return next((kind for kind, pattern in _DETAIL_ASKED.items() if pattern.search(clean)), None)


def the_answer_leaves_out(topic: Optional[str], answer: str) -> bool:
    """Whether an FAQ answer (its Dutch text) gives no fact of the kind `topic` asks for."""
    if topic in NEVER_IN_THE_FAQ:
        return not (topic in _FACT_IN_AN_ANSWER and _FACT_IN_AN_ANSWER[topic].search(answer.lower()))
    pattern = _FACT_IN_AN_ANSWER.get(topic or "")
    return pattern is not None and not pattern.search(answer.lower())


def can_be_checked(topic: Optional[str]) -> bool:
    """Whether the_answer_leaves_out can tell for `topic` ("content" and "other" it cannot)."""
    return topic in _FACT_IN_AN_ANSWER or topic in NEVER_IN_THE_FAQ


TOPICS = ("cost", "salary", "schools", "admission", "hours", "subsidy", "prospects", "statistics", "dates",
          "content", OLD_NUMBERS_TOPIC, EVENTS_TOPIC, STUDY_FORMS_TOPIC, OTHER_TOPIC)

# How the honest answer names what was asked; a topic the model is unsure of is not named.
# Each starts with a capital: the response goes on "… staat niet in mijn bronnen" / "… is not in my sources".
TOPIC_PHRASES = {
    "cost": "Wat de opleiding kost (lesgeld, boeken, gereedschap)",
    "salary": "Wat je ermee verdient (loon of stagevergoeding)",
    "schools": "Welke scholen de opleiding aanbieden, en waar",
    "admission": "Welke toelatingseisen of vooropleiding er gelden",
    "hours": "Hoeveel uur les, stage of werk er per week is",
    "subsidy": "Welke subsidies of vergoedingen er zijn",
    "prospects": "Wat je kansen op werk of doorstuderen zijn",
    "statistics": "Cijfers over studenten (aantallen, uitval, slagingspercentages, klassen)",
    "dates": "Data van open dagen, inschrijving, start of examens",
    "content": "Wat je precies leert (vakken, machines, stagebedrijven, boeken)",
    "old_numbers": "Welke crebonummers de opleidingen vóór de herziening hadden",
    "events": "Wanneer er open dagen, meeloopdagen of voorlichtingen zijn",
    "study_forms": "Of je de opleiding ook in deeltijd, 's avonds of op afstand kunt volgen",
    "other": "Het antwoord op deze vraag",
}
TOPIC_PHRASES_EN = {
    "cost": "What the programme costs (tuition, books, tools)",
    "salary": "What you earn with it (wages or internship allowance)",
    "schools": "Which schools offer the programme, and where",
    "admission": "Which admission requirements or prior education apply",
    "hours": "How many hours of lessons, internship or work there are per week",
    "subsidy": "Which subsidies or allowances there are",
    "prospects": "What your chances of work or further study are",
    "statistics": "Figures about students (numbers, dropout, pass rates, classes)",
    "dates": "Dates of open days, enrolment, start or exams",
    "content": "What exactly you learn (subjects, machines, internship companies, books)",
    "old_numbers": "Which crebo numbers the programmes had before the revision",
    "events": "When there are open days, taster days or information evenings",
    "study_forms": "Whether you can follow the programme part-time, in the evening or remotely",
    "other": "The answer to this question",
}
PHRASES: Dict[str, Dict[str, str]] = {DUTCH: TOPIC_PHRASES, ENGLISH: TOPIC_PHRASES_EN}
GENERIC_PHRASE = TOPIC_PHRASES["other"]
TOPIC_CONFIDENCE = 0.5


def what_was_asked(topic: Optional[str], confidence: float, language: str = DUTCH) -> str:
    """'Wat de opleiding kost (…)': what a not-held question asked, as the answer names it, in
    `language` ('nl' or 'en')."""
    phrases = PHRASES.get(language, TOPIC_PHRASES)
    return phrases.get(topic or "", phrases["other"]) if confidence >= TOPIC_CONFIDENCE else phrases["other"]


NAME_TOKEN = "xnaamx"
NUMBER_TOKEN = "xnummerx"
LEVEL_TOKEN = "xniveaux"
# Name words that are also ordinary words: masked only as part of a whole name ("de eerste").
_COMMON_NAME_WORDS = frozenset({"eerste", "1e", "all", "round", "maker", "instrument"})
_PLACEHOLDERS = frozenset({NAME_TOKEN, NUMBER_TOKEN, LEVEL_TOKEN})
# With the prepositions of a follow-up that only moves to another record: "en bij mechatronica?",
# "and for engineering?".
_CONNECTIVES = frozenset("en of dan dus ok oke okay nou ook nog de het een die bij voor in van met over op "
                         "and or then so also the a for in of with at about "
                         # "en als ze toch voor mechatronica kiest?", "and what if he picks engineering?"
                         "als ik je ze hij zij we toch liever kiest kies kiezen gaat ga gaan doet doe doen wil wilt "
                         "what if he she they picks pick chooses choose goes takes instead".split())
# Words that only point at a record or a list item ("en de laatste?", "and the one above it?",
# "what about the highest one?", "wat is de hoogste opleiding van X?"): a closed vocabulary. A
# message of only these (with at least one pointer) asks nothing more than which record.
_POINTERS = frozenset(
    "daarvan ervan hiervan daarbij erbij hierbij daarin erin hierin daarboven daaronder erboven eronder laatste eerste tweede derde vierde "
    "middelste midden hoogste laagste hoogst laagst bovenste onderste andere volgende vorige boven onder "
    "one ones last first second third fourth middle highest lowest top bottom other next previous above below "
    "under hetzelfde zelfde dezelfde same bovenaan onderaan "
    # the same question at another time: "en daarvoor?", "and before that?"
    "daarvoor daarna vroeger voorheen toen nu straks tegenwoordig before earlier previously now later formerly".split())
_POINTING_FRAME = frozenset(
    "wat met van over is welk welke opleiding kwalificatie die deze dat dit daar uit lijst rijtje lijstje overzicht opsomming niveau "
    "and or then so the a an what about how of which qualification programme course it its that this those these "
    "from list level zijn er staat staan heet heten waren was are there "
    # the record itself in other words: "hoe heet de niveau 3-versie daarvan?"
    "hoe versie versies variant varianten uitvoering "
    # its name asked in so many words: "en die bovenste, hoe heet die voluit?", "what is it called exactly?"
    "precies exact voluit officieel officiele eigenlijk called exactly officially".split())
_FIVE_DIGITS = re.compile(r"\b\d{5}\b")
# Shorter words are mostly function words and abbreviations, of which a new one says little.
UNKNOWN_WORD_LENGTH = 5
_FUZZY_WORD = 0.85


# A record pointed at by what it has ("het dossier met maar twee kwalificaties", "die met research in de naam") is a
# name too: what is asked is around it, not in it ("…, wat verdien je daarmee?" asks a salary, not a count).
_POINTED_AT_BY_A_PROPERTY = re.compile(
    r" met (de |het )?(meeste|minste) (kwalificaties|opleidingen|niveaus)\b"
    r"| met (maar |slechts |alleen |precies |nog )?(een|één|twee|drie|vier|\d) (kwalificaties?|opleidingen?|niveaus?)\b"
    r"| met ([\w-]+ ){1,2}(in de naam|in zijn naam|in de titel|erin)\b"
    r"| with (the )?(most|fewest|least) (qualifications|programmes|levels)\b"
    r"| with ([\w-]+ ){1,2}in (the|its) name\b")


class NameMasker:
    """Replaces the dataset's names (in any spelling), 5-digit numbers and levels by tokens."""

    def __init__(self, names: Sequence[str]) -> None:
        from bot.knowledge.search import FILLER_WORDS

        self._names = sorted({normalise(name) for name in names}, key=len, reverse=True)
        # Not the words of aliases that name a kind of thing ("dossier", "kd"): "welke dossiers zijn er?"
        self._words = tuple(sorted({word for name in self._names for word in name.split()
                                    if len(word) > 3 and word not in _COMMON_NAME_WORDS and word not in FILLER_WORDS}))

    def mask(self, text: str) -> str:
        clean = _FIVE_DIGITS.sub(f" {NUMBER_TOKEN} ", expand_shorthand(normalise(text)))
        clean = LEVEL_PATTERN.sub(f" {LEVEL_TOKEN} ", clean)
        padded = f" {' '.join(clean.split())} "
        for name in self._names:
            padded = padded.replace(f" {name} ", f" {NAME_TOKEN} ")
            padded = padded.replace(f" {name} ", f" {NAME_TOKEN} ")  # adjacent repeats
        words = [NAME_TOKEN if self._is_name_word(word) else word for word in padded.split()]
        words = _POINTED_AT_BY_A_PROPERTY.sub(f" {NAME_TOKEN} ", f" {' '.join(words)} ").split()
        # "technicus xnaamx" → one name
        collapsed = [w for i, w in enumerate(words) if not (w == NAME_TOKEN and i and words[i - 1] == NAME_TOKEN)]
        return " ".join(collapsed)

    def _is_name_word(self, word: str) -> bool:
        return len(word) > 3 and _matches_a_name_word(word, self._words)


@lru_cache(maxsize=4096)
def _matches_a_name_word(word: str, vocabulary: Tuple[str, ...]) -> bool:
    from bot.knowledge.search import spelling_key

    if word in vocabulary or word.rstrip("s") in vocabulary or (word.endswith("e") and word[:-1] in vocabulary):
        return True  # "instrumentmakers", "commerciële" → "commerciele"
    key = spelling_key(word)
    matcher = SequenceMatcher(None, key, "")
    for name_word in vocabulary:
        matcher.set_seq2(spelling_key(name_word))
        if matcher.real_quick_ratio() >= _FUZZY_WORD and matcher.quick_ratio() >= _FUZZY_WORD and matcher.ratio() >= _FUZZY_WORD:
            return True
    return False


@dataclass(frozen=True)
class Example:
    text: str
    asks: FrozenSet[Ask]
    topic: Optional[str] = None


def rasa_examples(path: Path, leave_out: Collection[str] = ()) -> List[str]:
    """The example questions of a Rasa NLU file, but those of the intents in `leave_out` (read
    without Rasa: the action server is light)."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for block in data.get("nlu") or []:
        if str(block.get("intent") or "").split("/")[0] in leave_out:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:]))  # [text](entity) → text
    return texts


def load_examples(path: Path = EXAMPLES_PATH, negatives: Sequence[Path] = NEGATIVE_PATHS) -> List[Example]:
    """The labelled examples plus the negatives; a label or topic that does not exist stops with its line."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for number, entry in enumerate(data.get("examples") or [], start=1):
        try:
            asks = frozenset(Ask(label) for label in entry.get("asks") or [] if label != "none")
        except ValueError as error:
            raise ValueError(f"{path}: example {number} ({entry.get('text')!r}): {error}") from None
        topic = entry.get("topic")
        if topic is not None and topic not in TOPICS:
            raise ValueError(f"{path}: example {number}: unknown topic {topic!r}; one of {', '.join(TOPICS)}")
        examples.append(Example(str(entry["text"]), asks, topic))
    from bot.knowledge.lookup_intents import LOOKUP_INTENTS  # (it reads Ask from the reader, which reads this)

    labelled = {normalise(example.text) for example in examples}
    examples += [Example(text, frozenset()) for negative in negatives
                 for text in rasa_examples(negative, leave_out=LOOKUP_INTENTS) if normalise(text) not in labelled]
    return examples


# What the dataset counts: the word after "hoeveel" / "how many" is one of its nouns, a level,
# or no noun at all ("hoeveel zijn er", "hoeveel daarvan"). "Hoeveel meiden kiezen …",
# "hoeveel uur stage …" count something the dataset does not hold: a closed vocabulary.
_COUNTED = re.compile(r"\b(?:hoeveel|how many)\s+(?:(?:verschillende|andere|nieuwe|different|other|new|of the)\s+)?(?P<word>\S+)")
# The dataset's nouns, whole or at the end of a compound ("techniekopleidingen"): not a compound of
# another head ("opleidingsplekken", "dossierkosten" count places and costs, which it does not hold).
_DATASET_NOUN = (r"kwal|kwals|kwalificaties?|\w*opleidingen|opleiding|\w*kwalificaties|\w*dossiers?|kd s|kds|kd|"
                 r"crebo|crebos|crebo s|crebonummers?|niveaus?|nivos?|richtingen|richting|\w*stromingen|varianten|variant|"
                 r"qualifications?|quals?|programmes?|programs?|courses?|files?|levels?|streams?|tracks?")
_DATASET_COUNTS = re.compile(
    rf"^({_DATASET_NOUN}|soorten|beroepen|stuks|er|zijn|is|zitten|zit|heeft|hebben|"
    r"daarvan|ervan|hiervan|van|blijven|bestaan|vallen|valt|kent|telt|bevat\w*|staan|waren|was|worden|jaar|jaren|"
    r"leerjaren|are|is|were|of|do|does|"
    rf"did|have|has|years?|kinds|types|{NAME_TOKEN}|{NUMBER_TOKEN}|{LEVEL_TOKEN})$")


# Counted by name: "hoeveel kwalificaties blijven er over als je Engineering weglaat?" counts the
# dataset's records, whatever else the message says (no not-held example counts these nouns).
_COUNTS_A_DATASET_NOUN = re.compile(
    r"\b(?:hoeveel|how many)\s+(?:(?:verschillende|andere|nieuwe|different|other|new|of the)\s+)?"
    rf"({_DATASET_NOUN})\b")


def counts_a_dataset_noun(masked: str) -> bool:
    return bool(_COUNTS_A_DATASET_NOUN.search(masked))


def counts_what_the_dataset_holds(masked: str) -> bool:
    """Whether a count question counts the dataset's records (or names nothing it counts)."""
    found = _COUNTED.search(masked)
    return found is None or bool(_DATASET_COUNTS.match(found.group("word")))


# Words that pick records of a list, with what they ask of them ("welke van de vijf zijn van
# engineering?", "welke twee horen bij mechatronica, crebo graag"): a closed vocabulary. A
# message of only these and the pointing words names no attribute, so it asks nothing not held.
_SELECTING = frozenset(
    "hoeveel totaal samen allemaal welke welk wie hoort horen valt vallen zit zitten behoort behoren komt komen twee drie vier vijf negen niet geen "
    "allebei beide beiden alle nummer nummers nr crebo crebonummer crebonummers crebos dossier dossiers dossiernummer "
    "kwalificatie kwalificaties opleidingen graag ajb aub wel ook maar nou eigenlijk "
    "many total together altogether which belongs belong falls fall two three four five not both all number numbers file files please".split())


def _names_only(masked: str) -> bool:
    """Names, numbers, levels and joining words, or those with pointing words (AskModel.names_only)."""
    words = masked.split()
    if words and all(word in _PLACEHOLDERS or word in _CONNECTIVES for word in words):
        return True
    return (any(word in _POINTERS for word in words)
            and all(word in _PLACEHOLDERS or word in _CONNECTIVES or word in _POINTERS or word in _POINTING_FRAME
                    for word in words))


def names_no_attribute(masked: str) -> bool:
    """Only names, levels, numbers, pointing and selecting words: nothing the sources could fail to hold."""
    words = masked.split()
    return bool(words) and all(word in _PLACEHOLDERS or word in _CONNECTIVES or word in _POINTERS
                               or word in _POINTING_FRAME or word in _SELECTING for word in words)


def decide(probabilities: Dict[Ask, float], settings: AskSettings) -> FrozenSet[Ask]:
    """The labels asked: those that reach the threshold, else not_held from its floor when it is
    the likeliest label ("zit er daar een van niveau 2 bij?" is likelier an existence question)."""
    asks = frozenset(ask for ask, p in probabilities.items() if p >= settings.threshold)
    not_held = probabilities.get(Ask.NOT_HELD, 0.0)
    if not asks and not_held >= settings.not_held_floor and not_held >= max(probabilities.values()):
        return frozenset({Ask.NOT_HELD})
    if Ask.NOT_HELD in asks and len(asks) > 1:
        # No example asks a fact and something not held at once (a message that does is cut into its
        # questions first): the likelier of the two ("welke crebonummers hebben die twee?" asks a crebo).
        facts = asks - {Ask.NOT_HELD}
        return frozenset({Ask.NOT_HELD}) if not_held > max(probabilities[ask] for ask in facts) else facts
    return asks


@dataclass(frozen=True)
class AskPrediction:
    asks: FrozenSet[Ask]
    probabilities: Dict[Ask, float]
    topic: Optional[str] = None
    topic_confidence: float = 0.0


class AskModel:
    """Multi-label logistic regression (one-vs-rest) over word and character n-grams of the
    masked text, plus a topic classifier for the not-held questions."""

    def __init__(self, masker: NameMasker, settings: AskSettings = AskSettings()) -> None:
        self.masker = masker
        self.settings = settings
        self._labels: List[Ask] = []
        self._model = None
        self._topics = None
        self._vocabulary: FrozenSet[str] = frozenset()  # every word of the masked examples
        self._long_known_words: Tuple[str, ...] = ()  # those of UNKNOWN_WORD_LENGTH or more, for the spelling match

    def _vectoriser(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        return FeatureUnion([
            ("words", TfidfVectorizer(analyzer="word", ngram_range=self.settings.word_ngrams, sublinear_tf=True,
                                      token_pattern=r"\S+")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=self.settings.char_ngrams, sublinear_tf=True)),
        ])

    def fit(self, examples: Sequence[Example]) -> "AskModel":
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline

        texts = [self.masker.mask(example.text) for example in examples]
        others = [self.masker.mask(text) for path in VOCABULARY_PATHS for text in rasa_examples(path)]
        self._know(frozenset(word for text in (*texts, *others) for word in text.split()))
        self._labels = [ask for ask in Ask if any(ask in example.asks for example in examples)]
        targets = [[int(ask in example.asks) for ask in self._labels] for example in examples]
        classifier = OneVsRestClassifier(LogisticRegression(C=self.settings.c, class_weight="balanced",
                                                            solver="liblinear", max_iter=1000))
        self._model = make_pipeline(self._vectoriser(), classifier).fit(texts, targets)
        with_topic = [(text, example.topic) for text, example in zip(texts, examples) if example.topic]
        if len({topic for _, topic in with_topic}) > 1:
            self._topics = make_pipeline(self._vectoriser(), LogisticRegression(C=self.settings.c, max_iter=2000,
                                                                                class_weight="balanced"))
            self._topics.fit([text for text, _ in with_topic], [topic for _, topic in with_topic])
        return self

    def save(self, path: Path) -> None:
        """Keep the fitted model at `path` (mode 600, complete or not at all)."""
        make_private_directory(path.parent)
        staging = new_private_file(path.parent, pickle.dumps((self._labels, self._model, self._topics, self._vocabulary)),
                                   prefix=f".{path.name}.")
        staging.replace(path)

    def load(self, path: Path) -> bool:
        """Take the fitted model kept at `path`; False when there is none or it cannot be read."""
        if not path.exists():
            return False
        narrow(path)
        try:
            # Our own file in var/ (mode 600), named by the digest of what it was trained from.
            self._labels, self._model, self._topics, vocabulary = pickle.loads(path.read_bytes())
        except Exception as error:  # an older scikit-learn's file, a half-copied one: train again
            logger.warning("The ask model in %s could not be read (%s); training it again.", path, error)
            return False
        self._know(vocabulary)
        return True

    def names_only(self, text: str) -> bool:
        """Nothing but names, numbers, levels and pointing words (and "en", "dan", …): there are no
        words to learn from ("25893?", "en mechatronica?", "and the last one?")."""
        return _names_only(self.masker.mask(text))

    def _know(self, vocabulary: FrozenSet[str]) -> None:
        self._vocabulary = vocabulary
        self._long_known_words = tuple(sorted(word for word in vocabulary if len(word) >= UNKNOWN_WORD_LENGTH))

    def unknown_words(self, questions: Sequence[str]) -> Tuple[str, ...]:
        """The words of the question sentences among `questions` that no example has, in any spelling
        near it (not a typo of a known word), of at least UNKNOWN_WORD_LENGTH letters."""
        from bot.text import looks_like_a_question

        words = {word for question in questions if looks_like_a_question(question)
                 for word in self.masker.mask(question).split() if len(word) >= UNKNOWN_WORD_LENGTH}
        return tuple(sorted(word for word in words - self._vocabulary
                            if not word.isdigit() and not _matches_a_name_word(word, self._long_known_words)))

    def probabilities(self, texts: Sequence[str]) -> List[Dict[Ask, float]]:
        return self._probabilities_of_masked([self.masker.mask(text) for text in texts])

    def _probabilities_of_masked(self, masked: Sequence[str]) -> List[Dict[Ask, float]]:
        return [dict(zip(self._labels, map(float, row))) for row in self._model.predict_proba(list(masked))]

    def predict(self, text: str, questions: Sequence[str] = ()) -> AskPrediction:
        """What `text` asks. With `questions`, the question sentences of a longer message, a label
        is asked when the whole or any of its questions asks it: a story around a question
        ("Ik snap er als moeder weinig van.") does not drown it."""
        masked = self.masker.mask(text)  # (once: masking reads every name of the dataset)
        if _names_only(masked):
            return AskPrediction(frozenset(), {})  # "25893?", "en mechatronica?": which one it is, nothing more
        masked_questions = [self.masker.mask(question) for question in questions]
        rows = self._probabilities_of_masked([masked, *masked_questions])
        probabilities = {ask: max(row.get(ask, 0.0) for row in rows) for ask in rows[0]}
        # A question of only names, pointing and selecting words ("welke dan?", "en hoeveel dan?") names nothing the
        # sources could fail to hold: it asks what the rest asks
        asking = [rows[0], *(row for row, question in zip(rows[1:], masked_questions) if not names_no_attribute(question))]
        probabilities[Ask.NOT_HELD] = max(row.get(Ask.NOT_HELD, 0.0) for row in asking)
        if not counts_what_the_dataset_holds(masked):
            probabilities[Ask.COUNT] = 0.0  # "hoeveel meiden kiezen dat dossier?": not a count of records
        held = names_no_attribute(masked) or counts_a_dataset_noun(masked)
        if held:
            probabilities[Ask.NOT_HELD] = 0.0  # "welke van de vijf zijn van engineering?": which ones, nothing more
        asks = decide(probabilities, self.settings)
        names_a_record = bool({NAME_TOKEN, NUMBER_TOKEN} & set(masked.split()))
        if not asks and not held and names_a_record and self.unknown_words(questions or [text]):
            # "is er een kledingvoorschrift bij technicus mechatronica?": a word no example has,
            # in a question about a record that asks nothing the model knows, asks what the sources do not hold
            # (not its card). Without a record it is off-topic as likely: "hoe laat begint de kermis?"
            asks = frozenset({Ask.NOT_HELD})
        topic, confidence = None, 0.0
        if Ask.NOT_HELD in asks and self._topics is not None:
            row = self._topics.predict_proba([masked])[0]
            best = int(row.argmax())
            topic, confidence = str(self._topics.classes_[best]), float(row[best])
        return AskPrediction(asks, probabilities, topic, confidence)


def dataset_names() -> List[str]:
    from bot.knowledge.search import knowledge_index

    index = knowledge_index()
    return [name for record in (*index.dataset.qualifications, *index.dataset.dossiers)
            for name in (record.name, *record.aliases)]


@lru_cache(maxsize=None)
def name_masker() -> NameMasker:
    return NameMasker(dataset_names())


def training_digest(settings: AskSettings, names: Sequence[str], sources: Sequence[Path]) -> str:
    """What a fitted model was made from: settings, names, files and the scikit-learn version."""
    import sklearn

    digest = hashlib.sha256()
    for part in (repr(settings), sklearn.__version__, "\n".join(names)):
        digest.update(part.encode("utf-8") + b"\0")
    for path in sources:
        digest.update((path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()[:32]


def fitted_path(settings: AskSettings, names: Sequence[str]) -> Path:
    sources = (EXAMPLES_PATH, *dict.fromkeys((*NEGATIVE_PATHS, *VOCABULARY_PATHS)), *_TRAINING_CODE)
    return FITTED_DIR / f"{training_digest(settings, names, sources)}.pickle"


@lru_cache(maxsize=None)
def ask_model() -> AskModel:
    """The model of this process, trained on data/asks.yml with the settings of config.yml (or
    loaded, when it was trained from the same inputs before)."""
    settings, names = ask_settings(), dataset_names()
    model, path = AskModel(name_masker(), settings), fitted_path(settings, names)
    if model.load(path):
        return model
    model.fit(load_examples())
    for older in FITTED_DIR.glob("*.pickle"):
        older.unlink(missing_ok=True)  # one model is kept: the one these inputs make
    model.save(path)
    return model
