"""The extraction pipeline: text → sections → readings → checks → merged document."""

from __future__ import annotations

from pathlib import Path

from .catalog import TABLES, Format, value_kinds
from .cells import table_rows
from .errors import ExtractorError, NotAReportError
from .merge import build_document, failed_document
from .models import Check, Document, FieldReading
from .prose import read_prose
from .reading import SourceText, read_file, read_text
from .segmenting import Section, detect_format, find_sections, read_title
from .tables import parse_table
from .validators import grounding, prose_identities, reading_checks, table_identities

SUPPORTED_SUFFIXES = (".txt", ".text", ".md")


def extract(source: str | Path, *, name: str | None = None) -> Document:
    """Extract one report. ``source`` is a path, or the report's text itself when it is a
    ``str`` holding a line break. Never raises for bad input: it returns a ``failed`` document.
    """
    is_text = isinstance(source, str) and "\n" in source
    label = name or ("<text>" if is_text else str(source))
    try:
        src = read_text(source) if is_text else read_file(source)
        return extract_source(src, label)
    except ExtractorError as exc:
        return failed_document(label, str(exc))


def extract_source(src: SourceText, source: str) -> Document:
    """Extract a report already read and normalised; raises :class:`NotAReportError`."""
    text = src.text
    sections = find_sections(text)
    if not any(s in sections for s in ("t2", "t3", "t4")):
        raise NotAReportError("not a 政府信息公开工作年度报告: none of its standard tables was found")
    first = min(s.start for s in sections.values())
    readings = read_title(text, first)
    year = readings.get("meta.year")
    fmt, readings["meta.format"] = detect_format(text, sections, year.value if year else None)
    readings.update(read_prose(text, _body(sections.get("overview")), _body(sections.get("other"))))
    problems = [
        (f"{f} not found in the title", [f]) for f in ("meta.agency", "meta.year") if f not in readings
    ]
    notes: list[str] = []
    for spec in TABLES[fmt]:
        section = sections.get(spec.id)
        if section is None:
            problems.append((f"section {spec.id} ({spec.title}) not found", spec.field_ids()))
            continue
        table = parse_table(spec, table_rows(text, section.body_start, section.end))
        readings.update(table.readings)
        problems.extend(table.problems)
        notes.extend(table.notes)
    checks = _checks(readings, problems, fmt, text)
    return build_document(source, src, fmt, readings, checks, notes)


def _body(section: Section | None) -> tuple[int, int] | None:
    return (section.body_start, section.end) if section else None


def _checks(readings: dict[str, FieldReading], problems, fmt: Format, text: str) -> list[Check]:
    values = {field_id: reading.value for field_id, reading in readings.items()}
    return (
        reading_checks(problems, fmt)
        + table_identities(values, fmt)
        + prose_identities(values)
        + grounding(readings, text, value_kinds(fmt))
    )
