"""API errors with stable, human messages, and the handlers that turn them into `{"detail": ...}`.

Every refusal says what to fix. Pydantic's validation errors are flattened into one sentence per
field (`layers[0]: Input should be greater than or equal to 1 (got 0)`) and also kept as the list
FastAPI usually sends, under `errors`.
"""
from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.jsonify import to_json


class ApiError(Exception):
    """An expected refusal: HTTP `status` and a `detail` telling the client what to do."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers  # Retry-After, say


def not_found(network_id: str) -> ApiError:
    return ApiError(404, f"no network with id {network_id!r}; it may have expired or been deleted. "
                         f"Create one with POST /api/networks")


def invalid(detail: str) -> ApiError:
    return ApiError(422, detail)


def over_limit(field: str, value, limit, what: str = "", setting: str = "") -> ApiError:
    """422 naming the field, the value and the limit, e.g. `resolution: 500 is more than the limit of 200`."""
    unit = f" {what}" if what else ""
    return ApiError(422, f"{field}: {value}{unit} is more than the limit of {limit}{unit}"
                         + (f" ({setting})" if setting else ""))


def _field_name(loc: tuple) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path")]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        elif "[" in str(part) or "-" in str(part):  # pydantic's union/literal branch tags
            continue
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def is_json_content_type(value: str) -> bool:
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def wrong_content_type(request: Request, errors: list[dict]) -> str | None:
    """FastAPI reads a body only when it is declared JSON; anything else fails as "not a dictionary",
    which hides the real mistake. Name it instead."""
    content_type = request.headers.get("content-type", "")
    if is_json_content_type(content_type) or not any(tuple(e.get("loc", ()))[:1] == ("body",) for e in errors):
        return None
    sent = f"got {content_type.split(';', 1)[0].strip()!r}" if content_type else "no Content-Type was given"
    return f"send the body as JSON with Content-Type: application/json ({sent})"


_JSON_KINDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "true or false",
               type(None): "null"}


MAX_ERRORS = 20  # a body of a million bad numbers is answered with 20 of them, not a 50 MB list


def describe_validation_errors(errors: list[dict], more: bool = False) -> str:
    """One sentence per distinct field, e.g. `learning_rate: Input should be greater than 0 (got -1)`.
    `more`: `errors` are the first of more than that (app.offloop)."""
    seen: dict[str, str] = {}
    for err in errors:
        if len(seen) == MAX_ERRORS:
            count = "" if more else f"{len(errors) - MAX_ERRORS} "
            seen["…"] = f"and {count}more errors (only the first {MAX_ERRORS} are listed)"
            break
        field = _field_name(tuple(err.get("loc", ())))
        if err.get("type") == "json_invalid":
            seen.setdefault("body", f"request body is not valid JSON: {err.get('ctx', {}).get('error', err['msg'])}")
            continue
        message = err.get("msg", "is invalid")
        value = err.get("input")
        if field == "body" and err.get("type") in ("model_attributes_type", "dict_type", "model_type"):
            kind = _JSON_KINDS.get(type(value), "something else")
            seen.setdefault("body", f"body: send a JSON object with this endpoint's fields (see /docs), not {kind}")
            continue
        if err.get("type") != "missing" and isinstance(value, (int, float, str, bool)) and len(repr(value)) <= 60:
            message += f" (got {value!r})"
        seen.setdefault(field, f"{field}: {message}")
    return "; ".join(seen.values())


def validation_body(raw: list[dict], more: bool = False) -> dict:
    """The 422 answer to pydantic's errors: one sentence per field, and the first errors as a list."""
    errors = to_json([{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in raw[:MAX_ERRORS]])
    return {"detail": describe_validation_errors(raw, more), "errors": errors}


def unparsable(cause: BaseException | None) -> dict:
    """The 422 answer to a JSON body `json.loads` refused with `cause`, as FastAPI and the handlers
    below give it."""
    if isinstance(cause, json.JSONDecodeError):  # FastAPI's own error for it, described
        return validation_body([{"type": "json_invalid", "loc": ("body", cause.pos), "msg": "JSON decode error",
                                 "input": {}, "ctx": {"error": cause.msg}}])
    if isinstance(cause, RecursionError):
        return {"detail": "request body is nested too deeply; send a flatter JSON document"}
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return {"detail": "request body has a number with more than 4300 digits; no field takes one that long"}
    return {"detail": "request body is not valid JSON; send UTF-8 encoded JSON"}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        body = validation_body(raw)
        body["detail"] = wrong_content_type(request, raw) or body["detail"]
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            return JSONResponse(unparsable(exc.__cause__), status_code=422)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such endpoint; see /docs for the API"
        elif exc.status_code == 405:
            detail = "this endpoint does not accept that HTTP method; see /docs for the API"
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
