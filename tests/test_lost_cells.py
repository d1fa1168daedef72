"""Cells lost or doubled after a converter: each line holding numbers in table 四 taken out, or
printed twice, in the converted eval set's texts (table 四 prints all its cells in one row:
one lost cell moves every cell after it). Whatever the reader makes of the rest, no field it
read right before may come out wrong without a failed check naming it."""

import json
import re

import pytest

from extractor import extract
from extractor.models import same_value
from extractor.reading import read_file
from extractor.segmenting import find_sections

from .conftest import ROOT

CONVERTED = ROOT / "evals" / "converted"
TEXTS = sorted(p for p in (CONVERTED / "reports").iterdir() if p.suffix in (".txt", ".md"))[::2]
_HAS_NUMBER = re.compile(r"\d")


def _edits(text: str):
    """``text`` with each line of table 四 that holds a number taken out, then doubled."""
    section = find_sections(text).get("t4")
    if section is None:
        return
    lines = text[section.body_start : section.end].split("\n")
    for at, line in enumerate(lines):
        if _HAS_NUMBER.search(line):
            for edited in (lines[:at] + lines[at + 1 :], [*lines[:at], line, *lines[at:]]):
                yield text[: section.body_start] + "\n".join(edited) + text[section.end :]


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_a_lost_or_doubled_line_of_cells_is_never_silently_wrong(path):
    gold = json.loads((CONVERTED / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["fields"]
    text = read_file(path).text
    right = {f for f, v in gold.items() if f.startswith("t4.") and same_value(extract(text).fields.get(f), v)}
    for edited in _edits(text):
        doc = extract(edited)
        broken = {f for f in right if not same_value(doc.fields.get(f), gold[f])}
        flagged = {f for check in doc.failed_checks for f in check.fields}
        assert not (broken and doc.status == "ok"), sorted(broken)
        assert broken <= flagged, sorted(broken - flagged)


TEXT_LAYOUTS = ("tab_rows", "cell_per_line", "cell_per_line_vertical", "cell_lines_plain", "layout_spaces")


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_a_lost_or_doubled_line_of_table_three_is_never_silently_wrong(layout):
    """The same for table 三 of a generated report in each layout printed as text: one cell a
    line, rows on lines (a label spanning two columns leaves an empty cell after it)."""
    from evals.generate import generate

    ((name, _, content, gold),) = generate(1, seed=31, layouts=(layout,))
    text = read_file_text(content)
    fields = gold["fields"]
    before = extract(text)
    right = {f for f, v in fields.items() if f.startswith("t3.") and same_value(before.fields.get(f), v)}
    section = find_sections(text)["t3"]
    lines = text[section.body_start : section.end].split("\n")
    for at, line in enumerate(lines):
        if not _HAS_NUMBER.search(line):
            continue
        for edited in (lines[:at] + lines[at + 1 :], [*lines[:at], line, *lines[at:]]):
            doc = extract(text[: section.body_start] + "\n".join(edited) + text[section.end :])
            broken = {f for f in right if not same_value(doc.fields.get(f), fields[f])}
            flagged = {f for check in doc.failed_checks for f in check.fields}
            assert not (broken and doc.status == "ok"), (name, at, sorted(broken))
            assert broken <= flagged, (name, at, sorted(broken - flagged))


def read_file_text(content: str) -> str:
    from extractor.reading import read_text

    return read_text(content).text
