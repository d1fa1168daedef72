"""The review workspace served over a batch's folder, on a real loopback server: its API (every
refusal a readable 4xx), and, in headless Chromium, the user's round: open the workspace, filter
to needs_review, open a report, click a failed cell and see its evidence, correct it, reload and
see the correction, export and find it with method human."""

import csv
import io
import json
import random
import sqlite3

import pytest

from .conftest import BROWSER_EXTRA, BROWSER_PARTS, needs

needs("fastapi", "uvicorn", "multipart", "requests", extra="pip install -e '.[dev]'")

import requests

from evals.generate import break_identity, random_record, render_file
from extractor.batch import run_batch
from extractor.pipeline import Options
from extractor.service import create_app
from extractor.workspace import add_workspace

from .conftest import REPORTS, SEED_NAMES, assert_chinese_legible, serving


@pytest.fixture
def batch(tmp_path):
    """A batch of a sample (ok) and a PDF that misprints one 总计 cell (needs_review): the out
    folder, the misprinted field, its printed and its right value."""
    rng = random.Random(3)
    record = random_record(rng, fmt="2021")
    broken = break_identity(record, rng)
    field = next(f for f in record if broken[f] != record[f])
    _, data = render_file(broken, "pdf", rng)
    pdf = tmp_path / "in" / "misprint.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(data)
    out = tmp_path / "out"
    run_batch([REPORTS / f"{SEED_NAMES[0]}.txt", pdf], out, Options(), jobs=1, progress=False)
    return out, field, broken[field], record[field]


@pytest.fixture
def workspace(batch):
    app = create_app(max_bytes=2_000_000)
    add_workspace(app, batch[0])
    with serving(app) as url:
        yield url


# --- the API -------------------------------------------------------------------------------


@pytest.mark.service
def test_the_list_filters_and_sorts_and_a_report_reads_as_its_document(workspace, batch):
    listed = requests.get(f"{workspace}/api/reports", timeout=30).json()
    assert [r["status"] for r in listed] == ["ok", "needs_review"]
    flagged = requests.get(f"{workspace}/api/reports", params={"status": "needs_review"}, timeout=30).json()
    assert [r["name"] for r in flagged] == ["misprint.pdf"] and flagged[0]["failed"] >= 1
    by_failed = requests.get(
        f"{workspace}/api/reports", params={"sort": "failed", "desc": 1}, timeout=30
    ).json()
    assert by_failed[0]["name"] == "misprint.pdf"
    assert requests.get(f"{workspace}/api/reports", params={"q": "nothing like it"}, timeout=30).json() == []
    doc = requests.get(f"{workspace}/api/reports/{flagged[0]['id']}", timeout=30).json()
    assert doc["fields"][batch[1]] == batch[2] and "review" not in doc
    page = requests.get(f"{workspace}/reports/{flagged[0]['id']}/pages/1.png", timeout=30)
    assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
    schema = requests.get(f"{workspace}/openapi.json", timeout=30).json()  # what /docs offers to try
    corrections = schema["paths"]["/api/reports/{report_id}/corrections"]["post"]["requestBody"]
    assert "CorrectionRequest" in json.dumps(corrections)
    upload = schema["paths"]["/api/upload"]["post"]["requestBody"]["content"]
    extract = schema["paths"]["/extract"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload and "multipart/form-data" in extract


@pytest.mark.service
def test_every_refusal_is_a_readable_4xx(workspace, batch):
    url = f"{workspace}/api/reports/2/corrections"
    cases = [
        (
            {"action": "correct", "field": batch[1], "value": "七", "reason": "r", "by": "王"},
            422,
            "not a number",
        ),
        ({"action": "correct", "field": batch[1], "value": "7", "by": "王"}, 422, "needs a reason"),
        (
            {"action": "correct", "field": "t9.no.such", "value": "7", "reason": "r", "by": "王"},
            422,
            "no field",
        ),
        (
            {"action": "inconsistent", "check": "t3.row_sum.granted", "reason": "r", "by": "王"},
            422,
            "no failed check",
        ),
        ({"action": "withdraw", "field": batch[1], "by": "王"}, 422, "to withdraw"),
        ({"action": "correct", "field": batch[1], "value": "7", "reason": "r", "by": ""}, 422, "body.by"),
        ({"action": "retype", "by": "王"}, 422, "body.action: Input should be"),
    ]
    for body, status, words in cases:
        reply = requests.post(url, json=body, timeout=30)
        assert reply.status_code == status and words in reply.json()["detail"], (body, reply.text)
    assert (
        requests.post(f"{workspace}/api/reports/99/corrections", json=cases[0][0], timeout=30).status_code
        == 404
    )
    assert "no report 99" in requests.get(f"{workspace}/reports/99", timeout=30).json()["detail"]
    reply = requests.post(f"{workspace}/api/upload", files={"file": ("a.exe", b"MZ")}, timeout=30)
    assert reply.status_code == 415 and "not a report file" in reply.json()["detail"]
    assert requests.get(f"{workspace}/exports/reports.sqlite", timeout=30).status_code == 404
    forged = requests.post(url, json=cases[0][0], headers={"origin": "http://elsewhere.example"}, timeout=30)
    assert forged.status_code == 403 and "refused" in forged.json()["detail"]


@pytest.mark.service
def test_an_entry_goes_into_the_audit_trail_and_a_withdrawal_after_it(workspace, batch):
    out, field, printed, right = batch
    url = f"{workspace}/api/reports/2/corrections"
    body = {"action": "correct", "field": field, "value": str(right), "reason": "原文此格多印", "by": "王审"}
    saved = requests.post(url, json=body, timeout=30)
    assert saved.status_code == 201 and saved.json()["status"] == "reviewed"
    assert (
        requests.post(url, json={"action": "withdraw", "field": field, "by": "王审"}, timeout=30).status_code
        == 201
    )
    trail = requests.get(url, timeout=30).json()
    assert [(e["action"], e["old_value"], e["new_value"], e["by"]) for e in trail] == [
        ("correct", printed, right, "王审"),
        ("withdraw", printed, printed, "王审"),
    ]
    assert requests.get(f"{workspace}/api/reports/2", timeout=30).json()["status"] == "needs_review"
    db = sqlite3.connect(out / "reports.sqlite")
    assert db.execute("SELECT COUNT(*) FROM corrections").fetchone() == (2,)


@pytest.mark.service
def test_a_file_opened_in_the_workspace_joins_the_batch(workspace, batch):
    data = (REPORTS / f"{SEED_NAMES[2]}.txt").read_bytes()
    reply = requests.post(f"{workspace}/api/upload", files={"file": ("one.txt", data)}, timeout=60)
    assert reply.status_code == 201
    opened = reply.json()
    page = requests.get(f"{workspace}{opened['url']}", timeout=30)
    assert page.status_code == 200 and "一、本年新收政府信息公开申请数量" in page.text
    again = requests.post(f"{workspace}/api/upload", files={"file": ("copy.txt", data)}, timeout=60).json()
    assert again["report_id"] == opened["report_id"]  # the same content: the same report
    assert len(requests.get(f"{workspace}/api/reports", timeout=30).json()) == 3
    exported = requests.post(f"{workspace}/api/export", timeout=60).json()
    lines = (batch[0] / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and exported["statuses"] == {"ok": 2, "needs_review": 1}


# --- in the browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_a_reviewer_corrects_a_flagged_value_and_finds_it_in_the_exports(
    workspace, batch, browser, screenshots
):
    needs(*BROWSER_PARTS, extra=BROWSER_EXTRA)
    _, field, printed, right = batch
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(workspace)  # 1. the workspace
    assert page.locator("table.reports tbody tr").count() == 2
    page.screenshot(path=str(screenshots / "batch_list.png"))
    assert "报告" in "".join(assert_chinese_legible(page, "table.reports thead"))

    page.select_option("#status-filter", "needs_review")  # 2. only what needs review
    page.wait_for_url("**status=needs_review**")
    rows = page.locator("table.reports tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-status") == "needs_review"

    rows.first.locator("a").first.click()  # 3. the report
    page.wait_for_selector("#table-t3")
    cell = page.locator(f'td.cell[data-field="{field}"]')
    assert "failed" in cell.get_attribute("class") and cell.inner_text() == str(printed)

    cell.click()  # 4. a failed cell: its evidence, in the text and on the page
    assert page.locator("#panel .quote").inner_text() == str(printed)
    page.wait_for_function("document.getElementById('page-img').complete")
    assert page.locator("#page-boxes .box").first.is_visible()
    failed_margin = page.locator("td.margin.failed").first
    assert "≠" in failed_margin.inner_text()
    page.screenshot(path=str(screenshots / "report_failed_identity.png"))
    page.locator("aside").screenshot(path=str(screenshots / "pdf_page_highlight.png"))
    assert_chinese_legible(page, "#table-t3 tbody th")
    assert_chinese_legible(page, "#panel h3")

    page.fill("#reviewer", "王审")  # 5. the correction, with a reason
    page.fill("#panel input[name=value]", str(right))
    page.fill("#panel input[name=reason]", "原文总计一行此格多印")
    page.click("#panel button[type=submit]")
    page.wait_for_function("document.getElementById('report-status').textContent.includes('reviewed')")

    page.reload()  # 6. it is kept
    cell = page.locator(f'td.cell[data-field="{field}"]')
    assert cell.inner_text() == str(right) and "m-human" in cell.get_attribute("class")
    assert "reviewed" in page.locator("#report-status").inner_text()
    assert page.locator("td.margin.failed").count() == 0
    cell.click()
    assert f"提取值 {printed}" in page.locator("#panel").inner_text()

    page.goto(workspace)  # 7. exported, with method human
    page.click("#export")
    link = page.locator('#export-result a[href="/exports/fields_long.csv"]')
    link.wait_for()
    exported = page.request.get(workspace + link.get_attribute("href")).text()
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    given = next(r for r in rows if r["field"] == field and r["report"].endswith("misprint.pdf"))
    assert (given["value"], given["method"], given["original_value"]) == (str(right), "human", str(printed))
    documents = page.request.get(workspace + "/exports/documents.jsonl").text().splitlines()
    assert json.loads(documents[1])["review"]["fields"][field]["by"] == "王审"
    assert errors == []
    page.close()
