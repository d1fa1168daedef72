"""Batch extraction: a folder in, a SQLite store and exports out, resumable, one bad file alone."""

import csv
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evals.generate import random_record, render_file
from extractor.batch import run_batch
from extractor.pipeline import Options

from .conftest import REPORTS, ROOT, SEED_NAMES, gold_of, needs, stored_count


def _folder(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(REPORTS, folder / "seeds")
    (folder / "bad").mkdir()
    (folder / "bad" / "binary.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (folder / "bad" / "empty.txt").write_bytes(b"")
    (folder / "seeds" / "copy.txt").write_bytes((REPORTS / f"{SEED_NAMES[0]}.txt").read_bytes())
    return folder


def _inputs(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _field_columns():
    """The wide CSV's field columns as the hand-written gold files list the ids of fields.md:
    every id of the 2021 format in order, then those only the 2019 format has."""
    by_format = {}
    for name in SEED_NAMES:
        gold = gold_of(name)
        by_format.setdefault(gold["format"], list(gold["fields"]))
    ids = by_format["2021"]
    return ids + [f for f in by_format["2019"] if f not in ids]


def test_batch_writes_a_store_and_exports_that_agree_with_the_gold(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    result = run_batch(
        _inputs(folder), out, Options(), jobs=2, outputs=["jsonl", "csv", "csv-long", "xlsx"], progress=False
    )
    assert result.inputs == 8 and result.duplicates == 1 and result.extracted == 7
    assert result.statuses == {"ok": 5, "failed": 2}
    db = sqlite3.connect(out / "reports.sqlite")
    for name in SEED_NAMES:
        gold = gold_of(name)["fields"]
        (report_id,) = db.execute("SELECT id FROM reports WHERE source LIKE ?", (f"%{name}.txt",)).fetchone()
        stored = dict(db.execute("SELECT field, value FROM fields WHERE report_id = ?", (report_id,)))
        assert {f: v for f, v in gold.items() if stored.get(f) != v} == {}
    failed = db.execute(
        "SELECT source, error FROM reports WHERE status = 'failed' ORDER BY source"
    ).fetchall()
    assert [s.split("/")[-1] for s, _ in failed] == ["binary.pdf", "empty.txt"]
    assert db.execute("SELECT COUNT(*) FROM checks WHERE passed = 0").fetchone()[0] == 0
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 7
    with (out / "fields_wide.csv").open(encoding="utf-8-sig") as f:
        wide = list(csv.DictReader(f))
    assert len(wide) == 7
    assert list(wide[0]) == [
        *("source", "status", "format", "input_format", "error"),
        *_field_columns(),
        *("extracted_status", "original_values"),
    ]
    first = next(row for row in wide if row["source"].endswith(f"{SEED_NAMES[1]}.txt"))
    assert first["t3.new_received.total"] == str(gold_of(SEED_NAMES[1])["fields"]["t3.new_received.total"])
    with (out / "fields_long.csv").open(encoding="utf-8-sig") as f:
        long_rows = list(csv.DictReader(f))
    assert " ".join(long_rows[0]) == (
        "report field value status method start end evidence_text original_value original_method review"
    )
    assert sum(1 for r in long_rows if r["field"] == "t3.total.total") == 5
    quoted = [r for r in long_rows if r["field"].startswith("t3.") and r["method"] == "rule"]
    assert quoted and all(r["evidence_text"] == r["value"] for r in quoted)  # a count quoted as printed
    texts = {r["report"]: Path(r["report"]).read_text(encoding="utf-8") for r in long_rows if r["start"]}
    for row in (r for r in long_rows if r["start"]):
        assert texts[row["report"]][int(row["start"]) : int(row["end"])] == row["evidence_text"]
    sheet = load_workbook(out / "reports.xlsx", read_only=True)["reports"]
    assert sum(1 for _ in sheet.iter_rows()) == 2 + 7  # the ids, their labels, a row per document


def test_exports_carry_the_chinese_labels_a_filter_and_a_field_dictionary(tmp_path):
    record = random_record(random.Random(4), fmt="2021")
    record["t3.granted.natural_person"] += 1  # the report contradicts itself: a failed check
    _, text = render_file(record, "tab_rows", random.Random(4))
    broken = tmp_path / "in" / "broken.txt"
    broken.parent.mkdir()
    broken.write_text(text, encoding="utf-8")
    inputs = [REPORTS / f"{SEED_NAMES[0]}.txt", broken]
    out = tmp_path / "out"
    run_batch(inputs, out, Options(), jobs=1, outputs=["csv", "xlsx"], progress=False)
    book = load_workbook(out / "reports.xlsx")
    reports, failed = book["reports"], book["failed checks"]
    ids = [c.value for c in reports[1]]
    labels = dict(zip(ids, (c.value for c in reports[2]), strict=True))
    assert labels["t3.new_received.total"] == "一、本年新收政府信息公开申请数量 · 总计"
    assert labels["t4.review.upheld"] == "行政复议 · 结果维持" and labels["meta.agency"] == "发布机关"
    assert labels["source"] == "来源文件"
    assert [c.value for c in reports[3]][:2] == [str(inputs[0]), "ok"]  # data from the third row
    for sheet, rows in ((reports, 2), (failed, None)):
        assert sheet.freeze_panes == "B3"
        last = sheet.max_row if rows is None else 2 + rows
        assert sheet.auto_filter.ref == f"A2:{sheet.cell(1, sheet.max_column).column_letter}{last}"
        assert sheet.column_dimensions["A"].width >= 40  # the source path
    column = ids.index("t3.new_received.total") + 1
    assert reports.column_dimensions[reports.cell(1, column).column_letter].width >= 30  # its label
    checks = [[c.value for c in row] for row in failed.iter_rows(min_row=3)]
    assert [row[1] for row in checks] == ["t3.outcome_sum.natural_person", "t3.row_sum.granted"]
    row_sum = checks[1]
    assert row_sum[0] == str(broken)
    assert row_sum[3].split(", ")[:2] == ["t3.granted.total", "t3.granted.natural_person"]
    assert row_sum[4].split("; ")[:2] == ["（一）予以公开 · 总计", "（一）予以公开 · 自然人"]
    with (out / "fields_wide.csv").open(encoding="utf-8-sig") as f:
        wide = list(csv.reader(f))
    assert wide[1][0] == str(inputs[0])  # one header row: pandas and DuckDB read it as is
    with (out / "fields.csv").open(encoding="utf-8-sig") as f:
        dictionary = {row["field"]: row for row in csv.DictReader(f)}
    assert list(dictionary) == wide[0][5:-2]  # every field column of the wide CSV, in its order
    assert dictionary["t3.new_received.total"]["row_label"] == "一、本年新收政府信息公开申请数量"
    assert dictionary["t3.new_received.total"]["column_label"] == "总计"
    assert dictionary["other.processing_fee_yuan"]["kind"] == "money"
    assert dictionary["t2.procurement.amount"]["formats"] == "2019"
    assert dictionary["t3.total.total"]["formats"] == "2021,2019"


def test_a_rerun_skips_what_is_done_and_an_interrupted_batch_resumes(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    rng = random.Random(3)
    for i in range(400):
        _, text = render_file(random_record(rng), "tab_rows", rng)
        (folder / f"r{i:03d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "extractor",
        "extract",
        str(folder),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--no-progress",
    ]
    child = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE)
    store = out / "reports.sqlite"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:  # stop it once some are committed
        if store.exists() and stored_count(store) >= 1:
            break
        time.sleep(0.05)
    child.kill()
    child.wait()
    before = stored_count(store)
    assert 0 < before < 400  # killed part-way, with some documents committed
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"extracted now {400 - before}, already done {before}" in rerun.stderr
    assert stored_count(store) == 400
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert "extracted now 0, already done 400" in again.stderr and "400 ok" in again.stderr


def test_cross_year_compares_carried_over_with_the_year_before(tmp_path):
    rng = random.Random(8)
    first = random_record(rng, fmt="2021")
    second = random_record(rng, fmt="2021")
    for record, year in ((first, 2022), (second, 2023)):
        record["meta.agency"], record["meta.year"] = "青山县民政局", year
    _set_carried_forward(first, "natural_person", second["t3.carried_over.natural_person"])  # agrees
    _set_carried_forward(first, "commercial", second["t3.carried_over.commercial"] + 2)  # differs
    folder = tmp_path / "years"
    folder.mkdir()
    for record in (first, second):
        _, text = render_file(record, "tab_rows", random.Random(1))
        (folder / f"{record['meta.year']}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(sorted(folder.iterdir()), out, Options(), jobs=1, outputs=[], progress=False)
    db = sqlite3.connect(out / "reports.sqlite")
    rows = db.execute(
        "SELECT year, field, carried_over, previous_carried_forward, passed FROM cross_year"
    ).fetchall()
    assert len(rows) == 7 == result.cross_year_checked
    for year, field, now, before, passed in rows:
        column = field.rsplit(".", 1)[1]
        assert year == 2023
        assert now == second[f"t3.carried_over.{column}"] and before == first[f"t3.carried_forward.{column}"]
        assert passed == (now == before)
    assert result.cross_year_failed == sum(1 for r in rows if not r[4])
    assert {
        f.rsplit(".", 1)[1]: p for _, f, _, _, p in rows if f.endswith(("natural_person", "commercial"))
    } == {
        "natural_person": 1,
        "commercial": 0,
    }


def _set_carried_forward(record, column, value):
    """Change a carried-forward cell and the new-received cells with it, so every identity still holds."""
    change = value - record[f"t3.carried_forward.{column}"]
    for row in ("carried_forward", "new_received"):
        record[f"t3.{row}.{column}"] += change
        record[f"t3.{row}.total"] += change


# --- the store: rows, views, documents rebuilt, an older store ---------------------------


def _documents_by_source(folder):
    from extractor import extract

    return {str(p): extract(p) for p in _inputs(folder)}


def test_the_store_gives_back_each_document_exactly_and_sqlite_reads_it_as_json(tmp_path):
    from extractor.batch import settings_key
    from extractor.store import Store

    folder = _folder(tmp_path)
    out = tmp_path / "out"
    run_batch(_inputs(folder), out, Options(), jobs=1, outputs=[], progress=False)
    expected = _documents_by_source(folder)
    store = Store(out / "reports.sqlite")
    hashes = [h for (h,) in store.db.execute("SELECT content_hash FROM reports ORDER BY id")]
    for _, doc in store.documents(settings_key(Options()), hashes):
        assert doc.model_dump_json() == expected[doc.source].model_dump_json()
    store.close()
    db = sqlite3.connect(out / "reports.sqlite")
    for source, document in db.execute("SELECT source, document FROM documents"):
        assert json.loads(document) == expected[source].model_dump(mode="json")
    total = db.execute(
        """SELECT json_extract(document, '$.fields."t3.total.total"') FROM documents WHERE source LIKE ?""",
        (f"%{SEED_NAMES[1]}.txt",),
    ).fetchone()[0]
    assert total == gold_of(SEED_NAMES[1])["fields"]["t3.total.total"]
    failed_checks = db.execute("SELECT COUNT(*) FROM checks WHERE passed = 0").fetchone()[0]
    assert failed_checks == sum(len(d.failed_checks) for d in expected.values())


def test_a_store_of_the_older_kind_is_rewritten_and_the_batch_resumes_on_it(tmp_path):
    import zlib

    from extractor import extract

    folder = _folder(tmp_path)
    inputs = _inputs(folder)
    out = tmp_path / "out"
    out.mkdir()
    old = sqlite3.connect(out / "reports.sqlite")  # version 1: documents zlib-packed, fields as a table
    old.executescript(
        "CREATE TABLE reports (id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL, settings TEXT NOT NULL,"
        " source TEXT NOT NULL, status TEXT NOT NULL, format TEXT, agency TEXT, year INTEGER,"
        " input_format TEXT, error TEXT, document BLOB NOT NULL, UNIQUE (content_hash, settings));"
        "CREATE TABLE fields (report_id INTEGER, field TEXT, value, method TEXT, start INTEGER,"
        ' "end" INTEGER);'
        "CREATE TABLE checks (report_id INTEGER, check_id TEXT, passed INTEGER, fields TEXT, detail TEXT);"
    )
    first = inputs[0]
    doc = extract(first)
    digest = __import__("hashlib").sha256(first.read_bytes()).hexdigest()
    packed = zlib.compress(doc.model_dump_json().encode())
    old.execute(
        "INSERT INTO reports VALUES (1, ?, 'rules', ?, ?, ?, NULL, NULL, ?, ?, ?)",
        (digest, doc.source, doc.status, doc.format, doc.input_format, doc.error, packed),
    )
    old.commit()
    old.close()
    result = run_batch(inputs, out, Options(), jobs=1, outputs=["jsonl"], progress=False)
    assert result.skipped_done == 1 and result.extracted == 6
    db = sqlite3.connect(out / "reports.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    (stored,) = db.execute("SELECT document FROM documents WHERE id = 1").fetchone()
    assert json.loads(stored) == doc.model_dump(mode="json")
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == doc.model_dump(mode="json") and len(lines) == 7


def test_exports_of_a_resumed_batch_are_those_of_one_run_in_input_order(tmp_path):
    folder = _folder(tmp_path)
    inputs = _inputs(folder)
    outputs = ["jsonl", "csv", "csv-long", "parquet", "parquet-long"]
    run_batch(inputs, tmp_path / "once", Options(), jobs=2, outputs=outputs, progress=False)
    run_batch(inputs[3:6], tmp_path / "twice", Options(), jobs=1, outputs=outputs, progress=False)
    run_batch(inputs, tmp_path / "twice", Options(), jobs=2, outputs=outputs, progress=False)
    for name in (
        "documents.jsonl",
        "fields_wide.csv",
        "fields_long.csv",
        "fields_wide.parquet",
        "fields_long.parquet",
    ):
        assert (tmp_path / "once" / name).read_bytes() == (tmp_path / "twice" / name).read_bytes(), name
    assert not list((tmp_path / "twice").glob("*.partial"))


# --- Parquet ---------------------------------------------------------------------------


def test_parquet_exports_hold_the_csv_columns_and_rows_typed_where_wide(tmp_path):
    needs("pyarrow", extra="pip install -e '.[parquet]'")
    import pyarrow.parquet as pq

    folder = _folder(tmp_path)
    out = tmp_path / "out"
    outputs = ["csv", "csv-long", "parquet", "parquet-long"]
    run_batch(_inputs(folder), out, Options(), jobs=1, outputs=outputs, progress=False)
    for csv_name, parquet_name in (
        ("fields_wide.csv", "fields_wide.parquet"),
        ("fields_long.csv", "fields_long.parquet"),
    ):
        with (out / csv_name).open(encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        table = pq.read_table(out / parquet_name)
        assert table.column_names == rows[0]
        parquet_rows = [list(row.values()) for row in table.to_pylist()]
        assert len(parquet_rows) == len(rows) - 1
        for csv_row, parquet_row in zip(rows[1:], parquet_rows, strict=True):
            assert [_same(text, value) for text, value in zip(csv_row, parquet_row, strict=True)] == [
                True
            ] * len(csv_row)
    wide = pq.read_table(out / "fields_wide.parquet")
    assert str(wide.schema.field("t3.new_received.total").type) == "int64"
    long = pq.read_table(out / "fields_long.parquet")
    assert str(long.schema.field("start").type) == "int64" and None in long.column("start").to_pylist()
    assert str(wide.schema.field("meta.agency").type) == "string"
    seed = next(r for r in wide.to_pylist() if r["source"].endswith(f"{SEED_NAMES[1]}.txt"))
    assert seed["t3.new_received.total"] == gold_of(SEED_NAMES[1])["fields"]["t3.new_received.total"]


def _same(text, value):
    """A CSV cell and the Parquet value of it: blank is null, a money cell a float."""
    if value is None:
        return text == ""
    return float(text) == value if isinstance(value, float) else str(value) == text


@pytest.mark.parametrize(
    ("missing", "flags", "message"),
    [
        (
            "pyarrow",
            ["--outputs", "csv,parquet"],
            "Parquet needs pyarrow: pip install -e '.[parquet]'",
        ),
        ("ray", ["--engine", "ray"], "--engine ray needs Ray: pip install -e '.[ray]'"),
    ],
)
def test_a_missing_extra_is_one_line_naming_it_before_any_work(tmp_path, missing, flags, message):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes((REPORTS / f"{SEED_NAMES[0]}.txt").read_bytes())
    code = (
        f"import sys; sys.modules[{missing!r}] = None; from extractor.cli import main; "
        f"sys.exit(main(['extract', {str(folder)!r}, '--out', {str(tmp_path / 'out')!r}, '--no-progress', "
        f"*{flags!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"gov-report-extractor extract: error: {message}"]
    assert not (tmp_path / "out" / "reports.sqlite").exists()


def test_a_scan_s_evidence_comes_back_from_the_store_with_its_confidence_page_and_box(tmp_path):
    from dataclasses import replace

    from extractor import extract
    from extractor.store import Store, document_of, rows_of

    doc = extract(REPORTS / f"{SEED_NAMES[0]}.txt")
    field_id = "t3.total.total"
    doc.evidence[field_id] = replace(
        doc.evidence[field_id], method="ocr", confidence=0.97, page=2, box=(10, 20, 30, 40)
    )
    rows = rows_of(1, "hash", "rules", doc)
    assert document_of(rows).model_dump_json() == doc.model_dump_json()
    store = Store(tmp_path / "s.sqlite")
    store.add([rows])
    store.close()
    db = sqlite3.connect(tmp_path / "s.sqlite")
    (document,) = db.execute("SELECT document FROM documents").fetchone()
    assert json.loads(document)["evidence"][field_id] == doc.model_dump(mode="json")["evidence"][field_id]
    assert json.loads(document)["evidence"][field_id]["box"] == [10, 20, 30, 40]
