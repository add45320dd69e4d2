"""What the Rasa server exposes: no HTTP API unless asked for with a token, CORS only as configured."""
from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests

from bot import PROJECT_DIR

from tools.launcher import RASA_START_SECONDS, endpoints_with_database, free_port, wait_until_up

pytestmark = pytest.mark.slow

API_TOKEN = "test-api-token-7f3a"
SCHOOL_SITE = "https://www.school.example"
OTHER_SITE = "https://elders.example"


def serve_environment(directory: Path, **settings: str) -> Dict[str, str]:
    """`scripts/serve` (what `make run` starts) on free ports, conversations in `directory`."""
    return {
        **os.environ,
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "ENDPOINTS": str(endpoints_with_database(directory, directory / "conversations.db")),
        **settings,
    }


@dataclass
class Served:
    url: str
    log: Path


@pytest.fixture(scope="module")
def with_api_and_cors(model_path: Path, tmp_path_factory) -> Iterator[Served]:
    directory = tmp_path_factory.mktemp("served")
    env = serve_environment(directory, MODEL=str(model_path), RASA_ENABLE_API="1", RASA_API_TOKEN=API_TOKEN,
                            RASA_CORS_ORIGINS=SCHOOL_SITE)
    log = directory / "serve.log"
    process = subprocess.Popen(["scripts/serve"], cwd=PROJECT_DIR, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{env['RASA_PORT']}"
    try:
        wait_until_up(f"{url}/", process, RASA_START_SECONDS + 120, log)
        yield Served(url, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_rasas_http_api_is_off_by_default(live_servers):
    assert requests.get(f"{live_servers['rasa_url']}/status", timeout=10).status_code == 404
    assert requests.get(f"{live_servers['rasa_url']}/conversations/x/tracker", timeout=10).status_code == 404


def test_by_default_no_other_site_may_call_the_assistant_from_a_browser(live_servers):
    reply = requests.post(live_servers["rest_webhook"], json={"sender": "cors", "message": "hoi"},
                          headers={"Origin": OTHER_SITE}, timeout=30)
    assert "Access-Control-Allow-Origin" not in reply.headers


def test_the_api_is_not_started_without_a_token(tmp_path):
    result = subprocess.run(["scripts/serve"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=30,
                            env=serve_environment(tmp_path, RASA_ENABLE_API="1", RASA_API_TOKEN=""))
    assert result.returncode == 2 and "needs RASA_API_TOKEN" in result.stderr


@pytest.mark.parametrize("origin", [r"https://school\.example", "https://*.school.example", "school.example", "*"])
def test_a_cors_origin_that_is_a_pattern_is_refused_at_start(tmp_path, origin):
    """Sanic-Cors matches pattern origins at the start only (CVE-2026-37737): exact origins only."""
    env = serve_environment(tmp_path, RASA_CORS_ORIGINS=f"https://www.school.example {origin}")
    result = subprocess.run(["scripts/serve"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "exacte origin" in result.stderr


def test_with_the_api_on_every_call_needs_the_token(with_api_and_cors):
    status = f"{with_api_and_cors.url}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(status, params={"token": API_TOKEN}, timeout=10).status_code == 200


def test_cors_allows_the_configured_school_site_only(with_api_and_cors):
    webhook = f"{with_api_and_cors.url}/webhooks/rest/webhook"
    for origin, allowed in ((SCHOOL_SITE, SCHOOL_SITE), (OTHER_SITE, None)):
        reply = requests.post(webhook, json={"sender": "cors", "message": "hoi"}, headers={"Origin": origin}, timeout=30)
        assert reply.ok and reply.headers.get("Access-Control-Allow-Origin") == allowed


def test_the_servers_listen_on_loopback_unless_told_otherwise(with_api_and_cors):
    assert f"Starting Rasa server on {with_api_and_cors.url}" in with_api_and_cors.log.read_text()


@pytest.fixture(scope="module")
def strictly_limited(model_path: Path, tmp_path_factory) -> Iterator[Dict[str, str]]:
    from tests.servers import start_both
    from tools.launcher import Assistant

    assistant = Assistant(tmp_path_factory.mktemp("limited"), model_path,
                          env={"RATE_LIMIT_PER_CONVERSATION": "3", "RATE_LIMIT_PER_ADDRESS": "0"})
    try:
        yield start_both(assistant).urls
    finally:
        assistant.stop()


def test_too_many_messages_of_one_conversation_get_429_even_rustig_aan(strictly_limited):
    url = strictly_limited["rest_webhook"]
    statuses = [requests.post(url, json={"sender": "flood", "message": "hoi"}, timeout=30) for _ in range(25)]
    refused = [r for r in statuses if r.status_code == 429]
    assert refused and refused[0].json()["message"].startswith("Even rustig aan")
    assert refused[0].headers["Retry-After"] == "60"
    # Another conversation is answered as usual.
    other = requests.post(url, json={"sender": "someone-else", "message": "Wat is crebo 25894?"}, timeout=30)
    assert other.status_code == 200 and "Medewerker productietechniek" in other.json()[0]["text"]


def test_too_many_web_chat_messages_get_even_rustig_aan(strictly_limited):
    from tests.bot.web.test_webchat_live import WebChatUser

    with WebChatUser(strictly_limited["rasa_url"]) as user:
        for _ in range(25):
            user.client.emit("user_uttered", {"message": "hoi", "session_id": user.session_id})
        texts = []
        while True:
            try:
                texts.append(user.replies.get(timeout=5)["text"])
            except Exception:  # queue.Empty: the bot is quiet
                break
    assert any(text.startswith("Even rustig aan") for text in texts)
    assert sum(not text.startswith("Even rustig aan") for text in texts) <= 20 + 2  # the burst, and refills
