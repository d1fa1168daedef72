"""Readings of a scan's text: what the OCR layer says about the values read from it.

Every value the rules read from text that came from OCR has the method ``ocr``; a value read
over a stretch the OCR doubted is doubtful (so its section's ``read.*`` check fails, naming
it); its evidence carries the OCR's confidence, page and box.
"""

from __future__ import annotations

from dataclasses import replace

from .models import FieldReading, OcrSpan, Reading
from .reading import SourceText


def spans_of(src: SourceText, reading: FieldReading) -> list[OcrSpan]:
    """The OCR spans a value was read from (none for a text not read by OCR)."""
    if src.ocr is None or reading.start is None or reading.end is None:
        return []
    start, end = src.span_to_decoded(reading.start, reading.end)
    return src.ocr.at(start, end)


def read_through_ocr(reading: Reading, src: SourceText) -> Reading:
    """``reading`` with the OCR's word on each value: the method ``ocr`` for what the rules
    read, and a doubt wherever the OCR doubted."""
    if src.ocr is None:
        return reading
    for field_id, found in reading.fields.items():
        spans = spans_of(src, found)
        doubts = [span.doubt for span in spans if span.doubt]
        method = "ocr" if found.method == "rule" else found.method
        if doubts:
            note = "; ".join(dict.fromkeys(doubts))
            reading.fields[field_id] = replace(found, method=method, confident=False, note=note)
        elif method != found.method:
            reading.fields[field_id] = replace(found, method=method)
    return reading


def ocr_evidence(spans: list[OcrSpan]) -> tuple[float, int, tuple[int, int, int, int]] | tuple[()]:
    """The OCR's evidence of a value read over ``spans``: the lowest confidence, the page and
    the box of the first; nothing without spans."""
    if not spans:
        return ()
    return min(s.confidence for s in spans), spans[0].page, spans[0].box
