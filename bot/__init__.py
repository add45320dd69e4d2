"""Vragenbot Metaal: the project's own package (Dutch NLP, knowledge, tooling)."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# The example questions the NLU learns from, relative to PROJECT_DIR: the FAQ questions in
# data/nlu.yml (Rasa's default place), the smaller topics beside it in data/nlu/.
NLU_FILES = ("data/nlu.yml", "data/nlu/smalltalk.yml", "data/nlu/menu.yml", "data/nlu/lookups.yml", "data/nlu/english.yml",
             "data/nlu/offtopic.yml")

# The conversation's languages (bot/language.py detects them; the dataset's themes are labelled in both).
DUTCH, ENGLISH = "nl", "en"
