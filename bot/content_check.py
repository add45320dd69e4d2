"""`make validate` for the people who keep the answers up to date (docs/beheer.md).

Checks the files an editor touches and says, for each mistake, the file, the line and what
to do, in Dutch and without Python tracebacks:
- every YAML file can be read (a broken indent, a tab, a missing colon);
- the knowledge files load (bot/knowledge: every answer and record has its source);
- no example question is in the NLU files (bot.NLU_FILES) twice (once normalised: case, accents, punctuation);
- every FAQ answer has example questions, and every FAQ example belongs to an existing answer;
- every `faq:<key>` button in domain.yml selects an existing answer;
- English beside the Dutch (docs/beheer.md, "Engels"): every FAQ answer has `title_en` and
  `answer_en`, every response in domain.yml a variation with the condition ENGLISH_CONDITION,
  and each English text names the same numbers, dates, crebo and dossier numbers as its Dutch
  (`facts`: "4 March 2022" is "4 maart 2022", "three" is "drie" is 3).
Rasa's own `rasa data validate` runs after it (Makefile).

    python -m bot.content_check        # exit 1 when something must be fixed
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterator, List, Mapping, Optional, Tuple

import yaml

from bot import NLU_FILES, PROJECT_DIR
from bot.knowledge.faq import PAYLOAD_PREFIX, answer_key, answer_label
from bot.language import DUTCH, ENGLISH, LANGUAGE_SLOT
from bot.text import normalise

ASKS_FILE = "data/asks.yml"
EDITED_FILES = ("bot/knowledge/faq.yml", "bot/knowledge/qualifications.yml", *NLU_FILES, ASKS_FILE, "data/rules.yml",
                "data/stories.yml", "domain.yml")
MIN_EXAMPLES_PER_ANSWER = 5
_INTENT_LINE = re.compile(r"^- intent:\s*(\S+)")
_EXAMPLE_LINE = re.compile(r"^\s+- (.+)$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: Optional[int]
    what: str
    todo: str

    def __str__(self) -> str:
        where = f"{self.file}, regel {self.line}" if self.line else self.file
        return f"{where}: {self.what}\n    Wat te doen: {self.todo}"


def yaml_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    problems = []
    for name in EDITED_FILES:
        try:
            yaml.safe_load((root / name).read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            problems.append(Problem(
                name, mark.line + 1 if mark else None, f"het bestand is geen geldige YAML ({getattr(error, 'problem', error)})",
                "controleer op die regel (of de regel erboven) de inspringing: gebruik spaties, geen tabs, en "
                "precies zoveel spaties als de regels eromheen; zet tekst met een dubbele punt tussen aanhalingstekens."))
    return problems


def knowledge_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    from bot.knowledge.loader import DataError, load_catalogue, load_dataset

    problems = []
    for name, load in (("bot/knowledge/faq.yml", load_catalogue), ("bot/knowledge/qualifications.yml", load_dataset)):
        try:
            load(root / name)
        except DataError as error:
            record = str(error).split(":", 1)[0]
            problems.append(Problem(name, _line_of(root / name, record.split()[-1]), str(error),
                                    "vul aan wat ontbreekt (elk antwoord en elke kwalificatie noemt zijn bron: "
                                    "vragenuur en vraagnummer, of de column); zie docs/beheer.md."))
    return problems


def example_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    """Duplicate example questions, and FAQ answers without (enough) examples."""
    problems: List[Problem] = []
    seen: Dict[str, Tuple[str, int, str]] = {}
    per_intent: Dict[str, int] = {}
    first_line: Dict[str, Tuple[str, int]] = {}
    for name in NLU_FILES:
        intent = None
        for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), start=1):
            found = _INTENT_LINE.match(line)
            if found:
                intent = found.group(1)
                per_intent.setdefault(intent, 0)
                first_line.setdefault(intent, (name, number))
                continue
            example = _EXAMPLE_LINE.match(line)
            if not example or intent is None:
                continue
            per_intent[intent] += 1
            key = normalise(example.group(1))
            if key in seen:
                first_file, first_number, first_intent = seen[key]
                same = "bij hetzelfde antwoord" if first_intent == intent else f"ook bij {first_intent}"
                where = f"regel {first_number}" + ("" if first_file == name else f" van {first_file}")
                problems.append(Problem(name, number, f"de voorbeeldvraag '{example.group(1)}' staat er al ({where}, {same})",
                                        "haal één van de twee weg: een vraag mag maar één keer, bij één antwoord, voorkomen."))
            else:
                seen[key] = (name, number, intent)
    keys = _answer_keys(root)
    for key in sorted(keys):
        count = per_intent.get(answer_label(key), 0)
        if count < MIN_EXAMPLES_PER_ANSWER:
            problems.append(Problem("data/nlu.yml", None, f"het antwoord {answer_label(key)} heeft {count} voorbeeldvragen",
                                    f"voeg voorbeeldvragen toe onder '- intent: {answer_label(key)}' (minstens "
                                    f"{MIN_EXAMPLES_PER_ANSWER}, in de woorden van studenten en docenten)."))
    for intent_name in sorted(i for i in per_intent if answer_key(i) and answer_key(i) not in keys):
        problems.append(Problem(*first_line[intent_name],
                                f"voorbeeldvragen voor {intent_name}, maar dat antwoord staat niet in bot/knowledge/faq.yml",
                                "controleer de spelling van de sleutel, of voeg het antwoord toe in faq.yml."))
    return problems


def _answer_keys(root: Path) -> FrozenSet[str]:
    from bot.knowledge.loader import load_catalogue

    return load_catalogue(root / "bot" / "knowledge" / "faq.yml").keys


_BUTTON_PAYLOAD = re.compile(rf"""payload:\s*["']?{PAYLOAD_PREFIX}([^"'\s]*)""")


def button_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    """`faq:<key>` buttons in domain.yml whose answer does not exist (a click would be misread)."""
    keys = _answer_keys(root)
    problems = []
    for number, line in enumerate((root / "domain.yml").read_text(encoding="utf-8").splitlines(), start=1):
        for key in _BUTTON_PAYLOAD.findall(line):
            if key not in keys:
                problems.append(Problem("domain.yml", number, f"de knop met payload '{PAYLOAD_PREFIX}{key}' noemt geen bestaand antwoord",
                                        "gebruik de sleutel (key) van een antwoord uit bot/knowledge/faq.yml."))
    return problems


def ask_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    """An example of data/asks.yml with a label or topic that does not exist."""
    from bot.knowledge.asked import TOPICS, Ask

    problems = []
    labels = {ask.value for ask in Ask} | {"none"}
    for number, line in enumerate((root / ASKS_FILE).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip().startswith("- {"):
            continue
        entry = yaml.safe_load(line.strip()[2:])
        unknown = [label for label in entry.get("asks") or [] if label not in labels]
        if not entry.get("asks") or unknown:
            problems.append(Problem(ASKS_FILE, number, f"onbekend of ontbrekend label bij asks: {unknown or '[]'}",
                                    f"kies uit: {', '.join(sorted(labels))} (zie docs/beheer.md)."))
        if entry.get("topic") not in (None, *TOPICS) or (entry.get("topic") is not None) != ("not_held" in (entry.get("asks") or [])):
            problems.append(Problem(ASKS_FILE, number, f"topic '{entry.get('topic')}' past niet bij asks {entry.get('asks')}",
                                    f"een topic hoort alleen bij not_held, en is een van: {', '.join(TOPICS)}."))
    return problems


# --- English beside the Dutch -------------------------------------------------------------

FAQ_FILE = "bot/knowledge/faq.yml"
DOMAIN_FILE = "domain.yml"
# The condition of a response's English variation (CONTRACT: the slot `language` is "en").
ENGLISH_CONDITION = {"type": "slot", "name": LANGUAGE_SLOT, "value": ENGLISH}

# Numbers and dates are a closed vocabulary: rules suit them. Month names of both languages
# are read in both texts (an English answer keeps a source's Dutch name: "4e vragenuur, 11 oktober 2022").
_MONTH_NAMES = [("januari", "january"), ("februari", "february"), ("maart", "march"), ("april",), ("mei", "may"),
                ("juni", "june"), ("juli", "july"), ("augustus", "august"), ("september",), ("oktober", "october"),
                ("november",), ("december",)]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_DUTCH_MONTHS = frozenset(names[0] for names in _MONTH_NAMES)
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})"
# Longest first: "4 maart 2022", "March 4, 2022", "4 maart", "maart 2022", "maart".
_DATES = [re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"\b{_DAY}(?:st|nd|rd|th|e)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+{_YEAR}\b)?",
    rf"\b{_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?",
    rf"\b{_MONTH}\s+{_YEAR}\b",
    rf"\b{_MONTH}\b",
)]
# Number words from two up: "een"/"one" is also "a", so one is not counted. Dutch words are
# read in both languages (an English answer may quote the Dutch: 'ruim dertig' (more than
# thirty)); English ones in English texts only ("ten" is Dutch too: "ten tijde van").
_TEENS_AND_TENS = [*range(10, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000]
_DUTCH_UNITS = dict(zip("twee drie vier vijf zes zeven acht negen".split(), range(2, 10)))
_DUTCH_NUMBERS = {**_DUTCH_UNITS, **dict(zip(
    "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien twintig "
    "dertig veertig vijftig zestig zeventig tachtig negentig honderd duizend".split(), _TEENS_AND_TENS))}
_ENGLISH_UNITS = dict(zip("two three four five six seven eight nine".split(), range(2, 10)))
_ENGLISH_NUMBERS = {**_ENGLISH_UNITS, **dict(zip(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
    "thirty forty fifty sixty seventy eighty ninety hundred thousand".split(), _TEENS_AND_TENS))}
_DUTCH_COMPOUND = re.compile(r"(twee|drie|vier|vijf|zes|zeven|acht|negen)[eë]n"
                             r"(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)")
_DUTCH_YEARS = re.compile(r"(\w+?)jarige?")  # "een vierjarige opleiding": a four-year programme
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_DIGITS = re.compile(r"(?P<number>\d+(?:[.,]\d+)*)(?:(?:e|ste|de|st|nd|rd|th)\b)?")  # "1e", "3rd": 1, 3
_VARIABLE = re.compile(r"\{[a-z_]+\}")


def _number_word(word: str, language: str) -> Optional[int]:
    """3 for "drie", "driejarige" and (in English) "three", "three-year"; 25 for "vijfentwintig", "twenty-five"."""
    word = word.casefold()
    if word in _DUTCH_NUMBERS:
        return _DUTCH_NUMBERS[word]
    compound = _DUTCH_COMPOUND.fullmatch(word)
    if compound:
        return _DUTCH_UNITS[compound.group(1)] + _DUTCH_NUMBERS[compound.group(2)]
    years = _DUTCH_YEARS.fullmatch(word)
    if years and years.group(1) in _DUTCH_NUMBERS:
        return _DUTCH_NUMBERS[years.group(1)]
    if language != ENGLISH:
        return None
    if word in _ENGLISH_NUMBERS:
        return _ENGLISH_NUMBERS[word]
    first, _, second = word.partition("-")
    if second in _ENGLISH_UNITS and first in _ENGLISH_NUMBERS and _ENGLISH_NUMBERS[first] >= 20:
        return _ENGLISH_NUMBERS[first] + _ENGLISH_UNITS[second]  # "twenty-five"
    return _ENGLISH_NUMBERS.get(first) if second else None  # "four-year"


def _numbers(digits: str, language: str) -> List[str]:
    """'1.000' (nl) and '1,000' (en) are 1000; '1,5' (nl) and '1.5' (en) are 1.5; '05' is 5."""
    thousands, decimal = (".", ",") if language == DUTCH else (",", ".")
    if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+", digits):
        return [str(int(digits.replace(thousands, "")))]
    if re.fullmatch(rf"\d+{re.escape(decimal)}\d+", digits):
        whole, fraction = digits.split(decimal)
        fraction = fraction.rstrip("0")
        return [f"{int(whole)}.{fraction}" if fraction else str(int(whole))]
    return [str(int(part)) for part in re.split(r"[.,]", digits)]


def _is_month(found: re.Match) -> bool:
    """A month name that means a month: not 'MEI' (the onderwijscluster); alone (no day or
    year), only a Dutch name or an English one with its capital, and never 'may'/'May' (the verb)."""
    name = found.group("month")
    if len(name) > 1 and name.isupper():
        return False
    if found.groupdict().get("day") or found.groupdict().get("year"):
        return True
    if name.casefold() in _DUTCH_MONTHS:
        return name.casefold() != "mei" or name == "mei"
    return name[0].isupper() and name.casefold() != "may"


def facts(text: str, language: str) -> Dict[str, str]:
    """The numbers and dates `text` names, each by a key that is the same in both languages
    ("2022-03-04", "2022-10" for a month of a year, "--09" for a month alone, "25894", "3",
    "1.5"), mapped to how the text first writes it. {variables} are left out."""
    text = _VARIABLE.sub(lambda match: " " * len(match.group(0)), text)
    found: Dict[str, Tuple[int, str]] = {}  # key → (where, as written), its first mention

    def note(key: str, where: int, written: str) -> None:
        if key not in found or where < found[key][0]:
            found[key] = (where, written)

    def date(match: re.Match) -> str:
        if not _is_month(match):
            return match.group(0)
        day, year = match.groupdict().get("day"), match.groupdict().get("year")
        key = f"{year or '-'}-{_MONTHS[match.group('month').casefold()]:02d}" + (f"-{int(day):02d}" if day else "")
        note(key, match.start(), " ".join(match.group(0).split()))
        return " " * len(match.group(0))  # its digits are no numbers of their own

    for pattern in _DATES:
        text = pattern.sub(date, text)
    for match in _DIGITS.finditer(text):
        for key in _numbers(match.group("number"), language):
            note(key, match.start(), match.group(0))
    for match in _WORD.finditer(text):
        value = _number_word(match.group(0), language)
        if value is not None:
            note(str(value), match.start(), match.group(0))
    return {key: written for key, (_, written) in sorted(found.items(), key=lambda item: item[1][0])}


def describe(key: str, written: str, kinds: Optional[Mapping[str, str]] = None) -> str:
    """How a message names one fact: "crebonummer 25894", "datum '4 maart 2022'", "getal 3 ('drie')"."""
    kinds = kinds or {}
    if "-" in key:
        return f"datum '{written}'"
    if key in kinds:
        return f"{kinds[key]} {key}"
    return f"getal {key}" if written == key else f"getal {key} ('{written}')"


def fact_differences(dutch: str, english: str,
                     kinds: Optional[Mapping[str, str]] = None) -> Tuple[List[str], List[str]]:
    """What `english` misses of the facts `dutch` names, and what it names that `dutch` does not."""
    return _differences([facts(dutch, DUTCH)], facts(english, ENGLISH), kinds)


def _differences(dutch: List[Dict[str, str]], english: Dict[str, str],
                 kinds: Optional[Mapping[str, str]]) -> Tuple[List[str], List[str]]:
    """Against several Dutch variants: missing is what all of them name, extra what none does."""
    everywhere = [key for key in dutch[0] if all(key in variant for variant in dutch)]
    anywhere = {key for variant in dutch for key in variant}
    missing = [describe(key, dutch[0][key], kinds) for key in everywhere if key not in english]
    extra = [describe(key, written, kinds) for key, written in english.items() if key not in anywhere]
    return missing, extra


_FACTS_TODO = ("neem in het Engels precies de getallen, data, crebonummers en dossiernummers van het Nederlands "
               "over, niet meer en niet minder. Een datum mag Engels geschreven ('4 March 2022' voor '4 maart 2022'), "
               "een getal in cijfers of in woorden ('three' voor 'drie'); zie docs/beheer.md, 'Engels'.")


def _facts_problems(file: str, line: int, what: str, differences: Tuple[List[str], List[str]]) -> List[Problem]:
    missing, extra = differences
    problems = []
    if missing:
        problems.append(Problem(file, line, f"{what} mist wat het Nederlands noemt: {', '.join(missing)}", _FACTS_TODO))
    if extra:
        problems.append(Problem(file, line, f"{what} noemt wat het Nederlands niet noemt: {', '.join(extra)}", _FACTS_TODO))
    return problems


def number_kinds(root: Path = PROJECT_DIR) -> Dict[str, str]:
    """The dataset's crebo and dossier numbers, by what a message calls them."""
    from bot.knowledge.loader import load_dataset

    path = root / "bot" / "knowledge" / "qualifications.yml"
    if not path.exists():
        return {}
    dataset = load_dataset(path)
    return {**{d.number: "dossiernummer" for d in dataset.dossiers},
            **{q.crebo: "crebonummer" for q in dataset.qualifications}}


def _mapping(node: Any) -> Iterator[Tuple[str, Any, int]]:
    """(key, value node, line of the key) of a composed YAML mapping; nothing for anything else."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), value, key.start_mark.line + 1


def _top(path: Path) -> Dict[str, Any]:
    return {key: value for key, value, _ in _mapping(yaml.compose(path.read_text(encoding="utf-8")))}


def _value(node: Any) -> Any:
    return yaml.safe_load(yaml.serialize(node))


def _items(node: Any) -> List[Any]:
    """The item nodes of a composed YAML list; none for anything else."""
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def faq_english_problems(root: Path = PROJECT_DIR, kinds: Optional[Mapping[str, str]] = None) -> List[Problem]:
    """FAQ answers without `title_en`/`answer_en`, or whose English names other facts than the Dutch."""
    kinds = number_kinds(root) if kinds is None else kinds
    problems = []
    for node in _items(_top(root / FAQ_FILE).get("faqs")):
        entry, lines = _value(node), {key: line for key, _, line in _mapping(node)}
        if not isinstance(entry, Mapping):
            continue  # the loader has said what is wrong with it
        key = entry.get("key", "?")
        lacking = [name for name in ("title_en", "answer_en") if not str(entry.get(name) or "").strip()]
        if lacking:
            what = {"title_en": "Engelse titel (title_en)", "answer_en": "Engelse tekst (answer_en)"}
            problems.append(Problem(
                FAQ_FILE, lines.get("key", node.start_mark.line + 1),
                f"het antwoord '{key}' heeft geen {' en geen '.join(what[name] for name in lacking)}",
                f"zet {' en '.join(lacking)} naast title en answer van dit antwoord, even ver ingesprongen, met een "
                "getrouwe Engelse vertaling (namen van kwalificaties en dossiers blijven Nederlands; de regel "
                "'Source: …' maakt de bot zelf). Tot dan krijgt wie Engels spreekt het Nederlandse antwoord; "
                "zie docs/beheer.md, 'Engels'."))
        for dutch, english in (("title", "title_en"), ("answer", "answer_en")):
            if entry.get(dutch) and entry.get(english):
                differences = fact_differences(str(entry[dutch]), str(entry[english]), kinds)
                problems += _facts_problems(FAQ_FILE, lines[english], f"{english} van '{key}'", differences)
    return problems


def is_english(variation: Any) -> bool:
    """A response variation for the English conversation (its condition names the slot `language`: en)."""
    return isinstance(variation, Mapping) and ENGLISH_CONDITION in (variation.get("condition") or [])


def _shown(variation: Mapping) -> str:
    """What a user reads of a variation: its text and the titles of its buttons."""
    titles = [str(button.get("title", "")) for button in variation.get("buttons") or [] if isinstance(button, Mapping)]
    return "\n".join([str(variation.get("text") or ""), *titles])


def domain_english_problems(root: Path = PROJECT_DIR, kinds: Optional[Mapping[str, str]] = None) -> List[Problem]:
    """Responses without an English variation, or whose English names other facts than the Dutch."""
    kinds = number_kinds(root) if kinds is None else kinds
    problems = []
    for name, node, line in _mapping(_top(root / DOMAIN_FILE).get("responses")):
        variations = [(_value(v), v.start_mark.line + 1) for v in _items(node)]
        variations = [(v, at) for v, at in variations if isinstance(v, Mapping)]
        dutch = [facts(_shown(v), DUTCH) for v, _ in variations if not is_english(v)]
        english = [(v, at) for v, at in variations if is_english(v)]
        if not english:
            problems.append(Problem(
                DOMAIN_FILE, line, f"het antwoord {name} heeft geen Engelse variant",
                "zet onder de Nederlandse tekst een variant '- condition: [{type: slot, name: language, value: en}]' "
                "met op de regel daaronder 'text: \"…\"': de Engelse tekst, met dezelfde {variabelen} en knoppen "
                "(zie docs/beheer.md, 'Engels')."))
            continue
        for position, (variation, at) in enumerate(english):
            # Variants in the same number as the Dutch: each against its own, in order.
            against = [dutch[position]] if len(dutch) == len(english) else dutch
            if against:
                what = f"de Engelse variant van {name}" + (f" (nr. {position + 1})" if len(english) > 1 else "")
                problems += _facts_problems(DOMAIN_FILE, at, what,
                                            _differences(against, facts(_shown(variation), ENGLISH), kinds))
    return problems


def english_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    kinds = number_kinds(root)
    return faq_english_problems(root, kinds) + domain_english_problems(root, kinds)


def _line_of(path: Path, text: str) -> Optional[int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text and text in line:
            return number
    return None


def all_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    # Each check needs what the one before it checked: readable files, then loadable answers.
    return (yaml_problems(root) or knowledge_problems(root)
            or example_problems(root) + button_problems(root) + ask_problems(root) + english_problems(root))


def main() -> int:
    problems = all_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} probleem/problemen gevonden. Los ze op en draai 'make validate' opnieuw.", file=sys.stderr)
        return 1
    print("Inhoud in orde: antwoorden, bronnen, voorbeeldvragen en de Engelse teksten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
