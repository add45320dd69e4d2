"""A real browser (Debian's headless Chromium) on the chat page, the example school page and the kiosk.

Screenshots are saved under reports/ for people to look at.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from bot import PROJECT_DIR
from bot.knowledge import load_catalogue
from bot.report import build_report
from tests.bot.web.browsing import (REPORTS, WINDOW, ask, assert_whole_on_screen, bot_texts, open_page, viewport,
                                    wait_for)
from tests.conversations.test_faq_http import VAGUE_QUESTIONS

pytestmark = pytest.mark.slow


def click_button(driver: WebDriver, title: str) -> str:
    before = len(bot_texts(driver))
    button = next(b for b in driver.find_elements(By.CSS_SELECTOR, "#log .buttons button")[::-1] if b.text == title)
    button.click()
    wait_for(driver, lambda d: len(bot_texts(d)) > before)
    return bot_texts(driver)[before]


def test_school_page_chat_answers_a_crebo_question_and_a_suggestion_button(browser, live_servers):
    browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/example")
    browser.find_element(By.ID, "vragenbot-launcher").click()
    browser.switch_to.frame(browser.find_element(By.ID, "vragenbot-panel"))
    wait_for(browser, lambda d: bot_texts(d))  # the greeting
    assert "Medewerker productietechniek (crebo 25894)" in ask(browser, "Wat is crebo 25894?")

    for question in VAGUE_QUESTIONS:
        if "Bedoelde je" in ask(browser, question):
            break
    else:
        pytest.fail("no vague question led to 'Bedoelde je…?'")
    suggestion = browser.find_elements(By.CSS_SELECTOR, "#log .buttons")[-1].find_elements(By.TAG_NAME, "button")[0]
    entry = next(e for e in load_catalogue().entries if e.title == suggestion.text)
    assert click_button(browser, suggestion.text).strip() == entry.answer_with_source
    browser.switch_to.default_content()
    browser.save_screenshot(str(REPORTS / "webchat-example-page.png"))


def test_chat_page_keeps_the_conversation_across_a_reload_and_fits_a_phone(browser, live_servers):
    browser.set_window_size(390, 844)
    try:
        browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/chat")
        wait_for(browser, lambda d: bot_texts(d))
        assert "Productietechnicus (crebo 25896)" in ask(browser, "Wat is crebo 25896?")
        session = browser.find_element(By.TAG_NAME, "body").get_attribute("data-session")
        browser.refresh()
        wait_for(browser, lambda d: any("crebo 25896" in t for t in bot_texts(d)))
        assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-session") == session
        assert "niveau 4" in ask(browser, "en op welk niveau is die?")
        page_width = browser.execute_script("return document.documentElement.scrollWidth")
        assert page_width <= 390, "the chat scrolls sideways on a phone"
        browser.save_screenshot(str(REPORTS / "webchat-phone.png"))
    finally:
        browser.set_window_size(*WINDOW)


def test_on_a_phone_the_question_box_stays_in_view_as_the_conversation_grows(browser, live_servers):
    browser.set_window_size(390, 664)
    try:
        browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/chat")
        browser.find_element(By.ID, "restart").click()
        wait_for(browser, lambda d: bot_texts(d))
        for question in ("Welke opleidingen zijn er op niveau 4?", "Waarom is er een herziening?",
                         "Zijn keuzedelen verplicht?", "Welke opleidingen zijn er op niveau 3?"):
            ask(browser, question)
        box = browser.execute_script(
            "var r = document.getElementById('message').getBoundingClientRect();"
            "return {top: r.top, bottom: r.bottom, view: window.innerHeight,"
            " page: document.documentElement.scrollHeight, log: document.getElementById('log').scrollHeight,"
            " logView: document.getElementById('log').clientHeight};")
        assert box["log"] > box["logView"], "the conversation should be long enough to scroll"
        assert 0 <= box["top"] and box["bottom"] <= box["view"], f"the question box is out of view: {box}"
        assert box["page"] <= box["view"] + 1, "the page itself scrolls; only the conversation should"
        # A screen reader hears who speaks before each message (the speaker is visually hidden).
        spoken = browser.execute_script("return [...document.querySelectorAll('#log .msg')].map(m => m.textContent)")
        assert all(t.startswith(("Vragenbot: ", "Jij: ")) for t in spoken) and "Jij: Zijn keuzedelen verplicht?" in spoken
        browser.save_screenshot(str(REPORTS / "webchat-phone-long.png"))
    finally:
        browser.set_window_size(*WINDOW)


def test_with_a_phone_keyboard_open_an_answer_leaves_the_question_box_in_view_and_focused(browser, live_servers):
    # An open on-screen keyboard leaves a visible area smaller than the page, which the browser
    # pans to keep the focused question box in view (iOS Safari; Chrome on Android by default).
    # Headless Chromium has no keyboard: zooming in to 1.5 leaves such an area too.
    with viewport(browser, 375, 667, mobile=True):
        open_page(browser, live_servers, "chat")
        wait_for(browser, bot_texts)  # the welcome
        assert browser.execute_script("return [window.innerWidth, window.innerHeight]") == [375, 667]
        browser.execute_cdp_cmd("Emulation.setPageScaleFactor", {"pageScaleFactor": 1.5})
        try:
            field = browser.find_element(By.ID, "message")
            field.click()
            browser.execute_script("document.getElementById('message').scrollIntoView({block: 'end'})")
            before = len(bot_texts(browser))
            # A long answer: taller than the conversation's view. Enter, as the keyboard's Go key.
            field.send_keys("Waarom is er een herziening?", Keys.ENTER)
            wait_for(browser, lambda d: len(bot_texts(d)) > before + 1)  # the answer and "Had je hier iets aan?"
            seen = browser.execute_script("""
                var box = document.getElementById('message').getBoundingClientRect(), view = window.visualViewport;
                var log = document.getElementById('log').getBoundingClientRect();
                var answer = document.querySelectorAll('#log .msg--bot')[arguments[0]].getBoundingClientRect();
                return {top: box.top, bottom: box.bottom, visibleTop: view.offsetTop, visibleBottom: view.offsetTop + view.height,
                        pageScrolled: window.scrollY, focused: document.activeElement.id,
                        answerTop: answer.top, logTop: log.top, logBottom: log.bottom};
            """, before)
            browser.save_screenshot(str(REPORTS / "webchat-phone-keyboard.png"))
        finally:
            browser.execute_cdp_cmd("Emulation.setPageScaleFactor", {"pageScaleFactor": 1})
        assert seen["visibleTop"] <= seen["top"] and seen["bottom"] <= seen["visibleBottom"] + 1, \
            f"the answer pushed the question box out of the visible area: {seen}"
        assert seen["pageScrolled"] == 0, f"the page scrolled, not the conversation: {seen}"
        assert seen["focused"] == "message", f"the question box lost the focus: {seen}"
        # A long answer is shown from its start, in the conversation's own scrolling area.
        assert seen["logTop"] <= seen["answerTop"] < seen["logBottom"], f"the answer's start is not in view: {seen}"

        # A tap on "Verstuur" leaves the focus in the question box too, ready for the next question.
        before = len(bot_texts(browser))
        field.send_keys("Zijn keuzedelen verplicht?")
        browser.find_element(By.CSS_SELECTOR, "#composer button[type=submit]").click()
        wait_for(browser, lambda d: len(bot_texts(d)) > before)
        assert browser.switch_to.active_element == field, "after a tap on Verstuur the question box lost the focus"
        assert_whole_on_screen(browser, "#message", "after an answer")


def test_the_chat_fits_above_a_phone_keyboard_that_covers_the_page(browser, live_servers):
    # iOS Safari reports an open keyboard only through window.visualViewport (the page keeps its
    # height): the same report, made by hand, as headless Chromium has no keyboard.
    with viewport(browser, 375, 667, mobile=True):
        open_page(browser, live_servers, "chat")
        wait_for(browser, bot_texts)  # the welcome
        browser.execute_script("""
            Object.defineProperty(window.visualViewport, 'height', {configurable: true, get: function () { return 360; }});
            window.visualViewport.dispatchEvent(new Event('resize'));
        """)
        ask(browser, "Waarom is er een herziening?")
        box = browser.execute_script(
            "var r = document.getElementById('message').getBoundingClientRect();"
            "return {top: r.top, bottom: r.bottom, chat: document.querySelector('.chat').getBoundingClientRect().height};")
        assert box["chat"] == 360 and 0 <= box["top"] and box["bottom"] <= 360, \
            f"the question box is under the keyboard: {box}"
        browser.execute_script("delete window.visualViewport.height; window.visualViewport.dispatchEvent(new Event('resize'));")
        assert browser.execute_script("return document.querySelector('.chat').getBoundingClientRect().height") == 667


def stored_events(servers, conversation: str) -> list:
    with sqlite3.connect(servers["db_path"]) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchall():
            return []
        return db.execute("SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
                          "WHERE sender_id = ? ORDER BY id", (conversation,)).fetchall()


def test_chat_page_opens_with_the_bots_welcome_and_sends_nothing_until_asked(browser, live_servers, tmp_path: Path):
    greeting = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_greet"][0]
    open_page(browser, live_servers, "chat")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#log .buttons button"))
    session = wait_for(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-session"))
    # The bot speaks first, with its own greeting and buttons; the visitor has said nothing.
    assert bot_texts(browser) == [greeting["text"]]
    assert [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#log .buttons button")] == \
        [b["title"] for b in greeting["buttons"]]
    assert not browser.find_elements(By.CSS_SELECTOR, "#log .msg--user")
    # ...and the server has no conversation: nothing was sent (a greeting used to be, as "hallo").
    browser.refresh()  # a reload shows the same welcome, still without sending anything
    wait_for(browser, bot_texts)
    assert bot_texts(browser) == [greeting["text"]]
    conversation = f"web:{session}"
    assert stored_events(live_servers, conversation) == []

    # The first question is the conversation's first message, and `make report` counts only it.
    assert "Medewerker productietechniek (crebo 25894)" in ask(browser, "Wat is crebo 25894?")
    rows = stored_events(live_servers, conversation)
    assert len([row for row in rows if row[1] == "user"]) == 1, rows
    copy = tmp_path / "one-conversation.db"
    with sqlite3.connect(copy) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL, "
                   "intent_name TEXT, action_name TEXT, data TEXT)")
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)", rows)
    usage = build_report(sa.create_engine(f"sqlite:///{copy}"))
    assert (usage.conversations, usage.questions) == (1, 1)
    assert usage.outcomes == {"beantwoord": 1}  # no greeting counted ("gesprek")


def test_a_conversation_left_for_two_hours_is_not_shown_to_the_next_person(browser, live_servers):
    browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/chat")
    wait_for(browser, lambda d: bot_texts(d))
    assert "Productietechnicus (crebo 25896)" in ask(browser, "Wat is crebo 25896?")
    session = browser.find_element(By.TAG_NAME, "body").get_attribute("data-session")
    # As if the page was last used 2 hours and 1 minute ago on a shared school computer.
    browser.execute_script("localStorage.setItem('vragenbot-metaal-saved-at', String(Date.now() - 121 * 60 * 1000))")
    browser.refresh()
    wait_for(browser, lambda d: bot_texts(d))  # the greeting of a new conversation
    assert not any("crebo 25896" in t for t in bot_texts(browser))
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-session") != session


def test_kiosk_topics_are_one_tap_and_an_idle_kiosk_starts_afresh(browser, live_servers):
    browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/kiosk?idle=4")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#topics button"))
    first_session = browser.find_element(By.TAG_NAME, "body").get_attribute("data-session")
    # The QR code for visitors' phones is a real picture, not its alt text.
    wait_for(browser, lambda d: d.execute_script("return document.querySelector('.kiosk__qr img').naturalWidth") > 0)
    browser.find_element(By.XPATH, "//div[@id='topics']/button[.='Keuzedelen']").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#log .buttons button"))
    first_question = browser.find_elements(By.CSS_SELECTOR, "#log .buttons button")[0].text
    entry = next(e for e in load_catalogue().in_theme("keuzedelen") if e.title == first_question)
    assert click_button(browser, first_question).strip() == entry.answer_with_source
    browser.save_screenshot(str(REPORTS / "kiosk.png"))

    # Nobody touches the screen: the next visitor gets a clean start and a new conversation.
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#log li"), seconds=20)
    assert browser.find_element(By.ID, "start").is_displayed()
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-session") != first_session
    browser.save_screenshot(str(REPORTS / "kiosk-after-idle.png"))


def test_kiosk_keeps_nothing_for_the_next_visitor_after_a_reload(browser, live_servers):
    browser.get(f"{live_servers['rasa_url']}/webhooks/webchat/kiosk")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#popular button"))
    browser.find_elements(By.CSS_SELECTOR, "#popular button")[0].click()
    wait_for(browser, lambda d: bot_texts(d))
    browser.refresh()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#popular button"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#log li")


def test_kiosk_topics_stay_one_tap_away_after_answers(browser, live_servers):
    with viewport(browser, 1280, 800):
        open_page(browser, live_servers, "kiosk")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#popular button"))
        for number in range(2):  # two answers: a conversation longer than the screen
            answers = len(bot_texts(browser))
            browser.find_elements(By.CSS_SELECTOR, "#popular button")[number].click()
            wait_for(browser, lambda d: len(bot_texts(d)) > answers)
            assert not browser.find_element(By.ID, "start").is_displayed()  # the answer takes the screen
            menu = [b for b in browser.find_elements(By.TAG_NAME, "button")
                    if b.text == "Onderwerpen" and b.is_displayed()]
            assert menu, "after an answer no button brings the topics back"
            assert_whole_on_screen(browser, "#show-topics", "after an answer")
            assert menu[0].size["height"] >= 56, "the topics button is no kiosk-sized touch target"
            browser.save_screenshot(str(REPORTS / "kiosk-answer-with-topics-button.png"))
            menu[0].click()  # one tap: the menu is back, at its top
            topic = browser.find_element(By.CSS_SELECTOR, "#topics button")
            assert topic.is_displayed()
            assert_whole_on_screen(browser, "#topics button", "after a tap on Onderwerpen")
            assert browser.execute_script(
                "var r = arguments[0].getBoundingClientRect();"
                "return document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2) === arguments[0];",
                topic), "the first topic is covered"
        browser.save_screenshot(str(REPORTS / "kiosk-topics-again.png"))
        groups = len(browser.find_elements(By.CSS_SELECTOR, "#log .buttons"))
        browser.find_element(By.XPATH, "//div[@id='topics']/button[.='Keuzedelen']").click()
        wait_for(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#log .buttons")) > groups)
        titles = {b.text for b in browser.find_elements(By.CSS_SELECTOR, "#log .buttons")[-1]
                  .find_elements(By.TAG_NAME, "button")}
        assert titles == {e.title for e in load_catalogue().in_theme("keuzedelen")}
