"""Where the tool keeps what it stores on this machine, and how to change it.

Everything stored (saved column mappings, the working group's workspace database, uploads kept
for a reload) lives under one data directory: ``$SCREENING_DATA_DIR`` if set, else
``~/.local/share/ruyuan-screening``. Nothing is ever sent anywhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "SCREENING_DATA_DIR"


def data_dir() -> Path:
    """The data directory (created on first use)."""
    configured = os.environ.get(ENV_DATA_DIR)
    path = Path(configured).expanduser() if configured else Path.home() / ".local" / "share" / "ruyuan-screening"
    path.mkdir(parents=True, exist_ok=True)
    return path
