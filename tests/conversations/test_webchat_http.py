"""The web chat channel: its page, its webhook, and what it refuses."""
from __future__ import annotations

import uuid

import requests


def test_chat_page_is_served_in_dutch_without_external_resources(live_servers):
    page = requests.get(f"{live_servers['rasa_url']}/webhooks/webchat/chat", timeout=10)
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert "http" not in page.text.replace('lang="nl"', "")  # nothing from a CDN
    script = requests.get(f"{live_servers['rasa_url']}/webhooks/webchat/static/chat.js", timeout=10)
    assert script.status_code == 200 and "textContent" in script.text and "innerHTML" not in script.text


def test_static_files_outside_the_folder_are_refused(live_servers):
    for name in ("..%2Fchannel.py", "%2E%2E%2F%2E%2E%2Fconfig.yml", "missing.js"):
        assert requests.get(f"{live_servers['rasa_url']}/webhooks/webchat/static/{name}", timeout=10).status_code == 404


def test_web_chat_answers_a_crebo_question(live_servers):
    replies = requests.post(f"{live_servers['rasa_url']}/webhooks/webchat/webhook",
                            json={"sender": uuid.uuid4().hex, "message": "Wat is crebo 25894?"}, timeout=30).json()
    assert "Medewerker productietechniek (crebo 25894)" in replies[0]["text"]


def test_a_very_long_message_is_cut_and_answered(live_servers):
    replies = requests.post(f"{live_servers['rasa_url']}/webhooks/webchat/webhook",
                            json={"sender": uuid.uuid4().hex, "message": "keuzedelen " * 3000}, timeout=30)
    assert replies.status_code == 200 and replies.json()
