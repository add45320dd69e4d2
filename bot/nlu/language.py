"""`LanguageReader`: the entity `language` when a message changes the conversation's language.

Runs after the classifier and the lookup reader (a question the reader answers is no switch
request, whatever the classifier guessed). The slot `language` (domain.yml) follows the entity, and every
response has an English variation on that slot, so the answer to this very message is
already in the new language. Two ways a message changes it:
- it asks to ("English please", "kan het in het Engels?", "back to Dutch"): the classifier
  reads the intent `switch_language`, and the language named decides (or, naming none,
  the other one);
- it is clearly written in the other language (bot/language.py): "what is the crebo of
  Technicus mechatronica?" in a Dutch conversation. Short or mixed messages ("ok", "25893?",
  "BBL?") keep the conversation's language.
Button payloads (`/switch_language{"language":"en"}`) carry the entity themselves.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.knowledge.faq import PAYLOAD_PREFIX
from bot.knowledge.lookup_intents import NOT_IN_SOURCES
from bot.language import DUTCH, ENGLISH, LANGUAGE_SLOT, conversation_language, detect
from bot.text import normalise

SWITCH_INTENT = "switch_language"
LANGUAGE_ENTITY = LANGUAGE_SLOT
# The names of the two languages in either language: a closed vocabulary.
_NAMES = {ENGLISH: re.compile(r"\b(english|engels|engelse|engl|eng)\b"),
          DUTCH: re.compile(r"\b(dutch|nederlands|nederlandse|hollands|nl)\b")}


# A question about a programme's language ("kan ik de opleiding ook in het Engels volgen?"), or
# about English as a subject ("is technisch Engels verplicht?", "Engels niveau B1?"), asks about
# the programme, not for another language of the chat.
_ABOUT_A_PROGRAMME = re.compile(r"\b(opleiding\w*|kwalificatie\w*|diploma\w*|les|lessen|lesgeven|gegeven|geven|volgen|"
                                r"examen\w*|school|scholen|stage|bpv|course\w*|programme\w*|program|programs|classes|"
                                r"lessons|taught|teach\w*|exams?|study|studying|onderwijs|vak|vakken|verplicht\w*|"
                                r"keuzede\w*|technisch\w*|technical|niveau|level|[abc][12]|track|stream|leerbedrijf\w*|"
                                r"bedrijf|werk|required|compulsory|subject)\b")
# A request for another language of the chat says little besides the language ("Engels", "English
# please", "in het Engels graag"), or says that it asks ("kan het ook in het Engels?", "switch to
# English", "andere taal"). Without either, a message the classifier read as `switch_language`
# ("hoeveel Engels zit erin?", "moet ik engels kunnen", "vakengels") is read as any other.
_REQUEST_ONLY = frozenset("in het de op naar to the terug back weer again ook also too maar liever graag aub ajb "
                          "alsjeblieft alstublieft asjeblieft svp pls plz please a u b ok oke okay".split())
_ASKS = re.compile(r"\b(spreek\w*|spreken|praat\w*|antwoord\w*|beantwoord\w*|schakel\w*|overschakel\w*|switch\w*|"
                   r"wissel\w*|verander\w*|zet|chat\w*|typ\w*|schrijf\w*|taal|terug|liever|versta\w*|begrijp\w*|"
                   r"snap\w*|kan het|kun je|kunt u|kan je|kunnen we|kan dat|mag het|doe maar|speak\w*|talk\w*|"
                   r"answer\w*|repl\w*|respond\w*|continue|change|language|back|understand|can you|could you|"
                   r"can we|could we|can i|possible|write|prefer)\b")


# "ik spreek niet zo goed Nederlands", "mijn Nederlands is slecht", "I don't speak Dutch": the
# other language is asked for. A negation near a verb of understanding, or "my Dutch is …".
_NOT_UNDERSTOOD = re.compile(
    r"\b(spreek\w*|spreken|begrijp\w*|versta\w*|lees|lezen|snap\w*)\b( \w+){0,3} (niet|geen|slecht|nauwelijks|weinig|amper)\b"
    r"|\bmijn (nederlands|dutch)\b|\b(don t|dont|do not|can t|cant|cannot|barely|hardly)( \w+)? (speak|understand|read)\b"
    r"|\bmy dutch\b")


def requested_language(text: Text, current: Text) -> Optional[Text]:
    """The language a switch request names ("in het Engels graag" → en); naming none, the other
    one ("andere taal"); naming both, none: "wordt het in het Nederlands of het Engels gegeven?"
    asks about the programme, not for another language. A message that asks nothing of the
    chat's language ("is technisch Engels verplicht?") is no request: None."""
    clean = normalise(text)
    if _ABOUT_A_PROGRAMME.search(clean):
        return None
    named = [language for language, name in _NAMES.items() if name.search(clean)]
    words = [word for word in clean.split() if not any(name.fullmatch(word) for name in _NAMES.values())]
    if not _ASKS.search(clean) and not (named and all(word in _REQUEST_ONLY for word in words)):
        return None
    if named == [DUTCH] and _NOT_UNDERSTOOD.search(clean):
        return ENGLISH  # "ik spreek niet zo goed Nederlands", "I don't speak Dutch": the other language
    if len(named) == 1:
        return named[0]
    if named:
        return None
    return DUTCH if current == ENGLISH else ENGLISH


def language_of(text: Text, intent: Optional[Text], current: Text) -> Text:
    """The conversation's language after this message."""
    if intent == SWITCH_INTENT:
        return requested_language(text, current) or detect(text, current)
    return detect(text, current)


def _choose(message: Message, name: Text) -> None:
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(chosen), *ranking], add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageReader(GraphComponent):
    """Sets the entity `language` when the message changes the conversation's language."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageReader":
        detect("warm up the model once", DUTCH)  # loaded when the server starts, not at the first message
        return cls()

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        current = conversation_language(tracker)
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith(("/", PAYLOAD_PREFIX)):
                continue  # a button's payload: it names its entities, or is an FAQ key, not a language
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            language = language_of(text, intent, current)
            if intent == SWITCH_INTENT and language == current and not requested_language(text, current):
                # "is de opleiding in het Engels?", "is technisch Engels verplicht?": a question about the
                # programme, which the sources do not answer; not "Prima, ik antwoord in het Nederlands".
                _choose(message, NOT_IN_SOURCES)
            if language != current or (intent == SWITCH_INTENT and requested_language(text, current)):
                entity = {"entity": LANGUAGE_ENTITY, "value": language, "start": 0, "end": len(text),
                          "extractor": type(self).__name__}
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
