"""The interactive API docs, `/docs` (Swagger UI) and `/redoc` (ReDoc), with every file they load
served from here (`/docs-assets/<version>/…`), so they work in a classroom without internet.

FastAPI's own docs routes load the same files from a CDN; `create_app` turns those off. ReDoc's
sidebar still names an image on its maker's server; the pages' Content-Security-Policy keeps the
browser from asking for anything that is not served here.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

from app.assets import docs_assets

router = APIRouter(include_in_schema=False)
ONLY_THIS_SERVER = {"Content-Security-Policy": "default-src 'self' 'unsafe-inline' data: blob:"}


def _asset(name: str) -> str:
    return f"/docs-assets/{docs_assets().version}/{name}"


@router.get("/docs")
async def swagger_ui(request: Request):
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} – API",
        swagger_js_url=_asset("swagger-ui-bundle.js"), swagger_css_url=_asset("swagger-ui.css"),
        swagger_favicon_url=_asset("favicon.png"),
        swagger_ui_parameters={"validatorUrl": None})  # the validator badge would call an outside server
    page.headers.update(ONLY_THIS_SERVER)
    return page


@router.get("/redoc")
async def redoc(request: Request):
    page = get_redoc_html(openapi_url=request.app.openapi_url, title=f"{request.app.title} – API",
                          redoc_js_url=_asset("redoc.standalone.js"), redoc_favicon_url=_asset("favicon.png"),
                          with_google_fonts=False)
    page.headers.update(ONLY_THIS_SERVER)
    return page


@router.api_route("/docs-assets/{path:path}", methods=["GET", "HEAD"])
def docs_file(path: str, request: Request):
    return docs_assets().response(path, request)
