"""Generated personal data in generated Dutch sentences: none of it survives masking, storing or the report.

Hypothesis writes each format the way people type it (random digits, random groupings,
separators " ", "-", " - ", "–", "/", ".", brackets), puts it after a Dutch lead-in ("Bel me
op", "Mijn BSN is") among sentences that must stay as they are (crebo and dossier numbers,
dates, years, levels), and checks three places:
(a) `mask_text`: the sentence comes back exactly, with the data replaced by its label;
(b) the conversation store (`ConversationStore.save`, where events are masked before they
    are written): no stored event holds the data, in any of its texts;
(c) the usage report (`bot.report`, as `make report` builds it from that store), where
    each generated question must be listed, masked.
10,000 generated cases in all (each test asserts how many it ran): 6,000 through (a), 3,700
in conversations of five messages through (b), 300 through (b) and (c). A companion test
generates sentences of what must stay (crebo and dossier numbers, dates, years, levels).
tests/bot/test_masking.py has the hand-written cases and the timing of worst cases.
"""
from __future__ import annotations

import asyncio
import html
import json
import sqlite3
from datetime import date, datetime, timedelta, timezone
from itertools import count
from typing import Callable, Iterator, List, NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import PROJECT_DIR
from bot.masking import IBAN_LENGTHS, mask_text
from bot.report import build_report, render_html
from bot.store.tracker_store import ConversationStore

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))

MASKING_CASES_PER_FORMAT = 750  # × 8 formats = 6,000 through mask_text
STORE_CASES, TURNS = 3_700, 5  # conversations of five messages
REPORT_EXAMPLES, QUESTIONS_PER_REPORT = 12, 25  # 300 questions, each shown on its report
TOTAL_CASES = 8 * MASKING_CASES_PER_FORMAT + STORE_CASES + REPORT_EXAMPLES * QUESTIONS_PER_REPORT
assert TOTAL_CASES == 10_000


def property_settings(examples: int, shrink: bool = True) -> settings:
    # No example database, so no failing data is saved in the checkout (Hypothesis still
    # keeps a cache in .hypothesis/, which its own .gitignore keeps out of git). Without
    # shrinking (the store and the report) a failure is shown as found, at once: shrinking a
    # report of 25 messages ran into Hypothesis's five-minute limit. Its message goes
    # through (a) to be shrunk there.
    phases = [phase for phase in Phase if shrink or phase not in (Phase.shrink, Phase.explain)]
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow])


class Case(NamedTuple):
    """One piece of personal data as typed, in a sentence, and that sentence as it must be stored."""

    data: str
    said: str
    stored: str


# --- the formats ---------------------------------------------------------------------

SEPARATORS = ["", " ", " ", "-", " - ", "\u2013", " \u2013 ", "/", " / ", ".", "  "]


def chars(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """A string over `alphabet`, drawn as two integers.

    Few draws per example keep 10,000 examples fast (each draw costs Hypothesis ≈ 0.1 ms);
    and Hypothesis 6.168.5, shrinking a failure, compared one text's characters with another
    text's alphabet and raised ValueError, which hid the failure.
    """
    def spelled(size_and_value) -> str:
        size, value = size_and_value
        out = ""
        for _ in range(size):
            value, index = divmod(value, len(alphabet))
            out += alphabet[index]
        return out

    return st.tuples(st.integers(min_size, max_size), st.integers(0, len(alphabet) ** max_size - 1)).map(spelled)


def digit_string(length: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10 ** length - 1).map(lambda value: str(value).zfill(length))


@st.composite
def grouped(draw, digits: str) -> str:
    """`digits` cut into random groups, with one separator throughout or a different one at each cut."""
    gaps = len(digits) - 1
    cuts = draw(st.integers(0, 2 ** gaps - 1))
    choices = SEPARATORS[1:]
    mixed = draw(st.booleans())
    separators = draw(st.integers(0, len(choices) ** (gaps if mixed else 1) - 1))
    out = digits[0]
    for gap, digit in enumerate(digits[1:]):
        if cuts >> gap & 1:
            separators, index = divmod(separators, len(choices)) if mixed else (separators, separators)
            out += choices[index]
        out += digit
    return out


@st.composite
def mobile_number(draw) -> str:
    return draw(grouped("06" + draw(digit_string(8))))


@st.composite
def landline_number(draw) -> str:
    # Area codes of 2 to 4 digits with the 0 (010, 0111, 0474); ten digits in all.
    area = "0" + draw(st.sampled_from("123457")) + draw(chars("0123456789", 0, 2))
    subscriber = draw(digit_string(10 - len(area)))
    style = draw(st.sampled_from(("brackets", "separated", "grouped")))
    if style == "brackets":
        return f"({area}){draw(st.sampled_from((' ', '', ' - ')))}{draw(grouped(subscriber))}"
    if style == "separated":
        return f"{area}{draw(st.sampled_from(tuple(SEPARATORS[1:])))}{draw(grouped(subscriber))}"
    return draw(grouped(area + subscriber))


@st.composite
def international_number(draw) -> str:
    dutch = draw(st.booleans())
    if dutch:
        prefix = draw(st.sampled_from(("+31", "0031", "+31 (0)", "+31(0)", "0031 (0)", "(+31)", "+ 31")))
        national = draw(st.sampled_from("1234567")) + draw(digit_string(8))
    else:
        prefix = "+" + draw(st.sampled_from(("32", "44", "49", "33", "90", "212", "1")))
        national = draw(st.sampled_from("123456789")) + draw(digit_string(draw(st.integers(7, 9))))
    return prefix + draw(st.sampled_from(("", " ", " - ", "-", "."))) + draw(grouped(national))


@st.composite
def bsn(draw) -> str:
    """Nine digits that pass the elf-proef, in any grouping."""
    digits = [int(d) for d in draw(digit_string(8))]
    while (check := sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11) == 10:
        digits[7] = (digits[7] + 1) % 10
    return draw(grouped("".join(map(str, digits + [check]))))


IBAN_COUNTRIES = ("NL",) * 8 + tuple(sorted(IBAN_LENGTHS))


@st.composite
def iban(draw) -> str:
    country = draw(st.sampled_from(IBAN_COUNTRIES))
    length = IBAN_LENGTHS[country]
    letters = draw(st.integers(4 if country == "NL" else 0, 4))
    bban = (draw(chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", letters, letters))
            + draw(digit_string(length - 4 - letters)))
    if letters == length - 4:
        bban = bban[:-1] + "7"  # every BBAN has a digit
    compact = country + draw(digit_string(2)) + bban
    if draw(st.booleans()):
        compact = " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    return compact.lower() if draw(st.booleans()) else compact


STUDENT_KEYWORDS = ["studentnummer", "leerlingnummer", "studentnr", "leerlingnr", "stud.nr", "stud. nr",
                    "studentnr.", "lln.nr", "student-id", "Studentnummer", "STUDENTNUMMER", "leerling nummer"]


@st.composite
def student_number(draw) -> Case:
    keyword = draw(st.sampled_from(tuple(STUDENT_KEYWORDS)))
    joined = keyword + draw(st.sampled_from((" ", ": ", " is ", " is: ", " = ", ":")))
    prefix = draw(st.sampled_from(("", "", "s", "S", "ln")))
    # Six digits or more: a five-digit one could be the crebo number in the context, which
    # the checks below would take for a leak.
    digits = draw(digit_string(draw(st.integers(6, 9))))
    gaps = len(digits) - 1
    cuts, separators = draw(st.integers(0, 2 ** gaps - 1)), draw(st.integers(0, 4 ** gaps - 1))
    number = digits[0]
    for gap, digit in enumerate(digits[1:]):
        if cuts >> gap & 1:
            separators, index = divmod(separators, 4)
            number += [" ", ".", "-", " - "][index]
        number += digit
    said = joined + prefix + number
    return Case(prefix + number, said, joined + "[studentnummer]")


# Two-letter words that follow a number in ordinary text: in lower case after a space they
# are not taken for a postcode (bot/masking.py); in capitals or joined they are.
COMMON_TWO_LETTER_WORDS = {"en", "in", "op", "om", "of", "te", "al", "na", "is", "ik", "je", "we", "ze", "de", "er",
                           "nu", "zo", "af", "bv", "ca", "cm", "km", "kg", "mm", "ml", "mg", "ct"}


@st.composite
def postcode_and_house_number(draw) -> str:
    digits = draw(st.sampled_from("123456789")) + draw(digit_string(3))
    letters = draw(chars("ABCDEFGHJKLMNPRTVWXZ", 2, 2))
    space = draw(st.sampled_from((" ", "")))
    if draw(st.booleans()) and not (space and letters.lower() in COMMON_TWO_LETTER_WORDS):
        letters = letters.lower()
    house = draw(st.sampled_from("123456789")) + draw(chars("0123456789", 0, 3))
    addition = draw(st.sampled_from(("", "", "a", "A", "-b", "-2", "-12")))
    between = draw(st.sampled_from((" ", ", ", ",", "  ")))
    return f"{digits}{space}{letters}{between}{house}{addition}"


@st.composite
def email_address(draw) -> str:
    word = chars("abcdefghijklmnopqrstuvwxyz0123456789", 1, 12)
    local = draw(word) + draw(st.sampled_from(("", ".", "_", "-", "+"))) + draw(chars("abcdefghijklmnopqrstuvwxyz0123456789", 0, 10))
    if local[-1] in "._-+":
        local += "x"
    domain = draw(word) + draw(st.sampled_from(("", ".student", ".roc-midden", ".mail"))) + draw(
        st.sampled_from((".nl", ".com", ".eu", ".be")))
    address = f"{local}@{domain}"
    return address.upper() if draw(st.integers(0, 9)) == 0 else address


def labelled(strategy: st.SearchStrategy[str], label: str) -> st.SearchStrategy[Case]:
    return strategy.map(lambda data: Case(data, data, label))


LEAD_INS = {
    "mobile": ["Mijn nummer is", "Bel me op", "Je kunt me bereiken op", "tel.", "telefoon:", "mobiel", "of"],
    "landline": ["Ons vaste nummer is", "Bel school:", "thuis:", "tel"],
    "international": ["Vanuit het buitenland:", "Bel me op", "WhatsApp"],
    "bsn": ["Mijn BSN is", "bsn:", "burgerservicenummer", "Mijn sofinummer is"],
    "iban": ["Mijn rekeningnummer is", "IBAN:", "Stort het op"],
    "student": ["Mijn", "Hier is mijn", "Ik ben", ""],
    "postcode": ["Ik woon op", "Adres:", "mijn postcode is", "in"],
    "email": ["Mail me op", "e-mail:", "Mijn adres is", "stuur naar"],
}
FORMATS = {
    "mobile": labelled(mobile_number(), "[telefoonnummer]"),
    "landline": labelled(landline_number(), "[telefoonnummer]"),
    "international": labelled(international_number(), "[telefoonnummer]"),
    "bsn": labelled(bsn(), "[bsn]"),
    "iban": labelled(iban(), "[iban]"),
    "student": student_number(),
    "postcode": labelled(postcode_and_house_number(), "[adres]"),
    "email": labelled(email_address(), "[e-mail]"),
}
assert len(FORMATS) == 8

# What the bot needs and masking must leave alone, as context around the personal data.
KEPT_CONTEXT = ["Wat is crebo 25894?", "Wat staat er in dossier 23361?", "Het vragenuur was op 11-10-2022.",
                "In schooljaar 2023-2024 verandert er iets.", "Ik zit op niveau 4.", "Hallo!", "Goedemorgen,",
                "Kun je me helpen?", "Ik heb een vraag over de herziening.", "Wat is crebo 25896 en 25898?",
                "Bedankt.", "Hoe lang duurt die opleiding?", "Van 01-08-2023 - 31-07-2024 loopt het.",
                "Kan ik na 2025 nog instromen?", "het gaat om crebo 25894, 25895 en 23367", "groetjes"]
WORDS = ["ik", "wil", "graag", "weten", "of", "de", "opleiding", "nog", "bestaat", "mijn", "vraag", "is", "dat",
         "metaal", "school", "stage", "bbl", "bol", "mbo", "kwalificatie", "keuzedeel", "dank", "je", "wel"]


CONTEXT = st.lists(st.one_of(st.sampled_from(tuple(KEPT_CONTEXT)), st.sampled_from(tuple(WORDS))), max_size=4).map(" ".join)


@st.composite
def sentence(draw, form: str) -> Case:
    """A Dutch message with one piece of personal data of format `form`."""
    case = draw(FORMATS[form])
    before, after = draw(CONTEXT), draw(CONTEXT)
    lead_in = draw(st.sampled_from(tuple(LEAD_INS[form])))
    trailer = draw(st.sampled_from(("", ".", ",", "!", "?", ";", ")")))

    def around(middle: str) -> str:
        return " ".join(part for part in (before, lead_in, middle + trailer, after) if part)

    return Case(case.data, around(case.said), around(case.stored))


any_sentence = st.sampled_from(sorted(FORMATS)).flatmap(sentence)


def run(check: Callable, strategy: st.SearchStrategy, examples: int, shrink: bool = True) -> int:
    """Run `check` on `examples` generated values; how many it saw."""
    seen = count()

    @property_settings(examples, shrink)
    @given(strategy)
    def each(value):
        next(seen)
        check(value)

    each()
    return next(seen)


# --- (a) the masking itself ----------------------------------------------------------

@pytest.mark.parametrize("form", sorted(FORMATS))
def test_generated_personal_data_is_masked_and_its_sentence_kept(form):
    def check(case: Case) -> None:
        assert mask_text(case.said) == case.stored

    assert run(check, sentence(form), MASKING_CASES_PER_FORMAT) >= MASKING_CASES_PER_FORMAT


# --- (b) the conversation store --------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[ConversationStore]:
    yield ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path_factory.mktemp("store") / "gesprekken.db"))


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def stored_events(store: ConversationStore, sender: str) -> List[dict]:
    """Every stored event of `sender`, decoded (the column holds JSON with \\u escapes)."""
    with sqlite3.connect(store.engine.url.database) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def conversation(sender: str, cases: List[Case], at: float, suggested: str = "") -> DialogueStateTracker:
    """One conversation, a turn per case, the message everywhere a user's text can reach: the
    text, an entity, a slot, the bot's echo.

    Not answered (a fallback), so the report lists it; `suggested` is the FAQ answer the
    model thought nearest, the report's group for it.
    """
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for turn, case in enumerate(cases):
        parse = {"text": case.said, "intent": {"name": "out_of_scope", "confidence": 0.4},
                 "entities": [{"entity": "qualification", "value": case.said}]}
        if suggested:
            parse["response_selector"] = {"faq": {"response": {"intent_response_key": None},
                                                  "ranking": [{"intent_response_key": suggested, "confidence": 0.3}]}}
        tracker.update(UserUttered(case.said, parse["intent"], parse["entities"], parse, timestamp=at + 2 * turn))
        tracker.update(SlotSet("qualification", case.said, timestamp=at + 2 * turn))
        tracker.update(ActionExecuted("action_default_fallback", timestamp=at + 2 * turn + 1))
        tracker.update(BotUttered(f"Je schreef: {case.said}", timestamp=at + 2 * turn + 1))
        tracker.update(ActionExecuted("action_listen", timestamp=at + 2 * turn + 1))
    return tracker


def strings(value) -> Iterator[str]:
    """Every string in a decoded event (not its numbers: a timestamp holds "00000")."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_generated_personal_data_is_not_stored(store, loop):
    senders = count()

    def check(cases: List[Case]) -> None:
        sender = f"store-{next(senders)}"
        loop.run_until_complete(store.save(conversation(sender, cases, 1_700_000_000.0)))
        events = stored_events(store, sender)
        assert len(events) == 5 * len(cases)
        for case, (user, slot, _, bot, _) in zip(cases, zip(*[iter(events)] * 5)):
            assert not [text for text in strings(events) if case.data in text]
            assert user["text"] == user["parse_data"]["entities"][0]["value"] == slot["value"] == case.stored
            assert bot["text"] == f"Je schreef: {case.stored}"

    conversations = run(check, st.lists(any_sentence, min_size=TURNS, max_size=TURNS), STORE_CASES // TURNS,
                        shrink=False)
    assert conversations * TURNS >= STORE_CASES


# --- (c) the usage report -------------------------------------------------------------

# Each report: five groups ("nearest answer") of five questions, every one listed on the page.
GROUPS = ["stage", "bbl", "examen", "keuzedelen", "niveaus"]
ORDINALS = ["eerste vraag:", "tweede vraag:", "derde vraag:", "vierde vraag:", "vijfde vraag:"]


def test_generated_personal_data_is_not_in_the_usage_report(store, loop):
    days = count()

    def check(cases: List[Case]) -> None:
        # A day of its own for each report; every question unanswered, so the page lists each one.
        day = date(2030, 1, 1) + timedelta(days=next(days))
        at = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc).timestamp() + 3_600
        stored = []
        for number, case in enumerate(cases):
            group, ordinal = GROUPS[number // len(ORDINALS)], ORDINALS[number % len(ORDINALS)]
            case = Case(case.data, f"Over {group}, {ordinal} {case.said}", f"Over {group}, {ordinal} {case.stored}")
            loop.run_until_complete(store.save(
                conversation(f"report-{day}-{number}", [case], at + 10 * number, suggested=f"faq/{group}")))
            stored.append(case)
        page = render_html(build_report(store.engine, day, day))
        for case in stored:
            assert case.data not in page and html.escape(case.data) not in page
            assert html.escape(case.stored) in page, "the question is on the page, masked"

    reports = run(check, st.lists(any_sentence, min_size=QUESTIONS_PER_REPORT, max_size=QUESTIONS_PER_REPORT),
                  REPORT_EXAMPLES, shrink=False)
    assert reports * QUESTIONS_PER_REPORT >= REPORT_EXAMPLES * QUESTIONS_PER_REPORT


# --- what must survive -----------------------------------------------------------------

@st.composite
def a_date(draw) -> str:
    day = draw(st.dates(date(2015, 1, 1), date(2030, 12, 31)))
    return draw(st.sampled_from([f"{day:%d-%m-%Y}", f"{day.day}-{day.month}-{day.year}", f"{day:%d/%m/%Y}",
                                 f"{day:%d.%m.%Y}", f"{day:%Y-%m-%d}", f"{day.day} oktober {day.year}",
                                 f"{day:%d-%m-%Y} {draw(st.integers(8, 17))}:{draw(st.sampled_from(('00', '30')))}",
                                 f"{day:%d-%m-%Y} - {day + timedelta(days=draw(st.integers(1, 400))):%d-%m-%Y}"]))


crebo = st.one_of(st.sampled_from(("25894", "25895", "25896", "25897", "25898", "25899")),
                  st.integers(20_000, 29_999).map(str))
dossier = st.sampled_from(("23360", "23361", "23362", "23363", "23367"))
year = st.integers(1990, 2035).map(str)
kept_item = st.one_of(
    crebo.map("crebo {}".format),
    st.lists(crebo, min_size=2, max_size=4).map(", ".join).map("crebo's {}".format),
    st.lists(crebo, min_size=2, max_size=4).map(" ".join).map("crebo {}".format),
    dossier.map("dossier {}".format),
    a_date().map("op {}".format),
    year.map("in {}".format),
    st.tuples(year, year).map("schooljaar {0[0]}-{0[1]}".format),
    st.tuples(year, year).map("{0[0]}/{0[1]}".format),
    st.integers(1, 4).map("niveau {}".format),
    st.integers(1, 4).map("{} jaar".format),
)


def test_crebo_and_dossier_numbers_dates_and_years_survive_masking():
    def check(said: str) -> None:
        assert mask_text(said) == said

    # Numbers of different kinds with words between them, as in a sentence ("niveau 4 2023/2024"
    # could as well be a BSN written "4 2023/2024"); within an item they follow each other.
    generated = st.lists(st.tuples(kept_item, st.sampled_from(WORDS)).map(" ".join), min_size=1, max_size=5).map(" ".join)
    assert run(check, generated, 1_000) >= 1_000
