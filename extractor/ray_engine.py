"""The batch on Ray Data (the ``ray`` extra): the same extraction, as tasks over the file list,
on a local Ray instance or an existing cluster.

The jobs become a dataset; ``map_batches`` extracts each batch of inputs in a task (the rule
path, or the model through a client made in the task from the same settings, as many tasks
at once as ``--llm-concurrency`` allows, so at most that many model calls are in flight);
the results stream back to the driver in input order, where the batch commits them to the
store as they come (so a killed batch resumes) and writes each streamed block of documents
as a Parquet shard, ``shards/part-<first report id>.parquet`` (report id, content hash,
settings, source, status, format, the whole document as JSON). The inputs' paths must be
readable from every node: a shared file system, or the same folder on each.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MissingExtraError
from .exports import pyarrow_modules
from .jobs import Engine, Job, work
from .pipeline import LLMMode, Options
from .store import StoreRows, document_of

BATCH_SIZE = 16  # inputs per task (the rule path)


def ray_modules() -> Any:
    try:
        import ray
        import ray.data
    except ModuleNotFoundError:
        raise MissingExtraError("--engine ray needs Ray: pip install -e '.[ray]'") from None
    return ray


@dataclass(frozen=True)
class _ModelSettings:
    """What a task needs to make its own model client: the client itself does not travel."""

    config: Any  # LLMConfig
    cache_dir: str | None
    mode: LLMMode


@contextmanager
def ray_engine(
    options: Options, address: str | None, cpus: int | None, llm_concurrency: int, shards: Path
) -> Iterator[Engine]:
    """An engine running on Ray: the cluster at ``address`` (``auto``: the one this machine
    belongs to), else a local instance of ``cpus`` CPUs (default: all) started for the batch
    and stopped after it."""
    ray = ray_modules()
    pyarrow_modules()  # the shards are Parquet
    started = False

    def connect() -> None:  # only when there is something to do
        nonlocal started
        if ray.is_initialized():
            return
        logging.getLogger("ray").setLevel(logging.ERROR)  # its start-up and execution notes
        local = {"num_cpus": cpus} if address is None and cpus else {}
        ray.init(
            address=address,
            include_dashboard=False,
            logging_level=logging.ERROR,
            log_to_driver=False,
            **local,
        )
        started = True

    model = None
    if options.llm is not None and options.mode != "never":
        model = _ModelSettings(options.llm.config, options.llm.cache.directory, options.mode)
    try:
        yield lambda todo: _run(ray, connect, todo, model, llm_concurrency, shards)
    finally:
        if started:
            ray.shutdown()


def _run(
    ray: Any,
    connect: Callable[[], None],
    todo: list[Job],
    model: _ModelSettings | None,
    llm_concurrency: int,
    shards: Path,
) -> Iterator[StoreRows]:
    if not todo:
        return
    connect()
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the driver stores and exports in input order
    context.enable_progress_bars = False  # the batch has its own
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    jobs = [{"job": pickle.dumps(job)} for job in todo]
    size = 1 if model else BATCH_SIZE  # with a model, the calls take the time: one input per task
    dataset = ray.data.from_items(jobs, override_num_blocks=-(-len(jobs) // size)).map_batches(
        _extract_batch,
        batch_size=size,
        batch_format="pyarrow",
        fn_kwargs={"model": model},
        concurrency=max(1, llm_concurrency) if model else None,
    )
    shards.mkdir(parents=True, exist_ok=True)
    for batch in dataset.iter_batches(batch_format="pyarrow", batch_size=None):
        items = [pickle.loads(rows) for rows in batch.column("rows").to_pylist()]
        _write_shard(items, shards)
        yield from items


def _extract_batch(batch: Any, model: _ModelSettings | None) -> Any:
    """In a Ray task: extract a batch of jobs, each into its store rows (pickled)."""
    import pyarrow

    options = _options(model)
    try:
        rows = [pickle.dumps(work(pickle.loads(job), options)) for job in batch.column("job").to_pylist()]
    finally:
        if options.llm is not None:
            options.llm.cache.close()
    return pyarrow.table({"rows": pyarrow.array(rows, type=pyarrow.binary())})


def _options(model: _ModelSettings | None) -> Options:
    if model is None:
        return Options()
    from .cache import AnswerCache
    from .llm_client import LLMClient

    return Options(LLMClient(model.config, AnswerCache(model.cache_dir)), model.mode)


def _write_shard(items: list[StoreRows], shards: Path) -> None:
    pa, pq = pyarrow_modules()
    documents = [document_of(rows) for rows in items]
    columns = {
        "report_id": [rows.report[0] for rows in items],
        "content_hash": [rows.content_hash for rows in items],
        "settings": [rows.report[2] for rows in items],
        "source": [doc.source for doc in documents],
        "status": [doc.status for doc in documents],
        "format": [doc.format for doc in documents],
        "document": [doc.model_dump_json() for doc in documents],
    }
    pq.write_table(pa.table(columns), shards / f"part-{items[0].report[0]:09d}.parquet")
