"""OpenAPI reads well in a generated client: each closed vocabulary is one named enum that every
field using it refers to (so a client has one `Activation` class, not six)."""
from __future__ import annotations

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
