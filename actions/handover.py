"""Offering a person (issue 21): the queue within the school's hours, the message box outside them.

Rasa only *offers* a person; the channels do the rest (bot/channels/base.py hands the buttons'
payloads `/handover_start` and `/handover_leave_message` to bot/handover/service.py, before
Rasa). The offer comes after "ik wil een medewerker spreken" (intent `request_human`), a click
on "Een medewerker spreken" under "Bedoelde je…?" (actions/faq.py) or after a 👎
(actions/feedback.py), and after two messages in a row the bot did not understand
(`missed_twice`, asked by actions/faq.py where the fallback is answered).

    within the hours     utter_handover_offer: "Ja, zet me in de wachtrij" / "Nee, toch niet"
    outside the hours    utter_handover_closed: the next opening, "Bericht achterlaten"
    no `handover:`       utter_human_handoff: the school's contact, as before issue 21

The hours are school.yml's section `handover:` (bot/handover/hours.py, validated by
bot/school.py), read once when the action server starts, so a mistake stops the start.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.feedback import FEEDBACK_INTENTS
from bot.handover.hours import HandoverSettings, OpeningHours
from bot.handover.service import format_moment
from bot.language import DUTCH, ENGLISH, conversation_language
from bot.school import load_school_settings

REQUEST_HUMAN_PAYLOAD = "/request_human"
# The person button under "Bedoelde je…?" and after a 👎.
PERSON_BUTTON_TITLES = {DUTCH: "Een medewerker spreken", ENGLISH: "Talk to a staff member"}
# Turns the bot could not help with: the fallback ("Bedoelde je…?" or "stel je vraag anders"),
# a question outside its topic, and one its sources hold nothing about.
MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "ask_not_in_sources"})
# The offer comes after this many misses in a row (and again after as many more).
MISSES_BEFORE_OFFER = 2

# "De chat met een medewerker is weer open …": the moment as the handover's own texts write it
# (bot/handover/service.py `format_moment`: "morgen om 08:30", "on Monday at 08:30").
OPENING_SENTENCES = {
    DUTCH: {"known": "De chat met een medewerker is weer open {moment}.",
            "unknown": "Wanneer de chat met een medewerker weer open is, staat nog niet vast."},
    ENGLISH: {"known": "Chat with a staff member opens again {moment}.",
              "unknown": "It is not yet known when chat with a staff member opens again."},
}


@lru_cache(maxsize=1)
def handover_settings() -> Optional[HandoverSettings]:
    """school.yml's `handover:` section, or None when the school has none (read once)."""
    return load_school_settings().handover


def opening_sentence(opening: Optional[datetime], now: datetime, language: Text = DUTCH,
                     hours: Optional[OpeningHours] = None) -> Text:
    """When the chat with staff opens again (OpeningHours.next_opening), said in `language`."""
    words = OPENING_SENTENCES.get(language, OPENING_SENTENCES[DUTCH])
    if opening is None:
        return words["unknown"]
    return words["known"].format(moment=format_moment(opening, now, language, hours))


def person_button(language: Text = DUTCH) -> Dict[Text, Text]:
    """The button that asks for a person (it goes through Rasa: `action_offer_handover`)."""
    return {"title": PERSON_BUTTON_TITLES.get(language, PERSON_BUTTON_TITLES[DUTCH]), "payload": REQUEST_HUMAN_PAYLOAD}


def person_buttons(language: Text = DUTCH) -> List[Dict[Text, Text]]:
    """[the person button] when the school has a `handover:` section, else none (as before issue 21)."""
    return [person_button(language)] if handover_settings() is not None else []


def offer_person(dispatcher: CollectingDispatcher, settings: Optional[HandoverSettings], language: Text = DUTCH,
                 now: Optional[datetime] = None) -> None:
    """The offer of a person as it stands at `now` (see the module docstring)."""
    if settings is None:
        dispatcher.utter_message(response="utter_human_handoff")
        return
    now = now or datetime.now(timezone.utc)
    if settings.hours.is_open(now):
        dispatcher.utter_message(response="utter_handover_offer")
        return
    opening = settings.hours.next_opening(now)
    dispatcher.utter_message(response="utter_handover_closed",
                             next_opening=opening_sentence(opening, now, language, settings.hours))


def _intent(event: Dict[Text, Any]) -> Optional[Text]:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def misses_in_a_row(tracker: Tracker) -> int:
    """How many of the user's latest messages in a row the bot could not help with (MISS_INTENTS),
    the latest included. 👍/👎 clicks are passed over: they rate an answer, they ask nothing."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user" or _intent(event) in FEEDBACK_INTENTS:
            continue
        if _intent(event) not in MISS_INTENTS:
            break
        count += 1
    return count


def missed_twice(tracker: Tracker) -> bool:
    """Whether the latest message is the second (fourth, …) in a row the bot could not help with."""
    misses = misses_in_a_row(tracker)
    return misses > 0 and misses % MISSES_BEFORE_OFFER == 0


class ActionOfferHandover(Action):
    """A person: the queue, the message box, or the school's contact (module docstring)."""

    def name(self) -> Text:
        return "action_offer_handover"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        offer_person(dispatcher, handover_settings(), conversation_language(tracker))
        return []


handover_settings()  # validate at start-up, not during a conversation
