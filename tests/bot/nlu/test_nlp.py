"""The Dutch spaCy component: offline pipeline without the model, the model when installed."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from bot.nlu import nlp


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(nlp.CACHE_DIR_ENV, str(tmp_path / "spacy"))
    return tmp_path / "spacy"


def test_offline_pipeline_is_used_when_the_model_is_absent(fresh_cache, caplog):
    assert not spacy.util.is_package("nl_core_news_sm"), "this test needs a machine without the model"
    with caplog.at_level("INFO", logger="bot.nlu.nlp"):
        model = nlp.DutchSpacyNLP.load_model("nl_core_news_sm")
    assert model.model_name == nlp.OFFLINE_PIPELINE_NAME
    assert "offline pipeline" in caplog.text
    # Rasa rejects pipelines that were not loaded from disk.
    assert model.model.path is not None and (fresh_cache / nlp.OFFLINE_PIPELINE_NAME / "meta.json").exists()
    nlp.DutchSpacyNLP.ensure_proper_language_model(model.model)


def test_offline_pipeline_lemmatises_dutch_plurals(fresh_cache):
    language = nlp.DutchSpacyNLP.load_model("nl_core_news_sm").model
    lemmas = {t.text: t.lemma_ for t in language("kwalificaties opleidingen dossiers examens niveaus")}
    assert lemmas == {
        "kwalificaties": "kwalificatie",
        "opleidingen": "opleiding",
        "dossiers": "dossier",
        "examens": "examen",
        "niveaus": "niveau",
    }


def test_offline_pipeline_has_dutch_stop_words(fresh_cache):
    language = nlp.DutchSpacyNLP.load_model("nl_core_news_sm").model
    assert [t.is_stop for t in language("de kwalificatie")] == [True, False]


def test_building_twice_reuses_the_cache(fresh_cache):
    first = nlp.build_offline_dutch_pipeline(fresh_cache / "p")
    mtime = (first / "meta.json").stat().st_mtime
    assert nlp.build_offline_dutch_pipeline(fresh_cache / "p") == first
    assert (first / "meta.json").stat().st_mtime == mtime


def test_installed_model_is_loaded_through_spacys_package_path(tmp_path, monkeypatch):
    """Package a pipeline named nl_core_news_sm with `spacy package`, install it into a
    temporary directory and check that the component loads it instead of the fallback."""
    pipeline = spacy.blank("nl")
    lemmatizer = pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.initialize()
    lemmatizer.lookups.get_table("lemma_lookup")["kwalificaties"] = "KWALIFICATIE-UIT-PAKKET"
    pipeline.meta.update({"name": "core_news_sm", "version": "0.0.1"})
    pipeline.to_disk(tmp_path / "pipeline")
    (tmp_path / "dist").mkdir()

    subprocess.run(
        [sys.executable, "-m", "spacy", "package", str(tmp_path / "pipeline"), str(tmp_path / "dist"), "--build", "none"],
        check=True, capture_output=True,
    )
    package_dir = next((tmp_path / "dist").iterdir())
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(site), str(package_dir)],
        check=True, capture_output=True,
    )
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    try:
        assert spacy.util.is_package("nl_core_news_sm")
        model = nlp.DutchSpacyNLP.load_model("nl_core_news_sm")
        assert model.model_name == "nl_core_news_sm"
        assert model.model("kwalificaties")[0].lemma_ == "KWALIFICATIE-UIT-PAKKET"
    finally:
        sys.modules.pop("nl_core_news_sm", None)
