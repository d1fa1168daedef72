"""The value grammar: how a number, a change (增/减), a not-stated mark and a count with its unit
are written, and how their text becomes a value. Every reader and checker uses these.

Full-width digits and punctuation are folded to ASCII by the normaliser (:data:`FULL_WIDTH`)
before any reader sees the text, so the patterns here are written in ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from enum import StrEnum
from functools import cache


class ValueKind(StrEnum):
    """How a printed value becomes a value."""

    COUNT = "count"  # a non-negative integer
    MONEY = "money"  # a number, decimals allowed
    CHANGE = "change"  # a signed integer, 增 2 → 2, 减 4 → -4
    TEXT = "text"  # words, as printed


# A list, not a dict: str.translate indexes it twice as fast; a code point past its end
# (outside the BMP) raises IndexError, a LookupError, which leaves the character as it is.
FULL_WIDTH = list(range(0x10000))
FULL_WIDTH[0xFF01:0xFF5F] = range(0x21, 0x7F)  # full-width ASCII (digits, ，．) → ASCII

# A line break inside one table cell (markdown's <br>), as the normaliser writes it: it is no
# line of the text, but a number in a narrow cell may wrap there.
CELL_LINE_BREAK = "\u2028"
# A whole number wrapped over lines of its cell (a narrow column wraps 139 as 13 / 9).
WRAPPED_NUMBER = re.compile(
    r"\d+(?:(?:[ \t]*[\n\u2028])+[ \t]*\d+)+"
)  # (a paragraph a line: blank lines between)


def display_width(text: str) -> int:
    """Columns a text takes on screen or a page's line: wide (Chinese) characters count two."""
    return len(text) + sum(1 for ch in text if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF")


NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# A year as a title prints it: in digits, or in Chinese numerals (二〇二三, 二零二三).
# (A full-width Ｏ for 〇 is an O once normalised.)
_CHINESE_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | dict.fromkeys("零○O", "0")
YEAR = r"(?:19|20)\d{2}|[一二][〇零○O九][〇零○O一二三四五六七八九]{2}"
_YEAR = re.compile(YEAR)


def year_value(text: str) -> int | None:
    """The year ``text`` prints (2023 or 二〇二三), or None."""
    if not _YEAR.fullmatch(text):
        return None
    return int(text) if text.isascii() else int("".join(_CHINESE_DIGITS.get(ch, ch) for ch in text))


NULL_MARK = r"/|—+|–|-{1,2}|无数据|无"
CHANGE_PREFIX = r"[增减](?:加|少)?\s*"
UNREAD = "\ufffd"  # a cell with ink the OCR could not read: a value, and never a readable one
UNIT = r"(?:万元|元|件|条|个|项|人次)"  # a unit some tables print in their cells (251000元)
# the units a table's cells print right after their numbers in a crawler's run of cells
# (政府集中采购2笔984361元: a unit ends a number)
RUN_UNIT = r"(?:万元|元|件|个|项|笔)"
# the units a table's count cells print: the text's units and the other measure words (17次, 3人)
_COUNT_UNIT = rf"(?:{UNIT}|[次人家篇期场份册宗起批户名笔])"
_CELL_UNIT = rf"(?:{_COUNT_UNIT}|[(（]{_COUNT_UNIT}[)）])"  # in brackets too: 12（件）
# a note after a cell's number that breaks it down (22（其中修订16件）, 55（含自然失效29件）)
_CELL_NOTE = r"[(（](?:其中|含|包括|包含)[^()（）]*[)）]"
# One cell's value as printed: a number (with its unit), a change, or a mark that says "not stated".
VALUE = rf"(?:{NUMBER}\s*{_CELL_UNIT}?(?:\s*{_CELL_NOTE})?|{CHANGE_PREFIX}{NUMBER}|{NULL_MARK}|{UNREAD})"
VALUE_CELL = re.compile(rf"^{VALUE}$")
VALUE_STARTS = frozenset("+-增减/—–无" + UNREAD)  # what a value starts with, a digit besides
NULL_CELL = re.compile(rf"^(?:{NULL_MARK})$")
_CHANGE = re.compile(r"^(?P<sign>[增减])(?:加|少)?\s*(?P<number>.+)$")
_TRAILING_UNIT = re.compile(rf"\s*{_CELL_UNIT}?(?:\s*{_CELL_NOTE})?$")
# What a number's value may print right after it: its unit, its note (0万元, 22（其中修订16件）)
UNIT_AFTER = rf"(?:{_CELL_UNIT}(?:\s*{_CELL_NOTE})?|{_CELL_NOTE})"
# A text ending as a value with its unit or its note does (采购 10 0万元)
ENDS_WITH_UNIT = re.compile(rf"\d{UNIT_AFTER}$")

# A number stated in running text, as a whole token: ``24`` is not found inside ``2024``.
_TOKEN = re.compile(
    r"(?<![\d.,])(?P<sign>[增减](?:加|少)?\s*|[+-])?(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
    r"(?!\d|,\d|\.\d)"  # a comma after it ends it, unless digits follow (a thousands separator)
)
# A zero as a whole token, as in 为0 or 0元 (never the tail of 380元).
ZERO = r"(?<![\d.,])0(?:\.0+)?(?![\d.,])"


def is_value(text: str) -> bool:
    """``text`` is one value as printed (:data:`VALUE_CELL`); its first character tells most
    labels apart without the match."""
    return bool(text) and (text[0] in VALUE_STARTS or text[0].isdecimal()) and bool(VALUE_CELL.match(text))


def parse_value(text: str, kind: ValueKind) -> int | float | None:
    """A cell's value: ``None`` for a blank or a not-stated mark; ValueError if unreadable."""
    text = text.strip()
    if text.isascii() and text.isdigit():  # the common case, fast
        return int(text)
    if not text or NULL_CELL.match(text):
        return None
    if UNREAD in text:
        raise ValueError("printed, but not read by the OCR")
    sign = 1
    change = _CHANGE.match(text)
    if change:
        if kind is not ValueKind.CHANGE:
            raise ValueError(f"{text!r} is a change, a count was expected")
        sign = -1 if change["sign"] == "减" else 1
        text = change["number"]
    text = _TRAILING_UNIT.sub("", text)
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if kind is ValueKind.MONEY:
        return sign * (int(number) if number.is_integer() and "." not in text else number)
    if not number.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    if number < 0 and kind is ValueKind.COUNT:
        raise ValueError(f"{text!r} is negative")
    return sign * int(number)


def number_tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[float, int, int]]:
    """Every number stated in ``text[start:end]``: (value, span start, span end); 减 4 is -4."""
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        number = float(match["n"].replace(",", "") + ("." + match["frac"] if match["frac"] else ""))
        sign = match["sign"] or ""
        if sign.startswith(("减", "-")):
            number = -number
        yield number, match.start(), match.end()


def find_number(text: str, value: float, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """The span of the first statement of ``value`` in ``text[start:end]``."""
    return next(((s, e) for number, s, e in number_tokens(text, start, end) if number == value), None)


@cache
def count_pattern(units: str, kind: ValueKind) -> re.Pattern[str]:
    """A count (an amount, for money) followed by one of ``units``, a regex alternation such as
    ``条|篇``; its digits in group ``n``."""
    fraction = r"(?:\.\d+)?" if kind is ValueKind.MONEY else ""
    return re.compile(rf"(?<![\d.,])(?P<n>\d+(?:,\d{{3}})*{fraction})(?![\d.,])\s*(?:{units})")


@cache
def garbled_count_pattern(units: str) -> re.Pattern[str]:
    """Digits run together with letters or unreadable marks before one of ``units``
    (45l1条, 4�11 件, l511条), or letters alone that look like digits (O条): a scan's glyph
    confusions."""
    mixed = rf"[\dA-Za-z|{UNREAD}]*(?:\d[A-Za-z|{UNREAD}]|[A-Za-z|{UNREAD}]\d)[\dA-Za-z|{UNREAD}]*"
    lookalikes = r"(?<![A-Za-z])[OoIl|]{1,4}"  # O for 0, l or I for 1
    return re.compile(rf"(?:{mixed}|{lookalikes})\s*(?:{units})")


@cache
def rounded_count_pattern(units: str) -> re.Pattern[str]:
    """A count stated roughly before one of ``units``: in tens of thousands or thousands
    (1.2万条, 0.5万元), or with a word that makes it approximate (约, 近, 超过, 逾 before it;
    左右, 以上 after it): no exact number."""
    number = r"\d+(?:,\d{3})*(?:\.\d+)?"
    return re.compile(
        rf"(?<![\d.,]){number}\s*[万千百亿]\s*(?:{units})"
        rf"|(?:约|近|超过?|逾|不少于|不足|不到)\s*{number}\s*(?:{units})"  # (将近, 大约: 近, 约)
        rf"|(?<![\d.,]){number}\s*(?:{units})\s*(?:左右|以上|以下)"
    )


def count_value(digits: str) -> int | float:
    """The value of a count's or an amount's digits (thousands separators allowed)."""
    number = float(digits.replace(",", ""))
    return int(number) if number.is_integer() else number
