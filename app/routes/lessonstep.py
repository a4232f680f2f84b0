"""The lesson on screen: the teacher's page says which step of which lesson it shows, and every page
following the network shows the same step, read-only.

`PUT /api/networks/{id}/lesson` (owner) `{"slug", "step"}` names the step (1 to the lesson's count);
the server looks the step up in the shipped lesson and relays `{"type": "lesson", "slug", "title",
"step", "steps", "narration", "highlight", "wait_for"}` to every live client; `DELETE` closes it
(`{"type": "lesson", "slug": null}`). A page that joins later gets the step on screen at once, with
the class it belongs to and the question still open (`catch_up`). Kept in memory with the network's
session, like questions: a restart forgets which step was on screen, and the teacher's next move
says it again. Running the lesson stays the page's job (app/lessons).

`POST /api/networks/{id}/lessons/{slug}/start` (owner of `{id}`) starts a lesson on the shard that
keeps `{id}` (the proxy sends it there by the id): a class following `{id}` can then move to the
lesson's network, which a class does only within its own shard (docs/scaling.md).
"""
from __future__ import annotations

import threading
import weakref
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app import follow, keys
from app.classes import news
from app.deps import RegistryDep, SettingsDep, get_registry, json_response
from app.errors import ApiError
from app.jsonify import dumps
from app.lessons import Highlight
from app.routes.lessons import LessonStart, lesson_named, started
from app.routes.questions import open_question
from app.schemas import base

router = APIRouter(prefix="/api/networks", tags=["lessons"])
_LOCK = threading.Lock()
_SHOWN: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


class LessonStepIn(base.Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"slug": "xor-hidden-layer", "step": 2}]})
    slug: str = Field(min_length=1, max_length=80, description="the lesson (GET /api/lessons lists them)")
    step: int = Field(ge=1, description="the step on screen, 1 to the lesson's number of steps")


class LessonStepOut(base.Response):
    type: str = Field(description="\"lesson\", as the live message")
    slug: Optional[str] = Field(description="the lesson, or null once closed")
    title: str = Field(description="the lesson's title")
    step: int = Field(description="the step on screen, from 1")
    steps: int = Field(description="how many steps the lesson has")
    narration: str = Field(description="the step's narration (plain text)")
    highlight: list[Highlight] = Field(description="what the step points at")
    wait_for: Optional[str] = Field(None, description="what the teacher does before the next step, if anything")


def on_screen(session) -> dict | None:
    with _LOCK:
        return _SHOWN.get(session)


async def catch_up(channel, client) -> None:
    """A page joined the network's live channel: the class it follows, the lesson step on screen and
    the open question, so a student joining mid-lesson sees the teacher's step at once."""
    code = await run_in_threadpool(client.ws.app.state.classes.code_for, channel.session.id)
    for message in (news(channel.session.id, code) if code else None, on_screen(channel.session),
                    open_question(channel.session)):
        if message is not None:
            client.reply(message)


@router.put("/{network_id}/lesson", response_model=LessonStepOut, responses=keys.ERRORS, dependencies=keys.OWNER,
            summary="Show a lesson step to every page following the network")
async def show_lesson_step(request: Request, network_id: str, body: LessonStepIn):
    lesson = lesson_named(body.slug)
    if body.step > len(lesson.steps):
        raise ApiError(422, f"step: {body.step} is past the end of {body.slug!r}, which has {len(lesson.steps)} "
                            f"steps: send 1 to {len(lesson.steps)}")
    step = lesson.steps[body.step - 1]
    message = {"type": "lesson", "slug": body.slug, "title": lesson.title, "step": body.step,
               "steps": len(lesson.steps), "narration": step.narration,
               "highlight": [h.model_dump() for h in step.highlight], "wait_for": step.wait_for}
    session = await run_in_threadpool(get_registry(request).get, network_id)
    with _LOCK:
        _SHOWN[session] = message
    follow.relay(request.app.state.hub, network_id, message)
    return json_response(dumps(message))


@router.get("/{network_id}/lesson", response_model=LessonStepOut, responses=base.ERRORS,
            summary="The lesson step on screen (what a follower shows)")
async def get_lesson_step(request: Request, network_id: str):
    message = on_screen(await run_in_threadpool(get_registry(request).get, network_id))
    if message is None:
        raise ApiError(404, "no lesson is on screen for this network; its owner shows one with PUT …/lesson")
    return json_response(dumps(message))


@router.delete("/{network_id}/lesson", status_code=204, responses=keys.ERRORS, dependencies=keys.OWNER,
               summary="Close the lesson on every following page")
async def close_lesson_step(request: Request, network_id: str):
    session = await run_in_threadpool(get_registry(request).get, network_id)
    with _LOCK:
        _SHOWN.pop(session, None)
    follow.relay(request.app.state.hub, network_id, {"type": "lesson", "slug": None})
    return Response(status_code=204)


@router.post("/{network_id}/lessons/{slug}/start", status_code=201, response_model=LessonStart,
             responses=keys.ERRORS, dependencies=keys.OWNER,
             summary="Start a lesson on the shard of a network of yours (one a class follows): as POST "
                     "/api/lessons/{slug}/start, and the class can move to it")
async def start_lesson_beside(request: Request, settings: SettingsDep, registry: RegistryDep,
                              network_id: str, slug: str):
    return await started(request, settings, registry, slug)
