"""The response generator: the topic menu and fixed facts come from their one place in the code."""
from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import PROJECT_DIR
from bot.input_guard import MAX_MESSAGE_CHARS
from bot.knowledge.models import SBB_PORTAL
from bot.knowledge.themes import THEMES, menu_buttons
from bot.responses import MENU_RESPONSES, Responses
from bot.web.kiosk import kiosk_config

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))


@pytest.fixture
def responses(tmp_path) -> Responses:
    return Responses(EndpointConfig(type="x", settings=str(tmp_path / "geen-school.yml")), DOMAIN)


def tracker() -> DialogueStateTracker:
    return DialogueStateTracker("test", DOMAIN.slots)


async def test_the_topic_menu_has_one_button_per_theme_in_menu_order(responses):
    menu = await responses.generate("utter_capabilities", tracker(), "rest")
    assert [b["title"] for b in menu["buttons"]] == list(THEMES.values())
    assert menu["buttons"][1]["payload"] == '/show_theme{"theme": "keuzedelen"}'


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_chat_and_the_kiosk_show_the_same_menu(language):
    assert [(t["title"], t["payload"]) for t in kiosk_config()["topics"][language]] == [
        (b["title"], b["payload"]) for b in menu_buttons(language)]


def test_the_domain_types_no_menu_by_hand():
    """A button added in domain.yml would show twice, or drift from the kiosk."""
    for name in MENU_RESPONSES:
        assert all(not variation.get("buttons") for variation in DOMAIN.responses[name]), name


async def test_other_responses_get_no_menu(responses):
    assert not (await responses.generate("utter_thank", tracker(), "rest")).get("buttons")


async def test_fixed_facts_fill_their_variables(responses):
    assert SBB_PORTAL in (await responses.generate("utter_human_handoff", tracker(), "rest"))["text"]
    assert str(MAX_MESSAGE_CHARS) in (await responses.generate("utter_message_too_long", tracker(), "rest"))["text"]
