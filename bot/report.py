"""What was asked, what was answered, and what was missed: one Dutch HTML page for the school.

    make report                                   # reports/gebruik.html, all conversations
    python -m bot.report --since 2026-09-01 --until 2026-09-30
    ENDPOINTS=deploy/scaled/endpoints.yml make report   # PostgreSQL

Reads the conversation store (the `events` table of Rasa's SQL tracker store, whose texts
are masked before they are written), and writes a single self-contained page: plots are
embedded PNGs (matplotlib), nothing is loaded from elsewhere. Dates are UTC days. A new
install, or a period without conversations, gives an empty report, not an error.

Each user message is classified by what answered it: the action that ran next.

Language (nl, en): the slot `language` (bot/language.py), stored as SlotSet events, is followed
as Rasa holds it: a SlotSet gives its value, a new session or a restart sets it back to "nl"
(domain.yml carries no slots over). A question's language is the slot's value when the bot
answered it (so "what is crebo 25893?" in a Dutch conversation, which switches it, counts as
English). A conversation's language is the slot's last value in it ("nl" when never set).
SlotSet events from before the period count too: they say what the language was at its start.

The handover to staff (bot/handover/store.py, same database): per day how many conversations
joined the queue, how many a staff member took, how many were missed (nobody took them within the
wait limit, or the hours ended) or cancelled by the user, and how many questions were left in the
message box; and the waiting time from joining the queue to the first staff reply (median and
90th percentile, nearest rank), over the handovers that got one. A handover counts on the UTC
day it was requested, a left message on the day it was stored.
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import json
import math
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa

from bot import PROJECT_DIR
from bot.feedback import FEEDBACK_INTENTS
from bot.knowledge import load_catalogue
from bot.knowledge.faq import RETRIEVAL_ACTION, answer_key, answer_label, ranked_answers, selected_answer
from bot.knowledge.lookup_intents import LOOKUP_ACTIONS
from bot.language import DUTCH, ENGLISH, LANGUAGE_SLOT, LANGUAGES
from bot.private_files import make_private_directory, write_private_file
from bot.text import normalise

REPORT_PATH = PROJECT_DIR / "reports" / "gebruik.html"
SMALL_TALK_ACTIONS = frozenset({"utter_greet", "utter_goodbye", "utter_thank", "utter_iamabot", "utter_capabilities",
                                "action_show_theme", "utter_human_handoff", "action_offer_handover"})
NOT_UNDERSTOOD_ACTIONS = frozenset({"action_default_fallback", "utter_default", "utter_empty_message",
                                    "utter_message_too_long", "utter_no_words"})
# The outcomes of a question, in the order the report shows them.
OUTCOMES = {
    "beantwoord": "beantwoord (FAQ of opzoeken)",
    "suggestie": "\"Bedoelde je…?\"",
    "buiten_onderwerp": "buiten het onderwerp",
    "niet_begrepen": "niet begrepen",
    "gesprek": "groet, dank, menu, doorverwijzing",
}
# The page is read by school staff: the languages by their Dutch names.
LANGUAGE_NAMES = {DUTCH: "Nederlands", ENGLISH: "Engels"}
# Where an editor pastes candidate example questions, per language (bot.NLU_FILES).
EXAMPLES_FILE = {DUTCH: "data/nlu.yml", ENGLISH: "data/nlu/english.yml"}
# A change of language ("English please", the NL | EN switch, and the switch the web chat sends
# quietly when a page that shows English opens a new conversation): no question, as a 👍 is none.
# (bot/nlu/language.py's SWITCH_INTENT; imported from there, it would load Rasa's engine.)
SWITCH_LANGUAGE_INTENT = "switch_language"
# Events that set the slot back to its initial value (Rasa's SessionStarted and Restarted).
SLOT_RESETS = ("session_started", "restart")
CHANNELS = {"rest": "website (REST)", "web": "webchat en kiosk", "slack": "Slack", "teams": "Teams"}
MAX_MISSED_GROUPS = 40
EXAMPLES_PER_GROUP = 5


@dataclass
class Question:
    """One user message and what became of it."""

    sender: str
    day: date
    text: str
    intent: str
    answer: Optional[str] = None  # "faq/<key>" or "lookup/<intent>"
    suggested: Optional[str] = None  # the classifier's best FAQ answer
    outcome: str = "niet_begrepen"
    language: str = DUTCH  # the slot `language` when the bot answered


# The handover figures, in the order the page shows them (Dutch labels).
HANDOVER_COUNTS = {
    "gevraagd": "in de wachtrij",
    "aangenomen": "aangenomen door een medewerker",
    "gemist": "gemist (niemand vrij)",
    "geannuleerd": "geannuleerd door de gebruiker",
    "bericht": "bericht achtergelaten",
}


@dataclass
class HandoverUsage:
    """Chats with staff and left messages in the period."""

    per_day: Dict[date, Counter] = field(default_factory=lambda: defaultdict(Counter))  # day → HANDOVER_COUNTS key
    waits: List[float] = field(default_factory=list)  # seconds from the queue to the first staff reply
    waits_per_day: Dict[date, List[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def totals(self) -> Counter:
        return sum(self.per_day.values(), Counter())

    @property
    def median_wait(self) -> Optional[float]:
        return statistics.median(self.waits) if self.waits else None

    @property
    def p90_wait(self) -> Optional[float]:
        return percentile(self.waits, 90)


def percentile(values: Sequence[float], share: float) -> Optional[float]:
    """The nearest-rank percentile: the smallest value with at least `share`% of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


@dataclass
class Usage:
    since: Optional[date]
    until: Optional[date]
    conversations: int = 0
    questions_per_day: Dict[date, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conversations_per_day: Dict[date, Counter] = field(default_factory=lambda: defaultdict(Counter))
    answers: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    outcomes_per_language: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    conversation_languages: Counter = field(default_factory=Counter)  # "nl"/"en" → conversations
    feedback: Counter = field(default_factory=Counter)  # ("👍"/"👎", answer) → clicks
    missed: List[Question] = field(default_factory=list)  # not answered, or rated 👎
    handovers: HandoverUsage = field(default_factory=HandoverUsage)
    seconds: float = 0.0

    @property
    def questions(self) -> int:
        return sum(self.outcomes.values())


def channel_of(sender: str) -> str:
    prefix = sender.split(":", 1)[0] if ":" in sender else "rest"
    return prefix if prefix in CHANNELS else "rest"


def _day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).date()


def _bounds(since: Optional[date], until: Optional[date]) -> Tuple[float, float]:
    start = datetime.combine(since, datetime.min.time(), tzinfo=timezone.utc).timestamp() if since else 0.0
    end = datetime.combine(until, datetime.max.time(), tzinfo=timezone.utc).timestamp() if until else 4e9
    return start, end


def _rows(engine: sa.engine.Engine, since: Optional[date], until: Optional[date]) -> Iterable[tuple]:
    """User messages and actions in the period, and the language slot's events up to its end,
    per conversation in order. (Rasa's SQL store keeps a SlotSet's slot name in `action_name`.)"""
    if not sa.inspect(engine).has_table("events"):
        return []  # a new install: nothing stored yet
    start, end = _bounds(since, until)
    query = sa.text(
        "SELECT sender_id, type_name, timestamp, intent_name, action_name, "
        "CASE WHEN type_name IN ('user', 'slot') THEN data END FROM events "
        "WHERE (type_name IN ('user', 'action') AND timestamp BETWEEN :start AND :end "
        "AND (type_name = 'user' OR action_name NOT IN ('action_listen', 'action_session_start', 'action_extract_slots'))) "
        "OR (timestamp <= :end AND ((type_name = 'slot' AND action_name = :slot) "
        "OR type_name IN ('session_started', 'restart'))) "
        "ORDER BY sender_id, id"
    )
    with engine.connect() as connection:
        yield from connection.execution_options(stream_results=True).execute(
            query, {"start": start, "end": end, "slot": LANGUAGE_SLOT})


def _language(data: Optional[str]) -> str:
    """The value a stored SlotSet event of the slot `language` gives it ("nl" for anything else)."""
    value = (json.loads(data) if data else {}).get("value")
    return value if value in LANGUAGES else DUTCH


def _outcome(action: Optional[str], intent: str) -> str:
    if action == RETRIEVAL_ACTION or action in LOOKUP_ACTIONS:
        return "beantwoord"
    if action == "action_suggest_faq":
        return "suggestie"
    if action in ("action_answer_out_of_scope", "utter_out_of_scope") or intent == "out_of_scope":
        return "buiten_onderwerp"
    if action in SMALL_TALK_ACTIONS:
        return "gesprek"
    return "niet_begrepen"


def collect(rows: Iterable[tuple], since: Optional[date] = None, until: Optional[date] = None) -> Usage:
    """The usage figures of the rows `_rows` yields."""
    usage = Usage(since, until)
    pending: Optional[Question] = None
    last_answered: Dict[str, Question] = {}
    seen_conversations = set()
    language: Dict[str, str] = {}  # the slot's value per conversation, so far

    def settle(question: Optional[Question], action: Optional[str]) -> None:
        if question is None:
            return
        question.language = language.get(question.sender, DUTCH)
        question.outcome = _outcome(action, question.intent)
        if question.outcome == "beantwoord":
            question.answer = question.answer if action == RETRIEVAL_ACTION else f"lookup/{question.intent}"
            usage.answers[question.answer] += 1
            last_answered[question.sender] = question
        usage.outcomes[question.outcome] += 1
        usage.outcomes_per_language[question.language][question.outcome] += 1
        if question.outcome in {"suggestie", "niet_begrepen", "buiten_onderwerp"}:
            usage.missed.append(question)

    for sender, kind, timestamp, intent, action, data in rows:
        if kind == "slot" or kind in SLOT_RESETS:
            # Applies to the question waiting for its answer (its own message may have switched).
            language[sender] = _language(data) if kind == "slot" else DUTCH
            continue
        if kind == "action":
            settle(pending, action if pending is not None and pending.sender == sender else None)
            pending = None
            continue
        settle(pending, None)  # a message no action answered
        pending = None
        event = json.loads(data) if data else {}
        parse = event.get("parse_data") or {}
        day, channel = _day(timestamp), channel_of(sender)
        if (sender, day) not in seen_conversations:
            seen_conversations.add((sender, day))
            usage.conversations_per_day[day][channel] += 1
        intent = intent or (parse.get("intent") or {}).get("name") or ""
        if intent == SWITCH_LANGUAGE_INTENT:
            continue
        if intent in FEEDBACK_INTENTS:
            rated = next((e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "answer"), "?")
            thumb = "👍" if intent == "feedback_helpful" else "👎"
            usage.feedback[(thumb, str(rated))] += 1
            if thumb == "👎" and sender in last_answered:
                usage.missed.append(last_answered.pop(sender))
            continue
        usage.questions_per_day[day][channel] += 1
        selected, ranking = selected_answer(parse), ranked_answers(parse)
        chosen = answer_label(selected.key) if selected else None
        pending = Question(sender, day, str(event.get("text") or ""), intent, answer=chosen,
                           suggested=(answer_label(ranking[0].key) if ranking else chosen))
    settle(pending, None)
    senders = {sender for sender, _ in seen_conversations}
    usage.conversations = len(senders)
    usage.conversation_languages.update(language.get(sender, DUTCH) for sender in senders)
    return usage


def collect_handovers(engine: sa.engine.Engine, since: Optional[date] = None,
                      until: Optional[date] = None) -> HandoverUsage:
    """The handover figures of the period (none when the handover was never used)."""
    usage = HandoverUsage()
    tables = sa.inspect(engine)
    if not tables.has_table("handovers"):
        return usage
    from bot.handover.store import CANCELLED, HANDOVER_MESSAGES, HANDOVERS, LEFT_MESSAGES, MISSED, STAFF

    start, end = (datetime.fromtimestamp(bound, timezone.utc) for bound in _bounds(since, until))
    first_reply = (sa.select(HANDOVER_MESSAGES.c.handover_id, sa.func.min(HANDOVER_MESSAGES.c.created_at).label("at"))
                   .where(HANDOVER_MESSAGES.c.sender == STAFF).group_by(HANDOVER_MESSAGES.c.handover_id).subquery())
    handovers = (sa.select(HANDOVERS.c.created_at, HANDOVERS.c.state, HANDOVERS.c.taken_at, first_reply.c.at)
                 .select_from(HANDOVERS.outerjoin(first_reply, first_reply.c.handover_id == HANDOVERS.c.id))
                 .where(HANDOVERS.c.created_at.between(start, end)))
    left = sa.select(LEFT_MESSAGES.c.created_at).where(LEFT_MESSAGES.c.created_at.between(start, end))
    with engine.connect() as connection:
        for created_at, state, taken_at, replied_at in connection.execute(handovers):
            day = created_at.date()
            counts = usage.per_day[day]
            counts["gevraagd"] += 1
            counts["aangenomen"] += taken_at is not None
            counts["gemist"] += state == MISSED
            counts["geannuleerd"] += state == CANCELLED
            if replied_at is not None:
                wait = (replied_at - created_at).total_seconds()
                usage.waits.append(wait)
                usage.waits_per_day[day].append(wait)
        for (created_at,) in connection.execute(left):
            usage.per_day[created_at.date()]["bericht"] += 1
    return usage


def build_report(engine: sa.engine.Engine, since: Optional[date] = None, until: Optional[date] = None) -> Usage:
    started = time.perf_counter()
    usage = collect(_rows(engine, since, until), since, until)
    usage.handovers = collect_handovers(engine, since, until)
    usage.seconds = time.perf_counter() - started
    return usage


# --- the page ---------------------------------------------------------------------------

# What the page calls each lookup intent (tests/bot/test_report.py checks that none is missing).
LOOKUP_NAMES = {"lookup_crebo": "crebonummer opzoeken", "lookup_qualification": "kwalificatie opzoeken",
                "lookup_dossier": "dossier opzoeken", "list_by_level": "kwalificaties per niveau",
                "ask_level": "niveau van een kwalificatie", "ask_duration": "duur van een opleiding",
                "lookup_overview": "overzicht van dossiers", "several_questions": "meerdere vragen tegelijk",
                "ask_not_in_sources": "niet in de bronnen"}


def answer_title(answer: Optional[str]) -> str:
    if not answer:
        return "–"
    key = answer_key(answer)
    if key is not None:
        entry = load_catalogue().get(key)
        return entry.title if entry else answer
    return "Opzoeken: " + LOOKUP_NAMES.get(answer.split("/")[1] if "/" in answer else answer, answer)


def missed_groups(missed: Sequence[Question]) -> List[Tuple[Optional[str], List[Tuple[str, int]]]]:
    """Missed questions grouped by the answer the model thought nearest, near-identical texts merged."""
    by_answer: Dict[Optional[str], Counter] = defaultdict(Counter)
    shown: Dict[str, str] = {}
    for question in missed:
        key = normalise(question.text)
        if not key:
            continue
        shown.setdefault(key, question.text)
        by_answer[question.suggested][key] += 1
    groups = sorted(by_answer.items(), key=lambda item: -sum(item[1].values()))[:MAX_MISSED_GROUPS]
    return [(answer, [(shown[k], n) for k, n in texts.most_common(EXAMPLES_PER_GROUP)]) for answer, texts in groups]


def review_yaml(groups: List[Tuple[Optional[str], List[Tuple[str, int]]]], language: str = DUTCH) -> str:
    """Candidate training examples, for an editor to check and paste into the NLU file of `language`."""
    lines = [f"# Kandidaat-voorbeeldvragen ({LANGUAGE_NAMES[language]}). Controleer elke vraag en het antwoord (intent)",
             f"# dat erbij staat: pas de intent aan of haal de vraag weg. Plak daarna in {EXAMPLES_FILE[language]} en draai",
             "# make validate en make train.",
             "nlu:"]
    for answer, texts in groups:
        if not answer:
            continue
        lines.append(f"- intent: {answer}  # voorgesteld: {answer_title(answer)}")
        lines.append("  examples: |")
        lines += [f"    - {' '.join(text.split())}" for text, _ in texts]
    return "\n".join(lines) + "\n"


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plots(usage: Usage) -> List[Tuple[str, str]]:
    """(title, base64 PNG) of each plot; none without data."""
    if not usage.questions:
        return []
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    days = sorted(usage.questions_per_day)
    figures = []
    figure, axes = pyplot.subplots(figsize=(9, 3.2))
    bottom = [0] * len(days)
    for channel, label in CHANNELS.items():
        counts = [usage.questions_per_day[day][channel] for day in days]
        if any(counts):
            axes.bar(days, counts, bottom=bottom, label=label)
            bottom = [b + c for b, c in zip(bottom, counts)]
    axes.set_ylabel("vragen per dag")
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figures.append(("Vragen per dag, per kanaal", _png(figure)))
    pyplot.close(figure)
    figure, axes = pyplot.subplots(figsize=(9, 2.6))
    labels = [OUTCOMES[o] for o in OUTCOMES]
    shares = [100 * usage.outcomes[o] / usage.questions for o in OUTCOMES]
    axes.barh(labels[::-1], shares[::-1], color="#2a6f97")
    axes.set_xlabel("% van de vragen")
    figures.append(("Wat er met de vragen gebeurde", _png(figure)))
    pyplot.close(figure)
    return figures


def duration(seconds: Optional[float]) -> str:
    """A waiting time as the page shows it: "45 s", "2 min 5 s"; "–" without one."""
    if seconds is None:
        return "–"
    seconds = round(seconds)
    minutes, rest = divmod(seconds, 60)
    return f"{rest} s" if not minutes else f"{minutes} min {rest} s" if rest else f"{minutes} min"


def handover_section(usage: HandoverUsage) -> str:
    """The page's part on chats with staff and the message box; "" when there were none."""
    if not usage.per_day:
        return ""
    totals = usage.totals
    parts = [
        "<h2>Gesprekken met een medewerker</h2>",
        f"<p>{totals['gevraagd']} keer in de wachtrij, {totals['aangenomen']} aangenomen, {totals['gemist']} gemist, "
        f"{totals['geannuleerd']} geannuleerd; {totals['bericht']} "
        f"{'bericht' if totals['bericht'] == 1 else 'berichten'} achtergelaten. Wachttijd tot het eerste antwoord "
        f"van een medewerker: mediaan {duration(usage.median_wait)}, 90% binnen {duration(usage.p90_wait)} "
        f"(over {len(usage.waits)} {'gesprek' if len(usage.waits) == 1 else 'gesprekken'} met een antwoord).</p>",
        "<p>Gemist: niemand nam het gesprek binnen de wachttijd aan, of de openingstijden liepen af. Buiten de "
        "openingstijden komt niemand in de wachtrij: wie dan een medewerker vraagt, kan een bericht achterlaten "
        "(alleen met toestemming bewaard, dus alleen die tellen hier). Meer in docs/beheer.md.</p>",
        "<table><tr><th>dag</th>" + "".join(f"<th>{html.escape(label)}</th>" for label in HANDOVER_COUNTS.values())
        + "<th>wachttijd tot eerste antwoord (mediaan)</th></tr>",
    ]
    for day in sorted(usage.per_day):
        waits = usage.waits_per_day.get(day)
        cells = "".join(f"<td>{usage.per_day[day][key]}</td>" for key in HANDOVER_COUNTS)
        parts.append(f"<tr><td>{day}</td>{cells}<td>{duration(statistics.median(waits) if waits else None)}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


def render_html(usage: Usage) -> str:
    e = html.escape
    period = f"{usage.since or 'begin'} t/m {usage.until or 'nu'}"
    parts = [
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Vragenbot Metaal: gebruik</title><style>",
        "body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}",
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.3rem .6rem;text-align:left}",
        "th{background:#eef3f7}td:first-child{white-space:nowrap}pre{background:#f4f4f4;padding:1rem;overflow:auto}img{max-width:100%}",
        "</style></head><body>",
        f"<h1>Vragenbot Metaal: gebruik</h1><p>Periode: {e(period)}. Gemaakt op "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. Teksten zijn gemaskeerd opgeslagen "
        "(e-mailadressen, telefoonnummers en dergelijke staan er niet in).</p>",
    ]
    if not usage.questions:
        parts.append("<p><strong>Nog geen gesprekken in deze periode.</strong> Zodra er vragen gesteld zijn, "
                     "staan hier de aantallen, de meest gestelde vragen en de vragen zonder antwoord.</p>")
        parts.append(handover_section(usage.handovers))
        return "".join(parts) + "</body></html>"
    answered = usage.outcomes["beantwoord"]
    parts.append(f"<p>{usage.conversations} gesprekken, {usage.questions} vragen; {answered} beantwoord "
                 f"({100 * answered / usage.questions:.0f}%).</p>")
    for title, png in plots(usage):
        parts.append(f"<h2>{e(title)}</h2><img alt='{e(title)}' src='data:image/png;base64,{png}'>")
    parts.append(handover_section(usage.handovers))
    parts.append("<h2>Per dag en kanaal</h2><table><tr><th>dag</th>"
                 + "".join(f"<th>{e(label)}: gesprekken / vragen</th>" for label in CHANNELS.values()) + "</tr>")
    for day in sorted(usage.questions_per_day):
        cells = "".join(f"<td>{usage.conversations_per_day[day][c]} / {usage.questions_per_day[day][c]}</td>"
                        for c in CHANNELS)
        parts.append(f"<tr><td>{day}</td>{cells}</tr>")
    parts.append("</table><h2>Uitkomst van de vragen</h2><table><tr><th>uitkomst</th><th>vragen</th><th>aandeel</th></tr>")
    for outcome, label in OUTCOMES.items():
        count = usage.outcomes[outcome]
        parts.append(f"<tr><td>{e(label)}</td><td>{count}</td><td>{100 * count / usage.questions:.1f}%</td></tr>")
    parts.append("</table><h2>Meest gegeven antwoorden</h2><table><tr><th>antwoord</th><th>keer</th></tr>")
    for answer, count in usage.answers.most_common(20):
        parts.append(f"<tr><td>{e(answer_title(answer))}</td><td>{count}</td></tr>")
    parts.append("</table><h2>Reacties (👍 en 👎)</h2>")
    if usage.feedback:
        parts.append("<table><tr><th>reactie</th><th>antwoord</th><th>keer</th></tr>")
        for (thumb, answer), count in usage.feedback.most_common(30):
            parts.append(f"<tr><td>{thumb}</td><td>{e(answer_title(answer))}</td><td>{count}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>Nog geen reacties.</p>")
    parts.append("<h2>Taal</h2><p>Nederlands is de standaard. Een vraag telt als Engels als de bot hem in het "
                 "Engels beantwoordde; een gesprek als de bot aan het eind ervan Engels sprak (de laatste "
                 "taalinstelling van het gesprek). Een taalwissel (NL | EN, \"English please\") telt niet als vraag. "
                 "Meer in docs/beheer.md.</p>"
                 "<table><tr><th>taal</th><th>gesprekken</th><th>vragen</th><th>beantwoord</th>"
                 "<th>zonder goed antwoord</th></tr>")
    missed_by_language = {language: [q for q in usage.missed if q.language == language] for language in LANGUAGES}
    for language in LANGUAGES:
        outcomes = usage.outcomes_per_language[language]
        questions, answered_here = sum(outcomes.values()), outcomes["beantwoord"]
        share = f" ({100 * answered_here / questions:.0f}%)" if questions else ""
        parts.append(f"<tr><td>{LANGUAGE_NAMES[language]}</td><td>{usage.conversation_languages[language]}</td>"
                     f"<td>{questions}</td><td>{answered_here}{share}</td><td>{len(missed_by_language[language])}</td></tr>")
    parts.append("</table>")
    groups = {language: missed_groups(missed) for language, missed in missed_by_language.items() if missed}
    parts.append("<h2>Vragen zonder goed antwoord</h2><p>Niet begrepen, \"Bedoelde je…?\", buiten het "
                 "onderwerp, of beantwoord en met 👎 beoordeeld; per taal, gegroepeerd naar het antwoord dat het "
                 "dichtst in de buurt kwam.</p>")
    for language, language_groups in groups.items():
        count = len(missed_by_language[language])
        parts.append(f"<h3>{LANGUAGE_NAMES[language]} ({count} {'vraag' if count == 1 else 'vragen'})</h3>")
        for answer, texts in language_groups:
            parts.append(f"<h4>Dichtstbijzijnde antwoord: {e(answer_title(answer))}</h4><ul>")
            parts += [f"<li>{e(text)}" + (f" <small>({count}×)</small>" if count > 1 else "") + "</li>"
                      for text, count in texts]
            parts.append("</ul>")
    parts.append("<h2>Kandidaat-voorbeeldvragen (ter controle)</h2><p>Een redacteur kiest per vraag het goede "
                 "antwoord; zie docs/beheer.md. Nederlandse vragen horen in "
                 f"{EXAMPLES_FILE[DUTCH]}, Engelse in {EXAMPLES_FILE[ENGLISH]}.</p>")
    parts += [f"<pre>{e(review_yaml(language_groups, language))}</pre>" for language, language_groups in groups.items()]
    parts.append(f"<p><small>Rapport gemaakt in {usage.seconds:.1f} s.</small></p></body></html>")
    return "".join(parts)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-09-01") from None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", default="endpoints.yml", help="endpoints file with tracker_store")
    parser.add_argument("--since", type=_date, help="first day (JJJJ-MM-DD, UTC)")
    parser.add_argument("--until", type=_date, help="last day (JJJJ-MM-DD, UTC)")
    parser.add_argument("--out", type=Path, default=REPORT_PATH)
    args = parser.parse_args(argv)
    from bot.store.retention import store_from_endpoints

    usage = build_report(store_from_endpoints(args.endpoints).engine, args.since, args.until)
    # Users' questions: mode 600 from the file's creation, in a folder only we may enter if we make it.
    make_private_directory(args.out.parent)
    write_private_file(args.out, render_html(usage))
    staff = usage.handovers.totals
    print(f"{args.out}: {usage.conversations} conversations, {usage.questions} questions, {staff['gevraagd']} "
          f"handovers, {staff['bericht']} left messages ({usage.seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
