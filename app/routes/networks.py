"""REST for one network: create, read, change, step, reset, predict, grids, chain rule, export/import.

Routes are thin: the schema validates, `app.limits` refuses oversized work, the engine runs under the
network's lock in a worker thread (`app.deps.Locked`), the registry saves, and the answer is a
documented shape. The router is built per app (`router(models)`), because the request models carry
the server's limits.
"""

from typing import Literal, Optional

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app import budgets, changes, exports, follow, grids, importcheck, keys, limits, quickstep, views
from app.clients import client_key
from app.deps import (HubDep, LockedDep, RegistryDep, SettingsDep, engine_errors, get_hub, get_registry,
                      json_response, run_locked)
from app.errors import invalid, over_limit
from app.schemas import network_out as out
from app.schemas.base import ERRORS
from app.schemas.network_in import NetworkCreateBase, NetworkInputs, ParameterIn, PredictIn, StepIn
from engine import chain
from engine.evaluate import GRID_EXTENT
from engine.experiment import Experiment
from engine.history import LIMIT as HISTORY_LIMIT

NetworkId = str

HistoryQuery = Query(None, ge=0, le=HISTORY_LIMIT,
                     description="include only the newest N history entries (default: all on GET)")


def _history(value: Optional[int], default: Optional[int]) -> Optional[int]:
    return default if value is None else value


async def new_network(request: Request, settings, registry, body: NetworkCreateBase) -> Response:
    """POST /api/networks, also for starting a lesson: check the limits, build, answer 201."""
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
        session = registry.create(exp, client_key(request.client and request.client.host))
        key = keys.keys_of(request).issue(session.id)
        return keys.with_key(views.network_state_json(session.id, exp, session.history_json), key)

    return json_response(await run_in_threadpool(build), status_code=201)


def router(models: NetworkInputs) -> APIRouter:
    """The network routes, validating with `models` (built for this server's settings)."""
    router = APIRouter(prefix="/api/networks", tags=["networks"])

    @router.post("", status_code=201, response_model=keys.CreatedNetwork, responses=ERRORS,
                 summary="Create a network with its dataset (or your data)")
    async def create_network(request: Request, settings: SettingsDep, registry: RegistryDep,
                             body: models.NetworkCreate = Body(default_factory=models.NetworkCreate)):
        return await new_network(request, settings, registry, body)

    @router.post("/{network_id}/beside", status_code=201, response_model=keys.CreatedNetwork,
                 responses=keys.ERRORS, dependencies=keys.OWNER,
                 summary="Create a network on the shard of a network of yours (one a class follows), "
                         "as POST /api/networks creates one")
    async def create_network_beside(request: Request, settings: SettingsDep, registry: RegistryDep,
                                    network_id: NetworkId,
                                    body: models.NetworkCreate = Body(default_factory=models.NetworkCreate)):
        return await new_network(request, settings, registry, body)

    @router.post("/import", status_code=201, response_model=keys.CreatedNetwork, responses=ERRORS,
                 summary="Import an exported document as a new network")
    async def import_network(request: Request, settings: SettingsDep, registry: RegistryDep,
                             body: models.ImportIn):
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
                session = registry.import_document(doc, client_key(request.client and request.client.host))
            key = keys.keys_of(request).issue(session.id)
            return keys.with_key(views.network_state_json(session.id, session.exp, session.history_json), key)

        return json_response(await run_in_threadpool(build), status_code=201)

    @router.get("/{network_id}", response_model=out.NetworkState, responses=ERRORS,
                summary="The network's state: config, weights, counters, metrics, history")
    async def get_network(locked: LockedDep, network_id: NetworkId, history: Optional[int] = HistoryQuery):
        return json_response(await locked(
            network_id, lambda s: views.network_state_json(s.id, s.exp, s.history_json, history), changes=False))

    @router.patch("/{network_id}", response_model=out.NetworkState, responses=keys.ERRORS, dependencies=keys.OWNER,
                  summary="Change hyperparameters without a reset (as the live `set` message)")
    async def patch_network(settings: SettingsDep, locked: LockedDep, network_id: NetworkId,
                            body: models.Hyperparameters, history: Optional[int] = HistoryQuery):
        work = changes.set_hyperparameters(changes.hyperparameter_changes(body, settings),
                                           _history(history, settings.step_history))
        return json_response(await locked(network_id, work))

    @router.put("/{network_id}/parameters/{param_id}", response_model=out.NetworkState, responses=keys.ERRORS,
                dependencies=keys.OWNER,
                summary="Edit one weight (L0N1-L1N2) or bias (L1N0-bias) in place, keeping the run")
    async def set_parameter(settings: SettingsDep, locked: LockedDep, network_id: NetworkId, param_id: str,
                            body: ParameterIn, history: Optional[int] = HistoryQuery):
        if len(param_id) > 40:
            raise invalid("parameter id is too long: use a weight id like L0N1-L1N2 or a bias id like L1N0-bias")

        def work(session):
            session.exp.set_parameter(param_id, body.value)
            return views.network_state_json(session.id, session.exp, session.history_json,
                                            _history(history, settings.step_history))

        return json_response(await locked(network_id, work))

    @router.delete("/{network_id}", status_code=204, responses=keys.ERRORS, dependencies=keys.OWNER,
                   summary="Delete the network")
    async def delete_network(request: Request, registry: RegistryDep, hub: HubDep, network_id: NetworkId):
        await run_in_threadpool(registry.delete, network_id)
        keys.keys_of(request).forget(network_id)
        await hub.network_deleted(network_id)
        return Response(status_code=204)

    @router.post("/{network_id}/step", response_model=out.StepOut, responses=keys.ERRORS,
                 dependencies=keys.OWNER,
                 summary="Advance by phases, iterations or epochs, optionally with a trace of every phase")
    async def step_network(request: Request, network_id: NetworkId,
                           body: StepIn = Body(default_factory=StepIn), history: Optional[int] = HistoryQuery):
        # the app's parts read from the request: the most frequent request spares four dependencies
        settings, registry, hub = request.app.state.settings, get_registry(request), get_hub(request)
        traced = {}
        work = quickstep.step_work(body, history, settings, traced)
        answer = None if body.trace else await quickstep.step_here(registry, registry.saves, network_id,
                                                                   body.by, body.count, work)
        if answer is None:
            answer = await run_locked(registry, network_id, quickstep.timed(work, body.by, body.count))
        await follow.relay_rest_trace(hub.channels.get(network_id), traced or None)
        await hub.network_changed(network_id)
        return json_response(answer)

    @router.post("/{network_id}/reset", response_model=out.NetworkState, responses=keys.ERRORS,
                 dependencies=keys.OWNER,
                 summary="Fresh weights and counters (same seed → same weights); clears divergence")
    async def reset_network(locked: LockedDep, network_id: NetworkId,
                            body: models.ResetIn = Body(default_factory=models.ResetIn)):
        def work(session):
            session.exp.reset(body.seed)
            return views.network_state_json(session.id, session.exp, session.history_json)

        answer = await locked(network_id, work)
        follow.forget_traces(locked.hub.channels.get(network_id))  # a student joining now starts afresh
        return json_response(answer)

    @router.post("/{network_id}/predict", response_model=out.PredictOut, responses=ERRORS,
                 summary="Outputs and every layer's activations for your points")
    async def predict(settings: SettingsDep, locked: LockedDep, network_id: NetworkId, body: PredictIn):
        limits.check_points(len(body.x), settings, "x")

        def work(session):
            limits.check_prediction(session.exp, len(body.x), settings)
            return session.exp.predict(body.x)

        return json_response(await locked(network_id, work, changes=False))

    @router.get("/{network_id}/data", response_model=out.DataOut, responses=ERRORS,
                summary="The training and test points, for drawing")
    async def get_data(locked: LockedDep, network_id: NetworkId):
        return json_response(await locked(network_id, lambda s: views.data_points(s.exp), changes=False))

    @router.get("/{network_id}/grid", response_model=out.GridOut, responses=ERRORS,
                summary=f"Every neuron's value over the input plane [-{GRID_EXTENT:g}, {GRID_EXTENT:g}]², "
                        f"quantised to bytes")
    async def get_grid(settings: SettingsDep, locked: LockedDep, network_id: NetworkId,
                       resolution: int = Query(50, ge=2, description="R: an R×R grid"),
                       encoding: Literal["bytes", "float"] = "bytes",
                       axes: Optional[str] = Query(None, pattern=r"^\d{1,3},\d{1,3}$",
                                                   description="i,j: the two inputs a plane shows (see engine/planes.py)")):
        if resolution > settings.max_grid_resolution:
            raise over_limit("resolution", resolution, settings.max_grid_resolution, setting="max_grid_resolution")

        def work(session):
            if encoding == "float":
                limits.check_float_grid(session.exp, resolution, settings)
            return grids.grids(session.exp, resolution, encoding,
                               tuple(map(int, axes.split(","))) if axes else None)

        return json_response(await locked(network_id, work, changes=False))

    @router.get("/{network_id}/chain", response_model=out.ChainOut, responses=ERRORS,
                summary="Eq. 4 for one weight and one sample of the current mini-batch, with numbers")
    async def get_chain(locked: LockedDep, network_id: NetworkId,
                        weight: str = Query(..., max_length=40, description="weight id such as L0N1-L1N2"),
                        sample: int = Query(0, ge=0, description="position in the mini-batch")):
        return json_response(await locked(network_id, lambda s: chain.chain_rule(s.exp, weight, sample),
                                          changes=False))

    @router.get("/{network_id}/gradcheck", response_model=out.GradcheckOut, responses=ERRORS,
                summary="Analytic gradient against central finite differences")
    async def gradcheck(settings: SettingsDep, locked: LockedDep, network_id: NetworkId,
                        samples: int = Query(16, ge=1, le=64), max_params: int = Query(500, ge=1, le=2000)):
        budget = settings.step_time_budget
        return json_response(await locked(
            network_id, lambda s: budgets.gradcheck(s.exp, samples, max_params, budget), changes=False))

    @router.get("/{network_id}/export", response_model=out.ExportOut, responses={**ERRORS, **exports.RESPONSES},
                summary="One JSON document with everything (POST it to /api/networks/import), or "
                        "format=numpy|pytorch|csv|svg|png (app/exports.py)")
    async def export_network(request: Request, locked: LockedDep, network_id: NetworkId,
                             format: exports.ExportFormat = "json"):
        if format != "json":
            return await exports.export_file(request, network_id, format)
        return json_response(await locked(network_id, lambda s: views.export_document(s.exp), changes=False))

    return router
