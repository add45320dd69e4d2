"""Lookups as people really ask them, over HTTP: free phrasing, follow-ups that point back,
two questions in one message, corrections and wrong beliefs (lookup_conversations.yml).

Each conversation runs under its own sender. A turn is right when its reply contains every
`expect` text, none of the `refuse` texts (a record the user did not mean) and, for a yes/no
question, starts with `starts`. The share right is printed; the test allows no answer about
a record the user did not mean, and at most MAX_WRONG_SHARE of turns otherwise wrong.
"""
from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Dict, List

import yaml

from tests.conversations.rest import answer, say

CONVERSATIONS: List[Dict] = yaml.safe_load(
    (Path(__file__).parent / "lookup_conversations.yml").read_text(encoding="utf-8")
)
MAX_WRONG_SHARE = 0.03  # the target: at least 97% right


def judge(turn: Dict, reply: str) -> str:
    """'right', 'not meant' (names a refused record) or 'wrong'."""
    lowered = reply.casefold()
    if any(text.casefold() in lowered for text in turn.get("refuse") or []):
        return "not meant"
    if not all(text.casefold() in lowered for text in turn.get("expect") or []):
        return "wrong"
    if turn.get("starts") and not reply.lstrip().startswith(turn["starts"]):
        return "wrong"
    return "right"


def test_the_file_is_complete():
    kinds = Counter(conversation["kind"] for conversation in CONVERSATIONS)
    assert len(CONVERSATIONS) >= 80
    assert set(kinds) == {"lookup", "follow_up", "two_questions", "correction", "premise", "faq_follow_up"}
    for conversation in CONVERSATIONS:
        for turn in conversation["turns"]:
            assert turn["user"].strip() and (turn["expect"] or turn.get("refuse") or turn.get("starts")), conversation


def test_no_message_is_a_near_copy_of_a_training_example():
    from bot.nlu.training_data import training_texts
    from bot.text import near_duplicate_pairs

    training = training_texts()
    messages = [turn["user"] for conversation in CONVERSATIONS for turn in conversation["turns"]]
    assert near_duplicate_pairs(messages, training) == []


def test_lookup_conversations_are_answered_right(live_servers):
    outcomes: Counter = Counter()
    per_kind: Dict[str, Counter] = {}
    failures = []
    for conversation in CONVERSATIONS:
        sender = uuid.uuid4().hex
        for turn in conversation["turns"]:
            reply = answer(say(live_servers, turn["user"], sender))
            verdict = judge(turn, reply)
            outcomes[verdict] += 1
            per_kind.setdefault(conversation["kind"], Counter())[verdict] += 1
            if verdict != "right":
                failures.append(f"[{verdict}] {conversation['name']}: {turn['user']!r} → {reply[:160]!r}")
    total = sum(outcomes.values())
    print(f"\nlookup conversations: {outcomes['right']}/{total} turns right = {outcomes['right'] / total:.1%}; "
          f"about a record not meant: {outcomes['not meant']}")
    for kind, counts in sorted(per_kind.items()):
        print(f"  {kind:14} {counts['right']}/{sum(counts.values())}")
    print("\n".join(failures))
    assert outcomes["not meant"] == 0, "\n".join(f for f in failures if f.startswith("[not meant]"))
    assert (total - outcomes["right"]) / total <= MAX_WRONG_SHARE, "\n".join(failures)
