"""Benchmark of the rule path: reports per second and time per report, in one process.

    python benchmarks/bench_rule_path.py [--rounds N]

Prints figures; asserts nothing (shared machines are noisy). Two measures:
``in memory`` (text already read: segmenting, tables, prose, checks, document) and
``from disk`` (the whole ``extract(path)``, decoding included).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extractor import compiled, extract
from extractor.pipeline import extract_source
from extractor.reading import read_text

REPORTS = Path(__file__).resolve().parent.parent / "evals" / "reports"


def measure(label: str, run, items: list, rounds: int) -> None:
    for item in items:  # warm up: compiled patterns, generated models
        run(item)
    per_round = []
    for _ in range(rounds):
        began = time.perf_counter()
        for item in items:
            run(item)
        per_round.append((time.perf_counter() - began) / len(items))
    best, median = min(per_round), statistics.median(per_round)
    print(
        f"{label:10} {len(items) * rounds:6d} reports   median {1000 * median:6.3f} ms/report "
        f"(best {1000 * best:6.3f})   {1 / median:7.0f} reports/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    paths = sorted(REPORTS.glob("*.txt"))
    sources = [read_text(p.read_text(encoding="utf-8")) for p in paths]
    size = sum(len(s.text) for s in sources) / len(sources)
    print(f"{len(paths)} sample reports, {size:.0f} characters on average, {args.rounds} rounds")
    print(f"the {'compiled' if compiled() else 'pure Python'} build")
    measure("in memory", lambda src: extract_source(src, "bench"), sources, args.rounds)
    measure("from disk", extract, paths, args.rounds)


if __name__ == "__main__":
    main()
