"""`make report`: what was asked and missed, from the conversation store, as one Dutch page."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.knowledge.lookup_intents import LOOKUP_INTENTS
from bot.report import LOOKUP_NAMES, answer_title, build_report, main, missed_groups, render_html, review_yaml
from tools.bench import synthetic_store

DAY = datetime(2026, 9, 14, 10, tzinfo=timezone.utc).timestamp()
COLUMNS = "(sender_id, type_name, timestamp, intent_name, action_name, data)"


def user(sender, at, text, intent, answer=None, ranking=(), entities=()):
    parse = {"intent": {"name": intent}, "entities": list(entities), "text": text}
    if answer or ranking:
        parse["response_selector"] = {"faq": {"response": {"intent_response_key": answer},
                                              "ranking": [{"intent_response_key": r} for r in ranking]}}
    return (sender, "user", at, intent, None, json.dumps({"event": "user", "text": text, "parse_data": parse}))


def action(sender, at, name):
    return (sender, "action", at, None, name, json.dumps({"event": "action", "name": name}))


def store(path: Path, rows) -> sa.engine.Engine:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
                   "intent_name TEXT, action_name TEXT, data TEXT)")
        db.executemany(f"INSERT INTO events {COLUMNS} VALUES (?, ?, ?, ?, ?, ?)", rows)
    return sa.create_engine(f"sqlite:///{path}")


def a_day_of_conversations():
    return [
        action("web:a", DAY, "action_session_start"),
        user("web:a", DAY + 1, "zijn keuzedelen verplicht", "faq", "faq/keuzedelen_verplicht"),
        action("web:a", DAY + 2, "utter_faq"),
        user("web:a", DAY + 3, '/feedback_not_helpful{"answer": "faq/keuzedelen_verplicht"}', "feedback_not_helpful",
             entities=[{"entity": "answer", "value": "faq/keuzedelen_verplicht"}]),
        action("web:a", DAY + 4, "action_feedback_not_helpful"),
        user("slack:U1", DAY + 5, "wat is crebo 25893", "lookup_crebo"),
        action("slack:U1", DAY + 6, "action_answer_lookup"),
        user("slack:U1", DAY + 7, '/feedback_helpful{"answer": "lookup/lookup_crebo/25893"}', "feedback_helpful",
             entities=[{"entity": "answer", "value": "lookup/lookup_crebo/25893"}]),
        action("slack:U1", DAY + 8, "utter_feedback_thanks"),
        user("rest:x", DAY + 9, "hoe zit het met de stage?", "nlu_fallback", "faq/erkenning_profielen",
             ["faq/erkenning_profielen", "faq/bol_bbl"]),
        action("rest:x", DAY + 10, "action_suggest_faq"),
        user("rest:x", DAY + 11, "Hoe zit het met de stage", "nlu_fallback", "faq/erkenning_profielen",
             ["faq/erkenning_profielen"]),
        action("rest:x", DAY + 12, "action_suggest_faq"),
        user("teams:29:s", DAY + 86_400, "hoe laat is het", "out_of_scope"),
        action("teams:29:s", DAY + 86_401, "utter_out_of_scope"),
    ]


def test_a_day_of_conversations_is_counted_and_what_was_missed_is_listed(tmp_path):
    usage = build_report(store(tmp_path / "c.db", a_day_of_conversations()))
    assert (usage.conversations, usage.questions) == (4, 5)
    assert usage.outcomes == {"beantwoord": 2, "suggestie": 2, "buiten_onderwerp": 1}
    assert usage.questions_per_day[date(2026, 9, 14)] == {"web": 1, "slack": 1, "rest": 2}
    assert usage.feedback == {("👎", "faq/keuzedelen_verplicht"): 1, ("👍", "lookup/lookup_crebo/25893"): 1}
    groups = dict(missed_groups(usage.missed))
    # The two spellings of the stage question are one entry; the 👎 answer is listed with its question.
    assert groups["faq/erkenning_profielen"] == [("hoe zit het met de stage?", 2)]
    assert groups["faq/keuzedelen_verplicht"] == [("zijn keuzedelen verplicht", 1)]
    yaml_block = review_yaml(missed_groups(usage.missed))
    assert "- intent: faq/erkenning_profielen" in yaml_block and "    - hoe zit het met de stage?" in yaml_block


def test_the_page_is_dutch_self_contained_and_escapes_what_users_typed(tmp_path):
    rows = a_day_of_conversations() + [user("web:b", DAY, "<script>alert(1)</script>", "nlu_fallback"),
                                       action("web:b", DAY + 1, "action_default_fallback")]
    page = render_html(build_report(store(tmp_path / "c.db", rows)))
    assert page.startswith("<!doctype html><html lang='nl'>") and "Vragen zonder goed antwoord" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "data:image/png;base64," in page and "http://" not in page.replace("https://", "")


def test_a_period_selects_its_days(tmp_path):
    engine = store(tmp_path / "c.db", a_day_of_conversations())
    assert build_report(engine, since=date(2026, 9, 15)).questions == 1
    assert build_report(engine, until=date(2026, 9, 14)).questions == 4


def test_a_new_install_gets_an_empty_report_not_an_error(tmp_path):
    empty = build_report(sa.create_engine(f"sqlite:///{tmp_path / 'new.db'}"))
    assert empty.questions == 0 and "Nog geen gesprekken" in render_html(empty)


def test_the_command_writes_the_page(tmp_path, monkeypatch):
    database = tmp_path / "c.db"
    store(database, a_day_of_conversations())
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: bot.store.tracker_store.ConversationStore\n  dialect: sqlite\n"
                         f"  db: {database}\n")
    out = tmp_path / "gebruik.html"
    assert main(["--endpoints", str(endpoints), "--out", str(out), "--since", "2026-09-01"]) == 0
    assert "5 vragen" in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--endpoints", str(endpoints), "--since", "1 september"])


def test_a_large_store_is_counted_whole(tmp_path):
    """Every conversation and question of a big store is counted (the rows are streamed, not
    loaded at once). How long 100,000 conversations take is a figure of `make bench`."""
    usage = build_report(synthetic_store(tmp_path / "big.db", conversations=20_000))
    assert (usage.conversations, usage.questions) == (20_000, 60_000)
    assert "Vragen zonder goed antwoord" in render_html(usage)


def test_every_lookup_intent_has_a_dutch_name_on_the_page():
    assert LOOKUP_INTENTS <= set(LOOKUP_NAMES)
    assert answer_title("lookup/ask_level/25893") == "Opzoeken: niveau van een kwalificatie"
