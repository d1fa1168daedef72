"""Validators: the arithmetic identities of ``fields.md`` and grounding, as :class:`Check` s.

Validators only judge; they never change a value. Blank cells (``None``) count as 0 in a
sum and are named in the check's detail; an identity over blanks only passes vacuously.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from typing import cast

from .catalog import CATALOG, T3_COLUMNS, Catalog, Format, section_of
from .models import Check, Document, FieldReading, Problem, Value, same_value
from .segmenting import format_of_marker
from .values import WRAPPED_NUMBER, ValueKind, is_value, parse_value, year_value


def _shown(values: list[Value], blanks: int, ids: list[str], unread: Container[str]) -> str:
    """The values as a sum, ∅ for a blank, ? for a field not read."""
    if not blanks:  # the common case, fast
        return " + ".join(map(str, values))
    return " + ".join(
        ["?" if f in unread else "∅" if v is None else str(v) for v, f in zip(values, ids, strict=True)]
    )


def _total(values: list[Value], blanks: int) -> int | float:
    """The sum of the numbers among ``values``: blanks (``None``) and words count 0."""
    numbers = cast("list[float]", [v for v in values if v is not None] if blanks else values)
    try:  # the common case, fast: numbers and blanks only
        return sum(numbers)
    except TypeError:  # words among them
        return sum(v for v in values if isinstance(v, int | float))


def identity(
    check_id: str,
    left: list[str],
    right: list[str],
    fields: Mapping[str, Value],
    unread: Container[str] = (),
) -> Check:
    """``sum(left) == sum(right)``, over the fields' values; ``unread`` (fields the reading could
    not read) are shown as such, not as blanks."""
    used = left + right
    lvalues = list(map(fields.get, left))
    rvalues = list(map(fields.get, right))
    lblanks, rblanks = lvalues.count(None), rvalues.count(None)
    if lblanks + rblanks == len(used):
        return Check(check_id, True, used, "all blank")
    lsum, rsum = _total(lvalues, lblanks), _total(rvalues, rblanks)
    relation = "=" if lsum == rsum else "≠"
    shown = f"{_shown(lvalues, lblanks, left, unread)} {relation} {_shown(rvalues, rblanks, right, unread)}"
    return Check(check_id, lsum == rsum, used, shown + _blanks_note(shown) if lblanks or rblanks else shown)


def _blanks_note(shown: str) -> str:
    marks = [note for mark, note in (("∅", "∅ blank"), ("?", "? not read")) if mark in shown]
    return f" ({', '.join(marks)}, counted as 0)" if marks else ""


def table_identities(
    fields: Mapping[str, Value], fmt: Format, catalog: Catalog = CATALOG, unread: Container[str] = ()
) -> list[Check]:
    """Identities 1–4 of ``fields.md``: table 三 columns and rows, table 四 groups."""
    return [
        identity(check_id, left, right, fields, unread) for check_id, left, right in catalog.identities(fmt)
    ]


def prose_identities(fields: Mapping[str, Value]) -> list[Check]:
    """Identity 5: the applications the prose states against table 三's new ones; a report that
    counts as received (受理) the new and the carried-over ones together agrees with it too."""
    if fields.get("overview.applications_received") is None:
        return []
    prose = ["overview.applications_received"]
    new_only = identity("prose.applications_received", prose, ["t3.new_received.total"], fields)
    if new_only.passed:
        return [new_only]
    with_carried = identity(
        "prose.applications_received", prose, ["t3.new_received.total", "t3.carried_over.total"], fields
    )
    if with_carried.passed and fields.get("t3.carried_over.total"):
        with_carried.detail += " (new and carried-over applications)"
        return [with_carried]
    return [new_only]


# --- grounding -------------------------------------------------------------------


def is_grounded(
    field_id: str, reading: FieldReading, text: str, kind: ValueKind | None = None, catalog: Catalog = CATALOG
) -> bool:
    """True when the text at the reading's span says the reading's value."""
    if reading.value is None:
        return True
    if reading.start is None or reading.end is None:
        return False
    span = text[reading.start : reading.end]
    if span.isdigit() and span.isascii() and not isinstance(reading.value, str):  # the common case, fast
        return int(span) == reading.value
    if field_id == "meta.format":  # derived from the header words that decided it
        return str(format_of_marker(span)) == reading.value
    if field_id == "meta.year":  # in digits or in Chinese numerals
        return year_value(span) == reading.value
    if isinstance(reading.value, str):
        return span.strip() == reading.value
    token = span.strip()
    if WRAPPED_NUMBER.fullmatch(token):  # a number wrapped over the lines of its cell
        return int("".join(token.split())) == reading.value
    if "\n" in token and token[:1].isdigit():  # its head on the lines above the row
        return _wrapped_over_lines(text, reading.start, reading.end) == reading.value or _headed_anywhere(
            token, reading.value
        )
    if is_value(token):
        try:
            return parse_value(token, kind or ValueKind.CHANGE) == reading.value
        except ValueError:
            return False
    if reading.value != 0 or field_id not in catalog.prose_ids:
        return False
    pattern = catalog.fact(field_id).none_stated
    return pattern is not None and pattern.search(span) is not None


_DIGITS = re.compile(r"\d+")


def _wrapped_over_lines(text: str, start: int, end: int) -> int | None:
    """The number a span holds that runs from a number's head on a line above a row of
    space-aligned cells down to its tail on the row's line (a number wrapped in a narrow
    cell): the digits standing in the head's columns on each line, joined; None if a line
    holds none there."""
    line_start = text.rfind("\n", 0, start) + 1
    head = _DIGITS.match(text, start)
    if head is None:
        return None
    columns = (start - line_start, head.end() - line_start)
    digits = head.group()
    at = text.find("\n", start) + 1
    while 0 < at <= end:
        line_break = text.find("\n", at)
        line_end = min(line_break if line_break >= 0 else len(text), end)
        pieces = [
            m
            for m in _DIGITS.finditer(text, at, line_end)
            if m.start() - at < columns[1] and columns[0] < m.end() - at
        ]
        if len(pieces) != 1:
            return None
        digits += pieces[0].group()
        at = line_end + 1
    return int(digits)


def _headed_anywhere(span: str, value: Value) -> bool:
    """Whether a span from a number's head on a line above a row of cells one space apart (no
    columns to follow) down to its tail, the row's value, says ``value``: the head, a number of
    each line between, then the tail, joined."""
    lines = span.split("\n")
    head, tail = _DIGITS.match(lines[0]), re.search(r"\d+$", lines[-1])
    if head is None or tail is None or not isinstance(value, int) or len(lines) > 3:
        return False
    middles = [m.group() for line in lines[1:-1] for m in _DIGITS.finditer(line)] or [""]
    return any(f"{head.group()}{middle}{tail.group()}" == str(value) for middle in middles)


def grounding(
    readings: Mapping[str, FieldReading], text: str, fmt: Format, catalog: Catalog = CATALOG
) -> list[Check]:
    """One check per section: every stated value is found at its span."""
    kinds = catalog.value_kinds(fmt)
    by_section: dict[str, tuple[list[str], list[str]]] = {}  # section → its stated fields, those not found
    for field_id, reading in readings.items():
        value = reading.value
        if value is None:
            continue
        section = section_of(field_id)
        found = by_section.get(section)
        if found is None:
            found = by_section[section] = ([], [])
        found[0].append(field_id)
        if reading.start is not None and reading.end is not None and not isinstance(value, str):
            span = text[reading.start : reading.end]
            if span.isdigit() and span.isascii():  # the common case, fast (as in is_grounded)
                if int(span) != value:
                    found[1].append(field_id)
                continue
        if not is_grounded(field_id, reading, text, kinds.get(field_id), catalog):
            found[1].append(field_id)
    checks = []
    for section, (ids, bad) in by_section.items():
        detail = f"{len(ids) - len(bad)} of {len(ids)} values found at their spans"
        if bad:
            detail += "; not found: " + ", ".join(bad)
        checks.append(Check(f"grounding.{section}", not bad, ids, detail))
    return checks


def doubts(readings: Mapping[str, FieldReading]) -> list[Problem]:
    """A problem for every value read without confidence: a doubt is always a failed check."""
    return [
        Problem(f"{field_id} not read with confidence: {reading.note or 'doubtful'}", (field_id,))
        for field_id, reading in readings.items()
        if not reading.confident
    ]


def reading_checks(problems: Iterable[Problem], fmt: Format, catalog: Catalog = CATALOG) -> list[Check]:
    """One check for the title, one for the prose and one per table: was everything found and
    read with confidence?"""
    per_section: dict[str, list[Problem]] = {"meta": []}
    per_section.update({spec.id: [] for spec in catalog.tables[fmt]})
    for problem in problems:
        section = section_of(problem.fields[0]) if problem.fields else "report"
        per_section.setdefault(section, []).append(problem)
    return [
        Check(
            id=f"read.{section}",
            passed=not found,
            fields=list(dict.fromkeys(f for p in found for f in p.fields)),
            detail="; ".join(p.message for p in found) or "every field found and read",
        )
        for section, found in per_section.items()
    ]


def cross_year(documents: Iterable[Document | Mapping[str, Value]]) -> list[tuple]:
    """Across a batch: each agency's ``t3.carried_over.*`` of year N against its
    ``t3.carried_forward.*`` of year N-1, when both years are there. One row per column:
    (agency, year, field, value, previous field, previous value, passed). A document may be
    given as its fields alone."""
    by_year: dict[tuple[str, int], Mapping[str, Value]] = {}
    for doc in documents:
        fields = doc.fields if isinstance(doc, Document) else doc
        agency, year = fields.get("meta.agency"), fields.get("meta.year")
        if isinstance(agency, str) and agency and isinstance(year, int):
            by_year.setdefault((agency, year), fields)
    rows = []
    for (agency, year), fields in sorted(by_year.items()):
        previous = by_year.get((agency, year - 1))
        if previous is None:
            continue
        for column in T3_COLUMNS:
            now, before = f"t3.carried_over.{column}", f"t3.carried_forward.{column}"
            value, prior = fields.get(now), previous.get(before)
            rows.append((agency, year, now, value, before, prior, int(same_value(value, prior))))
    return rows
