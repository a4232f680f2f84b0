"""Glue every route shares: the registry, engine errors → HTTP errors, locked work off the event loop."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.clients import turn
from app.errors import ApiError, invalid, not_found
from app.jsonify import dumps_in_pieces
from app.sessions import Registry, Session
from engine.errors import DivergedError, EngineError

log = logging.getLogger(__name__)


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


def registry(request: Request) -> Registry:
    return request.app.state.registry


async def with_network(request: Request, network_id: str, work: Callable[[Session], Any],
                       changes: bool = True) -> bytes:
    """Run `work(session)` in a worker thread under the network's lock, save and tell live viewers
    when it `changes` the network; returns the answer as JSON bytes, encoded in the same thread after
    the lock is released (so `work` must return values it does not share with the live network)."""
    reg = registry(request)

    def locked() -> Any:
        while True:
            session = reg.get(network_id)
            with turn(session, reg.settings.max_waiters_per_network):
                if session.evicted:  # dropped from memory after we found it: load it again
                    continue
                if session.deleted:
                    raise not_found(network_id)
                with engine_errors():
                    result = reg.change(session, work) if changes else work(session)
            return encoded(result)

    result = await run_in_threadpool(locked)
    if changes:
        await request.app.state.hub.network_changed(network_id)
    return result
