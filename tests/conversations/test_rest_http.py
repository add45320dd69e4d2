"""The REST channel over real HTTP against `rasa run` and `rasa run actions`."""
from __future__ import annotations

from tests.conversations.rest import say, without_feedback


def test_crebo_lookup_over_http(live_servers):
    replies = say(live_servers, "Wat is crebo 25894?")
    assert "Medewerker productietechniek" in replies[0]["text"]
    assert "niveau 2" in replies[0]["text"] and "23361" in replies[0]["text"]


def test_faq_answer_over_http(live_servers):
    replies = without_feedback(say(live_servers, "wat was de aanleiding voor de herziening?"))
    assert len(replies) == 1  # one message per answer, its source line included
    assert replies[-1]["text"].split("\n\n")[-1] == ("Bron: 1e vragenuur, 4 maart 2022 (vraag 1); column 'Samen stáán voor doorlopende leerroutes' (Jan van Nierop, Kartrekker STO)")



def test_greeting_has_buttons_over_http(live_servers):
    replies = say(live_servers, "goedemorgen")
    assert [b["payload"] for b in replies[0]["buttons"]][0] == "faq:aanleiding_herziening"


def test_a_button_payload_gives_exactly_that_answer(live_servers):
    [reply] = without_feedback(say(live_servers, "faq:start_schooljaar_2023"))
    assert "2023-2024" in reply["text"] and reply["text"].endswith("\n\nBron: 4e vragenuur, 11 oktober 2022 (vraag 2)")


def test_unknown_crebo_over_http(live_servers):
    replies = say(live_servers, "wat is crebo 12345?")
    assert "staat niet in mijn gegevens" in replies[0]["text"]


def test_replies_name_the_callers_own_sender(live_servers):
    # Stored as "rest:student-7" (a namespace per channel); the caller sees its own id back.
    replies = say(live_servers, "Wat is crebo 25894?", "student-7")
    assert {reply["recipient_id"] for reply in replies} == {"student-7"}
