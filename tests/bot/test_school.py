"""The school's own settings: validated with a message an editor can act on, neutral without a file."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.school import NEUTRAL_CONTACT, SchoolSettingsError, load_school_settings
from bot import PROJECT_DIR


def settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "school.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_the_answers_stay_neutral(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(tmp_path / "school.yml")
    assert settings.response_variables() == {"school_contact": NEUTRAL_CONTACT, "school_name": "je school"}


def test_the_example_file_is_valid_and_names_the_contact(monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(PROJECT_DIR / "school.example.yml")
    assert settings.contact_sentence == (
        "Voor persoonlijk advies kun je terecht bij het studentenloket van ROC Voorbeeldstad: "
        "https://www.rocvoorbeeldstad.nl/studentenloket, studentenloket@rocvoorbeeldstad.nl, 010 123 4567 "
        "(ma-vr 8.30-17.00 uur).")


@pytest.mark.parametrize("text, message", [
    ("name: ROC\ncontact:\n  emial: a@b.nl\n", "onbekend veld 'contact.emial'"),
    ("name: ROC\ncontact:\n  email: loket-at-school\n", "'contact.email' is 'loket-at-school', maar moet een e-mailadres"),
    ("contact:\n  url: www.school.nl\n", "begint met https://"),
    ("contact:\n  phone: bel maar\n", "telefoonnummer"),
    ("name: ROC\n contact:\n  url: https://x.nl\n", "regel 2"),
    ("- name: ROC\n", "niet een lijst"),
    ("name: '<script>alert(1)</script>'\n", "bevat < >"),
])
def test_a_mistake_names_the_field_and_what_to_do(tmp_path, monkeypatch, text, message):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    with pytest.raises(SchoolSettingsError, match="school.yml") as raised:
        load_school_settings(settings_file(tmp_path, text))
    assert message in str(raised.value)


def test_the_environment_chooses_another_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHOOL_SETTINGS", str(settings_file(tmp_path, "name: Techniek College\n")))
    assert load_school_settings().response_variables()["school_name"] == "Techniek College"


async def test_the_handoff_names_the_schools_contact(tmp_path, monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.responses import Responses

    domain = Domain.load(str(PROJECT_DIR / "domain.yml"))
    tracker = DialogueStateTracker("test", domain.slots)
    neutral = Responses(EndpointConfig(type="x", settings=str(tmp_path / "none.yml")), domain)
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    assert NEUTRAL_CONTACT in (await neutral.generate("utter_human_handoff", tracker, "rest"))["text"]
    monkeypatch.setenv("SCHOOL_SETTINGS", str(PROJECT_DIR / "school.example.yml"))
    school = Responses(EndpointConfig(type="x"), domain)
    for response in ("utter_human_handoff", "utter_out_of_scope"):
        text = (await school.generate(response, tracker, "rest"))["text"]
        assert "studentenloket van ROC Voorbeeldstad" in text and "{" not in text


def test_the_kiosk_qr_code_points_to_the_schools_public_address(monkeypatch):
    from types import SimpleNamespace

    from bot.web.channel import PUBLIC_URL_ENV, chat_page_url

    here = SimpleNamespace(scheme="http", host="127.0.0.1:5005")
    monkeypatch.delenv(PUBLIC_URL_ENV, raising=False)
    monkeypatch.setenv("SCHOOL_SETTINGS", str(PROJECT_DIR / "school.example.yml"))
    assert chat_page_url(here) == "https://vragenbot.rocvoorbeeldstad.nl/webhooks/webchat/chat"
    monkeypatch.setenv("SCHOOL_SETTINGS", str(PROJECT_DIR / "no-such-school.yml"))
    assert chat_page_url(here) == "http://127.0.0.1:5005/webhooks/webchat/chat"


def test_the_contact_in_english_names_the_same_details(monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(PROJECT_DIR / "school.example.yml")
    # The school's name and its opening hours stay as the file writes them.
    assert settings.contact_sentence_in("en") == (
        "For personal advice, you can go to the student desk of ROC Voorbeeldstad: "
        "https://www.rocvoorbeeldstad.nl/studentenloket, studentenloket@rocvoorbeeldstad.nl, 010 123 4567 "
        "(ma-vr 8.30-17.00 uur).")
    assert settings.response_variables("en")["school_name"] == "ROC Voorbeeldstad"
    assert settings.response_variables() == settings.response_variables("nl")


def test_without_a_file_the_english_answers_stay_neutral(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(tmp_path / "school.yml")
    assert settings.response_variables("en") == {
        "school_contact": "For personal advice about your programme, you can go to the study advisers or the student "
                          "desk of your school.",
        "school_name": "your school"}


def test_a_name_without_details_in_either_language(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(settings_file(tmp_path, "name: Techniek College\n"))
    assert settings.contact_sentence == ("Voor persoonlijk advies over je opleiding kun je terecht bij de studieadviseurs "
                                         "of het studentenloket van Techniek College.")
    assert settings.contact_sentence_in("en") == ("For personal advice about your programme, you can go to the study "
                                                  "advisers or the student desk of Techniek College.")


def test_details_without_a_name_in_either_language(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    settings = load_school_settings(settings_file(tmp_path, "contact:\n  email: loket@school.nl\n"))
    assert settings.contact_sentence == "Voor persoonlijk advies kun je terecht bij het studentenloket van je school: loket@school.nl."
    assert settings.contact_sentence_in("en") == "For personal advice, you can go to the student desk of your school: loket@school.nl."


# --- handover: opening hours, holidays and limits ---------------------------------------------

def test_the_example_file_has_a_valid_handover_section(monkeypatch):
    from datetime import date, time

    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    handover = load_school_settings(PROJECT_DIR / "school.example.yml").handover
    assert handover.hours.timezone == "Europe/Amsterdam"
    assert handover.hours.periods[0] == ((time(8, 30), time(17, 0)),)
    assert handover.hours.periods[4] == ((time(8, 30), time(12, 0)), (time(13, 0), time(16, 0)))
    assert 5 not in handover.hours.periods and 6 not in handover.hours.periods, "weekend closed"
    assert handover.hours.holiday(date(2026, 12, 24)).name == "Kerstvakantie"
    assert (handover.wait_limit_minutes, handover.user_idle_minutes, handover.staff_idle_minutes,
            handover.message_retention_days, handover.notify_webhook) == (5, 10, 10, 30, None)


def test_without_a_handover_section_there_is_no_handover(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    assert load_school_settings(settings_file(tmp_path, "name: ROC\n")).handover is None


def test_a_minimal_handover_section_takes_the_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    handover = load_school_settings(settings_file(tmp_path, 'handover:\n  hours:\n    ma: "9.00-12.00"\n'
                                                            '    di: none\n    wo:\n')).handover
    assert list(handover.hours.periods) == [0] and handover.hours.holidays == ()
    assert (handover.wait_limit_minutes, handover.message_retention_days) == (5, 30)


HOURS = 'handover:\n  hours:\n    ma: "08:30-17:00"\n'


@pytest.mark.parametrize("text, message", [
    ("handover: ja\n", "'handover' moet velden hebben"),
    ("handover:\n  hours: {ma: '08:30-17:00'}\n  wachttijd: 5\n", "onbekend veld 'handover.wachttijd'"),
    ("handover:\n  timezone: Europe/Amsterdm\n  hours: {ma: '08:30-17:00'}\n",
     "'handover.timezone' is 'Europe/Amsterdm', maar moet een tijdzone zijn"),
    ("handover:\n  wait_limit_minutes: 5\n", "'handover.hours' moet per weekdag"),
    ("handover:\n  hours:\n    maandag: '08:30-17:00'\n", "onbekend veld 'handover.hours.maandag'"),
    ("handover:\n  hours:\n    ma: '8-17'\n", "'handover.hours.ma' is '8-17', maar moet tijden zijn"),
    ("handover:\n  hours:\n    ma: '17:00-08:30'\n", "'handover.hours.ma': 17:00-08:30 sluit niet na de opening"),
    ("handover:\n  hours:\n    ma: '08:30-12:30, 12:00-17:00'\n", "'handover.hours.ma': de tijden"),
    ("handover:\n  hours:\n    ma: '25:00-26:00'\n", "'handover.hours.ma'"),
    ("handover:\n  hours:\n    za: gesloten\n", "'handover.hours' heeft geen enkele dag met tijden"),
    (HOURS + "  holidays: {from: 2026-12-21}\n", "'handover.holidays' moet een lijst zijn"),
    (HOURS + "  holidays:\n    - {from: 2026-12-21, tot: 2027-01-01}\n", "onbekend veld 'handover.holidays[1].tot'"),
    (HOURS + "  holidays:\n    - {from: 21-12-2026, to: 2027-01-01}\n",
     "'handover.holidays[1].from' is '21-12-2026', maar moet een datum zijn"),
    (HOURS + "  holidays:\n    - {from: 2026-12-21, to: 2026-12-01}\n",
     "'handover.holidays[1].to' (2026-12-01) ligt vóór 'handover.holidays[1].from' (2026-12-21)"),
    (HOURS + "  wait_limit_minutes: 0\n",
     "'handover.wait_limit_minutes' is '0', maar moet een getal van 1 tot en met 120"),
    (HOURS + "  user_idle_minutes: tien\n", "'handover.user_idle_minutes' is 'tien'"),
    (HOURS + "  staff_idle_minutes: true\n", "'handover.staff_idle_minutes' is 'True'"),
    (HOURS + "  message_retention_days: 1000\n", "'handover.message_retention_days' is '1000'"),
    (HOURS + "  message_retention_days: 7.5\n", "moet een heel getal"),
    (HOURS + "  notify_webhook: http://hooks.slack.com/x\n", "'handover.notify_webhook' moet het webadres"),
])
def test_a_mistake_in_the_handover_section_names_the_field(tmp_path, monkeypatch, text, message):
    monkeypatch.delenv("SCHOOL_SETTINGS", raising=False)
    with pytest.raises(SchoolSettingsError, match="school.yml") as raised:
        load_school_settings(settings_file(tmp_path, text))
    assert message in str(raised.value)
