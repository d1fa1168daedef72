"""Batch extraction: folders of reports → a SQLite store and exports, resumably, in parallel.

Every input is hashed first; an input whose content was already extracted under the same
settings (rule-only, or the same model and mode) is skipped. The rule path runs in worker
processes; with a model, a bounded number of threads share it. Finished documents are
committed as they come, so an interrupted batch resumes where it stopped. One failing file
never stops the batch: it gets a ``failed`` document.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .exports import WRITERS
from .models import Document
from .pipeline import Options, extract_guarded
from .store import Store, StoreRows, rows_of
from .validators import cross_year

DEFAULT_OUTPUTS = ("jsonl", "csv", "csv-long")  # the SQLite store is always written
_FLUSH_EVERY = 100  # documents per transaction
_FLUSH_SECONDS = 1.0


@dataclass
class BatchResult:
    """What a batch did, for its closing summary."""

    inputs: int = 0
    skipped_done: int = 0
    duplicates: int = 0
    extracted: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    llm: Counter[str] = field(default_factory=Counter)
    cross_year_failed: int = 0
    cross_year_checked: int = 0
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)

    def render(self) -> str:
        statuses = ", ".join(f"{self.statuses[s]} {s}" for s in ("ok", "needs_review", "failed"))
        lines = [
            f"{self.inputs} inputs: {statuses}",
            f"extracted now {self.extracted}, already done {self.skipped_done}, "
            f"duplicate content {self.duplicates}",
        ]
        if self.llm:
            lines.append(
                f"model: {self.llm['calls']} calls, {self.llm['cache_hits']} cache hits, "
                f"{self.llm['prompt_tokens'] + self.llm['completion_tokens']} tokens, "
                f"{self.llm['seconds']:.0f} s"
            )
        if self.cross_year_checked:
            lines.append(
                f"cross-year: {self.cross_year_checked} carried-over cells checked against the year before, "
                f"{self.cross_year_failed} differ"
            )
        if self.ocr_pages:
            lines.append(
                f"OCR: {self.ocr_pages} scanned pages, {self.ocr_seconds / self.ocr_pages:.2f} s per page"
            )
        lines.append(
            f"time {self.seconds:.1f} s ({1000 * self.seconds / max(self.inputs, 1):.2f} ms per input)"
        )
        lines += [f"wrote {path}" for path in self.written]
        return "\n".join(lines)


def settings_key(options: Options) -> str:
    """What the stored documents depend on besides the input: the rules, or the model and mode."""
    if options.llm is None or options.mode == "never":
        return "rules"
    return f"llm:{options.mode}:{options.llm.config.endpoint_id or options.llm.config.model}"


def content_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def run_batch(
    paths: list[Path],
    out: Path,
    options: Options,
    *,
    jobs: int | None = None,
    llm_concurrency: int = 1,
    outputs: Iterable[str] = DEFAULT_OUTPUTS,
    progress: bool = True,
) -> BatchResult:
    """Extract ``paths`` into ``out``: the store ``out/reports.sqlite`` and the chosen exports."""
    began = time.perf_counter()
    result = BatchResult(inputs=len(paths))
    store = Store(out / "reports.sqlite")
    settings = settings_key(options)
    try:
        hashes = [content_hash(p) or f"unreadable:{p}" for p in paths]
        first_id = store.next_id()
        todo = [
            _Job(path, h, first_id + i, settings)
            for i, (path, h) in enumerate(_to_do(paths, hashes, store.done(settings), result))
        ]
        fresh: dict[str, Document] = {}
        with _executor(options, jobs, llm_concurrency, len(todo)) as pool:
            done = _run(pool, options, todo)
            bar = tqdm(done, total=len(todo), unit="report", file=sys.stderr, disable=not progress)
            _store_as_they_come(store, bar, fresh)
        store.finish()
        result.extracted = len(todo)
        documents = _in_order(list(dict.fromkeys(hashes)), fresh, store, settings)
        _tally(documents, result)
        rows = cross_year(documents)
        store.set_cross_year(rows)
        result.cross_year_checked = len(rows)
        result.cross_year_failed = sum(1 for row in rows if not row[-1])
        result.written = _export(documents, out, set(outputs))
    finally:
        store.close()
    result.written.append(store.path)
    result.seconds = time.perf_counter() - began
    return result


@dataclass(frozen=True)
class _Job:
    path: Path
    content_hash: str
    report_id: int
    settings: str


def _to_do(
    paths: list[Path], hashes: list[str], done: set[str], result: BatchResult
) -> list[tuple[Path, str]]:
    todo, seen = [], set()
    for path, h in zip(paths, hashes, strict=True):
        if h in seen:
            result.duplicates += 1
        elif h in done and not h.startswith("unreadable:"):
            result.skipped_done += 1
        else:
            todo.append((path, h))
        seen.add(h)
    return todo


def _executor(options: Options, jobs: int | None, llm_concurrency: int, count: int) -> Executor:
    if options.llm is not None and options.mode != "never":
        return ThreadPoolExecutor(max_workers=max(1, llm_concurrency))  # the model client is shared
    workers = max(1, min(jobs or os.cpu_count() or 1, count or 1))
    return ProcessPoolExecutor(max_workers=workers) if workers > 1 else ThreadPoolExecutor(max_workers=1)


def _run(pool: Executor, options: Options, todo: list[_Job]) -> Iterator[tuple[str, Document, StoreRows]]:
    if isinstance(pool, ProcessPoolExecutor):  # rule-only: the options are the defaults
        return pool.map(_work, todo, chunksize=max(1, min(32, len(todo) // 64)))
    return pool.map(lambda job: _work(job, options), todo)


def _work(job: _Job, options: Options | None = None) -> tuple[str, Document, StoreRows]:
    """Extract one input and build its store rows (in the worker, where the document is)."""
    doc = extract_guarded(job.path, options)[0]
    return job.content_hash, doc, rows_of(job.report_id, job.content_hash, job.settings, doc)


def _store_as_they_come(
    store: Store, done: Iterable[tuple[str, Document, StoreRows]], fresh: dict[str, Document]
) -> None:
    pending: list[StoreRows] = []
    last = time.monotonic()
    try:
        for content_hash, doc, rows in done:
            fresh[content_hash] = doc
            pending.append(rows)
            if len(pending) >= _FLUSH_EVERY or time.monotonic() - last > _FLUSH_SECONDS:
                store.add(pending)
                pending.clear()
                last = time.monotonic()
    finally:  # an interrupted batch keeps everything finished so far
        store.add(pending)


def _in_order(hashes: list[str], fresh: dict[str, Document], store: Store, settings: str) -> list[Document]:
    """Every input's document in input order: this run's from memory, earlier ones from the store."""
    earlier = dict(store.documents(settings, [h for h in hashes if h not in fresh]))
    return [fresh[h] if h in fresh else earlier[h] for h in hashes if h in fresh or h in earlier]


def _tally(documents: list[Document], result: BatchResult) -> None:
    for doc in documents:
        result.statuses[doc.status] += 1
        if doc.llm is not None:
            result.llm.update(doc.llm.usage)
        if doc.ocr is not None:
            result.ocr_pages += doc.ocr.pages
            result.ocr_seconds += doc.ocr.seconds


def _export(documents: list[Document], out: Path, outputs: set[str]) -> list[Path]:
    written = []
    for name, (filename, write) in WRITERS.items():
        if name in outputs:
            write(documents, out / filename)
            written.append(out / filename)
    if "review" in outputs:
        from .review import write_review_pages

        written.append(write_review_pages(documents, out / "review"))
    return written
