"""`make validate` for the people who keep the answers up to date (docs/beheer.md).

Checks the files an editor touches and says, for each mistake, the file, the line and what
to do, in Dutch and without Python tracebacks:
- every YAML file can be read (a broken indent, a tab, a missing colon);
- the knowledge files load (bot/knowledge: every answer and record has its source);
- no example question is in the NLU files (bot.NLU_FILES) twice (once normalised: case, accents, punctuation);
- every FAQ answer has example questions, and every FAQ example belongs to an existing answer;
- every `faq:<key>` button in domain.yml selects an existing answer.
Rasa's own `rasa data validate` runs after it (Makefile).

    python -m bot.content_check        # exit 1 when something must be fixed
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Tuple

import yaml

from bot import NLU_FILES, PROJECT_DIR
from bot.knowledge.faq import PAYLOAD_PREFIX, answer_key, answer_label
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


def _line_of(path: Path, text: str) -> Optional[int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text and text in line:
            return number
    return None


def all_problems(root: Path = PROJECT_DIR) -> List[Problem]:
    # Each check needs what the one before it checked: readable files, then loadable answers.
    return (yaml_problems(root) or knowledge_problems(root)
            or example_problems(root) + button_problems(root) + ask_problems(root))


def main() -> int:
    problems = all_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} probleem/problemen gevonden. Los ze op en draai 'make validate' opnieuw.", file=sys.stderr)
        return 1
    print("Inhoud in orde: antwoorden, bronnen en voorbeeldvragen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
