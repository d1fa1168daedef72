"""Merge: rule and model readings, checks → the output :class:`Document`, and its status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from .catalog import CATALOG, Catalog, Format
from .models import Check, Document, Evidence, FieldReading, LLMInfo, Reading, Status, Value, same_value
from .reading import SourceText
from .scanned import ocr_evidence, spans_of
from .values import ValueKind


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
    fields: dict[str, Value] = {}
    evidence = {}
    read, decoded, deletions, ocr = reading.fields, src.decoded, src.has_deletions, src.ocr is not None
    for field_id in only or catalog.field_ids(fmt):
        found = read.get(field_id)
        if found is None:
            fields[field_id] = None
            continue
        fields[field_id] = found.value
        start, end = found.start, found.end
        if start is not None and end is not None:
            if deletions:
                start, end = src.span_to_decoded(start, end)
            quoted = decoded[start:end]
            evidence[field_id] = (
                Evidence(start, end, found.method, quoted, *ocr_evidence(spans_of(src, found)))
                if ocr
                else Evidence(start, end, found.method, quoted)
            )
    for field_id in _text_fields(catalog, fmt):  # a name as named: 某局（某办）, as its title prints it
        found = read.get(field_id)
        if found is None or found.start is None or found.end is None or field_id not in fields:
            continue
        if src.text[found.start : found.end] == found.value:
            fields[field_id] = src.as_printed(found.start, found.end)
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


@lru_cache(maxsize=8)
def _text_fields(catalog: Catalog, fmt: Format) -> tuple[str, ...]:
    return tuple(f for f, kind in catalog.value_kinds(fmt).items() if kind is ValueKind.TEXT)


def combine(
    rule: Mapping[str, FieldReading], llm: Mapping[str, FieldReading]
) -> tuple[dict[str, FieldReading], list[Check], list[str]]:
    """Rule and model readings per field, with the checks and notes of their comparison.

    Where they agree, both methods (``rule+llm``), confident if either is. Where the rules read
    nothing, the model's reading. Where they differ: a failed ``agree.*`` check, and the
    model's value if the rule's was doubtful; but a model reading that nothing confirms (the
    identities do not pin it) never outweighs a rule reading made with confidence: that is
    only noted."""
    merged = dict(rule)
    checks = []
    notes = []
    for field_id, answer in llm.items():
        own = rule.get(field_id)
        if own is None or (own.value is None and not own.confident):
            if answer.value is not None or answer.confident or own is None:
                merged[field_id] = answer
        elif same_value(own.value, answer.value):
            methods = "+".join(dict.fromkeys((*own.method.split("+"), *answer.method.split("+"))))
            merged[field_id] = replace(own, method=methods, confident=own.confident or answer.confident)
        elif own.confident and not answer.confident:
            notes.append(f"{field_id}: the model read {answer.value!r}, unconfirmed; the rules' stands")
        else:
            detail = f"rule read {own.value!r}, llm read {answer.value!r}"
            checks.append(Check(id=f"agree.{field_id}", passed=False, fields=[field_id], detail=detail))
            if not own.confident:
                merged[field_id] = answer
    return merged, checks, notes


def failed_document(source: str, error: str) -> Document:
    """The document of an input that gave nothing usable."""
    return Document(source=source, status="failed", error=error)
