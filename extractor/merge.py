"""Merge: rule and model readings, checks → the output :class:`Document`, and its status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .catalog import CATALOG, Catalog, Format
from .models import Check, Document, Evidence, FieldReading, LLMInfo, Reading, Status, same_value
from .reading import SourceText
from .scanned import ocr_evidence, spans_of


def status_of(checks: list[Check]) -> Status:
    """``ok`` only when every check passed; a doubtful value is always a failed check."""
    return "ok" if all(check.passed for check in checks) else "needs_review"


def build_document(
    source: str,
    src: SourceText,
    fmt: Format,
    reading: Reading,
    checks: list[Check],
    *,
    only: tuple[str, ...] | None = None,
    llm: LLMInfo | None = None,
    section: str | None = None,
    catalog: Catalog = CATALOG,
) -> Document:
    """The document of one report: every field of its format (or ``only`` these), evidence,
    checks, status."""
    fields = {}
    evidence = {}
    for field_id in only or catalog.field_ids(fmt):
        found = reading.fields.get(field_id)
        fields[field_id] = found.value if found else None
        if found and found.start is not None and found.end is not None:
            start, end = found.start, found.end
            if src.has_deletions:
                start, end = src.span_to_decoded(start, end)
            ocr = ocr_evidence(spans_of(src, found)) if src.ocr is not None else ()
            evidence[field_id] = Evidence(start, end, found.method, src.decoded[start:end], *ocr)
    return Document(
        source=source,
        status=status_of(checks),
        format=fmt,
        fields=fields,
        evidence=evidence,
        checks=checks,
        encoding=src.encoding,
        input_format=src.input_format,
        notes=reading.notes,
        llm=llm,
        section=section,
        ocr=src.ocr.info if src.ocr is not None else None,
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
