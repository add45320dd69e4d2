"""The Slack channel without a Rasa server: settings, signatures, retries, text, threads, posts and clicks.

The webhook tests serve the channel's routes on a real Sanic server (as Rasa registers
them, with `app.ctx.agent.tracker_store` set) and play Rasa with a small async function;
Slack's Web API is the loopback fake of fakes.py, which records every raw request.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any, AsyncIterator, Callable, Dict, List, Optional
from urllib.parse import parse_qs

import aiohttp
import pytest
from multidict import CIMultiDict
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Sanic
from slack_sdk.models.blocks import ActionsBlock, Block, SectionBlock
from slack_sdk.signature import SignatureVerifier

from bot.channels.base import PROCESSING_FAILED
from bot.channels.slack import (
    BAD_SIGNATURE, MAX_BLOCKS, MAX_SECTION_TEXT, NOT_CONFIGURED, Answer, SlackChannel, SlackSettings, button_blocks,
    compose,
)
from bot.store.tracker_store import ConversationStore
from tests.bot.channels.fakes import (
    FakeService, button_values, slack_button_click, slack_headers, slack_message_event, slack_posts, slack_refusal,
    slack_web_api,
)
from tools.launcher import free_port

TOKEN = "xoxb-test-token"
SECRET = "test-signing-secret"
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL", "SLACK_API_URL")
GREETING_BUTTONS = [
    {"title": "Waarom is er een herziening?", "payload": "faq:aanleiding_herziening"},
    {"title": "Wat is crebo 25894?", "payload": "Wat is crebo 25894?"},
    {"title": "Welke onderwerpen ken je?", "payload": "/ask_capabilities"},
]
FEEDBACK_BUTTONS = [
    {"title": "👍", "payload": '/feedback_helpful{"answer": "several_questions"}'},
    {"title": "👎", "payload": '/feedback_not_helpful{"answer": "several_questions"}'},
]
CREBO_ANSWER = "Medewerker productietechniek (crebo 25894) is een kwalificatie op niveau 2."
THREAD = "1700000000.000100"


def configured(api_url: str = "http://127.0.0.1:9/api") -> SlackChannel:
    return SlackChannel(SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url}))


def request(body: bytes, headers: Dict[str, str]) -> SimpleNamespace:
    """The parts of a Sanic request that the channel reads."""
    parsed: Optional[object] = json.loads(body) if headers.get("Content-Type") == "application/json" else None
    return SimpleNamespace(body=body, headers=CIMultiDict(headers), json=parsed, path="/webhooks/slack/webhook")


# --- Rasa's part, played ----------------------------------------------------------------------

class Rasa:
    """Rasa's message handler, played: keeps what it heard and answers with `answers`."""

    def __init__(self, *answers: Dict[str, Any]) -> None:
        self.answers = answers
        self.heard: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.heard.append(message)
        for answer in self.answers:
            await message.output_channel.send_response(message.sender_id, dict(answer))


@pytest.fixture
def slack_api() -> FakeService:
    api = slack_web_api(TOKEN).start()
    yield api
    api.stop()


@pytest.fixture
def database(tmp_path: Path) -> Callable[[], ConversationStore]:
    """A new process's tracker store, on the one SQLite file all processes of the deployment use."""
    return lambda: ConversationStore(dialect="sqlite", db=str(tmp_path / "var" / "conversations.db"))


@pytest.fixture
def serve(monkeypatch) -> Callable[..., Any]:
    """`rasa_process`. Sanic 21.12 rewrites its own methods at each app's start-up; only in
    test mode does it keep the originals to rewrite again (else a second app fails to start)."""
    monkeypatch.setattr(Sanic, "test_mode", True)
    return rasa_process


@contextlib.asynccontextmanager
async def rasa_process(channel: SlackChannel, rasa: Rasa, tracker_store: Any) -> AsyncIterator[str]:
    """One Rasa process with the Slack channel, on a free port: the webhook's URL."""
    app = Sanic(f"slack_test_{uuid.uuid4().hex}")
    app.ctx.agent = SimpleNamespace(tracker_store=tracker_store)
    app.blueprint(channel.blueprint(rasa), url_prefix=f"/webhooks/{channel.url_prefix()}")  # as Rasa does
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()  # create_server is listening already; this finalises the routes
    try:
        yield f"http://127.0.0.1:{port}/webhooks/slack/webhook"
    finally:
        server.close()
        await server.wait_closed()


async def deliver(url: str, channel: SlackChannel, body: bytes, headers: Dict[str, str]) -> aiohttp.ClientResponse:
    """POST as Slack does, then wait until the channel has answered (its replies run in the background)."""
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers) as answer:
            await answer.read()
    await asyncio.gather(*list(channel._background_tasks))
    return answer


# --- settings and signatures ------------------------------------------------------------------

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


@pytest.mark.parametrize("secret, age, retry", [
    pytest.param(SECRET, 0, None, id="signed now"),
    pytest.param(SECRET, 0, (2, "http_timeout"), id="a signed retry"),
    pytest.param(SECRET, 4 * 60, None, id="four minutes old"),
    pytest.param(SECRET, 6 * 60, None, id="six minutes old"),
    pytest.param(SECRET, -6 * 60, None, id="six minutes ahead"),
    pytest.param("another-secret", 0, None, id="another secret"),
    pytest.param(None, 0, None, id="unsigned"),
])
def test_the_channel_lets_through_exactly_what_slacks_own_verifier_accepts(secret, age, retry):
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    headers = slack_headers(secret, body, age=age, retry=retry)
    accepted_by_slack_sdk = SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert (configured().refusal(request(body, headers)) is None) == accepted_by_slack_sdk


def test_slack_url_check_gets_its_challenge_back():
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aB"}).encode()
    answer = configured().refusal(request(body, slack_headers(SECRET, body)))
    assert answer.status == 200 and json.loads(answer.body) == {"challenge": "3eZbrw1aB"}


# --- retries (finding 14) -----------------------------------------------------------------------

def test_a_retried_event_is_acknowledged_and_not_answered_again():
    channel = configured()
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert channel.refusal(request(body, slack_headers(SECRET, body))) is None
    answer = channel.refusal(request(body, slack_headers(SECRET, body, retry=(1, "http_error"))))
    assert answer.status == 200 and answer.headers["X-Slack-No-Retry"] == "1"
    # A different event from the same user is a new question.
    other = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    assert channel.refusal(request(other, slack_headers(SECRET, other))) is None


async def test_the_deployment_answers_the_first_delivery_it_sees_even_a_timeout_retry_and_only_that(
        slack_api, database, serve):
    """Two Rasa processes on one database (behind nginx): the first delivery was lost, so the
    first that arrives is Slack's timeout retry. Rasa answers 201 to it and drops it, so
    the question was never answered. Its later retries, at either process, are not answered again."""
    rasa = Rasa({"text": CREBO_ANSWER})
    first, second = configured(f"{slack_api.url}/api/"), configured(f"{slack_api.url}/api/")
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    async with serve(first, rasa, database()) as process_a, serve(second, rasa, database()) as process_b:
        answered = await deliver(process_a, first, body, slack_headers(SECRET, body, retry=(1, "http_timeout")))
        assert answered.status == 200 and "X-Slack-No-Retry" not in answered.headers
        for url, channel, retry in [(process_b, second, (2, "http_timeout")), (process_a, first, (3, "http_error")),
                                    (process_b, second, (3, "http_error"))]:
            again = await deliver(url, channel, body, slack_headers(SECRET, body, retry=retry))
            assert again.status == 200 and again.headers.get("X-Slack-No-Retry") == "1"
    assert [m.text for m in rasa.heard] == ["Wat is crebo 25894?"]
    posted = slack_api.recorded("POST", "/api/chat.postMessage")
    assert len(posted) == 1
    assert posted[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert posted[0].json()["channel"] == "D0STUDENT" and CREBO_ANSWER in posted[0].json()["text"]


async def test_a_process_started_later_does_not_answer_a_retry_of_what_an_earlier_one_answered(
        slack_api, database, serve):
    rasa = Rasa({"text": CREBO_ANSWER})
    body = slack_message_event("Wat is crebo 25894?", "D0STUDENT")
    before_restart = configured(f"{slack_api.url}/api/")
    async with serve(before_restart, rasa, database()) as url:
        await deliver(url, before_restart, body, slack_headers(SECRET, body))
    after_restart = configured(f"{slack_api.url}/api/")
    async with serve(after_restart, rasa, database()) as url:
        again = await deliver(url, after_restart, body, slack_headers(SECRET, body, retry=(1, "http_error")))
    assert again.headers.get("X-Slack-No-Retry") == "1"
    assert len(rasa.heard) == 1 and len(slack_posts(slack_api, "D0STUDENT")) == 1


# --- the user's text (finding 15) ---------------------------------------------------------------

@pytest.mark.parametrize("sent, read", [
    ("<@U0BOT> Wat is crebo 25894?", "Wat is crebo 25894?"),
    ("zie <https://www.s-bb.nl/x|www.s-bb.nl> en <mailto:a@school.nl|a@school.nl>", "zie www.s-bb.nl en a@school.nl"),
    ("Wat is crebo 25894? <@U0BOT>", "Wat is crebo 25894?"),
    ("staat het op <https://www.s-bb.nl/kwalificaties>?", "staat het op https://www.s-bb.nl/kwalificaties?"),
    ("<https://www.s-bb.nl/zoek?q=metaal&amp;niveau=2>", "https://www.s-bb.nl/zoek?q=metaal&niveau=2"),
    ("<https://www.s-bb.nl/x|>", "https://www.s-bb.nl/x"),
    ("<mailto:a@school.nl>", "a@school.nl"),
    ("metaal &amp; techniek, niveau &lt; 3 of &gt; 2", "metaal & techniek, niveau < 3 of > 2"),
    ("&amp;lt; is geen &lt;", "&lt; is geen <"),  # unescaped once, as Slack escaped once
])
def test_slack_markup_and_escapes_are_read_as_the_student_typed_them(sent, read):
    assert SlackChannel._sanitize_user_message(sent, ["U0BOT"]) == read


async def test_rasa_gets_links_and_escaped_characters_as_typed(slack_api, database, serve):
    rasa = Rasa({"text": CREBO_ANSWER})
    channel = configured(f"{slack_api.url}/api/")
    sent = "<@U0VRAGENBOT> Wat is crebo 25894 &amp; staat het op <https://www.s-bb.nl/kwalificaties>?"
    body = slack_message_event(sent, "C0KLAS", kind="app_mention")
    async with serve(channel, rasa, database()) as url:
        await deliver(url, channel, body, slack_headers(SECRET, body))
    assert [m.text for m in rasa.heard] == ["Wat is crebo 25894 & staat het op https://www.s-bb.nl/kwalificaties?"]


def test_reading_links_takes_linear_time():
    text = "<https://a.nl|a> " * 10 + "|" * 8_000  # Rasa's own pattern: 4.7 s
    started = time.perf_counter()
    SlackChannel._sanitize_user_message(text, ["U0BOT"])
    assert time.perf_counter() - started < 1.0


def test_unclosed_links_take_linear_time():
    text = ("<https://" + "a" * 300) * 25 + "&amp;" * 100
    started = time.perf_counter()
    assert SlackChannel._sanitize_user_message(text, ["U0BOT"]).startswith("<https://aaa")
    assert time.perf_counter() - started < 1.0


# --- threads (finding 15) -----------------------------------------------------------------------

@pytest.mark.parametrize("where, body, form, thread", [
    ("a mention in a channel's thread",
     slack_message_event("<@U0VRAGENBOT> Wat is crebo 25894?", "C0KLAS", kind="app_mention", thread_ts=THREAD),
     False, THREAD),
    ("a direct message in a thread", slack_message_event("Wat is crebo 25894?", "D0STUDENT", thread_ts=THREAD),
     False, THREAD),
    ("a click on a button in a thread", slack_button_click("Wat is crebo 25894?", "C0KLAS", thread_ts=THREAD),
     True, THREAD),
    ("a mention in the channel itself",
     slack_message_event("<@U0VRAGENBOT> Wat is crebo 25894?", "C0KLAS", kind="app_mention"), False, None),
    ("a direct message", slack_message_event("Wat is crebo 25894?", "D0STUDENT"), False, None),
], ids=lambda value: value if isinstance(value, str) and " " in value else "")
async def test_a_message_in_a_thread_is_answered_in_that_thread(slack_api, database, serve, where, body, form, thread):
    channel = configured(f"{slack_api.url}/api/")
    headers = slack_headers(SECRET, body, "application/x-www-form-urlencoded" if form else "application/json")
    async with serve(channel, Rasa({"text": CREBO_ANSWER}), database()) as url:
        assert (await deliver(url, channel, body, headers)).status == 200
    [posted] = slack_api.recorded("POST", "/api/chat.postMessage")
    post = posted.json()
    assert post["channel"] == ("D0STUDENT" if "direct" in where else "C0KLAS")
    assert post.get("thread_ts") == thread
    assert slack_refusal(post) is None


# --- one post per message -----------------------------------------------------------------------

async def test_all_answers_to_one_message_go_out_in_one_post(slack_api, database, serve):
    """A message with three questions: three answers and the 👍/👎 question, one chat.postMessage."""
    rasa = Rasa(
        {"text": CREBO_ANSWER},
        {"text": "De herziening gaat in per 1 augustus.\n\nBron: SBB & de branche <metaal>"},
        {"text": "Je derde vraag begreep ik niet."},
        {"text": "Had je hier iets aan?", "buttons": FEEDBACK_BUTTONS},
    )
    channel = configured(f"{slack_api.url}/api/")
    body = slack_message_event("Wat is crebo 25894? Wanneer gaat het in? En verder?", "D0STUDENT")
    async with serve(channel, rasa, database()) as url:
        await deliver(url, channel, body, slack_headers(SECRET, body))

    [posted] = slack_api.recorded("POST", "/api/chat.postMessage")  # not four posts, nor six paragraphs
    assert posted.path == "/api/chat.postMessage"
    assert posted.headers["authorization"] == f"Bearer {TOKEN}"
    assert posted.headers["content-type"].startswith("application/json")
    post = json.loads(posted.body)
    assert slack_refusal(post) is None and "as_user" not in post
    blocks = [Block.parse(block) for block in post["blocks"]]
    for block in blocks:
        block.validate_json()
    assert [type(b) for b in blocks] == [SectionBlock, ActionsBlock]
    assert blocks[0].text.text == (
        f"{CREBO_ANSWER}\n\nDe herziening gaat in per 1 augustus.\n\nBron: SBB &amp; de branche &lt;metaal&gt;"
        "\n\nJe derde vraag begreep ik niet.\n\nHad je hier iets aan?")
    assert [(e.text.text, e.value) for e in blocks[1].elements] == [
        (b["title"], b["payload"]) for b in FEEDBACK_BUTTONS]
    assert post["text"] == blocks[0].text.text  # the notification's text


def test_many_answers_stay_within_slacks_limits():
    long_answer = Answer(text=("Metaal & techniek <niveau 2>. " * 400).strip())  # 11,600 characters escaped
    many = [Answer(text=f"Antwoord {n}: crebo 2589{n % 10}.") for n in range(60)]
    with_buttons = [Answer(text=f"Vraag {n}?", buttons=tuple(FEEDBACK_BUTTONS)) for n in range(30)]
    posts = compose([long_answer, *many, *with_buttons])

    assert len(posts) == 2  # 60 answers share one section; 30 × (section + actions) need a second post
    sections = []
    for post in posts:
        assert slack_refusal(post) is None
        assert len(post["blocks"]) <= MAX_BLOCKS
        for block in post["blocks"]:
            Block.parse(block).validate_json()  # sections ≤ 3,000 characters, ≤ 25 buttons of ≤ 75
        sections += [b["text"]["text"] for b in post["blocks"] if b["type"] == "section"]
    assert max(len(s) for s in sections) <= MAX_SECTION_TEXT
    shown = " ".join(" ".join(sections).split())
    assert shown.startswith(" ".join(long_answer.text.replace("&", "&amp;").replace("<", "&lt;")
                                     .replace(">", "&gt;").split()))
    assert all(f"Antwoord {n}:" in shown for n in range(60)) and all(f"Vraag {n}?" in shown for n in range(30))
    assert sum(len(button_values(p)) for p in posts) == 60


@pytest.mark.parametrize("question, language", [("Wat is crebo 25894?", "nl"),
                                                ("Which programme is crebo 25894?", "en")])
async def test_when_slack_refuses_the_answer_the_student_gets_an_apology(slack_api, database, serve,
                                                                         question, language):
    accept = slack_api.routes[("POST", "/api/chat.postMessage")]
    slack_api.routes[("POST", "/api/chat.postMessage")] = (
        lambda r: (200, {"ok": False, "error": "invalid_blocks"}) if "blocks" in r.json() else accept(r))
    channel = configured(f"{slack_api.url}/api/")
    body = slack_message_event(question, "D0STUDENT")
    async with serve(channel, Rasa({"text": CREBO_ANSWER}), database()) as url:
        await deliver(url, channel, body, slack_headers(SECRET, body))
    refused, apology = slack_posts(slack_api, "D0STUDENT")
    assert refused["text"] == CREBO_ANSWER and slack_refusal(refused) is None  # refused anyway, as Slack may
    # Plain text, which Slack takes, in the language of the question.
    assert apology == {"channel": "D0STUDENT", "text": PROCESSING_FAILED[language]}


async def test_replies_go_to_the_configured_slack_api_without_as_user(slack_api):
    output = configured(api_url=f"{slack_api.url}/api/").get_output_channel("D0STUDENT")
    await output.send_response("D0STUDENT", {"text": "Hoi!\n\nWaar kan ik je mee helpen?"})
    await output.send_response("D0STUDENT", {"text": "Kies maar:", "buttons": GREETING_BUTTONS})
    posts = slack_posts(slack_api, "D0STUDENT")
    # Outside a reply to a message (no collecting), each answer is one post, never one per paragraph.
    assert [p["text"] for p in posts] == ["Hoi!\n\nWaar kan ik je mee helpen?", "Kies maar:"]
    assert button_values(posts[1]) == ["faq:aanleiding_herziening", "Wat is crebo 25894?", "/ask_capabilities"]
    assert len(slack_api.requests) == 2 and all(slack_refusal(p) is None for p in posts)


# --- buttons and clicks -----------------------------------------------------------------------

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
    [post] = compose([Answer(text="<!channel> & co")])
    assert post["blocks"][0]["text"]["text"] == post["text"] == "&lt;!channel&gt; &amp; co"


@pytest.mark.parametrize("payload", [
    "faq:aanleiding_herziening", "/ask_capabilities", "Wat is crebo 25894?", '/show_theme{"theme": "keuzedelen"}',
])
def test_rasa_reads_a_click_on_our_buttons_as_the_payload(payload):
    clicked = json.loads(parse_qs(slack_button_click(payload, "D0STUDENT").decode())["payload"][0])
    assert SlackInput._is_interactive_message(clicked)
    assert SlackInput._get_interactive_response(clicked["actions"][0]) == payload


# --- Rasa 3.6.21 as it is (bot/channels/README.md, "Facts"): an upgrade that changes these shows up

def rasas_slack_input() -> SlackInput:
    return SlackInput(TOKEN, slack_signing_secret=SECRET, slack_retry_reason_header="x-slack-retry-reason",
                      slack_retry_number_header="x-slack-retry-num")


async def test_rasa_drops_every_timeout_retry_seen_or_not_and_answers_threads_in_the_channel():
    rasa = Rasa()
    body = slack_message_event("Wat is crebo 25894?", "C0KLAS", kind="app_mention", thread_ts=THREAD)
    never_seen_retry = request(body, slack_headers(SECRET, body, retry=(1, "http_timeout")))
    dropped = await rasas_slack_input().process_message(never_seen_retry, rasa, "Wat is crebo 25894?", "U0STUDENT",
                                                        {"out_channel": "C0KLAS", "thread_id": THREAD})
    assert dropped.status == 201 and rasa.heard == []

    slack_input = rasas_slack_input()
    await slack_input.process_message(request(body, slack_headers(SECRET, body)), rasa, "Wat is crebo 25894?",
                                      "U0STUDENT", {"out_channel": "C0KLAS", "thread_id": THREAD})
    await asyncio.gather(*list(slack_input._background_tasks))
    assert rasa.heard[0].output_channel.thread_id is None  # use_threads is off: the answer goes to the channel


def test_rasa_keeps_bare_links_and_slacks_escapes():
    assert SlackInput._sanitize_user_message("zie <https://www.s-bb.nl> &amp; &lt;3", []) == (
        "zie <https://www.s-bb.nl> &amp; &lt;3")
