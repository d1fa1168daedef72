from extractor import extract
from extractor.catalog import Format
from extractor.models import FieldReading
from extractor.validators import grounding, identity, table_identities

from .conftest import REPORTS, SEED_NAMES


def test_identity_reports_the_sum_and_the_fields_it_used():
    fields = {"a": 6, "b": 0, "c": 5, "d": None}
    check = identity("x", ["a", "b"], ["c", "d"], fields)
    assert not check.passed
    assert check.fields == ["a", "b", "c", "d"]
    assert check.detail.startswith("6 + 0 ≠ 5 + ∅")
    assert identity("y", ["d"], ["d"], fields).detail == "all blank"
    assert identity("z", ["a"], ["c", "b", "d"], {**fields, "c": 6}).passed


def test_identity_tells_a_field_not_read_from_a_blank_one():
    fields = {"a": 6, "b": None, "c": 5, "d": None}
    check = identity("x", ["a"], ["b", "c", "d"], fields, unread={"b"})
    assert check.detail == "6 ≠ ? + 5 + ∅ (∅ blank, ? not read, counted as 0)"


def test_a_row_left_unread_shows_as_not_read_in_its_identities():
    row = "(一) 予以公开\t1\t0\t0\t0\t0\t0\t1"
    assert row in _inconsistent_seed()
    text = _inconsistent_seed().replace(row, "(一) 予以公开\t1\t0\t0\t1", 1)  # cells short
    doc = extract(text)
    row_sum = next(c for c in doc.checks if c.id == "t3.outcome_sum.natural_person")
    assert doc.fields["t3.granted.natural_person"] is None
    assert row_sum.detail.startswith("7 ≠ ?")  # 予以公开 first, not read (never shown as blank)


def test_every_identity_of_the_catalog_is_evaluated():
    checks = {c.id for c in table_identities({}, Format.F2021)}
    assert len([c for c in checks if c.startswith("t3.column_balance.")]) == 7
    assert len([c for c in checks if c.startswith("t3.outcome_sum.")]) == 7
    assert len([c for c in checks if c.startswith("t3.row_sum.")]) == 25
    assert {"t4.total.review", "t4.total.litigation_direct", "t4.total.litigation_after_review"} <= checks
    assert len([c for c in table_identities({}, Format.F2019) if c.id.startswith("t3.row_sum.")]) == 23


def test_outcome_sum_catches_a_misplaced_value():
    fields = {
        "t3.total.natural_person": 6,
        "t3.granted.natural_person": 1,
        "t3.unable_not_held.natural_person": 4,
    }
    check = next(c for c in table_identities(fields, Format.F2021) if c.id == "t3.outcome_sum.natural_person")
    assert not check.passed
    assert "t3.other_other.natural_person" in check.fields


def _inconsistent_seed() -> str:
    """Seed 001 with its 总计 row printed as 7 where its parts add up to 6."""
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    row = "(七) 总计\t\t6\t0\t0\t0\t0\t0\t6\t"
    assert row in text
    return text.replace(row, "(七) 总计\t\t7\t0\t0\t0\t0\t0\t7\t")


def test_an_inconsistent_report_is_read_as_printed_and_flagged():
    doc = extract(_inconsistent_seed())
    assert doc.status == "needs_review"
    assert doc.fields["t3.total.natural_person"] == 7  # as printed, never "fixed" to 6
    assert doc.fields["t3.total.total"] == 7
    failed = {c.id for c in doc.checks if not c.passed}
    assert failed == {
        "t3.column_balance.natural_person",
        "t3.column_balance.total",
        "t3.outcome_sum.natural_person",
        "t3.outcome_sum.total",
    }


def test_prose_against_table_disagreement_is_flagged():
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    doc = extract(text.replace("依申请公开信息 6 件", "依申请公开信息 8 件"))
    assert doc.fields["overview.applications_received"] == 8
    check = next(c for c in doc.checks if c.id == "prose.applications_received")
    assert not check.passed and doc.status == "needs_review"


def test_grounding_rejects_a_value_not_found_at_its_span():
    text = "行政许可\t136\t\t"
    good = FieldReading(136, 5, 8)
    planted = FieldReading(137, 5, 8)  # a number that is not what the text says
    unplaced = FieldReading(5, None, None)
    kinds = Format.F2021
    assert grounding({"t2.licensing.decisions": good}, text, kinds)[0].passed
    assert not grounding({"t2.licensing.decisions": planted}, text, kinds)[0].passed
    assert not grounding({"t2.licensing.decisions": unplaced}, text, kinds)[0].passed
    zero_by_words = FieldReading(0, 0, 3)
    assert grounding({"overview.applications_received": zero_by_words}, "未收到申请", kinds)[0].passed
    assert not grounding({"overview.applications_received": FieldReading(2, 0, 3)}, "未收到申请", kinds)[
        0
    ].passed


def test_a_report_without_a_readable_title_needs_review():
    text = (REPORTS / f"{SEED_NAMES[1]}.txt").read_text(encoding="utf-8")
    doc = extract(text.replace("偃师区卫生健康委员会 2024 年政府信息公开工作年度报告", "工作报告"))
    # no agency; the year the overview's first sentence opens with is offered, doubtful
    assert doc.fields["meta.agency"] is None and doc.fields["meta.year"] == 2024
    check = next(c for c in doc.checks if c.id == "read.meta")
    assert not check.passed and doc.status == "needs_review"
    assert {"meta.agency", "meta.year"} <= set(check.fields)
    assert doc.fields["t2.licensing.decisions"] == 1130  # the rest is still read


def test_grounding_of_a_number_headed_from_a_line_above_a_row_without_columns():
    """A number wrapped in its narrow cell, its head on a line of its own above a row of cells
    one space apart (pdfplumber's text): its span runs from the head to the tail; the head and
    the tail joined are the value, and no other number."""
    text = "1 1\n一、本年新收 2 0 0 0 3 0 5\n"
    head, tail = text.index("1 1") + 2, text.rindex("5") + 1  # (the second 1, over the total)
    kinds = Format.F2021
    assert grounding({"t3.new_received.total": FieldReading(15, head, tail)}, text, kinds)[0].passed
    assert not grounding({"t3.new_received.total": FieldReading(11, head, tail)}, text, kinds)[0].passed
    assert not grounding({"t3.new_received.total": FieldReading(5, head, tail)}, text, kinds)[0].passed
