"""Slack and Teams against a running Rasa server, with Slack and Microsoft played by loopback fakes.

The `channels` fixture (tests/bot/channels/live.py) runs the servers with Slack and Microsoft
played by loopback fakes. Replies are sent in the background: tests poll the fakes.
"""
from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from tests.bot.channels.fakes import (
    APP_TOKEN, FakeService, Signer, activity, button_values, eventually, message_back, replies, slack_button_click,
    slack_headers, slack_message_event, slack_posts,
)
from tests.bot.channels.live import ANSWER, SLACK_SECRET, TEAMS_APP_ID, TEAMS_TENANT

pytestmark = pytest.mark.slow

def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def texts(posts: List[Dict[str, Any]]) -> str:
    return "\n".join(str(p.get("text", "")) for p in posts)


def reply_texts(connector: FakeService, conversation: str) -> str:
    return "\n".join(str(r.json().get("text", "")) for r in replies(connector, conversation))


def shown_texts(connector: FakeService, conversation: str) -> str:
    """The texts of the replies, cards included."""
    return "\n".join(str(r.json().get("text") or [a["content"].get("text") for a in r.json().get("attachments") or []])
                     for r in replies(connector, conversation))


# A conversation's messages are handled in order (its lock), so once the answer to a later
# "hoi" has arrived, an answer to an earlier message would have arrived too: no fixed wait.
LATER_MESSAGE, ITS_ANSWER = "hoi", "Ik ben Vragenbot Metaal"


def slack_after_a_later_message(channels, dm: str) -> str:
    """Everything posted in `dm` once the answer to a later, properly signed "hoi" is there."""
    body = slack_message_event(LATER_MESSAGE, dm, user=new_id("U"))
    assert channels.to_slack_webhook(body, slack_headers(SLACK_SECRET, body)).status_code == 200
    return texts(eventually(lambda: slack_posts(channels.slack, dm), lambda p: ITS_ANSWER in texts(p)))


def teams_after_a_later_message(channels, conversation: str) -> str:
    """Everything sent to `conversation` once the answer to a later, properly signed "hoi" is there."""
    question = activity(LATER_MESSAGE, conversation, channels.connector.url, TEAMS_APP_ID)
    assert channels.to_teams_webhook(question, channels.token()).status_code == 200
    return eventually(lambda: shown_texts(channels.connector, conversation), lambda t: ITS_ANSWER in t)


# --- start-up ------------------------------------------------------------------------------

def test_rasa_starts_and_answers_while_microsofts_keys_are_unreachable(channels):
    assert channels.before_keys == {"GET /": 200, "a Teams message": 503}
    assert replies(channels.connector, "a:before-keys") == []


# --- Slack ---------------------------------------------------------------------------------

def test_a_student_asks_slack_about_a_crebo_number(channels):
    dm, student = new_id("D"), new_id("U")
    body = slack_message_event("Wat is crebo 25894?", dm, user=student)
    assert channels.to_slack_webhook(body, slack_headers(SLACK_SECRET, body)).status_code == 200
    posts = eventually(lambda: slack_posts(channels.slack, dm), lambda p: ANSWER in texts(p))
    assert ANSWER in texts(posts)


@pytest.mark.parametrize("secret", [pytest.param("not-the-signing-secret", id="wrongly signed"),
                                    pytest.param(None, id="unsigned")])
def test_slack_messages_not_signed_with_the_signing_secret_are_refused(channels, secret):
    dm = new_id("D")
    body = slack_message_event("Wat is crebo 25894?", dm, user=new_id("U"))
    assert channels.to_slack_webhook(body, slack_headers(secret, body)).status_code == 401
    assert ANSWER not in slack_after_a_later_message(channels, dm)


def test_a_slack_retry_of_the_same_event_gets_no_second_answer(channels):
    dm = new_id("D")
    body = slack_message_event("Wat is crebo 25894?", dm, user=new_id("U"))
    assert channels.to_slack_webhook(body, slack_headers(SLACK_SECRET, body)).status_code == 200
    retry = {**slack_headers(SLACK_SECRET, body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    answer = channels.to_slack_webhook(body, retry)
    assert answer.status_code == 200 and answer.headers.get("X-Slack-No-Retry") == "1"
    assert slack_after_a_later_message(channels, dm).count(ANSWER) == 1


def test_slack_greeting_buttons_answer_when_clicked(channels):
    dm, student = new_id("D"), new_id("U")
    body = slack_message_event("hoi", dm, user=student)
    assert channels.to_slack_webhook(body, slack_headers(SLACK_SECRET, body)).status_code == 200
    posts = eventually(lambda: slack_posts(channels.slack, dm), lambda p: any(button_values(x) for x in p))
    assert button_values(posts[-1]) == ["faq:aanleiding_herziening", "Wat is crebo 25894?", "/ask_capabilities"]

    form = "application/x-www-form-urlencoded"
    click = slack_button_click("Wat is crebo 25894?", dm, user=student)
    assert channels.to_slack_webhook(click, slack_headers(SLACK_SECRET, click, form)).status_code == 200
    assert ANSWER in texts(eventually(lambda: slack_posts(channels.slack, dm), lambda p: ANSWER in texts(p)))

    click = slack_button_click("/ask_capabilities", dm, user=student)
    assert channels.to_slack_webhook(click, slack_headers(SLACK_SECRET, click, form)).status_code == 200
    posts = eventually(lambda: slack_posts(channels.slack, dm), lambda p: len(button_values(p[-1])) == 7)
    assert '/show_theme{"theme": "keuzedelen"}' in button_values(posts[-1])  # all seven themes, not none


# --- Teams ---------------------------------------------------------------------------------

def test_a_student_asks_teams_about_a_crebo_number_in_a_team_channel(channels):
    conversation = f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1700000000000"
    question = activity("<at>Vragenbot Metaal</at> Wat is crebo 25894?", conversation, channels.connector.url,
                        TEAMS_APP_ID)
    assert channels.to_teams_webhook(question, channels.token()).status_code == 200
    eventually(lambda: reply_texts(channels.connector, conversation), lambda t: ANSWER in t)
    sent = replies(channels.connector, conversation)
    assert ANSWER in reply_texts(channels.connector, conversation)
    assert {r.headers["authorization"] for r in sent} == {f"Bearer {APP_TOKEN}"}
    assert channels.login.recorded("POST", f"/{TEAMS_TENANT}/oauth2/v2.0/token")  # the app's own tenant


def first_card(channels, text: str):
    """Ask Teams `text` in a new conversation; the conversation id and the first card of the reply."""
    conversation = new_id("a:")
    question = activity(text, conversation, channels.connector.url, TEAMS_APP_ID)
    assert channels.to_teams_webhook(question, channels.token()).status_code == 200
    sent = eventually(lambda: replies(channels.connector, conversation), lambda r: any("attachments" in x.json() for x in r))
    return conversation, next(x.json() for x in sent if "attachments" in x.json())["attachments"][0]["content"]


def test_a_teams_greeting_offers_message_back_buttons_and_a_click_answers(channels):
    conversation, card = first_card(channels, "hallo")
    assert [(b["type"], b["displayText"], b["value"]["payload"]) for b in card["buttons"]] == [
        ("messageBack", "Waarom is er een herziening?", "faq:aanleiding_herziening"),
        ("messageBack", "Wat is crebo 25894?", "Wat is crebo 25894?"),
        ("messageBack", "Welke onderwerpen ken je?", "/ask_capabilities")]

    # Teams posts a messageBack click with the button's text and value (the chat shows its displayText).
    click = message_back(card["buttons"][0], conversation, channels.connector.url, TEAMS_APP_ID)
    assert channels.to_teams_webhook(click, channels.token()).status_code == 200
    answer = eventually(lambda: reply_texts(channels.connector, conversation), lambda t: "Bron:" in t)
    assert "Bron:" in answer  # an FAQ answer with its source line, not "Sorry, dat begreep ik niet"


@pytest.mark.parametrize("make_token", [
    pytest.param(lambda live: None, id="unsigned"),
    pytest.param(lambda live: live.token(Signer(live.microsoft_key.kid)), id="signed by another key"),
    pytest.param(lambda live: live.token(Signer("forged-key")), id="signed by an unpublished key"),
    pytest.param(lambda live: live.token(audience="another-app"), id="meant for another app"),
])
def test_teams_activities_without_a_valid_microsoft_token_are_refused(channels, make_token):
    conversation = new_id("a:")
    question = activity("Wat is crebo 25894?", conversation, channels.connector.url, TEAMS_APP_ID)
    assert channels.to_teams_webhook(question, make_token(channels)).status_code == 401
    assert ANSWER not in teams_after_a_later_message(channels, conversation)


# --- 👍/👎 under answers ----------------------------------------------------------------------

def test_slack_answers_carry_feedback_buttons_and_a_click_is_thanked(channels):
    dm, student = new_id("D"), new_id("U")
    body = slack_message_event("Wat is crebo 25894?", dm, user=student)
    assert channels.to_slack_webhook(body, slack_headers(SLACK_SECRET, body)).status_code == 200
    posts = eventually(lambda: slack_posts(channels.slack, dm), lambda p: any(button_values(x) for x in p))
    values = [v for post in posts for v in button_values(post)]
    assert values == ['/feedback_helpful{"answer": "lookup/lookup_crebo/25894"}',
                      '/feedback_not_helpful{"answer": "lookup/lookup_crebo/25894"}']
    click = slack_button_click(values[0], dm, user=student)
    assert channels.to_slack_webhook(click, slack_headers(SLACK_SECRET, click, "application/x-www-form-urlencoded")).status_code == 200
    assert "Dank je wel" in texts(eventually(lambda: slack_posts(channels.slack, dm), lambda p: "Dank je wel" in texts(p)))


def test_teams_answers_carry_feedback_buttons(channels):
    _, card = first_card(channels, "Zijn keuzedelen nog verplicht?")
    assert [b["title"] for b in card["buttons"]] == ["👍 Dit hielp", "👎 Dit hielp niet"]
    assert card["buttons"][0]["value"] == {"payload": '/feedback_helpful{"answer": "faq/keuzedelen_verplicht"}'}
