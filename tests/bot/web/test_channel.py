"""The web chat channel's pure parts: what it accepts from a browser, and the kiosk's buttons."""
from __future__ import annotations

import json

import pytest

from bot.knowledge.faq import chosen_faq_key
from bot.knowledge import load_catalogue
from bot.knowledge.themes import THEMES
from bot.web.channel import render_kiosk_page, user_text
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
