"""Load and validate the knowledge files once; a broken record stops loading.

Errors name the record, so a school editing the YAML sees what to fix.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

import yaml

from bot.knowledge.models import (
    DOCUMENTS,
    Dataset,
    Dossier,
    Fact,
    FaqCatalogue,
    FaqEntry,
    Level,
    LevelDuration,
    Qualification,
    SourceRef,
)
from bot.knowledge.themes import THEMES

KNOWLEDGE_DIR = Path(__file__).resolve().parent
DATASET_PATH = KNOWLEDGE_DIR / "qualifications.yml"
CATALOGUE_PATH = KNOWLEDGE_DIR / "faq.yml"

FIVE_DIGITS = re.compile(r"\d{5}")


class DataError(ValueError):
    """The knowledge file is invalid; the message names the record."""


def _read_yaml(path: Path) -> Mapping[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataError(f"{path.name}: geen geldige YAML: {error}") from error
    if not isinstance(content, Mapping):
        raise DataError(f"{path.name}: verwacht een mapping bovenaan het bestand")
    return content


def _source(raw: Any, where: str) -> SourceRef:
    if not isinstance(raw, Mapping) or raw.get("document") not in DOCUMENTS:
        raise DataError(f"{where}: bron ontbreekt of onbekend document ({raw!r})")
    question = raw.get("question")
    if raw["document"] != "column" and not isinstance(question, int):
        raise DataError(f"{where}: bron uit een vragenuur zonder vraagnummer")
    return SourceRef(document=raw["document"], question=question)


def _fact(raw: Any, where: str) -> Fact:
    if not isinstance(raw, Mapping) or not str(raw.get("text", "")).strip():
        raise DataError(f"{where}: feit zonder tekst")
    raw_sources = raw.get("sources") if "sources" in raw else [raw.get("source")]
    if not isinstance(raw_sources, list) or not raw_sources:
        raise DataError(f"{where}: feit zonder bron")
    return Fact(text=str(raw["text"]).strip(), sources=tuple(_source(s, where) for s in raw_sources))


def _durations(raw: Any, where: str) -> Tuple[LevelDuration, ...]:
    durations = []
    for item in raw or []:
        level, years = item.get("level"), item.get("years")
        if not isinstance(level, int) or level not in {lv.value for lv in Level}:
            raise DataError(f"{where}: duur voor niveau {level!r}: niveau moet 1, 2, 3 of 4 zijn")
        if not isinstance(years, int) or not 1 <= years <= 6:
            raise DataError(f"{where}: duur op niveau {level} moet een geheel aantal jaren zijn, niet {years!r}")
        durations.append(LevelDuration(Level(level), years, _source(item.get("source"), f"{where} duur")))
    return tuple(durations)


def _number(raw: Any, where: str, field_name: str) -> str:
    # Crebo numbers are strings: YAML would turn 01234 into an int and lose a digit.
    if not isinstance(raw, str) or not FIVE_DIGITS.fullmatch(raw):
        raise DataError(f"{where}: {field_name} moet een tekst van vijf cijfers zijn, niet {raw!r}")
    return raw


def _aliases(raw: Any, where: str) -> Tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(a, str) and a.strip() for a in raw):
        raise DataError(f"{where}: aliases moet een lijst van namen zijn")
    return tuple(a.strip() for a in raw)


def parse_dataset(content: Mapping[str, Any]) -> Dataset:
    """Build a validated `Dataset` from parsed YAML."""
    dossiers: List[Dossier] = []
    for index, raw in enumerate(content.get("dossiers") or []):
        where = f"dossier #{index + 1} ({raw.get('name', '?')})"
        number = _number(raw.get("number"), where, "number")
        if not str(raw.get("name", "")).strip():
            raise DataError(f"{where}: naam ontbreekt")
        dossiers.append(
            Dossier(
                number=number,
                name=str(raw["name"]).strip(),
                source=_source(raw.get("source"), where),
                aliases=_aliases(raw.get("aliases"), where),
                facts=tuple(_fact(f, where) for f in raw.get("facts") or []),
                durations=_durations(raw.get("durations"), where),
            )
        )
    if not dossiers:
        raise DataError("qualifications.yml: geen dossiers gevonden")

    qualifications: List[Qualification] = []
    for index, raw in enumerate(content.get("qualifications") or []):
        where = f"kwalificatie #{index + 1} ({raw.get('name', '?')}, crebo {raw.get('crebo', '?')})"
        crebo = _number(raw.get("crebo"), where, "crebo")
        if not str(raw.get("name", "")).strip():
            raise DataError(f"{where}: naam ontbreekt")
        level = raw.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or level not in {lv.value for lv in Level}:
            raise DataError(f"{where}: niveau moet 1, 2, 3 of 4 zijn, niet {level!r}")
        if raw.get("dossier") is None:
            raise DataError(f"{where}: kwalificatie zonder dossier")
        dossier_number = _number(raw.get("dossier"), where, "dossier")
        if "duration_years" in raw:
            raise DataError(f"{where}: de bronnen geven de duur per dossier en niveau; zet hem bij het dossier (durations)")
        qualifications.append(
            Qualification(
                crebo=crebo,
                name=str(raw["name"]).strip(),
                level=Level(level),
                dossier_number=dossier_number,
                source=_source(raw.get("source"), where),
                aliases=_aliases(raw.get("aliases"), where),
                facts=tuple(_fact(f, where) for f in raw.get("facts") or []),
            )
        )

    numbers = [d.number for d in dossiers] + [q.crebo for q in qualifications]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise DataError(f"dubbel crebonummer: {', '.join(duplicates)}")
    dossier_numbers = {d.number for d in dossiers}
    for q in qualifications:
        if q.dossier_number not in dossier_numbers:
            raise DataError(f"kwalificatie {q.name} ({q.crebo}): dossier {q.dossier_number} bestaat niet")
    names: Dict[str, str] = {}
    for record_name, aliases in [(d.name, d.aliases) for d in dossiers] + [
        (q.name, q.aliases) for q in qualifications
    ]:
        for name in (record_name, *aliases):
            key = name.casefold()
            if key in names and names[key] != record_name:
                raise DataError(f"naam '{name}' hoort bij zowel {names[key]} als {record_name}")
            names[key] = record_name

    general = {
        str(key): _fact(raw, f"algemeen feit '{key}'")
        for key, raw in (content.get("general_facts") or {}).items()
    }
    return Dataset(dossiers=tuple(dossiers), qualifications=tuple(qualifications), general_facts=general)


def parse_catalogue(content: Mapping[str, Any]) -> FaqCatalogue:
    """Build a validated `FaqCatalogue` from parsed YAML."""
    entries: List[FaqEntry] = []
    for index, raw in enumerate(content.get("faqs") or []):
        key = raw.get("key")
        where = f"faq #{index + 1} ({key or '?'})"
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]+", key):
            raise DataError(f"{where}: key moet uit kleine letters, cijfers en _ bestaan")
        if raw.get("theme") not in THEMES:
            raise DataError(f"{where}: onbekend thema {raw.get('theme')!r}")
        title, answer = str(raw.get("title", "")).strip(), str(raw.get("answer", "")).strip()
        if not title or not answer:
            raise DataError(f"{where}: titel of antwoord ontbreekt")
        if "Bron:" in answer:
            raise DataError(f"{where}: de bronregel wordt automatisch toegevoegd; haal 'Bron:' uit het antwoord")
        sources = tuple(_source(s, where) for s in raw.get("sources") or [])
        if not sources:
            raise DataError(f"{where}: antwoord zonder bron")
        title_en, answer_en = str(raw.get("title_en") or "").strip(), str(raw.get("answer_en") or "").strip()
        if "Source:" in answer_en:
            raise DataError(f"{where}: de bronregel wordt automatisch toegevoegd; haal 'Source:' uit answer_en")
        entries.append(FaqEntry(key=key, theme=raw["theme"], title=title, answer=answer, sources=sources,
                                title_en=title_en, answer_en=answer_en))
    keys = [e.key for e in entries]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise DataError(f"dubbele FAQ-key: {', '.join(duplicates)}")
    if not entries:
        raise DataError("faq.yml: geen FAQ's gevonden")
    return FaqCatalogue(entries=tuple(entries))


@lru_cache(maxsize=None)
def load_dataset(path: Path = DATASET_PATH) -> Dataset:
    return parse_dataset(_read_yaml(path))


@lru_cache(maxsize=None)
def load_catalogue(path: Path = CATALOGUE_PATH) -> FaqCatalogue:
    return parse_catalogue(_read_yaml(path))
