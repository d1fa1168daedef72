"""The extraction pipeline: text → sections → readings (rule, then LLM) → checks → merged document."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .catalog import PROSE_FIELDS, TABLES, Format, section_of, value_kinds
from .cells import table_rows
from .errors import ExtractorError, InputError, NotAReportError
from .merge import build_document, combine, failed_document
from .models import Check, Document, FieldReading
from .prose import read_prose
from .reading import SourceText, read_file, read_text
from .segmenting import Section, detect_format, find_sections, read_title
from .tables import parse_table
from .validators import grounding, prose_identities, reading_checks, table_identities

if TYPE_CHECKING:  # the LLM layer is an optional extra: imported only when used
    from .llm_client import LLMClient

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".pdf", ".docx", ".html", ".htm")
LLMMode = Literal["never", "fallback", "always", "only"]
LLM_TASKS = ("meta", "t2", "t3", "t4", "prose")
Problems = list[tuple[str, list[str]]]


@dataclass
class Options:
    """How to extract: rule-only (``never``), or with a model as ``fallback``, for ``always``
    (merged with the rules), or ``only`` the model (the rules pick the format alone; for evals)."""

    llm: LLMClient | None = None
    mode: LLMMode = "never"


@dataclass
class _Reading:
    """Everything read of one report so far."""

    readings: dict[str, FieldReading]
    problems: Problems
    notes: list[str] = field(default_factory=list)


def extract(source: str | Path, *, name: str | None = None, options: Options | None = None) -> Document:
    """Extract one report. ``source`` is a path, or the report's text itself when it is a
    ``str`` holding a line break. Never raises for bad input: it returns a ``failed`` document.
    """
    is_text = isinstance(source, str) and "\n" in source
    label = name or ("<text>" if is_text else str(source))
    try:
        src = read_text(source) if is_text else read_file(source)
        return extract_source(src, label, options)
    except ExtractorError as exc:
        return failed_document(label, str(exc))


def extract_guarded(path: str | Path, options: Options | None = None) -> tuple[Document, bool]:
    """:func:`extract`, and also a ``failed`` document when the extractor itself fails (a bug),
    so one file never stops a batch; the flag tells whether that happened."""
    try:
        return extract(path, options=options), False
    except Exception as exc:
        return failed_document(str(path), f"internal error: {type(exc).__name__}: {exc}"), True


def extract_source(src: SourceText, source: str, options: Options | None = None) -> Document:
    """Extract a report already read and normalised; raises :class:`NotAReportError`."""
    options = options or Options()
    text = src.text
    sections = find_sections(text)
    if not any(s in sections for s in ("t2", "t3", "t4")):
        raise NotAReportError("not a 政府信息公开工作年度报告: none of its standard tables was found")
    fmt, state = _read_by_rules(text, sections)
    checks = _checks(state, fmt, text)
    llm_info = None
    if options.llm is not None and options.mode != "never":
        tasks = llm_tasks(options.mode, state, checks)
        if tasks:
            base = _Reading({}, []) if options.mode == "only" else state
            state, agreement, llm_info = _read_by_llm(options.llm, text, sections, fmt, tasks, base)
            checks = _checks(state, fmt, text) + agreement
    doc = build_document(source, src, fmt, state.readings, checks, state.notes)
    if llm_info is not None:
        doc.llm = llm_info  # an extra key of the output contract
    return doc


TABLE_SECTIONS = ("t2", "t3", "t4")


def extract_section(
    section_id: str, text: str, fmt: Format | None = None, source: str = "<section>"
) -> Document:
    """Read one table section (``t2``, ``t3`` or ``t4``) given as text alone: its fields, the
    checks among them, and the document's ``section`` key. The format is read from the table's
    header when ``fmt`` is not given. Raises :class:`InputError` for an unknown section."""
    if section_id not in TABLE_SECTIONS:
        raise InputError(f"unknown section {section_id!r}: one of {', '.join(TABLE_SECTIONS)}")
    src = read_text(text)
    if fmt is None:
        whole = Section(section_id, "", 0, 0, len(src.text))
        fmt, _ = detect_format(src.text, {section_id: whole}, None)
    spec = next(s for s in TABLES[fmt] if s.id == section_id)
    table = parse_table(spec, table_rows(src.text, 0, len(src.text)))
    ids = tuple(spec.field_ids())
    state = _Reading(dict(table.readings), list(table.problems), list(table.notes))
    checks = [c for c in _checks(state, fmt, src.text) if set(c.fields) <= set(ids)]
    doc = build_document(source, src, fmt, state.readings, checks, state.notes, only=ids)
    doc.section = section_id  # an extra key of the output contract
    return doc


def _read_by_rules(text: str, sections: dict[str, Section]) -> tuple[Format, _Reading]:
    first = min(s.start for s in sections.values())
    readings = read_title(text, first)
    year = readings.get("meta.year")
    fmt, readings["meta.format"] = detect_format(text, sections, year.value if year else None)
    readings.update(read_prose(text, _body(sections.get("overview")), _body(sections.get("other"))))
    state = _Reading(
        readings,
        [(f"{f} not found in the title", [f]) for f in ("meta.agency", "meta.year") if f not in readings],
    )
    for spec in TABLES[fmt]:
        section = sections.get(spec.id)
        if section is None:
            state.problems.append((f"section {spec.id} ({spec.title}) not found", spec.field_ids()))
            continue
        table = parse_table(spec, table_rows(text, section.body_start, section.end))
        state.readings.update(table.readings)
        state.problems.extend(table.problems)
        state.notes.extend(table.notes)
    return fmt, state


def llm_tasks(mode: LLMMode, state: _Reading, checks: list[Check]) -> list[str]:
    """The sections to send to the model: all for ``always``; for ``fallback`` those whose
    rule reading failed, was incomplete or failed a check. The title only when it is odd."""
    if mode == "only":
        return list(LLM_TASKS)
    doubtful = {f for _, ids in state.problems for f in ids}
    doubtful |= {f for f, r in state.readings.items() if not r.confident}
    doubtful |= {f for c in checks if not c.passed for f in c.fields}
    tasks = ["meta"] if doubtful & {"meta.agency", "meta.year", "meta.format"} else []
    for task in LLM_TASKS[1:]:
        if mode == "always" or any(_task_of(f) == task for f in doubtful):
            tasks.append(task)
    return tasks


def _task_of(field_id: str) -> str:
    return "prose" if field_id in PROSE_FIELDS else section_of(field_id)


def _read_by_llm(
    client: LLMClient, text: str, sections: dict[str, Section], fmt: Format, tasks: list[str], state: _Reading
) -> tuple[_Reading, list[Check], dict]:
    from .llm_readings import read_with_llm

    before = replace(client.usage)
    got = read_with_llm(client, text, sections, fmt, tasks)
    usage = client.usage.since(before)
    readings, agreement = combine(state.readings, got.readings)
    unresolved = [(m, ids) for m, ids in state.problems if any(f not in readings for f in ids)]
    merged = _Reading(readings, unresolved + got.problems, state.notes + got.notes)
    info = {
        "model": client.config.model,
        "tasks": tasks,
        "usage": usage.as_dict(),
        "fields": {f: r.value for f, r in got.readings.items()},
    }
    return merged, agreement, info


def _body(section: Section | None) -> tuple[int, int] | None:
    return (section.body_start, section.end) if section else None


def _checks(state: _Reading, fmt: Format, text: str) -> list[Check]:
    values = {field_id: reading.value for field_id, reading in state.readings.items()}
    return (
        reading_checks(state.problems, fmt)
        + table_identities(values, fmt)
        + prose_identities(values)
        + grounding(state.readings, text, value_kinds(fmt))
    )
