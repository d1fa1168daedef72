"""Review pages: a report's text with every extracted value highlighted where it was read.

Colour tells the method (rule, model, both); a value whose field failed a check is outlined
in red, and the failed checks are listed with their cells, each linked to its place in the
text. A batch gets an index page. Pages are self-contained HTML with no scripts.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import ExtractorError
from .models import Check, Document
from .reading import read_file

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 0; display: flex; }
main { flex: 3; padding: 1em 1.5em; }
aside { flex: 2; padding: 1em; background: #f6f6f6; border-left: 1px solid #ccc; height: 100vh;
        overflow: auto; position: sticky; top: 0; font-size: 14px; }
pre { white-space: pre-wrap; font-size: 14px; line-height: 1.6; tab-size: 6; }
mark { padding: 0 1px; border-radius: 2px; color: #000; }
mark.rule { background: #9be49b; }
mark.llm { background: #8fc1ff; }
mark.rule-llm { background: #d7a6ff; }
mark.failed { outline: 2px solid #d00000; }
.status-ok { color: #137333; } .status-needs_review { color: #b06000; } .status-failed { color: #c5221f; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
.legend mark { display: inline-block; margin-right: .5em; }
"""


def _css_class(method: str) -> str:
    return re.sub(r"[^a-z]+", "-", method.lower()).strip("-") or "rule"


def review_page(doc: Document, text: str | None) -> str:
    """The review page of one document; ``text`` is the text its evidence offsets point into."""
    failed = doc.failed_checks
    doubtful = {f for c in failed for f in c.fields}
    body = (
        _highlighted(text, doc, doubtful)
        if text is not None
        else "<p>(the source text could not be read)</p>"
    )
    title = html.escape(f"{doc.source} — {doc.status}")
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><main>"
        f'<h1 class="status-{doc.status}">{title}</h1>{_legend()}{body}</main>'
        f"<aside>{_failed_checks(failed, doc)}{_notes(doc)}</aside></body></html>\n"
    )


def _legend() -> str:
    return (
        '<p class="legend"><mark class="rule">rule</mark><mark class="llm">llm</mark>'
        '<mark class="rule-llm">rule+llm</mark><mark class="rule failed">in a failed check</mark></p>'
    )


def _highlighted(text: str, doc: Document, doubtful: set[str]) -> str:
    spans = sorted((e.start, e.end, f, e.method) for f, e in doc.evidence.items() if e.end > e.start)
    parts, pos = [], 0
    for start, end, field_id, method in spans:
        if start < pos or end > len(text):
            continue  # overlapping or out of range: listed in the side panel only
        value = doc.fields.get(field_id)
        classes = _css_class(method) + (" failed" if field_id in doubtful else "")
        tip = html.escape(f"{field_id} = {value} ({method})", quote=True)
        parts.append(html.escape(text[pos:start]))
        parts.append(
            f'<mark id="f-{html.escape(field_id)}" class="{classes}" data-field="{html.escape(field_id)}" '
            f'title="{tip}">{html.escape(text[start:end])}</mark>'
        )
        pos = end
    parts.append(html.escape(text[pos:]))
    return "<pre>" + "".join(parts) + "</pre>"


def _failed_checks(failed: list[Check], doc: Document) -> str:
    if not failed:
        return "<h2>Checks</h2><p>every check passed</p>"
    rows = []
    for check in failed:
        cells = ", ".join(
            f'<a href="#f-{html.escape(f)}">{html.escape(f)}</a> = {html.escape(str(doc.fields.get(f)))}'
            for f in check.fields
        )
        rows.append(
            f'<tr class="failed-check"><td>{html.escape(check.id)}</td>'
            f"<td>{html.escape(check.detail)}</td><td>{cells}</td></tr>"
        )
    return f"<h2>Failed checks ({len(failed)})</h2><table>{''.join(rows)}</table>"


def _notes(doc: Document) -> str:
    notes = list(doc.notes) + ([doc.error] if doc.error else [])
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return f"<h2>Notes</h2><ul>{items}</ul>" if items else ""


def source_text(doc: Document) -> str | None:
    """The text a document's evidence offsets point into, read again from its source."""
    try:
        return read_file(doc.source).decoded
    except ExtractorError:
        return None


def page_name(index: int, doc: Document) -> str:
    stem = re.sub(r"[^\w.-]+", "_", Path(doc.source).name)[:80]
    return f"{index:05d}_{stem}.html"


def write_review_pages(documents: list[Document], folder: Path) -> Path:
    """A review page per document and an index; returns the index's path."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, doc in enumerate(documents):
        name = page_name(i, doc)
        (folder / name).write_text(review_page(doc, source_text(doc)), encoding="utf-8")
        rows.append(
            f'<tr><td><a href="{name}">{html.escape(doc.source)}</a></td>'
            f'<td class="status-{doc.status}">{doc.status}</td><td>{len(doc.failed_checks)}</td>'
            f"<td>{html.escape(doc.error or '')}</td></tr>"
        )
    index = folder / "index.html"
    index.write_text(
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>Review</title>'
        f"<style>{_STYLE}</style></head><body><main><h1>Review: {len(documents)} reports</h1>"
        "<table><tr><th>report</th><th>status</th><th>failed checks</th><th>error</th></tr>"
        f"{''.join(rows)}</table></main></body></html>\n",
        encoding="utf-8",
    )
    return index
