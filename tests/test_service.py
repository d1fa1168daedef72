"""The HTTP API over a real socket: uvicorn serving the FastAPI app on a loopback port."""

import json
import subprocess
import sys

import pytest

from .conftest import needs

needs("fastapi", "uvicorn", "multipart", "requests", extra="pip install -e '.[dev]'")
pytestmark = pytest.mark.service

import requests

from extractor.reading import read_file
from extractor.segmenting import find_sections
from extractor.service import create_app

from .conftest import REPORTS, ROOT, SEED_NAMES, gold_of, serving

LIMIT = 200_000


@pytest.fixture(scope="module")
def base_url():
    with serving(create_app(max_bytes=LIMIT, timeout=60)) as url:
        yield url


def test_health(base_url):
    reply = requests.get(f"{base_url}/health", timeout=10)
    assert reply.status_code == 200 and reply.json()["status"] == "ok"


@pytest.mark.parametrize("name", SEED_NAMES)
def test_an_uploaded_sample_gives_the_same_fields_as_the_cli(base_url, name):
    path = REPORTS / f"{name}.txt"
    with path.open("rb") as f:
        reply = requests.post(f"{base_url}/extract", files={"file": (path.name, f, "text/plain")}, timeout=60)
    assert reply.status_code == 200
    cli = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    expected = json.loads(cli.stdout)
    assert reply.json()["fields"] == expected["fields"]
    assert reply.json()["status"] == expected["status"] == gold_of(name)["expected_status"]


def test_a_raw_body_upload_with_a_filename_reads_a_word_file(base_url, tmp_path):
    import random

    from evals.generate import random_record, render_file

    record = random_record(random.Random(2))
    _, data = render_file(record, "docx", random.Random(2))
    reply = requests.post(f"{base_url}/extract", params={"filename": "r.docx"}, data=data, timeout=60)
    assert reply.status_code == 200
    body = reply.json()
    assert body["input_format"] == "docx"
    assert {k: v for k, v in record.items() if body["fields"].get(k) != v} == {}


def test_one_sections_text_gives_that_tables_fields_and_checks(base_url):
    name = SEED_NAMES[1]
    src = read_file(REPORTS / f"{name}.txt")
    t3 = find_sections(src.text)["t3"]
    reply = requests.post(
        f"{base_url}/extract/section",
        json={"section": "t3", "text": src.text[t3.body_start : t3.end]},
        timeout=60,
    )
    assert reply.status_code == 200
    body = reply.json()
    gold = gold_of(name)["fields"]
    assert body["section"] == "t3" and body["status"] == "ok"
    assert set(body["fields"]) == {f for f in gold if f.startswith("t3.")}
    assert {f: v for f, v in body["fields"].items() if gold[f] != v} == {}
    assert body["checks"] and all(c["passed"] for c in body["checks"])


def test_an_oversized_upload_is_refused_with_413(base_url):
    reply = requests.post(f"{base_url}/extract", data=b"x" * (LIMIT + 1), timeout=60)
    assert reply.status_code == 413 and "limit" in reply.json()["detail"]

    def chunks():  # no Content-Length: the limit holds while streaming
        for _ in range(LIMIT // 10_000 + 2):
            yield b"y" * 10_000

    reply = requests.post(f"{base_url}/extract", data=chunks(), timeout=60)
    assert reply.status_code == 413


def test_binary_and_non_report_uploads_get_a_clear_4xx(base_url):
    reply = requests.post(
        f"{base_url}/extract", files={"file": ("a.txt", bytes(range(256)) * 20)}, timeout=60
    )
    assert reply.status_code == 415 and "binary" in reply.json()["detail"]
    reply = requests.post(
        f"{base_url}/extract", files={"file": ("a.txt", "会议纪要\n今天天气很好。\n".encode())}, timeout=60
    )
    assert reply.status_code == 422 and "not a 政府信息公开工作年度报告" in reply.json()["detail"]
    reply = requests.post(f"{base_url}/extract/section", data=b"{not json", timeout=60)
    assert reply.status_code == 422
    reply = requests.post(f"{base_url}/extract/section", json={"section": "t9", "text": "x"}, timeout=60)
    assert reply.status_code == 422
    reply = requests.post(f"{base_url}/extract", files={"other": ("a.txt", b"x")}, timeout=60)
    assert reply.status_code == 422 and "'file'" in reply.json()["detail"]


def test_an_extraction_over_the_time_limit_gets_504():
    import random

    from evals.generate import random_record, render_file

    _, pdf = render_file(random_record(random.Random(6)), "pdf", random.Random(6))  # ~0.1 s to read
    with serving(create_app(timeout=0.001)) as url:
        reply = requests.post(f"{url}/extract", params={"filename": "r.pdf"}, data=pdf, timeout=60)
        assert reply.status_code == 504 and "longer than" in reply.json()["detail"]
        assert requests.get(f"{url}/health", timeout=10).status_code == 200  # and the service goes on
