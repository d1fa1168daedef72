"""Corrections: people's word on a document's values, kept as an audit trail, and the document
it makes.

An entry (:class:`Correction`) corrects a field's value, confirms it as printed, marks a check
(or the whole report) as inconsistent at its source, or withdraws an earlier entry. Entries are
never changed or deleted; the latest about a field, or about a check, is in effect. Entries
name their report by content hash, so they hold for every extraction of the same file.

:func:`reviewed` applies the entries in effect to a document: the people's values go into
``fields`` (evidence method ``human``), the identities are run again on them, and the
document's ``review`` key says what changed, beside the extraction's values and verdicts
(``checks`` stay the extraction's). A correction never silently turns a check: every check
that failed before or fails now is listed with its verdict then and now and its resolution.
The status is ``reviewed`` once no doubt is left open.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Literal, cast

from pydantic import BaseModel

from .catalog import CATALOG, Catalog
from .models import (
    Check,
    CheckReview,
    Document,
    Evidence,
    ExtractedStatus,
    HumanValue,
    Resolution,
    Review,
    SourceMark,
    Value,
    same_value,
)
from .validators import prose_identities, table_identities
from .values import ValueKind, parse_value

Action = Literal["correct", "confirm", "inconsistent", "withdraw"]
HUMAN = "human"  # the evidence method of a value a person gave
_NOT_FOUND = "; not found: "  # how a grounding check's detail names the values it did not find


class Correction(BaseModel):
    """One entry of the audit trail. ``field`` or ``check`` says what it is about (neither: the
    whole report, for ``inconsistent`` and its ``withdraw``); ``old_value`` is the extraction's
    value when it was made; ``new_value`` the value given (``correct``) or confirmed
    (``confirm``); ``start``/``end`` a span of the text a person pointed at, ``quoted`` its text."""

    content_hash: str
    action: Action
    field: str | None = None
    check: str | None = None
    old_value: Value = None
    new_value: Value = None
    start: int | None = None
    end: int | None = None
    quoted: str = ""
    reason: str = ""
    by: str
    at: str
    id: int | None = None  # its number in the store, in the order entries were made


def now() -> str:
    """The time of an entry: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def value_of_text(text: str, kind: ValueKind) -> Value:
    """A value as a person typed it: blank for "blank in the report", a number read as the
    tables print them (增 2, 1,200), text as it is; ValueError with the reason otherwise."""
    text = text.strip()
    if kind is ValueKind.TEXT:
        return text or None
    return parse_value(text, kind)


def in_effect(entries: Iterable[Correction]) -> tuple[dict[str, Correction], dict[str | None, Correction]]:
    """The entries in effect, in the order made: per field (a correction or a confirmation),
    and per check (an inconsistency mark; the key None is the whole report's)."""
    fields: dict[str, Correction] = {}
    marks: dict[str | None, Correction] = {}
    for entry in entries:
        if entry.field is not None:
            fields.pop(entry.field, None)
            if entry.action in ("correct", "confirm"):
                fields[entry.field] = entry
        else:
            marks.pop(entry.check, None)
            if entry.action == "inconsistent":
                marks[entry.check] = entry
    return fields, marks


def reviewed(doc: Document, entries: Iterable[Correction], catalog: Catalog = CATALOG) -> Document:
    """``doc`` with the entries in effect applied (``doc`` itself when none applies)."""
    entries = list(entries)
    if doc.format is None or not entries:
        return doc
    given, marks = in_effect(entries)
    human = _human_values(doc, given)
    if not human and not marks:
        return doc
    fields = {**doc.fields, **{f: h.value for f, h in human.items()}}
    checks = _checks_review(doc, fields, set(human), marks, catalog)
    still_open = sum(1 for c in checks if c.resolution == "open")
    review = Review(
        extracted_status=cast(ExtractedStatus, doc.status),  # a document with a format: ok or needs_review
        fields=human,
        checks=checks,
        inconsistent=[SourceMark(check=k, reason=m.reason, by=m.by, at=m.at) for k, m in marks.items()],
        open=still_open,
    )
    return doc.model_copy(
        update={
            "fields": fields,
            "evidence": _evidence(doc, given, human),
            "status": "needs_review" if still_open else "reviewed",
            "review": review,
        }
    )


def _human_values(doc: Document, given: dict[str, Correction]) -> dict[str, HumanValue]:
    """The values people gave that hold for this document: a confirmation holds only while the
    extraction still reads the value confirmed."""
    human = {}
    for field_id, entry in given.items():
        if field_id not in doc.fields:
            continue  # a field of the other format
        read = doc.fields[field_id]
        if entry.action == "confirm" and not same_value(entry.new_value, read):
            continue
        evidence = doc.evidence.get(field_id)
        human[field_id] = HumanValue(
            value=entry.new_value,
            action="corrected" if entry.action == "correct" else "confirmed",
            original=read,
            original_method=evidence.method if evidence else None,
            reason=entry.reason,
            by=entry.by,
            at=entry.at,
        )
    return human


def _evidence(
    doc: Document, given: dict[str, Correction], human: dict[str, HumanValue]
) -> dict[str, Evidence]:
    """Each human value's evidence: the span a person pointed at, else the span the value was
    read from, with method ``human``; none where neither is there."""
    evidence = dict(doc.evidence)
    for field_id in human:
        entry, read = given[field_id], evidence.pop(field_id, None)
        if entry.start is not None and entry.end is not None:
            evidence[field_id] = Evidence(entry.start, entry.end, HUMAN, entry.quoted)
        elif read is not None:
            evidence[field_id] = Evidence(read.start, read.end, HUMAN, read.text)
    return evidence


def identities_of(doc: Document, fields: dict[str, Value], catalog: Catalog = CATALOG) -> dict[str, Check]:
    """The identities of ``fields.md`` evaluated on ``fields`` (a document's format)."""
    assert doc.format is not None
    found = table_identities(fields, doc.format, catalog) + prose_identities(fields)
    return {check.id: check for check in found}


def _checks_review(
    doc: Document,
    fields: dict[str, Value],
    settled: set[str],
    marks: dict[str | None, Correction],
    catalog: Catalog,
) -> list[CheckReview]:
    """Every check that failed in the extraction or fails on the people's values, with its
    verdict then and now and how it stands."""
    again = identities_of(doc, fields, catalog)
    before = {check.id: check for check in doc.checks}
    found = []
    for check_id in dict.fromkeys([*before, *again]):
        old, new = before.get(check_id), again.get(check_id)
        if (old is None or old.passed) and (new is None or new.passed):
            continue
        if new is not None:
            marked = check_id in marks or None in marks
            resolution: Resolution = (
                "passes" if new.passed else "inconsistent_at_source" if marked else "open"
            )
            passed = None if old is None else old.passed
            found.append(
                CheckReview(
                    id=check_id, passed=passed, now=new.passed, detail=new.detail, resolution=resolution
                )
            )
        else:
            assert old is not None
            resolution = _settled(old, settled, check_id in marks)
            found.append(
                CheckReview(id=check_id, passed=False, now=None, detail=old.detail, resolution=resolution)
            )
    return found


def _settled(check: Check, settled: set[str], marked: bool) -> Resolution:
    if marked:
        return "inconsistent_at_source"
    doubtful = doubtful_fields(check)
    return "settled" if doubtful and doubtful <= settled else "open"


def doubtful_fields(check: Check) -> set[str]:
    """The fields a failed check that cannot be re-run doubts (a read, grounding or agreement
    check): a person's value for each of them settles it."""
    if check.id.startswith("grounding.") and _NOT_FOUND in check.detail:
        return set(check.detail.split(_NOT_FOUND, 1)[1].split(", "))
    return set(check.fields)
