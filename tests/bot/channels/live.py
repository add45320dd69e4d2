"""Slack and Teams against a running Rasa server, with Slack and Microsoft played by loopback fakes.

`channels` (session fixture, in tests/conftest.py) starts the action server and `rasa run` with
credentials.yml and SLACK_* / TEAMS_* pointing at the fakes. Microsoft's key service is
started only after Rasa is up, so start-up is shown not to need it. Shared by the channel
tests and the security suite.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
import requests

from tests.bot.channels.fakes import (
    METADATA_PATH, SCHOOL_TENANT, FakeService, Signer, activity, connector_service, eventually, key_service,
    slack_web_api, token_service,
)
from tests.servers import start_both
from tools.launcher import Assistant, free_port

SLACK_TOKEN = "xoxb-live-test"
SLACK_SECRET = "live-test-signing-secret"
TEAMS_APP_ID = "5f0c6a3e-0000-4000-8000-00000000b002"
TEAMS_TENANT = SCHOOL_TENANT
ANSWER = "Medewerker productietechniek"  # what crebo 25894 is


@dataclass
class Channels:
    rasa_url: str
    slack: FakeService
    login: FakeService
    connector: FakeService
    keys: FakeService
    microsoft_key: Signer
    before_keys: Dict[str, int]

    def to_slack_webhook(self, body: bytes, headers: Dict[str, str]) -> requests.Response:
        return requests.post(f"{self.rasa_url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30)

    def to_teams_webhook(self, sent: Dict[str, Any], token: Optional[str]) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(f"{self.rasa_url}/webhooks/botframework/webhook", json=sent, headers=headers, timeout=30)

    def token(self, signer: Optional[Signer] = None, audience: str = TEAMS_APP_ID) -> str:
        return (signer or self.microsoft_key).token(audience, self.connector.url)


@pytest.fixture(scope="session")
def channels(model_path: Path, tmp_path_factory) -> Iterator[Channels]:
    logs = tmp_path_factory.mktemp("channel-server-logs")
    microsoft_key = Signer("live-microsoft-key")
    slack, login, connector = slack_web_api(SLACK_TOKEN).start(), token_service().start(), connector_service().start()
    keys = key_service(lambda: [microsoft_key.jwk()], port=free_port())  # started after Rasa
    assistant = Assistant(logs, model_path, env={
        "SLACK_BOT_TOKEN": SLACK_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_CHANNEL": "",
        "SLACK_API_URL": f"{slack.url}/api/",
        "TEAMS_APP_ID": TEAMS_APP_ID,
        "TEAMS_APP_PASSWORD": "live-test-app-password",
        "TEAMS_TENANT_ID": TEAMS_TENANT,
        "TEAMS_OPENID_METADATA_URL": keys.url + METADATA_PATH,
        "TEAMS_TOKEN_URL": f"{login.url}/{TEAMS_TENANT}/oauth2/v2.0/token",
    })
    try:
        start_both(assistant)
        rasa_log = assistant.rasa_log_path
        live = Channels(assistant.rasa_url, slack, login, connector, keys, microsoft_key, {})

        # Microsoft's key service is still down: Rasa is up, and a Teams message cannot be checked.
        live.before_keys["GET /"] = requests.get(f"{live.rasa_url}/", timeout=10).status_code
        live.before_keys["a Teams message"] = live.to_teams_webhook(
            activity("Wat is crebo 25894?", "a:before-keys", connector.url, TEAMS_APP_ID), live.token()).status_code
        keys.start()
        hello = activity("", "a:readiness", connector.url, TEAMS_APP_ID, kind="conversationUpdate")
        ready = eventually(lambda: live.to_teams_webhook(hello, live.token()).status_code, lambda s: s == 200, 30)
        assert ready == 200, f"Teams webhook still answers {ready} once the keys are up; see {rasa_log}"
        yield live
    finally:
        assistant.stop()
        for fake in (slack, login, connector, keys):
            fake.stop()
