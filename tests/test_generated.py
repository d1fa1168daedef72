"""The generated suite: every layout, both formats, other agencies, years and numbers, rendered
from records (the gold), as text, markdown, HTML, Word and PDF files."""

import pytest

from .conftest import needs

needs("reportlab", extra="pip install -e '.[dev]'")  # the generator writes PDF files with it

from collections import Counter

from evals.generate import LAYOUTS, generate, generate_from_seeds
from evals.wild import TRACELESS_BLANKS
from extractor import extract
from extractor.models import same_value

REPORTS = generate(2 * len(LAYOUTS), seed=20241122) + generate(5 * len(LAYOUTS), seed=7)[: 3 * len(LAYOUTS)]
SEED_FILES = generate_from_seeds(seed=11)


def _extract(tmp_path, name, suffix, content):
    if isinstance(content, str) and suffix == ".txt":
        return extract(content, name=name)
    path = tmp_path / f"{name}{suffix}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return extract(path)


def _wrong(doc, gold):
    fields = gold["fields"]
    return {f: (doc.fields.get(f), v) for f, v in fields.items() if not same_value(doc.fields.get(f), v)}


@pytest.mark.parametrize(("name", "suffix", "content", "gold"), REPORTS, ids=[r[0] for r in REPORTS])
def test_generated_report_reads_right_or_says_it_cannot(tmp_path, name, suffix, content, gold):
    doc = _extract(tmp_path, name, suffix, content)
    if gold["expected_status"] is not None:  # None: glued cells the identities may or may not settle
        assert doc.status == gold["expected_status"]
    wrong = _wrong(doc, gold)
    flagged = {f for check in doc.failed_checks for f in check.fields}
    assert not (wrong and doc.status == "ok"), wrong  # never silently wrong
    assert {f: v for f, v in wrong.items() if f not in flagged} == {}  # every wrong value flagged
    assert all(got is None for got, _ in wrong.values())  # unread, never misread
    if gold["layout"] not in TRACELESS_BLANKS:  # else blank cells vanished: their rows are flagged
        assert set(wrong) <= set(gold.get("undeterminable", {}))


@pytest.mark.parametrize(("name", "suffix", "content", "gold"), SEED_FILES, ids=[r[0] for r in SEED_FILES])
def test_the_samples_records_read_right_from_every_file_format(tmp_path, name, suffix, content, gold):
    doc = _extract(tmp_path, name, suffix, content)
    assert _wrong(doc, gold) == {}
    assert doc.status == "ok"


def test_the_sample_covers_every_layout_both_formats_and_inconsistent_reports():
    layouts = Counter(g["layout"] for *_, g in REPORTS)
    assert set(layouts) == set(LAYOUTS)
    assert {g["format"] for *_, g in REPORTS} == {"2019", "2021"}
    assert any(g["expected_status"] == "needs_review" for *_, g in REPORTS)
    assert len({g["fields"]["meta.agency"] for *_, g in REPORTS}) > 20


def test_the_generator_is_deterministic():
    again = generate(2 * len(LAYOUTS), seed=20241122)
    assert [(n, c) for n, _, c, _ in again] == [(n, c) for n, _, c, _ in REPORTS[: len(again)]]
