"""The five sample reports against gold files written by reading them by eye."""

import re

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


@pytest.mark.parametrize("spaces", ["  ", " "])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_with_its_tabs_turned_into_spaces_is_read_or_flagged_never_misread(name, spaces):
    """PDF copies turn tabs into spaces: blank cells then vanish, and a reader cannot know where."""
    gold = gold_of(name)
    text = re.sub(r"\t+", spaces, (REPORTS / f"{name}.txt").read_text(encoding="utf-8"))
    doc = extract(text, name=name)
    wrong = {f: doc.fields.get(f) for f, v in gold["fields"].items() if not same_value(doc.fields.get(f), v)}
    if doc.status == "ok":
        assert wrong == {}
    else:
        assert doc.status == "needs_review"
        assert all(value is None for value in wrong.values())  # unread, never a wrong value
    has_blank_cells = any(v is None for f, v in gold["fields"].items() if f.startswith(("t2.", "t3.", "t4.")))
    assert doc.status == ("needs_review" if has_blank_cells else "ok")
