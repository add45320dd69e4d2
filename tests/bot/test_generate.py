"""The committed generated training files match the knowledge files."""
from __future__ import annotations

import pytest
import yaml

from bot import generate
from bot.knowledge import load_catalogue, load_dataset


@pytest.mark.parametrize("path, render", generate.GENERATED.items(), ids=lambda v: getattr(v, "name", ""))
def test_generated_file_is_fresh(path, render):
    assert path.read_text(encoding="utf-8") == render(), f"{path.name} is stale: run `make generate`"


def test_lookup_table_holds_every_name_and_alias():
    content = yaml.safe_load(generate.lookups_yaml())
    table = next(item for item in content["nlu"] if item.get("lookup") == "opleiding")["examples"]
    for record in [*load_dataset().dossiers, *load_dataset().qualifications]:
        for name in (record.name, *record.aliases):
            assert f"- {name.lower()}\n" in table


def test_every_faq_has_a_response_with_its_source():
    responses = yaml.safe_load(generate.faq_responses_yaml())["responses"]
    for entry in load_catalogue().entries:
        assert responses[entry.response_name][0]["text"].endswith(entry.answer_with_source.splitlines()[-1])
