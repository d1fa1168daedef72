"""The extraction pipeline: text → sections → readings (rule, then model) → checks → merged document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .catalog import CATALOG, Catalog, Format, section_of
from .cells import Cell, CellKind, table_rows
from .errors import ExtractorError, InputError, NotAReportError
from .merge import build_document, combine, failed_document
from .models import Check, Document, LLMInfo, ModelStep, Reading, Usage, Value
from .prose import read_prose
from .reading import SourceText, read_bytes, read_file, read_text
from .scanned import read_through_ocr
from .segmenting import Section, detect_format, find_sections, read_title
from .statements import read_statements
from .tables import read_table
from .validators import doubts, grounding, prose_identities, reading_checks, table_identities

if TYPE_CHECKING:  # the model layer is an optional extra: imported only when used
    from .llm_client import LLMClient

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".pdf", ".docx", ".doc", ".wps", ".html", ".htm")
LLMMode = Literal["never", "fallback", "always", "only"]
LLM_TASKS = ("meta", "t2", "t3", "t4", "prose")
TABLE_SECTIONS = ("t2", "t3", "t4")


@dataclass
class Options:
    """How to extract: rule-only (``never``), or with a model as ``fallback``, for ``always``
    (merged with the rules), or ``only`` the model (the rules pick the format alone; for evals);
    the catalog of fields to read; and who is told of the model's progress, section by section."""

    llm: LLMClient | None = None
    mode: LLMMode = "never"
    catalog: Catalog = field(default=CATALOG)
    progress: Callable[[ModelStep], None] | None = None


def extract(
    source: str | Path | bytes, *, name: str | None = None, options: Options | None = None
) -> Document:
    """Extract one report. ``source`` is a path, a file's content as ``bytes`` (``name`` tells
    its kind by its suffix when the bytes do not), or the report's text itself when it is a
    ``str`` holding a line break. Never raises for bad input: it returns a ``failed`` document.
    """
    is_text = isinstance(source, str) and "\n" in source
    label = name or _label(source, is_text)
    try:
        if isinstance(source, bytes):
            src = read_bytes(source, label)
        else:
            src = read_text(str(source)) if is_text else read_file(source)
        return extract_source(src, label, options)
    except ExtractorError as exc:
        return failed_document(label, str(exc))


def _label(source: str | Path | bytes, is_text: bool) -> str:
    if isinstance(source, bytes):
        return "<bytes>"
    return "<text>" if is_text else str(source)


def extract_guarded(
    source: str | Path | bytes, options: Options | None = None, *, name: str | None = None
) -> tuple[Document, bool]:
    """:func:`extract`, and also a ``failed`` document when the extractor itself fails (a bug),
    so one file never stops a batch; the flag tells whether that happened."""
    try:
        return extract(source, name=name, options=options), False
    except Exception as exc:
        label = name or _label(source, False)
        return failed_document(label, f"internal error: {type(exc).__name__}: {exc}"), True


def extract_source(src: SourceText, source: str, options: Options | None = None) -> Document:
    """Extract a report already read and normalised; raises :class:`NotAReportError`."""
    options = options or Options()
    catalog = options.catalog
    text = src.text
    sections = find_sections(text)
    if not any(s in sections for s in TABLE_SECTIONS):
        raise NotAReportError("not a 政府信息公开工作年度报告: none of its standard tables was found")
    fmt, reading = read_by_rules(text, sections, catalog)
    reading = read_through_ocr(reading, src)
    checks = checks_of(reading, fmt, text, catalog)
    llm_info = None
    if options.llm is not None and options.mode != "never":
        tasks = llm_tasks(options.mode, reading, checks, catalog)
        if tasks:
            only_format = Reading({"meta.format": reading.fields["meta.format"]})  # the rules pick it
            base = only_format if options.mode == "only" else reading
            reading, checks, llm_info = _read_by_llm(options, src, sections, fmt, tasks, base, source)
    return build_document(source, src, fmt, reading, checks, llm=llm_info, catalog=catalog)


def extract_section(
    section_id: str, text: str, fmt: Format | str | None = None, source: str = "<section>"
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
    fmt = Format(fmt)
    spec = CATALOG.table(fmt, section_id)
    reading = read_table(spec, table_rows(src.text, 0, len(src.text)), fmt, CATALOG)
    ids = tuple(spec.field_ids())
    checks = [c for c in checks_of(reading, fmt, src.text, CATALOG) if set(c.fields) <= set(ids)]
    return build_document(source, src, fmt, reading, checks, only=ids, section=section_id)


def _in_sentences(rows: list[list[Cell]]) -> bool:
    """A table written in sentences: every printed row of it one cell of words, none a value."""
    return all(len(row) <= 1 and all(cell.kind is CellKind.LABEL for cell in row) for row in rows)


def read_by_rules(
    text: str, sections: dict[str, Section], catalog: Catalog = CATALOG
) -> tuple[Format, Reading]:
    """The rules' reading of a report's normalised text: its format, and every field read."""
    first = min(s.start for s in sections.values())
    reading = read_title(text, first)
    if (end := max(s.end for s in sections.values())) < len(text):
        reading.notes.append(f"the text goes on with another report from offset {end}: not read")
    year = reading.fields.get("meta.year")
    fmt, reading.fields["meta.format"] = detect_format(
        text, sections, year.value if year and isinstance(year.value, int) else None
    )
    reading.add(read_prose(text, sections, catalog))
    for spec in catalog.tables[fmt]:
        section = sections.get(spec.id)
        if section is None:
            reading.problem(f"section {spec.id} ({spec.title}) not found", spec.field_ids())
            continue
        rows = table_rows(text, section.body_start, section.end)
        if _in_sentences(rows):
            reading.add(read_statements(spec, text, section.body_start, section.end))
        else:
            reading.add(read_table(spec, rows, fmt, catalog))
    return fmt, reading


def doubtful_fields(reading: Reading, checks: list[Check]) -> set[str]:
    """The fields the rules could not read, doubted, or used in a failed check."""
    doubtful = {f for problem in reading.problems for f in problem.fields}
    doubtful |= {f for f, r in reading.fields.items() if not r.confident}
    return doubtful | {f for c in checks if not c.passed for f in c.fields}


def llm_tasks(mode: LLMMode, reading: Reading, checks: list[Check], catalog: Catalog = CATALOG) -> list[str]:
    """The sections to send to the model: all for ``always`` and ``only``; for ``fallback``
    those with a doubtful field (:func:`doubtful_fields`). The title only when it is odd."""
    if mode == "only":
        return list(LLM_TASKS)
    doubtful = doubtful_fields(reading, checks)
    tasks = ["meta"] if any(section_of(f) == "meta" for f in doubtful) else []
    for task in LLM_TASKS[1:]:
        if mode == "always" or any(_task_of(f, catalog) == task for f in doubtful):
            tasks.append(task)
    return tasks


def _task_of(field_id: str, catalog: Catalog) -> str:
    return "prose" if field_id in catalog.prose_ids else section_of(field_id)


def _read_by_llm(
    options: Options,
    src: SourceText,
    sections: dict[str, Section],
    fmt: Format,
    tasks: list[str],
    base: Reading,
    source: str,
) -> tuple[Reading, list[Check], LLMInfo]:
    """The model's reading of ``tasks``, merged with the rules' (``base``), and its checks. With
    ``fallback``, task by task, it reads the fields still doubtful once the tasks before are
    merged, and is asked only what the rules cannot place; with ``always`` and ``only`` it
    places everything itself. Over a scan, a value the OCR doubted stays doubtful."""
    from .llm_readings import read_with_llm

    text = src.text
    assert options.llm is not None
    catalog, progress = options.catalog, options.progress
    ask_all = options.mode in ("always", "only")
    reading, usage, read = base, Usage(), []
    agreement: list[Check] = []
    answers: dict[str, Value] = {}
    for task in tasks:
        checks = checks_of(reading, fmt, text, catalog) + agreement
        wanted = (
            None if ask_all else {f for f in doubtful_fields(reading, checks) if _task_of(f, catalog) == task}
        )
        if wanted is not None and not wanted:
            continue
        read.append(task)
        got = read_with_llm(
            options.llm,
            text,
            sections,
            fmt,
            [task],
            catalog,
            wanted=wanted,
            known={f: r.value for f, r in reading.fields.items() if r.confident and f not in (wanted or ())},
            ask_all=ask_all,
            on_step=(lambda step: progress(replace(step, source=source))) if progress else None,
        )
        fields, agreed, notes = combine(reading.fields, got.fields)
        unresolved = [p for p in reading.problems if any(f not in got.fields for f in p.fields)]
        unread = [
            p for p in got.problems if any(f not in fields or not fields[f].confident for f in p.fields)
        ]
        reading = Reading(fields, unresolved + unread, reading.notes + got.notes + notes)
        agreement += agreed
        usage.add(got.usage or Usage())
        answers.update({f: r.value for f, r in got.fields.items() if r.method == "llm"})
    info = LLMInfo(model=options.llm.config.model, tasks=read, usage=usage.as_dict(), fields=answers)
    reading = read_through_ocr(reading, src)
    return reading, checks_of(reading, fmt, text, catalog) + agreement, info


class _Unread:
    """The fields a reading could not read (blank and doubtful, or named by a problem), asked
    of one field at a time: an identity's detail asks only of its blanks."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self._named: set[str] | None = None

    def __contains__(self, field_id: object) -> bool:
        found = self.reading.fields.get(str(field_id))
        if found is not None:
            return found.value is None and not found.confident
        if self._named is None:
            self._named = {f for p in self.reading.problems for f in p.fields}
        return field_id in self._named


def checks_of(reading: Reading, fmt: Format, text: str, catalog: Catalog = CATALOG) -> list[Check]:
    """Every check of a reading: was everything read with confidence, the identities, grounding."""
    values = {field_id: found.value for field_id, found in reading.fields.items()}
    unread = _Unread(reading)
    return (
        reading_checks(reading.problems + doubts(reading.fields), fmt, catalog)
        + table_identities(values, fmt, catalog, unread)
        + prose_identities(values)
        + grounding(reading.fields, text, fmt, catalog)
    )
