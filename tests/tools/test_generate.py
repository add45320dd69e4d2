"""The committed generated training files match the knowledge files."""
from __future__ import annotations

import pytest
import yaml

from tools import generate
from bot.knowledge import load_catalogue


@pytest.mark.parametrize("path, render", generate.GENERATED.items(), ids=lambda v: getattr(v, "name", ""))
def test_generated_file_is_fresh(path, render):
    assert path.read_text(encoding="utf-8") == render(), f"{path.name} is stale: run `make generate`"


def test_every_faq_has_a_response_with_its_source():
    responses = yaml.safe_load(generate.faq_responses_yaml())["responses"]
    for entry in load_catalogue().entries:
        assert responses[entry.response_name][0]["text"].endswith(entry.answer_with_source.splitlines()[-1])
