"""What every schema shares: strict requests, open responses, and the error body."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class Request(BaseModel):
    """Strict: `true` is not the number 1 and "3" is not 3; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    detail: str = Field(description="what was refused and what to change")
    errors: Optional[list[dict[str, Any]]] = Field(None, description="for invalid input, each problem: "
                                                                                "loc (where), msg, type")


ERRORS = {status: {"model": ErrorOut} for status in (400, 403, 404, 409, 413, 415, 422, 429, 503)}
