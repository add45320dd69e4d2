"""The Slack channel without a Rasa server: settings, signatures, retries, buttons and clicks."""
from __future__ import annotations

import json
import time
import logging
from types import SimpleNamespace
from typing import Dict, Optional
from urllib.parse import parse_qs

import pytest
from multidict import CIMultiDict
from rasa.core.channels.slack import SlackInput

from bot.channels.slack import BAD_SIGNATURE, NOT_CONFIGURED, SlackChannel, SlackSettings, button_blocks
from tests.bot.channels.fakes import (
    button_values, slack_button_click, slack_headers, slack_message_event, slack_posts, slack_web_api,
)

TOKEN = "xoxb-test-token"
SECRET = "test-signing-secret"
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL", "SLACK_API_URL")
GREETING_BUTTONS = [
    {"title": "Waarom is er een herziening?", "payload": "faq:aanleiding_herziening"},
    {"title": "Wat is crebo 25894?", "payload": "Wat is crebo 25894?"},
    {"title": "Welke onderwerpen ken je?", "payload": "/ask_capabilities"},
]


def configured(api_url: str = "http://127.0.0.1:9/api") -> SlackChannel:
    return SlackChannel(SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url}))


def request(body: bytes, headers: Dict[str, str]) -> SimpleNamespace:
    """The parts of a Sanic request that the channel reads."""
    parsed: Optional[object] = json.loads(body) if headers.get("Content-Type") == "application/json" else None
    return SimpleNamespace(body=body, headers=CIMultiDict(headers), json=parsed, path="/webhooks/slack/webhook")


def test_settings_come_from_the_environment():
    settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    assert settings == SlackSettings(TOKEN, SECRET, channel=None, api_url="https://slack.com/api/")
    assert SlackSettings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
                                   "SLACK_API_URL": "http://127.0.0.1:1234/api"}).api_url == "http://127.0.0.1:1234/api/"
    assert SlackSettings.from_env({"SLACK_BOT_TOKEN": TOKEN}) is None
    assert SlackSettings.from_env({"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "  "}) is None


def test_without_settings_slack_logs_one_line_and_answers_503(monkeypatch, caplog):
    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level(logging.INFO, logger="bot.channels.slack"):
        channel = SlackChannel.from_credentials(None)  # Rasa's SlackInput raises here
    assert len(caplog.records) == 1
    assert "SLACK_BOT_TOKEN" in caplog.records[0].getMessage()
    body = slack_message_event("Hoi", "D0STUDENT")
    refusal = channel.refusal(request(body, slack_headers(SECRET, body)))
    assert refusal.status == 503
    assert json.loads(refusal.body) == NOT_CONFIGURED == {"error": "De Slack-koppeling is op deze server niet ingesteld."}


def test_a_signed_message_passes():
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert configured().refusal(request(body, slack_headers(SECRET, body))) is None


@pytest.mark.parametrize("secret, age", [
    pytest.param("another-secret", 0, id="signed with another secret"),
    pytest.param(None, 0, id="unsigned"),
    pytest.param(SECRET, 6 * 60, id="replayed after six minutes"),
])
def test_a_message_not_signed_by_slack_is_refused(secret, age):
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    refusal = configured().refusal(request(body, slack_headers(secret, body, age=age)))
    assert refusal.status == 401
    assert json.loads(refusal.body) == BAD_SIGNATURE


def test_a_changed_body_breaks_the_signature():
    signed = slack_message_event("Hoi", "D0STUDENT")
    forged = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert configured().refusal(request(forged, slack_headers(SECRET, signed))).status == 401


def test_slack_url_check_gets_its_challenge_back():
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aB"}).encode()
    answer = configured().refusal(request(body, slack_headers(SECRET, body)))
    assert answer.status == 200 and json.loads(answer.body) == {"challenge": "3eZbrw1aB"}


def test_a_retried_event_is_acknowledged_and_not_answered_again():
    channel = configured()
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert channel.refusal(request(body, slack_headers(SECRET, body))) is None
    retry = {**slack_headers(SECRET, body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    answer = channel.refusal(request(body, retry))
    assert answer.status == 200 and answer.headers["X-Slack-No-Retry"] == "1"
    # A different event from the same user is a new question.
    other = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert channel.refusal(request(other, slack_headers(SECRET, other))) is None


def test_greeting_buttons_become_one_actions_block_with_the_payloads():
    blocks = button_blocks("Hoi! Waar kan ik je mee helpen?", GREETING_BUTTONS)
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": "Hoi! Waar kan ik je mee helpen?"}}
    assert [(e["text"]["text"], e["value"]) for e in blocks[1]["elements"]] == [
        ("Waarom is er een herziening?", "faq:aanleiding_herziening"),
        ("Wat is crebo 25894?", "Wat is crebo 25894?"),
        ("Welke onderwerpen ken je?", "/ask_capabilities"),
    ]
    assert len({e["action_id"] for e in blocks[1]["elements"]}) == 3


def test_seven_theme_buttons_all_stay_and_long_titles_are_cut():
    themes = [{"title": f"Thema {n}", "payload": f'/show_theme{{"theme": "t{n}"}}'} for n in range(7)]
    long_title = {"title": "Welke keuzedelen horen bij de nieuwe kwalificaties in het dossier Metaal en technologie?",
                  "payload": "faq:keuzedelen"}
    elements = button_blocks("Kies een onderwerp", [*themes, long_title])[1]["elements"]
    assert [e["value"] for e in elements] == [b["payload"] for b in [*themes, long_title]]
    assert len(elements[-1]["text"]["text"]) == 75 and elements[-1]["text"]["text"].endswith("…")


def test_bot_text_cannot_become_a_slack_mention_or_link():
    assert button_blocks("<!channel> & co", GREETING_BUTTONS)[0]["text"]["text"] == "&lt;!channel&gt; &amp; co"


@pytest.mark.parametrize("payload", [
    "faq:aanleiding_herziening", "/ask_capabilities", "Wat is crebo 25894?", '/show_theme{"theme": "keuzedelen"}',
])
def test_rasa_reads_a_click_on_our_buttons_as_the_payload(payload):
    clicked = json.loads(parse_qs(slack_button_click(payload, "D0STUDENT").decode())["payload"][0])
    assert SlackInput._is_interactive_message(clicked)
    assert SlackInput._get_interactive_response(clicked["actions"][0]) == payload


async def test_replies_go_to_the_configured_slack_api_without_as_user():
    api = slack_web_api(TOKEN).start()
    try:
        output = configured(api_url=f"{api.url}/api/").get_output_channel("D0STUDENT")
        await output.send_response("D0STUDENT", {"text": "Hoi!\n\nWaar kan ik je mee helpen?"})
        await output.send_response("D0STUDENT", {"text": "Kies maar:", "buttons": GREETING_BUTTONS})
    finally:
        api.stop()
    posts = slack_posts(api, "D0STUDENT")
    assert [p["text"] for p in posts] == ["Hoi!\n\nWaar kan ik je mee helpen?", "Kies maar:"]  # one post per answer
    assert button_values(posts[1]) == ["faq:aanleiding_herziening", "Wat is crebo 25894?", "/ask_capabilities"]
    assert len(api.requests) == 2  # nothing refused by the fake (as_user, wrong token)


@pytest.mark.parametrize("sent, read", [
    ("<@U0BOT> Wat is crebo 25894?", "Wat is crebo 25894?"),
    ("zie <https://www.s-bb.nl/x|www.s-bb.nl> en <mailto:a@school.nl|a@school.nl>", "zie www.s-bb.nl en a@school.nl"),
    ("Wat is crebo 25894? <@U0BOT>", "Wat is crebo 25894?"),
])
def test_mentions_of_the_bot_and_link_markup_are_taken_out(sent, read):
    assert SlackChannel._sanitize_user_message(sent, ["U0BOT"]) == read


def test_reading_links_takes_linear_time():
    text = "<https://a.nl|a> " * 10 + "|" * 8_000  # Rasa's own pattern: 4.7 s
    started = time.perf_counter()
    SlackChannel._sanitize_user_message(text, ["U0BOT"])
    assert time.perf_counter() - started < 1.0
