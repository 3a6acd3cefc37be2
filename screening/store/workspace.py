"""Opening the working group's workspace: find the file, refuse a damaged or foreign one, migrate.

The workspace is one SQLite file, ``workspace.sqlite3`` under ``screening.settings.data_dir()``
(``$SCREENING_DATA_DIR``) unless a path is given (``--db``). Opening it checks, in this order:
that the file is SQLite at all, that it is this tool's (``application_id``; an empty file is a
new workspace), that its pages are sound (``quick_check``), and that its schema is not newer than
this version knows; then the missing migrations run and expired uploads are purged. Each refusal
is an issue that names the file and says what to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..issues.record import ScreeningError
from ..settings import data_dir
from .database import FILE_NAME, Database, Patience
from .migrations import migrate
from .uploads import UploadPolicy, purge_expired


@dataclass(frozen=True)
class Workspace:
    db: Database
    uploads: UploadPolicy

    @property
    def path(self) -> Path:
        return self.db.path


def default_path() -> Path:
    return data_dir() / FILE_NAME


def open_workspace(
    path: str | Path | None = None,
    uploads: UploadPolicy | None = None,
    patience: Patience | None = None,
    now: dt.datetime | None = None,
) -> Workspace:
    """The workspace at ``path`` (default: the data directory's), checked, migrated and ready."""
    path = Path(path) if path is not None else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path, patience)
    if db.identify() == "ours":
        problems = db.check()
        if problems:
            raise ScreeningError(problems)
    db.enable_wal()
    policy = uploads or UploadPolicy.from_environment()
    db.write(lambda conn: migrate(conn, str(path)))
    db.write(lambda conn: purge_expired(conn, policy, now))
    return Workspace(db, policy)
