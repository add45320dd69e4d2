"""The Teams channel without a Rasa server: settings, tokens, signing keys, mentions, buttons, replies.

Replies are checked as the Bot Connector fake received them (raw path, headers, body) and read
with Microsoft's own botbuilder-schema models: a body whose `Model.deserialize(body).serialize()`
gives the body back uses only the SDK's field names and types.
"""
from __future__ import annotations

import asyncio
import json
import time
import logging
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, Dict, List, Optional
from urllib.parse import quote

import jwt
import pytest
import requests
from botbuilder.schema import ActionTypes, Activity, CardAction, HeroCard
from multidict import CIMultiDict
from rasa.core.channels import botframework as rasa_botframework
from rasa.core.channels.channel import UserMessage

from bot.channels.base import PROCESSING_FAILED
from bot.channels.teams import (
    KEYS_UNAVAILABLE, MAX_CARD_BUTTONS, NOT_CONFIGURED, Refused, SigningKeys, TeamsChannel, TeamsSettings,
    TokenValidator, Why, button_cards, card_action, user_text,
)
from bot.knowledge import load_catalogue
from bot.knowledge.faq import faq_payload
from bot.knowledge.themes import THEMES, menu_buttons
from tests.bot.channels.fakes import (
    APP_TOKEN, METADATA_PATH, SCHOOL_TENANT, FakeService, Recorded, Signer, activity, connector_service,
    key_service, message_back, replies, token_service,
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
HELPFUL, NOT_HELPFUL = '/feedback_helpful{"answer": "faq/x"}', '/feedback_not_helpful{"answer": "faq/x"}'
FEEDBACK_BUTTONS = [{"title": "👍 Dit hielp", "payload": HELPFUL}, {"title": "👎 Dit hielp niet", "payload": NOT_HELPFUL}]


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


def as_microsofts_sdk_reads(model: Any, data: Dict[str, Any]) -> Any:
    """`data` read by botbuilder-schema; it must serialise back unchanged (the SDK drops the
    fields it does not know and coerces mistyped ones, so nothing of ours may be either).

    One exception: a reply carries the incoming `conversation` unchanged, with Teams'
    `tenantId`, which the Python schema spells `tenantID` (Teams' documents and the .NET SDK:
    `tenantId`), so the Python SDK drops it."""
    parsed = model.deserialize(data)
    expected = json.loads(json.dumps(data))
    if isinstance(expected.get("conversation"), dict):
        expected["conversation"].pop("tenantId", None)
    assert parsed.serialize() == expected
    return parsed


def test_buttons_are_message_back_actions_that_show_the_title_and_send_the_payload():
    # Finding 11: an imBack showed the payload (`/feedback_helpful{"answer": …}`) as the user's message.
    [card] = button_cards(FEEDBACK_BUTTONS)
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    actions = as_microsofts_sdk_reads(HeroCard, card["content"]).buttons
    assert [(a.type, a.title, a.display_text, a.text, a.value) for a in actions] == [
        (ActionTypes.message_back, "👍 Dit hielp", "👍 Dit hielp", HELPFUL, {"payload": HELPFUL}),
        (ActionTypes.message_back, "👎 Dit hielp niet", "👎 Dit hielp niet", NOT_HELPFUL, {"payload": NOT_HELPFUL}),
    ]


@pytest.mark.parametrize("button", GREETING_BUTTONS + FEEDBACK_BUTTONS, ids=lambda b: b["title"])
def test_a_click_on_a_message_back_button_is_read_as_its_payload(button):
    action = as_microsofts_sdk_reads(CardAction, card_action(button))
    click = message_back(action.serialize(), "a:student-1-chat", SERVICE_URL, APP_ID)
    assert Activity.deserialize(click).value == {"payload": button["payload"]}  # what Microsoft's SDK reads
    assert user_text(click) == button["payload"]


def test_an_imback_card_sent_before_still_works_when_clicked():
    assert user_text(activity("/ask_capabilities", "a:student-1-chat", SERVICE_URL, APP_ID)) == "/ask_capabilities"


@pytest.mark.parametrize("count, rows", [(1, [1]), (2, [2]), (6, [6]), (7, [4, 3]), (10, [5, 5]), (12, [6, 6]),
                                         (13, [5, 4, 4])])
def test_no_card_has_more_buttons_than_teams_shows_and_no_button_is_lost(count, rows):
    # Finding 10: Teams shows at most six buttons on a hero card and drops the rest.
    buttons = [{"title": f"Vraag {n}", "payload": f"faq:vraag_{n}"} for n in range(count)]
    cards = [as_microsofts_sdk_reads(HeroCard, card["content"]) for card in button_cards(buttons)]
    assert [len(card.buttons) for card in cards] == rows
    assert [b.value["payload"] for card in cards for b in card.buttons] == [b["payload"] for b in buttons]


def test_the_topic_menu_and_the_largest_theme_are_whole_in_teams():
    catalogue = load_catalogue()
    largest = max(THEMES, key=lambda theme: len(catalogue.in_theme(theme)))
    theme_buttons = [{"title": e.title, "payload": faq_payload(e.key)} for e in catalogue.in_theme(largest)]
    for buttons in (menu_buttons(), theme_buttons):
        assert len(buttons) > MAX_CARD_BUTTONS  # the case this is about (7 and 10 when written)
        shown = [b["value"]["payload"] for card in button_cards(buttons) for b in card["content"]["buttons"][:6]]
        assert shown == [b["payload"] for b in buttons]


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
    "no Authorization header": (lambda key, claims: None, 401, Why.TOKEN),
    "another app's token": (lambda key, claims: key.token("some-other-app", SERVICE_URL), 401, Why.AUDIENCE),
    # Finding 13: PyJWT accepts a list that contains the audience; Microsoft's validator does not.
    "aud is a list with this app's id": (lambda key, claims: key.token([APP_ID, "another-app"], SERVICE_URL), 401,
                                         Why.AUDIENCE),
    "aud is a list of this app's id alone": (lambda key, claims: key.token([APP_ID], SERVICE_URL), 401, Why.AUDIENCE),
    "another issuer": (lambda key, claims: key.token(APP_ID, SERVICE_URL, issuer="https://evil.example"), 401,
                       Why.ISSUER),
    "expired an hour ago": (lambda key, claims: key.token(APP_ID, SERVICE_URL, lifetime=-3600), 401, Why.EXPIRY),
    "signed by another key with the same id": (lambda key, claims: Signer(key.kid).token(APP_ID, SERVICE_URL), 401,
                                               Why.SIGNATURE),
    "signed by a key Microsoft does not publish": (lambda key, claims: Signer("forged").token(APP_ID, SERVICE_URL),
                                                   401, Why.SIGNATURE),
    "unsigned (alg none)": (lambda key, claims: _unsigned(claims), 401, Why.SIGNATURE),
    "HS256 keyed with the public key": (lambda key, claims: _hmac_with_public_key(claims, key), 401, Why.SIGNATURE),
    "not a JWT": (lambda key, claims: "hallo", 401, Why.TOKEN),
    "replies would go elsewhere": (lambda key, claims: key.token(APP_ID, "https://evil.example/"), 401,
                                   Why.SERVICE_URL),
    "no serviceurl claim": (lambda key, claims: key.token(APP_ID, SERVICE_URL, serviceurl=None), 401, Why.SERVICE_URL),
    # Microsoft compares the serviceurl claim exactly; a trailing "/" more is another URL.
    "serviceurl with a trailing slash more": (lambda key, claims: key.token(APP_ID, SERVICE_URL + "/"), 401,
                                              Why.SERVICE_URL),
}


@pytest.mark.parametrize("case", REFUSED)
async def test_tokens_not_from_the_bot_connector_for_this_app_are_refused(case, keys, microsoft_key):
    make_token, status, why = REFUSED[case]
    claims = jwt.decode(microsoft_key.token(APP_ID, SERVICE_URL), options={"verify_signature": False})
    token = make_token(microsoft_key, claims)
    with pytest.raises(Refused) as refused:
        await validator(keys).claims(f"Bearer {token}" if token else None, question())
    assert (refused.value.status, refused.value.why) == (status, why)


@pytest.mark.parametrize("channel", ["webchat", None])
async def test_a_key_endorsed_for_teams_only_does_not_serve_other_channels(keys, microsoft_key, channel):
    token = microsoft_key.token(APP_ID, SERVICE_URL)
    activity_of_channel = question(channelId=channel) if channel else {k: v for k, v in question().items()
                                                                       if k != "channelId"}
    with pytest.raises(Refused) as refused:
        await validator(keys).claims(f"Bearer {token}", activity_of_channel)
    assert (refused.value.status, refused.value.why) == (403, Why.CHANNEL)


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
        assert (refused.value.status, refused.value.why) == (403, Why.TENANT)


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


# --- replies: as the Bot Connector receives them ---------------------------------------------

THREAD = "19:d3f5a0c2e1b94a7c@thread.tacv2;messageid=1700000000000"  # a reply thread in a team channel
ANSWER = "Medewerker productietechniek (crebo 25894) is een kwalificatie op niveau 2.\n\nBron: SBB"
Rasa = Callable[[UserMessage], Awaitable[Any]]


@pytest.fixture
def microsoft(keys, microsoft_key):
    """Microsoft's login and Bot Connector (with a service URL that has a base path, as Teams'
    have), and a channel configured for them."""
    login, connector = token_service().start(), connector_service("/emea").start()
    config = settings(keys.url + METADATA_PATH, tenant=TENANT, token_url=f"{login.url}/{TENANT}/oauth2/v2.0/token")
    yield SimpleNamespace(login=login, connector=connector, channel=TeamsChannel(config),
                          service_url=f"{connector.url}/emea/", key=microsoft_key)
    login.stop()
    connector.stop()


async def to_webhook(microsoft, incoming: Dict[str, Any], rasa: Rasa) -> List[Recorded]:
    """POST `incoming` to the channel's webhook as the Bot Connector would; what the connector
    received once the channel's background work is done."""
    receive = next(r.handler for r in microsoft.channel.blueprint(rasa)._future_routes if r.uri == "/webhook")
    answered = await receive(request(microsoft.key.token(APP_ID, incoming["serviceUrl"]), incoming))
    assert answered.status == 200
    await asyncio.gather(*microsoft.channel._background_tasks)
    return microsoft.connector.requests


def rasa_answering(*responses: Dict[str, Any], then_fails: bool = False) -> Rasa:
    """A stand-in for Rasa that answers every message with `responses`, as Rasa hands them to the output."""
    async def rasa(message: UserMessage) -> None:
        for response_ in responses:
            await message.output_channel.send_response(message.sender_id, dict(response_))
        if then_fails:
            raise RuntimeError("the tracker store went away")
    return rasa


async def test_a_reply_answers_its_activity_in_its_thread_as_microsofts_sdk_addresses_it(microsoft):
    # Findings 9 and 12: the conversation id went out unencoded (aiohttp decoded it again), and
    # the reply was no reply (SendToConversation, without replyToId, conversation, serviceUrl,
    # channelId, locale), so in a channel it could land outside the thread it answers.
    incoming = activity("<at>Vragenbot Metaal</at> Wat is crebo 25894?", THREAD, microsoft.service_url, APP_ID)
    [sent] = await to_webhook(microsoft, incoming, rasa_answering({"text": ANSWER}))

    assert sent.raw_path == (f"/emea/v3/conversations/{quote(THREAD, safe='')}/activities/"
                             f"{quote(incoming['id'], safe='')}")  # ReplyToActivity, ids encoded
    assert "19%3Ad3f5a0c2e1b94a7c%40thread.tacv2%3Bmessageid%3D1700000000000" in sent.raw_path
    assert [r.raw_path for r in replies(microsoft.connector, THREAD, "/emea")] == [sent.raw_path]
    headers = {name.lower(): value for name, value in sent.raw_headers}
    assert headers["authorization"] == f"Bearer {APP_TOKEN}" and headers["x-ms-conversation-id"] == THREAD

    reply = as_microsofts_sdk_reads(Activity, sent.json())
    expected = Activity.deserialize(incoming).create_reply()  # the schema's own reply to the activity
    for field in ("type", "reply_to_id", "service_url", "channel_id", "locale"):
        assert getattr(reply, field) == getattr(expected, field), field
    assert reply.reply_to_id == incoming["id"] and reply.locale == "nl-NL"
    assert (reply.from_property.id, reply.recipient.id) == (expected.from_property.id, expected.recipient.id)
    # The whole reference, as TurnContext.apply_conversation_reference copies it.
    assert (sent.json()["conversation"], sent.json()["recipient"], sent.json()["from"]) == (
        incoming["conversation"], incoming["from"], incoming["recipient"])
    assert reply.text == ANSWER  # whole, its "Bron:" line included
    assert not reply.attachments


async def test_all_answers_to_one_message_go_out_in_one_post(microsoft):
    # One message with two questions: two answers, 👍/👎, and the topic menu (7 buttons).
    incoming = activity("Wat is crebo 25894? En welke onderwerpen ken je?", THREAD, microsoft.service_url, APP_ID)
    rasa = rasa_answering({"text": ANSWER},
                          {"text": "Ik help je met vragen over de herziening.", "buttons": menu_buttons()},
                          {"text": "Had je hier iets aan?", "buttons": FEEDBACK_BUTTONS})
    sent = await to_webhook(microsoft, incoming, rasa)

    assert len(sent) == 1  # Rasa's connector posts each paragraph and each button set on its own
    reply = as_microsofts_sdk_reads(Activity, sent[0].json())
    assert reply.text == f"{ANSWER}\n\nIk help je met vragen over de herziening.\n\nHad je hier iets aan?"
    assert reply.attachment_layout == "list"
    cards = [as_microsofts_sdk_reads(HeroCard, attachment.content) for attachment in reply.attachments]
    assert [len(card.buttons) for card in cards] == [4, 3, 2]
    assert [b.value["payload"] for card in cards for b in card.buttons] == [
        *(b["payload"] for b in menu_buttons()), HELPFUL, NOT_HELPFUL]
    assert {b.type for card in cards for b in card.buttons} == {ActionTypes.message_back}
    [token_request] = microsoft.login.requests  # the app's own tenant
    assert token_request.path == f"/{TENANT}/oauth2/v2.0/token"
    assert token_request.form() == {"grant_type": "client_credentials", "client_id": APP_ID,
                                    "client_secret": "app-password", "scope": "https://api.botframework.com/.default"}


async def test_when_rasa_fails_midway_the_answers_so_far_and_the_apology_are_one_post(microsoft):
    incoming = activity("Wat is crebo 25894?", THREAD, microsoft.service_url, APP_ID)
    [sent] = await to_webhook(microsoft, incoming, rasa_answering({"text": ANSWER}, then_fails=True))
    assert as_microsofts_sdk_reads(Activity, sent.json()).text == f"{ANSWER}\n\n{PROCESSING_FAILED['nl']}"


async def test_a_click_reaches_rasa_as_the_payload_and_is_answered_in_reply_to_it(microsoft):
    # Finding 11, the incoming side: Teams posts a messageBack click with the button's text and value.
    heard: List[str] = []

    async def rasa(message: UserMessage) -> None:
        heard.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "Dank je wel!"})

    click = message_back(card_action(FEEDBACK_BUTTONS[0]), "a:student-1-chat", microsoft.service_url, APP_ID)
    [sent] = await to_webhook(microsoft, click, rasa)
    assert heard == [HELPFUL]
    assert Activity.deserialize(sent.json()).reply_to_id == click["id"]


async def test_nothing_is_posted_for_an_activity_without_an_answer(microsoft):
    update = activity("", THREAD, microsoft.service_url, APP_ID, kind="conversationUpdate")
    assert await to_webhook(microsoft, update, rasa_answering({"text": ANSWER})) == []
    assert await to_webhook(microsoft, activity("Hoi", THREAD, microsoft.service_url, APP_ID), rasa_answering()) == []


async def test_without_an_activity_id_the_reply_goes_to_the_conversation(microsoft):
    incoming = {k: v for k, v in activity("Hoi", THREAD, microsoft.service_url, APP_ID).items() if k != "id"}
    [sent] = await to_webhook(microsoft, incoming, rasa_answering({"text": "Hoi!"}))
    assert sent.raw_path == f"/emea/v3/conversations/{quote(THREAD, safe='')}/activities"  # SendToConversation
    assert "replyToId" not in sent.json()


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
