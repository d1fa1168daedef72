"""The five sample reports against gold files written by reading them by eye."""

import pytest

from extractor import extract
from extractor.catalog import Format, field_ids
from extractor.models import same_value

from .conftest import REPORTS, SEED_NAMES, gold_of


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_matches_gold_field_by_field(name):
    gold = gold_of(name)
    doc = extract(REPORTS / f"{name}.txt")
    wrong = {
        f: (doc.fields.get(f), v) for f, v in gold["fields"].items() if not same_value(doc.fields.get(f), v)
    }
    assert wrong == {}
    assert doc.status == gold["expected_status"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_gold_files_cover_every_field_of_their_format(name):
    gold = gold_of(name)
    assert tuple(gold["fields"]) == field_ids(Format(gold["format"]))
    assert set(gold["checked"]) == {"meta", "overview", "t2", "t3", "t4"}
