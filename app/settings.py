"""Server settings: every field has a default, environment variables override, no .env needed.

Each field can be overridden by `BACKPROP_PLAYGROUND_<FIELD NAME IN CAPITALS>`, e.g.
`BACKPROP_PLAYGROUND_MAX_NEURONS=32`. The limits keep one person's request from starving the others:
past a limit the API answers 422 naming the field, the value and the limit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ENV_PREFIX = "BACKPROP_PLAYGROUND_"


def default_db_path() -> str:
    """The user's data directory (XDG on Linux), so networks survive reinstalling the project."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "backprop-playground" / "networks.sqlite3")


@dataclass(frozen=True)
class Settings:
    db_path: str = field(default_factory=default_db_path)
    # network shape and data
    max_hidden_layers: int = 8
    max_neurons: int = 64
    max_points: int = 5000
    # work per request
    max_steps_per_request: int = 100_000   # iterations one step request may run
    max_epochs_per_request: int = 1000
    max_phases_per_request: int = 10_000
    step_time_budget: float = 5.0          # seconds; a longer step request stops early and says so
    max_trace_records: int = 5000
    max_trace_numbers: int = 1_000_000
    max_grid_resolution: int = 200
    max_response_numbers: int = 2_000_000  # floats in one float grid or prediction (~40 MB of JSON)
    max_body_bytes: int = 2 * 1024 * 1024
    step_history: int = 100                # history entries in a step/PATCH response unless ?history=N
    # live play
    max_fps: int = 60
    max_steps_per_frame: int = 10_000
    save_interval: float = 1.0             # seconds between checkpoints while playing
    frame_time_budget: float = 0.25        # seconds of training a live frame; fewer steps when slower
    # persistence
    idle_expiry_days: float = 7.0
    max_networks: int = 10_000
    max_networks_per_client: int = 1000    # networks one client address may keep (429 beyond)
    max_networks_in_memory: int = 256

    @classmethod
    def from_env(cls, db_path: str | None = None, environ: dict | None = None) -> "Settings":
        """Defaults, then `BACKPROP_PLAYGROUND_*` variables, then an explicit `db_path` (the --db flag)."""
        environ = os.environ if environ is None else environ
        changes: dict = {}
        if environ.get(ENV_PREFIX + "DB"):
            changes["db_path"] = environ[ENV_PREFIX + "DB"]
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None or f.name == "db_path":
                continue
            kind = type(getattr(cls(), f.name))
            try:
                changes[f.name] = kind(raw)
            except ValueError:
                what = "a whole number" if kind is int else "a number" if kind is float else kind.__name__
                raise ValueError(f"{ENV_PREFIX}{f.name.upper()} must be {what}, got {raw!r}") from None
        if db_path:
            changes["db_path"] = db_path
        return replace(cls(), **changes)

    def limits(self) -> dict:
        """The limits a client may want to show or respect (everything but the file path)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "db_path"}
