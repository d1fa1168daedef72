"""Response schemas for the language model: pydantic models the model's answer must fit.

Most questions list their options — a table's row labels, a row's column titles, the
candidate numbers found in the text — and the answer is one of them (:func:`choice_model`,
an enum the server's grammar enforces): the model chooses, it never types a number. The
title's facts are answered in words, and validation cannot be talked past: every value must
be shown in the text it was given. A failure names the fields and reasons, which instructor
sends back to the model. The validation context (see :func:`context`) carries the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, create_model, model_validator

from .catalog import CATALOG, Catalog, FactSpec
from .models import Value
from .values import ValueKind, find_number

_ITEM_TYPE: dict[ValueKind, Any] = {
    ValueKind.COUNT: int | None,
    ValueKind.CHANGE: int | None,
    ValueKind.MONEY: float | None,
    ValueKind.TEXT: str | None,
}


def context(text: str, regions: list[tuple[int, int]], catalog: Catalog = CATALOG) -> dict[str, Any]:
    """The validation context of an answer about the ``regions`` of ``text`` it was shown."""
    return {"text": text, "regions": regions, "catalog": catalog}


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
            f"{field_id} = {value}: the text does not state {value}"
            for field_id, value in self.ungrounded(ctx).items()
        ]

    def _is_stated(self, field_id: str, value: float, ctx: Mapping[str, Any]) -> bool:
        text = ctx["text"]
        return any(find_number(text, value, start, end) for start, end in ctx["regions"])

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
        if errors:
            raise ValueError(
                "Answer with the numbers exactly as printed in the text; never compute or invent one. "
                "Problems: " + "; ".join(errors)
            )
        return self


class TitleAnswer(Answer):
    """The title's facts, one field per fact of the catalog (its name, its description): the
    agency exactly as shown, the year as a number shown."""

    facts: ClassVar[tuple[FactSpec, ...]]

    def to_fields(self) -> dict[str, Value]:
        return {fact.id: getattr(self, fact.name) for fact in type(self).facts}

    def ungrounded(self, ctx: Mapping[str, Any]) -> dict[str, Value]:
        found = super().ungrounded(ctx)
        shown = "".join(ctx["text"][start:end] for start, end in ctx["regions"])
        for field_id, value in self.to_fields().items():
            if isinstance(value, str) and value not in shown:
                found[field_id] = value
        return found


@cache
def title_answer_model(catalog: Catalog = CATALOG) -> type[TitleAnswer]:
    """The response model of the facts the catalog reads from the title."""
    facts = catalog.facts_from("title")
    fields: dict[str, Any] = {
        fact.name: (_ITEM_TYPE[fact.kind], Field(None, description=fact.description)) for fact in facts
    }
    model = create_model(f"TitleAnswer_{len(facts)}", __base__=TitleAnswer, **fields)
    model.facts = facts
    return model


class Choice(Answer):
    """The answer to a question that lists its options: one of them, nothing typed."""

    answer: str

    def to_fields(self) -> dict[str, Value]:
        return {}


@cache
def choice_model(options: tuple[str, ...]) -> type[Choice]:
    """The response model of a question whose answer is one of ``options`` (an enum: the server's
    grammar keeps the model to them)."""
    one_of: Any = Literal.__getitem__(options)
    return create_model("Choice", __base__=Choice, answer=(one_of, Field(description="one of the options")))
