"""The API's closed vocabularies, each one named enum in OpenAPI, however many fields use it.

A field typed `Literal[...]` would be written out again in every schema that holds it, and a client
generator makes one class per copy (six activation enums, one per model and per list). `term(name,
values, description)` keeps pydantic's `Literal` validation (same checks, same messages) and gives the
schema a reference to one component `name`. Settable fields name their vocabulary in `engine.fields`
(`FieldSpec.vocabulary`); the others are built here from the engine's own tuples, or where their
values live (`app.exports.ExportFormat`).

Left out: the values themselves (each stays where the engine states it) and open sets (ids, names).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from app.options import PHASE_ORDER
from engine.datasets import KINDS
from engine.experiment import STEP_UNITS
from engine.fields import FieldSpec
from engine.predict import KINDS as QUESTION_KINDS

_TERMS: dict[str, tuple] = {}


class Vocabulary:
    """The `Annotated` marker: puts the literal's schema under a shared reference `name`."""

    def __init__(self, name: str, description: str):
        self.name, self.description = name, description

    def __get_pydantic_core_schema__(self, source: Any, handler) -> dict:
        return {**handler(source), "ref": self.name}

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        reference = handler(core_schema)
        target = handler.resolve_ref_schema(reference)
        target.update(title=self.name, description=self.description)
        return reference


def term(name: str, values: tuple, description: str) -> Any:
    """The type of a value from the vocabulary `name`; one name, one set of values."""
    values = tuple(values)
    if _TERMS.setdefault(name, values) != values:
        raise ValueError(f"vocabulary {name} given two sets of values: {_TERMS[name]} and {values}")
    return Annotated[Literal[values], Vocabulary(name, description)]


def of_field(f: FieldSpec, extra_choices: tuple = (), extra_name: str = "", extra_words: str = "") -> Any:
    """A settable field's vocabulary (`extra_choices` make another one, named `extra_name`)."""
    words = f"the choices of `{f.key}`, {f.description}"  # not the field's words: those stay on the field
    if extra_choices:
        return term(extra_name, f.choices + extra_choices, words + extra_words)
    return term(f.vocabulary, f.choices, words)


ProblemKind = term("ProblemKind", KINDS, "classification (whole-number labels) or regression (numbers)")
PhaseName = term("PhaseName", PHASE_ORDER, "a phase of one iteration, in this order: forward runs layer 1..L, "
                                      "backward L..1, update every layer at once")
StepUnit = term("StepUnit", STEP_UNITS, "what `count` counts: phases, iterations (one mini-batch) or epochs")
QuestionKind = term("QuestionKind", QUESTION_KINDS, "weight_direction: will this weight go up or down at the "
                    "coming update; largest_delta: which neuron of a layer gets the largest δ")
