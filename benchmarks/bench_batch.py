"""Benchmark of the batch command, per engine: 10,000 reports of the samples' size, rule-only,
with the SQLite store, the CSV and the Parquet exports written; a re-run with nothing to do;
then an interrupted batch and its resumption.

    python benchmarks/bench_batch.py [--count N] [--jobs J] [--engines local,ray] [--work DIR]

The reports are the five samples, each copied with a numbered closing line (so every copy has
its own content hash). Prints figures (wall time, reports/s, the CPU time the batch and its
workers used, the files' sizes); asserts nothing (shared machines are noisy: the load average
before each run is printed beside it).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
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
FILES = ("reports.sqlite", "fields_wide.csv", "fields_long.csv", "fields_wide.parquet", "fields_long.parquet")


def make_reports(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    size = 0
    for i in range(count):
        text = texts[i % len(texts)] + f"\n（本批次文件编号 {i:05d}）\n"
        (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        size += len(text.encode("utf-8"))
    return size


def command(folder: Path, out: Path, engine: str, jobs: int | None, outputs: str) -> list[str]:
    line = [sys.executable, "-m", "extractor", "extract", str(folder), "--out", str(out), "--no-progress"]
    return line + ["--outputs", outputs, "--engine", engine] + (["--jobs", str(jobs)] if jobs else [])


def run(line: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the batch and every process it waited for), its summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(line, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stderr


def stored(out: Path) -> int:
    try:
        with sqlite3.connect(out / "reports.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def bench(engine: str, folder: Path, work: Path, count: int, jobs: int | None, outputs: str) -> None:
    out = work / f"out-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    line = command(folder, out, engine, jobs, outputs)
    print(f"\n=== engine {engine} ===")
    state = load()
    seconds, cpu, summary = run(line)
    print(
        f"full batch (rule-only, outputs {outputs} + SQLite): {seconds:.1f} s wall, "
        f"{count / seconds:.0f} reports/s, CPU {cpu:.1f} s ({state} before)"
    )
    print("  " + "\n  ".join(summary.strip().splitlines()[:3]))
    for name in FILES:
        if (out / name).exists():
            print(f"  {name}: {(out / name).stat().st_size / 1e6:.1f} MB")
    state = load()
    again, cpu, summary = run(line)
    print(f"re-run, nothing to do: {again:.1f} s wall, CPU {cpu:.1f} s ({state} before)")
    print("  " + summary.splitlines()[1])

    shutil.rmtree(out)
    child = subprocess.Popen(line, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(max(2.0, seconds / 2))
    while child.poll() is None and stored(out) == 0:
        time.sleep(0.1)
    os.killpg(child.pid, signal.SIGKILL)  # the batch and its workers, as a power cut would
    child.wait()
    before = stored(out)
    state = load()
    resumed, cpu, summary = run(line)
    print(
        f"interrupted after {before} stored; resumed in {resumed:.1f} s wall, "
        f"CPU {cpu:.1f} s ({state} before)"
    )
    print("  " + summary.splitlines()[1] + f"; stored now: {stored(out)} of {count}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--outputs", default="csv,csv-long,parquet,parquet-long")
    default_engines = "local,ray" if importlib.util.find_spec("ray") else "local"
    parser.add_argument(
        "--engines", default=default_engines, help=f"comma-separated (default {default_engines})"
    )
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder = work / "reports"
    if not (folder.is_dir() and len(list(folder.glob("*.txt"))) == args.count):
        shutil.rmtree(folder, ignore_errors=True)
        make_reports(folder, args.count)
    size = sum(p.stat().st_size for p in folder.glob("*.txt"))
    print(
        f"{args.count} reports, {size / args.count / 1024:.1f} KiB each on average, in {folder}; "
        f"{os.cpu_count()} cores"
    )
    for engine in args.engines.split(","):
        bench(engine, folder, work, args.count, args.jobs, args.outputs)
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
