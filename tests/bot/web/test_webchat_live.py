"""The web chat against the running assistant: its pages over HTTP, its socket.io conversation."""
from __future__ import annotations

import queue
import re
from typing import Any, Dict, List, Optional

import pytest
import requests
import socketio
import yaml

from bot import PROJECT_DIR

pytestmark = pytest.mark.slow

PAGES = ["chat", "kiosk", "example"]


def get(servers: Dict[str, str], path: str) -> requests.Response:
    return requests.get(f"{servers['rasa_url']}/webhooks/webchat/{path}", timeout=10)


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_dutch_and_load_nothing_from_elsewhere(live_servers, page):
    response = get(live_servers, page)
    assert response.status_code == 200 and '<html lang="nl">' in response.text
    # Every src/href is relative: nothing from a CDN, fonts included.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', response.text)


def test_scripts_never_insert_bot_text_as_html(live_servers):
    for name in ("chat.js", "kiosk.js", "embed.js"):
        script = get(live_servers, f"static/{name}")
        assert script.status_code == 200 and "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text


def greeting(language: str) -> Dict[str, Any]:
    """domain.yml's utter_greet in `language` (the Dutch one has no condition)."""
    variations = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_greet"]
    return next(v for v in variations if (language == "nl" and not v.get("condition")) or
                {"type": "slot", "name": "language", "value": language} in (v.get("condition") or []))


def test_welcome_is_the_bots_answer_to_a_greeting_from_the_domain(live_servers):
    response = get(live_servers, "welcome")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    dutch = greeting("nl")
    assert response.json() == {"text": dutch["text"], "buttons": dutch["buttons"], "lang": "nl"}
    assert get(live_servers, "welcome?lang=fr").json() == response.json()


def test_the_english_welcome_is_the_domains_once_the_model_has_it(live_servers):
    welcome = get(live_servers, "welcome?lang=en").json()
    # What the running model's domain has: its English greeting, or (a model trained before the
    # English domain) its Dutch one, saying so.
    expected = greeting(welcome["lang"])
    assert welcome == {"text": expected["text"], "buttons": expected["buttons"], "lang": welcome["lang"]}
    assert welcome["lang"] in ("nl", "en")


def test_socket_io_client_is_served_from_the_project(live_servers):
    response = get(live_servers, "vendor/socket.io.min.js")
    assert response.status_code == 200 and "Socket.IO" in response.text[:300]


def test_kiosk_carries_its_buttons_and_a_qr_code(live_servers):
    assert "Keuzedelen" in get(live_servers, "kiosk").text
    qr = get(live_servers, "qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml") and 'xmlns="http://www.w3.org/2000/svg"' in qr.text


@pytest.mark.parametrize("name", ["..%2Fchannel.py", "%2E%2E%2F%2E%2E%2Fconfig.yml", "missing.js", "index.html"])
def test_files_outside_the_static_scripts_are_refused(live_servers, name):
    assert get(live_servers, f"static/{name}").status_code == 404


def issued_session_id(base_url: str) -> str:
    response = requests.get(f"{base_url}/webhooks/webchat/session", timeout=10)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    return response.json()["session_id"]


class WebChatUser:
    """A browser's side of the socket.io conversation, as chat.js speaks it.

    The synchronous client: python-socketio's asyncio client needs a newer aiohttp than
    Rasa 3.6 allows.
    """

    def __init__(self, url: str, session_id: Optional[str] = None) -> None:
        """`session_id`: one the server issued (a reload), or None for a new one, as chat.js asks."""
        self.url = url
        self.session_id = session_id or issued_session_id(url.split("?")[0])
        self.client = socketio.Client(reconnection=False)
        self.replies: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.confirmed: "queue.Queue[str]" = queue.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)

    def __enter__(self) -> "WebChatUser":
        self.client.connect(self.url, socketio_path="/socket.io", wait_timeout=10)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.get(timeout=10) == self.session_id
        return self

    def __exit__(self, *exc: Any) -> None:
        self.client.disconnect()

    def say(self, text: str, lang: Optional[str] = None) -> List[Dict[str, Any]]:
        """Send a message (`lang`: the language the page shows, as chat.js says it); collect
        replies until the bot is quiet for a moment."""
        data = {"message": text, "session_id": self.session_id}
        if lang:
            data["lang"] = lang
        self.client.emit("user_uttered", data)
        replies = [self.replies.get(timeout=30)]
        while True:
            try:
                replies.append(self.replies.get(timeout=1.0))
            except queue.Empty:
                return replies


def test_a_crebo_question_is_answered_in_one_message(live_servers):
    with WebChatUser(live_servers["rasa_url"]) as user:
        replies = user.say("Wat is crebo 25894?")
    # The answer, then only the feedback question that follows every answer (👍/👎).
    assert [r["text"] for r in replies[1:]] == ["Had je hier iets aan?"]
    assert "Medewerker productietechniek (crebo 25894)" in replies[0]["text"] and "Bron:" in replies[0]["text"]
    assert [r["lang"] for r in replies] == ["nl", "nl"]  # a Dutch conversation says so in every message


def speaks_english(servers: Dict[str, str]) -> bool:
    """Whether the running model has the English domain (its welcome in English is English)."""
    return get(servers, "welcome?lang=en").json()["lang"] == "en"


def test_the_switch_and_an_english_question_are_answered_in_the_language_the_messages_say(live_servers):
    english = speaks_english(live_servers)
    with WebChatUser(live_servers["rasa_url"]) as user:
        switched = user.say('/switch_language{"language":"en"}', lang="nl")
        answer = user.say("what is crebo 25894?", lang="en")
        back = user.say('/switch_language{"language":"nl"}', lang="en")
    replies = switched + answer + back
    assert all(r["lang"] in ("nl", "en") for r in replies), replies
    assert "crebo 25894" in answer[0]["text"]
    if english:  # the lead's English domain: until a model has it, the replies are Dutch and say so
        assert [r["lang"] for r in switched + answer] == ["en"] * len(switched + answer)
        assert [r["lang"] for r in back] == ["nl"] * len(back)


def test_a_quiet_message_is_handled_without_a_reply(live_servers):
    english = speaks_english(live_servers)
    with WebChatUser(live_servers["rasa_url"]) as user:
        user.client.emit("user_uttered", {"message": '/switch_language{"language":"en"}', "session_id": user.session_id,
                                          "lang": "en", "quiet": True})
        with pytest.raises(queue.Empty):
            user.replies.get(timeout=3)
        # The quiet switch took effect: a button's payload, which says nothing of the language, is
        # answered in English.
        replies = user.say("faq:bol_bbl", lang="en")
    assert replies and {r["lang"] for r in replies} == ({"en"} if english else {"nl"})


def test_buttons_arrive_as_quick_replies_and_a_click_answers(live_servers):
    with WebChatUser(live_servers["rasa_url"]) as user:
        buttons = user.say("hallo")[-1]["quick_replies"]
        assert buttons[0]["payload"].startswith("faq:")
        answer = user.say(buttons[0]["payload"])
    assert "Bron: 1e vragenuur" in answer[0]["text"]


def test_a_page_reload_continues_the_conversation(live_servers):
    session = issued_session_id(live_servers["rasa_url"])
    with WebChatUser(live_servers["rasa_url"], session) as user:
        assert "Productietechnicus (crebo 25896)" in user.say("Wat is crebo 25896?")[0]["text"]
    with WebChatUser(live_servers["rasa_url"], session) as reloaded:
        assert "niveau 4" in reloaded.say("en op welk niveau is die?")[0]["text"]


def test_a_long_paste_is_cut_and_still_answered(live_servers):
    with WebChatUser(live_servers["rasa_url"]) as user:
        replies = user.say("keuzedelen " * 3000)
    assert replies and replies[0]["text"]


def test_malformed_events_are_ignored_and_the_chat_goes_on(live_servers):
    with WebChatUser(live_servers["rasa_url"]) as user:
        user.client.emit("user_uttered", "geen object")
        user.client.emit("user_uttered", {"message": "hoi"})  # no session id
        user.client.emit("user_uttered", {"message": "hoi", "session_id": "<script>"})
        replies = user.say("Wat is crebo 25893?")
    assert "Technicus mechatronica" in replies[0]["text"]


@pytest.mark.parametrize("origin, accepted", [
    ("https://evil.example", False),  # another site, in a visitor's browser
    (None, True),  # no Origin: not a browser, CORS is no protection there anyway
    ("SAME", True),  # the bot's own pages
])
def test_only_the_bots_own_pages_may_open_a_socket(live_servers, origin, accepted):
    url = live_servers["rasa_url"]
    headers = {} if origin is None else {"Origin": url if origin == "SAME" else origin}
    client = socketio.Client(reconnection=False)
    try:
        client.connect(url, socketio_path="/socket.io", headers=headers, wait_timeout=10)
        connected = True
    except socketio.exceptions.ConnectionError:
        connected = False
    finally:
        client.disconnect()
    assert connected is accepted


def test_a_session_id_the_server_did_not_issue_is_replaced_by_one_it_did(live_servers):
    # A guessed or made-up id (chat.js made them with Math.random before) never names a conversation.
    client = socketio.Client(reconnection=False)
    confirmed: "queue.Queue[str]" = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.connect(live_servers["rasa_url"], socketio_path="/socket.io", wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": "web-lx3k-9f8a7b6c"})
        given = confirmed.get(timeout=10)
    finally:
        client.disconnect()
    assert given != "web-lx3k-9f8a7b6c" and re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{32}", given)


def test_a_socket_cannot_write_into_a_conversation_it_does_not_hold(live_servers):
    import sqlite3

    with WebChatUser(live_servers["rasa_url"]) as victim:
        victim.say("Wat is crebo 25896?")
        with WebChatUser(live_servers["rasa_url"]) as attacker:
            # The attacker knows the victim's id but holds its own session: the message is ignored.
            attacker.client.emit("user_uttered", {"message": "Wat is crebo 25891?", "session_id": victim.session_id})
            with pytest.raises(queue.Empty):
                attacker.replies.get(timeout=3)
            with pytest.raises(queue.Empty):
                victim.replies.get(timeout=1)
    with sqlite3.connect(live_servers["db_path"]) as db:
        stored = [text for (text,) in db.execute(
            "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? AND type_name = 'user'",
            (f"web:{victim.session_id}",))]
    assert stored == ["Wat is crebo 25896?"]  # kept under the web chat's own namespace, untouched


def test_a_socket_is_in_one_conversation_at_a_time(live_servers):
    first, second = issued_session_id(live_servers["rasa_url"]), issued_session_id(live_servers["rasa_url"])
    with WebChatUser(live_servers["rasa_url"], first) as user:
        user.client.emit("session_request", {"session_id": second})
        assert user.confirmed.get(timeout=10) == second
        user.session_id = second
        assert "Productietechnicus" in user.say("Wat is crebo 25896?")[0]["text"]
        with WebChatUser(live_servers["rasa_url"], first) as other_tab:
            other_tab.say("hallo")
        with pytest.raises(queue.Empty):  # the first conversation's replies no longer reach it
            user.replies.get(timeout=2)
