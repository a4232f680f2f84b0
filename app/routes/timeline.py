"""Rewind and the timeline: take a network back (or forward again) to any step and phase, exactly.

Thin: the engine's timeline (engine/timeline.py) rebuilds the experiment under the network's lock;
a rewind replaces the session's experiment, is saved like any change and reaches every live viewer.
A preview answers the state at a moment without changing the network (the page's scrubber).
"""
from __future__ import annotations

from typing import Any, Optional, Union

from fastapi import APIRouter, Query, Request
from pydantic import ConfigDict, Field

from app import follow, grids, keys, views
from app.schemas import base
from app.schemas import network_out
from app.schemas.records import TraceRecord
from app.deps import json_response, with_network
from app.errors import over_limit
from app.jsonify import dumps, with_raw_field
from engine.tracing import phases_so_far
from app.routes.networks import HistoryQuery

router = APIRouter(prefix="/api/networks", tags=["timeline"])


class RewindIn(base.Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"step": 10, "phase": 2, "trace": True}]})
    step: int = Field(ge=0, description="completed iterations at that moment")
    phase: int = Field(0, ge=0, description="phases of the next iteration already done (0: none)")
    trace: bool = Field(False, description="add `trace`: the records of those phases, as stepping gave them")


class TimelineEvent(base.Response):
    step: int = Field(description="the iteration of the change")
    phase: int = Field(description="phases of that iteration done before it")
    kind: str = Field(description="hyperparameters | parameter | data (its change: the dataset entry and sizes)")
    change: dict[str, Any] = Field(description="what changed: the fields and their new values")


class TimelineOut(base.Response):
    first: int = Field(description="the earliest step a rewind can reach")
    newest: dict[str, int] = Field(description="the newest {step, phase} a rewind can reach")
    spacing: int = Field(description="iterations between checkpoints")
    checkpoints: int = Field(description="checkpoints kept")
    bytes: int = Field(description="size of the checkpoints kept")
    events: list[TimelineEvent] = Field(description="changes recorded on the way")


class RewoundOut(base.Response):
    state: network_out.NetworkState = Field(description="the network at that moment")
    trace: list[TraceRecord] = Field(description="the records of the phases of this iteration already done")


class PreviewOut(network_out.NetworkState):
    grids: Optional[network_out.GridOut] = Field(None, description="with `grid`: that moment's heatmaps")


@router.post("/{network_id}/rewind", response_model=Union[network_out.NetworkState, RewoundOut],
             responses=keys.ERRORS,
             dependencies=keys.OWNER,
             response_description="the state; with `trace`, {\"state\", \"trace\"} as a step answers",
             summary="Go back (or forward again) to the network exactly as it was at a step and phase")
async def rewind(request: Request, network_id: str, body: RewindIn, history: Optional[int] = HistoryQuery):
    told = {}

    def work(session):
        session.exp = session.exp.timeline.rewind(session.exp, body.step, body.phase)
        told["trace"] = phases_so_far(session.exp.trainer)
        state = views.network_state_json(session.id, session.exp, session.history_json, history)
        return with_raw_field({"trace": told["trace"]}, "state", state) if body.trace else state

    answer = await with_network(request, network_id, work)
    # Viewers (a class's followers) get a frame of the new present, and this so they can start their
    # charts again and show the phases already done, as the rewinding page does.
    channel = request.app.state.hub.channels.get(network_id)
    follow.forget_traces(channel)  # what a student joining later replays (app.follow) was before the rewind
    if channel is not None:
        message = dumps({"type": "rewound", "step": body.step, "phase": body.phase, "trace": told["trace"]})
        for client in list(channel.clients):
            client.reply(message)
    return json_response(answer)


@router.get("/{network_id}/timeline", response_model=TimelineOut, responses=base.ERRORS,
            summary="What a rewind can reach, and the changes recorded on the way")
async def get_timeline(request: Request, network_id: str):
    return json_response(await with_network(request, network_id, lambda s: s.exp.timeline.bounds(),
                                            changes=False))


@router.get("/{network_id}/timeline/preview", response_model=PreviewOut, responses=base.ERRORS,
            summary="The state at a step and phase, without rewinding the network")
async def preview(request: Request, network_id: str, step: int = Query(..., ge=0), phase: int = Query(0, ge=0),
                  history: Optional[int] = Query(0, ge=0, description="newest history entries to include"),
                  grid: int = Query(0, ge=0, description="R > 0 adds that moment's heatmaps (as GET …/grid)")):
    settings = request.app.state.settings
    if grid > settings.max_grid_resolution:
        raise over_limit("grid", grid, settings.max_grid_resolution, setting="max_grid_resolution")

    def work(session):
        past = session.exp.timeline.preview(session.exp, step, phase)
        state = views.network_state(session.id, past, history)
        if grid >= 2 and past.dataset.n_features == 2:
            state["grids"] = grids.grids(past, grid)
        return state

    return json_response(await with_network(request, network_id, work, changes=False))
