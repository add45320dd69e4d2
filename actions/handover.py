"""Offering a person (issue 21): the queue within the school's hours, the message box outside them.

Rasa only *offers* a person; the channels do the rest (bot/channels/base.py hands the buttons'
payloads `/handover_start` and `/handover_leave_message` to bot/handover/service.py, before
Rasa). The offer comes after "ik wil een medewerker spreken" (intent `request_human`), a click
on "Een medewerker spreken" under "Bedoelde je…?" (actions/faq.py) or after a 👎
(actions/feedback.py), and after two messages in a row the bot could not help with, in any mix
of "Bedoelde je…?" and "daar kan ik je niet mee helpen" (`missed_twice`): asked where each miss
is answered, by actions/faq.py (the fallback) and `action_answer_out_of_scope` (out of scope).
Once per run of misses: a third miss right after gets the usual answer, with the person button
under "Bedoelde je…?".

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
from bot.knowledge.asked import CONTACT_DETAILS, detail_asked
from bot.language import DUTCH, ENGLISH, conversation_language
from bot.school import load_school_settings
from bot.text import normalise

REQUEST_HUMAN_PAYLOAD = "/request_human"
# The person button under "Bedoelde je…?" and after a 👎.
PERSON_BUTTON_TITLES = {DUTCH: "Een medewerker spreken", ENGLISH: "Talk to a staff member"}
# Turns the bot could not help with: the fallback ("Bedoelde je…?" or "stel je vraag anders"),
# a question outside its topic, and one its sources hold nothing about.
MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "ask_not_in_sources"})
# The offer comes after this many misses in a row, once (not again while the misses go on).
MISSES_BEFORE_OFFER = 2
# The responses that offer a person (`offer_person`), as Rasa notes them on the bot's events.
OFFER_RESPONSES = frozenset({"utter_handover_offer", "utter_handover_closed", "utter_human_handoff"})

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
    """Whether the offer of a person is due: the latest message is at least the second in a row the
    bot could not help with, and no answer in this run of misses offered a person yet.

    Normally that is the second miss; it is a later one only when the second was answered by an
    action that does not offer (a question the sources do not hold, actions/lookups.py). A third
    miss right after the offer gets none.
    """
    misses, offered, offer_pending = 0, False, False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "bot":
            # Seen before (in reverse) the user message it answered.
            offer_pending = offer_pending or (event.get("metadata") or {}).get("utter_action") in OFFER_RESPONSES
        elif kind == "user":
            if _intent(event) in FEEDBACK_INTENTS:  # a 👍/👎 and its answer: passed over
                offer_pending = False
                continue
            if _intent(event) not in MISS_INTENTS:
                break
            misses += 1
            offered = offered or offer_pending
            offer_pending = False
    return misses >= MISSES_BEFORE_OFFER and not offered


class ActionOfferHandover(Action):
    """A person: the queue, the message box, or the school's contact (module docstring)."""

    def name(self) -> Text:
        return "action_offer_handover"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if detail_asked(normalise(tracker.latest_message.get("text") or "")) == CONTACT_DETAILS:
            dispatcher.utter_message(response="utter_contact_details_not_held")  # "mag ik een mailadres om iemand te spreken?"
        offer_person(dispatcher, handover_settings(), conversation_language(tracker))
        return []


class ActionAnswerOutOfScope(Action):
    """A question outside the bot's topic: utter_out_of_scope ("daar kan ik je helaas niet mee
    helpen"), then, when the school offers a person and two misses in a row make it due
    (`missed_twice`), the offer.

    Needs the rule `out_of_scope → action_answer_out_of_scope` (data/rules.yml) and the action in
    domain.yml; with `utter_out_of_scope` in the rule, an out-of-scope question answers without it.
    """

    def name(self) -> Text:
        return "action_answer_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_out_of_scope")
        settings = handover_settings()
        if settings is not None and missed_twice(tracker):
            # The answer already says it cannot help; "Het lukt me niet goed om je vraag te begrijpen"
            # (utter_handover_after_misses) would not be true here.
            offer_person(dispatcher, settings, conversation_language(tracker))
        return []


handover_settings()  # validate at start-up, not during a conversation
