"""Builds the FastAPI application: the page, the API routers, static files, and their lifetime.

`create_app(settings)` wires the store, the session registry and the live hub. On shutdown every
play loop stops and every changed network is saved; idle networks expire at startup and hourly.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from app import __version__, errors, limits, logflood
from app import openapi as api_description
from app.bodylimit import BodyLimit
from app.compress import GzipJson
from app.classes import Classes
from app.hub import Hub
from app.keys import Keys
from app.offloop import OffLoopBody
from app.steplane import StepLane
from app.routes import api_routers, classroom, data, docs, lessons, lessonstep, page, questions, timeline
from app.sharestore import ShareStore
from app.snapshots import Snapshots
from app.security import Guard
from app.shards import ShardHeader, router as cluster_router
from app.sessions import Registry
from app.settings import Settings
from app.store import Store

EXPIRY_CHECK_SECONDS = 3600


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        logflood.install()  # uvicorn has set its handlers up by now
        store = Store(settings.db_path)
        app.state.registry = Registry(store, settings)
        app.state.hub = Hub(app.state.registry, settings)
        shares = ShareStore(settings.db_path)  # owner keys, snapshots, classes: beside the networks
        app.state.keys, app.state.classes = Keys(shares), Classes(shares, settings.shard)
        app.state.snapshots = Snapshots(shares, settings.shard, app.state.registry.make_room)
        await run_in_threadpool(app.state.registry.expire_idle)
        expiry = asyncio.create_task(_expire_hourly(app.state.registry))
        try:
            yield
        finally:
            expiry.cancel()
            await app.state.hub.shutdown()
            await run_in_threadpool(app.state.registry.save_all)
            await run_in_threadpool(app.state.registry.saves.close)
            shares.close()
            store.close()

    app = FastAPI(title="Backprop Playground", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # served by app/routes/docs.py without a CDN
                  generate_unique_id_function=operation_id,
                  description="Build, train and inspect small neural networks phase by phase. "
                              "See docs/api.md for a walkthrough.")
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(StepLane)  # innermost: every limit and check of the others applies to it
    app.add_middleware(OffLoopBody)  # inside BodyLimit: it reads bodies already limited
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       limit_for=partial(limits.body_limit, s=settings))
    app.add_middleware(GzipJson)
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts, allowed_origins=settings.allowed_origins)
    app.add_middleware(ShardHeader, shard=settings.shard)
    for router in (*api_routers(settings), timeline.router, classroom.router, questions.router,  # models
                   lessons.router, lessonstep.router, data.router, page.router, docs.router,  # carry the settings' limits
                   cluster_router):
        app.include_router(router)
    api_description.install(app, settings)
    return app


def operation_id(route: APIRoute) -> str:
    """The route function's name (`step_network`), which generated clients use as their method name."""
    return route.name


async def _expire_hourly(registry: Registry) -> None:
    while True:
        await asyncio.sleep(EXPIRY_CHECK_SECONDS)
        await run_in_threadpool(registry.expire_idle)
