"""Build the scans eval set: reports printed to PDF, scanned as images and degraded.

    python -m evals.scans [OUT_DIR] [--configs 200dpi_clean,150dpi_seal,...] [--generated N]

Sources: the real development set printed to PDF (``evals/converted/reports/*.pdf``: browser and
LibreOffice prints, with their gold in ``evals/converted/gold``); its markdown and text copies as
the pages they stand for (pandoc's web page of each, ruled tables and all, printed by Chromium:
a scanner sees a printed page, not a copy's pipes); and generated reports rendered as PDF
(``evals.generate``). Each source's pages are rendered at a resolution (pypdfium2), degraded,
and written as an image-only PDF — no text layer, as a scanner writes it (JPEG pages) — to
``OUT_DIR/reports`` (default ``evals/scans``) with the source's gold in ``OUT_DIR/gold``: gold by
construction. Its ``layout`` names the resolution and the degradation (``200dpi_seal``), so
``eval --set scans`` reports each. The clean 200 dpi scans are also written as multi-page TIFF
images (``200dpi_clean_tiff``). The set is rebuilt, the same bytes every time, and not committed.

Degradations: ``clean``; ``skew`` (turned 0.8-2 degrees); ``blur``; ``noise`` (grain and specks);
``jpeg`` (quality 30); ``seal`` (a red seal stamped over each page's middle, over the tables);
``scan`` (all of them at once). The OCR eval is slow (seconds per page): ``--generated`` and the
configurations chosen keep it to what a measurement needs.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .convert import REAL, browser_print, write_derived_gold
from .generate import empty_set_folders, generate

ROOT = Path(__file__).resolve().parent
PRINTED = ROOT / "converted"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian's fonts-wqy-zenhei, for the seal
DEGRADATIONS = ("clean", "skew", "blur", "noise", "jpeg", "seal", "scan")
DEFAULT_CONFIGS = (*(f"200dpi_{d}" for d in DEGRADATIONS), "150dpi_clean", "150dpi_seal")
SEAL_RED = (215, 35, 40)

Degrade = Callable[[Image.Image, random.Random, int], Image.Image]


def sources(generated: int, seed: int) -> list[tuple[str, bytes, dict]]:
    """(name, PDF bytes, gold) of every source: the real set's prints, its markdown and text
    copies as pages printed, then generated reports."""
    found = []
    for pdf in sorted((PRINTED / "reports").glob("*.pdf")):
        gold = json.loads((PRINTED / "gold" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
        found.append((pdf.stem, pdf.read_bytes(), gold))
    found += page_prints()
    for name, _suffix, content, gold in generate(generated, seed, layouts=("pdf",)):
        assert isinstance(content, bytes)
        found.append((name, content, gold))
    return found


# A printed page's tables are ruled, as the reports' own PDFs are (a markdown copy's pipes are not
# what a scanner sees).
_PAGE_STYLE = (
    "<style>body{font-family:'WenQuanYi Zen Hei';font-size:11pt}table{border-collapse:collapse}"
    "td,th{border:1px solid #000;padding:2px 5px}</style>"
)


def page_prints() -> list[tuple[str, bytes, dict]]:
    """The real set's markdown and text copies as the pages they stand for: each rendered to a
    web page by pandoc (its pipe tables as ruled tables, its lines kept) and printed by
    Chromium, without a header (its date would change the pixels). None when pandoc or
    Chromium is missing."""
    pandoc = shutil.which("pandoc")
    if pandoc is None or not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        return []
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "style.html").write_text(_PAGE_STYLE, encoding="utf-8")
        for gold_path in sorted((REAL / "gold").glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            source = REAL / "reports" / Path(gold["source"]).name
            if source.suffix not in (".md", ".txt"):
                continue
            page = work / f"{source.stem}__pandoc_html.html"
            command = [
                pandoc,
                str(source),
                "-f",
                "gfm+hard_line_breaks",
                "-s",
                "-H",
                str(work / "style.html"),
            ]
            command += ["--metadata", f"title={source.stem}", "-o", str(page)]
            subprocess.run(command, capture_output=True, timeout=120)
            printed = browser_print(page, work, header=False) if page.exists() else None  # (the same
            # pixels every time: no date in a header)
            if printed is not None:
                name = f"{source.stem}__pandoc_html-chromium_pdf"
                found.append((name, printed.read_bytes(), {**gold, "layout": "pandoc_html-chromium_pdf"}))
    return found


def render(pdf: bytes, dpi: int) -> list[Image.Image]:
    """The PDF's pages as RGB images at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            Image.fromarray(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")))
            for page in document
        ]
    finally:
        document.close()


# --- degradations -----------------------------------------------------------------------


def skew(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    angle = rng.choice([-1, 1]) * rng.uniform(0.8, 2.0)
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))


def blur(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius=dpi / 200))


def noise(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """Grain over the page and a sprinkle of dark specks, as a dusty scanner leaves."""
    noisy = np.random.default_rng(rng.randrange(2**32))
    pixels = np.asarray(image, dtype=np.float32)
    pixels += noisy.normal(0, 14, pixels.shape[:2])[:, :, None]
    specks = noisy.random(pixels.shape[:2]) < 0.0004
    pixels[specks] = 40
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=30)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def seal(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    """A red seal (ring, star, the agency's words around) stamped over the page's middle, where
    the tables stand, in multiplied ink: black under it stays black."""
    size = round(1.6 * dpi)
    stamp = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    ring = max(2, round(dpi * 0.035))
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    centre, star = size / 2, size * 0.16
    points = [
        (
            centre + (star if i % 2 == 0 else star * 0.4) * math.sin(i * math.pi / 5),
            centre - (star if i % 2 == 0 else star * 0.4) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill=SEAL_RED)
    if FONT.exists():
        font = ImageFont.truetype(str(FONT), round(size * 0.11))
        words = "某某县人民政府办公室"
        for i, char in enumerate(words):
            angle = math.pi * (-0.75 + 1.5 * i / (len(words) - 1))
            x = centre + size * 0.34 * math.sin(angle)
            y = centre - size * 0.34 * math.cos(angle)
            draw.text((x, y), char, fill=SEAL_RED, font=font, anchor="mm")
    stamp = stamp.rotate(rng.uniform(-30, 30), fillcolor=(255, 255, 255))
    x = round(image.width * rng.uniform(0.25, 0.75) - size / 2)
    y = round(image.height * rng.uniform(0.3, 0.7) - size / 2)
    page = np.asarray(image, dtype=np.float32)
    ink = np.asarray(stamp, dtype=np.float32) / 255
    ink = 1 - 0.85 * (1 - ink)  # seal ink is not quite opaque
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + size, image.width), min(y + size, image.height)
    page[y0:y1, x0:x1] *= ink[y0 - y : y1 - y, x0 - x : x1 - x]
    return Image.fromarray(page.astype(np.uint8))


def scan(image: Image.Image, rng: random.Random, dpi: int) -> Image.Image:
    for step in (seal, skew, blur, noise, jpeg):
        image = step(image, rng, dpi)
    return image


STEPS: dict[str, Degrade] = {
    "clean": lambda image, rng, dpi: image,
    "skew": skew,
    "blur": blur,
    "noise": noise,
    "jpeg": jpeg,
    "seal": seal,
    "scan": scan,
}


# --- the set ----------------------------------------------------------------------------


def scanned(pages: list[Image.Image], dpi: int, as_tiff: bool = False) -> bytes:
    """Pages as an image-only PDF (JPEG pages, as scanners write them) or a multi-page TIFF."""
    buffer = io.BytesIO()
    pages = [page.copy() for page in pages]  # saving leaves its settings on the images appended
    if as_tiff:
        pages[0].save(
            buffer, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw"
        )
    else:
        fixed = time.gmtime(1704067200)  # 2024-01-01: a rebuild gives the same bytes
        pages[0].save(
            buffer,
            "PDF",
            save_all=True,
            append_images=pages[1:],
            resolution=dpi,
            creationDate=fixed,
            modDate=fixed,
        )
    return buffer.getvalue()


def build(out: Path, configs: list[str], generated: int, seed: int) -> int:
    """Write every source scanned in every configuration (``200dpi_seal``), with its gold."""
    reports, gold_dir = empty_set_folders(out)
    written = 0
    for name, pdf, gold in sources(generated, seed):
        for config in configs:
            dpi_text, degradation = config.split("dpi_")
            dpi = int(dpi_text)
            rng = random.Random(f"{seed}:{name}:{config}")
            pages = [STEPS[degradation](page, rng, dpi) for page in render(pdf, dpi)]
            variants = [(config, ".pdf", False)]
            if degradation == "clean" and dpi == 200:
                variants.append((f"{config}_tiff", ".tif", True))
            for layout, suffix, as_tiff in variants:
                stem = f"{name}__{layout}"
                (reports / f"{stem}{suffix}").write_bytes(scanned(pages, dpi, as_tiff))
                checked = f"{gold.get('checked', '')}; scanned at {dpi} dpi, {degradation}"
                write_derived_gold(gold_dir, f"{stem}{suffix}", gold, layout, checked)
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "scans")
    parser.add_argument(
        "--configs",
        default=",".join(DEFAULT_CONFIGS),
        help="resolution_degradation pairs, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--generated", type=int, default=6, help="generated reports besides the real prints")
    parser.add_argument("--seed", type=int, default=1717)
    args = parser.parse_args()
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    for config in configs:
        dpi, _, degradation = config.partition("dpi_")
        if not dpi.isdigit() or degradation not in STEPS:
            parser.error(f"bad configuration {config!r}: like 200dpi_seal, one of {', '.join(STEPS)}")
    written = build(args.out, configs, args.generated, args.seed)
    print(f"{written} scans with their gold written under {args.out}")


if __name__ == "__main__":
    main()
