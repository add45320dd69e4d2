"""Conversations against the scaled-out assistant (scripts/run-scaled): two Rasa processes
sharing PostgreSQL and a Redis lock store, nginx in front. Each test reads like the
conversation it protects; the stored events in PostgreSQL are checked after it."""
from __future__ import annotations

import json
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

import pytest
import requests

from tools.bench import percentile
from bot.knowledge import load_catalogue, load_dataset
from tests.bot.web.test_webchat_live import WebChatUser, issued_session_id
from tests.conversations.rest import answer, is_feedback_prompt, say
from tests.scaled.conftest import Scaled
from bot import PROJECT_DIR

pytestmark = pytest.mark.slow

DURATION_OF_25896 = ("Over de opleidingsduur zegt de bron: Productietechniek op niveau 4 is een vierjarige opleiding. "
                     "Productietechnicus (crebo 25896) is een kwalificatie op niveau 4 in het kwalificatiedossier "
                     "Productietechniek (23361); de bron noemt de kwalificaties daarbij niet apart.\n\n"
                     "Bron: 1e vragenuur, 4 maart 2022 (vraag 2); 4e vragenuur, 11 oktober 2022 (vraag 3)")


@dataclass(frozen=True)
class Question:
    text: str
    answer_starts: str  # how its own answer begins, so answers cannot be mixed up


def crebo_questions() -> List[Question]:
    return [Question(f"Wat is crebo {q.crebo}?", f"{q.name} (crebo {q.crebo})") for q in load_dataset().qualifications]


def faq_buttons() -> List[Question]:
    """The FAQ buttons' payloads, each with exactly its own answer."""
    return [Question(f"faq:{e.key}", e.answer_with_source) for e in load_catalogue().entries]


def described(type_name: str, event: Dict[str, Any]) -> str:
    """A stored event in a word or two: `user lookup_crebo`, `action action_listen`, `bot`."""
    if type_name == "user":
        return f"user {event['parse_data']['intent']['name']}"
    if type_name in ("action", "slot"):
        return f"{type_name} {event['name']}"
    return type_name


def turns(events: List[Tuple[str, Dict[str, Any]]]) -> List[Tuple[str, str]]:
    """The stored conversation as (user's text, the bot texts after it up to the next user text)."""
    result: List[Tuple[str, List[str]]] = []
    for type_name, event in events:
        if type_name == "user":
            result.append((event["text"], []))
        elif type_name == "bot" and result and not is_feedback_prompt(event.get("data") or {}):
            result[-1][1].append(event["text"])
    return [(text, "\n\n".join(bot)) for text, bot in result]


def test_a_conversation_keeps_its_context_when_its_messages_alternate_between_processes(scaled: Scaled):
    sender = f"alternating-{uuid.uuid4().hex[:8]}"
    first, second = (scaled.webhook(url) for url in scaled.rasa_urls)

    lookup = answer(say(first, "Wat is crebo 25896?", sender))
    assert lookup.startswith("Productietechnicus (crebo 25896) is een kwalificatie op niveau 4")
    # The other process knows which qualification "die opleiding" is: the slot came from PostgreSQL.
    duration = answer(say(second, "Hoe lang duurt die opleiding?", sender))
    assert duration == DURATION_OF_25896
    level = answer(say(first, "Op welk niveau is die?", sender))
    assert level.startswith("Productietechnicus (crebo 25896) is op niveau 4.")
    # Without that history the same question gets a question back.
    assert answer(say(second, "Hoe lang duurt die opleiding?")).startswith("Over welke opleiding gaat het?")

    events = scaled.events(sender)
    assert [described(*e) for e in events] == [
        "action action_session_start", "session_started", "action action_listen",
        # "bot", "bot": the answer, then 👍/👎 under it.
        "user lookup_crebo", "user_featurization", "action action_answer_lookup", "bot", "bot",
        "slot qualification", "slot dossier", "slot level", "slot lookup_question", "action action_listen",
        "user ask_duration", "user_featurization", "action action_answer_lookup", "bot", "bot", "slot lookup_question",
        "action action_listen",
        "user ask_level", "user_featurization", "action action_answer_lookup", "bot", "bot", "slot lookup_question",
        "action action_listen",
    ]
    assert turns(events) == [
        ("Wat is crebo 25896?", lookup), ("Hoe lang duurt die opleiding?", duration), ("Op welk niveau is die?", level),
    ]


def test_many_messages_at_once_from_one_user_are_answered_one_by_one_in_order(scaled: Scaled):
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    crebos, buttons = crebo_questions(), faq_buttons()
    questions = [q for pair in zip(buttons, crebos) for q in pair] + buttons[len(crebos):20 - len(crebos)]
    assert len({q.text for q in questions}) == 20
    replies: List[Optional[str]] = [None] * len(questions)

    def send(index: int) -> None:
        # Longer than say()'s 30 s: the last message waits for the 19 before it.
        response = requests.post(f"{scaled.nginx_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": questions[index].text}, timeout=120)
        response.raise_for_status()
        replies[index] = answer(response.json())

    # Fired without waiting for answers, 20 ms apart so the order they are sent in is clear.
    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(questions))]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join()

    for question, reply in zip(questions, replies):
        assert reply is not None and reply.startswith(question.answer_starts), question.text
    # Stored in the order sent, each user message followed by its own answer and nothing else.
    stored = turns(scaled.events(sender))
    assert [text for text, _ in stored] == [q.text for q in questions]
    for (text, bot), question in zip(stored, questions):
        assert bot.startswith(question.answer_starts), f"after {text!r} the bot said {bot[:80]!r}"
    # nginx found the sender in the JSON body: the whole conversation went to one process.
    routes = scaled.routes(sender, expected=len(questions))
    assert len(routes) == len(questions) and len(set(routes)) == 1


def test_the_web_chat_stays_with_one_process_through_nginx(scaled: Scaled):
    session = issued_session_id(scaled.nginx_url)
    # As chat.js connects: the session id in the query of every socket.io request.
    with WebChatUser(f"{scaled.nginx_url}?session_id={session}", session) as user:
        lookup = user.say("Wat is crebo 25896?")
        duration = user.say("Hoe lang duurt die opleiding?")
    assert lookup[0]["text"].startswith("Productietechnicus (crebo 25896)")
    assert duration[0]["text"] == DURATION_OF_25896
    routes = scaled.routes(session)  # polling handshake, then the websocket
    assert len(routes) >= 2 and len(set(routes)) == 1


def test_an_oversized_message_is_refused_by_nginx(scaled: Scaled):
    response = requests.post(f"{scaled.nginx_url}/webhooks/rest/webhook",
                             json={"sender": "big", "message": "x" * 100_000}, timeout=30)
    assert response.status_code == 413


USERS, MESSAGES_PER_USER = 50, 20


def test_fifty_users_with_twenty_messages_each_get_every_answer_and_every_event_is_stored(scaled: Scaled):
    run = uuid.uuid4().hex[:8]
    mix = [e.title for e in load_catalogue().entries] + [q.text for q in crebo_questions()]
    servers = scaled.webhook(scaled.nginx_url)

    def user(number: int) -> Tuple[List[float], int, List[str]]:
        """One user's conversation: its latencies, errors and the bot messages it received."""
        sender, latencies, errors, received = f"load-{run}-{number}", [], 0, []
        for turn in range(MESSAGES_PER_USER):
            started = time.perf_counter()
            try:
                replies = say(servers, mix[(number * 7 + turn) % len(mix)], sender)
                errors += not answer(replies)
                received += [r["text"] for r in replies if "text" in r]
            except requests.RequestException:
                errors += 1
            latencies.append(time.perf_counter() - started)
        return latencies, errors, received

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        results = list(pool.map(user, range(USERS)))
    wall = time.perf_counter() - started

    latencies = [latency for result in results for latency in result[0]]
    errors = sum(result[1] for result in results)
    received = {f"load-{run}-{n}": result[2] for n, result in enumerate(results)}
    stored = {sender: scaled.events(sender) for sender in received}
    user_events = {s: sum(t == "user" for t, _ in events) for s, events in stored.items()}
    bot_events = {s: [e["text"] for t, e in events if t == "bot"] for s, events in stored.items()}
    processes = {s: set(scaled.routes(s)) for s in received}
    figures = {
        "users": USERS, "messages": len(latencies), "errors": errors,
        "user_events_stored": sum(user_events.values()),
        "bot_events_stored": sum(len(b) for b in bot_events.values()),
        "bot_messages_received": sum(len(r) for r in received.values()),
        "wall_s": round(wall, 1), "messages_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000), "p95_ms": round(percentile(latencies, 0.95) * 1000),
        "rasa_processes_used": len(set.union(*processes.values())),
    }
    print("\nscale-out load:", json.dumps(figures, indent=2))
    (PROJECT_DIR / "reports").mkdir(exist_ok=True)
    (PROJECT_DIR / "reports" / "scaled-load.json").write_text(json.dumps(figures, indent=2) + "\n")

    assert errors == 0
    assert set(user_events.values()) == {MESSAGES_PER_USER}
    # The REST channel sends each paragraph of a bot event as its own message: compare texts.
    for sender, texts in received.items():
        assert "\n\n".join(bot_events[sender]) == "\n\n".join(texts), sender
    # Each user stayed with one Rasa process, and the users were spread over both.
    assert all(len(p) == 1 for p in processes.values()) and figures["rasa_processes_used"] == len(scaled.rasa_urls)


async def test_a_nul_in_a_conversation_id_stops_neither_rasa_nor_the_store_on_postgresql(scaled: Scaled):
    from tests.bot.store.test_tracker_store import DOMAIN, conversation
    from bot.store.tracker_store import ConversationStore

    for url in scaled.rasa_urls:  # straight to each process, as an attacker would
        refused = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "\u0000", "message": "hoi"}, timeout=30)
        assert refused.status_code == 400 and refused.json()["error"] == "sender_ongeldig"
        assert answer(say(scaled.webhook(url), "Wat is crebo 25896?")).startswith("Productietechnicus (crebo 25896)")
    # Should a NUL reach the store by another way, psycopg2's ValueError is an error, not an exit.
    url = scaled.database.url
    store = ConversationStore(domain=DOMAIN, dialect="postgresql", host=url.host, port=url.port, db=url.database,
                              username=url.username, password=url.password)
    with pytest.raises(ValueError):
        await store.save(conversation("nul\u0000sender", "hoi"))
    await store.save(conversation("after-the-nul", "hoi"))
    assert (await store.retrieve("after-the-nul")) is not None


def test_redis_answers_only_with_the_generated_password(scaled: Scaled):
    import redis

    with pytest.raises(redis.exceptions.AuthenticationError):
        redis.Redis(host="127.0.0.1", port=scaled.redis_port).ping()
    password = (scaled.directory / "redis-password").read_text().strip()
    assert redis.Redis(host="127.0.0.1", port=scaled.redis_port, password=password).ping()
    assert (scaled.directory / "redis-password").stat().st_mode & 0o077 == 0


def test_the_usage_report_reads_postgresql(scaled: Scaled):
    from bot.report import build_report, render_html

    sender = f"report-{uuid.uuid4().hex[:8]}"
    say(scaled.webhook(scaled.nginx_url), "Zijn keuzedelen straks nog verplicht?", sender)
    say(scaled.webhook(scaled.nginx_url), "hoe laat vertrekt de bus naar huis", sender)
    usage = build_report(scaled.database)
    assert usage.answers["faq/keuzedelen_verplicht"] >= 1 and usage.missed
    assert "hoe laat vertrekt de bus naar huis" in render_html(usage)
