"""Cells lost or doubled after a converter: each line holding numbers in a table taken out, or
printed twice — table 四 of the converted eval set's texts (it prints all its cells in one row:
one lost cell moves every cell after it), table 三 of a generated report in each text layout.
Whatever the reader makes of the rest, no field it read right before may come out wrong
without a failed check naming it."""

import json
import re

import pytest

from extractor import extract
from extractor.models import same_value
from extractor.reading import read_file, read_text
from extractor.segmenting import find_sections

from .conftest import ROOT

CONVERTED = ROOT / "evals" / "converted"
TEXTS = sorted(p for p in (CONVERTED / "reports").iterdir() if p.suffix in (".txt", ".md"))[::2]
TEXT_LAYOUTS = ("tab_rows", "cell_per_line", "cell_per_line_vertical", "cell_lines_plain", "layout_spaces")
_HAS_NUMBER = re.compile(r"\d")


def _edits(text: str, table: str):
    """``text`` with each line of ``table`` that holds a number taken out, then doubled."""
    section = find_sections(text).get(table)
    if section is None:
        return
    lines = text[section.body_start : section.end].split("\n")
    for at, line in enumerate(lines):
        if _HAS_NUMBER.search(line):
            for edited in (lines[:at] + lines[at + 1 :], [*lines[:at], line, *lines[at:]]):
                yield at, text[: section.body_start] + "\n".join(edited) + text[section.end :]


def _never_silently_wrong(text: str, gold: dict, table: str) -> None:
    before = extract(text)
    right = {f for f, v in gold.items() if f.startswith(f"{table}.") and same_value(before.fields.get(f), v)}
    for at, edited in _edits(text, table):
        doc = extract(edited)
        broken = {f for f in right if not same_value(doc.fields.get(f), gold[f])}
        flagged = {f for check in doc.failed_checks for f in check.fields}
        assert not (broken and doc.status == "ok"), (at, sorted(broken))
        assert broken <= flagged, (at, sorted(broken - flagged))


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_a_lost_or_doubled_line_of_cells_is_never_silently_wrong(path):
    gold = json.loads((CONVERTED / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["fields"]
    _never_silently_wrong(read_file(path).text, gold, "t4")


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_a_lost_or_doubled_line_of_table_three_is_never_silently_wrong(layout):
    """One cell a line, rows on lines (a label spanning two columns leaves an empty cell after
    it): table 三 of a generated report in each layout printed as text."""
    from evals.generate import generate

    ((_, _, content, gold),) = generate(1, seed=31, layouts=(layout,))
    _never_silently_wrong(read_text(content).text, gold["fields"], "t3")
