"""Benchmark of the batch command: 10,000 reports of the samples' size, rule-only, with the
SQLite store and the CSV exports written; then an interrupted batch and its resumption.

    python benchmarks/bench_batch.py [--count N] [--jobs J] [--work DIR]

The reports are the five samples, each copied with a numbered closing line (so every copy has
its own content hash). Prints figures; asserts nothing (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "evals" / "reports").glob("*.txt"))


def make_reports(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    size = 0
    for i in range(count):
        text = texts[i % len(texts)] + f"\n（本批次文件编号 {i:05d}）\n"
        (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def run(folder: Path, out: Path, jobs: int | None, outputs: str) -> tuple[float, str]:
    command = [sys.executable, "-m", "extractor", "extract", str(folder), "--out", str(out), "--no-progress"]
    command += ["--outputs", outputs] + (["--jobs", str(jobs)] if jobs else [])
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - began, done.stderr


def stored(out: Path) -> int:
    with sqlite3.connect(out / "reports.sqlite") as db:
        return db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--outputs", default="csv,csv-long")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder, out = work / "reports", work / "out"
    shutil.rmtree(out, ignore_errors=True)
    size = make_reports(folder, args.count)
    print(f"{args.count} reports, {size / args.count / 1024:.1f} KiB each on average, in {folder}")

    seconds, summary = run(folder, out, args.jobs, args.outputs)
    print(
        f"\n== full batch (rule-only, outputs {args.outputs} + SQLite): {seconds:.1f} s wall, "
        f"{args.count / seconds:.0f} reports/s"
    )
    print(summary.strip())
    for name in ("reports.sqlite", "fields_wide.csv", "fields_long.csv"):
        if (out / name).exists():
            print(f"  {name}: {(out / name).stat().st_size / 1e6:.1f} MB")

    seconds, summary = run(folder, out, args.jobs, args.outputs)
    print(f"\n== re-run, nothing to do: {seconds:.1f} s wall")
    print(summary.splitlines()[1])

    shutil.rmtree(out)
    command = [
        sys.executable,
        "-m",
        "extractor",
        "extract",
        str(folder),
        "--out",
        str(out),
        "--no-progress",
        "--outputs",
        args.outputs,
    ]
    child = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(max(2.0, seconds))
    while not (out / "reports.sqlite").exists() or stored(out) == 0:
        time.sleep(0.1)
    os.killpg(child.pid, signal.SIGKILL)  # the batch and its worker processes, as a power cut would
    child.wait()
    before = stored(out)
    seconds, summary = run(folder, out, args.jobs, args.outputs)
    print(f"\n== interrupted after {before} stored; resumed in {seconds:.1f} s wall")
    print(summary.splitlines()[1])
    print(f"  stored now: {stored(out)} of {args.count}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
