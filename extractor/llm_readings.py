"""Model readings: sections the rules could not read with confidence, read by a language model.

One task per section (table 二, 三, 四, the prose facts, the title when it is odd); the
model sees that section's text only. Every value that comes back is grounded to a span of
the text: a table value near its row's label when the label is printed (otherwise it is
not confident: nothing ties it to its row), a prose fact where the number is stated.
"""

from __future__ import annotations

from dataclasses import replace

from .catalog import CATALOG, Catalog, Format, TableSpec
from .llm_client import LLMClient, LLMError
from .llm_schemas import Answer, context, facts_answer_model, table_answer_model
from .locate import find_none_stated, find_number_about, flat_cells, row_windows
from .models import FieldReading, Reading
from .prompting import load_prompt
from .segmenting import Section
from .values import find_number, number_tokens


def read_with_llm(
    client: LLMClient,
    text: str,
    sections: dict[str, Section],
    fmt: Format,
    tasks: list[str],
    catalog: Catalog = CATALOG,
) -> Reading:
    """Ask the model for each of ``tasks`` and ground its answers in ``text``."""
    result = Reading()
    before = replace(client.usage)
    for task in tasks:
        regions = _regions(task, sections, len(text))
        if not regions:
            result.notes.append(f"llm {task}: section not found, not asked")
            continue
        model, prompt_name, spec = _task(task, fmt, catalog)
        prompt = load_prompt(prompt_name)
        shown = "\n……\n".join(text[start:end].strip("\n") for start, end in regions)
        try:
            reply = client.ask(
                prompt.version,
                model,
                prompt.messages(shown, spec, catalog),
                context(text, regions, catalog=catalog),
            )
        except LLMError as exc:
            ids = spec.field_ids() if spec else list(model().to_fields())
            result.problem(f"llm {task}: {exc}", ids)
            continue
        if reply.inconsistent:
            result.notes.append(f"llm {task}: the text itself breaks an identity ({reply.detail})")
        result.fields.update(_ground(reply.answer, text, regions, spec, catalog))
        for field_id, value in reply.answer.rejected.items():
            note = f"the model answered {value!r}, which the text does not state: rejected"
            result.fields[field_id] = FieldReading(None, None, None, method="llm", confident=False, note=note)
            result.notes.append(f"llm {task}: {field_id}: {note}")
    result.usage = client.usage.since(before)
    return result


def _task(task: str, fmt: Format, catalog: Catalog) -> tuple[type[Answer], str, TableSpec | None]:
    if task in ("t2", "t3", "t4"):
        spec = catalog.table(fmt, task)
        prompt = f"t2_{fmt}" if task == "t2" else task
        return table_answer_model(spec, str(fmt)), prompt, spec
    if task == "prose":
        return facts_answer_model("prose", catalog), "prose", None
    if task == "meta":
        return facts_answer_model("title", catalog), "meta", None
    raise ValueError(f"unknown task {task!r}")


def _regions(task: str, sections: dict[str, Section], length: int) -> list[tuple[int, int]]:
    if task == "meta":
        first = min((s.start for s in sections.values()), default=min(length, 600))
        return [(0, first)] if first > 0 else []
    if task == "prose":
        return [(s.body_start, s.end) for sid, s in sections.items() if sid in ("overview", "other")]
    section = sections.get(task)
    return [(section.body_start, section.end)] if section else []


def _ground(
    answer: Answer, text: str, regions: list[tuple[int, int]], spec: TableSpec | None, catalog: Catalog
) -> dict[str, FieldReading]:
    """Each returned value with the span it was read from."""
    windows = row_windows(spec, text, *regions[0]) if spec else {}
    flat = flat_cells(spec, text, *regions[0]) if spec is not None and spec.flat else {}
    readings = {}
    for field_id, value in answer.to_fields().items():
        if value is None:
            readings[field_id] = FieldReading(None, None, None, method="llm")
        elif isinstance(value, str):
            at = text.find(value, *regions[0])
            readings[field_id] = FieldReading(value, at, at + len(value), method="llm")
        elif field_id in flat and flat[field_id][0] == value:  # the very cell of a flat table
            readings[field_id] = FieldReading(value, flat[field_id][1], flat[field_id][2], method="llm")
        elif spec is not None and spec.flat:
            readings[field_id] = _found_or_doubtful(value, find_number(text, value, *regions[0]))
        elif spec is not None:
            readings[field_id] = _ground_cell(field_id, value, text, regions[0], windows, spec)
        else:
            readings[field_id] = _ground_prose(field_id, value, text, regions, catalog)
    return readings


def _found_or_doubtful(value: float, span: tuple[int, int] | None, note: str = "") -> FieldReading:
    start, end = span or (None, None)
    return FieldReading(value, start, end, method="llm", confident=bool(span) and not note, note=note)


def _ground_cell(
    field_id: str,
    value: float,
    text: str,
    region: tuple[int, int],
    windows: dict[str, tuple[int, int]],
    spec: TableSpec,
) -> FieldReading:
    _, row_id, column = field_id.split(".")
    window = windows.get(row_id)
    if window is None:  # no printed label to tie the value to its row
        note = "no row label printed to ground this value near"
        return _found_or_doubtful(value, find_number(text, value, *region), note)
    columns = spec.row(row_id).columns
    numbers = list(number_tokens(text, *window))
    if len(numbers) >= len(columns) and numbers[-len(columns) :][columns.index(column)][0] == value:
        _, start, end = numbers[-len(columns) :][columns.index(column)]  # the very cell
        return FieldReading(value, start, end, method="llm")
    return _found_or_doubtful(value, find_number(text, value, *window))


def _ground_prose(
    field_id: str, value: float, text: str, regions: list[tuple[int, int]], catalog: Catalog
) -> FieldReading:
    fact = catalog.fact(field_id)
    for start, end in regions:
        span = find_number_about(fact, text, value, start, end) or (
            find_none_stated(fact, text, start, end) if value == 0 else None
        )
        if span:
            return FieldReading(value, *span, method="llm")
    return FieldReading(value, None, None, method="llm", confident=False, note="not found in the text")
