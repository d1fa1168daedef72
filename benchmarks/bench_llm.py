"""Benchmark of the model fallback with the local model, beside rule-only (not run in CI).

    python benchmarks/bench_llm.py [--model 1.5b] [--sets prose,real,samples,reworded]
                                   [--per-set N] [--cache-dir DIR]

Runs ``eval`` in one process, one local server for the whole run (started when a question
first needs it), on:

* ``prose``    — the generated suite's tables written as prose (``prose_tables``, 20 reports;
  built into a temporary folder when ``evals/suite`` is missing), rule-only and ``fallback``;
* ``real``     — the real development set (``evals/real``), rule-only and ``fallback``;
* ``samples``  — the five samples, rule-only and ``always`` (a clean report must stay ``ok``);
* ``reworded`` — 20 prose reports with their labels in other words and a remark among the
  rows (``evals/paraphrase.py``), rule-only and ``fallback``: the model's real work.

For each: accuracy (all fields, tables and title, prose facts), silent errors (wrong values in
reports whose status is ``ok``), reports ``ok``, and per report the model's questions, calls,
tokens and seconds, and the wall time; then the figures of the prose layout before this
fallback (issue #10: 663 s, 9.5 calls, 26,600 tokens per report). Answers are cached in a new
temporary folder unless ``--cache-dir`` is given, so the figures are those of a cold run.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.cli import build_parser, llm_options  # noqa: E402
from extractor.evaluation import ReportScore, evaluate, load_gold, summary  # noqa: E402
from extractor.pipeline import LLMMode, Options  # noqa: E402

EVALS = ROOT / "evals"
BEFORE = {"seconds": 663.0, "calls": 9.5, "tokens": 26_600}  # per prose report, issue #10
SETS: dict[str, LLMMode] = {
    "prose": "fallback",
    "real": "fallback",
    "samples": "always",
    "reworded": "fallback",
}


def folders(name: str, scratch: Path, count: int) -> tuple[Path, Path, set[str] | None]:
    """The reports, the gold files and the layouts of a set."""
    if name == "real":
        return EVALS / "real" / "reports", EVALS / "real" / "gold", None
    if name == "samples":
        return EVALS / "reports", EVALS / "gold", None
    if name == "reworded":
        from evals.paraphrase import main as paraphrase

        out = scratch / "reworded"
        sys.argv = ["paraphrase", str(out), "--count", str(count)]
        paraphrase()
        return out / "reports", out / "gold", None
    suite = EVALS / "suite"
    if not (suite / "gold").is_dir():
        from evals.generate import build_suite

        suite = scratch / "suite"
        build_suite(suite, 20 * 21, 2024)
    return suite / "reports", suite / "gold", {"prose_tables"}


def figures(scores: list[ReportScore], wall: float) -> dict[str, float]:
    overall = summary(scores)
    usage = overall["llm_usage_per_report"]
    return {
        "all": 100 * (overall["accuracy_all"] or 0),
        "tables": 100 * (overall["accuracy_tables_and_meta"] or 0),
        "prose": 100 * (overall["accuracy_prose"] or 0),
        "silent": overall["silent_errors"],
        "ok": sum(s.status == "ok" for s in scores),
        "questions": usage.get("questions", 0),
        "calls": usage.get("calls", 0),
        "tokens": usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0),
        "model_s": usage.get("seconds", 0),
        "wall_s": wall / max(len(scores), 1),
    }


def line(label: str, reports: int, f: dict[str, float]) -> str:
    return (
        f"{label:22} {reports:4d} {f['all']:6.1f} {f['tables']:6.1f} {f['prose']:6.1f} {f['silent']:6.0f} "
        f"{f['ok']:4.0f} {f['questions']:6.1f} {f['calls']:6.1f} {f['tokens']:8.0f} {f['model_s']:7.1f} "
        f"{f['wall_s']:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="1.5b", choices=["1.5b", "0.5b"])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--per-set", type=int, default=20, help="reports of the generated sets (default 20)")
    parser.add_argument("--cache-dir", help="answer cache (default: a new temporary folder, a cold run)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-llm-"))
    cli = ["eval", "--local-model", args.model, "--cache-dir", args.cache_dir or str(scratch / "cache")]
    head = (
        f"{'set / mode':22} {'rep':>4} {'all%':>6} {'tab%':>6} {'prose%':>6} {'silent':>6} {'ok':>4} "
        f"{'quest':>6} {'calls':>6} {'tokens':>8} {'model s':>7} {'wall s':>7}"
    )
    print(head + "\n" + "-" * len(head), flush=True)
    with llm_options(build_parser().parse_args(cli)) as options:
        for name in args.sets.split(","):
            reports, gold_dir, layouts = folders(name, scratch, args.per_set)
            golds = load_gold(gold_dir, layouts, args.per_set)
            for mode in ("never", SETS[name]):
                began = time.perf_counter()
                run = Options(options.llm if mode != "never" else None, mode, progress=options.progress)
                scores = evaluate(reports, golds, run)
                print(
                    line(f"{name} / {mode}", len(scores), figures(scores, time.perf_counter() - began)),
                    flush=True,
                )
    before = f"{BEFORE['calls']:6.1f} {BEFORE['tokens']:8.0f} {BEFORE['seconds']:7.1f}"
    print(f"{'prose / before #10':22} {2:4d} {52.9:6.1f} {'':6} {'':6} {0:6d} {0:4d} {'':6} {before}")
    print("per report: questions, calls, tokens and seconds of the model; wall s: the whole extraction")


if __name__ == "__main__":
    main()
