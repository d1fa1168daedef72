"""A person's correction kept in a batch's store: it outlives re-extraction and every export
carries it (the value with method human, the extraction's beside it)."""

import csv
import json
import random
import sqlite3

import pytest
from openpyxl import load_workbook

from evals.generate import break_identity, random_record, render
from extractor.batch import export_batch, run_batch
from extractor.corrections import Correction, now
from extractor.pipeline import Options
from extractor.store import Store

from .conftest import REPORTS, SEED_NAMES, needs

EVERY_OUTPUT = ["jsonl", "csv", "csv-long", "xlsx", "parquet", "parquet-long", "corrections", "review"]


@pytest.fixture
def corrected_batch(tmp_path):
    """A batch of a sample and a report that misprints one 总计 cell, with that cell corrected
    in the store; (out folder, inputs, field, printed value, correct value)."""
    needs("pyarrow", extra="pip install -e '.[parquet]'")
    rng = random.Random(11)
    record = random_record(rng, fmt="2021")
    broken = break_identity(record, rng)
    field = next(f for f in record if broken[f] != record[f])
    misprint = tmp_path / "in" / "misprint.txt"
    misprint.parent.mkdir()
    misprint.write_text(render(broken, "tab_rows", rng), encoding="utf-8")
    inputs = [REPORTS / f"{SEED_NAMES[0]}.txt", misprint]
    out = tmp_path / "out"
    run_batch(inputs, out, Options(), jobs=1, outputs=EVERY_OUTPUT, progress=False)
    store = Store(out / "reports.sqlite")
    (digest,) = store.db.execute(
        "SELECT content_hash FROM reports WHERE source = ?", (str(misprint),)
    ).fetchone()
    store.add_correction(
        Correction(
            content_hash=digest,
            action="correct",
            field=field,
            old_value=broken[field],
            new_value=record[field],
            reason="原文总计一行此格多印",
            by="王审",
            at=now(),
        )
    )
    store.close()
    return out, inputs, field, broken[field], record[field]


def test_a_correction_is_in_every_export_with_the_extractions_value_beside_it(corrected_batch):
    out, inputs, field, printed, correct = corrected_batch
    result = export_batch(out)
    assert result.statuses == {"ok": 1, "reviewed": 1} and result.export_errors == []
    source = str(inputs[1])

    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    doc = next(d for d in docs if d["source"] == source)
    assert doc["status"] == "reviewed" and doc["fields"][field] == correct
    assert doc["evidence"][field]["method"] == "human"
    assert doc["review"]["fields"][field]["original"] == printed
    assert doc["review"]["extracted_status"] == "needs_review" and doc["review"]["open"] == 0
    assert {c["resolution"] for c in doc["review"]["checks"]} == {"passes"}
    assert any(not c["passed"] for c in doc["checks"])  # the extraction's verdicts, as they were

    wide = _csv(out / "fields_wide.csv")
    row = next(r for r in wide if r["source"] == source)
    assert (row["status"], row[field], row["extracted_status"]) == ("reviewed", str(correct), "needs_review")
    assert json.loads(row["original_values"]) == {field: printed}

    long_row = next(r for r in _csv(out / "fields_long.csv") if r["report"] == source and r["field"] == field)
    assert (long_row["value"], long_row["method"], long_row["review"]) == (str(correct), "human", "corrected")
    assert (long_row["original_value"], long_row["original_method"]) == (str(printed), "rule")

    (audit,) = _csv(out / "corrections.csv")
    assert (audit["source"], audit["field"], audit["value"], audit["original_value"]) == (
        source,
        field,
        str(correct),
        str(printed),
    )
    assert audit["reason"] == "原文总计一行此格多印" and audit["by"] == "王审"

    book = load_workbook(out / "reports.xlsx", read_only=True)
    sheet_rows = [[c.value for c in r] for r in book["corrections"].iter_rows(min_row=3)]
    assert [(r[0], r[1], r[4], r[6]) for r in sheet_rows] == [(source, field, printed, correct)]
    failed = [[c.value for c in r] for r in book["failed checks"].iter_rows(min_row=3)]
    assert failed and {r[-1] for r in failed} == {"passes"}

    import pyarrow.parquet as pq

    typed = next(r for r in pq.read_table(out / "fields_wide.parquet").to_pylist() if r["source"] == source)
    assert typed[field] == correct and typed["status"] == "reviewed"
    parquet_long = pq.read_table(out / "fields_long.parquet").to_pylist()
    given = next(r for r in parquet_long if r["report"] == source and r["field"] == field)
    assert (given["method"], given["original_value"]) == ("human", str(printed))

    index = (out / "review" / "index.html").read_text(encoding="utf-8")
    assert "reviewed" in index
    page = next(p for p in (out / "review").glob("*misprint*.html"))
    assert "m-human corrected" in page.read_text(encoding="utf-8")


def test_corrections_outlive_a_re_extraction_of_their_report(corrected_batch):
    out, inputs, field, _, correct = corrected_batch
    store = Store(out / "reports.sqlite")
    digests = [h for (h,) in store.db.execute("SELECT content_hash FROM reports ORDER BY id")]
    store.forget("rules", digests)  # as a change of rules or settings would: extracted anew
    store.close()
    result = run_batch(inputs, out, Options(), jobs=1, outputs=["jsonl"], progress=False)
    assert result.extracted == 2 and result.statuses == {"ok": 1, "reviewed": 1}
    doc = json.loads((out / "documents.jsonl").read_text(encoding="utf-8").splitlines()[1])
    assert doc["fields"][field] == correct and doc["evidence"][field]["method"] == "human"
    db = sqlite3.connect(out / "reports.sqlite")
    assert db.execute("SELECT COUNT(*), MIN(reviewer) FROM corrections").fetchone() == (1, "王审")


def test_a_re_export_writes_what_the_run_wrote_when_nothing_was_corrected(tmp_path):
    inputs = [REPORTS / f"{name}.txt" for name in SEED_NAMES]
    out = tmp_path / "out"
    run_batch(inputs[::-1], out, Options(), jobs=1, outputs=["jsonl", "csv-long"], progress=False)
    written = {name: (out / name).read_bytes() for name in ("documents.jsonl", "fields_long.csv")}
    result = export_batch(out)
    assert result.inputs == len(inputs) and result.extracted == 0
    assert {name: (out / name).read_bytes() for name in written} == written  # the same order, the same bytes
    db = sqlite3.connect(out / "reports.sqlite")
    db.executescript("DELETE FROM batch_run; DELETE FROM batch_inputs;")  # a store made before runs were kept
    db.commit()
    export_batch(out, ["jsonl"])
    sources = [json.loads(line)["source"] for line in (out / "documents.jsonl").read_text().splitlines()]
    assert sources == [str(p) for p in inputs[::-1]]  # every stored report, in the order stored


def _csv(path):
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))
