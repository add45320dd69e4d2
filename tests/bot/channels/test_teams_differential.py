"""Our Teams channel against Microsoft's own Bot Framework SDK, on the same inputs.

Tokens: botframework-connector (installed beside Rasa for these tests only) validates the
channel path with `ChannelValidation.authenticate_channel_token_with_service_url`. Both
validators read the same fake key service. Every case must get the same verdict and, when
refused, for the same reason (a category: audience, issuer, signature, expiry, channel,
service URL), so a token refused by us for one thing and by Microsoft for another shows up.
Where we are stricter on purpose, a test of its own says so: with TEAMS_TENANT_ID set we also
compare the tenant, and an activity without channelId is refused (Microsoft's endorsement check
is skipped for it).

Replies: Microsoft's connector client (`ConnectorClient.conversations.reply_to_activity`)
posts the same reply to the same fake; the raw paths and the routing headers must be equal.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Dict, Optional, Tuple

import jwt
import pytest
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import ChannelValidation, SimpleCredentialProvider
from msrest.authentication import BasicTokenAuthentication

from bot.channels.teams import KeysUnavailable, Refused, Why
from tests.bot.channels.fakes import APP_TOKEN, METADATA_PATH, FakeService, Signer, activity
from tests.bot.channels.test_teams import (  # noqa: F401  (fixtures)
    APP_ID, SERVICE_URL, THREAD, keys, microsoft, microsoft_key, published, question, rasa_answering, to_webhook,
    validator,
)

Case = Callable[[Signer], str]


def hs256(_: Signer) -> str:
    return jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": SERVICE_URL,
                       "exp": int(time.time()) + 600}, "a-shared-secret-nobody-should-accept", algorithm="HS256")


def without(claim: str) -> Case:
    def make(key: Signer) -> str:
        payload = jwt.decode(key.token(APP_ID, SERVICE_URL), options={"verify_signature": False})
        del payload[claim]
        return jwt.encode(payload, key.private_key, algorithm="RS256", headers={"kid": key.kid})
    return make


# case: (token, expected reason of the refusal; None = accepted)
CASES: Dict[str, Tuple[Case, Optional[Why]]] = {
    "valid": (lambda key: key.token(APP_ID, SERVICE_URL), None),
    "another app's": (lambda key: key.token("another-app", SERVICE_URL), Why.AUDIENCE),
    "aud: a list with this app's id and another": (lambda key: key.token([APP_ID, "another-app"], SERVICE_URL),
                                                   Why.AUDIENCE),
    "aud: a list of this app's id alone": (lambda key: key.token([APP_ID], SERVICE_URL), Why.AUDIENCE),
    "no aud": (without("aud"), Why.AUDIENCE),
    "expired ten minutes ago": (lambda key: key.token(APP_ID, SERVICE_URL, lifetime=-600), Why.EXPIRY),
    "expired two minutes ago (within the clock skew)": (lambda key: key.token(APP_ID, SERVICE_URL, lifetime=-120),
                                                        None),
    "not valid for ten more minutes": (lambda key: key.token(APP_ID, SERVICE_URL, nbf=int(time.time()) + 600),
                                       Why.EXPIRY),
    "service url with a trailing slash": (lambda key: key.token(APP_ID, SERVICE_URL.rstrip("/")), Why.SERVICE_URL),
    "service url of another connector": (lambda key: key.token(APP_ID, "https://elders.example/"), Why.SERVICE_URL),
    "no service url": (lambda key: key.token(APP_ID, ""), Why.SERVICE_URL),
    "issued by a tenant": (lambda key: key.token(APP_ID, SERVICE_URL, issuer="https://sts.windows.net/tenant/"),
                           Why.ISSUER),
    "issued by the emulator": (lambda key: key.token(APP_ID, SERVICE_URL,
                                                     issuer="https://login.microsoftonline.com/botframework.com/v2.0"),
                               Why.ISSUER),
    "signed by an unpublished key": (lambda key: Signer("unpublished").token(APP_ID, SERVICE_URL), Why.SIGNATURE),
    "signed with the published key id by another key": (lambda key: Signer(key.kid).token(APP_ID, SERVICE_URL),
                                                         Why.SIGNATURE),
    "HS256 with a shared secret": (hs256, Why.SIGNATURE),
}


def microsofts_reason(error: Exception) -> Why:
    """The category of a refusal by Microsoft's SDK, which raises PermissionError, jwt errors,
    plain Exception and, for a key id it does not publish, IndexError."""
    message = str(error)
    if isinstance(error, (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError)):
        return Why.EXPIRY
    if isinstance(error, (jwt.InvalidSignatureError, IndexError)) or "signing algorithm" in message:
        return Why.SIGNATURE  # IndexError: JwtTokenExtractor's _find() of an unpublished key id
    if "Invalid AppId" in message:
        return Why.AUDIENCE
    if "No valid identity" in message:
        return Why.ISSUER  # JwtTokenExtractor returns no identity for an issuer it does not allow
    if "endorsement" in message:
        return Why.CHANNEL
    if "service_url" in message:
        return Why.SERVICE_URL
    raise AssertionError(f"a refusal this test cannot place: {error!r}")


async def ours(keys: FakeService, authorization: str, activity_: Dict[str, Any]) -> Optional[Why]:
    try:
        await validator(keys).claims(authorization, activity_)
        return None
    except Refused as refused:
        return refused.why
    except KeysUnavailable:
        raise AssertionError("the fake key service did not answer") from None


async def microsofts(keys: FakeService, authorization: str, activity_: Dict[str, Any]) -> Optional[Why]:
    ChannelValidation.open_id_metadata_endpoint = keys.url + METADATA_PATH
    try:
        await ChannelValidation.authenticate_channel_token_with_service_url(
            authorization, SimpleCredentialProvider(APP_ID, "app-password"), activity_["serviceUrl"],
            activity_.get("channelId"))
        return None
    except Exception as error:  # noqa: BLE001 - every refusal is placed by microsofts_reason
        return microsofts_reason(error)
    finally:
        ChannelValidation.open_id_metadata_endpoint = None


def verdict(why: Optional[Why]) -> str:
    return "accepts" if why is None else f"refuses ({why.value})"


@pytest.mark.parametrize("case", list(CASES))
async def test_both_validators_give_the_same_verdict_for_the_same_reason(case, keys, microsoft_key):
    make_token, expected = CASES[case]
    authorization = f"Bearer {make_token(microsoft_key)}"
    theirs, mine = await microsofts(keys, authorization, question()), await ours(keys, authorization, question())
    assert mine == theirs, f"{case}: Microsoft {verdict(theirs)}, we {verdict(mine)}"
    assert mine == expected


async def test_a_key_endorsed_for_another_channel_is_refused_by_both_for_the_channel(keys, microsoft_key, published):
    published[:] = [microsoft_key.jwk(endorsements=("webchat",))]
    authorization = f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}"
    assert await microsofts(keys, authorization, question()) == Why.CHANNEL
    assert await ours(keys, authorization, question()) == Why.CHANNEL


async def test_only_we_refuse_an_activity_without_channel_id(keys, microsoft_key):
    # Microsoft's EndorsementsValidator.validate returns True for an empty channel id, so the
    # key's endorsements are never compared. Teams always names its channel ("msteams"); an
    # activity that names none is not a Teams message, and we refuse it as unendorsed.
    authorization = f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}"
    nameless = {k: v for k, v in question().items() if k != "channelId"}
    assert await microsofts(keys, authorization, nameless) is None
    assert await ours(keys, authorization, nameless) == Why.CHANNEL


async def test_only_we_compare_the_tenant(keys, microsoft_key):
    authorization = f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}"
    other_tenant = question(channelData={"tenant": {"id": "99999999-9999-4999-8999-999999999999"}})
    assert await microsofts(keys, authorization, other_tenant) is None
    with pytest.raises(Refused) as refused:
        await validator(keys, tenant="0d3b5a7c-1111-4222-8333-444455556666").claims(authorization, other_tenant)
    assert refused.value.why == Why.TENANT


# --- replies --------------------------------------------------------------------------------

async def test_our_reply_goes_where_microsofts_connector_client_sends_it(microsoft):
    incoming = activity("Wat is crebo 25894?", THREAD, microsoft.service_url, APP_ID)
    [mine] = await to_webhook(microsoft, incoming, rasa_answering({"text": "Medewerker productietechniek"}))

    client = ConnectorClient(BasicTokenAuthentication({"access_token": APP_TOKEN}), base_url=microsoft.service_url)
    reply = Activity.deserialize(mine.json())
    await client.conversations.reply_to_activity(reply.conversation.id, reply.reply_to_id, reply)
    theirs = microsoft.connector.requests[-1]

    assert mine.raw_path == theirs.raw_path
    routing = ("authorization", "x-ms-conversation-id")
    assert {k: mine.headers[k] for k in routing} == {k: theirs.headers[k] for k in routing}
