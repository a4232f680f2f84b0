"""The API's routers, built for one server's settings (`api_routers`): the request models carry its limits."""
from __future__ import annotations

from fastapi import APIRouter

from app.routes import datasets, live, networks
from app.schemas import live as live_messages
from app.schemas import network_in


def api_routers(settings) -> list[APIRouter]:
    models = network_in.build(settings)
    return [networks.router(models), datasets.router, live.router(live_messages.build(models))]
