"""A person on Slack and Teams (issue 21): a request for one keeps where the user wrote, and what
the staff member writes reaches that Slack conversation (thread) and that Teams conversation,
through the loopback fakes of Slack's Web API and Microsoft's Bot Connector (fakes.py), as
"Medewerker: …"; the handover's notices (taken, handed back) arrive there too.

The messages come in through the channels' own webhook handling (Teams) or output (Slack) and
`guarded`, as Rasa hands them over; the handover service is the real one on a SQLite file,
open at every moment (no test depends on the clock). Rasa is played and must hear nothing.
"""
from __future__ import annotations

import asyncio
from datetime import time
from typing import Any, List

import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import UserMessage

from bot.channels.base import guarded
from bot.channels.slack import SlackChannel, SlackSettings
from bot.channels.teams import TeamsChannel
from bot.handover.hours import HandoverSettings, OpeningHours
from bot.handover.service import HandoverService, InProcessRelay, MemoryDrafts
from bot.handover.store import HandoverStore
from tests.bot.channels.fakes import (
    APP_TOKEN, METADATA_PATH, Signer, activity, connector_service, key_service, replies, slack_posts, slack_web_api,
    token_service,
)
from tests.bot.channels.test_teams import APP_ID, TENANT, request, settings

ALWAYS = HandoverSettings(hours=OpeningHours(periods={day: ((time(0, 0), time.max),) for day in range(7)}))
TOKEN, SECRET = "xoxb-handover-test", "handover-signing-secret"
THREAD = "1700000000.000200"


class Rasa:
    def __init__(self) -> None:
        self.heard: List[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.heard.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Rasa answered")


@pytest.fixture
def service(tmp_path) -> HandoverService:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}")
    return HandoverService(HandoverStore(engine), ALWAYS, InProcessRelay(), MemoryDrafts())


# --- Slack --------------------------------------------------------------------------------------

@pytest.fixture
def slack_api():
    api = slack_web_api(TOKEN).start()
    yield api
    api.stop()


async def from_slack(channel: SlackChannel, rasa: Rasa, text: str, dm: str, thread: str = None) -> None:
    """A message in a Slack DM (thread), as SlackChannel.process_message hands it to Rasa's handler."""
    output = channel.get_output_channel(dm, thread, collect=True)
    await guarded(rasa, channel)(UserMessage(text, output, channel.conversation("U0STUDENT"), input_channel="slack"))
    await output.flush()


async def test_a_staff_reply_reaches_the_slack_thread_the_student_wrote_in(slack_api, service):
    channel = SlackChannel(SlackSettings.from_env(
        {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": f"{slack_api.url}/api/"}))
    channel.handover = service
    await channel.handover_ready(service)
    rasa = Rasa()

    await from_slack(channel, rasa, "/handover_start", "D0STUDENT", THREAD)
    [queued] = slack_posts(slack_api, "D0STUDENT")
    assert queued["text"].startswith("Je bent nummer 1 in de wachtrij.") and queued["thread_ts"] == THREAD
    [handover] = service.store.waiting_and_taken()
    assert handover.channel == "slack" and handover.reply_to == {"channel": "D0STUDENT", "thread_ts": THREAD}

    await from_slack(channel, rasa, "Mag ik iets vragen over mijn stage?", "D0STUDENT", THREAD)
    await service.take(handover.id, "anne")
    await service.staff_reply(handover.id, "anne", "Anne", "Natuurlijk, vertel!")
    await service.hand_back(handover.id)

    posts = slack_posts(slack_api, "D0STUDENT")
    assert [p["text"] for p in posts[1:]] == [
        "Een medewerker van de school heeft je gesprek overgenomen. Je praat nu met een mens, niet met de Vragenbot.",
        "Medewerker: Natuurlijk, vertel!",
        "De medewerker heeft het gesprek teruggegeven aan de Vragenbot. Je kunt de Vragenbot weer iets vragen."]
    assert {p["thread_ts"] for p in posts} == {THREAD}  # all in the student's thread
    assert {r.headers["authorization"] for r in slack_api.recorded("POST", "/api/chat.postMessage")} == {
        f"Bearer {TOKEN}"}
    assert rasa.heard == []
    assert [m.text for m in service.store.messages(handover.id) if m.sender == "user"] == [
        "Mag ik iets vragen over mijn stage?"]

    await from_slack(channel, rasa, "Wat is crebo 25894?", "D0STUDENT", THREAD)
    assert rasa.heard == ["Wat is crebo 25894?"]  # back with the bot


# --- Teams --------------------------------------------------------------------------------------

@pytest.fixture
def microsoft():
    key = Signer("microsoft-key-handover")
    keys = key_service(lambda: [key.jwk()]).start()
    login, connector = token_service().start(), connector_service("/emea").start()
    config = settings(keys.url + METADATA_PATH, tenant=TENANT, token_url=f"{login.url}/{TENANT}/oauth2/v2.0/token")
    yield type("Microsoft", (), {"key": key, "connector": connector, "channel": TeamsChannel(config),
                                 "service_url": f"{connector.url}/emea/"})
    for fake in (keys, login, connector):
        fake.stop()


async def from_teams(microsoft: Any, rasa: Rasa, text: str, conversation: str) -> None:
    """An activity posted to the channel's webhook as the Bot Connector posts it."""
    incoming = activity(text, conversation, microsoft.service_url, APP_ID)
    receive = next(r.handler for r in microsoft.channel.blueprint(rasa)._future_routes if r.uri == "/webhook")
    assert (await receive(request(microsoft.key.token(APP_ID, incoming["serviceUrl"]), incoming))).status == 200
    await asyncio.gather(*microsoft.channel._background_tasks)


async def test_a_staff_reply_reaches_the_teams_conversation_the_student_wrote_in(microsoft, service):
    channel = microsoft.channel
    channel.handover = service
    await channel.handover_ready(service)
    rasa, conversation = Rasa(), "a:1student-handover-chat"

    await from_teams(microsoft, rasa, "/handover_start", conversation)
    [handover] = service.store.waiting_and_taken()
    assert handover.channel == "teams" and handover.reply_to["conversation"]["id"] == conversation
    assert handover.reply_to["serviceUrl"] == microsoft.service_url and "id" not in handover.reply_to

    await from_teams(microsoft, rasa, "Ik heb een vraag over mijn rooster", conversation)
    await service.take(handover.id, "anne")
    await service.staff_reply(handover.id, "anne", "Anne", "Hoi, ik kijk even mee.")
    await service.hand_back(handover.id)

    sent = [r.json() for r in replies(microsoft.connector, conversation, "/emea")]
    assert [a["text"].split(".")[0] for a in sent] == [
        "Je bent nummer 1 in de wachtrij", "Een medewerker van de school heeft je gesprek overgenomen",
        "Medewerker: Hoi, ik kijk even mee", "De medewerker heeft het gesprek teruggegeven aan de Vragenbot"]
    staff_reply = sent[2]
    # Sent into the student's conversation (SendToConversation: in reply to nothing), from the bot to them.
    assert "replyToId" not in staff_reply
    assert staff_reply["from"]["id"] == f"28:{APP_ID}" and staff_reply["recipient"]["id"] == "29:student-1"
    assert {r.headers["authorization"] for r in replies(microsoft.connector, conversation, "/emea")} == {
        f"Bearer {APP_TOKEN}"}
    assert rasa.heard == []

    await from_teams(microsoft, rasa, "Wat is crebo 25894?", conversation)
    assert rasa.heard == ["Wat is crebo 25894?"]
