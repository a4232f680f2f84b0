"""Server settings: every field has a default and a valid range, environment variables override, no
.env needed.

Each field can be overridden by `BACKPROP_PLAYGROUND_<FIELD NAME IN CAPITALS>`, e.g.
`BACKPROP_PLAYGROUND_MAX_NEURONS=32` (the database: `BACKPROP_PLAYGROUND_DB`). A value out of range
(`MAX_NEURONS=-5`, `STEP_TIME_BUDGET=nan`) stops the server at startup with one line naming the
variable; a `BACKPROP_PLAYGROUND_*` variable that is no setting is reported, not fatal. The limits keep
one person's request from starving the others: past a limit the API answers 422 naming the field, the
value and the limit.

`Settings(...)` reads no environment (tests build exactly what they write); `Settings.from_env()` does.
`settings.replace(field=value)` is a validated copy.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.ids import MAX_SHARDS

ENV_PREFIX = "BACKPROP_PLAYGROUND_"
DB_VARIABLE = ENV_PREFIX + "DB"


def default_db_path() -> str:
    """The user's data directory (XDG on Linux), so networks survive reinstalling the project."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "backprop-playground" / "networks.sqlite3")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid",
                                      validate_by_name=True, validate_by_alias=True)

    db_path: str = Field(default_factory=default_db_path, min_length=1, validation_alias=DB_VARIABLE)
    # network shape and data
    max_hidden_layers: int = Field(8, ge=0)
    max_neurons: int = Field(64, ge=1)
    max_points: int = Field(5000, ge=1)
    # work per request
    max_steps_per_request: int = Field(100_000, ge=1)   # iterations one step request may run
    max_epochs_per_request: int = Field(1000, ge=1)
    max_phases_per_request: int = Field(10_000, ge=1)
    step_time_budget: float = Field(5.0, gt=0, allow_inf_nan=False)  # seconds; a longer step stops early
    max_trace_records: int = Field(5000, ge=1)
    max_trace_numbers: int = Field(1_000_000, ge=1)
    max_grid_resolution: int = Field(200, ge=1)
    max_response_numbers: int = Field(2_000_000, ge=1)  # floats in one float grid or prediction (~40 MB JSON)
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1)
    max_waiters_per_network: int = Field(8, ge=1)   # requests queued for one network's lock (429 beyond)
    # connections (app.connections): slow or too many are dropped
    header_timeout: float = Field(10.0, gt=0, allow_inf_nan=False)  # seconds to send a request's headers
    body_timeout: float = Field(30.0, gt=0, allow_inf_nan=False)    # seconds to send its body
    max_connections_per_client: int = Field(512, ge=1)  # open at once from one address (429 beyond)
    max_connections: int = Field(0, ge=0)  # open at once in all; 0: the file descriptor limit less a reserve
    step_history: int = Field(100, ge=0)               # history entries in a step/PATCH answer unless ?history=N
    # live play
    max_fps: int = Field(60, ge=1)
    max_steps_per_frame: int = Field(10_000, ge=1)
    save_interval: float = Field(1.0, gt=0, allow_inf_nan=False)       # seconds between checkpoints while playing
    frame_time_budget: float = Field(0.25, gt=0, allow_inf_nan=False)  # seconds of training a live frame
    # persistence
    idle_expiry_days: float = Field(7.0, gt=0, allow_inf_nan=False)
    max_networks: int = Field(10_000, ge=1)
    max_networks_per_client: int = Field(1000, ge=1)   # networks one client address may keep (429 beyond)
    max_networks_in_memory: int = Field(256, ge=1)
    memory_budget: int = Field(2 * 1024 ** 3, ge=1)   # bytes of networks kept in memory; the LRU leave first
    # shards (docs/scaling.md): this process's number, named by every id and code it makes
    shard: int = Field(0, ge=0, lt=MAX_SHARDS)
    peers: str = ""  # every shard's base URL in shard order, comma-separated: /api/cluster/health asks them
    # who may reach the server (app.security): extra host names and page origins, comma-separated
    allowed_hosts: str = ""     # this computer's names always; the CLI adds the LAN's when serving a class
    allowed_origins: str = ""   # pages elsewhere that may drive this server (its own page always may)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings,)  # only from_env reads the environment

    @classmethod
    def from_env(cls, db_path: str | None = None) -> "Settings":
        """Defaults, then `BACKPROP_PLAYGROUND_*` variables, then an explicit `db_path` (the --db flag).
        Raises ValueError with one line naming each refused variable, its value and the rule."""
        try:
            read = _FromEnvironment(**({"db_path": db_path} if db_path else {}))
        except ValidationError as error:
            raise ValueError("; ".join(_explain(e) for e in error.errors())) from None
        return cls.model_validate(read.model_dump())

    def replace(self, **changes) -> "Settings":
        """A copy with `changes`, validated like the original."""
        return type(self).model_validate({**self.model_dump(), **changes})

    def limits(self) -> dict:
        """The limits a client may want to show or respect (the numbers: no file path, no host names)."""
        return {name: getattr(self, name) for name in type(self).model_fields
                if name not in ("db_path", "allowed_hosts", "allowed_origins", "shard", "peers")}


class _FromEnvironment(Settings):
    model_config = SettingsConfigDict(extra="ignore")  # other BACKPROP_PLAYGROUND_* names: see unknown_variables

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings, env_settings)


def variable_of(field: str) -> str:
    return DB_VARIABLE if field == "db_path" else ENV_PREFIX + field.upper()


def _explain(error: dict) -> str:
    name = str(error["loc"][0]) if error["loc"] else "?"
    variable = name if name.startswith(ENV_PREFIX) else variable_of(name)
    rule = error["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
    return f"{variable}={error['input']} is refused: it must be {rule}"


def unknown_variables(environ=os.environ) -> list[str]:
    """One warning per `BACKPROP_PLAYGROUND_*` variable that is no setting, with the likely intended one."""
    known = [variable_of(name).removeprefix(ENV_PREFIX) for name in Settings.model_fields]
    warnings = []
    for variable in sorted(v for v in environ if v.upper().startswith(ENV_PREFIX)):
        if (name := variable.upper().removeprefix(ENV_PREFIX)) in known:
            continue
        guess = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {ENV_PREFIX}{guess[0]}?)" if guess else ""
        warnings.append(f"{variable} is not a setting and is ignored{hint}")
    return warnings
