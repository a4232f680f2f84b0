"""Guided lessons: JSON files shipped in this folder, each checked by the `Lesson` model.

A teacher writes a lesson without code: a title, a level, the network to start from (the body of
POST /api/networks: a config with a generated dataset, your own points, or explicit weights), and
steps. Entering a step does, in order: `network` (start again from a new network), `change` (the body
of PATCH), `advance` (the body of POST …/step); then the page shows the `narration` (plain text with
inline maths, drawn as text, never as HTML), the `highlight`s and the `question`, and waits for
`wait_for` (something the user does) before "next". A broken file is refused with its name, the field
and the fix. Check files with `python -m app.lessons FILE…`.

Not here: the answers to questions (the engine computes them when the question is asked,
engine/predict.py; a lesson file cannot hold one) and running a lesson (the page, or a script,
drives it through the ordinary API).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.schemas import network_in
from app.schemas.vocab import QuestionKind
from app.schemas.network_in import StepIn
from engine.errors import EngineError
from engine.network import parse_bias_id, parse_weight_id

MODELS = network_in.build(None, prefix="Lesson")  # the table's ranges; the server's limits apply on start
ACTIONS = ("step", "play", "select_neuron", "select_weight", "edit_weight", "change_learning_rate", "reset")
CHARTS = ("loss", "gradient_norms", "accuracy", "heatmap")
HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]|&[a-zA-Z#][a-zA-Z0-9]*;")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Highlight(Strict):
    kind: Literal["neuron", "weight", "bias", "equation", "chart"] = Field(description="what to highlight")
    id: str = Field(description="L1N0, L0N1-L1N0, L1N0-bias, eq1…eq6, or a chart: " + ", ".join(CHARTS))


class Question(Strict):
    kind: QuestionKind = Field(description="which question to ask")
    target: Optional[str] = Field(None, description="weight_direction: the weight or bias id")
    layer: Optional[int] = Field(None, ge=1, description="largest_delta: the layer (default: the output)")


class Step(Strict):
    narration: str = Field(min_length=1, max_length=2000, description="plain text shown for this step (maths inline)")
    network: Optional[MODELS.NetworkCreate] = Field(None, description="start again from this network")
    change: Optional[MODELS.Hyperparameters] = Field(None, description="hyperparameters to change (the body of PATCH)")
    advance: Optional[StepIn] = Field(None, description="how far to train (the body of POST …/step)")
    highlight: list[Highlight] = Field(default_factory=list, description="what to point at")
    question: Optional[Question] = Field(None, description="a question to ask before going on")
    wait_for: Optional[Literal[ACTIONS]] = Field(None, description="what the user does before next")

    @field_validator("narration")
    @classmethod
    def _plain_text(cls, text: str) -> str:
        if HTML.search(text):
            raise ValueError("narration is plain text, shown as written: remove the HTML tag or entity and "
                             "write maths inline, e.g. w ← w − η·∂E/∂w")
        return text


class Lesson(Strict):
    title: str = Field(min_length=1, max_length=120, description="the lesson's title")
    level: Literal["beginner", "intermediate", "advanced"] = Field(description="beginner, intermediate or advanced")
    summary: str = Field(min_length=1, max_length=400, description="what it teaches")
    network: MODELS.NetworkCreate = Field(description="the network it starts from (the body of POST /api/networks)")
    steps: list[Step] = Field(min_length=1, description="the steps, in order")

    @model_validator(mode="after")
    def _ids_fit_the_network(self) -> "Lesson":
        layers = self.network.layers
        for n, step in enumerate(self.steps):
            layers = step.network.layers if step.network else layers
            for h, mark in enumerate(step.highlight):
                _check_id(f"steps.{n}.highlight.{h}.id", mark.kind, mark.id, layers)
            q = step.question
            if q and q.kind == "weight_direction":
                if not q.target:
                    raise ValueError(f"steps.{n}.question.target: a weight_direction question needs the "
                                     f"weight or bias it asks about, e.g. \"L1N0-L2N0\"")
                _check_id(f"steps.{n}.question.target", "bias" if q.target.endswith("-bias") else "weight",
                          q.target, layers)
            if q and q.layer is not None and q.layer > len(layers) - 1:
                raise ValueError(f"steps.{n}.question.layer: the network has layers 1 to {len(layers) - 1}")
        return self


def _check_id(field: str, kind: str, text: str, layers: list[int]) -> None:
    try:
        if kind == "weight":
            parse_weight_id(text, layers)
        elif kind == "bias":
            parse_bias_id(text, layers)
        elif kind == "neuron":
            match = re.fullmatch(r"L(\d+)N(\d+)", text)
            if not match or int(match[1]) >= len(layers) or int(match[2]) >= layers[int(match[1])]:
                raise EngineError(f"no neuron {text!r} in a {'-'.join(map(str, layers))} network")
        elif kind == "equation" and text not in [f"eq{i}" for i in range(1, 7)]:
            raise EngineError(f"{text!r} is not an equation: use eq1 … eq6 (the seed paper's numbering)")
        elif kind == "chart" and text not in CHARTS:
            raise EngineError(f"{text!r} is not a chart: use one of {', '.join(CHARTS)}")
    except EngineError as exc:
        raise ValueError(f"{field}: {exc}") from None


class LessonError(ValueError):
    """A lesson file that does not validate; the message names the file, the field and the fix."""


FIXES = {"extra_forbidden": "remove it (a lesson never holds an answer: the engine computes it when asked)",
         "missing": "add it", "literal_error": "use one of the values listed"}


def parse(name: str, text: str) -> Lesson:
    """Validate one lesson file's text; `name` is the file's name for the message."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise LessonError(f"{name}: line {exc.lineno} column {exc.colno}: {exc.msg} (the file is not valid JSON)") from None
    try:
        return Lesson.model_validate_json(text)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            fix = FIXES.get(err["type"])
            problems.append(f"{name}: {where + ': ' if where else ''}{message}{'; ' + fix if fix else ''}")
        raise LessonError("\n".join(problems)) from None


@lru_cache(maxsize=1)
def catalog() -> dict[str, Lesson]:
    """Every shipped lesson by slug (its file name), in file-name order."""
    folder = resources.files(__name__)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    return {f.name.removesuffix(".json").split("-", 1)[1]: parse(f.name, f.read_text(encoding="utf-8")) for f in files}
