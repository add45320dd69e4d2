"""A person in two real browsers (Debian's headless Chromium): a student on the web chat, and on the
open-day kiosk, asks for a person within the school's hours; a staff member signs in to the console
(/webhooks/staff/), takes the conversation, both write three messages each way, the staff member
hands it back, and the bot answers the next question. On the chat page a reload in the middle keeps
the handed-over conversation, and a staff message sent while the page reloads arrives once.

The assistant runs with a school.yml in this module's directory whose hours are open for the whole
test (tests/conversations/handover.py), never depending on the clock. Screenshots go to reports/
(handover-chat-student.png, handover-chat-console.png, handover-kiosk-student.png).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.bot.web.browsing import REPORTS, ask, bot_texts, open_page, start_chromium, wait_for
from tests.bot.web.test_accessibility import assert_accessible
from tests.conversations.handover import PASSWORD, new_staff_account, school_settings
from tests.servers import start_both
from tools.launcher import Assistant

pytestmark = pytest.mark.slow

TAKEN = "Een medewerker van de school heeft je gesprek overgenomen."
HANDED_BACK = "De medewerker heeft het gesprek teruggegeven aan de Vragenbot."
STUDENT = ["Hallo, ik zit in niveau 3 en wil misschien overstappen.", "Kan dat ook halverwege het jaar?",
           "Top, dank u wel!"]
STAFF = ["Hoi! Ik ben Anne van het studentenloket. Waarmee kan ik je helpen?",
         "Dat kan, als je mentor akkoord is. Ik stuur je de voorwaarden.", "Graag gedaan, succes!"]


@pytest.fixture(scope="module")
def servers(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    directory = tmp_path_factory.mktemp("handover-browser")
    assistant = Assistant(directory, model_path, env={"SCHOOL_SETTINGS": str(school_settings(directory))})
    try:
        yield start_both(assistant).urls
    finally:
        assistant.stop()


@pytest.fixture(scope="module")
def staff_browser(tmp_path_factory) -> Iterator[WebDriver]:
    """The staff member's own browser (the `browser` fixture is the student's)."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-staff"))
    yield driver
    driver.quit()


# --- the student's side -------------------------------------------------------------------------
def staff_texts(driver: WebDriver) -> List[str]:
    return [m.get_attribute("textContent") for m in driver.find_elements(By.CSS_SELECTOR, "#log .msg--staff .msg__text")]


def type_message(driver: WebDriver, text: str) -> None:
    """Type and send, expecting no answer from the bot (a person answers when they can)."""
    driver.find_element(By.ID, "message").send_keys(text, Keys.ENTER)


def click(driver: WebDriver, title: str) -> None:
    """Click the latest button `title` once it is there; when it never comes, the failure says what
    the bot said. (`ask` returns at the first new bot text: on a page just opened that can be the
    welcome, before the answer and its buttons; a slow fresh-clone CI run once looked in between.)"""
    def buttons(d: WebDriver) -> list:
        return [b for b in d.find_elements(By.CSS_SELECTOR, "#log .buttons button") if b.text == title]

    try:
        wait_for(driver, buttons)
    except TimeoutException:
        raise AssertionError(f"no button {title!r}; the bot said: {bot_texts(driver)[-3:]}") from None
    buttons(driver)[-1].click()


def panel_text(driver: WebDriver) -> str:
    panel = driver.find_element(By.ID, "handover")
    return "" if panel.get_attribute("hidden") is not None else driver.find_element(By.ID, "handover-text").text


def wait_for_bot_text(driver: WebDriver, part: str) -> None:
    wait_for(driver, lambda d: any(part in t for t in bot_texts(d)))


# --- the staff member's side (the console, bot/handover/console.py) ---------------------------------
def sign_in(driver: WebDriver, servers: Dict[str, str], username: str) -> None:
    driver.get(f"{servers['rasa_url']}/webhooks/staff/signin")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.ID, "waiting"))


def transcript(driver: WebDriver) -> List[str]:
    """The student's messages as the console shows them (each after a "Student · 10:02" line)."""
    return [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#transcript .msg--user")]


def take_the_waiting_conversation(driver: WebDriver, written: str) -> None:
    """Open the waiting conversation (the only one in this test's server), check it is the
    student's, and take it."""
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#waiting button"))
    driver.find_elements(By.CSS_SELECTOR, "#waiting button")[0].click()
    wait_for(driver, lambda d: any(written in t for t in transcript(d)))
    driver.find_element(By.ID, "take").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "reply-form").is_displayed())


def reply(driver: WebDriver, text: str) -> None:
    field = driver.find_element(By.ID, "reply")
    field.send_keys(text, Keys.ENTER)
    wait_for(driver, lambda d: any(text in m.text for m in d.find_elements(By.CSS_SELECTOR, "#transcript .msg--staff")))


# --- the conversation, on either page ------------------------------------------------------------
def a_person_takes_over_and_hands_back(student: WebDriver, staff: WebDriver, servers: Dict[str, str], page: str,
                                       midway: Callable[[], None] = lambda: None) -> None:
    offer = ask(student, "ik wil een medewerker spreken")
    assert "medewerkers van school bereikbaar" in offer
    click(student, "Ja, zet me in de wachtrij")
    wait_for(student, lambda d: "wachtrij" in panel_text(d))
    assert any(t.startswith("Je bent nummer") for t in bot_texts(student))
    question = f"Mijn vraag over overstappen ({page})"
    type_message(student, question)

    take_the_waiting_conversation(staff, question)
    wait_for_bot_text(student, TAKEN)
    wait_for(student, lambda d: "Je chat nu met een medewerker" in panel_text(d))

    for number, (theirs, mine) in enumerate(zip(STAFF, STUDENT)):
        reply(staff, theirs)
        wait_for(student, lambda d: staff_texts(d)[-1:] == [theirs])
        type_message(student, mine)
        wait_for(staff, lambda d: any(t.endswith(mine) for t in transcript(d)), 15)
        if number == 0:
            midway()
    # Who writes is shown: staff messages say "Medewerker", the bot's since the request "Vragenbot".
    speakers = [s.text.strip() for s in student.find_elements(By.CSS_SELECTOR, "#log .msg--staff .msg__speaker--shown")]
    assert speakers == ["Medewerker:"] * len(staff_texts(student))
    bot_speakers = student.find_elements(By.CSS_SELECTOR, "#log .msg--bot .msg__speaker--shown")
    assert bot_speakers and {s.text.strip() for s in bot_speakers} == {"Vragenbot:"}
    shown = staff_texts(student)
    assert [t for t in shown if t in STAFF] == STAFF and len(shown) == len(set(shown))  # each once, in order
    assert [t for t in transcript(staff) if t.endswith(tuple(STUDENT))] == [
        t for mine in STUDENT for t in transcript(staff) if t.endswith(mine)]
    assert len([t for t in transcript(staff) if t.endswith(tuple(STUDENT))]) == 3
    student.save_screenshot(str(REPORTS / f"handover-{page}-student.png"))
    if page == "chat":
        staff.save_screenshot(str(REPORTS / "handover-chat-console.png"))
        assert_accessible(student, "the chat page with a staff member")

    staff.find_element(By.ID, "hand-back").click()
    wait_for_bot_text(student, HANDED_BACK)
    wait_for(student, lambda d: panel_text(d) == "")
    answer = ask(student, "Wat is crebo 25894?")
    assert "Medewerker productietechniek (crebo 25894)" in answer


def test_on_the_chat_page_a_person_takes_over_and_hands_back_and_a_reload_keeps_it(browser, staff_browser, servers):
    sign_in(staff_browser, servers, new_staff_account(f"sqlite:///{servers['db_path']}"))
    open_page(browser, servers, "chat")
    wait_for(browser, lambda d: bot_texts(d))  # the welcome: a chatbot, and how to reach a person
    assert "een chatbot: een computerprogramma, geen mens" in bot_texts(browser)[0]
    assert "computerprogramma" in browser.find_element(By.CSS_SELECTOR, ".chat__notice").text

    def reload_while_a_staff_message_is_on_its_way() -> None:
        staff_browser.find_element(By.ID, "reply").send_keys("Ben je er nog?", Keys.ENTER)
        browser.refresh()
        wait_for(browser, lambda d: "Je chat nu met een medewerker" in panel_text(d))
        wait_for(browser, lambda d: "Ben je er nog?" in staff_texts(d))
        assert staff_texts(browser).count("Ben je er nog?") == 1 and STAFF[0] in staff_texts(browser)

    a_person_takes_over_and_hands_back(browser, staff_browser, servers, "chat", reload_while_a_staff_message_is_on_its_way)
    # The page the student was on went to staff with the request (scheme, host and path only).
    with sqlite3.connect(servers["db_path"]) as db:
        [(page,)] = db.execute("SELECT page FROM handovers WHERE channel = 'web' ORDER BY id DESC LIMIT 1").fetchall()
    assert page == f"{servers['rasa_url']}/webhooks/webchat/chat"


def test_on_the_kiosk_a_person_takes_over_and_hands_back(browser, staff_browser, servers):
    open_page(browser, servers, "kiosk")
    assert "computerprogramma" in browser.find_element(By.CSS_SELECTOR, ".chat__notice").text
    browser.find_element(By.ID, "message").click()  # the kiosk opens on its menu
    a_person_takes_over_and_hands_back(browser, staff_browser, servers, "kiosk")


def test_leaving_the_queue_from_the_panel(browser, servers):
    open_page(browser, servers, "chat")
    ask(browser, "mens")
    click(browser, "Ja, zet me in de wachtrij")
    wait_for(browser, lambda d: "wachtrij" in panel_text(d))
    browser.find_element(By.ID, "handover-cancel").click()
    wait_for_bot_text(browser, "Je hebt de wachtrij verlaten.")
    wait_for(browser, lambda d: panel_text(d) == "")
    assert "Medewerker productietechniek" in ask(browser, "Wat is crebo 25894?")
