"""The live socket's client messages, one model a `type`; `step` and `set` are the REST bodies plus
`type`, so both paths validate alike. Built per app because `set` carries the server's limits."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.follow import AuthMessage, FocusMessage
from app.schemas.network_in import NetworkInputs, StepIn


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)
    type: str


class PlayMessage(Message):
    steps_per_frame: int = Field(1, ge=1)
    fps: float = Field(30, ge=0.1, description="frames a second, from 0.1 to max_fps")


class PauseMessage(Message):
    pass


class SubscribeMessage(Message):
    grid_resolution: int = Field(0, ge=0, description="0: no grids; else R ≥ 2, as in GET …/grid")
    fps: Optional[float] = Field(None, gt=0, description="at most this many frames a second for this client "
                                                         "(a follower on a slow laptop); null: every frame")


class StepMessage(StepIn):
    type: Literal["step"]


@dataclass(frozen=True)
class LiveMessages:
    play: type[PlayMessage]
    pause: type[PauseMessage]
    step: type[StepMessage]
    set: type[BaseModel]
    subscribe: type[SubscribeMessage]
    auth: type[AuthMessage]
    focus: type[FocusMessage]


def build(models: NetworkInputs) -> LiveMessages:
    set_message = create_model("SetMessage", __base__=models.Hyperparameters, type=(Literal["set"], ...))
    return LiveMessages(PlayMessage, PauseMessage, StepMessage, set_message, SubscribeMessage, AuthMessage,
                        FocusMessage)
