"""The page: `templates/index.html` rendered with the defaults and options it builds its controls from."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.routes.datasets import options
from engine.experiment import DATASET_DEFAULTS, DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES))

FALLBACK = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Backprop Playground</title></head>
<body><h1>Backprop Playground</h1><p>The page is not installed yet; the API is at <a href="/docs">/docs</a>.</p>
</body></html>"""


def page_defaults() -> dict:
    return {**DEFAULTS, "dataset": dict(DATASET_DEFAULTS)}


@router.get("/", response_class=HTMLResponse)
async def index(request: Request):
    if not (TEMPLATES / "index.html").is_file():
        return HTMLResponse(FALLBACK)
    return templates.TemplateResponse(request, "index.html", {
        "defaults": page_defaults(), "options": options(request.app.state.settings)})
