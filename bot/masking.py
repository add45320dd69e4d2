"""Mask personal data (AVG): in what users type, and again in events before they are stored.

Every channel masks the user's text before the NLU (bot/input_guard.py): the bot never needs
an e-mail address or phone number, and the NLU is less distracted without them. The
conversation store masks every text of every event again (slots, the bot's reply, metadata,
and messages that reached Rasa another way, such as `rasa shell`). What is masked
(docs/privacy.md lists it for the school, with an example of each):
- e-mail addresses                                               -> [e-mail]
- a word or digit groups after "studentnummer", "leerlingnummer", "studentnr", "leerlingnr",
  "stud.nr", "lln.nr", "student-id" ("studentnummer is 123 456")  -> [studentnummer]
- IBANs, with or without spaces, of every country in the IBAN registry (the country's
  length must fit, so an ordinary word or id that merely starts with two letters and two
  digits is left alone)                                          -> [iban]
- a postcode with its house number ("1234 AB 12", "1234AB, 12a"), or alone in capitals
                                                                 -> [adres]
- phone numbers: Dutch (0 and nine digits, any area code: 06-12345678, 030 - 123 45 67,
  (030) 1234567, 0474/12.34.56) and international (+31 or 0031 and the rest, +31 (0)6 …,
  any other +/00 number of 8-15 digits)                          -> [telefoonnummer]
- BSN: nine digits in any grouping (123 456 782, 123.456.782) that pass the elf-proef;
  nine separated digits that fail it are not a BSN and stay      -> [bsn]
- any other unbroken number of 6 to 12 digits, alone or with one or two leading letters
  (student numbers, account numbers)                             -> [nummer]
The digits of one number may be separated by up to four of: white space - – — / . ( ).
Crebo and dossier numbers have 5 digits, years 4 and dates 8 (and a date followed by an
hour or a second date, "01-10-2022 14:00", "01-08-2023 - 31-07-2024", is read as dates), so
lookups and dates are kept. Names and street addresses are not recognised; docs/privacy.md
says so.

Linear time on any input (a public endpoint feeds it): every alternative starts only where
its text starts (a lookbehind), so no run of characters is scanned again from each of its
positions; every repetition is bounded and each step of a number is a separator run then a
digit (disjoint classes), so a start costs at most a few dozen steps. The e-mail pattern
without that took 18 s on 64 kB of digits. tests/bot/test_masking.py times 2 kB and 100 kB
worst cases of each alternative; tests/bot/test_masking_properties.py generates the formats.
"""
from __future__ import annotations

import operator
import re
from typing import Any, Optional, Tuple

# What may stand between the digits of one number, at most four in a row ("030 - 123",
# "(030) - 123", "+31 (0)6"): white space, the hyphen, dashes (‐ ‑ ‒ – — ―) and the minus
# sign, / . ( ).
_SEP = r"[\s./()\-\u2010-\u2015\u2212]"
_GAP = _SEP + "{0,4}"
# Two-letter words and units that follow a number in ordinary text ("2023 en 2024",
# "1500 km"): after a space, in lower case, they are not the letters of a postcode.
_NOT_POSTCODE_LETTERS = "en|in|op|om|of|te|al|na|is|ik|je|we|ze|de|er|nu|zo|af|bv|ca|cm|km|kg|mm|ml|mg|ct"
_HOUSE_NUMBER = r",?\s{0,2}(?:nr\.?\s?)?\d{1,5}(?:-?[A-Z](?![A-Z])|-\d{1,4})?"

_EMAIL = (  # the local part from its first character only; at most 64 characters (RFC 5321), labels 63
    r"(?P<email>(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-]))")
_STUDENT = (  # the keyword, then one or more groups, each with a digit ("12 34 56", "s123 456")
    r"(?P<studentnummer>\b(?:student(?:en)?|leerling(?:en)?|stud|lln)\.?[\s-]?(?:nummer|nr|id)\b\.?"
    r"[\s:#=]{0,4}(?:(?:is|was|luidt)\b[\s:]{0,4})?)"
    r"(?P<student_id>(?=[A-Z-]{0,20}\d)[A-Z0-9-]{1,20}(?:(?:\s?[./-]\s?|\s)(?=[A-Z-]{0,3}\d)[A-Z0-9-]{1,20}){0,8})")
_IBAN = (  # country, check digits, then groups of four, with or without spaces; _is_iban checks the country
    r"(?P<iban>(?<!\w)[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?(?!\w))")
_POSTCODE = (  # capitals with or without a space; any case when joined or followed by a house number
    rf"(?P<postcode>(?<!\w)[1-9]\d{{3}}(?:\s?(?-i:[A-Z]{{2}})(?:{_HOUSE_NUMBER})?|[A-Z]{{2}}(?:{_HOUSE_NUMBER})?"
    rf"|\s(?!(?:{_NOT_POSTCODE_LETTERS})\b)[A-Z]{{2}}{_HOUSE_NUMBER})(?!\w))")
_PHONE_INTERNATIONAL = (  # +31 6 …, 0031 …, +31 (0)20 …, +44 …: 8 to 15 digits in all
    rf"(?P<phone_international>(?<![\w+])(?:\((?=(?:\+\s?|00)\d{{1,3}}\)))?(?:\+\s?|00)[1-9](?:{_GAP}\d){{7,14}}(?!\w))")
# Not part of a date or range ("2023-08-01 - 2024-07-31", "25894 2023/2024"): a phone number
# or BSN does not start right after, or end right before, a digit joined by a dash or dot
# (a BSN: or a slash; "06-12345678/020-1234567" is two phone numbers).
_NOT_AFTER_DIGITS = r"(?<![\w+])(?<!\d[-.\u2010-\u2015])"
_PHONE = (  # 0 and nine digits; a "(" only as part of an area code: "(020) 123 45 67", not "(06-12345678)"
    rf"(?P<phone>{_NOT_AFTER_DIGITS}(?:\((?=0\d{{1,3}}\)))?0(?:{_GAP}\d){{9}}(?!\w)(?![-.\u2010-\u2015]\d))")
_BSN = (  # any grouping of nine digits; _judged checks the elf-proef
    rf"(?P<bsn>{_NOT_AFTER_DIGITS}\d(?:{_GAP}\d){{8}}(?!\w)(?![-/.\u2010-\u2015]\d))")
_NUMBER = r"(?P<number>(?<![\w-])[A-Z]{0,2}\d{6,12}(?![\w-]))"

# Order matters: the first alternative that matches at a position wins. An IBAN, a BSN or
# a phone number that turns out not to be one (a wrong length, a failed elf-proef, a date)
# is not consumed: the alternatives after it are tried at the same place, then the search
# goes on at the next character, so a phone number after a number is still found.
_ALTERNATIVES = {"email": _EMAIL, "student_id": _STUDENT, "iban": _IBAN, "postcode": _POSTCODE,
                 "phone_international": _PHONE_INTERNATIONAL, "phone": _PHONE, "bsn": _BSN, "number": _NUMBER}
_PATTERN = re.compile("|".join(_ALTERNATIVES.values()), re.IGNORECASE)
# For each alternative: those after it, tried where it was rejected.
_AFTER = {name: re.compile("|".join(list(_ALTERNATIVES.values())[i + 1:]), re.IGNORECASE)
          for i, name in enumerate(_ALTERNATIVES) if name in {"iban", "bsn"}}

# A date, then an hour or a second date, where a phone number or BSN could start:
# "01-10-2022 14:00", "1-10-2022 9 uur" and "01-08-2023 - 31-07-2024" are kept as they are.
_DAY, _MONTH, _YEAR = r"(?:0?[1-9]|[12]\d|3[01])", r"(?:0?[1-9]|1[0-2])", r"(?:19|20)\d{2}"
_A_DATE = rf"(?:{_DAY}[-/.\u2010-\u2015]{_MONTH}[-/.\u2010-\u2015]{_YEAR}|{_YEAR}[-/.]{_MONTH}[-/.]{_DAY})(?!\d)"
_DATE_AND_MORE = re.compile(rf"\(?{_A_DATE}(?=\s{{1,3}}\d{{1,2}}(?:[:.]\d{{2}}|\s?u(?:ur)?\b)|{_GAP}{_A_DATE})")

_NOT_A_DIGIT = re.compile(r"[^0-9]")
_ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

_LABELS = {"email": "[e-mail]", "iban": "[iban]", "postcode": "[adres]", "phone": "[telefoonnummer]",
           "phone_international": "[telefoonnummer]", "bsn": "[bsn]", "number": "[nummer]"}

# The length of an IBAN in each country of the IBAN registry (SWIFT, 2024).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

# Keys whose values are identifiers Rasa needs back unchanged, never user text.
_KEEP_KEYS = frozenset({"event", "name", "policy", "message_id", "input_channel", "timestamp"})


def passes_elfproef(digits: str) -> bool:
    """The BSN check: 9×d1 + 8×d2 + … + 2×d8 − d9 is a multiple of 11."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    # On the ASCII codes, less 48 ("0") for each: this runs for every nine-digit candidate.
    total = sum(map(operator.mul, _ELFPROEF_WEIGHTS, digits.encode("ascii"))) - 48 * sum(_ELFPROEF_WEIGHTS)
    return total % 11 == 0


def _is_iban(text: str) -> bool:
    compact = "".join(text.split()).upper()
    return IBAN_LENGTHS.get(compact[:2]) == len(compact) and any(c.isdigit() for c in compact[4:])


def _judged(match: re.Match) -> Tuple[Optional[str], int]:
    """What replaces the candidate `match` and where it ends; or None, and where to search on."""
    kind, text, start = match.lastgroup or "number", match.group(), match.start()
    if kind == "student_id":
        return match.group("studentnummer") + "[studentnummer]", match.end()
    if kind in {"phone", "bsn"}:
        date = _DATE_AND_MORE.match(match.string, start)
        if date:  # keep the date; what follows it is looked at on its own
            return None, date.end()
    if kind == "iban" and not _is_iban(text):
        # The groups may have run on into the next word ("… 2062 Kan"): the IBAN up to a space.
        for cut in reversed([i for i, c in enumerate(text) if c.isspace()]):
            if _is_iban(text[:cut]):
                return _LABELS["iban"], start + cut
    if (kind == "iban" and not _is_iban(text)) or (
            kind == "bsn" and not passes_elfproef(_NOT_A_DIGIT.sub("", text))):
        other = _AFTER[kind].match(match.string, start)
        return _judged(other) if other else (None, start + 1)
    return _LABELS[kind], match.end()


def mask_text(text: str) -> str:
    """`text` with e-mail addresses, phone numbers, BSNs, IBANs, addresses and student numbers replaced."""
    parts, copied, position = [], 0, 0
    while (match := _PATTERN.search(text, position)) is not None:
        replacement, position = _judged(match)
        if replacement is not None:
            parts += [text[copied:match.start()], replacement]
            copied = position
    parts.append(text[copied:])
    return "".join(parts)


def mask_event(data: Any) -> Any:
    """A copy of an event's dict (`Event.as_dict()`) with every text masked."""
    if isinstance(data, str):
        return mask_text(data)
    if isinstance(data, list):
        return [mask_event(item) for item in data]
    if isinstance(data, dict):
        return {key: value if key in _KEEP_KEYS else mask_event(value) for key, value in data.items()}
    return data
