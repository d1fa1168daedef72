"""Command line: ``extract FILE|DIR...`` prints output documents; ``eval`` scores against gold."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from . import __version__
from .evaluation import evaluate, render, results_json, summary
from .merge import failed_document
from .models import Document
from .pipeline import SUPPORTED_SUFFIXES, extract

_EVALS = Path("evals")


def _inputs(paths: list[str]) -> Iterator[Path]:
    """Files as named, and the supported files under each directory, sorted."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            yield from sorted(found)
        else:
            yield path


def _extract_one(path: Path) -> tuple[Document, bool]:
    """The document of one input, and whether the extractor itself failed on it."""
    try:
        return extract(path), False
    except Exception as exc:  # one bad file never stops the batch
        return failed_document(str(path), f"internal error: {type(exc).__name__}: {exc}"), True


def cmd_extract(args: argparse.Namespace) -> int:
    internal_errors = 0
    count = 0
    for path in _inputs(args.paths):
        count += 1
        doc, crashed = _extract_one(path)
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
    scores = evaluate(Path(args.reports), Path(args.gold))
    if not scores:
        print(f"error: no gold files in {args.gold}", file=sys.stderr)
        return 2
    overall = summary(scores)
    print(render(scores, overall))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results_json(scores, overall), ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"results written to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)

    ex = commands.add_parser("extract", help="extract reports; one JSON document per input (JSON Lines)")
    ex.add_argument("paths", nargs="+", help="report files or directories")
    ex.add_argument("--pretty", action="store_true", help="indented JSON for people")
    ex.set_defaults(run=cmd_extract)

    ev = commands.add_parser("eval", help="score the extractor against the gold files")
    ev.add_argument("--reports", default=str(_EVALS / "reports"), help="directory of the reports")
    ev.add_argument("--gold", default=str(_EVALS / "gold"), help="directory of the gold files")
    ev.add_argument("--output", default=str(_EVALS / "results.json"), help="where to write the results")
    ev.set_defaults(run=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
