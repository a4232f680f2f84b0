"""Pydantic fields from rows of `engine.fields`: type, default, range and description, nothing restated.

Static bounds on a single value are enforced here (`learning_rate: Input should be greater than 0`).
Bounds that depend on a server setting, and bounds on list items, are only documented in the JSON
schema: `app.limits` and the engine enforce those, with messages that name the setting or the layer.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from fastapi import Query
from pydantic import Field
from pydantic.fields import FieldInfo

from app.schemas import vocab
from engine import fields
from engine.fields import FieldSpec

_SCALARS = {"number": float, "integer": int, "string": str}
_BOUNDS = {"minimum": "ge", "maximum": "le", "exclusive_minimum": "gt", "exclusive_maximum": "lt"}
_SCHEMA_BOUNDS = {"max_items": "maxItems", "min_items": "minItems"}


# A field offered with more choices than the table's (an exported config's init may be "explicit")
# names its wider set here.
WIDER = {("init", "explicit"): ("InitRecorded", "; explicit: the weights were given, not drawn")}


def _scalar(f: FieldSpec, extra_choices: tuple = ()) -> Any:
    if f.choices is not None and f.vocabulary and (not extra_choices or (f.name, *extra_choices) in WIDER):
        return vocab.of_field(f, extra_choices, *WIDER.get((f.name, *extra_choices), ("", "")))
    if f.choices is not None:
        return Literal[tuple(f.choices) + extra_choices]
    return _SCALARS[f.type.removesuffix("_list")]


def _item_bounds(f: FieldSpec, settings) -> dict:
    return {name: value for name in ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum")
            if (value := fields.bound(f, name, settings)) is not None}


def annotation(f: FieldSpec, settings, extra_choices: tuple = ()) -> Any:
    """The Python type of a field's value (lists and per-layer names included)."""
    scalar = _scalar(f, extra_choices)
    if f.type.endswith("_list"):
        bounds = _item_bounds(f, settings) if f.choices is None else {}
        item = Annotated[scalar, Field(json_schema_extra=bounds)] if bounds else scalar
        return list[item]
    return Union[scalar, list[scalar]] if f.per_hidden_layer else scalar


def field_info(f: FieldSpec, settings, optional: bool = False, description: str | None = None) -> FieldInfo:
    """Default (None when `optional`), enforced static bounds, and documented server-dependent ones."""
    kwargs: dict = {"description": description or f.description}
    extra: dict = {}
    if not f.type.endswith("_list"):
        for name, keyword in _BOUNDS.items():
            if getattr(f, name) is not None:
                kwargs[keyword] = getattr(f, name)
        for name, _, _ in f.limits:  # documented; app.limits refuses with the setting's name
            extra[name] = fields.bound(f, name, settings)
    else:
        if f.min_items is not None:
            kwargs["min_length"] = f.min_items
        for name, key in _SCHEMA_BOUNDS.items():
            value = fields.bound(f, name, settings)
            if value is not None and name != "min_items":
                extra[key] = value
    if extra:
        kwargs["json_schema_extra"] = extra
    if optional:
        return Field(None, **kwargs)
    if isinstance(f.default, tuple):
        default = f.default
        return Field(default_factory=lambda: list(default), **kwargs)
    return Field(f.default, **kwargs)


def definitions(specs: list[FieldSpec], settings, optional: bool = False,
                extra_choices: dict[str, tuple] | None = None) -> dict[str, tuple]:
    """`create_model` keyword arguments for `specs`, keyed by each field's name inside its object."""
    out = {}
    for f in specs:
        kind = annotation(f, settings, (extra_choices or {}).get(f.name, ()))
        out[f.key] = (Optional[kind] if optional else kind, field_info(f, settings, optional))
    return out


def query(name: str) -> Any:
    """A query parameter for a table field (its default, static bounds and description)."""
    f = fields.spec(name)
    bounds = {keyword: getattr(f, bound) for bound, keyword in _BOUNDS.items() if getattr(f, bound) is not None}
    return Query(f.default, description=f.description, **bounds)
