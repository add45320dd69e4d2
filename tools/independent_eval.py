"""Score the assistant on independently written conversations, over REST, per kind.

The files in tests/independent/ were written by helpers who read only the two sources
(not our code, data or tests), before the change they measure. Each item is a short
conversation; only the reply to its last turn is scored against what the sources say:

- `honest`: the reply says plainly that the sources do not hold what was asked;
- `record`: the reply is about that record, and not about another one;
- `faq`: for each [vragenuur, vraag], the reply carries an FAQ answer built on it, or
  cites that question ("4e vragenuur, 11 oktober 2022 (vraag 3)");
- `crebos`, `dossiers`, `levels`, `years`, `count`: these facts appear in the reply.

`sealed.yml` is read by a helper only, who reports the totals: this tool never prints a
sealed question (`--failures` is refused for it).

    python -m tools.independent_eval tests/independent/dev.yml [--failures]
    python -m tools.independent_eval split [--prefix en_] DRAFT.yml [DRAFT.yml …]   # once, when a set is written
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import requests
import yaml

from bot import PROJECT_DIR
from bot.knowledge import Dossier, load_catalogue, load_dataset
from bot.language import english_probability

SET_DIR = PROJECT_DIR / "tests" / "independent"
KINDS = ("unanswerable", "list_reference", "count_duration", "lookup", "two_questions", "faq_long", "follow_up", "faq")
NUMBER_WORDS = {1: "een", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen",
                10: "tien", 11: "elf", 12: "twaalf", 20: "twintig", 30: "dertig"}
ENGLISH_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                        9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 20: "twenty", 30: "thirty"}
DOCUMENT_OF = {1: "vragenuur_1", 2: "vragenuur_2", 3: "vragenuur_3", 4: "vragenuur_4", "column": "column"}
# How the assistant says that its sources do not hold something.
NOT_IN_SOURCES = re.compile(
    r"(staat|staan) niet in (mijn|de) bronnen|(mijn|de) bronnen zeggen (daar )?(niets|niet)|zeggen mijn bronnen niets"
    r"|bronnen .{0,60}\b(zeggen|noemen) .{0,40}\b(niets|niet)\b|niet in de bronnen"
    r"|not in (my|the) sources|(my|the) sources (say|mention) nothing|sources .{0,60}\b(do not|don't) (say|mention)",
    re.IGNORECASE,
)


@dataclass
class Item:
    id: str
    kind: str
    turns: List[str]
    expect: dict


@dataclass
class Verdict:
    item: Item
    reply: str
    failures: List[str] = field(default_factory=list)
    record_not_meant: bool = False
    in_english: bool = False

    @property
    def passed(self) -> bool:
        return not self.failures


def load_items(path: Path) -> Tuple[List[Item], dict]:
    data = yaml.safe_load(path.read_text())
    items = [Item(str(i["id"]), str(i["kind"]), [str(t) for t in i["turns"]], dict(i.get("expect") or {}))
             for i in data["items"]]
    return items, {k: v for k, v in data.items() if k != "items"}


# -- checking one reply --------------------------------------------------------------------

class Checker:
    def __init__(self) -> None:
        dataset = load_dataset()
        self.dataset = dataset
        self.numbers = {q.crebo for q in dataset.qualifications} | {d.number for d in dataset.dossiers}
        # Per (document, question): the opening words of each FAQ answer built on it.
        self.faq_openings: Dict[Tuple[str, int], List[str]] = defaultdict(list)
        for entry in load_catalogue().entries:
            openings = [answer.strip().splitlines()[0][:60] for answer in (entry.answer, entry.answer_en) if answer]
            for source in entry.sources:
                self.faq_openings[(source.document, int(source.question or 0))].extend(openings)
                if source.document == "column":
                    self.faq_openings[("column", 0)].extend(openings)

    def related(self, number: str) -> Set[str]:
        """A record, and what its own answer names: its dossier, or a dossier's qualifications."""
        record = self.dataset.qualification(number) or self.dataset.dossier(number)
        if record is None:
            return {number}
        if isinstance(record, Dossier):
            return {number, *(q.crebo for q in self.dataset.qualifications_in(number))}
        return {number, record.dossier_number}

    def check(self, item: Item, reply: str) -> Verdict:
        verdict, expect = Verdict(item, reply), item.expect
        text = " ".join(reply.split())
        verdict.in_english = english_probability(text) > 0.5
        if expect.get("honest") and not NOT_IN_SOURCES.search(text):
            verdict.failures.append("not honest: does not say the sources do not hold it")
        for vragenuur, question in expect.get("faq") or []:
            document = DOCUMENT_OF.get(vragenuur if vragenuur == "column" else int(vragenuur))
            openings = self.faq_openings.get((document, int(question)), [])
            cited = re.search(rf"{vragenuur}e vragenuur[^()]{{0,40}}\((vraag|question) {int(question)}\)", text) if document != "column" else None
            if not cited and not any(" ".join(opening.split()) in text for opening in openings):
                verdict.failures.append(f"faq {vragenuur}/{question} not answered")
        for number in [*(expect.get("crebos") or []), *(expect.get("dossiers") or [])]:
            if str(number) not in text:
                verdict.failures.append(f"{number} missing")
        for level in expect.get("levels") or []:
            if not re.search(rf"\b(niveau|level)\b[^.\n]{{0,30}}\b{int(level)}\b|\({int(level)}\)|\bniveau {NUMBER_WORDS.get(int(level))}\b",
                             text, re.IGNORECASE):
                verdict.failures.append(f"niveau {level} missing")
        for years in expect.get("years") or []:
            word, english = NUMBER_WORDS.get(int(years), str(years)), ENGLISH_NUMBER_WORDS.get(int(years), str(years))
            if not re.search(rf"\b({int(years)}|{word})[ -]?(jaar|jaren)\b|\b{word}jarig|\b({int(years)}|{english})[ -]years?\b",
                             text, re.IGNORECASE):
                verdict.failures.append(f"{years} jaar missing")
        if "count" in expect:
            count = int(expect["count"])
            words = f"{NUMBER_WORDS.get(count, str(count))}|{ENGLISH_NUMBER_WORDS.get(count, str(count))}"
            if not re.search(rf"\b({count}|{words})\b", text, re.IGNORECASE):
                verdict.failures.append(f"count {count} missing")
        self._check_record(verdict, expect, text)
        return verdict

    def _check_record(self, verdict: Verdict, expect: dict, text: str) -> None:
        if expect.get("list_ok"):
            return
        expected = {str(n) for n in [*(expect.get("crebos") or []), *(expect.get("dossiers") or [])]}
        record = str(expect["record"]) if expect.get("record") else None
        allowed: Set[str] = set()
        for number in expected | ({record} if record else set()):
            allowed |= self.related(number)
        mentioned = set(re.findall(r"\b\d{5}\b", text)) & self.numbers
        others = mentioned - allowed
        if not others or not allowed:
            return
        verdict.failures.append(f"names records not asked about: {', '.join(sorted(others))}")
        if len(mentioned) <= 2 and not (record and record in mentioned):
            verdict.record_not_meant = True


# -- talking to the assistant ---------------------------------------------------------------

def reply_text(messages: Sequence[dict]) -> str:
    """The bot's answer: its texts and the titles of its buttons, without the 👍/👎 prompt."""
    parts = []
    for message in messages:
        buttons = message.get("buttons") or []
        if any(str(b.get("payload", "")).startswith("/feedback_") for b in buttons):
            continue
        parts.append(message.get("text") or "")
        parts += [f"[{b.get('title')}]" for b in buttons]
    return "\n".join(parts)


def converse(url: str, turns: Sequence[str]) -> str:
    sender, reply = f"eval-{uuid.uuid4().hex[:12]}", ""
    for turn in turns:
        response = requests.post(url, json={"sender": sender, "message": turn}, timeout=60)
        response.raise_for_status()
        reply = reply_text(response.json())
    return reply


def score(items: Iterable[Item], url: str) -> List[Verdict]:
    checker = Checker()
    return [checker.check(item, converse(url, item.turns)) for item in items]


def summary_table(verdicts: Sequence[Verdict]) -> str:
    rows = ["| kind | items | right | % |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        of_kind = [v for v in verdicts if v.item.kind == kind]
        if of_kind:
            right = sum(v.passed for v in of_kind)
            rows.append(f"| {kind} | {len(of_kind)} | {right} | {100 * right / len(of_kind):.1f} |")
    right = sum(v.passed for v in verdicts)
    rows.append(f"| all | {len(verdicts)} | {right} | {100 * right / max(1, len(verdicts)):.1f} |")
    rows.append(f"\nanswers about a record not meant: {sum(v.record_not_meant for v in verdicts)}")
    right_ones = [v for v in verdicts if v.passed]
    rows.append(f"answered in English: {sum(v.in_english for v in verdicts)} of {len(verdicts)}; "
                f"of the right ones {sum(v.in_english for v in right_ones)} of {len(right_ones)}")
    return "\n".join(rows)


def with_running_assistant(run):
    from tools.launcher import Assistant

    with tempfile.TemporaryDirectory() as directory:
        assistant = Assistant(Path(directory), env={"RATE_LIMIT_PER_CONVERSATION": "0", "RATE_LIMIT_PER_ADDRESS": "0"})
        try:
            assistant.start_actions()
            assistant.start_rasa()
            return run(assistant.urls["rest_webhook"])
        finally:
            assistant.stop()


# -- splitting a newly written set ----------------------------------------------------------

def split(drafts: Sequence[Path], seed: int = 20261205, prefix: str = "") -> None:
    """Shuffle every draft item and cut the set in two halves per kind: dev.yml and sealed.yml
    (with `prefix`, e.g. "en_": en_dev.yml and en_sealed.yml)."""
    items, header = [], {}
    for draft in drafts:
        data = yaml.safe_load(draft.read_text())
        header = {k: v for k, v in data.items() if k != "items"}
        items += data["items"]
    rng = random.Random(seed)
    halves: Dict[str, List[dict]] = {"dev": [], "sealed": []}
    for kind in sorted({i["kind"] for i in items}):
        of_kind = [i for i in items if i["kind"] == kind]
        rng.shuffle(of_kind)
        middle = len(of_kind) // 2
        halves["dev"] += of_kind[:middle]
        halves["sealed"] += of_kind[middle:]
    SET_DIR.mkdir(parents=True, exist_ok=True)
    for name, chosen in halves.items():
        note = ("Sealed half: only a helper runs it and reports totals; never read it, never train on it."
                if name == "sealed" else "Dev half: read it and fix against it; never train on it.")
        document = {**header, "half": name, "sealed": name == "sealed", "note": note, "items": chosen}
        (SET_DIR / f"{prefix}{name}.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120))
    print(f"split {len(items)} items: dev {len(halves['dev'])}, sealed {len(halves['sealed'])}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "split":
        prefix = argv[2] if len(argv) > 2 and argv[1] == "--prefix" else ""
        split([Path(p) for p in argv[(3 if prefix else 1):]], prefix=prefix)
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--url", help="a running REST webhook (default: start the assistant)")
    parser.add_argument("--failures", action="store_true", help="print each failure (never for a sealed file)")
    args = parser.parse_args(argv)
    items: List[Item] = []
    for path in args.files:
        loaded, header = load_items(path)
        if args.failures and header.get("sealed"):
            parser.error(f"{path} is sealed: only its totals are reported")
        items += loaded

    def run(url: str) -> List[Verdict]:
        return score(items, url)

    verdicts = run(args.url) if args.url else with_running_assistant(run)
    if args.failures:
        for verdict in verdicts:
            if not verdict.passed:
                turns = " ⏎ ".join(verdict.item.turns)
                print(f"--- {verdict.item.id} [{verdict.item.kind}] {turns}\n    {'; '.join(verdict.failures)}\n    "
                      + verdict.reply.replace("\n", "\n    ")[:700])
    print(summary_table(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
