"""Every operation's real answers match the shape OpenAPI declares for them, and declare every field.

One scenario calls every operation of the API (the test fails on an operation it does not call, so a
new route needs its line here). Each JSON answer is validated strictly against the route's
`response_model` (the model OpenAPI is generated from), and then walked: a field the model does not
declare (kept by `extra="allow"`) is reported with its path. The status must be one the operation lists.
"""
from __future__ import annotations

import warnings

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from tests.app.owners import OwnerClient

from app.main import create_app

CSV = "x1,x2,label\n0.5,-1.2,red\n-2,1,blue\n1,1,red\n0,2,blue\n3,1,red\n-1,-1,blue\n"


def undeclared(value, path: str = "$") -> list[str]:
    """Paths of fields a validated answer holds beyond its models' declared ones."""
    if isinstance(value, BaseModel):
        out = [f"{path}.{key}" for key in (value.__pydantic_extra__ or {})]
        for name in type(value).model_fields:
            out += undeclared(getattr(value, name), f"{path}.{name}")
        return out
    if isinstance(value, (list, tuple)):
        return [p for n, item in enumerate(value) for p in undeclared(item, f"{path}[{n}]")]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in undeclared(item, f"{path}.{key}")]
    return []


def api_routes(routes) -> list[APIRoute]:
    """The app's API routes, inside included routers too (newer FastAPI nests them)."""
    out = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            out += api_routes(route.original_router.routes)
    return out


def dropped(raw, kept, path: str = "$") -> list[str]:
    """Paths of fields the answer has and the validated value lost (a model that ignores extras)."""
    if isinstance(raw, dict) and isinstance(kept, dict):
        return [p for key, value in raw.items()
                for p in ([f"{path}.{key}"] if key not in kept else dropped(value, kept[key], f"{path}.{key}"))]
    if isinstance(raw, list) and isinstance(kept, list):
        return [p for n, (a, b) in enumerate(zip(raw, kept)) for p in dropped(a, b, f"{path}[{n}]")]
    return []


class Checker:
    def __init__(self, client: OwnerClient):
        self.client, self.app = client, client.app
        self.spec = self.app.openapi()
        self.routes = {r.name: r for r in api_routes(self.app.routes) if r.include_in_schema}
        self.called: set[str] = set()
        self.problems: list[str] = []

    def __call__(self, operation: str, method: str, url: str, status: int | None = None, **kwargs):
        response = self.client.request(method, url, **kwargs)
        self.called.add(operation)
        route = self.routes[operation]
        expected = status or route.status_code or 200
        if response.status_code != expected:
            self.problems.append(f"{operation}: {response.status_code}, not {expected}: {response.text[:300]}")
        path = next(p for p, ops in self.spec["paths"].items() if ops.get(method.lower(), {}).get("operationId")
                    == operation)
        listed = self.spec["paths"][path][method.lower()]["responses"]
        if str(response.status_code) not in listed:
            self.problems.append(f"{operation}: status {response.status_code} is not listed ({response.text[:200]})")
        if response.status_code >= 300 or response.headers.get("content-type") != "application/json":
            return response
        adapter = TypeAdapter(route.response_model)
        try:
            answer = adapter.validate_json(response.content, strict=True)
        except Exception as exc:  # noqa: BLE001 - every mismatch is reported with its operation
            self.problems.append(f"{operation}: {exc}")
            return response
        lost = dropped(response.json(), adapter.dump_python(answer, mode="json"))
        self.problems += [f"{operation}: undeclared {p}" for p in undeclared(answer) + lost]
        return response


@pytest.fixture
def check(settings):
    with OwnerClient(create_app(settings)) as client:
        yield Checker(client)


def scenario(check: Checker) -> None:
    for name, url in (("get_options", "/api/options"), ("datasets", "/api/datasets"), ("health", "/api/health"),
                      ("cluster_health", "/api/cluster/health"),
                      ("list_lessons", "/api/lessons"), ("get_lesson", "/api/lessons/worked-example")):
        check(name, "GET", url)
    check("start_lesson", "POST", "/api/lessons/worked-example/start", json={})
    net = check("create_network", "POST", "/api/networks",
                json={"momentum": 0.5, "regularization": "l2", "regularization_rate": 0.01}).json()
    n = f"/api/networks/{net['id']}"
    check("get_chain", "GET", f"{n}/chain", params={"weight": "L0N0-L1N0"})
    check("step_network", "POST", f"{n}/step", json={"by": "iteration", "trace": True})
    check("step_network", "POST", f"{n}/step", json={"by": "phase", "count": 3, "trace": True})
    check("step_network", "POST", f"{n}/step", json={"by": "epoch"})
    check("get_chain", "GET", f"{n}/chain", params={"weight": "L1N1-L2N0", "sample": 2})
    check("get_network", "GET", n)
    check("patch_network", "PATCH", n, json={"learning_rate": 0.1})
    check("set_parameter", "PUT", f"{n}/parameters/L0N1-L1N2", json={"value": 0.5})
    check("predict", "POST", f"{n}/predict", json={"x": [[0.5, -1], [2, 2]]})
    check("get_data", "GET", f"{n}/data")
    check("get_grid", "GET", f"{n}/grid", params={"resolution": 4})
    check("get_grid", "GET", f"{n}/grid", params={"resolution": 3, "encoding": "float"})
    check("gradcheck", "GET", f"{n}/gradcheck", params={"samples": 2, "max_params": 5})
    check("get_timeline", "GET", f"{n}/timeline")
    check("preview", "GET", f"{n}/timeline/preview", params={"step": 1, "phase": 2, "grid": 3})
    check("rewind", "POST", f"{n}/rewind", json={"step": 1, "phase": 3, "trace": True})
    check("rewind", "POST", f"{n}/rewind", json={"step": 1})
    document = check("export_network", "GET", f"{n}/export").json()
    check("export_network", "GET", f"{n}/export", params={"format": "csv"})
    check("import_network", "POST", "/api/networks/import", json=document)
    fork = check("fork_network", "POST", f"{n}/fork", json={}).json()
    check("reset_network", "POST", f"/api/networks/{fork['id']}/reset", json={"seed": 4})
    question = check("ask", "POST", f"{n}/questions", json={"kind": "largest_delta"}).json()
    q = f"{n}/questions/{question['id']}"
    check("get_question", "GET", q)
    check("answer", "POST", f"{q}/answers", json={"choice": question["choices"][0], "voter": "v1"})
    check("reveal", "POST", f"{q}/reveal", json={})
    code = check("take_snapshot", "POST", f"{n}/snapshots", json={}).json()["code"]
    for name, suffix, params in (("get_snapshot", "", {}), ("get_snapshot_data", "/data", {}),
                                 ("get_snapshot_grid", "/grid", {"resolution": 3}),
                                 ("get_snapshot_chain", "/chain", {"weight": "L0N0-L1N0"})):
        check(name, "GET", f"/api/snapshots/{code}{suffix}", params=params)
    check("fork_snapshot", "POST", f"/api/snapshots/{code}/fork", json={})
    joined = check("open_class", "POST", f"{n}/class", json={}).json()
    check("get_class", "GET", f"{n}/class")
    check("find_class", "GET", f"/api/classes/{joined['code']}")
    lesson = check("start_lesson", "POST", "/api/lessons/xor-hidden-layer/start", json={}).json()
    m = f"/api/networks/{lesson['network']['id']}"
    check("move_class", "POST", f"{n}/class/move", json={"network_id": lesson["network"]["id"], "key": lesson["key"]})
    check("show_lesson_step", "PUT", f"{m}/lesson", json={"slug": "xor-hidden-layer", "step": 2})
    check("start_lesson_beside", "POST", f"{m}/lessons/worked-example/start", json={})
    check("create_network_beside", "POST", f"{m}/beside", json={"layers": [2, 2, 1]})
    check("get_lesson_step", "GET", f"{m}/lesson")
    check("close_lesson_step", "DELETE", f"{m}/lesson", status=204)
    check("end_class", "DELETE", f"{m}/class", status=204)
    parsed = check("parse_csv_route", "POST", "/api/datasets/csv", content=CSV,
                   headers={"content-type": "text/csv"}).json()
    own = check("create_network", "POST", "/api/networks", json={**parsed["network"], "data": parsed["data"]}).json()
    check("put_data", "PUT", f"/api/networks/{own['id']}/data", json=parsed["data"])
    check("step_network", "POST", f"/api/networks/{own['id']}/step", json={"by": "iteration", "trace": True})
    check("get_chain", "GET", f"/api/networks/{own['id']}/chain", params={"weight": "L0N0-L1N0"})
    check("export_network", "GET", f"/api/networks/{own['id']}/export")
    line = check("create_network", "POST", "/api/networks", json={  # one input, regression: no features
        "layers": [1, 3, 1], "output_activation": "linear",
        "data": {"x_train": [[0.0], [1.0], [2.0]], "y_train": [0.5, 1.5, 2.5]}}).json()
    check("step_network", "POST", f"/api/networks/{line['id']}/step", json={"by": "iteration", "trace": True})
    check("export_network", "GET", f"/api/networks/{line['id']}/export")
    blobs = check("create_network", "POST", "/api/networks", json={  # softmax fused with cross-entropy
        "layers": [2, 4, 3], "output_activation": "softmax", "loss": "categorical_cross_entropy",
        "dataset": {"name": "blobs", "samples": 90}}).json()
    check("step_network", "POST", f"/api/networks/{blobs['id']}/step", json={"by": "iteration", "trace": True})
    check("get_chain", "GET", f"/api/networks/{blobs['id']}/chain", params={"weight": "L1N0-L2N2"})
    check("delete_network", "DELETE", n, status=204)
    check("get_network", "GET", n, status=404)


def diverging(check: Checker) -> None:
    net = check("create_network", "POST", "/api/networks", json={
        "layers": [2, 8, 1], "activation": "linear", "output_activation": "linear", "learning_rate": 50,
        "dataset": {"name": "plane"}}).json()
    n = f"/api/networks/{net['id']}"
    check("step_network", "POST", f"{n}/step", json={"by": "epoch", "count": 20})
    check("step_network", "POST", f"{n}/step", json={"count": 1}, status=409)
    check("export_network", "GET", f"{n}/export")
    check("get_chain", "GET", f"{n}/chain", params={"weight": "L0N0-L1N0"})


def test_every_answer_matches_its_declared_schema_and_declares_every_field(check):
    scenario(check)
    diverging(check)
    assert check.problems == [], "\n".join(check.problems)
    assert set(check.routes) - check.called == set(), "operations this test does not call yet"
