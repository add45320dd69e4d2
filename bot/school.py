"""The school's own settings (school.yml): its name, its contact for students, the kiosk's URL,
and the handover to staff (`handover:`: opening hours, holidays, limits; bot/handover/).

The handoff, out-of-scope and "Dit hielp niet" answers name the school's own contact when the
file is there, and stay neutral when it is not. The file is read once, when the Rasa server
starts (bot/responses.py); a mistake in it stops the start with a message that names
the file, the field and what to do. The contact sentence comes in Dutch and in English, around
the same contact details; the school's name and opening hours stay as the file writes them.
Rasa-free, so the tests and tools can use it too.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot import PROJECT_DIR
from bot.handover.hours import DEFAULT_TIMEZONE, WEEKDAYS, HandoverSettings, Holiday, OpeningHours, Period
from bot.language import DUTCH, ENGLISH

SETTINGS_PATH = PROJECT_DIR / "school.yml"


@dataclass(frozen=True)
class ContactWording:
    """The sentence that points to a person, in one language."""

    neutral: str  # no name, no contact details
    named: str  # {name}, no contact details
    with_details: str  # {where} {reach} {hours}
    desk_of: str  # {name}
    desk_of_your_school: str
    your_school: str  # {school_name} without a name


CONTACT_WORDING: Dict[str, ContactWording] = {
    DUTCH: ContactWording(
        neutral=("Voor persoonlijk advies over je opleiding kun je terecht bij de studieadviseurs of het "
                 "studentenloket van je school."),
        named=("Voor persoonlijk advies over je opleiding kun je terecht bij de studieadviseurs of het "
               "studentenloket van {name}."),
        with_details="Voor persoonlijk advies kun je terecht bij {where}: {reach}{hours}.",
        desk_of="het studentenloket van {name}",
        desk_of_your_school="het studentenloket van je school",
        your_school="je school",
    ),
    ENGLISH: ContactWording(
        neutral=("For personal advice about your programme, you can go to the study advisers or the student desk "
                 "of your school."),
        named="For personal advice about your programme, you can go to the study advisers or the student desk of {name}.",
        with_details="For personal advice, you can go to {where}: {reach}{hours}.",
        desk_of="the student desk of {name}",
        desk_of_your_school="the student desk of your school",
        your_school="your school",
    ),
}
NEUTRAL_CONTACT = CONTACT_WORDING[DUTCH].neutral
_FIELDS = {"name", "contact", "kiosk_url", "handover"}
_HANDOVER_FIELDS = {"timezone", "hours", "holidays", "wait_limit_minutes", "user_idle_minutes", "staff_idle_minutes",
                    "message_retention_days", "notify_webhook"}
_HOLIDAY_FIELDS = {"from", "to", "name"}
# "08:30-17:00", "8.30 - 12.00, 13.00 - 17.00"; a closed day is empty, "none", "gesloten" or "dicht".
_PERIOD = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-3])[:.]([0-5]\d)$")
_CLOSED = {"", "none", "gesloten", "dicht", "closed"}
_HTTPS = re.compile(r"^https://[^\s<>\"']{3,500}$")
# Bounds of the handover's numbers: (default, lowest, highest); what a school could mean, not more.
_HANDOVER_NUMBERS = {
    "wait_limit_minutes": (5, 1, 120),
    "user_idle_minutes": (10, 1, 240),
    "staff_idle_minutes": (10, 1, 240),
    "message_retention_days": (30, 1, 365),
}
_CONTACT_FIELDS = {"url", "email", "phone", "hours"}
_URL = re.compile(r"^https?://[^\s<>\"']{3,200}$")
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")
MAX_TEXT = 120


class SchoolSettingsError(ValueError):
    """A mistake in school.yml, said so that whoever edits the file can fix it."""


@dataclass(frozen=True)
class SchoolContact:
    url: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None
    hours: Optional[str] = None


@dataclass(frozen=True)
class SchoolSettings:
    name: Optional[str] = None
    contact: SchoolContact = SchoolContact()
    kiosk_url: Optional[str] = None
    handover: Optional[HandoverSettings] = None  # None: no handover to staff, the contact is named instead

    @property
    def contact_sentence(self) -> str:
        """The Dutch sentence the answers use to point to a person."""
        return self.contact_sentence_in(DUTCH)

    def contact_sentence_in(self, language: str) -> str:
        """The sentence the answers use to point to a person, in `language` ('nl' or 'en')."""
        words = CONTACT_WORDING.get(language, CONTACT_WORDING[DUTCH])
        reach = [part for part in (self.contact.url, self.contact.email, self.contact.phone) if part]
        if not reach:
            return words.named.format(name=self.name) if self.name else words.neutral
        where = words.desk_of.format(name=self.name) if self.name else words.desk_of_your_school
        hours = f" ({self.contact.hours})" if self.contact.hours else ""
        return words.with_details.format(where=where, reach=", ".join(reach), hours=hours)

    def response_variables(self, language: str = DUTCH) -> Dict[str, str]:
        """Variables every response may use, in `language`: {school_contact}, {school_name}."""
        words = CONTACT_WORDING.get(language, CONTACT_WORDING[DUTCH])
        return {"school_contact": self.contact_sentence_in(language), "school_name": self.name or words.your_school}


def load_school_settings(path: Optional[Path] = None) -> SchoolSettings:
    """The settings in $SCHOOL_SETTINGS, else `path`, else school.yml; neutral ones without a file."""
    path = Path(os.environ.get("SCHOOL_SETTINGS") or path or SETTINGS_PATH)
    path = path if path.is_absolute() else PROJECT_DIR / path
    if not path.exists():
        return SchoolSettings()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", regel {mark.line + 1}" if mark else ""
        raise SchoolSettingsError(
            f"{path}{where}: dit is geen geldige YAML ({getattr(error, 'problem', error)}). "
            "Controleer de inspringing (spaties, geen tabs) en de dubbele punten.") from None
    if raw is None:
        return SchoolSettings()
    if not isinstance(raw, dict):
        raise SchoolSettingsError(f"{path}: verwacht velden als 'name:' en 'contact:', niet een lijst of tekst.")
    _no_unknown(path, raw, _FIELDS, "")
    contact_raw = raw.get("contact") or {}
    if not isinstance(contact_raw, dict):
        raise SchoolSettingsError(f"{path}: 'contact' moet velden hebben (url, email, phone, hours).")
    _no_unknown(path, contact_raw, _CONTACT_FIELDS, "contact.")
    contact = SchoolContact(
        url=_checked(path, "contact.url", contact_raw.get("url"), _URL, "een webadres dat begint met https://"),
        email=_checked(path, "contact.email", contact_raw.get("email"), _EMAIL, "een e-mailadres zoals loket@school.nl"),
        phone=_checked(path, "contact.phone", contact_raw.get("phone"), _PHONE, "een telefoonnummer zoals 010 123 4567"),
        hours=_text(path, "contact.hours", contact_raw.get("hours")),
    )
    return SchoolSettings(
        name=_text(path, "name", raw.get("name")),
        contact=contact,
        kiosk_url=_checked(path, "kiosk_url", raw.get("kiosk_url"), _URL, "een webadres dat begint met https://"),
        handover=_handover(path, raw["handover"]) if raw.get("handover") is not None else None,
    )


def _no_unknown(path: Path, raw: Dict[str, Any], known: set, prefix: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SchoolSettingsError(f"{path}: onbekend veld '{prefix}{unknown[0]}'. Bekende velden: "
                                  f"{', '.join(prefix + k for k in sorted(known))} (let op de spelling).")


def _text(path: Path, field: str, value: Any) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, (str, int)) or not str(value).strip():
        raise SchoolSettingsError(f"{path}: '{field}' moet een korte tekst zijn.")
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT or re.search(r"[<>{}]", text):
        raise SchoolSettingsError(f"{path}: '{field}' is te lang of bevat < > {{ }} (maximaal {MAX_TEXT} tekens).")
    return text


def _checked(path: Path, field: str, value: Any, pattern: re.Pattern, expected: str) -> Optional[str]:
    text = _text(path, field, value)
    if text is not None and not pattern.match(text):
        raise SchoolSettingsError(f"{path}: '{field}' is '{text}', maar moet {expected} zijn.")
    return text


def _handover(path: Path, raw: Any) -> HandoverSettings:
    """The `handover:` section: opening hours, holidays, limits (see school.example.yml)."""
    if not isinstance(raw, dict):
        raise SchoolSettingsError(f"{path}: 'handover' moet velden hebben ({', '.join(sorted(_HANDOVER_FIELDS))}); "
                                  "zie school.example.yml.")
    _no_unknown(path, raw, _HANDOVER_FIELDS, "handover.")
    zone = raw.get("timezone", DEFAULT_TIMEZONE)
    try:
        if not isinstance(zone, str) or not zone:
            raise ValueError(zone)
        ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError):
        raise SchoolSettingsError(f"{path}: 'handover.timezone' is '{zone}', maar moet een tijdzone zijn zoals "
                                  f"{DEFAULT_TIMEZONE}.") from None
    numbers = {field: _number(path, field, raw.get(field, default), low, high, whole=field.endswith("_days"))
               for field, (default, low, high) in _HANDOVER_NUMBERS.items()}
    webhook = raw.get("notify_webhook")
    if webhook is not None and (not isinstance(webhook, str) or not _HTTPS.match(webhook.strip())):
        raise SchoolSettingsError(f"{path}: 'handover.notify_webhook' moet het webadres van een inkomende webhook "
                                  "van Teams of Slack zijn, dat begint met https:// (of laat het veld weg).")
    return HandoverSettings(
        hours=OpeningHours(periods=_hours(path, raw.get("hours")), holidays=_holidays(path, raw.get("holidays")),
                           timezone=zone),
        wait_limit_minutes=numbers["wait_limit_minutes"],
        user_idle_minutes=numbers["user_idle_minutes"],
        staff_idle_minutes=numbers["staff_idle_minutes"],
        message_retention_days=int(numbers["message_retention_days"]),
        notify_webhook=webhook.strip() if webhook else None,
    )


def _hours(path: Path, raw: Any) -> Dict[int, Tuple[Period, ...]]:
    example = 'bijvoorbeeld ma: "08:30-17:00"'
    if not isinstance(raw, dict) or not raw:
        raise SchoolSettingsError(f"{path}: 'handover.hours' moet per weekdag ({', '.join(WEEKDAYS)}) de tijden geven "
                                  f"waarop medewerkers in de chat zijn, {example}.")
    _no_unknown(path, {str(day): value for day, value in raw.items()}, set(WEEKDAYS), "handover.hours.")
    periods: Dict[int, Tuple[Period, ...]] = {}
    for day, value in raw.items():
        field = f"handover.hours.{day}"
        if value is None or (isinstance(value, str) and value.strip().lower() in _CLOSED):
            continue
        day_periods: List[Period] = []
        for part in str(value).split(",") if isinstance(value, str) else [value]:
            match = _PERIOD.match(str(part).strip())
            if not match:
                raise SchoolSettingsError(f"{path}: '{field}' is '{value}', maar moet tijden zijn zoals "
                                          "\"08:30-17:00\" (of \"08:30-12:00, 13:00-17:00\"; leeg of none: "
                                          "gesloten). Zet de tijden tussen aanhalingstekens.")
            start, end = time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))
            if start >= end:
                raise SchoolSettingsError(f"{path}: '{field}': {part.strip()} sluit niet na de opening; de eerste tijd "
                                          "is de opening, de tweede de sluiting.")
            day_periods.append((start, end))
        day_periods.sort()
        for (_, end), (start, _) in zip(day_periods, day_periods[1:]):
            if start < end:
                raise SchoolSettingsError(f"{path}: '{field}': de tijden '{value}' overlappen elkaar.")
        periods[WEEKDAYS.index(day)] = tuple(day_periods)
    if not periods:
        raise SchoolSettingsError(f"{path}: 'handover.hours' heeft geen enkele dag met tijden; zonder tijden is er "
                                  "nooit een medewerker. Geef minstens één dag, of laat 'handover' weg.")
    return periods


def _holidays(path: Path, raw: Any) -> Tuple[Holiday, ...]:
    if raw is None:
        return ()
    example = "bijvoorbeeld - {from: 2026-12-21, to: 2027-01-01, name: Kerstvakantie}"
    if not isinstance(raw, list):
        raise SchoolSettingsError(f"{path}: 'handover.holidays' moet een lijst zijn, {example}.")
    holidays = []
    for number, entry in enumerate(raw, start=1):
        field = f"handover.holidays[{number}]"
        if not isinstance(entry, dict):
            raise SchoolSettingsError(f"{path}: '{field}' moet 'from' en 'to' hebben, {example}.")
        _no_unknown(path, entry, _HOLIDAY_FIELDS, f"{field}.")
        start = _date(path, f"{field}.from", entry.get("from"))
        end = _date(path, f"{field}.to", entry.get("to", entry.get("from")))
        if end < start:
            raise SchoolSettingsError(f"{path}: '{field}.to' ({end}) ligt vóór '{field}.from' ({start}).")
        holidays.append(Holiday(start, end, _text(path, f"{field}.name", entry.get("name"))))
    return tuple(holidays)


def _date(path: Path, field: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SchoolSettingsError(f"{path}: '{field}' is '{value}', maar moet een datum zijn zoals 2026-12-21 "
                                  "(jaar-maand-dag).") from None


def _number(path: Path, field: str, value: Any, low: float, high: float, whole: bool = False) -> float:
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        kind = "een heel getal" if whole else "een getal"
        raise SchoolSettingsError(f"{path}: 'handover.{field}' is '{value}', maar moet {kind} van {low:g} tot en "
                                  f"met {high:g} zijn.")
    return value
