"""Batch extraction: folders of reports → a SQLite store and exports, resumably, in parallel.

Every input is hashed first; an input whose content was already extracted under the same
settings (rule-only, or the same model and mode) is skipped. The rule path runs in worker
processes (or as tasks on Ray, ``engine="ray"``); with a model, a bounded number of threads
share it. A worker sends back the document as the store's rows; they are committed as they
come, so an interrupted batch resumes where it stopped. The exports are written from those
rows in one pass over the inputs, in input order, the documents of earlier runs read back
from the store; nothing is held for the whole batch. One failing file never stops the
batch: it gets a ``failed`` document.
"""

from __future__ import annotations

import gc
import hashlib
import os
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .corrections import now, reviewed
from .errors import MissingExtraError
from .exports import NEEDS_PYARROW, WRITERS, pyarrow_modules
from .jobs import Engine, Job, work
from .models import Document, Value
from .pipeline import Options
from .store import Store, StoreRows, document_of
from .validators import cross_year

DEFAULT_OUTPUTS = ("jsonl", "csv", "csv-long", "corrections")  # the SQLite store is always written
STORE_NAME = "reports.sqlite"
OUTPUTS = (*WRITERS, "review")
ENGINES = ("local", "ray")
_FLUSH_EVERY = 200  # documents per transaction
_FLUSH_SECONDS = 1.0
_CROSS_YEAR = ("meta.agency", "meta.year")  # with every t3.carried_over.* and t3.carried_forward.*


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
    export_errors: list[str] = field(default_factory=list)

    def render(self) -> str:
        shown = ("ok", "needs_review", "failed", *(("reviewed",) if self.statuses["reviewed"] else ()))
        statuses = ", ".join(f"{self.statuses[s]} {s}" for s in shown)
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
        lines += [f"export failed: {error}" for error in self.export_errors]
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
    engine: str = "local",
    ray_address: str | None = None,
) -> BatchResult:
    """Extract ``paths`` into ``out``: the store ``out/reports.sqlite`` and the chosen exports.
    ``engine="ray"`` runs the extraction as Ray tasks (a local instance, or the cluster at
    ``ray_address``) and also writes the documents as Parquet shards under ``out/shards``."""
    chosen = set(outputs)
    if engine == "ray":  # a missing extra is said before any work, not after it
        from .ray_engine import ray_modules

        ray_modules()
    arrow = pyarrow_modules()[0] if chosen & NEEDS_PYARROW or engine == "ray" else None
    with _collector_at_ease(), _one_arrow_thread(arrow):
        return _run_batch(paths, out, options, jobs, llm_concurrency, chosen, progress, engine, ray_address)


def _run_batch(
    paths: list[Path],
    out: Path,
    options: Options,
    jobs: int | None,
    llm_concurrency: int,
    chosen: set[str],
    progress: bool,
    engine: str,
    ray_address: str | None,
) -> BatchResult:
    began = time.perf_counter()
    result = BatchResult(inputs=len(paths))
    store = Store(out / STORE_NAME)
    settings = settings_key(options)
    try:
        hashes = [content_hash(p) or f"unreadable:{p}" for p in paths]
        order = list(dict.fromkeys(hashes))
        result.duplicates = len(hashes) - len(order)
        first_path = dict(zip(reversed(hashes), reversed(paths), strict=True))
        store.set_run(settings, _in_order(chosen), [(h, first_path[h]) for h in order], now())
        todo = _to_do(first_path, order, store, settings, result)
        with _engine(engine, options, jobs, llm_concurrency, ray_address, out) as run:
            documents = _documents_in_order(order, todo, run(todo), store, settings, progress)
            with closing(documents):
                _write(documents, out, chosen, store, result)
        result.extracted = len(todo)
    finally:
        store.close()
    result.written.append(store.path)
    result.seconds = time.perf_counter() - began
    return result


def _to_do(
    first_path: dict[str, Path], order: list[str], store: Store, settings: str, result: BatchResult
) -> list[Job]:
    """A job for each content not yet stored (an unreadable input is tried again)."""
    done = store.done(settings)
    again = [h for h in order if h in done and h.startswith("unreadable:")]
    store.forget(settings, again)
    todo: list[Job] = []
    first_id = store.next_id()
    for h in order:
        if h in done and h not in again:
            result.skipped_done += 1
        else:
            todo.append(Job(first_path[h], h, first_id + len(todo), settings))
    return todo


def _documents_in_order(
    order: list[str], todo: list[Job], fresh: Iterator[StoreRows], store: Store, settings: str, progress: bool
) -> Generator[Document, None, None]:
    """Every content's document in input order: this run's as its rows come in (committed
    as they come, so an interrupted batch keeps them), earlier runs' from the store."""
    new = {job.content_hash for job in todo}
    earlier = store.rows_in_order(settings, [h for h in order if h not in new])
    corrections = store.corrections()
    pending: list[StoreRows] = []
    last = time.monotonic()
    bar = tqdm(total=len(todo), unit="report", file=sys.stderr, disable=not progress)
    try:
        for content in order:
            if content in new:
                rows: StoreRows | None = next(fresh)
                pending.append(rows)  # type: ignore[arg-type]
                bar.update()
                if len(pending) >= _FLUSH_EVERY or time.monotonic() - last > _FLUSH_SECONDS:
                    store.add(pending)
                    pending, last = [], time.monotonic()
            else:
                rows = next(earlier)
            if rows is not None:
                yield reviewed(document_of(rows), corrections.get(rows.content_hash, ()))
    finally:  # an interrupted batch keeps everything finished so far
        store.add(pending)
        bar.close()


def _in_order(outputs: Iterable[str]) -> list[str]:
    return [name for name in OUTPUTS if name in set(outputs)]


def export_batch(out: Path, outputs: Iterable[str] | None = None) -> BatchResult:
    """The exports of the batch in ``out`` written again from its store, with people's
    corrections as they stand: the last run's inputs in input order (and the reports opened
    in the workspace since), its exports unless ``outputs`` are named. Nothing is extracted."""
    began = time.perf_counter()
    store = Store(out / STORE_NAME)
    try:
        run = store.run()
        chosen = set(outputs or (run[1] if run else DEFAULT_OUTPUTS))
        corrections = store.corrections()
        documents = (reviewed(doc, corrections.get(h, ())) for h, doc in store.documents_of_inputs())
        result = BatchResult(inputs=len(store.inputs()))
        arrow = pyarrow_modules()[0] if chosen & NEEDS_PYARROW else None
        with _one_arrow_thread(arrow):
            _write(documents, out, chosen, store, result)
    finally:
        store.close()
    result.seconds = time.perf_counter() - began
    return result


def add_to_batch(path: Path, out: Path, options: Options) -> int:
    """One more report in the batch of ``out`` (a file opened in the workspace): extracted
    unless its content is stored under these settings, and added to the last run's inputs so
    that the exports hold it. Returns its report id."""
    settings = settings_key(options)
    digest = content_hash(path) or f"unreadable:{path}"
    store = Store(out / STORE_NAME)
    try:
        found = store.rows(settings, digest)
        if found is None:
            found = work(Job(path, digest, store.next_id(), settings), options)
            store.add([found])
        run = store.run()
        store.add_input(digest, settings, path, run[1] if run else list(DEFAULT_OUTPUTS), now())
        return int(found.report[0])
    finally:
        store.close()


def _write(
    documents: Iterator[Document], out: Path, outputs: set[str], store: Store, result: BatchResult
) -> None:
    """The exports, the tally and the cross-year check, from one pass over the documents."""
    kept: list[Document] = []  # for the review pages
    years: list[dict[str, Value]] = []  # what the cross-year check needs of each document
    with _Exports(out, outputs) as exports:
        for doc in documents:
            result.statuses[doc.status] += 1
            if doc.llm is not None:
                result.llm.update(doc.llm.usage)
            if doc.ocr is not None:
                result.ocr_pages += doc.ocr.pages
                result.ocr_seconds += doc.ocr.seconds
            exports.add(doc)
            years.append(
                {k: v for k, v in doc.fields.items() if k in _CROSS_YEAR or k.startswith("t3.carried_")}
            )
            if "review" in outputs:
                kept.append(doc)
    store.finish()
    rows = cross_year(years)
    store.set_cross_year(rows)
    result.cross_year_checked = len(rows)
    result.cross_year_failed = sum(1 for row in rows if not row[-1])
    result.written += exports.written
    result.export_errors += exports.errors
    if "review" in outputs:
        from .review import write_review_pages

        result.written.append(write_review_pages(kept, out / "review"))


_END = object()


class _Exports:
    """The chosen exports written at once, in one pass over the documents: each writer (a
    function of an iterable of documents) takes them from its own queue, in a thread of its
    own, into a ``.partial`` file that becomes the export when every document is in."""

    def __init__(self, out: Path, outputs: set[str]) -> None:
        self.targets = [
            (out / filename, write) for name, (filename, write) in WRITERS.items() if name in outputs
        ]
        self.queues: list[queue.Queue] = [queue.Queue(maxsize=64) for _ in self.targets]
        self.failures: list[BaseException | None] = [None] * len(self.targets)
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True, name=f"export {path.name}")
            for i, (path, _) in enumerate(self.targets)
        ]
        self.written: list[Path] = []
        self.errors: list[str] = []

    def __enter__(self) -> _Exports:
        for thread in self.threads:
            thread.start()
        return self

    def add(self, doc: Document) -> None:
        for q in self.queues:
            q.put(doc)

    def _run(self, i: int) -> None:
        path, write = self.targets[i]
        items = iter(self.queues[i].get, _END)
        try:
            write(items, _partial(path))
        except Exception as exc:  # one export failing leaves the store and the others whole
            self.failures[i] = exc
        for _ in items:  # what is left after a failure, so that add() never blocks
            pass

    def __exit__(self, kind: object, *rest: object) -> None:
        for q in self.queues:
            q.put(_END)
        for thread in self.threads:
            thread.join()
        for (path, _write), failure in zip(self.targets, self.failures, strict=True):
            if kind is None and failure is None:
                os.replace(_partial(path), path)
                self.written.append(path)
            else:
                _partial(path).unlink(missing_ok=True)
                if failure is not None:
                    self.errors.append(f"{path.name}: {type(failure).__name__}: {failure}")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


# --- engines -----------------------------------------------------------------------------


@contextmanager
def _engine(
    name: str, options: Options, jobs: int | None, llm_concurrency: int, ray_address: str | None, out: Path
) -> Iterator[Engine]:
    if name == "ray":
        from .ray_engine import ray_engine

        with ray_engine(options, ray_address, jobs, llm_concurrency, out / "shards") as run:
            yield run
        return
    if name != "local":
        raise ValueError(f"unknown engine {name!r}: one of {', '.join(ENGINES)}")
    if options.llm is not None and options.mode != "never":
        with ThreadPoolExecutor(max_workers=max(1, llm_concurrency)) as threads:  # the client is shared
            yield lambda todo: threads.map(lambda job: work(job, options), todo)
        return
    workers = max(1, jobs or os.cpu_count() or 1)
    if workers == 1:
        yield lambda todo: (work(job) for job in todo)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_setup) as processes:
        yield lambda todo: _mapped(processes, todo)


def _mapped(pool: Executor, todo: list[Job]) -> Iterator[StoreRows]:
    return pool.map(work, todo, chunksize=max(1, min(32, len(todo) // 64)))


@contextmanager
def _collector_at_ease() -> Iterator[None]:
    """The garbage collector set to look less often, and never at what was there before the
    batch (modules, the catalog), while the batch runs: a batch makes and drops millions of
    small objects, and their cycles are few."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def _one_arrow_thread(pyarrow: object | None) -> Iterator[None]:
    """pyarrow writing with one thread while the batch runs: the cores are the workers'."""
    if pyarrow is None:
        yield
        return
    before = pyarrow.cpu_count()  # type: ignore[attr-defined]
    pyarrow.set_cpu_count(1)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        pyarrow.set_cpu_count(before)  # type: ignore[attr-defined]


def worker_setup() -> None:
    """A worker holds only the extractor's own long-lived objects: set them aside from the
    garbage collector, which then has little to look through between documents."""
    gc.freeze()


__all__ = [
    "DEFAULT_OUTPUTS",
    "ENGINES",
    "OUTPUTS",
    "STORE_NAME",
    "BatchResult",
    "Job",
    "MissingExtraError",
    "add_to_batch",
    "export_batch",
    "run_batch",
]
