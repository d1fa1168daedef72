"""Shared fixtures: the sample reports, their gold files, the generator; and :func:`needs`, which
skips a test whose optional parts are not installed (a rule-only install runs the rule tests
green), except under CI (``CI`` set), where every part must be there and every test runs."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evals" / "reports"
GOLD = ROOT / "evals" / "gold"
sys.path.insert(0, str(ROOT))  # the generator lives in evals/, beside the package

from evals.convert import CHROMIUM_FLAGS as CONVERTER_FLAGS  # the converters' browser, run alike

SEED_NAMES = sorted(p.stem for p in REPORTS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {name: (REPORTS / f"{name}.txt").read_text(encoding="utf-8") for name in SEED_NAMES}


def gold_of(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def tool_call_answer(request_body: dict, arguments: str) -> dict:
    """An OpenAI chat completion answering ``request_body``'s first tool with ``arguments``."""
    call = {
        "id": "call",
        "type": "function",
        "function": {"name": request_body["tools"][0]["function"]["name"]},
    }
    call["function"]["arguments"] = arguments
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return {
        "id": "fake",
        "object": "chat.completion",
        "created": 0,
        "model": request_body["model"],
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": message}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
    }


def stored_count(store: Path) -> int:
    """How many documents a batch's SQLite store holds (0 before it exists)."""
    import sqlite3

    try:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def needs(*parts: str, extra: str) -> None:
    """Skip the calling test (or module) unless every one of ``parts`` is there: a module name,
    or a program path such as ``/usr/bin/chromium``. Under CI a missing part fails instead."""
    missing = [
        part
        for part in parts
        if not (
            (shutil.which(part) or Path(part).exists()) if "/" in part else importlib.util.find_spec(part)
        )
    ]
    if not missing:
        return
    message = f"needs {', '.join(missing)} (install: {extra})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI runs every test", pytrace=False)
    pytest.skip(message, allow_module_level=True)


# --- a real server on loopback, a real browser --------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [flag for flag in CONVERTER_FLAGS if flag != "--headless"]  # playwright says headless
BROWSER_PARTS = ("playwright", "PIL", CHROMIUM)
BROWSER_EXTRA = "pip install -e '.[dev]' and apt-get install chromium fonts-wqy-zenhei"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app):
    """``app`` served by uvicorn on a free loopback port, for the length of the block."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by playwright (the module calls needs(*BROWSER_PARTS))."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test keeps its screenshots: ``EXTRACTOR_SCREENSHOTS`` if set (to look at them
    afterwards), else a temporary folder."""
    folder = Path(os.environ.get("EXTRACTOR_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


_CJK_BOXES = """([selector, tofu]) => {
    const element = document.querySelector(selector);
    if (!tofu) element.scrollIntoView({block: "center", inline: "nearest"});
    let node = element;
    if (tofu) {
        node = document.createElement("span");
        node.textContent = Array.from({length: 4}, (_, i) => String.fromCodePoint(0xF0000 + i)).join("");
        element.append(node);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const boxes = [];
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        for (let i = 0; i < text.length && boxes.length < 4; i++) {
            const wide = text.data.codePointAt(i) > 0xFFFF;
            if (tofu || /[\u4e00-\u9fff]/.test(text.data[i])) {
                const range = document.createRange();
                range.setStart(text, i);
                range.setEnd(text, i + (wide ? 2 : 1));
                const b = range.getBoundingClientRect();
                boxes.push([b.x, b.y, b.width, b.height, text.data.slice(i, i + (wide ? 2 : 1))]);
            }
            if (wide) i++;
        }
    }
    return boxes;
}"""


def assert_chinese_legible(page, selector: str) -> list[str]:
    """The first Chinese characters of ``selector`` as the screen shows them are glyphs, not tofu:
    each has ink, no two different characters look alike, and none looks like the box drawn for
    a character no installed font has. Returns the characters checked."""
    from PIL import Image, ImageChops

    chars = page.evaluate(_CJK_BOXES, [selector, False])
    assert len(chars) >= 2, f"no Chinese text in {selector}"
    shot = page.screenshot()
    tofu = page.evaluate(_CJK_BOXES, [selector, True])
    tofu_shot = page.screenshot()
    page.evaluate("(s) => document.querySelector(s).lastChild.remove()", selector)

    def glyph(image_bytes, box):
        import io

        image = Image.open(io.BytesIO(image_bytes)).convert("L")
        x, y, w, h = (round(v) for v in box[:4])
        return image.crop((x, y, x + w, y + h)).resize((24, 24))

    def ink(image):  # pixels well darker than the background
        values = image.get_flattened_data()
        return sum(1 for v in values if v < max(values) - 80)

    glyphs = [glyph(shot, box) for box in chars]
    boxes = [glyph(tofu_shot, box) for box in tofu]
    assert all(ink(g) > 3 for g in glyphs), f"a character of {selector} is drawn without ink: {chars}"
    for i, a in enumerate(glyphs):
        for j in range(i + 1, len(glyphs)):
            if chars[i][4] != chars[j][4]:
                assert ImageChops.difference(a, glyphs[j]).getbbox(), (
                    f"{chars[i][4]} and {chars[j][4]} look alike"
                )
        for box in boxes:
            difference = ImageChops.difference(a, box)
            assert sum(1 for v in difference.get_flattened_data() if v > 64) > 20, (
                f"{chars[i][4]} is drawn as tofu"
            )
    return [c[4] for c in chars]
