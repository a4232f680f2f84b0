"""OpenAPI as a client reads it: ids with their grammar, each operation's real error answers, and the
limits of this server's settings.

FastAPI builds the document from the routes; `install(app, settings)` then refines it once:
- path ids (`network_id`, share and class `code`, weight and bias ids) get the pattern and length of
  `engine.ids.IDS`, the one id grammar (documented only: an id that does not fit is answered 404 by
  the route, with its usual message);
- every operation lists only the errors it can answer, each with what it means there (no 413 on a
  GET, no 404 on create), worked out from its method, path, body and owner-key requirement;
- parameters without words of their own get them from `PARAMETERS`; limits that come from the settings
  (grid resolution, a step's count, a body's size) are stated with this server's numbers.
- an import's `data` is shown as the export's `DataDocument` (the route takes it as it comes and
  checks it with the engine's messages, `app.importcheck`).
Left out: the request and answer models themselves (app/schemas), which carry their own words.
"""
from __future__ import annotations

import json

from app import limits
from app.jsonify import dumps
from app.views import export_document
from engine.experiment import Experiment
from engine.ids import CODE_ALPHABET, IDS, RANDOM_CHARS, TAG_CHARS

ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
CHANGING = {"post", "put", "patch", "delete"}
WITH_BODY = {"post", "put", "patch"}
NOT_JSON = {"/api/datasets/csv"}  # takes text/csv (app.security)
CREATING = {"create_network", "import_network", "fork_network", "fork_snapshot", "start_lesson"}
CONFLICTS = {"step_network": "the network diverged: reset it (POST …/reset) before training on",
             "answer": "the question has been revealed already",
             "move_class": "the other network has a class of its own, or lives on another shard than the class"}
PARAMETERS = {
    "param_id": "a weight id (L0N1-L1N2) or a bias id (L1N0-bias)",
    "question_id": "the question's id, from POST …/questions",
    "slug": "the lesson's name, as GET /api/lessons lists it",
    "encoding": "bytes: each grid quantised to base64 bytes (small); float: the values themselves",
    "format": "the file to answer with (json is the importable document)",
    "samples": "training samples the loss is averaged over",
    "max_params": "check at most this many parameters (a seeded random choice past that)",
    "step": "completed iterations at that moment",
    "phase": "phases of the next iteration already done at that moment (0: none)",
    "resolution": "R: an R×R grid over the input plane",
    "sample": "position in the mini-batch",
    "weight": "weight id such as L0N1-L1N2",
}
NOT_FOUND = {"network_id": "no network with this id (it may have expired or been deleted)",
             "slug": "no lesson of this name", "question_id": "no question with this id on this network"}


def _id_schema(kind: str) -> dict:
    """An id's pattern and length from the grammar; codes are matched in any case."""
    pattern = IDS[kind]
    if kind != "network" and kind in RANDOM_CHARS:
        pattern = pattern.replace(f"[{CODE_ALPHABET}]", f"[{CODE_ALPHABET}{CODE_ALPHABET.lower()}]")
    schema = {"type": "string", "pattern": f"^{pattern}$"}
    if kind in RANDOM_CHARS:
        schema.update(minLength=RANDOM_CHARS[kind], maxLength=RANDOM_CHARS[kind] + TAG_CHARS)
    return schema


def _id_kind(name: str, path: str) -> str | None:
    if name == "network_id":
        return "network"
    if name == "code":
        return "snapshot" if path.startswith("/api/snapshots/") else "class"
    if name == "weight":
        return "weight"
    return None


def _id_words(kind: str) -> str:
    return {"network": "the network's id, as its creation returned it; its first characters name the "
                       "shard that keeps it",
            "snapshot": "the share link's code (any case)", "class": "the class's join code (any case)",
            "weight": "weight id such as L0N1-L1N2"}[kind]


def _parameters(op: dict, path: str, settings) -> None:
    for param in op.get("parameters", []):
        name, schema = param["name"], param["schema"]
        kind = _id_kind(name, path)
        if kind is not None:
            param["schema"] = {**schema, **_id_schema(kind)}
            param.setdefault("description", _id_words(kind))
        elif name == "param_id":
            param["schema"] = {**schema, "pattern": f"^(?:{IDS['weight']}|{IDS['bias']})$"}
        if name in ("resolution", "grid"):
            param["schema"]["maximum"] = settings.max_grid_resolution
            param["description"] = (param.get("description") or PARAMETERS["resolution"]) + \
                f" (at most {settings.max_grid_resolution}: max_grid_resolution)"
        param.setdefault("description", PARAMETERS.get(name, ""))


def _errors(op: dict, method: str, path: str, settings) -> dict:
    """The error answers `op` can give, each with what it means here."""
    owner = bool(op.get("security"))
    params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
    queries = [p for p in op.get("parameters", []) if p["in"] == "query"]
    body = method in WITH_BODY
    name = op["operationId"]
    out = {400: "the Host header names a host this server does not answer to (allowed_hosts)"}
    if owner:
        out[401] = "no owner key: send Authorization: Bearer <key>, the key the network's creation returned"
    if method in CHANGING:
        out[403] = ("the key is not this network's (or the network has no owner); or " if owner else "") + \
            "the request comes from a page on another site (Origin not in allowed_origins)"
    elif owner:
        out[403] = "the key is not this network's (or the network has no owner)"
    missing = [NOT_FOUND[p] for p in params if p in NOT_FOUND]
    if "code" in params:
        missing.append("no share link with this code" if path.startswith("/api/snapshots/")
                       else "no open class with this join code")
    if name == "get_class":
        missing.append("the network has no open class")
    if missing:
        out[404] = "; or ".join(missing)
    if name in CONFLICTS:
        out[409] = CONFLICTS[name]
    if body:
        size, why = limits.body_limit(method.upper(), path.replace("{network_id}", "x"), settings)
        out[413] = f"the body is larger than {size} bytes ({why})"
        if path not in NOT_JSON:
            out[415] = "the body is not sent as JSON (Content-Type: application/json) and no owner key is sent"
    if "requestBody" in op or queries:
        out[422] = "a field or parameter is invalid or over a limit; `detail` names it and says why"
    crowded = []
    if "network_id" in params:
        crowded.append(f"{settings.max_waiters_per_network} requests wait for this network already "
                       f"(max_waiters_per_network)")
    if name in CREATING:
        crowded.append(f"this address keeps {settings.max_networks_per_client} networks already "
                       f"(max_networks_per_client)")
    if name == "answer":
        crowded.append("the question has the most answers it counts")
    if crowded:
        out[429] = "; or ".join(crowded)
    if "network_id" in params or "code" in params or name in CREATING:
        out[503] = "the database cannot be read or written right now (GET /api/health tells why)" + \
            (f"; or the server keeps {settings.max_networks} networks already (max_networks)"
             if name in CREATING else "")
    return out


def _import_example() -> dict:
    """A real exported document of a small network (the body an import takes is too long to write)."""
    exp = Experiment.create({"layers": [2, 2, 1]}, dataset={"samples": 6})
    return json.loads(dumps(export_document(exp)))


def refine(spec: dict, settings) -> dict:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            _parameters(op, path, settings)
            if op["operationId"] == "import_network":
                op["requestBody"]["content"]["application/json"]["example"] = _import_example()
            responses = {code: answer for code, answer in op["responses"].items() if int(code) < 400}
            if "503" in op["responses"] and op["operationId"] in ("health", "cluster_health"):  # own body
                responses["503"] = {**op["responses"]["503"], "description": "the database fails (or a shard "
                                    "does not answer): `problem` says why"}
            for status, words in _errors(op, method, path, settings).items():
                responses.setdefault(str(status), {"description": words, "content": ERROR_BODY})
            op["responses"] = responses
    schemas = spec.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("ImportIn") and "DataDocument" in schemas:  # the points are an export's, typed there
            schema["properties"]["data"] = {"allOf": [{"$ref": "#/components/schemas/DataDocument"}],
                                            "description": "the exported points, as GET …/export has them"}
    text = str(spec["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused in schemas and unused not in text:
            del schemas[unused]
    return spec


def install(app, settings) -> None:
    """Refine the app's OpenAPI once, the first time it is asked for."""
    build, refined = app.openapi, set()

    def openapi() -> dict:
        spec = build()  # FastAPI's, cached until the routes change
        if id(spec) not in refined:
            refine(spec, settings)
            refined.add(id(spec))
        return spec

    app.openapi = openapi
