"""Vragenbot Metaal: the project's own package (Dutch NLP, knowledge, tooling)."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
