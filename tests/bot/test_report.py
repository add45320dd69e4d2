"""`make report`: what was asked and missed, from the conversation store, as one Dutch page."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.knowledge.lookup_intents import LOOKUP_INTENTS
from bot.report import (LANGUAGE_NAMES, LOOKUP_NAMES, answer_title, build_report, main, missed_groups, render_html,
                        review_yaml)
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


def language(sender, at, value):
    """The SlotSet event as Rasa's SQL store writes it: the slot's name in `action_name`."""
    return (sender, "slot", at, None, "language", json.dumps({"event": "slot", "name": "language", "value": value}))


def session_started(sender, at):
    return (sender, "session_started", at, None, None, json.dumps({"event": "session_started"}))


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


# --- languages -------------------------------------------------------------------------

def conversations_in_two_languages():
    return [
        # Dutch throughout.
        user("web:nl", DAY, "wanneer start het nieuwe dossier", "faq", "faq/start_schooljaar_2023"),
        action("web:nl", DAY + 1, "utter_faq"),
        user("web:nl", DAY + 2, "wat kost de opleiding", "nlu_fallback", "faq/bol_bbl", ["faq/bol_bbl"]),
        action("web:nl", DAY + 3, "action_default_fallback"),
        # English from its first message: the slot is set after the message, before the answer.
        user("web:en", DAY, "are keuzedelen still compulsory", "faq", "faq/keuzedelen_verplicht"),
        action("web:en", DAY + 1, "action_extract_slots"),
        language("web:en", DAY + 1, "en"),
        action("web:en", DAY + 2, "utter_faq"),
        user("web:en", DAY + 3, "how much does it cost", "nlu_fallback", "faq/bol_bbl", ["faq/bol_bbl"]),
        action("web:en", DAY + 4, "action_suggest_faq"),
        # Dutch, then English, then back to Dutch ("Nederlands graag"): a Dutch conversation
        # with one English question.
        user("slack:U2", DAY, "zijn keuzedelen verplicht", "faq", "faq/keuzedelen_verplicht"),
        action("slack:U2", DAY + 1, "utter_faq"),
        user("slack:U2", DAY + 2, "what about the weather today", "out_of_scope"),
        language("slack:U2", DAY + 3, "en"),
        action("slack:U2", DAY + 4, "utter_out_of_scope"),
        user("slack:U2", DAY + 5, "Nederlands graag", "switch_language"),
        language("slack:U2", DAY + 6, "nl"),
        action("slack:U2", DAY + 7, "utter_language_switched"),
    ]


def test_each_question_counts_in_the_language_it_was_answered_in(tmp_path):
    usage = build_report(store(tmp_path / "c.db", conversations_in_two_languages()))
    assert usage.conversation_languages == {"nl": 2, "en": 1}
    assert usage.outcomes_per_language["nl"] == {"beantwoord": 2, "niet_begrepen": 1}
    assert usage.outcomes_per_language["en"] == {"beantwoord": 1, "suggestie": 1, "buiten_onderwerp": 1}
    assert {(q.text, q.language) for q in usage.missed} == {
        ("wat kost de opleiding", "nl"), ("how much does it cost", "en"), ("what about the weather today", "en")}


def test_switching_the_language_is_no_question(tmp_path):
    # As the web chat opens a new conversation on a page that shows English: quietly, first.
    rows = [user("web:q", DAY, '/switch_language{"language":"en"}', "switch_language",
                 entities=[{"entity": "language", "value": "en"}]),
            language("web:q", DAY + 1, "en"), action("web:q", DAY + 2, "utter_language_switched"),
            user("web:q", DAY + 3, "what is crebo 25893", "lookup_crebo"), action("web:q", DAY + 4, "action_answer_lookup")]
    usage = build_report(store(tmp_path / "c.db", conversations_in_two_languages() + rows))
    assert usage.questions == 7 and usage.outcomes_per_language["en"]["beantwoord"] == 2  # 6 + 1
    assert not {"Nederlands graag", '/switch_language{"language":"en"}'} & {q.text for q in usage.missed}


def test_a_conversation_is_dutch_unless_the_slot_says_otherwise(tmp_path):
    rows = [user("rest:a", DAY, "hoi", "greet"), action("rest:a", DAY + 1, "utter_greet"),
            # A value the slot cannot have counts as Dutch, the default.
            user("rest:b", DAY, "hoi", "greet"), language("rest:b", DAY + 1, None), action("rest:b", DAY + 2, "utter_greet")]
    assert build_report(store(tmp_path / "c.db", rows)).conversation_languages == {"nl": 2}


def test_the_language_set_before_the_period_holds_until_a_new_session(tmp_path):
    rows = [
        user("web:x", DAY - 3_600, "what is crebo 25893", "lookup_crebo"),
        language("web:x", DAY - 3_599, "en"),
        action("web:x", DAY - 3_598, "action_answer_lookup"),
        user("web:x", DAY + 86_400, "and how long does it take", "nlu_fallback"),
        action("web:x", DAY + 86_401, "action_default_fallback"),
        # A new session sets the slot back to Dutch (domain.yml carries no slots over).
        session_started("web:x", DAY + 2 * 86_400),
        user("web:x", DAY + 2 * 86_400 + 1, "ok", "nlu_fallback"),
        action("web:x", DAY + 2 * 86_400 + 2, "action_default_fallback"),
    ]
    engine = store(tmp_path / "c.db", rows)
    next_day = build_report(engine, since=date(2026, 9, 15), until=date(2026, 9, 15))
    assert next_day.outcomes_per_language["en"] == {"niet_begrepen": 1} and next_day.conversation_languages == {"en": 1}
    whole = build_report(engine)
    assert [q.language for q in whole.missed] == ["en", "nl"] and whole.conversation_languages == {"nl": 1}


def test_the_page_shows_the_languages_in_dutch_and_the_missed_questions_per_language(tmp_path):
    page = render_html(build_report(store(tmp_path / "c.db", conversations_in_two_languages())))
    assert "<h2>Taal</h2>" in page
    assert "<tr><td>Nederlands</td><td>2</td><td>3</td><td>2 (67%)</td><td>1</td></tr>" in page
    assert "<tr><td>Engels</td><td>1</td><td>3</td><td>1 (33%)</td><td>2</td></tr>" in page
    dutch, english = page.index("<h3>Nederlands (1 vraag)</h3>"), page.index("<h3>Engels (2 vragen)</h3>")
    assert dutch < page.index("wat kost de opleiding") < english < page.index("how much does it cost")
    # Candidate examples go to the NLU file of their language.
    assert "Plak daarna in data/nlu.yml" in page and "Plak daarna in data/nlu/english.yml" in page
    assert page.index("    - how much does it cost") > page.index("data/nlu/english.yml en draai")
    assert set(LANGUAGE_NAMES.values()) == {"Nederlands", "Engels"}


def test_review_yaml_names_the_file_of_its_language():
    groups = [("faq/bol_bbl", [("can I do BBL at level 4", 1)])]
    assert "data/nlu/english.yml" in review_yaml(groups, "en") and "(Engels)" in review_yaml(groups, "en")
    assert "data/nlu.yml" in review_yaml(groups) and "    - can I do BBL at level 4" in review_yaml(groups, "en")


async def test_the_language_is_read_from_what_the_conversation_store_writes(tmp_path):
    """Through the store `make run` writes to: Rasa's events, a SlotSet's name in `action_name`."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.store.tracker_store import ConversationStore

    domain = Domain.from_dict({"slots": {"language": {"type": "categorical", "values": ["nl", "en"],
                                                      "initial_value": "nl", "mappings": [{"type": "custom"}]}}})
    conversations = ConversationStore(domain=domain, dialect="sqlite", db=str(tmp_path / "gesprekken.db"))
    tracker = DialogueStateTracker("web:abc", domain.slots)
    for at, event in enumerate([
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("how long does productietechniek take", {"name": "nlu_fallback"}),
        ActionExecuted("action_extract_slots"), SlotSet("language", "en"),
        ActionExecuted("action_default_fallback"), BotUttered("Sorry, I did not understand that.",
                                                              metadata={"language": "en"}),
        ActionExecuted("action_listen"),
    ]):
        event.timestamp = DAY + at
        tracker.update(event)
    await conversations.save(tracker)
    usage = build_report(conversations.engine)
    assert usage.conversation_languages == {"en": 1} and [q.language for q in usage.missed] == ["en"]


# --- the handover to staff: a simulated day -----------------------------------------------------

def a_day_of_handovers(engine: sa.engine.Engine) -> None:
    """Tuesday 15 September 2026: six conversations join the queue, four are taken (first replies after
    30 s, 1, 1.5 and 5 minutes), one is missed, one cancelled; two questions are left in the message box.
    The next day: one more, taken, answered after 2 minutes."""
    from datetime import timedelta

    from bot.handover.hours import HandoverSettings, OpeningHours
    from bot.handover.store import STAFF, USER, HandoverStore

    handovers = HandoverStore(engine)
    morning = datetime(2026, 9, 15, 8, 0, tzinfo=timezone.utc)
    for number, reply_after in enumerate((30, 60, 90, 300)):
        asked = morning + timedelta(minutes=20 * number)
        handover = handovers.request(f"web:{number}", "web", "nl", now=asked)
        handovers.add_message(handover.id, USER, "Kan ik iemand spreken?", now=asked + timedelta(seconds=5))
        handovers.take(handover.id, "jan", now=asked + timedelta(seconds=reply_after - 10))
        handovers.add_message(handover.id, STAFF, "Hoi, ik ben Jan.", staff_name="Jan",
                              now=asked + timedelta(seconds=reply_after))
        handovers.add_message(handover.id, STAFF, "Waarmee kan ik helpen?", staff_name="Jan",
                              now=asked + timedelta(seconds=reply_after + 20))
        handovers.hand_back(handover.id, now=asked + timedelta(minutes=8))
    handovers.request("web:missed", "web", "nl", now=morning + timedelta(hours=3))
    always_open = HandoverSettings(hours=OpeningHours({day: ((datetime.min.time(), datetime.max.time()
                                                              .replace(microsecond=0)),) for day in range(7)}))
    assert len(handovers.expire(morning + timedelta(hours=3, minutes=6), always_open)) == 1
    handovers.request("web:cancelled", "web", "en", now=morning + timedelta(hours=4))
    handovers.cancel("web:cancelled", now=morning + timedelta(hours=4, minutes=1))
    for hour in (19, 21):
        handovers.leave_message("Wanneer begint de opleiding?", "06 12345678", True, "nl",
                                now=morning.replace(hour=hour))
    next_day = handovers.request("web:next", "web", "nl", now=morning + timedelta(days=1))
    handovers.take(next_day.id, "jan", now=morning + timedelta(days=1, seconds=60))
    handovers.add_message(next_day.id, STAFF, "Hoi!", staff_name="Jan", now=morning + timedelta(days=1, seconds=120))


def test_the_handovers_of_a_simulated_day_are_counted(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    a_day_of_handovers(engine)
    day = build_report(engine, since=date(2026, 9, 15), until=date(2026, 9, 15)).handovers
    assert dict(day.per_day[date(2026, 9, 15)]) == {
        "gevraagd": 6, "aangenomen": 4, "gemist": 1, "geannuleerd": 1, "bericht": 2}
    assert sorted(day.waits) == [30, 60, 90, 300], "to the first staff reply, not the second"
    assert (day.median_wait, day.p90_wait) == (75, 300)
    both = build_report(engine).handovers
    assert both.totals["gevraagd"] == 7 and (both.median_wait, both.p90_wait) == (90, 300)


def test_the_page_shows_the_handovers_in_dutch(tmp_path):
    engine = store(tmp_path / "c.db", a_day_of_conversations())
    a_day_of_handovers(engine)
    page = render_html(build_report(engine))
    assert "<h2>Gesprekken met een medewerker</h2>" in page
    assert ("7 keer in de wachtrij, 5 aangenomen, 1 gemist, 1 geannuleerd; 2 berichten achtergelaten. Wachttijd tot "
            "het eerste antwoord van een medewerker: mediaan 1 min 30 s, 90% binnen 5 min (over 5 gesprekken met "
            "een antwoord).") in page
    assert "<td>2026-09-15</td><td>6</td><td>4</td><td>1</td><td>1</td><td>2</td><td>1 min 15 s</td>" in page
    assert "<th>bericht achtergelaten</th>" in page


def test_handovers_without_questions_still_show(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    a_day_of_handovers(engine)
    page = render_html(build_report(engine))
    assert "Nog geen gesprekken" in page and "Gesprekken met een medewerker" in page


def test_without_handovers_the_page_says_nothing_about_them(tmp_path):
    page = render_html(build_report(store(tmp_path / "c.db", a_day_of_conversations())))
    assert "medewerker" not in page


def test_percentiles_and_durations():
    from bot.report import duration, percentile

    assert percentile([], 90) is None and percentile([5], 90) == 5
    assert percentile(list(range(1, 11)), 90) == 9 and percentile(list(range(1, 11)), 50) == 5
    assert [duration(s) for s in (None, 45, 60, 125.4)] == ["–", "45 s", "1 min", "2 min 5 s"]
