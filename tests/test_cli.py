"""The command line as a user runs it: a real subprocess, JSON Lines on stdout."""

import json
import os
import re
import subprocess
import sys

import pytest

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
    assert rows["prose_tables"][2] == "100.0" and rows["prose_tables"][7] == "0"  # read by their sentences
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


def _bad_and_good(tmp_path):
    return [str(REPORTS / f"{SEED_NAMES[0]}.txt"), str(tmp_path / "missing.txt")]


def test_exit_status_is_0_when_every_input_got_a_document_and_1_with_strict(tmp_path):
    good, missing = _bad_and_good(tmp_path)
    assert run("extract", good, missing).returncode == 0  # the contract of output.md
    strict = run("extract", "--strict", good, missing)
    assert strict.returncode == 1 and len(strict.stdout.splitlines()) == 2  # still a document each
    assert run("extract", "--strict", good).returncode == 0
    page = tmp_path / "page.html"
    review = run("review", missing, "-o", str(page))
    assert review.returncode == 0 and page.is_file() and "file not found" in review.stderr
    assert run("review", missing, "-o", str(page), "--strict").returncode == 1
    assert run("review", good, "-o", str(page), "--strict").returncode == 0
    text = run("text", missing)
    assert text.returncode == 1 and text.stdout == ""
    assert text.stderr.splitlines() == [f"gov-report-extractor text: error: {missing}: file not found"]


def test_a_batch_with_strict_exits_1_when_an_input_failed(tmp_path):
    good, missing = _bad_and_good(tmp_path)
    batch = ("--no-progress", "--outputs", "jsonl")
    assert run("extract", good, missing, "--out", str(tmp_path / "a"), *batch).returncode == 0
    strict = run("extract", good, missing, "--out", str(tmp_path / "b"), *batch, "--strict")
    assert strict.returncode == 1 and "1 ok, 0 needs_review, 1 failed" in strict.stderr
    assert run("extract", good, "--out", str(tmp_path / "c"), *batch, "--strict").returncode == 0


def test_usage_errors_exit_2_with_the_usage_and_one_error_line(tmp_path):
    good = str(REPORTS / f"{SEED_NAMES[0]}.txt")
    unknown = run("extract", good, "--out", str(tmp_path / "o"), "--outputs", "csv,xls,nosuch")
    assert unknown.returncode == 2 and not (tmp_path / "o").exists()
    names = "jsonl, csv, csv-long, xlsx, parquet, parquet-long, corrections, review"
    assert f"unknown output xls, nosuch: choose from {names}" in unknown.stderr
    cases = {
        "--outputs needs --out": ("extract", good, "--outputs", "csv"),
        "no input files": ("extract", str(tmp_path)),
        "glob matching nothing": ("extract", str(tmp_path / "*.pdf")),
        "two output styles": ("extract", good, "--pretty", "--summary"),
        "a flag that does not exist": ("extract", good, "--prety"),
        "stdin twice": ("extract", "-", "-"),
        "stdin in a batch": ("extract", "-", "--out", str(tmp_path / "b")),
    }
    for case, args in cases.items():
        result = run(*args)
        assert result.returncode == 2, case
        assert result.stderr.startswith("usage: gov-report-extractor "), case
        assert result.stderr.splitlines()[-1].startswith("gov-report-extractor"), case
        assert "Traceback" not in result.stderr and result.stdout == "", case


def test_a_dash_reads_standard_input_for_extract_text_and_review(tmp_path):
    report = REPORTS / f"{SEED_NAMES[1]}.txt"
    piped = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", "-"],
        input=report.read_bytes(),
        capture_output=True,
        cwd=ROOT,
    )
    from_stdin = json.loads(piped.stdout)
    from_file = json.loads(run("extract", str(report)).stdout)
    assert from_stdin["source"] == "<stdin>" and from_stdin["status"] == "ok"
    assert from_stdin["fields"] == from_file["fields"] and from_stdin["evidence"] == from_file["evidence"]
    text = subprocess.run(
        [sys.executable, "-m", "extractor", "text", "-"],
        input=report.read_bytes(),
        capture_output=True,
        cwd=ROOT,
    )
    assert text.returncode == 0 and text.stdout == report.read_bytes()
    page = tmp_path / "page.html"
    review = subprocess.run(
        [sys.executable, "-m", "extractor", "review", "-", "-o", str(page)],
        input=report.read_bytes(),
        capture_output=True,
        cwd=ROOT,
    )
    assert review.returncode == 0
    assert page.read_text(encoding="utf-8").count("<mark id=") == len(from_file["evidence"])


def test_pretty_with_several_inputs_is_one_json_array(tmp_path):
    inputs = [str(REPORTS / f"{name}.txt") for name in SEED_NAMES[:3]] + [str(tmp_path / "missing.txt")]
    result = run("extract", "--pretty", *inputs)
    docs = json.loads(result.stdout)  # one JSON value
    assert isinstance(docs, list) and [d["source"] for d in docs] == inputs
    assert [d["status"] for d in docs] == ["ok", "ok", "ok", "failed"]
    assert result.stdout.startswith("[\n  {\n    ")


def _broken_report(tmp_path):
    import random

    from evals.generate import random_record, render_file

    record = random_record(random.Random(4), fmt="2021")
    record["t3.granted.natural_person"] += 1  # the report contradicts itself
    _, text = render_file(record, "tab_rows", random.Random(4))
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_summary_is_one_screen_per_report_with_status_totals_and_failed_checks(tmp_path):
    good = REPORTS / f"{SEED_NAMES[0]}.txt"
    broken = _broken_report(tmp_path)
    missing = tmp_path / "missing.txt"
    result = run("extract", "--summary", str(good), str(broken), str(missing))
    assert result.returncode == 0
    screens = result.stdout.split("\n\n")
    docs = [json.loads(line) for line in run("extract", str(good), str(broken)).stdout.splitlines()]
    for screen, doc in zip(screens, docs, strict=False):
        lines = screen.splitlines()
        assert lines[0] == doc["source"] and len(lines) <= 25
        passed = sum(c["passed"] for c in doc["checks"])
        assert lines[1].split() == [
            "status",
            f"{doc['status']}:",
            str(passed),
            "of",
            str(len(doc["checks"])),
            "checks",
            "passed",
        ]
        fields = doc["fields"]
        assert f"{fields['meta.agency']} · {fields['meta.year']} · format {doc['format']}" in lines[2]
        for field_id in (
            "overview.applications_received",
            "t3.new_received.total",
            "t3.total.total",
            "t4.review.total",
        ):
            shown = next(line for line in lines if line.endswith(f"({field_id})"))
            assert shown.split()[0] == str(fields[field_id])
    assert "一、本年新收政府信息公开申请数量 · 总计  (t3.new_received.total)" in screens[0]
    assert "failed checks" not in screens[0]
    failed = [c for c in docs[1]["checks"] if not c["passed"]]
    assert failed and "    t3.row_sum ×1" in screens[1] and "      granted: " in screens[1]
    assert all(c["id"].rsplit(".", 1)[1] + ": " in screens[1] for c in failed)
    assert screens[2].splitlines() == [str(missing), "  status   failed: file not found"]
    assert "{" not in result.stdout  # no JSON


def test_fields_lists_every_field_id_with_its_chinese_labels():
    from extractor.catalog import CATALOG, Format

    table = run("fields", "--format", "2019")
    assert table.returncode == 0
    rows = {line.split()[0]: line for line in table.stdout.splitlines()[1:]}
    assert list(rows) == list(CATALOG.field_ids(Format.F2019))  # every id of the format, in order
    assert rows["t3.new_received.total"].split()[1:] == [
        "一、本年新收政府信息公开申请数量",
        "总计",
        "count",
        "2019",
    ]
    assert "处理决定数量" in rows["t2.licensing.decisions"] and "本年" not in rows["t2.licensing.decisions"]
    listed = json.loads(run("fields", "--json").stdout)
    by_id = {entry["id"]: entry for entry in listed}
    assert list(by_id) == list(CATALOG.all_field_ids())
    assert by_id["t4.review.upheld"] == {
        "id": "t4.review.upheld",
        "row": "行政复议",
        "column": "结果维持",
        "kind": "count",
        "formats": ["2021", "2019"],
    }
    assert by_id["t2.procurement.amount"]["formats"] == ["2019"]
    assert by_id["meta.agency"]["row"] == "发布机关" and by_id["meta.agency"]["column"] == ""


# A module that is not installed, as the code sees it: found by no finder... except this one,
# whose loader fails the way a missing module does (importlib.util.find_spec still answers).
_WITHOUT = """
import importlib.abc, importlib.machinery, sys
blocked = set(sys.argv.pop(1).split(","))
class Absent(importlib.abc.Loader):
    def create_module(self, spec):
        raise ModuleNotFoundError(f"No module named {spec.name!r}", name=spec.name)
    def exec_module(self, module):
        pass
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in blocked:
            return importlib.machinery.ModuleSpec(name, Absent())
sys.meta_path.insert(0, Block())
sys.path.insert(0, ".")
from extractor.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_without(modules, *args, **kwargs):
    command = [sys.executable, "-c", _WITHOUT, ",".join(modules), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60, **kwargs)


def test_a_missing_optional_part_is_one_line_naming_its_extra():
    report = str(REPORTS / f"{SEED_NAMES[0]}.txt")
    cases = [
        (("diskcache",), ("extract", report, "--llm", "always"), "--llm always", "llm"),
        (
            ("instructor", "openai"),
            ("extract", report, "--llm-base-url", "http://127.0.0.1:9/v1"),
            "--llm-base-url",
            "llm",
        ),
        (("llama_cpp",), ("extract", report, "--local-model", "0.5b"), "--local-model", "local"),
        (("diskcache",), ("review", report, "--llm", "fallback", "-o", "/dev/null"), "--llm fallback", "llm"),
        (("uvicorn",), ("serve", "--port", "9"), "serve", "service"),
        (("fastapi",), ("serve", "--port", "9"), "serve", "service"),
    ]
    for modules, args, asked_by, extra in cases:
        result = run_without(modules, *args)
        assert result.returncode == 2, (args, result.stderr)
        expected = (
            rf"gov-report-extractor {args[0]}: error: {re.escape(asked_by)} needs the '{extra}' extra "
            rf"\((\w+) is not installed\): pip install -e '\.\[{extra}\]'"
        )  # the module named is the blocked one, or one really missing (a rule-only install)
        assert re.fullmatch(expected, result.stderr.strip()), result.stderr
        assert result.stdout == ""
    rules_only = run_without(("diskcache", "openai", "instructor", "fastapi", "uvicorn"), "extract", report)
    assert rules_only.returncode == 0 and json.loads(rules_only.stdout)["status"] == "ok"


def test_a_reader_that_goes_away_ends_the_output_quietly():
    child = subprocess.Popen(
        [sys.executable, "-m", "extractor", "extract", str(REPORTS), str(REPORTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert child.stdout.read(10) == b'{"schema_v'
    child.stdout.close()  # as `| head -c 10` does
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=60) == 141 and stderr == ""


class _Listener:
    """A loopback port that counts the connections made to it and answers each with a 400."""

    def __init__(self):
        import socket
        import threading

        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/v1"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")

    def close(self):
        self.socket.close()


@pytest.fixture
def unreadable_by_rules(tmp_path):
    """A report whose tables are written as prose, one row's label in other words and a remark
    after it: the rules cannot read the tables, nor place that row, so a model fallback, if
    there were one, would be asked."""
    import random

    from evals.generate import random_record, render_file

    _, text = render_file(random_record(random.Random(2)), "prose_tables", random.Random(2))
    text = text.replace("（一）予以公开：", "上述申请中网上提出的：自然人1件。\n（一）全部公开的：")
    report = tmp_path / "prose.txt"
    report.write_text(text, encoding="utf-8")
    return report


@pytest.fixture
def listener():
    running = _Listener()
    yield running
    running.close()


def _without_model_settings():
    return {k: v for k, v in os.environ.items() if not k.startswith(("EXTRACTOR_LLM", "OPENAI_"))}


def _extract_with(env, *args):
    command = [sys.executable, "-m", "extractor", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_an_openai_endpoint_in_the_environment_is_never_used_unasked(tmp_path, unreadable_by_rules, listener):
    env = {**_without_model_settings(), "OPENAI_BASE_URL": listener.url, "OPENAI_API_KEY": "sk-test"}
    unasked = _extract_with(env, "extract", str(unreadable_by_rules))
    review = _extract_with(env, "review", str(unreadable_by_rules), "-o", str(tmp_path / "p.html"))
    assert unasked.returncode == 0 and review.returncode == 0, unasked.stderr + review.stderr
    assert listener.connections == 0
    doc = json.loads(unasked.stdout)
    assert "llm" not in doc and doc["status"] == "needs_review"
    assert doc["fields"] == json.loads(run("extract", str(unreadable_by_rules)).stdout)["fields"]  # rule-only


def test_the_projects_own_endpoint_setting_asks_for_the_model(unreadable_by_rules, listener):
    needs("instructor", "openai", "diskcache", "tenacity", extra="pip install -e '.[llm]'")
    env = {**_without_model_settings(), "EXTRACTOR_LLM_BASE_URL": listener.url}
    asked = _extract_with(env, "extract", str(unreadable_by_rules))
    assert listener.connections > 0 and "llm" in json.loads(asked.stdout)  # the listener hears a model call


def test_every_command_that_extracts_takes_the_same_model_options():
    from extractor.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    options = {
        name: [
            action.option_strings
            for group in commands[name]._action_groups
            if group.title.startswith("language model")
            for action in group._group_actions
        ]
        for name in ("extract", "review", "serve", "eval")
    }
    assert {"--llm", "--llm-base-url", "--local-model", "--no-cache"} <= {
        o for os_ in options["extract"] for o in os_
    }
    assert options["review"] == options["extract"] == options["serve"] == options["eval"]
    args = build_parser().parse_args(["serve", "--llm", "always", "--llm-base-url", "http://127.0.0.1:9/v1"])
    assert args.llm == "always" and args.llm_base_url == "http://127.0.0.1:9/v1"


def test_eval_finds_its_data_from_any_directory(tmp_path):
    import shutil

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "r.json"
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "eval", "--output", str(out)],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["overall"]["reports"] == len(SEED_NAMES)
    installed = tmp_path / "site"  # the package without a checkout around it (as from a wheel)
    shutil.copytree(ROOT / "extractor", installed / "extractor", ignore=shutil.ignore_patterns("__pycache__"))
    alone = subprocess.run(
        [sys.executable, "-m", "extractor", "eval"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
    )  # fmt: skip
    assert alone.returncode == 2
    assert alone.stderr.splitlines() == [
        "gov-report-extractor eval: error: no evals/ beside the package: pass --reports DIR and --gold DIR"
    ]


def test_help_names_the_program_explains_every_argument_globs_and_exit_codes():
    from extractor.cli import build_parser

    top = run("--help")
    assert top.stdout.startswith("usage: gov-report-extractor ") and "exit status" in top.stdout
    commands = build_parser()._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        shown = run(name, "--help").stdout
        assert shown.startswith(f"usage: gov-report-extractor {name} ") and "exit status:" in shown, name
        assert "``" not in shown and "`" not in shown, name
        for action in sub._actions:
            assert action.help, (name, action.dest)
    extract = run("extract", "--help").stdout
    assert "'in/**/*.pdf'" in extract and "standard input" in extract
    for code in ("0  every input got its document", "1  --strict", "2  usage error"):
        assert code in extract


def test_ci_runs_exactly_the_readmes_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick_start, re.S)
    assert len(commands) == 2
    assert commands[0].startswith("bash install.sh && python3 -m extractor extract evals/reports/")
    assert commands[1] == "python3 -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = [
        line for line in ci[ci.index('export CI="${CI:-true}"') + 1 :] if line and not line.startswith("#")
    ]
    assert steps == commands
    sample = commands[0].split("python3 -m extractor ", 1)[1].split()
    assert run(*sample).returncode == 0
