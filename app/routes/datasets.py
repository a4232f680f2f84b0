"""Catalog endpoints: the datasets with thumbnails, every valid option name, settable field and limit
(`app.options`), and health."""
from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.clients import is_local
from app.deps import HubDep, RegistryDep, SettingsDep, json_response
from app.jsonify import dumps
from app.options import options
from app.schemas import catalog
from engine.datasets import dataset_catalog, generate

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


@router.get("/datasets", response_model=list[catalog.DatasetOut], summary="Built-in datasets with thumbnails")
async def datasets():
    return json_response(catalog_json())


@router.get("/options", response_model=catalog.OptionsOut,
            summary="Valid option names, every settable field with its range and default, server limits")
async def get_options(settings: SettingsDep):
    return json_response(dumps(options(settings)))


@router.get("/health", response_model=catalog.HealthOut, responses={503: {"model": catalog.HealthOut}},
            summary="Liveness: answers even while networks train; 503 while the database fails")
async def health(request: Request, registry: RegistryDep, hub: HubDep):
    """Counts are for this computer only (they tell a stranger how busy the server is)."""
    problem = registry.store.problem
    body: dict = {"status": "failing", "problem": problem} if problem else {"status": "ok"}
    if is_local(request.client and request.client.host):
        body.update(networks_in_memory=len(registry), playing=hub.playing_count())
    return JSONResponse(body, status_code=503 if problem else 200)
