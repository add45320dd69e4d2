"""The Teams channel without a Rasa server: settings, tokens, signing keys, mentions, buttons, replies."""
from __future__ import annotations

import json
import time
import logging
from types import SimpleNamespace
from typing import Any, Dict, List, Optional

import jwt
import pytest
import requests
from multidict import CIMultiDict
from rasa.core.channels import botframework as rasa_botframework

from bot.channels.teams import (
    KEYS_UNAVAILABLE, NOT_CONFIGURED, Refused, SigningKeys, TeamsChannel, TeamsOutput, TeamsSettings,
    TokenValidator, hero_card, user_text,
)
from tests.bot.channels.fakes import (
    APP_TOKEN, METADATA_PATH, SCHOOL_TENANT, FakeService, Signer, activity, connector_service, key_service,
    token_service,
)
from tools.launcher import free_port

APP_ID = "5f0c6a3e-0000-4000-8000-00000000a001"
TENANT = SCHOOL_TENANT
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
TEAMS_ENV = ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID", "TEAMS_OPENID_METADATA_URL", "TEAMS_TOKEN_URL")
GREETING_BUTTONS = [
    {"title": "Waarom is er een herziening?", "payload": "faq:aanleiding_herziening"},
    {"title": "Wat is crebo 25894?", "payload": "Wat is crebo 25894?"},
    {"title": "Welke onderwerpen ken je?", "payload": "/ask_capabilities"},
]


@pytest.fixture(scope="module")
def microsoft_key() -> Signer:
    return Signer("microsoft-key-1")


@pytest.fixture
def published(microsoft_key: Signer) -> List[Dict[str, Any]]:
    """The keys the fake key service publishes; a test may rotate them."""
    return [microsoft_key.jwk()]


@pytest.fixture
def keys(published):
    service = key_service(lambda: published).start()
    yield service
    service.stop()


def settings(metadata_url: str, tenant: str = "", token_url: str = "") -> TeamsSettings:
    env = {"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "app-password", "TEAMS_TENANT_ID": tenant,
           "TEAMS_OPENID_METADATA_URL": metadata_url, "TEAMS_TOKEN_URL": token_url}
    result = TeamsSettings.from_env(env)
    assert result is not None
    return result


def validator(keys: FakeService, tenant: str = "", **cache: float) -> TokenValidator:
    config = settings(keys.url + METADATA_PATH, tenant)
    return TokenValidator(config, SigningKeys(config.openid_metadata_url, **cache))


def request(token: Optional[str], body: Any = None) -> SimpleNamespace:
    """An incoming request as the channel reads it: its headers and its parsed JSON body."""
    return SimpleNamespace(headers=CIMultiDict({"Authorization": f"Bearer {token}"} if token else {}),
                           json=question() if body is None else body)


def question(text: str = "Wat is crebo 25894?", service_url: str = SERVICE_URL, **changes: Any) -> Dict[str, Any]:
    return {**activity(text, "a:student-1-chat", service_url, APP_ID), **changes}


# --- settings ----------------------------------------------------------------------------

def test_a_single_tenant_app_gets_its_tokens_from_its_own_tenant():
    config = TeamsSettings.from_env({"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": TENANT})
    assert config.token_url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
    assert config.openid_metadata_url == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    assert config.issuers == {"https://api.botframework.com"}  # as Microsoft's ChannelValidation


def test_a_multi_tenant_app_gets_its_tokens_from_botframework_com():
    config = TeamsSettings.from_env({"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "pw", "TEAMS_TENANT_ID": ""})
    assert config.token_url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert config.issuers == {"https://api.botframework.com"}


async def test_without_settings_teams_logs_one_line_and_answers_503(monkeypatch, caplog):
    for name in TEAMS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)  # the password is missing
    with caplog.at_level(logging.INFO, logger="bot.channels.teams"):
        channel = TeamsChannel.from_credentials(None)
    assert len(caplog.records) == 1 and "TEAMS_APP_PASSWORD" in caplog.records[0].getMessage()
    refusal = await channel.checked_activity(request("anything"))
    assert refusal.status == 503
    assert json.loads(refusal.body) == NOT_CONFIGURED == {"error": "De Teams-koppeling is op deze server niet ingesteld."}


# --- what the user wrote, and the bot's buttons --------------------------------------------

@pytest.mark.parametrize("sent, read", [
    ("<at>Vragenbot Metaal</at> Wat is crebo 25894?", "Wat is crebo 25894?"),
    ("Wat is crebo 25894? <at>Vragenbot</at>\n", "Wat is crebo 25894?"),
    ("Hoi <at id=\"0\">Vragenbot</at>, <AT>Jan</AT> vraagt: welke keuzedelen zijn er?",
     "Hoi , vraagt: welke keuzedelen zijn er?"),
    ("faq:aanleiding_herziening", "faq:aanleiding_herziening"),
])
def test_mentions_are_taken_out_of_the_text(sent, read):
    assert user_text({"type": "message", "text": sent}) == read


def test_buttons_become_imback_actions_that_send_the_payload():
    card = hero_card("Hoi! Waar kan ik je mee helpen?", GREETING_BUTTONS)
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    assert card["content"]["text"] == "Hoi! Waar kan ik je mee helpen?"
    assert card["content"]["buttons"] == [
        {"type": "imBack", "title": "Waarom is er een herziening?", "value": "faq:aanleiding_herziening"},
        {"type": "imBack", "title": "Wat is crebo 25894?", "value": "Wat is crebo 25894?"},
        {"type": "imBack", "title": "Welke onderwerpen ken je?", "value": "/ask_capabilities"},
    ]


# --- incoming tokens -----------------------------------------------------------------------

async def test_a_token_from_the_bot_connector_is_accepted(keys, microsoft_key):
    claims = await validator(keys).claims(f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}", question())
    assert claims["aud"] == APP_ID


def _unsigned(payload: Dict[str, Any]) -> str:
    return jwt.encode(payload, None, algorithm="none", headers={"kid": "microsoft-key-1"})


def _hmac_with_public_key(payload: Dict[str, Any], key: Signer) -> str:
    # The "algorithm confusion" forgery: HS256 keyed with the (public) RSA key.
    return jwt.encode(payload, key.jwk()["n"], algorithm="HS256", headers={"kid": key.kid})


REFUSED = {
    "no Authorization header": (lambda key, claims: None, 401),
    "another app's token": (lambda key, claims: key.token("some-other-app", SERVICE_URL), 401),
    "another issuer": (lambda key, claims: key.token(APP_ID, SERVICE_URL, issuer="https://evil.example"), 401),
    "expired an hour ago": (lambda key, claims: key.token(APP_ID, SERVICE_URL, lifetime=-3600), 401),
    "signed by another key with the same id": (lambda key, claims: Signer(key.kid).token(APP_ID, SERVICE_URL), 401),
    "signed by a key Microsoft does not publish": (lambda key, claims: Signer("forged").token(APP_ID, SERVICE_URL), 401),
    "unsigned (alg none)": (lambda key, claims: _unsigned(claims), 401),
    "HS256 keyed with the public key": (lambda key, claims: _hmac_with_public_key(claims, key), 401),
    "not a JWT": (lambda key, claims: "hallo", 401),
    "replies would go elsewhere": (lambda key, claims: key.token(APP_ID, "https://evil.example/"), 401),
    "no serviceurl claim": (lambda key, claims: key.token(APP_ID, SERVICE_URL, serviceurl=None), 401),
    # Microsoft compares the serviceurl claim exactly; a trailing "/" more is another URL.
    "serviceurl with a trailing slash more": (lambda key, claims: key.token(APP_ID, SERVICE_URL + "/"), 401),
}


@pytest.mark.parametrize("case", REFUSED)
async def test_tokens_not_from_the_bot_connector_for_this_app_are_refused(case, keys, microsoft_key):
    make_token, status = REFUSED[case]
    claims = jwt.decode(microsoft_key.token(APP_ID, SERVICE_URL), options={"verify_signature": False})
    token = make_token(microsoft_key, claims)
    with pytest.raises(Refused) as refused:
        await validator(keys).claims(f"Bearer {token}" if token else None, question())
    assert refused.value.status == status


async def test_a_key_endorsed_for_teams_only_does_not_serve_other_channels(keys, microsoft_key):
    token = microsoft_key.token(APP_ID, SERVICE_URL)
    with pytest.raises(Refused) as refused:
        await validator(keys).claims(f"Bearer {token}", question(channelId="webchat"))
    assert refused.value.status == 403


@pytest.mark.parametrize("tenant", ["", TENANT, "another-tenant"])
async def test_tenant_issued_tokens_are_refused_on_the_channel_path(keys, microsoft_key, tenant):
    # Microsoft's ChannelValidation accepts only the Bot Connector's issuer here.
    for issuer in (f"https://login.microsoftonline.com/{TENANT}/v2.0", f"https://sts.windows.net/{TENANT}/"):
        token = microsoft_key.token(APP_ID, SERVICE_URL, issuer=issuer)
        with pytest.raises(Refused) as refused:
            await validator(keys, tenant=tenant).claims(f"Bearer {token}", question())
        assert refused.value.status == 401


async def test_a_single_tenant_app_answers_its_own_tenant_only(keys, microsoft_key):
    token = microsoft_key.token(APP_ID, SERVICE_URL)
    own = question(channelData={"tenant": {"id": TENANT}})
    assert (await validator(keys, tenant=TENANT).claims(f"Bearer {token}", own))["aud"] == APP_ID
    for other in (question(channelData={"tenant": {"id": "another-school"}}), question(channelData={})):
        with pytest.raises(Refused) as refused:
            await validator(keys, tenant=TENANT).claims(f"Bearer {token}", other)
        assert refused.value.status == 403


# --- signing keys: lazily, cached, refreshed, retried ----------------------------------------

async def test_the_token_is_checked_before_the_body_is_read(keys, microsoft_key):
    channel = TeamsChannel(settings(keys.url + METADATA_PATH))
    unreadable = SimpleNamespace(headers=CIMultiDict({}), json=property(lambda _: 1 / 0))
    assert (await channel.checked_activity(unreadable)).status == 401  # never parsed
    assert (await channel.checked_activity(request(microsoft_key.token(APP_ID, SERVICE_URL), body=[1]))).status == 400


async def test_keys_are_fetched_on_the_first_message_not_at_start_up(keys, microsoft_key):
    channel = TeamsChannel(settings(keys.url + METADATA_PATH))
    assert keys.requests == []
    token = microsoft_key.token(APP_ID, SERVICE_URL)
    assert (await channel.checked_activity(request(token)))["text"] == "Wat is crebo 25894?"
    assert [r.path for r in keys.requests] == [METADATA_PATH, "/v1/.well-known/keys"]
    await channel.checked_activity(request(token))
    assert len(keys.requests) == 2  # cached


async def test_an_unknown_key_id_refetches_but_not_on_every_request(keys, microsoft_key):
    checker = validator(keys, min_refresh_interval=60)
    await checker.claims(f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}", question())
    forged = f"Bearer {Signer('unknown-key').token(APP_ID, SERVICE_URL)}"
    for _ in range(3):
        with pytest.raises(Refused):
            await checker.claims(forged, question())
    assert len(keys.requests) == 2  # the refetch waits out min_refresh_interval


async def test_a_rotated_key_is_picked_up_when_a_token_names_it(keys, microsoft_key, published):
    checker = validator(keys, min_refresh_interval=0)
    await checker.claims(f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}", question())
    new_key = Signer("microsoft-key-2")
    published.append(new_key.jwk())
    assert (await checker.claims(f"Bearer {new_key.token(APP_ID, SERVICE_URL)}", question()))["aud"] == APP_ID
    assert len(keys.requests) == 4


async def test_keys_are_refreshed_after_max_age(keys, microsoft_key):
    checker = validator(keys, max_age=0)
    for _ in range(2):
        await checker.claims(f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}", question())
    assert len(keys.requests) == 4


async def test_a_failing_key_service_is_retried_with_backoff(microsoft_key):
    answers = iter([(500, {"error": "busy"}), (503, {"error": "busy"})])
    service = key_service(lambda: [microsoft_key.jwk()]).start()
    metadata = service.routes[("GET", METADATA_PATH)]
    service.routes[("GET", METADATA_PATH)] = lambda r: next(answers, None) or metadata(r)
    try:
        checker = validator(service, backoff=0.01)
        assert (await checker.claims(f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}", question()))["aud"] == APP_ID
    finally:
        service.stop()
    assert [r.path for r in service.requests] == [METADATA_PATH] * 3 + ["/v1/.well-known/keys"]


async def test_unreachable_keys_answer_503_and_are_logged(microsoft_key, caplog):
    channel = TeamsChannel(settings(f"http://127.0.0.1:{free_port()}{METADATA_PATH}"))
    channel.keys.backoff = 0.01
    with caplog.at_level(logging.ERROR, logger="bot.channels.teams"):
        refusal = await channel.checked_activity(request(microsoft_key.token(APP_ID, SERVICE_URL)))
    assert refusal.status == 503
    assert json.loads(refusal.body) == KEYS_UNAVAILABLE
    assert any("signing keys" in r.getMessage() for r in caplog.records)


# --- replies -------------------------------------------------------------------------------

async def test_a_reply_uses_the_tenant_token_and_imback_buttons():
    login, connector = token_service().start(), connector_service().start()
    try:
        config = settings("http://127.0.0.1:9/unused", tenant=TENANT, token_url=f"{login.url}/{TENANT}/oauth2/v2.0/token")
        channel = TeamsChannel(config)
        conversation = "19:abc@thread.tacv2;messageid=1700000000"
        output = TeamsOutput(config, channel.tokens, {"id": conversation}, {"id": f"28:{APP_ID}"}, connector.url)
        await output.send_response("29:student-1", {"text": "Hoi!", "buttons": GREETING_BUTTONS})
        await output.send_response("29:student-1", {"text": "Medewerker productietechniek (crebo 25894)"})
    finally:
        login.stop()
        connector.stop()
    [token_request] = login.requests  # one token for both replies
    assert token_request.path == f"/{TENANT}/oauth2/v2.0/token"
    assert token_request.form() == {"grant_type": "client_credentials", "client_id": APP_ID,
                                    "client_secret": "app-password", "scope": "https://api.botframework.com/.default"}
    sent = connector.recorded("POST", f"/v3/conversations/{conversation}/activities")
    assert [r.headers["authorization"] for r in sent] == [f"Bearer {APP_TOKEN}"] * 2
    card, text = sent[0].json(), sent[1].json()
    assert [b["type"] for b in card["attachments"][0]["content"]["buttons"]] == ["imBack"] * 3
    assert text["text"] == "Medewerker productietechniek (crebo 25894)" and text["recipient"] == {"id": "29:student-1"}


# --- what Rasa 3.6.21's own connector does (these fail when an upgrade changes it) -----------

def test_rasa_connector_needs_microsoft_at_start_up(monkeypatch):
    monkeypatch.setattr(rasa_botframework, "MICROSOFT_OPEN_ID_URI", f"http://127.0.0.1:{free_port()}/openid")
    with pytest.raises(requests.ConnectionError):
        rasa_botframework.BotFrameworkInput(APP_ID, "app-password")


async def test_rasa_connector_sends_buttons_teams_cannot_click(monkeypatch):
    sent: List[Dict[str, Any]] = []

    async def capture(self, message: Dict[str, Any]) -> None:
        sent.append(message)

    monkeypatch.setattr(rasa_botframework.BotFramework, "send", capture)
    output = rasa_botframework.BotFramework(APP_ID, "pw", {"id": "a:1"}, {"id": "28:bot"}, SERVICE_URL)
    await output.send_text_with_buttons("29:student-1", "Hoi!", GREETING_BUTTONS)
    assert sent[0]["attachments"][0]["content"]["buttons"] == GREETING_BUTTONS  # no type, no value


def test_rasa_connector_checks_no_issuer_and_asks_botframework_com_for_tokens(microsoft_key):
    stock = rasa_botframework.BotFrameworkInput.__new__(rasa_botframework.BotFrameworkInput)
    stock.app_id, stock.jwt_keys = APP_ID, {microsoft_key.kid: microsoft_key.jwk()}
    stock._validate_jwt_token(microsoft_key.token(APP_ID, SERVICE_URL, issuer="https://evil.example"))  # no error
    assert rasa_botframework.MICROSOFT_OAUTH2_PATH == "botframework.com/oauth2/v2.0/token"


@pytest.mark.parametrize("text", ["<at>" * 7_000, "<at x=" + "a" * 28_000, "<at>" + "a" * 28_000 + "</a"])
def test_reading_mentions_takes_linear_time(text):
    started = time.perf_counter()
    user_text({"type": "message", "text": text})
    assert time.perf_counter() - started < 1.0  # was 0.85 s at 28 kB and growing with its square
