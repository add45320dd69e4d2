"""Rasa's response generator, with two kinds of variables the domain's responses may use.

- The school's settings from school.yml ({school_contact}, {school_name}; bot/school.py),
  read when the Rasa server starts: a mistake in the file stops the start with a message
  that names the field, so a school never runs with half its contact details.
- {sbb_portal} and {max_message_chars}, from the one place each is defined in the code.
- The topic menu: `utter_capabilities` gets one button per theme (bot/knowledge/themes.py),
  the same buttons as the kiosk's.
- The conversation's language: each response has an English variation on the slot
  `language` (Rasa picks it); the message carries the language as metadata for the channels.
- {answer_given}: which answer the last message got ("faq/bol_bbl", "lookup/ask_level/25893"),
  so the 👍/👎 buttons under an answer carry the answer they rate (bot/feedback.py).

Configured in endpoints.yml (`nlg: type: bot.responses.Responses`).
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.feedback import answer_given
from bot.input_guard import MAX_MESSAGE_CHARS
from bot.language import DUTCH, LANGUAGE_SLOT, conversation_language
from bot.knowledge.models import SBB_PORTAL
from bot.knowledge.themes import menu_buttons
from bot.school import load_school_settings

# Facts the responses name, from their one place in the code.
FIXED_VARIABLES = {"sbb_portal": SBB_PORTAL, "max_message_chars": MAX_MESSAGE_CHARS}
# Responses that show the topic menu as their buttons.
MENU_RESPONSES = frozenset({"utter_capabilities"})


class Responses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__(domain.responses if domain else {})
        settings_path = (endpoint_config.kwargs.get("settings") if endpoint_config else None) or None
        self.school = load_school_settings(settings_path)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        generated = await super().generate(utter_action, tracker, output_channel,
                                           **{"answer_given": answer_given(tracker), **kwargs})
        if generated is None:
            return None
        if utter_action in MENU_RESPONSES:
            generated["buttons"] = [*menu_buttons(conversation_language(tracker)), *(generated.get("buttons") or [])]
        # Message metadata: the pages set `lang` on the message by it (screen readers pronounce by it).
        generated[LANGUAGE_SLOT] = conversation_language(tracker)
        return generated

    def _response_variables(self, filled_slots: Dict[Text, Any], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        # Slots and the action's own variables win; the school's fill the rest.
        language = filled_slots.get(LANGUAGE_SLOT) or DUTCH
        return {**FIXED_VARIABLES, **self.school.response_variables(language),
                **super()._response_variables(filled_slots, kwargs)}
