"""Driving Debian's headless Chromium through the web chat: helpers shared by the browser tests.

The `browser` fixture itself is in conftest.py. Screenshots go to reports/ for people to look at.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

REPORTS = Path(__file__).resolve().parents[3] / "reports"
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


def bot_texts(driver: WebDriver) -> list:
    return [m.get_attribute("textContent") for m in driver.find_elements(By.CSS_SELECTOR, "#log .msg--bot .msg__text")]


def ask(driver: WebDriver, text: str) -> str:
    """Type a question, press Enter, return the bot's first answer to it."""
    before = len(bot_texts(driver))
    field = driver.find_element(By.ID, "message")
    field.send_keys(text, Keys.ENTER)
    wait_for(driver, lambda d: len(bot_texts(d)) > before)
    return bot_texts(driver)[before]
