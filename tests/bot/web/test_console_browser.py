"""The staff console in a real browser (Debian's headless Chromium): the sign-in page and the
console pass axe-core (WCAG 2.1 A and AA) with no serious or critical violation, both work by
keyboard, and a new waiting conversation is announced in the page's live region.

A staff account, a waiting conversation and a left message are written into the live server's
database directly, as `make staff-account`, a student's request and the message box would.
Screenshots go to reports/ (console-signin.png, console.png).
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from bot.handover.accounts import StaffAccounts
from bot.handover.store import USER, HandoverStore
from tests.bot.web.browsing import REPORTS, wait_for
from tests.bot.web.test_accessibility import assert_accessible, has_id, press, tab_to

pytestmark = pytest.mark.slow

PASSWORD = "een-lang-wachtwoord-voor-de-browser"
PAGE = "https://www.rocvoorbeeldstad.nl/opleidingen/metaal"


def store_of(servers) -> HandoverStore:
    return HandoverStore(sa.create_engine(f"sqlite:///{servers['db_path']}"))


def new_account(servers) -> str:
    username = f"browser{uuid.uuid4().hex[:8]}"
    StaffAccounts(store_of(servers)).add(username, "Mw. Jansen (studentenloket)", PASSWORD)
    return username


def sign_in(driver: WebDriver, servers, username: str) -> None:
    driver.get(f"{servers['rasa_url']}/webhooks/staff/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.ID, "waiting"))


def announcement(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "announcements").get_attribute("textContent")


def test_the_sign_in_page_passes_axe_and_works_by_keyboard(browser, live_servers):
    username = new_account(live_servers)
    browser.get(f"{live_servers['rasa_url']}/webhooks/staff/signin")
    assert_accessible(browser, "the console's sign-in page")
    browser.save_screenshot(str(REPORTS / "console-signin.png"))
    # A wrong password: the page says so (role="alert"), and is still accessible.
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys("verkeerd-wachtwoord", Keys.ENTER)
    alert = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))[0]
    assert "klopt niet" in alert.text
    assert_accessible(browser, "the sign-in page after a wrong password")
    # By keyboard: the name field has the focus; Tab to the password, Enter signs in.
    assert browser.switch_to.active_element.get_attribute("id") == "username"
    press(browser, username)
    tab_to(browser, has_id("password"), "the password field")
    press(browser, PASSWORD, Keys.ENTER)
    wait_for(browser, lambda d: d.find_elements(By.ID, "waiting"))
    browser.find_element(By.ID, "sign-out").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "username"))
    assert "uitgelogd" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text


def test_the_console_passes_axe_announces_a_new_conversation_and_works_by_keyboard(browser, live_servers):
    store = store_of(live_servers)
    username = new_account(live_servers)
    store.leave_message("Kan ik in februari instromen bij Metaal niveau 3?", "06 12345678", True, "nl")
    sign_in(browser, live_servers, username)
    wait_for(browser, lambda d: "06 12345678" in d.find_element(By.ID, "left").text)  # the first poll is done
    assert_accessible(browser, "the console before the new conversation")

    # A student asks for a person: the page announces it (polite live region) within a poll or two.
    conversation = f"web:{uuid.uuid4().hex}"
    handover = store.request(conversation, "web", "nl", page=PAGE)
    store.add_message(handover.id, USER, "Ik wil graag iemand spreken over mijn inschrijving, mail jan@example.nl")
    wait_for(browser, lambda d: "Nieuw: er wacht iemand in de chat" in announcement(d), seconds=10)
    region = browser.find_element(By.ID, "announcements")
    assert (region.get_attribute("role"), region.get_attribute("aria-live")) == ("status", "polite")
    assert browser.title.startswith("(")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f'#waiting button[data-id="{handover.id}"]'))

    # By keyboard: Tab to the conversation in the queue, Enter opens it; Tab to "Overnemen", Enter.
    item = tab_to(browser, lambda e: e.get_attribute("data-id") == str(handover.id), "the waiting conversation")
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: PAGE in d.find_element(By.ID, "conversation-facts").text)
    transcript = browser.find_element(By.ID, "transcript").text
    assert "[e-mail]" in transcript and "jan@example.nl" not in transcript  # masked, as stored
    assert item.get_attribute("aria-current") == "true"
    assert_accessible(browser, "the console with a waiting conversation open")
    tab_to(browser, has_id("take"), "the take button")
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "reply")
    assert store.get(handover.id).taken_by == username

    # The reply: typed and sent with Enter; it shows in the transcript, and the user's channel has it.
    press(browser, "Goedemorgen, ik ben Mw. Jansen. Waarmee kan ik helpen?", Keys.ENTER)
    wait_for(browser, lambda d: "Waarmee kan ik helpen?" in d.find_element(By.ID, "transcript").text)
    assert [m.text for m in store.messages(handover.id) if m.staff_name] == [
        "Goedemorgen, ik ben Mw. Jansen. Waarmee kan ik helpen?"]
    assert_accessible(browser, "the console with a taken conversation and the reply box")
    left = browser.find_element(By.ID, "left")
    assert "06 12345678" in left.text and "februari" in left.text
    browser.save_screenshot(str(REPORTS / "console.png"))

    # Back to the bot; then the left message is handled.
    browser.find_element(By.ID, "hand-back").click()
    wait_for(browser, lambda d: "teruggegeven" in announcement(d))
    assert store.get(handover.id).state == "returned"
    wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, f'#taken button[data-id="{handover.id}"]'))
    browser.find_element(By.CSS_SELECTOR, "#left button").click()
    wait_for(browser, lambda d: "afgehandeld op" in d.find_element(By.ID, "left").text)
    assert_accessible(browser, "the console after handing back, a left message handled")
