"""Merge: readings and checks → the output :class:`Document`, and its status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .catalog import Format, field_ids
from .models import Check, Document, Evidence, FieldReading, same_value
from .reading import SourceText


def build_document(
    source: str,
    src: SourceText,
    fmt: Format,
    readings: Mapping[str, FieldReading],
    checks: list[Check],
    notes: list[str],
    only: tuple[str, ...] | None = None,
) -> Document:
    """The document of one report: every field of its format (or ``only`` these), evidence,
    checks, status."""
    fields = {}
    evidence = {}
    for field_id in only or field_ids(fmt):
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
        input_format=src.input_format,
        notes=notes,
    )


def combine(
    rule: Mapping[str, FieldReading], llm: Mapping[str, FieldReading]
) -> tuple[dict[str, FieldReading], list[Check]]:
    """Rule and model readings per field: ``rule+llm`` where they agree; where they differ, a
    failed ``agree.*`` check and the rule's value if the rule read it with confidence."""
    merged = dict(rule)
    checks = []
    for field_id, answer in llm.items():
        own = rule.get(field_id)
        if own is None or (own.value is None and not own.confident):
            if answer.value is not None or own is None:
                merged[field_id] = answer
        elif same_value(own.value, answer.value):
            merged[field_id] = replace(own, method="rule+llm", confident=own.confident or answer.confident)
        else:
            detail = f"rule read {own.value!r}, llm read {answer.value!r}"
            checks.append(Check(id=f"agree.{field_id}", passed=False, fields=[field_id], detail=detail))
            if not own.confident:
                merged[field_id] = answer
    return merged, checks


def failed_document(source: str, error: str) -> Document:
    """The document of an input that gave nothing usable."""
    return Document(source=source, status="failed", error=error)
