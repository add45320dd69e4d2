"""`make bench`: latency, throughput, start-up and memory of the running assistant, and how
long `make report` takes over a large conversation store.

Starts the action server and `rasa run` on free loopback ports (tools/launcher.py, as the
tests do), then
talks to the REST webhook. Every load is bounded in requests and seconds. Prints one table
and writes reports/bench.json. `--quick` runs a small version (used by the test suite).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import tempfile
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Sequence

import aiohttp

import sqlalchemy as sa

from bot import PROJECT_DIR
from bot.report import build_report, render_html
from tools.launcher import Assistant

REPORTS = PROJECT_DIR / "reports"
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _ask(session: aiohttp.ClientSession, url: str, text: str, sender: str) -> float:
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        response.raise_for_status()
        body = await response.json()
        if not body:
            raise RuntimeError(f"no answer to {text!r}")
    return (time.perf_counter() - started) * 1000


async def latencies(url: str, questions: Sequence[str]) -> List[float]:
    """One user, one question after another (a new conversation per question)."""
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        return [await _ask(session, url, q, uuid.uuid4().hex) for q in questions]


async def long_conversation(url: str, questions: Sequence[str], turns: int) -> Dict[str, float]:
    """One sender asking `turns` questions in a row: does a late message cost more than an early one?"""
    sender = f"bench-long-{uuid.uuid4().hex[:6]}"
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        times = [await _ask(session, url, questions[turn % len(questions)], sender) for turn in range(turns)]
    first, last = statistics.median(times[:20]), statistics.median(times[-20:])
    return {"turns": turns, "first_20_p50_ms": first, "last_20_p50_ms": last, "ratio": last / first}


async def load(url: str, questions: Sequence[str], users: int, per_user: int, max_seconds: float) -> Dict[str, float]:
    """`users` concurrent conversations, each asking `per_user` questions in turn."""
    errors = 0
    done: List[float] = []
    deadline = time.monotonic() + max_seconds

    async def user(index: int, session: aiohttp.ClientSession) -> None:
        nonlocal errors
        sender = f"bench-{index}-{uuid.uuid4().hex[:6]}"
        for turn in range(per_user):
            if time.monotonic() > deadline:
                return
            try:
                done.append(await _ask(session, url, questions[(index + turn) % len(questions)], sender))
            except Exception:  # counted, not raised: the figure is the error count
                errors += 1

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT, connector=connector) as session:
        await asyncio.gather(*(user(i, session) for i in range(users)))
    elapsed = time.perf_counter() - started
    return {
        "users": users,
        "answers": len(done),
        "errors": errors,
        "answers_per_s": len(done) / elapsed,
        "p50_ms": statistics.median(done) if done else float("nan"),
        "p95_ms": percentile(done, 0.95) if done else float("nan"),
    }


# The third security review's message: one 2 kB text of 200 questions (bot/knowledge/reader.py
# reads at most MAX_QUESTIONS_PER_MESSAGE of them).
MANY_QUESTIONS = ("is 25894? " * 200)[:2000]


async def many_questions(url: str, ordinary: Sequence[str], burst: int = 40, clients: int = 4) -> Dict[str, float]:
    """The 2 kB many-questions message on its own, and an ordinary user's latency while
    `clients` clients send `burst` of them in all."""
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        alone = [await _ask(session, url, MANY_QUESTIONS, uuid.uuid4().hex) for _ in range(10)]
        ordinary_alone = [await _ask(session, url, q, uuid.uuid4().hex) for q in ordinary]

        async def attacker() -> None:
            for _ in range(burst // clients):
                await _ask(session, url, MANY_QUESTIONS, uuid.uuid4().hex)  # a new sender each time

        async def user() -> List[float]:
            return [await _ask(session, url, q, uuid.uuid4().hex) for q in ordinary]

        *_, during = await asyncio.gather(*(attacker() for _ in range(clients)), user())
    return {"message_p50_ms": statistics.median(alone), "ordinary_p50_ms": statistics.median(ordinary_alone),
            "ordinary_during_burst_p50_ms": statistics.median(during), "burst": burst, "clients": clients}


def _questions() -> Dict[str, List[str]]:
    from tools.evaluation import heldout_examples

    examples = heldout_examples()
    faq = [t for t, label in examples if label.startswith("faq/")]
    lookup = [t for t, label in examples if label.startswith(("lookup_", "list_by_level", "ask_"))]
    return {"faq": faq, "lookup": lookup}


def _baseline_latency(questions: Sequence[str]) -> List[float]:
    from tools.baseline import NearestExampleBaseline

    baseline = NearestExampleBaseline.from_training_data()
    times = []
    for question in questions:
        started = time.perf_counter()
        baseline.predict(question)
        times.append((time.perf_counter() - started) * 1000)
    return times


# A stored conversation as `make report` reads it: a session start, then three questions,
# each answered one of these ways.
_OUTCOMES = [("faq", "faq/bol_bbl", "utter_faq"), ("lookup_crebo", None, "action_answer_lookup"),
             ("nlu_fallback", "faq/consortium", "action_suggest_faq"), ("out_of_scope", None, "action_answer_out_of_scope")]


def synthetic_store(path: Path, conversations: int, seed: int = 7) -> sa.engine.Engine:
    """An SQLite conversation store with `conversations` conversations of three questions over 30 days."""
    generator, start = random.Random(seed), 1_789_372_800.0  # 2026-09-14
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
                   "intent_name TEXT, action_name TEXT, data TEXT)")
        for n in range(conversations):
            sender, at = f"web:{n:07d}", start + generator.randrange(30 * 86_400)
            rows = [(sender, "action", at, None, "action_session_start", '{"event": "action"}')]
            for turn in range(3):
                intent, answer, answered_by = generator.choice(_OUTCOMES)
                text = f"vraag {generator.randrange(500)}"
                parse: Dict[str, object] = {"intent": {"name": intent}, "entities": [], "text": text}
                if answer:
                    parse["response_selector"] = {"faq": {"response": {"intent_response_key": answer},
                                                          "ranking": [{"intent_response_key": answer}]}}
                rows.append((sender, "user", at + 2 * turn + 1, intent, None,
                             json.dumps({"event": "user", "text": text, "parse_data": parse})))
                rows.append((sender, "action", at + 2 * turn + 2, None, answered_by, '{"event": "action"}'))
            db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                           "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return sa.create_engine(f"sqlite:///{path}")


def report_figures(conversations: int) -> Dict[str, object]:
    """Seconds `make report` needs to count and render a store of this many conversations."""
    with tempfile.TemporaryDirectory() as directory:
        engine = synthetic_store(Path(directory) / "conversations.db", conversations)
        started = time.perf_counter()
        usage = build_report(engine)
        render_html(usage)
        seconds = time.perf_counter() - started
        engine.dispose()
    return {"conversations": usage.conversations, "questions": usage.questions, "seconds": seconds}


# Run in a fresh interpreter, so the memory it adds is the detector's alone.
_DETECTION_PROBE = """
import json, sys, time, yaml
def rss_mb():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')) / 1024
before = rss_mb()
from bot.language import detect
texts = [m['text'] for m in yaml.safe_load(open(sys.argv[1], encoding='utf-8'))['messages']]
detect('warm up the model', 'nl')
timings = []
for text in texts * 5:
    started = time.perf_counter(); detect(text, 'nl'); timings.append((time.perf_counter() - started) * 1000)
timings.sort()
print(json.dumps({'messages': len(timings), 'mean_ms': sum(timings) / len(timings),
                  'p99_ms': timings[int(0.99 * (len(timings) - 1))], 'added_mb': rss_mb() - before}))
"""


def language_detection() -> Dict[str, float]:
    """Time per message and memory added by the language detector (bot/language.py), on the labelled file."""
    labelled = PROJECT_DIR / "tests" / "language" / "short_messages.yml"
    output = subprocess.run([sys.executable, "-c", _DETECTION_PROBE, str(labelled)], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(quick: bool) -> Dict[str, object]:
    questions = _questions()
    if quick:
        questions = {kind: items[:8] for kind, items in questions.items()}
    logs = REPORTS / "bench-logs"
    logs.mkdir(parents=True, exist_ok=True)
    # Rate limits off: the bench measures what the server can do, from one address. ENDPOINTS:
    # compare stores, e.g. an endpoints file without tracker_store (in memory); by default the
    # project's, with the conversations in a database of the bench's own.
    endpoints = os.environ.get("ENDPOINTS")
    assistant = Assistant(logs, env={"RATE_LIMIT_PER_CONVERSATION": "0", "RATE_LIMIT_PER_ADDRESS": "0"},
                          endpoints=PROJECT_DIR / endpoints if endpoints else None)
    (logs / "conversations.db").unlink(missing_ok=True)
    started = time.monotonic()
    actions, rasa = assistant.launch_actions(), assistant.launch_rasa()
    url = assistant.urls["rest_webhook"]
    try:
        first_answer_s = asyncio.run(_first_answer(url, started, timeout=300))
        result: Dict[str, object] = {"first_answer_s": first_answer_s}
        # Warm-up is not measured: the first messages load lazily imported code.
        asyncio.run(latencies(url, questions["faq"][:3] + questions["lookup"][:3]))
        for kind in ("faq", "lookup"):
            unseen = asyncio.run(latencies(url, questions[kind]))
            repeated = asyncio.run(latencies(url, [questions[kind][0]] * len(questions[kind])))
            base = _baseline_latency(questions[kind])
            result[kind] = {
                "questions": len(unseen),
                "p50_ms": statistics.median(unseen), "p95_ms": percentile(unseen, 0.95), "p99_ms": percentile(unseen, 0.99),
                "repeated_p50_ms": statistics.median(repeated),
                "baseline_p50_ms": statistics.median(base),
            }
        mixed = questions["faq"] + questions["lookup"]
        result["many_questions"] = asyncio.run(many_questions(url, mixed[:20]))
        result["long_conversation"] = asyncio.run(long_conversation(url, mixed, 60 if quick else 300))
        levels = [(1, 4, 20), (10, 2, 30)] if quick else [(1, 40, 60), (10, 20, 60), (50, 10, 90)]
        result["load"] = [asyncio.run(load(url, mixed, users, per_user, seconds)) for users, per_user, seconds in levels]
        result["rss_mb"] = {"rasa": _rss_mb(rasa.pid), "actions": _rss_mb(actions.pid)}
        seconds_file = PROJECT_DIR / "var" / "train_seconds"
        result["train_s"] = float(seconds_file.read_text()) if seconds_file.exists() else None
        result["report"] = report_figures(2_000 if quick else 100_000)
        result["language_detection"] = language_detection()
        result["machine"] = f"{os.cpu_count()} cores, {os.uname().machine}"
        return result
    finally:
        assistant.stop()


async def _first_answer(url: str, started: float, timeout: float) -> float:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        while time.monotonic() - started < timeout:
            try:
                await _ask(session, url, "hallo", "bench-start")
                return time.monotonic() - started
            except Exception:
                await asyncio.sleep(0.25)
    raise RuntimeError("no first answer within the time limit")


def table(result: Dict[str, object]) -> str:
    lines = ["| measure | value |", "|---|---|"]
    for kind in ("faq", "lookup"):
        r = result[kind]
        lines.append(f"| {kind} questions, 1 user: p50 / p95 / p99 | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f} ms (n={r['questions']}) |")
        lines.append(f"| {kind}: same question repeated, p50 | {r['repeated_p50_ms']:.0f} ms |")
        lines.append(f"| {kind}: TF-IDF baseline p50 (in-process) | {r['baseline_p50_ms']:.2f} ms |")
    for level in result["load"]:
        lines.append(f"| {level['users']} concurrent users | {level['answers_per_s']:.1f} answers/s, p50 {level['p50_ms']:.0f} ms, "
                     f"p95 {level['p95_ms']:.0f} ms, {level['answers']} answers, {level['errors']} errors |")
    long = result["long_conversation"]
    lines.append(f"| one conversation of {long['turns']} questions: p50 of turns 1-20 / last 20 | "
                 f"{long['first_20_p50_ms']:.0f} / {long['last_20_p50_ms']:.0f} ms (ratio {long['ratio']:.2f}) |")
    many = result["many_questions"]
    lines.append(f"| the 2 kB message of 200 questions, p50 | {many['message_p50_ms']:.0f} ms |")
    lines.append(f"| an ordinary user's p50, alone / during {many['burst']} such messages from {many['clients']} clients | "
                 f"{many['ordinary_p50_ms']:.0f} / {many['ordinary_during_burst_p50_ms']:.0f} ms |")
    lines.append(f"| start to first answer | {result['first_answer_s']:.1f} s |")
    lines.append(f"| resident memory | Rasa {result['rss_mb']['rasa']:.0f} MB, actions {result['rss_mb']['actions']:.0f} MB |")
    report = result["report"]
    lines.append(f"| make report over {report['conversations']:,} conversations ({report['questions']:,} questions, "
                 f"SQLite) | {report['seconds']:.1f} s |")
    detection = result["language_detection"]
    lines.append(f"| language detection ({detection['messages']:,} messages): mean / p99, memory added | "
                 f"{detection['mean_ms']:.3f} / {detection['p99_ms']:.3f} ms, {detection['added_mb']:.0f} MB |")
    if result.get("train_s"):
        lines.append(f"| last training (make train) | {result['train_s']:.0f} s |")
    lines.append(f"| machine | {result['machine']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small, fast run (for the test suite)")
    args = parser.parse_args()
    result = run(quick=args.quick)
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
