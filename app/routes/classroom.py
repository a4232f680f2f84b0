"""REST for the classroom: forks, share links (snapshots), class join codes, and the pages they open.

Forking needs only the id (anyone who can see a network may train a copy); taking a snapshot and
opening or ending a class need the owner key (`app.keys`). `/s/{code}` and `/j/{code}` serve the page,
which reads its mode from the path: a frozen, read-only snapshot, or a follower of the class's network.
"""
from __future__ import annotations

import html
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app import classes, follow, grids, views
from app.schemas import base
from app.schemas import network_out
from app.schemas.idtypes import ClassCode, NetworkId, SnapshotCode
from app.classes import public_base, qr_svg
from app.deps import engine_errors, json_response
from app.errors import ApiError, over_limit
from app.jsonify import dumps
from app.keys import ERRORS as OWNER_ERRORS, OWNER, CreatedNetwork, keys_of
from app.routes import page
from app.snapshots import copy_document, create_from, fork, snapshots_of
from engine import chain, ids

router = APIRouter(tags=["classroom"])


class SnapshotOut(BaseModel):
    code: SnapshotCode = Field(description="the share link's code")
    url: str = Field(description="the share link's path, /s/{code}")
    network_id: Optional[NetworkId] = Field(None, description="the network it was taken of")
    created: Optional[float] = Field(None, description="when it was taken (seconds since 1970)")


class SnapshotState(network_out.NetworkState):
    id: SnapshotCode = Field(description="the share link's code (a snapshot is frozen: no network URL takes it)")
    snapshot: SnapshotOut = Field(description="the share link this state was frozen for")


class ClassOut(BaseModel):
    code: ClassCode = Field(description="6 characters without look-alikes, for students to type")
    url: str = Field(description="the join link, with an address students can reach")
    qr_svg: str = Field(description="the join link as a QR code (SVG, scalable)")
    followers: int = Field(description="pages following the network right now")
    reachable: bool = Field(description="false when the server listens on this computer only")
    note: Optional[str] = Field(None, description="why students may not reach the link, or null")


class ClassLookup(BaseModel):
    code: ClassCode = Field(description="the join code")
    network_id: NetworkId = Field(description="the network the class follows")


# ---- forks and snapshots -------------------------------------------------------------------------
@router.post("/api/networks/{network_id}/fork", status_code=201, response_model=CreatedNetwork,
             responses=base.ERRORS, summary="Your own copy: same weights, optimiser state, data, step, history")
async def fork_network(request: Request, network_id: str):
    return json_response(await fork(request, network_id), status_code=201)


@router.post("/api/networks/{network_id}/snapshots", status_code=201, response_model=SnapshotOut,
             responses=OWNER_ERRORS, dependencies=OWNER, summary="A frozen share link of the network as it is now")
async def take_snapshot(request: Request, network_id: str):
    def work() -> dict:
        code = snapshots_of(request).take(network_id, copy_document(request, network_id))
        return {"code": code, "url": f"/s/{code}"}
    return json_response(dumps(await run_in_threadpool(work)), status_code=201)


@router.get("/api/snapshots/{code}", response_model=SnapshotState, responses=base.ERRORS,
            summary="A share link's frozen state (its id is the code)")
async def get_snapshot(request: Request, code: str):
    frozen = await run_in_threadpool(snapshots_of(request).get, code)
    return json_response(frozen.state_json)


async def _read(request: Request, code: str, work) -> bytes:
    def locked():
        frozen = snapshots_of(request).get(code)
        with frozen.lock, engine_errors():
            return dumps(work(frozen.exp))
    return json_response(await run_in_threadpool(locked))


@router.get("/api/snapshots/{code}/data", response_model=network_out.DataOut, responses=base.ERRORS,
            summary="A share link's points")
async def get_snapshot_data(request: Request, code: str):
    return await _read(request, code, views.data_points)


@router.get("/api/snapshots/{code}/grid", response_model=network_out.GridOut, responses=base.ERRORS,
            summary="A share link's neurons over the input plane, as GET /api/networks/{id}/grid")
async def get_snapshot_grid(request: Request, code: str, resolution: int = Query(50, ge=2)):
    settings = request.app.state.settings
    if resolution > settings.max_grid_resolution:
        raise over_limit("resolution", resolution, settings.max_grid_resolution, setting="max_grid_resolution")
    return await _read(request, code, lambda exp: grids.grids(exp, resolution))


@router.get("/api/snapshots/{code}/chain", response_model=network_out.ChainOut, responses=base.ERRORS,
            summary="Eq. 4 for one weight of a share link, as GET /api/networks/{id}/chain")
async def get_snapshot_chain(request: Request, code: str,
                             weight: str = Query(..., max_length=40), sample: int = Query(0, ge=0)):
    return await _read(request, code, lambda exp: chain.chain_rule(exp, weight, sample))


@router.post("/api/snapshots/{code}/fork", status_code=201, response_model=CreatedNetwork,
             responses=base.ERRORS, summary="A new network of your own from a share link")
async def fork_snapshot(request: Request, code: str):
    def work() -> bytes:
        frozen = snapshots_of(request).get(code)
        return create_from(request, snapshots_of(request).document(frozen.code))
    return json_response(await run_in_threadpool(work), status_code=201)


# ---- classes -------------------------------------------------------------------------------------
def _class_answer(request: Request, network_id: str, code: str) -> dict:
    base, note = public_base(request)
    url = f"{base}/j/{code}"
    channel = request.app.state.hub.channels.get(network_id)
    return {"code": code, "url": url, "qr_svg": qr_svg(url), "reachable": note is None, "note": note,
            "followers": follow.follower_count(channel) if channel is not None else 0}


@router.post("/api/networks/{network_id}/class", response_model=ClassOut, responses=OWNER_ERRORS,
             dependencies=OWNER, summary="Open a class: a join code, its URL and QR code (the same while open)")
async def open_class(request: Request, network_id: str):
    code = await run_in_threadpool(request.app.state.classes.open, network_id)
    follow.relay(request.app.state.hub, network_id, classes.news(network_id, code))
    return _class_answer(request, network_id, code)


@router.get("/api/networks/{network_id}/class", response_model=ClassOut, responses=base.ERRORS,
            summary="The network's open class")
async def get_class(request: Request, network_id: str):
    code = await run_in_threadpool(request.app.state.classes.code_for, network_id)
    if code is None:
        await run_in_threadpool(request.app.state.registry.get, network_id)  # 404 for an unknown network
        raise ApiError(404, "this network has no open class; its owner opens one with POST …/class")
    return _class_answer(request, network_id, code)


@router.delete("/api/networks/{network_id}/class", status_code=204, responses=OWNER_ERRORS,
               dependencies=OWNER, summary="End the class: its join code stops working")
async def end_class(request: Request, network_id: str):
    await run_in_threadpool(request.app.state.classes.end, network_id)
    follow.relay(request.app.state.hub, network_id, classes.news(network_id, None))
    return Response(status_code=204)


class ClassMove(base.Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"network_id": "Xb3kQm9zT1wVr4pLs8dNfA",
                                                               "key": "the key POST /api/lessons/{slug}/start returned"}]})
    network_id: NetworkId = Field(description="the network the class follows from now on: one of yours")
    key: str = Field(min_length=1, max_length=200, description="that network's owner key (proves it is yours)")


@router.post("/api/networks/{network_id}/class/move", response_model=ClassOut, responses=OWNER_ERRORS,
             dependencies=OWNER, summary="The class follows another network of yours (a lesson's): same code, "
                                         "every follower is moved to it")
async def move_class(request: Request, network_id: str, body: ClassMove):
    here, there = request.app.state.settings.shard, ids.shard_of("network", body.network_id)
    if there != here:  # the class's row and its students' links live on this shard
        raise ApiError(409, f"network {body.network_id} lives on shard {there} and this class on shard {here}: "
                            f"a class follows only networks of its own shard (its code names the shard); make "
                            f"the network on shard {here}, or open a new class for it with POST …/class")
    refusal = await run_in_threadpool(keys_of(request).check, body.network_id, body.key)
    if refusal is not None:
        raise ApiError(403, f"the key does not own network {body.network_id}: a class moves only to a network of "
                            f"yours, with the key its creation returned ({refusal})")
    code = await run_in_threadpool(request.app.state.classes.move, network_id, body.network_id)
    for old_or_new in {network_id, body.network_id}:  # followers re-subscribe to the new network
        follow.relay(request.app.state.hub, old_or_new, classes.news(body.network_id, code))
    return _class_answer(request, body.network_id, code)


@router.get("/api/classes/{code}", response_model=ClassLookup, responses=base.ERRORS,
            summary="The network a join code follows")
async def find_class(request: Request, code: str):
    code, network_id = await run_in_threadpool(request.app.state.classes.network_for, code)
    return {"code": code, "network_id": network_id}


# ---- the pages ------------------------------------------------------------------------------------
def _missing(detail: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
                        f"<p>{html.escape(detail)}</p><p><a href='/'>Open the playground</a></p></html>", status_code=404)


@router.get("/j/{code}", response_class=HTMLResponse, include_in_schema=False)
async def join_page(request: Request, code: str):
    try:
        await run_in_threadpool(request.app.state.classes.network_for, code)
    except ApiError as exc:
        return _missing(exc.detail)
    return await page.index(request)


@router.get("/s/{code}", response_class=HTMLResponse, include_in_schema=False)
async def share_page(request: Request, code: str):
    try:
        await run_in_threadpool(snapshots_of(request).get, code)
    except ApiError as exc:
        return _missing(exc.detail)
    return await page.index(request)
