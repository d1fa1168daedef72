"""The command line as a user runs it: a real subprocess, JSON Lines on stdout."""

import json
import subprocess
import sys

from .conftest import REPORTS, ROOT, SEED_NAMES, needs


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=cwd)


def test_extract_several_inputs_gives_one_document_per_line_in_input_order(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    not_report = tmp_path / "note.txt"
    not_report.write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((REPORTS / f"{SEED_NAMES[0]}.txt").read_text(encoding="utf-8").encode("gbk"))
    inputs = [
        str(REPORTS / f"{SEED_NAMES[1]}.txt"),
        str(tmp_path / "missing.txt"),
        str(empty),
        str(binary),
        str(not_report),
        str(gbk),
    ]
    result = run("extract", *inputs)
    assert result.returncode == 0
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in docs] == inputs
    assert [d["status"] for d in docs] == ["ok", "failed", "failed", "failed", "failed", "ok"]
    assert docs[5]["encoding"] == "gb18030"
    assert docs[5]["fields"]["t2.licensing.decisions"] == 136
    errors = result.stderr.splitlines()
    assert len(errors) == 4  # one line per bad input, no traceback
    assert "file not found" in errors[0] and "empty file" in errors[1] and "binary" in errors[2]
    assert "not a 政府信息公开工作年度报告" in errors[3]
    assert all(d["error"] for d in docs if d["status"] == "failed")


def test_extract_a_directory_and_pretty_output():
    result = run("extract", str(REPORTS))
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == len(SEED_NAMES) and result.returncode == 0
    pretty = run("extract", "--pretty", str(REPORTS / f"{SEED_NAMES[2]}.txt"))
    assert pretty.stdout.startswith("{\n  ")
    assert json.loads(pretty.stdout)["format"] == "2019"


def test_no_inputs_found_is_an_error(tmp_path):
    result = run("extract", str(tmp_path))
    assert result.returncode == 2 and "no input files" in result.stderr


def test_eval_prints_the_figures_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    result = run("eval", "--output", str(out))
    assert result.returncode == 0, result.stderr
    for words in (
        "all%",
        "nz%",
        "0-base",
        "reports with every field right",
        "silent errors",
        "ms per report",
    ):
        assert words in result.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["overall"]["reports"] == len(SEED_NAMES)
    assert results["overall"]["accuracy_all"] == 1.0
    assert results["overall"]["baseline_all_zeros"] < 1.0


def test_evidence_of_a_pdf_points_into_the_text_the_text_command_prints(tmp_path):
    needs("reportlab", extra="pip install -e '.[dev]'")
    import random

    from evals.generate import random_record, render_file

    record = random_record(random.Random(5))
    _, data = render_file(record, "pdf", random.Random(5))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    doc = json.loads(run("extract", str(pdf)).stdout)
    text = run("text", str(pdf)).stdout
    assert doc["input_format"] == "pdf" and doc["status"] == "ok"
    for field_id, where in doc["evidence"].items():
        value = doc["fields"][field_id]
        if isinstance(value, int) and where["method"] == "rule" and field_id.startswith("t3."):
            assert text[where["start"] : where["end"]] == str(value), field_id


def test_eval_over_a_generated_suite_prints_accuracy_per_layout(tmp_path):
    needs("reportlab", extra="pip install -e '.[dev]'")  # the suite has PDF files
    built = subprocess.run(
        [sys.executable, "-m", "evals.generate", str(tmp_path / "suite"), "--count", "26"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert built.returncode == 0, built.stderr
    suite = tmp_path / "suite"
    result = run(
        "eval",
        "--reports",
        str(suite / "reports"),
        "--gold",
        str(suite / "gold"),
        "--layouts",
        "html,docx,pdf,prose_tables",
        "--output",
        str(tmp_path / "r.json"),
    )
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line[:1].isalpha()}
    assert {"html", "docx", "pdf", "prose_tables"} <= set(rows)
    assert rows["html"][2] == "100.0" and rows["pdf"][2] == "100.0"
    assert float(rows["prose_tables"][2]) < 50 and rows["prose_tables"][5] == "0"  # unread, never silent
    assert "silent-error rate: 0 wrong values" in result.stdout
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert set(results["overall"]["layouts"]) == {"html", "docx", "pdf", "prose_tables"}


def test_evidence_quotes_the_text_the_text_command_shows_at_its_offsets(tmp_path):
    # CRLF line ends in GBK: the decoded text's offsets are not the normalised text's
    raw = (REPORTS / f"{SEED_NAMES[0]}.txt").read_text(encoding="utf-8")
    report = tmp_path / "crlf.txt"
    report.write_bytes(raw.replace("\n", "\r\n").encode("gbk"))
    doc = json.loads(run("extract", str(report)).stdout)
    shown = subprocess.run(
        [sys.executable, "-m", "extractor", "text", str(report)], capture_output=True, cwd=ROOT
    ).stdout.decode("utf-8")  # bytes: no newline translation
    assert "\r\n" in shown and doc["status"] == "ok"
    for field_id, where in doc["evidence"].items():
        assert set(where) >= {"start", "end", "method", "text"}
        assert where["text"] == shown[where["start"] : where["end"]], field_id
        value = doc["fields"][field_id]
        if isinstance(value, int) and field_id.startswith(("t3.", "t4.")):
            assert where["text"] == str(value), field_id
