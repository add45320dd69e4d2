"""Facts before wording: send a message to the lookup when the dataset says it is one.

Runs after the classifier and before the FallbackClassifier. The classifier reads wording
and is weak on what only the dataset knows; bot.knowledge.reader knows every number, name
and level. A message goes to a lookup when
- it contains a crebo or dossier number (known or not: "wat betekent 25893", "25891, welke
  opleiding is dat?", "crebo 12345" is answered as unknown);
- it names a record (in any spelling) and asks a fact of it (crebo, level, dossier, duration,
  leerweg, count, list), corrects ("ik bedoelde eigenlijk Engineering"), denies it exists
  ("Engineering bestaat toch niet meer?"), or is little more than the name;
- it names a level and asks what there is ("wat kan ik op n2 doen?");
- it asks a fact without naming a record while a record is in context ("en in welk dossier
  zit die?", "een niveau lager?") — after an FAQ answer only when it says it means the
  record ("die opleiding van daarnet").
An FAQ answer the classifier is sure of is kept unless the message asks a crebo, level or
dossier ("hoeveel keuzedelen heeft Engineering?" stays an FAQ question).
English reads the same way: the reader knows English levels, pointers and names ("and which
dossier is it in?", "what can I do at level 2?"), and the words this module matches itself
(pointing at a record, the dataset's nouns, the structure before the revision) are listed in
both languages.

It also decides, from the classifier's `question_parts`, whether a message asks several
things (bot/nlu/question_parts.py); then the intent is `several_questions` and each part is
answered by action_answer_parts.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.dialogue_context import (faq_list, faq_subject, has_lookup_context, last_answer, list_before, lookup_question,
                                      previous_message, shown_list)
from bot.knowledge.faq import (PAYLOAD_PREFIX, RETRIEVAL_ACTION, RETRIEVAL_INTENT, RankedAnswer, answer_key,
                               chosen_answer_output, selected_answer)
from bot.knowledge.loader import load_catalogue
from bot.knowledge.lookup_intents import FAQ_ASKS, LIST_BY_LEVEL, LOOKUP_ACTIONS, LOOKUP_INTENTS, NOT_IN_SOURCES, OVERVIEW, intent_asking
from bot.knowledge.asked import ask_model, counts_what_the_dataset_holds
from bot.knowledge.faq_gaps import dataset_fact_left_out, left_out_of_the_answer
from bot.knowledge.reader import (BEFORE_THE_REVISION, OLD_COUNT, Ask, Reading, read, split_questions,
                                  the_record_named)
from bot.knowledge.models import Qualification
from bot.knowledge.faq_levels import answer_levels, qualifications_at_the_answers_levels, shares_the_answers_subject
from bot.knowledge.nouns import COUNTS_THE_LIST, DATASET_NOUNS, HOW_MANY, HOW_MANY_RECORDS
from bot.knowledge.references import (BY_STRUCTURE, THE_LIST_BEFORE, dossiers_counted_by_property, points_at_all,
                                       property_query, resolve, resolve_reference)
from bot.knowledge.search import FILLER_WORDS, knowledge_index, record_number
from bot.nlu.faq_gate import remember_subject
from bot.nlu.question_parts import (LISTS, MIN_WORDS_OF_A_QUESTION, OPENS_BY_POINTING_BACK, QUESTION_PARTS,
                                    UNANSWERED_QUESTIONS, Part, asks_several_things, is_question, questions)
from bot.settings import ask_settings, faq_threshold
from bot.text import looks_like_a_question, normalise

SEVERAL_QUESTIONS = "several_questions"
# Lookups that answer with a list a later part of the message can point into.
LISTING_INTENTS = LISTS | {"lookup_dossier"}
FACT_ASKS = frozenset({Ask.CREBO, Ask.LEVEL, Ask.DOSSIER, Ask.DURATION, Ask.LEERWEG, Ask.LIST, Ask.COUNT})
# Asks only the dataset answers, whatever the classifier thinks.
DATASET_ASKS = frozenset({Ask.CREBO, Ask.LEVEL, Ask.DOSSIER})
# Pointing and naming words, Dutch and English: a closed vocabulary.
_POINTS_AT_A_RECORD = re.compile(r"\b(die|deze|diezelfde|daarvan|ervan|hiervan|zo n|zon|zulke|zulk)\b"
                                 r"|\b(it|its|that one|this one|that same one|the same one|of it|such an?)\b")
# "… en hoeveel opleidingen zitten daarin?", "… hoeveel waren dat?": pointing at what a part before it said.
_POINTS_AT_WHAT_WAS_SAID = re.compile(r"\b(dat|dit|daar\w*|erin|erbij)\b")
_MEANS_A_RECORD = re.compile(r"\b(opleiding|kwalificatie|dossier|crebo\w*|daarnet|van net|vorige)\b"
                             r"|\b(programme|program|course|qualification|file|just now|earlier|previous|you mentioned)\b")
_POINTS_BACK = re.compile(r"\b(dat|dit|die|deze|daarvan|ervan|hiervan|that|this|it)\b")
_NUMBERS_OF_ALL = re.compile(r"\b(crebonummers|crebo s|crebos|dossiernummers|numbers|crebo numbers)\b")
OUT_OF_SCOPE = "out_of_scope"
# Intents about the conversation itself: something "not in the sources" does not override them.
CONVERSATION_INTENTS = frozenset({"request_human", "bot_challenge", "switch_language", "greet", "goodbye", "thank",
                                  "ask_capabilities"})
# A reason or a choice between designs: the dataset holds records, never why they are as they are
# ("waarom heeft Productietechniek twee opleidingen op niveau 4 en niet één profiel?" is the FAQ's).
_ASKS_A_REASON = re.compile(r"\b(waarom|hoezo|hoe komt het|in plaats van|i p v|ipv|en niet een|why|how come|instead of|"
                            r"rather than)\b")
# The dossiers that were merged: the old structure, which the FAQ describes and the dataset does not hold.
_THE_MERGE = re.compile(r"\b(oude dossiers|oude opleidingen|samengevoegd\w*|samengebracht|opgegaan|"
                        r"merged|combined|folded|bundled|old (files|dossiers|programmes))\b")
# The FAQ answer that gives the number of qualifications before the revision (1e vragenuur, vraag 1).
OLD_STRUCTURE_FAQ = "aanleiding_herziening"
# The FAQ answer that gives the duration before the revision (Mechatronische systemen, 4e vragenuur, vraag 3).
OLD_DURATION_FAQ = "opleidingsduur_niveau4"
MAX_FOLLOW_UP_WORDS = 12
# "en de andere opleiding van dat dossier, hoe heet die precies en welk crebonummer heeft ze?": at length
MAX_OTHER_VARIANT_WORDS = 16
# "waarom?" right after an FAQ answer: the reasons the sources give are in that answer (there are no others).
_WHY = re.compile(r"^(en |maar |oh |o |ok |oke )?(waarom( niet)?|hoezo( niet)?|hoe komt dat|waarom dan|waarom eigenlijk|waarom is dat( zo)?"
                  r"|why( not)?|why is that|why so|how come)( dan| eigenlijk| precies)?$"
                  # "waarom blijft dat zo?", "waarom doen ze dat?": why of what the answer said (not "waarom is het
                  # examen veranderd?", which names its own subject)
                  r"|^(en |maar )?(waarom|hoezo)( \w+){0,3} (dat|dit)( zo| nodig| niet)?( dan| eigenlijk)?$")
MAX_NOT_HELD_FOLLOW_UP_WORDS = 20
# "de opleiding waar ik het eerst over had", "die ik daarnet noemde", "die eerste kwalificatie": the record in
# context, said in so many words, however long the message (also with an FAQ answer in between)
_THE_RECORD_BEFORE = re.compile(r"\b(waar|waarover) (ik|we|wij|je|jij|u) (het )?(\w+ )?(eerst|net|daarnet|eerder|zojuist|in het begin) "
                                r"(over )?(had|hadden|begon|begonnen|vroeg|vroegen|sprak|spraken)\b"
                                r"|\bdie (ik|we|je|u) (eerst|net|daarnet|eerder|zojuist) (noemde|noemden|vroeg|zei)\b"
                                r"|\bdie eerste (kwalificatie|opleiding)\b(?! (van|uit|in|op|bij)\b)")
MAX_LIST_REFERENCE_WORDS = 20
SHORT_QUESTION = 8


def _is_mostly_a_name(reading: Reading) -> bool:
    """'research instrumentmaker', 'eerste monteur?', 'info over mechatronica'."""
    named = reading.records or reading.candidates
    name_words = max(len(normalise(record.name).split()) for record in named)
    other = [word for word in normalise(reading.text).split() if word not in FILLER_WORDS]
    return len(other) <= name_words + 1


def _asks_the_dataset(reading: Reading) -> bool:
    """A question only the dataset answers: a crebo, level or dossier of a named qualification,
    or a crebo, level or list of a named dossier ("valt smart industry onder Engineering?" is not)."""
    if any(isinstance(record, Qualification) for record in reading.records + reading.candidates):
        return bool(reading.asks & DATASET_ASKS)
    counts_the_dataset = Ask.COUNT in reading.asks and DATASET_NOUNS.search(normalise(reading.text))
    if counts_the_dataset and (reading.levels or reading.excluded) and not reading.refers_back:
        return True  # "hoeveel niveau 4-kwalificaties zijn er als je Engineering niet meetelt?"
    # "heeft Productietechniek meer dan één opleiding op niveau 4?": what a dossier holds at a level
    at_a_level = bool(reading.levels) and reading.asks & {Ask.COUNT, Ask.EXISTS, Ask.LIST}
    return bool(reading.records and (reading.asks & {Ask.CREBO, Ask.LEVEL, Ask.LIST} or counts_the_dataset or at_a_level))


# A question a yes or no answers: "is dat …", "kan ik …", "heeft het …", "is it …".
_YES_OR_NO_OPENING = re.compile(r"^((en|maar|dus|ok\w*|oke|and|but|so) )*(is|zijn|kan|kun|kunnen|mag|mogen|moet|moeten|heb|heeft|hebben|"
                                r"wordt|worden|krijg|krijgt|krijgen|zit|zitten|ben|word|valt|vallen|gaat|gaan|"
                                r"can|does|do|will|are|should|would) ")


_POINTERS = frozenset("dat die dit deze het ze zij hij it that this they".split())


def _asks_yes_or_no_of_it(reading: Reading, *, of_the_context: bool = False) -> bool:
    """A question sentence that opens as a yes/no question and asks no fact of the dataset nor checks one,
    about one record named in full ("is Productietechnicus zwaar voor iemand met dyslexie?", not "Monteur
    mechatronica?"), or `of_the_context`, about the record in context ("is dat moeilijk?")."""
    if len(reading.records) != (0 if of_the_context else 1) or reading.candidates or reading.asks:
        return False
    # the words that say only what it is about: its name (or a pointer to it) and filler
    about = (set(normalise(reading.record.name).split()) if reading.records else _POINTERS) | FILLER_WORDS
    for start, end in split_questions(reading.text):
        sentence = reading.text[start:end]
        clean = normalise(sentence)
        opening = _YES_OR_NO_OPENING.match(clean)
        if sentence.rstrip().endswith("?") and opening is not None:
            rest = [word for word in clean[opening.end():].split() if word not in about]
            if rest:  # something is asked of it ("… moeilijk?"), not only its name ("is technicus engineering?")
                return True
    return False


def _states_one_record(reading: Reading) -> bool:
    """A statement (no question) naming one record by its whole name, not a part of it."""
    return len(reading.records) == 1 and not reading.candidates and not looks_like_a_question(reading.text)


# The two counts of the old structure the sources give (53 in the 1e vragenuur, "ruim dertig" in the
# column), named together or one of them with a question which is right: the FAQ answer gives both.
_THE_OLD_COUNTS = re.compile(r"\b53\b.*\b(dertig|30|thirty)\b|\b(dertig|30|thirty)\b.*\b53\b")
_WHICH_IS_RIGHT = re.compile(r"\b(wat|welke|welk getal) klopt|\bklopt er\b|\bwat is het nou\b|\bwat is het nu\b|"
                             r"\bverschillende (getallen|aantallen|cijfers)\b|\btegenstrijdig|\bwhich (one )?is (right|correct)\b|"
                             r"\bdifferent (numbers|figures)\b")
# A count now said after one of before: "van 53 naar 9", "vroeger 53 stuks, nu nog maar 9?"
_COUNT_NOW = re.compile(r"\b(naar|nu|nog|to|now|only)\s+((nog|maar|nu|only|just)\s+)*"
                        r"([1-9]|1[0-2]|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|"
                        r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
                        r"(?!\s+(jaar|jarig\w*|maanden|uur|years?|months?|hours?))")


def asks_which_old_count_is_right(text: Text) -> bool:
    """'Het 1e vragenuur noemt 53 kwalificaties en de column ruim dertig. Welke klopt?'"""
    clean = normalise(text)
    return bool(_THE_OLD_COUNTS.search(clean) or (OLD_COUNT.search(clean) and _WHICH_IS_RIGHT.search(clean)))


def compares_the_old_count_with_now(reading: Reading) -> bool:
    """'Is het waar dat er van de 53 kwalificaties nog 9 over zijn?': the count now (the overview), with
    the count before beside it; not about a record or a level ("van 53 naar 9, en welke zijn niveau 4?")."""
    if reading.names_something or reading.levels:
        return False
    if reading.names_an_old_count:
        return bool(reading.claimed_count or _COUNT_NOW.search(reading.clean))
    # "van hoeveel ging het naar hoeveel?": both counts asked, neither given
    return bool(_FROM_HOW_MANY_TO_HOW_MANY.search(reading.clean))


_FROM_HOW_MANY_TO_HOW_MANY = re.compile(r"\bvan hoeveel\b.{0,30}\bnaar hoeveel\b|\bfrom how many\b.{0,30}\bto how many\b"
                                        r"|\bhoeveel\b.{0,40}\b(eerst|vroeger|voorheen|daarvoor|voor de herziening)\b.{0,30}\b(en|tegen) (hoeveel|nu)\b")


def counts_the_old_structure(reading: Reading) -> bool:
    """'Hoeveel kwalificaties waren er vóór de herziening?': a count the FAQ holds, not the dataset."""
    clean = normalise(reading.text)
    return (Ask.COUNT in reading.asks and not reading.names_something and bool(DATASET_NOUNS.search(clean))
            and bool(BEFORE_THE_REVISION.search(clean)))


# The same count at the other time: "en nu, na de herziening?" after the count before the revision
# (an FAQ answer), "en vroeger?" after the overview of now. Closed vocabulary, both languages.
_NOW = re.compile(r"\b(nu|na de herziening|na die herziening|straks|tegenwoordig|vanaf 2023|nieuwe structuur|in de nieuwe|overblijven|"
                  r"blijven (er )?(\w+ ){0,2}over|blijft (er )?(\w+ ){0,2}over|"
                  r"now|after the (revision|reform|review)|today|these days|new structure)\b")


def same_question_at_the_other_time(reading: Reading, subject: Optional[Text], shown: List[Text],
                                    question: Optional[Text] = None, previous: Text = "") -> Optional[Text]:
    """OVERVIEW after the FAQ's count before the revision, OLD_STRUCTURE_FAQ after the overview,
    LIST_BY_LEVEL after a count at a level, OLD_DURATION_FAQ after a duration (the lookup's last
    `question`), when a short message asks only the other time; else None."""
    if reading.word_count > SHORT_QUESTION:
        # "en hoeveel waren er dat vroeger? ik zie twee getallen staan": its one short question
        asked = [reading.text[start:end] for start, end in split_questions(reading.text)]
        asked = [sentence for sentence in asked if looks_like_a_question(sentence)]
        if len(asked) == 1 and asked[0] != reading.text:
            reading = read(asked[0])
    # (up to a follow-up's length: "hoeveel waren het er in de vorige structuur dan?" names nothing else; a count
    # of what the dataset holds however the ask model reads it, not "en hoeveel kostte het vroeger?")
    not_a_count = Ask.NOT_HELD in reading.asks and not (
        HOW_MANY.search(reading.clean) and counts_what_the_dataset_holds(ask_model().masker.mask(reading.text)))
    if (reading.names_something or reading.levels or reading.word_count > MAX_FOLLOW_UP_WORDS
            or reading.asks - {Ask.COUNT, Ask.NOT_HELD} or not_a_count):
        return None
    clean = normalise(reading.text)
    now, before = bool(_NOW.search(clean)), bool(BEFORE_THE_REVISION.search(clean))
    if subject == OLD_STRUCTURE_FAQ and now and not before:
        return OVERVIEW
    dataset, index_record = knowledge_index().dataset, knowledge_index().by_number
    everything = {q.crebo for q in dataset.qualifications} | {d.number for d in dataset.dossiers}
    if set(shown) == everything and before and not now:  # only the overview shows every record
        # "hoeveel dossiers zijn er?" → "en vroeger?": the sources give no such count; the lookup says so
        return OVERVIEW if read(previous).counts_dossiers else OLD_STRUCTURE_FAQ
    if question == Ask.DURATION.value and before and not now:
        return OLD_DURATION_FAQ  # "hoe lang duurt Technicus mechatronica?" → "en vroeger?": Mechatronische systemen
    levels = {record.level for record in (index_record(number) for number in shown) if isinstance(record, Qualification)}
    if before and not now and len(levels) == 1 and set(shown) == {q.crebo for q in dataset.qualifications_at(levels.pop())}:
        return LIST_BY_LEVEL  # "en daarvoor?" after the count at a level: the sources give only the total
    return None


def faq_answer_left_out(reading: Reading, after_faq: bool, subject: Optional[Text], selected: Optional[RankedAnswer],
                        sure_faq: bool) -> Tuple[Optional[Text], Optional[Text]]:
    """The FAQ answer a question is about, and what it asks that the answer does not give
    (bot.knowledge.faq_gaps), or (…, None). After an FAQ answer it is about the one just given,
    unless the classifier is sure of another; else about the one the classifier is sure of. A
    short question that points back ("in welk dossier is dat terechtgekomen?") is about the one
    just given, however the classifier reads it, when it asks a fact of the dataset or the day:
    no other answer gives those either."""
    same = after_faq and subject is not None and (not sure_faq or (selected is not None and selected.key == subject))
    about = subject if same else selected.key if sure_faq and selected is not None else None
    left_out = left_out_of_the_answer(reading, about)
    points_back = bool(_POINTS_BACK.search(reading.clean)) and reading.word_count <= MAX_FOLLOW_UP_WORDS
    if left_out is None and after_faq and subject is not None and about != subject and points_back:
        return subject, left_out_of_the_answer(reading, subject, facts_only=True)
    return about, left_out


def _named_only_around_faq_questions(parts: List[Part], threshold: float) -> bool:
    """A record is named in the story around the questions, and the questions are FAQ questions
    (or not understood) that name none: the story's record is no question of its own."""
    asked = [part for part in parts if is_question(part, threshold)]
    return (bool(asked) and any(part.record for part in parts if part not in asked)
            and not any(part.record or part.lookup for part in asked)
            and any(part.label.startswith("faq/") for part in asked))


def points_at_list(text: Text, shown: List[Text]) -> Optional[Text]:
    """How the message points at an item of the list just shown (BY_WORD: "die commerciële";
    BY_STRUCTURE: "de laatste", "welk dossier heeft geen niveau 2?"), or None."""
    index = knowledge_index()
    records = [r for r in (index.by_number(number) for number in shown) if r is not None]
    if not records:  # no list: "het dossier met vier kwalificaties" asks the dataset by a property
        return BY_STRUCTURE if not read(text).names_something and property_query(text, index.dataset) else None
    resolved = resolve_reference(text, records, index.dataset)
    if resolved is None:
        reading = read(text)
        # "en een niveau hoger?": the next level in the dossiers of the list
        return BY_STRUCTURE if reading.level_step and not reading.names_something else None
    return resolved[1]


def lookup_intent(reading: Reading, predicted: Optional[Text], confidence: float, *, in_context: bool,
                  after_faq: bool, faq_threshold: float, refers_to_list: Optional[Text] = None,
                  faq_key: Optional[Text] = None) -> Optional[Text]:
    """The lookup intent for this message, or None to keep the classifier's intent (`faq_key`: the
    FAQ answer it would be)."""
    # A pick from the list just shown by its structure ("welke heeft alleen maar niveau 4?" after the dossiers) is
    # no not-held question on a weak guess (the floor alone)
    picks_from_the_list = refers_to_list == BY_STRUCTURE and reading.only_guesses_not_held
    fitting = intent_asking(reading.asks - {Ask.NOT_HELD} if picks_from_the_list else reading.asks)
    chosen = predicted if predicted in LOOKUP_INTENTS else fitting
    sure_faq = predicted == RETRIEVAL_INTENT and confidence >= faq_threshold
    # A not-held guess from the floor alone (no label was sure) does not override a sure FAQ answer:
    # "blijven de keuzedelen bij engineering bestaan?" is the FAQ's, which says what the sources say of keuzedelen;
    # but a topic no FAQ answer is about does ("wat kost een nieuwe erkenning ons voor technicus engineering?").
    never_in_the_faq = reading.asks_what_no_faq_answer_is_about
    # Nor a sure off-topic reading of a message that names nothing of ours ("hoe laat begint de kermis?").
    sure_off_topic = predicted == OUT_OF_SCOPE and confidence >= faq_threshold and not reading.names_something
    only_guessed = picks_from_the_list or ((sure_faq or sure_off_topic) and reading.not_held_probability < ask_settings().threshold
                                           and not never_in_the_faq)
    if Ask.NOT_HELD in reading.asks and not only_guessed:
        # "Wat kost Technicus mechatronica per jaar?": said plainly, never the record's card.
        # A follow-up on a record ("prima. en wat verdien je daarmee?"), not on an FAQ answer ("en wanneer is dat?").
        follow_up = in_context and not after_faq and reading.word_count <= MAX_NOT_HELD_FOLLOW_UP_WORDS
        # Naming nothing, only what the classifier does not read as an FAQ question ("Bedoelde je…?" otherwise)
        # nor surely as asking for a person or whether this is a bot ("can I talk to a real person?").
        sure_conversation = predicted in CONVERSATION_INTENTS and confidence >= faq_threshold
        # A level is part of the dataset too ("welke vooropleiding heb je nodig voor niveau 4?").
        of_a_level = bool(reading.levels) and not sure_faq and not sure_conversation
        # An FAQ answer the classifier is unsure of, for a question that names what the sources do not hold
        # ("en wat kost zo'n erkenning ons?"): saying so beats "Bedoelde je…?" with answers that do not say it.
        # (and when the ask model is surer of it than the FAQ classifier of its answer: "en wat verdien je
        # dan als bbl'er?" after the answer on BOL and BBL)
        named_attribute = never_in_the_faq and (not sure_faq or reading.not_held_probability > confidence)
        # A record named beside an FAQ answer that names it too, read surer than the not-held reading, is the
        # FAQ's: the answer on a core task taken out of a qualification says what the sources say of it.
        faq_surer = (sure_faq and confidence > reading.not_held_probability and not never_in_the_faq
                     and _names_the_records(faq_key, reading))
        # (also as a follow-up on a list: "die van Engineering: is onderhoud daar nog een kerntaak?")
        # And when the ask model is sure of it and the classifier is of no answer: "Bedoelde je…?" would offer
        # answers that do not say it ("hoe groot is de uitval bij metaalopleidingen?")
        # (not a short follow-up, which an FAQ answer in context may well answer: "en wanneer is dat?")
        sure_not_held = (reading.not_held_probability >= ask_settings().sure_of_a_detail and not sure_faq
                         and not (reading.refers_back and reading.word_count <= MAX_FOLLOW_UP_WORDS))
        if (((reading.names_something or follow_up) and not faq_surer) or of_a_level or named_attribute or sure_not_held
                or (predicted != RETRIEVAL_INTENT and not sure_conversation)):
            return NOT_IN_SOURCES
    clean = normalise(reading.text)
    # What the FAQ surely answers about why, or about the old dossiers a new one merges, stays the FAQ's
    # even when it names a record or a number ("welke oude dossiers zijn samengevoegd in 23361?").
    if sure_faq and (_ASKS_A_REASON.search(clean) or _THE_MERGE.search(clean)) and not reading.asks & {Ask.CREBO}:
        return None
    if any(len(number) == 5 for number in re.findall(r"\d+", reading.text)) and (reading.records or reading.unknown_numbers):
        return chosen
    # (a sure FAQ reading yields to a word of an item only for a crebo, level or dossier: "welke niveaus heeft die met
    # mecha in de naam?" after the FAQ's list of dossiers; not "die van Engineering: is onderhoud daar een kerntaak?")
    only_the_dataset = bool(reading.asks) and reading.asks <= DATASET_ASKS
    if refers_to_list and reading.word_count <= MAX_LIST_REFERENCE_WORDS and (
            not sure_faq or refers_to_list == BY_STRUCTURE or only_the_dataset):
        return chosen  # "wat is het crebo van die commerciële?", "welk dossier heeft geen niveau 2?" after a list
    if in_context and reading.asks & FACT_ASKS and not reading.names_something and _THE_RECORD_BEFORE.search(clean):
        return chosen  # "en hoe lang duurt de opleiding waar ik het eerst over had?"
    short_follow_up = reading.word_count <= (MAX_OTHER_VARIANT_WORDS if reading.other_variant else MAX_FOLLOW_UP_WORDS)
    if (in_context and not after_faq and short_follow_up and not (sure_faq or reading.names_something or reading.levels)
            and _asks_yes_or_no_of_it(reading, of_the_context=True)):
        return NOT_IN_SOURCES  # "Technicus engineering" → "is dat moeilijk?": not its card again
    if in_context and (reading.asks_about_context or reading.correction) and short_follow_up:
        # After an FAQ answer only when it says it means the record ("die opleiding van daarnet").
        if not after_faq or _MEANS_A_RECORD.search(normalise(reading.text)):
            return chosen
    if (reading.asks_about_context and _POINTS_AT_A_RECORD.search(normalise(reading.text))
            and reading.word_count <= SHORT_QUESTION and (reading.asks & DATASET_ASKS or reading.level_step)):
        return chosen  # "en in welk dossier zit die?" with nothing in context: the lookup asks which one
    if (reading.claimed_count is not None and reading.is_check and Ask.COUNT in reading.asks and not reading.names_something
            and not reading.levels and not BEFORE_THE_REVISION.search(normalise(reading.text))):
        return OVERVIEW  # "klopt het dat er nu nog maar negen kwalificaties zijn?": the dataset counts them, Ja or Nee
    if (Ask.COUNT in reading.asks and not reading.names_something and not reading.levels and DATASET_NOUNS.search(clean)
            and _NOW.search(clean) and not BEFORE_THE_REVISION.search(clean) and not reading.asks & {Ask.LEERWEG, Ask.DURATION}):
        return OVERVIEW  # "… eerst ruim 30. hoeveel zijn er na de herziening nog over?": the dataset counts now
    if Ask.COUNT in reading.asks and compares_the_old_count_with_now(reading):
        return OVERVIEW  # "hoeveel waren het er vroeger, en hoeveel nu?": both counts, each with its source
    # "Mechatronica niveau 4 duurt toch ook 4 jaar?": a belief the dataset answers with Ja or Nee.
    checks_a_duration = reading.is_check and reading.records and reading.claimed_years and Ask.DURATION in reading.asks
    # "hoeveel jaar neemt Engineering op niveau 4?": the FAQ answer on a fact of the dataset (durations)
    # names the records it gives it for; of another one the lookup says what the sources say of it
    of_a_record_not_in_it = (FAQ_ASKS.get(faq_key or "") in reading.asks and bool(reading.records)
                             and not _names_the_records(faq_key, reading))
    if sure_faq and not (_asks_the_dataset(reading) or checks_a_duration or of_a_record_not_in_it):
        return None
    if reading.candidates and not reading.records and predicted in CONVERSATION_INTENTS and confidence >= faq_threshold:
        return None  # "een medewerker graag": a person, not Medewerker productietechniek
    if reading.records or reading.candidates:
        if reading.asks & FACT_ASKS or reading.levels or reading.denies_existence or reading.correction:
            return chosen
        if _asks_yes_or_no_of_it(reading) and not sure_faq:
            # "is Productietechnicus zwaar voor iemand met dyslexie?": a yes or no the dataset cannot give; its card would
            # look like an answer, so say so plainly, with what the sources do say of it
            return NOT_IN_SOURCES
        if predicted in LOOKUP_INTENTS or _is_mostly_a_name(reading):
            return chosen
        if _states_one_record(reading) and not sure_faq:
            # "ik wil monteur mechatronica doen": its card, so that "welk niveau is dat?" has its record.
            return chosen
        return None
    if reading.levels and reading.asks & {Ask.LIST, Ask.COUNT, Ask.EXISTS} and not (reading.refers_back and in_context):
        return LIST_BY_LEVEL  # ("ik kan niveau 2 aan, welke passen daarbij?": the level it names, nothing before it)
    if Ask.LEVEL in reading.asks and reading.names_levels_in_plural and not sure_faq:
        return chosen  # "hoeveel niveaus zijn er?": the levels of the structure (or of the record in context)
    if reading.levels and Ask.DURATION in reading.asks and not reading.refers_back and not sure_faq:
        return chosen  # "hoe lang duren de niveau 3-opleidingen?": what the source says per level
    if Ask.LEERWEG in reading.asks and not sure_faq and not in_context:
        return chosen  # "zijn ze toch alleen nog bol?": the leerweg fact of all new dossiers
    # "welke dossiernummers zijn er nu?": the numbers of them all
    numbers_of_all = bool(reading.asks & {Ask.CREBO, Ask.DOSSIER}) and bool(_NUMBERS_OF_ALL.search(clean))
    if ((reading.asks & {Ask.LIST, Ask.COUNT} or numbers_of_all) and not reading.asks & {Ask.LEERWEG}
            and DATASET_NOUNS.search(clean) and not sure_faq and not BEFORE_THE_REVISION.search(clean)):
        # "welke dossiers zijn er eigenlijk?", "hoeveel kwalificaties zijn er in totaal?",
        # "zijn er echt maar negen opleidingen over?"; the count before the revision is the FAQ's (53)
        return OVERVIEW
    return None


def _names_the_records(faq_key: Optional[Text], reading: Reading) -> bool:
    """Whether FAQ answer `faq_key` names every record the message names."""
    entry = load_catalogue().get(faq_key) if faq_key else None
    answer = f" {normalise(entry.answer)} " if entry is not None else ""
    return bool(answer) and bool(reading.records) and all(
        f" {normalise(record.name)} " in answer or record_number(record) in answer for record in reading.records)


# Lookups that answer facts of a record, which a question beside them can ask more than.
RECORD_FACT_INTENTS = LOOKUP_INTENTS - {NOT_IN_SOURCES, OVERVIEW, LIST_BY_LEVEL}


def _a_question_not_held(asked: List[Part], threshold: float) -> bool:
    """One of several questions asks surely what the sources do not hold (not a cut-off fragment)."""
    return len(asked) > 1 and any(part.label == NOT_IN_SOURCES and part.confidence >= threshold
                                  and len(normalise(part.text).split()) >= MIN_WORDS_OF_A_QUESTION for part in asked)


def _lookups_apart_of_named_records(asked: List[Part], reading: Reading, threshold: float) -> bool:
    """Every question a lookup, understood, asking different things, one of them a fact only the
    dataset holds, of the records the message names: the lookup answers them, not an FAQ answer."""
    return (len(asked) > 1 and all(part.lookup and part.understood(threshold) and part.label != NOT_IN_SOURCES
                                   for part in asked)
            and len({part.label for part in asked}) > 1 and bool(reading.records) and not reading.candidates
            and bool(reading.asks & DATASET_ASKS))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LookupReader(GraphComponent):
    """Routes messages the dataset can answer to the lookup, and messages that ask several things to each answer."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # The ask model's settings (ask_c, ask_threshold, …) are read by bot/settings.py.
        return {}

    def __init__(self, config: Dict[Text, Any]) -> None:
        # The confidence from which the classifier's FAQ answer, or a part's label, is trusted:
        # `trust_faq_from`, written once in config.yml.
        self._threshold = float(config.get("threshold", faq_threshold()))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LookupReader":
        ask_model()  # trained when the server loads the pipeline, not at the first message
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        in_context, after_faq = has_lookup_context(tracker), last_answer(tracker) == RETRIEVAL_ACTION
        # "kan mechatronica niveau 4 ook in de bol?" (an FAQ answer) → "en hoeveel jaar duurt dat?": the record the
        # user named is what a follow-up asking the dataset is about, as after a lookup
        named_before = after_faq and the_record_named(previous_message(tracker)) is not None
        subject = faq_subject(tracker)  # the FAQ answer given last
        # The list just shown: a lookup's, or an FAQ answer's that lists records; [] also asks the dataset.
        shown = shown_list(tracker) if last_answer(tracker) in LOOKUP_ACTIONS else faq_list(tracker)
        earlier_list = list_before(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/") or text.startswith(PAYLOAD_PREFIX):
                continue  # button payloads say what they mean
            intent = message.get(INTENT) or {}
            predicted, confidence = intent.get(INTENT_NAME_KEY), float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            reading, sure_faq = read(text), predicted == RETRIEVAL_INTENT and confidence >= self._threshold
            if earlier_list and THE_LIST_BEFORE.search(reading.clean):
                shown = earlier_list  # "terug naar die eerste lijst: …": the one before the last (as the lookup reads it)
            selected = selected_answer(message.as_dict())
            parts = self._read_parts(message, in_context, shown)
            asked = questions(parts, self._threshold)
            one_answer = selected is not None and all(part.label == f"{RETRIEVAL_INTENT}/{selected.key}" or part.lookup
                                                      for part in asked)
            if (sure_faq and one_answer and selected.key not in FAQ_ASKS
                    and self._asks_who_is_at_the_answers_levels(reading, selected.key, tracker)):
                # "is onderhoud bij Mechatronica nog ergens een eigen kerntaak, en wat zijn daar de crebonummers van?",
                # "voor welke daarvan geldt dat?" after a list: the answer, then the qualifications at its levels
                # (one answer, however many sentences: "… wij repareren veel machines"; not an answer that is
                # itself a fact of the dataset, as the durations at niveau 4 are)
                remember_subject(message, selected.key)
                self._choose(message, LIST_BY_LEVEL)
                continue
            # A message of more questions than are read is answered per question, so that the
            # answer can say which were left ("Stel je andere vragen gerust apart").
            left_over = bool(message.get(UNANSWERED_QUESTIONS)) and any(p.understood(self._threshold) for p in parts)
            # "Mijn dochter weet nog niet wat ze wil. Hoeveel dossiers telt de nieuwe structuur?": the story
            # pulls the whole towards an FAQ answer; the one question in it is a lookup, answered on its own
            # (not "Mijn buurman zegt dat … drie jaar duurt. Klopt dat?": the story is the question)
            # (nor "Vroeger duurde X drie jaar. Is dat nu veranderd?": a question that opens by pointing back at it)
            one_lookup_in_a_story = (predicted == RETRIEVAL_INTENT and len(asked) == 1 and len(parts) > 1
                                     and asked[0].lookup and asked[0].label != NOT_IN_SOURCES
                                     and asked[0].understood(self._threshold)
                                     and not OPENS_BY_POINTING_BACK.search(normalise(asked[0].text))
                                     # (nor a count whose story says it is of the old structure: "De column beschrijft
                                     # de oude indeling. Hoeveel kwalificaties telde die?")
                                     and not (counts_the_old_structure(reading) and not _NOW.search(normalise(asked[0].text)))
                                     # (nor "de monteur niet, de andere. bij welk dossier hoort die?": the sentence before
                                     # the question points into the list; it is what the question asks about)
                                     and not any(points_at_list(part.text, shown) for part in parts
                                                 if part is not asked[0] and part.end <= asked[0].start))
            if parts and (left_over or one_lookup_in_a_story or asks_several_things(parts, self._threshold, confidence)):
                message.set(QUESTION_PARTS, [{**part.as_dict(), "understood": part.understood(self._threshold),
                                              "surely": part.confidence >= self._threshold,
                                              "question": part in asked}
                                             for part in parts], add_to_output=True)
                self._choose(message, SEVERAL_QUESTIONS)
                continue
            if sure_faq and _lookups_apart_of_named_records(asked, reading, self._threshold):
                # "welk dossiernummer heeft Productietechniek, en hoe lang duurt niveau 4 daar?": two facts
                # of what it names, which the lookup answers together (the FAQ answer on durations gives one)
                self._choose(message, intent_asking(reading.asks))
                continue
            if sure_faq and _named_only_around_faq_questions(parts, self._threshold):
                continue  # "… a course in electrical engineering … Will we have to retrain?": the FAQ's, not Engineering's
            if asks_which_old_count_is_right(text) and not reading.names_something:
                self._choose_faq(message, OLD_STRUCTURE_FAQ)  # the answer that gives both counts, with their sources
                continue
            if compares_the_old_count_with_now(reading):
                self._choose(message, OVERVIEW)  # the count now, and the one before beside it
                continue
            if counts_the_old_structure(reading) and not sure_faq:
                if reading.levels or reading.counts_dossiers:
                    self._choose(message, OVERVIEW)  # the sources give no such count: the lookup says so, with the total
                else:
                    self._choose_faq(message, OLD_STRUCTURE_FAQ)
                continue
            other_time = same_question_at_the_other_time(reading, subject, shown_list(tracker),
                                                         lookup_question(tracker), previous_message(tracker))
            if other_time in (OLD_STRUCTURE_FAQ, OLD_DURATION_FAQ):
                self._choose_faq(message, other_time)  # "en vroeger?" after the overview or a duration
                continue
            if other_time is not None:
                self._choose(message, other_time)  # "en nu, na de herziening?" after the count before it
                continue
            # The levels of an FAQ answer's own subject: "en waar is het dan nog een eigen kerntaak?" after the answer
            # on onderhoud, which says; or, after a lookup, a question about a subject only that answer speaks of
            # ("onderhoud", "kerntaak") at its levels, and no other fact (the lookup would give the record's level again)
            levels_of = (subject if after_faq else selected.key if in_context and selected is not None
                         and not reading.asks & {Ask.CREBO, Ask.DOSSIER, Ask.DURATION, Ask.COUNT} else None)
            # (not a question about an item of the list that answer shows: "welke niveaus heeft die met mecha erin?")
            if (levels_of and Ask.LEVEL in reading.asks and answer_levels(levels_of)
                    and not (reading.names_something or reading.levels)
                    # (not when it also asks which qualifications those are: the rule below answers both)
                    and not (after_faq and reading.asks & {Ask.CREBO, Ask.LIST})
                    and not (after_faq and shown and points_at_list(text, shown))
                    and shares_the_answers_subject(text, levels_of, knowledge_index().dataset)):
                self._choose_faq(message, levels_of)
                continue
            if (after_faq and subject and reading.asks & {Ask.CREBO, Ask.LIST} and reading.refers_back
                    # (a level of the answer's own narrows it: "welk crebonummer heeft die op niveau 3 dan?")
                    and not (reading.names_something or set(reading.levels) - set(answer_levels(subject) or ()))
                    and qualifications_at_the_answers_levels(subject, knowledge_index().dataset)):
                # "en welke crebo's horen daarbij?" after that answer: the qualifications at the levels it names
                remember_subject(message, subject)
                self._choose(message, LIST_BY_LEVEL)
                continue
            if after_faq and subject and _WHY.match(normalise(text)):
                self._choose_faq(message, subject)
                continue
            if (last_answer(tracker) in LOOKUP_ACTIONS and lookup_question(tracker) == Ask.DURATION.value
                    and _WHY.match(normalise(text))):
                # "Duurt Technicus mechatronica vier jaar?" (Nee, drie) → "waarom niet?": the source's reason
                self._choose_faq(message, OLD_DURATION_FAQ)
                continue
            if (after_faq and sure_faq and selected is not None and selected.key == subject
                    and HOW_MANY_RECORDS.search(reading.clean) and not (reading.names_something or reading.levels
                                                                        or reading.before_the_revision)):
                # "welke dossiers komen er?" (the FAQ's list) → "en hoeveel opleidingen zijn dat in totaal?":
                # the dataset counts them; the same answer again would not
                self._choose(message, OVERVIEW)
                continue
            if after_faq and shown and COUNTS_THE_LIST.search(reading.clean) and not reading.names_something:
                # "welke dossiers zijn er?" (the FAQ's list) → "hoeveel zijn dat er in totaal?": the records it listed,
                # counted by the lookup (the same answer again gives no number)
                self._choose(message, OVERVIEW)
                continue
            about, left_out = faq_answer_left_out(reading, after_faq, subject, selected, sure_faq)
            short_enough = not after_faq or reading.word_count <= MAX_NOT_HELD_FOLLOW_UP_WORDS
            if not in_context and not named_before and short_enough and left_out is not None:
                # "welk crebonummer krijgt human technology?", "hoeveel kost een examen van Esmei per leerling?": the FAQ
                # answer and that it does not give what was asked; after that answer, "en wat kost zo'n examen?": that
                # the sources do not say it (the answer is above)
                if about != subject or not after_faq:
                    remember_subject(message, about)
                self._choose(message, NOT_IN_SOURCES)
                continue
            chosen = lookup_intent(reading, predicted, confidence, in_context=in_context or named_before,
                                   after_faq=after_faq and not named_before, faq_threshold=self._threshold,
                                   refers_to_list=points_at_list(text, shown),
                                   faq_key=selected.key if selected is not None else None)
            if (chosen or predicted) in RECORD_FACT_INTENTS and _a_question_not_held(asked, self._threshold):
                # "eerste monteur mechatronica: welk crebo, en hoeveel leerlingen per klas?": the crebo, and plainly
                # that the sources do not give the rest (the record's answer alone would pass over it)
                chosen = NOT_IN_SOURCES
            if chosen is not None:
                self._choose(message, chosen)
        return messages

    @staticmethod
    def _asks_who_is_at_the_answers_levels(reading: Reading, key: Text, tracker: Optional[DialogueStateTracker]) -> bool:
        """A question the FAQ answer `key` answers with levels, that asks which qualifications are at them: it
        names the dossier the answer speaks of, or points into the list a lookup just showed."""
        index = knowledge_index()
        if not shares_the_answers_subject(reading.text, key, index.dataset):
            return False  # (the classifier's FAQ answer for a question only the dataset answers)
        if reading.records:
            return bool(reading.asks & {Ask.CREBO, Ask.LIST, Ask.LEVEL}) and bool(
                qualifications_at_the_answers_levels(key, index.dataset, named=reading.records))
        if last_answer(tracker) not in LOOKUP_ACTIONS or not reading.refers_back or reading.candidates:
            return False
        shown = [r for r in (index.by_number(n) for n in shown_list(tracker)) if r is not None]
        return bool(shown) and bool(qualifications_at_the_answers_levels(key, index.dataset, shown=shown))

    def _read_parts(self, message: Message, in_context: bool, shown: List[Text]) -> List[Part]:
        """The classifier's parts, with the ones the dataset answers marked as lookups."""
        parts: List[Part] = []
        for data in message.get(QUESTION_PARTS) or []:
            part = Part.from_dict(data)
            reading = read(part.text)
            # (its noun may be in the part before: "Hoeveel kwalificaties zijn er nu? En hoeveel waren het er vroeger?")
            counted_before = any(p.label == OVERVIEW for p in parts) and Ask.COUNT in reading.asks and not reading.names_something
            if ((counts_the_old_structure(reading) or (counted_before and BEFORE_THE_REVISION.search(reading.clean)))
                    and not (reading.levels or reading.counts_dossiers)):
                # "… En hoeveel waren er dat vroeger?": the FAQ's count (53, and the column's "ruim dertig")
                parts.append(Part(part.start, part.end, part.text, f"{RETRIEVAL_INTENT}/{OLD_STRUCTURE_FAQ}",
                                  max(part.confidence, self._threshold)))
                continue
            # A later part can point back at a record an earlier part named ("… en op welk niveau zit die?").
            context = in_context or any(p.record for p in parts)
            refers_to_list = points_at_list(part.text, shown)
            faq_key = answer_key(part.label)
            label = lookup_intent(reading, part.label.split("/")[0], part.confidence, in_context=context,
                                  after_faq=False, faq_threshold=self._threshold, refers_to_list=refers_to_list,
                                  faq_key=faq_key)
            if (label == NOT_IN_SOURCES and not in_context and part.label.startswith("faq/") and part.confidence >= self._threshold
                    and part.confidence > reading.not_held_probability
                    and not _POINTS_AT_A_RECORD.search(normalise(part.text))):
                # What the FAQ answers more surely than it is not held, is no question about an earlier part's record
                # unless it points at it: "… en wanneer krijgen de eerste mensen een diploma?" (FAQ 0.98, not held 0.4)
                # is the FAQ's; "… en wanneer zijn de open dagen?" (not held 1.0) and "… met zo'n diploma?" are not.
                label = lookup_intent(reading, part.label.split("/")[0], part.confidence, in_context=False,
                                      after_faq=False, faq_threshold=self._threshold, refers_to_list=refers_to_list,
                                      faq_key=faq_key)
            if (label is None and any(p.label == part.label for p in parts) and Ask.NOT_HELD in reading.asks
                    and reading.asks_what_no_faq_answer_is_about):
                # "1) blijven wij erkend? 2) wat moeten we voor die erkenning betalen?": the second only echoes the
                # first one's answer; what it asks no FAQ answer is about
                label = NOT_IN_SOURCES
            if (label is None and any(p.label == f"{RETRIEVAL_INTENT}/{OLD_STRUCTURE_FAQ}" for p in parts)
                    and Ask.COUNT in reading.asks and _NOW.search(reading.clean)
                    and not (reading.names_something or reading.levels or reading.before_the_revision)):
                label = OVERVIEW  # "vroeger 53, maar hoeveel telt de nieuwe?": the count now
            if (label is None and any(p.label == part.label for p in parts) and Ask.COUNT in reading.asks
                    and HOW_MANY_RECORDS.search(reading.clean) and counts_what_the_dataset_holds(reading.clean)
                    and not (reading.names_something or reading.levels or reading.before_the_revision)
                    and not (_POINTS_AT_WHAT_WAS_SAID.search(reading.clean) or _POINTS_AT_A_RECORD.search(reading.clean))
                    and dataset_fact_left_out(reading, faq_key or "") == Ask.COUNT.value):
                # "Moeten docenten bijscholen? En hoeveel kwalificaties zijn er in totaal?": the second only echoes the
                # first one's answer, which counts no records; the dataset counts them
                label = OVERVIEW
            if label is None and any(p.lookup and p.label in LISTING_INTENTS for p in parts) and reading.asks & FACT_ASKS:
                # "welke zijn er op niveau 3, en wat is van elk het dossiernummer?": into the list the earlier part shows
                if reading.refers_back or points_at_all(part.text):
                    label = intent_asking(reading.asks)
            record = record_number(reading.record) if reading.record else None
            if record is None and not shown and (refers_to_list == BY_STRUCTURE or reading.counts_dossiers):
                # "welk dossier is het grootst en hoeveel niveau 4 zitten erin?", "hoeveel dossiers hebben alleen
                # niveau 4, en wat is het nummer daarvan?": the one dossier found by its property
                dataset = knowledge_index().dataset
                found = property_query(part.text, dataset) or dossiers_counted_by_property(part.text, dataset) or ()
                record = record_number(found[0]) if len(found) == 1 else None
            if record is None and shown and refers_to_list is not None and label is not None:
                # "welk dossier heeft er vier, en wat zit daar op niveau 3?" after a list: the one of the list
                index = knowledge_index()
                found = resolve(part.text, [r for r in map(index.by_number, shown) if r is not None], index.dataset) or ()
                record = record_number(found[0]) if len(found) == 1 else None
            parts.append(Part(part.start, part.end, part.text, label or part.label, part.confidence,
                              lookup=label is not None, record=record))
        return parts

    @classmethod
    def _choose_faq(cls, message: Message, key: Text) -> None:
        cls._choose(message, RETRIEVAL_INTENT)
        message.set("response_selector", {**(message.get("response_selector") or {}),
                                          RETRIEVAL_INTENT: chosen_answer_output(key)}, add_to_output=True)

    @staticmethod
    def _choose(message: Message, name: Text) -> None:
        chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(chosen), *ranking], add_to_output=True)
