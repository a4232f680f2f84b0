"""Server settings: every field has a default, environment variables override, no .env needed."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def default_db_path() -> str:
    """The user's data directory (XDG on Linux), so networks survive reinstalling the project."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "backprop-playground" / "networks.sqlite3")


@dataclass(frozen=True)
class Settings:
    db_path: str = field(default_factory=default_db_path)

    @classmethod
    def from_env(cls, db_path: str | None = None) -> "Settings":
        settings = cls()
        env_db = os.environ.get("BACKPROP_PLAYGROUND_DB")
        if db_path or env_db:
            settings = replace(settings, db_path=db_path or env_db)
        return settings
