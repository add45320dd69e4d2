"""What a message says about the dataset: the records and levels it names and what it asks.

Deterministic and Rasa-free, so the Rasa server (to route a message, bot/nlu/lookup_reader.py)
and the action server (to answer it, actions/lookups.py) read a message the same way. The
classifier knows wording; this knows the facts: every crebo and dossier number, every name
and alias (split, joined or misspelt, through the knowledge index) and every way of writing
a level ("n2", "mbo-2", "niveau twee").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import FrozenSet, List, Optional, Tuple

from bot.knowledge.asked import (EVENTS_TOPIC, NEVER_IN_THE_FAQ, OLD_NUMBERS_TOPIC, OTHER_TOPIC, SCHOOL_EVENTS, STUDY_FORMS,
                                STUDY_FORMS_TOPIC, TOPIC_CONFIDENCE, Ask, ask_model)
from bot.knowledge.models import Dossier
from bot.knowledge.nouns import COMPARES_COUNTS, COUNTS_DOSSIERS, HOW_MANY, HOW_MANY_RECORDS
from bot.knowledge.search import KnowledgeIndex, Record, knowledge_index, record_number
from bot.settings import ask_settings
from bot.text import (COMPARED_LEVEL, NUMBER_WORDS, looks_like_a_question, normalise, number_candidates,
                      number_value, parse_levels)

__all__ = ["ASKS_AN_EXACT_DATE", "Ask", "DAY_DATE", "MAX_QUESTIONS_PER_MESSAGE", "Reading", "Scope", "read", "scope", "split_questions",
           "the_record_named"]


# Pointing words, beliefs and corrections, in Dutch and in English: a closed vocabulary, read by
# patterns. What is asked (crebo, level, …, or something the sources do not hold) is learned
# (bot/knowledge/asked.py).
# "Engineering bestaat toch niet meer?", "is Mechatronica afgeschaft?"; "doesn't Engineering exist
# anymore?", "was Mechatronica scrapped?"
_DENIES = re.compile(r"\b(bestaat|bestaan)\b.{0,20}\bniet\b|\bniet meer\b|\bafgeschaft\b|\bverdwenen\b|\bgeschrapt\b|\bopgeheven\b|\bvervallen\b"
                     r"|\b(not|doesn t|doesnt|don t|dont|isn t|isnt|aren t|arent)\b.{0,50}\bexists?\b"
                     r"|\banymore\b|\b(any longer|no longer)\b|\b(not|isn t|isnt|aren t|arent|doesn t|doesnt|don t|dont)\b.{0,50}\bany more\b"
                     r"|\b(abolished|scrapped|discontinued|axed|phased out|done away with|disappeared)\b")
# Pointing back at what the conversation was about.
_REFERS_BACK = re.compile(
    r"^(en|ok|oke|okay|oké|dan|ook)\b|\b(die|deze|dezelfde|diezelfde|"
    # the pronominal adverbs: "daarvan", "erin", "eronder", "hiermee", …
    r"(er|daar|hier)(van|bij|in|onder|uit|na|voor|mee|aan|op|over|binnen|boven|door|tussen)|"
    r"daar|daarnet|net|vorige|zelfde|dat dossier|die opleiding|deze opleiding|dit dossier)\b"
    # "hoeveel kwalificaties heeft het?": "het" ending the question stands for the record
    r"|\b(heeft|hebben|bevat|telt|omvat|kent|duurt|zit|valt|ligt) het( (er|erin|eigenlijk|precies|dan|nou|nu|allemaal|"
    r"nog|wel|ook|in totaal|zo ongeveer))*$"
    # English: "it" unless it stands for nothing ("how long does it take", "is it true that …").
    r"|^(and|so|then|also|what about|how about)\b|\b(its|that one|this one|the same|that same|those|these|previous|"
    r"just now|earlier|after that|in there|of (it|them|those|these)|that (dossier|file|qualification|programme|program|course)|"
    r"this (dossier|file|qualification|programme|program|course))\b"
    r"|\bit\b(?! (takes?|took|costs?|seems?|means?|matters?|depends?)\b)(?! (is |s )?(true|possible|necessary|allowed|"
    r"required|compulsory|mandatory|the case|likely)\b)"
)
# The structure before the revision: what the FAQ says of it, not what the dataset holds.
BEFORE_THE_REVISION = re.compile(r"\b(vroeger|waren er|was er|voor de herziening|oude (\w+ )?(kwalificatie)?structuur|oude (\w+ )?kwalificaties|"
                                  r"vorige structuur|eerder waren|hiervoor|daarvoor|oorspronkelijk|destijds|voorheen|van hoeveel)\b"
                                  # "hoeveel had je er eerst?" (not "ik wil eerst weten …")
                                  r"|\b(waren|was|had|hadden)\b[^.?!]{0,25}\beerst\b|\beerst (waren|was|had|hadden)\b"
                                  r"|\b(were there|was there|used to (be|have)|formerly|previously|in the past|"
                                  r"before the (revision|reform|review|overhaul|restructuring|change|new structure)|"
                                  r"old (structure|system|situation|qualifications|dossiers|files)|previous (structure|system)|"
                                  r"before (this|that|then)|beforehand)\b|\bbefore$")  # "… before?": previously
# "welke crebo's vallen daaronder?" is what belongs to the record, not a level lower.
_BELONGS_UNDER = r"(?<!\bvallen )(?<!\bvalt )(?<!\bhoren )(?<!\bhoort )(?<!\bzitten )(?<!\bzit )(?<!\bstaan )(?<!\bstaat )"
_LOWER = re.compile(r"\b(niveau|nivo)\w* (lager|omlaag|eronder|onder)\b|" + _BELONGS_UNDER + r"\b(daaronder|eronder)\b(?! (vallen|valt|horen|hoort))|\blager\w* (niveau|nivo)\b|\bonder (die|deze|dat)\b"
                    r"|\b(daar|er) (direct|net|vlak|meteen) onder\b(?! (vallen|valt|horen|hoort|zitten|zit)\b)"
                    r"|\blevels? (lower|down|below|beneath|under)\b|\blower level\b"
                    # (not "how many programmes fall under it?": what belongs to it)
                    r"|(?<!\bsit )(?<!\bsits )(?<!\bfall )(?<!\bfalls )(?<!\bcome )(?<!\bcomes )(?<!\bare )(?<!\bbelong )"
                    r"\b(below|under|beneath) (that|this|it)\b"
                    r"|\bone below\b|\bstep down\b")
_HIGHER = re.compile(r"\b(niveau|nivo)\w* (hoger|omhoog|erboven|boven)\b|\b(daarboven|erboven)\b|\b(daar|er) (direct |net |vlak |meteen )?boven\b(?! (de|het|een|die|dat|niveau|nivo)\b)|\bhoger\w* (niveau|nivo)\b|\bdoor(stromen|groeien|leren)\b|\bvervolg\w*\b|\bvolgende (stap|niveau|nivo)\b"
                     # "wat kan ik daarna doen (in hetzelfde dossier)?" (work asked of it is not held, read before this)
                     r"|\b(daarna|hierna|erna)( \w+){0,2} (doen|gaan doen|verder|volgen|doorgaan)\b"
                     r"|\blevels? (higher|up|above)\b|\bhigher level\b|\babove (that|this|it)\b|\bone above\b|\bnext level\b"
                     r"|\bstep up\b|\bmove up\b|\bprogress\w*\b|\b(continue|carry on|go on) (studying|learning|to study)\b"
                     r"|\bfollow[ -]?(up|on) (programme|program|course|qualification|study)\b")
# ("krijgt onderhoud daarin nog een eigen kerntaak?" asks about no other record)
_OTHER = re.compile(r"\b(de|die|het) andere\b|\bander\w* (variant|kwalificatie|opleiding|richting)\w*\b"
                    r"|\b(welke|welk) andere?\b|\bandere (niveau|nivo|mbo)\b"  # "welke andere van niveau 3 is er?"
                    r"|\bnog (een|meer)\b(?! (eigen|aparte?|keer|beetje|vraag\w*|tijdje|jaar|paar|kerntaak|keuzedeel)\b)"
                    r"|\bverder nog\b|\bde tweede\b|\bde rest\b|\bde overige\b|\boverige (twee|drie|vier)\b"
                    r"|\bthe other\b|\bthe rest\b|\bthe remaining\b|\b(other|another) (one|variant|version|qualification|programme|program|course|option|track)s?\b"
                    r"|\bone more\b|\bany others?\b|\bthe second\b")
# "duurt toch 4 jaar?", "takes three years, right?": the years a message claims.
_YEARS = re.compile(r"\b(?P<years>[1-6]|een|twee|drie|vier|vijf|zes)[ -]?(jaar|jaren|jarig\w*)\b(?! (langer|korter|extra|meer|minder)\b)"
                    r"|\b(?P<english>[1-6]|one|two|three|four|five|six)[ -]?(years?|yrs?)\b"
                    r"(?! (longer|shorter|extra|more|less|ago|old)\b)")
# The levels a record has ("op hoeveel niveaus", "welke niveaus", "which levels", "how many levels"):
# a plural that names what is asked.
_LEVELS_ASKED = re.compile(r"\b(hoeveel|welke|wat voor|op hoeveel)\b.{0,30}\b(niveaus|nivos)\b"
                           r"|\b(how many|which|what)\b.{0,30}\blevels\b(?! ?([1-4]|two|three|four)\b)")
# What a dossier holds, asked in so many words: its qualifications, not what you learn ("whats in
# mechatronica", "wat valt er onder productietechniek?"); of a qualification it is what you learn (not held).
_CONTENTS_OF = re.compile(r"\b(wat zit er in|wat valt er onder|wat hoort er bij|wat zit daar in|"
                          r"whats in|what s in|what is in|whats included in|what s included in|what is included in|"
                          r"what does .{1,30} (contain|include|hold|cover))\b")
_PLURAL_LEVELS = re.compile(r"\b(niveaus|nivos|levels)\b")
# A count said in so many words, closed vocabulary beside the model: "heeft Mechatronica ook vier
# kwalificaties?"; also "de niveau 2-opleidingen", which asks for that level's list and its count.
_COUNT_SAID = re.compile(r"\b([1-9]|een|twee|drie|vier|vijf|negen) (kwalificaties|opleidingen|richtingen)\b"
                         # not a level in English: "level 2 programmes", "mbo 4 courses"
                         r"|\b(?<!level )(?<!levels )(?<!lvl )(?<!mbo )(?<!niveau )(?<!n )"
                         r"([1-9]|one|two|three|four|five|nine) (qualifications|quals|programmes|programs|courses)\b")
# A count claimed, said in so many words (closed vocabulary beside the model): "klopt het dat er nog
# maar negen kwalificaties zijn?", "are there really three files?": the number and what it counts.
_NUMBER_CLAIMED = r"(?<!level )(?<!levels )(?<!lvl )(?<!mbo )(?<!niveau )(?<!nivo )(?<!n )(?P<n>[1-9]|1[0-2]|{words})"
_CLAIMED_TOTAL = re.compile(
    _NUMBER_CLAIMED.format(words="|".join(NUMBER_WORDS)) +
    r" (?:(?:verschillende|nieuwe|losse|different|new|separate) )?"
    r"(?:(?:niveau|nivo|mbo|level) ?[1-4] )?"  # "vijf niveau 4-kwalificaties": a count at a level
    r"(?:(?P<qualifications>\w*kwalificaties|\w*opleidingen|richtingen|qualifications|quals|programmes|programs|"
    r"courses)|(?P<dossiers>kwalificatiedossiers|dossiers|kd s|hoofdstromingen|stromingen|files|qualification files|streams))\b")
# The same claim without its noun, which the conversation about the structure supplies: "zijn het er
# straks maar negen?", "blijven er maar 9 over?", "are there really only nine?" (not "maar 3 jaar").
_BARE_CLAIM = re.compile(
    r"\b(er|there)\b[^.?!]{0,25}\b(maar|slechts|only)\s(?P<n>[1-9]|1[0-2]|" + "|".join(NUMBER_WORDS) + r")\b"
    r"(?!\s+(jaar|jarig\w*|maanden|weken|uur|niveau\w*|nivo|procent|keer|years?|months?|weeks?|hours?|levels?))")
QUALIFICATIONS, DOSSIERS = "qualifications", "dossiers"


def claimed_total(clean: str) -> Optional[Tuple[int, Optional[str]]]:
    """'nog maar negen kwalificaties' → (9, QUALIFICATIONS); 'drie dossiers' → (3, DOSSIERS);
    'worden het er straks maar negen?' → (9, None): what it counts is not said."""
    found = _CLAIMED_TOTAL.search(f" {clean}")
    if found is not None:
        return number_value(found.group("n")), (QUALIFICATIONS if found.group("qualifications") else DOSSIERS)
    bare = _BARE_CLAIM.search(clean)
    return (number_value(bare.group("n")), None) if bare else None


# The counts of the old structure the sources give: 53 (1e vragenuur, vraag 1) and "ruim dertig" (the column).
OLD_COUNT = re.compile(r"\b(53|dertig|thirty)\b")
# The numbers of before the revision, which the sources do not give.
_OLD_NUMBERS = re.compile(r"\b(oude?|vorige|vroegere|eerdere|oorspronkelijke|voormalige) (crebo\w*|crebo s|dossiernummers?|nummers?|codes?)\b"
                          r"|\bcrebo\w* (van|uit) (vroeger|voor de herziening|de oude structuur)\b"
                          # "wat was vroeger het crebonummer van …", "welk crebo had X destijds?"
                          r"|\b(was|waren|had|hadden)\b[^.?!]{0,40}\b(vroeger|voorheen|destijds)\b[^.?!]{0,40}\b(crebo\w*|nummers?|codes?)\b"
                          r"|\b(crebo\w*|nummers?|codes?)\b[^.?!]{0,40}\b(was|waren|had|hadden)\b[^.?!]{0,40}\b(vroeger|voorheen|destijds)\b"
                          # "het crebonummer van de oude kwalificatie …": of a qualification of before the revision
                          r"|\b(crebo\w*|nummers?|codes?)\b[^.?!]{0,30}\b(oude|vorige|vroegere|voormalige) (kwalificatie|opleiding|dossier|kd)\w*"
                          # "welk crebo had precisietechniek in de oude structuur?"
                          r"|\b(crebo\w*|codes?)\b[^.?!]{0,60}\b(in|uit|binnen) de (oude|vorige|vroegere) (kwalificatie)?structuur\b"
                          r"|\b(crebo\w*|codes?)\b[^.?!]{0,60}\bin the (old|previous|former) (qualification )?structure\b"
                          r"|\b(old|previous|former|earlier|original) (crebo\w*|numbers?|codes?)\b")
_A_NUMBER_IN_THE_PAST = re.compile(r"\b(wat|welk|welke|which|what)\b (was|waren|had|hadden|were) (het |de |zijn |haar |the |its )?"
                                  r"(crebo\w*|crebo nummer|nummers?|codes?|numbers?)\b(?!.*\b(alweer|weer|nou|again)\b)"
                                  # with the verb last: "weet je wat het crebonummer van X was?"
                                  r"|\b(wat|welk|welke)\b (het |de |zijn |haar )?(crebo\w*|crebo nummer|nummers?|codes?)\b"
                                  r"[^.?!]{0,60}\b(was|waren)\s*$")
# Old or new asked as a choice ("krijgt ze het oude of het nieuwe nummer?"): which one applies, not the old number.
_OLD_OR_NEW = re.compile(r"\b(nieuwe?|oude?|new|old) (of|or) (op |met |onder |aan )?(een |het |de |an? |the )?(nieuwe?|oude?|new|old)\b")
# An exact day asked ("op welke datum precies?", "wanneer precies?"): the FAQ answers mostly give a month.
ASKS_AN_EXACT_DATE = re.compile(r"\b(welke|op welke|wat is de|wat was de) (datum|dag)\b|\b(exacte|precieze|juiste) (datum|dag)\b"
                                r"|\b(datum|dag|wanneer) (precies|exact)\b|\b(which|what) (exact )?(date|day)\b|\bexact date\b"
                                r"|\bwhen exactly\b")
# A day in a normalised text: "vanaf 1 oktober" (not the date of a vragenuur it cites: "4e vragenuur 11 oktober 2022").
DAY_DATE = re.compile(r"(?<!vragenuur )(?<!session )\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
                      r"|january|february|march|may|june|july|august|october)\b")
# Asking for a number itself ("wat was het crebonummer …", "welke oude crebo's …"), not whether one may still be used.
_ASKS_WHICH_NUMBER = re.compile(r"^(wat|welk|welke|hoe luid\w*|which|what)\b|\b(wat (was|is|waren|zijn)|welk|welke|hoe luidde|"
                                r"which|what (was|were|is|are))\b.{0,40}\b(crebo\w*|nummers?|codes?|numbers?)\b")
_WHICH_DOSSIER = re.compile(r"\b(in|bij|onder|tot|uit) (welk|welke) (kwalificatie)?dossiers?\b|\bdossiernummers?\b"
                            r"|\b(in|to|under) which (qualification )?(files?|dossiers?)\b")
_HOW_MANY_YEARS = re.compile(r"\b(hoeveel|how many) (jaar|jaren|leerjaren|years)\b")
# "hoe lang duren opleidingen op niveau 3?", "de studieduur van …": a duration too, a closed vocabulary
_HOW_LONG = re.compile(r"\bhoe lang (duurt|duren|duurde|ben je|ben ik|is hij|is zij|zit je|doe je)\b"
                       r"|\b(studieduur|opleidingsduur)\b|\bhow long (does|do|did|is|are|will)\b")
# "meer dan één", "meerdere": a yes/no on a count whose answer is not "there is one".
_MORE_THAN_ONE = re.compile(r"\b(meer dan (een|1)|meerdere|twee of meer|more than (one|1)|several|multiple|two or more)\b")
_COMPARED_DURATION = re.compile(r"\b(korter|langer|sneller|even lang)\b"
                                r"|\b(shorter|quicker|faster|as long as)\b|(?<!no )(?<!any )\blonger\b")
_IN_THE_NAME = re.compile(r"\bin (de|zijn|haar|hun|z n) naam\b|\bnaam (bevat|heeft)\b"
                          r"|\bin (the|its|their) names?\b|\bnames? (contains?|has|includes?)\b")
_LEERWEG_WORDS = re.compile(r"\b(bol|bbl|leerweg\w*|learning (path|pathway|route)s?)\b")
_CORRECTION = re.compile(r"\bik bedoel\w*\b|\bbedoelde\b|\bik had het over\b|\bniet .{1,40} maar\b|\bverkeerd\b|\bsorry\b|\bcorrectie\b"
                         r"|\bi mean\w*\b|\bi (was|m|am) (talking|asking) about\b|\bi was referring to\b|\bnot .{1,40} but\b"
                         r"|\bwrong\b|\bcorrection\b")


@dataclass(frozen=True)
class Reading:
    """Everything the dataset can say about one message."""

    text: str
    records: Tuple[Record, ...] = ()  # named, by number or by name, in the order named
    candidates: Tuple[Record, ...] = ()  # a partial name that fits several records
    unknown_numbers: Tuple[str, ...] = ()  # numbers that look like a crebo but are not in the dataset
    levels: Tuple[int, ...] = ()
    asks: FrozenSet[Ask] = frozenset()
    level_step: int = 0  # +1: "een niveau hoger", -1: "een niveau lager"
    other_variant: bool = False  # "en de andere van niveau 4?"
    refers_back: bool = False  # "en in welk dossier zit die?"
    correction: bool = False  # "ik bedoelde eigenlijk Engineering"
    denies_existence: bool = False  # "Engineering bestaat toch niet meer?"
    number_and_name_agree: bool = False  # "klopt het dat 25893 Technicus mechatronica is?"
    excluded: Tuple[Record, ...] = ()  # dossiers left out of a count or list at a level ("zonder Engineering")
    excluded_levels: Tuple[int, ...] = ()  # levels left out of a count or list ("als je niveau 2 niet meetelt")
    claimed_years: Optional[int] = None  # "duurt toch 4 jaar?"
    more_than_one: bool = False  # "heeft Mechatronica meer dan één kwalificatie op niveau 4?"
    claimed_count: Optional[Tuple[int, Optional[str]]] = None  # "nog maar negen kwalificaties" → (9, QUALIFICATIONS)
    topic: Optional[str] = None  # what a not-held question asks about ("cost", "schools", …)
    topic_confidence: float = 0.0
    not_held_probability: float = 0.0  # how sure the ask model is that it asks what the sources do not hold

    @cached_property
    def clean(self) -> str:
        """The text as the patterns read it (bot.text.normalise)."""
        return normalise(self.text)

    @property
    def only_guesses_not_held(self) -> bool:
        """Not held by the floor alone (no label was sure) and of no topic named: a weak guess, which a pick from the
        list just shown by its structure overrules ("welke heeft alleen maar niveau 4?" after the dossiers)."""
        return self.not_held_probability < ask_settings().threshold and not self.names_a_topic

    @property
    def names_a_topic(self) -> bool:
        """Says surely what the sources do not hold ("wat kost …"), not only an unknown word ("tegenhanger")."""
        return self.topic not in (None, OTHER_TOPIC) and self.topic_confidence >= TOPIC_CONFIDENCE

    @property
    def asks_what_no_faq_answer_is_about(self) -> bool:
        """Names surely a topic no FAQ answer is about (cost, salary, schools, …: NEVER_IN_THE_FAQ)."""
        return self.topic in NEVER_IN_THE_FAQ and self.topic_confidence >= TOPIC_CONFIDENCE

    @property
    def counts_dossiers(self) -> bool:
        """'hoeveel dossiers blijven er over …': dossiers counted, not qualifications."""
        return bool(COUNTS_DOSSIERS.search(self.clean))

    @property
    def names_an_old_count(self) -> bool:
        """'eerst waren het er 53, toch?': a count of the old structure the sources give."""
        return bool(OLD_COUNT.search(self.clean))

    @property
    def before_the_revision(self) -> bool:
        """'vroeger', 'voor de herziening', 'en daarvoor?': about the structure before the revision."""
        return bool(BEFORE_THE_REVISION.search(self.clean))

    @property
    def record(self) -> Optional[Record]:
        return self.records[0] if self.records else None

    @property
    def names_something(self) -> bool:
        return bool(self.records or self.candidates or self.unknown_numbers)

    @property
    def is_check(self) -> bool:
        return Ask.CHECK in self.asks

    @property
    def asks_about_context(self) -> bool:
        """Asks something of a record without naming one: a follow-up if there is context."""
        asked = self.asks - {Ask.CHECK, Ask.NOT_HELD}
        pointed = self.level_step or self.other_variant or (self.levels and self.refers_back)
        return not self.names_something and bool(asked or pointed)

    @property
    def names_levels_in_plural(self) -> bool:
        """'op hoeveel niveaus', 'which levels': the levels of the structure or a record, not one level."""
        return bool(_PLURAL_LEVELS.search(self.clean))

    @property
    def word_count(self) -> int:
        return len(self.clean.split())


def the_record_named(text: str, index: Optional[KnowledgeIndex] = None) -> Optional[Record]:
    """The one record a message names by its whole name, narrowed to a dossier's one qualification at
    the level it names ("kan mechatronica niveau 4 ook in de bol?": Technicus mechatronica); else None.
    What an FAQ answer to that message leaves as the subject of a follow-up ("en hoe lang duurt dat?")."""
    reading = read(text, index)
    if len(reading.records) != 1 or reading.candidates or reading.excluded:
        return None
    record = reading.records[0]
    if isinstance(record, Dossier) and len(reading.levels) == 1:
        dataset = (index or knowledge_index()).dataset
        at_level = dataset.qualifications_in(record.number, reading.levels[0])
        return at_level[0] if len(at_level) == 1 else record
    return record


def read(text: str, index: Optional[KnowledgeIndex] = None) -> Reading:
    """Read one message (or one clause of it), up to its last answered question (`scope`). A
    message is read several times on its way (the classifier, the lookup reader, the action):
    with the bundled dataset, once per process."""
    if index is None or index is knowledge_index():
        return _read_with_the_dataset(text)
    return _read(text, index)


@lru_cache(maxsize=1024)
def _read_with_the_dataset(text: str) -> Reading:
    return _read(text, knowledge_index())


# "de crebonummers 25891 tot en met 25893", "25894 t/m 25897", "van 25891 tot 25893"
_NUMBER_RANGE = re.compile(r"\b(?P<first>\d{5}) ?(tot en met|t/m|t\.m\.|tm|tot|-|–|through|to) ?(?P<last>\d{5})\b",
                           re.IGNORECASE)


def _with_the_numbers_between(text: str, records: List[Record], index: KnowledgeIndex) -> List[Record]:
    """A range of numbers names every record in it, in order; the two ends alone would skip the middle."""
    for found in _NUMBER_RANGE.finditer(text):
        first, last = int(found.group("first")), int(found.group("last"))
        if not 0 < last - first <= 20:
            continue
        between = [r for r in (index.by_number(str(n)) for n in range(first, last + 1)) if r is not None]
        ends = [r for r in records if record_number(r) in (found.group("first"), found.group("last"))]
        if ends and all(type(r) is type(ends[0]) for r in between):
            at = records.index(ends[0])
            records = records[:at] + between + [r for r in records[at:] if r not in between]
    return records


# Other fields whose names hold a dossier's name ("electrical engineering" is no Engineering): a closed list.
_OTHER_FIELDS = re.compile(r"\b(electrical|electronic|mechanical|civil|chemical|software|industrial|electro)[ -]engineering\b",
                           re.IGNORECASE)


# "duren ze ook drie jaar, evenals Mechatronica?": what the question is compared with, not about.
# (a clause of its own, after a comma or first: "duurt X net als Y vier jaar?" claims of both)
# "…, net als Y", and mid-sentence "… of 3 jaar net als Y?": Y is compared with, not asked about
_COMPARED_WITH = re.compile(r"(^|,|\s)\s*(net als|net zoals|evenals|just like|the same as)\b[^,.?!;]*", re.IGNORECASE)
_A_SUBJECT_POINTED_AT = re.compile(r"\b(die|deze|dat|dit|ze|zij|hij|those|these|they|it)\b")


def _read(text: str, index: KnowledgeIndex) -> Reading:
    text = index.with_swaps_undone(scope(text).text)
    compared = _COMPARED_WITH.search(text)
    if compared and index.find_all(compared.group()).record is not None:
        subject = (text[:compared.start()] + text[compared.end():]).strip(" ,")
        # Of the one before (one named beside it is answered with it: "heeft X ook vier, net als Y?" gets both)
        named = index.find_all(subject)
        if named.record is None and not named.candidates and _A_SUBJECT_POINTED_AT.search(normalise(subject)):
            return _read(subject, index)
    clean = normalise(text)
    records: List[Record] = []
    unknown: List[str] = []
    rest = text
    for number in dict.fromkeys(number_candidates(text)):  # each once
        if len(number) != 5:  # crebo and dossier numbers have five digits
            continue
        record = index.by_number(number)
        if record is not None and record not in records:
            records.append(record)
        elif record is None:
            unknown.append(number)
        rest = rest.replace(number, " ")
    records = _with_the_numbers_between(text, records, index)
    rest = _OTHER_FIELDS.sub(" ", rest)  # "a course in electrical engineering" names no dossier Engineering
    match = index.find_all(rest)
    candidates: Tuple[Record, ...] = ()
    agree = match.record is not None and match.record in records
    if match.record is not None:
        named = [match.record]
    elif match.candidates and all(_named_in_full(record, rest) for record in match.candidates):
        named = list(match.candidates)  # several records, each named in full
    else:
        named = []
        candidates = () if records else match.candidates  # a partial name: which one?
    records += [record for record in named if record not in records]
    sentences = [text[start:end] for start, end in split_questions(text)]
    questions = [s for s in sentences if looks_like_a_question(s)] if len(sentences) > 1 else []
    asked = ask_model().predict(text, questions)
    if _WHICH_DOSSIER.search(clean) and not re.search(r"\bcrebo", clean):
        # "in welke dossiers zitten die twee?", "graag de dossiernummers": the dossiers of what is meant
        asked = replace(asked, asks=(asked.asks - {Ask.CREBO}) | {Ask.DOSSIER})
    if _LEVELS_ASKED.search(clean):  # "welke niveaus komen voor in productietechniek?": its levels
        asked = replace(asked, asks=(asked.asks - {Ask.COUNT, Ask.DURATION, Ask.NOT_HELD}) | {Ask.LEVEL})
    if _CONTENTS_OF.search(clean) and any(isinstance(record, Dossier) for record in records):
        asked = replace(asked, asks=(asked.asks - {Ask.NOT_HELD}) | {Ask.LIST})
    if _IN_THE_NAME.search(clean) and asked.probabilities.get(Ask.NOT_HELD, 0.0) < ask_settings().sure_of_a_detail:
        # "welke heeft 'eerste' in de naam?": names are what the dataset holds; but "die met X in de naam"
        # may only point at a record of which something else is asked, as the model can be sure of
        asked = replace(asked, asks=asked.asks - {Ask.NOT_HELD})
    if _LEERWEG_WORDS.search(clean):  # "zijn ze toch alleen nog bol?": BOL and BBL are the leerweg's own names
        asked = replace(asked, asks=asked.asks | {Ask.LEERWEG})
    claimed = claimed_total(clean)  # "nog maar negen kwalificaties", "blijven er maar negen over?"
    # (a number of years said of several is a duration, unless a count is asked too: "mogen die vierjarig zijn?")
    years_said = _claimed_years(clean) is not None and not HOW_MANY.search(clean)
    if ((_COUNT_SAID.search(clean) or _MORE_THAN_ONE.search(clean) or HOW_MANY_RECORDS.search(clean)
         or COMPARES_COUNTS.search(clean) or claimed)
            and not asked.asks - {Ask.CHECK, Ask.EXISTS} and not years_said):
        # "heeft Mechatronica ook vier kwalificaties?", "zijn er echt maar negen opleidingen over?"
        asked = replace(asked, asks=asked.asks | {Ask.COUNT})
    if claimed and Ask.COUNT in asked.asks and looks_like_a_question(text):
        asked = replace(asked, asks=asked.asks | {Ask.CHECK})  # "blijven er maar negen over?": a number to confirm
    if (_HOW_MANY_YEARS.search(clean) or _HOW_LONG.search(clean)) and not asked.asks & {Ask.NOT_HELD}:
        # "die twee op nivo 4, hoeveel jaar zijn die": a duration, not a count of records, unless another
        # "hoeveel" counts too ("… en hoeveel zitten er in dat dossier?")
        counts_too = len(HOW_MANY.findall(clean)) > len(_HOW_MANY_YEARS.findall(clean))
        asked = replace(asked, asks=(asked.asks - (set() if counts_too else {Ask.COUNT})) | {Ask.DURATION})
    # "wat was het crebonummer van metaalbewerker?" names no record of ours: a number of before the revision
    # (not "wat was het crebo van X ook alweer?" of a record we know)
    past_number = not records and not candidates and bool(_A_NUMBER_IN_THE_PAST.search(clean))
    if (_OLD_NUMBERS.search(clean) or past_number) and not _OLD_OR_NEW.search(clean):
        # "wat was het oude crebonummer van Technicus mechatronica?": the sources give only the new numbers
        asked = replace(asked, asks=frozenset({Ask.NOT_HELD}), topic=OLD_NUMBERS_TOPIC, topic_confidence=1.0)
        if _ASKS_WHICH_NUMBER.search(clean):  # the number itself asked: sure, whatever an FAQ answer on old numbers says
            asked = replace(asked, probabilities={**asked.probabilities, Ask.NOT_HELD: 1.0})
    if SCHOOL_EVENTS.search(clean) and not asked.asks - {Ask.NOT_HELD, Ask.CHECK, Ask.EXISTS}:
        # "wanneer is er een open dag?": a school's events, of which the sources say nothing
        asked = replace(asked, asks=frozenset({Ask.NOT_HELD}), topic=EVENTS_TOPIC, topic_confidence=1.0,
                        probabilities={**asked.probabilities, Ask.NOT_HELD: 1.0})
    if STUDY_FORMS.search(clean) and not asked.asks - {Ask.NOT_HELD, Ask.CHECK, Ask.EXISTS, Ask.LEERWEG}:
        # "bestaat monteur mechatronica ook als deeltijdopleiding?": the sources speak of BOL and BBL only
        asked = replace(asked, asks=frozenset({Ask.NOT_HELD}), topic=STUDY_FORMS_TOPIC, topic_confidence=1.0,
                        probabilities={**asked.probabilities, Ask.NOT_HELD: 1.0})
    if records and _COMPARED_DURATION.search(clean):
        # "is niveau 4 van mechatronica korter dan die van productietechniek?": each one's duration
        asked = replace(asked, asks=(asked.asks - {Ask.NOT_HELD}) | {Ask.DURATION})
    levels = tuple(parse_levels(rest)) or _level_after_dossier(rest, records)
    # "hoeveel niveau 4-opleidingen zijn er als je Engineering niet meetelt?", "hoeveel zijn er behalve
    # die van Engineering?": a dossier left out of a count or list
    excluded = tuple(r for r in records if isinstance(r, Dossier) and _left_out(r, clean))
    records = [record for record in records if record not in excluded]
    # "de kwalificatie die niet productietechnicus heet": a name ruled out is not what the message is about
    records = [record for record in records if not _named_after_a_negation(record, clean)]
    if questions and len(records) > 1:
        # "Mijn dochter kiest waarschijnlijk Engineering. Welk crebo heeft commercieel technicus engineering?": the story's
        # record is context; the records the questions name are asked about
        in_questions = {record for question in questions for record in _named_in(question, index)}
        asked_about = [record for record in records if record in in_questions]
        records = asked_about or records
    # "hoeveel kwalificaties zijn er als je niveau 2 niet meetelt?": a level left out, not asked about
    excluded_levels = tuple(level for level in dict.fromkeys(levels) if _level_left_out(level, clean))
    levels = tuple(level for level in levels if level not in excluded_levels)
    return Reading(
        text=text,
        records=tuple(records),
        excluded=excluded,
        excluded_levels=excluded_levels,
        candidates=candidates,
        unknown_numbers=tuple(unknown),
        levels=levels,
        asks=asked.asks,
        # "een lager niveau dan 4" compares with a level named; "een niveau lager" steps from the context
        level_step=0 if COMPARED_LEVEL.search(clean) and levels else -1 if _LOWER.search(clean) else 1 if _HIGHER.search(clean) else 0,
        other_variant=bool(_OTHER.search(clean)),
        refers_back=bool(_REFERS_BACK.search(clean)),
        correction=bool(_CORRECTION.search(clean)),
        denies_existence=bool(_DENIES.search(clean)),
        number_and_name_agree=agree,
        claimed_years=_claimed_years(clean),
        claimed_count=claimed,
        more_than_one=bool(_MORE_THAN_ONE.search(clean)),
        topic=asked.topic,
        topic_confidence=asked.topic_confidence,
        not_held_probability=asked.probabilities.get(Ask.NOT_HELD, 0.0),
    )


def _named_in(sentence: str, index: KnowledgeIndex) -> List[Record]:
    """The records one sentence names, by number or by name in full."""
    named = [record for number in number_candidates(sentence) if (record := index.by_number(number)) is not None]
    match = index.find_all(_OTHER_FIELDS.sub(" ", sentence))
    if match.record is not None:
        named.append(match.record)
    elif match.candidates and all(_named_in_full(record, sentence) for record in match.candidates):
        named += list(match.candidates)
    return named


def _level_after_dossier(text: str, records: List[Record]) -> Tuple[int, ...]:
    """'mechatronica 4', 'productietechniek n2': a level written right after a dossier's name."""
    from bot.knowledge.models import Dossier

    clean = normalise(text)
    for record in records:
        if isinstance(record, Dossier):
            found = re.search(rf"\b{re.escape(normalise(record.name))} (?:n|mbo ?)?(?P<level>[2-4])\b(?! ?(jaar|years?))", clean)
            if found:
                return (int(found.group("level")),)
    return ()


# "behalve die van Engineering", "zonder de opleidingen van Mechatronica": what belongs to it, left out.
_LEAVING_OUT_BEFORE = re.compile(r"\b(zonder|behalve|buiten|uitgezonderd|exclusief|afgezien van)( de| het)?"
                                 r"( (die|degene|de opleidingen|de kwalificaties) (van|in|bij|uit|op))?$"
                                 # "de andere, niet die van niveau 2"
                                 r"|\bniet (die|degene|de opleidingen|de kwalificaties) (van|op)$"
                                 r"|\b(without|except|excluding|apart from|other than|besides|aside from|not counting|"
                                 r"leaving out|leave out|don t count|do not count|minus)( the)?( (ones|qualifications|programmes) (of|in|from))?$")
# After the name: "als je engineering niet meetelt"; "with engineering not counted".
_LEFT_OUT_AFTER = re.compile(r"^( \w+){0,3} niet (meetel\w*|meegeteld|meegerekend|meereken\w*|mee|gerekend|geteld)\b|^( \w+){0,3} buiten beschouwing\b"
                             r"|^( \w+){0,2} (weglaat|weglaten|wegdenkt|aftrekt|schrapt|valt af|vallen af|afvalt|wegvalt)\b"
                             # "engineering al afgestreept", "productietechniek echt niet ziet zitten"
                             # (right after the name, or one adverb between: not "… als hij bbl niet wil")
                             r"|^( (al|echt|helemaal|totaal|gewoon|toch|dus))? (afgestreept|weggestreept|geschrapt|afgevallen|"
                             r"laat vallen|niet (ziet |zie )?zitten|niet wil|niet leuk vindt|niet interessant vindt)\b"
                             r"|^( \w+){0,3} not (counted|included|counting)\b"
                             r"|^( \w+){0,2} aside\b")


def _level_left_out(level: int, clean: str) -> bool:
    """'als je niveau 2 niet meetelt', 'zonder niveau 2', 'behalve de niveau 2-opleidingen'."""
    for found in re.finditer(rf"\b(niveau|nivo|mbo|level|n) ?{level}\b", clean):
        # a few words either side (bounded: a long message with many levels is read in linear time)
        before, after = clean[max(0, found.start() - 60):found.start()].rstrip(), clean[found.end():found.end() + 60]
        if _LEAVING_OUT_BEFORE.search(before) or _LEFT_OUT_AFTER.match(re.sub(r"^ ?(opleidingen|kwalificaties)\b", "", after)):
            return True
    return False


# Words that rule a name out ("de kwalificatie die niet productietechnicus heet", "behalve de monteur",
# "not the commercial technician"); not "doesn't Mechatronica exist?" or "is dat niet productietechnicus?".
_NEGATED_BEFORE = re.compile(r"\b(die niet|welke niet|is geen|die geen|dat geen|welke geen|is niet|behalve|naast|zonder|uitgezonderd|niet de|niet die|niet het|except|"
                             r"other than|apart from|not the|not that)( de| die| het| the)?$"
                             # "het dossier dat niet engineering en niet mechatronica is" (not "is dat niet …?": a check)
                             r"|(?<!\bis )\bdat niet$|\ben niet$")


def _named_after_a_negation(record: Record, clean: str) -> bool:
    """'die niet productietechnicus heet', 'not the commercial technician': every mention of the
    record's name comes right after a negation word."""
    padded = f" {clean} "
    before_each_mention = [padded[:mention.start()].rstrip()
                           for name in dict.fromkeys(normalise(n) for n in (record.name, *record.aliases))
                           for mention in re.finditer(re.escape(f" {name} "), padded)]
    return bool(before_each_mention) and all(_NEGATED_BEFORE.search(before) for before in before_each_mention)


_TAKING_AWAY = re.compile(r"\b(laat|laten|haal|haalt|halen|streep|streept|strepen)\b( \w+){0,4}$")


def _left_out(dossier: Dossier, clean: str) -> bool:
    """'zonder Engineering', 'behalve mechatronica', 'als je engineering niet meetelt', 'op
    productietechniek na', 'without mechatronics': the dossier is named (by its name or an
    alias) to be left out."""
    for name in dict.fromkeys(normalise(n) for n in (dossier.name, *dossier.aliases)):
        at = f" {clean} ".find(f" {name} ")
        if at < 0:
            continue
        before, after = clean[:at].rstrip(), clean[at + len(name):]
        if (_LEAVING_OUT_BEFORE.search(before) or _LEFT_OUT_AFTER.match(after)
                or re.match(r"^ na\b", after) and before.endswith(" op")
                # "stel je laat het hele dossier mechatronica weg", "haal engineering eruit"
                or re.match(r"^( \w+){0,2} (weg|eruit|af)\b", after) and _TAKING_AWAY.search(before)):
            return True
    return False


# "duurt die drie of vier jaar?", "three or four years?": a choice asks the duration, it claims none.
_YEARS_CHOICE = re.compile(r"\b([1-6]|een|twee|drie|vier|vijf|zes|one|two|three|four|five|six) (of|or) "
                           r"([1-6]|een|twee|drie|vier|vijf|zes|one|two|three|four|five|six)[ -]?(jaar|jaren|years?)\b")


def _claimed_years(clean: str) -> Optional[int]:
    if _YEARS_CHOICE.search(clean):
        return None
    found = _YEARS.search(clean)
    if found is None:
        return None
    value = found.group("years") or found.group("english")
    return number_value(value)


def _named_in_full(record: Record, text: str) -> bool:
    padded = f" {normalise(text)} "
    return any(f" {normalise(name)} " in padded for name in (record.name, *record.aliases))


# The verbs that open a yes/no question ("blijft de erkenning geldig?").
_QUESTION_VERB = (
    r"(?:geldt|gelden|is|zijn|kan|kun|kunnen|mag|moet|moeten|heeft|hebben|bestaat|wordt|worden|komt|komen|zit|valt|hoort|"
    r"zet|zetten|gaat|gaan|krijg|krijgt|krijgen|blijft|blijven|sluit|sluiten|telt|duurt|duren|verandert|staat|staan)"
)
_WH_WORD = r"(?:wat|welk|welke|wie|waar|wanneer|hoe|hoeveel|waarom|what|which|who|where|when|how|why)"
# Where a message is cut into questions: after a question mark, or before "en"/"of"
# followed by a question word ("… mechatronica en op welk niveau zit die?"); in English before
# "and" followed by one ("… mechatronics technician, and what level is it?").
_QUESTION_START = (
    r"(?:(?:vanaf|tot|sinds|in|op|onder|bij|met|voor|van|uit|na) (?:wanneer|welk|welke|wat|wie|hoeveel)|"
    rf"wat|welk|welke|wie|waar|wanneer|hoe|hoelang|hoeveel|waarom|{_QUESTION_VERB})"
)
_ENGLISH_QUESTION_START = (
    r"(?:what|what's|whats|which|who|whom|whose|where|when|how|why|in which|at which|under which|to which|"
    r"is|are|was|were|do|does|did|can|could|will|would|should|shall|may|must|has|have)"
)
# Not at "of" or "maar" ("or", "but"): "blijven ze geldig of moeten we nieuwe zoeken?" and "zit het
# op niveau 3, of is het niveau 4?" are one question; but ", of weet je hoe …", ", of wat …", ", of staat
# er …" start another. Also at " / " before a question word ("bol / bbl" is one question).
# Also at "+", "plus" and "en ook," before a question ("… op nivo 4 plus wat is de crebo van …"),
# ", ook wil ik weten …", "en verder: …", "daarnaast …", ", also …", "additionally …".
# A dot after these ends no sentence: "toelatingseis voor comm. technicus engineering".
_ABBREVIATIONS = ("comm", "bijv", "bv", "ca", "nr", "evt", "incl", "excl", "vs", "o.a", "d.w.z", "i.p.v", "m.b.t", "t.a.v",
                  "e.g", "i.e", "approx")
_NOT_AFTER_ABBREVIATION = "".join(rf"(?<!\b{re.escape(word)})" for word in _ABBREVIATIONS)
_SPLIT = re.compile(rf"\?\s+(?=\S)|{_NOT_AFTER_ABBREVIATION}[.!;]\s+(?=\S)|,?\s+en\s+(?:ook[,:]?\s+)?(?={_QUESTION_START}\b)"
                    rf"|\s+\+\s+|\s+/\s+(?={_QUESTION_START}\b)|,?\s+plus[,:]?\s+(?={_QUESTION_START}\b)"
                    rf"|,\s+of\s+(?=(?:weet (?:je|jij|u)|staa?t er|staan er|{_WH_WORD})\b)"
                    # "… en verdien je daar goed mee?": a verb before its subject opens a yes/no question
                    r"|,?\s+en\s+(?=\w+ (?:je|jij|u|ik|we|wij|ze|zij|men)\b(?! (?:en|of)\b))"
                    r"|,\s*(?=(?:ook|daarnaast|verder|tevens)\b)|\s+(?:en verder|daarnaast)[:,]?\s+"
                    rf"|,?\s+and\s+(?:also\s+)?(?={_ENGLISH_QUESTION_START}\b)|,\s*(?=(?:also|additionally|furthermore|plus)\b)"
                    r"|\s+(?:additionally|furthermore)[:,]?\s+", re.IGNORECASE)
MIN_CLAUSE_WORDS = 2


# At most this many questions of one message are answered. Three answers still fit one post in
# Slack or Teams and one screen of the kiosk; people rarely ask more at once (the independent
# sets hold messages of two and three questions); and it bounds what one message costs: a 2 kB
# message of 200 questions bought 200 answers. The rest are named as not answered.
MAX_QUESTIONS_PER_MESSAGE = 3


@dataclass(frozen=True)
class Scope:
    """What of a message is read: its text up to and including its last answered question, the
    spans of that text's questions, and how many questions after it are left unanswered."""

    text: str
    spans: Tuple[Tuple[int, int], ...]
    unanswered: int = 0


def scope(text: str) -> Scope:
    """`text` up to its MAX_QUESTIONS_PER_MESSAGE-th question; statements around a question
    ("We willen niet te laag zitten.") stay with it, as they are its context."""
    spans = split_questions(text)
    asked = [i for i, (start, end) in enumerate(spans) if _asks(text[start:end])]
    if len(asked) <= MAX_QUESTIONS_PER_MESSAGE:
        return Scope(text, tuple(spans))
    last = asked[MAX_QUESTIONS_PER_MESSAGE - 1]
    return Scope(text[:spans[last][1]], tuple(spans[:last + 1]), len(asked) - MAX_QUESTIONS_PER_MESSAGE)


def _asks(clause: str) -> bool:
    """A question, or a clause that names a crebo or dossier number ("25894 en 25892?")."""
    return looks_like_a_question(clause) or any(len(number) == 5 for number in number_candidates(clause))


# A list of questions: "hoeveel dossiers zijn er, welk dossier heeft alleen niveau 4, en …",
# "Drie vragen: hoeveel …". Cut at a comma before a question word only when the clause before it
# opens as a question itself ("Als ik BBL doe, hoe lang duurt het?" is one question).
_LISTED_QUESTION = re.compile(rf",\s+(?={_WH_WORD}\b)", re.IGNORECASE)
# "… btw hoelang duurt …", "o ja, welk crebo …": a second question after a complete first one
# (not "Weet je trouwens hoe lang …": too short to be a question of its own).
_AFTERTHOUGHT = re.compile(rf",?\s+(?:btw|trouwens|overigens|o ja|oja)[,:]?\s+(?={_QUESTION_START}\b)", re.IGNORECASE)
# A numbered list: "1) hoeveel … 2) welk crebo … 3) …", cut only when it starts with 1.
_NUMBERED_ITEM = re.compile(r"\s+(?=[2-9][.)]\s)")
_FIRST_ITEM = re.compile(r"(^|\s)1[.)]\s")
_CLAUSE_WORDS = 4  # a clause before a listed yes/no question or an afterthought is a question of its own
# And a yes/no question after one: "Wordt het landelijk ingevoerd, gaan de erkenningen mee?" (a verb
# before its subject, after a clause that opens with one; "In welk dossier, met welk nummer, is dat
# terechtgekomen?" is one question, its verb after the fronted words).
_LISTED_YES_NO_QUESTION = re.compile(
    rf",\s+(?={_QUESTION_VERB} (?:de|het|een|die|dat|je|jij|u|ik|we|wij|ze|zij|er|men)\b)", re.IGNORECASE)
_OPENS_WITH_A_VERB = re.compile(rf"^\W*(?:en |maar |dus |ok\w* )?{_QUESTION_VERB}\b", re.IGNORECASE)
_INTRODUCED_QUESTION = re.compile(rf":\s+(?={_WH_WORD}\b)", re.IGNORECASE)
_INTRODUCTION_WORDS = 3  # "Twee vragen:", "Nog een vraag:"


def _clause_before(text: str, at: int, cuts: List[Tuple[int, int]]) -> str:
    """The text from the last cut before `at` up to `at`: the clause a possible cut would end."""
    return text[max((end for _, end in cuts if end <= at), default=0):at]


def _cuts(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each place the text is cut: the end of one question and the start of the next."""
    cuts = [(cut.start() + (1 if text[cut.start()] in "?.!" else 0), cut.end()) for cut in _SPLIT.finditer(text)]
    for cut in _INTRODUCED_QUESTION.finditer(text):
        # "Twee vragen: …" introduces questions; "In het dossier Mechatronica uit dat antwoord: welke …?" is part of one
        clause = _clause_before(text, cut.start(), cuts)
        if looks_like_a_question(clause) or len(normalise(clause).split()) <= _INTRODUCTION_WORDS:
            cuts.append((cut.start(), cut.end()))
    cuts.sort()
    listed: List[Tuple[int, int]] = []
    for cut in sorted([*_LISTED_QUESTION.finditer(text), *_LISTED_YES_NO_QUESTION.finditer(text)], key=lambda m: m.start()):
        clause = _clause_before(text, cut.start(), cuts + listed)
        if cut.re is _LISTED_YES_NO_QUESTION:  # ("Kan ik, zit ik nu op niveau 2, doorstromen?" is one question)
            opens_a_question = _OPENS_WITH_A_VERB.search(clause) and len(normalise(clause).split()) >= _CLAUSE_WORDS
        else:
            opens_a_question = looks_like_a_question(clause)
        if opens_a_question:
            listed.append((cut.start(), cut.end()))
    for cut in _AFTERTHOUGHT.finditer(text):
        clause = _clause_before(text, cut.start(), cuts + listed)
        if looks_like_a_question(clause) and len(normalise(clause).split()) >= _CLAUSE_WORDS:
            listed.append((cut.start(), cut.end()))
    if _FIRST_ITEM.search(text):
        listed += [(cut.start(), cut.end()) for cut in _NUMBERED_ITEM.finditer(text)]
    return sorted(cuts + listed)


def split_questions(text: str) -> List[Tuple[int, int]]:
    """Character spans of the questions in one message; one span when it asks one thing."""
    spans, start = [], 0
    for end, next_start in _cuts(text):
        if end < start:
            continue  # overlapping cuts ("…, en hoe …" is both a listed and an "en" cut)
        spans.append((start, end))
        start = next_start
    spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if len(normalise(text[s:e]).split()) >= MIN_CLAUSE_WORDS]
    return spans or [(0, len(text))]
