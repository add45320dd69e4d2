"""Accessibility of the chat page, the school page with the chat and the open-day kiosk.

axe-core checks the WCAG 2.1 A and AA rules in Chromium, before and after a conversation
with buttons. It is an npm devDependency in bot/web/package.json (`make install` puts it
in bot/web/node_modules): the tests inject it with `execute_script`; visitors never get it.
On the school page the chat is an iframe. axe only looks inside a frame it has been
injected into, so it runs twice there: on the host page (iframes off) and, after
`switch_to.frame`, on the chat in the panel.

Besides axe: a whole conversation by keyboard alone, with a visible focus ring at every
stop; the conversation a `log` live region whose messages are read as their own text (no
aria-label); the kiosk's question box whole on its screen (1280×800, 1920×1080); the chat
page's title and subtitle not hidden under its restart button.
"""
from __future__ import annotations

import json
from typing import Callable, Dict, List

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from bot.knowledge import load_catalogue
from tests.bot.web.browsing import REPORTS, ask, assert_whole_on_screen, bot_texts, open_page, viewport, wait_for
from bot import PROJECT_DIR

pytestmark = pytest.mark.slow

AXE_JS = PROJECT_DIR / "bot" / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
MAX_TABS = 30  # more Tab presses to reach something is itself a failure
KIOSK_SCREENS = [(1280, 800), (1920, 1080)]


# --- axe ------------------------------------------------------------------------------
def axe_violations(driver: WebDriver) -> List[Dict]:
    """axe-core's WCAG 2.1 A/AA violations in the document (frame) the driver is in."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run make install (npm ci --prefix bot/web)")
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    outcome = driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"], iframes: false})
           .then(function (results) { done(results.violations); }, function (error) { done({error: String(error)}); });
    """, WCAG_21_A_AA)
    if isinstance(outcome, dict):
        pytest.fail(f"axe-core could not run: {outcome['error']}")
    return outcome


def describe(violations: List[Dict]) -> str:
    return "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n" +
                     "".join(f"    {json.dumps(node['target'])}\n" for node in v["nodes"]) for v in violations)


def assert_accessible(driver: WebDriver, where: str) -> None:
    violations = axe_violations(driver)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if violations:
        print(f"axe on {where}:\n{describe(violations)}")
    assert not blocking, f"serious or critical WCAG 2.1 A/AA violations on {where}:\n{describe(blocking)}"


# --- pages and conversations -----------------------------------------------------------
def button_groups(driver: WebDriver) -> List[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, "#log .buttons")


def wait_for_new_buttons(driver: WebDriver, groups_before: int) -> List[str]:
    """The titles of the newest group of buttons, once there are more groups than before."""
    wait_for(driver, lambda d: len(button_groups(d)) > groups_before)
    return [b.text for b in button_groups(driver)[-1].find_elements(By.TAG_NAME, "button")]


def converse_with_buttons(driver: WebDriver) -> None:
    assert "crebo 25894" in ask(driver, "Wat is crebo 25894?")
    groups = len(button_groups(driver))
    ask(driver, "hallo")
    assert wait_for_new_buttons(driver, groups)


def open_chat_panel(driver: WebDriver) -> None:
    driver.find_element(By.ID, "vragenbot-launcher").click()
    driver.switch_to.frame(driver.find_element(By.ID, "vragenbot-panel"))


# --- keyboard ---------------------------------------------------------------------------
def press(driver: WebDriver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def assert_focus_visible(driver: WebDriver, element: WebElement) -> None:
    # Our ring is a 3px outline; "auto" is the browser's own ring (the launcher on a school page).
    style, width = driver.execute_script(
        "var s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)];", element)
    assert style == "auto" or (style != "none" and width >= 2), \
        f"no visible focus on <{element.tag_name}> {element.text!r}: outline {style} {width}px"


def tab_to(driver: WebDriver, wanted: Callable[[WebElement], bool], what: str, backwards: bool = False) -> WebElement:
    """Press Tab (or Shift+Tab) until the focused element is `wanted`; it shows its focus."""
    for _ in range(MAX_TABS):
        if backwards:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            press(driver, Keys.TAB)
        focused = driver.switch_to.active_element
        if wanted(focused):
            assert_focus_visible(driver, focused)
            return focused
    pytest.fail(f"{what} does not get the focus within {MAX_TABS} presses of {'Shift+' if backwards else ''}Tab")


def has_id(element_id: str) -> Callable[[WebElement], bool]:
    return lambda element: element.get_attribute("id") == element_id


def is_button(title: str) -> Callable[[WebElement], bool]:
    return lambda element: element.tag_name == "button" and element.text == title


# --- tests ------------------------------------------------------------------------------
def test_chat_page_passes_axe_before_and_after_a_conversation_with_buttons(browser, live_servers):
    open_page(browser, live_servers, "chat")
    wait_for(browser, button_groups)  # the greeting, with its buttons
    assert_accessible(browser, "the chat page as it opens")
    converse_with_buttons(browser)
    assert_accessible(browser, "the chat page after a conversation with buttons")
    browser.save_screenshot(str(REPORTS / "chat-buttons.png"))


def test_school_page_and_its_chat_panel_pass_axe_before_and_after_a_conversation(browser, live_servers):
    open_page(browser, live_servers, "example")
    assert_accessible(browser, "the school page, chat closed")
    open_chat_panel(browser)
    try:
        wait_for(browser, button_groups)  # the greeting, with its buttons
        assert_accessible(browser, "the chat in the school page's panel as it opens")
        converse_with_buttons(browser)
        assert_accessible(browser, "the chat in the school page's panel after a conversation with buttons")
    finally:
        browser.switch_to.default_content()
    assert_accessible(browser, "the school page, chat open after a conversation")


def test_kiosk_passes_axe_before_and_after_a_conversation_with_buttons(browser, live_servers):
    open_page(browser, live_servers, "kiosk")
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#topics button"))
    assert_accessible(browser, "the kiosk's start screen")
    converse_with_buttons(browser)
    assert_accessible(browser, "the kiosk after a conversation with buttons")
    browser.find_element(By.ID, "show-topics").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "start").is_displayed())
    assert_accessible(browser, "the kiosk with its topics brought back over a conversation")


@pytest.mark.parametrize("page", ["chat", "kiosk"])
def test_screen_readers_hear_each_message_itself_in_a_log(browser, live_servers, page):
    """The conversation is a `log` live region (new messages are read out as they come), and a
    message is read as its own text after a hidden "Vragenbot:" or "Jij:": no aria-label on a
    message, which some screen readers read instead of the text ("Vragenbot zegt")."""
    open_page(browser, live_servers, page)
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#topics button") if page == "kiosk"
             else button_groups(d))
    ask(browser, "Wat is crebo 25894?")
    log = browser.find_element(By.ID, "log")
    assert (log.aria_role, log.get_attribute("aria-live"), log.accessible_name) == ("log", "polite", "Gesprek")
    labelled = browser.execute_script("""
        return Array.prototype.filter.call(document.querySelectorAll('#log *'), function (element) {
          return (element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby'))
                 && element.getAttribute('role') !== 'group';
        }).map(function (element) { return element.outerHTML.slice(0, 120); });
    """)
    assert not labelled, f"messages with a label that screen readers may read instead of their text: {labelled}"
    messages = browser.find_elements(By.CSS_SELECTOR, "#log .msg")
    spoken = [m.get_attribute("textContent") for m in messages]
    assert "Jij: Wat is crebo 25894?" in spoken
    assert any(t.startswith("Vragenbot: ") and "crebo 25894" in t for t in spoken), spoken
    assert all(m.accessible_name in ("", m.get_attribute("textContent")) for m in messages)
    # The speaker is read, not shown.
    speaker = browser.find_element(By.CSS_SELECTOR, "#log .msg--bot .visually-hidden")
    assert speaker.size["width"] <= 1 and speaker.size["height"] <= 1
    assert_accessible(browser, f"the {page} page after a question")


@pytest.mark.parametrize("page", ["chat", "example", "kiosk"])
def test_a_whole_conversation_by_keyboard_alone(browser, live_servers, page):
    open_page(browser, live_servers, page)
    if page == "example":
        tab_to(browser, has_id("vragenbot-launcher"), "the chat launcher")
        press(browser, Keys.ENTER)
        browser.switch_to.frame(browser.find_element(By.ID, "vragenbot-panel"))
    try:
        if page == "kiosk":
            wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#topics button"))
        else:
            wait_for(browser, button_groups)  # the greeting, with its buttons
        tab_to(browser, has_id("message"), "the question box")
        groups = len(button_groups(browser))
        press(browser, "Welke onderwerpen ken je?", Keys.ENTER)
        assert "Keuzedelen" in wait_for_new_buttons(browser, groups)

        # The answer's buttons are just above the question box: back to one, Enter asks it.
        tab_to(browser, is_button("Keuzedelen"), "the answer's button Keuzedelen", backwards=True)
        groups = len(button_groups(browser))
        press(browser, Keys.ENTER)
        questions = {e.title: e for e in load_catalogue().in_theme("keuzedelen")}
        assert set(wait_for_new_buttons(browser, groups)) == set(questions)

        # On to a question about keuzedelen, and Space asks that one.
        question = tab_to(browser, lambda e: e.tag_name == "button" and e.text in questions, "a question button")
        title, answers = question.text, len(bot_texts(browser))
        press(browser, Keys.SPACE)
        wait_for(browser, lambda d: len(bot_texts(d)) > answers)
        assert bot_texts(browser)[answers].strip() == questions[title].answer_with_source
    finally:
        browser.switch_to.default_content()


@pytest.mark.parametrize("width, height", KIOSK_SCREENS)
def test_kiosk_question_box_is_whole_on_the_screen(browser, live_servers, width, height):
    with viewport(browser, width, height):
        open_page(browser, live_servers, "kiosk")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#topics button"))
        for selector in ("#message", "#composer button[type=submit]"):
            assert_whole_on_screen(browser, selector, "on the start screen")
        browser.save_screenshot(str(REPORTS / f"kiosk-{width}x{height}.png"))
        converse_with_buttons(browser)
        for selector in ("#message", "#composer button[type=submit]"):
            assert_whole_on_screen(browser, selector, "after a conversation")
        browser.save_screenshot(str(REPORTS / f"kiosk-{width}x{height}-conversation.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_chat_header_text_is_not_hidden_under_the_restart_button(browser, live_servers, width):
    with viewport(browser, width, 800):
        open_page(browser, live_servers, "chat")
        overlapping = browser.execute_script("""
            var button = document.getElementById("restart").getBoundingClientRect();
            return Array.prototype.filter.call(document.querySelectorAll(".chat__header h1, .chat__header p"), function (text) {
              var r = text.getBoundingClientRect();
              return r.left < button.right && button.left < r.right && r.top < button.bottom && button.top < r.bottom;
            }).map(function (text) { return text.textContent; });
        """)
    assert not overlapping, f"the restart button lies over {overlapping} at {width} px wide"
