"""The README's layout section names every folder of the project and every module of bot/."""
from __future__ import annotations

from bot import PROJECT_DIR

NOT_IN_GIT = {"models", "var", "reports", "results", "__pycache__"}


def layout_section() -> str:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Layout")
    return readme[start:readme.index("\n## ", start + 1)]


def test_every_top_level_folder_is_in_the_layout():
    folders = {p.name for p in PROJECT_DIR.iterdir() if p.is_dir() and not p.name.startswith(".")} - NOT_IN_GIT
    assert {name for name in folders if f"{name}/" not in layout_section()} == set()


def test_every_module_and_package_of_bot_is_in_the_layout():
    layout = layout_section()
    entries = {p.name + ("/" if p.is_dir() else "") for p in (PROJECT_DIR / "bot").iterdir()
               if p.is_dir() or p.suffix == ".py"}
    entries -= {"__init__.py", "__pycache__/"}
    assert {name for name in entries if name not in layout} == set()


def test_the_design_cards_layout_holds():
    """The design card fixes these places; Rasa's default layout puts the NLU data in data/nlu.yml."""
    for path in ("bot/__init__.py", "actions/__init__.py", "data/nlu.yml", "data/stories.yml", "data/rules.yml",
                 "config.yml", "domain.yml", "tests", "README.md"):
        assert (PROJECT_DIR / path).exists(), path
    assert "nlu:" in (PROJECT_DIR / "data" / "nlu.yml").read_text()
