"""Guided lessons: list them, read one, start one (a new network at the lesson's start, with its key).

The lessons are JSON files shipped in app/lessons/ and validated there; a lesson's steps are run by
the page (or a script) through the ordinary API, so this router only serves them and starts them.
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from pydantic import Field

from app import lessons
from app.deps import RegistryDep, SettingsDep, json_response
from app.errors import ApiError
from app.jsonify import dumps
from app.routes.networks import new_network
from app.schemas.base import ERRORS, Response
from app.schemas.network_out import NetworkState

router = APIRouter(prefix="/api/lessons", tags=["lessons"])


class LessonSummary(Response):
    slug: str = Field(description="the lesson's name in URLs")
    title: str = Field(description="its title")
    level: str = Field(description="beginner, intermediate or advanced")
    summary: str = Field(description="what it teaches")
    steps: int = Field(description="how many steps it has")


class LessonStart(Response):
    lesson: str = Field(description="the lesson's slug")
    network: NetworkState = Field(description="the new network, at the lesson's start")
    key: str = Field(description="the network's owner key, as POST /api/networks returns it: shown this once")


def lesson_named(slug: str) -> lessons.Lesson:
    found = lessons.catalog().get(slug)
    if found is None:
        raise ApiError(404, f"no lesson {slug!r}; GET /api/lessons lists them: {', '.join(lessons.catalog())}")
    return found


@router.get("", response_model=list[LessonSummary], summary="The shipped lessons, in teaching order")
async def list_lessons():
    return [{"slug": slug, "title": l.title, "level": l.level, "summary": l.summary, "steps": len(l.steps)}
            for slug, l in lessons.catalog().items()]


@router.get("/{slug}", response_model=lessons.Lesson, response_model_exclude_none=True,
            responses=ERRORS, summary="One lesson: its network and its steps")
async def get_lesson(slug: str):
    return lesson_named(slug)


@router.post("/{slug}/start", status_code=201, response_model=LessonStart, responses=ERRORS,
             summary="A new network at the lesson's start (its key is in the answer, as for any new network)")
async def start_lesson(request: Request, settings: SettingsDep, registry: RegistryDep, slug: str):
    return await started(request, settings, registry, slug)


async def started(request: Request, settings, registry, slug: str):
    """A lesson's network, made by this server (so on its shard), answered as POST …/start answers."""
    lesson = lesson_named(slug)
    created = await new_network(request, settings, registry, lesson.network.model_copy(deep=True))
    answer = json.loads(created.body)
    key = answer.pop("key", None)  # the owner key, when networks have one, sits beside the state
    out = {"lesson": slug, "network": answer, **({"key": key} if key is not None else {})}
    return json_response(dumps(out), status_code=201)
