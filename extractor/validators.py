"""Validators: the arithmetic identities of ``fields.md`` and grounding, as :class:`Check` s.

Validators only judge; they never change a value. Blank cells (``None``) count as 0 in a
sum and are named in the check's detail; an identity over blanks only passes vacuously.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .catalog import T3_COLUMNS, TABLES, Format, ValueKind, identities, section_of
from .cells import VALUE_TOKEN
from .locate import NONE_STATED
from .models import Check, FieldReading, Value, same_value
from .segmenting import format_of_marker
from .tables import parse_value


def _shown(values: list[Value]) -> str:
    return " + ".join(["∅" if v is None else str(v) for v in values])


def identity(check_id: str, left: list[str], right: list[str], fields: Mapping[str, Value]) -> Check:
    """``sum(left) == sum(right)``, over the fields' values."""
    used = left + right
    lvalues = [fields.get(f) for f in left]
    rvalues = [fields.get(f) for f in right]
    stated = [v for v in lvalues + rvalues if v is not None]
    if not stated:
        return Check(id=check_id, passed=True, fields=used, detail="all blank")
    lsum = sum(v for v in lvalues if v is not None)
    rsum = sum(v for v in rvalues if v is not None)
    blank = " (∅ blank, counted as 0)" if len(stated) < len(used) else ""
    relation = "=" if lsum == rsum else "≠"
    detail = f"{_shown(lvalues)} {relation} {_shown(rvalues)}{blank}"
    return Check(id=check_id, passed=lsum == rsum, fields=used, detail=detail)


def table_identities(fields: Mapping[str, Value], fmt: Format) -> list[Check]:
    """Identities 1–4 of ``fields.md``: table 三 columns and rows, table 四 groups."""
    return [identity(check_id, left, right, fields) for check_id, left, right in identities(fmt)]


def prose_identities(fields: Mapping[str, Value]) -> list[Check]:
    """Identity 5: the applications the prose states against table 三."""
    if fields.get("overview.applications_received") is None:
        return []
    return [
        identity(
            "prose.applications_received",
            ["overview.applications_received"],
            ["t3.new_received.total"],
            fields,
        )
    ]


# --- grounding -------------------------------------------------------------------


def is_grounded(field_id: str, reading: FieldReading, text: str, kind: ValueKind | None = None) -> bool:
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
    if isinstance(reading.value, str):
        return span.strip() == reading.value
    token = span.strip()
    if VALUE_TOKEN.fullmatch(token):
        try:
            return parse_value(token, kind or ValueKind.CHANGE) == reading.value
        except ValueError:
            return False
    pattern = NONE_STATED.get(field_id)
    return reading.value == 0 and pattern is not None and pattern.search(span) is not None


def grounding(readings: Mapping[str, FieldReading], text: str, kinds: Mapping[str, ValueKind]) -> list[Check]:
    """One check per section: every stated value is found at its span."""
    by_section: dict[str, list[str]] = {}
    for field_id, reading in readings.items():
        if reading.value is not None:
            by_section.setdefault(section_of(field_id), []).append(field_id)
    checks = []
    for section, ids in by_section.items():
        bad = [f for f in ids if not is_grounded(f, readings[f], text, kinds.get(f))]
        detail = f"{len(ids) - len(bad)} of {len(ids)} values found at their spans"
        if bad:
            detail += "; not found: " + ", ".join(bad)
        checks.append(Check(id=f"grounding.{section}", passed=not bad, fields=ids, detail=detail))
    return checks


def reading_checks(problems: Iterable[tuple[str, list[str]]], fmt: Format) -> list[Check]:
    """One check for the title and one per table: was everything found and read?"""
    per_table: dict[str, list[tuple[str, list[str]]]] = {"meta": []}
    per_table.update({spec.id: [] for spec in TABLES[fmt]})
    for message, ids in problems:
        per_table.setdefault(section_of(ids[0]) if ids else "report", []).append((message, ids))
    return [
        Check(
            id=f"read.{table}",
            passed=not found,
            fields=[f for _, ids in found for f in ids],
            detail="; ".join(m for m, _ in found) or "every row found and read",
        )
        for table, found in per_table.items()
    ]


def cross_year(documents: Iterable[Mapping]) -> list[tuple]:
    """Across a batch: each agency's ``t3.carried_over.*`` of year N against its
    ``t3.carried_forward.*`` of year N-1, when both years are there. One row per column:
    (agency, year, field, value, previous field, previous value, passed)."""
    by_year: dict[tuple[str, int], Mapping] = {}
    for doc in documents:
        fields = doc.get("fields") or {}
        agency, year = fields.get("meta.agency"), fields.get("meta.year")
        if agency and isinstance(year, int):
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
