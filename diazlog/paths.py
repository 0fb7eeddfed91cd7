"""Where the user's database lives: --db, then $DIAZLOG_DB, then the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DIAZLOG_DB"


def data_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("diazlog", appauthor=False)


def default_database() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return data_folder() / "diazlog.db"
