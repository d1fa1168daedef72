"""The review workspace: a batch's reports served for the people who check them
(``python -m extractor serve --store DIR``, DIR a batch's ``--out`` folder, or a new one).

* ``GET /`` — the batch list: status, agency, year, failed checks, open doubts, people's
  values; filtered (``?status=needs_review&year=2024&q=卫生``), sorted (``?sort=failed&desc=1``),
  a page at a time; a report file can be opened here (uploaded, extracted, added to the batch).
* ``GET /reports/{id}`` — one report: its tables as grids beside its source (a PDF's page
  images with the value's box), with corrections.
* ``GET /reports/{id}/pages/{n}.png`` — a PDF's page as an image.
* ``GET /api/reports``, ``GET /api/reports/{id}`` (the document as people left it),
  ``GET /api/reports/{id}/corrections`` (its audit trail), ``POST /api/reports/{id}/corrections``
  (an entry: correct, confirm, inconsistent, withdraw), ``POST /api/upload``, ``POST
  /api/export`` (the batch's exports written again with the corrections), ``GET /exports/{file}``.

People's entries go into the store's ``corrections`` table (:mod:`extractor.corrections`);
nothing else in the store changes. The workspace has no login: the name a reviewer types is
recorded as given, so it listens on 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel, Field

from .batch import STORE_NAME, add_to_batch, export_batch
from .catalog import CATALOG
from .corrections import Correction, in_effect, now, reviewed, value_of_text
from .errors import MissingExtraError
from .exports import DICTIONARY_NAME, WRITERS
from .models import Document, Value, same_value
from .pages import page_image, page_sizes
from .pipeline import SUPPORTED_SUFFIXES, Options
from .reading import SourceText
from .review import (
    STATUS_LABELS,
    ListRow,
    Page,
    has_pages,
    list_context,
    list_row,
    page_context,
    read_source,
    render,
    report_view,
)
from .store import Store, document_of

PER_PAGE = 100
_SORTS: dict[str, Callable[[ListRow], Any]] = {
    "source": lambda r: r.source,
    "agency": lambda r: r.agency or "",
    "year": lambda r: r.year or 0,
    "status": lambda r: r.status,
    "failed": lambda r: r.failed,
    "open": lambda r: r.open,
    "human": lambda r: r.human,
}
EXPORT_FILES = (*(name for name, _ in WRITERS.values()), DICTIONARY_NAME)


class CorrectionRequest(BaseModel):
    """A person's entry about a report: ``correct`` a field's value (``value`` as the report
    prints it; blank for a blank cell), ``confirm`` it as printed, mark a failed ``check`` (or,
    with neither field nor check, the whole report) ``inconsistent`` at its source, or
    ``withdraw`` the entry in effect about a field, a check or the report."""

    action: Literal["correct", "confirm", "inconsistent", "withdraw"]
    field: str | None = Field(default=None, description="a field id, e.g. t3.total.total")
    check: str | None = Field(default=None, description="a check id, e.g. t3.row_sum.granted")
    value: str | int | float | None = Field(default=None, description="correct: the value as printed")
    reason: str = Field(default="", max_length=2000, description="why: what the report prints, and where")
    by: str = Field(min_length=1, max_length=100, description="who: the reviewer's name")
    start: int | None = Field(default=None, ge=0, description="a span of the text the value is printed at")
    end: int | None = Field(default=None, ge=0)


class Workspace:
    """A batch folder opened for review: its store (one connection, one thread at a time), the
    sources read again for their text and page images, and the people's entries."""

    def __init__(self, folder: Path, options: Options) -> None:
        self.folder = folder
        self.options = options
        self.store = Store(folder / STORE_NAME, threads=True)
        self.lock = threading.RLock()
        self.exporting = threading.Lock()
        self._sources: OrderedDict[tuple[Path, str], tuple[SourceText, bytes] | None] = OrderedDict()
        self._images: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    # --- reading -----------------------------------------------------------------------------

    def report(self, report_id: int) -> tuple[Document, Document, str]:
        """A report's document as extracted, as people left it, and its content hash; 404."""
        with self.lock:
            rows = self.store.rows_of_report(report_id)
            if rows is None:
                raise HTTPException(404, f"no report {report_id} in {self.folder}")
            entries = self.store.corrections(rows.content_hash).get(rows.content_hash, [])
        machine = document_of(rows)
        return machine, reviewed(machine, entries), rows.content_hash

    def list_rows(self) -> list[ListRow]:
        """Every report of the batch, as the list shows it (people's corrections applied)."""
        with self.lock:
            found = self.store.report_rows()
            corrected = self.store.corrections()
        rows = []
        for (
            number,
            digest,
            _settings,
            source,
            status,
            fmt,
            agency,
            year,
            input_format,
            error,
            failed,
        ) in found:
            href = f"/reports/{number}"
            if digest in corrected:
                rows.append(list_row(number, href, self.report(number)[1]))
            else:
                name = Path(source).name
                rows.append(
                    ListRow(
                        number,
                        href,
                        name,
                        source,
                        agency,
                        year,
                        fmt,
                        input_format,
                        status,
                        failed,
                        failed,
                        0,
                        error,
                    )
                )
        return rows

    def source(self, report_id: int, doc: Document, content_hash: str) -> tuple[SourceText, bytes] | None:
        """The report's source read again (kept for a few reports): where the batch read it,
        else its source path from here or from beside the batch folder; None when it is gone or
        its content is no longer the one extracted."""
        with self.lock:
            recorded = self.store.path_of(report_id)
        for path in filter(None, (recorded, Path(doc.source), self.folder.parent / doc.source)):
            key = (path, content_hash)
            if key not in self._sources:
                self._sources[key] = read_source(path, content_hash)
                while len(self._sources) > 8:
                    self._sources.popitem(last=False)
            if self._sources[key] is not None:
                return self._sources[key]
        return None

    def page_png(self, report_id: int, number: int) -> bytes:
        machine, _, digest = self.report(report_id)
        found = self.source(report_id, machine, digest)
        if found is None or not has_pages(*found):
            raise HTTPException(404, f"report {report_id} has no PDF to show")
        key = (digest, number)
        if key not in self._images:
            try:
                self._images[key] = page_image(found[1], number)
            except IndexError as exc:
                raise HTTPException(404, f"report {report_id}: no {exc}") from None
            while len(self._images) > 32:
                self._images.popitem(last=False)
        return self._images[key]

    # --- people's entries ----------------------------------------------------------------------

    def record(self, report_id: int, asked: CorrectionRequest) -> dict[str, Any]:
        """Add a person's entry to the audit trail, after checking that it makes sense; 4xx."""
        machine, doc, digest = self.report(report_id)
        if machine.format is None:
            raise HTTPException(409, f"report {report_id} gave nothing to correct: {machine.error}")
        with self.lock:
            entries = self.store.corrections(digest).get(digest, [])
        given, marks = in_effect(entries)
        base = {
            "content_hash": digest,
            "action": asked.action,
            "reason": asked.reason.strip(),
            "by": asked.by.strip(),
            "at": now(),
        }
        if asked.field is not None:
            entry = self._field_entry(report_id, asked, machine, given, base)
        else:
            entry = self._mark_entry(asked, doc, marks, base)
        with self.lock:
            saved = self.store.add_correction(entry)
        after = reviewed(machine, [*entries, saved])
        return {
            "entry": saved.model_dump(),
            "status": after.status,
            "open": after.review.open if after.review else len(after.failed_checks),
        }

    def _field_entry(
        self,
        report_id: int,
        asked: CorrectionRequest,
        machine: Document,
        given: dict[str, Correction],
        base: dict[str, Any],
    ) -> Correction:
        field_id = asked.field
        assert field_id is not None and machine.format is not None
        if field_id not in machine.fields:
            raise HTTPException(
                422,
                f"{field_id} is no field of a {machine.format} report "
                f"(python -m extractor fields --format {machine.format} lists them)",
            )
        read = machine.fields[field_id]
        if asked.action == "inconsistent":
            raise HTTPException(422, "inconsistent names a check (or the whole report), not a field")
        if asked.action == "withdraw" and field_id not in given:
            raise HTTPException(422, f"no value of {field_id} to withdraw: the extraction's stands")
        value: Value = read
        if asked.action == "correct":
            if not base["reason"]:
                raise HTTPException(422, "a correction needs a reason: what the report prints, and where")
            value = self._typed(field_id, asked.value, machine)
            if same_value(value, read):
                base["action"] = "confirm"  # the value as read: a confirmation
        span = self._span(report_id, asked, machine)
        return Correction(**base, field=field_id, old_value=read, new_value=value, **span)

    @staticmethod
    def _typed(field_id: str, typed: str | int | float | None, machine: Document) -> Value:
        assert machine.format is not None
        kind = CATALOG.value_kinds(machine.format)[field_id]
        try:
            return value_of_text("" if typed is None else str(typed), kind)
        except ValueError as exc:
            raise HTTPException(422, f"{field_id}: {exc} (a {kind.value} is expected)") from None

    def _span(self, report_id: int, asked: CorrectionRequest, machine: Document) -> dict[str, Any]:
        if asked.start is None and asked.end is None:
            return {}
        found = self.source(report_id, machine, self.report(report_id)[2])
        if found is None:
            raise HTTPException(422, "the source cannot be read again: a span of it cannot be recorded")
        text = found[0].decoded
        if asked.start is None or asked.end is None or not asked.start < asked.end <= len(text):
            raise HTTPException(422, f"a span needs start < end ≤ {len(text)} (the text's length)")
        return {"start": asked.start, "end": asked.end, "quoted": text[asked.start : asked.end]}

    @staticmethod
    def _mark_entry(
        asked: CorrectionRequest, doc: Document, marks: dict[str | None, Correction], base: dict[str, Any]
    ) -> Correction:
        if asked.action in ("correct", "confirm"):
            raise HTTPException(422, f"{asked.action} names a field")
        if asked.action == "withdraw":
            if asked.check not in marks:
                raise HTTPException(422, f"no mark of {asked.check or 'the report'} to withdraw")
        else:
            if not base["reason"]:
                raise HTTPException(422, "a mark of inconsistency needs a reason: what the report prints")
            failing = {c.id for c in doc.failed_checks} | (
                {c.id for c in doc.review.checks} if doc.review else set()
            )
            if asked.check is not None and asked.check not in failing:
                raise HTTPException(422, f"{asked.check} is no failed check of this report")
        return Correction(**base, check=asked.check)

    # --- pages ----------------------------------------------------------------------------------

    def report_page(self, report_id: int, back: str) -> str:
        machine, doc, digest = self.report(report_id)
        found = self.source(report_id, machine, digest)
        pages: list[Page] = []
        sizes: list[tuple[float, float]] = []
        if found is not None and has_pages(*found):
            sizes = page_sizes(found[1])
            pages = [Page(n, f"/reports/{report_id}/pages/{n}.png") for n in range(1, len(sizes) + 1)]
        view = report_view(doc, found[0] if found else None, pages=pages, sizes=sizes)
        marked = doc.review is not None and any(m.check is None for m in doc.review.inconsistent)
        context = page_context(
            view, editable=True, api=f"/api/reports/{report_id}", back=back, report_marked=marked
        )
        return render("report.html", view=view, **context)

    def exported_files(self) -> list[tuple[str, str]]:
        return [(name, f"/exports/{name}") for name in EXPORT_FILES if (self.folder / name).is_file()]


def filtered(rows: list[ListRow], status: str, year: str, q: str, sort: str, desc: bool) -> list[ListRow]:
    """The list's rows that match the filters, in the order asked (input order by default)."""
    words = q.strip().lower()
    chosen = [
        r
        for r in rows
        if (not status or r.status == status)
        and (not year or str(r.year) == year)
        and (not words or words in f"{r.agency or ''} {r.source}".lower())
    ]
    if sort in _SORTS:
        chosen.sort(key=_SORTS[sort], reverse=desc)
    return chosen


def same_site(request: Request) -> None:
    """Refuse a post sent by another site's page (a form may be sent across sites unasked)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, f"a request from {origin} is refused: post from the workspace's own pages")


def add_workspace(app: FastAPI, folder: Path | None, options: Options | None = None) -> None:
    """The workspace's pages and API on ``app``, over the batch folder ``folder`` (made when
    missing); without one, ``/`` says how to open one."""
    if folder is None:

        @app.get("/", response_class=HTMLResponse, include_in_schema=False)
        def no_workspace() -> str:
            return render(
                "batch.html",
                rows=[],
                editable=False,
                total=0,
                counts={},
                status_labels=STATUS_LABELS,
                folder="（未打开：python -m extractor serve --store 目录）",
            )

        return
    space = Workspace(folder, options or Options())

    @app.get("/", response_class=HTMLResponse, summary="the batch list")
    def batch_list(
        request: Request,
        status: str = "",
        year: str = "",
        q: str = "",
        sort: str = "",
        desc: int = 0,
        page: int = Query(default=1, ge=1),
    ) -> str:
        everything = space.list_rows()
        rows = filtered(everything, status, year, q, sort, bool(desc))
        pages = max(1, -(-len(rows) // PER_PAGE))
        asked = dict(request.query_params)

        def query(**changes: Any) -> str:
            return "/?" + urlencode({k: v for k, v in {**asked, **changes}.items() if v not in ("", None)})

        context = list_context(everything)
        return render(
            "batch.html",
            **context,
            rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
            editable=True,
            folder=str(folder),
            filters={"status": status, "year": year, "q": q},
            years=sorted({r.year for r in everything if r.year}, reverse=True),
            sort=sort,
            desc=bool(desc),
            page=page,
            pages=pages,
            shown=len(rows),
            query=query,
            files=space.exported_files(),
            exports=[name for name in EXPORT_FILES],
        )

    @app.get("/reports/{report_id}", response_class=HTMLResponse, summary="one report, for review")
    def report_page(request: Request, report_id: int) -> str:
        referer = request.headers.get("referer", "")
        back = referer if re.match(r"^https?://[^/]+/(\?.*)?$", referer) else "/"
        return space.report_page(report_id, back)

    @app.get("/reports/{report_id}/pages/{number}.png", summary="a PDF page as an image")
    def page_png(report_id: int, number: int) -> Response:
        return Response(
            space.page_png(report_id, number),
            media_type="image/png",
            headers={"cache-control": "max-age=3600"},
        )

    @app.get("/api/reports", summary="the batch list as data")
    def reports(status: str = "", year: str = "", q: str = "", sort: str = "", desc: int = 0) -> list[dict]:
        return [asdict(r) for r in filtered(space.list_rows(), status, year, q, sort, bool(desc))]

    @app.get("/api/reports/{report_id}", summary="a report's document, as people left it")
    def report(report_id: int) -> dict:
        return space.report(report_id)[1].model_dump(mode="json")

    @app.get("/api/reports/{report_id}/corrections", summary="a report's audit trail")
    def corrections(report_id: int) -> list[dict]:
        digest = space.report(report_id)[2]
        with space.lock:
            return [e.model_dump() for e in space.store.corrections(digest).get(digest, [])]

    @app.post(
        "/api/reports/{report_id}/corrections",
        status_code=201,
        summary="a person's entry",
        dependencies=[Depends(same_site)],
    )
    def correct(report_id: int, asked: CorrectionRequest) -> dict:
        return space.record(report_id, asked)

    @app.post(
        "/api/upload",
        status_code=201,
        summary="open a report file: extract it into the batch",
        dependencies=[Depends(same_site)],
    )
    async def upload(
        file: Annotated[UploadFile, File(description="a report: .txt .md .pdf .docx .html")],
    ) -> dict:
        name = Path(file.filename or "report.txt").name
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise HTTPException(415, f"{name}: not a report file ({' '.join(SUPPORTED_SUFFIXES)})")
        data = await file.read()
        digest = hashlib.sha256(data).hexdigest()
        path = folder / "uploads" / digest[:16] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        report_id = await run_in_threadpool(add_to_batch, path, folder, space.options)
        return {"report_id": report_id, "url": f"/reports/{report_id}"}

    @app.post(
        "/api/export",
        summary="write the batch's exports again, with the corrections",
        dependencies=[Depends(same_site)],
    )
    def export() -> dict:
        if not space.exporting.acquire(blocking=False):
            raise HTTPException(409, "an export is being written: try again when it is done")
        try:
            result = export_batch(folder)
        except MissingExtraError as exc:
            raise HTTPException(409, str(exc)) from None
        finally:
            space.exporting.release()
        if result.export_errors:
            raise HTTPException(500, "; ".join(result.export_errors))
        files = [{"name": name, "href": href} for name, href in space.exported_files()]
        return {"files": files, "seconds": result.seconds, "statuses": dict(result.statuses)}

    @app.get("/exports/{name}", summary="an export file of the batch")
    def exported(name: str) -> FileResponse:
        if name not in EXPORT_FILES or not (folder / name).is_file():
            raise HTTPException(
                404, f"no export {name} (written: {', '.join(n for n, _ in space.exported_files())})"
            )
        return FileResponse(folder / name, filename=name)
