"""REST for one network: create, read, change, step, reset, predict, grids, chain rule, export/import.

Routes are thin: the schema validates, `app.limits` refuses oversized work, the engine runs under the
network's lock in a worker thread, the registry saves, and the answer is a documented shape.
"""
from __future__ import annotations

from functools import partial
from typing import Literal, Optional

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app import budgets, exports, grids, importcheck, keys, limits, schemas, stepping, views
from app.clients import client_key
from app.deps import engine_errors, json_response, registry, with_network
from app.errors import invalid, over_limit
from app.jsonify import dumps_in_pieces, with_raw_field
from engine import chain
from engine.experiment import Experiment
from engine.history import LIMIT as HISTORY_LIMIT

router = APIRouter(prefix="/api/networks", tags=["networks"])
NetworkId = str

HistoryQuery = Query(None, ge=0, le=HISTORY_LIMIT,
                     description="include only the newest N history entries (default: all on GET)")


def _history(value: Optional[int], default: Optional[int]) -> Optional[int]:
    return default if value is None else value


@router.post("", status_code=201, response_model=keys.CreatedNetwork, responses=schemas.ERRORS,
             summary="Create a network with its dataset (or your data)")
async def create_network(request: Request, body: schemas.NetworkCreate = Body(default_factory=schemas.NetworkCreate)):
    settings = request.app.state.settings
    limits.check_layers(body.layers, settings)
    limits.check_batch_size(body.batch_size, settings)
    data = body.data.model_dump(exclude_none=True) if body.data else None
    dataset = body.dataset.model_dump() if body.dataset else None
    limits.check_data(data, dataset, settings)
    limits.check_weights(body.weights, body.biases, settings)

    def build() -> dict:
        with engine_errors():
            exp = Experiment.create(body.config(), dataset=dataset, data=data,
                                    weights=body.weights, biases=body.biases)
        limits.check_layers(list(exp.arch.layers), settings)
        session = registry(request).create(exp, client_key(request.client and request.client.host))
        key = keys.keys_of(request).issue(session.id)
        return keys.with_key(views.network_state_json(session.id, exp, session.history_json), key)

    return json_response(await run_in_threadpool(build), status_code=201)


@router.post("/import", status_code=201, response_model=keys.CreatedNetwork, responses=schemas.ERRORS,
             summary="Import an exported document as a new network")
async def import_network(request: Request, body: schemas.ImportIn):
    settings = request.app.state.settings
    doc = {**body.model_dump(), "config": body.config.model_dump(exclude_unset=True)}
    layers = doc["config"].get("layers")
    if not isinstance(layers, list) or not all(isinstance(n, int) for n in layers):
        raise invalid("config.layers must be a list of whole numbers, as in an exported document")
    limits.check_layers(layers, settings, "config.layers")
    limits.check_batch_size(doc["config"].get("batch_size"), settings, "config.batch_size")
    points = doc["data"]
    limits.check_data({"x_train": points.get("x_train"), "x_test": points.get("x_test")}, None, settings)
    await run_in_threadpool(importcheck.check_numbers, doc)

    def build() -> dict:
        with engine_errors():
            session = registry(request).import_document(doc, client_key(request.client and request.client.host))
        key = keys.keys_of(request).issue(session.id)
        return keys.with_key(views.network_state_json(session.id, session.exp, session.history_json), key)

    return json_response(await run_in_threadpool(build), status_code=201)


@router.get("/{network_id}", response_model=schemas.NetworkState, responses=schemas.ERRORS,
            summary="The network's state: config, weights, counters, metrics, history")
async def get_network(request: Request, network_id: NetworkId, history: Optional[int] = HistoryQuery):
    state = await with_network(request, network_id,
                               lambda s: views.network_state_json(s.id, s.exp, s.history_json, history),
                               changes=False)
    return json_response(state)


@router.patch("/{network_id}", response_model=schemas.NetworkState, responses=keys.ERRORS,
              dependencies=keys.OWNER,
              summary="Change hyperparameters without a reset")
async def patch_network(request: Request, network_id: NetworkId, body: schemas.Hyperparameters,
                        history: Optional[int] = HistoryQuery):
    changes = body.changes()
    if not changes:
        raise invalid("nothing to change: give any of learning_rate, batch_size, momentum, "
                      "regularization, regularization_rate")
    limits.check_batch_size(changes.get("batch_size"), request.app.state.settings)
    default = request.app.state.settings.step_history

    def work(session):
        session.exp.set_hyperparameters(**changes)
        return views.network_state_json(session.id, session.exp, session.history_json, _history(history, default))

    return json_response(await with_network(request, network_id, work))


@router.put("/{network_id}/parameters/{param_id}", response_model=schemas.NetworkState,
            responses=keys.ERRORS, dependencies=keys.OWNER,
            summary="Edit one weight (L0N1-L1N2) or bias (L1N0-bias) in place, keeping the run")
async def set_parameter(request: Request, network_id: NetworkId, param_id: str, body: schemas.ParameterIn,
                        history: Optional[int] = HistoryQuery):
    if len(param_id) > 40:
        raise invalid("parameter id is too long: use a weight id like L0N1-L1N2 or a bias id like L1N0-bias")
    default = request.app.state.settings.step_history

    def work(session):
        session.exp.set_parameter(param_id, body.value)
        return views.network_state_json(session.id, session.exp, session.history_json, _history(history, default))

    return json_response(await with_network(request, network_id, work))


@router.delete("/{network_id}", status_code=204, responses=keys.ERRORS, dependencies=keys.OWNER,
                summary="Delete the network")
async def delete_network(request: Request, network_id: NetworkId):
    await run_in_threadpool(registry(request).delete, network_id)
    keys.keys_of(request).forget(network_id)
    await request.app.state.hub.network_deleted(network_id)
    return Response(status_code=204)


@router.post("/{network_id}/step", response_model=schemas.StepOut, responses=keys.ERRORS, dependencies=keys.OWNER,
             summary="Advance by phases, iterations or epochs, optionally with a trace of every phase")
async def step_network(request: Request, network_id: NetworkId,
                       body: schemas.StepIn = Body(default_factory=schemas.StepIn),
                       history: Optional[int] = HistoryQuery):
    settings = request.app.state.settings

    def work(session):
        result = stepping.step(session.exp, body.by, body.count, body.trace, settings)
        state = views.network_state_json(session.id, session.exp, session.history_json,
                                         _history(history, settings.step_history))
        return partial(with_raw_field, result, "state", state, dumps_in_pieces)  # encoded after unlocking

    return json_response(await with_network(request, network_id, work))


@router.post("/{network_id}/reset", response_model=schemas.NetworkState, responses=keys.ERRORS, dependencies=keys.OWNER,
             summary="Fresh weights and counters (same seed → same weights); clears divergence")
async def reset_network(request: Request, network_id: NetworkId,
                        body: schemas.ResetIn = Body(default_factory=schemas.ResetIn)):
    def work(session):
        session.exp.reset(body.seed)
        return views.network_state_json(session.id, session.exp, session.history_json)

    return json_response(await with_network(request, network_id, work))


@router.post("/{network_id}/predict", response_model=schemas.PredictOut, responses=schemas.ERRORS,
             summary="Outputs and every layer's activations for your points")
async def predict(request: Request, network_id: NetworkId, body: schemas.PredictIn):
    settings = request.app.state.settings
    limits.check_points(len(body.x), settings, "x")

    def work(session):
        limits.check_prediction(session.exp, len(body.x), settings)
        return session.exp.predict(body.x)

    return json_response(await with_network(request, network_id, work, changes=False))


@router.get("/{network_id}/data", response_model=schemas.DataOut, responses=schemas.ERRORS,
            summary="The training and test points, for drawing")
async def get_data(request: Request, network_id: NetworkId):
    return json_response(await with_network(request, network_id, lambda s: views.data_points(s.exp),
                                            changes=False))


@router.get("/{network_id}/grid", response_model=schemas.GridOut, responses=schemas.ERRORS,
            summary="Every neuron's value over the input plane [-6, 6]², quantised to bytes")
async def get_grid(request: Request, network_id: NetworkId,
                   resolution: int = Query(50, ge=2, description="R: an R×R grid"),
                   encoding: Literal["bytes", "float"] = "bytes",
                   axes: Optional[str] = Query(None, pattern=r"^\d{1,3},\d{1,3}$",
                                               description="i,j: the two inputs a plane shows (see engine/planes.py)")):
    settings = request.app.state.settings
    if resolution > settings.max_grid_resolution:
        raise over_limit("resolution", resolution, settings.max_grid_resolution, setting="max_grid_resolution")

    def work(session):
        if encoding == "float":
            limits.check_float_grid(session.exp, resolution, settings)
        return grids.grids(session.exp, resolution, encoding,
                           tuple(map(int, axes.split(","))) if axes else None)

    return json_response(await with_network(request, network_id, work, changes=False))


@router.get("/{network_id}/chain", response_model=schemas.ChainOut, responses=schemas.ERRORS,
            summary="Eq. 4 for one weight and one sample of the current mini-batch, with numbers")
async def get_chain(request: Request, network_id: NetworkId,
                    weight: str = Query(..., max_length=40, description="weight id such as L0N1-L1N2"),
                    sample: int = Query(0, ge=0, description="position in the mini-batch")):
    return json_response(await with_network(request, network_id,
                                            lambda s: chain.chain_rule(s.exp, weight, sample), changes=False))


@router.get("/{network_id}/gradcheck", response_model=schemas.GradcheckOut, responses=schemas.ERRORS,
            summary="Analytic gradient against central finite differences")
async def gradcheck(request: Request, network_id: NetworkId,
                    samples: int = Query(16, ge=1, le=64), max_params: int = Query(500, ge=1, le=2000)):
    budget = request.app.state.settings.step_time_budget
    return json_response(await with_network(
        request, network_id, lambda s: budgets.gradcheck(s.exp, samples, max_params, budget), changes=False))


@router.get("/{network_id}/export", response_model=schemas.ExportOut,
            responses={**schemas.ERRORS, **exports.RESPONSES},
            summary="One JSON document with everything (POST it to /api/networks/import), or "
                    "format=numpy|pytorch|csv|svg|png (app/exports.py)")
async def export_network(request: Request, network_id: NetworkId, format: exports.ExportFormat = "json"):
    if format != "json":
        return await exports.export_file(request, network_id, format)
    return json_response(await with_network(request, network_id, lambda s: views.export_document(s.exp),
                                            changes=False))
