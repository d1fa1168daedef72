"""Prose facts by conservative rules, one reader driven by each fact's catalog entry.

A rule reports a number only when a sentence (or clause) about the fact states it
unambiguously; anything vaguer (千余条, a list of categories with no total, several counts)
is left unread or marked doubtful, never summed or guessed. Prose the rules cannot read with
confidence is what the model path is for.
"""

from __future__ import annotations

import re

from .catalog import CATALOG, Catalog, FactSpec
from .locate import PieceSplits, pieces_about
from .models import FieldReading, Reading
from .segmenting import Section
from .values import count_pattern, count_value

_BREAKDOWN_FOLLOWS = re.compile(r"\s*[，,:：]?\s*[(（]?\s*(?:其中|包括|包含)")
_BREAKS_DOWN = re.compile(r"\s*[(（]?\s*(?:其中|包括|包含)")  # a clause breaking down the one before
_NOT_STATED = FieldReading(None, None, None, note="not stated")


def _unsure(why: str) -> FieldReading:
    """The text states something the rules cannot pin to one number: a reader must look."""
    return FieldReading(None, None, None, confident=False, note=why)


def read_fact(
    fact: FactSpec, text: str, regions: list[tuple[int, int]], splits: PieceSplits | None = None
) -> FieldReading | None:
    """The statement of ``fact`` in the first of ``regions`` that makes one: 0 where a piece
    about it says "none", its one count where a piece states one (the first, when a breakdown
    follows it). Statements made with the fact's preferred words outrank the others; the rest
    must agree, or the fact is doubtful. Doubtful too: a piece stating several counts, or a
    count without the total the fact needs; a fact that needs a total is not stated by a list
    of categories, nor by a clause that breaks down the one before (其中…). ``splits`` shares
    the pieces of ``text`` among facts."""
    counts_in = count_pattern(fact.units, fact.kind)
    doubt = None
    for start, end in regions:
        if fact.until is not None and (stop := fact.until.search(text, start, end)):
            end = stop.start()
        said: list[tuple[FieldReading, bool]] = []
        for piece in pieces_about(fact, text, start, end, splits):
            body = piece.group()
            if _BREAKS_DOWN.match(body):
                continue
            preferred = fact.preferred is not None and fact.preferred.search(body) is not None
            none = fact.none_stated.search(body) if fact.none_stated else None
            if none:
                said.append(
                    (FieldReading(0, piece.start() + none.start(), piece.start() + none.end()), preferred)
                )
                continue
            counts = list(counts_in.finditer(text, piece.start(), piece.end()))
            if not counts:
                continue
            if fact.total is not None and not fact.total.search(body):
                if len(counts) == 1 and doubt is None:
                    doubt = _unsure(f"a count without a stated total: {body.strip()[:60]}")
                continue
            first = counts[0]
            if len({count_value(c["n"]) for c in counts}) == 1 or _BREAKDOWN_FOLLOWS.match(text, first.end()):
                said.append(
                    (FieldReading(count_value(first["n"]), first.start("n"), first.end("n")), preferred)
                )
            elif fact.total is None and doubt is None:  # (with a total to state: a list of categories)
                doubt = _unsure(f"several counts in one statement: {body.strip()[:60]}")
        if said:
            return _agreed(said)
    return doubt


def _agreed(said: list[tuple[FieldReading, bool]]) -> FieldReading:
    """The one value a region's statements give (those in preferred words, if any), else doubt."""
    if any(preferred for _, preferred in said):
        said = [s for s in said if s[1]]
    values = sorted({str(reading.value) for reading, _ in said})
    if len(values) == 1:
        return said[0][0]
    return _unsure(f"the text states it {len(values)} ways: {', '.join(values)}")


def read_prose(text: str, sections: dict[str, Section], catalog: Catalog = CATALOG) -> Reading:
    """Every prose fact of the catalog, from the bodies of the sections it is stated in.

    Every fact gets a reading: a fact the rules find no statement of is read as not stated
    (``None``, confident), which is itself a reading a model's answer must agree with.
    """
    reading = Reading()
    splits = PieceSplits(text)
    for fact in catalog.facts_from("prose"):
        regions = [(s.body_start, s.end) for sid in fact.sections if (s := sections.get(sid))]
        found = read_fact(fact, text, regions, splits)
        reading.fields[fact.id] = found or _NOT_STATED
    return reading
