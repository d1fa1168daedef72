"""Seconds per page of the OCR path (the ocr extra), beside the text layer of the same PDFs.

    python3 benchmarks/bench_ocr.py [--generated N] [--real NAME ...] [--configs 200dpi_clean,...]

Scans are made as ``evals.scans`` makes them (generated reports and real prints, rendered and
degraded), then read: pages, seconds per page (wall), and the split into rendering, page
preparation (red mask, deskew, grid), the page's OCR and the rest (cells read alone, second
reads, writing); then the same sources through their text layer, for the ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals.generate import generate
from evals.scans import PRINTED, STEPS, render, scanned
from extractor import extract
from extractor.converters import from_scan


def timed(module: object, name: str, spent: dict[str, float]) -> None:
    """Wrap ``module.name`` so the seconds spent in it add up in ``spent[name]``."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - began

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generated", type=int, default=2)
    parser.add_argument("--real", nargs="*", default=["shanghai_office_2019__chromium_pdf"])
    parser.add_argument("--configs", default="200dpi_clean,200dpi_scan,150dpi_seal")
    args = parser.parse_args()
    sources = [(name, content) for name, _suffix, content, _gold in generate(args.generated, 5, ("pdf",))]
    sources += [(name, (PRINTED / "reports" / f"{name}.pdf").read_bytes()) for name in args.real]
    from_scan._engine()  # the models load once per process: not counted per page
    spent: dict[str, float] = defaultdict(float)
    for name in ("_pdf_pages", "prepare", "_page_chars"):
        timed(from_scan, name, spent)
    heads = ("pages", "s/page", "render", "prepare", "page OCR", "rest")
    print(f"{'configuration':16} " + " ".join(f"{head:>8}" for head in heads))
    for config in args.configs.split(","):
        dpi_text, degradation = config.split("dpi_")
        dpi = int(dpi_text)
        spent.clear()
        pages = 0
        wall = 0.0
        for name, content in sources:
            rng = random.Random(f"bench:{name}:{config}")
            images = [STEPS[degradation](page, rng, dpi) for page in render(content, dpi)]
            data = scanned(images, dpi)
            began = time.perf_counter()
            doc = extract(data, name=f"{name}.pdf")
            wall += time.perf_counter() - began
            pages += doc.ocr.pages if doc.ocr else 0
        rest = wall - sum(spent.values())
        print(
            f"{config:16} {pages:8d} {wall / pages:8.2f} {spent['_pdf_pages'] / pages:8.2f} "
            f"{spent['prepare'] / pages:8.2f} {spent['_page_chars'] / pages:8.2f} {rest / pages:8.2f}"
        )
    began = time.perf_counter()
    text_pages = 0
    for name, content in sources:
        extract(content, name=f"{name}.pdf")
        text_pages += len(render(content, 10))
    text_wall = time.perf_counter() - began
    note = "(the same PDFs read through their text layer)"
    print(f"{'text layer':16} {text_pages:8d} {text_wall / text_pages:8.3f}   {note}")


if __name__ == "__main__":
    main()
