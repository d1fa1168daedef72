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
