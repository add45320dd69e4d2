"""The bundled dataset and FAQ catalogue load, and broken data stops loading."""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from bot.content_check import fact_differences, number_kinds
from bot.knowledge import DataError, Level, load_catalogue, load_dataset
from bot.knowledge.loader import DATASET_PATH, parse_catalogue, parse_dataset

SOURCES_DIR = Path(__file__).resolve().parents[4] / "shared" / "sources"
SOURCES = SOURCES_DIR / "000_54d5cc93709d9cd9.txt"
COLUMN = SOURCES_DIR / "001_30e52dfe2cee3db7.txt"


def source_text(path: Path) -> str:
    """The source document; in CI (CI=true) a missing one fails the test instead of skipping it."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must check the dataset against the sources")
        pytest.skip("shared/sources not beside the checkout")
    # PDF text: lines break mid-sentence; compare on single spaces.
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))

# The structure exactly as the 1e vragenuur lists it.
EXPECTED = {
    "23361": ("Productietechniek", {"25894": 2, "25895": 3, "25896": 4, "25897": 4}),
    "23360": ("Mechatronica", {"25891": 2, "25892": 3, "25893": 4}),
    "23362": ("Engineering", {"25898": 4, "25899": 4}),
}


@pytest.fixture
def raw_dataset():
    return yaml.safe_load(DATASET_PATH.read_text(encoding="utf-8"))


def test_dataset_has_the_three_dossiers_and_nine_qualifications():
    dataset = load_dataset()
    assert {d.number: d.name for d in dataset.dossiers} == {n: name for n, (name, _) in EXPECTED.items()}
    for number, (_, qualifications) in EXPECTED.items():
        assert {q.crebo: int(q.level) for q in dataset.qualifications_in(number)} == qualifications


def test_every_crebo_and_name_appears_in_the_source_text():
    text = source_text(SOURCES)
    dataset = load_dataset()
    for q in dataset.qualifications:
        assert re.search(rf"{q.crebo} {re.escape(q.name)} \({int(q.level)}\)", text), q.name
    for d in dataset.dossiers:
        assert f"Kwalificatiedossier {d.name} {d.number}" in text


# What the 4e vragenuur (question 3) says of each duration, in its own words.
DURATION_STATEMENTS = {
    ("Productietechniek", 4, 4): "Dat geldt voor Productietechniek. Dit is een vierjarige opleiding.",
    ("Mechatronica", 4, 3): "Mechatronische systemen was drie jaar en dat is niet veranderd bij niveau 4 Mechatronica nieuwe stijl.",
}


def test_durations_are_stated_per_dossier_and_level_as_the_source_states_them():
    text = source_text(SOURCES)
    stated = {(d.name, int(s.level), s.years): s.source for d in load_dataset().dossiers for s in d.durations}
    assert set(stated) == set(DURATION_STATEMENTS)
    for key, quote in DURATION_STATEMENTS.items():
        assert quote in text, key
        assert stated[key].label().startswith("4e vragenuur") and stated[key].question == 3


def test_a_duration_on_a_qualification_is_refused(raw_dataset):
    raw_dataset["qualifications"][2]["duration_years"] = 4
    with pytest.raises(DataError, match="duur per dossier en niveau"):
        parse_dataset(raw_dataset)


def test_the_total_of_nine_is_the_columns_too():
    assert len(load_dataset().qualifications) == 9
    assert "in totaal negen kwalificaties" in source_text(COLUMN)


def test_the_leerweg_fact_cites_both_vragenuren_it_merges():
    text = source_text(SOURCES)
    leerweg = load_dataset().general_facts["leerweg"]
    assert [(s.document, s.question) for s in leerweg.sources] == [("vragenuur_3", 5), ("vragenuur_4", 4)]
    assert "is aan de scholen" in text and "zowel in de BOL als de BBL" in text


def test_no_alias_is_another_occupation():
    # "instrumentmaker" is not a spelling of Researchinstrumentmaker: a near miss.
    aliases = {alias.lower() for q in load_dataset().qualifications for alias in q.aliases}
    assert "instrumentmaker" not in aliases


def test_levels_are_typed():
    assert all(isinstance(q.level, Level) for q in load_dataset().qualifications)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: d["qualifications"].append(copy.deepcopy(d["qualifications"][0])), "dubbel crebonummer: 25894"),
        (lambda d: d["qualifications"][0].pop("dossier"), "Medewerker productietechniek, crebo 25894): kwalificatie zonder dossier"),
        (lambda d: d["qualifications"][0].update(dossier="99999"), "dossier 99999 bestaat niet"),
        (lambda d: d["qualifications"][1].update(level=5), "Allround medewerker productietechniek, crebo 25895): niveau moet 1, 2, 3 of 4 zijn"),
        (lambda d: d["qualifications"][1].update(level=0), "niveau moet 1, 2, 3 of 4 zijn, niet 0"),
        (lambda d: d["qualifications"][2].update(crebo="2589"), "crebo moet een tekst van vijf cijfers zijn, niet '2589'"),
        (lambda d: d["qualifications"][2].update(crebo=25896), "crebo moet een tekst van vijf cijfers zijn, niet 25896"),
        (lambda d: d["qualifications"][2].update(crebo="2589a"), "niet '2589a'"),
        (lambda d: d["dossiers"][0].update(number="2336"), "dossier #1 (Productietechniek): number moet"),
        (lambda d: d["qualifications"][3].pop("source"), "Researchinstrumentmaker, crebo 25897): bron ontbreekt"),
        (lambda d: d["qualifications"][4].update(aliases=["productietechnicus"]), "naam 'productietechnicus' hoort bij zowel"),
    ],
)
def test_broken_data_stops_loading_and_names_the_record(raw_dataset, breakage, message):
    breakage(raw_dataset)
    with pytest.raises(DataError, match=re.escape(message)):
        parse_dataset(raw_dataset)


def test_catalogue_answers_cite_their_vragenuur_and_date():
    catalogue = load_catalogue()
    assert len(catalogue.entries) == 33
    for entry in catalogue.entries:
        last_line = entry.answer_with_source.splitlines()[-1]
        assert re.match(r"Bron: (\de vragenuur, \d+ \w+ 2022|column)", last_line), entry.key
        assert len(entry.title) <= 60 and entry.title.endswith("?"), entry.key


def test_every_source_question_has_an_answer():
    """12 + 4 + 8 + 10 questions, every one covered by some FAQ answer."""
    covered = {(s.document, s.question) for e in load_catalogue().entries for s in e.sources}
    expected = {(f"vragenuur_{n}", q) for n, count in {1: 12, 2: 4, 3: 8, 4: 10}.items() for q in range(1, count + 1)}
    assert expected <= covered
    assert ("column", None) in covered


def test_the_53_versus_ruim_dertig_disagreement_is_attributed():
    answer = load_catalogue().get("aanleiding_herziening").answer
    assert "53" in answer and "ruim dertig" in answer and "1e vragenuur" in answer and "column" in answer


def test_broken_catalogue_entry_is_refused():
    with pytest.raises(DataError, match="antwoord zonder bron"):
        parse_catalogue({"faqs": [{"key": "x", "theme": "keuzedelen", "title": "X?", "answer": "Ja."}]})
    with pytest.raises(DataError, match="bronregel wordt automatisch"):
        parse_catalogue({"faqs": [{"key": "x", "theme": "keuzedelen", "title": "X?", "answer": "Ja. Bron: ik",
                                   "sources": [{"document": "column"}]}]})


# --- The English answers: the facts and names of their Dutch answer, nothing else ---------
# Numbers, dates ("4 maart 2022" may be "4 March 2022"), crebo and dossier numbers are read by
# `make validate`'s own reading (bot/content_check.facts), so both agree on what a fact is.

# Besides the dataset's qualifications and dossiers: the other qualifications, dossiers,
# programmes, organisations and people the answers name, as the sources write them (the test
# below finds each in the source text). An English answer keeps them in Dutch.
OTHER_NAMES = (
    "Middenkader engineering", "middenkader engineer", "Smart Industry", "Smart Building", "Human Technology",
    "Precisietechniek", "Metaalbewerken", "Verspaningstechnoloog", "Mechatronische systemen",
    "Medische Instrumentatie techniek", "MIT", "Metaal en Metalektro", "Masterplan", "Consortium",
    "examenservice MEI", "Esmei", "Metaalunie", "FME", "MBO Raad", "SBB", "MijnSBB", "Staatscourant", "oZone",
    "Techniek en Gebouwde Omgeving", "Kartrekker STO", "Jan van Nierop", "Sterk Techniekonderwijs",
    "Platforms Beroepsgerichte Programma's",
)
ENTRY_KEYS = [entry.key for entry in load_catalogue().entries]


def _apostrophes(text: str) -> str:
    return text.replace("’", "'")


def checked_names() -> List[str]:
    dataset = load_dataset()
    names = [*(q.name for q in dataset.qualifications), *(d.name for d in dataset.dossiers), *OTHER_NAMES]
    return sorted(set(names), key=len, reverse=True)  # "Technicus mechatronica" before "Mechatronica"


def names_in(text: str) -> Dict[str, Set[str]]:
    """The checked names `text` names, longest first and each span once: name → how it is written."""
    text, found = _apostrophes(text), {}
    for name in checked_names():
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            found.setdefault(name, set()).add(match.group(0))
        text = pattern.sub(lambda match: "·" * len(match.group(0)), text)
    return found


def test_the_names_checked_are_written_as_the_sources_write_them():
    sources = _apostrophes(source_text(SOURCES) + " " + source_text(COLUMN))
    assert [name for name in OTHER_NAMES if name not in sources] == []


def test_names_are_found_longest_first_as_written():
    assert names_in("Monteur mechatronica en Eerste monteur mechatronica, in Mechatronica of mechatronica") == {
        "Eerste monteur mechatronica": {"Eerste monteur mechatronica"}, "Monteur mechatronica": {"Monteur mechatronica"},
        "Mechatronica": {"Mechatronica", "mechatronica"}}


def test_every_answer_has_its_english():
    missing = [e.key for e in load_catalogue().entries if not (e.title_en and e.answer_en)]
    assert missing == []


@pytest.mark.parametrize("key", ENTRY_KEYS)
def test_an_english_answer_has_the_numbers_and_dates_of_its_dutch_answer_and_no_other(key):
    entry, kinds = load_catalogue().get(key), number_kinds()
    assert fact_differences(entry.answer, entry.answer_en, kinds) == ([], []), "answer_en"
    assert fact_differences(entry.title, entry.title_en, kinds) == ([], []), "title_en"


@pytest.mark.parametrize("key", ENTRY_KEYS)
def test_an_english_answer_keeps_the_names_of_its_dutch_answer_as_written(key):
    entry = load_catalogue().get(key)
    dutch, english = names_in(entry.answer), names_in(entry.answer_en)
    # Each name as the Dutch answer writes it: not translated, not respelt.
    assert sorted(w for name, written in dutch.items() for w in written - english.get(name, set())) == []
    # No name the Dutch answer does not have (an ordinary English word, "engineering" in
    # "precision engineering", "a consortium", is no name: only the name's own spelling counts).
    assert sorted(name for name, written in english.items() if name not in dutch and name in written) == []
