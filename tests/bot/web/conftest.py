"""The `browser` fixture of the browser tests: one headless Chromium per test module."""
from __future__ import annotations

from typing import Iterator

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.bot.web.browsing import REPORTS, start_chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[WebDriver]:
    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    REPORTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()
