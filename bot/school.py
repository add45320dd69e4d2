"""The school's own settings (school.yml): its name, its contact for students, the kiosk's URL.

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
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from bot import PROJECT_DIR
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
_FIELDS = {"name", "contact", "kiosk_url"}
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
