"""Glue every route shares: FastAPI dependencies for the settings, registry and hub (tests can swap them
with `app.dependency_overrides`), engine errors → HTTP errors, and the one way to work on a network:
under its lock, in a worker thread, saved, encoded off the event loop (`run_locked`), for REST and
WebSocket alike.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Annotated, Any, Callable

from fastapi import Depends
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from app.clients import turn
from app.errors import ApiError, invalid, not_found
from app.hub import Hub
from app.jsonify import dumps_in_pieces
from app.sessions import Registry, Session
from app.settings import Settings
from engine.errors import DivergedError, EngineError

log = logging.getLogger(__name__)


def get_registry(connection: HTTPConnection) -> Registry:
    return connection.app.state.registry


def get_hub(connection: HTTPConnection) -> Hub:
    return connection.app.state.hub


# Dependencies are coroutines: FastAPI runs a plain function (or a class) in a worker thread, a hop
# that costs more than what these do.
async def get_settings(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


async def registry_dependency(connection: HTTPConnection) -> Registry:
    return get_registry(connection)


async def hub_dependency(connection: HTTPConnection) -> Hub:
    return get_hub(connection)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[Registry, Depends(registry_dependency)]
HubDep = Annotated[Hub, Depends(hub_dependency)]


def encoded(data: Any) -> bytes:
    """JSON bytes of `data` (NaN → null), or `data` itself when it already is JSON bytes; a callable
    is called first (encoding that should not hold the network's lock). Call it in a worker thread:
    a big answer encodes in pieces there while the event loop keeps serving."""
    if callable(data):
        data = data()
    return data if isinstance(data, bytes) else dumps_in_pieces(data)


def json_response(body: bytes, status_code: int = 200) -> Response:
    """Send JSON bytes encoded off the event loop; the route's response_model documents the shape."""
    return Response(body, status_code=status_code, media_type="application/json")


UNEXPLAINED = ("these numbers do not fit the network: check that every row, matrix and list has the "
               "size the network's layers call for (see GET /api/networks/{id} for its layers)")


@contextmanager
def engine_errors():
    """The engine refuses bad input with an EngineError (a message written for people) and a stuck
    network with DivergedError. Any other ValueError (NumPy below the engine, on input nobody
    foresaw) is refused without NumPy's words."""
    try:
        yield
    except DivergedError as exc:
        raise ApiError(409, str(exc)) from None
    except EngineError as exc:
        raise invalid(str(exc)) from None
    except ValueError as exc:
        log.warning("unexplained ValueError from the engine", exc_info=exc)
        raise invalid(UNEXPLAINED) from None


async def run_locked(registry: Registry, network_id: str, work: Callable[[Session], Any],
                     changes: bool = True) -> bytes:
    """Run `work(session)` in a worker thread under the network's lock and save when it `changes` the
    network (all or nothing: a failed save puts the network back); returns the answer as JSON bytes, encoded in the same thread after the lock is released
    (so `work` must return values it does not share with the live network). Telling live viewers is
    the caller's part: a REST route through `Locked`, a live socket after its own reply."""
    def locked() -> Any:
        while True:
            session = registry.get(network_id)
            with turn(session, registry.settings.max_waiters_per_network):
                if session.evicted:  # dropped from memory after we found it: load it again
                    continue
                if session.deleted:
                    raise not_found(network_id)
                with engine_errors():
                    result = registry.change(session, work) if changes else work(session)
            registry.fit_memory(session)  # a grid or a step may have grown it past the memory budget
            return encoded(result)

    return await run_in_threadpool(locked)


class Locked:
    """A REST route's way to work on one network: `await locked(network_id, work, changes)` runs
    `run_locked`, then shows the change to every live viewer of that network."""

    def __init__(self, registry: Registry, hub: Hub):
        self.registry, self.hub = registry, hub

    async def __call__(self, network_id: str, work: Callable[[Session], Any], changes: bool = True) -> bytes:
        result = await run_locked(self.registry, network_id, work, changes)
        if changes:
            await self.hub.network_changed(network_id)
        return result


async def get_locked(registry: RegistryDep, hub: HubDep) -> Locked:
    return Locked(registry, hub)


LockedDep = Annotated[Locked, Depends(get_locked)]


async def with_network(connection: HTTPConnection, network_id: str, work: Callable[[Session], Any],
                       changes: bool = True) -> bytes:
    """`Locked` for a route that holds only the request (the same path, looked up by hand)."""
    return await Locked(get_registry(connection), get_hub(connection))(network_id, work, changes)
