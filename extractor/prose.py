"""Prose facts by conservative rules, one reader driven by each fact's catalog entry.

A rule reports a number only when a sentence (or clause) about the fact states it
unambiguously; anything vaguer (千余条, a list of categories with no total, several counts)
is left unread or marked doubtful, never summed or guessed. Prose the rules cannot read with
confidence is what the model path is for.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace

from .catalog import CATALOG, Catalog, FactSpec
from .locate import (
    BREAKS_DOWN,
    PieceSplits,
    Statement,
    count_shared_by_channels,
    lumped_counts,
    names_whole,
    none_stated_in,
    statements_about,
)
from .models import FieldReading, Reading
from .segmenting import Section
from .values import UNREAD, count_pattern, count_value, garbled_count_pattern, rounded_count_pattern

_BREAKDOWN_FOLLOWS = re.compile(rf"\s*[，,:：]?{BREAKS_DOWN.pattern}")  # after a count: a breakdown of it
# Digits, then spaces or a line break, right before a count's: 1 2 0 条, a PDF copy's spaced-out
# digits, or 45 / 11条, a number a line break cut (Word may wrap a run of digits)
_CUT_DIGITS = re.compile(r"\d[ \t]*(?:\n[ \t]*)*\Z")  # (a blank line too: a broken paragraph)
_CUT_REACH = 6  # characters looked back from a count's digits
_WORDED_COUNT = re.compile(r"[一二两三四五六七八九十百千万]+\s*(?P<unit>[件条篇则个份])")
_AS_OF = re.compile(r"截至|截止")
# A comparison with another period, or that period's own count (2023年度为40条, 上年为40条).
_COMPARED = re.compile(
    r"较上年|比上年|同比|环比|较去年|(?:上一?年度?|去年|(?:19|20)\d{2}\s*年度?)(?:同期)?\s*(?:为|是)"
)
_ROUGH = re.compile(r"[万千百亿约近超逾]|左右|以[上下]|不[足到少]")  # in a rough count: a fast scan first
_NOT_STATED = FieldReading(None, None, None, note="not stated")


def _unsure(why: str) -> FieldReading:
    """The text states something the rules cannot pin to one number: a reader must look."""
    return FieldReading(None, None, None, confident=False, note=why)


def read_fact(
    fact: FactSpec, text: str, regions: list[tuple[int, int]], splits: PieceSplits | None = None
) -> FieldReading | None:
    """The statement of ``fact`` in the first of ``regions`` that makes one: 0 where a piece
    about it says "none", its one count where a piece states one (the first, when a breakdown
    follows it). Only a piece's stretches about the fact alone count (a sentence less its
    clauses about other things and its breakdown after 其中). Statements made with the fact's
    preferred words outrank the others; the rest must agree, or the fact is doubtful. Doubtful
    too: several counts, a count without the total the fact needs, a count stated for several
    things together, digits apart by spaces, a count in Chinese numerals, a count as of a date
    (截至…: a stock, not the year's). ``splits`` shares the pieces of ``text`` among facts."""
    counts_in = count_pattern(fact.units, fact.kind)
    garbled = garbled_count_pattern(fact.units)
    for start, end in regions:
        region = fact.region(text, start, end)
        said, doubt = _said_in(fact, text, region, splits, counts_in, garbled)
        if not said and doubt is None and _own_part_silent(fact, text, region, (start, end)):
            # its own sub-section states no count at all (三、主动公开工作情况: 围绕中心工作做好信息
            # 发布。): another may, in the fact's own words (（二）…主动公开政府信息3744条)
            elsewhere, _ = _said_in(fact, text, (start, end), splits, counts_in, garbled)
            said = [(reading, preferred) for reading, preferred in elsewhere if preferred]
        if said:
            return _agreed(said)
        if doubt is not None:  # a doubtful statement here: a later section's count may be another's
            return doubt
    return None


def _own_part_silent(fact: FactSpec, text: str, region: tuple[int, int], section: tuple[int, int]) -> bool:
    """``region`` is the fact's own sub-section of ``section`` (its sub-heading names the fact),
    and it states no count in any of the fact's units, of the fact or of anything."""
    if fact.subsection is None or region == section or not fact.subsection.match(text, region[0]):
        return False
    return count_pattern(fact.any_units, fact.kind).search(text, *region) is None


def _said_in(
    fact: FactSpec,
    text: str,
    region: tuple[int, int],
    splits: PieceSplits | None,
    counts_in: re.Pattern[str],
    garbled: re.Pattern[str],
) -> tuple[list[tuple[FieldReading, bool]], FieldReading | None]:
    """What the statements of ``fact`` in ``text[region]`` say (each reading, and whether in
    the fact's preferred words), and the first doubt one raises."""
    said: list[tuple[FieldReading, bool]] = []
    doubt = preferred_doubt = None
    breaking_down = False
    for statement in statements_about(fact, text, *region, splits):
        body = statement.piece.group()
        if BREAKS_DOWN.match(body) and statement.after_topic:
            breaking_down = True
            continue  # a breakdown of the count before it (新媒体400条，其中微信320条: 微信's own)
        if (
            breaking_down
            and statement.after_topic
            and _LIST_GOES_ON.search(text, max(0, statement.piece.start() - 8), statement.piece.start())
        ):
            continue  # its next item (办结申请21件，其中网络申请11件，信函申请10件: 信函's own)
        breaking_down = False
        found = _statement(fact, text, statement, counts_in, garbled)
        if found is None and _count_in_next_clause(fact, text, statement, counts_in):
            found = "a count in the clause after the channel's, which names no channel: whose is it?"
        if found is None:
            continue
        preferred = fact.preferred is not None and fact.preferred.search(body) is not None
        if isinstance(found, str):
            reason = _unsure(f"{found}: {body.strip()[:60]}")
            doubt = doubt or reason
            preferred_doubt = preferred_doubt or (reason if preferred else None)
        else:
            said.append((found, preferred))
    if preferred_doubt is not None and not any(preferred for _, preferred in said):
        return [], preferred_doubt  # (a doubt in the preferred words outranks the others' counts)
    return said, doubt


_LIST_GOES_ON = re.compile(r"[，,、]\s*\Z")  # before a clause: the sentence goes on (a list's next item)


def _statement(
    fact: FactSpec, text: str, statement: Statement, counts_in: re.Pattern[str], garbled: re.Pattern[str]
) -> FieldReading | str | None:
    """What one statement says of ``fact``: a reading, a reason to doubt, or nothing."""
    counts = [m for a, b in statement.parts for m in counts_in.finditer(text, a, b)]
    none = none_stated_in(fact, text, statement)
    if none:  # (收取信息处理费120元，其余申请均未收取: none for some is no none at all)
        if any(count_value(m["n"]) for m in counts):
            return "it states none and a count"
        return FieldReading(0, *none)
    piece = statement.piece
    if count_shared_by_channels(fact, text, statement, counts_in) or (
        statement.shared and not counts and lumped_counts(text, statement, counts_in)
    ):
        if fact.channel_verbs is not None and _shared_as_the_whole(fact, text, statement, counts_in):
            return None  # (通过政府网站、微信公众号等载体主动公开政府信息N条: the report's total)
        return "a count stated for several things together"
    worded = [m for a, b in statement.parts for m in _WORDED_COUNT.finditer(text, a, b)]
    if _garbled(text, statement, counts, garbled):
        return "a count run together with letters or unreadable marks (a scan's misreading)"
    rounded = rounded_count_pattern(fact.units)
    if _ROUGH.search(text, piece.start(), piece.end()) and any(
        rounded.search(text, a, b) for a, b in statement.parts if not _COMPARED.search(text, a, b)
    ):
        return "a count stated roughly (1.2万条, 约1500条, 1500条以上): no exact number"
    if not counts:
        worded = [m for m in worded if _is_unit(fact, m) and _after_topic(fact, text, statement, m)]
        if worded:
            return "a count in Chinese numerals"
        if any(
            _after_topic(fact, text, statement, m)
            for a, b in statement.parts
            for m in _NO_UNIT.finditer(text, a, b)
        ):
            return "a number run into the next words, no unit after it (a copy lost its punctuation?)"
        return _in_other_units(fact, text, statement)
    if any(_CUT_DIGITS.search(text, max(m.start("n") - _CUT_REACH, 0), m.start("n")) for m in counts):
        return "digits apart by spaces or a line break (a number may be cut)"
    if any(_UNIT_LOST.search(text, a, min(b, counts[0].start())) for a, b in statement.parts):
        return (
            "a number ends a line before the count, its unit not after it (a converter lost the line's end?)"
        )
    if _AS_OF.search(piece.group()):
        return "a count as of a date (it may be the stock, not the year's)"
    if fact.total is not None:
        counts, others = _totals(fact.total, text, statement.parts, counts)
        if not counts:
            if len(others) == 1 or (others and _BREAKDOWN_FOLLOWS.match(text, others[0].end())):
                return "a count without a stated total"  # (or one broken down after it)
            return "several counts, none stated as the total" if others else None
        named = [c for c in counts if _names_whole(fact, text, statement, c)] if len(counts) > 1 else []
        if len(named) == 1:  # among totals of other things (发布政务新闻共804条，主动公开政府信息数共计449条)
            counts, others = named, []
        elif _whole_after_more(fact, text, statement, counts, others):
            others = []
        if others and not _whole_first(fact, text, statement, counts, others):
            return None  # a list of categories: no total stated
        counts = counts[:1] if others else counts  # (the whole, then its kinds)
    first = counts[0]
    if _BREAKDOWN_FOLLOWS.match(text, first.end()) and _parts_exceed(text, first, counts_in):
        return "the breakdown that follows the count adds up to more than it: a part's count, not the whole"
    if len({count_value(c["n"]) for c in counts}) == 1 or _BREAKDOWN_FOLLOWS.match(text, first.end()):
        return FieldReading(count_value(first["n"]), first.start("n"), first.end("n"))
    return "several counts in one statement"


_SENTENCE_END = re.compile(r"[。；;\n]")
# A small number run straight into words that are no unit, date or ordinal (收到依申请公开事项0三是…)
_NO_UNIT = re.compile(
    r"(?<![\dA-Za-z.第])\d{1,3}(?=[\u4e00-\u9fff])(?![年月日号时分秒期届批次个件条份项宗人篇则元万千百亿余多])"
)
# A number after words at a line's end, the next line going on with other words: its unit (and
# more) lost where a converter cut the line (申请 1295 / 上年结转 189 件）: 1295 件，办结 1191 件（含)
_UNIT_LOST = re.compile(
    r"(?<=[\u4e00-\u9fff])[ \t]*\d+[ \t]*\n[ \t]*(?=[\u4e00-\u9fff])(?![件条个份项宗人篇则次年月日号])"
)


_BRACKET_OPENS = re.compile(r"\s*[(（]")
_BRACKET_CLOSES = re.compile(r"[)）]")


def _parts_exceed(text: str, whole: re.Match[str], counts_in: re.Pattern[str]) -> bool:
    """The counts of the breakdown after ``whole``, to its sentence's end (or its bracket's),
    add up to more than it (发布法定主动公开内容1条，包括机构概况1条，以及…信息2条)."""
    end = stop.start() if (stop := _SENTENCE_END.search(text, whole.end())) else len(text)
    if _BRACKET_OPENS.match(text, whole.end()) and (closed := _BRACKET_CLOSES.search(text, whole.end(), end)):
        end = closed.start()  # (a bracket's breakdown: 117条（涵盖规范性文件类10条…）、依申请公开274条)
    parts = [count_value(m["n"]) for m in counts_in.finditer(text, whole.end(), end)]
    return sum(p for p in parts if p is not None) > (count_value(whole["n"]) or 0)


def _whole_first(
    fact: FactSpec, text: str, statement: Statement, counts: list[re.Match[str]], others: list[re.Match[str]]
) -> bool:
    """The statement's first count is stated in words naming all the fact counts, in its own
    clause, the others after it (主动公开政府信息312条，重大建设项目类信息280条…: the whole, then
    its kinds; never 共发布部门动态信息11条，政务公开信息45条, one kind's count first)."""
    first = counts[0]
    if any(other.start() < first.start() for other in others):
        return False
    return _names_whole(fact, text, statement, first)


def _shared_as_the_whole(fact: FactSpec, text: str, statement: Statement, counts_in: re.Pattern[str]) -> bool:
    """The statement's one count is stated in the words naming the report's whole total."""
    piece = statement.piece
    counts = list(counts_in.finditer(text, piece.start(), piece.end()))
    return len(counts) == 1 and _names_whole(fact, text, statement, counts[0])


def _whole_after_more(
    fact: FactSpec, text: str, statement: Statement, counts: list[re.Match[str]], others: list[re.Match[str]]
) -> bool:
    """The statement's one total is stated in words naming all the fact counts, and the counts
    before it are all larger (no kind of it: a count of more, 制作、获取的政府信息64条，…主动公开政府
    信息16条)."""
    if len(counts) != 1 or not others or not _names_whole(fact, text, statement, counts[0]):
        return False
    whole = count_value(counts[0]["n"]) or 0
    before = [count_value(o["n"]) or 0 for o in others if o.start() < counts[0].start()]
    return bool(before) and all(b > whole for b in before)


def _names_whole(fact: FactSpec, text: str, statement: Statement, count: re.Match[str]) -> bool:
    """``count`` is stated in words naming all the fact counts, in its own clause."""
    opens = statement.piece.start()
    clause = max(opens, *(text.rfind(mark, opens, count.start()) + 1 for mark in "，,；;"))
    return names_whole(fact, text, clause, count)


def _in_other_units(fact: FactSpec, text: str, statement: Statement) -> str | None:
    """Doubt when the statement's one total is counted in another unit than the fact's (主动公开
    政府信息共 2663 件: all items, or documents of one kind as in 主动公开规范性文件 12 件?)."""
    if not fact.other_units:
        return None
    other = count_pattern(fact.other_units, fact.kind)
    counts = [m for a, b in statement.parts for m in other.finditer(text, a, b)]
    if counts and _BREAKDOWN_FOLLOWS.match(text, counts[0].end()):
        counts = counts[:1]  # (发布政府信息 393 件，其中包括：规范性文件 13 件…: one count, broken down)
    elif fact.total is not None:
        counts, others = _totals(fact.total, text, statement.parts, counts)
        counts = [] if others else counts
    if len(counts) != 1:  # (none, or a list of kinds: 规章2件、规范性文件12件)
        return None
    printed = text[counts[0].start("n") : counts[0].end()].strip()
    return f"a count in {printed!r}, not in {fact.units.replace('|', '/')}"


# What a scan's misreading leaves next to digits: letters for digits (l for 1, O for 0) and marks
_MISREAD = frozenset("|" + UNREAD + string.ascii_letters)


def _garbled(text: str, statement: Statement, counts: list[re.Match[str]], garbled: re.Pattern[str]) -> bool:
    """A count the text garbles: digits right after a letter or an unreadable mark (l511条,
    4�11条), an unreadable mark in the statement, or, where no count reads, digits and letters
    run together before a unit (45ll条)."""
    if UNREAD in text and any(text.find(UNREAD, a, b) >= 0 for a, b in statement.parts):
        return True
    if counts:
        return any(m.start("n") and text[m.start("n") - 1] in _MISREAD for m in counts)
    return any(garbled.search(text, a, b) for a, b in statement.parts)


def _totals(
    total: re.Pattern[str], text: str, parts: list[tuple[int, int]], counts: list[re.Match[str]]
) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """The counts of the stretches that say they state a total, and the others (a comparison
    with last year, 较上年增加…, is neither)."""
    marked = [
        (a, b)
        for a, b in parts
        if total.search(text, a, b)
        and not _REMAINDER.match(text, a, b)
        and not _REMAINDER_INSIDE.search(text, a, b)
    ]
    compared = [(a, b) for a, b in parts if _COMPARED.search(text, a, b)]
    totals = [m for m in counts if _within(m, marked)]
    others = [m for m in counts if not _within(m, marked) and not _within(m, compared)]
    return totals, others


# the words of a remainder's count, never a total (其他应主动公开的政府信息24条: a kind's, the rest's)
_REMAINDER = re.compile(r"[\s，,、；;：:]*(?:其他|其余|另有|另外)")
# ... or named so after the verb (政府应主动公开的其他信息2条: the last of a list of kinds)
_REMAINDER_INSIDE = re.compile(r"的(?:其他|其余)[^\d，,。；;]{0,6}信息")


def _within(match: re.Match[str], parts: list[tuple[int, int]]) -> bool:
    return any(a <= match.start() < b for a, b in parts)


def _after_topic(fact: FactSpec, text: str, statement: Statement, count: re.Match[str]) -> bool:
    """The count comes after the fact's topic word (收到申请两件; not 两条微信阅读量…)."""
    if fact.topic is None:
        return True
    return fact.topic.search(text, statement.piece.start(), count.start()) is not None


_CHANNELS = re.compile(r"网站|门户|网页|微信|公众号|微博|抖音|头条|快手|视频号|客户端|新媒体|政务号|APP|app")
_NEXT_CLAUSE = re.compile(r"[，,]([^，,。；;\n]*)")


def _count_in_next_clause(
    fact: FactSpec, text: str, statement: Statement, counts_in: re.Pattern[str]
) -> bool:
    """A channel's clause without a count, followed in its sentence by a clause that names no
    channel but states a count, clauses of neither between (微信公众号关注人数达5000人，全年发布信息
    120条; 以微信公众号为平台，宣传…工作，全年共发布各类信息656条): the count may be the
    channel's, or everything's."""
    if fact.channel_verbs is None:
        return False
    at = statement.piece.end()
    for _ in range(_CLAUSES_AHEAD):
        following = _NEXT_CLAUSE.match(text, at)
        if following is None or _CHANNELS.search(clause := following.group(1)):
            return False
        if counts_in.search(clause):
            return fact.channel_verbs.search(clause) is not None
        at = following.end()
    return False


_CLAUSES_AHEAD = 3  # clauses after a channel's that may state its count


def _is_unit(fact: FactSpec, match: re.Match[str]) -> bool:
    return re.fullmatch(fact.units, match["unit"]) is not None


def _agreed(said: list[tuple[FieldReading, bool]]) -> FieldReading:
    """The one value a region's statements give (those in preferred words, if any), else doubt."""
    if any(preferred for _, preferred in said):
        said = [s for s in said if s[1]]
    values = sorted({str(reading.value) for reading, _ in said})
    if len(values) == 1:
        return said[0][0]
    return _unsure(f"the text states it {len(values)} ways: {', '.join(values)}")


# A markdown table's row: a line of cells between pipes (a rule row of dashes among them).
_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
_RULE_ROW = re.compile(r"[ \t|:-]+")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_SENTENCE_MARK = re.compile(r"[。，；]")


def prose_tables_as_prose(text: str) -> str:
    """``text`` with the pipes of markdown rows that are prose cut into cells blanked out (the
    same length, so offsets stand): a converter rebuilds justified prose as a table, its cells
    fragments of sentences (申请 | 3119 | 件，答). A row is such prose when a cell holds a mark
    that ends a sentence or a clause outside brackets (a table's labels hold none but in their
    brackets: 部分公开（区分处理的，只计这一情形）); so is the rule row right after one."""
    if "|" not in text:
        return text
    chars = list(text)
    after_prose = -1  # where the last prose row ended
    for row in _PIPE_ROW.finditer(text):
        rule = _RULE_ROW.fullmatch(row.group()) is not None
        if rule and row.start() != after_prose + 1:
            continue
        if not rule and not _SENTENCE_MARK.search(_BRACKETED.sub("", row.group())):
            continue
        after_prose = row.end()
        for at in range(row.start(), row.end()):
            if chars[at] == "|" or (rule and chars[at] == "-"):
                chars[at] = " "
    return "".join(chars)


def read_prose(text: str, sections: dict[str, Section], catalog: Catalog = CATALOG) -> Reading:
    """Every prose fact of the catalog, from the bodies of the sections it is stated in.

    Every fact gets a reading: a fact the rules find no statement of is read as not stated
    (``None``, confident), which is itself a reading a model's answer must agree with.
    """
    reading = Reading()
    text = prose_tables_as_prose(text)
    splits = PieceSplits(text)
    for fact in catalog.facts_from("prose"):
        regions = [(s.body_start, s.end) for sid in fact.sections if (s := sections.get(sid))]
        found = read_fact(fact, text, regions, splits) if regions else None
        missing = [sid for sid in fact.sections if sid not in sections]
        if found is None and missing:  # "not stated" would be a claim about text never read
            reading.problem(f"{fact.id}: section {' or '.join(missing)} not found", [fact.id])
            continue
        first = fact.sections[0]
        if found is not None and found.confident and first not in sections:  # (its text was never read:
            # a section whose heading is not found is read with the one before it, but 一 has none)
            found = replace(found, confident=False, note=f"section {first} not found: it may state it there")
        reading.fields[fact.id] = found or _NOT_STATED
    return reading
