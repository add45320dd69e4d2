"""The project's usual server (no SLACK_* or TEAMS_* set): Rasa runs, both channels say they are off."""
from __future__ import annotations

import os

import pytest
import requests

from tests.conversations.rest import answer, say

pytestmark = pytest.mark.slow

CHANNEL_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_APP_ID", "TEAMS_APP_PASSWORD")


@pytest.mark.parametrize("channel", ["slack", "botframework"])
def test_an_unconfigured_channel_answers_503_and_rasa_keeps_running(live_servers, channel):
    if any(os.environ.get(name) for name in CHANNEL_ENV):
        pytest.skip("this shell sets SLACK_*/TEAMS_* variables, so the channels are on")
    base = f"{live_servers['rasa_url']}/webhooks/{channel}"
    assert requests.get(f"{base}/", timeout=10).json() == {"status": "ok"}
    refused = requests.post(f"{base}/webhook", json={"type": "message", "text": "hoi"}, timeout=10)
    assert refused.status_code == 503
    assert "niet ingesteld" in refused.json()["error"]
    assert "Medewerker productietechniek" in answer(say(live_servers, "Wat is crebo 25894?"))
