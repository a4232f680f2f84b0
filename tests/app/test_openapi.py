"""OpenAPI reads well in a generated client: each closed vocabulary is one named enum that every
field using it refers to (so a client has one `Activation` class, not six)."""
from __future__ import annotations

import re

import pytest

from app.main import create_app
from app.settings import Settings
from engine import fields


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings(db_path=":memory:")).openapi()


def walk(node, path=""):
    """Every (path, schema object) below `node`."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from walk(value, f"{path}/{n}")


def test_each_vocabulary_is_one_component_and_never_written_out_again(spec):
    components = spec["components"]["schemas"]
    vocabularies = {f.vocabulary: list(f.choices) for f in fields.FIELDS if f.vocabulary}
    vocabularies.update(PhaseName=["forward", "loss", "backward", "update"], ProblemKind=["classification", "regression"],
                        StepUnit=["phase", "iteration", "epoch"])
    for name, values in vocabularies.items():
        assert components[name]["enum"] == values, name
        assert components[name]["description"], name
    known = {tuple(values) for values in vocabularies.values()}
    inline = [path for path, node in walk(spec) if tuple(node.get("enum", ())) in known
              and not (path.startswith("/components/schemas/") and path.count("/") == 3)]
    assert inline == []


def test_every_field_using_a_vocabulary_refers_to_it(spec):
    components = spec["components"]["schemas"]
    create = components["NetworkCreate"]["properties"]
    assert create["loss"]["$ref"] == "#/components/schemas/Loss"
    assert create["activation"]["anyOf"][1]["items"]["$ref"] == "#/components/schemas/Activation"
    assert components["DatasetSpec"]["properties"]["name"]["$ref"] == "#/components/schemas/DatasetName"
    assert components["LessonNetworkCreate"]["properties"]["loss"]["$ref"] == "#/components/schemas/Loss"
    imported = components["ImportedConfig"]["properties"]["init"]["anyOf"][0]["$ref"]
    assert components[imported.rsplit("/", 1)[1]]["enum"] == [*fields.spec("init").choices, "explicit"]


def operations(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_each_operation_lists_only_the_errors_it_can_answer(spec):
    by_id = {op["operationId"]: op for _, _, op in operations(spec)}
    for path, method, op in operations(spec):
        statuses = set(op["responses"])
        if method == "get":
            assert not statuses & {"401", "403", "409", "413", "415"}, op["operationId"]
        if "{" not in path:
            assert "404" not in statuses, op["operationId"]
        if not op.get("security"):
            assert "401" not in statuses, op["operationId"]
        for status, answer in op["responses"].items():
            if status >= "400" and "health" not in op["operationId"]:  # health answers its own body
                assert answer["description"] and "ErrorOut" in str(answer["content"]), (op["operationId"], status)
    assert set(by_id["get_options"]["responses"]) == {"200", "400"}
    assert {"401", "403", "404", "409", "413", "415", "422"} <= set(by_id["step_network"]["responses"])
    assert "the network diverged" in by_id["step_network"]["responses"]["409"]["description"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_ids_carry_the_grammar_of_engine_ids(spec, client):
    from engine.ids import IDS, RANDOM_CHARS

    network_ids = [p["schema"] for _, _, op in operations(spec) for p in op.get("parameters", [])
                   if p["name"] == "network_id"]
    assert network_ids and all(s["pattern"] == f"^{IDS['network']}$" for s in network_ids)
    assert network_ids[0]["minLength"] == RANDOM_CHARS["network"] < network_ids[0]["maxLength"]
    made = client.post("/api/networks", json={}).json()["id"]
    assert re.match(network_ids[0]["pattern"], made)
    code = spec["paths"]["/api/snapshots/{code}"]["get"]["parameters"][0]["schema"]
    assert code["minLength"] == RANDOM_CHARS["snapshot"] and re.match(code["pattern"], "acdefghjkmnprtw")


def test_limits_of_the_server_settings_show(settings):
    spec = create_app(settings.replace(max_grid_resolution=77, max_body_bytes=12345)).openapi()
    grid = spec["paths"]["/api/networks/{network_id}/grid"]["get"]
    resolution = next(p for p in grid["parameters"] if p["name"] == "resolution")
    assert resolution["schema"]["maximum"] == 77 and "77" in resolution["description"]
    step = spec["paths"]["/api/networks/{network_id}/step"]["post"]
    assert "12345 bytes (max_body_bytes)" in step["responses"]["413"]["description"]


def test_every_request_body_has_an_example_and_every_field_and_parameter_a_description(spec):
    components = spec["components"]["schemas"]
    for path, method, op in operations(spec):
        for param in op.get("parameters", []):
            assert param.get("description"), (op["operationId"], param["name"])
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            schema = components.get(content["schema"].get("$ref", "").rsplit("/", 1)[-1], {})
            assert content.get("example") or content.get("examples") or schema.get("examples"), \
                (op["operationId"], media)
    undescribed = [f"{name}.{field}" for name, schema in components.items()
                   for field, prop in schema.get("properties", {}).items() if not prop.get("description")]
    assert undescribed == []


def test_the_examples_are_accepted(client):
    spec = client.get("/openapi.json").json()
    components = spec["components"]["schemas"]
    network = client.post("/api/networks", json={}).json()["id"]
    for path, method, op in operations(spec):
        if op["operationId"] not in ("create_network", "import_network", "patch_network", "step_network",
                                     "reset_network", "predict", "set_parameter"):
            continue
        content = op["requestBody"]["content"]["application/json"]
        examples = [content["example"]] if "example" in content else \
            components[content["schema"]["$ref"].rsplit("/", 1)[-1]]["examples"]
        url = path.replace("{network_id}", network).replace("{param_id}", "L0N1-L1N2")
        for example in examples:
            answer = client.request(method.upper(), url, json=example)
            assert answer.status_code < 300, (op["operationId"], example, answer.text)


def test_the_import_example_without_its_config_dataset_is_refused_not_a_server_error(client):
    """Found by fuzzing from the import example: a config without `dataset` used to answer 500."""
    document = client.get("/openapi.json").json()["paths"]["/api/networks/import"]["post"]["requestBody"][
        "content"]["application/json"]["example"]
    del document["config"]["dataset"]
    answer = client.post("/api/networks/import", json=document)
    assert answer.status_code == 422
    assert answer.json()["detail"] == ("not a valid exported network: config.dataset must be a JSON object (where "
                                       "the points come from)")


def test_ids_in_answers_carry_the_grammar_and_real_ids_match_it(client):
    """Every id field of an answer names its pattern, from the one grammar, and the server's ids fit it."""
    spec = client.get("/openapi.json").json()["components"]["schemas"]
    state = spec["NetworkState"]["properties"]
    created = client.post("/api/networks", json={}).json()
    network_id = created["id"]
    assert re.fullmatch(state["id"]["pattern"], network_id)
    neuron_pattern = state["neuron_ids"]["items"]["items"]["pattern"]
    assert all(re.fullmatch(neuron_pattern, n) for layer in created["neuron_ids"] for n in layer)
    weight_pattern = spec["ChainOut"]["properties"]["weight"]["pattern"]
    assert re.fullmatch(weight_pattern, "L0N1-L1N2") and not re.fullmatch(weight_pattern, "L1N0-bias")
    parameter_pattern = spec["ParameterCheck"]["properties"]["id"]["pattern"]
    assert re.fullmatch(parameter_pattern, "L1N0-bias") and re.fullmatch(parameter_pattern, "L0N1-L1N2")
    lookup = spec["ClassLookup"]["properties"]
    assert re.fullmatch(lookup["network_id"]["pattern"], network_id)
    assert not re.fullmatch(lookup["code"]["pattern"], "abc")


def test_an_imports_points_are_typed_as_the_exports(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["ImportIn"]["properties"]["data"]["allOf"][0]["$ref"] == "#/components/schemas/DataDocument"
    assert {"x_train", "y_train", "x_test", "y_test", "kind"} <= set(schemas["DataDocument"]["properties"])
