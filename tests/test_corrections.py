"""People's corrections applied to a document: the values they gave, the identities run again on
them, every changed verdict said, and ``reviewed`` only when no doubt is left open."""

import random

import pytest

from evals.generate import break_identity, random_record, render
from extractor import extract
from extractor.corrections import (
    HUMAN,
    Correction,
    doubtful_fields,
    identities_of,
    in_effect,
    reviewed,
    value_of_text,
)
from extractor.models import Check
from extractor.values import ValueKind

from .conftest import REPORTS, SEED_NAMES

AT = "2025-01-02T03:04:05+00:00"


def _entry(action, field=None, check=None, new=None, old=None, **more):
    return Correction(
        content_hash="c0ffee",
        action=action,
        field=field,
        check=check,
        new_value=new,
        old_value=old,
        reason=more.pop("reason", "原文如此"),
        by="王审",
        at=AT,
        **more,
    )


@pytest.fixture(scope="module")
def misprinted():
    """A report whose 总计 row is printed off in one column (it contradicts itself), its
    record, and the column."""
    rng = random.Random(4)
    record = random_record(rng, fmt="2021")
    broken = break_identity(record, rng)
    column = next(f for f in record if broken[f] != record[f]).rsplit(".", 1)[1]
    doc = extract(render(broken, "tab_rows", rng))
    assert doc.status == "needs_review"
    return doc, record, column


def test_the_identities_run_again_on_unchanged_values_give_the_extractions_verdicts(misprinted):
    for doc in [extract(REPORTS / f"{name}.txt") for name in SEED_NAMES] + [misprinted[0]]:
        again = identities_of(doc, doc.fields)
        stated = {c.id: (c.passed, c.detail) for c in doc.checks if c.id in again}
        assert stated == {i: (c.passed, c.detail) for i, c in again.items()}


def test_correcting_the_misprint_resolves_its_identities_and_says_so(misprinted):
    doc, record, column = misprinted
    field = f"t3.total.{column}"
    failed_before = {c.id for c in doc.failed_checks}
    assert {f"t3.column_balance.{column}", f"t3.outcome_sum.{column}", "t3.row_sum.total"} <= failed_before
    done = reviewed(doc, [_entry("correct", field, new=record[field], old=doc.fields[field])])
    assert done.status == "reviewed" and done.review.open == 0
    assert done.fields[field] == record[field] and doc.fields[field] != record[field]
    given = done.review.fields[field]
    assert (given.action, given.original, given.original_method, given.by) == (
        "corrected",
        doc.fields[field],
        "rule",
        "王审",
    )
    assert done.evidence[field].method == HUMAN
    assert (done.evidence[field].start, done.evidence[field].end) == (
        doc.evidence[field].start,
        doc.evidence[field].end,
    )
    assert done.checks == doc.checks  # the extraction's verdicts stay as they were
    listed = {c.id: c for c in done.review.checks}
    assert set(listed) == failed_before  # every verdict that changed is said
    assert all(c.passed is False and c.now is True and c.resolution == "passes" for c in listed.values())
    assert doc.review is None and doc.fields[field] != record[field]  # the document itself is untouched


def test_a_correction_that_breaks_a_sum_is_a_new_open_doubt_not_a_silent_change():
    doc = extract(REPORTS / f"{SEED_NAMES[1]}.txt")
    assert doc.status == "ok"
    field = "t3.granted.natural_person"
    done = reviewed(doc, [_entry("correct", field, new=doc.fields[field] + 5)])
    assert done.status == "needs_review" and done.review.open > 0
    broken = {c.id: c for c in done.review.checks}
    assert "t3.row_sum.granted" in broken
    row_sum = broken["t3.row_sum.granted"]
    assert (row_sum.passed, row_sum.now, row_sum.resolution) == (True, False, "open")
    assert "≠" in row_sum.detail


def test_marking_the_report_inconsistent_resolves_its_identities_only(misprinted):
    doc, _, column = misprinted
    marked = reviewed(doc, [_entry("inconsistent", reason="总计一行原文即多印")])
    assert marked.status == "reviewed" and marked.fields == doc.fields
    assert {c.resolution for c in marked.review.checks} == {"inconsistent_at_source"}
    assert marked.review.inconsistent[0].check is None
    # one identity marked: the others stay open
    one = reviewed(doc, [_entry("inconsistent", check=f"t3.column_balance.{column}")])
    assert one.status == "needs_review" and one.review.open == len(doc.failed_checks) - 1
    # withdrawn: the document as extracted
    back = reviewed(doc, [_entry("inconsistent"), _entry("withdraw")])
    assert back is doc


def test_a_read_check_is_settled_by_a_value_for_each_field_it_doubts():
    doc = extract(REPORTS / f"{SEED_NAMES[0]}.txt")
    read_check = Check(
        "read.t2", False, ["t2.fees.amount", "t2.penalty.decisions"], "not read with confidence"
    )
    doubtful = doc.model_copy(update={"checks": [*doc.checks, read_check], "status": "needs_review"})
    one = reviewed(doubtful, [_entry("confirm", "t2.fees.amount", new=doc.fields["t2.fees.amount"])])
    assert one.status == "needs_review" and one.review.fields["t2.fees.amount"].action == "confirmed"
    both = reviewed(
        doubtful,
        [
            _entry("confirm", "t2.fees.amount", new=doc.fields["t2.fees.amount"]),
            _entry("correct", "t2.penalty.decisions", new=3),
        ],
    )
    assert both.status == "reviewed" and [c.resolution for c in both.review.checks] == ["settled"]
    # the report-wide mark is for identities: it settles no read check
    assert reviewed(doubtful, [_entry("inconsistent")]).status == "needs_review"


def test_a_confirmation_holds_only_while_the_extraction_reads_the_value_confirmed():
    doc = extract(REPORTS / f"{SEED_NAMES[0]}.txt")
    field = "t3.granted.total"
    assert reviewed(doc, [_entry("confirm", field, new=doc.fields[field])]).review.fields[field]
    assert reviewed(doc, [_entry("confirm", field, new=doc.fields[field] + 1)]) is doc


def test_the_latest_entry_about_a_field_is_in_effect_and_a_withdrawal_ends_it():
    entries = [
        _entry("correct", "t3.total.total", new=5),
        _entry("correct", "t3.total.total", new=6),
        _entry("confirm", "t4.review.total", new=0),
        _entry("withdraw", "t4.review.total"),
        _entry("inconsistent", check="t3.row_sum.total"),
    ]
    fields, marks = in_effect(entries)
    assert {f: e.new_value for f, e in fields.items()} == {"t3.total.total": 6}
    assert list(marks) == ["t3.row_sum.total"]


def test_a_grounding_check_doubts_only_the_values_it_did_not_find():
    check = Check(
        "grounding.t3",
        False,
        ["t3.a.b", "t3.c.d", "t3.e.f"],
        "1 of 3 values found at their spans; not found: t3.c.d, t3.e.f",
    )
    assert doubtful_fields(check) == {"t3.c.d", "t3.e.f"}
    assert doubtful_fields(Check("read.t3", False, ["t3.a.b"], "row a not found")) == {"t3.a.b"}


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("7", ValueKind.COUNT, 7),
        ("1,200", ValueKind.COUNT, 1200),
        ("", ValueKind.COUNT, None),
        ("—", ValueKind.COUNT, None),
        ("减 3", ValueKind.CHANGE, -3),
        ("12.5", ValueKind.MONEY, 12.5),
        (" 某某局 ", ValueKind.TEXT, "某某局"),
    ],
)
def test_a_typed_value_is_read_as_the_tables_print_values(typed, kind, value):
    assert value_of_text(typed, kind) == value


@pytest.mark.parametrize(
    ("typed", "kind"), [("abc", ValueKind.COUNT), ("1.5", ValueKind.COUNT), ("-2", ValueKind.COUNT)]
)
def test_a_value_that_is_no_such_number_is_refused_with_the_reason(typed, kind):
    with pytest.raises(ValueError, match=r"number|negative"):
        value_of_text(typed, kind)
