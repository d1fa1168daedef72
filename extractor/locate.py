"""Locating values in text: where a prose fact is stated, where a table row's label stands.

Used by the prose rules and to ground what a language model returns: a number counts as
stated only where it stands as a whole token (``24`` is not found inside ``2024``), a prose
fact only in a sentence (or clause) about that very fact, and a table value only near its
row's label when the label is printed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from .catalog import (
    BRACKETED_NUMBER,
    SUB_MARK,
    SUB_NUMBER,
    FactSpec,
    Piece,
    RowSpec,
    TableSpec,
    across_breaks,
)
from .tables import normal_label
from .values import count_pattern, find_number, number_tokens

# A blank line a converter put inside a sentence (a PDF's wrapped line made a paragraph, or a
# page break with its page number alone between): after a full line of text (no table row: no
# tab, no pipe) that ends with no sentence end, before words that open no heading or list item.
_BROKEN_PARAGRAPH = (
    r"\n(?=[ \t]*\n)(?<=[^\n\t|]{23}[^。；;！？!?：:\n\t|]\n)(?:[ \t]*\n)+"
    r"(?:[ \t]*\d{1,3}[ \t]*\n(?:[ \t]*\n)+)?"
    r"(?![ \t]*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[#*|]|第[一二三四五六七八九十]))"
)  # (a page number between the parts: a page break inside the sentence)


def _run_without(stops: str, also: str = "", broken: bool = False) -> re.Pattern[str]:
    """A run of text holding none of ``stops`` (but for what ``also`` matches) that goes on over
    a single line break, as ``(?:[^stops\\n]|also|\\n(?![ \\t]*\\n))+`` (a blank line ends
    it, unless ``broken`` and a converter broke the paragraph there; so does a line that opens
    with a sub-heading's number: （二）…, 三、…), written as runs of
    characters between the line breaks and the ``also`` stretches: the same matches, found
    three times faster."""
    char = f"[^{stops}\\n]"
    joint = (
        rf"\n(?![ \t]*\n|{SUB_MARK})"
        + (f"|{_BROKEN_PARAGRAPH}" if broken else "")
        + (f"|{also}" if also else "")
    )
    return re.compile(f"(?:{char}|{joint}){char}*(?:(?:{joint}){char}*)*")


# A sentence or a clause runs on over a single line break (text wrapped in a PDF or a copy of
# it breaks lines anywhere); a blank line ends it, but where it breaks a wrapped paragraph (the
# patterns that look for those, slower, split the texts that have one).
_PIECE_STOPS = {"sentence": ("。；;", ""), "clause": ("。；;，,", r"(?<=\d),(?=\d{3})")}  # 1,204: one number
_PIECES = {piece: _run_without(*stops) for piece, stops in _PIECE_STOPS.items()}
_PIECES_OVER_BREAKS = {piece: _run_without(*stops, broken=True) for piece, stops in _PIECE_STOPS.items()}
_A_BROKEN_PARAGRAPH = re.compile(_BROKEN_PARAGRAPH)
_LABELLED_LINE = re.compile(r"[^\d\s/—–|,.()（）、-]")


# the words that open a breakdown of the count before them (内容涵盖…: its contents, one count each)
_BREAKDOWN_WORDS = r"(?:其中|(?:内容)?(?:包括|包含|涵盖))"
# a clause breaking down the one before (其 / 中: a line wrapped inside the words too)
BREAKS_DOWN = across_breaks(re.compile(rf"\s*[(（]?\s*{_BREAKDOWN_WORDS}"))
_LIST_ITEM = re.compile(r"[^、]+")  # an item of a list inside a clause (微信120条、微博80条)
LUMPED = re.compile(r"等|各")  # 微博等新媒体, 微信、微博各50条: things counted together

Pieces = list[tuple[re.Match[str], str]]  # the pieces of a region, each with its words
# A sub-heading's number run into the words before it, no mark between (a crawler's text glued
# its paragraphs: …主动公开政府信息2689条（二）依申请公开情况。; never 第（一）项's)
_HEADING_RUN_IN = re.compile(rf"(?<=[^\s。；;，,：:、第(（]){BRACKETED_NUMBER}(?=[\u4e00-\u9fff])")


class PieceSplits:
    """The pieces (sentences or clauses) of regions of one text, each region split once: the
    facts of a report read the same sections, several of them in the same pieces."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._split: dict[tuple[str, int, int], Pieces] = {}
        self._pieces = _PIECES_OVER_BREAKS if _A_BROKEN_PARAGRAPH.search(text) else _PIECES
        self._headings = [m.start() for m in _HEADING_RUN_IN.finditer(text)]

    def of(self, piece: Piece, start: int, end: int) -> Pieces:
        """The ``piece`` s of ``text[start:end]`` with their words (a sub-heading run into the
        line before it opens a piece of its own)."""
        key = (piece, start, end)
        found = self._split.get(key)
        if found is None:
            pattern = self._pieces[piece]
            pieces = pattern.finditer(self.text, start, end)
            found = self._split[key] = (
                [cut for m in pieces for cut in self._at_headings(pattern, m)]
                if self._headings
                else [(m, m.group()) for m in pieces]
            )
        return found

    def _at_headings(self, pattern: re.Pattern[str], piece: re.Match[str]) -> Pieces:
        """``piece``, cut before each sub-heading run into it."""
        inside = self._headings[
            bisect_right(self._headings, piece.start()) : bisect_left(self._headings, piece.end())
        ]
        if not inside:
            return [(piece, piece.group())]
        cuts = (pattern.match(self.text, a, b) for a, b in pairwise([piece.start(), *inside, piece.end()]))
        return [(cut, cut.group()) for cut in cuts if cut]


_CONTEXT = ("^", "$", "\\A", "\\Z", "\\b", "\\B", "(?=", "(?!", "(?<")  # what looks beyond a match


@lru_cache(maxsize=256)
def _context_free(pattern: re.Pattern[str]) -> bool:
    """Whether what ``pattern`` matches depends on the matched characters alone (no anchor, no
    lookaround, no word boundary): then it is found in a piece of a text only where it is found
    within that piece's span of the whole text."""
    return not any(mark in pattern.pattern for mark in _CONTEXT)


@dataclass(frozen=True)
class Statement:
    """A sentence (or clause) that speaks of a fact, and its stretches about that fact alone:
    a sentence less its clauses about other things (excluded words) and the breakdown after
    其中; an excluded clause less nothing, unless it lists its things one count each
    (微信公众号发布信息120条、微博80条). No stretch: it speaks of the fact only together
    with other things."""

    piece: re.Match[str]
    parts: list[tuple[int, int]]
    shared: bool = False  # a clause about other things too, cut into its list's items
    after_topic: bool = False  # the piece before it speaks of the fact too (a 其中 after it breaks that down)


def statements_about(
    fact: FactSpec, text: str, start: int, end: int, splits: PieceSplits | None = None
) -> Iterator[Statement]:
    """The sentences (or clauses) of ``text[start:end]`` that speak of ``fact``; ``splits``
    (of ``text``) shares the regions' pieces among facts."""
    topic, excluded = fact.topic, fact.excluded
    if topic is not None and _context_free(topic) and topic.search(text, start, end) is None:
        return  # no piece of a region that never names the topic can (the region is not split)
    splits = splits if splits is not None and splits.text is text else PieceSplits(text)
    after_topic = False
    for piece, words in splits.of(fact.piece, start, end):
        about = topic is None or topic.search(words) is not None
        if about:
            shared = fact.piece == "clause" and bool(excluded and excluded.search(words))
            yield Statement(piece, _own_parts(fact, splits, piece, words), shared, after_topic)
        after_topic = about


def _own_parts(
    fact: FactSpec, splits: PieceSplits, piece: re.Match[str], words: str
) -> list[tuple[int, int]]:
    parts = _parts_of_piece(fact, splits, piece, words)
    breakdowns = _bracketed_breakdowns(splits.text, piece.start(), piece.end())
    return _less(parts, breakdowns) if breakdowns else parts


def _bracketed_breakdowns(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The brackets of ``text[start:end]`` that break down the count before them (2602条(其中
    机构职能类信息82条，…1053条)): each to its closing bracket (nested ones inside), or to the
    end when it does not close."""
    spans: list[tuple[int, int]] = []
    for opened in _BRACKET_BREAKDOWN.finditer(text, start, end):
        if spans and opened.start() < spans[-1][1]:
            continue
        depth, at = 0, opened.start()
        while at < end:
            depth += text[at] in "(（"
            depth -= text[at] in ")）"
            at += 1
            if depth == 0:
                break
        spans.append((opened.start(), at))
    return spans


_BRACKET_BREAKDOWN = re.compile(rf"[(（]\s*{_BREAKDOWN_WORDS}")


def _less(parts: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of ``parts`` outside every one of ``cuts``."""
    kept = []
    for a, b in parts:
        for c, d in cuts:
            if c < b and a < d:
                if a < c:
                    kept.append((a, c))
                a = max(a, d)
        if a < b:
            kept.append((a, b))
    return kept


def _parts_of_piece(
    fact: FactSpec, splits: PieceSplits, piece: re.Match[str], words: str
) -> list[tuple[int, int]]:
    excluded = fact.excluded
    if fact.piece == "sentence":
        parts: list[tuple[int, int]] = []
        clauses = splits.of("clause", piece.start(), piece.end())
        for n, (clause, clause_words) in enumerate(clauses):
            if n and BREAKS_DOWN.match(clause_words):  # the rest breaks down what came before,
                return _own_items(fact, splits.text, parts, clauses[n:]) or parts  # (or the fact's own)
            if not _excludes(fact, clause_words):
                parts.append(clause.span())
        return parts
    if not (excluded and excluded.search(words)):
        return [piece.span()]
    return [
        item.span()
        for item in _LIST_ITEM.finditer(splits.text, piece.start(), piece.end())
        if (fact.topic is None or fact.topic.search(item.group()))
        and not excluded.search(item.group())
        and not LUMPED.search(item.group())
    ]


def _excludes(fact: FactSpec, words: str) -> bool:
    """The clause speaks of what the fact's excluded words name, or of another channel than
    those its total was published through (:attr:`FactSpec.channels`)."""
    if fact.excluded is not None and fact.excluded.search(words) is not None:
        return True
    channels = fact.channels
    return channels is not None and any(not _among_channels(words, m) for m in channels.finditer(words))


def _among_channels(words: str, channel: re.Match[str]) -> bool:
    """``channel`` is named in a list of channels, a website among them, before the verb that
    published a count through them all, no number between (政府门户网站、微信公众号等载体主动公开…;
    局门户网站和微信公众号共公开…): the count is theirs together, no count of its own."""
    verb = _POSTED.search(words, channel.end())
    if verb is None or any(ch.isdigit() for ch in words[channel.end() : verb.start()]):
        return False
    opens = max((i + 1 for i, ch in enumerate(words[: channel.start()]) if ch.isdigit()), default=0)
    listed = words[opens : verb.start()]
    return _JOINER.search(listed) is not None and _WEBSITE.search(listed) is not None


_POSTED = re.compile(r"公开|发布|公布|公示")
_JOINER = re.compile(r"[、和及与]")  # (以及: 及)
_WEBSITE = re.compile(r"网站|门户网|政府网|网络平台")


def _own_items(
    fact: FactSpec, text: str, before: list[tuple[int, int]], breakdown: Pieces
) -> list[tuple[int, int]]:
    """A breakdown's items that state the fact's total themselves, when what it breaks down is no
    total of the fact (共制发政府信息487条，其中，主动公开政府信息117条、依申请公开274条: of
    all the items made, those proactively published, a count of its own)."""
    total = fact.total
    if total is None or any(total.search(text, _after_heading(text, a, b), b) for a, b in before):
        return []
    excluded = fact.excluded
    return [
        (start, end)
        for clause, _ in breakdown
        for start, end in _items_outside_brackets(text, clause.start(), clause.end())
        if _states_the_whole(fact, text, start, end) and not (excluded and excluded.search(text[start:end]))
    ]


def _states_the_whole(fact: FactSpec, text: str, start: int, end: int) -> bool:
    """A breakdown's item states the fact's total in the words naming all the fact counts
    (主动公开政府信息117条; never a kind's, 主动公开事项目录1条), or, where the fact has no such
    words, in the words of a total."""
    if fact.whole is None:
        return fact.total is not None and fact.total.search(text, start, end) is not None
    count = count_pattern(fact.units, fact.kind).search(text, start, end)
    return count is not None and names_whole(fact, text, start, count)


def names_whole(fact: FactSpec, text: str, start: int, count: re.Match[str]) -> bool:
    """``count`` is stated in the words, from ``start`` on, that name all the fact counts:
    right before it (主动公开政府信息312条), or around it (主动公开446条信息)."""
    if fact.whole is None:
        return False
    if fact.whole.search(text, start, count.start()) is not None:
        return True
    if fact.whole_around is None:
        return False
    before, after = fact.whole_around
    return (
        before.search(text, start, count.start()) is not None and after.match(text, count.end()) is not None
    )


# a sub-heading run into its first sentence, a space or a line break between: （一）主动公开政府信息的
# 数量 2020年制作、获取政府信息总数425条 (a crawler's text; its words are the heading's, not the count's)
_HEADING_BEFORE = re.compile(
    rf"\s*(?:[-*+•][ \t]+)?{SUB_NUMBER}"  # (a list's bullet) its numbering,
    r"[^\s\d，,。；;：:]{1,24}[ \t]*\n?[ \t]*(?<=\s)"  # its words, then a space or a line break
)


def _after_heading(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` starts, less a sub-heading run into it."""
    heading = _HEADING_BEFORE.match(text, start, end)
    return heading.end() if heading else start


def _items_outside_brackets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a list (apart by 、), each less what a bracket after it says (主动公开政府信息
    117条（涵盖规范性文件类10条、…）: its own breakdown, whose items are none of the list's)."""
    items: list[tuple[int, int]] = []
    depth = 0
    begin: int | None = start  # (None: past the item's end, in or after its bracket)
    for at in range(start, end + 1):
        ch = text[at] if at < end else "、"
        if ch in "(（":
            if depth == 0 and begin is not None:
                items.append((begin, at))
                begin = None
            depth += 1
        elif ch in ")）":
            depth = max(depth - 1, 0)
        elif ch == "、" and depth == 0:
            if begin is not None:
                items.append((begin, at))
            begin = at + 1
    return [(a, b) for a, b in items if b > a]


def lumped_counts(text: str, statement: Statement, counts: re.Pattern[str]) -> bool:
    """A shared clause states a count of several things together (微信公众号、微博等新媒体发布
    信息300条): an item of its list with a count lumps things."""
    piece = statement.piece
    return any(
        LUMPED.search(item.group()) and counts.search(item.group())
        for item in _LIST_ITEM.finditer(text, piece.start(), piece.end())
    )


def count_shared_by_channels(
    fact: FactSpec, text: str, statement: Statement, counts: re.Pattern[str]
) -> bool:
    """A clause whose count several channels share, the fact's among them: a list of them
    before the verb they post by, the count after it (政府网站、微信公众号发布信息320条) — not
    a list of what one channel posted (微信公众号发布动态、解读等信息320条), nor each its own
    count (微信120条、微博80条)."""
    verbs, topic = fact.channel_verbs, fact.topic
    if verbs is None or topic is None:
        return False
    piece = statement.piece
    if any(_among_channels(piece.group(), m) for m in topic.finditer(piece.group())):
        return True  # (局门户网站和微信公众号共公开信息1057条: a website and it, joined by 和)
    run: list[str] = []
    for item in _LIST_ITEM.finditer(text, piece.start(), piece.end()):
        run.append(item.group())
        if counts.search(run[-1]):
            if (
                len(run) > 1
                and not any(verbs.search(_CHANNEL_NAMED.sub("", i)) for i in run[:-1])
                and any(topic.search(i) for i in run)
            ):
                return True
            run = []
    return False


# A channel's name holding a verb's characters (政务公开网站, 信息公开专栏, 公开栏): no verb
_CHANNEL_NAMED = re.compile(r"公开(?=网站|网|专栏|栏|平台|目录|板|墙)")


def pieces_about(fact: FactSpec, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of ``text[start:end]`` that speak of ``fact`` and of no other."""
    for statement in statements_about(fact, text, start, end):
        yield from statement.parts


def find_number_about(
    fact: FactSpec, text: str, value: float, start: int, end: int
) -> tuple[int, int] | None:
    """Where ``value`` is stated as ``fact``: in a piece of text about that fact and no other."""
    for part_start, part_end in pieces_about(fact, text, start, end):
        span = find_number(text, value, part_start, part_end)
        if span:
            return span
    return None


def find_none_stated(
    fact: FactSpec, text: str, start: int = 0, end: int | None = None
) -> tuple[int, int] | None:
    """Where ``text`` says in words that there was none of ``fact`` (未收到申请, 未收取信息处理费)."""
    for statement in statements_about(fact, text, start, len(text) if end is None else end):
        span = none_stated_in(fact, text, statement)
        if span:
            return span
    return None


def none_stated_in(fact: FactSpec, text: str, statement: Statement) -> tuple[int, int] | None:
    """Where ``statement`` says in words that there was none of ``fact``: a phrase of the
    sentence that begins and ends in its stretches about the fact."""
    if fact.none_stated is None or not statement.parts:
        return None
    match = fact.none_stated.search(text, statement.piece.start(), statement.piece.end())
    if match is None:
        return None
    inside = [any(a <= at < b for a, b in statement.parts) for at in (match.start(), match.end() - 1)]
    return match.span() if all(inside) else None


def flat_cells(spec: TableSpec, text: str, start: int, end: int) -> dict[str, tuple[float, int, int]]:
    """A table printed as one unlabelled line of values (table 四): field id → the number
    standing at its position, when the section ends with at least that many numbers."""
    ids = spec.field_ids()
    numbers = list(number_tokens(text, start, end))
    if len(numbers) < len(ids):
        return {}
    return dict(zip(ids, numbers[-len(ids) :], strict=True))


def row_windows(spec: TableSpec, text: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """For each row whose label is printed in ``text[start:end]``: the stretch of text from its
    label to the next printed row label (where its values stand). Empty for a flat table,
    whose labels stand in its header, away from its values."""
    if spec.flat:
        return {}
    found: list[tuple[int, str]] = []
    pos = start
    for row in spec.rows:
        hit = _label_position(row, text, pos, end)
        if hit is not None:
            found.append((hit, row.id))
            pos = hit + 1
    windows = {}
    for i, (at, row_id) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else end
        windows[row_id] = (at, stop)
    return windows


def _label_position(row: RowSpec, text: str, start: int, end: int) -> int | None:
    """The first line at or after ``start`` whose words match the row's label."""
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        line = text[line_start:line_end]
        for cell in re.split(r"[\t|]", line):
            cell = normal_label(re.sub(r"\s+", "", cell))
            if cell and _LABELLED_LINE.search(cell) and row.label.search(cell):
                return line_start
        line_start = line_end + 1
    return None
