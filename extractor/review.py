"""Review pages: a report's three tables as grids beside its source, for people who check it.

The grids are the catalog's rows and columns with their Chinese labels; each cell is coloured by
how its value was read (rule, model, both, a person, not read), and the table's identities sit
in its margins (a failed one in red on its cells: 总计 7 ≠ 6 + 0). Clicking a cell shows where
its value was read: highlighted in the converted text and, for a PDF, boxed on the page image.
The checks are listed by family, each detail readable, a long one folded. ``n`` moves to the
next doubtful cell.

The same view serves the static page of one report (:func:`review_page`, a self-contained file
that needs no server; a PDF's pages that hold values are embedded) and, with editing added, the
review workspace (``extractor.workspace``). A batch gets a page per report and an index.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .catalog import CATALOG, Catalog, Format, RowSpec, TableSpec
from .corrections import doubtful_fields, identities_of
from .errors import ExtractorError
from .models import Check, Document, Resolution, Value
from .pages import ocr_box, page_image, page_sizes, value_boxes
from .reading import SourceText, read_bytes, read_file

STATUS_LABELS = {"ok": "通过", "needs_review": "待核", "reviewed": "已审核", "failed": "失败"}
METHOD_LABELS = {"rule": "规则", "llm": "模型", "rule-llm": "规则+模型", "human": "人工", "none": "未读出"}
RESOLUTION_LABELS = {
    "passes": "更正后成立",
    "inconsistent_at_source": "原文即不一致",
    "settled": "已人工确定",
    "open": "待核",
}
# The check families as people read them (the identities are those of fields.md).
FAMILY_TITLES = {
    "t3.column_balance": "一加二等于（七）总计加四",
    "t3.outcome_sum": "（七）总计等于各项办理结果之和",
    "t3.row_sum": "总计等于各类申请人之和",
    "t4.total": "总计等于各项结果之和",
    "prose.applications_received": "正文所述收到申请数与表三一致",
    "read": "读取完整",
    "grounding": "数值见于原文",
    "agree": "规则与模型一致",
}
SECTION_TITLES = {"meta": "标题", "overview": "正文"}
_NUMERALS = "〇一二三四五六七八九"
_SHOWN_TERMS = 3  # an identity's side is shown term by term up to this many terms, else as its sum
_EMBEDDED_DPI = 110  # page images inside a static page: enough to read, light enough to embed


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("extractor", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """One of the package's templates (``extractor/templates``) rendered."""
    return _templates().get_template(template).render(**context)


# --- the view of one report ----------------------------------------------------------------


@dataclass
class Cell:
    field: str
    shown: str
    classes: str
    title: str


@dataclass
class Margin:
    check: str
    text: str
    classes: str
    title: str


@dataclass
class GridRow:
    label: str
    cells: list[Cell]
    margin: Margin | None = None


@dataclass
class Block:
    """A run of a table's rows under one header: its columns' titles, its rows, and the
    identities in its margins (one per row, at the right; per column, in rows below)."""

    columns: tuple[str, ...]
    rows: list[GridRow]
    margin_title: str | None = None
    footer: list[tuple[str, list[Margin | None]]] = field(default_factory=list)


@dataclass
class TableView:
    id: str
    title: str
    blocks: list[Block]


@dataclass
class CheckItem:
    id: str
    title: str
    lines: list[str]
    resolution: str
    classes: str


@dataclass
class Family:
    title: str
    items: list[CheckItem]
    open: int


@dataclass
class Page:
    number: int
    src: str


@dataclass
class ReportView:
    """Everything a review page shows of one document."""

    doc: Document
    title: str
    facts: list[tuple[str, Cell]]
    tables: list[TableView]
    families: list[Family]
    passed: int
    text_html: Markup | None
    pages: list[Page]
    data: dict[str, Any]

    @property
    def open_count(self) -> int:
        """The doubts still open: failed checks no correction or mark resolved."""
        return sum(1 for check in self.data["checks"].values() if check["resolution"] == "open")


@dataclass
class _Verdicts:
    """The checks of a document as they stand: on its values now (the identities run again
    on a person's values), with how each failed one was resolved."""

    fields: dict[str, Value]
    failing: dict[str, Check]  # failed before or fails now, with its detail now
    resolution: dict[str, Resolution]
    passed: int
    doubtful: set[str]  # the fields of open doubts that no person settled
    outlined: set[str]  # the fields of identities that fail now
    unsettled: list[str]  # open doubts whose every field a person settled (an identity to mark)

    @classmethod
    def of(cls, doc: Document, catalog: Catalog) -> _Verdicts:
        assert doc.format is not None
        again = identities_of(doc, doc.fields, catalog)
        now = {c.id: again.get(c.id, c) for c in doc.checks} | again
        resolved = {c.id: c.resolution for c in doc.review.checks} if doc.review else {}
        failing = {i: c for i, c in now.items() if not c.passed or i in resolved}
        resolution = {i: resolved.get(i, "open") for i in failing}
        human = set(doc.review.fields) if doc.review else set()
        doubtful: set[str] = set()
        unsettled = []
        for check_id, check in failing.items():
            if resolution[check_id] == "open":
                left = (set(check.fields) if check_id in again else doubtful_fields(check)) - human
                doubtful |= left
                unsettled += [] if left else [check_id]
        outlined = {f for i, c in failing.items() if i in again and not c.passed for f in c.fields}
        passed = len(now) - len(failing)
        return cls(doc.fields, failing, resolution, passed, doubtful, outlined, unsettled)


def report_view(
    doc: Document,
    source: SourceText | str | None,
    *,
    pages: Sequence[Page] = (),
    sizes: Sequence[tuple[float, float]] = (),
    catalog: Catalog = CATALOG,
) -> ReportView:
    """The view of ``doc``; ``source`` is the text its evidence offsets point into (with a PDF's
    character boxes), ``pages`` the page images to show and ``sizes`` the PDF's page sizes."""
    text = source.decoded if isinstance(source, SourceText) else source
    layout = source.layout if isinstance(source, SourceText) else None
    title = f"{doc.fields.get('meta.agency') or Path(doc.source).name} {doc.fields.get('meta.year') or ''}"
    if doc.format is None:
        data: dict[str, Any] = {"fields": {}, "checks": {}, "doubts": [], "order": []}
        return ReportView(doc, title.strip(), [], [], [], 0, None, [], data)
    fmt = doc.format
    verdicts = _Verdicts.of(doc, catalog)
    labels = catalog.labels(fmt)
    cells = {f: _cell(doc, f, labels[f], verdicts) for f in catalog.field_ids(fmt)}
    tables = [_table_view(spec, cells, verdicts, fmt, catalog) for spec in catalog.tables[fmt]]
    facts = [(labels[fact.id][0], cells[fact.id]) for fact in catalog.facts]
    order = list(catalog.field_ids(fmt))
    fields = {f: _field_data(doc, f, labels[f], cells[f], verdicts, layout, sizes) for f in order}
    checks = {i: _check_data(c, verdicts, fmt, catalog) for i, c in verdicts.failing.items()}
    data = {
        "fields": fields,
        "checks": checks,
        "doubts": [f for f in order if f in verdicts.doubtful] + [f"check:{i}" for i in verdicts.unsettled],
        "order": order,
        "status": doc.status,
    }
    text_html = Markup(_highlighted(text, doc, verdicts)) if text is not None else None
    families = _families(verdicts, fmt, catalog)
    return ReportView(
        doc, title.strip(), facts, tables, families, verdicts.passed, text_html, list(pages), data
    )


def _method(doc: Document, field_id: str) -> str:
    if doc.review and field_id in doc.review.fields:
        return "human"
    evidence = doc.evidence.get(field_id)
    return _css_class(evidence.method) if evidence else "none"


def _css_class(method: str) -> str:
    return re.sub(r"[^a-z]+", "-", method.lower()).strip("-") or "rule"


def shown(value: Value) -> str:
    """A value as a grid shows it: a blank as —, never Python's None."""
    return "—" if value is None else str(value)


def _cell(doc: Document, field_id: str, label: tuple[str, str], verdicts: _Verdicts) -> Cell:
    method = _method(doc, field_id)
    value = doc.fields.get(field_id)
    classes = [f"m-{method}"]
    unread = value is None and method == "none" and field_id in verdicts.doubtful
    if field_id in verdicts.doubtful:
        classes.append("doubt")
    if field_id in verdicts.outlined:
        classes.append("failed")
    if unread:
        classes.append("unread")
    if doc.review and field_id in doc.review.fields:
        classes.append(doc.review.fields[field_id].action)
    name = " · ".join(part for part in label if part)
    return Cell(field_id, "?" if unread else shown(value), " ".join(classes), f"{name} = {shown(value)}")


def _table_view(
    spec: TableSpec, cells: dict[str, Cell], verdicts: _Verdicts, fmt: Format, catalog: Catalog
) -> TableView:
    by_row: dict[str, str] = {}  # a row's identity (its cells' sum)
    by_column: dict[str, dict[str, str]] = {}  # per family, each column's identity
    for check_id, left, right in catalog.identities_of(fmt, spec.id):
        row, column = _shared(left + right, 1), _shared(left + right, 2)
        if row:
            by_row[row] = check_id
        elif column:
            by_column.setdefault(_family(check_id), {})[column] = check_id
    title = f"{_NUMERALS[int(spec.id[1:])]}、{spec.title}"
    blocks = []
    for rows in _runs(spec.rows):
        row_checks = [by_row.get(row.id) for row in rows]
        block = Block(
            rows[0].column_titles,
            [
                GridRow(
                    row.title,
                    [cells[f"{spec.id}.{row.id}.{col}"] for col in row.columns],
                    _margin(check_id, verdicts, fmt, catalog) if check_id else None,
                )
                for row, check_id in zip(rows, row_checks, strict=True)
            ],
        )
        if any(row_checks):
            block.margin_title = _family_title(next(c for c in row_checks if c))
        for family, columns in by_column.items():
            if any(col in columns for col in rows[0].columns):
                margins = [
                    _margin(columns[col], verdicts, fmt, catalog) if col in columns else None
                    for col in rows[0].columns
                ]
                block.footer.append((FAMILY_TITLES.get(family, family), margins))
        blocks.append(block)
    return TableView(spec.id, title, blocks)


def _runs(rows: Sequence[RowSpec]) -> list[list[RowSpec]]:
    """Consecutive rows under the same column titles (table 二 prints a header per run)."""
    runs: list[list[RowSpec]] = []
    for row in rows:
        if runs and runs[-1][0].column_titles == row.column_titles:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _shared(field_ids: list[str], part: int) -> str | None:
    """The row (``part`` 1) or column (2) all these fields share, if they do."""
    found = {f.split(".")[part] for f in field_ids}
    return found.pop() if len(found) == 1 else None


def _family(check_id: str) -> str:
    """A check's family: ``t3.row_sum`` of ``t3.row_sum.granted``, ``read`` of ``read.t3``."""
    parts = check_id.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else parts[0] if parts[0] in FAMILY_TITLES else check_id


def _family_title(check_id: str) -> str:
    family = _family(check_id)
    return FAMILY_TITLES.get(family, family)


def _margin(check_id: str, verdicts: _Verdicts, fmt: Format, catalog: Catalog) -> Margin:
    check = verdicts.failing.get(check_id)
    if check is None:
        return Margin(check_id, "✓", "margin passed", f"{check_id}: 成立")
    left, right = _sides(check_id, fmt, catalog)
    values = verdicts.fields
    text = (
        "✓"
        if check.passed
        else f"{_side([values.get(f) for f in left])} ≠ {_side([values.get(f) for f in right])}"
    )
    resolution = verdicts.resolution[check_id]
    classes = f"margin {'passed' if check.passed else 'failed'} r-{resolution}"
    return Margin(check_id, text, classes, f"{check_id}: {check.detail}")


@cache
def _identity_sides(fmt: Format, catalog: Catalog) -> dict[str, tuple[list[str], list[str]]]:
    return {check_id: (left, right) for check_id, left, right in catalog.identities(fmt)}


def _sides(check_id: str, fmt: Format, catalog: Catalog) -> tuple[list[str], list[str]]:
    return _identity_sides(fmt, catalog)[check_id]


def _side(values: list[Value]) -> str:
    if len(values) <= _SHOWN_TERMS:
        return " + ".join("∅" if v is None else str(v) for v in values)
    total = sum(v for v in values if isinstance(v, int | float))
    return f"Σ {total:g}" if isinstance(total, float) else f"Σ {total}"


def check_title(check_id: str, fmt: Format, catalog: Catalog = CATALOG) -> str:
    """A check as people read it: its family, and the row, column, section or field it is of."""
    family, member = _family(check_id), check_id.rsplit(".", 1)[-1]
    head = FAMILY_TITLES.get(family, family)
    if family == "agree":
        field_id = check_id.split(".", 1)[1]
        return f"{head}：{' · '.join(p for p in catalog.labels(fmt).get(field_id, (field_id, '')) if p)}"
    if family in ("read", "grounding"):
        return f"{head}：{_section_title(member, fmt, catalog)}"
    if family == check_id:
        return head
    return f"{head}：{_member_title(check_id, member, fmt, catalog)}"


def _section_title(section: str, fmt: Format, catalog: Catalog) -> str:
    if section in SECTION_TITLES:
        return SECTION_TITLES[section]
    spec = next((s for s in catalog.tables[fmt] if s.id == section), None)
    return f"表{_NUMERALS[int(spec.id[1:])]}" if spec else section


def _member_title(check_id: str, member: str, fmt: Format, catalog: Catalog) -> str:
    spec = catalog.table(fmt, check_id.split(".", 1)[0])
    for row in spec.rows:
        if row.id == member:
            return row.title
        if member in row.columns:
            return row.column_titles[row.columns.index(member)]
    return member


def _families(verdicts: _Verdicts, fmt: Format, catalog: Catalog) -> list[Family]:
    grouped: dict[str, list[CheckItem]] = {}
    for check_id, check in verdicts.failing.items():
        resolution = verdicts.resolution[check_id]
        state = "passed" if check.passed else "failed"
        grouped.setdefault(_family(check_id), []).append(
            CheckItem(
                check_id,
                check_title(check_id, fmt, catalog),
                check.detail.split("; "),
                RESOLUTION_LABELS[resolution],
                f"check {state} r-{resolution}",
            )
        )
    return [
        Family(
            FAMILY_TITLES.get(family, family),
            items,
            sum(1 for i in items if verdicts.resolution[i.id] == "open"),
        )
        for family, items in grouped.items()
    ]


def _field_data(
    doc: Document,
    field_id: str,
    label: tuple[str, str],
    cell: Cell,
    verdicts: _Verdicts,
    layout: Any,
    sizes: Sequence[tuple[float, float]],
) -> dict[str, Any]:
    """What the page's script knows of a field: for the panel beside the grids."""
    evidence = doc.evidence.get(field_id)
    where = None
    boxes: list[list[float]] = []
    if evidence is not None:
        where = {
            "start": evidence.start,
            "end": evidence.end,
            "text": evidence.text,
            "method": evidence.method,
        }
        if layout is not None and sizes:
            boxes = [
                [b.page, b.left, b.top, b.width, b.height]
                for b in value_boxes(layout, list(sizes), evidence.start, evidence.end)
            ]
        elif evidence.box is not None and evidence.page and doc.ocr is not None and sizes:
            b = ocr_box(evidence.page, evidence.box, doc.ocr.dpi, list(sizes))
            boxes = [[b.page, b.left, b.top, b.width, b.height]]
    human = doc.review.fields.get(field_id) if doc.review else None
    return {
        "row": label[0],
        "column": label[1],
        "value": doc.fields.get(field_id),
        "shown": cell.shown,
        "method": _method(doc, field_id),
        "evidence": where,
        "boxes": boxes,
        "checks": [i for i, c in verdicts.failing.items() if field_id in c.fields],
        "doubt": field_id in verdicts.doubtful,
        "human": human.model_dump() if human else None,
    }


def _check_data(check: Check, verdicts: _Verdicts, fmt: Format, catalog: Catalog) -> dict[str, Any]:
    return {
        "title": check_title(check.id, fmt, catalog),
        "detail": check.detail,
        "passed": check.passed,
        "resolution": verdicts.resolution[check.id],
        "fields": check.fields,
    }


def _highlighted(text: str, doc: Document, verdicts: _Verdicts) -> str:
    """The text with each value's span marked (one mark per span; an overlapping span is
    shown in the panel only)."""
    spans = sorted((e.start, e.end, f) for f, e in doc.evidence.items() if e.end > e.start)
    parts, pos = [], 0
    for start, end, field_id in spans:
        if start < pos or end > len(text):
            continue
        classes = f"m-{_method(doc, field_id)}" + (" failed" if field_id in verdicts.outlined else "")
        parts.append(html.escape(text[pos:start]))
        parts.append(
            f'<mark id="src-{html.escape(field_id)}" class="{classes}" data-field="{html.escape(field_id)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


# --- static pages ----------------------------------------------------------------------------


def review_page(doc: Document, source: SourceText | str | None, original: Path | bytes | None = None) -> str:
    """The static review page of one document (one self-contained file, no server): ``source``
    is the text its evidence offsets point into; with the ``original`` PDF, the pages that hold
    values are embedded as images with the values' boxes."""
    pages: list[Page] = []
    sizes: list[tuple[float, float]] = []
    boxed = isinstance(source, SourceText) and (source.layout is not None or source.ocr is not None)
    if original is not None and isinstance(source, SourceText) and boxed:
        pdf = original if isinstance(original, bytes) else original.read_bytes()
        if has_pages(source, pdf):
            sizes = page_sizes(pdf)
            numbers = _pages_with_values(doc, source)
            pages = [Page(n, _data_uri(page_image(pdf, n, _EMBEDDED_DPI))) for n in numbers]
    view = report_view(doc, source, pages=pages, sizes=sizes)
    return render("report.html", view=view, **page_context(view, editable=False))


def has_pages(source: SourceText, original: bytes) -> bool:
    """Whether the report's pages can be shown with its values' boxes: a PDF read through its
    text layer (its characters' boxes), or a scanned PDF (the OCR's boxes)."""
    return source.layout is not None or (source.ocr is not None and original[:5] == b"%PDF-")


def _pages_with_values(doc: Document, source: SourceText) -> list[int]:
    if source.layout is not None:
        return sorted({b.page for e in doc.evidence.values() for b in source.layout.boxes(e.start, e.end)})
    return sorted({e.page for e in doc.evidence.values() if e.page})


def page_context(view: ReportView, *, editable: bool, **extra: Any) -> dict[str, Any]:
    """What the report template needs besides the view."""
    return {
        "editable": editable,
        "status_labels": STATUS_LABELS,
        "method_labels": METHOD_LABELS,
        "data": {**view.data, "pages": [asdict(p) for p in view.pages], "editable": editable, **extra},
        **extra,
    }


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def source_text(doc: Document) -> str | None:
    """The text a document's evidence offsets point into, read again from its source."""
    try:
        return read_file(doc.source).decoded
    except ExtractorError:
        return None


def read_source(path: Path, content_hash: str | None = None) -> tuple[SourceText, bytes] | None:
    """A report's source read again, and its bytes: None when it cannot be read, or when its
    content is no longer the one extracted (``content_hash``, SHA-256)."""
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    if content_hash is not None and hashlib.sha256(data).hexdigest() != content_hash:
        return None
    try:
        return read_bytes(data, path.name), data
    except ExtractorError:
        return None


def page_name(index: int, doc: Document) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(doc.source).name)[:80]
    return f"{index:05d}_{stem}.html"


@dataclass
class ListRow:
    """A report as the batch list shows it."""

    id: int
    href: str
    name: str
    source: str
    agency: str | None
    year: int | None
    format: str | None
    input_format: str | None
    status: str
    failed: int
    open: int
    human: int
    error: str | None


def list_row(index: int, href: str, doc: Document) -> ListRow:
    """The batch list's row of a document."""
    review = doc.review
    failed = len(doc.failed_checks)
    agency, year = doc.fields.get("meta.agency"), doc.fields.get("meta.year")
    return ListRow(
        index,
        href,
        Path(doc.source).name,
        doc.source,
        agency if isinstance(agency, str) else None,
        year if isinstance(year, int) else None,
        doc.format,
        doc.input_format,
        doc.status,
        failed,
        review.open if review else failed,
        len(review.fields) if review else 0,
        doc.error,
    )


def write_review_pages(documents: Iterable[Document], folder: Path) -> Path:
    """A review page per document and an index; returns the index's path."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, doc in enumerate(documents):
        name = page_name(i, doc)
        (folder / name).write_text(review_page(doc, source_text(doc)), encoding="utf-8")
        rows.append(list_row(i, name, doc))
    index = folder / "index.html"
    index.write_text(render("batch.html", **list_context(rows), rows=rows, editable=False), encoding="utf-8")
    return index


def list_context(rows: Sequence[ListRow]) -> dict[str, Any]:
    """What the batch list shows above its rows: how many reports there are of each status."""
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUS_LABELS}
    return {
        "total": len(rows),
        "counts": {status: n for status, n in counts.items() if n},
        "status_labels": STATUS_LABELS,
    }


__all__ = ["check_title", "report_view", "review_page", "write_review_pages"]
