"""Dutch and English in a real browser (Debian's headless Chromium): the NL | EN switch on the chat
page and the kiosk, whole English conversations, `lang` on each message and on the page, and
axe-core in both languages.

Each bot message's element must carry the language the bot gave it: the test reads that from
the conversation the server stored (the message metadata `language`), not from the page. The
page follows the last message's language. A model trained before the English domain answers
everything in Dutch and says so: then the page turns back to Dutch, and these tests check that
it does; with the English domain (`speaks_english`) the answers must be English.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Dict, List, Tuple

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.web.kiosk import kiosk_config
from tests.bot.web.browsing import (REPORTS, ask, assert_page_in, assert_whole_on_screen, bot_texts, message_languages,
                                    open_page, page_language, page_texts, switch_button, viewport, wait_for)
from tests.bot.web.test_accessibility import assert_accessible

pytestmark = pytest.mark.slow

SWITCH = '/switch_language{"language":"%s"}'
MIN_TOUCH_PX = 48  # the kiosk's switch: a touch target for a finger (WCAG 2.5.5 asks 44 CSS px)


def speaks_english(servers: Dict[str, str]) -> bool:
    """Whether the running model has the English domain: its English welcome is English."""
    url = f"{servers['rasa_url']}/webhooks/webchat/welcome?lang=en"
    return requests.get(url, timeout=10).json()["lang"] == "en"


def stored(servers: Dict[str, str], conversation: str) -> List[Tuple[str, str, str]]:
    """(who, text, language) of each user and bot message the server stored for `conversation`;
    a bot message's language is its metadata's ("nl" without one, as the channel sends it)."""
    with sqlite3.connect(servers["db_path"]) as db:
        rows = db.execute("SELECT type_name, data FROM events WHERE sender_id = ? AND type_name IN ('user', 'bot') "
                          "ORDER BY id", (conversation,)).fetchall()
    events = [(kind, json.loads(data)) for kind, data in rows]
    return [(kind, event.get("text") or "", (event.get("metadata") or {}).get("language") or "nl")
            for kind, event in events]


def session_of(driver: WebDriver) -> str:
    return wait_for(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-session"))


def bot_languages_stored(servers: Dict[str, str], driver: WebDriver) -> List[str]:
    return [language for who, _, language in stored(servers, f"web:{session_of(driver)}") if who == "bot"]


def wait_for_answers(driver: WebDriver, before: int, count: int = 1) -> None:
    wait_for(driver, lambda d: len(bot_texts(d)) >= before + count and d.find_element(By.ID, "log")
             .get_attribute("aria-busy") is None)


def switch_to(driver: WebDriver, language: str) -> None:
    """Press NL or EN and wait for the bot's answer to it."""
    before = len(bot_texts(driver))
    switch_button(driver, language).click()
    wait_for_answers(driver, before)


def assert_messages_carry_what_the_bot_sent(servers: Dict[str, str], driver: WebDriver, shown_before: int) -> str:
    """Each bot message shown after the first `shown_before` (the welcome, not part of the
    conversation) has the `lang` the server stored for it; the page shows the last one's
    language. Returns that language."""
    sent = bot_languages_stored(servers, driver)
    wait_for(driver, lambda d: len(message_languages(d)) - shown_before == len(sent))
    assert message_languages(driver)[shown_before:] == sent
    assert_page_in(driver, sent[-1])
    return sent[-1]


def typed_message(driver: WebDriver, text: str):
    return next(m for m in driver.find_elements(By.CSS_SELECTOR, "#log .msg--user")
                if m.find_element(By.CLASS_NAME, "msg__text").get_attribute("textContent") == text)


# --- the chat page ------------------------------------------------------------------------
def test_a_whole_english_conversation_on_the_chat_page(browser, live_servers):
    english = speaks_english(live_servers)
    open_page(browser, live_servers, "chat")
    wait_for(browser, bot_texts)  # the welcome
    welcomed = len(bot_texts(browser))
    assert_page_in(browser, "nl")
    assert message_languages(browser) == ["nl"] * welcomed

    switch_to(browser, "en")
    before = len(bot_texts(browser))
    ask(browser, "what is crebo 25894?")
    wait_for_answers(browser, before, 2)  # the answer and the feedback question
    language = assert_messages_carry_what_the_bot_sent(live_servers, browser, welcomed)
    answer = bot_texts(browser)[before]
    assert "Medewerker productietechniek (crebo 25894)" in answer
    if english:
        assert language == "en" and set(message_languages(browser)[welcomed:]) == {"en"}
        assert "Source: " in answer and "Bron: " not in answer
    # The visitor's messages: the switch in its own language; the question in its answer's.
    assert typed_message(browser, "English").get_attribute("lang") == "en"
    assert typed_message(browser, "what is crebo 25894?").get_attribute("lang") == language
    # ... read out after "You: " (English) or "Jij: " (Dutch), as the page's texts have it.
    speaker = typed_message(browser, "what is crebo 25894?").find_element(By.CLASS_NAME, "msg__speaker")
    assert speaker.get_attribute("textContent") == page_texts()[language]["you"]
    # The switch went to the server as the payload, exactly.
    users = [text for who, text, _ in stored(live_servers, f"web:{session_of(browser)}") if who == "user"]
    assert users == [SWITCH % "en", "what is crebo 25894?"]
    browser.save_screenshot(str(REPORTS / "webchat-english.png"))

    # A reload keeps the conversation, and its language.
    shown = message_languages(browser, "#log .msg")
    browser.refresh()
    wait_for(browser, lambda d: len(message_languages(d, "#log .msg")) == len(shown))
    assert message_languages(browser, "#log .msg") == shown
    assert_page_in(browser, language)


def test_the_switch_both_ways_and_a_new_conversation_keeps_the_language(browser, live_servers):
    english = speaks_english(live_servers)
    open_page(browser, live_servers, "chat")
    wait_for(browser, bot_texts)
    welcomed = len(bot_texts(browser))
    switch_to(browser, "en")
    after_en = assert_messages_carry_what_the_bot_sent(live_servers, browser, welcomed)
    assert after_en == ("en" if english else "nl")
    switch_to(browser, "nl")
    assert assert_messages_carry_what_the_bot_sent(live_servers, browser, welcomed) == "nl"
    assert "Bron: " in ask(browser, "Wat is crebo 25894?")
    assert message_languages(browser)[-1] == "nl"
    assert_page_in(browser, "nl")

    if not english:
        return  # what follows needs the bot's English
    switch_to(browser, "en")
    assert_page_in(browser, "en")
    # "New conversation": a new session, still in English, with the English welcome ...
    session = session_of(browser)
    browser.find_element(By.ID, "restart").click()
    wait_for(browser, lambda d: session_of(d) != session and bot_texts(d))
    assert_page_in(browser, "en")
    assert set(message_languages(browser)) == {"en"}  # the welcome, asked in English
    # ... and the new conversation answers in English also a message that says nothing about
    # its language (the page switched it, quietly, before the first message).
    before = len(bot_texts(browser))
    answer = ask(browser, "25894")
    wait_for_answers(browser, before)
    assert "crebo 25894" in answer and message_languages(browser)[before] == "en"
    users = [text for who, text, _ in stored(live_servers, f"web:{session_of(browser)}") if who == "user"]
    assert users == [SWITCH % "en", "25894"]
    # The quiet switch's answer was stored, not shown: the visitor sees the welcome, then the answer.
    switched = [text for who, text, _ in stored(live_servers, f"web:{session_of(browser)}") if who == "bot"][0]
    assert switched not in bot_texts(browser) and len(bot_texts(browser)) == before + 2
    assert_page_in(browser, "en")


def test_a_page_opened_in_english_is_english_before_anything_is_sent(browser, live_servers):
    english = speaks_english(live_servers)
    open_page(browser, live_servers, "chat?lang=en")
    wait_for(browser, bot_texts)
    assert_page_in(browser, "en")
    # The welcome says its own language: English once the model has it, else Dutch on an English page.
    assert message_languages(browser) == ["en" if english else "nl"] * len(bot_texts(browser))


# --- the kiosk ------------------------------------------------------------------------------
def assert_switch_is_a_kiosk_target(driver: WebDriver, when: str) -> None:
    for language in ("nl", "en"):
        button = switch_button(driver, language)
        assert button.is_displayed(), f"the {language} switch is hidden {when}"
        assert button.size["height"] >= MIN_TOUCH_PX and button.size["width"] >= MIN_TOUCH_PX, \
            f"the {language} switch is {button.size} {when}"
        assert_whole_on_screen(driver, f".lang-switch button[data-language='{language}']", when)


def kiosk_titles(driver: WebDriver, group: str) -> List[str]:
    return [b.text for b in driver.find_elements(By.CSS_SELECTOR, f"#{group} button")]


def test_a_whole_english_conversation_on_the_kiosk(browser, live_servers):
    english = speaks_english(live_servers)
    config = kiosk_config()
    with viewport(browser, 1280, 800):
        open_page(browser, live_servers, "kiosk")
        wait_for(browser, lambda d: kiosk_titles(d, "topics"))
        assert_page_in(browser, "nl")
        assert_switch_is_a_kiosk_target(browser, "on the start screen")
        assert kiosk_titles(browser, "topics") == [b["title"] for b in config["topics"]["nl"]]

        # EN on the start screen: the start screen stays, in English.
        switch_button(browser, "en").click()
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg--bot"))
        wait_for(browser, lambda d: d.find_element(By.ID, "log").get_attribute("aria-busy") is None)
        assert browser.find_element(By.ID, "start").is_displayed()
        language = assert_messages_carry_what_the_bot_sent(live_servers, browser, 0)
        assert language == ("en" if english else "nl")
        assert kiosk_titles(browser, "topics") == [b["title"] for b in config["topics"][language]]
        assert kiosk_titles(browser, "popular") == [b["title"] for b in config["popular"][language]]
        browser.save_screenshot(str(REPORTS / "kiosk-english-start.png"))

        # A popular question, then a typed one.
        before = len(bot_texts(browser))
        browser.find_elements(By.CSS_SELECTOR, "#popular button")[0].click()
        wait_for_answers(browser, before, 2)
        assert not browser.find_element(By.ID, "start").is_displayed()  # the answer takes the screen
        assert_switch_is_a_kiosk_target(browser, "after an answer")
        before = len(bot_texts(browser))
        assert "crebo 25894" in ask(browser, "what is crebo 25894?")
        wait_for_answers(browser, before, 2)
        language = assert_messages_carry_what_the_bot_sent(live_servers, browser, 0)
        browser.save_screenshot(str(REPORTS / "kiosk-english-answer.png"))
        if english:  # a popular question's button (faq:…) says nothing about the language: still English
            assert language == "en" and set(message_languages(browser)) == {"en"}, \
                f"an English conversation got Dutch answers: {stored(live_servers, f'web:{session_of(browser)}')}"

        # And back to Dutch, from the conversation.
        switch_to(browser, "nl")
        assert assert_messages_carry_what_the_bot_sent(live_servers, browser, 0) == "nl"
        browser.find_element(By.ID, "show-topics").click()
        assert kiosk_titles(browser, "topics") == [b["title"] for b in config["topics"]["nl"]]


def test_an_idle_kiosk_starts_afresh_in_dutch(browser, live_servers):
    open_page(browser, live_servers, "kiosk?idle=4")
    wait_for(browser, lambda d: kiosk_titles(d, "topics"))
    session = session_of(browser)
    switch_button(browser, "en").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#log .msg--bot"))
    # Nobody touches the screen: the next visitor gets a new conversation, in Dutch.
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#log li"), seconds=20)
    wait_for(browser, lambda d: session_of(d) != session)
    assert_page_in(browser, "nl")
    assert browser.find_element(By.ID, "start").is_displayed()
    assert kiosk_titles(browser, "topics") == [b["title"] for b in kiosk_config()["topics"]["nl"]]
    assert "open dag" in browser.title


# --- axe-core in both languages --------------------------------------------------------------
@pytest.mark.parametrize("page", ["chat", "kiosk"])
def test_axe_finds_nothing_serious_in_either_language(browser, live_servers, page):
    open_page(browser, live_servers, page)
    wait_for(browser, lambda d: kiosk_titles(d, "topics") if page == "kiosk" else bot_texts(d))
    assert_accessible(browser, f"the {page} page in Dutch")
    before = len(bot_texts(browser))
    ask(browser, "Wat is crebo 25894?")
    wait_for_answers(browser, before, 2)
    assert_accessible(browser, f"the {page} page after a Dutch answer")

    switch_to(browser, "en")
    before = len(bot_texts(browser))
    ask(browser, "which qualifications are there at level 2?")
    wait_for_answers(browser, before)
    language = assert_messages_carry_what_the_bot_sent(live_servers, browser, 1 if page == "chat" else 0)
    assert page_language(browser) == language
    assert_accessible(browser, f"the {page} page after the switch and an answer in {language}")
    if page == "kiosk":
        browser.find_element(By.ID, "show-topics").click()
        assert_accessible(browser, f"the kiosk's topics in {language}")


@pytest.mark.parametrize("page", ["chat", "kiosk"])
def test_axe_finds_nothing_serious_on_a_page_opened_in_english(browser, live_servers, page):
    open_page(browser, live_servers, f"{page}?lang=en")
    wait_for(browser, lambda d: kiosk_titles(d, "topics") if page == "kiosk" else bot_texts(d))
    assert_page_in(browser, "en")
    assert_accessible(browser, f"the {page} page opened in English")


# --- a school page in English ----------------------------------------------------------------
def test_on_an_english_school_page_the_chat_opens_in_english(browser, live_servers):
    open_page(browser, live_servers, "example")
    # The same page, as if written in English: embed.js runs again after <html lang="en">.
    browser.execute_script("""
        document.getElementById('vragenbot-launcher').remove();
        document.getElementById('vragenbot-panel').remove();
        document.documentElement.lang = 'en';
        var script = document.createElement('script');
        script.src = 'static/embed.js';
        document.body.appendChild(script);
    """)
    launcher = wait_for(browser, lambda d: d.find_elements(By.ID, "vragenbot-launcher"))[0]
    assert launcher.text == "Questions about metal programmes? Chat with us"
    launcher.click()
    assert launcher.text == "Close chat"
    browser.switch_to.frame(browser.find_element(By.ID, "vragenbot-panel"))
    try:
        wait_for(browser, bot_texts)
        assert_page_in(browser, "en")
    finally:
        browser.switch_to.default_content()
