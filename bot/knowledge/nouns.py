"""The words for what the dataset holds, in Dutch and English: one closed vocabulary.

"Hoeveel kwalificaties zijn er?", "welke dossiers zijn er?", "how many files are left?": a
list or count of these nouns is a list or count of the dataset's records. Written once here;
the readers (bot/knowledge/reader.py, bot/knowledge/references.py, bot/nlu/lookup_reader.py)
build their patterns from it. Text is matched after bot.text.normalise (lower case, no
accents, punctuation as spaces: "crebo's" → "crebo s").
"""
from __future__ import annotations

import re
from typing import Sequence

QUALIFICATION_NOUNS = ("kwalificaties", "opleidingen", "kwal", "kwals", "kwal s", "kwali", "kwalis", "kwali s", "kwalies",
                       "richtingen",
                       "qualifications", "quals", "programmes", "programs", "courses")
DOSSIER_NOUNS = ("kwalificatiedossiers", "dossiers", "kd s", "kds", "stromingen", "hoofdstromingen",
                 "qualification files", "files", "streams")
NUMBER_NOUNS = ("crebonummers", "crebo s", "crebos", "dossiernummers", "crebo numbers")
LEVEL_NOUNS = ("niveaus", "levels")


def _any_of(nouns: Sequence[str]) -> str:
    return "|".join(sorted(nouns, key=len, reverse=True))  # the longest first: "qualification files"


# What the dataset lists: a list or count of these is the overview ("welke dossiers zijn er?").
# Compounds count too: "techniekopleidingen", "metaalkwalificaties".
DATASET_NOUNS = re.compile(rf"\b({_any_of(QUALIFICATION_NOUNS + DOSSIER_NOUNS + NUMBER_NOUNS + LEVEL_NOUNS)})\b"
                           r"|\w+(opleidingen|kwalificaties)\b")

# "hoeveel …?", "how many …?": a count asked, of whatever follows.
HOW_MANY = re.compile(r"\b(hoeveel|how many)\b")

# "hoeveel kwalificaties blijven er over als …", "how many qualification files are there": a
# count of records (levels are counted elsewhere: they are no records).
HOW_MANY_RECORDS = re.compile(rf"\b(hoeveel|how many) (\w+ ){{0,2}}({_any_of(QUALIFICATION_NOUNS + DOSSIER_NOUNS + NUMBER_NOUNS)})\b")

# "53 kwalificaties", "ruim dertig kwalificaties", "three files": a text that gives a count of records.
A_COUNT_OF_RECORDS = re.compile(rf"\b(\d+|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\w+tig|two|three|four|five|"
                                rf"six|seven|eight|nine|ten|\w+ty) (\w+ ){{0,2}}({_any_of(QUALIFICATION_NOUNS + DOSSIER_NOUNS + NUMBER_NOUNS)})\b")

# "hoeveel dossiers hebben alleen niveau 4?", "how many files have no level 2?": dossiers
# counted, not qualifications.
COUNTS_DOSSIERS = re.compile(rf"\b(hoeveel|how many) (\w+ ){{0,2}}({_any_of(DOSSIER_NOUNS)})\b")

# "telt Productietechniek meer opleidingen dan Engineering?": two counts compared.
COMPARES_COUNTS = re.compile(rf"\b(meer|minder|evenveel|more|fewer|less|as many) (\w+ )?({_any_of(QUALIFICATION_NOUNS + DOSSIER_NOUNS)})\b")

# "hoeveel zijn dat er?", "hoeveel zijn het er in totaal?", "how many is that?": the list just shown counted.
# Not "hoeveel waren dat er daarvoor?": the count before the revision.
# "hoeveel opties zijn dat?", "om hoeveel gaat het?": the same, with a counter word or none.
COUNTS_THE_LIST = re.compile(r"\bhoeveel (stuks |items |opties |)(zijn|is) (dat|dit|het|die|deze)\b"
                             r"|\bhoeveel zijn er dat\b|\bom hoeveel (gaat|gaan) het\b|\bhow many (is that|are those|are these|are they|of them|of those)\b")
