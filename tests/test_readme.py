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
