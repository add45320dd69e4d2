"""Dutch spaCy pipeline for Rasa that never fails for lack of a downloaded model.

`DutchSpacyNLP` replaces Rasa's `SpacyNLP` in config.yml. It loads the configured
package (``nl_core_news_sm``) when it is installed; otherwise it builds a Dutch
pipeline offline (blank ``nl`` with its stop words plus the lookup lemmatizer of
spacy-lookups-data), saves it to a cache directory and loads it from there, because
Rasa requires a pipeline that was loaded from disk (``nlp.path``).
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Text

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

from bot import PROJECT_DIR

logger = logging.getLogger(__name__)

OFFLINE_PIPELINE_NAME = f"nl_offline_lookup-spacy{spacy.__version__}"
CACHE_DIR_ENV = "VRAGENBOT_SPACY_DIR"


def spacy_cache_dir() -> Path:
    """Where the offline pipeline is kept (git-ignored `var/` unless overridden)."""
    return Path(os.environ.get(CACHE_DIR_ENV, PROJECT_DIR / "var" / "spacy"))


def build_offline_dutch_pipeline(target: Path) -> Path:
    """Build blank `nl` + lookup lemmatizer into `target` (atomically) and return it."""
    if (target / "meta.json").exists():
        return target
    nlp = spacy.blank("nl")
    # `initialize` reads the lemma lookup table from spacy-lookups-data; saving the
    # pipeline stores the table with it, so loading later needs no extra package.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = OFFLINE_PIPELINE_NAME.replace("-", "_").replace(".", "_")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    nlp.to_disk(staging)
    try:
        staging.rename(target)
    except OSError:  # another process finished first: use its copy
        shutil.rmtree(staging, ignore_errors=True)
    return target


def load_dutch_pipeline(model_name: Text) -> SpacyModel:
    """Load `model_name` if installed, else the offline Dutch pipeline."""
    if model_name and spacy.util.is_package(model_name):
        logger.info("Dutch NLP: using installed spaCy model '%s'.", model_name)
        return SpacyNLP.load_model(model_name)

    path = build_offline_dutch_pipeline(spacy_cache_dir() / OFFLINE_PIPELINE_NAME)
    logger.info(
        "Dutch NLP: spaCy model '%s' is not installed; using the offline pipeline "
        "(blank 'nl', Dutch stop words, lookup lemmatizer) from %s.",
        model_name,
        path,
    )
    language = spacy.load(path, disable=["parser"])
    return SpacyModel(model=language, model_name=OFFLINE_PIPELINE_NAME)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="DutchSpacyNLP",
)
class DutchSpacyNLP(SpacyNLP):
    """`SpacyNLP` that falls back to an offline Dutch pipeline."""

    @staticmethod
    def load_model(spacy_model_name: Text) -> SpacyModel:
        return load_dutch_pipeline(spacy_model_name)
