"""The web chat channel's pure parts: what it accepts from a browser, what it sends (each message
with its language), the welcome, and the kiosk's buttons."""
from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError

from bot.channels.base import PROCESSING_FAILED, guarded
from bot.channels.rate_limit import TOO_MANY
from bot.knowledge.faq import chosen_faq_key
from bot.knowledge import load_catalogue
from bot.knowledge.themes import THEMES, menu_buttons
from bot.web.channel import (ALLOWED_HOSTS_ENV, MAX_HOST_CHARS, PUBLIC_URL_ENV, QrCodes, WebChatOutput, allowed_host,
                             chat_page_url, render_kiosk_page, shown_language, too_many, user_text, welcome_message)
from bot.web.sessions import issue_session_id, verified_session_id
from bot.web.kiosk import kiosk_config


def test_a_well_formed_message_is_passed_on_for_the_base_to_screen():
    assert user_text({"message": "Wat is crebo 25894?", "session_id": "a"}) == "Wat is crebo 25894?"


@pytest.mark.parametrize("data", [None, "tekst", 42, {}, {"message": None}, {"message": ["a"]}])
def test_malformed_messages_are_ignored(data):
    assert user_text(data) is None


def test_the_server_accepts_back_the_session_ids_it_issued():
    issued = issue_session_id()
    assert verified_session_id(issued) == issued
    assert issue_session_id() != issued  # 128 random bits each


def test_a_session_id_the_server_did_not_sign_is_refused():
    token, signature = issue_session_id().split(".")
    forged = f"{token}.{'0' * 32 if signature != '0' * 32 else '1' * 32}"
    other_token = f"{'a' * 32}.{signature}"
    for value in (forged, other_token, token, "web-lx3k-9f8a7b6c", None, 12, "", "room/other", "<script>"):
        assert verified_session_id(value) is None, value


# --- what the page gets: each bot message with its language --------------------------------
class Emitted:
    """The socket.io server, as far as an output uses it: what it emits, to whom."""

    def __init__(self) -> None:
        self.messages = []

    async def emit(self, event, data, room=None):
        self.messages.append((event, room, data))


async def test_each_message_carries_the_language_of_its_response():
    sio = Emitted()
    output = WebChatOutput(sio, "bot_uttered")
    # As Rasa's processor hands a generated message (bot/responses.py puts `language` in its metadata).
    await output.send_response("web:a", {"text": "Sure.\n\nSource: 1e vragenuur", "language": "en"})
    await output.send_response("web:a", {"text": "Had je hier iets aan?", "language": "nl",
                                         "buttons": [{"title": "👍", "payload": "/feedback_helpful"}]})
    await output.send_response("web:a", {"text": "Did this help?", "language": "en",
                                         "quick_replies": [{"title": "👍", "payload": "/feedback_helpful"}]})
    assert sio.messages == [
        ("bot_uttered", "web:a", {"text": "Sure.\n\nSource: 1e vragenuur", "lang": "en"}),  # one message, as before
        ("bot_uttered", "web:a", {"text": "Had je hier iets aan?", "lang": "nl", "quick_replies": [
            {"content_type": "text", "title": "👍", "payload": "/feedback_helpful"}]}),
        ("bot_uttered", "web:a", {"text": "Did this help?", "lang": "en", "quick_replies": [
            {"content_type": "text", "title": "👍", "payload": "/feedback_helpful"}]}),
    ]


@pytest.mark.parametrize("metadata", [{}, {"language": None}, {"language": "de"}, {"language": ["en"]}])
async def test_a_message_without_a_known_language_is_dutch(metadata):
    sio = Emitted()
    await WebChatOutput(sio, "bot_uttered").send_response("web:a", {"text": "Hallo", **metadata})
    assert sio.messages == [("bot_uttered", "web:a", {"text": "Hallo", "lang": "nl"})]


async def test_a_quiet_message_gets_no_reply_on_the_socket():
    sio = Emitted()
    await WebChatOutput(sio, "bot_uttered", quiet=True).send_response("web:a", {"text": "Okay.", "language": "en"})
    assert sio.messages == []


@pytest.mark.parametrize("data, language", [
    ({"message": "x", "lang": "en"}, "en"),
    ({"message": "x", "lang": "nl"}, "nl"),
    ({"message": "x"}, "nl"),
    ({"message": "x", "lang": "fr"}, "nl"),
    ({"message": "x", "lang": {"en": 1}}, "nl"),
])
def test_the_language_a_page_says_it_shows_is_read_with_care(data, language):
    assert shown_language(data) == language


@pytest.mark.parametrize("text, shown, language", [
    ("Wat is crebo 25894?", "nl", "nl"),
    ("what is crebo 25894?", "nl", "en"),  # an English question on a Dutch page
    ("Wat is crebo 25894?", "en", "nl"),
    ("ok", "en", "en"),  # says nothing: the page's language
    ("ok", "nl", "nl"),
    ("faq:bol_bbl", "en", "en"),  # a button's payload says nothing either
    ('/switch_language{"language":"nl"}', "en", "en"),
    ("what is the difference between bol and bbl? " * 5000, "nl", "en"),  # read from its start only
])
def test_slow_down_is_in_the_language_of_the_message(text, shown, language):
    assert too_many(text, shown) == {"text": TOO_MANY[language], "lang": language}


async def test_the_apology_is_in_the_language_of_the_message_and_tells_the_page_so():
    async def rasa_fails(message: UserMessage) -> None:
        raise LockError("Could not acquire lock")

    sent = []
    for text, shown in (("Can you tell me what crebo 25894 is?", "nl"), ("Wat is crebo 25894?", "en"), ("ok", "en")):
        sio = Emitted()
        await guarded(rasa_fails)(UserMessage(text, WebChatOutput(sio, "bot_uttered", shown), "web:a"))
        sent.extend(data for _, _, data in sio.messages)
    assert sent == [{"text": PROCESSING_FAILED["en"], "lang": "en"}, {"text": PROCESSING_FAILED["nl"], "lang": "nl"},
                    {"text": PROCESSING_FAILED["en"], "lang": "en"}]


# --- the welcome ---------------------------------------------------------------------------
def domain_and_generator():
    from rasa.shared.core.domain import Domain

    from bot import PROJECT_DIR
    from bot.responses import Responses

    domain = Domain.load(PROJECT_DIR / "domain.yml")
    return domain, SimpleNamespace(domain=domain, nlg=Responses(domain=domain))


def greeting_in(domain, language: str):
    """utter_greet's variation for `language` in domain.yml (the Dutch one has no condition)."""
    for variation in domain.responses["utter_greet"]:
        conditions = variation.get("condition") or []
        if (language == "nl" and not conditions) or \
                {"type": "slot", "name": "language", "value": language} in conditions:
            return variation
    pytest.fail(f"domain.yml has no utter_greet in {language}")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_welcome_is_the_greeting_of_the_domain_in_the_language_asked(language):
    domain, agent = domain_and_generator()
    greeting = greeting_in(domain, language)
    welcome = await welcome_message(agent, "webchat", language)
    assert welcome == {"text": greeting["text"], "lang": language,
                       "buttons": [{"title": b["title"], "payload": b["payload"]} for b in greeting["buttons"]]}


async def test_the_welcome_is_dutch_by_default_and_none_before_a_model_is_loaded():
    domain, agent = domain_and_generator()
    assert await welcome_message(agent, "webchat") == await welcome_message(agent, "webchat", "nl")
    assert await welcome_message(None, "webchat") is None
    assert await welcome_message(SimpleNamespace(domain=None, nlg=None), "webchat", "en") is None


async def test_a_model_without_english_gives_its_dutch_welcome_and_says_so():
    from rasa.shared.core.domain import Domain

    domain, agent = domain_and_generator()
    dutch_only = Domain.from_dict({**domain.as_dict(), "slots": {
        name: slot for name, slot in domain.as_dict()["slots"].items() if name != "language"}})
    welcome = await welcome_message(SimpleNamespace(domain=dutch_only, nlg=agent.nlg), "webchat", "en")
    assert welcome["text"] == greeting_in(domain, "nl")["text"] and welcome["lang"] == "nl"


# --- the kiosk -----------------------------------------------------------------------------
def test_kiosk_topics_are_the_topic_menu_in_both_languages():
    topics = kiosk_config()["topics"]
    assert [t["title"] for t in topics["nl"]] == list(THEMES.values())
    assert topics["en"] == menu_buttons("en") and topics["en"] != topics["nl"]
    assert [t["payload"] for t in topics["en"]] == [t["payload"] for t in topics["nl"]]
    assert topics["nl"][0]["payload"] == '/show_theme{"theme": "dossiers"}'


@pytest.mark.parametrize("language", ["nl", "en"])
def test_kiosk_popular_questions_are_faq_buttons_of_existing_answers(language):
    catalogue = load_catalogue()
    keys = {e.key for e in catalogue.entries}
    for button in kiosk_config()["popular"][language]:
        key = chosen_faq_key(button["payload"], keys)
        assert key is not None and catalogue.get(key).title_in(language) == button["title"]
    payloads = [[b["payload"] for b in kiosk_config()["popular"][lang]] for lang in ("nl", "en")]
    assert payloads[0] == payloads[1]


def test_kiosk_page_carries_its_configuration_as_json():
    page = render_kiosk_page()
    embedded = page.split('<script id="kiosk-config" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "{{KIOSK_CONFIG}}" not in page and "<" not in embedded
    assert json.loads(embedded) == kiosk_config()


# The kiosk's QR code: never drawn for a Host nobody configured (finding 5 of the review).
@pytest.mark.parametrize("host, allowed", [
    ("localhost:5005", "localhost:5005"),
    ("LocalHost:5005", "localhost:5005"),
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]:8080", "[::1]:8080"),
    ("kiosk.school.lan", "kiosk.school.lan"),  # listed without a port: any port
    ("kiosk.school.lan:8080", "kiosk.school.lan:8080"),
    ("192.168.1.20:5005", "192.168.1.20:5005"),  # listed with its port
    ("192.168.1.20:5006", None),
    ("192.168.1.20", None),
    ("evil.example", None),
    ("localhost.evil.example", None),
    ("evil.localhost", None),
    ("127.0.0.1:1@evil.example", None),
    ("127.0.0.1/evil", None),
    ("localhost:5005 ", None),
    ("", None),
    ("a" * MAX_HOST_CHARS + ".nl", None),
])
def test_the_qr_code_points_only_at_this_machine_or_a_listed_host(host, allowed):
    assert allowed_host(host, {ALLOWED_HOSTS_ENV: "kiosk.school.lan, 192.168.1.20:5005"}) == allowed


def test_an_overlong_host_is_refused_at_once():
    started = time.perf_counter()
    for length in (300, 2_200, 100_000):
        assert allowed_host("a" * length + ".nl", {}) is None
        assert allowed_host("a." * length, {ALLOWED_HOSTS_ENV: "a"}) is None
    assert time.perf_counter() - started < 0.05


def test_a_configured_address_wins_over_any_host(monkeypatch):
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://bot.example-school.nl/")
    evil = SimpleNamespace(scheme="http", host="evil.example")
    assert chat_page_url(evil) == "https://bot.example-school.nl/webhooks/webchat/chat"
    monkeypatch.delenv(PUBLIC_URL_ENV)
    monkeypatch.setenv("SCHOOL_SETTINGS", "no-such-school.yml")
    assert chat_page_url(evil) is None
    assert chat_page_url(SimpleNamespace(scheme="http", host="localhost:5005")) == \
        "http://localhost:5005/webhooks/webchat/chat"


def test_each_qr_code_is_drawn_once_and_the_cache_stays_small():
    codes = QrCodes(size=2)
    first = codes.svg("http://localhost:5005/webhooks/webchat/chat")
    assert first.startswith(b"<?xml") and b'xmlns="http://www.w3.org/2000/svg"' in first
    assert codes.svg("http://localhost:5005/webhooks/webchat/chat") is first  # kept, not drawn again
    codes.svg("http://localhost:5006/webhooks/webchat/chat")
    codes.svg("http://localhost:5007/webhooks/webchat/chat")
    assert "http://localhost:5005/webhooks/webchat/chat" not in codes and len(codes._drawn) == 2
