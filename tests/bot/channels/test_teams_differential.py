"""Our Teams token check against Microsoft's own validator, on the same tokens and activities.

botframework-connector (Microsoft's Bot Framework SDK, installed beside Rasa for this test
only) validates the channel path with `ChannelValidation.authenticate_channel_token_with_service_url`.
Both validators read the same fake key service. Every case must get the same verdict. Two
checks are ours alone and kept apart: with TEAMS_TENANT_ID set we also compare the tenant
(Microsoft's validator does not look), and we answer a key endorsed for another channel with
403 where Microsoft raises the same refusal as any other.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Dict

import jwt
import pytest
from botframework.connector.auth import ChannelValidation, SimpleCredentialProvider

from bot.channels.teams import KeysUnavailable, Refused
from tests.bot.channels.fakes import METADATA_PATH, FakeService, Signer
from tests.bot.channels.test_teams import APP_ID, SERVICE_URL, keys, microsoft_key, published, question, validator  # noqa: F401

Case = Callable[[Signer], str]


def hs256(_: Signer) -> str:
    return jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": SERVICE_URL,
                       "exp": int(time.time()) + 600}, "a-shared-secret-nobody-should-accept", algorithm="HS256")


CASES: Dict[str, Case] = {
    "valid": lambda key: key.token(APP_ID, SERVICE_URL),
    "another app's": lambda key: key.token("another-app", SERVICE_URL),
    "expired ten minutes ago": lambda key: key.token(APP_ID, SERVICE_URL, lifetime=-600),
    "expired two minutes ago (within the clock skew)": lambda key: key.token(APP_ID, SERVICE_URL, lifetime=-120),
    "not valid for ten more minutes": lambda key: key.token(APP_ID, SERVICE_URL, nbf=int(time.time()) + 600),
    "service url with a trailing slash": lambda key: key.token(APP_ID, SERVICE_URL.rstrip("/")),
    "service url of another connector": lambda key: key.token(APP_ID, "https://elders.example/"),
    "no service url": lambda key: key.token(APP_ID, ""),
    "issued by a tenant": lambda key: key.token(APP_ID, SERVICE_URL, issuer="https://sts.windows.net/tenant/"),
    "issued by the emulator": lambda key: key.token(APP_ID, SERVICE_URL,
                                                    issuer="https://login.microsoftonline.com/botframework.com/v2.0"),
    "signed by an unpublished key": lambda key: Signer("unpublished").token(APP_ID, SERVICE_URL),
    "signed with the published key id by another key": lambda key: Signer(key.kid).token(APP_ID, SERVICE_URL),
    "HS256 with a shared secret": hs256,
}


async def ours(keys: FakeService, authorization: str, activity: Dict[str, Any]) -> bool:
    try:
        await validator(keys).claims(authorization, activity)
        return True
    except (Refused, KeysUnavailable):
        return False


async def microsofts(keys: FakeService, authorization: str, activity: Dict[str, Any]) -> bool:
    ChannelValidation.open_id_metadata_endpoint = keys.url + METADATA_PATH
    try:
        await ChannelValidation.authenticate_channel_token_with_service_url(
            authorization, SimpleCredentialProvider(APP_ID, "app-password"), activity["serviceUrl"], activity["channelId"])
        return True
    except Exception:  # the SDK refuses with PermissionError, jwt errors or plain Exception
        return False
    finally:
        ChannelValidation.open_id_metadata_endpoint = None


@pytest.mark.parametrize("case", list(CASES))
async def test_both_validators_give_the_same_verdict(case, keys, microsoft_key):
    authorization = f"Bearer {CASES[case](microsoft_key)}"
    activity = question()
    theirs, mine = await microsofts(keys, authorization, activity), await ours(keys, authorization, activity)
    assert mine == theirs, f"{case}: Microsoft {'accepts' if theirs else 'refuses'}, we {'accept' if mine else 'refuse'}"
    assert mine == (case in {"valid", "expired two minutes ago (within the clock skew)"})


async def test_a_key_endorsed_for_another_channel_is_refused_by_both(keys, microsoft_key, published):
    published[:] = [microsoft_key.jwk(endorsements=("webchat",))]
    authorization = f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}"
    assert not await microsofts(keys, authorization, question())
    assert not await ours(keys, authorization, question())


async def test_only_we_compare_the_tenant(keys, microsoft_key):
    authorization = f"Bearer {microsoft_key.token(APP_ID, SERVICE_URL)}"
    other_tenant = question(channelData={"tenant": {"id": "99999999-9999-4999-8999-999999999999"}})
    assert await microsofts(keys, authorization, other_tenant)
    with pytest.raises(Refused):
        await validator(keys, tenant="0d3b5a7c-1111-4222-8333-444455556666").claims(authorization, other_tenant)
