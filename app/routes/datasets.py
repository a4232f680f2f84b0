"""Catalog endpoints: the datasets with thumbnails, every valid option name and limit, and health."""
from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app import schemas
from app.clients import is_local
from app.deps import json_response
from app.jsonify import dumps
from app.settings import Settings
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import dataset_catalog, generate
from engine.experiment import HYPERPARAMETERS, STEP_UNITS
from engine.features import FEATURES
from engine.losses import LOSSES
from engine.network import INITS
from engine.hyperparameters import REGULARIZATIONS

router = APIRouter(prefix="/api", tags=["catalog"])
PREVIEW_POINTS = 150


@lru_cache(maxsize=1)
def catalog_json() -> bytes:
    return dumps(catalog_with_previews())


def catalog_with_previews() -> list[dict]:
    """Each dataset plus ~150 noise-free points for a thumbnail (computed once: datasets are seeded)."""
    out = []
    for entry in dataset_catalog():
        ds = generate(entry["name"], PREVIEW_POINTS, 0, 0.5, 0)
        x = ds.x_train.tolist() + ds.x_test.tolist()
        y = ds.y_train.tolist() + ds.y_test.tolist()
        if ds.kind == "regression":
            y = [row[0] for row in y]
        out.append({**entry, "preview": {"x": x, "y": y}})
    return out


def options(settings: Settings) -> dict:
    """Every valid name the API accepts, and the server's limits (the page builds its menus from this)."""
    return {
        "activations": list(HIDDEN_ACTIVATIONS),
        "output_activations": list(OUTPUT_ACTIVATIONS),
        "losses": list(LOSSES),
        "loss_output_activations": {name: list(loss.output_activations) for name, loss in LOSSES.items()},
        "inits": list(INITS),
        "regularizations": list(REGULARIZATIONS),
        "features": [{"name": f.name, "label": f.label} for f in FEATURES.values()],
        "datasets": [entry["name"] for entry in dataset_catalog()],
        "step_units": list(STEP_UNITS),
        "hyperparameters": list(HYPERPARAMETERS),
        "limits": settings.limits(),
    }


@router.get("/datasets", response_model=list[schemas.DatasetOut], summary="Built-in datasets with thumbnails")
async def datasets():
    return json_response(catalog_json())


@router.get("/options", response_model=schemas.OptionsOut, summary="Valid option names and server limits")
async def get_options(request: Request):
    return json_response(dumps(options(request.app.state.settings)))


@router.get("/health", response_model=schemas.HealthOut, responses={503: {"model": schemas.HealthOut}},
            summary="Liveness: answers even while networks train; 503 while the database fails")
async def health(request: Request):
    """Counts are for this computer only (they tell a stranger how busy the server is)."""
    problem = request.app.state.registry.store.problem
    body: dict = {"status": "failing", "problem": problem} if problem else {"status": "ok"}
    if is_local(request.client and request.client.host):
        body.update(networks_in_memory=len(request.app.state.registry), playing=request.app.state.hub.playing_count())
    return JSONResponse(body, status_code=503 if problem else 200)
