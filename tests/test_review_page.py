"""The review page of a sample, opened in headless Chromium: its values are highlighted."""

import random
import shutil

import pytest

from .conftest import needs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs(
    "playwright",
    "PIL",
    CHROMIUM,
    extra="pip install -e '.[dev]' and apt-get install chromium fonts-wqy-zenhei",
)
pytestmark = pytest.mark.browser

from PIL import Image

from evals.generate import break_identity, random_record, render
from extractor import extract
from extractor.review import review_page, source_text

from .conftest import REPORTS, SEED_NAMES

_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=_FLAGS)
        yield browser
        browser.close()


def _page_of(tmp_path, doc):
    path = tmp_path / "review.html"
    path.write_text(review_page(doc, source_text(doc)), encoding="utf-8")
    return path


def test_a_sample_review_page_shows_every_value_highlighted_where_it_was_read(tmp_path, browser):
    doc = extract(REPORTS / f"{SEED_NAMES[1]}.txt")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(_page_of(tmp_path, doc).as_uri())
    marks = page.locator("mark[data-field]")
    assert marks.count() == len(doc.evidence)
    # each highlight shows the very text its value was read from, in the rule colour
    for field_id in ("t3.new_received.total", "t2.licensing.decisions", "overview.proactive_total"):
        mark = page.locator(f'mark[data-field="{field_id}"]')
        assert mark.inner_text() == str(doc.fields[field_id])
        assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(155, 228, 155)"
        assert mark.is_visible()
    mark = page.locator('mark[data-field="t3.new_received.total"]')
    mark.scroll_into_view_if_needed()
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot))
    box = mark.bounding_box()
    image = Image.open(shot).convert("RGB")
    middle = image.getpixel((int(box["x"] + 1), int(box["y"] + box["height"] / 2)))
    assert _near(middle, (155, 228, 155))  # the screenshot itself shows the highlight there
    greens = sum(1 for px in image.get_flattened_data() if _near(px, (155, 228, 155)))
    assert greens > 500
    page.close()


def test_failed_checks_are_listed_with_links_to_their_cells_outlined_in_red(tmp_path, browser):
    rng = random.Random(4)
    record = break_identity(random_record(rng), rng)  # a report whose 总计 row is misprinted
    path = tmp_path / "broken.txt"
    path.write_text(render(record, "tab_rows", rng), encoding="utf-8")
    doc = extract(path)
    failed = doc.failed_checks
    assert doc.status == "needs_review" and failed
    page = browser.new_page()
    page.goto(_page_of(tmp_path, doc).as_uri())
    assert page.locator("tr.failed-check").count() == len(failed)
    outlined = page.locator("mark.failed")
    assert outlined.count() >= 1
    assert "rgb(208, 0, 0)" in outlined.first.evaluate("m => getComputedStyle(m).outlineColor")
    link = page.locator("tr.failed-check a").first
    target = link.get_attribute("href")[1:]
    assert page.locator(f'[id="{target}"]').count() == 1
    page.close()


def _near(pixel, colour, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
