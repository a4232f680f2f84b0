"""What every schema shares: strict requests, open responses, and the error body."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    """Strict: `true` is not the number 1 and "3" is not 3; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    detail: str
    errors: Optional[list[dict[str, Any]]] = None


ERRORS = {status: {"model": ErrorOut} for status in (400, 403, 404, 409, 413, 415, 422, 429, 503)}
