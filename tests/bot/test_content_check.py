"""`make validate` tells an editor the file, the line and what to do."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import PROJECT_DIR
from bot.content_check import EDITED_FILES, all_problems


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
    nlu = project / "data" / "nlu.yml"
    edit(nlu, "- intent: faq/masterplan", "- intent: faq/masterplann")
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
