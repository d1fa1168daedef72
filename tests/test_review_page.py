"""The static review page of one report, opened in headless Chromium as a user would: the tables
as grids of the catalog's rows and columns, each cell coloured by how it was read, the failed
identities on their cells, and a click on a cell showing where its value was read."""

import random

import pytest

from .conftest import BROWSER_EXTRA, BROWSER_PARTS, needs

needs(*BROWSER_PARTS, extra=BROWSER_EXTRA)
pytestmark = pytest.mark.browser

from PIL import Image

from evals.generate import break_identity, random_record, render, render_file
from extractor import extract
from extractor.catalog import CATALOG
from extractor.reading import read_file
from extractor.review import review_page

from .conftest import REPORTS, SEED_NAMES, assert_chinese_legible

RULE_GREEN = (223, 245, 223)  # a cell read by the rules (.m-rule)
MARK_ACTIVE = (255, 241, 118)  # the highlighted span in the text


def _open(browser, tmp_path, doc, original=None, name="review.html"):
    path = tmp_path / name
    source = read_file(original if original is not None else doc.source)
    path.write_text(review_page(doc, source, original), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(path.as_uri())
    page.errors = errors
    return page


def test_a_samples_tables_are_grids_of_the_catalogs_rows_and_columns_in_chinese(
    tmp_path, browser, screenshots
):
    doc = extract(REPORTS / f"{SEED_NAMES[1]}.txt")
    page = _open(browser, tmp_path, doc)
    t3 = CATALOG.table(doc.format, "t3")
    grid = page.locator("#table-t3 table.grid")
    headers = grid.locator("thead th").all_inner_texts()
    assert headers[1:8] == list(t3.rows[0].column_titles)  # 自然人 … 总计, in the report's order
    labels = grid.locator("tbody th.rowlabel").all_inner_texts()
    assert labels == [row.title for row in t3.rows]
    for field_id, value in doc.fields.items():  # every value in its cell, never Python's None
        cell = page.locator(f'td.cell[data-field="{field_id}"]')
        assert cell.inner_text() == ("—" if value is None else str(value)), field_id
    assert "None" not in page.locator("main").inner_text()
    cell = page.locator('td.cell[data-field="t3.new_received.total"]')
    assert cell.evaluate("c => getComputedStyle(c).backgroundColor") == f"rgb{RULE_GREEN}"
    assert page.locator("#open-count").inner_text() == "0"
    cell.click()  # the value's place in the text: highlighted and scrolled into view
    mark = page.locator('mark[data-field="t3.new_received.total"]')
    assert "active" in mark.get_attribute("class") and mark.is_visible()
    assert mark.inner_text() == str(doc.fields["t3.new_received.total"])
    assert page.locator("#panel .quote").inner_text() == mark.inner_text()
    shot = screenshots / "sample.png"
    page.screenshot(path=str(shot))
    box = mark.bounding_box()
    inside = (
        Image.open(shot)
        .convert("RGB")
        .crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    )
    highlighted = sum(1 for pixel in inside.get_flattened_data() if _near(pixel, MARK_ACTIVE))
    assert highlighted > inside.width * inside.height / 3  # the screenshot itself shows the highlight
    assert assert_chinese_legible(page, "#table-t3 thead")
    assert page.errors == []
    page.close()


def test_a_failed_identity_is_shown_on_its_cells_and_n_goes_to_the_next_doubtful_cell(tmp_path, browser):
    rng = random.Random(4)
    record = random_record(rng, fmt="2021")
    broken = break_identity(record, rng)  # one 总计 cell misprinted
    field = next(f for f in record if broken[f] != record[f])
    column = field.rsplit(".", 1)[1]
    path = tmp_path / "broken.txt"
    path.write_text(render(broken, "tab_rows", rng), encoding="utf-8")
    doc = extract(path)
    page = _open(browser, tmp_path, doc)
    assert int(page.locator("#open-count").inner_text()) == len(doc.failed_checks)
    cell = page.locator(f'td.cell[data-field="{field}"]')
    assert "failed" in cell.get_attribute("class")
    assert "rgb(208, 0, 0)" in cell.evaluate("c => getComputedStyle(c).boxShadow")
    margin = page.locator(f'td.margin[data-check="t3.column_balance.{column}"]')
    new, carried = broken[f"t3.new_received.{column}"], broken[f"t3.carried_over.{column}"]
    forward = broken[f"t3.carried_forward.{column}"]
    assert margin.inner_text() == f"{new} + {carried} ≠ {broken[field]} + {forward}"  # expected vs printed
    passing = page.locator('td.margin[data-check="t3.row_sum.new_received"]')
    assert passing.inner_text() == "✓"
    families = page.locator(".checks .family > summary").all_inner_texts()
    assert any("一加二等于" in f for f in families) and len(families) <= 4  # grouped, not a flood
    page.keyboard.press("n")
    first = page.locator("td.cell.selected")
    assert first.get_attribute("data-field") == f"t3.new_received.{column}"  # the first doubtful cell
    margin.click()
    assert page.locator("td.cell.in-check").count() == 4
    assert page.errors == []
    page.close()


def test_a_pdfs_page_is_shown_with_the_values_box(tmp_path, browser, screenshots):
    rng = random.Random(6)
    record = random_record(rng, fmt="2021")
    _, data = render_file(record, "pdf", rng)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    doc = extract(pdf)
    page = _open(browser, tmp_path, doc, pdf)
    page.locator('td.cell[data-field="t3.new_received.total"]').click()
    page.wait_for_function("document.getElementById('page-img').complete")
    evidence = doc.evidence["t3.new_received.total"]
    glyphs = read_file(pdf).layout.boxes(evidence.start, evidence.end)  # one per line (a wrapped cell)
    boxes = page.locator("#page-boxes .box")
    assert boxes.count() == len(glyphs) >= 1 and boxes.first.is_visible()
    shown = page.locator("#page-img").bounding_box()
    scale = shown["width"] / 595.28  # points → screen pixels (an A4 page)
    for drawn, glyph in zip(boxes.all(), glyphs, strict=True):
        where = drawn.bounding_box()
        middle = (where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
        printed = (
            shown["x"] + (glyph.x0 + glyph.x1) / 2 * scale,
            shown["y"] + (glyph.top + glyph.bottom) / 2 * scale,
        )
        assert abs(middle[0] - printed[0]) < 3 and abs(middle[1] - printed[1]) < 3  # over the printed value
    shot = screenshots / "pdf_page.png"
    page.locator("aside").screenshot(path=str(shot))
    assert page.errors == []
    page.close()


def _near(pixel, colour, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
