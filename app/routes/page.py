"""The page and its files: `templates/index.html` rendered with the defaults and options it builds its
controls from, and `static/` at `/static/<version>/…` (see `app.assets` for versions and caching)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.assets import page_assets, page_folder, respond
from app.options import options
from engine.experiment import DATASET_DEFAULTS, DEFAULTS

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(page_folder("templates")))


def page_defaults() -> dict:
    return {**DEFAULTS, "dataset": dict(DATASET_DEFAULTS)}


@router.get("/", response_class=HTMLResponse)
async def index(request: Request):
    html = templates.get_template("index.html").render(
        defaults=page_defaults(), options=options(request.app.state.settings),
        static=f"/static/{page_assets().version}")
    # no-cache: the page names the files' version, so it must always be the latest
    return respond(html.encode(), "text/html", request, cache_control="no-cache")


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
def static(path: str, request: Request):
    return page_assets().response(path, request)
