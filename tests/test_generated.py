"""The seed layouts with other agencies, years and numbers, rendered from records (the gold)."""

from collections import Counter

import pytest

from evals.generate import LAYOUTS, generate
from extractor import extract
from extractor.models import same_value

REPORTS = generate(100, seed=20241122)


@pytest.mark.parametrize(("name", "text", "gold"), REPORTS, ids=[r[0] for r in REPORTS])
def test_generated_report_reads_right(name, text, gold):
    doc = extract(text, name=name)
    wrong = {
        f: (doc.fields.get(f), v) for f, v in gold["fields"].items() if not same_value(doc.fields.get(f), v)
    }
    assert wrong == {}
    assert doc.status == gold["expected_status"]


def test_the_sample_covers_every_layout_both_formats_and_inconsistent_reports():
    layouts = Counter(g["layout"] for _, _, g in REPORTS)
    assert set(layouts) == set(LAYOUTS)
    assert {g["format"] for _, _, g in REPORTS} == {"2019", "2021"}
    assert any(g["expected_status"] == "needs_review" for _, _, g in REPORTS)
    assert len({g["fields"]["meta.agency"] for _, _, g in REPORTS}) > 20
