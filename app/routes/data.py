"""Your own data: a CSV file in, and a network's points replaced mid-run.

`POST /api/datasets/csv` only parses (nothing is stored, so a bad file leaves nothing behind); its
answer carries `data` ready for `POST /api/networks` and the layers that fit. `PUT …/data` gives a
network new points and keeps its weights, momentum, counters and history.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from app import keys, limits, views
from app.schemas import base, table, vocab
from app.schemas import catalog
from app.schemas import network_in
from app.schemas import network_out
from app.deps import engine_errors, json_response, with_network
from app.errors import invalid
from app.jsonify import dumps
from engine.csvdata import parse_csv
from engine.userdata import fitting_network, with_new_data

DATA_CHANGED = dumps({"type": "data"})

router = APIRouter(prefix="/api", tags=["data"])
CSV_TYPES = ("text/csv", "text/plain", "application/csv", "application/octet-stream",
             "application/vnd.ms-excel")
CSV_BODY = {"requestBody": {"required": True, "content": {
    "text/csv": {"schema": {"type": "string"}, "example": "x1,x2,label\n0.5,-1.2,red\n-2,1,blue\n"}}}}


def _columns(text: Optional[str]) -> Optional[list[str]]:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


@router.post("/datasets/csv", response_model=catalog.CsvOut, responses=base.ERRORS, openapi_extra=CSV_BODY,
             summary="Parse a CSV file (text/csv body) into points; stores nothing")
async def parse_csv_route(
        request: Request,
        target: Optional[str] = Query(None, max_length=200, description="target column: name or number "
                                      "from 1 (default: the last)"),
        inputs: Optional[str] = Query(None, max_length=10_000, description="input columns, comma-separated "
                                      "names or numbers (default: every other column)"),
        header: Optional[bool] = Query(None, description="is the first line a header? (default: detect)"),
        kind: Optional[vocab.ProblemKind] = Query(None, description="default: infer"),
        train_ratio: float = table.query("dataset.train_ratio"), seed: int = table.query("dataset.seed")):
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media not in CSV_TYPES:
        raise invalid(f"send the file as the body with Content-Type: text/csv (got {media or 'none'!r})")
    body = await request.body()
    settings = request.app.state.settings

    def parse() -> bytes:
        with engine_errors():
            table = parse_csv(body, inputs=_columns(inputs), target=target, header=header, kind=kind,
                              max_rows=settings.max_points, max_columns=settings.max_neurons)
        names = table.names()
        return dumps({"columns": table.columns, "header": table.header, "inputs": names["columns"],
                      "target": names["target"], "x": table.x, "y": table.y, "kind": table.kind,
                      "n_classes": table.n_classes, "labels": table.labels,
                      "data": table.split(train_ratio, seed),
                      "network": fitting_network(table.kind, len(table.inputs), table.n_classes)})

    return json_response(await run_in_threadpool(parse))


@router.put("/networks/{network_id}/data", response_model=network_out.NetworkState, responses=keys.ERRORS,
            dependencies=keys.OWNER,
            summary="Replace the points, keeping weights, momentum, counters and history")
async def put_data(request: Request, network_id: str, body: network_in.DataIn):
    settings = request.app.state.settings
    data = body.model_dump(exclude_none=True)
    limits.check_data(data, None, settings)

    def work(session):
        session.exp = with_new_data(session.exp, data)
        session.data_changed = True
        return views.network_state_json(session.id, session.exp, session.history_json, settings.step_history)

    answer = await with_network(request, network_id, work)
    # Live viewers (a class's followers) draw the points too: tell them to read the new ones.
    channel = request.app.state.hub.channels.get(network_id)
    if channel is not None:
        for client in list(channel.clients):
            client.reply(DATA_CHANGED)
    return json_response(answer)
