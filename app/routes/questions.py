"""Predict, then reveal: ask a question about the next phase, collect answers, show the tally, reveal.

The owner asks (`POST …/questions`); the engine works out the answer at once from a dry run of the real
next phases (engine/predict.py) and it stays on the server until the owner reveals it. Every page
following the network answers (one vote per `voter`, a later vote replaces an earlier one) and the
live channel relays the question, each new tally and the reveal to every viewer. Questions live in
memory with the network's session, at most MAX_QUESTIONS a network (the oldest go first); a restart
forgets them, which a classroom moment can afford.
"""
from __future__ import annotations

import secrets
import threading
import weakref
from typing import Any, Optional

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app import follow, keys
from app.schemas import base, vocab
from app.deps import get_registry, json_response, with_network
from app.errors import ApiError
from app.jsonify import dumps
from engine import predict

router = APIRouter(prefix="/api/networks", tags=["questions"])
MAX_QUESTIONS = 16
MAX_VOTERS = 1000


class QuestionIn(base.Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "weight_direction", "target": "L0N1-L1N0"},
                                                              {"kind": "largest_delta", "layer": 1}]})
    kind: vocab.QuestionKind = Field(description="which question to ask")
    target: Optional[str] = Field(None, max_length=40, description="weight_direction: a weight or bias id")
    layer: Optional[int] = Field(None, ge=1, description="largest_delta: the layer (default: the output)")


class AnswerIn(base.Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"choice": "up", "voter": "page-7f3a"}]})
    choice: str = Field(max_length=40, description="one of the question's choices")
    voter: str = Field(min_length=1, max_length=64, description="any stable id of the answering page")


class QuestionOut(base.Response):
    id: str = Field(description="the question's id")
    kind: vocab.QuestionKind = Field(description="which question")
    prompt: str = Field(description="the question in words")
    choices: list[str] = Field(description="the answers to choose from")
    step: int = Field(description="the iteration it was asked at")
    phase: int = Field(description="phases of that iteration done when asked")
    tally: dict[str, int] = Field(description="answers so far, by choice")
    revealed: bool = Field(description="whether the answer is shown")
    answer: Optional[str] = Field(None, description="only once revealed")
    numbers: Optional[dict[str, Any]] = Field(None, description="the dry run's numbers, once revealed")


_LOCK = threading.Lock()  # votes need not wait for a long training step under the network's lock
_QUESTIONS: "weakref.WeakKeyDictionary[object, dict[str, dict]]" = weakref.WeakKeyDictionary()


def _public(q: dict) -> dict:
    tally = {choice: 0 for choice in q["choices"]}
    for choice in q["votes"].values():
        tally[choice] += 1
    out = {k: q[k] for k in ("id", "kind", "prompt", "choices", "step", "phase", "revealed")}
    out["tally"] = tally
    if q["revealed"]:
        out.update(answer=q["answer"], numbers=q["numbers"])
    return out


def open_question(session) -> dict | None:
    """The newest question while it is still open, as its live message: a page that joins then (a
    student joining mid-lesson) can answer it at once."""
    with _LOCK:
        questions = _QUESTIONS.get(session) or {}
        newest = next(reversed(questions.values()), None)
        return None if newest is None or newest["revealed"] else {"type": "question", **_public(newest)}


async def _question(request: Request, network_id: str, question_id: str) -> dict:
    session = await run_in_threadpool(get_registry(request).get, network_id)
    with _LOCK:
        q = _QUESTIONS.get(session, {}).get(question_id)
    if q is None:
        raise ApiError(404, f"no question {question_id!r} on this network; ask one with POST "
                            f"/api/networks/{{id}}/questions")
    return q


async def _relay(request: Request, network_id: str, message: dict) -> None:
    follow.relay(request.app.state.hub, network_id, message)


@router.post("/{network_id}/questions", status_code=201, response_model=QuestionOut, responses=keys.ERRORS,
             dependencies=keys.OWNER,
             summary="Ask what the next phases will do; the engine's answer stays hidden until revealed")
async def ask(request: Request, network_id: str, body: QuestionIn):
    asked = {}

    def work(session):
        q = {**predict.ask(session.exp, body.kind, body.target, body.layer), "id": secrets.token_urlsafe(6),
             "step": session.exp.trainer.step, "phase": session.exp.trainer.cursor, "revealed": False, "votes": {}}
        with _LOCK:
            questions = _QUESTIONS.setdefault(session, {})
            while len(questions) >= MAX_QUESTIONS:
                questions.pop(next(iter(questions)))
            questions[q["id"]] = q
            asked.update(_public(q))
        return asked

    out = await with_network(request, network_id, work, changes=False)
    await _relay(request, network_id, {"type": "question", **asked})
    return json_response(out, status_code=201)


@router.get("/{network_id}/questions/{question_id}", response_model=QuestionOut, responses=base.ERRORS,
            summary="The question and its tally (and the answer, once revealed)")
async def get_question(request: Request, network_id: str, question_id: str):
    q = await _question(request, network_id, question_id)
    with _LOCK:
        return json_response(dumps(_public(q)))


@router.post("/{network_id}/questions/{question_id}/answers", response_model=QuestionOut,
             responses=base.ERRORS, summary="Answer (anyone viewing the network); returns the tally")
async def answer(request: Request, network_id: str, question_id: str, body: AnswerIn):
    q = await _question(request, network_id, question_id)
    if body.choice not in q["choices"]:
        raise ApiError(422, f"choice: {body.choice!r} is not an answer to this question; choose from "
                            f"{', '.join(q['choices'])}")
    with _LOCK:
        if q["revealed"]:
            raise ApiError(409, "this question has been revealed already; wait for the next one")
        if body.voter not in q["votes"] and len(q["votes"]) >= MAX_VOTERS:
            raise ApiError(429, f"this question has {MAX_VOTERS} answers already, the most it counts")
        q["votes"][body.voter] = body.choice
        out = _public(q)
    await _relay(request, network_id, {"type": "tally", "id": question_id, "tally": out["tally"]})
    return json_response(dumps(out))


@router.post("/{network_id}/questions/{question_id}/reveal", response_model=QuestionOut,
             responses=keys.ERRORS, dependencies=keys.OWNER, summary="Reveal the engine's answer to every viewer")
async def reveal(request: Request, network_id: str, question_id: str):
    q = await _question(request, network_id, question_id)
    with _LOCK:
        q["revealed"] = True
        out = _public(q)
    await _relay(request, network_id, {"type": "reveal", **out})
    return json_response(dumps(out))
