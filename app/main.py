"""Builds the FastAPI application: the page, the API routers and static files."""
from __future__ import annotations

from fastapi import FastAPI

from app.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(title="Backprop Playground", version="0.1.0")
    app.state.settings = settings

    @app.get("/api/health")
    def health() -> dict:
        return {"status": "ok"}

    return app
