"""Merge: readings and checks → the output :class:`Document`, and its status."""

from __future__ import annotations

from collections.abc import Mapping

from .catalog import Format, field_ids
from .models import Check, Document, Evidence, FieldReading
from .reading import SourceText


def build_document(
    source: str,
    src: SourceText,
    fmt: Format,
    readings: Mapping[str, FieldReading],
    checks: list[Check],
    notes: list[str],
) -> Document:
    """The document of one report: every field of its format, evidence, checks, status."""
    fields = {}
    evidence = {}
    for field_id in field_ids(fmt):
        reading = readings.get(field_id)
        fields[field_id] = reading.value if reading else None
        if reading and reading.start is not None and reading.end is not None:
            start, end = reading.start, reading.end
            if src.has_deletions:
                start, end = src.span_to_decoded(start, end)
            evidence[field_id] = Evidence(start=start, end=end, method=reading.method)
    doubtful = sorted(f for f, r in readings.items() if not r.confident)
    notes = list(notes) + [f"not read with confidence: {f} ({readings[f].note})" for f in doubtful]
    status = "needs_review" if doubtful or not all(c.passed for c in checks) else "ok"
    # Every part is built here from typed readings and checks: construct without re-validating.
    return Document.model_construct(
        source=source,
        status=status,
        format=str(fmt),
        fields=fields,
        evidence=evidence,
        checks=checks,
        encoding=src.encoding,
        notes=notes,
    )


def failed_document(source: str, error: str) -> Document:
    """The document of an input that gave nothing usable."""
    return Document(source=source, status="failed", error=error)
