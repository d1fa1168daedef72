"""Model readings: the model chooses among what the extractor found; it never types a number.

For each section to read, the extractor finds the candidates in the smallest region holding
the fields wanted — a table's statements, every value with its span (:mod:`.statements`); a
prose fact's counts in the sentences about it — and the rules place what they can: a
statement whose label names one row, the statements between two such by order when their
count fits, a value whose column words name one column. The model is asked only what is left,
each question with its options: which row a statement gives (the rows its place allows, or
none; one row is asked as yes or no), which column a value stands in, which candidate states
a fact (or none, or not as one exact number). So a value it chooses is a value printed in the
text, at its span, and an invented number cannot be answered at all.

A choice is trusted only where the identities pin it: every other way of choosing that the
identities allow gives the same values (rows of zeros may trade places; a prose count must
agree with table 三). Otherwise the value is kept, doubtful, for review: a model that places a
value in the wrong row can never make a report ``ok``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .catalog import CATALOG, Catalog, FactSpec, Format, Identity, RowSpec, TableSpec, row_names
from .llm_client import LLMClient, LLMError
from .llm_schemas import choice_model, context, title_answer_model
from .locate import find_none_stated, pieces_about
from .models import FieldReading, ModelStep, Reading, Usage, Value, same_value
from .prompting import facts_listing, load_prompt
from .segmenting import Section
from .statements import (
    Item,
    Run,
    Statement,
    column_choices,
    columns_of,
    find_statements,
    place_by_rules,
)
from .validators import prose_identities
from .values import count_pattern, count_value, find_number

NONE_OF_THEM = "以上都不是"
NOT_ONE_NUMBER = "以上都不是：文中没有把它说成一个确切的数"
YES_NO = ("是", "不是")
_MAX_NODES = 20_000  # ways of choosing weighed against the identities; more: nothing is pinned
Known = Mapping[str, Value]
OnStep = Callable[[ModelStep], None]


@dataclass
class _Questions:
    """The questions of one section, asked in turn; their cost, and progress as they go."""

    client: LLMClient
    task: str
    on_step: OnStep | None
    questions: int = 0
    answered: int = 0
    usage: Usage = field(default_factory=Usage)

    def choose(self, prompt: str, options: tuple[str, ...], **values: str) -> str:
        """The option the model chooses; raises :class:`LLMError` when it gives none."""
        template = load_prompt(prompt)
        try:
            reply = self.client.ask(template.version, choice_model(options), template.messages(**values), {})
        except LLMError as exc:
            self.failed(exc)
            raise
        self.done(reply.usage)
        return str(reply.answer.model_dump()["answer"])

    def done(self, usage: Usage) -> None:
        """A question answered, at the cost of ``usage``."""
        self.usage.add(usage)
        self.answered += 1
        self.report(attempts=usage.calls)

    def failed(self, exc: LLMError) -> None:
        """A question the model gave no answer to: its cost counted all the same."""
        self.usage.add(exc.usage)
        self.report(str(exc), attempts=exc.usage.calls)

    def expect(self, more: int) -> None:
        """Announce ``more`` questions to come (fewer, when negative)."""
        if more:
            self.questions += more
            self.report()

    def report(self, error: str = "", attempts: int = 0) -> None:
        if self.on_step is not None:
            self.on_step(ModelStep("", self.task, self.answered, self.questions, self.usage, error, attempts))


def read_with_llm(
    client: LLMClient,
    text: str,
    sections: dict[str, Section],
    fmt: Format,
    tasks: list[str],
    catalog: Catalog = CATALOG,
    *,
    wanted: set[str] | None = None,
    known: Known | None = None,
    ask_all: bool = False,
    on_step: OnStep | None = None,
) -> Reading:
    """Read the ``wanted`` fields (default: all) of each of ``tasks`` with the model's choices.

    ``known``: values read with confidence already (the rules'), which the identities weigh
    the model's choices against. ``ask_all``: the model places every statement and chooses
    every fact itself (a second reading, or the model alone); else it is asked only what the
    rules cannot place."""
    result, usage = Reading(), Usage()
    for task in tasks:
        questions = _Questions(client, task, on_step)
        if task == "meta":
            got = _read_title(questions, text, sections, catalog)
        elif task == "prose":
            facts = [f for f in catalog.facts_from("prose") if wanted is None or f.id in wanted]
            got = _read_facts(questions, facts, text, sections, {**(known or {}), **_sure(result)})
        else:
            spec = catalog.table(fmt, task)
            got = _read_table(questions, spec, catalog.identities_of(fmt, task), text, sections.get(task),
                              wanted, known or {}, ask_all)  # fmt: skip
        result.add(got)
        usage.add(questions.usage)
    result.usage = usage
    return result


def _sure(reading: Reading) -> dict[str, Value]:
    return {f: r.value for f, r in reading.fields.items() if r.confident}


# --- tables ------------------------------------------------------------------------------


@dataclass
class _Placed:
    """A statement placed on a row, by the rules or the model, and its values by column."""

    statement: Statement
    by_model: bool
    columns: dict[str, Item] = field(default_factory=dict)
    model_columns: set[str] = field(default_factory=set)


def _read_table(
    questions: _Questions,
    spec: TableSpec,
    identities: tuple[Identity, ...],
    text: str,
    section: Section | None,
    wanted: set[str] | None,
    known: Known,
    ask_all: bool,
) -> Reading:
    result = Reading()
    if section is None:
        result.notes.append(f"llm {spec.id}: section not found, not asked")
        return result
    ids = [f for f in spec.field_ids() if wanted is None or f in wanted]
    wanted_rows = {i for i, row in enumerate(spec.rows) if any(_row_of(f) == row.id for f in ids)}
    statements = find_statements(text, section.body_start, section.end)
    by_label, runs = place_by_rules(spec, statements, wanted_rows, ask_all)
    placed = {row: _Placed(statement, False) for row, statement in by_label.items()}
    asked = [s for run in runs for s in run.statements]
    failed: LLMError | None = None
    try:
        _place_by_model(questions, spec, statements, runs, placed, wanted_rows, result)
    except LLMError as exc:
        failed = exc
    for index, found in placed.items():
        try:
            _fill_columns(questions, spec, spec.rows[index], text, found, result, may_ask=failed is None)
        except LLMError as exc:
            failed = exc
    if failed is not None:
        result.problem(f"llm {spec.id}: {failed}", [f for f in ids if _row_of(f) not in {
            spec.rows[i].id for i, p in placed.items() if p.columns}])  # fmt: skip
    fixed = {f: v for f, v in known.items() if f.startswith(spec.id + ".") and f not in ids}
    pinned = failed is None and _rows_pinned(spec, identities, text, placed, asked, fixed)
    for index, found in sorted(placed.items()):
        if index in wanted_rows:
            _record(spec, spec.rows[index], text, found, pinned or not found.by_model, result)
    if failed is None:
        result.problem(
            f"llm {spec.id}: no statement found for these", [f for f in ids if f not in result.fields]
        )
        result.problems = [p for p in result.problems if p.fields]
    by_rules = sum(not p.by_model for p in placed.values())
    if by_rules:
        result.notes.append(
            f"llm {spec.id}: {by_rules} rows placed by label or order, {len(asked)} statements asked"
        )
    return result


def _row_of(field_id: str) -> str:
    return field_id.split(".")[1]


def _place_by_model(
    questions: _Questions,
    spec: TableSpec,
    statements: list[Statement],
    runs: list[Run],
    placed: dict[int, _Placed],
    wanted_rows: set[int],
    result: Reading,
) -> None:
    """Ask which row each statement of each run gives. Rows keep their order, so a statement
    may be the row after the one the statement before it took, or a later one when the run has
    more rows left than statements (a row the report does not state), or none of them (a
    remark): those are its options. A row chosen twice, or one placed or read already, is taken
    by none of them."""
    names = row_names(spec)
    chosen: dict[int, list[Statement]] = defaultdict(list)
    questions.expect(sum(len(run.statements) for run in runs))
    for run in runs:
        after = run.rows.start
        for n, statement in enumerate(run.statements):
            skips = max(0, (run.rows.stop - after) - (len(run.statements) - n))
            window = range(after, min(run.rows.stop, after + 1 + skips))
            allowed = [i for i in window if _placeable(spec.rows[i], statement)]
            if not allowed:  # no row left for it that its values could fill: it is none of them
                questions.expect(-1)
                continue
            index = _which_row(questions, spec, [names[i] for i in allowed], _context(statements, statement))
            if index is not None:
                chosen[allowed[index]].append(statement)
                after = allowed[index] + 1
    for index, taken in chosen.items():
        if len(taken) > 1 or index in placed or index not in wanted_rows:
            why = "for several statements" if len(taken) > 1 else "read otherwise"
            result.notes.append(f"llm {spec.id}: the model chose row {spec.rows[index].id} {why}: not taken")
        else:
            placed[index] = _Placed(taken[0], by_model=True)


def _which_row(questions: _Questions, spec: TableSpec, names: list[str], context: str) -> int | None:
    """Which of the rows ``names`` the statement marked in ``context`` gives, or None. One row
    is asked as yes or no: options that never change, so the server keeps the prompt's start
    from one question to the next and reads only the question."""
    if len(names) == 1:
        answer = questions.choose("row_check", YES_NO, table=spec.title, context=context, row=names[0])
        return 0 if answer == YES_NO[0] else None
    options = (*names, NONE_OF_THEM)
    listing = "\n".join(f"- {name}" for name in names)
    choice = questions.choose("rows", options, table=spec.title, context=context, rows=listing)
    return None if choice == NONE_OF_THEM else options.index(choice)


def _placeable(row: RowSpec, statement: Statement) -> bool:
    """Whether the statement's values could fill ``row``: by their words or order, or each with
    words the model could read as one of its columns."""
    return columns_of(row, statement) is not None or all(column_choices(row, statement))


def _context(statements: list[Statement], statement: Statement, around: int = 2) -> str:
    """The labels of the statements around ``statement``, it marked →."""
    at = statements.index(statement)
    shown = statements[max(at - around, 0) : at + around + 1]
    return "\n".join(("→ " if s is statement else "  ") + f"「{s.label}」" for s in shown)


def _fill_columns(
    questions: _Questions,
    spec: TableSpec,
    row: RowSpec,
    text: str,
    found: _Placed,
    result: Reading,
    may_ask: bool,
) -> None:
    """The columns of a placed statement's values: by their words or order, else, for a value
    whose words name no column (a wording to interpret), the model's choice."""
    by_rules = columns_of(row, found.statement)
    if by_rules is not None:
        found.columns = by_rules
        return
    choices = column_choices(row, found.statement)
    if not all(choices) or not may_ask:  # values without words whose order does not fit: nothing to go by
        return
    options = (*row.column_titles, NONE_OF_THEM)
    picked: dict[str, list[Item]] = defaultdict(list)
    questions.expect(sum(len(c) > 1 for c in choices))
    for position, (item, allowed) in enumerate(zip(found.statement.items, choices, strict=True)):
        column = row.columns[allowed[0]] if len(allowed) == 1 else None
        if column is None:
            choice = questions.choose(
                "columns", options, table=spec.title, row=row.title, statement=found.statement.quoted(text),
                number=text[item.start : item.end], position=str(position + 1), words=item.words,
            )  # fmt: skip
            column = row.columns[options.index(choice)] if choice != NONE_OF_THEM else None
            if column:
                found.model_columns.add(column)
        if column:
            picked[column].append(item)
    for column, items in picked.items():
        if len(items) == 1:
            found.columns[column] = items[0]
        else:
            result.notes.append(f"llm {spec.id}.{row.id}: several values for column {column}: none taken")


def _values(spec: TableSpec, row: RowSpec, text: str, columns: Mapping[str, Item]) -> dict[str, Value] | None:
    """The values a statement gives a row (by its columns as placed); None when one is unreadable."""
    values: dict[str, Value] = {}
    for column, kind in zip(row.columns, row.kinds, strict=True):
        item = columns.get(column)
        try:
            values[f"{spec.id}.{row.id}.{column}"] = item.value(text, kind) if item else None
        except ValueError:
            return None
    return values


def _record(
    spec: TableSpec, row: RowSpec, text: str, found: _Placed, row_pinned: bool, result: Reading
) -> None:
    columns_pinned = _columns_pinned(row, text, found)
    for column, kind in zip(row.columns, row.kinds, strict=True):
        field_id = f"{spec.id}.{row.id}.{column}"
        item = found.columns.get(column)
        method = "llm" if found.by_model or column in found.model_columns else "rule"
        if item is None:
            note = (
                "its statement does not state it" if found.columns else "its values' columns are not settled"
            )
            result.fields[field_id] = FieldReading(None, None, None, method, confident=False, note=note)
            continue
        try:
            value = item.value(text, kind)
        except ValueError as exc:
            result.fields[field_id] = FieldReading(None, item.start, item.end, method, False, str(exc))
            continue
        confident = row_pinned and (column not in found.model_columns or columns_pinned)
        note = "" if confident else "placed by the model; the identities do not settle it"
        result.fields[field_id] = FieldReading(value, item.start, item.end, method, confident, note)


def _columns_pinned(row: RowSpec, text: str, found: _Placed) -> bool:
    """The columns the model chose are pinned only when every column is filled and the values
    it placed are all the same (so any other choice among them gives the same row)."""
    placed = {
        text[found.columns[c].start : found.columns[c].end] for c in found.model_columns if c in found.columns
    }
    return len(placed) <= 1 and len(found.columns) == len(row.columns)


def _rows_pinned(
    spec: TableSpec,
    identities: tuple[Identity, ...],
    text: str,
    placed: dict[int, _Placed],
    pool: list[Statement],
    fixed: Known,
) -> bool:
    """Whether the identities pin the rows the model chose: every row of the table is read, the
    model's rows satisfy every identity, and every other way of giving those rows statements
    from the ones asked about that satisfies them gives the same values."""
    by_model = [i for i, p in placed.items() if p.by_model]
    if not by_model:
        return True
    known: dict[str, Value] = dict(fixed)
    chosen: dict[str, Value] = {}
    for index, found in placed.items():
        values = _values(spec, spec.rows[index], text, found.columns)
        if values is None or len(found.columns) < len(spec.rows[index].columns):
            return False
        (chosen if found.by_model else known).update(values)
    if any(f not in known and f not in chosen for f in spec.field_ids()):  # a row no one read
        return False
    if _breaks(identities, {**known, **chosen}, chosen):
        return False
    order = _order(by_model, spec, identities, set(known))
    signatures = [_signature(spec, text, statement, order) for statement in pool]
    if any(s is None for s in signatures):  # a statement that cannot be weighed on these rows
        return False
    weighing = _Weighing(spec, identities, order, [s for s in signatures if s is not None], chosen)
    return not weighing.finds_another(0, known, frozenset())


def _signature(spec: TableSpec, text: str, statement: Statement, rows: list[int]) -> tuple | None:
    """The values a statement would give each of ``rows``, in order; None where it cannot."""
    given = []
    for index in rows:
        columns = columns_of(spec.rows[index], statement)
        values = _values(spec, spec.rows[index], text, columns) if columns is not None else None
        if values is None:
            return None
        given.append(tuple(values.items()))
    return tuple(given)


@dataclass
class _Weighing:
    """A search for another way of giving the model's rows statements that the identities allow."""

    spec: TableSpec
    identities: tuple[Identity, ...]
    order: list[int]
    signatures: list[tuple]
    chosen: dict[str, Value]
    nodes: int = 0

    def finds_another(self, depth: int, values: dict[str, Value], used: frozenset[int]) -> bool:
        self.nodes += 1
        if self.nodes > _MAX_NODES:
            return True  # too many ways to weigh: not pinned
        if depth == len(self.order):
            return any(not same_value(values[f], v) for f, v in self.chosen.items())
        seen: set[tuple] = set()
        for k, signature in enumerate(self.signatures):
            if k in used or signature in seen:  # statements alike on every row: one is enough
                continue
            seen.add(signature)
            given = dict(signature[depth])
            trial = {**values, **given}
            if not _breaks(self.identities, trial, given) and self.finds_another(
                depth + 1, trial, used | {k}
            ):
                return True
        return False


def _order(rows: list[int], spec: TableSpec, identities: tuple[Identity, ...], known: set[str]) -> list[int]:
    """The model's rows in the order that completes identities soonest, so the search prunes."""
    order: list[int] = []
    have = set(known)
    left = list(rows)

    def fields_of(index: int) -> set[str]:
        return {f"{spec.id}.{spec.rows[index].id}.{c}" for c in spec.rows[index].columns}

    while left:
        best = max(left, key=lambda i: sum(set(a + b) <= have | fields_of(i) for _, a, b in identities))
        left.remove(best)
        order.append(best)
        have |= fields_of(best)
    return order


def _breaks(
    identities: Iterable[Identity], values: Mapping[str, Value], touched: Mapping[str, Value]
) -> bool:
    """Whether an identity over ``touched`` fields whose fields are all known fails (blanks count 0)."""
    for _, left, right in identities:
        fields = left + right
        if touched.keys().isdisjoint(fields) or any(f not in values for f in fields):
            continue
        if sum(_number(values[f]) for f in left) != sum(_number(values[f]) for f in right):
            return True
    return False


def _number(value: Value) -> float:
    return value if isinstance(value, int | float) else 0


# --- prose facts -------------------------------------------------------------------------


@dataclass
class _FactQuestion:
    """A prose fact's options: each count stated in the sentences about it, the words that say
    there was none, and "not one exact number"; with the sentences that hold them."""

    fact: FactSpec
    options: dict[str, tuple[Value, tuple[int, int] | None]]
    shown: str


def _read_facts(
    questions: _Questions, facts: list[FactSpec], text: str, sections: dict[str, Section], known: Known
) -> Reading:
    result = Reading()
    asked = [q for fact in facts if (q := _fact_question(fact, text, sections)) is not None]
    questions.expect(len(asked))
    for question in asked:
        fact = question.fact
        try:
            choice = questions.choose(
                "facts", tuple(question.options), section=question.shown, fact=fact.description
            )
        except LLMError as exc:
            result.problem(f"llm prose: {exc}", [q.fact.id for q in asked if q.fact.id not in result.fields])
            break
        value, span = question.options[choice]
        alternatives = {v for v, _ in question.options.values()}
        pinned = _fact_pinned(fact, value, alternatives, known)
        note = "" if pinned else "chosen by the model; no identity settles it"
        start, end = span or (None, None)
        result.fields[fact.id] = FieldReading(value, start, end, "llm", confident=pinned, note=note)
    return result


def _fact_question(fact: FactSpec, text: str, sections: dict[str, Section]) -> _FactQuestion | None:
    """The question about ``fact``, or None when the text states no count of it and no "none"."""
    regions = []
    for sid in fact.sections:
        if (section := sections.get(sid)) is not None:
            regions.append(fact.region(text, section.body_start, section.end))
    pieces = [p for start, end in regions for p in pieces_about(fact, text, start, end)]
    # a count in another unit too (发布政府信息 393 件: the rules doubt it; the model may tell)
    units = count_pattern(fact.any_units, fact.kind)
    counts = [m for start, end in pieces for m in units.finditer(text, start, end)]
    none = next((span for start, end in regions if (span := find_none_stated(fact, text, start, end))), None)
    if not counts and none is None:
        return None
    options: dict[str, tuple[Value, tuple[int, int] | None]] = {}
    for n, match in enumerate(counts, 1):
        options[f"{n}: …{_one_line(text[max(match.start() - 16, 0) : match.end()])}"] = (
            count_value(match["n"]),
            match.span("n"),
        )
    if none is not None:
        options[f"{len(options) + 1}: 文中说没有：{text[none[0] : none[1]]}"] = (0, none)
    options[NOT_ONE_NUMBER] = (None, None)
    held = [p for p in pieces if _holds(p, counts, none)]
    return _FactQuestion(fact, options, "\n".join(_one_line(text[start:end]) for start, end in held))


def _one_line(words: str) -> str:
    return " ".join(words.split())


def _holds(piece: tuple[int, int], counts: list[re.Match[str]], none: tuple[int, int] | None) -> bool:
    inside = range(*piece)
    return any(m.start() in inside for m in counts) or (none is not None and none[0] in inside)


def _fact_pinned(fact: FactSpec, value: Value, alternatives: set[Value], known: Known) -> bool:
    """A fact the model chose is pinned when an identity (table 三's applications) confirms its
    value and would confirm none of the other options'."""

    def confirmed(candidate: Value) -> bool:
        if candidate is None:
            return False
        checks = [c for c in prose_identities({**known, fact.id: candidate}) if fact.id in c.fields]
        others = {f for c in checks for f in c.fields if f != fact.id}
        return bool(checks) and all(c.passed for c in checks) and others <= known.keys()

    return confirmed(value) and not any(confirmed(v) for v in alternatives if not same_value(v, value))


# --- the title ---------------------------------------------------------------------------


def _read_title(questions: _Questions, text: str, sections: dict[str, Section], catalog: Catalog) -> Reading:
    """The title's facts in the model's words, each accepted only where the title shows it."""
    result = Reading()
    first = min((s.start for s in sections.values()), default=min(len(text), 600))
    if first <= 0:
        result.notes.append("llm meta: section not found, not asked")
        return result
    prompt = load_prompt("meta")
    messages = prompt.messages(section=text[:first].strip("\n"), facts=facts_listing("title", catalog))
    questions.expect(1)
    try:
        reply = questions.client.ask(
            prompt.version,
            title_answer_model(catalog),
            messages,
            context(text, [(0, first)], catalog=catalog),
        )
    except LLMError as exc:
        questions.failed(exc)
        result.problem(f"llm meta: {exc}", [f.id for f in catalog.facts_from("title")])
        return result
    questions.done(reply.usage)
    for field_id, value in reply.answer.to_fields().items():
        if isinstance(value, str):
            at = text.find(value, 0, first)
            result.fields[field_id] = FieldReading(value, at, at + len(value), method="llm")
        elif isinstance(value, int | float):
            start, end = find_number(text, value, 0, first) or (None, None)
            result.fields[field_id] = FieldReading(
                value, start, end, method="llm", confident=start is not None
            )
        else:
            result.fields[field_id] = FieldReading(None, None, None, method="llm")
    for field_id, value in reply.answer.rejected.items():
        note = f"the model answered {value!r}, which the title does not show: rejected"
        result.fields[field_id] = FieldReading(None, None, None, method="llm", confident=False, note=note)
    return result
