"""A real browser (Debian's headless Chromium) on the example school page and the kiosk.

Screenshots are saved under reports/ for people to look at.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.knowledge import load_catalogue
from tests.bot.web.browsing import REPORTS, WINDOW, ask, bot_texts, wait_for
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
