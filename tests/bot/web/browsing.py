"""Driving Debian's headless Chromium through the web chat: helpers shared by the browser tests.

The `browser` fixture itself is in conftest.py. Screenshots go to reports/ for people to look at.
"""
from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

REPORTS = Path(__file__).resolve().parents[3] / "reports"
STATIC_DIR = Path(__file__).resolve().parents[3] / "bot" / "web" / "static"
WAIT_SECONDS = 30
WINDOW = (1280, 900)  # the window every test starts with (and is given back)


def start_chromium(profile: Path) -> WebDriver:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail("chromium and chromedriver are missing: run scripts/install-test-tools")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size={},{}".format(*WINDOW), f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def wait_for(driver: WebDriver, condition, seconds: float = WAIT_SECONDS):
    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)


def open_page(driver: WebDriver, servers: Dict[str, str], page: str) -> None:
    """A page of the web chat as a first-time visitor sees it: nothing stored by earlier tests."""
    base = f"{servers['rasa_url']}/webhooks/webchat"
    driver.get(f"{base}/session")  # same origin as the chat, and no chat script running
    driver.execute_script("window.localStorage.clear()")
    driver.get(f"{base}/{page}")


def bot_texts(driver: WebDriver) -> list:
    return [m.get_attribute("textContent") for m in driver.find_elements(By.CSS_SELECTOR, "#log .msg--bot .msg__text")]


def ask(driver: WebDriver, text: str) -> str:
    """Type a question, press Enter, return the bot's first answer to it."""
    before = len(bot_texts(driver))
    field = driver.find_element(By.ID, "message")
    field.send_keys(text, Keys.ENTER)
    wait_for(driver, lambda d: len(bot_texts(d)) > before)
    return bot_texts(driver)[before]


@contextmanager
def viewport(driver: WebDriver, width: int, height: int, mobile: bool = False) -> Iterator[None]:
    """Pages get exactly width × height CSS pixels, as on a kiosk's full screen or a phone (`mobile`:
    as a phone's browser, which lays a page out by its viewport meta tag)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    try:
        if not mobile:  # a phone's layout width depends on the page it shows
            assert driver.execute_script("return [window.innerWidth, window.innerHeight]") == [width, height]
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def assert_whole_on_screen(driver: WebDriver, selector: str, when: str) -> None:
    box, width, height = driver.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return [{left: r.left, top: r.top, right: r.right, bottom: r.bottom}, window.innerWidth, window.innerHeight];",
        selector)
    inside = 0 <= box["left"] and 0 <= box["top"] and box["right"] <= width and box["bottom"] <= height
    assert inside, f"{selector} is cut off {when} on {width}×{height}: {box}"


# --- the pages' languages -------------------------------------------------------------------
@lru_cache(maxsize=1)
def page_texts() -> Dict[str, Dict[str, str]]:
    """The pages' own texts per language, as bot/web/static/texts.js has them (JSON in braces)."""
    script = (STATIC_DIR / "texts.js").read_text(encoding="utf-8")
    return json.loads(script.split("window.VragenbotTexts = ", 1)[1].rsplit(";", 1)[0])


def shown_texts(driver: WebDriver) -> List[list]:
    """[key, text] of every element the page marks as its own text (data-i18n, data-i18n-attr)."""
    return driver.execute_script("""
        var found = [];
        document.querySelectorAll('[data-i18n]').forEach(function (e) {
          found.push([e.getAttribute('data-i18n'), e.textContent]); });
        document.querySelectorAll('[data-i18n-attr]').forEach(function (e) {
          e.getAttribute('data-i18n-attr').split(';').forEach(function (pair) {
            var p = pair.split(':'); found.push([p[1].trim(), e.getAttribute(p[0].trim())]); }); });
        return found;
    """)


def page_language(driver: WebDriver) -> str:
    return driver.execute_script("return document.documentElement.lang")


def assert_page_in(driver: WebDriver, language: str) -> None:
    """The page shows `language`: <html lang>, the switch, and every text of its own."""
    assert page_language(driver) == language
    pressed = [b.get_attribute("data-language") for b in driver.find_elements(By.CSS_SELECTOR, ".lang-switch button")
               if b.get_attribute("aria-pressed") == "true"]
    assert pressed == [language], f"the switch shows {pressed}, the page {language}"
    texts = page_texts()[language]
    assert [[key, texts[key]] for key, _ in shown_texts(driver)] == shown_texts(driver)


def switch_button(driver: WebDriver, language: str):
    return driver.find_element(By.CSS_SELECTOR, f".lang-switch button[data-language='{language}']")


def message_languages(driver: WebDriver, selector: str = "#log .msg--bot") -> List[str]:
    return [m.get_attribute("lang") for m in driver.find_elements(By.CSS_SELECTOR, selector)]
