"""👍/👎 under every answer: stored with the answer it rates, thanked, and it changes no context."""
from __future__ import annotations

import json
import sqlite3
import uuid

from tests.conversations.rest import answer, say


def feedback_buttons(replies):
    buttons = replies[-1]["buttons"]
    assert [b["title"] for b in buttons] == ["👍 Dit hielp", "👎 Dit hielp niet"]
    return buttons


def stored_feedback(servers, sender):
    with sqlite3.connect(servers["db_path"]) as db:
        rows = [json.loads(data) for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (f"rest:{sender}",))]
    return [(row["parse_data"]["intent"]["name"], [e["value"] for e in row["parse_data"]["entities"] if e["entity"] == "answer"])
            for row in rows if row["parse_data"]["intent"]["name"].startswith("feedback")]


def test_a_thumbs_up_under_an_faq_answer_is_stored_with_that_answer_and_thanked(live_servers):
    sender = uuid.uuid4().hex
    helpful, _ = feedback_buttons(say(live_servers, "Zijn keuzedelen straks nog verplicht?", sender))
    assert "Dank je wel" in answer(say(live_servers, helpful["payload"], sender))
    assert stored_feedback(live_servers, sender) == [("feedback_helpful", ["faq/keuzedelen_verplicht"])]


def test_a_thumbs_down_offers_other_questions_and_a_person(live_servers):
    sender = uuid.uuid4().hex
    _, not_helpful = feedback_buttons(say(live_servers, "moet ik als docent bijgeschoold worden", sender))
    replies = say(live_servers, not_helpful["payload"], sender)
    assert "Jammer dat dit niet hielp" in answer(replies) and "studentenloket" in answer(replies)
    offered = [b["payload"] for b in replies[-1].get("buttons", [])]
    assert "faq:docenten_bijscholing" not in offered  # not the answer that did not help
    assert stored_feedback(live_servers, sender) == [("feedback_not_helpful", ["faq/docenten_bijscholing"])]


def test_feedback_on_a_lookup_keeps_the_context(live_servers):
    sender = uuid.uuid4().hex
    _, not_helpful = feedback_buttons(say(live_servers, "Wat is crebo 25896?", sender))
    assert "lookup/lookup_crebo/25896" in not_helpful["payload"]
    say(live_servers, not_helpful["payload"], sender)
    assert "Productietechnicus (crebo 25896) is op niveau 4" in answer(say(live_servers, "en op welk niveau is die?", sender))


def test_no_thumbs_under_a_question_back(live_servers):
    replies = say(live_servers, "welk crebo heeft technicus?")
    assert [b["title"] for b in replies[-1]["buttons"]][0] == "Technicus mechatronica"
