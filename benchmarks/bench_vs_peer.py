"""The rule path against the peer parser govnianbao, on the same five samples, in one process,
in interleaved rounds (the machine is shared and noisy: only the ratio means much).

    python benchmarks/bench_vs_peer.py [--peer DIR] [--rounds N]

``DIR`` is a checkout of https://github.com/zxj6827111-blip/govnianbao (its ``src/`` is put on
the path for this run only; nothing of it is copied here). Without ``--peer``, a git mirror of
it at ``/work/.mirror/zxj6827111-blip+govnianbao/repo`` is exported to a temporary directory.
Both read the text already in memory: ours runs segmenting, tables, prose, every check and the
validated document; the peer splits sections and fills its table templates. Times are CPU time
of this process (``time.process_time``: other work on a shared machine counts less). Prints
which build of ours ran (pure Python, or the compiled build of ``EXTRACTOR_COMPILE=1 pip install
.``), ms per report for each and their ratio (ours / peer; below 1.0 we are faster).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPORTS = Path(__file__).resolve().parent.parent / "evals" / "reports"
MIRROR = Path("/work/.mirror/zxj6827111-blip+govnianbao/repo")


def peer_source(given: str | None, scratch: Path) -> Path:
    """The peer's ``src`` directory: given, or exported from the local git mirror."""
    if given:
        return Path(given) / "src"
    if not MIRROR.exists():
        raise SystemExit(f"no peer checkout: pass --peer DIR (a clone of govnianbao); {MIRROR} is absent")
    archive = subprocess.run(
        ["git", "-C", str(MIRROR), "archive", "HEAD", "src"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
    return scratch / "src"


def interleaved(
    runs: dict[str, Callable[[str], object]], texts: list[str], rounds: int
) -> dict[str, list[float]]:
    """Seconds per report of each run, round by round, the runs taking turns."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            began = time.process_time()
            for text in texts:
                run(text)
            times[name].append((time.process_time() - began) / len(texts))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--peer", help="a checkout of govnianbao (default: export the local mirror)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as scratch:
        sys.path.insert(0, str(peer_source(args.peer, Path(scratch))))
        from govnianbao import parse_annual_report_text

        from extractor import compiled
        from extractor.pipeline import extract_source
        from extractor.reading import read_text

        runs: dict[str, Callable[[str], object]] = {
            "ours": lambda text: extract_source(read_text(text), "bench"),
            "govnianbao": lambda text: parse_annual_report_text(text),
        }
        for run in runs.values():  # warm up
            for text in texts:
                run(text)
        times = interleaved(runs, texts, args.rounds)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"{len(texts)} sample reports, {args.rounds} interleaved rounds, CPU time")
    print(f"ours: the {'compiled' if compiled() else 'pure Python'} build")
    for name, median in medians.items():
        print(f"{name:12} median {1000 * median:6.3f} ms/report (best {1000 * min(times[name]):6.3f})")
    print(f"ratio ours / govnianbao: {medians['ours'] / medians['govnianbao']:.2f}")


if __name__ == "__main__":
    main()
