"""The web chat channel's pure parts: what it accepts from a browser, and the kiosk's buttons."""
from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest

from bot.knowledge.faq import chosen_faq_key
from bot.knowledge import load_catalogue
from bot.knowledge.themes import THEMES
from bot.web.channel import (ALLOWED_HOSTS_ENV, MAX_HOST_CHARS, PUBLIC_URL_ENV, QrCodes, allowed_host, chat_page_url,
                             render_kiosk_page, user_text, welcome_message)
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


async def test_the_welcome_is_the_greeting_of_the_domain_and_none_before_a_model_is_loaded():
    from rasa.shared.core.domain import Domain

    from bot import PROJECT_DIR
    from bot.responses import Responses

    domain = Domain.load(PROJECT_DIR / "domain.yml")
    greeting = domain.responses["utter_greet"][0]
    welcome = await welcome_message(SimpleNamespace(domain=domain, nlg=Responses(domain=domain)), "webchat")
    assert welcome == {"text": greeting["text"],
                       "buttons": [{"title": b["title"], "payload": b["payload"]} for b in greeting["buttons"]]}
    assert await welcome_message(None, "webchat") is None
    assert await welcome_message(SimpleNamespace(domain=None, nlg=None), "webchat") is None


def test_kiosk_topics_are_the_topic_menu():
    topics = kiosk_config()["topics"]
    assert [t["title"] for t in topics] == list(THEMES.values())
    assert topics[0]["payload"] == '/show_theme{"theme": "dossiers"}'


def test_kiosk_popular_questions_are_faq_buttons_of_existing_answers():
    catalogue = load_catalogue()
    keys = {e.key for e in catalogue.entries}
    for button in kiosk_config()["popular"]:
        key = chosen_faq_key(button["payload"], keys)
        assert key is not None and catalogue.get(key).title == button["title"]


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
