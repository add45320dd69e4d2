"""`make validate` tells an editor the file, the line and what to do."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import NLU_FILES, PROJECT_DIR
from bot.content_check import EDITED_FILES, all_problems, english_problems, fact_differences, facts


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in EDITED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_project_as_it_is_has_no_problems():
    assert all_problems() == []


def test_a_broken_indent_names_the_file_and_line(project):
    line = edit(project / "data" / "nlu" / "smalltalk.yml", "- intent: greet\n  examples: |", "- intent: greet\n examples: |")
    [problem] = all_problems(project)
    assert problem.file == "data/nlu/smalltalk.yml" and problem.line in {line, line + 1, line + 2}
    assert "inspringing" in problem.todo


def test_a_duplicate_example_question_names_both_lines(project):
    nlu = project / "data" / "nlu" / "smalltalk.yml"
    first = next(line for line in nlu.read_text(encoding="utf-8").splitlines() if line.startswith("    - "))
    edit(nlu, "- intent: goodbye\n  examples: |\n", f"- intent: goodbye\n  examples: |\n    - {first[6:].upper()}\n")
    [problem] = all_problems(project)
    assert "staat er al" in str(problem) and "regel" in str(problem) and "haal één van de twee weg" in problem.todo


def test_an_answer_without_a_source_is_named(project):
    edit(project / "bot" / "knowledge" / "faq.yml",
         "    sources:\n      - {document: vragenuur_1, question: 1}\n      - {document: column}\n", "    sources: []\n")
    problems = all_problems(project)
    assert problems and problems[0].file == "bot/knowledge/faq.yml" and "bron" in str(problems[0]).lower()


def test_an_answer_without_example_questions_is_named(project):
    # Its Dutch and its English examples (data/nlu/english.yml) both go to a misspelt key.
    for name in NLU_FILES:
        path = project / name
        text = path.read_text(encoding="utf-8")  # every block of the key, however many a file has
        path.write_text(text.replace("- intent: faq/masterplan\n", "- intent: faq/masterplann\n"), encoding="utf-8")
    messages = "\n".join(str(p) for p in all_problems(project))
    assert "faq/masterplan heeft 0 voorbeeldvragen" in messages and "faq/masterplann" in messages


def test_a_button_for_an_answer_that_does_not_exist_is_named(project):
    line = edit(project / "domain.yml", 'payload: "faq:aanleiding_herziening"', 'payload: "faq:aanleiding_herzeining"')
    [problem] = all_problems(project)
    assert (problem.file, problem.line) == ("domain.yml", line) and "faq:aanleiding_herzeining" in problem.what


def test_an_unknown_label_of_what_is_asked_is_named(project):
    line = edit(project / "data" / "asks.yml", "asks: [not_held], topic: cost}", "asks: [kosten], topic: cost}")
    problems = [p for p in all_problems(project) if p.file == "data/asks.yml"]
    assert problems and problems[0].line == line and "kosten" in str(problems[0]) and "not_held" in problems[0].todo


# --- English beside the Dutch (small fixtures: the live files change while English is added) ---


@pytest.mark.parametrize("dutch, english, keys", [
    ("Volgens het 1e vragenuur (4 maart 2022)", "According to the 1e vragenuur of 4 March 2022", ["1", "2022-03-04"]),
    ("op 4 maart 2022", "on March 4, 2022", ["2022-03-04"]),
    ("op 4 maart 2022", "on the 4th of March 2022", ["2022-03-04"]),
    ("vanaf 1 oktober", "from 1 October", ["--10-01"]),
    ("eind oktober 2022", "at the end of October 2022", ["2022-10"]),
    ("niet vóór augustus 2024", "not before August 2024", ["2024-08"]),
    ("November-december lijkt geschikt", "November-December seems suitable", ["--11", "--12"]),
    ("drie profielen op niveau 2, 3 en 4", "three profiles at level 2, 3 and 4", ["3", "2", "4"]),
    ("een vierjarige opleiding", "a four-year programme", ["4"]),
    ("vijfentwintig of tweeëntwintig", "twenty-five or 22", ["25", "22"]),
    ("'ruim dertig' kwalificaties", "'ruim dertig' (more than thirty) qualifications", ["30"]),
    ("1,5 jaar en 1.000 studenten", "1.5 years and 1,000 students", ["1.5", "1000"]),
    ("schooljaar 2023-2024", "the 2023–2024 school year", ["2023", "2024"]),
    # Not numbers or dates: "een"/"one", "ten tijde van", MEI (the onderwijscluster), "may", {variables}.
    ("Ten tijde van het vragenuur, in één klas, bij MEI", "At that time, in one class, at MEI", []),
    ("Je mag het vragen: {level}", "You may ask: {level}", []),
])
def test_the_same_facts_in_either_language(dutch, english, keys):
    assert list(facts(dutch, "nl")) == keys and sorted(facts(english, "en")) == sorted(keys)
    assert fact_differences(dutch, english) == ([], [])


def test_a_fact_missing_or_added_is_named_as_written():
    kinds = {"25894": "crebonummer", "23361": "dossiernummer"}
    missing, extra = fact_differences("Crebo 25894 in dossier 23361, sinds 4 maart 2022, drie jaar.",
                                      "Crebo 25894, since 5 March 2022, for four years.", kinds)
    assert missing == ["dossiernummer 23361", "datum '4 maart 2022'", "getal 3 ('drie')"]  # in the order written
    assert extra == ["datum '5 March 2022'", "getal 4 ('four')"]
    assert fact_differences("het 3e vragenuur", "the third Q&A session") == (["getal 3 ('3e')"], [])


FAQ = """\
faqs:
  - key: compleet
    theme: dossiers
    title: "Welke dossiers zijn er?"
    sources:
      - {document: vragenuur_1, question: 2}
    answer: |-
      Drie: Productietechniek 23361, Mechatronica 23360 en Engineering 23362.
    title_en: "Which dossiers are there?"
    answer_en: |-
      Three: Productietechniek 23361, Mechatronica 23360 and Engineering 23362.

  - key: zonder_engels
    theme: dossiers
    title: "Wat staat er in het basisdeel?"
    sources:
      - {document: vragenuur_1, question: 3}
    answer: |-
      De kerntaak.

  - key: half_engels
    theme: dossiers
    title: "Wat staat er in het basisdeel?"
    sources:
      - {document: vragenuur_1, question: 3}
    answer: |-
      De kerntaak.
    answer_en: |-
      The kerntaak (core task).

  - key: ander_getal
    theme: invoering_en_planning
    title: "Wanneer?"
    sources:
      - {document: vragenuur_4, question: 1}
    answer: |-
      Volgens het 4e vragenuur (11 oktober 2022) eind oktober 2022, met crebo 25894.
    title_en: "When?"
    answer_en: |-
      According to the 4e vragenuur of 11 October 2022, at the end of November 2022.
"""

DOMAIN = """\
version: "3.1"
responses:
  utter_thank:
    - text: "Graag gedaan!"
    - condition: [{type: slot, name: language, value: en}]
      text: "You're welcome!"
  utter_goodbye:
    - text: "Tot ziens!"
    - text: "Doei! Kom over twee dagen terug."
    - condition: [{type: slot, name: language, value: en}]
      text: "Goodbye!"
    - condition: [{type: slot, name: language, value: en}]
      text: "Bye! Come back in two days."
  utter_only_dutch:
    - text: "Alleen Nederlands."
  utter_ask_crebo:
    - text: "Een crebonummer heeft vijf cijfers, bijvoorbeeld 25894."
      buttons:
        - title: "Wat is crebo 25895?"
          payload: "Wat is crebo 25895?"
    - condition: [{type: slot, name: language, value: en}]
      text: "A crebo number has six digits, for example 25894."
      buttons:
        - title: "What is crebo 25896?"
          payload: "Wat is crebo 25895?"
"""


@pytest.fixture
def english_fixture(tmp_path: Path) -> Path:
    (tmp_path / "bot" / "knowledge").mkdir(parents=True)
    (tmp_path / "bot" / "knowledge" / "faq.yml").write_text(FAQ, encoding="utf-8")
    (tmp_path / "domain.yml").write_text(DOMAIN, encoding="utf-8")
    shutil.copy(PROJECT_DIR / "bot" / "knowledge" / "qualifications.yml", tmp_path / "bot" / "knowledge")
    return tmp_path


def line_of(path: Path, text: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def test_faq_answers_without_english_are_named_with_file_line_and_what_to_do(english_fixture):
    faq = english_fixture / "bot" / "knowledge" / "faq.yml"
    problems = {p.what: p for p in english_problems(english_fixture) if p.file == "bot/knowledge/faq.yml"}
    both = problems["het antwoord 'zonder_engels' heeft geen Engelse titel (title_en) en geen Engelse tekst (answer_en)"]
    assert both.line == line_of(faq, "key: zonder_engels") and "title_en en answer_en" in both.todo
    title = problems["het antwoord 'half_engels' heeft geen Engelse titel (title_en)"]
    assert title.line == line_of(faq, "key: half_engels") and "docs/beheer.md" in title.todo
    assert not any("'compleet'" in what for what in problems)


def test_an_english_faq_answer_with_other_facts_is_named_at_its_answer_en(english_fixture):
    faq = english_fixture / "bot" / "knowledge" / "faq.yml"
    problems = [p for p in english_problems(english_fixture) if "ander_getal" in p.what]
    assert [(p.line, p.what) for p in problems] == [
        (line_of(faq, "answer_en", after="key: ander_getal"),
         "answer_en van 'ander_getal' mist wat het Nederlands noemt: datum 'oktober 2022', crebonummer 25894"),
        (line_of(faq, "answer_en", after="key: ander_getal"),
         "answer_en van 'ander_getal' noemt wat het Nederlands niet noemt: datum 'November 2022'"),
    ]
    assert "'4 March 2022' voor '4 maart 2022'" in problems[0].todo


def test_a_response_without_an_english_variation_is_named(english_fixture):
    domain = english_fixture / "domain.yml"
    [problem] = [p for p in english_problems(english_fixture) if "utter_only_dutch" in p.what]
    assert (problem.file, problem.line) == ("domain.yml", line_of(domain, "utter_only_dutch:"))
    assert problem.what == "het antwoord utter_only_dutch heeft geen Engelse variant"
    assert "condition: [{type: slot, name: language, value: en}]" in problem.todo


def test_an_english_variation_with_other_facts_is_named_buttons_included(english_fixture):
    domain = english_fixture / "domain.yml"
    problems = [p for p in english_problems(english_fixture) if "utter_ask_crebo" in p.what]
    english_line = line_of(domain, "condition", after="utter_ask_crebo:")
    assert [(p.line, p.what) for p in problems] == [
        (english_line, "de Engelse variant van utter_ask_crebo mist wat het Nederlands noemt: getal 5 ('vijf'), "
                       "crebonummer 25895"),
        (english_line, "de Engelse variant van utter_ask_crebo noemt wat het Nederlands niet noemt: getal 6 ('six'), "
                       "crebonummer 25896"),
    ]


def test_variants_are_compared_in_order_and_a_complete_file_has_no_english_problems(english_fixture):
    # utter_goodbye: "twee dagen" is in the second Dutch and the second English variant.
    assert not [p for p in english_problems(english_fixture) if "utter_goodbye" in p.what or "utter_thank" in p.what]
    domain = english_fixture / "domain.yml"
    domain.write_text(DOMAIN.replace("Bye! Come back in two days.", "Bye! Come back in three days."), encoding="utf-8")
    assert [p.what for p in english_problems(english_fixture) if "utter_goodbye" in p.what] == [
        "de Engelse variant van utter_goodbye (nr. 2) mist wat het Nederlands noemt: getal 2 ('twee')",
        "de Engelse variant van utter_goodbye (nr. 2) noemt wat het Nederlands niet noemt: getal 3 ('three')"]
