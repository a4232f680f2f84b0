"""`GET /api/networks/{id}/export?format=…`: the network as a file of the asked-for kind.

json is the complete document (`views.export_document`, importable); numpy and pytorch are runnable
Python (engine/exporters/python.py); csv is the history; svg and png are the drawing (app/drawing).
Each file is made under the network's lock from the numbers of one moment, then sent as it is.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from app.deps import with_network
from app.schemas import vocab
from engine.exporters.history import history_csv
from engine.exporters.python import numpy_source, torch_source

# format → (media type, file name)
FILES = {"numpy": ("text/x-python; charset=utf-8", "model.py"),
         "pytorch": ("text/x-python; charset=utf-8", "model_torch.py"),
         "csv": ("text/csv; charset=utf-8", "history.csv"),
         "svg": ("image/svg+xml", "network.svg"),
         "png": ("image/png", "network.png")}
ExportFormat = vocab.term("ExportFormat", ("json", *FILES), "json: the complete document (importable); "
                          "numpy, pytorch: runnable Python; csv: the history; svg, png: the drawing")
TEXT = {"schema": {"type": "string"}}
RESPONSES = {200: {"description": "the JSON document, or the file of the asked-for format", "content": {
    "text/x-python": TEXT, "text/csv": TEXT, "image/svg+xml": TEXT,
    "image/png": {"schema": {"type": "string", "format": "binary"}}}}}


def _render(session, fmt: str):
    """The file's bytes, or for a drawing the function that makes them after the lock is released."""
    if fmt == "numpy":
        return numpy_source(session.exp, session.id).encode()
    if fmt == "pytorch":
        return torch_source(session.exp, session.id).encode()
    if fmt == "csv":
        return history_csv(session.exp).encode()
    from app.drawing import render  # Pillow is imported only when a drawing is asked for
    return render(session.exp, fmt)


async def export_file(request: Request, network_id: str, fmt: str) -> Response:
    body = await with_network(request, network_id, lambda s: _render(s, fmt), changes=False)
    media, name = FILES[fmt]
    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})
