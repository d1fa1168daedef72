"""Response schemas for the language model: pydantic models the model's answer must fit.

Built from the catalog's table descriptions, like the parser: a table row is a
fixed-length array in column order (compact to generate). Validation cannot be talked
past: every number must be stated in the section's text (for a table value, near its
row's label when the label is printed), and a table must satisfy the identities of
``fields.md``. A failure names the exact fields and reasons, which instructor sends back
to the model. The validation context (see :func:`context`) carries the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, create_model, model_validator

from .catalog import CATALOG, Catalog, FactSource, FactSpec, TableSpec
from .locate import find_none_stated, find_number_about, row_windows
from .models import Value
from .validators import identity
from .values import ValueKind, find_number

_ITEM_TYPE: dict[ValueKind, Any] = {
    ValueKind.COUNT: int | None,
    ValueKind.CHANGE: int | None,
    ValueKind.MONEY: float | None,
    ValueKind.TEXT: str | None,
}


def context(
    text: str, regions: list[tuple[int, int]], check_identities: bool = True, catalog: Catalog = CATALOG
) -> dict[str, Any]:
    """The validation context of an answer about the ``regions`` of ``text`` it was shown."""
    return {"text": text, "regions": regions, "check_identities": check_identities, "catalog": catalog}


class Answer(BaseModel):
    """Base of every response model: its values by field id, validated against the text.

    With ``salvage`` in the context (after the last re-ask), ungrounded values are not
    accepted either: they are removed from the answer and kept in :attr:`rejected`.
    """

    model_config = ConfigDict(extra="forbid")
    _rejected: dict[str, Value] = PrivateAttr(default_factory=dict)

    @property
    def rejected(self) -> dict[str, Value]:
        """Values the model gave that the text does not state (removed, never accepted)."""
        return self._rejected

    def to_fields(self) -> dict[str, Value]:
        raise NotImplementedError

    def _clear(self, field_id: str) -> None:
        setattr(self, field_id.split(".")[-1], None)

    def ungrounded(self, ctx: Mapping[str, Any]) -> dict[str, Value]:
        """Every returned value that the text does not state."""
        return {
            field_id: value
            for field_id, value in self.to_fields().items()
            if isinstance(value, int | float)
            and not isinstance(value, bool)
            and not self._is_stated(field_id, value, ctx)
        }

    def grounding_errors(self, ctx: Mapping[str, Any]) -> list[str]:
        """Every ungrounded value, as a sentence the model can act on."""
        return [
            f"{field_id} = {value}: {self._where(field_id)} does not state {value}"
            for field_id, value in self.ungrounded(ctx).items()
        ]

    def identity_errors(self, ctx: Mapping[str, Any]) -> list[str]:
        return []

    def _is_stated(self, field_id: str, value: float, ctx: Mapping[str, Any]) -> bool:
        text = ctx["text"]
        return any(find_number(text, value, start, end) for start, end in ctx["regions"])

    def _where(self, field_id: str) -> str:
        return "the text"

    @model_validator(mode="after")
    def _check_against_text(self, info: ValidationInfo) -> Answer:
        ctx = info.context
        if not ctx:  # outside an extraction (e.g. building a schema): nothing to check against
            return self
        if ctx.get("salvage"):
            for field_id, value in self.ungrounded(ctx).items():
                self._clear(field_id)
                self._rejected[field_id] = value
            return self
        errors = self.grounding_errors(ctx)
        if not errors and ctx.get("check_identities", True):
            errors = self.identity_errors(ctx)
        if errors:
            raise ValueError(
                "Answer with the numbers exactly as printed in the text; never compute or invent one. "
                "Problems: " + "; ".join(errors)
            )
        return self


class TableAnswer(Answer):
    """A table: one field per row, each an array of the row's values in column order."""

    table_spec: ClassVar[TableSpec]
    table_format: ClassVar[str]

    def to_fields(self) -> dict[str, Value]:
        spec: TableSpec = type(self).table_spec
        fields = {}
        for row in spec.rows:
            values = getattr(self, row.id)
            for col, value in zip(row.columns, values, strict=True):
                fields[f"{spec.id}.{row.id}.{col}"] = value
        return fields

    def _clear(self, field_id: str) -> None:
        _, row_id, column = field_id.split(".")
        getattr(self, row_id)[type(self).table_spec.row(row_id).columns.index(column)] = None

    def _windows(self, ctx: Any) -> dict[str, tuple[int, int]]:
        if "_windows" not in ctx:  # found once per answer, kept in the context for the re-asks
            ctx["_windows"] = row_windows(type(self).table_spec, ctx["text"], *ctx["regions"][0])
        return ctx["_windows"]

    def _is_stated(self, field_id: str, value: float, ctx: Mapping[str, Any]) -> bool:
        window = self._windows(ctx).get(field_id.split(".")[1])
        if window is None:  # no printed label near the values (lost, or a flat table): the section must do
            return super()._is_stated(field_id, value, ctx)
        return find_number(ctx["text"], value, *window) is not None

    def _where(self, field_id: str) -> str:
        row = type(self).table_spec.row(field_id.split(".")[1])
        return f"the row {row.title}"

    def identity_errors(self, ctx: Mapping[str, Any]) -> list[str]:
        spec: TableSpec = type(self).table_spec
        fields = self.to_fields()
        errors = []
        for check_id, left, right in ctx.get("catalog", CATALOG).identities(type(self).table_format):
            if not left[0].startswith(spec.id + "."):
                continue
            check = identity(check_id, left, right, fields)  # the same check the document gets
            if not check.passed:
                errors.append(
                    f"{check_id}: {' + '.join(left)} should equal {' + '.join(right)}, "
                    f"but the answer gives {check.detail}"
                )
        return errors


@cache
def table_answer_model(spec: TableSpec, fmt: str) -> type[TableAnswer]:
    """The response model of one standard table in one format."""
    rows: dict[str, Any] = {}
    for row in spec.rows:
        item: Any = _ITEM_TYPE[row.kinds[0]] if len(set(row.kinds)) == 1 else int | float | None
        n = len(row.columns)
        rows[row.id] = (
            list[item],
            Field(min_length=n, max_length=n, description=f"{row.title}: [{', '.join(row.columns)}]"),
        )
    model = create_model(f"{spec.id.upper()}Answer_{fmt}", __base__=TableAnswer, **rows)
    model.table_spec = spec
    model.table_format = fmt
    return model


class FactsAnswer(Answer):
    """Facts stated in words, one field per fact of the catalog (its name, its description)."""

    facts: ClassVar[tuple[FactSpec, ...]]

    def to_fields(self) -> dict[str, Value]:
        return {fact.id: getattr(self, fact.name) for fact in type(self).facts}


class ProseAnswer(FactsAnswer):
    """The prose facts: each grounded only where the text speaks of that very fact."""

    def _is_stated(self, field_id: str, value: float, ctx: Mapping[str, Any]) -> bool:
        text, fact = ctx["text"], ctx.get("catalog", CATALOG).fact(field_id)
        return any(
            find_number_about(fact, text, value, start, end)
            or (value == 0 and find_none_stated(fact, text, start, end))
            for start, end in ctx["regions"]
        )

    def _where(self, field_id: str) -> str:
        return f"no sentence about {field_id.split('.')[1]}"


class TitleAnswer(FactsAnswer):
    """The title's facts: the agency exactly as shown, the year as a number shown."""

    def ungrounded(self, ctx: Mapping[str, Any]) -> dict[str, Value]:
        found = super().ungrounded(ctx)
        shown = "".join(ctx["text"][start:end] for start, end in ctx["regions"])
        for field_id, value in self.to_fields().items():
            if isinstance(value, str) and value not in shown:
                found[field_id] = value
        return found


_FACT_ANSWERS: dict[FactSource, type[FactsAnswer]] = {"prose": ProseAnswer, "title": TitleAnswer}


@cache
def facts_answer_model(source: FactSource, catalog: Catalog = CATALOG) -> type[FactsAnswer]:
    """The response model of the facts the catalog reads from ``source`` (``prose``, ``title``)."""
    facts = catalog.facts_from(source)
    fields: dict[str, Any] = {
        fact.name: (_ITEM_TYPE[fact.kind], Field(None, description=fact.description)) for fact in facts
    }
    base = _FACT_ANSWERS[source]
    model = create_model(f"{base.__name__}_{len(facts)}", __base__=base, **fields)
    model.facts = facts
    return model
