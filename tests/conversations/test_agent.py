"""Conversations with the trained model in-process (Rasa Agent, live action server)."""
from __future__ import annotations

import uuid

import pytest


async def say(agent, text: str, sender: str = "") -> list:
    return await agent.handle_text(text, sender_id=sender or uuid.uuid4().hex)


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


async def test_greeting_introduces_the_bot_with_example_questions(agent):
    replies = await say(agent, "hallo")
    assert "Vragenbot Metaal" in replies[0]["text"]
    assert len(replies[0]["buttons"]) == 3


async def test_goodbye(agent):
    answer = texts(await say(agent, "doei, tot ziens"))
    assert "Tot ziens" in answer or "Doei" in answer


async def test_bot_challenge(agent):
    assert "chatbot, geen mens" in texts(await say(agent, "ben je een bot?"))


async def test_reason_for_the_revision_cites_the_first_vragenuur(agent):
    answer = texts(await say(agent, "Waarom zijn de metaalopleidingen herzien?"))
    assert "Dalende instroom" in answer or "instroom daalde" in answer
    assert "Bron: 1e vragenuur, 4 maart 2022" in answer


async def test_crebo_lookup(agent):
    answer = texts(await say(agent, "Wat is crebo 25894?"))
    assert "Medewerker productietechniek (crebo 25894) is een kwalificatie op niveau 2" in answer
    assert "Productietechniek (23361)" in answer


async def test_follow_up_uses_context(agent):
    sender = uuid.uuid4().hex
    await say(agent, "welk crebonummer heeft technicus mechatronica?", sender)
    assert "niveau 4" in texts(await say(agent, "en op welk niveau is die?", sender))
    duration = texts(await say(agent, "hoe lang duurt die opleiding?", sender))
    assert "driejarige" in duration and "4e vragenuur" in duration


@pytest.mark.parametrize("question", ["wat is het weer morgen in Utrecht?", "wie wint de Champions League?"])
async def test_off_topic_gets_a_friendly_pointer_not_an_faq_answer(agent, question):
    answer = texts(await say(agent, question))
    assert "Bron:" not in answer
    assert "s-bb.nl" in answer or "Bedoelde je" in answer or "anders" in answer


async def test_a_long_conversation_starts_new_sessions_and_keeps_its_context(agent):
    from bot.rasa_patches import MAX_TURNS_PER_SESSION, user_turns_in_session

    sender = uuid.uuid4().hex
    await say(agent, "Wat is crebo 25896?", sender)
    for _ in range(MAX_TURNS_PER_SESSION + 5):  # an open-day kiosk that is never idle
        await say(agent, "Waarom zijn de metaalopleidingen herzien?", sender)
    # "die opleiding" is only known from the slot, set in the previous session.
    duration = texts(await say(agent, "Hoe lang duurt die opleiding?", sender))
    assert "Productietechnicus" in duration
    # Message 21 opened a new session: it holds messages 21 to 27, not all 27.
    tracker = await agent.tracker_store.retrieve(sender)
    assert user_turns_in_session(tracker) == 7
    assert tracker.get_slot("qualification") == "25896"


async def test_a_second_question_that_points_back_is_read_with_the_subject_of_the_first(agent):
    # "ze" is the uitwerkingsdocumenten of the first question: its own answer on where they are published
    # (alone, "en waar komen ze online?" is "Bedoelde je…?" between that answer and the concept-KD's)
    answer = texts(await say(agent, "Zijn de uitwerkingsdocumenten wettelijk bindend? En waar komen ze online?"))
    assert "4e vragenuur, 11 oktober 2022 (vraag 10)" in answer and "oZone" in answer
    assert "begreep ik niet" not in answer


async def test_onderhoud_asked_of_a_dossier_in_a_second_question_is_the_faq_answer_that_names_it(agent):
    answer = texts(await say(agent, "Wordt erkend per profiel? En wat gebeurt er met het onderhoud bij Mechatronica?"))
    assert "aparte kerntaak op niveau 2 en 3" in answer and "4e vragenuur, 11 oktober 2022 (vraag 5)" in answer
