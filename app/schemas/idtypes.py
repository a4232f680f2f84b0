"""Id types for the fields of answers: each carries its pattern from the one grammar (`engine.ids.IDS`).

OpenAPI then shows a client what every id it receives looks like, as the path parameters already do
(`app.openapi`): a generated client can check an id before it builds a URL with it. Codes come out
in capitals, as stored, so their patterns take capitals only.
Left out: path parameters (`app.openapi` adds theirs, accepting codes in any case) and owner keys
(secrets with no grammar a client should rely on).
"""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from engine.ids import IDS


def _id(*kinds: str):
    return Annotated[str, Field(pattern=f"^(?:{'|'.join(IDS[kind] for kind in kinds)})$")]


NetworkId = _id("network")
NeuronId = _id("neuron")
WeightId = _id("weight")
ParameterId = _id("weight", "bias")
SnapshotCode = _id("snapshot")
ClassCode = _id("class")
