"""Benchmark of PDF reading: the converter against raw PDFium text extraction, in one run.

    python benchmarks/bench_pdf.py [PDF_OR_DIR ...] [--rounds N]

Default inputs: the generated suite's PDFs (``python -m evals.generate``). For each file it
times, interleaved round by round: the converter (``extractor.converters.from_pdf``), raw
pypdfium2 extraction (``page.get_textpage().get_text_range()`` on every page) and, when
pdfplumber is installed, the converter as it was before PDFium (``pdfplumber_reference.py``,
not part of the package). Prints ms per page (medians) and the ratios; says whether the old
and the new converter give the same text and the same extracted fields, and where they differ,
how many fields of each match the file's gold (a suite file's ``gold/<name>.json``): the old one
loses the last column of a table without side rules. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from extractor.converters.from_pdf import pdf_text  # noqa: E402
from extractor.pipeline import extract_source  # noqa: E402
from extractor.reading import normalise  # noqa: E402

SUITE = ROOT / "evals" / "suite" / "reports"


def raw_text(data: bytes) -> list[str]:
    """PDFium's own text of every page: the floor any converter built on it stands on."""
    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def reference() -> Callable[[bytes], tuple[str, str]] | None:
    try:
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its FontBBox warnings, one per font use
        from pdfplumber_reference import pdf_text as old_pdf_text
    except ImportError:
        return None
    return old_pdf_text


def timed(run: Callable[[bytes], object], data: bytes) -> float:
    began = time.perf_counter()
    run(data)
    return time.perf_counter() - began


def fields(text: str) -> dict:
    return extract_source(normalise(text, "pdf text layer", "pdf"), "bench").fields


def gold_fields(path: Path) -> dict | None:
    """The gold fields of a generated file (``../gold/<stem>.json`` beside its folder), if any."""
    gold = path.parent.parent / "gold" / f"{path.stem}.json"
    return json.loads(gold.read_text(encoding="utf-8"))["fields"] if gold.exists() else None


def matching(found: dict, gold: dict) -> int:
    return sum(found.get(field_id) == value for field_id, value in gold.items())


def pdf_files(names: list[str]) -> list[Path]:
    paths = [Path(n) for n in names] or [SUITE]
    found = []
    for path in paths:
        found += sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", help="PDF files or folders (default: the generated suite's PDFs)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = pdf_files(args.paths)
    if not files:
        sys.exit("no PDF files: build the suite with  python -m evals.generate  or name some")
    old = reference()
    runs: dict[str, Callable[[bytes], object]] = {"converter": pdf_text, "raw pdfium": raw_text}
    if old:
        runs["pdfplumber"] = old
    else:
        print("(pdfplumber not installed: no figures for the converter before PDFium)")
    print(f"{'':50}" + f"{'ms per page (median of rounds)':^{12 * len(runs)}}")
    header = f"{'file':44} {'pages':>5}" + "".join(f" {name:>11}" for name in runs)
    print(header + ("   new/raw  new/old  text  fields" if old else "   new/raw"))
    totals = dict.fromkeys(runs, 0.0)
    pages_total = same_text = same_fields = 0
    for path in files:
        data = path.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        for run in runs.values():  # warm up
            run(data)
        seconds: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):  # interleaved, so a noisy moment hits every reader alike
            for name, run in runs.items():
                seconds[name].append(timed(run, data))
        median = {name: statistics.median(values) / pages for name, values in seconds.items()}
        for name in runs:
            totals[name] += median[name] * pages
        pages_total += pages
        line = f"{path.name[:44]:44} {pages:5d}" + "".join(f" {1000 * median[n]:11.2f}" for n in runs)
        line += f"   {median['converter'] / median['raw pdfium']:6.1f}×"
        if old:
            new_text, old_text = pdf_text(data)[0], old(data)[0]
            new_fields, old_fields = fields(new_text), fields(old_text)
            text_same, fields_same = new_text == old_text, new_fields == old_fields
            same_text += text_same
            same_fields += fields_same
            line += (
                f" {median['converter'] / median['pdfplumber']:8.3f}  {'same' if text_same else 'DIFF':>4}"
            )
            line += f"  {'same' if fields_same else 'DIFF':>6}"
            gold = None if fields_same else gold_fields(path)
            if gold:
                right = matching(new_fields, gold), matching(old_fields, gold)
                line += f"  right: new {right[0]}, old {right[1]} of {len(gold)}"
        print(line)
    print(
        f"\n{len(files)} files, {pages_total} pages; ms per page: "
        + ", ".join(f"{name} {1000 * total / pages_total:.2f}" for name, total in totals.items())
    )
    print(f"converter / raw pdfium: {totals['converter'] / totals['raw pdfium']:.2f}")
    if old:
        print(f"converter / pdfplumber converter: {totals['converter'] / totals['pdfplumber']:.3f}")
        print(f"same text: {same_text} of {len(files)}; same fields: {same_fields} of {len(files)}")


if __name__ == "__main__":
    main()
