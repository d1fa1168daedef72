"""Build the converted eval set: reports after the real converters people feed us.

    python -m evals.convert [OUT_DIR]      (needs ../shared/tools/convert.sh and Debian's chromium)

Runs every source through ``../shared/tools/convert.sh`` (LibreOffice, pdftotext in both modes,
markitdown, pymupdf4llm; with ``WITH_DOCLING=1``, as the committed set was built, docling's
model-free readers too), through pandoc's markdown, GitHub-markdown and plain-text writers when
pandoc is installed, every web page through html2text and trafilatura and every PDF through
pdfminer, pdfplumber and pypdf when they are installed;
for web pages, a browser print to PDF (headless Chromium, with its header and footer: date,
title, address, page n/N) first, followed by the same PDF converters. The
sources are the real development set (``evals/real``) and generated reports rendered as HTML,
Word and PDF files (``evals.generate``). Every text and markdown output, and the PDFs of the
real set, are written to ``OUT_DIR/reports`` (default ``evals/converted``) with the gold of
their source in ``OUT_DIR/gold`` (``layout`` = the conversion chain). The outputs are committed,
so the tests and ``eval --set converted`` need no converter installed. The converters are
measurement tools, never dependencies of the project.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .generate import empty_set_folders, generate, generate_from_seeds

ROOT = Path(__file__).resolve().parent.parent
CONVERT = ROOT.parent / "shared" / "tools" / "convert.sh"
REAL = ROOT / "evals" / "real"
KEPT_SUFFIXES = (".txt", ".md")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sources(work: Path) -> list[tuple[Path, dict]]:
    """Every source file with its gold: the real set, then generated HTML, Word and PDF files."""
    found = []
    for gold_path in sorted((REAL / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        found.append((REAL / "reports" / Path(gold["source"]).name, gold))
    generated = generate(12, seed=20261201, layouts=("html", "docx", "pdf")) + generate_from_seeds(
        seed=5, layouts=("html", "docx")
    )
    for name, suffix, content, gold in generated:
        path = work / f"{name}{suffix}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        found.append((path, gold))
    return found


def browser_print(html: Path, out: Path, header: bool = True) -> Path | None:
    """The page printed to PDF by headless Chromium, header and footer included (or not: a
    print without the date, the address and the page numbers)."""
    pdf = out / f"{html.stem}__chromium_pdf.pdf"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    plain = [] if header else ["--no-pdf-header-footer"]
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, *plain, f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True,
        timeout=120,
    )
    return pdf if done.returncode == 0 and pdf.exists() else None


# pandoc's writers, when pandoc is installed (Debian's ``pandoc``): its own markdown (space-aligned
# simple tables), GitHub's (pipe tables, a page's header kept as raw HTML) and plain text.
PANDOC_WRITERS = {"markdown": ".md", "gfm": ".md", "plain": ".txt"}


def pandoc(path: Path, out: Path) -> None:
    """A Word file or web page through each of pandoc's writers."""
    program = shutil.which("pandoc")
    if program is None or path.suffix not in (".html", ".htm", ".docx"):
        return
    for writer, suffix in PANDOC_WRITERS.items():
        target = out / f"{path.stem}__pandoc_{writer}{suffix}"
        command = [program, str(path), "-t", writer, "-o", str(target)]
        subprocess.run(command, capture_output=True, timeout=300)


def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def _pdfplumber(pdf: Path, layout: bool) -> str:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        return "\n".join(page.extract_text(layout=layout) or "" for page in document.pages)


def _pypdf(pdf: Path) -> str:
    import pypdf  # not installed with the project: pip install pypdf to measure it

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages)


Libraries = dict[str, Callable[[Path], str]]  # name → the text it makes of a file


# Python libraries people read PDFs with in their own pipelines: each PDF's text through them.
PDF_LIBRARIES: Libraries = {
    "pdfminer": _pdfminer,
    "pdfplumber": lambda pdf: _pdfplumber(pdf, layout=False),
    "pdfplumber_layout": lambda pdf: _pdfplumber(pdf, layout=True),
    "pypdf": _pypdf,
}


def through_libraries(source: Path, out: Path, libraries: Libraries, suffix: str) -> None:
    """A file through each of ``libraries`` that is installed: ``source__pdfminer.txt`` for a
    source, ``source__lo_pdf-pdfminer.txt`` for a file a converter made of it."""
    joint = "-" if "__" in source.stem else "__"
    for name, read in libraries.items():
        try:
            text = read(source)
        except ImportError:
            continue
        (out / f"{source.stem}{joint}{name}{suffix}").write_text(text, encoding="utf-8")


def _html2text(page: Path) -> str:
    import html2text  # not installed with the project: pip install html2text to measure it

    converter = html2text.HTML2Text()
    converter.body_width = 0  # no wrapping
    return str(converter.handle(_page_text(page)))


def _trafilatura(page: Path) -> str:
    import trafilatura  # not installed with the project: pip install trafilatura lxml_html_clean

    return trafilatura.extract(_page_text(page), output_format="markdown", include_tables=True) or ""


def _page_text(page: Path) -> str:
    data = page.read_bytes()
    declared = re.search(rb"charset=[\"']?([\w-]+)", data[:2048])
    return data.decode(declared.group(1).decode() if declared else "utf-8", errors="replace")


# Python libraries people turn web pages into markdown with (crawlers, RAG pipelines).
PAGE_LIBRARIES: Libraries = {"html2text": _html2text, "trafilatura": _trafilatura}


def convert(path: Path, out: Path) -> None:
    """All conversions of one source into ``out``."""
    inputs = [path]
    if path.suffix in (".html", ".htm"):
        printed = browser_print(path, out)
        if printed:
            inputs.append(printed)
    subprocess.run(["bash", str(CONVERT), str(out), *map(str, inputs)], capture_output=True, timeout=1800)
    pandoc(path, out)
    if path.suffix in (".html", ".htm"):
        through_libraries(path, out, PAGE_LIBRARIES, ".md")
    for pdf in [path] * (path.suffix == ".pdf") + sorted(out.glob("*.pdf")):
        through_libraries(pdf, out, PDF_LIBRARIES, ".txt")


def _chain(output: Path) -> str:
    """The conversion chain an output's name records: ``lo_docx-lo_pdf-pdftotext``."""
    return output.stem.split("__", 1)[1].replace("__", "-")


def build(out: Path) -> int:
    """Write the converted set; returns the number of converted reports."""
    reports, gold_dir = empty_set_folders(out)
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for source, gold in sources(work):
            converted = work / f"out_{source.stem}"
            converted.mkdir()
            convert(source, converted)
            for output in sorted(converted.iterdir()):
                keep = output.suffix in KEPT_SUFFIXES or (
                    output.suffix == ".pdf" and source.parent.parent == REAL
                )
                if not keep or not output.name.startswith(f"{source.stem}__"):
                    continue
                chain = _chain(output)
                name = f"{source.stem}__{chain}{output.suffix}"
                shutil.copy(output, reports / name)
                checked = f"the gold of {source.name}, converted by {chain}"
                write_derived_gold(gold_dir, name, gold, chain, checked)
                count += 1
    return count


def write_derived_gold(gold_dir: Path, name: str, gold: dict, layout: str, checked: str) -> None:
    """The gold of ``reports/name``, made from its source's: the same fields, its own layout, and
    no expected status (what survives a conversion depends on the converter)."""
    entry = {
        **gold,
        "source": f"reports/{name}",
        "layout": layout,
        "expected_status": None,
        "checked": checked,
    }
    (gold_dir / f"{Path(name).stem}.json").write_text(
        json.dumps(entry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "evals" / "converted")
    args = parser.parse_args()
    print(f"{build(args.out)} converted reports with the gold of their sources written under {args.out}")


if __name__ == "__main__":
    main()
