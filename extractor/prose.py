"""Prose facts of sections 一 and 六 by conservative rules.

A rule reports a number only when a sentence states it unambiguously; anything vaguer
(千余条, a list of categories with no total) is left ``None``, never summed or guessed.
Prose the rules cannot read with confidence is what the LLM path is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .locate import CLAUSE, NONE_STATED, NOT_APPLICATIONS, NOT_PROACTIVE, SENTENCE
from .models import FieldReading

_COUNT = re.compile(r"(?P<n>\d+(?:,\d{3})*)\s*(?:条|篇|则)")
_APPLICATION_COUNT = re.compile(r"(?P<n>\d+(?:,\d{3})*)\s*(?:件|个|条|份|人次)")
_NONE_RECEIVED = NONE_STATED["overview.applications_received"]
_SECOND_SUBHEADING = re.compile(r"^\s*[(（]二[)）]", re.MULTILINE)
_STATES_A_TOTAL = re.compile(
    r"主动公开|(?:共|累计|合计|总计)[^。；，,]{0,12}(?:公开|发布)|(?:公开|发布)[^。；，,]{0,12}(?:共|累计|合计|总计)"
)
_PUBLISHED = re.compile(r"公开|发布")
_BREAKDOWN_FOLLOWS = re.compile(r"\s*[，,:：]?\s*(?:其中|包括|包含)")
_FEE_NONE = NONE_STATED["other.processing_fee_yuan"]
_FEE_AMOUNT = re.compile(r"收取[^。；]{0,20}?处理费[^。；\d]{0,10}?(?P<n>\d+(?:\.\d+)?)\s*元")


def _count_reading(match: re.Match[str], group: str = "n") -> FieldReading:
    return FieldReading(int(match[group].replace(",", "")), match.start(group), match.end(group))


_NOT_STATED = FieldReading(None, None, None, note="not stated")


def _unsure(why: str) -> FieldReading:
    """The text states something the rules cannot pin to one number: a reader must look."""
    return FieldReading(None, None, None, confident=False, note=why)


def _single_count(
    pattern: re.Pattern[str], text: str, clause: re.Match[str], topic: str
) -> FieldReading | None:
    """The clause's one count; unsure when it states several; None when it states none."""
    counts = list(pattern.finditer(text, clause.start(), clause.end()))
    if len(counts) == 1:
        return _count_reading(counts[0])
    if counts:
        return _unsure(f"several counts in a clause on {topic}: {clause.group().strip()[:60]}")
    return None


def proactive_total(text: str, start: int, end: int) -> FieldReading | None:
    """Items proactively published, when the first sentence stating a total gives one number.

    Only the 主动公开 paragraph is read: up to the next ``（二）`` sub-heading, if any.
    """
    second = _SECOND_SUBHEADING.search(text, start, end)
    unsure = None
    for sentence in SENTENCE.finditer(text, start, second.start() if second else end):
        body = sentence.group()
        counts = list(_COUNT.finditer(text, sentence.start(), sentence.end()))
        if not counts or NOT_PROACTIVE.search(body):
            continue
        if not _STATES_A_TOTAL.search(body):
            if len(counts) == 1 and _PUBLISHED.search(body) and unsure is None:
                unsure = _unsure(f"a count of published items without a stated total: {body.strip()[:60]}")
            continue
        first = counts[0]
        if len(counts) == 1 or _BREAKDOWN_FOLLOWS.match(text, first.end()):
            return _count_reading(first)
        return None  # several counts and no stated total: not one exact number
    return unsure


def applications_received(text: str, start: int, end: int) -> FieldReading | None:
    """Applications received as the prose states them; 0 for 未收到."""
    for clause in CLAUSE.finditer(text, start, end):
        body = clause.group()
        if "申请" not in body or NOT_APPLICATIONS.search(body):
            continue
        none = _NONE_RECEIVED.search(body)
        if none:
            return FieldReading(0, clause.start() + none.start(), clause.start() + none.end())
        found = _single_count(_APPLICATION_COUNT, text, clause, "applications")
        if found:
            return found
    return None


def channel_posts(text: str, start: int, end: int, channel: str) -> FieldReading | None:
    """Items published on a channel (微信 or 微博): the first clause naming it with one count."""
    for clause in CLAUSE.finditer(text, start, end):
        if channel not in clause.group():
            continue
        found = _single_count(_COUNT, text, clause, channel)
        if found:
            return found
    return None


def processing_fee(text: str, start: int, end: int) -> FieldReading | None:
    """信息处理费 in 元: 0 when the report says none was collected."""
    none = _FEE_NONE.search(text, start, end)
    if none:
        return FieldReading(0, none.start(), none.end())
    amount = _FEE_AMOUNT.search(text, start, end)
    if amount:
        number = float(amount["n"])
        value = int(number) if number.is_integer() else number
        return FieldReading(value, amount.start("n"), amount.end("n"))
    return None


def read_prose(
    text: str, overview: tuple[int, int] | None, other: tuple[int, int] | None
) -> dict[str, FieldReading]:
    """Prose facts: counts from section 一 (channels also from 六), the fee from 一 on.

    Every fact gets a reading: a fact the rules find no statement of is read as not stated
    (``None``, confident), which is itself a reading a model's answer must agree with.
    """
    regions = [r for r in (overview, other) if r]
    fee_region = (regions[0][0] if regions else 0, len(text))
    found = {
        "overview.proactive_total": overview and proactive_total(text, *overview),
        "overview.applications_received": overview and applications_received(text, *overview),
        "overview.wechat_posts": _first(channel_posts(text, *r, "微信") for r in regions),
        "overview.weibo_posts": _first(channel_posts(text, *r, "微博") for r in regions),
        "other.processing_fee_yuan": processing_fee(text, *fee_region),
    }
    return {field_id: reading or _NOT_STATED for field_id, reading in found.items()}


def _first(readings: Iterator[FieldReading | None]) -> FieldReading | None:
    return next((r for r in readings if r is not None), None)
