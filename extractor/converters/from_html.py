"""HTML pages → report text: blocks as lines, data tables as grids (rowspan/colspan expanded).

Government sites often lay a whole page out in tables; a table holding another table is
layout, and its cells are read as blocks. Only innermost tables are data tables.
"""

from __future__ import annotations

import re
from typing import cast

import lxml.html
from lxml import etree

from ..decoding import decode
from ..errors import InputError
from .grid import clean_cell, expand_spans, render_grid

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset(("script", "style", "noscript", "template", "head", "iframe", "object", "svg"))
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_SPAN = re.compile(r"\d+")
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _hidden(element: etree._Element) -> bool:
    """An element the page does not show (``hidden``, ``display: none``): a stale copy of a
    table, a row or a cell of one, or a widget's text that no reader of the page sees."""
    style = element.get("style")
    return element.get("hidden") is not None or bool(style and _HIDING_STYLE.search(style))


def html_text(data: bytes) -> tuple[str, str]:
    """The text of an HTML page and the encoding it was decoded with."""
    text, encoding = _decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not a readable HTML page: {exc}") from None
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _hidden(e)]:
        cast(lxml.html.HtmlElement, element).drop_tree()  # (its tail stays: the text after it)
    out = _Writer()
    body = root.find("body")
    _walk(body if body is not None else root, out)
    text = out.text()
    title = _page_title(root)
    if title and _squeezed(title) not in _squeezed(text):
        text = f"{title}\n\n{text}"
    return text, f"html; {encoding}"


def _page_title(root: etree._Element) -> str | None:
    """The report's title as the page's head gives it (``<meta name="ArticleTitle">``, as
    government sites' publishing systems write it, or ``<title>`` less the site's name after
    a ``_`` or ``|``), when it names a 报告: a body saved without its title line still has one."""
    found = [str(m.get("content") or "") for m in root.iterfind(".//meta[@name='ArticleTitle']")]
    found += [str(cast(lxml.html.HtmlElement, t).text_content()) for t in root.iterfind(".//title")]
    for title in found:
        part = next((p for p in _SITE_PARTS.split(title) if "报告" in p), None)
        if part and part.strip():
            return clean_cell(part)
    return None


_SITE_PARTS = re.compile(r"\s*(?:[_|｜]|\s[-–—]+\s|——)\s*")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


_EMBEDDED_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def embedded_tables(text: str) -> str | None:
    """A text (markdown, say) with each HTML table it embeds as a grid, as a page's tables are
    read; ``None`` when it embeds none. (pandoc writes a table it cannot draw with pipes, one
    with merged cells, as raw HTML inside its markdown.)"""
    found = 0

    def as_grid(match: re.Match[str]) -> str:
        nonlocal found
        try:
            table = lxml.html.fragment_fromstring(match.group())
        except (etree.ParserError, ValueError):
            return match.group()
        if table.tag != "table" or table.find(".//table") is not None:
            return match.group()
        found += 1
        return "\n" + render_grid(_table_grid(table)) + "\n"

    converted = _EMBEDDED_TABLE.sub(as_grid, text)
    return converted if found else None


def _decode(data: bytes) -> tuple[str, str]:
    """The page's declared charset when it decodes cleanly, else the plain-text detection."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb18030") else name  # supersets, as browsers do
        try:
            return data.decode(name).removeprefix("\ufeff"), name
        except (UnicodeDecodeError, LookupError):
            pass
    return decode(data)


class _Writer:
    """Collects lines; consecutive blank lines collapse into one."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def inline(self, text: str | None) -> None:
        if text:
            self.current.append(text)

    def block(self, text: str = "") -> None:
        self.end_line()
        if text:
            self.lines.append(text)
            self.lines.append("")

    def end_line(self) -> None:
        line = clean_cell("".join(self.current))
        self.current.clear()
        if line:
            self.lines.append(line)
        elif self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        self.end_line()
        return "\n".join(self.lines).strip() + "\n"


def _walk(element: etree._Element, out: _Writer) -> None:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None or tag in _SKIPPED:  # comments, processing instructions, scripts
        out.inline(element.tail)
        return
    if tag == "table" and element.find(".//table") is None:
        out.block(render_grid(_table_grid(element)))
    elif tag == "br":
        out.end_line()
    else:
        block = tag in _BLOCKS or tag in ("td", "th")
        if block:
            out.end_line()
        out.inline(element.text)
        for child in element:
            _walk(child, out)
        if block:
            out.end_line()
    out.inline(element.tail)


def _table_grid(table: etree._Element) -> list[list[str]]:
    rows = []
    for tr in table.iter("tr"):
        cells = [
            (_text_content(cell), _span(cell, "rowspan"), _span(cell, "colspan"))  # render_grid cleans it
            for cell in tr
            if cell.tag in ("td", "th")
        ]
        rows.append(cells)
    return expand_spans(rows)


def _text_content(cell: etree._Element) -> str:
    return str(cast(lxml.html.HtmlElement, cell).text_content())  # a document_fromstring tree


def _span(cell: etree._Element, name: str) -> int:
    match = _SPAN.search(cell.get(name, "1"))
    return max(1, min(int(match.group()), 1000)) if match else 1
